import { type Kysely, type RawBuilder, sql } from 'kysely';
import { AGE_BANDS, ETHNIC_CATEGORIES, ethnicGroupKey, OLDEST_AGE_BAND } from '../../domain/demographics.js';
import { DEFAULT_GAS_RHO } from '../../domain/gas.js';
import { executeStatements } from './execute-statements.js';

/**
 * Rollups (issue 10): partial aggregates that every dashboard figure sums, brought up to date
 * shortly after each write by a worker from a queue the write fills (docs/SCALING.md, "Rollups").
 *
 * - `indicator_fact` (view) is the ONE definition of the facts: one row per fact, with the person,
 *   the measure, the London month it belongs to, the lead team and its organisation, the viewpoint,
 *   the person's breakdown values and the outcome's domain codes. Helper views
 *   (`indicator_outcome`, `indicator_rating`) are parts of it, inlined by the planner.
 * - `indicator_fact_cell` (view) expands each fact into one cell per breakdown kind ('all', age band,
 *   sex, ethnicity, deprivation quintile, one per domain); `indicator_rollup_rebuilt` (view) sums
 *   the cells. `indicator_rollup` (table) holds those sums, maintained incrementally; a rebuild
 *   (`wm_rollup_rebuild()`) replaces it with the view's rows.
 * - Incremental maintenance is an outbox: a BEFORE row trigger on each feeding table marks the
 *   person dirty (`rollup_dirty`) in the writing transaction, which is all a write pays; a worker
 *   (features/rollups/store.ts processRollupQueue, run by the server) takes marks FOR UPDATE SKIP
 *   LOCKED and, per person in one transaction, adds (facts now − `rollup_contribution`, what it
 *   last added for them) to `indicator_rollup` in one upsert ordered by key, stores the facts now
 *   as the contribution and deletes the mark. Erasure applies the erased person's mark in its own
 *   transaction, so their contribution is subtracted and gone when it commits.
 * - Bulk loads set the transaction-local `wm.rollups = 'deferred'` (ROLLUPS_SETTING below), which
 *   every rollup trigger's WHEN tests, and rebuild (rollup and contributions) before they commit
 *   (withRollupsDeferred).
 *
 * Age bands and ethnic groups come from domain/demographics.ts; the GAS correlation from
 * domain/gas.ts. Every person-owned table keeps `person_id` first (Citus co-location).
 */

/** The organisation and team of a person with no lead team: the nil uuid, so keys stay not null. */
export const NO_TEAM = '00000000-0000-0000-0000-000000000000';

const NIL = sql.lit(NO_TEAM);

/** A timestamp's calendar date in England. */
const londonDate = (ts: RawBuilder<unknown>) => sql`((${ts}) at time zone 'Europe/London')::date`;

/** The first day of a date's month, as a date (date_trunc on a plain timestamp: no session time zone). */
export const monthOf = (date: RawBuilder<unknown>) => sql`date_trunc('month', (${date})::timestamp)::date`;

const ref = (name: string) => sql.raw(name);

/** `case when age <= 17 then '0-17' … else '85+' end`, from the domain's bands. */
function ageBandCase(age: RawBuilder<unknown>) {
  const whens = AGE_BANDS.map(
    ([maxAge, label]) => sql`when ${age} <= ${sql.lit(maxAge)} then ${sql.lit(label)}`,
  );
  return sql`case ${sql.join(whens, sql` `)} else ${sql.lit(OLDEST_AGE_BAND)} end`;
}

/** The ethnic group key of an NHS ethnic category code; a record without one is 'not-stated'. */
function ethnicGroupCase(code: RawBuilder<unknown>) {
  const whens = ETHNIC_CATEGORIES.map(
    (c) => sql`when ${sql.lit(c.code)} then ${sql.lit(ethnicGroupKey(c.group))}`,
  );
  return sql`case ${code} ${sql.join(whens, sql` `)} else ${sql.lit(ethnicGroupKey('Not stated'))} end`;
}

/** The cells of the rollup's key, in key order. */
const KEY = 'measure, period_month, organisation_id, team_id, viewpoint, dim, dim_value';
const VALUES = 'denominator, numerator, value_sum, value_sum_sq, weight_sum';
/** What tells one fact's cells from another's: everything but the person and the values. */
const FACT_KEY = `measure, period_month, organisation_id, team_id, viewpoint,
  age_band, sex, ethnicity, deprivation_quintile, domain_codes`;
