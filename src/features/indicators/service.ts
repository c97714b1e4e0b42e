import { type Kysely, sql } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { type AggregateScope, aggregateScopeOf, mayDefineIndicators } from '../../domain/aggregate-access.js';
import { todayIso } from '../../domain/calendar.js';
import {
  type DisclosureRules,
  discloseAverage,
  discloseCount,
  discloseRate,
  NHS_DISCLOSURE_RULES,
  NOT_APPLICABLE,
  SUPPRESSED,
  suppressList,
} from '../../domain/disclosure.js';
import {
  type Breakdown,
  breakdownValueLabel,
  dimOf,
  NO_UNIT,
  quarterOf,
} from '../../domain/indicators/breakdowns.js';
import {
  type IndicatorDefinition,
  indicatorDefinitionProblems,
  type Periodicity,
} from '../../domain/indicators/definition.js';
import { INDICATOR_LIBRARY } from '../../domain/indicators/library.js';
import { breakdownLabel, type SourceKey, sourceOf } from '../../domain/indicators/sources.js';
import { cellValue, formatValue, type RollupSums, VALUE_DECIMALS } from '../../domain/indicators/value.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, invalid, notFound } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import {
  DefineIndicatorContract,
  type DefineIndicatorInput,
  type Indicator,
  type IndicatorValueRow,
  type IndicatorValues,
} from './schema.js';
import * as store from './store.js';

export type { Indicator, IndicatorValueRow, IndicatorValues } from './schema.js';

/**
 * A definition that keeps the contract's shape but not the domain's rules (a breakdown the source
 * does not allow, a target out of range): 422, naming every field at fault.
 */
export class IndicatorProblems extends ContractError {
  override readonly status = 422 as const;
  override readonly title = 'Invalid indicator';
}

/** The units a caller asks about, within what the actor may see: narrows, never widens. */
export interface UnitFilter {
  organisationIds?: readonly string[];
  teamIds?: readonly string[];
}

export interface EvaluateRequest {
  key: string;
  /** null or absent: only the total. */
  breakdown?: Breakdown | null;
  /** Whole months, YYYY-MM, both included; by default the twelve months to this one. */
  from?: string;
  to?: string;
  scope?: UnitFilter;
}

export interface SeriesRequest {
  key: string;
  /** By default the indicator's own. */
  periodicity?: Periodicity;
  from?: string;
  to?: string;
  scope?: UnitFilter;
}

export interface IndicatorSeries {
  indicator: Indicator;
  periodicity: Periodicity;
  from: string;
  to: string;
  /** One per month (YYYY-MM) or calendar quarter (YYYY-Qn) in order, empty periods included. */
  points: IndicatorValueRow[];
}

export interface CompareUnitsRequest {
  key: string;
  level: 'organisation' | 'team';
  from?: string;
  to?: string;
  scope?: UnitFilter;
}

export interface UnitValueRow extends IndicatorValueRow {
  /** The team's organisation (teams), or the organisation itself. */
  organisationId: string;
}

export interface UnitComparison {
  indicator: Indicator;
  level: 'organisation' | 'team';
  from: string;
  to: string;
  units: UnitValueRow[];
}

/** The longest period one request may cover: ten years of months. */
const MAX_MONTHS = 120;
/** The period shown when none is asked for: the twelve months to this one. */
const DEFAULT_MONTHS = 12;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

function definitionOf(row: store.DefinitionRow): IndicatorDefinition {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    source: row.source as SourceKey,
    filters: row.filters as IndicatorDefinition['filters'],
    improvement: row.improvement as IndicatorDefinition['improvement'],
    target: row.target,
    breakdowns: row.breakdowns as Breakdown[],
    periodicity: row.periodicity as Periodicity,
  };
}

const LIBRARY_KEYS = new Set(INDICATOR_LIBRARY.map((d) => d.key));

function indicatorOf(definition: IndicatorDefinition, version: number, createdAt: Date | null): Indicator {
  const source = sourceOf(definition.source);
  return {
    ...definition,
    version,
    sourceLabel: source.label,
    kind: source.kind,
    unit: source.unit,
    library: LIBRARY_KEYS.has(definition.key) && version === 1,
    createdAt: (createdAt ?? new Date(0)).toISOString(),
  };
}

/**
 * Indicators: definitions as data, and their values. Values are read from `indicator_rollup`
 * only, one GROUP BY each, and every count, rate and average leaves through disclosure control
 * (domain/disclosure.ts), for every role: an aggregate is shown outside a person's care team.
 * Who sees which units' figures is the domain's aggregate rule (domain/aggregate-access.ts).
 * Reading aggregates is not reading personal data, so it is not audited; changing a definition is.
 */
