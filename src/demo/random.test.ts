import { describe, expect, it } from 'vitest';
import { createRandom } from './random.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function sample(seed: number | string, n = 50): number[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.next());
}

describe('createRandom', () => {
  it('gives the identical sequence for the same seed', () => {
    expect(sample('whatmatters')).toEqual(sample('whatmatters'));
    expect(sample(42)).toEqual(sample(42));

    const a = createRandom('mixed');
    const b = createRandom('mixed');
    const drawAll = (r: typeof a) => [
      r.int(1, 6),
      r.pick(['x', 'y', 'z']),
      r.weighted([
        ['p', 1],
        ['q', 3],
      ] as const),
      r.chance(0.5),
      r.uuid(),
      r.next(),
    ];
    expect(drawAll(a)).toEqual(drawAll(b));
  });

  it('gives different sequences for different seeds, including similar ones', () => {
    expect(sample('demo-1')).not.toEqual(sample('demo-2'));
    expect(sample(1)).not.toEqual(sample(2));
    expect(sample(42)).not.toEqual(sample('42'));
  });

  it('next() stays in [0, 1) and looks roughly uniform', () => {
    const values = sample('uniform', 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('int() is inclusive at both ends and never leaves the range', () => {
    const random = createRandom('dice');
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) {
      const roll = random.int(1, 6);
      expect(roll).toBeGreaterThanOrEqual(1);
      expect(roll).toBeLessThanOrEqual(6);
      seen.add(roll);
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(random.int(7, 7)).toBe(7);
    expect(() => random.int(2, 1)).toThrow(RangeError);
    expect(() => random.int(0.5, 2)).toThrow(RangeError);
  });

  it('pick() returns members and refuses empty lists', () => {
    const random = createRandom('pick');
    const items = ['a', 'b', 'c'] as const;
    for (let i = 0; i < 100; i++) expect(items).toContain(random.pick(items));
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('weighted() follows the weights and never picks zero-weight items', () => {
    const random = createRandom('weights');
    const counts = { common: 0, rare: 0, never: 0 };
    const items = [
      ['common', 9],
      ['rare', 1],
      ['never', 0],
    ] as const;
    for (let i = 0; i < 10_000; i++) counts[random.weighted(items)]++;
    expect(counts.never).toBe(0);
    expect(counts.common / 10_000).toBeGreaterThan(0.87);
    expect(counts.common / 10_000).toBeLessThan(0.93);
    expect(() => random.weighted([])).toThrow(RangeError);
    expect(() => random.weighted([['x', -1]])).toThrow(RangeError);
  });

  it('chance() honours the edge probabilities', () => {
    const random = createRandom('chance');
    for (let i = 0; i < 100; i++) {
      expect(random.chance(0)).toBe(false);
      expect(random.chance(1)).toBe(true);
    }
    expect(() => random.chance(1.5)).toThrow(RangeError);
  });

  it('uuid() is v4-shaped, lowercase and does not repeat', () => {
    const random = createRandom('ids');
    const ids = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const id = random.uuid();
      expect(id).toMatch(UUID_V4);
      ids.add(id);
    }
    expect(ids.size).toBe(2_000);
  });
});
