import { type Actor, hasRole } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { type FunnelPlot, funnelPlot } from '../../domain/funnel/funnel-plot.js';
import type { Breakdown } from '../../domain/indicators/breakdowns.js';
import {
  type DifferenceInterval,
  type ProportionInterval,
  proportionDifferenceInterval,
  wilsonInterval,
} from '../../domain/intervals.js';
import { REVIEW_STATUSES, type ReviewStatus } from '../../domain/review-status.js';
import { type SpcChart, xmrChart } from '../../domain/spc/index.js';
import { forbidden, invalid } from '../../services/errors.js';
import type { ContractService } from '../contracts/service.js';
import type {
  Indicator,
  IndicatorSeries,
  IndicatorService,
  IndicatorValueRow,
  IndicatorValues,
  UnitComparison,
  UnitFilter,
} from '../indicators/service.js';
import type { PeopleService } from '../people/service.js';

/**
 * The dashboards' use cases: each role's view put together from the indicator service (figures
 * from the rollups, disclosure-controlled there), the caseload service (reviews due, by the one
 * review-status rule), contracts, and the domain's SPC, funnel and interval methods. Which units
 * each dashboard covers is the aggregate access rule's answer (domain/aggregate-access.ts, applied
 * by the indicator service); this service only chooses, within it, what each dashboard is about.
 */

/** The months a chart over time covers: long enough for SPC limits to be fixed (15+ points). */
export const SERIES_MONTHS = 24;

export interface Unit {
  id: string;
  name: string;
}

export interface ReviewCount {
  status: ReviewStatus;
  count: number;
}

/** An indicator's monthly values and their SPC chart (over the months not suppressed). */
export interface IndicatorTrend {
  series: IndicatorSeries;
  /** The months with a value, in order, as the chart's points. */
  points: IndicatorValueRow[];
  /** null when fewer than two months have a value. */
  spc: SpcChart | null;
}

/** Units compared on a funnel plot, from their disclosed counts; null when the indicator is not a proportion. */
export interface UnitFunnel {
  comparison: UnitComparison;
  /** The units that could be plotted (their counts shown, denominator above 0). */
  plotted: UnitComparison['units'];
  plot: FunnelPlot | null;
}

export interface ContractIndicatorView {
  indicator: Indicator;
  target: number;
  trend: IndicatorTrend;
  funnel: UnitFunnel;
  /** The contract's teams only: the provider's figure under the contract. */
  teamIds: string[];
}

export interface GroupValue {
  row: IndicatorValueRow | null;
  /** Wilson's interval, in per cent, from the disclosed counts; null when not a proportion or suppressed. */
  interval: ProportionInterval | null;
}

export interface GroupComparison {
  values: IndicatorValues;
  a: GroupValue;
  b: GroupValue;
  /** Newcombe's interval for A − B, in percentage points; null when either group is suppressed. */
  difference: DifferenceInterval | null;
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The months from `count` − 1 months before this one to this one (UK time). */
export function lastMonths(count: number, today = todayIso()): { from: string; to: string } {
  const to = today.slice(0, 7);
  return { from: monthOf(monthIndex(to) - (count - 1)), to };
}

const percent = (i: ProportionInterval): ProportionInterval => ({
  proportion: i.proportion * 100,
  lower: i.lower * 100,
  upper: i.upper * 100,
});

export class DashboardService {
  constructor(
    private readonly indicators: IndicatorService,
    private readonly people: PeopleService,
    private readonly contracts: ContractService,
  ) {}

  /** The teams a team manager manages: their team dashboard's units. */
  managedTeams(actor: Actor): Unit[] {
    const teams = new Map<string, string>();
    for (const r of actor.roles) {
      if (r.role === 'team-manager' && r.teamId) teams.set(r.teamId, r.teamName ?? '');
    }
    if (teams.size === 0) throw forbidden('see a team’s dashboard');
    return [...teams].map(([id, name]) => ({ id, name }));
  }

