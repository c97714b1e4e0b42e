import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify/sync';
import {
  type CoderEvaluation,
  codeText,
  evaluateCoder,
  type TrainOptions,
  trainCoder,
} from '../../domain/coding/coder.js';
import { generateCodingCorpus, HAND_WRITTEN, type LabelledComment } from './coding-corpus.js';

export const CODING_SECTION_TITLE = '## Automatic coding of feedback (issue 12)';
const TRAIN_ROWS = 10_000;
const TEST_ROWS = 2_500;
const BASELINE_SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/coding_baseline.py');
const PYTHON = '/usr/bin/python3';

interface Variant {
  name: string;
  options: TrainOptions;
  trainMs: number;
  evaluation: CoderEvaluation;
}

export interface Baseline {
  sklearn?: string;
  microF1?: number;
  macroF1?: number;
  trainMs?: number;
  predictionsPerSecond?: number;
  unavailable?: string;
}

export interface CodingBenchRun {
  trainRows: number;
  testRows: number;
  labels: number;
  variants: Variant[];
  zeroShot: CoderEvaluation;
  /** Best and median of three rounds. */
  perSecond: number;
  medianPerSecond: number;
  baseline: Baseline;
}

function writeCsv(file: string, rows: readonly LabelledComment[]): void {
  fs.writeFileSync(
    file,
    stringify(
      rows.map((r) => [r.id, r.text, r.codes.join('|'), String(r.sentiment)]),
      { header: true, columns: ['id', 'text', 'codes', 'sentiment'] },
    ),
  );
}

