import type { TopLevelSpec } from 'vega-lite';
import { accessibleSvg } from './accessible-svg.js';
import {
  axisFormat,
  type ChartBasics,
  type ChartResult,
  checkBasics,
  checkFinite,
  formatValue,
} from './chart.js';
import { toCsv } from './csv.js';
import { CHART_COLOURS } from './palette.js';
import { chartSize, MULTILINE_LABELS, renderVegaLite, SMALL_LABEL_SIZE, wrapLabel } from './vega-svg.js';

export interface BarCategory {
  label: string;
  /** null when disclosure control suppressed it: no bar, "*" in the table. */
  value: number | null;
  /** A confidence interval, drawn as a line across the bar's end. */
  lower?: number | null;
  upper?: number | null;
  /** The value as disclosure control lets it be shown, e.g. "45%", "10" or "*". */
  shown: string;
}

export interface BarChartInput extends ChartBasics {
  categories: BarCategory[];
  /** What the categories are, e.g. "Ethnicity" or "Team". */
  categoryLabel: string;
  target?: number | null;
  /** The intervals' name (default "95% confidence interval"). */
  intervalLabel?: string;
}

/** Marks a suppressed value, as in every table that disclosure control has been through. */
export const SUPPRESSED = '*';

/** Room for one bar and the gap below it, and for each line of a wrapped label. */
const BAR_STEP = 36;
const LINE_STEP = 17;

/**
 * Horizontal bars, one per category (long category names read across, not rotated), each labelled
 * with its shown value, with an optional confidence interval and target line. A suppressed category
 * keeps its place and says "suppressed" where its bar would be, so a missing bar never reads as zero.
 */
export async function renderBarChart(input: BarChartInput): Promise<ChartResult> {
  checkBasics(input);
  check(input);
  const format = input.valueFormat ?? 'number';
  const decimals = input.decimals ?? 1;
  const show = (v: number) => formatValue(v, format, decimals);
  const target = input.target ?? null;
  const intervalLabel = input.intervalLabel ?? '95% confidence interval';
  const hasInterval = input.categories.some((c) => c.value !== null && interval(c) !== null);

  const description = describe(input, show, target, hasInterval ? intervalLabel : null);
  const raw = await renderVegaLite(spec(input, show, target));
  const svg = accessibleSvg(raw, { idPrefix: input.idPrefix, title: input.title, description });

  const head = [input.categoryLabel, input.valueLabel, ...(hasInterval ? [intervalLabel] : [])];
  const rows = input.categories.map((c) => {
    const range = c.value === null ? null : interval(c);
    const row = [c.label, c.value === null ? SUPPRESSED : c.shown];
    if (hasInterval) row.push(range ? `${show(range[0])} to ${show(range[1])}` : '');
    return row;
  });
  const csvHead = [
    input.categoryLabel,
    input.valueLabel,
    ...(hasInterval ? ['Lower limit', 'Upper limit'] : []),
  ];
  const csvRows = input.categories.map((c) => {
    const range = c.value === null ? null : interval(c);
    return [c.label, c.value ?? SUPPRESSED, ...(hasInterval ? [range?.[0] ?? null, range?.[1] ?? null] : [])];
  });
  return {
    svg,
    title: input.title,
    description,
    table: { caption: `${input.title}: the data`, head, rows },
    csv: toCsv(csvHead, csvRows),
  };
}

function interval(c: BarCategory): [number, number] | null {
  return typeof c.lower === 'number' && typeof c.upper === 'number' ? [c.lower, c.upper] : null;
}

function check(input: BarChartInput): void {
  if (!Array.isArray(input.categories) || input.categories.length === 0) {
    throw new Error('categories must hold at least one category');
  }
  if (input.categoryLabel.trim() === '') throw new Error('categoryLabel must not be empty');
  if (input.target !== null && input.target !== undefined) checkFinite('target', input.target);
  const seen = new Set<string>();
  input.categories.forEach((c, i) => {
    const field = `categories[${i}]`;
    if (typeof c.label !== 'string' || c.label.trim() === '')
      throw new Error(`${field}.label must not be empty`);
    if (seen.has(c.label)) throw new Error(`${field}.label repeats "${c.label}": labels must be unique`);
    seen.add(c.label);
    if (c.value !== null) checkFinite(`${field}.value`, c.value);
    if (typeof c.shown !== 'string') throw new Error(`${field}.shown must be text`);
    for (const end of ['lower', 'upper'] as const) {
      const v = c[end];
      if (v !== null && v !== undefined) checkFinite(`${field}.${end}`, v);
    }
    const range = interval(c);
    if (range && range[0] > range[1]) throw new Error(`${field}.lower must not be above ${field}.upper`);
  });
}

