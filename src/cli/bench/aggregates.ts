import fs from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { DEMO_PASSWORD } from '../../demo/demo-data-service.js';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import type { Breakdown } from '../../domain/indicators/breakdowns.js';
import { rebuildRollupsNow } from '../../features/rollups/service.js';
import { flushRollups, setRollupTriggers } from '../../features/rollups/store.js';
import { createServices, prepareDatabase, type Services } from '../../services/index.js';
import type { Database } from '../../store/database.js';
import type { DB } from '../../store/schema.js';
import { loadSyntheticPopulation, type SyntheticPopulationLoad } from './synthetic-population.js';

/**
 * The aggregates benchmark (issue 10, "Fast at population scale"): a synthetic population of N
 * people (synthetic-population.ts) beside the demo population, the rollups rebuilt from it, then
 * every kind of figure the dashboards ask the IndicatorService for, timed in the process as the
 * server would run it (p50 and p95 over many runs), side by side with the same figure computed
 * naively from the raw records: the same sums over the `indicator_fact` view (migration 0014),
 * which reads every rating, conversation, goal and plan behind them. Also the cost the rollup
 * triggers add to recording a conversation through the real service (on against off).
 */

export interface AggregatesBenchOptions {
  people: number;
  /** Timed runs of each dashboard query (after one warm-up). */
  runs: number;
  /** Timed runs of each naive query (they take seconds to minutes); 0 for none. */
  naiveRuns: number;
  /** A naive query still running after this long is stopped, and its time reported as at least this. */
  naiveLimitSeconds: number;
  /** Conversations recorded for the write overhead, half with the rollup triggers on, half off. */
  writes: number;
  log: (line: string) => void;
}

/** One dashboard figure: the service call, and the same sums computed from the raw records. */
export interface AggregateQueryResult {
  name: string;
  p50Ms: number;
  p95Ms: number;
  naiveP50Ms: number;
  naiveP95Ms: number;
  /** Naive runs kept (fewer than asked when one run alone takes long). */
  naiveRuns: number;
  /** The naive query was stopped at the time limit: its figure is a lower bound. */
  naiveStopped: boolean;
  /** Whether the naive sums equal the rollup's, group by group (null: not computed). */
  same: boolean | null;
}

export interface WriteOverhead {
  conversations: number;
  /** Conversations recorded in a row before the triggers are switched the other way. */
  block: number;
  ratingsEach: number;
  onMedianMs: number;
  offMedianMs: number;
  onMeanMs: number;
  offMeanMs: number;
  /** The worker's time applying the marks the writes with triggers on left (flushed after each such block). */
  workerMs: number;
  /** People the worker applied (one mark per person per block, however many writes touched them). */
  workerPeople: number;
  /** Writes made with the triggers on. */
  onWrites: number;
}

export interface AggregatesRun {
  backend: 'PostgreSQL' | 'PGlite';
  people: number;
  load: SyntheticPopulationLoad;
  loadMs: number;
  rebuildMs: number;
  rollupCells: number;
  rawRows: number;
  queries: AggregateQueryResult[];
  writes: WriteOverhead;
  /** Session settings the heavy statements (load, rebuild, naive queries) ran with. */
  heavySettings: string;
  naiveLimitSeconds: number;
}

/** Targets of issue 10. */
export const AGGREGATE_TARGETS = {
  postgresP95Ms: 100,
  pgliteP95Ms: 300,
  speedUp: 20,
  writeOverhead: 0.2,
} as const;

/** A naive run that takes longer than this is not repeated: one run already tells the story. */
const NAIVE_REPEAT_LIMIT_MS = 20_000;

