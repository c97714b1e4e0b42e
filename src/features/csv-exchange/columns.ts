import type { TObject } from '@sinclair/typebox';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { FEEDBACK_CSV_COLUMNS, REQUIRED_FEEDBACK_CSV_COLUMNS } from '../feedback/csv.js';
import { type CsvKind, MAX_CSV_ROWS, OutcomeCsvRow, PersonCsvRow, PlanActionCsvRow } from './schema.js';

/**
 * The columns of each kind of file (docs/CSV.md): each column is one field of the kind's row
 * contract (schema.ts), with how its text becomes the field's value. A column is required in the
 * header when its field is required by the contract. Feedback files keep the feedback import's own
 * columns (features/feedback/csv.ts).
 */

/** How a cell's text becomes a value: text as typed, a whole number, or yes/no. */
export type CellType = 'text' | 'integer' | 'yes-no';

export interface CsvColumn {
  name: string;
  field: string;
  type: CellType;
}

const col = (name: string, field: string, type: CellType = 'text'): CsvColumn => ({ name, field, type });

export const PEOPLE_COLUMNS: readonly CsvColumn[] = [
  col('nhs_number', 'nhsNumber'),
  col('given_name', 'givenName'),
  col('family_name', 'familyName'),
  col('preferred_name', 'preferredName'),
  col('date_of_birth', 'dateOfBirth'),
  col('sex', 'sex'),
  col('gender', 'gender'),
  col('ethnic_category', 'ethnicCategory'),
  col('postcode', 'postcode'),
  col('phone', 'phone'),
  col('email', 'email'),
  col('preferred_contact_method', 'preferredContactMethod'),
  col('communication_needs', 'communicationNeeds'),
  col('support_kind', 'supportKind'),
  col('not_a_duplicate', 'notADuplicate', 'yes-no'),
];

export const OUTCOME_COLUMNS: readonly CsvColumn[] = [
  col('nhs_number', 'nhsNumber'),
  col('statement', 'statement'),
  col('why_it_matters', 'whyItMatters'),
  col('importance', 'importance', 'integer'),
  col('viewpoint', 'viewpoint'),
  col('rating', 'rating', 'integer'),
  col('rating_note', 'ratingNote'),
  col('rated_on', 'ratedOn'),
];

export const PLAN_ACTION_COLUMNS: readonly CsvColumn[] = [
  col('nhs_number', 'nhsNumber'),
  col('goal', 'goal'),
  col('outcome', 'outcome'),
  col('action', 'what'),
  col('who', 'whoKind'),
  col('who_name', 'whoName'),
  col('when', 'when'),
  col('status', 'status'),
  col('confidence', 'confidence', 'integer'),
];

export const FEEDBACK_COLUMNS: readonly CsvColumn[] = Object.entries(FEEDBACK_CSV_COLUMNS).map(
  ([name, field]) => col(name, field),
);

/** Each kind's columns, in the order an export writes them, and the row contract they fill. */
export const COLUMNS: Record<CsvKind, readonly CsvColumn[]> = {
  people: PEOPLE_COLUMNS,
  outcomes: OUTCOME_COLUMNS,
  'plan-actions': PLAN_ACTION_COLUMNS,
  feedback: FEEDBACK_COLUMNS,
};

const ROW_SCHEMAS: Record<Exclude<CsvKind, 'feedback'>, TObject> = {
  people: PersonCsvRow,
  outcomes: OutcomeCsvRow,
  'plan-actions': PlanActionCsvRow,
};

/** The columns a file of this kind must have in its header: those of the contract's required fields. */
export function requiredColumns(kind: CsvKind): string[] {
  if (kind === 'feedback') return [...REQUIRED_FEEDBACK_CSV_COLUMNS];
  const required = new Set(ROW_SCHEMAS[kind].required ?? []);
  return COLUMNS[kind].filter((c) => required.has(c.field)).map((c) => c.name);
}

/** The file's column for a contract field (`content.goals.0…` and unknown fields as given). */
export function columnOf(kind: CsvKind, field: string): string {
  return COLUMNS[kind].find((c) => c.field === field)?.name ?? field;
}

/** A file that cannot be read as this kind at all: said in one line, nothing imported. */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
}

export interface CsvRow {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** The values by contract field; a blank cell is left out. */
  input: Record<string, unknown>;
  /** Cells that could not become a value at all (a yes/no that is neither), by column. */
  problems: { column: string; message: string }[];
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

function cellValue(column: CsvColumn, text: string): { value?: unknown; problem?: string } {
  if (!text) return {};
  if (column.type === 'integer') return { value: /^[+-]?\d{1,9}$/.test(text) ? Number(text) : text };
  if (column.type === 'yes-no') {
    const word = text.toLowerCase();
    if (YES.has(word)) return { value: true };
    if (NO.has(word)) return { value: false };
    return { problem: 'must be yes or no' };
  }
  return { value: text };
}

/** The records of a CSV text, header first; a BOM is dropped. */
export function parseCsv(content: string): string[][] {
  try {
    return parse(content.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true });
  } catch (error) {
    throw new CsvFileError(`the file is not valid CSV: ${(error as Error).message}`);
  }
}

/**
 * Reads a file of one of the person kinds: its header must name only the kind's columns (in any
 * order) and at least the required ones; each row's cells become the contract's fields.
 */
export function readCsv(kind: Exclude<CsvKind, 'feedback'>, content: string): CsvRow[] {
  const [header, ...records] = parseCsv(content);
  if (!header) throw new CsvFileError('the file is empty: it needs a header row naming its columns');
  const columns = COLUMNS[kind];
  const names = header.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !columns.some((c) => c.name === n));
  if (unknown.length) {
    throw new CsvFileError(
      `unknown column ${unknown.map((c) => `"${c}"`).join(', ')}; the columns of a ${kind} file are ${columns.map((c) => c.name).join(', ')}`,
    );
  }
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new CsvFileError(`the column "${twice[0]}" is named twice`);
  const missing = requiredColumns(kind).filter((c) => !names.includes(c));
  if (missing.length) throw new CsvFileError(`missing column ${missing.map((c) => `"${c}"`).join(', ')}`);
  if (records.length > MAX_CSV_ROWS) {
    throw new CsvFileError(
      `the file has ${records.length} rows; at most ${MAX_CSV_ROWS} are imported at once: split it`,
    );
  }
  return records.map((values, i) => {
    const input: Record<string, unknown> = {};
    const problems: CsvRow['problems'] = [];
    names.forEach((name, index) => {
      const column = columns.find((c) => c.name === name) as CsvColumn;
      const { value, problem } = cellValue(column, (values[index] ?? '').trim());
      if (problem) problems.push({ column: name, message: problem });
      else if (value !== undefined) input[column.field] = value;
    });
    return { row: i + 2, input, problems };
  });
}

/** A cell as written: yes/no for booleans, blank for nothing. */
const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
};

/**
 * Writes rows (by contract field) as CSV with the kind's header. A cell that a spreadsheet would
 * take for a formula (=, +, -, @ first) is written with a leading apostrophe, as spreadsheets show.
 */
export function writeCsv(kind: CsvKind, rows: readonly Record<string, unknown>[]): string {
  const columns = COLUMNS[kind];
  const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d/.test(text) ? `'${text}` : text);
  return stringify(
    [columns.map((c) => c.name), ...rows.map((r) => columns.map((c) => safe(cellText(r[c.field]))))],
    {
      record_delimiter: 'windows',
    },
  );
}
