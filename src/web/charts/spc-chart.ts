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
  type PointStyle,
  styledPointEncoding,
} from './chart.js';
import { toCsv } from './csv.js';
import { type AssuranceIconKey, mdcIcons, type VariationIconKey } from './mdc-icons.js';
import { CHART_COLOURS } from './palette.js';
import { chartSize, renderVegaLite } from './vega-svg.js';

/** The special-cause rule that flagged a point (as the SPC calculation names them). */
export type SpcSpecial = 'none' | 'outside' | 'trend' | 'twoInThree' | 'shift';
export type SpcVariation = 'common' | 'improvement' | 'concern' | 'neutral';

export interface SpcChartPoint {
  /** The period's label, e.g. "Apr 2025"; unique within a chart. */
  period: string;
  value: number;
  special: SpcSpecial;
  variation: SpcVariation;
  /** This point's limits when the chart is rebased; otherwise the chart's own. */
  mean?: number;
  lpl?: number;
  upl?: number;
}

export interface SpcChartInput extends ChartBasics {
  points: SpcChartPoint[];
  mean: number;
  lpl: number;
  upl: number;
  target?: number | null;
  /** The limits rest on fewer points than the rule set's minimum, so they may still move. */
  trialLimits?: boolean;
  variationIcon?: VariationIconKey | null;
  assurance?: AssuranceIconKey | null;
  /** The time axis' name (default "Period"). */
  periodLabel?: string;
}

/**
 * How each kind of point looks and reads. Colour follows Making Data Count (grey common cause, blue
 * improvement, orange concern, purple neither), and shape says the same again, so nothing rests on
 * colour alone (WCAG 1.4.1).
 */
const POINT_KINDS: Record<SpcVariation, PointStyle> = {
  common: { label: 'Common cause', colour: CHART_COLOURS.common, shape: 'circle' },
  improvement: { label: 'Special cause: improvement', colour: CHART_COLOURS.improvement, shape: 'square' },
  concern: { label: 'Special cause: concern', colour: CHART_COLOURS.concern, shape: 'diamond' },
  neutral: {
    label: 'Special cause: neither better nor worse',
    colour: CHART_COLOURS.neutral,
    shape: 'triangle-up',
  },
};
const VARIATION_ORDER: SpcVariation[] = ['common', 'improvement', 'concern', 'neutral'];

/** Each rule in words, for the table and the CSV. */
const SPECIAL_WORDS: Record<Exclude<SpcSpecial, 'none'>, string> = {
  outside: 'outside the process limits',
  shift: 'in a run of points on one side of the mean',
  trend: 'in a run of points all rising or all falling',
  twoInThree: 'two of three points close to a process limit',
};

const NATURE_WORDS: Record<Exclude<SpcVariation, 'common'>, string> = {
  improvement: 'improvement',
  concern: 'concern',
  neutral: 'neither better nor worse',
};

/** A point's variation in words: what the chart shows by colour and shape. */
export function spcPointWords(point: Pick<SpcChartPoint, 'special' | 'variation'>): string {
  if (point.variation === 'common') return 'Common cause';
  const nature = NATURE_WORDS[point.variation];
  return point.special === 'none'
    ? `Special cause, ${nature}`
    : `Special cause, ${nature}: ${SPECIAL_WORDS[point.special]}`;
}

interface ResolvedPoint extends SpcChartPoint {
  mean: number;
  lpl: number;
  upl: number;
  /** Which set of limits (0 before the first rebase, then 1, 2, …). */
  phase: number;
}

/**
 * An XmR chart in the Making Data Count style: the values joined by a grey line, the mean solid,
 * process limits dashed (broken where the chart is rebased), an optional target, special-cause points
 * coloured and shaped by their nature. The table lists every point with its limits and its variation
 * in words.
 */
export async function renderSpcChart(input: SpcChartInput): Promise<ChartResult> {
  checkBasics(input);
  const points = resolvePoints(input);
  const format = input.valueFormat ?? 'number';
  const decimals = input.decimals ?? 1;
  const show = (v: number) => formatValue(v, format, decimals);
  const target = input.target ?? null;
  if (target !== null) checkFinite('target', target);
  const periodLabel = input.periodLabel ?? 'Period';

  const description = describe(input, points, show, target);
  const raw = await renderVegaLite(spec(input, points, target, periodLabel));
  const svg = accessibleSvg(raw, { idPrefix: input.idPrefix, title: input.title, description });

  const head = [periodLabel, input.valueLabel, 'Mean', 'Lower process limit', 'Upper process limit'];
  if (target !== null) head.push('Target');
  head.push('Variation');
  const tableRows = points.map((p) => {
    const row = [p.period, show(p.value), show(p.mean), show(p.lpl), show(p.upl)];
    if (target !== null) row.push(show(target));
    row.push(spcPointWords(p));
    return row;
  });
  const csvRows = points.map((p) => [
    p.period,
    p.value,
    p.mean,
    p.lpl,
    p.upl,
    ...(target !== null ? [target] : []),
    spcPointWords(p),
  ]);
  return {
    svg,
    title: input.title,
    description,
    table: { caption: `${input.title}: the data`, head, rows: tableRows },
    csv: toCsv(head, csvRows),
    icons: mdcIcons(input.variationIcon, input.assurance),
  };
}