interface QuerySpec {
  name: string;
  key: string;
  call: (services: Services, actor: Actor) => Promise<unknown>;
  /** The rollup measure, its filters and the grouping, for the naive query and the check. */
  measure: string;
  viewpoint?: string;
  group:
    | 'none'
    | 'organisation'
    | 'team'
    | 'month'
    | 'quarter'
    | 'age-band'
    | 'ethnicity'
    | 'deprivation-quintile'
    | 'domain';
  months: number;
  /** The last month, when not the current one. */
  to?: string;
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The month a period of `months` months ending with `to` begins with. */
const fromMonth = (to: string, months: number) => monthOf(monthIndex(to) - (months - 1));

function querySpecs(to: string): QuerySpec[] {
  const from = (months: number) => fromMonth(to, months);
  const evaluate = (key: string, breakdown: Breakdown | null) => (s: Services, actor: Actor) =>
    s.indicators.evaluate(actor, { key, breakdown, from: from(12), to });
  const quarterEnd = monthOf(monthIndex(to) - (monthIndex(to) % 3) - 1);
  const achieved = {
    key: 'person-rated-achieved',
    measure: 'rating',
    viewpoint: 'person',
    months: 12,
  } as const;
  return [
    {
      name: 'Outcomes rated achieved (person): total',
      ...achieved,
      group: 'none',
      call: evaluate(achieved.key, null),
    },
    {
      name: '… by organisation',
      ...achieved,
      group: 'organisation',
      call: evaluate(achieved.key, 'organisation'),
    },
    { name: '… by team', ...achieved, group: 'team', call: evaluate(achieved.key, 'team') },
    { name: '… by age band', ...achieved, group: 'age-band', call: evaluate(achieved.key, 'age-band') },
    { name: '… by ethnicity', ...achieved, group: 'ethnicity', call: evaluate(achieved.key, 'ethnicity') },
    {
      name: '… by deprivation quintile',
      ...achieved,
      group: 'deprivation-quintile',
      call: evaluate(achieved.key, 'deprivation-quintile'),
    },
    { name: '… by outcome domain', ...achieved, group: 'domain', call: evaluate(achieved.key, 'domain') },
    {
      name: '… month series, 24 months (SPC)',
      ...achieved,
      months: 24,
      group: 'month',
      call: (s, actor) =>
        s.indicators.series(actor, { key: achieved.key, periodicity: 'month', from: from(24), to }),
    },
    {
      name: '… teams compared (funnel)',
      ...achieved,
      group: 'team',
      call: (s, actor) =>
        s.indicators.compareUnits(actor, { key: achieved.key, level: 'team', from: from(12), to }),
    },
    {
      // Whole quarters, as the service makes them: eight, ending with the one before this.
      name: 'GAS T-score for the service: quarter series, 8 quarters',
      key: 'gas-service',
      measure: 'gas-goal',
      months: 24,
      to: quarterEnd,
      group: 'quarter',
      call: (s, actor) =>
        s.indicators.series(actor, {
          key: 'gas-service',
          periodicity: 'quarter',
          from: fromMonth(quarterEnd, 24),
          to: quarterEnd,
        }),
    },
    {
      name: 'Reviews on time: by team',
      key: 'reviews-on-time',
      measure: 'review-on-time',
      months: 12,
      group: 'team',
      call: evaluate('reviews-on-time', 'team'),
    },
    {
      name: 'People with a current plan: organisations compared (funnel)',
      key: 'current-plan',
      measure: 'current-plan',
      months: 12,
      group: 'organisation',
      call: (s, actor) =>
        s.indicators.compareUnits(actor, { key: 'current-plan', level: 'organisation', from: from(12), to }),
    },
    {
      name: 'What matters to people: by outcome domain',
      key: 'what-matters',
      measure: 'outcome',
      months: 12,
      group: 'domain',
      call: evaluate('what-matters', 'domain'),
    },
    {
      name: 'Change in rating since first review: by age band',
      key: 'person-rating-change',
      measure: 'rating-change',
      viewpoint: 'person',
      months: 12,
      group: 'age-band',
      call: evaluate('person-rating-change', 'age-band'),
    },
  ];
}

/** The naive figure: the same sums straight from the facts (the raw records), grouped the same way. */
function naiveQuery(spec: QuerySpec, from: string, to: string) {
  const keys: Record<QuerySpec['group'], string> = {
    none: `''`,
    organisation: 'f.organisation_id::text',
    team: 'f.team_id::text',
    month: `to_char(f.period_month, 'YYYY-MM')`,
    quarter: `to_char(f.period_month, 'YYYY-"Q"Q')`,
    'age-band': 'f.age_band',
    ethnicity: 'f.ethnicity',
    'deprivation-quintile': 'f.deprivation_quintile',
    domain: 'code',
  };
  return sql<NaiveRow>`select ${sql.raw(keys[spec.group])} as key,
      sum(f.denominator)::float8 as denominator, sum(f.numerator)::float8 as numerator,
      sum(f.value_sum) as value_sum, sum(f.weight_sum) as weight_sum
    from indicator_fact f ${spec.group === 'domain' ? sql`cross join unnest(f.domain_codes) as code` : sql``}
    where f.measure = ${spec.measure}
      and f.period_month between ${`${from}-01`}::date and ${`${to}-01`}::date
      ${spec.viewpoint ? sql`and f.viewpoint = ${spec.viewpoint}` : sql``}
    group by 1 order by 1`;
}

interface NaiveRow {
  key: string;
  denominator: number;
  numerator: number;
  value_sum: number;
  weight_sum: number;
}

/** The same sums from the rollup, for checking the naive figure against it (not timed). */
function rollupQuery(spec: QuerySpec, from: string, to: string) {
  const keys: Record<QuerySpec['group'], string> = {
    none: `''`,
    organisation: 'organisation_id::text',
    team: 'team_id::text',
    month: `to_char(period_month, 'YYYY-MM')`,
    quarter: `to_char(period_month, 'YYYY-"Q"Q')`,
    'age-band': 'dim_value',
    ethnicity: 'dim_value',
    'deprivation-quintile': 'dim_value',
    domain: 'dim_value',
  };
  const dim = ['age-band', 'ethnicity', 'deprivation-quintile', 'domain'].includes(spec.group)
    ? spec.group
    : 'all';
  return sql<NaiveRow>`select ${sql.raw(keys[spec.group])} as key,
      sum(denominator)::float8 as denominator, sum(numerator)::float8 as numerator,
      sum(value_sum) as value_sum, sum(weight_sum) as weight_sum
    from indicator_rollup
    where measure = ${spec.measure} and dim = ${dim}
      and period_month between ${`${from}-01`}::date and ${`${to}-01`}::date
      ${spec.viewpoint ? sql`and viewpoint = ${spec.viewpoint}` : sql``}
    group by 1 order by 1`;
}

function sameSums(a: NaiveRow[], b: NaiveRow[]): boolean {
  if (a.length !== b.length) return false;
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  return a.every((row, i) => {
    const other = b[i];
    return (
      other !== undefined &&
      row.key === other.key &&
      close(Number(row.denominator), Number(other.denominator)) &&
      close(Number(row.numerator), Number(other.numerator)) &&
      close(Number(row.value_sum), Number(other.value_sum)) &&
      close(Number(row.weight_sum), Number(other.weight_sum))
    );
  });
}

/** The nearest-rank percentile of some timings. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

/**
 * Settings for the statements that read everything (the rebuild and the naive figures): no JIT
 * (compiling the fact view's hundreds of expressions took 10–20 s on PostgreSQL 15, longer than the
 * work itself at 100k people) and no nested loops (the planner underestimates the join of grouped
 * ratings with outcomes as one row and re-reads the outcome domains' aggregate for each: quadratic,
 * over ten minutes at 20,000 people). Set only around those statements, because the application's
 * own queries (and the rollup triggers' per-person reads) want nested loops. For the naive figure
 * this is its best case, so the speed-up is not flattered.
 */
export const HEAVY_SETTINGS = ['jit', 'enable_nestloop'] as const;

async function heavily<T>(
  heavy: Kysely<DB>,
  limitSeconds: number | null,
  run: () => Promise<T>,
): Promise<T | 'stopped'> {
  for (const setting of HEAVY_SETTINGS) await sql.raw(`set ${setting} = off`).execute(heavy);
  if (limitSeconds !== null) await sql.raw(`set statement_timeout = '${limitSeconds}s'`).execute(heavy);
  try {
    return await run();
  } catch (error) {
    // 57014: query_canceled, what the statement timeout raises.
    if (limitSeconds !== null && (error as { code?: string }).code === '57014') return 'stopped';
    throw error;
  } finally {
    for (const setting of HEAVY_SETTINGS) await sql.raw(`reset ${setting}`).execute(heavy);
    if (limitSeconds !== null) await sql`reset statement_timeout`.execute(heavy);
  }
}

/**
 * Runs the aggregates benchmark on a new, empty database. `heavy` is one connection for the long
 * statements (load, rebuild, naive figures: no statement timeout, HEAVY_SETTINGS around the rebuild
 * and the naive figures); `database` serves the application's own calls.
 */
export async function benchAggregates(
  database: Database,
  heavy: Kysely<DB>,
  options: AggregatesBenchOptions,
): Promise<AggregatesRun> {
  const { log } = options;
  const backend = database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const heavySettings = HEAVY_SETTINGS.map((s) => `${s} = off`).join(', ');
  await prepareDatabase(database);
  const services = createServices(database);
  const today = todayIso();
  // The demo population gives the signed-in users and the people whose conversations are recorded.
  await services.demoData.load({ people: 200, seed: 'bench', today });

  const loaded = await time(() => loadSyntheticPopulation(heavy, { people: options.people, today }, log));
  log(
    `${backend}: ${options.people.toLocaleString('en-GB')} people loaded in ${(loaded.ms / 1000).toFixed(1)} s`,
  );
  const rebuild = await time(async () => {
    const report = await heavily(heavy, null, () => rebuildRollupsNow(heavy));
    if (report === 'stopped') throw new Error('the rollup rebuild was stopped');
    return report;
  });
  await sql`analyze indicator_rollup`.execute(heavy);
  log(`${backend}: rollups rebuilt in ${(rebuild.ms / 1000).toFixed(1)} s (${rebuild.result.cells} cells)`);

  const origin = { ip: null, userAgent: null };
  const commissioner = (await services.auth.signIn('commissioner@demo', DEMO_PASSWORD, origin)).actor;
  const to = today.slice(0, 7);
  const queries: AggregateQueryResult[] = [];
  for (const spec of querySpecs(to)) {
    const last = spec.to ?? to;
    const from = fromMonth(last, spec.months);
    await spec.call(services, commissioner);
    const timings: number[] = [];
    for (let run = 0; run < options.runs; run++)
      timings.push((await time(() => spec.call(services, commissioner))).ms);
    const naive: number[] = [];
    let naiveStopped = false;
    let same: boolean | null = null;
    for (let run = 0; run < options.naiveRuns; run++) {
      const naiveRun = await heavily(heavy, options.naiveLimitSeconds, () =>
        time(() => naiveQuery(spec, from, last).execute(heavy)),
      );
      if (naiveRun === 'stopped') {
        naiveStopped = true;
        naive.push(options.naiveLimitSeconds * 1000);
        break;
      }
      naive.push(naiveRun.ms);
      if (run === 0)
        same = sameSums(naiveRun.result.rows, (await rollupQuery(spec, from, last).execute(heavy)).rows);
      if (naiveRun.ms > NAIVE_REPEAT_LIMIT_MS) break;
    }
    const result: AggregateQueryResult = {
      name: spec.name,
      p50Ms: percentile(timings, 50),
      p95Ms: percentile(timings, 95),
      naiveP50Ms: percentile(naive, 50),
      naiveP95Ms: percentile(naive, 95),
      naiveRuns: naive.length,
      naiveStopped,
      same,
    };
    log(
      `${backend} ${spec.name}: p50 ${result.p50Ms.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms${
        naive.length ? `; naive p50 ${naiveStopped ? '>' : ''}${result.naiveP50Ms.toFixed(0)} ms` : ''
      }${same === false ? ' (sums differ!)' : ''}`,
    );
    queries.push(result);
  }

  const writes = await measureWriteOverhead(services, heavy, options.writes, today);
  log(
    `${backend} recording a conversation: median ${writes.onMedianMs.toFixed(1)} ms with the rollup triggers, ${writes.offMedianMs.toFixed(1)} ms without`,
  );
  const counts = await sql<{ cells: string; raw: string }>`select
      (select count(*) from indicator_rollup) as cells,
      (select sum(n) from (
        select count(*) as n from conversation union all select count(*) from personal_outcome
        union all select count(*) from personal_outcome_domain union all select count(*) from outcome_rating
        union all select count(*) from gas_goal union all select count(*) from gas_attainment
        union all select count(*) from care_plan_version) t) as raw`.execute(heavy);
  return {
    backend,
    people: options.people,
    load: loaded.result,
    loadMs: loaded.ms,
    rebuildMs: rebuild.ms,
    rollupCells: Number(counts.rows[0]?.cells ?? 0),
    rawRows: Number(counts.rows[0]?.raw ?? 0),
    queries,
    writes,
    heavySettings,
    naiveLimitSeconds: options.naiveLimitSeconds,
  };
}

/**
 * Records `writes` review conversations through ConversationService (as practitioner@demo, with
 * the person's and the practitioner's rating of each of the person's active outcomes), in blocks
 * that alternate the rollup triggers on and off, so drift in the machine's load falls on both.
 */
async function measureWriteOverhead(
  services: Services,
  heavy: Kysely<DB>,
  writes: number,
  today: string,
): Promise<WriteOverhead> {
  const origin = { ip: null, userAgent: null };
  const practitioner = (await services.auth.signIn('practitioner@demo', DEMO_PASSWORD, origin)).actor;
  const caseload = await services.people.caseload(practitioner, { today });
  const people: { personId: string; outcomeIds: string[] }[] = [];
  for (const entry of caseload.entries) {
    const form = await services.conversations.formFor(practitioner, entry.personId);
    if (form.outcomes.length)
      people.push({ personId: entry.personId, outcomeIds: form.outcomes.map((o) => o.outcomeId) });
  }
  if (!people.length) throw new Error('practitioner@demo has nobody with outcomes to review');
  const on: number[] = [];
  const off: number[] = [];
  // Blocks of 25, or smaller so that a short run still alternates at least twice each way.
  const block = Math.max(1, Math.min(25, Math.floor(writes / 4)));
  let ratings = 0;
  let workerMs = 0;
  let workerPeople = 0;
  const applyMarks = async () => {
    const { ms, result } = await time(() => flushRollups(heavy));
    workerMs += ms;
    workerPeople += result;
  };
  try {
    for (let done = 0; done < writes; done++) {
      const triggersOn = Math.floor(done / block) % 2 === 0;
      if (done % block === 0) {
        // The marks a block with triggers on left are applied before the next block starts, and
        // the worker's time is counted: the write's whole cost, though the writer does not wait for it.
        if (done > 0 && !triggersOn) await applyMarks();
        await setRollupTriggers(heavy, triggersOn);
      }
      const person = people[done % people.length] as (typeof people)[number];
      const input = {
        kind: 'review' as const,
        heldOn: today,
        summary: 'A review recorded by the benchmark.',
        participants: [{ kind: 'practitioner' as const, name: 'Benchmark practitioner' }],
        ratings: person.outcomeIds.flatMap((outcomeId, i) => [
          { outcomeId, viewpoint: 'person' as const, score: 1 + ((done + i) % 4) },
          { outcomeId, viewpoint: 'practitioner' as const, score: 1 + ((done + i + 1) % 4) },
        ]),
      };
      ratings += input.ratings.length;
      const { ms } = await time(() => services.conversations.record(practitioner, person.personId, input));
      (triggersOn ? on : off).push(ms);
    }
    await applyMarks();
  } finally {
    await setRollupTriggers(heavy, true);
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    conversations: writes,
    block,
    ratingsEach: ratings / Math.max(1, writes),
    onMedianMs: percentile(on, 50),
    offMedianMs: percentile(off, 50),
    onMeanMs: mean(on),
    offMeanMs: mean(off),
    workerMs,
    workerPeople,
    onWrites: on.length,
  };
}

const ms = (value: number) =>
  Number.isFinite(value) ? (value < 10 ? value.toFixed(1) : value.toFixed(0)) : '–';
const met = (ok: boolean) => (ok ? 'met' : '**not met**');
const count = (value: number) => value.toLocaleString('en-GB');

/** The title of a run's section: one per backend and size, so runs at other sizes are kept. */
export function aggregatesTitle(backend: AggregatesRun['backend'], people: number): string {
  return `## Aggregates on ${backend}, ${count(people)} people`;
}

/** A run's section of docs/BENCHMARKS.md: every figure beside its baseline and target. */
export function aggregatesSection(
  run: AggregatesRun,
  context: { date: string; machine: string; server: string },
): string {
  const p95Limit =
    run.backend === 'PostgreSQL' ? AGGREGATE_TARGETS.postgresP95Ms : AGGREGATE_TARGETS.pgliteP95Ms;
  const overhead = run.writes.onMedianMs / run.writes.offMedianMs - 1;
  const workerPerPerson = run.writes.workerMs / Math.max(1, run.writes.workerPeople);
  const workerPerWrite = run.writes.workerMs / Math.max(1, run.writes.onWrites);
  const rows = Object.entries(run.load.rows)
    .map(([table, n]) => `${table} ${count(n)}`)
    .join(', ');
  return (
    [
      aggregatesTitle(run.backend, run.people),
      '',
      'Written by `npm run bench` (aggregates part; `whatmatters bench aggregates --people N` runs it alone). Targets of',
      `issue 10: each dashboard query ≤ ${p95Limit} ms p95 in the server and ≥ ${AGGREGATE_TARGETS.speedUp}× faster than the same figure computed`,
      `naively from the raw records; recording a conversation ≤ ${AGGREGATE_TARGETS.writeOverhead * 100}% slower with the rollups than without.`,
      '',
      `- Date: ${context.date}`,
      `- Machine: ${context.machine}`,
      `- Database: ${context.server}`,
      `- Data: ${count(run.people)} synthetic people (src/cli/bench/synthetic-population.ts: ${run.load.organisationIds.length} organisations, ${run.load.teamIds.length} teams, conversations over up to 24 months) beside a demo population of 200; ${count(run.rawRows)} raw records (${rows}); ${count(run.rollupCells)} rollup cells`,
      `- Load: ${(run.loadMs / 1000).toFixed(1)} s, set-based INSERT … SELECT FROM generate_series, triggers off (${run.load.triggersOff})`,
      `- Rebuild (\`whatmatters rollups rebuild\`, features/rollups/service.ts): **${(run.rebuildMs / 1000).toFixed(1)} s**: one function, \`wm_rollup_rebuild()\` (migrations 0014 and 0018), with its own planner settings (no JIT, no nested loops, cells summed by hashing; see there why)`,
      '- Each query: the IndicatorService call a dashboard makes (definition, one GROUP BY over `indicator_rollup`, names, disclosure control), timed in the process as commissioner@demo, one warm-up then the runs shown; the naive figure: the same sums grouped the same way from the `indicator_fact` view over the raw records (one connection, the same settings as the rebuild: its best case), checked equal to the rollup’s sums',
      '',
      `| dashboard query | p50 ms | p95 ms | naive p50 ms | naive runs | speed-up (naive p50 ÷ p50) | same sums | target (p95 ≤ ${p95Limit} ms, ≥ ${AGGREGATE_TARGETS.speedUp}×) |`,
      '|---|---|---|---|---|---|---|---|',
      ...run.queries.map((q) => {
        const speedUp = q.naiveP50Ms / q.p50Ms;
        const atLeast = q.naiveStopped ? '≥ ' : '';
        const naive = q.naiveRuns ? `${atLeast}${ms(q.naiveP50Ms)}` : 'not run';
        const same = q.same === null ? '–' : q.same ? 'yes' : '**no**';
        const fast = q.p95Ms <= p95Limit;
        const target = q.naiveRuns ? met(fast && speedUp >= AGGREGATE_TARGETS.speedUp) : `p95 ${met(fast)}`;
        return `| ${q.name} | ${ms(q.p50Ms)} | ${ms(q.p95Ms)} | ${naive} | ${q.naiveRuns} | ${q.naiveRuns ? `${atLeast}${speedUp.toFixed(0)}×` : '–'} | ${same} | ${target} |`;
      }),
      '',
      run.queries.some((q) => q.naiveStopped)
        ? `“≥”: the naive query was stopped after ${run.naiveLimitSeconds} s (statement_timeout); its time and the speed-up are lower bounds.`
        : '',
      '',
      `Recording a review conversation through ConversationService (practitioner@demo, ${run.writes.ratingsEach.toFixed(1)} ratings each, ${run.writes.conversations} conversations in blocks of ${run.writes.block} alternating the rollup triggers on and off):`,
      '',
      '| rollup triggers | median ms | mean ms |',
      '|---|---|---|',
      `| on | ${ms(run.writes.onMedianMs)} | ${ms(run.writes.onMeanMs)} |`,
      `| off (baseline) | ${ms(run.writes.offMedianMs)} | ${ms(run.writes.offMeanMs)} |`,
      `| overhead (median) | ${(overhead * 100).toFixed(0)}% | target ≤ ${AGGREGATE_TARGETS.writeOverhead * 100}%: ${met(overhead <= AGGREGATE_TARGETS.writeOverhead)} |`,
      '',
      `The triggers only mark the person (\`rollup_dirty\`); the rollup worker applies the marks afterwards, outside the writing transaction. Its time, flushing the marks after each block with triggers on: ${ms(run.writes.workerMs)} ms for ${count(run.writes.workerPeople)} people (${ms(workerPerPerson)} ms a person), ${ms(workerPerWrite)} ms per write made with triggers on; the write and the worker together: ${ms(run.writes.onMedianMs + workerPerWrite)} ms a write (median write plus the worker's mean share) against ${ms(run.writes.offMedianMs)} ms.`,
      '',
    ]
      // One blank line between parts, also where an optional line was left out.
      .filter((line, at, all) => !(line === '' && all[at - 1] === ''))
      .join('\n')
  );
}

/**
 * Writes sections into a report: each replaces the section of the same title, or is added at the
 * end; every other section is kept as it was.
 */
export function mergeSections(file: string, sections: readonly string[]): void {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const parts = existing.split(/^(?=## )/m);
  const head = parts[0] ?? '';
  const kept = parts.slice(1);
  const titleOf = (section: string) => section.split('\n')[0] ?? '';
  for (const section of sections) {
    const at = kept.findIndex((k) => titleOf(k) === titleOf(section));
    const text = `${section.trimEnd()}\n\n`;
    if (at >= 0) kept[at] = text;
    else kept.push(text);
  }
  const report = `${head}${kept.join('')}`.trimEnd();
  fs.writeFileSync(file, `${report}\n`);
}
