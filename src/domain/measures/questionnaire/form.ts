import type { Questionnaire, QuestionnaireItem, QuestionnaireResponse, ResponseAnswer } from '../types.js';
import { isAsked } from './analyse.js';
import { enabledItems } from './enable-when.js';
import { boundsOf, calculatedExpressionOf, isHidden } from './extensions.js';
import { optionLabel, sameOptionValue } from './options.js';
import { type Answers, answersOf, buildResponse, itemsWithAncestors } from './response.js';
import { withCalculatedAnswers } from './score.js';

/**
 * A Questionnaire's HTML form and its QuestionnaireResponse, both ways. One field per item, named
 * by `fieldIdFor(linkId)` (the renderer uses the same function, so errors link to their fields);
 * choices post the option's index; dates post `<id>[day]`, `<id>[month]`, `<id>[year]` as the
 * NHS.UK date input does; booleans post "yes" or "no".
 */

export type FormFields = Record<string, string | string[] | undefined>;

export interface FormError {
  field: string;
  message: string;
}

/**
 * The form field id (and name) of an item: "q-" then the linkId with every character other than
 * a letter, digit or hyphen written as _hex_ — a valid HTML id and CSS selector for any linkId,
 * one linkId to one id ("/44250-9" → "q-_2f_44250-9").
 */
export function fieldIdFor(linkId: string): string {
  let id = 'q-';
  for (const char of linkId) {
    id += /[A-Za-z0-9-]/.test(char) ? char : `_${(char.codePointAt(0) ?? 0).toString(16)}_`;
  }
  return id;
}

/** The id the error summary links to: a date's day box, otherwise the field itself. */
export function errorTargetFor(item: QuestionnaireItem): string {
  const id = fieldIdFor(item.linkId);
  return item.type === 'date' ? `${id}-day` : id;
}

/** The words a message names an item by. */
export function itemName(item: QuestionnaireItem): string {
  return (item.text ?? `Question ${item.linkId}`).trim().replace(/[?:.]$/, '');
}

/** Whether a person fills this item in: asked, not read-only, hidden or worked out. */
export function isEntered(item: QuestionnaireItem): boolean {
  return (
    isAsked(item) &&
    !['group', 'display'].includes(item.type) &&
    !item.readOnly &&
    !isHidden(item) &&
    !calculatedExpressionOf(item)
  );
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
const many = (value: string | string[] | undefined) =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter(Boolean);

const formatNumber = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 10 });

function numberRange(item: QuestionnaireItem, whole: boolean): string {
  const { min, max } = boundsOf(item);
  const kind = whole ? 'a whole number' : 'a number';
  if (min !== null && max !== null)
    return `Enter ${kind} between ${formatNumber(min)} and ${formatNumber(max)}`;
  if (min !== null) return `Enter ${kind} of ${formatNumber(min)} or more`;
  if (max !== null) return `Enter ${kind} of ${formatNumber(max)} or less`;
  return `Enter ${kind}`;
}

function inBounds(item: QuestionnaireItem, value: number): boolean {
  const { min, max } = boundsOf(item);
  return (min === null || value >= min) && (max === null || value <= max);
}