function resolvePoints(input: SpcChartInput): ResolvedPoint[] {
  if (!Array.isArray(input.points) || input.points.length === 0)
    throw new Error('points must hold at least one point');
  checkFinite('mean', input.mean);
  checkFinite('lpl', input.lpl);
  checkFinite('upl', input.upl);
  const seen = new Set<string>();
  let phase = 0;
  let previous: ResolvedPoint | undefined;
  return input.points.map((point, i) => {
    const field = `points[${i}]`;
    if (typeof point.period !== 'string' || point.period.trim() === '')
      throw new Error(`${field}.period must not be empty`);
    if (seen.has(point.period))
      throw new Error(`${field}.period repeats "${point.period}": periods must be unique`);
    seen.add(point.period);
    checkFinite(`${field}.value`, point.value);
    if (!(point.variation in POINT_KINDS))
      throw new Error(`${field}.variation is not a variation: ${point.variation}`);
    if (point.special !== 'none' && !(point.special in SPECIAL_WORDS)) {
      throw new Error(`${field}.special is not a special-cause rule: ${point.special}`);
    }
    const mean = point.mean ?? input.mean;
    const lpl = point.lpl ?? input.lpl;
    const upl = point.upl ?? input.upl;
    checkFinite(`${field}.mean`, mean);
    checkFinite(`${field}.lpl`, lpl);
    checkFinite(`${field}.upl`, upl);
    if (previous && (previous.mean !== mean || previous.lpl !== lpl || previous.upl !== upl)) phase += 1;
    previous = { ...point, mean, lpl, upl, phase };
    return previous;
  });
}

function describe(
  input: SpcChartInput,
  points: readonly ResolvedPoint[],
  show: (v: number) => string,
  target: number | null,
): string {
  const first = points[0] as ResolvedPoint;
  const last = points[points.length - 1] as ResolvedPoint;
  const span =
    points.length === 1
      ? `1 period, ${first.period}`
      : `${points.length} periods from ${first.period} to ${last.period}`;
  const sentences = [
    `The chart shows ${input.valueLabel} over ${span}; the latest value is ${show(last.value)} (${spcPointWords(last).toLowerCase()}).`,
  ];
  const since = last.phase > 0 ? `Since ${points.find((p) => p.phase === last.phase)?.period}, the` : 'The';
  sentences.push(
    `${since} mean is ${show(last.mean)} with process limits from ${show(last.lpl)} to ${show(last.upl)}` +
      (input.trialLimits ? ' (trial limits, from too few points to be fixed yet)' : '') +
      (target !== null ? `; the target is ${show(target)}.` : '.'),
  );
  const special = points.filter((p) => p.variation !== 'common');
  if (special.length === 0) {
    sentences.push('Every point shows common cause variation.');
  } else {
    const groups = VARIATION_ORDER.filter((v) => v !== 'common')
      .map((v) => {
        const periods = special.filter((p) => p.variation === v).map((p) => p.period);
        return periods.length
          ? `${NATURE_WORDS[v as Exclude<SpcVariation, 'common'>]} (${listInWords(periods)})`
          : '';
      })
      .filter(Boolean);
    sentences.push(
      `${special.length} ${special.length === 1 ? 'point shows' : 'points show'} special cause variation: ${listInWords(groups)}.`,
    );
  }
  return sentences.join(' ');
}

function spec(
  input: SpcChartInput,
  points: readonly ResolvedPoint[],
  target: number | null,
  periodLabel: string,
): TopLevelSpec {
  const limitsName = input.trialLimits ? 'Process limits (trial)' : 'Process limits';
  const meanName = input.trialLimits ? 'Mean (trial)' : 'Mean';
  const lines = points.flatMap((p) => [
    { period: p.period, value: p.mean, series: meanName, line: `mean-${p.phase}` },
    { period: p.period, value: p.lpl, series: limitsName, line: `lpl-${p.phase}` },
    { period: p.period, value: p.upl, series: limitsName, line: `upl-${p.phase}` },
    ...(target !== null ? [{ period: p.period, value: target, series: 'Target', line: 'target' }] : []),
  ]);
  const lineSeries = [meanName, limitsName, ...(target !== null ? ['Target'] : [])];
  const present = VARIATION_ORDER.filter((v) => points.some((p) => p.variation === v));
  const periods = points.map((p) => p.period);
  const x = {
    field: 'period',
    type: 'ordinal' as const,
    sort: periods,
    title: periodLabel,
    axis: { labelAngle: -45, labelOverlap: 'greedy' as const, grid: false },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: input.valueLabel,
    scale: { zero: false },
    axis: { format: axisFormat(input.valueFormat) },
  };
  return {
    ...chartSize(),
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y,
          detail: { field: 'line' },
          color: {
            field: 'series',
            title: null,
            scale: {
              domain: lineSeries,
              range: [CHART_COLOURS.text, CHART_COLOURS.secondary, CHART_COLOURS.target],
            },
            legend: { symbolType: 'stroke', symbolStrokeWidth: 2 },
          },
          strokeDash: {
            field: 'series',
            title: null,
            scale: {
              domain: lineSeries,
              range: [
                [1, 0],
                [6, 4],
                [12, 3, 2, 3],
              ],
            },
          },
        },
      },
      {
        data: { values: points.map((p) => ({ period: p.period, value: p.value })) },
        mark: { type: 'line', color: CHART_COLOURS.common, strokeWidth: 1.5 },
        encoding: { x, y },
      },
      {
        data: {
          values: points.map((p) => ({
            period: p.period,
            value: p.value,
            kind: POINT_KINDS[p.variation].label,
          })),
        },
        mark: { type: 'point', filled: true, size: 100, opacity: 1 },
        encoding: {
          x,
          y,
          ...styledPointEncoding(
            'kind',
            present.map((v) => POINT_KINDS[v]),
          ),
        },
      },
    ],
    resolve: { scale: { color: 'independent', strokeDash: 'independent', shape: 'independent' } },
  } as TopLevelSpec;
}