/** A signed sum that is more than rounding (see ROLLUP_TOLERANCE in features/rollups/store.ts). */
const NON_ZERO = `denominator <> 0 or numerator <> 0 or abs(value_sum) > 1e-9
  or abs(value_sum_sq) > 1e-9 or abs(weight_sum) > 1e-9`;

/** One cell per breakdown kind of a fact `f`: the expansion every rollup sum is over. */
const CELLS = sql`cross join lateral (
    select 'all'::text as dim, ''::text as dim_value
    union all select 'age-band', f.age_band
    union all select 'sex', f.sex
    union all select 'ethnicity', f.ethnicity
    union all select 'deprivation-quintile', f.deprivation_quintile
    union all select 'domain', code from unnest(f.domain_codes) as code
  ) d`;

const GAS_RHO = sql.lit(DEFAULT_GAS_RHO);
const GAS_ONE_MINUS_RHO = sql.lit(1 - DEFAULT_GAS_RHO);

/**
 * The facts, before the person's breakdown values are joined: one branch per source measure, each
 * filtered by person_id when the view is (every branch groups or partitions by person_id first, so
 * the planner pushes a person filter into each and reads only that person's rows by their keys).
 */
export const FACT_BRANCHES = sql`
  -- rating: the latest rating of an outcome from a viewpoint within a month. The outcome (its
  -- domain codes a lookup per row) is joined to the latest ratings, not to every rating (measured:
  -- looking the codes up for each of a person's ratings was most of the per-person evaluation).
  select l.person_id, 'rating'::text as measure, l.period_month, l.viewpoint, o.domain_codes,
    1::bigint as denominator, (l.score >= o.scale_max - 1)::int::bigint as numerator,
    l.score::float8 as value_sum, (l.score * l.score)::float8 as value_sum_sq, 0::float8 as weight_sum
  from (
    select distinct on (r.person_id, r.outcome_id, r.viewpoint, ${monthOf(ref('r.rated_on'))})
      r.person_id, r.outcome_id, r.viewpoint, ${monthOf(ref('r.rated_on'))} as period_month, r.score
    from indicator_rating r
    order by r.person_id, r.outcome_id, r.viewpoint, ${monthOf(ref('r.rated_on'))},
      r.rated_on desc, r.rated_at desc, r.rating_id desc
  ) l
  join indicator_outcome o on o.person_id = l.person_id and o.outcome_id = l.outcome_id

  union all
  -- rating-change: latest minus first, from a viewpoint that rated at two or more rating events.
  select ch.person_id, 'rating-change', ${monthOf(ref('ch.last_on'))}, ch.viewpoint, o.domain_codes,
    1, (ch.latest > ch.first)::int,
    (ch.latest - ch.first)::float8, ((ch.latest - ch.first) * (ch.latest - ch.first))::float8, 0
  from (
    select r.person_id, r.outcome_id, r.viewpoint, max(r.rated_on) as last_on,
      (array_agg(r.score order by r.rated_on, r.rated_at, r.rating_id))[1] as first,
      (array_agg(r.score order by r.rated_on desc, r.rated_at desc, r.rating_id desc))[1] as latest
    from indicator_rating r
    group by r.person_id, r.outcome_id, r.viewpoint
    having count(distinct r.rating_event) >= 2
  ) ch
  join indicator_outcome o on o.person_id = ch.person_id and o.outcome_id = ch.outcome_id

  union all
  -- viewpoint-agreement: the person's and the practitioner's latest ratings at one conversation.
  select a.person_id, 'viewpoint-agreement', ${monthOf(ref('a.rated_on'))}, '', o.domain_codes,
    1, (a.by_person = a.by_practitioner)::int,
    abs(a.by_person - a.by_practitioner)::float8,
    ((a.by_person - a.by_practitioner) * (a.by_person - a.by_practitioner))::float8, 0
  from (
    select r.person_id, r.outcome_id, r.conversation_id, r.rated_on,
      (array_agg(r.score order by r.rated_at desc, r.rating_id desc)
        filter (where r.viewpoint = 'person'))[1] as by_person,
      (array_agg(r.score order by r.rated_at desc, r.rating_id desc)
        filter (where r.viewpoint = 'practitioner'))[1] as by_practitioner
    from indicator_rating r
    where r.conversation_id is not null
    group by r.person_id, r.outcome_id, r.conversation_id, r.rated_on
  ) a
  join indicator_outcome o on o.person_id = a.person_id and o.outcome_id = a.outcome_id
  where a.by_person is not null and a.by_practitioner is not null

  union all
  -- rated-by-person: an outcome rated in a month, and whether the person rated it themselves.
  select m.person_id, 'rated-by-person', m.period_month, '', o.domain_codes, 1, m.by_person, 0, 0, 0
  from (
    select r.person_id, r.outcome_id, ${monthOf(ref('r.rated_on'))} as period_month,
      bool_or(r.viewpoint = 'person')::int as by_person
    from indicator_rating r
    group by r.person_id, r.outcome_id, ${monthOf(ref('r.rated_on'))}
  ) m
  join indicator_outcome o on o.person_id = m.person_id and o.outcome_id = m.outcome_id

  union all
  -- outcome: what matters to people, counted in the month it was said.
  select o.person_id, 'outcome', ${monthOf(ref('o.created_on'))}, '', o.domain_codes, 1, 0, 0, 0, 0
  from indicator_outcome o

  union all
  -- gas-goal: a goal's level at a review (the latest recorded there), weighted.
  (select distinct on (a.person_id, a.goal_id, a.conversation_id)
    a.person_id, 'gas-goal', ${monthOf(ref('c.held_on'))}, '', o.domain_codes,
    1, (a.level >= 0)::int,
    g.weight::float8 * a.level, g.weight::float8 * g.weight::float8, g.weight::float8
  from gas_attainment a
  join conversation c on c.person_id = a.person_id and c.conversation_id = a.conversation_id
  join gas_goal g on g.person_id = a.person_id and g.goal_id = a.goal_id
  join indicator_outcome o on o.person_id = g.person_id and o.outcome_id = g.outcome_id
  order by a.person_id, a.goal_id, a.conversation_id, a.recorded_at desc, a.attainment_id desc)

  union all
  -- gas-person: the person's Kiresuk–Sherman T-score at each review that scored a goal, as
  -- domain/gas.ts gasScoresByReview: every goal set by the review's date or scored at it, at its
  -- level there, else its latest earlier level, else its baseline; unweighted if all weights are 0.
  select s.person_id, 'gas-person', ${monthOf(ref('s.held_on'))}, '', '{}'::text[], 1, 0, s.t, s.t * s.t, 0
  from (
    select rv.person_id, rv.held_on,
      case when sum(g.weight) > 0
        then 50 + 10 * sum(g.weight::float8 * l.level)
          / sqrt(${GAS_ONE_MINUS_RHO} * sum(g.weight::float8 * g.weight::float8)
            + ${GAS_RHO} * sum(g.weight::float8) * sum(g.weight::float8))
        else 50 + 10 * sum(l.level)::float8
          / sqrt(${GAS_ONE_MINUS_RHO} * count(*) + ${GAS_RHO} * count(*) * count(*))
      end as t
    from (
      select distinct a.person_id, a.conversation_id, c.held_on
      from gas_attainment a
      join conversation c on c.person_id = a.person_id and c.conversation_id = a.conversation_id
    ) rv
    join gas_goal g on g.person_id = rv.person_id
    cross join lateral (
      select coalesce(
        (select a.level from gas_attainment a
          where a.person_id = g.person_id and a.goal_id = g.goal_id and a.conversation_id = rv.conversation_id
          order by a.recorded_at desc, a.attainment_id desc limit 1),
        (select a.level from gas_attainment a
          join conversation c on c.person_id = a.person_id and c.conversation_id = a.conversation_id
          where a.person_id = g.person_id and a.goal_id = g.goal_id and c.held_on <= rv.held_on
          order by c.held_on desc, a.recorded_at desc, a.attainment_id desc limit 1),
        g.baseline_level) as level,
        exists (select 1 from gas_attainment a
          where a.person_id = g.person_id and a.goal_id = g.goal_id
            and a.conversation_id = rv.conversation_id) as scored_here
    ) l
    where ${londonDate(ref('g.created_at'))} <= rv.held_on or l.scored_here
    group by rv.person_id, rv.conversation_id, rv.held_on
  ) s

  union all
  -- current-plan: a month with a conversation, and whether the latest plan version by the end of
  -- that month was in date (no planned review, or one not before the month began).
  select m.person_id, 'current-plan', m.period_month, '', '{}'::text[], 1,
    coalesce((
      select (v.planned_review_date is null or v.planned_review_date >= m.period_month)::int
      from care_plan_version v
      where v.person_id = m.person_id
        and ${londonDate(ref('v.created_at'))} < (m.period_month + interval '1 month')::date
      order by v.version desc limit 1), 0),
    0, 0, 0
  from (
    select distinct c.person_id, ${monthOf(ref('c.held_on'))} as period_month from conversation c
  ) m

  union all
  -- review-on-time: a review whose previous conversation (the record's order) set a review date.
  select c.person_id, 'review-on-time', ${monthOf(ref('c.held_on'))}, '', '{}'::text[], 1,
    (c.held_on <= c.due)::int, 0, 0, 0
  from (
    select c.person_id, c.kind, c.held_on,
      lag(c.next_review_date) over (
        partition by c.person_id order by c.held_on, c.recorded_at, c.conversation_id) as due
    from conversation c
  ) c
  where c.kind = 'review' and c.due is not null

  union all
  -- multi-agency-plan: a plan version, and whether its actions name more than one agency: each
  -- organisation (named, or the named team's), the person and their carers as one, community
  -- resources without an organisation as one.
  select v.person_id, 'multi-agency-plan', ${monthOf(londonDate(ref('v.created_at')))}, '', '{}'::text[], 1,
    ((select count(distinct case
          when act.value -> 'who' ->> 'kind' in ('person', 'carer') then 'person/carer'
          else coalesce(act.value -> 'who' ->> 'organisationId', t.organisation_id::text,
            case when act.value -> 'who' ->> 'kind' = 'community-resource' then 'community-resource' end)
        end)
      from (
        -- The actions as a set-returning function in the select list (a ProjectSet), not a second
        -- function scan joined laterally: that join can only be a nested loop, and with nested
        -- loops disabled for the rebuild its penalty, times every plan version, swamped every other
        -- cost, so the planner joined the facts to people by a nested loop too (measured: 100,000
        -- people × 3.4 million facts, a rebuild that did not finish in 17 minutes).
        select jsonb_array_elements(case when jsonb_typeof(goal.value -> 'actions') = 'array'
            then goal.value -> 'actions' else '[]'::jsonb end) as value
        from jsonb_array_elements(case when jsonb_typeof(v.content -> 'goals') = 'array'
            then v.content -> 'goals' else '[]'::jsonb end) goal
      ) act
      left join team t on t.team_id::text = act.value -> 'who' ->> 'teamId'
    ) > 1)::int,
    0, 0, 0
  from care_plan_version v
`;