/** One item's answers from the form, or the message saying what is wrong with what was typed. */
function readItem(
  item: QuestionnaireItem,
  fields: FormFields,
): { answers: ResponseAnswer[]; error?: string } {
  const id = fieldIdFor(item.linkId);
  const name = itemName(item);
  switch (item.type) {
    case 'choice': {
      const options = item.answerOption ?? [];
      const chosen = item.repeats ? many(fields[id]) : [one(fields[id])].filter(Boolean);
      const answers: ResponseAnswer[] = [];
      for (const raw of chosen) {
        const option = /^\d+$/.test(raw) ? options[Number(raw)] : undefined;
        if (!option) return { answers: [], error: `Choose one of the answers to ‘${name}’` };
        const { valueCoding, valueInteger, valueString, valueDate } = option;
        answers.push(
          valueCoding
            ? { valueCoding: { ...valueCoding } }
            : valueInteger !== undefined
              ? { valueInteger }
              : valueDate !== undefined
                ? { valueDate }
                : { valueString: valueString ?? '' },
        );
      }
      return { answers };
    }
    case 'integer': {
      const raw = one(fields[id]).replaceAll(',', '');
      if (!raw) return { answers: [] };
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || !inBounds(item, value)) {
        return { answers: [], error: `${numberRange(item, true)} for ‘${name}’` };
      }
      return { answers: [{ valueInteger: value }] };
    }
    case 'decimal': {
      const raw = one(fields[id]).replaceAll(',', '');
      if (!raw) return { answers: [] };
      const value = Number(raw);
      if (!/^-?(\d+\.?\d*|\.\d+)$/.test(raw) || !Number.isFinite(value) || !inBounds(item, value)) {
        return { answers: [], error: `${numberRange(item, false)} for ‘${name}’` };
      }
      return { answers: [{ valueDecimal: value }] };
    }
    case 'string':
    case 'text': {
      const raw =
        item.type === 'string'
          ? one(fields[id])
          : ((Array.isArray(fields[id]) ? fields[id][0] : fields[id])?.trim() ?? '');
      if (!raw) return { answers: [] };
      if (item.maxLength && [...raw].length > item.maxLength) {
        return {
          answers: [],
          error: `‘${name}’ must be ${item.maxLength.toLocaleString('en-GB')} characters or fewer`,
        };
      }
      return { answers: [{ valueString: raw }] };
    }
    case 'boolean': {
      const raw = one(fields[id]);
      if (!raw) return { answers: [] };
      if (raw !== 'yes' && raw !== 'no') return { answers: [], error: `Answer ‘${name}’ with yes or no` };
      return { answers: [{ valueBoolean: raw === 'yes' }] };
    }
    case 'date': {
      const day = one(fields[`${id}[day]`]);
      const month = one(fields[`${id}[month]`]);
      const year = one(fields[`${id}[year]`]);
      if (!day && !month && !year) return { answers: [] };
      const d = Number(day);
      const m = Number(month);
      const y = Number(year);
      const date = new Date(Date.UTC(y, m - 1, d));
      const real =
        /^\d{1,2}$/.test(day) &&
        /^\d{1,2}$/.test(month) &&
        /^\d{4}$/.test(year) &&
        date.getUTCFullYear() === y &&
        date.getUTCMonth() === m - 1 &&
        date.getUTCDate() === d;
      if (!real) return { answers: [], error: `‘${name}’ must be a real date, for example 27 3 2026` };
      return { answers: [{ valueDate: date.toISOString().slice(0, 10) }] };
    }
    case 'time': {
      const raw = one(fields[id]);
      if (!raw) return { answers: [] };
      const match = /^(\d{1,2})[:.](\d{2})$/.exec(raw);
      const hours = Number(match?.[1]);
      const minutes = Number(match?.[2]);
      if (!match || hours > 23 || minutes > 59) {
        return { answers: [], error: `‘${name}’ must be a time on the 24-hour clock, for example 14:30` };
      }
      const time = `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:00`;
      return { answers: [{ valueTime: time }] };
    }
    default:
      return { answers: [] };
  }
}

/** The values of read-only and hidden items: their initial values, as the questionnaire gives them. */
function fixedAnswers(item: QuestionnaireItem): ResponseAnswer[] {
  if (item.type === 'choice') {
    const chosen = (item.answerOption ?? []).filter(
      (o) => o.initialSelected || (item.initial ?? []).some((i) => sameOptionValue(o, i as ResponseAnswer)),
    );
    return chosen.map((o) =>
      o.valueCoding
        ? { valueCoding: o.valueCoding }
        : o.valueInteger !== undefined
          ? { valueInteger: o.valueInteger }
          : { valueString: o.valueString ?? '' },
    );
  }
  return (item.initial ?? []).flatMap((initial) => {
    const value = initial as Record<string, unknown>;
    const key = Object.keys(value).find((k) => k.startsWith('value'));
    return key ? [{ [key]: value[key] } as ResponseAnswer] : [];
  });
}

/**
 * The response a posted form makes, and the errors that stop it being saved. A required item is
 * required only when it is enabled; answers of disabled items are dropped (whatever was typed in
 * them, and any error in it); calculated items are worked out.
 */
