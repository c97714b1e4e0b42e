import type { TopLevelSpec } from 'vega-lite';
import { accessibleSvg } from './accessible-svg.js';
import { type ChartBasics, type ChartResult, checkBasics, checkFinite, formatValue } from './chart.js';
import { toCsv } from './csv.js';
import { CHART_COLOURS } from './palette.js';
import { chartSize, renderVegaLite, SMALL_LABEL_SIZE } from './vega-svg.js';

/** One completed measure's score: when, how much, its band, and who completed it. */
export interface ScorePointInput {
  /** The date as shown, e.g. "3 March 2026"; repeated dates are told apart in the chart. */
  when: string;
  value: number;
  /** The band's words ("Moderate"), or null for a score without bands. */
  band: string | null;
  /** Who completed it, in words ("With a practitioner"). */
  completedBy: string;
}

export interface ScoreBandInput {
  label: string;
  /** Inclusive bounds of the band, on the score's own scale. */
  min: number;
  max: number;
}

export interface ScoreChartInput extends ChartBasics {
  points: ScorePointInput[];
  /** The score's full range, so every chart of one measure has the same axis. */
  scale: { min: number; max: number };
  /** The bands, lowest first; none for a score without bands. */
  bands: ScoreBandInput[];
  /** Whether a higher score is the better outcome, said in the description. */
  higherIsBetter: boolean;
}

/**
 * One person's score on one measure over time: a line through each completed measure's score on
 * the measure's full scale, with its bands shaded behind and named at the side, so the band a score
 * falls in can be read from the band's words, not from shading alone (WCAG 1.4.1). The table lists
 * every score with its band and who completed it; the description names the first and the latest.
 */
export async function renderScoreChart(input: ScoreChartInput): Promise<ChartResult> {
  checkBasics(input);
  check(input);
  const decimals = input.decimals ?? 0;
  const show = (v: number) => formatValue(v, 'number', decimals);
  const periods = uniqueLabels(input.points.map((p) => p.when));
  const description = describe(input, show);
  const raw = await renderVegaLite(spec(input, periods));
  const svg = accessibleSvg(raw, { idPrefix: input.idPrefix, title: input.title, description });
  const hasBands = input.bands.length > 0;
  const head = ['Date', input.valueLabel, ...(hasBands ? ['Band'] : []), 'Completed'];
  const row = (p: ScorePointInput, value: string | number) => [
    p.when,
    value,
    ...(hasBands ? [p.band ?? 'No band'] : []),
    p.completedBy,
  ];
  return {
    svg,
    title: input.title,
    description,
    table: {
      caption: `${input.title}: the scores`,
      head,
      rows: input.points.map((p) => row(p, show(p.value)) as string[]),
    },
    csv: toCsv(
      head,
      input.points.map((p) => row(p, p.value)),
    ),
  };
}

function check(input: ScoreChartInput): void {
  if (!Array.isArray(input.points) || input.points.length === 0)
    throw new Error('points must hold at least one score');
  checkFinite('scale.min', input.scale.min);
  checkFinite('scale.max', input.scale.max);
  if (input.scale.max <= input.scale.min) throw new Error('scale.max must be above scale.min');
  input.points.forEach((p, i) => {
    checkFinite(`points[${i}].value`, p.value);
    if (typeof p.when !== 'string' || p.when.trim() === '')
      throw new Error(`points[${i}].when must not be empty`);
  });
  input.bands.forEach((b, i) => {
    checkFinite(`bands[${i}].min`, b.min);
    checkFinite(`bands[${i}].max`, b.max);
    if (b.max < b.min) throw new Error(`bands[${i}].max must not be below its min`);
    if (b.label.trim() === '') throw new Error(`bands[${i}].label must not be empty`);
  });
}

/** "3 March 2026", "3 March 2026 (2)": an ordinal axis needs each label once. */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label} (${n})`;
  });
}

function describe(input: ScoreChartInput, show: (v: number) => string): string {
  const first = input.points[0] as ScorePointInput;
  const last = input.points[input.points.length - 1] as ScorePointInput;
  const withBand = (p: ScorePointInput) => `${show(p.value)}${p.band ? ` (${p.band.toLowerCase()})` : ''}`;
  const better = input.higherIsBetter ? 'Higher scores are better.' : 'Lower scores are better.';
  if (input.points.length === 1) {
    return `The chart shows one ${input.valueLabel} score, ${withBand(first)} on ${first.when}, on a scale of ${show(input.scale.min)} to ${show(input.scale.max)}. ${better}`;
  }
  return [
    `The chart shows ${input.points.length} ${input.valueLabel} scores from ${first.when} to ${last.when}, on a scale of ${show(input.scale.min)} to ${show(input.scale.max)}${input.bands.length ? ', with its bands shaded and named' : ''}.`,
    `The first was ${withBand(first)}; the latest is ${withBand(last)}. ${better}`,
  ].join(' ');
}

/** Light greys, alternating, so neighbouring bands are told apart; their names say which is which. */
const BAND_FILLS = ['#f0f4f5', '#d8dde0'];

function spec(input: ScoreChartInput, periods: readonly string[]): TopLevelSpec {
  const { min, max } = input.scale;
  const rows = input.points.map((p, i) => ({ period: periods[i], value: p.value }));
  // Each band reaches halfway to the next, so a whole-number score sits inside its band's shading.
  const bands = input.bands.map((b, i) => ({
    label: b.label,
    low: Math.max(min, b.min === min ? min : b.min - 0.5),
    high: Math.min(max, b.max === max ? max : b.max + 0.5),
    mid: (Math.max(min, b.min) + Math.min(max, b.max)) / 2,
    fill: BAND_FILLS[i % BAND_FILLS.length],
  }));
  const x = {
    field: 'period',
    type: 'ordinal' as const,
    sort: [...periods],
    title: 'Date',
    axis: { labelAngle: -45, labelOverlap: 'greedy' as const, grid: false },
  };
  const yScale = { domain: [min, max], nice: false, zero: false };
  const y = { field: 'value', type: 'quantitative' as const, title: input.valueLabel, scale: yScale };
  const layers: object[] = [];
  if (bands.length) {
    layers.push(
      {
        data: { values: bands },
        mark: { type: 'rect', opacity: 1 },
        encoding: {
          y: { field: 'low', type: 'quantitative', scale: yScale, title: input.valueLabel },
          y2: { field: 'high' },
          color: { field: 'fill', type: 'nominal', scale: null, legend: null },
        },
      },
      {
        data: { values: bands },
        mark: {
          type: 'text',
          align: 'right',
          baseline: 'middle',
          dx: -4,
          x: { expr: 'width' },
          fontSize: SMALL_LABEL_SIZE,
          color: CHART_COLOURS.text,
        },
        encoding: {
          y: { field: 'mid', type: 'quantitative', scale: yScale },
          text: { field: 'label' },
        },
      },
    );
  }
  layers.push(
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 2, color: CHART_COLOURS.improvement },
      encoding: { x, y },
    },
    {
      data: { values: rows },
      mark: {
        type: 'point',
        filled: true,
        size: 90,
        opacity: 1,
        shape: 'circle',
        color: CHART_COLOURS.improvement,
      },
      encoding: { x, y },
    },
  );
  return { ...chartSize(), layer: layers, resolve: { scale: { y: 'shared' } } } as TopLevelSpec;
}