  /** The organisations a team manager works for: their provider dashboard's units. */
  managedOrganisations(actor: Actor): Unit[] {
    const organisations = new Map<string, string>();
    for (const r of actor.roles) {
      if (r.role === 'team-manager' && r.organisationId)
        organisations.set(r.organisationId, r.organisationName ?? '');
    }
    if (organisations.size === 0) throw forbidden('see a provider’s dashboard');
    return [...organisations].map(([id, name]) => ({ id, name }));
  }

  /** Commissioners' and analysts' dashboards: the whole region. */
  requireRegion(actor: Actor, role: 'commissioner' | 'analyst'): void {
    if (!hasRole(actor, role) || this.indicators.scopeOf(actor).kind !== 'region') {
      throw forbidden(`see the ${role}s’ dashboard`);
    }
  }

  /**
   * How many people in the manager's teams' caseload have a review overdue, due soon, booked or
   * not arranged: the caseload service's totals, under its review-status rule (and its audit).
   */
  async reviewCounts(actor: Actor): Promise<ReviewCount[]> {
    const today = todayIso();
    return Promise.all(
      REVIEW_STATUSES.map(async (status) => ({
        status,
        count: (await this.people.teamCaseload(actor, { review: status, today, page: 1 })).total,
      })),
    );
  }

  /** An indicator by one breakdown over a period, within units. */
  values(
    actor: Actor,
    key: string,
    breakdown: Breakdown | null,
    period: { from: string; to: string },
    scope?: UnitFilter,
  ): Promise<IndicatorValues> {
    return this.indicators.evaluate(actor, { key, breakdown, ...period, ...(scope ? { scope } : {}) });
  }

  /** An indicator month by month with its SPC chart, against a target when one is given. */
  async trend(
    actor: Actor,
    key: string,
    options: { scope?: UnitFilter; target?: number | null; months?: number } = {},
  ): Promise<IndicatorTrend> {
    const series = await this.indicators.series(actor, {
      key,
      periodicity: 'month',
      ...lastMonths(options.months ?? SERIES_MONTHS),
      ...(options.scope ? { scope: options.scope } : {}),
    });
    // A suppressed month has no value to plot: the chart runs over the months that have one.
    const points = series.points.filter((p) => p.value !== null);
    const target = options.target === undefined ? series.indicator.target : options.target;
    const spc =
      points.length >= 2
        ? xmrChart(
            points.map((p) => p.value as number),
            { improvement: series.indicator.improvement, ...(target !== null ? { target } : {}) },
          )
        : null;
    return { series, points, spc };
  }

  /**
   * Units compared on a funnel plot (FunnelPlotR's method, domain/funnel) from the counts
   * disclosure control lets out: suppressed units cannot be placed and are listed without a point.
   */
  async funnel(
    actor: Actor,
    key: string,
    level: 'organisation' | 'team',
    options: { scope?: UnitFilter; months?: number } = {},
  ): Promise<UnitFunnel> {
    const comparison = await this.indicators.compareUnits(actor, {
      key,
      level,
      ...lastMonths(options.months ?? 12),
      ...(options.scope ? { scope: options.scope } : {}),
    });
    if (comparison.indicator.kind !== 'proportion') return { comparison, plotted: [], plot: null };
    const plotted = comparison.units.filter(
      (u) =>
        u.numerator !== null && u.denominator !== null && u.denominator > 0 && u.numerator <= u.denominator,
    );
    const plot = plotted.length
      ? funnelPlot(
          plotted.map((u) => ({
            id: u.key,
            numerator: u.numerator as number,
            denominator: u.denominator as number,
          })),
          { type: 'proportion', overdispersion: plotted.length > 2 },
        )
      : null;
    return { comparison, plotted, plot };
  }

