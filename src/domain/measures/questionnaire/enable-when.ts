import type { EnableWhen, Questionnaire, QuestionnaireItem, ResponseAnswer } from '../types.js';
import { type Answers, itemsWithAncestors } from './response.js';

/**
 * enableWhen, as FHIR R4 defines it (http://hl7.org/fhir/R4/questionnaire-definitions.html#Questionnaire.item.enableWhen)
 * with the operators' published definitions (http://hl7.org/fhir/questionnaire-enable-operator):
 * `exists` compares whether the question has an answer with answerBoolean; `=`, `>`, `<`, `>=`,
 * `<=` are true when at least one answer satisfies them; `!=` is true when no answer equals the
 * value (so also when there is no answer). enableBehavior `all` (the default of a single
 * condition) needs every condition, `any` one of them. An item inside a disabled group is
 * disabled, and the answers of a disabled item do not count towards other conditions.
 */

/** The value of an enableWhen's answer[x], with the name of the type it is. */
export function enableWhenValue(condition: EnableWhen): { kind: string; value: unknown } | null {
  const kinds = [
    'answerBoolean',
    'answerDecimal',
    'answerInteger',
    'answerDate',
    'answerString',
    'answerCoding',
  ] as const;
  for (const kind of kinds) {
    if (condition[kind] !== undefined) return { kind, value: condition[kind] };
  }
  return null;
}

function answerScalar(answer: ResponseAnswer): unknown {
  return (
    answer.valueBoolean ??
    answer.valueDecimal ??
    answer.valueInteger ??
    answer.valueDate ??
    answer.valueDateTime ??
    answer.valueString ??
    answer.valueTime ??
    answer.valueCoding
  );
}

function compare(answer: ResponseAnswer, condition: EnableWhen): number | null {
  const expected = enableWhenValue(condition);
  if (!expected) return null;
  if (expected.kind === 'answerCoding') {
    const want = expected.value as { system?: string; code?: string };
    const got = answer.valueCoding;
    if (!got) return null;
    const sameSystem = !want.system || !got.system || want.system === got.system;
    return sameSystem && want.code === got.code ? 0 : 1;
  }
  const got = answerScalar(answer);
  const want = expected.value;
  if (typeof got === 'number' && typeof want === 'number') return got - want;
  if (typeof got === 'string' && typeof want === 'string') return got < want ? -1 : got > want ? 1 : 0;
  if (typeof got === 'boolean' && typeof want === 'boolean') return got === want ? 0 : 1;
  return null;
}

/** Whether one condition holds over the (enabled) answers of its question. */
export function conditionHolds(condition: EnableWhen, answers: readonly ResponseAnswer[]): boolean {
  if (condition.operator === 'exists') return answers.length > 0 === (condition.answerBoolean === true);
  // A condition on a kind of answer the engine does not compare (answerTime…) is never met;
  // import lists it.
  if (!enableWhenValue(condition)) return false;
  const results = answers.map((a) => compare(a, condition));
  switch (condition.operator) {
    case '=':
      return results.some((r) => r === 0);
    case '!=':
      return !results.some((r) => r === 0);
    case '>':
      return results.some((r) => r !== null && r > 0);
    case '<':
      return results.some((r) => r !== null && r < 0);
    case '>=':
      return results.some((r) => r !== null && r >= 0);
    case '<=':
      return results.some((r) => r !== null && r <= 0);
    default:
      return false;
  }
}

function ownConditionsHold(item: QuestionnaireItem, answers: Answers): boolean {
  const conditions = item.enableWhen ?? [];
  if (!conditions.length) return true;
  const holds = conditions.map((c) => conditionHolds(c, answers.get(c.question) ?? []));
  return item.enableBehavior === 'any' ? holds.some(Boolean) : holds.every(Boolean);
}

/**
 * The linkIds of the items that are enabled, given the answers; and the answers with those of
 * disabled items dropped. Conditions may depend on items that are themselves disabled, so this
 * repeats until nothing changes (at most once per item).
 */
export function enabledItems(
  questionnaire: Questionnaire,
  answers: Answers,
): { enabled: Set<string>; answers: Answers } {
  let current: Answers = new Map(answers);
  const entries = [...itemsWithAncestors(questionnaire.item)];
  for (let round = 0; round <= entries.length; round++) {
    const enabled = new Set<string>();
    for (const { item, ancestors } of entries) {
      if (ancestors.every((a) => enabled.has(a.linkId)) && ownConditionsHold(item, current)) {
        enabled.add(item.linkId);
      }
    }
    const kept: Answers = new Map([...current].filter(([linkId]) => enabled.has(linkId)));
    if (kept.size === current.size) return { enabled, answers: kept };
    current = kept;
  }
  return { enabled: new Set(), answers: new Map() };
}
