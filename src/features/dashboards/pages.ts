import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { AGGREGATE_READER_ROLES } from '../../domain/aggregate-access.js';
import { SUPPRESSED } from '../../domain/disclosure.js';
import { BREAKDOWNS, type Breakdown, monthLabel } from '../../domain/indicators/breakdowns.js';
import { IMPROVEMENT_LABELS } from '../../domain/indicators/definition.js';
import { breakdownLabel } from '../../domain/indicators/sources.js';
import { requireActor } from '../../http/request-actor.js';
import { notFound } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { renderBarChart } from '../../web/charts/bar-chart.js';
import type { ChartResult } from '../../web/charts/chart.js';
import { CSV_CONTENT_TYPE, csvContentDisposition } from '../../web/charts/csv.js';
import { assuranceIcon, variationIcon } from '../../web/charts/mdc-icons.js';
import { CONTRACT_READERS, ContractParams } from '../contracts/api.js';
import type { ContractDetail } from '../contracts/schema.js';
import { IndicatorKeyParams, Month } from '../indicators/schema.js';
import type { IndicatorValueRow, IndicatorValues, UnitFilter } from '../indicators/service.js';
import { funnelChart, reviewsChart, trendChart, valueLabel, valuesChart } from './charts.js';
import { DRILLDOWN_PURPOSES, DRILLDOWN_ROLES, isDrilldownPurpose } from './drilldown-service.js';
import { type GroupValue, lastMonths, type UnitFunnel } from './service.js';

/**
 * The dashboards as pages: each role's, the contract's (a section of the contract page), and the
 * drill-down from a figure to the statements behind it. Every chart comes with its table and a CSV
 * download that a route of its own answers with the same figures, rebuilt for the same request.
 */

const TEAM_MANAGERS = { roles: ['team-manager'] } as const;
const COMMISSIONERS = { roles: ['commissioner'] } as const;
const ANALYSTS = { roles: ['analyst'] } as const;
const DRILLERS = { roles: DRILLDOWN_ROLES };

/** The indicator a dashboard shows first when none is chosen. */
const DEFAULT_INDICATOR = 'person-rated-achieved';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const IndicatorKey = IndicatorKeyParams.properties.key;
const ChartParams = Type.Object({ chart: Type.String({ minLength: 1, maxLength: 60 }) });
const PeriodQuery = { from: optional(Month), to: optional(Month) };

/** One chart on a dashboard, with where its CSV is and the figures it opens onto. */
export interface Panel {
  slug: string;
  title: string;
  chart: ChartResult | null;
  /** Said instead of the chart when there is nothing to draw. */
  empty: string;
  csvHref: string;
  drill: DrillLink[];
}

interface DrillLink {
  text: string;
  href: string | null;
}

interface Period {
  from: string;
  to: string;
}

interface PanelContext {
  services: Services;
  actor: Actor;
  period: Period;
  query: Record<string, string | undefined>;
  /** The dashboard's address, for CSV links (`${base}/${slug}.csv?…`). */
  base: string;
}

type PanelBuilder = (ctx: PanelContext) => Promise<Omit<Panel, 'csvHref'> | null>;

const periodText = (p: Period) =>
  p.from === p.to ? monthLabel(p.from) : `${monthLabel(p.from)} to ${monthLabel(p.to)}`;
const periodOf = (query: { from?: string; to?: string }): Period => {
  const fallback = lastMonths(12);
  return { from: query.from ?? fallback.from, to: query.to ?? fallback.to };
};
const search = (params: Record<string, string | undefined>) => {
  const text = new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  ).toString();
  return text ? `?${text}` : '';
};

/** How far back the period can be chosen: three years of months. */
const CHOOSABLE_MONTHS = 36;

