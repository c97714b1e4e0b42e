import type { TopLevelSpec } from 'vega-lite';
import { accessibleSvg } from './accessible-svg.js';
import {
  axisFormat,
  type ChartBasics,
  type ChartResult,
  checkBasics,
  checkFinite,
  formatValue,
  listInWords,
} from './chart.js';
import { toCsv } from './csv.js';
import { CHART_COLOURS } from './palette.js';
import { chartSize, renderVegaLite } from './vega-svg.js';

export interface LineSeries {
  /** The group the line is for, e.g. "Women" or "North team". Unique within a chart. */
  name: string;
  /** One value per period, in the periods' order; null where there is none to show. */
  values: (number | null)[];
  /**
   * The values as disclosure control lets them be shown, e.g. "45%" or "*", one per period. Without
   * it, values are formatted and a null reads "No data".
   */
  shown?: string[];
}

export interface LineChartInput extends ChartBasics {
  /** Period labels in time order, e.g. "Apr 2025". */
  periods: string[];
  series: LineSeries[];
  periodLabel?: string;
  target?: number | null;
}

/**
 * Up to four lines, each told apart three ways — colour, dash pattern and point shape — so that no
 * comparison rests on colour alone (WCAG 1.4.1). More lines than that stop being readable; the table
 * remains for those.
 */
const STYLES = [
  { colour: CHART_COLOURS.improvement, dash: [1, 0], shape: 'circle' },
  { colour: CHART_COLOURS.concern, dash: [6, 4], shape: 'square' },
  { colour: CHART_COLOURS.neutral, dash: [2, 2], shape: 'diamond' },
  { colour: CHART_COLOURS.common, dash: [10, 3, 2, 3], shape: 'triangle-up' },
] as const;

/**
 * Groups compared over time: one line per group, broken where a period has no value, with an
 * optional target. The table has a row per period and a column per group.
 */
export async function renderLineChart(input: LineChartInput): Promise<ChartResult> {
  checkBasics(input);
  check(input);
  const format = input.valueFormat ?? 'number';
  const decimals = input.decimals ?? 1;
  const show = (v: number) => formatValue(v, format, decimals);
  const shownAt = (s: LineSeries, i: number) => {
    const value = s.values[i] ?? null;
    return s.shown?.[i] ?? (value === null ? 'No data' : show(value));
  };
  const target = input.target ?? null;
  const periodLabel = input.periodLabel ?? 'Period';

  const description = describe(input, shownAt, target === null ? null : show(target));
  const raw = await renderVegaLite(spec(input, periodLabel, target));
  const svg = accessibleSvg(raw, { idPrefix: input.idPrefix, title: input.title, description });
  const head = [periodLabel, ...input.series.map((s) => s.name)];
  return {
    svg,
    title: input.title,
    description,
    table: {
      caption: `${input.title}: the data`,
      head,
      rows: input.periods.map((period, i) => [period, ...input.series.map((s) => shownAt(s, i))]),
    },
    csv: toCsv(
      head,
      input.periods.map((period, i) => [
        period,
        ...input.series.map((s) => s.values[i] ?? (s.shown?.[i] === '*' ? '*' : null)),
      ]),
    ),
  };
}

function check(input: LineChartInput): void {
  if (!Array.isArray(input.periods) || input.periods.length === 0)
    throw new Error('periods must hold at least one period');
  if (new Set(input.periods).size !== input.periods.length) throw new Error('periods must be unique');
  if (!Array.isArray(input.series) || input.series.length === 0)
    throw new Error('series must hold at least one line');
  if (input.series.length > STYLES.length) {
    throw new Error(`series must hold at most ${STYLES.length} lines (a table reads better beyond that)`);
  }
  if (new Set(input.series.map((s) => s.name)).size !== input.series.length)
    throw new Error('series names must be unique');
  if (input.target !== null && input.target !== undefined) checkFinite('target', input.target);
  input.series.forEach((s, j) => {
    if (typeof s.name !== 'string' || s.name.trim() === '')
      throw new Error(`series[${j}].name must not be empty`);
    if (s.values.length !== input.periods.length) {
      throw new Error(`series[${j}].values must hold one value per period (${input.periods.length})`);
    }
    if (s.shown && s.shown.length !== input.periods.length) {
      throw new Error(`series[${j}].shown must hold one entry per period (${input.periods.length})`);
    }
    s.values.forEach((v, i) => {
      if (v !== null) checkFinite(`series[${j}].values[${i}]`, v);
    });
  });
}

function describe(
  input: LineChartInput,
  shownAt: (s: LineSeries, i: number) => string,
  target: string | null,
): string {
  const n = input.periods.length;
  const span =
    n === 1
      ? `in ${input.periods[0]}`
      : `over ${n} periods from ${input.periods[0]} to ${input.periods[n - 1]}`;
  const names = input.series.map((s) => s.name);
  const last = n - 1;
  return [
    `The chart shows ${input.valueLabel} for ${listInWords(names)} ${span}.`,
    `In ${input.periods[last]}: ${input.series.map((s) => `${s.name} ${shownAt(s, last)}`).join(', ')}${
      target === null ? '' : `; the target is ${target}`
    }.`,
  ].join(' ');
}

function spec(input: LineChartInput, periodLabel: string, target: number | null): TopLevelSpec {
  const names = input.series.map((s) => s.name);
  const styles = STYLES.slice(0, names.length);
  const rows = input.series.flatMap((s) =>
    input.periods.map((period, i) => ({ period, series: s.name, value: s.values[i] ?? null })),
  );
  const x = {
    field: 'period',
    type: 'ordinal' as const,
    sort: input.periods,
    title: periodLabel,
    axis: { labelAngle: -45, labelOverlap: 'greedy' as const, grid: false },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: input.valueLabel,
    axis: { format: axisFormat(input.valueFormat) },
  };
  // The points' legend names each line by colour and shape; the lines' own legend would overprint it.
  const series = (channel: 'colour' | 'dash' | 'shape', legend = true) => ({
    field: 'series',
    title: null,
    scale: { domain: names, range: styles.map((s) => (channel === 'colour' ? s.colour : s[channel])) },
    ...(legend ? {} : { legend: null }),
  });
  const layers: object[] = [
    {
      data: { values: rows },
      // A missing value breaks its line rather than joining the periods either side of it.
      mark: { type: 'line', strokeWidth: 2, invalid: 'break-paths-show-domains' },
      encoding: { x, y, color: series('colour', false), strokeDash: series('dash', false) },
    },
    {
      data: { values: rows.filter((r) => r.value !== null) },
      mark: { type: 'point', filled: true, size: 80, opacity: 1 },
      encoding: { x, y, color: series('colour'), shape: series('shape') },
    },
  ];
  if (target !== null) {
    layers.push({
      data: { values: [{ value: target }] },
      mark: { type: 'rule', color: CHART_COLOURS.target, strokeWidth: 2, strokeDash: [12, 3, 2, 3] },
      encoding: { y },
    });
  }
  return { ...chartSize(), layer: layers } as TopLevelSpec;
}