/**
 * The one definition of the facts (view `indicator_fact`). Breakdown values are the person's now (age
 * on the first day of the fact's month); the team and organisation are the person's lead team's.
 * Exported for migration 0018, which re-creates the view in databases made before the
 * multi-agency branch was changed (see there).
 */
export const INDICATOR_FACT_VIEW = indicatorFactView(FACT_BRANCHES);

/**
 * The person's breakdown values for a fact of a month (`p` is the person): age band on the month's
 * first day, sex, ethnic group, deprivation quintile. One definition, used by the fact view below
 * and by later subjects' branches that place their own facts (community support, 0036).
 */
export function personBreakdownCells(month: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`case when p.date_of_birth is null then 'unknown'
          else ${ageBandCase(sql`greatest(0, extract(year from age(${month}, p.date_of_birth)))`)}
        end as age_band,
        p.sex,
        ${ethnicGroupCase(ref('p.ethnic_category'))} as ethnicity,
        case when p.deprivation_decile is null then 'unknown'
          else ((p.deprivation_decile + 1) / 2)::text end as deprivation_quintile`;
}

/**
 * The fact view over a set of branches (each row: person_id, measure, period_month, viewpoint,
 * domain_codes and the five sums): the branches above, and later subjects' added after them by
 * their own migration (0022: standard measures), which re-creates the view with this function so
 * the placing of facts in months, units and breakdown cells stays one definition.
 */
