/**
 * The automatic coder of care-experience stories (issue 12): multi-label themes and a five-point
 * sentiment, from a lexicon prior and the organisation's confirmed codes. docs/CODING.md gives the
 * method, the reasons for it and its numbers.
 *
 * - Features: Porter-stemmed words (without stopwords) and adjacent word pairs, hashed (the model
 *   holds hashes, not words from people's stories), sublinear TF-IDF, each text's vector of length 1.
 * - Themes: one linear SVM per label (squared hinge, dual coordinate descent), its weights pulled
 *   towards the lexicon prior; a per-label threshold chosen to maximise F1 on out-of-fold scores
 *   (k-fold cross-fitting), and a confidence slope fitted to the same scores.
 * - Sentiment: ordered classes (Frank and Hall): four binary SVMs "above 1" … "above 4", each pulled
 *   towards the sentiment lexicon; the value is 1 + the number of them that say yes.
 * - Deterministic: the same examples and options give the same model, number for number.
 */
import {
  frameworkSubTheme,
  frameworkTheme,
  isSentiment,
  PATIENT_EXPERIENCE_FRAMEWORK,
  SENTIMENT_SCALE,
} from './framework.js';
import { SENTIMENT_LEXICON, SUB_THEME_LEXICON, THEME_LEXICON } from './lexicon.js';
import { type SparseRows, seededRandom, trainLinearSvm } from './linear-svm.js';
import { HASH_BITS, lexiconEntryHash, type TextFeature, textFeatures } from './text-features.js';

export interface CodingExample {
  text: string;
  /** The confirmed codes (label names); may be empty. */
  codes: readonly string[];
  /** 1–5 when known. */
  sentiment?: number | null;
}

export interface TrainOptions {
  /** Labels to code to besides those in the examples (a new framework's themes before any code is confirmed). */
  labels?: readonly string[];
  /** SVM loss weight C (default 0.3). */
  c?: number;
  /** Seeds the fold split and the solver's visiting order (default 1). */
  seed?: number;
  /** Folds for the out-of-fold scores that set thresholds and confidences (default 3; 0 or 1: none). */
  folds?: number;
  /** Words and pairs seen in fewer training texts are left out, lexicon entries excepted (default 2). */
  minDocumentFrequency?: number;
  /** Prior weight of a theme's lexicon entries (default 2.5); 0 or `useLexicon: false`: no lexicon. */
  lexiconStrength?: number;
  useLexicon?: boolean;
  /**
   * Each label's lexicon entries (one or two words each), in place of the framework's for this
   * training: a service's touchpoints, say, each with the words that point to it. The model then
   * names no framework.
   */
  lexicon?: Readonly<Record<string, readonly string[]>>;
  /** Per-label thresholds tuned on out-of-fold scores (default true); false: every threshold is 0. */
  tuneThresholds?: boolean;
  maxEpochs?: number;
}