function describe(
  input: BarChartInput,
  show: (v: number) => string,
  target: number | null,
  intervalLabel: string | null,
): string {
  const shown = input.categories.filter((c): c is BarCategory & { value: number } => c.value !== null);
  const sentences = [`The chart shows ${input.valueLabel} by ${input.categoryLabel.toLowerCase()}.`];
  if (shown.length > 1) {
    const ordered = [...shown].sort((a, b) => b.value - a.value);
    const high = ordered[0] as BarCategory;
    const low = ordered[ordered.length - 1] as BarCategory;
    sentences[0] = sentences[0]?.replace(
      /\.$/,
      `: highest ${high.label} (${high.shown}), lowest ${low.label} (${low.shown}).`,
    ) as string;
  } else if (shown.length === 1) {
    const only = shown[0] as BarCategory;
    sentences[0] = sentences[0]?.replace(/\.$/, `: ${only.label} ${only.shown}.`) as string;
  }
  const notes: string[] = [];
  if (target !== null) notes.push(`the target is ${show(target)}`);
  if (intervalLabel) notes.push(`lines across the bars show the ${intervalLabel}`);
  if (notes.length) sentences.push(`${notes.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()));
  const suppressed = input.categories.length - shown.length;
  if (suppressed > 0) {
    sentences.push(
      `${suppressed} ${suppressed === 1 ? 'value is' : 'values are'} suppressed (${SUPPRESSED}): too few people to show safely.`,
    );
  }
  return sentences.join(' ');
}

function spec(input: BarChartInput, show: (v: number) => string, target: number | null): TopLevelSpec {
  const labels = input.categories.map((c) => wrapLabel(c.label));
  const rows = input.categories.map((c, i) => {
    const range = c.value === null ? null : interval(c);
    return {
      label: labels[i],
      value: c.value,
      lower: range?.[0] ?? null,
      upper: range?.[1] ?? null,
      // The value's words sit just past whichever reaches further: the bar or its interval.
      end: c.value === null ? 0 : Math.max(c.value, range?.[1] ?? c.value),
      text: c.value === null ? `${SUPPRESSED} suppressed` : c.shown,
    };
  });
  const mostLines = Math.max(...labels.map((l) => l.split('\n').length));
  const step = Math.max(BAR_STEP, LINE_STEP * mostLines + 12);
  const ends = rows.flatMap((r) => [r.end, r.lower ?? 0, ...(target !== null ? [target] : [])]);
  const low = Math.min(0, ...ends);
  const high = Math.max(0, ...ends);
  const y = {
    field: 'label',
    type: 'nominal' as const,
    sort: labels,
    title: input.categoryLabel,
    axis: { labelLimit: 0, labelExpr: MULTILINE_LABELS },
    scale: { paddingInner: 0.3 },
  };
  const x = {
    field: 'value',
    type: 'quantitative' as const,
    title: input.valueLabel,
    axis: { format: axisFormat(input.valueFormat) },
    // Room at the right for the value written past the longest bar.
    scale: { domain: [low, high + (high - low) * 0.15], nice: true },
  };
  const layers: object[] = [
    {
      data: { values: rows.filter((r) => r.value !== null) },
      mark: { type: 'bar', color: CHART_COLOURS.bar },
      encoding: { x, y },
    },
    {
      data: { values: rows.filter((r) => r.lower !== null) },
      mark: { type: 'errorbar', ticks: { size: 14, opacity: 1 }, color: CHART_COLOURS.text, thickness: 2 },
      encoding: { y, x: { ...x, field: 'lower' }, x2: { field: 'upper' } },
    },
    {
      data: { values: rows },
      mark: { type: 'text', align: 'left', dx: 6, fontSize: SMALL_LABEL_SIZE, fill: CHART_COLOURS.text },
      encoding: { y, x: { ...x, field: 'end' }, text: { field: 'text' } },
    },
  ];
  if (target !== null) {
    layers.push(
      {
        data: { values: [{ value: target }] },
        mark: { type: 'rule', color: CHART_COLOURS.target, strokeWidth: 2, strokeDash: [8, 4] },
        encoding: { x },
      },
      {
        data: { values: [{ value: target, text: `Target ${show(target)}` }] },
        mark: {
          type: 'text',
          align: 'center',
          baseline: 'bottom',
          dy: -4,
          fontSize: SMALL_LABEL_SIZE,
          fill: CHART_COLOURS.target,
        },
        encoding: { x, y: { value: 0 }, text: { field: 'text' } },
      },
    );
  }
  return {
    ...chartSize(Math.max(BAR_STEP * 2, step * input.categories.length)),
    layer: layers,
  } as TopLevelSpec;
}
