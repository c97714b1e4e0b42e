/**
 * Seeded, deterministic pseudo-random numbers for synthetic data.
 *
 * Demo data must be reproducible (same seed, same people) so screenshots, tests and
 * bug reports line up; Math.random cannot be seeded, hence this module. It is NOT
 * suitable for anything security-related (tokens, passwords, real identifiers).
 *
 * Generator: sfc32 ("Small Fast Counting", Chris Doty-Humphrey, PractRand,
 * public domain) — 128-bit state, passes PractRand/BigCrush, and only needs 32-bit
 * integer arithmetic so it is fast in JavaScript.
 * Seeding: the seed is hashed with 32-bit FNV-1a
 * (http://www.isthe.com/chongo/tech/comp/fnv/) and expanded to four state words
 * with a splitmix-style counter and the MurmurHash3 fmix32 finaliser, so that
 * similar seeds ("demo-1", "demo-2") give unrelated streams.
 */

/** Items with their (non-negative) weights, for `Random.weighted`. */
export type Weighted<T> = readonly (readonly [T, number])[];

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks an item with probability proportional to its (non-negative) weight. */
  weighted<T>(items: Weighted<T>): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** RFC 4122 version-4-shaped UUID, lowercase. */
  uuid(): string;
}

const TWO_POW_32 = 4294967296;

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function fmix32(value: number): number {
  let z = value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Returns a function yielding uniformly distributed unsigned 32-bit integers. */
function sfc32(seed: number): () => number {
  let counter = seed;
  const expand = (): number => {
    counter = (counter + 0x9e3779b9) | 0;
    return fmix32(counter);
  };
  let a = expand();
  let b = expand();
  let c = expand();
  let d = expand();
  const step = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs after seeding are still correlated with the seed words.
  for (let i = 0; i < 12; i++) step();
  return step;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function createRandom(seed: number | string): Random {
  // Prefix with the type so that 42 and '42' are distinct, explicit seeds.
  const nextUint32 = sfc32(fnv1a32(`${typeof seed}:${String(seed)}`));
  const next = (): number => nextUint32() / TWO_POW_32;

  const int = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new RangeError(`int(${min}, ${max}): need safe integers with min <= max`);
    }
    const span = max - min + 1;
    // One 32-bit draw keeps modulo-style bias below 2^-32 per unit of span, which is
    // irrelevant for demo data but unbounded spans would not be, so refuse them.
    if (span > TWO_POW_32) throw new RangeError(`int(${min}, ${max}): range wider than 2^32`);
    return min + Math.floor(next() * span);
  };

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[int(0, items.length - 1)] as T;
  };

  const weighted = <T>(items: Weighted<T>): T => {
    let total = 0;
    for (const [, weight] of items) {
      if (!(weight >= 0) || !Number.isFinite(weight)) {
        throw new RangeError(`weighted(): weight must be finite and >= 0, got ${weight}`);
      }
      total += weight;
    }
    if (total <= 0) throw new RangeError('weighted(): total weight must be positive');
    let target = next() * total;
    for (const [item, weight] of items) {
      if (target < weight) return item;
      target -= weight;
    }
    // Floating-point rounding can leave target a hair above the last bucket.
    for (let i = items.length - 1; i >= 0; i--) {
      const entry = items[i] as readonly [T, number];
      if (entry[1] > 0) return entry[0];
    }
    throw new RangeError('weighted(): unreachable');
  };

  const chance = (p: number): boolean => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`chance(${p}): p must be in [0, 1]`);
    return next() < p;
  };

  const uuid = (): string => {
    const bytes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const word = nextUint32();
      bytes.push(word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
    }
    // RFC 4122 section 4.4: version nibble 0100, variant bits 10.
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = bytes.map((byte) => HEX[byte] ?? '00').join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  return { next, int, pick, weighted, chance, uuid };
}