export class IndicatorService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly rules: DisclosureRules = NHS_DISCLOSURE_RULES,
  ) {}

  /** The actor's aggregate scope, or a refusal: people, carers and administrators see none. */
  scopeOf(actor: Actor): AggregateScope {
    const scope = aggregateScopeOf(actor);
    if (!scope) throw forbidden('see indicator values');
    return scope;
  }

  /** Whether the actor may define indicators: for pages to offer it; the service decides again. */
  mayDefine(actor: Actor): boolean {
    return mayDefineIndicators(actor);
  }

  /** The latest version of every indicator, by name. */
  async list(actor: Actor): Promise<Indicator[]> {
    this.requireReader(actor);
    const rows = await store.latestDefinitions(this.db);
    return rows.map((r) => indicatorOf(definitionOf(r), r.version, r.created_at));
  }

  /** The latest version of one indicator. */
  async get(actor: Actor, key: string): Promise<Indicator> {
    this.requireReader(actor);
    const row = await store.latestDefinition(this.db, key);
    if (!row || row.retired_at) throw notFound('The indicator');
    return indicatorOf(definitionOf(row), row.version, row.created_at);
  }

  /** The names of outcome domains by code, for describing filters. */
  async domainNames(): Promise<ReadonlyMap<string, string>> {
    return (await store.unitAndDomainNames(this.db)).domains;
  }

  /**
   * Checks a definition against the contract, the domain's rules and what exists (the domain
   * code): the definition as the contract's type, or a refusal naming every field at fault.
   */
  private async checkDefinition(input: DefineIndicatorInput): Promise<IndicatorDefinition> {
    const definition = DefineIndicatorContract.check(input);
    const problems = indicatorDefinitionProblems(definition);
    const code = definition.filters.domainCode;
    if (
      code &&
      !problems.some((p) => p.field === 'filters.domainCode') &&
      !(await store.domainCodeExists(this.db, code))
    ) {
      problems.push({
        field: 'filters.domainCode',
        message: `No outcomes framework has a domain with the code “${code}”.`,
      });
    }
    if (problems.length) throw new IndicatorProblems(problems);
    return definition;
  }

  /**
   * Defines an indicator, or the next version of one whose key is in use (versions never change,
   * so a figure can always say which definition made it). Commissioners and analysts; audited.
   */
  async define(actor: Actor, input: DefineIndicatorInput): Promise<Indicator> {
    await this.requireAuthor(actor, 'define-indicator', input?.key ?? null);
    const definition = await this.checkDefinition(input);
    await this.db.transaction().execute(async (trx) => {
      // Two authors saving the same key at once: one waits, then makes the version after.
      await sql`select pg_advisory_xact_lock(hashtext('whatmatters.indicators'))`.execute(trx);
      const next = (await store.latestVersion(trx, definition.key)) + 1;
      await store.insertDefinition(trx, definition, next, actor.userId);
      await this.audit.record(
        actor,
        {
          action: next === 1 ? 'define-indicator' : 'define-indicator-version',
          resourceType: 'indicator_definition',
          resourceId: `${definition.key}@${next}`,
        },
        trx,
      );
    });
    return this.get(actor, definition.key);
  }

  /** The values a definition would give, without saving it: for the author to see before saving. */
  async preview(
    actor: Actor,
    input: DefineIndicatorInput,
    request: Omit<EvaluateRequest, 'key'> = {},
  ): Promise<IndicatorValues> {
    await this.requireAuthor(actor, 'preview-indicator', input?.key ?? null);
    const definition = await this.checkDefinition(input);
    return this.values(actor, indicatorOf(definition, 0, null), request);
  }

  /** An indicator's values by one breakdown (or only the total), over whole months, within scope. */
  async evaluate(actor: Actor, request: EvaluateRequest): Promise<IndicatorValues> {
    const indicator = await this.get(actor, request.key);
    return this.values(actor, indicator, request);
  }

  private async values(
    actor: Actor,
    indicator: Indicator,
    request: Omit<EvaluateRequest, 'key'>,
  ): Promise<IndicatorValues> {
    const scope = this.scopeOf(actor);
    const breakdown = request.breakdown ?? null;
    if (breakdown && !indicator.breakdowns.includes(breakdown)) {
      throw invalid(
        `${indicator.name} is not broken down by ${breakdownLabel(indicator.source, breakdown).toLowerCase()}: choose one of ${
          indicator.breakdowns.map((b) => breakdownLabel(indicator.source, b).toLowerCase()).join(', ') ||
          'none (the total only)'
        }.`,
        'breakdown',
      );
    }
    const { from, to } = this.period(request.from, request.to);
    const base = this.baseQuery(indicator, scope, from, to, request.scope);
    // A domain filter reads the 'domain' rows at its code, whatever the breakdown (the definition's
    // rules allow no demographic breakdown with it); otherwise the breakdown's own `dim`.
    const dim = base.dimValue === undefined ? dimOf(breakdown) : base.dim;
    // The total is read from the same rows as the breakdown, so that rows and total are one table;
    // except by domain, where an outcome coded to two domains is in two rows but the total once.
    const totalDim = breakdown === 'domain' ? 'all' : dim;
    const [groups, totals, names] = await Promise.all([
      breakdown
        ? store.sumRollup(this.db, { ...base, dim, groupBy: groupingOf(breakdown) })
        : Promise.resolve([]),
      store.sumRollup(this.db, { ...base, dim: totalDim, groupBy: 'none' }),
      breakdown === 'organisation' || breakdown === 'team' || breakdown === 'domain'
        ? store.unitAndDomainNames(this.db)
        : Promise.resolve(null),
    ]);
    const labels = names ? labelMap(breakdown, names) : new Map<string, string>();
    const total = totals[0] ?? emptyGroup('');
    // A breakdown whose rows add up to the total (each fact in one row) is one line for secondary
    // suppression; by domain (an outcome coded to two domains counts in both) the rows do not.
    const partitions = breakdown !== 'domain';
    const disclosed = this.discloseTable(indicator, groups, total, partitions);
    return {
      indicator,
      breakdown,
      from,
      to,
      rows: groups.map((g, i) => ({
        key: g.key,
        label: breakdown ? breakdownValueLabel(breakdown, g.key, labels) : '',
        ...(disclosed.rows[i] as Omit<IndicatorValueRow, 'key' | 'label'>),
      })),
      total: { key: '', label: 'All', ...disclosed.total },
    };
  }

  /**
   * The totals of several indicators of one kind whose facts are parts of another's (each fact of
   * the whole in exactly one part: community support by kind, say), disclosed as one table: the
   * parts are a line of secondary suppression with the whole as its total, so a hidden part cannot
   * be worked out from the whole and the others.
   */
  async evaluateParts(
    actor: Actor,
    request: { wholeKey: string; partKeys: readonly string[]; from?: string; to?: string },
  ): Promise<{
    indicator: Indicator;
    from: string;
    to: string;
    parts: IndicatorValueRow[];
    whole: IndicatorValueRow;
  }> {
    const scope = this.scopeOf(actor);
    const whole = await this.get(actor, request.wholeKey);
    const parts = await Promise.all(request.partKeys.map((key) => this.get(actor, key)));
    const { from, to } = this.period(request.from, request.to);
    const totalOf = async (indicator: Indicator) =>
      (
        await store.sumRollup(this.db, {
          ...this.baseQuery(indicator, scope, from, to, undefined),
          groupBy: 'none',
        })
      )[0] ?? emptyGroup('');
    const [total, ...rows] = await Promise.all([whole, ...parts].map(totalOf));
    const disclosed = this.discloseTable(whole, rows, total ?? emptyGroup(''), true);
    return {
      indicator: whole,
      from,
      to,
      parts: parts.map((p, i) => ({
        key: p.key,
        label: p.name,
        ...(disclosed.rows[i] as Omit<IndicatorValueRow, 'key' | 'label'>),
      })),
      whole: { key: whole.key, label: whole.name, ...disclosed.total },
    };
  }

  /** One value per month or calendar quarter, for charts over time (SPC). */
  async series(actor: Actor, request: SeriesRequest): Promise<IndicatorSeries> {
    const indicator = await this.get(actor, request.key);
    const scope = this.scopeOf(actor);
    const periodicity = request.periodicity ?? indicator.periodicity;
    let { from, to } = this.period(request.from, request.to);
    if (periodicity === 'quarter') {
      // Whole quarters only: a part quarter is not comparable with a whole one.
      from = monthOf(monthIndex(from) - (monthIndex(from) % 3));
      to = monthOf(monthIndex(to) + 2 - (monthIndex(to) % 3));
    }
    const groups = await store.sumRollup(this.db, {
      ...this.baseQuery(indicator, scope, from, to, request.scope),
      groupBy: periodicity,
    });
    const byKey = new Map(groups.map((g) => [g.key, g]));
    const keys: string[] = [];
    for (let m = monthIndex(from); m <= monthIndex(to); m++) {
      const key = periodicity === 'month' ? monthOf(m) : quarterOf(monthOf(m));
      if (keys.at(-1) !== key) keys.push(key);
    }
    return {
      indicator,
      periodicity,
      from,
      to,
      points: keys.map((key) => ({
        key,
        label: breakdownValueLabel(periodicity, key),
        ...this.discloseCell(indicator, byKey.get(key) ?? emptyGroup(key)),
      })),
    };
  }

  /** Each organisation's or team's numerator and denominator, disclosed: for funnel plots. */
  async compareUnits(actor: Actor, request: CompareUnitsRequest): Promise<UnitComparison> {
    const indicator = await this.get(actor, request.key);
    const scope = this.scopeOf(actor);
    const { from, to } = this.period(request.from, request.to);
    const [groups, names] = await Promise.all([
      store.sumRollup(this.db, {
        ...this.baseQuery(indicator, scope, from, to, request.scope),
        groupBy: request.level,
      }),
      store.unitAndDomainNames(this.db),
    ]);
    const labels = labelMap(request.level, names);
    return {
      indicator,
      level: request.level,
      from,
      to,
      units: groups
        // People with no responsible team are nobody's unit to compare.
        .filter((g) => g.key !== NO_UNIT)
        .map((g) => ({
          key: g.key,
          label: breakdownValueLabel(request.level, g.key, labels),
          organisationId: request.level === 'team' ? (g.organisationId ?? '') : g.key,
          ...this.discloseCell(indicator, g),
        })),
    };
  }

  /** The rollup filters of an indicator: its source's measure, its filters, a period, the scope. */
  private baseQuery(
    indicator: Indicator,
    scope: AggregateScope,
    from: string,
    to: string,
    narrow: UnitFilter | undefined,
  ): Omit<store.RollupQuery, 'groupBy'> {
    const source = sourceOf(indicator.source);
    return {
      measure: source.measure,
      // A domain filter reads the 'domain' rows at its code; otherwise the 'all' rows.
      dim: indicator.filters.domainCode ? 'domain' : 'all',
      ...(indicator.filters.domainCode ? { dimValue: indicator.filters.domainCode } : {}),
      ...(indicator.filters.viewpoint ? { viewpoint: indicator.filters.viewpoint } : {}),
      fromMonth: from,
      toMonth: to,
      scope,
      ...(narrow?.organisationIds ? { organisationIds: narrow.organisationIds } : {}),
      ...(narrow?.teamIds ? { teamIds: narrow.teamIds } : {}),
    };
  }

  /** The months asked for, checked; by default the twelve months to this one (UK time). */
  private period(from: string | undefined, to: string | undefined): { from: string; to: string } {
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (value !== undefined && !MONTH.test(value))
        throw invalid(`The ${field} month must be YYYY-MM.`, field);
    }
    const end = to ?? todayIso().slice(0, 7);
    const start = from ?? monthOf(monthIndex(end) - (DEFAULT_MONTHS - 1));
    if (monthIndex(start) > monthIndex(end))
      throw invalid('The from month must not be after the to month.', 'from');
    if (monthIndex(end) - monthIndex(start) + 1 > MAX_MONTHS) {
      throw invalid(`A period can cover at most ${MAX_MONTHS} months.`, 'from');
    }
    return { from: start, to: end };
  }

  /**
   * One cell as it may be shown (no secondary suppression: a cell shown on its own). Proportions:
   * rounded parts and the rate from them; averages: hidden over 1–7 values; counts: rounded.
   */
  private discloseCell(indicator: Indicator, sums: RollupSums): Omit<IndicatorValueRow, 'key' | 'label'> {
    return this.discloseTable(indicator, [sums], sums, false).rows[0] as Omit<
      IndicatorValueRow,
      'key' | 'label'
    >;
  }

  /**
   * Rows and their total as they may be shown. Every figure goes through the domain's disclosure
   * functions; when the rows add up to the total, each column of counts (denominators, and for a
   * proportion numerators) is also one line of secondary suppression (`suppressList`), so a hidden
   * row cannot be worked out from the total and the others.
   */
  private discloseTable(
    indicator: Indicator,
    rows: readonly RollupSums[],
    total: RollupSums,
    partitions: boolean,
  ): { rows: Omit<IndicatorValueRow, 'key' | 'label'>[]; total: Omit<IndicatorValueRow, 'key' | 'label'> } {
    const { kind, unit } = indicator;
    const line = (values: number[]) =>
      partitions && values.length > 1 ? suppressList(values, this.rules) : null;
    const dens = line(rows.map((r) => r.denominator));
    const nums = kind === 'proportion' ? line(rows.map((r) => r.numerator)) : null;
    const one = (sums: RollupSums, denHidden: boolean, numHidden: boolean) => {
      const hide = (shown: string, value: number | null, hidden: boolean) =>
        hidden ? { shown: SUPPRESSED, value: null } : { shown, value };
      if (kind === 'proportion') {
        const rate = discloseRate(sums.numerator, sums.denominator, this.rules, {
          decimals: VALUE_DECIMALS.proportion,
        });
        const num = hide(rate.numerator.shown, rate.numerator.value, numHidden);
        const den = hide(rate.denominator.shown, rate.denominator.value, denHidden);
        const suppressed = rate.status === 'suppressed' || numHidden || denHidden;
        return {
          numerator: num.value,
          denominator: den.value,
          value: suppressed ? null : rate.value,
          shown: {
            numerator: num.shown,
            denominator: den.shown,
            value: suppressed
              ? SUPPRESSED
              : rate.value === null
                ? NOT_APPLICABLE
                : formatValue(kind, rate.value, unit),
          },
        };
      }
      const count = discloseCount(sums.denominator, this.rules);
      const den = hide(count.shown, count.value, denHidden);
      if (kind === 'count') {
        return {
          numerator: null,
          denominator: den.value,
          value: den.value,
          shown: { numerator: '', denominator: den.shown, value: den.shown },
        };
      }
      const raw = cellValue(kind, sums);
      const average =
        raw === null
          ? discloseAverage(0, 0, this.rules)
          : discloseAverage(raw, sums.denominator, this.rules, VALUE_DECIMALS[kind]);
      const hidden = denHidden || average.status === 'suppressed';
      return {
        numerator: null,
        denominator: den.value,
        value: hidden ? null : average.value,
        shown: {
          numerator: '',
          denominator: den.shown,
          value: hidden
            ? SUPPRESSED
            : average.value === null
              ? average.shown
              : formatValue(kind, average.value, unit),
        },
      };
    };
    return {
      rows: rows.map((r, i) => one(r, dens?.shown[i] === SUPPRESSED, nums?.shown[i] === SUPPRESSED)),
      total: one(total, dens?.total === SUPPRESSED, nums?.total === SUPPRESSED),
    };
  }

  /** Refuses unless the actor may read aggregates (definitions are shown to the same people). */
  private requireReader(actor: Actor): void {
    if (!aggregateScopeOf(actor) && !mayDefineIndicators(actor)) throw forbidden('see indicators');
  }

  /** Refuses, and audits the refusal, unless the actor may define indicators. */
  private async requireAuthor(actor: Actor, action: string, key: string | null): Promise<void> {
    if (mayDefineIndicators(actor)) return;
    await this.audit.record(actor, {
      action,
      resourceType: 'indicator_definition',
      resourceId: typeof key === 'string' ? key.slice(0, 60) : null,
      purpose: 'not a commissioner or analyst',
      outcome: 'denied',
    });
    throw forbidden('define indicators');
  }
}

function groupingOf(breakdown: Breakdown): store.RollupGrouping {
  switch (breakdown) {
    case 'organisation':
    case 'team':
    case 'month':
    case 'quarter':
    case 'viewpoint':
      return breakdown;
    default:
      return 'dim';
  }
}

function emptyGroup(key: string): store.RollupGroup {
  return {
    key,
    organisationId: null,
    denominator: 0,
    numerator: 0,
    valueSum: 0,
    valueSumSq: 0,
    weightSum: 0,
  };
}

/** Names for a breakdown's values: organisations, teams ("Team, Organisation") or domains. */
function labelMap(
  breakdown: Breakdown | null,
  names: Awaited<ReturnType<typeof store.unitAndDomainNames>>,
): Map<string, string> {
  if (breakdown === 'organisation') return names.organisations;
  if (breakdown === 'domain') return names.domains;
  if (breakdown === 'team') {
    return new Map(
      [...names.teams].map(([id, t]) => [
        id,
        `${t.name}, ${names.organisations.get(t.organisationId) ?? ''}`,
      ]),
    );
  }
  return new Map();
}