export function indicatorFactView(branches: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
      select f.person_id, f.measure, f.period_month,
        coalesce(t.organisation_id, ${NIL}::uuid) as organisation_id,
        coalesce(p.lead_team_id, ${NIL}::uuid) as team_id,
        f.viewpoint,
        ${personBreakdownCells(ref('f.period_month'))},
        f.domain_codes, f.denominator, f.numerator, f.value_sum, f.value_sum_sq, f.weight_sum
      from (${branches}) f
      join person p on p.person_id = f.person_id
      left join team t on t.team_id = p.lead_team_id
      where p.registered_as = 'person'`;
}

/**
 * The whole rollup and every contribution again from the facts, and an empty queue, in one
 * transaction. The truncation waits for writers and workers holding marks to finish and holds
 * new ones at their mark until the rebuild commits (their marks are then applied to the rebuilt
 * sums). The rollup is the expansion of the contributions, so the two agree by construction.
 *
 * The planner settings: JIT would compile the fact view's hundreds of expressions for longer than the
 * work takes; without nested loops the planner cannot re-read outcome domains per rating when it
 * misjudges a branch's size (quadratic). Exported for migration 0018, which replaces it in databases
 * made before the hashing of cells.
 */
export const REBUILD_FUNCTION = sql`create or replace function wm_rollup_rebuild() returns bigint language plpgsql
  set jit = off set enable_nestloop = off set enable_sort = on set work_mem = '256MB' as $$
  declare cells bigint;
  begin
    truncate rollup_dirty, rollup_contribution, indicator_rollup;
    insert into rollup_contribution (person_id, ${ref(FACT_KEY)}, ${ref(VALUES)})
      select person_id, ${ref(FACT_KEY)},
        sum(denominator)::bigint, sum(numerator)::bigint,
        sum(value_sum), sum(value_sum_sq), sum(weight_sum)
      from indicator_fact
      group by person_id, ${ref(FACT_KEY)};
    -- The cells by hashing, not sorting: about 20 million expanded rows at 100,000 people fall
    -- into a few hundred thousand cells, and sorting them all spilled 2.4 GB to disk (51 s
    -- against 17 s measured). A hash table larger than work_mem spills too, so memory stays
    -- bounded. Not ordered by key either: a sort for the order made the planner sort instead of
    -- hash, and nothing else holds the truncated table's cells to deadlock with. Transaction-
    -- local, and put back when the function returns (its SET clause).
    perform set_config('enable_sort', 'off', true);
    insert into indicator_rollup (${ref(KEY)}, ${ref(VALUES)})
      select ${ref(KEY)}, sum(f.denominator)::bigint, sum(f.numerator)::bigint,
        sum(f.value_sum), sum(f.value_sum_sq), sum(f.weight_sum)
      from rollup_contribution f ${CELLS}
      group by ${ref(KEY)}
      having sum(f.denominator) <> 0;
    get diagnostics cells = row_count;
    return cells;
  end $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table indicator_rollup (
      measure text not null,
      period_month date not null,
      organisation_id uuid not null,
      team_id uuid not null,
      viewpoint text not null default '',
      dim text not null,
      dim_value text not null default '',
      denominator bigint not null default 0,
      numerator bigint not null default 0,
      value_sum double precision not null default 0,
      value_sum_sq double precision not null default 0,
      weight_sum double precision not null default 0,
      primary key (${ref(KEY)})
    )`,

    // An outcome as the facts need it: its scale's length, the date it was said, its domain codes.
    sql`create view indicator_outcome as
      select o.person_id, o.outcome_id,
        jsonb_array_length(f.rating_labels) as scale_max,
        coalesce(c.held_on, ${londonDate(ref('o.created_at'))}) as created_on,
        -- A lookup by the outcome's key for each row, rather than a join to codes grouped by
        -- outcome: the planner, misjudging a branch's size, re-grouped every coding per row (measured).
        array(select distinct d.code
          from personal_outcome_domain pd
          join outcome_domain d on d.domain_id = pd.domain_id
          where pd.person_id = o.person_id and pd.outcome_id = o.outcome_id
          order by d.code) as domain_codes
      from personal_outcome o
      join outcome_framework f on f.framework_id = o.framework_id
      left join conversation c on c.person_id = o.person_id and c.conversation_id = o.conversation_id`,

    // A rating with the date it counts on (its conversation's, else its own London date) and the
    // event it was given at (its conversation, else its own instant).
    sql`create view indicator_rating as
      select r.person_id, r.outcome_id, r.rating_id, r.viewpoint, r.score, r.rated_at, r.conversation_id,
        coalesce(c.held_on, ${londonDate(ref('r.rated_at'))}) as rated_on,
        coalesce(r.conversation_id::text, extract(epoch from r.rated_at)::text) as rating_event
      from outcome_rating r
      left join conversation c on c.person_id = r.person_id and c.conversation_id = r.conversation_id`,

    sql`create view indicator_fact as ${INDICATOR_FACT_VIEW}`,

    sql`create view indicator_fact_cell as
      select f.person_id, f.measure, f.period_month, f.organisation_id, f.team_id, f.viewpoint,
        d.dim, d.dim_value, ${ref(`f.${VALUES.replaceAll(', ', ', f.')}`)}
      from indicator_fact f ${CELLS}`,

    sql`create view indicator_rollup_rebuilt as
      select ${ref(KEY)},
        sum(denominator)::bigint as denominator, sum(numerator)::bigint as numerator,
        sum(value_sum) as value_sum, sum(value_sum_sq) as value_sum_sq, sum(weight_sum) as weight_sum
      from indicator_fact_cell
      group by ${ref(KEY)}`,

    // The queue: a person whose facts may have changed since the worker last applied them. No
    // foreign key to person: an erased person's mark must outlive their row, so their last
    // contribution is subtracted (erasure does it in its own transaction: RightsService.confirmErasure).
    sql`create table rollup_dirty (person_id uuid primary key)`,
    // What the worker last added to the rollup for each person: their facts grouped by everything
    // that tells one fact's cells from another's (before the expansion into cells, which multiplies
    // the rows by the breakdown kinds). Numbers and codes only; person_id first (Citus co-location).
    sql`create table rollup_contribution (
      person_id uuid not null,
      measure text not null,
      period_month date not null,
      organisation_id uuid not null,
      team_id uuid not null,
      viewpoint text not null,
      age_band text not null,
      sex text not null,
      ethnicity text not null,
      deprivation_quintile text not null,
      domain_codes text[] not null,
      denominator bigint not null,
      numerator bigint not null,
      value_sum double precision not null,
      value_sum_sq double precision not null,
      weight_sum double precision not null,
      primary key (person_id, ${ref(FACT_KEY)})
    )`,

    // Marks a person dirty and holds a KEY SHARE lock on the mark until the writer commits. Writers
    // share that lock (they do not wait for each other); the worker takes marks FOR UPDATE SKIP
    // LOCKED, so it never takes a mark whose writer has not committed (it would read the facts
    // without that writer's change and then delete the mark). A writer arriving while the worker
    // holds the mark waits here; the worker deletes it and commits, the lock finds no row, and the
    // writer inserts a new mark for its own change.
    sql`create function wm_rollup_mark_person(p uuid) returns void language plpgsql as $$
      begin
        if p is null then return; end if;
        loop
          perform 1 from rollup_dirty where person_id = p for key share;
          exit when found;
          insert into rollup_dirty (person_id) values (p) on conflict do nothing;
        end loop;
      end $$`,

    // The worker's step for one person, in the caller's transaction (which holds the person's mark):
    // adds (facts now − contribution) to the rollup in one upsert ordered by key (two workers lock
    // shared cells in the same order: no deadlocks), deletes cells left with no facts, and replaces
    // the contribution with the facts now. Every part reads one snapshot, so the contribution stored
    // is exactly what was added. Sums of doubles are compared with a tolerance: the same facts
    // summed in another order can differ in the last bits, which is no change. Planned once per
    // session (a generic plan, person_id a parameter, every branch of the view read by its keys).
    // Without JIT (migration 0024 says why: compiling the plan took 13 s of a 9 ms step).
    sql`create function wm_rollup_apply_person(p uuid) returns void language plpgsql
      set plan_cache_mode = force_generic_plan set jit = off as $$
      declare
        emptied record;
      begin
        if p is null then return; end if;
        for emptied in
          with now_facts as (
            select ${ref(FACT_KEY)},
              sum(denominator)::bigint as denominator, sum(numerator)::bigint as numerator,
              sum(value_sum) as value_sum, sum(value_sum_sq) as value_sum_sq, sum(weight_sum) as weight_sum
            from indicator_fact where person_id = p
            group by ${ref(FACT_KEY)}
          ), changed_facts as (
            -- Unchanged facts (most of a person's) cancel here, before they are expanded into cells.
            select * from (select ${ref(FACT_KEY)},
              sum(x.sign * x.denominator)::bigint as denominator,
              sum(x.sign * x.numerator)::bigint as numerator,
              coalesce(sum(x.value_sum) filter (where x.sign > 0), 0)
                - coalesce(sum(x.value_sum) filter (where x.sign < 0), 0) as value_sum,
              coalesce(sum(x.value_sum_sq) filter (where x.sign > 0), 0)
                - coalesce(sum(x.value_sum_sq) filter (where x.sign < 0), 0) as value_sum_sq,
              coalesce(sum(x.weight_sum) filter (where x.sign > 0), 0)
                - coalesce(sum(x.weight_sum) filter (where x.sign < 0), 0) as weight_sum
            from (
              select 1 as sign, ${ref(FACT_KEY)}, ${ref(VALUES)} from now_facts
              union all
              select -1, ${ref(FACT_KEY)}, ${ref(VALUES)} from rollup_contribution where person_id = p
            ) x
            group by ${ref(FACT_KEY)}) g
            where ${ref(NON_ZERO)}
          ), gone as (
            delete from rollup_contribution c
            where c.person_id = p and not exists (
              select 1 from now_facts n
              where n.measure = c.measure and n.period_month = c.period_month
                and n.organisation_id = c.organisation_id and n.team_id = c.team_id
                and n.viewpoint = c.viewpoint and n.age_band = c.age_band and n.sex = c.sex
                and n.ethnicity = c.ethnicity and n.deprivation_quintile = c.deprivation_quintile
                and n.domain_codes = c.domain_codes)
          ), kept as (
            insert into rollup_contribution as c (person_id, ${ref(FACT_KEY)}, ${ref(VALUES)})
            select p, ${ref(FACT_KEY)}, ${ref(VALUES)} from now_facts
            on conflict (person_id, ${ref(FACT_KEY)}) do update set
              denominator = excluded.denominator, numerator = excluded.numerator,
              value_sum = excluded.value_sum, value_sum_sq = excluded.value_sum_sq,
              weight_sum = excluded.weight_sum
            where (c.denominator, c.numerator, c.value_sum, c.value_sum_sq, c.weight_sum)
              is distinct from (excluded.denominator, excluded.numerator, excluded.value_sum,
                excluded.value_sum_sq, excluded.weight_sum)
          ), delta as (
            select ${ref(KEY)},
              sum(f.denominator)::bigint as denominator, sum(f.numerator)::bigint as numerator,
              sum(f.value_sum) as value_sum, sum(f.value_sum_sq) as value_sum_sq, sum(f.weight_sum) as weight_sum
            from changed_facts f ${CELLS}
            group by ${ref(KEY)}
          ), changed as (
            insert into indicator_rollup as r (${ref(KEY)}, ${ref(VALUES)})
            select ${ref(KEY)}, ${ref(VALUES)} from delta
            where ${ref(NON_ZERO)}
            order by ${ref(KEY)}
            on conflict (${ref(KEY)}) do update set
              denominator = r.denominator + excluded.denominator,
              numerator = r.numerator + excluded.numerator,
              value_sum = r.value_sum + excluded.value_sum,
              value_sum_sq = r.value_sum_sq + excluded.value_sum_sq,
              weight_sum = r.weight_sum + excluded.weight_sum
            returning ${ref(KEY)}, denominator
          )
          select ${ref(KEY)} from changed where denominator = 0
        loop
          delete from indicator_rollup
          where measure = emptied.measure and period_month = emptied.period_month
            and organisation_id = emptied.organisation_id and team_id = emptied.team_id
            and viewpoint = emptied.viewpoint and dim = emptied.dim and dim_value = emptied.dim_value;
        end loop;
      end $$`,

    sql`create function wm_rollup_mark() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          perform wm_rollup_mark_person(old.person_id);
          return old;
        end if;
        perform wm_rollup_mark_person(new.person_id);
        if tg_op = 'UPDATE' and old.person_id is distinct from new.person_id then
          perform wm_rollup_mark_person(old.person_id);
        end if;
        return new;
      end $$`,

    REBUILD_FUNCTION,

    ...ROLLUP_FEEDS.flatMap(rollupTriggers),
    sql`select wm_rollup_rebuild()`,
  ]);
}

/**
 * The tables the facts are computed from, and the columns whose change can change a fact (an
 * update of others, such as a conversation's summary or the person's name, fires nothing). The
 * person's row also carries columns other triggers keep (record_version, latest_held_on,
 * plan_version, lead_state…): those updates are left out by the column list and by the WHEN test.
 */
export const ROLLUP_FEEDS: readonly { table: string; columns: readonly string[] }[] = [
  {
    table: 'person',
    columns: [
      'date_of_birth',
      'sex',
      'ethnic_category',
      'deprivation_decile',
      'lead_team_id',
      'registered_as',
    ],
  },
  { table: 'conversation', columns: ['person_id', 'kind', 'held_on', 'next_review_date', 'recorded_at'] },
  { table: 'personal_outcome', columns: ['person_id', 'framework_id', 'conversation_id', 'created_at'] },
  { table: 'personal_outcome_domain', columns: ['person_id', 'outcome_id', 'domain_id'] },
  {
    table: 'outcome_rating',
    columns: ['person_id', 'outcome_id', 'viewpoint', 'score', 'conversation_id', 'rated_at'],
  },
  { table: 'gas_goal', columns: ['person_id', 'outcome_id', 'baseline_level', 'weight', 'created_at'] },
  { table: 'gas_attainment', columns: ['person_id', 'goal_id', 'level', 'conversation_id', 'recorded_at'] },
  {
    table: 'care_plan_version',
    columns: ['person_id', 'version', 'content', 'planned_review_date', 'created_at'],
  },
];

/**
 * The transaction-local setting a bulk load sets (`set_config('wm.rollups', 'deferred', true)`, by
 * `withRollupsDeferred` in features/rollups/store.ts, which rebuilds the rollup and the
 * contributions before the same transaction commits): while it is set no rollup trigger marks
 * anyone. It is tested in each trigger's WHEN condition, so the function is not even called.
 */
export const ROLLUPS_SETTING = 'wm.rollups';
export const NOT_DEFERRED = sql.raw(
  `current_setting('${ROLLUPS_SETTING}', true) is distinct from 'deferred'`,
);

/**
 * The mark trigger (BEFORE, each row) of one table. A person is inserted with no facts (nothing
 * refers to them yet), so only updates and deletes of the person's row fire. A row trigger, not a
 * statement trigger with transition tables: PostgreSQL allows no transition tables on a trigger with
 * a column list (UPDATE OF …), nor on one for several events, and the column lists are what keep
 * updates that change no fact (a summary, a name, the person's bookkeeping columns) from marking.
 */
function rollupTriggers({ table, columns }: (typeof ROLLUP_FEEDS)[number]): RawBuilder<unknown>[] {
  const t = sql.id(table);
  const of = sql.raw(columns.join(', '));
  if (table === 'person') {
    const changed = sql`(${sql.raw(columns.map((c) => `old.${c} is distinct from new.${c}`).join(' or '))}) and ${NOT_DEFERRED}`;
    return [
      sql`create trigger person_rollup_mark_upd before update of ${of} on person
        for each row when (${changed}) execute function wm_rollup_mark()`,
      sql`create trigger person_rollup_mark_del before delete on person
        for each row when (${NOT_DEFERRED}) execute function wm_rollup_mark()`,
    ];
  }
  return [
    sql`create trigger ${sql.id(`${table}_rollup_mark`)} before insert or delete or update of ${of} on ${t}
      for each row when (${NOT_DEFERRED}) execute function wm_rollup_mark()`,
  ];
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop trigger person_rollup_mark_upd on person`,
    sql`drop trigger person_rollup_mark_del on person`,
    ...ROLLUP_FEEDS.filter((f) => f.table !== 'person').map(
      ({ table }) => sql`drop trigger ${sql.id(`${table}_rollup_mark`)} on ${sql.id(table)}`,
    ),
    sql`drop function wm_rollup_rebuild()`,
    sql`drop function wm_rollup_mark()`,
    sql`drop function wm_rollup_apply_person(uuid)`,
    sql`drop function wm_rollup_mark_person(uuid)`,
    sql`drop table rollup_contribution, rollup_dirty`,
    sql`drop view indicator_rollup_rebuilt, indicator_fact_cell, indicator_fact, indicator_rating, indicator_outcome`,
    sql`drop table indicator_rollup`,
  ]);
}
