import { answerItemLinkIds, ordinalOf } from './instruments/index.js';
import { sameOptionValue } from './questionnaire/analyse.js';
import { enabledItems } from './questionnaire/enable-when.js';
import { isEntered } from './questionnaire/form.js';
import { answersOf, buildResponse, itemsByLinkId, itemsWithAncestors } from './questionnaire/response.js';
import type { Questionnaire, QuestionnaireItem, QuestionnaireResponse, ResponseAnswer } from './types.js';

/**
 * Between a built-in instrument's answers as numbers (what `calc score` and the API's `answers`
 * take) and a QuestionnaireResponse (what is stored), and the checks a response sent whole must
 * pass before it is stored: every question the form would have required answered, and every
 * choice one the questionnaire offers. A refusal names the field (`answers.3`, `response.item`).
 */

export interface AnswerProblem {
  field: string;
  message: string;
}

/**
 * A built-in instrument's answers as numbers (in the order its `score()` takes them) as the response
 * holding them: each answer the option whose ordinal value it is. `answersFromResponse` (the
 * instruments' module) reads them back.
 */
export function responseFromAnswers(
  questionnaire: Questionnaire,
  answers: readonly number[],
  authored: string,
): { response: QuestionnaireResponse } | { problem: AnswerProblem } {
  const byId = itemsByLinkId(questionnaire);
  const items = answerItemLinkIds(questionnaire).map((linkId) => byId.get(linkId) as QuestionnaireItem);
  if (answers.length > items.length) {
    return {
      problem: { field: 'answers', message: `takes at most ${items.length} answers, got ${answers.length}` },
    };
  }
  const byLinkId = new Map<string, ResponseAnswer[]>();
  for (const [index, value] of answers.entries()) {
    const item = items[index] as QuestionnaireItem;
    {
      const chosen = item.answerOption?.find((o) => ordinalOf(o) === value);
      if (!chosen?.valueCoding) {
        const values = (item.answerOption ?? []).map(ordinalOf).filter((v) => v !== null);
        return {
          problem: {
            field: `answers.${index}`,
            message: `must be one of ${values.join(', ')}, got ${value}`,
          },
        };
      }
      byLinkId.set(item.linkId, [{ valueCoding: chosen.valueCoding }]);
    }
  }
  return { response: buildResponse(questionnaire, byLinkId, { status: 'completed', authored }) };
}

/**
 * What is wrong with a response sent whole for this questionnaire, or null: an item it does not
 * have, a required question left unanswered while enabled, a choice it does not offer.
 */
export function responseProblem(
  questionnaire: Questionnaire,
  response: QuestionnaireResponse,
): AnswerProblem | null {
  const items = new Map([...itemsWithAncestors(questionnaire.item)].map(({ item }) => [item.linkId, item]));
  const given = answersOf(response);
  for (const linkId of given.keys()) {
    if (!items.has(linkId))
      return { field: 'response.item', message: `${linkId} is not a question of this questionnaire` };
  }
  const { enabled, answers } = enabledItems(questionnaire, given);
  for (const { item } of itemsWithAncestors(questionnaire.item)) {
    if (!isEntered(item)) continue;
    if (!enabled.has(item.linkId)) continue;
    const values = answers.get(item.linkId) ?? [];
    if (item.required && values.length === 0) {
      return {
        field: 'response.item',
        message: `${item.linkId} (${item.text ?? 'a required question'}) is not answered`,
      };
    }
    if (item.type === 'choice' && item.answerOption?.length) {
      for (const value of values) {
        if (!item.answerOption.some((o) => sameOptionValue(o, value))) {
          return {
            field: 'response.item',
            message: `${item.linkId}: that answer is not one of the question’s options`,
          };
        }
      }
    }
  }
  return null;
}
