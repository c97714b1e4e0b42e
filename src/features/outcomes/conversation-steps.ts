import { VIEWPOINTS, type Viewpoint } from '../../domain/ratings.js';
import { ContractError, type FieldProblem } from '../../services/contract.js';
import { invalid } from '../../services/errors.js';
import { type FieldError, type FormBody, list, text } from '../../web/forms.js';
import {
  type ConversationParties,
  conversationFromForm,
  errorsOnForm,
  GAS_LEVEL_FIELDS,
  type MappedForm,
} from './form.js';
import { RecordConversation, RecordConversationContract, type RecordConversationInput } from './schema.js';

/**
 * The first conversation asked one thing a page, as the GOV.UK and NHS.UK question pages do: who
 * took part and when → what matters, one outcome at a time, with "add another" → how far each is
 * achieved, from the viewpoints there are → a goal attainment scale, if wanted → a summary and the
 * next review → check your answers → save.
 *
 * The answers so far are a draft kept on the server, in the single conversation form's own field
 * names (form.ts), so the one mapping `conversationFromForm` turns the draft into the one contract
 * (RecordConversation) and each contract path back into a field id. Each page posts only its own
 * fields; they are merged into the draft and the whole draft is checked against the contract and
 * the service's rules, and a page shows the problems that are about its own fields. Nothing is a
 * conversation until it is confirmed.
 */

/** The most outcomes one conversation adds: the contract's own limit. */
export const MAX_NEW_OUTCOMES =
  (RecordConversation.properties.newOutcomes as { maxItems?: number }).maxItems ?? 20;

export const STEPS = ['who', 'outcome', 'outcomes', 'ratings', 'gas', 'review', 'check'] as const;
export type Step = (typeof STEPS)[number];

/** A step and, for the steps about one outcome, which (0 first). */
export interface StepAt {
  step: Step;
  n?: number;
}

/** How many outcomes the draft has: blocks `new-0-…` to `new-(count-1)-…`, each with a statement. */
export function outcomeCount(answers: FormBody): number {
  const count = Number(text(answers, 'outcomeCount'));
  return Number.isInteger(count) && count > 0 ? Math.min(count, MAX_NEW_OUTCOMES) : 0;
}

const block = (n: number) => `new-${n}`;
const DATE_PARTS = ['day', 'month', 'year'] as const;
const dateNames = (name: string) => DATE_PARTS.map((p) => `${name}[${p}]`);
const gasNames = (n: number) => [
  `${block(n)}-gas-wanted`,
  ...GAS_LEVEL_FIELDS.map(([, key]) => `${block(n)}-gas-${key}`),
  `${block(n)}-gas-baseline`,
  `${block(n)}-gas-importance`,
  `${block(n)}-gas-difficulty`,
];

/** The draft fields a step's page writes: whatever else is posted is not this page's and is ignored. */
export function fieldsOf(at: StepAt, viewpoints: readonly Viewpoint[]): string[] {
  const n = at.n ?? 0;
  switch (at.step) {
    case 'who':
      return [...dateNames('heldOn'), 'participants', 'otherParticipants'];
    case 'outcome':
      return ['statement', 'why', 'importance', 'domains'].map((f) => `${block(n)}-${f}`);
    case 'ratings':
      return viewpoints.map((v) => `${block(n)}-rating-${v}`);
    case 'gas':
      return gasNames(n);
    case 'review':
      return ['summary', ...dateNames('nextReview')];
    default:
      return [];
  }
}

/** The step whose page holds a contract path: where a problem with it is shown and put right. */
export function stepOfPath(path: string): StepAt {
  if (path === 'heldOn' || path.startsWith('participants')) return { step: 'who' };
  if (path === 'summary' || path === 'nextReviewDate') return { step: 'review' };
  const outcome = /^newOutcomes\.(\d+)(?:\.(\w+))?/.exec(path);
  if (outcome) {
    const n = Number(outcome[1]);
    if (outcome[2] === 'ratings') return { step: 'ratings', n };
    if (outcome[2] === 'gas') return { step: 'gas', n };
    return { step: 'outcome', n };
  }
  if (path === 'newOutcomes') return { step: 'outcomes' };
  return { step: 'check' };
}

const sameStep = (a: StepAt, b: StepAt) => a.step === b.step && (a.n ?? 0) === (b.n ?? 0);

/** The answers with a page's own fields replaced by what it posted (a field left empty is removed). */
export function mergeStep(answers: FormBody, posted: FormBody, fields: readonly string[]): FormBody {
  const merged: FormBody = { ...answers };
  for (const name of fields) {
    const values = list(posted, name);
    if (!values.length) delete merged[name];
    else merged[name] = name === 'participants' || name.endsWith('-domains') ? values : (values[0] ?? '');
  }
  return merged;
}

/** The answers without outcome `n`: the ones after it move up one, so blocks stay numbered from 0. */
export function removeOutcome(answers: FormBody, n: number): FormBody {
  const count = outcomeCount(answers);
  const kept: FormBody = {};
  for (const [name, value] of Object.entries(answers)) {
    const match = /^new-(\d+)-(.*)$/.exec(name);
    if (!match) kept[name] = value;
    else if (Number(match[1]) < n) kept[name] = value;
    else if (Number(match[1]) > n) kept[`new-${Number(match[1]) - 1}-${match[2]}`] = value;
  }
  kept.outcomeCount = String(Math.max(0, count - 1));
  return kept;
}

