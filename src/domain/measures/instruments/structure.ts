import type { Coding, Questionnaire, QuestionnaireResponse, ResponseItem } from '../types.js';
import { type Instrument, ordinalOf, questionItems } from './instrument.js';

/**
 * The structure of a Questionnaire — what a stored response and its score depend on — apart from
 * its words: linkIds, where each item sits, its type, and each answer's code and ordinal value.
 * An organisation holding a licence loads an instrument's wording by importing a Questionnaire with
 * the built-in's url; the wording may replace the built-in's text only when the structure is the
 * same, so that responses already stored keep their meaning and score the same way.
 */

const codingKey = (coding: Coding | undefined) => `${coding?.system ?? ''}|${coding?.code ?? ''}`;
const describe = (coding: Coding | undefined) =>
  coding?.system ? `${coding.code ?? ''} (${coding.system})` : (coding?.code ?? '(no code)');

/**
 * The structural differences between a built-in Questionnaire and one loaded to give it wording,
 * one sentence each; empty means the loaded Questionnaire's text may replace the built-in's.
 * Display items are words only, so they may differ freely.
 */
export function sameStructure(builtIn: Questionnaire, loaded: Questionnaire): string[] {
  const differences: string[] = [];
  if (builtIn.url !== loaded.url)
    differences.push(`url: expected ${builtIn.url}, got ${loaded.url ?? '(none)'}`);
  const structural = (q: Questionnaire) =>
    new Map(
      questionItems(q.item)
        .filter(({ item }) => item.type !== 'display')
        .map((e) => [e.item.linkId, e]),
    );
  const expected = structural(builtIn);
  const actual = structural(loaded);
  for (const linkId of expected.keys()) {
    if (!actual.has(linkId)) differences.push(`item "${linkId}" is missing`);
  }
  for (const linkId of actual.keys()) {
    if (!expected.has(linkId)) differences.push(`item "${linkId}" is not in the built-in`);
  }
  for (const [linkId, want] of expected) {
    const got = actual.get(linkId);
    if (!got) continue;
    if (want.parent !== got.parent) {
      differences.push(
        `item "${linkId}" sits in ${got.parent ? `"${got.parent}"` : 'the top level'}, the built-in's in ${want.parent ? `"${want.parent}"` : 'the top level'}`,
      );
    }
    if (want.item.type !== got.item.type) {
      differences.push(`item "${linkId}" is of type ${got.item.type}, the built-in's ${want.item.type}`);
    }
    const options = (item: typeof want.item) =>
      new Map((item.answerOption ?? []).map((o) => [codingKey(o.valueCoding), { o, ordinal: ordinalOf(o) }]));
    const wantOptions = options(want.item);
    const gotOptions = options(got.item);
    for (const [key, { o, ordinal }] of wantOptions) {
      const other = gotOptions.get(key);
      if (!other) differences.push(`item "${linkId}": answer ${describe(o.valueCoding)} is missing`);
      else if (other.ordinal !== ordinal) {
        differences.push(
          `item "${linkId}": answer ${describe(o.valueCoding)} has ordinal value ${other.ordinal ?? '(none)'}, the built-in's ${ordinal ?? '(none)'}`,
        );
      }
    }
    for (const [key, { o }] of gotOptions) {
      if (!wantOptions.has(key))
        differences.push(`item "${linkId}": answer ${describe(o.valueCoding)} is not in the built-in`);
    }
  }
  return differences;
}

/** The items a person answers with a choice, in the order `score()` takes their answers. */
export const answerItemLinkIds = (questionnaire: Questionnaire): string[] =>
  questionItems(questionnaire.item)
    .filter(({ item }) => item.type === 'choice' && (item.answerOption?.length ?? 0) > 0)
    .map(({ item }) => item.linkId);

function responseAnswers(items: readonly ResponseItem[] | undefined, into = new Map<string, Coding>()) {
  for (const item of items ?? []) {
    const coding = item.answer?.[0]?.valueCoding;
    if (coding && !into.has(item.linkId)) into.set(item.linkId, coding);
    responseAnswers(item.item, into);
  }
  return into;
}

/**
 * The ordinal values of a QuestionnaireResponse's answers, ready for the instrument's `score()`:
 * every scored item must be answered with one of its answer codes; an unscored item (the PHQ-9's
 * difficulty) is included when answered. Throws a RangeError naming the item otherwise.
 */
export function answersFromResponse(instrument: Instrument, response: QuestionnaireResponse): number[] {
  const given = responseAnswers(response.item);
  const byLinkId = new Map(
    questionItems(instrument.questionnaire.item).map(({ item }) => [item.linkId, item]),
  );
  const answers: number[] = [];
  for (const [index, linkId] of answerItemLinkIds(instrument.questionnaire).entries()) {
    const coding = given.get(linkId);
    const scored = index < instrument.scoredItemCount;
    if (!coding) {
      if (scored) throw new RangeError(`item "${linkId}" is not answered`);
      break;
    }
    const chosen = byLinkId
      .get(linkId)
      ?.answerOption?.find((o) => codingKey(o.valueCoding) === codingKey(coding));
    const ordinal = chosen ? ordinalOf(chosen) : null;
    if (ordinal === null)
      throw new RangeError(`item "${linkId}": ${describe(coding)} is not one of its answers`);
    answers.push(ordinal);
  }
  return answers;
}
