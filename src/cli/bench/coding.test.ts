import { describe, expect, it } from 'vitest';
import { PATIENT_EXPERIENCE_FRAMEWORK } from '../../domain/coding/framework.js';
import { type CodingBenchRun, codingSection } from './coding.js';
import { generateCodingCorpus, HAND_WRITTEN } from './coding-corpus.js';

describe('the coding benchmark set', () => {
  it('is the same for the same seed, and coded to the default framework', () => {
    const a = generateCodingCorpus(200, 5, { part: 'train' });
    expect(generateCodingCorpus(200, 5, { part: 'train' })).toEqual(a);
    expect(generateCodingCorpus(200, 6, { part: 'train' })).not.toEqual(a);
    const themes = new Set(PATIENT_EXPERIENCE_FRAMEWORK.themes.map((t) => t.id));
    for (const row of [...a, ...HAND_WRITTEN]) {
      for (const code of row.codes) expect(themes.has(code), code).toBe(true);
      expect(row.sentiment).toBeGreaterThanOrEqual(1);
      expect(row.sentiment).toBeLessThanOrEqual(5);
      expect(row.text.length).toBeGreaterThan(0);
    }
  });
});

describe('codingSection', () => {
  const evaluation = { examples: 10, microF1: 0.9, macroF1: 0.8, labels: {}, sentimentAccuracy: 0.7 };
  const run = (baseline: CodingBenchRun['baseline']): CodingBenchRun => ({
    trainRows: 10_000,
    testRows: 2_520,
    labels: 18,
    variants: [{ name: 'ours', options: {}, trainMs: 2000, evaluation }],
    zeroShot: evaluation,
    perSecond: 20_000,
    medianPerSecond: 19_000,
    baseline,
  });
  const context = { date: '2026-11-27', machine: 'test machine' };

  it('puts the baseline beside ours and says whether the goal is met', () => {
    const text = codingSection(run({ sklearn: '1.2.1', macroF1: 0.75, microF1: 0.8, trainMs: 700 }), context);
    expect(text.startsWith('## Automatic coding of feedback (issue 12)\n')).toBe(true);
    expect(text).toContain('| ours | 0.800 | 0.900 | 0.700 | 2000 ms |');
    expect(text).toContain('met (0.800 ≥ 0.750)');
  });

  it('says the baseline is not available rather than failing', () => {
    const text = codingSection(run({ unavailable: 'scikit-learn is not installed' }), context);
    expect(text).toContain('baseline not available: scikit-learn is not installed');
    expect(text).toContain('not compared');
  });
});
