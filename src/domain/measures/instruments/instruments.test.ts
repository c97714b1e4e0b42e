import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';
import { describe, expect, it } from 'vitest';
import { bandsCover } from '../scoring.js';
import { INSTRUMENT_KEYS, type Questionnaire, type QuestionnaireResponse } from '../types.js';
import { isPositiveFftAnswer } from './fft.js';
import {
  answerItemLinkIds,
  answersFromResponse,
  INSTRUMENT_BASE_URL,
  INSTRUMENTS,
  instrumentByUrl,
  isInstrumentKey,
  ORDINAL_VALUE_URL,
  ordinalOf,
  sameStructure,
} from './index.js';
import { CALCULATED_EXPRESSION_URL, questionItems } from './instrument.js';
import { SWEMWBS_METRIC, swemwbsMetric } from './swemwbs.js';

/** Answers of `count` items within [min, max] that add up to `total`, filled from the first. */
function summing(total: number, count: number, min: number, max: number): number[] {
  const answers = Array(count).fill(min) as number[];
  let left = total - min * count;
  for (let i = 0; i < count && left > 0; i++) {
    const add = Math.min(max - min, left);
    answers[i] = min + add;
    left -= add;
  }
  if (left !== 0) throw new Error(`cannot make ${total} from ${count} answers`);
  return answers;
}

const totalOf = (key: keyof typeof INSTRUMENTS, answers: number[]) =>
  INSTRUMENTS[key].score(answers).find((s) => s.key === 'total');

