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
import { CHART_COLOURS } from './palette.js';
import { chartSize, renderVegaLite, SMALL_LABEL_SIZE } from './vega-svg.js';

export type FunnelOutside = 'none' | '95' | '99.8';

export interface FunnelChartUnit {
  id: string;
  label: string;
  /** A proportion (0–1) or a standardised ratio. */
  value: number;
  /** The unit's denominator (for a ratio, its expected count). */
  denominator: number;
  outside: FunnelOutside;
}

/** The control limits at one denominator: the funnel's curves are drawn through these. */
export interface FunnelLimitPoint {
  denominator: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

export interface FunnelChartInput extends Omit<ChartBasics, 'valueFormat'> {
  /** Proportions read as percentages; standardised ratios as numbers (default 2 decimals). */
  measure: 'proportion' | 'ratio';
  units: FunnelChartUnit[];
  /** The centre line: the pooled proportion, or 1 for a standardised ratio. */
  target: number;
  limits: FunnelLimitPoint[];
  /** The x axis' name, e.g. "People reviewed" or "Expected count". */
  denominatorLabel: string;
  /** What a unit is, for the table's first column (default "Unit"), e.g. "Provider". */
  unitLabel?: string;
  /** What the centre line is (default "Target"), e.g. "All providers". */
  targetLabel?: string;
}

const STATUS: Record<FunnelOutside, PointStyle> = {
  none: { label: 'Within the 95% limits', colour: CHART_COLOURS.common, shape: 'circle' },
  '95': { label: 'Outside the 95% limits', colour: CHART_COLOURS.improvement, shape: 'square' },
  '99.8': { label: 'Outside the 99.8% limits', colour: CHART_COLOURS.concern, shape: 'diamond' },
};
const STATUS_ORDER: FunnelOutside[] = ['none', '95', '99.8'];

/** Where a unit sits against the funnel, in words; above or below is relative to the centre line. */
export function funnelPositionWords(
  unit: Pick<FunnelChartUnit, 'value' | 'outside'>,
  target: number,
): string {
  if (unit.outside === 'none') return 'Within the 95% limits';
  const side = unit.value > target ? 'Above' : 'Below';
  return unit.outside === '95'
    ? `${side} the 95% limits (within the 99.8% limits)`
    : `${side} the 99.8% limits`;
}

/**
 * A funnel plot: each unit's value against its size, the centre line, and the 95% and 99.8% control
 * limits, which narrow as the denominator grows (Spiegelhalter 2005, "Funnel plots for comparing
 * institutional performance"). Units outside the limits differ by colour and shape, and those outside
 * the 99.8% limits are named on the chart; the table says where every unit sits, in words.
 */
export async function renderFunnelChart(input: FunnelChartInput): Promise<ChartResult> {
  checkBasics(input);
  checkUnits(input);
  const format = input.measure === 'proportion' ? 'percent' : 'number';
  const decimals = input.decimals ?? (input.measure === 'proportion' ? 1 : 2);
  const show = (v: number) => formatValue(v, format, decimals);
  const showDenominator = (d: number) => formatValue(d, 'number', Number.isInteger(d) ? 0 : 1);
  const unitLabel = input.unitLabel ?? 'Unit';

  const description = describe(input, show);
  const raw = await renderVegaLite(spec(input, format));
  const svg = accessibleSvg(raw, { idPrefix: input.idPrefix, title: input.title, description });

  const head = [unitLabel, input.valueLabel, input.denominatorLabel, 'Compared with the limits'];
  return {
    svg,
    title: input.title,
    description,
    table: {
      caption: `${input.title}: the data`,
      head,
      rows: input.units.map((u) => [
        u.label,
        show(u.value),
        showDenominator(u.denominator),
        funnelPositionWords(u, input.target),
      ]),
    },
    csv: toCsv(
      head,
      input.units.map((u) => [u.label, u.value, u.denominator, funnelPositionWords(u, input.target)]),
    ),
  };
}

function checkUnits(input: FunnelChartInput): void {
  if (input.measure !== 'proportion' && input.measure !== 'ratio') {
    throw new Error(`measure must be "proportion" or "ratio": ${String(input.measure)}`);
  }
  if (!Array.isArray(input.units) || input.units.length === 0)
    throw new Error('units must hold at least one unit');
  checkFinite('target', input.target);
  if (input.denominatorLabel.trim() === '') throw new Error('denominatorLabel must not be empty');
  input.units.forEach((u, i) => {
    if (typeof u.label !== 'string' || u.label.trim() === '')
      throw new Error(`units[${i}].label must not be empty`);
    checkFinite(`units[${i}].value`, u.value);
    checkFinite(`units[${i}].denominator`, u.denominator);
    if (u.denominator <= 0) throw new Error(`units[${i}].denominator must be above 0: ${u.denominator}`);
    if (!(u.outside in STATUS))
      throw new Error(`units[${i}].outside must be "none", "95" or "99.8": ${u.outside}`);
  });
  if (!Array.isArray(input.limits)) throw new Error('limits must be a list');
  input.limits.forEach((l, i) => {
    checkFinite(`limits[${i}].denominator`, l.denominator);
  });
}

function describe(input: FunnelChartInput, show: (v: number) => string): string {
  const n = input.units.length;
  const unitWord = (input.unitLabel ?? 'Unit').toLowerCase();
  const centre = input.targetLabel ? ` (${input.targetLabel})` : '';
  const sentences = [
    `The chart compares ${n} ${n === 1 ? unitWord : `${unitWord}s`} by ${input.valueLabel} and ${input.denominatorLabel.toLowerCase()}, ` +
      `against a centre line of ${show(input.target)}${centre} with 95% and 99.8% limits.`,
  ];
  const beyond = (outside: FunnelOutside) =>
    input.units
      .filter((u) => u.outside === outside)
      .map((u) => `${u.label} (${u.value > input.target ? 'above' : 'below'})`);
  const far = beyond('99.8');
  const near = beyond('95');
  if (far.length === 0 && near.length === 0) {
    sentences.push('Every one is within the 95% limits, as chance alone would explain.');
  } else {
    const parts: string[] = [];
    if (far.length) parts.push(`outside the 99.8% limits: ${listInWords(far)}`);
    if (near.length) parts.push(`outside the 95% limits only: ${listInWords(near)}`);
    sentences.push(`${parts.join('; ')}.`.replace(/^o/, 'O'));
  }
  return sentences.join(' ');
}

function spec(input: FunnelChartInput, format: 'percent' | 'number'): TopLevelSpec {
  const targetName = input.targetLabel ?? 'Target';
  const denominators = input.units.map((u) => u.denominator);
  // The curves widen without bound as the denominator falls to 0; drawn only from half the smallest
  // unit's size, so the funnel's mouth does not squash the units into a line.
  const from = Math.min(...denominators) / 2;
  const to = Math.max(...denominators);
  const clamp = (v: number) =>
    input.measure === 'proportion' ? Math.min(1, Math.max(0, v)) : Math.max(0, v);
  const curves = input.limits
    .filter((l) => l.denominator >= from)
    .sort((a, b) => a.denominator - b.denominator)
    .flatMap((l) =>
      (
        [
          ['95% limits', 'lower95', l.lower95],
          ['95% limits', 'upper95', l.upper95],
          ['99.8% limits', 'lower998', l.lower998],
          ['99.8% limits', 'upper998', l.upper998],
        ] as const
      )
        .filter(([, , v]) => Number.isFinite(v))
        .map(([series, line, v]) => ({ denominator: l.denominator, value: clamp(v), series, line })),
    );
  const right = Math.max(to, ...curves.map((c) => c.denominator));
  const lines = [
    ...curves,
    { denominator: 0, value: input.target, series: targetName, line: 'target' },
    { denominator: right, value: input.target, series: targetName, line: 'target' },
  ];
  const lineSeries = [targetName, '95% limits', '99.8% limits'];
  const present = STATUS_ORDER.filter((s) => input.units.some((u) => u.outside === s));
  const x = {
    field: 'denominator',
    type: 'quantitative' as const,
    title: input.denominatorLabel,
    axis: { grid: false },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: input.valueLabel,
    scale: { zero: false },
    axis: { format: axisFormat(format) },
  };
  const units = input.units.map((u) => ({
    denominator: u.denominator,
    value: u.value,
    label: u.label,
    status: STATUS[u.outside].label,
    named: u.outside === '99.8',
    // Names near the right edge sit to the left of their point, so they stay inside the chart.
    leftOfPoint: u.denominator > 0.75 * right,
  }));
  const nameLayer = (leftOfPoint: boolean) => ({
    data: { values: units.filter((u) => u.named && u.leftOfPoint === leftOfPoint) },
    mark: {
      type: 'text' as const,
      align: leftOfPoint ? ('right' as const) : ('left' as const),
      dx: leftOfPoint ? -9 : 9,
      fontSize: SMALL_LABEL_SIZE,
      fill: CHART_COLOURS.text,
    },
    encoding: { x, y, text: { field: 'label' } },
  });
  return {
    ...chartSize(),
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { ...x, sort: null },
          y,
          order: { field: 'denominator' },
          detail: { field: 'line' },
          color: {
            field: 'series',
            title: null,
            scale: {
              domain: lineSeries,
              range: [CHART_COLOURS.text, CHART_COLOURS.secondary, CHART_COLOURS.secondary],
            },
            legend: { symbolType: 'stroke' },
          },
          strokeDash: {
            field: 'series',
            title: null,
            scale: {
              domain: lineSeries,
              range: [
                [1, 0],
                [6, 4],
                [2, 2],
              ],
            },
          },
        },
      },
      {
        data: { values: units },
        mark: { type: 'point', filled: true, size: 100, opacity: 1 },
        encoding: {
          x,
          y,
          ...styledPointEncoding(
            'status',
            present.map((s) => STATUS[s]),
          ),
        },
      },
      nameLayer(false),
      nameLayer(true),
    ],
    resolve: { scale: { color: 'independent', strokeDash: 'independent', shape: 'independent' } },
  } as TopLevelSpec;
}
