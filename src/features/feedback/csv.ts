import { parse } from 'csv-parse/sync';
import {
  FEEDBACK_LIMITS,
  FEEDBACK_WRITERS,
  FFT_ANSWER_LABELS,
  FFT_ANSWERS,
} from '../../domain/feedback/vocabulary.js';

/**
 * The feedback import file (docs/FEEDBACK.md): a CSV with a header row naming these columns, in any
 * order. Each maps to one field of the import contract (schema.ts ImportedFeedbackRow).
 */
export const FEEDBACK_CSV_COLUMNS = {
  id: 'sourceId',
  received_on: 'receivedOn',
  fft: 'fft',
  good: 'whatWasGood',
  better: 'whatCouldBeBetter',
  writer: 'writer',
  age_band: 'ageBand',
  consent: 'consentToPublish',
} as const;
export type FeedbackCsvColumn = keyof typeof FEEDBACK_CSV_COLUMNS;
/** Columns the header must have; the others may be left out. */
export const REQUIRED_FEEDBACK_CSV_COLUMNS: readonly FeedbackCsvColumn[] = [
  'id',
  'received_on',
  'fft',
  'consent',
];

/** A file that cannot be read as a feedback import at all: the CLI exits 2 saying why, in one line. */
export class FeedbackCsvError extends Error {
  override name = 'FeedbackCsvError';
}

const COLUMN_OF_FIELD: Record<string, string> = Object.fromEntries(
  Object.entries(FEEDBACK_CSV_COLUMNS).map(([column, field]) => [field, column]),
);
/** The file's column for a contract field. */
export const columnOfField = (field: string): string => COLUMN_OF_FIELD[field] ?? field;

const norm = (s: string) => s.trim().toLowerCase().replaceAll('’', "'");
/** An FFT answer by its key (`very-good`) or its words (`Very good`, `Don't know`). */
const FFT_BY_TEXT = new Map<string, string>([
  ...FFT_ANSWERS.map((k) => [k, k] as const),
  ...Object.entries(FFT_ANSWER_LABELS).map(([k, label]) => [norm(label), k] as const),
]);
const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

export interface FeedbackCsvRow {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  input: Record<string, unknown>;
  /** What is wrong with a value before the contract sees it (a consent that is neither yes nor no). */
  problems: { column: string; message: string }[];
}

/** Reads the file's rows, mapped to the import contract's fields; throws FeedbackCsvError for a bad file. */
export function readFeedbackCsv(content: string): FeedbackCsvRow[] {
  let records: string[][];
  try {
    records = parse(content.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true });
  } catch (error) {
    throw new FeedbackCsvError(`the file is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new FeedbackCsvError('the file is empty: it needs a header row naming its columns');
  const columns = header.map((h) => h.trim().toLowerCase());
  const unknown = columns.filter((c) => !(c in FEEDBACK_CSV_COLUMNS));
  if (unknown.length) {
    throw new FeedbackCsvError(
      `unknown column ${unknown.map((c) => `"${c}"`).join(', ')}; the columns are ${Object.keys(FEEDBACK_CSV_COLUMNS).join(', ')}`,
    );
  }
  const missing = REQUIRED_FEEDBACK_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) throw new FeedbackCsvError(`missing column ${missing.map((c) => `"${c}"`).join(', ')}`);
  if (rows.length > FEEDBACK_LIMITS.importRows) {
    throw new FeedbackCsvError(
      `the file has ${rows.length} rows; at most ${FEEDBACK_LIMITS.importRows} are imported at once: split it`,
    );
  }
  return rows.map((values, i) => {
    const cell = (column: FeedbackCsvColumn) => {
      const index = columns.indexOf(column);
      return index < 0 ? '' : (values[index] ?? '').trim();
    };
    const problems: FeedbackCsvRow['problems'] = [];
    const fft = cell('fft');
    const consent = norm(cell('consent'));
    let consentToPublish: boolean | undefined;
    if (YES.has(consent)) consentToPublish = true;
    else if (NO.has(consent)) consentToPublish = false;
    else
      problems.push({
        column: 'consent',
        message: consent ? 'must be yes or no' : 'is required (yes or no)',
      });
    const writer = norm(cell('writer'));
    const ageBand = cell('age_band');
    return {
      row: i + 2,
      problems,
      input: {
        sourceId: cell('id'),
        receivedOn: cell('received_on'),
        fft: fft ? (FFT_BY_TEXT.get(norm(fft)) ?? fft) : undefined,
        whatWasGood: cell('good'),
        whatCouldBeBetter: cell('better'),
        writer: writer
          ? (FEEDBACK_WRITERS as readonly string[]).includes(writer)
            ? writer
            : cell('writer')
          : null,
        // An age band not among FEEDBACK_AGE_BANDS is refused by the contract, naming the column.
        ageBand: ageBand || null,
        consentToPublish: consentToPublish ?? false,
      },
    };
  });
}