/** The period's choices as two selects of months, newest first, with the period's ends chosen. */
function periodChoice(period: Period) {
  const { from: earliest, to: latest } = lastMonths(CHOOSABLE_MONTHS);
  const months: string[] = [];
  for (let m = latest; m >= earliest; m = previousMonth(m)) months.push(m);
  const items = (chosen: string) =>
    months.map((m) => ({ value: m, text: monthLabel(m), selected: m === chosen }));
  return { fromItems: items(period.from), toItems: items(period.to) };
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Where a figure opens onto the statements behind it; none when it is too small to open. */
function drillLinks(
  ctx: PanelContext,
  values: IndicatorValues,
  unit: { team?: string; organisation?: string } = {},
): DrillLink[] {
  if (!ctx.services.drilldown.mayDrillDown(ctx.actor)) return [];
  const open = (row: IndicatorValueRow) =>
    row.denominator !== null && row.denominator > 0 && row.shown.denominator !== SUPPRESSED;
  const href = (row: IndicatorValueRow, cell: Record<string, string | undefined>) =>
    open(row)
      ? `/indicators/${values.indicator.key}/statements${search({ ...cell, from: values.from, to: values.to, ...unit })}`
      : null;
  const rows = values.breakdown
    ? values.rows.map((row) => ({
        text: row.label,
        href: href(row, { breakdown: values.breakdown ?? undefined, value: row.key }),
      }))
    : [];
  return [{ text: 'Everyone counted', href: href(values.total, {}) }, ...rows];
}

/** One unit's filter for a drill-down link: a team or organisation when the view is of exactly one. */
const oneOf = (ids: readonly string[]) => (ids.length === 1 ? ids[0] : undefined);

// ——— the team manager's dashboard ———

function teamScope(ctx: PanelContext): UnitFilter {
  return { teamIds: ctx.services.dashboards.managedTeams(ctx.actor).map((t) => t.id) };
}

function byDomainPanel(slug: string, key: string, title: string): PanelBuilder {
  return async (ctx) => {
    const scope = teamScope(ctx);
    const values = await ctx.services.dashboards.values(ctx.actor, key, 'domain', ctx.period, scope);
    return {
      slug,
      title,
      chart: await valuesChart(`${slug}-`, title, values, 'Outcome domain'),
      empty: '',
      drill: drillLinks(ctx, values, { team: oneOf(scope.teamIds ?? []) }),
    };
  };
}

const TEAM_PANELS: Record<string, PanelBuilder> = {
  reviews: async (ctx) => ({
    slug: 'reviews',
    title: 'Reviews due and overdue',
    chart: await reviewsChart('reviews-', await ctx.services.dashboards.reviewCounts(ctx.actor)),
    empty: '',
    drill: [],
  }),
  'achieved-by-domain': byDomainPanel(
    'achieved-by-domain',
    'person-rated-achieved',
    'Outcomes people rate mostly or fully achieved, by domain',
  ),
  'achieved-over-time': async (ctx) => {
    const trend = await ctx.services.dashboards.trend(ctx.actor, 'person-rated-achieved', {
      scope: teamScope(ctx),
    });
    const title = 'Outcomes people rate achieved, month by month';
    return {
      slug: 'achieved-over-time',
      title,
      chart: await trendChart('achieved-trend-', title, trend),
      empty: 'Too few months have enough ratings to chart yet.',
      drill: [],
    };
  },
  'change-since-first-review': byDomainPanel(
    'change-since-first-review',
    'person-rating-change',
    'Change in people’s own ratings since their first, by domain',
  ),
  'goal-attainment': async (ctx) => {
    const scope = teamScope(ctx);
    const [service, person] = await Promise.all([
      ctx.services.dashboards.values(ctx.actor, 'gas-service', null, ctx.period, scope),
      ctx.services.dashboards.values(ctx.actor, 'gas-per-person', null, ctx.period, scope),
    ]);
    const title = 'Goal attainment (GAS T-scores)';
    const chart = await renderBarChart({
      idPrefix: 'gas-',
      title,
      valueLabel: 'T-score',
      categoryLabel: 'Measure',
      target: 50,
      categories: [
        {
          label: 'The service’s T-score (all goals together)',
          value: service.total.value,
          shown: service.total.shown.value,
        },
        {
          label: 'The average of each person’s T-score',
          value: person.total.value,
          shown: person.total.shown.value,
        },
      ],
    });
    return {
      slug: 'goal-attainment',
      title,
      chart,
      empty: '',
      drill: drillLinks(ctx, person, { team: oneOf(scope.teamIds ?? []) }),
    };
  },
  'viewpoints-agree': byDomainPanel(
    'viewpoints-agree',
    'viewpoints-agree',
    'Where the person and their practitioner rate an outcome the same, by domain',
  ),
  'what-matters': byDomainPanel('what-matters', 'what-matters', 'What people say matters to them, by domain'),
};

// ——— the provider's, commissioner's and analyst's dashboards ———

function funnelPanel(
  slug: string,
  level: 'organisation' | 'team',
  unitLabel: string,
  scopeOf: (ctx: PanelContext) => UnitFilter | undefined,
): PanelBuilder {
  return async (ctx) => {
    const key = ctx.query.indicator ?? DEFAULT_INDICATOR;
    const scope = scopeOf(ctx);
    const funnel: UnitFunnel = await ctx.services.dashboards.funnel(
      ctx.actor,
      key,
      level,
      scope ? { scope } : {},
    );
    const title = `${funnel.comparison.indicator.name}: ${unitLabel.toLowerCase()}s compared (funnel plot)`;
    return {
      slug,
      title,
      chart: await funnelChart(`${slug}-`, title, funnel, unitLabel),
      empty:
        funnel.comparison.indicator.kind === 'proportion'
          ? `No ${unitLabel.toLowerCase()} has enough people counted to place on a funnel plot.`
          : 'A funnel plot compares shares (percentages); this indicator is an average or a count, so the bar chart compares units instead.',
      drill: [],
    };
  };
}

function unitsPanel(
  slug: string,
  level: 'organisation' | 'team',
  scopeOf: (ctx: PanelContext) => UnitFilter | undefined,
): PanelBuilder {
  return async (ctx) => {
    const key = ctx.query.indicator ?? DEFAULT_INDICATOR;
    const scope = scopeOf(ctx);
    const values = await ctx.services.dashboards.values(ctx.actor, key, level, ctx.period, scope);
    const unit = breakdownLabel(values.indicator.source, level);
    const title = `${values.indicator.name} by ${unit.toLowerCase()}`;
    return {
      slug,
      title,
      chart: await valuesChart(`${slug}-`, title, values, unit),
      empty: '',
      drill: drillLinks(ctx, values),
    };
  };
}

function trendPanel(slug: string, scopeOf: (ctx: PanelContext) => UnitFilter | undefined): PanelBuilder {
  return async (ctx) => {
    const key = ctx.query.indicator ?? DEFAULT_INDICATOR;
    const scope = scopeOf(ctx);
    const trend = await ctx.services.dashboards.trend(ctx.actor, key, scope ? { scope } : {});
    const title = `${trend.series.indicator.name}, month by month`;
    return {
      slug,
      title,
      chart: await trendChart(`${slug}-`, title, trend),
      empty: 'Too few months have a value to chart yet.',
      drill: [],
    };
  };
}

const providerScope = (ctx: PanelContext): UnitFilter => ({
  organisationIds: ctx.services.dashboards.managedOrganisations(ctx.actor).map((o) => o.id),
});
const region = () => undefined;

const PROVIDER_PANELS: Record<string, PanelBuilder> = {
  'by-team': unitsPanel('by-team', 'team', providerScope),
  'teams-funnel': funnelPanel('teams-funnel', 'team', 'Team', providerScope),
  'over-time': trendPanel('over-time', providerScope),
};

const COMMISSIONER_PANELS: Record<string, PanelBuilder> = {
  'providers-funnel': funnelPanel('providers-funnel', 'organisation', 'Provider', region),
  'by-provider': unitsPanel('by-provider', 'organisation', region),
  'over-time': trendPanel('over-time', region),
};

/** The analyst's breakdown: bars with 95% intervals (proportions), each opening onto its statements. */
const ANALYST_PANELS: Record<string, PanelBuilder> = {
  breakdown: async (ctx) => {
    const key = ctx.query.indicator ?? DEFAULT_INDICATOR;
    const breakdown = (ctx.query.breakdown ?? 'ethnicity') as Breakdown;
    const { values, groups } = await ctx.services.dashboards.breakdown(ctx.actor, {
      key,
      breakdown,
      ...ctx.period,
    });
    const category = breakdownLabel(values.indicator.source, breakdown);
    const title = `${values.indicator.name} by ${category.toLowerCase()}`;
    const chart = await renderBarChart({
      idPrefix: 'breakdown-',
      title,
      valueLabel: valueLabel(values.indicator),
      categoryLabel: category,
      decimals: values.indicator.kind === 'count' ? 0 : 1,
      categories: groups.map((g) => ({
        label: g.row?.label ?? '',
        value: g.row?.value ?? null,
        shown: g.row?.shown.value ?? SUPPRESSED,
        lower: g.interval?.lower ?? null,
        upper: g.interval?.upper ?? null,
      })),
    });
    return { slug: 'breakdown', title, chart, empty: '', drill: drillLinks(ctx, values) };
  },
};

/** Builds a dashboard's panels (or the one a CSV asks for), each with its CSV address. */
async function buildPanels(
  builders: Record<string, PanelBuilder>,
  ctx: PanelContext,
  only?: string,
): Promise<Panel[]> {
  const chosen =
    only === undefined
      ? Object.entries(builders)
      : Object.entries(builders).filter(([slug]) => slug === only);
  const carried = search({
    indicator: ctx.query.indicator,
    breakdown: ctx.query.breakdown,
    from: ctx.query.from,
    to: ctx.query.to,
  });
  const panels: Panel[] = [];
  // One after another: each renders a chart, and the machine's cores are shared.
  for (const [slug, build] of chosen) {
    const panel = await build(ctx);
    if (panel) panels.push({ ...panel, csvHref: `${ctx.base}/${slug}.csv${carried}` });
  }
  return panels;
}

function sendCsv(reply: FastifyReply, chart: ChartResult | null) {
  if (!chart) throw notFound('That chart');
  return reply
    .type(CSV_CONTENT_TYPE)
    .header('content-disposition', csvContentDisposition(chart.title))
    .send(chart.csv);
}

/** The indicator choice on the provider's, commissioner's and analyst's dashboards. */
async function indicatorItems(services: Services, actor: Actor, chosen: string) {
  const all = await services.indicators.list(actor);
  return all.map((i) => ({ value: i.key, text: i.name, selected: i.key === chosen }));
}

// ——— the contract's dashboard ———

/** The contract page's dashboard section: each indicator against target, over time and across providers. */
export async function contractDashboardView(services: Services, actor: Actor, contract: ContractDetail) {
  const views = await services.dashboards.contractDashboard(actor, contract.contractId);
  const base = `/contracts/${contract.contractId}/charts`;
  const items = [];
  for (const [i, v] of views.entries()) {
    const latest = v.trend.points.at(-1) ?? null;
    const spc = v.trend.spc;
    items.push({
      key: v.indicator.key,
      name: v.indicator.name,
      improvement: IMPROVEMENT_LABELS[v.indicator.improvement],
      target: v.indicator.unit === '%' ? `${v.target}%` : `${v.target} ${v.indicator.unit}`,
      latest: latest ? `${latest.shown.value} (${latest.label})` : 'No value yet',
      variation: spc?.variationIcon.label ?? 'Not enough months to tell',
      assurance: spc?.assuranceIcon?.label ?? 'No assurance without enough months and a direction',
      spc: await trendChart(`c${i}-spc-`, `${v.indicator.name} under this contract, month by month`, v.trend),
      spcCsv: `${base}/${v.indicator.key}-spc.csv`,
      funnel: await funnelChart(
        `c${i}-funnel-`,
        `${v.indicator.name}: providers compared (funnel plot)`,
        v.funnel,
        'Provider',
      ),
      funnelCsv: `${base}/${v.indicator.key}-funnel.csv`,
      drill: services.drilldown.mayDrillDown(actor)
        ? `/indicators/${v.indicator.key}/statements${search({ organisation: contract.provider.organisationId, ...lastMonths(12) })}`
        : null,
    });
  }
  return { items };
}

// ——— an indicator's own page ———

/** The SPC chart and funnel plot of an indicator's page, within the actor's scope. */
async function indicatorCharts(services: Services, actor: Actor, key: string, only?: 'spc' | 'funnel') {
  const level = services.indicators.scopeOf(actor).kind === 'region' ? 'organisation' : 'team';
  const unitLabel = level === 'organisation' ? 'Organisation' : 'Team';
  const spc =
    only === 'funnel'
      ? null
      : await (async () => {
          const trend = await services.dashboards.trend(actor, key);
          return trendChart('ind-spc-', `${trend.series.indicator.name}, month by month`, trend);
        })();
  const funnel =
    only === 'spc'
      ? null
      : await (async () => {
          const f = await services.dashboards.funnel(actor, key, level);
          return funnelChart(
            'ind-funnel-',
            `${f.comparison.indicator.name}: ${unitLabel.toLowerCase()}s compared (funnel plot)`,
            f,
            unitLabel,
          );
        })();
  return { spc, funnel };
}

/**
 * The charts section of an indicator's page (views/indicator-dashboard.njk fills the indicator
 * page's `charts` block): the indicator month by month with SPC, its units on a funnel plot, and
 * the latest values' links to the statements behind them.
 */
export async function indicatorChartsView(services: Services, actor: Actor, values: IndicatorValues) {
  const key = values.indicator.key;
  const { spc, funnel } = await indicatorCharts(services, actor, key);
  const ctx = { services, actor, period: { from: values.from, to: values.to }, query: {}, base: '' };
  return {
    spc,
    spcCsv: `/indicators/${key}/charts/spc.csv`,
    funnel,
    funnelCsv: `/indicators/${key}/charts/funnel.csv`,
    drill: drillLinks(ctx, values),
  };
}

/** Each contract's indicators against target: the commissioner's overview, as rows. */
async function contractsOverviewRows(services: Services, actor: Actor) {
  const overview = await services.dashboards.contractsOverview(actor);
  return overview.map(({ contract, indicators }) => ({
    contractId: contract.contractId,
    title: contract.title,
    provider: contract.provider.name,
    indicators: indicators.map((i) => ({
      name: i.name,
      target: `${i.target}${i.trend.series.indicator.unit === '%' ? '%' : ` ${i.trend.series.indicator.unit}`}`,
      latest: i.trend.points.at(-1)?.shown.value ?? 'No value yet',
      variation: i.trend.spc?.variationIcon.label ?? 'Not enough months to tell',
      assurance: i.trend.spc?.assuranceIcon?.label ?? 'Not known',
      // Making Data Count's icons, drawn beside their words (the words carry the meaning).
      variationIcon: i.trend.spc ? variationIcon(i.trend.spc.variationIcon.key).svg : null,
      assuranceIcon: i.trend.spc?.assuranceIcon ? assuranceIcon(i.trend.spc.assuranceIcon.key).svg : null,
    })),
  }));
}

// ——— the drill-down ———
const StatementsQuery = Type.Object(
  {
    breakdown: optional(literals(BREAKDOWNS)),
    value: optional(Type.String({ maxLength: 100 })),
    organisation: optional(Type.String({ format: 'uuid' })),
    team: optional(Type.String({ format: 'uuid' })),
    purpose: optional(Type.String({ maxLength: 40 })),
    /** Set by the purpose form: it was sent, so a missing purpose is an error to show. */
    read: optional(Type.Literal('1')),
    ...PeriodQuery,
  },
  { additionalProperties: false },
);

// ——— the analyst's comparison ———

const interval = (g: GroupValue) =>
  g.interval ? `${g.interval.lower.toFixed(1)}% to ${g.interval.upper.toFixed(1)}%` : 'Not shown';

export async function dashboardPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = opts;
  const context = (actor: Actor, query: Record<string, string | undefined>, base: string): PanelContext => ({
    services,
    actor,
    period: periodOf(query),
    query,
    base,
  });

  // ——— team ———
  const TeamQuery = Type.Object(PeriodQuery, { additionalProperties: false });
  app.get(
    '/dashboards/team',
    { config: { access: TEAM_MANAGERS, page: true }, schema: { hide: true, querystring: TeamQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const teams = services.dashboards.managedTeams(actor);
      const ctx = context(actor, request.query, '/dashboards/team');
      return reply.page('dashboard-team', {
        pageTitle: teams.length === 1 ? `${teams[0]?.name}: dashboard` : 'Your teams’ dashboard',
        teams,
        period: periodText(ctx.period),
        ...periodChoice(ctx.period),
        panels: await buildPanels(TEAM_PANELS, ctx),
      });
    },
  );
  app.get(
    '/dashboards/team/:chart.csv',
    {
      config: { access: TEAM_MANAGERS, page: true },
      schema: { hide: true, params: ChartParams, querystring: TeamQuery },
    },
    async (request, reply) => {
      const ctx = context(requireActor(request), request.query, '/dashboards/team');
      const [panel] = await buildPanels(TEAM_PANELS, ctx, request.params.chart);
      return sendCsv(reply, panel?.chart ?? null);
    },
  );

  // ——— provider, commissioner ———
  const IndicatorQuery = Type.Object(
    { indicator: optional(IndicatorKey), ...PeriodQuery },
    { additionalProperties: false },
  );
  for (const { path, access, panels, view, title } of [
    {
      path: '/dashboards/provider',
      access: TEAM_MANAGERS,
      panels: PROVIDER_PANELS,
      view: 'dashboard-provider',
      title: 'Provider dashboard',
    },
    {
      path: '/dashboards/commissioner',
      access: COMMISSIONERS,
      panels: COMMISSIONER_PANELS,
      view: 'dashboard-commissioner',
      title: 'Commissioner dashboard',
    },
  ] as const) {
    app.get(
      path,
      { config: { access, page: true }, schema: { hide: true, querystring: IndicatorQuery } },
      async (request, reply) => {
        const actor = requireActor(request);
        const ctx = context(actor, request.query, path);
        const chosen = request.query.indicator ?? DEFAULT_INDICATOR;
        const isProvider = view === 'dashboard-provider';
        const organisations = isProvider ? services.dashboards.managedOrganisations(actor) : [];
        if (!isProvider) services.dashboards.requireRegion(actor, 'commissioner');
        return reply.page(view, {
          pageTitle:
            isProvider && organisations.length === 1
              ? `${organisations[0]?.name}: provider dashboard`
              : title,
          period: periodText(ctx.period),
          ...periodChoice(ctx.period),
          indicatorItems: await indicatorItems(services, actor, chosen),
          contracts: isProvider ? [] : await contractsOverviewRows(services, actor),
          panels: await buildPanels(panels, ctx),
        });
      },
    );
    app.get(
      `${path}/:chart.csv`,
      {
        config: { access, page: true },
        schema: { hide: true, params: ChartParams, querystring: IndicatorQuery },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        if (view === 'dashboard-commissioner') services.dashboards.requireRegion(actor, 'commissioner');
        const [panel] = await buildPanels(panels, context(actor, request.query, path), request.params.chart);
        return sendCsv(reply, panel?.chart ?? null);
      },
    );
  }

  // ——— analyst ———
  const AnalystQuery = Type.Object(
    {
      indicator: optional(IndicatorKey),
      breakdown: optional(literals(BREAKDOWNS)),
      a: optional(Type.String({ maxLength: 100 })),
      b: optional(Type.String({ maxLength: 100 })),
      ...PeriodQuery,
    },
    { additionalProperties: false },
  );
  app.get(
    '/dashboards/analyst',
    { config: { access: ANALYSTS, page: true }, schema: { hide: true, querystring: AnalystQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      services.dashboards.requireRegion(actor, 'analyst');
      const ctx = context(actor, request.query, '/dashboards/analyst');
      const chosen = request.query.indicator ?? DEFAULT_INDICATOR;
      const indicator = await services.indicators.get(actor, chosen);
      const breakdown: Breakdown =
        request.query.breakdown && indicator.breakdowns.includes(request.query.breakdown)
          ? request.query.breakdown
          : indicator.breakdowns.includes('ethnicity')
            ? 'ethnicity'
            : (indicator.breakdowns[0] ?? 'organisation');
      ctx.query = { ...ctx.query, indicator: chosen, breakdown };
      const panels = await buildPanels(ANALYST_PANELS, ctx);
      const { values } = await services.dashboards.breakdown(actor, {
        key: chosen,
        breakdown,
        ...ctx.period,
      });
      const { a, b } = request.query;
      const comparison =
        a && b
          ? await services.dashboards.compareGroups(actor, { key: chosen, breakdown, a, b, ...ctx.period })
          : null;
      const groupItems = (picked: string | undefined) => [
        { value: '', text: 'Choose a group' },
        ...values.rows.map((r) => ({ value: r.key, text: r.label, selected: r.key === picked })),
      ];
      const groupRow = (g: GroupValue, fallback: string) => ({
        label: g.row?.label ?? fallback,
        value: g.row?.shown.value ?? SUPPRESSED,
        interval: interval(g),
        counted: g.row?.shown.numerator ?? SUPPRESSED,
        outOf: g.row?.shown.denominator ?? SUPPRESSED,
      });
      return reply.page('dashboard-analyst', {
        pageTitle: 'Analyst dashboard',
        period: periodText(ctx.period),
        ...periodChoice(ctx.period),
        from: ctx.period.from,
        to: ctx.period.to,
        indicatorItems: await indicatorItems(services, actor, chosen),
        breakdownItems: indicator.breakdowns.map((x) => ({
          value: x,
          text: breakdownLabel(indicator.source, x),
          selected: x === breakdown,
        })),
        aItems: groupItems(a),
        bItems: groupItems(b),
        chosen,
        breakdown,
        proportion: indicator.kind === 'proportion',
        panels,
        comparison: comparison && {
          a: groupRow(comparison.a, a ?? ''),
          b: groupRow(comparison.b, b ?? ''),
          difference: comparison.difference
            ? {
                value: `${comparison.difference.difference.toFixed(1)} percentage points`,
                interval: `${comparison.difference.lower.toFixed(1)} to ${comparison.difference.upper.toFixed(1)} percentage points`,
                clear: comparison.difference.lower > 0 || comparison.difference.upper < 0,
              }
            : null,
        },
      });
    },
  );
  app.get(
    '/dashboards/analyst/:chart.csv',
    {
      config: { access: ANALYSTS, page: true },
      schema: { hide: true, params: ChartParams, querystring: AnalystQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      services.dashboards.requireRegion(actor, 'analyst');
      const [panel] = await buildPanels(
        ANALYST_PANELS,
        context(actor, request.query, '/dashboards/analyst'),
        request.params.chart,
      );
      return sendCsv(reply, panel?.chart ?? null);
    },
  );

  // ——— a contract's charts as CSV ———
  app.get(
    '/contracts/:contractId/charts/:chart.csv',
    {
      config: { access: CONTRACT_READERS, page: true },
      schema: { hide: true, params: Type.Intersect([ContractParams, ChartParams]) },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const contract = await services.contracts.loadContract(actor, request.params.contractId);
      const match = /^(.+)-(spc|funnel)$/.exec(request.params.chart);
      const item = match ? contract.indicators.find((i) => i.indicator.key === match[1]) : undefined;
      if (!match || !item) throw notFound('That chart');
      const teamIds = contract.teams.map((t) => t.teamId);
      const chart =
        match[2] === 'spc'
          ? await trendChart(
              'c-spc-',
              `${item.indicator.name} under this contract, month by month`,
              await services.dashboards.trend(actor, item.indicator.key, {
                scope: { teamIds },
                target: item.target,
              }),
            )
          : await funnelChart(
              'c-funnel-',
              `${item.indicator.name}: providers compared (funnel plot)`,
              await services.dashboards.funnel(actor, item.indicator.key, 'organisation'),
              'Provider',
            );
      return sendCsv(reply, chart);
    },
  );

  // ——— an indicator's charts as CSV ———
  app.get(
    '/indicators/:key/charts/:chart.csv',
    {
      config: { access: { roles: AGGREGATE_READER_ROLES }, page: true },
      schema: { hide: true, params: Type.Intersect([IndicatorKeyParams, ChartParams]) },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { key, chart } = request.params;
      if (chart !== 'spc' && chart !== 'funnel') throw notFound('That chart');
      const charts = await indicatorCharts(services, actor, key, chart);
      return sendCsv(reply, charts[chart]);
    },
  );

  // The route's role rule turns a practitioner (say) away before the service can audit it: the
  // refusal is recorded here, with the purpose the reader gave, before the answer is sent.
  await app.register(async (scope) => {
    const passedGate = new WeakSet<object>();
    scope.addHook('onRequest', async (request) => {
      passedGate.add(request);
    });
    scope.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 403 || !request.actor || passedGate.has(request)) return payload;
      const given = String((request.query as Record<string, unknown>).purpose ?? '').slice(0, 40);
      await services.audit.record(request.actor, {
        action: 'drill-down-indicator',
        resourceType: 'indicator',
        resourceId: String((request.params as Record<string, unknown>).key ?? '').slice(0, 60),
        purpose: `${isDrilldownPurpose(given) ? DRILLDOWN_PURPOSES[given] : given || 'no purpose given'}; refused: not a team manager, commissioner or analyst`,
        outcome: 'denied',
      });
      return payload;
    });
    await scope.register(statementsPage, { services });
  });
}