export interface LabelFigures {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface CoderEvaluation {
  examples: number;
  microF1: number;
  /** Mean F1 over the labels present in the examples. */
  macroF1: number;
  labels: Record<string, LabelFigures>;
  /** Share of examples with a known sentiment whose predicted value is exactly right. */
  sentimentAccuracy?: number;
  sentimentMeanAbsoluteError?: number;
}

/** The stored model: plain JSON, versioned, enough to code text and to say how it was made. */
export interface CoderModel {
  format: 'whatmatters-coder';
  version: 1;
  /** The framework whose lexicon was the prior, or null when no label matched it. */
  framework: { id: string; version: number } | null;
  labels: string[];
  features: {
    hashBits: number;
    hash: 'fnv1a-32';
    words: 'porter-stem';
    ngrams: [1, 2];
    weighting: 'sublinear-tf-idf-l2';
    minDocumentFrequency: number;
  };
  training: {
    examples: number;
    sentimentExamples: number;
    seed: number;
    c: number;
    folds: number;
    lexiconStrength: number;
    tuneThresholds: boolean;
  };
  /** Feature hashes in the model, ascending; row i of every weight vector is `buckets[i]`. */
  buckets: number[];
  idf: number[];
  /** Per label: a weight per bucket, then the bias. */
  weights: number[][];
  thresholds: number[];
  /** Confidence = 1 / (1 + e^(−slope · (score − threshold))). */
  confidenceSlopes: number[];
  /** When no label passes its threshold, the closest one is given (training texts nearly all had codes). */
  atLeastOne: boolean;
  sentiment: { source: 'lexicon' | 'learned'; weights: number[][] };
  /** Cross-validated figures on the training examples (null without folds). */
  evaluation: CoderEvaluation | null;
}

export interface CodedTheme {
  code: string;
  confidence: number;
  /** The words in the text that drove the code most, strongest first. */
  words: string[];
}

export interface CodingResult {
  codes: CodedTheme[];
  sentiment: { value: number; label: string; words: string[] };
}

const DEFAULTS = {
  c: 0.3,
  seed: 1,
  folds: 3,
  minDocumentFrequency: 2,
  lexiconStrength: 2.5,
  tuneThresholds: true,
  maxEpochs: 50,
};
const TOLERANCE = 0.05;
const PRIOR_BIAS = -0.25;
/** Sentiment prior: weight per unit of lexicon strength, and the bias of "above 1" … "above 4". */
const SENTIMENT_STRENGTH = 1;
const SENTIMENT_PRIOR_BIAS = [0.75, 0.25, -0.25, -0.75];
const DEFAULT_SLOPE = 4;
/**
 * A model made from the lexicon alone has no scores to fit a slope to, and a lexicon word in a story
 * is evidence, not certainty: a gentle slope gives one clear match about 0.75, not 0.99.
 */
const LEXICON_ONLY_SLOPE = 0.8;
const MIN_POSITIVES_TO_TUNE = 2;
const EXPLAINING_WORDS = 3;

const round = (value: number, digits = 4) => Number(value.toFixed(digits));
const weight = (value: number) => (value === 0 ? 0 : Number(value.toPrecision(6)));
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The lexicon entries that stand behind a label: its framework theme's, or none. */
function lexiconFor(label: string): readonly string[] {
  // A `theme/sub-theme` label stands on its sub-theme's own words, not its theme's.
  const sub = frameworkSubTheme(label);
  if (sub) return SUB_THEME_LEXICON[sub.subTheme.id] ?? [];
  const theme = frameworkTheme(label);
  return theme ? (THEME_LEXICON[theme.id] ?? []) : [];
}

interface Vectoriser {
  buckets: number[];
  rowOf: Map<number, number>;
  idf: Float64Array;
}

function vectorise(features: readonly TextFeature[][], vectoriser: Vectoriser): SparseRows {
  const offsets = new Int32Array(features.length + 1);
  const columns: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < features.length; i++) {
    const start = columns.length;
    let norm = 0;
    for (const f of features[i] ?? []) {
      const row = vectoriser.rowOf.get(f.hash);
      if (row === undefined) continue;
      const v = (1 + Math.log(f.count)) * (vectoriser.idf[row] as number);
      columns.push(row);
      values.push(v);
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = start; j < values.length; j++) values[j] = (values[j] as number) * scale;
    offsets[i + 1] = columns.length;
  }
  return {
    offsets,
    columns: Int32Array.from(columns),
    values: Float64Array.from(values),
    columnCount: vectoriser.buckets.length,
  };
}

/** The threshold on out-of-fold scores that gives the best F1 (midway between two scores), or 0. */
export function bestThreshold(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  let positives = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) positives++;
  if (positives < MIN_POSITIVES_TO_TUNE) return 0;
  let tp = 0;
  let fp = 0;
  let best = 0;
  let bestAt = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (positive[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue; // ties go together
    const f1 = (2 * tp) / (2 * tp + fp + (positives - tp));
    if (f1 > best) {
      best = f1;
      bestAt = k;
    }
  }
  if (bestAt < 0) return 0;
  const at = scores[order[bestAt] as number] as number;
  const below = order[bestAt + 1];
  return below === undefined ? at - 0.5 : (at + (scores[below] as number)) / 2;
}

/** The slope a of the confidence 1/(1+e^(−a(s−t))) that best fits out-of-fold scores (Newton's method, a in [0.5, 50]). */
export function confidenceSlope(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean>,
  threshold: number,
): number {
  if (scores.length === 0) return DEFAULT_SLOPE;
  let a = DEFAULT_SLOPE;
  for (let iteration = 0; iteration < 25; iteration++) {
    // A weak prior towards the default keeps a label with separable scores from an infinite slope.
    let gradient = 0.01 * (a - DEFAULT_SLOPE);
    let hessian = 0.01;
    for (let i = 0; i < scores.length; i++) {
      const d = (scores[i] as number) - threshold;
      const p = 1 / (1 + Math.exp(-a * d));
      gradient += (p - (positive[i] ? 1 : 0)) * d;
      hessian += p * (1 - p) * d * d;
    }
    const next = Math.min(50, Math.max(0.5, a - gradient / hessian));
    if (Math.abs(next - a) < 1e-6) return next;
    a = next;
  }
  return a;
}

