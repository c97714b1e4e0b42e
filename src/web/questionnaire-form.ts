import { isAsked, SELECT_THRESHOLD } from '../domain/measures/questionnaire/analyse.js';
import { enableWhenValue } from '../domain/measures/questionnaire/enable-when.js';
import {
  calculatedExpressionOf,
  entryFormatOf,
  isHelp,
  isHidden,
  itemControlOf,
  unitOf,
} from '../domain/measures/questionnaire/extensions.js';
import {
  answerText,
  errorTargetFor,
  type FormError,
  type FormFields,
  fieldIdFor,
  isEntered,
  itemName,
} from '../domain/measures/questionnaire/form.js';
import { optionLabel, sameOptionValue } from '../domain/measures/questionnaire/options.js';
import { itemsByLinkId } from '../domain/measures/questionnaire/response.js';
import { calculatedItems } from '../domain/measures/questionnaire/score.js';
import type {
  EnableWhen,
  Questionnaire,
  QuestionnaireItem,
  ResponseAnswer,
} from '../domain/measures/types.js';

/**
 * Any analysed Questionnaire as the fields of an NHS.UK form: one node per item, each naming the
 * design system's component that asks it, for `components/questionnaire-form.njk` to render.
 * Field ids come from the domain's `fieldIdFor`, so the errors of `responseFromForm` link to them.
 *
 * Without JavaScript every question is on the page; a question that applies only after certain
 * answers says so in its hint ("Answer this if you answered ‘Yes’ to ‘…’"), and the server drops
 * the answers of questions that do not apply when the form is saved.
 */

/** What every question's node has: its field id, label, hint and error. */
interface QuestionField {
  id: string;
  label: string;
  hint: string | null;
  error: string | null;
}

type InputNode = QuestionField & {
  kind: 'input';
  value: string;
  inputmode: 'numeric' | 'decimal' | 'text';
  width: string | null;
  suffix: string | null;
  maxlength: number | null;
};

export type QuestionnaireNode = (
  | (QuestionField & {
      kind: 'radios' | 'checkboxes' | 'select';
      inline: boolean;
      items: { value: string; text: string; selected: boolean }[];
    })
  | InputNode
  | (QuestionField & { kind: 'textarea'; value: string; maxlength: number | null })
  | (QuestionField & { kind: 'date'; day: string; month: string; year: string })
  | { kind: 'display'; text: string; hint: string | null }
  | { kind: 'fixed'; label: string; value: string }
  | { kind: 'group'; legend: string; hint: string | null; children: QuestionnaireNode[] }
) & { showWhen?: ShowWhen };

/**
 * When a node applies, in terms of the form's own fields, for the page's script to show and hide it
 * as answers change (progressive enhancement: without script every node shows, and the server
 * decides). Null when the conditions cannot be read from the fields alone (a date, a read-only or
 * calculated question): the node then always shows.
 */
export interface ShowWhen {
  any: boolean;
  conditions: {
    field: string;
    op: EnableWhen['operator'];
    /** For `exists`: whether an answer must exist. */
    exists?: boolean;
    /** For a choice or yes/no: the field values (option indexes, "yes"/"no") the answer is compared with. */
    values?: string[];
    /** For a number. */
    number?: number;
  }[];
}

export interface QuestionnaireFormView {
  title: string;
  nodes: QuestionnaireNode[];
  /** The calculated items, named, whose values are worked out when the form is saved. */
  calculated: string[];
}

const one = (value: string | string[] | undefined) =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
const many = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const quote = (text: string) => `‘${text}’`;

/** One enableWhen in words, for the hint of the question it guards. */
function conditionText(condition: EnableWhen, question: QuestionnaireItem | undefined): string {
  const name = quote(question ? itemName(question) : condition.question);
  const expected = enableWhenValue(condition);
  if (condition.operator === 'exists') {
    return condition.answerBoolean ? `you answered ${name}` : `you did not answer ${name}`;
  }
  let value: string;
  if (expected?.kind === 'answerCoding') {
    const coding = expected.value as { code?: string; display?: string };
    const option = question?.answerOption?.find((o) => o.valueCoding?.code === coding.code);
    value = option ? optionLabel(option) : (coding.display ?? coding.code ?? '');
  } else if (expected?.kind === 'answerBoolean') value = expected.value ? 'Yes' : 'No';
  else value = String(expected?.value ?? '');
  switch (condition.operator) {
    case '=':
      return `you answered ${quote(value)} to ${name}`;
    case '!=':
      return `you did not answer ${quote(value)} to ${name}`;
    case '>':
      return `your answer to ${name} is more than ${value}`;
    case '<':
      return `your answer to ${name} is less than ${value}`;
    case '>=':
      return `your answer to ${name} is ${value} or more`;
    case '<=':
      return `your answer to ${name} is ${value} or less`;
    default:
      return name;
  }
}

