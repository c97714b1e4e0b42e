import { describe, expect, it } from 'vitest';
import {
  bestThreshold,
  type CoderModel,
  type CodingExample,
  codeText,
  confidenceSlope,
  evaluateCoder,
  scoreCoding,
  trainCoder,
} from './coder.js';

/** A small labelled set written for these tests: two custom labels and two framework themes. */
function examples(): CodingExample[] {
  const rows: CodingExample[] = [];
  const parking = [
    'Could not find a parking space anywhere',
    'The car park was full again',
    'Parking costs too much',
  ];
  const food = [
    'The food was cold and bland',
    'Lovely hot meals every day',
    'No choice on the menu at lunch',
  ];
  const billing = [
    'The invoice was wrong',
    'I was charged twice on my invoice',
    'Nobody could explain the invoice',
  ];
  const garden = ['The garden was beautiful', 'We sat in the garden in the sun', 'The garden needs weeding'];
  for (let i = 0; i < 12; i++) {
    rows.push({ text: parking[i % 3] as string, codes: ['travel-transport-parking'], sentiment: 2 });
    rows.push({ text: food[i % 3] as string, codes: ['Food'], sentiment: i % 3 === 1 ? 5 : 2 });
    rows.push({ text: billing[i % 3] as string, codes: ['billing'], sentiment: 1 });
    rows.push({ text: garden[i % 3] as string, codes: ['garden'], sentiment: 4 });
    rows.push({
      text: `${parking[i % 3]}. ${garden[(i + 1) % 3]}`,
      codes: ['travel-transport-parking', 'garden'],
      sentiment: 3,
    });
  }
  return rows;
}

describe('trainCoder and codeText', () => {
  const model = trainCoder(examples());

  it('codes to the labels of the examples, several at once, each with a confidence and its words', () => {
    expect(model.labels).toEqual(['Food', 'billing', 'garden', 'travel-transport-parking']);
    const result = codeText(model, 'The car park was full and the garden was lovely');
    expect(result.codes.map((c) => c.code).sort()).toEqual(['garden', 'travel-transport-parking']);
    for (const code of result.codes) {
      expect(code.confidence).toBeGreaterThan(0.5);
      expect(code.confidence).toBeLessThanOrEqual(1);
      expect(code.words.length).toBeGreaterThan(0);
    }
    const parking = result.codes.find((c) => c.code === 'travel-transport-parking');
    expect(parking?.words.some((w) => /car|park/.test(w))).toBe(true);
    expect(result.codes.find((c) => c.code === 'garden')?.words).toContain('garden');
  });

  it('learns a label the lexicon knows nothing of', () => {
    expect(codeText(model, 'my invoice is wrong').codes[0]?.code).toBe('billing');
  });

  it('uses the lexicon for a framework theme (matched by label) on words the examples never used', () => {
    // "breakfast" is in the food lexicon, not in any example.
    expect(codeText(model, 'breakfast').codes.map((c) => c.code)).toContain('Food');
  });

  it('learns sentiment on the five-point scale from the examples', () => {
    expect(model.sentiment.source).toBe('learned');
    expect(codeText(model, 'I was charged twice on my invoice').sentiment.value).toBe(1);
    expect(codeText(model, 'The garden was beautiful').sentiment).toMatchObject({
      value: 4,
      label: 'Positive',
    });
  });

  it('is deterministic: same examples and options, same model', () => {
    expect(JSON.stringify(trainCoder(examples()))).toBe(JSON.stringify(model));
    expect(JSON.stringify(trainCoder(examples(), { seed: 2 }))).not.toBe(JSON.stringify(model));
  });

  it('round-trips through JSON and codes the same', () => {
    const stored = JSON.parse(JSON.stringify(model)) as CoderModel;
    for (const text of ['The car park was full', 'cold food', 'nothing to say', ''])
      expect(codeText(stored, text)).toEqual(codeText(model, text));
    expect(stored).toMatchObject({
      format: 'whatmatters-coder',
      version: 1,
      framework: { id: 'patient-experience', version: 1 },
      features: { hashBits: 22, ngrams: [1, 2] },
      training: { examples: 60, sentimentExamples: 60, folds: 3 },
    });
    expect(stored.weights).toHaveLength(4);
    expect(stored.weights[0]).toHaveLength(stored.buckets.length + 1);
    expect(stored.evaluation?.macroF1).toBeGreaterThan(0.8);
  });

  it('refuses a model of another format', () => {
    expect(() => codeText({ ...model, version: 2 } as unknown as CoderModel, 'x')).toThrow(/version/);
  });

  it('refuses a sentiment outside 1–5', () => {
    expect(() => trainCoder([{ text: 'x', codes: ['a'], sentiment: 6 }])).toThrow(/1 to 5/);
  });
});