interface Task {
  labels: Int8Array;
  prior: Float64Array | null;
  /** Rows taking part (all rows for themes; rows with a sentiment for sentiment). */
  rows: Int32Array;
}

/** Trains a coder on confirmed codes; with no examples, the model is the lexicon alone. */
export function trainCoder(examples: readonly CodingExample[], options: TrainOptions = {}): CoderModel {
  const o = { ...DEFAULTS, ...options };
  const lexiconStrength = o.useLexicon === false ? 0 : o.lexiconStrength;
  const labels = [...new Set([...(o.labels ?? []), ...examples.flatMap((e) => e.codes)])].sort(byText);
  const lexicons = labels.map((label) =>
    lexiconStrength > 0 ? (o.lexicon ? (o.lexicon[label] ?? []) : lexiconFor(label)) : [],
  );
  const sentimentRows: number[] = [];
  examples.forEach((e, i) => {
    if (e.sentiment !== null && e.sentiment !== undefined) {
      if (!isSentiment(e.sentiment)) throw new RangeError(`sentiment must be 1 to 5, got ${e.sentiment}`);
      sentimentRows.push(i);
    }
  });
  const learnSentiment = sentimentRows.length > 0;
  const sentimentEntries = Object.entries(SENTIMENT_LEXICON);

  // Vocabulary: features in at least minDocumentFrequency texts, and every lexicon entry.
  const features = examples.map((e) => textFeatures(e.text));
  const df = new Map<number, number>();
  for (const doc of features) for (const f of doc) df.set(f.hash, (df.get(f.hash) ?? 0) + 1);
  const chosen = new Set<number>();
  for (const [hash, count] of df) if (count >= o.minDocumentFrequency) chosen.add(hash);
  for (const lexicon of lexicons) for (const entry of lexicon) chosen.add(lexiconEntryHash(entry));
  for (const [entry] of sentimentEntries) chosen.add(lexiconEntryHash(entry));
  const buckets = [...chosen].sort((a, b) => a - b);
  const rowOf = new Map(buckets.map((hash, row) => [hash, row]));
  const n = examples.length;
  const idf = Float64Array.from(buckets, (hash) => Math.log((1 + n) / (1 + (df.get(hash) ?? 0))) + 1);
  const rows = vectorise(features, { buckets, rowOf, idf });
  const width = buckets.length + 1;

  const themePrior = (lexicon: readonly string[]): Float64Array => {
    const prior = new Float64Array(width);
    prior[buckets.length] = PRIOR_BIAS;
    for (const entry of lexicon) prior[rowOf.get(lexiconEntryHash(entry)) as number] = lexiconStrength;
    return prior;
  };
  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const themeTasks: Task[] = labels.map((label, l) => ({
    labels: Int8Array.from(examples, (e) => (e.codes.includes(label) ? 1 : -1)),
    prior: themePrior(lexicons[l] ?? []),
    rows: allRows,
  }));
  const sentimentPriors = SENTIMENT_PRIOR_BIAS.map((bias) => {
    const prior = new Float64Array(width);
    prior[buckets.length] = bias;
    for (const [entry, strength] of sentimentEntries) {
      const row = rowOf.get(lexiconEntryHash(entry)) as number;
      prior[row] = (prior[row] as number) + SENTIMENT_STRENGTH * strength;
    }
    return prior;
  });
  const sentimentTasks: Task[] = sentimentPriors.map((prior, k) => ({
    labels: Int8Array.from(examples, (e) => ((e.sentiment ?? 0) > k + 1 ? 1 : -1)),
    prior,
    rows: Int32Array.from(sentimentRows),
  }));

  const svm = (task: Task, subset: Int32Array, seed: number) =>
    trainLinearSvm(rows, subset, task.labels, task.prior, {
      c: o.c,
      maxEpochs: o.maxEpochs,
      tolerance: TOLERANCE,
      seed,
    });

  // Out-of-fold scores: each text scored by a model that did not see it.
  const folds = o.folds >= 2 && n >= o.folds ? o.folds : 0;
  const oof = labels.map(() => new Float64Array(n));
  const oofSentiment = sentimentTasks.map(() => new Float64Array(n));
  if (folds > 0) {
    const random = seededRandom(o.seed);
    const shuffled = Array.from(allRows);
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [shuffled[k], shuffled[j]] = [shuffled[j] as number, shuffled[k] as number];
    }
    const foldOf = new Int32Array(n);
    shuffled.forEach((row, position) => {
      foldOf[row] = position % folds;
    });
    for (let fold = 0; fold < folds; fold++) {
      const inFold = (row: number) => foldOf[row] === fold;
      const score = (task: Task, into: Float64Array, seed: number) => {
        const train = task.rows.filter((row) => !inFold(row));
        const w = svm(task, train, seed);
        for (const row of task.rows) if (inFold(row)) into[row] = dot(rows, row, w);
      };
      themeTasks.forEach((task, l) => {
        score(task, oof[l] as Float64Array, o.seed + 7919 * (l + 1) + fold);
      });
      if (learnSentiment)
        sentimentTasks.forEach((task, k) => {
          score(task, oofSentiment[k] as Float64Array, o.seed + 104729 * (k + 1) + fold);
        });
    }
  }

  const thresholds = labels.map((_, l) => {
    if (!folds || !o.tuneThresholds) return 0;
    const positive = Array.from(themeTasks[l]?.labels ?? [], (y) => y > 0);
    return round(bestThreshold(oof[l] as Float64Array, positive), 6);
  });
  const confidenceSlopes = labels.map((_, l) => {
    if (!folds) return n > 0 ? DEFAULT_SLOPE : LEXICON_ONLY_SLOPE;
    const positive = Array.from(themeTasks[l]?.labels ?? [], (y) => y > 0);
    return round(confidenceSlope(oof[l] as Float64Array, positive, thresholds[l] as number), 4);
  });
  const coded = examples.filter((e) => e.codes.length > 0).length;
  const atLeastOne = n > 0 && coded / n >= 0.95;

  const weights = themeTasks.map((task, l) =>
    Array.from(svm(task, allRows, o.seed + 7919 * (l + 1)), weight),
  );
  const sentimentWeights = learnSentiment
    ? sentimentTasks.map((task, k) => Array.from(svm(task, task.rows, o.seed + 104729 * (k + 1)), weight))
    : sentimentPriors.map((prior) => Array.from(prior, weight));

  const matched = !o.lexicon && lexicons.some((lexicon) => lexicon.length > 0);
  const model: CoderModel = {
    format: 'whatmatters-coder',
    version: 1,
    framework: matched
      ? { id: PATIENT_EXPERIENCE_FRAMEWORK.id, version: PATIENT_EXPERIENCE_FRAMEWORK.version }
      : null,
    labels,
    features: {
      hashBits: HASH_BITS,
      hash: 'fnv1a-32',
      words: 'porter-stem',
      ngrams: [1, 2],
      weighting: 'sublinear-tf-idf-l2',
      minDocumentFrequency: o.minDocumentFrequency,
    },
    training: {
      examples: n,
      sentimentExamples: sentimentRows.length,
      seed: o.seed,
      c: o.c,
      folds,
      lexiconStrength,
      tuneThresholds: o.tuneThresholds,
    },
    buckets,
    idf: Array.from(idf, weight),
    weights,
    thresholds,
    confidenceSlopes,
    atLeastOne,
    sentiment: { source: learnSentiment ? 'learned' : 'lexicon', weights: sentimentWeights },
    evaluation: null,
  };
  if (folds > 0) {
    const predicted = examples.map((_, i) =>
      decide(
        labels.map((__, l) => (oof[l] as Float64Array)[i] as number),
        model,
      ),
    );
    const sentiments = learnSentiment
      ? examples.map((_, i) => ordinal(oofSentiment.map((s) => s[i] as number)))
      : null;
    model.evaluation = scoreCoding(
      examples,
      predicted.map((p) => p.map((l) => labels[l] as string)),
      sentiments,
    );
  }
  return model;
}