describe('PHQ-9 (Kroenke et al. 2001)', () => {
  it.each([
    [0, 'none'],
    [4, 'none'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately-severe'],
    [19, 'moderately-severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('a total of %i is %s', (total, band) => {
    expect(totalOf('phq9', summing(total, 9, 0, 3))).toEqual({
      key: 'total',
      label: 'Total',
      value: total,
      band,
    });
  });

  it('records the difficulty item without scoring it', () => {
    expect(totalOf('phq9', [...Array(9).fill(0), 3])?.value).toBe(0);
    expect(totalOf('phq9', [...Array(9).fill(3), 0])?.value).toBe(27);
    expect(totalOf('phq9', [1, 1, 1, 1, 1, 1, 1, 1, 1])).toMatchObject({ value: 9, band: 'mild' });
  });

  it('refuses a wrong count or an answer out of range, naming it', () => {
    expect(() => INSTRUMENTS.phq9.score(Array(8).fill(1))).toThrow(
      'answers: phq9 needs 9 answers (10 with the difficulty item), got 8',
    );
    expect(() => INSTRUMENTS.phq9.score(Array(11).fill(1))).toThrow(RangeError);
    expect(() => INSTRUMENTS.phq9.score([...Array(8).fill(1), 4])).toThrow(
      'answers.8: phq9 answers are whole numbers from 0 to 3, got 4',
    );
    expect(() => INSTRUMENTS.phq9.score([...Array(9).fill(1), 4])).toThrow(/answers\.9/);
  });

  it('carries the LOINC codes of LOINC’s own PHQ-9 form', () => {
    const q = INSTRUMENTS.phq9.questionnaire;
    expect(q.code?.[0]?.code).toBe('44249-1');
    expect(answerItemLinkIds(q)).toEqual([
      '44250-9',
      '44255-8',
      '44259-0',
      '44254-1',
      '44251-7',
      '44258-2',
      '44252-5',
      '44253-3',
      '44260-8',
      '69722-7',
    ]);
    expect(q.item?.find((i) => i.linkId === '44261-6')?.readOnly).toBe(true);
    expect(
      q.item?.find((i) => i.linkId === '44250-9')?.answerOption?.map((o) => o.valueCoding?.code),
    ).toEqual(['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9']);
  });
});

describe('GAD-7 (Spitzer et al. 2006)', () => {
  it.each([
    [0, 'none'],
    [4, 'none'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('a total of %i is %s', (total, band) => {
    expect(totalOf('gad7', summing(total, 7, 0, 3))).toMatchObject({ value: total, band });
  });

  it('takes an eighth, unscored difficulty answer and refuses other counts', () => {
    expect(totalOf('gad7', [...Array(7).fill(2), 3])?.value).toBe(14);
    expect(() => INSTRUMENTS.gad7.score(Array(6).fill(1))).toThrow(
      'answers: gad7 needs 7 answers (8 with the difficulty item), got 6',
    );
  });

  it('carries LOINC panel 69737-5 and total 70274-6', () => {
    const q = INSTRUMENTS.gad7.questionnaire;
    expect(q.code?.[0]?.code).toBe('69737-5');
    expect(answerItemLinkIds(q).slice(0, 7)).toEqual([
      '69725-0',
      '68509-9',
      '69733-4',
      '69734-2',
      '69735-9',
      '69689-8',
      '69736-7',
    ]);
    expect(INSTRUMENTS.gad7.scores[0]?.code?.code).toBe('70274-6');
  });
});

describe('SWEMWBS (University of Warwick conversion table)', () => {
  // The published table, raw total → metric score, written out again here on purpose: a slip in
  // either copy fails the test.
  const published: [number, number][] = [
    [7, 7.0],
    [8, 9.51],
    [9, 11.25],
    [10, 12.4],
    [11, 13.33],
    [12, 14.08],
    [13, 14.75],
    [14, 15.32],
    [15, 15.84],
    [16, 16.36],
    [17, 16.88],
    [18, 17.43],
    [19, 17.98],
    [20, 18.59],
    [21, 19.25],
    [22, 19.98],
    [23, 20.73],
    [24, 21.54],
    [25, 22.35],
    [26, 23.21],
    [27, 24.11],
    [28, 25.03],
    [29, 26.02],
    [30, 27.03],
    [31, 28.13],
    [32, 29.31],
    [33, 30.7],
    [34, 32.55],
    [35, 35.0],
  ];

  it('has all 29 values and nothing else', () => {
    expect(published).toHaveLength(29);
    expect(Object.keys(SWEMWBS_METRIC).map(Number)).toEqual(published.map(([raw]) => raw));
  });

  it.each(published)('converts a raw total of %i to %d', (raw, metric) => {
    expect(INSTRUMENTS.swemwbs.score(summing(raw, 7, 1, 5))).toEqual([
      { key: 'total', label: 'Raw total', value: raw, band: null },
      { key: 'metric', label: 'Metric score', value: metric, band: null },
    ]);
    expect(swemwbsMetric(raw)).toBe(metric);
  });

  it('refuses totals the table does not hold and answers out of 1–5', () => {
    expect(() => swemwbsMetric(6)).toThrow(RangeError);
    expect(() => swemwbsMetric(36)).toThrow(RangeError);
    expect(() => INSTRUMENTS.swemwbs.score([0, 1, 1, 1, 1, 1, 1])).toThrow(
      'answers.0: swemwbs answers are whole numbers from 1 to 5, got 0',
    );
    expect(() => INSTRUMENTS.swemwbs.score([5, 5, 5, 5, 5, 5, 6])).toThrow(/answers\.6/);
    expect(() => INSTRUMENTS.swemwbs.score([3, 3, 3])).toThrow('answers: swemwbs needs 7 answers, got 3');
  });

  it('ships the structure only', () => {
    const swemwbs = INSTRUMENTS.swemwbs;
    expect(swemwbs.wording).toBe('licence-required');
    const texts = questionItems(swemwbs.questionnaire.item).map(({ item }) => item.text);
    expect(texts).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `Statement ${n} of 7`));
  });
});

describe('ONS4 (ONS personal well-being thresholds)', () => {
  const positive: [number, string][] = [
    [0, 'low'],
    [4, 'low'],
    [5, 'medium'],
    [6, 'medium'],
    [7, 'high'],
    [8, 'high'],
    [9, 'very-high'],
    [10, 'very-high'],
  ];
  const anxiety: [number, string][] = [
    [0, 'very-low'],
    [1, 'very-low'],
    [2, 'low'],
    [3, 'low'],
    [4, 'medium'],
    [5, 'medium'],
    [6, 'high'],
    [10, 'high'],
  ];

  it.each(positive)('life satisfaction, worthwhile and happiness of %i are %s', (value, band) => {
    const scores = INSTRUMENTS.ons4.score([value, value, value, 0]);
    expect(scores.slice(0, 3).map((s) => [s.key, s.value, s.band])).toEqual([
      ['life-satisfaction', value, band],
      ['worthwhile', value, band],
      ['happiness', value, band],
    ]);
  });

  it.each(anxiety)('anxiety of %i is %s', (value, band) => {
    expect(INSTRUMENTS.ons4.score([10, 10, 10, value])[3]).toEqual({
      key: 'anxiety',
      label: 'Anxiety',
      value,
      band,
    });
  });

  it('reports each question separately and refuses answers above 10', () => {
    expect(INSTRUMENTS.ons4.score([7, 9, 4, 6]).map((s) => s.band)).toEqual([
      'high',
      'very-high',
      'low',
      'high',
    ]);
    expect(() => INSTRUMENTS.ons4.score([7, 9, 4, 11])).toThrow(
      'answers.3: ons4 answers are whole numbers from 0 to 10, got 11',
    );
  });
});

describe('CollaboRATE (top box: 9 on all three)', () => {
  it.each([
    [[9, 9, 9], 27, 'top-box'],
    [[9, 9, 8], 26, 'below-top-box'],
    [[8, 9, 9], 26, 'below-top-box'],
    [[0, 0, 0], 0, 'below-top-box'],
  ])('%j totals %i, %s', (answers, total, band) => {
    expect(INSTRUMENTS.collaborate.score(answers)).toEqual([
      { key: 'total', label: 'Total', value: total, band },
    ]);
  });

  it('refuses 10', () => {
    expect(() => INSTRUMENTS.collaborate.score([9, 9, 10])).toThrow(
      /answers\.2: collaborate .* 0 to 9, got 10/,
    );
  });
});

describe('Friends and Family Test', () => {
  it.each([
    [1, 'very-good', true],
    [2, 'good', true],
    [3, 'neither', false],
    [4, 'poor', false],
    [5, 'very-poor', false],
    [6, 'dont-know', false],
  ])('answer %i is %s (positive: %s)', (answer, code, positive) => {
    const [score] = INSTRUMENTS.fft.score([answer]);
    expect(score).toMatchObject({ key: 'response', band: code });
    expect(isPositiveFftAnswer(score?.band ?? null)).toBe(positive);
  });

  it('refuses 0, 7 and two answers', () => {
    expect(() => INSTRUMENTS.fft.score([0])).toThrow(RangeError);
    expect(() => INSTRUMENTS.fft.score([7])).toThrow(RangeError);
    expect(() => INSTRUMENTS.fft.score([1, 2])).toThrow('answers: fft needs 1 answer, got 2');
  });
});

describe('every built-in instrument', () => {
  it.each(INSTRUMENT_KEYS.map((k) => [k]))(
    '%s is a self-describing Questionnaire at its canonical url',
    (key) => {
      const instrument = INSTRUMENTS[key];
      expect(instrument.key).toBe(key);
      expect(instrument.questionnaire.url).toBe(`${INSTRUMENT_BASE_URL}/${key}`);
      expect(instrumentByUrl(`${INSTRUMENT_BASE_URL}/${key}`)).toBe(instrument);
      expect(instrumentByUrl(`${INSTRUMENT_BASE_URL}/${key}|1`)).toBe(instrument);
      const linkIds = questionItems(instrument.questionnaire.item).map(({ item }) => item.linkId);
      expect(new Set(linkIds).size).toBe(linkIds.length);
      const answerItems = answerItemLinkIds(instrument.questionnaire);
      expect(answerItems).toHaveLength(instrument.scoredItemCount + instrument.unscoredItems.length);
      for (const { item } of questionItems(instrument.questionnaire.item)) {
        for (const option of item.answerOption ?? []) {
          expect(option.valueCoding?.system, item.linkId).toBeTruthy();
          expect(option.valueCoding?.code, item.linkId).toBeTruthy();
          expect(option.extension?.[0]?.url).toBe(ORDINAL_VALUE_URL);
          const ordinal = ordinalOf(option);
          expect(ordinal).not.toBeNull();
          expect(ordinal).toBeGreaterThanOrEqual(instrument.itemRange.min);
          expect(ordinal).toBeLessThanOrEqual(instrument.itemRange.max);
        }
      }
      expect(
        instrument.licence.holder && instrument.licence.source && instrument.licence.notice,
      ).toBeTruthy();
    },
  );

  it.each(INSTRUMENT_KEYS.map((k) => [k]))('%s has bands that cover each banded score exactly', (key) => {
    const instrument = INSTRUMENTS[key];
    for (const [scoreKey, bands] of Object.entries(instrument.bands)) {
      const definition = instrument.scores.find((s) => s.key === scoreKey);
      expect(definition, scoreKey).toBeDefined();
      expect(bandsCover(bands, definition?.min ?? Number.NaN, definition?.max ?? Number.NaN), scoreKey).toBe(
        true,
      );
    }
  });

  it('ships wording only where the owner permits it', () => {
    expect(Object.fromEntries(INSTRUMENT_KEYS.map((k) => [k, INSTRUMENTS[k].wording]))).toEqual({
      phq9: 'shipped',
      gad7: 'shipped',
      swemwbs: 'licence-required',
      ons4: 'shipped',
      collaborate: 'licence-required',
      fft: 'shipped',
    });
  });

  it('knows its keys and no others', () => {
    expect(isInstrumentKey('phq9')).toBe(true);
    expect(isInstrumentKey('phq10')).toBe(false);
    expect(instrumentByUrl('https://example.org/fhir/Questionnaire/phq9')).toBeNull();
  });
});

describe('the PHQ-9 and GAD-7 totals compute themselves with their calculatedExpression', () => {
  const respond = (q: Questionnaire, answers: number[]): QuestionnaireResponse => ({
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    item: answerItemLinkIds(q).flatMap((linkId, i) => {
      const option = questionItems(q.item)
        .find(({ item }) => item.linkId === linkId)
        ?.item.answerOption?.find((o) => ordinalOf(o) === answers[i]);
      return option?.valueCoding ? [{ linkId, answer: [{ valueCoding: option.valueCoding }] }] : [];
    }),
  });

  it.each([
    ['phq9', [0, 1, 2, 3, 3, 2, 1, 0, 1, 3], '44261-6'],
    ['gad7', [3, 3, 2, 1, 0, 0, 2, 3], '70274-6'],
  ] as const)('%s', (key, answers, totalLinkId) => {
    const q = INSTRUMENTS[key].questionnaire;
    const expression = q.item
      ?.find((i) => i.linkId === totalLinkId)
      ?.extension?.find((e) => e.url === CALCULATED_EXPRESSION_URL)?.valueExpression?.expression;
    const response = respond(q, [...answers]);
    // Without async functions in the expression fhirpath.js answers synchronously, with an array.
    const computed = fhirpath.evaluate(
      response,
      expression ?? '',
      { resource: response, questionnaire: q },
      r4,
    );
    expect(Array.isArray(computed) ? computed[0] : undefined).toBe(totalOf(key, [...answers])?.value);
    // The response reads back to the same answers.
    expect(answersFromResponse(INSTRUMENTS[key], response)).toEqual(answers);
  });
});

describe('answersFromResponse', () => {
  const phq9 = INSTRUMENTS.phq9;
  const item = (linkId: string, code: string) => ({
    linkId,
    answer: [{ valueCoding: { system: 'http://loinc.org', code } }],
  });
  const nine = answerItemLinkIds(phq9.questionnaire).slice(0, 9);

  it('leaves out an unanswered unscored item', () => {
    const response: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      item: nine.map((linkId) => item(linkId, 'LA6569-3')),
    };
    expect(answersFromResponse(phq9, response)).toEqual(Array(9).fill(1));
  });

  it('names an unanswered scored item and an answer that is not one of the item’s', () => {
    const missing: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      item: nine.slice(1).map((linkId) => item(linkId, 'LA6569-3')),
    };
    expect(() => answersFromResponse(phq9, missing)).toThrow('item "44250-9" is not answered');
    const wrong: QuestionnaireResponse = {
      ...missing,
      item: nine.map((linkId, i) => item(linkId, i === 4 ? 'LA9999-9' : 'LA6569-3')),
    };
    expect(() => answersFromResponse(phq9, wrong)).toThrow(/item "44251-7": LA9999-9/);
  });
});

describe('sameStructure', () => {
  const builtIn = INSTRUMENTS.swemwbs.questionnaire;
  const copy = (): Questionnaire => structuredClone(builtIn) as Questionnaire;

  it('accepts the same structure with other words and extra display items', () => {
    const loaded = copy();
    for (const [n, item] of (loaded.item ?? []).entries()) {
      item.text = `The licensed statement ${n + 1}`;
      for (const option of item.answerOption ?? []) {
        if (option.valueCoding) option.valueCoding.display = 'Licensed label';
      }
    }
    loaded.item?.unshift({ linkId: 'instructions', type: 'display', text: 'Licensed instructions' });
    expect(sameStructure(builtIn, loaded)).toEqual([]);
    expect(sameStructure(builtIn, copy())).toEqual([]);
  });

  it('lists missing and extra items, other answer codes and ordinal values, and another url', () => {
    const loaded = copy();
    loaded.url = 'https://example.org/Questionnaire/swemwbs';
    loaded.item = (loaded.item ?? []).filter((i) => i.linkId !== 'swemwbs-7');
    loaded.item.push({ linkId: 'swemwbs-8', type: 'choice', text: 'Extra' });
    const first = loaded.item[0];
    const [one, two] = first?.answerOption ?? [];
    if (one?.valueCoding) one.valueCoding.code = 'none-of-the-time';
    if (two?.extension?.[0]) two.extension[0].valueDecimal = 7;
    const second = loaded.item[1];
    if (second) second.type = 'integer';
    expect(sameStructure(builtIn, loaded)).toEqual([
      `url: expected ${builtIn.url}, got https://example.org/Questionnaire/swemwbs`,
      'item "swemwbs-7" is missing',
      'item "swemwbs-8" is not in the built-in',
      `item "swemwbs-1": answer 1 (${one?.valueCoding?.system}) is missing`,
      `item "swemwbs-1": answer 2 (${one?.valueCoding?.system}) has ordinal value 7, the built-in's 2`,
      `item "swemwbs-1": answer none-of-the-time (${one?.valueCoding?.system}) is not in the built-in`,
      'item "swemwbs-2" is of type integer, the built-in\'s choice',
    ]);
  });

  it('notices an item moved into a group', () => {
    const loaded = copy();
    const moved = loaded.item?.pop();
    loaded.item?.push({ linkId: 'g', type: 'group', item: moved ? [moved] : [] });
    expect(sameStructure(builtIn, loaded)).toEqual([
      'item "g" is not in the built-in',
      'item "swemwbs-7" sits in "g", the built-in\'s in the top level',
    ]);
  });
});
