import { describe, expect, it } from 'vitest';
import { type SparseRows, seededRandom, trainLinearSvm } from './linear-svm.js';

/** Two columns; class +1 has column 0, class −1 column 1. */
function rows(n: number): { rows: SparseRows; labels: Int8Array } {
  const offsets = new Int32Array(n + 1);
  const columns: number[] = [];
  const values: number[] = [];
  const labels = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const positive = i % 3 === 0;
    columns.push(positive ? 0 : 1);
    values.push(1);
    labels[i] = positive ? 1 : -1;
    offsets[i + 1] = columns.length;
  }
  return {
    rows: { offsets, columns: Int32Array.from(columns), values: Float64Array.from(values), columnCount: 2 },
    labels,
  };
}

const options = { c: 1, maxEpochs: 100, tolerance: 1e-4, seed: 7 };

describe('trainLinearSvm', () => {
  it('separates separable data', () => {
    const { rows: x, labels } = rows(30);
    const w = trainLinearSvm(
      x,
      Int32Array.from({ length: 30 }, (_, i) => i),
      labels,
      null,
      options,
    );
    expect((w[0] as number) + (w[2] as number)).toBeGreaterThan(0.9);
    expect((w[1] as number) + (w[2] as number)).toBeLessThan(-0.9);
  });

  it('is the prior when there are no examples, and pulls towards it when there are few', () => {
    const { rows: x, labels } = rows(3);
    const prior = Float64Array.from([0, 5, 0]);
    expect(Array.from(trainLinearSvm(x, new Int32Array(0), labels, prior, options))).toEqual([0, 5, 0]);
    const weak = trainLinearSvm(x, Int32Array.from([1]), labels, prior, { ...options, c: 0.001 });
    expect(weak[1] as number).toBeGreaterThan(4.9);
  });

  it('gives the same weights for the same seed', () => {
    const { rows: x, labels } = rows(60);
    const all = Int32Array.from({ length: 60 }, (_, i) => i);
    expect(trainLinearSvm(x, all, labels, null, options)).toEqual(
      trainLinearSvm(x, all, labels, null, options),
    );
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    for (let i = 0; i < 100; i++) {
      const value = a();
      expect(value).toBe(b());
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});
