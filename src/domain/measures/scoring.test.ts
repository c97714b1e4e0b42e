import { describe, expect, it } from 'vitest';
import { answersProblem, bandFor, bandsCover, checkAnswers, sumOf } from './scoring.js';
import type { ScoreBand } from './types.js';

const phqLike = {
  key: 'phq9' as const,
  scoredItemCount: 9,
  unscoredItems: [{ label: 'difficulty item' }],
  itemRange: { min: 0, max: 3 },
};
const fftLike = { key: 'fft' as const, scoredItemCount: 1, unscoredItems: [], itemRange: { min: 1, max: 6 } };
const bands: ScoreBand[] = [
  { key: 'low', label: 'Low', min: 0, max: 4 },
  { key: 'high', label: 'High', min: 5, max: 10 },
];

describe('answersProblem', () => {
  it('accepts the scored items, with or without the unscored ones', () => {
    expect(answersProblem(phqLike, Array(9).fill(0))).toBeNull();
    expect(answersProblem(phqLike, Array(10).fill(3))).toBeNull();
  });

  it('names the field, the instrument and the counts it takes', () => {
    expect(answersProblem(phqLike, Array(8).fill(1))).toBe(
      'answers: phq9 needs 9 answers (10 with the difficulty item), got 8',
    );
    expect(answersProblem(phqLike, Array(11).fill(1), 'before')).toBe(
      'before: phq9 needs 9 answers (10 with the difficulty item), got 11',
    );
    expect(answersProblem(fftLike, [])).toBe('answers: fft needs 1 answer, got 0');
  });

  it.each([
    [4, 'answers.2: phq9 answers are whole numbers from 0 to 3, got 4'],
    [-1, 'answers.2: phq9 answers are whole numbers from 0 to 3, got -1'],
    [1.5, 'answers.2: phq9 answers are whole numbers from 0 to 3, got 1.5'],
    [Number.NaN, 'answers.2: phq9 answers are whole numbers from 0 to 3, got null'],
    ['1', 'answers.2: phq9 answers are whole numbers from 0 to 3, got "1"'],
  ])('names the answer out of range: %s', (bad, message) => {
    const answers: unknown[] = Array(9).fill(0);
    answers[2] = bad;
    expect(answersProblem(phqLike, answers)).toBe(message);
    expect(() => checkAnswers(phqLike, answers)).toThrow(new RangeError(message));
  });

  it('takes the bounds of the range themselves', () => {
    expect(answersProblem(fftLike, [1])).toBeNull();
    expect(answersProblem(fftLike, [6])).toBeNull();
    expect(answersProblem(fftLike, [0])).toMatch(/answers\.0/);
    expect(answersProblem(fftLike, [7])).toMatch(/answers\.0/);
  });
});

describe('bands', () => {
  it('finds the band on both sides of a boundary', () => {
    expect(bandFor(bands, 4)?.key).toBe('low');
    expect(bandFor(bands, 5)?.key).toBe('high');
    expect(bandFor(bands, 11)).toBeNull();
  });

  it('knows when bands cover a range without a gap or an overlap', () => {
    expect(bandsCover(bands, 0, 10)).toBe(true);
    expect(bandsCover(bands, 0, 11)).toBe(false);
    expect(bandsCover([{ ...bands[0], max: 3 } as ScoreBand, bands[1] as ScoreBand], 0, 10)).toBe(false);
    expect(bandsCover([{ ...bands[0], max: 5 } as ScoreBand, bands[1] as ScoreBand], 0, 10)).toBe(false);
  });

  it('sums', () => {
    expect(sumOf([])).toBe(0);
    expect(sumOf([1, 2, 3])).toBe(6);
  });
});
