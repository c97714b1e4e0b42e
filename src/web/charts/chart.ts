import { checkIdPrefix } from './accessible-svg.js';
import type { MdcIcon } from './mdc-icons.js';

/**
 * What every chart renderer gives a page: the SVG (already accessible: role, title, description),
 * the same words as a caption, the data as a visible table, and the data as CSV for download.
 * The chart is never the only way to the numbers: the table and the CSV carry all of them.
 */
export interface ChartResult {
  /** An inline SVG: role="img", labelled by its <title> and <desc>, scaled by its viewBox. */
  svg: string;
  title: string;
  /** One to three sentences saying what the chart shows: the caption and the SVG's <desc>. */
  description: string;
  table: ChartTable;
  /** The chart's data as CSV (RFC 4180, CRLF), safe to open in a spreadsheet (see csv.ts). */
  csv: string;
  /** Making Data Count icons with their words (SPC charts). */
  icons?: MdcIcon[];
}

export interface ChartTable {
  caption: string;
  head: string[];
  /** Text cells as shown; the first cell of each row names the row. */
  rows: string[][];
}

/** How values read: proportions (0–1) as percentages, or plain numbers. */
export type ValueFormat = 'percent' | 'number';

/** What every chart is asked for. */
export interface ChartBasics {
  /**
   * Starts every id in the SVG, so two charts on one page never share an id: a letter, then
   * letters, digits, "-" or "_".
   */
  idPrefix: string;
  title: string;
  /** The measure's name, as the value axis and the table's value column say it. */
  valueLabel: string;
  valueFormat?: ValueFormat;
  /** Decimal places shown (default 1; the CSV keeps full precision). */
  decimals?: number;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** A value as the table, caption and description show it (en-GB). */
export function formatValue(value: number, format: ValueFormat = 'number', decimals = 1): string {
  const key = `${format}:${decimals}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-GB', {
      style: format === 'percent' ? 'percent' : 'decimal',
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(value);
}

/** The d3-format specifier for the value axis' labels. */
export function axisFormat(format: ValueFormat = 'number'): string {
  return format === 'percent' ? '.0%' : ',~f';
}

/** "a", "a and b", "a, b and c": lists in descriptions read as sentences. */
export function listInWords(items: readonly string[], most = 5): string {
  const shown = items.length > most ? [...items.slice(0, most), `${items.length - most} more`] : [...items];
  if (shown.length <= 1) return shown[0] ?? '';
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Checks the fields every chart shares, naming the one that is wrong. */
export function checkBasics(basics: ChartBasics): void {
  checkIdPrefix(basics.idPrefix);
  if (basics.title.trim() === '') throw new Error('title must not be empty');
  if (basics.valueLabel.trim() === '') throw new Error('valueLabel must not be empty');
  if (
    basics.decimals !== undefined &&
    !(Number.isInteger(basics.decimals) && basics.decimals >= 0 && basics.decimals <= 6)
  ) {
    throw new Error(`decimals must be a whole number from 0 to 6: ${basics.decimals}`);
  }
}

/** Fails with the field's name when a number the chart needs is missing or not finite. */
export function checkFinite(field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${field} must be a finite number: ${String(value)}`);
  }
}

/** How one kind of point is drawn: its words in the key, and a colour and a shape, never colour alone. */
export interface PointStyle {
  label: string;
  colour: string;
  shape: string;
}

/**
 * The colour and shape encodings of a layer of points whose `field` holds a style's label: one
 * scale for each, over the styles present, so the key lists each kind once with both marks.
 */
export function styledPointEncoding(field: string, styles: readonly PointStyle[]) {
  const domain = styles.map((s) => s.label);
  return {
    color: { field, title: null, scale: { domain, range: styles.map((s) => s.colour) } },
    shape: { field, title: null, scale: { domain, range: styles.map((s) => s.shape) } },
  };
}