/** An item's enableWhen in terms of the form's fields, or null (see ShowWhen). */
export function showWhenOf(
  item: QuestionnaireItem,
  byLinkId: Map<string, QuestionnaireItem>,
): ShowWhen | null {
  const conditions: ShowWhen['conditions'] = [];
  for (const condition of item.enableWhen ?? []) {
    const question = byLinkId.get(condition.question);
    if (!question || !isEntered(question)) return null;
    const field = fieldIdFor(question.linkId);
    const { operator: op } = condition;
    if (op === 'exists') {
      conditions.push({ field, op, exists: condition.answerBoolean === true });
      continue;
    }
    const expected = enableWhenValue(condition);
    if (question.type === 'boolean' && expected?.kind === 'answerBoolean' && (op === '=' || op === '!=')) {
      conditions.push({ field, op, values: [expected.value ? 'yes' : 'no'] });
    } else if (question.type === 'choice' && (op === '=' || op === '!=') && expected) {
      const key = expected.kind.replace(/^answer/, 'value');
      const values = (question.answerOption ?? []).flatMap((o, index) =>
        sameOptionValue(o, { [key]: expected.value }) ? [String(index)] : [],
      );
      conditions.push({ field, op, values });
    } else if (
      (question.type === 'integer' || question.type === 'decimal') &&
      typeof expected?.value === 'number'
    ) {
      conditions.push({ field, op, number: expected.value });
    } else {
      return null;
    }
  }
  return conditions.length ? { any: item.enableBehavior === 'any', conditions } : null;
}

/** When an item applies, in a sentence; null when it always does. */
export function appliesWhen(
  item: QuestionnaireItem,
  byLinkId: Map<string, QuestionnaireItem>,
): string | null {
  const conditions = item.enableWhen ?? [];
  if (!conditions.length) return null;
  const parts = conditions.map((c) => conditionText(c, byLinkId.get(c.question)));
  const joiner = item.enableBehavior === 'any' ? ', or if ' : ', and if ';
  const lead =
    item.type === 'group'
      ? 'Answer these questions'
      : item.type === 'display'
        ? 'This applies'
        : 'Answer this';
  return `${lead} only if ${parts.join(joiner)}.`;
}

