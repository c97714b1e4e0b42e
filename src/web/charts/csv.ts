import { stringify } from 'csv-stringify/sync';

/** A CSV cell: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | null | undefined;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/**
 * A table as CSV: a header row, then the rows; RFC 4180 (CRLF line ends, fields quoted where needed;
 * every text field quoted, numbers bare, so a spreadsheet keeps numbers as numbers).
 *
 * Text that a spreadsheet would run as a formula — a cell starting with =, +, -, @, tab or carriage
 * return — is neutralised with a leading apostrophe, as OWASP's "CSV Injection" guidance advises;
 * labels are data from users, and a commissioner opening the download must not run them. A cell that
 * is wholly a number ("-3.5") is no formula and is left as it is.
 */
export function toCsv(head: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const records = [head.map(safeCell), ...rows.map((row) => row.map(safeCell))];
  return stringify(records, { quoted_string: true, record_delimiter: 'windows' });
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function safeCell(cell: CsvCell): string | number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell)) return `'${cell}`;
  return cell;
}

/**
 * A download's file name from a chart's title: lower-case ASCII letters, digits and hyphens only
 * (nothing that could break out of a Content-Disposition header or name a path), at most 80
 * characters before ".csv".
 */
export function csvFilename(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/%/g, ' percent ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'chart-data'}.csv`;
}

/** The Content-Disposition header that downloads a CSV under a safe name. */
export function csvContentDisposition(title: string): string {
  return `attachment; filename="${csvFilename(title)}"`;
}
