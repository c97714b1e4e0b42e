import { describe, expect, it } from 'vitest';
import type { EnableWhen, Questionnaire, ResponseAnswer } from '../types.js';
import { conditionHolds, enabledItems } from './enable-when.js';

const int = (n: number): ResponseAnswer => ({ valueInteger: n });
const when = (operator: EnableWhen['operator'], rest: Partial<EnableWhen>): EnableWhen => ({
  question: 'q',
  operator,
  ...rest,
});

describe('conditionHolds (the operators as FHIR defines them)', () => {
  it('exists compares having an answer with answerBoolean', () => {
    expect(conditionHolds(when('exists', { answerBoolean: true }), [int(1)])).toBe(true);
    expect(conditionHolds(when('exists', { answerBoolean: true }), [])).toBe(false);
    expect(conditionHolds(when('exists', { answerBoolean: false }), [])).toBe(true);
    expect(conditionHolds(when('exists', { answerBoolean: false }), [int(1)])).toBe(false);
  });

  it('compares numbers on both sides of each boundary', () => {
    const at = (op: EnableWhen['operator'], n: number) =>
      conditionHolds(when(op, { answerInteger: 5 }), [int(n)]);
    expect([at('=', 5), at('=', 4)]).toEqual([true, false]);
    expect([at('!=', 5), at('!=', 4)]).toEqual([false, true]);
    expect([at('>', 6), at('>', 5)]).toEqual([true, false]);
    expect([at('<', 4), at('<', 5)]).toEqual([true, false]);
    expect([at('>=', 5), at('>=', 4)]).toEqual([true, false]);
    expect([at('<=', 5), at('<=', 6)]).toEqual([true, false]);
    expect(conditionHolds(when('>', { answerDecimal: 1.5 }), [{ valueDecimal: 1.6 }])).toBe(true);
  });

  it('is false without an answer, except != which holds when no answer equals', () => {
    for (const op of ['=', '>', '<', '>=', '<='] as const) {
      expect(conditionHolds(when(op, { answerInteger: 1 }), [])).toBe(false);
    }
    expect(conditionHolds(when('!=', { answerInteger: 1 }), [])).toBe(true);
    // An answer[x] the engine does not compare is never met, whatever the operator.
    const time = { answerTime: '09:00:00' } as Partial<EnableWhen>;
    expect(conditionHolds(when('!=', time), [{ valueTime: '10:00:00' }])).toBe(false);
  });

  it('matches codings by system and code, dates and strings by value, any of several answers', () => {
    const coding = { system: 'http://loinc.org', code: 'LA33-6' };
    expect(
      conditionHolds(when('=', { answerCoding: coding }), [{ valueCoding: { ...coding, display: 'Yes' } }]),
    ).toBe(true);
    expect(
      conditionHolds(when('=', { answerCoding: coding }), [
        { valueCoding: { system: 'http://other', code: 'LA33-6' } },
      ]),
    ).toBe(false);
    expect(conditionHolds(when('=', { answerCoding: { code: 'LA33-6' } }), [{ valueCoding: coding }])).toBe(
      true,
    );
    expect(conditionHolds(when('>', { answerDate: '2026-01-01' }), [{ valueDate: '2026-03-27' }])).toBe(true);
    expect(
      conditionHolds(when('=', { answerString: 'x' }), [{ valueString: 'y' }, { valueString: 'x' }]),
    ).toBe(true);
    expect(conditionHolds(when('=', { answerBoolean: true }), [{ valueBoolean: false }])).toBe(false);
  });
});

describe('enabledItems', () => {
  const questionnaire: Questionnaire = {
    resourceType: 'Questionnaire',
    status: 'active',
    item: [
      { linkId: 'smoke', type: 'boolean', text: 'Do you smoke?' },
      {
        linkId: 'how-many',
        type: 'integer',
        text: 'How many a day?',
        enableWhen: [{ question: 'smoke', operator: '=', answerBoolean: true }],
      },
      {
        linkId: 'advice',
        type: 'group',
        text: 'Advice',
        enableWhen: [{ question: 'how-many', operator: '>', answerInteger: 10 }],
        item: [{ linkId: 'wants-help', type: 'boolean', text: 'Would you like help?' }],
      },
      {
        linkId: 'either',
        type: 'string',
        text: 'Either',
        enableBehavior: 'any',
        enableWhen: [
          { question: 'smoke', operator: '=', answerBoolean: false },
          { question: 'how-many', operator: 'exists', answerBoolean: true },
        ],
      },
    ],
  };
  const answers = (entries: [string, ResponseAnswer[]][]) => new Map(entries);

  it('disables a group and its items, and drops their answers', () => {
    const given = answers([
      ['smoke', [{ valueBoolean: true }]],
      ['how-many', [int(5)]],
      ['wants-help', [{ valueBoolean: true }]],
    ]);
    const { enabled, answers: kept } = enabledItems(questionnaire, given);
    expect(enabled.has('advice')).toBe(false);
    expect(enabled.has('wants-help')).toBe(false);
    expect(kept.has('wants-help')).toBe(false);
    expect(enabled.has('either')).toBe(true);
  });

  it('drops answers of items whose own condition depends on a disabled item, until nothing changes', () => {
    const given = answers([
      ['smoke', [{ valueBoolean: false }]],
      ['how-many', [int(20)]],
      ['wants-help', [{ valueBoolean: true }]],
    ]);
    const { enabled, answers: kept } = enabledItems(questionnaire, given);
    expect([...kept.keys()]).toEqual(['smoke']);
    expect(enabled.has('how-many')).toBe(false);
    expect(enabled.has('advice')).toBe(false);
    expect(enabled.has('either')).toBe(true);
  });
});