describe('the lexicon alone', () => {
  const model = trainCoder([], { labels: ['food', 'pain', 'Travel, transport and parking', 'custom'] });

  it('codes framework themes from their lexicon before any code is confirmed', () => {
    expect(model.sentiment.source).toBe('lexicon');
    expect(
      codeText(model, 'The meals were cold and there was nowhere to park')
        .codes.map((c) => c.code)
        .sort(),
    ).toEqual(['Travel, transport and parking', 'food']);
    expect(codeText(model, 'I was in terrible pain').codes.map((c) => c.code)).toEqual(['pain']);
  });

  it('reads sentiment from the sentiment lexicon', () => {
    expect(codeText(model, 'Excellent, wonderful care').sentiment.value).toBeGreaterThanOrEqual(4);
    expect(codeText(model, 'Terrible, appalling and rude').sentiment.value).toBeLessThanOrEqual(2);
    expect(codeText(model, 'I went on Tuesday').sentiment.value).toBe(3);
  });
});

describe('evaluateCoder and scoreCoding', () => {
  it('scores per label, micro and macro (over labels present), and sentiment accuracy', () => {
    const test: CodingExample[] = [
      { text: '', codes: ['a', 'b'], sentiment: 5 },
      { text: '', codes: ['a'], sentiment: 1 },
      { text: '', codes: [], sentiment: null },
    ];
    const figures = scoreCoding(test, [['a'], ['a', 'c'], ['c']], [5, 2, 3]);
    expect(figures.labels).toEqual({
      a: { precision: 1, recall: 1, f1: 1, support: 2 },
      b: { precision: 0, recall: 0, f1: 0, support: 1 },
      c: { precision: 0, recall: 0, f1: 0, support: 0 },
    });
    // micro: tp 2, fp 2, fn 1 → 4/7; macro over a and b (c is absent from the test set) → 0.5.
    expect(figures.microF1).toBe(0.5714);
    expect(figures.macroF1).toBe(0.5);
    expect(figures.sentimentAccuracy).toBe(0.5);
    expect(figures.sentimentMeanAbsoluteError).toBe(0.5);
  });

  it('counts a test label the model never learnt as missed', () => {
    const model = trainCoder(examples());
    const figures = evaluateCoder(model, [{ text: 'The invoice was wrong', codes: ['billing', 'unseen'] }]);
    expect(figures.labels.unseen).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(figures.labels.billing?.f1).toBe(1);
    expect(figures.sentimentAccuracy).toBeUndefined();
  });
});

describe('thresholds and confidence', () => {
  it('puts the threshold midway where F1 is best, or 0 with too few positives', () => {
    expect(bestThreshold([3, 2, 1, 0], [true, true, false, false])).toBe(1.5);
    expect(bestThreshold([3, 2, 1], [true, false, false])).toBe(0);
  });

  it('fits a steeper slope to scores that separate well', () => {
    const scores = [-2, -1, 1, 2];
    const positive = [false, false, true, true];
    expect(confidenceSlope(scores, positive, 0)).toBeGreaterThan(
      confidenceSlope([-2, 1, -1, 2], positive, 0),
    );
  });
});

describe('a lexicon given with the training', () => {
  it('stands in for the framework’s: its labels are found by its own words, and no framework is named', () => {
    const lexicon = { 'tp-referral': ['referral', 'referred'], 'tp-discharge': ['discharge', 'sent home'] };
    const model = trainCoder([], { labels: Object.keys(lexicon), lexicon });
    expect(model.framework).toBeNull();
    const coded = codeText(model, 'The referral took weeks, and then I was sent home too early.');
    expect(coded.codes.map((c) => c.code).sort()).toEqual(['tp-discharge', 'tp-referral']);
    expect(coded.codes.find((c) => c.code === 'tp-discharge')?.words).toContain('sent home');
    expect(codeText(model, 'The food was cold.').codes).toEqual([]);
    // A framework theme's name as a label gets no words of the framework's lexicon here.
    const food = trainCoder([], { labels: ['food'], lexicon: {} });
    expect(codeText(food, 'The food was cold.').codes).toEqual([]);
    expect(codeText(trainCoder([], { labels: ['food'] }), 'The food was cold.').codes[0]?.code).toBe('food');
  });
});
