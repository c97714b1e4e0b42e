import type { CommissioningFrameworkDefinition } from '../../domain/commissioning/framework.js';
import {
  MAX_I_STATEMENTS_PER_OUTCOME,
  MAX_INVOLVEMENTS,
  MAX_OUTCOMES,
} from '../../domain/commissioning/framework.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { dateFields, dateParts, type FieldError, type FormBody, list, text } from '../../web/forms.js';
import type { PublishFrameworkInput } from './schema.js';

/**
 * The commissioner's framework form, mapped onto the publish contract and back. The form shows the
 * hierarchy as rows: outcomes, each with its I statements (each with domain and indicator
 * checkboxes), and the stakeholder involvement; "Add another …" buttons post the form back with a
 * blank row more, so nothing needs JavaScript. Rows left blank are left out; a row ticked "remove"
 * is removed. Posting maps rows onto the contract without judging them, so the service's contract
 * and the domain refuse what is wrong and every refusal comes back on the field that holds it.
 */

export interface StatementRow {
  code: string;
  text: string;
  domains: string[];
  indicators: string[];
  remove: boolean;
}

export interface OutcomeRow {
  code: string;
  statement: string;
  remove: boolean;
  statements: StatementRow[];
}

export interface InvolvementRow {
  group: string;
  how: string;
  on: { day: string; month: string; year: string };
  remove: boolean;
}

export interface FrameworkForm {
  /** Empty for a new framework. */
  basedOnVersion: string;
  key: string;
  name: string;
  description: string;
  outcomesFrameworkKey: string;
  changeSummary: string;
  outcomes: OutcomeRow[];
  shapedBy: InvolvementRow[];
}

/** For each outcome in the contract, its row on the form, and the rows of its I statements. */
export type FormRows = { outcome: number; statements: number[] }[];

export const outcomeField = (o: number, name: string) => `outcomes-${o}-${name}`;
export const statementField = (o: number, s: number, name: string) => `outcomes-${o}-statements-${s}-${name}`;
export const involvementField = (i: number, name: string) => `shapedBy-${i}-${name}`;

export const blankStatement = (): StatementRow => ({
  code: '',
  text: '',
  domains: [],
  indicators: [],
  remove: false,
});
export const blankOutcome = (): OutcomeRow => ({
  code: '',
  statement: '',
  remove: false,
  statements: [blankStatement()],
});
export const blankInvolvement = (): InvolvementRow => ({
  group: '',
  how: '',
  on: { day: '', month: '', year: '' },
  remove: false,
});

/** A form for a new framework: one outcome with one I statement, and one involvement to record. */
export function newFrameworkForm(outcomesFrameworkKey: string): FrameworkForm {
  return {
    basedOnVersion: '',
    key: '',
    name: '',
    description: '',
    outcomesFrameworkKey,
    changeSummary: '',
    outcomes: [blankOutcome()],
    shapedBy: [blankInvolvement()],
  };
}

/** The form for a new version of a published one: its content, and a blank involvement to record. */
export function formFromDefinition(
  definition: CommissioningFrameworkDefinition,
  version: number,
): FrameworkForm {
  return {
    basedOnVersion: String(version),
    key: definition.key,
    name: definition.name,
    description: definition.description,
    outcomesFrameworkKey: definition.outcomesFrameworkKey,
    changeSummary: '',
    outcomes: definition.outcomes.map((o) => ({
      code: o.code ?? '',
      statement: o.statement,
      remove: false,
      statements: o.iStatements.map((s) => ({
        code: s.code ?? '',
        text: s.text,
        domains: [...s.domainCodes],
        indicators: [...s.indicatorKeys],
        remove: false,
      })),
    })),
    shapedBy: [
      ...definition.shapedBy.map((i) => ({ group: i.group, how: i.how, on: dateParts(i.on), remove: false })),
      blankInvolvement(),
    ],
  };
}

const count = (body: FormBody, name: string, max: number) =>
  Math.min(max, Math.max(0, Number.parseInt(text(body, name), 10) || 0));

/** The form as posted: every row as typed, to show again or to map onto the contract. */
export function formFromBody(body: FormBody): FrameworkForm {
  // The form never has more rows than the limits plus one; more is not a form this service made.
  const outcomes = Array.from({ length: count(body, 'outcomes-count', MAX_OUTCOMES + 1) }, (_, o) => ({
    code: text(body, outcomeField(o, 'code')),
    statement: text(body, outcomeField(o, 'statement')),
    remove: list(body, outcomeField(o, 'remove')).length > 0,
    statements: Array.from(
      { length: count(body, outcomeField(o, 'statements-count'), MAX_I_STATEMENTS_PER_OUTCOME + 1) },
      (_, s) => ({
        code: text(body, statementField(o, s, 'code')),
        text: text(body, statementField(o, s, 'text')),
        domains: list(body, statementField(o, s, 'domains')),
        indicators: list(body, statementField(o, s, 'indicators')),
        remove: list(body, statementField(o, s, 'remove')).length > 0,
      }),
    ),
  }));
  const shapedBy = Array.from({ length: count(body, 'shapedBy-count', MAX_INVOLVEMENTS + 1) }, (_, i) => ({
    group: text(body, involvementField(i, 'group')),
    how: text(body, involvementField(i, 'how')),
    on: dateFields(body, involvementField(i, 'on')),
    remove: list(body, involvementField(i, 'remove')).length > 0,
  }));
  return {
    basedOnVersion: text(body, 'basedOnVersion'),
    key: text(body, 'key'),
    name: text(body, 'name'),
    description: text(body, 'description'),
    outcomesFrameworkKey: text(body, 'outcomesFrameworkKey'),
    changeSummary: text(body, 'changeSummary'),
    outcomes,
    shapedBy,
  };
}

