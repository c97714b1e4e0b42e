import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import { type CodingExample, codeText, evaluateCoder, trainCoder } from '../../domain/coding/coder.js';
import { ServiceError } from '../../services/errors.js';
import { subcommandHelpers } from '../command-helpers.js';
import type { Command } from '../main.js';
import { UsageError } from '../usage-error.js';

const USAGE =
  'coding evaluate --train TRAIN.csv --test TEST.csv [--no-timing] | coding retrain --organisation ORGANISATION_ID';
const helpers = subcommandHelpers('coding', USAGE);
const REQUIRED_COLUMNS = ['id', 'text', 'codes'] as const;

export interface LabelledRow extends CodingExample {
  id: string;
}

/**
 * Reads a labelled CSV: columns id, text, codes (`|`-separated) and, optionally, sentiment (1–5, or
 * empty for unknown). Quoted fields may hold commas, quotes and newlines. Every problem is a usage
 * error naming the file, and the row and column where there is one.
 */
export function readLabelledCsv(file: string): LabelledRow[] {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such file.` : `${file}: cannot be read (${code ?? 'error'}).`,
    );
  }
  let records: string[][];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new UsageError(`${file}: not valid CSV: ${(error as Error).message.split('\n')[0]}`);
  }
  const header = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  for (const column of REQUIRED_COLUMNS)
    if (!header.includes(column))
      throw new UsageError(
        `${file} has no "${column}" column (it needs id,text,codes and may have sentiment; found: ${header.join(',') || 'nothing'}).`,
      );
  const at = (name: string) => header.indexOf(name);
  const [idAt, textAt, codesAt, sentimentAt] = [at('id'), at('text'), at('codes'), at('sentiment')];
  return records.slice(1).map((record, index) => {
    const id = record[idAt] ?? '';
    const rawSentiment = sentimentAt >= 0 ? (record[sentimentAt] ?? '').trim() : '';
    let sentiment: number | null = null;
    if (rawSentiment !== '') {
      sentiment = Number(rawSentiment);
      if (!Number.isInteger(sentiment) || sentiment < 1 || sentiment > 5)
        throw new UsageError(
          `${file} row ${index + 1} (id "${id}"), column sentiment: "${rawSentiment}" is not a whole number from 1 to 5.`,
        );
    }
    const codes = (record[codesAt] ?? '')
      .split('|')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    return { id, text: record[textAt] ?? '', codes: [...new Set(codes)], sentiment };
  });
}

/** Trains on one labelled CSV, scores the other, and returns the JSON the command prints. */
export function evaluateFiles(trainFile: string, testFile: string, timing: boolean): Record<string, unknown> {
  const train = readLabelledCsv(trainFile);
  const test = readLabelledCsv(testFile);
  if (train.length === 0) throw new UsageError(`${trainFile} has no rows to train on.`);
  if (!train.some((row) => row.codes.length > 0))
    throw new UsageError(`${trainFile} has no codes to learn from (the codes column is empty in every row).`);
  const t0 = performance.now();
  const model = trainCoder(train);
  const trainMs = performance.now() - t0;
  // A few texts first, untimed, so the speed is that of warm code (as in a running service).
  for (const row of test.slice(0, 500)) codeText(model, row.text);
  const t1 = performance.now();
  const evaluation = evaluateCoder(model, test);
  const predictSeconds = (performance.now() - t1) / 1000;
  return {
    microF1: evaluation.microF1,
    macroF1: evaluation.macroF1,
    labels: evaluation.labels,
    ...(evaluation.sentimentAccuracy !== undefined
      ? {
          sentimentAccuracy: evaluation.sentimentAccuracy,
          sentimentMeanAbsoluteError: evaluation.sentimentMeanAbsoluteError,
        }
      : {}),
    trainExamples: train.length,
    testExamples: test.length,
    trainMs: timing ? Math.round(trainMs) : null,
    predictionsPerSecond: timing && predictSeconds > 0 ? Math.round(test.length / predictSeconds) : null,
  };
}

/**
 * `coding retrain --organisation ID`: an operator retrains an organisation's coding model now, on its
 * reviewed stories, as "Retrain now" does (a new version, unreviewed stories recoded); prints the
 * version, examples, stories recoded and training time as JSON. Exit 2 and one line when the id is
 * not an organisation's.
 */
async function retrain(args: string[]): Promise<number> {
  const organisation = helpers.required(
    helpers.parse(args, { organisation: { type: 'string' } }),
    'organisation',
  );
  return helpers.withServices('retrain', async (services) => {
    try {
      const report = await services.feedbackCoding.retrainByOperator(organisation);
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof ServiceError && error.status === 404)
        throw new UsageError(`--organisation ${organisation} is not an organisation's id.`);
      throw error;
    }
  });
}

export const codingCommand: Command = {
  name: 'coding',
  usage: USAGE,
  summary:
    'Train the automatic coder of feedback on one labelled CSV (id,text,codes[,sentiment]) and score it on another; print JSON. Or retrain an organisation’s coding model',
  async run(args) {
    const [subcommand, ...rest] = args;
    if (subcommand === 'retrain') return retrain(rest);
    if (subcommand !== 'evaluate') throw helpers.unknownSubcommand(subcommand);
    const timing = !rest.includes('--no-timing');
    const values = helpers.parse(
      rest.filter((a) => a !== '--no-timing'),
      { train: { type: 'string' }, test: { type: 'string' } },
    );
    const result = evaluateFiles(helpers.required(values, 'train'), helpers.required(values, 'test'), timing);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
};
