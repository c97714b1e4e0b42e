import { funnelCurves } from '../../domain/funnel/funnel-plot.js';
import { renderBarChart } from '../../web/charts/bar-chart.js';
import type { ChartResult } from '../../web/charts/chart.js';
import { renderFunnelChart } from '../../web/charts/funnel-chart.js';
import { renderSpcChart } from '../../web/charts/spc-chart.js';
import type { Indicator, IndicatorValues } from '../indicators/service.js';
import type { IndicatorTrend, ReviewCount, UnitFunnel } from './service.js';
import { REVIEW_STATUS_WORDS } from './words.js';

/**
 * The dashboards' figures as accessible charts (src/web/charts): each with its data table and CSV.
 * Only adapts: every number was computed (and disclosure-controlled) by the services.
 */

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** '2026-03' → 'Mar 2026': short enough for a time axis. */
export const shortMonth = (month: string) =>
  `${SHORT_MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/** An indicator's measure as an axis names it: "People rating outcomes achieved (%)". */
export function valueLabel(indicator: Pick<Indicator, 'name' | 'unit'>): string {
  return indicator.unit ? `${indicator.name} (${indicator.unit})` : indicator.name;
}

/** An indicator's values as bars, one per breakdown value; suppressed values keep their place. */
export function valuesChart(
  idPrefix: string,
  title: string,
  values: IndicatorValues,
  categoryLabel: string,
): Promise<ChartResult> {
  const { indicator } = values;
  return renderBarChart({
    idPrefix,
    title,
    valueLabel: valueLabel(indicator),
    categoryLabel,
    decimals: indicator.kind === 'count' ? 0 : 1,
    target: indicator.target,
    categories: (values.rows.length ? values.rows : [values.total]).map((r) => ({
      label: r.label || 'All',
      value: r.value,
      shown: r.shown.value,
    })),
  });
}

/** An indicator month by month as an XmR chart with its icons; null when there are too few months. */
export function trendChart(
  idPrefix: string,
  title: string,
  trend: IndicatorTrend,
): Promise<ChartResult> | null {
  const { spc, points, series } = trend;
  if (!spc) return null;
  return renderSpcChart({
    idPrefix,
    title,
    valueLabel: valueLabel(series.indicator),
    periodLabel: 'Month',
    target: spc.target,
    trialLimits: spc.trial,
    variationIcon: spc.variationIcon.key,
    assurance: spc.assuranceIcon?.key ?? null,
    mean: spc.points.at(-1)?.mean ?? 0,
    lpl: spc.points.at(-1)?.lpl ?? 0,
    upl: spc.points.at(-1)?.upl ?? 0,
    points: spc.points.map((p, i) => ({
      period: shortMonth(points[i]?.key ?? ''),
      value: p.value,
      special: p.special,
      variation: p.variation,
      mean: p.mean,
      lpl: p.lpl,
      upl: p.upl,
    })),
  });
}

/** Units on a funnel plot; null when there is nothing to plot (not a proportion, or all suppressed). */
export function funnelChart(
  idPrefix: string,
  title: string,
  funnel: UnitFunnel,
  unitLabel: string,
): Promise<ChartResult> | null {
  const { plot, plotted, comparison } = funnel;
  if (!plot || plotted.length === 0) return null;
  const labels = new Map(plotted.map((u) => [u.key, u.label]));
  // One unit's funnel has no width to draw across; start the curves below the smallest unit.
  const largest = Math.max(...plot.units.map((u) => u.denominator));
  const curves = funnelCurves(plot, { to: Math.max(largest, 10) });
  return renderFunnelChart({
    idPrefix,
    title,
    measure: 'proportion',
    valueLabel: comparison.indicator.name,
    denominatorLabel: 'Number counted (rounded)',
    unitLabel,
    targetLabel: 'All units together',
    target: plot.target,
    units: plot.units.map((u) => ({
      id: u.id,
      label: labels.get(u.id) ?? u.id,
      value: u.value,
      denominator: u.denominator,
      outside: u.outside,
    })),
    limits: curves.map((c) => ({
      denominator: c.denominator,
      lower95: c.limits['95'][0],
      upper95: c.limits['95'][1],
      lower998: c.limits['99.8'][0],
      upper998: c.limits['99.8'][1],
    })),
  });
}

/** The team's reviews by status: the caseload's own counts (the team sees these people already). */
export function reviewsChart(idPrefix: string, counts: readonly ReviewCount[]): Promise<ChartResult> {
  return renderBarChart({
    idPrefix,
    title: 'Reviews due and overdue',
    valueLabel: 'People',
    categoryLabel: 'Next review',
    decimals: 0,
    categories: counts.map((c) => ({
      label: REVIEW_STATUS_WORDS[c.status],
      value: c.count,
      shown: String(c.count),
    })),
  });
}