export function responseFromForm(
  questionnaire: Questionnaire,
  fields: FormFields,
  base: Partial<QuestionnaireResponse> = {},
): { response: QuestionnaireResponse; errors: FormError[] } {
  const answers: Answers = new Map();
  const typed = new Map<string, string>();
  const entered: QuestionnaireItem[] = [];
  for (const { item, ancestors } of itemsWithAncestors(questionnaire.item)) {
    if (ancestors.some((a) => !isAsked(a))) continue;
    if (isEntered(item)) {
      entered.push(item);
      const { answers: read, error } = readItem(item, fields);
      if (error) typed.set(item.linkId, error);
      if (read.length) answers.set(item.linkId, read);
    } else if (isAsked(item) && !['group', 'display'].includes(item.type) && !calculatedExpressionOf(item)) {
      const fixed = fixedAnswers(item);
      if (fixed.length) answers.set(item.linkId, fixed);
    }
  }
  const { enabled, answers: kept } = enabledItems(questionnaire, answers);
  const errors: FormError[] = [];
  for (const item of entered) {
    if (!enabled.has(item.linkId)) continue;
    const error = typed.get(item.linkId);
    if (error) errors.push({ field: errorTargetFor(item), message: error });
    else if (item.required && !kept.get(item.linkId)?.length) {
      errors.push({
        field: errorTargetFor(item),
        message:
          item.type === 'choice' && item.repeats
            ? `Choose at least one answer to ‘${itemName(item)}’`
            : `Answer ‘${itemName(item)}’`,
      });
    }
  }
  const all = withCalculatedAnswers(questionnaire, kept);
  return { response: buildResponse(questionnaire, all, base), errors };
}

/** The form's field values for a response (to show it again or change it), for the items a person fills in. */
export function formFromResponse(questionnaire: Questionnaire, response: QuestionnaireResponse): FormFields {
  return fieldsFor(questionnaire, answersOf(response));
}

/** The form's starting values: each item's initial value and initially selected options. */
export function initialForm(questionnaire: Questionnaire): FormFields {
  const answers: Answers = new Map();
  for (const { item } of itemsWithAncestors(questionnaire.item)) {
    const fixed = fixedAnswers(item);
    if (fixed.length) answers.set(item.linkId, fixed);
  }
  return fieldsFor(questionnaire, answers);
}

function fieldsFor(questionnaire: Questionnaire, answers: Answers): FormFields {
  const fields: FormFields = {};
  for (const { item } of itemsWithAncestors(questionnaire.item)) {
    const given = answers.get(item.linkId);
    // Only the fields a person fills in: read-only and calculated values are not posted back.
    if (!given?.length || !isEntered(item)) continue;
    const id = fieldIdFor(item.linkId);
    const first = given[0] as ResponseAnswer;
    switch (item.type) {
      case 'choice': {
        const indexes = given.flatMap((answer) => {
          const index = (item.answerOption ?? []).findIndex((o) => sameOptionValue(o, answer));
          return index >= 0 ? [String(index)] : [];
        });
        fields[id] = item.repeats ? indexes : indexes[0];
        break;
      }
      case 'boolean':
        if (first.valueBoolean !== undefined) fields[id] = first.valueBoolean ? 'yes' : 'no';
        break;
      case 'date':
        if (first.valueDate) {
          const [year = '', month = '', day = ''] = first.valueDate.split('-');
          fields[`${id}[day]`] = day ? String(Number(day)) : '';
          fields[`${id}[month]`] = month ? String(Number(month)) : '';
          fields[`${id}[year]`] = year;
        }
        break;
      case 'time':
        if (first.valueTime) fields[id] = first.valueTime.slice(0, 5);
        break;
      default: {
        const value = first.valueInteger ?? first.valueDecimal ?? first.valueString;
        if (value !== undefined) fields[id] = String(value);
      }
    }
  }
  return fields;
}

/** An answer in words, for a read-only item or a summary of a response. */
export function answerText(item: QuestionnaireItem, answer: ResponseAnswer): string {
  if (item.type === 'choice') {
    const option = item.answerOption?.find((o) => sameOptionValue(o, answer));
    if (option) return optionLabel(option);
  }
  if (answer.valueBoolean !== undefined) return answer.valueBoolean ? 'Yes' : 'No';
  if (answer.valueCoding) return answer.valueCoding.display ?? answer.valueCoding.code ?? '';
  const value =
    answer.valueInteger ?? answer.valueDecimal ?? answer.valueDate ?? answer.valueTime ?? answer.valueString;
  return value === undefined ? '' : String(value);
}