const blankRow = (s: StatementRow) => !s.text && !s.domains.length && !s.indicators.length;

/** A date as the contract takes it: YYYY-MM-DD when the parts make one, else the parts as typed. */
function isoOrTyped(on: InvolvementRow['on']): string {
  if (!on.day && !on.month && !on.year) return '';
  const pad = (v: string, n: number) => (/^\d+$/.test(v) ? v.padStart(n, '0') : v);
  return `${pad(on.year, 4)}-${pad(on.month, 2)}-${pad(on.day, 2)}`;
}

/** The contract's input from the form, with where each outcome and I statement came from. */
export function publishInputFromForm(form: FrameworkForm): {
  input: PublishFrameworkInput;
  rows: FormRows;
  involvementRows: number[];
} {
  const rows: FormRows = [];
  const outcomes: PublishFrameworkInput['outcomes'] = [];
  form.outcomes.forEach((o, oi) => {
    if (o.remove) return;
    const kept = o.statements.map((s, si) => ({ s, si })).filter(({ s }) => !s.remove && !blankRow(s));
    if (!o.statement && kept.length === 0) return;
    rows.push({ outcome: oi, statements: kept.map(({ si }) => si) });
    outcomes.push({
      ...(o.code ? { code: o.code } : {}),
      statement: o.statement,
      iStatements: kept.map(({ s }) => ({
        ...(s.code ? { code: s.code } : {}),
        text: s.text,
        domainCodes: s.domains,
        indicatorKeys: s.indicators,
      })),
    });
  });
  const involvementRows: number[] = [];
  const shapedBy = form.shapedBy.flatMap((i, ii) => {
    if (i.remove || (!i.group && !i.how && !i.on.day && !i.on.month && !i.on.year)) return [];
    involvementRows.push(ii);
    return [{ group: i.group, how: i.how, on: isoOrTyped(i.on) }];
  });
  const version = form.basedOnVersion;
  return {
    input: {
      key: form.key,
      basedOnVersion: version === '' ? null : ((/^\d+$/.test(version) ? Number(version) : version) as number),
      name: form.name,
      description: form.description,
      outcomesFrameworkKey: form.outcomesFrameworkKey,
      changeSummary: form.changeSummary,
      outcomes,
      shapedBy: shapedBy as PublishFrameworkInput['shapedBy'],
    },
    rows,
    involvementRows,
  };
}

/** The form field that holds a contract path. */
export function fieldIdFor(path: string, rows: FormRows, involvementRows: number[]): string {
  const parts = path.split('.');
  const [head = '', a, b, c, d] = parts;
  if (head === 'outcomes') {
    if (a === undefined) return 'outcomes';
    const row = rows[Number(a)];
    if (!row) return 'outcomes';
    if (b !== 'iStatements') return outcomeField(row.outcome, 'statement');
    const s = c === undefined ? undefined : row.statements[Number(c)];
    if (s === undefined) return statementField(row.outcome, row.statements[0] ?? 0, 'text');
    if (d === 'domainCodes') return statementField(row.outcome, s, 'domains');
    if (d === 'indicatorKeys') return statementField(row.outcome, s, 'indicators');
    return statementField(row.outcome, s, 'text');
  }
  if (head === 'shapedBy') {
    const i = a === undefined ? undefined : involvementRows[Number(a)];
    if (i === undefined) return 'shapedBy';
    if (b === 'how') return involvementField(i, 'how');
    if (b === 'on') return `${involvementField(i, 'on')}-day`;
    return involvementField(i, 'group');
  }
  if (['key', 'name', 'description', 'changeSummary'].includes(head)) return head;
  return 'name';
}

/** Words for a contract message about a field of the form. */
function sentence(path: string, message: string): string {
  const labels: Record<string, string> = {
    key: 'The key',
    name: 'The name',
    description: 'The description',
    changeSummary: 'What changed',
    statement: 'The outcome statement',
    text: 'The I statement',
    how: 'How they shaped it',
    on: 'The date',
    group: 'Who was involved',
  };
  const leaf =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .at(-1) ?? '';
  if (leaf === 'on') return 'The date must be a real date, for example 27 3 2026.';
  if (leaf === 'group') return 'Choose who was involved.';
  if (message === 'must not be empty' || message === 'is required')
    return `${labels[leaf] ?? 'This'} is needed.`;
  return `${labels[leaf] ?? 'This'} ${message}.`;
}

/** A refused publish as errors on the form's fields; anything but a refusal is rethrown. */
export function frameworkFormErrors(error: unknown, rows: FormRows, involvementRows: number[]): FieldError[] {
  if (error instanceof ContractError) {
    // The domain's problems are already sentences (CommissioningFrameworkProblems); the contract's are not.
    const domainWorded = error.status === 422;
    return error.fields.map((f) => ({
      field: fieldIdFor(f.field, rows, involvementRows),
      message: domainWorded ? f.message : sentence(f.field, f.message),
    }));
  }
  if (error instanceof ServiceError && error.status < 500 && error.status !== 403 && error.status !== 404) {
    return [{ field: fieldIdFor(error.field ?? '', rows, involvementRows), message: error.message }];
  }
  throw error;
}