function dot(rows: SparseRows, row: number, w: Float64Array): number {
  let sum = w[rows.columnCount] as number;
  for (let j = rows.offsets[row] as number; j < (rows.offsets[row + 1] as number); j++)
    sum += (w[rows.columns[j] as number] as number) * (rows.values[j] as number);
  return sum;
}

/** The labels (indices) given for scores: those at or above their thresholds, else the closest if `atLeastOne`. */
function decide(scores: ArrayLike<number>, model: Pick<CoderModel, 'thresholds' | 'atLeastOne'>): number[] {
  const given: number[] = [];
  let closest = -1;
  let closestMargin = Number.NEGATIVE_INFINITY;
  for (let l = 0; l < scores.length; l++) {
    const margin = (scores[l] as number) - (model.thresholds[l] as number);
    if (margin >= 0) given.push(l);
    if (margin > closestMargin) {
      closestMargin = margin;
      closest = l;
    }
  }
  if (given.length === 0 && model.atLeastOne && closest >= 0) given.push(closest);
  return given;
}

/** Ordered classes: 1 + the number of "above k" models that say yes. */
function ordinal(scores: readonly number[]): number {
  return 1 + scores.filter((s) => s > 0).length;
}

/** The model laid out for fast coding: weights feature-major, so a text touches only its own rows. */
interface CompiledModel {
  rowOf: Map<number, number>;
  idf: Float64Array;
  labelCount: number;
  /** (buckets × labels), row-major by bucket. */
  themeWeights: Float32Array;
  themeBias: Float64Array;
  sentimentWeights: Float32Array;
  sentimentBias: Float64Array;
}