/** A goal attainment scale answered No leaves no levels behind; answered Yes, its fields stay. */
function withoutUnwantedGas(answers: FormBody, n: number): FormBody {
  if (text(answers, `${block(n)}-gas-wanted`) !== 'no') return answers;
  const kept = { ...answers };
  for (const name of gasNames(n).slice(1)) delete kept[name];
  return kept;
}

/** The draft as the contract's input, with the mapping of each contract path to its field. */
export function draftToInput(
  answers: FormBody,
  parties: ConversationParties,
): MappedForm<RecordConversationInput> {
  return conversationFromForm(answers, 'first', outcomeCount(answers), parties);
}

export interface StepResult {
  answers: FormBody;
  errors: FieldError[];
}

/**
 * A page's answers merged into the draft and checked: the contract's problems and the service's
 * rules (`rules`, from ConversationService.ruleProblems) about this page's fields, each on its field
 * with the conversation form's words. Problems about other pages wait for those pages, or for the
 * check-your-answers page.
 */
export function answerStep(
  draft: FormBody,
  posted: FormBody,
  at: StepAt,
  viewpoints: readonly Viewpoint[],
  parties: ConversationParties,
  rules: (input: RecordConversationInput) => FieldProblem[],
): StepResult {
  const n = at.n ?? 0;
  let answers = mergeStep(draft, posted, fieldsOf(at, viewpoints));
  const own: FieldError[] = [];
  if (at.step === 'outcome') {
    answers.outcomeCount = String(Math.max(outcomeCount(draft), n + 1));
    if (!text(answers, `${block(n)}-statement`))
      own.push({
        field: `${block(n)}-statement`,
        message: `Outcome ${n + 1}: write what matters, in the person’s own words`,
      });
  }
  if (at.step === 'gas') {
    const wanted = text(answers, `${block(n)}-gas-wanted`);
    if (wanted !== 'yes' && wanted !== 'no')
      own.push({
        field: `${block(n)}-gas-wanted`,
        message: 'Choose yes if you want to set a goal attainment scale for this, or no',
      });
    else if (wanted === 'yes' && !GAS_LEVEL_FIELDS.some(([, key]) => text(answers, `${block(n)}-gas-${key}`)))
      own.push({
        field: `${block(n)}-gas-m2`,
        message: `Outcome ${n + 1}: describe all five goal attainment levels, or choose no`,
      });
    answers = withoutUnwantedGas(answers, n);
  }
  if (own.length) return { answers, errors: own };
  return { answers, errors: problemsOn(answers, parties, rules, (s) => sameStep(s, at)) };
}

/** Problems with the whole draft, on the fields that hold them, for the steps `where` picks. */
export function problemsOn(
  answers: FormBody,
  parties: ConversationParties,
  rules: (input: RecordConversationInput) => FieldProblem[],
  where: (at: StepAt) => boolean,
): FieldError[] {
  const mapped = draftToInput(answers, parties);
  const shapeProblems = RecordConversationContract.problems(mapped.input);
  const ruleProblems = shapeProblems.length ? [] : rules(mapped.input);
  return [
    ...shapeProblems
      .filter((p) => where(stepOfPath(p.field)))
      .flatMap((p) => errorsOnForm(new ContractError([p]), mapped)),
    ...ruleProblems
      .filter((p) => where(stepOfPath(p.field)))
      .flatMap((p) => errorsOnForm(invalid(p.message, p.field), mapped)),
  ];
}

/** Where the draft's first problem is, for a check-your-answers page refused on saving. */
export function firstProblemStep(
  answers: FormBody,
  parties: ConversationParties,
  rules: (input: RecordConversationInput) => FieldProblem[],
): StepAt | null {
  const mapped = draftToInput(answers, parties);
  const [first] = [...RecordConversationContract.problems(mapped.input), ...rules(mapped.input)];
  return first ? stepOfPath(first.field) : null;
}

/** The viewpoints a rating can come from: a carer's only when the person has a carer in their circle. */
export function viewpointsFor(hasCarer: boolean): Viewpoint[] {
  return VIEWPOINTS.filter((v) => v !== 'carer' || hasCarer);
}

/** The page after a step, going forward; `toCheck` when the page was opened from check your answers. */
export function nextStep(at: StepAt, answers: FormBody, toCheck: boolean): StepAt {
  const count = outcomeCount(answers);
  const n = at.n ?? 0;
  if (toCheck && at.step !== 'outcomes') return { step: 'check' };
  switch (at.step) {
    case 'who':
      return count ? { step: 'outcomes' } : { step: 'outcome', n: 0 };
    case 'outcome':
      return { step: 'outcomes' };
    case 'outcomes':
      return { step: 'ratings', n: 0 };
    case 'ratings':
      return n + 1 < count ? { step: 'ratings', n: n + 1 } : { step: 'gas', n: 0 };
    case 'gas':
      return n + 1 < count ? { step: 'gas', n: n + 1 } : { step: 'review' };
    default:
      return { step: 'check' };
  }
}

/** The address of a step's page. */
export function stepUrl(personId: string, at: StepAt, toCheck = false): string {
  const query = new URLSearchParams();
  if (at.n !== undefined && ['outcome', 'ratings', 'gas'].includes(at.step)) query.set('n', String(at.n));
  if (toCheck) query.set('return', 'check');
  const q = query.toString();
  return `/people/${personId}/conversations/first/${at.step}${q ? `?${q}` : ''}`;
}