  /** A contract's dashboard: each indicator against its target, over time and across providers. */
  async contractDashboard(actor: Actor, contractId: string): Promise<ContractIndicatorView[]> {
    const contract = await this.contracts.loadContract(actor, contractId);
    const teamIds = contract.teams.map((t) => t.teamId);
    const library = new Set((await this.indicators.list(actor)).map((i) => i.key));
    const views: ContractIndicatorView[] = [];
    for (const { indicator, target } of contract.indicators) {
      if (!library.has(indicator.key)) continue;
      const [trend, funnel] = await Promise.all([
        this.trend(actor, indicator.key, { scope: { teamIds }, target }),
        this.funnel(actor, indicator.key, 'organisation'),
      ]);
      views.push({ indicator: trend.series.indicator, target, trend, funnel, teamIds });
    }
    return views;
  }

  /** Every contract the actor reads, each indicator's latest SPC verdict against its target. */
  async contractsOverview(actor: Actor) {
    const contracts = await this.contracts.list(actor);
    const library = new Set((await this.indicators.list(actor)).map((i) => i.key));
    return Promise.all(
      contracts.map(async (summary) => {
        const detail = await this.contracts.loadContract(actor, summary.contractId);
        const teamIds = detail.teams.map((t) => t.teamId);
        const indicators = await Promise.all(
          detail.indicators
            .filter((i) => library.has(i.indicator.key))
            .map(async ({ indicator, target }) => ({
              key: indicator.key,
              name: indicator.name,
              target,
              trend: await this.trend(actor, indicator.key, { scope: { teamIds }, target }),
            })),
        );
        return { contract: summary, indicators };
      }),
    );
  }

  /**
   * An indicator by one breakdown, each proportion with Wilson's 95% interval (domain/intervals.ts).
   * Intervals are worked out from the disclosed (rounded) counts, the only counts that leave the
   * indicator service, so nothing on the page can be used to recover an unrounded count; a
   * suppressed value, or a value that is not a proportion, has none.
   */
  async breakdown(
    actor: Actor,
    request: { key: string; breakdown: Breakdown; from: string; to: string; scope?: UnitFilter },
  ): Promise<{ values: IndicatorValues; groups: GroupValue[] }> {
    const values = await this.values(actor, request.key, request.breakdown, request, request.scope);
    const proportion = values.indicator.kind === 'proportion';
    const groups = values.rows.map((row) => {
      const usable =
        proportion &&
        row.numerator !== null &&
        row.denominator !== null &&
        row.denominator > 0 &&
        row.numerator <= row.denominator;
      return {
        row,
        interval: usable ? percent(wilsonInterval(row.numerator as number, row.denominator as number)) : null,
      };
    });
    return { values, groups };
  }

  /**
   * Two groups of one breakdown compared: each value with Wilson's 95% interval and the difference
   * A − B with Newcombe's hybrid score interval, in percentage points, from the same disclosed
   * counts; when either group is suppressed no difference is shown.
   */
  async compareGroups(
    actor: Actor,
    request: { key: string; breakdown: Breakdown; a: string; b: string; from: string; to: string },
  ): Promise<GroupComparison> {
    if (request.a === request.b) throw invalid('Choose two different groups to compare.', 'b');
    const { values, groups } = await this.breakdown(actor, request);
    const group = (key: string): GroupValue =>
      groups.find((g) => g.row?.key === key) ?? { row: null, interval: null };
    const a = group(request.a);
    const b = group(request.b);
    const difference =
      a.interval && b.interval && a.row && b.row
        ? scaled(
            proportionDifferenceInterval(
              a.row.numerator as number,
              a.row.denominator as number,
              b.row.numerator as number,
              b.row.denominator as number,
            ),
          )
        : null;
    return { values, a, b, difference };
  }
}

const scaled = (d: DifferenceInterval): DifferenceInterval => ({
  difference: d.difference * 100,
  lower: d.lower * 100,
  upper: d.upper * 100,
});