const COMPILED = new WeakMap<CoderModel, CompiledModel>();

function compile(model: CoderModel): CompiledModel {
  const cached = COMPILED.get(model);
  if (cached) return cached;
  if (model.format !== 'whatmatters-coder' || model.version !== 1)
    throw new Error(`not a coder model this version can read: ${model.format} ${model.version}`);
  if (model.features.hashBits !== HASH_BITS) throw new Error('the model hashes features differently');
  const rowsCount = model.buckets.length;
  const labelCount = model.labels.length;
  const themeWeights = new Float32Array(rowsCount * labelCount);
  const themeBias = new Float64Array(labelCount);
  model.weights.forEach((w, l) => {
    for (let r = 0; r < rowsCount; r++) themeWeights[r * labelCount + l] = w[r] as number;
    themeBias[l] = w[rowsCount] as number;
  });
  const sentimentWeights = new Float32Array(rowsCount * 4);
  const sentimentBias = new Float64Array(4);
  model.sentiment.weights.forEach((w, k) => {
    for (let r = 0; r < rowsCount; r++) sentimentWeights[r * 4 + k] = w[r] as number;
    sentimentBias[k] = w[rowsCount] as number;
  });
  const compiled: CompiledModel = {
    rowOf: new Map(model.buckets.map((hash, row) => [hash, row])),
    idf: Float64Array.from(model.idf),
    labelCount,
    themeWeights,
    themeBias,
    sentimentWeights,
    sentimentBias,
  };
  COMPILED.set(model, compiled);
  return compiled;
}

/** The words behind the largest positive contributions to one output, strongest first (top 3, no repeats). */
function drivers(
  present: { row: number; value: number; surface: string }[],
  matrix: Float32Array,
  stride: number,
  column: number,
  sign: 1 | -1,
): string[] {
  const top: { surface: string; contribution: number }[] = [];
  for (const p of present) {
    const contribution = sign * p.value * (matrix[p.row * stride + column] as number);
    if (contribution <= 0) continue;
    const same = top.findIndex((t) => t.surface === p.surface);
    if (same >= 0) {
      if ((top[same] as { contribution: number }).contribution >= contribution) continue;
      top.splice(same, 1);
    }
    let at = top.length;
    while (at > 0) {
      const above = top[at - 1] as { surface: string; contribution: number };
      if (
        above.contribution > contribution ||
        (above.contribution === contribution && above.surface <= p.surface)
      )
        break;
      at--;
    }
    if (at < EXPLAINING_WORDS) {
      top.splice(at, 0, { surface: p.surface, contribution });
      if (top.length > EXPLAINING_WORDS) top.pop();
    }
  }
  return top.map((t) => t.surface);
}