/** Runs the scikit-learn baseline script on the same files, or says why it could not. */
export function runBaseline(trainFile: string, testFile: string): Baseline {
  if (!fs.existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const run = spawnSync(PYTHON, [BASELINE_SCRIPT, trainFile, testFile], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (run.status !== 0)
    return {
      unavailable: `the baseline script failed: ${(run.stderr || String(run.error)).trim().split('\n').pop()}`,
    };
  try {
    return JSON.parse(run.stdout) as Baseline;
  } catch {
    return { unavailable: `the baseline script printed no JSON: ${run.stdout.slice(0, 200)}` };
  }
}

/** The coding benchmark: our coder (and two ablations) beside the scikit-learn baseline, same split. */
export function benchCoding(log: (line: string) => void): CodingBenchRun {
  const train = generateCodingCorpus(TRAIN_ROWS, 42, { part: 'train' });
  const test = [...generateCodingCorpus(TEST_ROWS, 43, { part: 'test' }), ...HAND_WRITTEN];
  const labels = new Set(train.flatMap((r) => r.codes)).size;

  const variants: Variant[] = [];
  for (const [name, options] of [
    ['ours: lexicon prior, tuned thresholds', {}],
    ['ours without the lexicon prior', { useLexicon: false }],
    ['ours without tuned thresholds (all 0)', { tuneThresholds: false }],
  ] as [string, TrainOptions][]) {
    const t0 = performance.now();
    const model = trainCoder(train, options);
    const trainMs = performance.now() - t0;
    const evaluation = evaluateCoder(model, test);
    log(
      `coding ${name}: trained on ${TRAIN_ROWS} in ${trainMs.toFixed(0)} ms, macro-F1 ${evaluation.macroF1}`,
    );
    variants.push({ name, options, trainMs, evaluation });
  }
  // The lexicon alone (no confirmed codes yet): a model given the label names and no examples.
  const zeroShot = evaluateCoder(
    trainCoder([], { labels: [...new Set(train.flatMap((r) => r.codes))] }),
    test,
  );

  // Coding speed on one core: the default model, warm, coding the test texts one at a time for ≥ 1 s,
  // three rounds; the machine may be shared, so the best round is the figure and the median is shown.
  const model = trainCoder(train);
  for (const r of test.slice(0, 500)) codeText(model, r.text);
  const rounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    let coded = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000 || coded < 10_000)
      for (const r of test) {
        codeText(model, r.text);
        coded++;
      }
    rounds.push(coded / ((performance.now() - t0) / 1000));
  }
  rounds.sort((a, b) => a - b);
  const perSecond = rounds[2] as number;
  const medianPerSecond = rounds[1] as number;
  log(
    `coding: ${perSecond.toFixed(0)} comments per second (best of 3; median ${medianPerSecond.toFixed(0)})`,
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-coding-bench-'));
  let baseline: Baseline;
  try {
    writeCsv(path.join(dir, 'train.csv'), train);
    writeCsv(path.join(dir, 'test.csv'), test);
    baseline = runBaseline(path.join(dir, 'train.csv'), path.join(dir, 'test.csv'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(
    baseline.unavailable
      ? `coding baseline not available: ${baseline.unavailable}`
      : `coding baseline: macro-F1 ${baseline.macroF1}`,
  );
  return {
    trainRows: train.length,
    testRows: test.length,
    labels,
    variants,
    zeroShot,
    perSecond,
    medianPerSecond,
    baseline,
  };
}

const f = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(3));

/** The section of docs/BENCHMARKS.md for one run. */
export function codingSection(run: CodingBenchRun, context: { date: string; machine: string }): string {
  const ours = run.variants[0];
  const b = run.baseline;
  const baselineRow = b.unavailable
    ? `| scikit-learn TF-IDF (1–2 grams) + LinearSVC one-vs-rest | baseline not available: ${b.unavailable} | | | | |`
    : `| scikit-learn ${b.sklearn ?? ''} TF-IDF (1–2 grams, sublinear tf) + LinearSVC (C = 1) one-vs-rest | ${f(b.macroF1)} | ${f(b.microF1)} | – | ${b.trainMs ?? '–'} ms | ${b.predictionsPerSecond?.toLocaleString('en-GB') ?? '–'} (batch) |`;
  const verdict =
    b.unavailable || b.macroF1 === undefined || !ours
      ? 'not compared (no baseline in this run)'
      : ours.evaluation.macroF1 >= b.macroF1
        ? `met (${f(ours.evaluation.macroF1)} ≥ ${f(b.macroF1)})`
        : `**not met** (${f(ours.evaluation.macroF1)} < ${f(b.macroF1)})`;
  return [
    CODING_SECTION_TITLE,
    '',
    `Written by \`whatmatters bench coding\` (also part of \`npm run bench\`). Date: ${context.date}. Machine: ${context.machine}.`,
    `Data: our own labelled set (src/cli/bench/coding-corpus.ts: generated from the team's phrase templates with`,
    `known themes and sentiment, seeded, with coders' mistakes and everyday slips, plus ${HAND_WRITTEN.length} comments written by hand); trained on`,
    `${run.trainRows.toLocaleString('en-GB')} generated comments, tested on ${run.testRows.toLocaleString('en-GB')} others, which include phrasings training never saw; ${run.labels} labels.`,
    'Both rows of a table come from the same run, the same split and the same scoring (macro-F1 over the labels present in the test set).',
    '',
    '| coder | macro-F1 | micro-F1 | sentiment accuracy | training time | comments coded per second |',
    '|---|---|---|---|---|---|',
    ...run.variants.map(
      (v, i) =>
        `| ${v.name} | ${f(v.evaluation.macroF1)} | ${f(v.evaluation.microF1)} | ${f(v.evaluation.sentimentAccuracy)} | ${v.trainMs.toFixed(0)} ms | ${i === 0 ? `${Math.round(run.perSecond).toLocaleString('en-GB')} (one at a time, one core; best of 3, median ${Math.round(run.medianPerSecond).toLocaleString('en-GB')})` : ''} |`,
    ),
    `| the lexicon alone, before any confirmed code | ${f(run.zeroShot.macroF1)} | ${f(run.zeroShot.microF1)} | ${f(run.zeroShot.sentimentAccuracy)} | – | |`,
    baselineRow,
    '',
    `Goal (issue 12): our macro-F1 at or above the baseline's: ${verdict}. Coding speed target ≥ 10,000 comments per second on one core: ${run.perSecond >= 10_000 ? 'met' : '**not met**'}.`,
    'Training time includes the 3-fold cross-fitting that sets the thresholds and confidences (four trainings in all).',
    '',
  ].join('\n');
}