function hintOf(item: QuestionnaireItem, byLinkId: Map<string, QuestionnaireItem>): string | null {
  const parts = [
    ...(item.item ?? []).filter(isHelp).map((h) => h.text ?? ''),
    entryFormatOf(item) ?? '',
    appliesWhen(item, byLinkId) ?? '',
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

const labelOf = (item: QuestionnaireItem) =>
  [item.prefix, item.text ?? `Question ${item.linkId}`].filter(Boolean).join(' ');

function fixedValue(item: QuestionnaireItem): string {
  const initial = (item.initial ?? []) as ResponseAnswer[];
  const selected = (item.answerOption ?? []).filter((o) => o.initialSelected).map(optionLabel);
  const values = [...selected, ...initial.map((a) => answerText(item, a))].filter(Boolean);
  return values.length ? values.join(', ') : 'Not given';
}

function nodeFor(
  item: QuestionnaireItem,
  fields: FormFields,
  errors: Map<string, string>,
  byLinkId: Map<string, QuestionnaireItem>,
): QuestionnaireNode | null {
  const node = bareNodeFor(item, fields, errors, byLinkId);
  if (!node) return null;
  const showWhen = showWhenOf(item, byLinkId);
  return showWhen ? { ...node, showWhen } : node;
}

function bareNodeFor(
  item: QuestionnaireItem,
  fields: FormFields,
  errors: Map<string, string>,
  byLinkId: Map<string, QuestionnaireItem>,
): QuestionnaireNode | null {
  if (!isAsked(item) || isHidden(item) || isHelp(item)) return null;
  const hint = hintOf(item, byLinkId);
  if (item.type === 'group') {
    const children = (item.item ?? []).flatMap((child) => {
      const node = nodeFor(child, fields, errors, byLinkId);
      return node ? [node] : [];
    });
    return children.length ? { kind: 'group', legend: labelOf(item), hint, children } : null;
  }
  if (item.type === 'display') return { kind: 'display', text: item.text ?? '', hint };
  if (!isEntered(item)) {
    // Worked out when saved (listed apart), or read-only: shown, not asked.
    return item.readOnly && !calculatedExpressionOf(item)
      ? { kind: 'fixed', label: labelOf(item), value: fixedValue(item) }
      : null;
  }
  const question: QuestionField = {
    id: fieldIdFor(item.linkId),
    label: labelOf(item),
    hint,
    error: errors.get(errorTargetFor(item)) ?? null,
  };
  const { id } = question;
  /** The hint with a line of its own about how to answer. */
  const hintAnd = (text: string) => [hint, text].filter(Boolean).join(' ');
  const input = (
    shape: Omit<InputNode, keyof QuestionField | 'kind' | 'value'>,
    inputHint = hint,
  ): InputNode => ({
    kind: 'input',
    ...question,
    hint: inputHint,
    value: one(fields[id]),
    ...shape,
  });
  switch (item.type) {
    case 'choice': {
      const chosen = new Set(many(fields[id]));
      const options = (item.answerOption ?? []).map((o, index) => ({
        value: String(index),
        text: optionLabel(o),
        selected: chosen.has(String(index)),
      }));
      const kind = item.repeats
        ? 'checkboxes'
        : itemControlOf(item) === 'drop-down' || options.length > SELECT_THRESHOLD
          ? 'select'
          : 'radios';
      return { kind, ...question, inline: false, items: options };
    }
    case 'boolean': {
      const value = one(fields[id]);
      return {
        kind: 'radios',
        ...question,
        inline: true,
        items: [
          { value: 'yes', text: 'Yes', selected: value === 'yes' },
          { value: 'no', text: 'No', selected: value === 'no' },
        ],
      };
    }
    case 'integer':
    case 'decimal':
      return input({
        inputmode: item.type === 'integer' ? 'numeric' : 'decimal',
        width: 'nhsuk-input--width-5',
        suffix: unitOf(item),
        maxlength: null,
      });
    case 'time':
      return input(
        { inputmode: 'text', width: 'nhsuk-input--width-5', suffix: null, maxlength: 5 },
        hintAnd('Use the 24-hour clock, for example 14:30'),
      );
    case 'string':
      return input({ inputmode: 'text', width: null, suffix: null, maxlength: item.maxLength ?? null });
    case 'text':
      return {
        kind: 'textarea',
        ...question,
        value: one(fields[id]),
        maxlength: item.maxLength ?? null,
      };
    case 'date':
      return {
        kind: 'date',
        ...question,
        hint: hintAnd('For example, 27 3 2026'),
        day: one(fields[`${id}[day]`]),
        month: one(fields[`${id}[month]`]),
        year: one(fields[`${id}[year]`]),
      };
    default:
      return null;
  }
}

/**
 * The view of a form: the questionnaire's items as nodes, with the values posted (or from
 * `formFromResponse`/`initialForm`) and the errors of `responseFromForm`.
 */
export function questionnaireFormView(
  questionnaire: Questionnaire,
  fields: FormFields = {},
  errors: readonly FormError[] = [],
): QuestionnaireFormView {
  const byLinkId = itemsByLinkId(questionnaire);
  const errorMap = new Map(errors.map((e) => [e.field, e.message]));
  const nodes = (questionnaire.item ?? []).flatMap((item) => {
    const node = nodeFor(item, fields, errorMap, byLinkId);
    return node ? [node] : [];
  });
  return {
    title: questionnaire.title ?? questionnaire.name ?? 'Questionnaire',
    nodes,
    calculated: calculatedItems(questionnaire)
      .filter((i) => !isHidden(i))
      .map((i) => itemName(i)),
  };
}
