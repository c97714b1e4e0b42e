/**
 * A linear support vector machine with the squared hinge loss, trained by dual coordinate descent
 * (Hsieh, Chang, Lin, Keerthi and Sundararajan, ICML 2008: the method of LIBLINEAR and so of
 * scikit-learn's LinearSVC), with one change: the weights are pulled towards a prior mean `w0`
 * rather than towards zero, minimising ½‖w − w0‖² + C Σ max(0, 1 − yᵢ w·xᵢ)². Writing w = w0 + Σ αᵢyᵢxᵢ
 * leaves the dual problem as it was; only the starting point moves. With no examples, w = w0.
 * Deterministic: the visiting order comes from a seeded generator.
 */

/** Rows of a sparse matrix (compressed sparse rows); every row also has a bias column of value 1. */
export interface SparseRows {
  offsets: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  /** Columns before the bias column; the bias is column `columnCount`. */
  columnCount: number;
}

export interface SvmOptions {
  /** The loss weight C: larger fits the examples more closely. */
  c: number;
  maxEpochs: number;
  /** Stop when the projected gradient's spread falls below this (LIBLINEAR's ε). */
  tolerance: number;
  seed: number;
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Trains one binary classifier on the rows listed in `subset` with labels `labels[row]` (+1 or −1).
 * Returns the weights, the bias last (length columnCount + 1).
 */
export function trainLinearSvm(
  rows: SparseRows,
  subset: Int32Array,
  labels: Int8Array,
  prior: Float64Array | null,
  options: SvmOptions,
): Float64Array {
  const { offsets, columns, values, columnCount } = rows;
  const bias = columnCount;
  const w = prior ? Float64Array.from(prior) : new Float64Array(columnCount + 1);
  const m = subset.length;
  const diag = 0.5 / options.c;
  const qd = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const row = subset[k] as number;
    let norm = 1 + diag;
    for (let j = offsets[row] as number; j < (offsets[row + 1] as number); j++) {
      const v = values[j] as number;
      norm += v * v;
    }
    qd[k] = norm;
  }
  const alpha = new Float64Array(m);
  const order = new Int32Array(m);
  for (let k = 0; k < m; k++) order[k] = k;
  const random = seededRandom(options.seed);
  for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
    for (let k = m - 1; k > 0; k--) {
      const swap = Math.floor(random() * (k + 1));
      const held = order[k] as number;
      order[k] = order[swap] as number;
      order[swap] = held;
    }
    let maxPg = Number.NEGATIVE_INFINITY;
    let minPg = Number.POSITIVE_INFINITY;
    for (let o = 0; o < m; o++) {
      const k = order[o] as number;
      const row = subset[k] as number;
      const y = labels[row] as number;
      const start = offsets[row] as number;
      const end = offsets[row + 1] as number;
      let dot = w[bias] as number;
      for (let j = start; j < end; j++) dot += (w[columns[j] as number] as number) * (values[j] as number);
      const a = alpha[k] as number;
      const g = y * dot - 1 + a * diag;
      const pg = a === 0 ? Math.min(g, 0) : g;
      if (pg > maxPg) maxPg = pg;
      if (pg < minPg) minPg = pg;
      if (Math.abs(pg) > 1e-12) {
        const next = Math.max(a - g / (qd[k] as number), 0);
        alpha[k] = next;
        const d = (next - a) * y;
        if (d !== 0) {
          for (let j = start; j < end; j++) {
            const col = columns[j] as number;
            w[col] = (w[col] as number) + d * (values[j] as number);
          }
          w[bias] = (w[bias] as number) + d;
        }
      }
    }
    if (m === 0 || maxPg - minPg <= options.tolerance) break;
  }
  return w;
}
