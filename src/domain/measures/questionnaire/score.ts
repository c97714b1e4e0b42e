import type {
  MeasureScore,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  ResponseAnswer,
} from '../types.js';
import { enabledItems } from './enable-when.js';
import { evaluateExpression } from './expressions.js';
import { calculatedExpressionOf, FHIRPATH_LANGUAGE, optionOrdinal, variablesOf } from './extensions.js';
import { sameOptionValue } from './options.js';
import { type Answers, answersOf, buildResponse, itemsWithAncestors, responseItem } from './response.js';

/**
 * Scoring an imported Questionnaire by its own rules, as an SDC form filler would:
 *
 * - every item with a text/fhirpath calculatedExpression is worked out in document order (so one
 *   may use another), with the SDC `variable`s of the questionnaire, of the item's groups and of
 *   the item in scope, `%resource` the response, `%questionnaire` the questionnaire and `%context`
 *   the item's response item; `weight()`/`ordinal()` read the options' ordinalValue/itemWeight.
 *   Each numeric (integer or decimal) calculated item that yields a number is a score, keyed by
 *   the item's linkId and labelled with its text (else its first code's display, else its linkId);
 * - a questionnaire with no numeric calculated item whose answer options carry ordinalValue or
 *   itemWeight scores the sum of the chosen options' values over the enabled answered items:
 *   key 'total', label 'Total score'; no answer with a value, no score.
 *
 * Imported questionnaires have no bands: `band` is null. Answers of disabled items count for
 * nothing, and answers the response holds for calculated items are worked out again, never trusted.
 */

export const SUM_SCORE_KEY = 'total';

const isNumeric = (item: QuestionnaireItem) => item.type === 'integer' || item.type === 'decimal';

/** The items whose value is worked out by a fhirpath calculatedExpression, in document order. */
export function calculatedItems(questionnaire: Questionnaire): QuestionnaireItem[] {
  return [...itemsWithAncestors(questionnaire.item)]
    .map(({ item }) => item)
    .filter((item) => calculatedExpressionOf(item)?.language === FHIRPATH_LANGUAGE);
}

function answerFor(item: QuestionnaireItem, value: unknown): ResponseAnswer | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (item.type === 'integer' && Number.isInteger(value)) return { valueInteger: value };
    if (item.type === 'integer' || item.type === 'decimal') return { valueDecimal: value };
    if (item.type === 'string' || item.type === 'text') return { valueString: String(value) };
    return null;
  }
  if (typeof value === 'boolean' && item.type === 'boolean') return { valueBoolean: value };
  if (typeof value === 'string') {
    if (item.type === 'string' || item.type === 'text') return { valueString: value };
    if (item.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { valueDate: value };
    return null;
  }
  if (typeof value === 'object' && value !== null && item.type === 'choice') {
    const coding = value as { system?: string; code?: string; display?: string };
    const option = item.answerOption?.find((o) => sameOptionValue(o, { valueCoding: coding }));
    return option?.valueCoding ? { valueCoding: option.valueCoding } : null;
  }
  return null;
}

/**
 * The answers with every calculated item worked out (disabled calculated items get none). An
 * expression that fails on these answers gives its item no value rather than stop the person
 * saving what they answered; import compiled and tried every expression already.
 */
export function withCalculatedAnswers(
  questionnaire: Questionnaire,
  answers: Answers,
  onError: (item: QuestionnaireItem, error: Error) => void = () => {},
): Answers {
  const result: Answers = new Map(answers);
  const calculated = new Set(calculatedItems(questionnaire).map((i) => i.linkId));
  if (!calculated.size) return result;
  for (const linkId of calculated) result.delete(linkId);
  const { enabled } = enabledItems(questionnaire, result);
  for (const { item, ancestors } of itemsWithAncestors(questionnaire.item)) {
    if (!calculated.has(item.linkId) || !enabled.has(item.linkId)) continue;
    const expression = calculatedExpressionOf(item)?.expression;
    if (!expression) continue;
    const response = buildResponse(questionnaire, result);
    const env: Record<string, unknown> = {
      resource: response,
      rootResource: response,
      questionnaire,
    };
    try {
      for (const holder of [questionnaire, ...ancestors, item]) {
        const context =
          holder === questionnaire
            ? response
            : (responseItem(response, (holder as QuestionnaireItem).linkId) ?? response);
        for (const variable of variablesOf(holder)) {
          if (variable.language !== FHIRPATH_LANGUAGE || !variable.name || !variable.expression) continue;
          env[variable.name] = evaluateExpression(variable.expression, context, { ...env, context });
        }
      }
      const context = responseItem(response, item.linkId) ?? response;
      const [value] = evaluateExpression(expression, context, { ...env, context, qitem: item });
      const answer = answerFor(item, value);
      if (answer) result.set(item.linkId, [answer]);
    } catch (error) {
      // No value: see above.
      onError(item, error as Error);
    }
  }
  return result;
}

function labelOf(item: QuestionnaireItem): string {
  return item.text ?? item.code?.find((c) => c.display)?.display ?? item.linkId;
}

/** The sum of the chosen options' ordinal values, or null when no answer carries one. */
export function ordinalSum(questionnaire: Questionnaire, answers: Answers): number | null {
  let total = 0;
  let counted = 0;
  for (const { item } of itemsWithAncestors(questionnaire.item)) {
    if (item.type !== 'choice') continue;
    for (const answer of answers.get(item.linkId) ?? []) {
      const option = item.answerOption?.find((o) => sameOptionValue(o, answer));
      const ordinal = option ? optionOrdinal(option) : null;
      if (ordinal !== null) {
        total += ordinal;
        counted++;
      }
    }
  }
  return counted ? total : null;
}

/** Whether any answer option carries an ordinalValue or itemWeight. */
export function hasOrdinals(questionnaire: Questionnaire): boolean {
  for (const { item } of itemsWithAncestors(questionnaire.item)) {
    if (item.answerOption?.some((o) => optionOrdinal(o) !== null)) return true;
  }
  return false;
}

/** How a questionnaire is scored by its own content: 'calculated', 'ordinal sum' or not at all. */
export function scoringOf(questionnaire: Questionnaire): 'calculated' | 'ordinal-sum' | 'none' {
  if (calculatedItems(questionnaire).some(isNumeric)) return 'calculated';
  return hasOrdinals(questionnaire) ? 'ordinal-sum' : 'none';
}

/** The scores of a response, by the questionnaire's own expressions or ordinal values (above). */
export function scoreQuestionnaire(
  questionnaire: Questionnaire,
  response: QuestionnaireResponse,
): MeasureScore[] {
  const { answers } = enabledItems(questionnaire, answersOf(response));
  const scoring = scoringOf(questionnaire);
  if (scoring === 'calculated') {
    const all = withCalculatedAnswers(questionnaire, answers);
    return calculatedItems(questionnaire)
      .filter(isNumeric)
      .flatMap((item) => {
        const answer = all.get(item.linkId)?.[0];
        const value = answer?.valueDecimal ?? answer?.valueInteger;
        return typeof value === 'number'
          ? [{ key: item.linkId, label: labelOf(item), value, band: null }]
          : [];
      });
  }
  if (scoring === 'ordinal-sum') {
    const total = ordinalSum(questionnaire, answers);
    return total === null ? [] : [{ key: SUM_SCORE_KEY, label: 'Total score', value: total, band: null }];
  }
  return [];
}