/** Codes one text: its themes, each with a confidence and the words that drove it, and its sentiment. */
export function codeText(model: CoderModel, text: string): CodingResult {
  const c = compile(model);
  const present: { row: number; value: number; surface: string }[] = [];
  let norm = 0;
  for (const f of textFeatures(text)) {
    const row = c.rowOf.get(f.hash);
    if (row === undefined) continue;
    const value = (1 + Math.log(f.count)) * (c.idf[row] as number);
    present.push({ row, value, surface: f.surface });
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const L = c.labelCount;
  const scores = Float64Array.from(c.themeBias);
  const sentiment = Float64Array.from(c.sentimentBias);
  for (const p of present) {
    p.value *= scale;
    const base = p.row * L;
    for (let l = 0; l < L; l++)
      scores[l] = (scores[l] as number) + p.value * (c.themeWeights[base + l] as number);
    const sBase = p.row * 4;
    for (let k = 0; k < 4; k++)
      sentiment[k] = (sentiment[k] as number) + p.value * (c.sentimentWeights[sBase + k] as number);
  }
  const codes = decide(scores, model).map((l) => {
    const margin = (scores[l] as number) - (model.thresholds[l] as number);
    return {
      code: model.labels[l] as string,
      confidence: round(1 / (1 + Math.exp(-(model.confidenceSlopes[l] as number) * margin)), 3),
      words: drivers(present, c.themeWeights, L, l, 1),
    };
  });
  codes.sort((a, b) => b.confidence - a.confidence || byText(a.code, b.code));
  const value = ordinal(Array.from(sentiment));
  // The middle model ("above 2" for low values, "above 3" for high ones) says which words pushed it.
  const words = drivers(present, c.sentimentWeights, 4, value >= 3 ? 2 : 1, value >= 3 ? 1 : -1);
  const label = SENTIMENT_SCALE.find((s) => s.value === value)?.label ?? '';
  return { codes, sentiment: { value, label, words } };
}

/** Precision, recall and F1 per label, micro and macro F1, and sentiment accuracy, from predictions. */
export function scoreCoding(
  examples: readonly CodingExample[],
  predicted: readonly (readonly string[])[],
  predictedSentiment: readonly number[] | null,
): CoderEvaluation {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const entry = (label: string) => {
    let found = counts.get(label);
    if (!found) {
      found = { tp: 0, fp: 0, fn: 0 };
      counts.set(label, found);
    }
    return found;
  };
  examples.forEach((example, i) => {
    const actual = new Set(example.codes);
    const given = new Set(predicted[i] ?? []);
    for (const label of given) {
      if (actual.has(label)) entry(label).tp++;
      else entry(label).fp++;
    }
    for (const label of actual) if (!given.has(label)) entry(label).fn++;
  });
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const labels: Record<string, LabelFigures> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const presentF1: number[] = [];
  for (const label of [...counts.keys()].sort(byText)) {
    const k = counts.get(label) as { tp: number; fp: number; fn: number };
    tp += k.tp;
    fp += k.fp;
    fn += k.fn;
    const f1 = ratio(2 * k.tp, 2 * k.tp + k.fp + k.fn);
    const support = k.tp + k.fn;
    labels[label] = {
      precision: round(ratio(k.tp, k.tp + k.fp)),
      recall: round(ratio(k.tp, support)),
      f1: round(f1),
      support,
    };
    if (support > 0) presentF1.push(f1);
  }
  const evaluation: CoderEvaluation = {
    examples: examples.length,
    microF1: round(ratio(2 * tp, 2 * tp + fp + fn)),
    macroF1: round(
      ratio(
        presentF1.reduce((a, b) => a + b, 0),
        presentF1.length,
      ),
    ),
    labels,
  };
  if (predictedSentiment) {
    let known = 0;
    let right = 0;
    let error = 0;
    examples.forEach((example, i) => {
      if (example.sentiment === null || example.sentiment === undefined) return;
      known++;
      const value = predictedSentiment[i] as number;
      if (value === example.sentiment) right++;
      error += Math.abs(value - example.sentiment);
    });
    if (known > 0) {
      evaluation.sentimentAccuracy = round(right / known);
      evaluation.sentimentMeanAbsoluteError = round(error / known);
    }
  }
  return evaluation;
}

/** Codes each example with the model and scores the codes (and sentiment, where examples have one). */
export function evaluateCoder(model: CoderModel, examples: readonly CodingExample[]): CoderEvaluation {
  const results = examples.map((e) => codeText(model, e.text));
  const hasSentiment = examples.some((e) => e.sentiment !== null && e.sentiment !== undefined);
  return scoreCoding(
    examples,
    results.map((r) => r.codes.map((c) => c.code)),
    hasSentiment ? results.map((r) => r.sentiment.value) : null,
  );
}