/** The drill-down page: the purpose first, then the statements behind the figure. */
async function statementsPage(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = opts;
  app.get(
    '/indicators/:key/statements',
    {
      config: { access: DRILLERS, page: true },
      schema: { hide: true, params: IndicatorKeyParams, querystring: StatementsQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { purpose, read, ...cell } = request.query;
      const indicator = await services.indicators.get(actor, request.params.key);
      const purposeItems = Object.entries(DRILLDOWN_PURPOSES).map(([value, text]) => ({
        value,
        text,
        checked: value === purpose,
      }));
      const hidden = Object.entries(cell).filter((e): e is [string, string] => typeof e[1] === 'string');
      // A purpose first: the statements are read, and audited, only once the reader says why.
      if (!purpose || !isDrilldownPurpose(purpose)) {
        return reply.page('indicator-statements', {
          pageTitle: `What people said: ${indicator.name}`,
          indicator,
          hidden,
          purposeItems,
          purposeError: read || purpose ? 'Choose why you are reading these statements' : null,
          drilldown: null,
        });
      }
      const drilldown = await services.drilldown.statements(actor, {
        key: indicator.key,
        ...(cell.from ? { from: cell.from } : {}),
        ...(cell.to ? { to: cell.to } : {}),
        ...(cell.organisation ? { organisationId: cell.organisation } : {}),
        ...(cell.team ? { teamId: cell.team } : {}),
        ...(cell.breakdown ? { breakdown: cell.breakdown } : {}),
        ...(cell.value !== undefined ? { value: cell.value } : {}),
        purpose,
      });
      return reply.page('indicator-statements', {
        pageTitle: `What people said: ${indicator.name}`,
        indicator,
        hidden,
        purposeItems,
        purposeLabel: DRILLDOWN_PURPOSES[purpose],
        drilldown,
      });
    },
  );
}
