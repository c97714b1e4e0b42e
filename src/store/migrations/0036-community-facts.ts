import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AttendanceOutcome } from '../../domain/community/referrals.js';
import { RESOURCE_KINDS } from '../../domain/community/vocabulary.js';
import {
  type CommunityFact,
  communityMeasure,
  isCommunitySource,
} from '../../domain/indicators/community-sources.js';
import { INDICATOR_LIBRARY } from '../../domain/indicators/library.js';
import { monthOf, NO_TEAM, NOT_DEFERRED, personBreakdownCells } from './0014-rollups.js';
import { libraryDefinitionInsert } from './0015-indicators.js';
import { insertMarkTrigger, rowMarkTrigger } from './0019-rollup-insert-marks.js';
import { FACT_VIEW_WITH_FEEDBACK } from './0028-feedback-rollups.js';
import { executeStatements } from './execute-statements.js';

/**
 * Outcomes of community support in the rollup (issue 14, part 4): the fact view `indicator_fact`
 * gains the connections of people to community resources (referrals and signposts with an
 * attendance recorded as attended: migration 0035) and the change in the linked outcome's rating
 * across them, so the voluntary and community sector's figures are kept in `indicator_rollup` by
 * the same worker, read by the same indicator service and passed through the same disclosure control
 * as every other figure. Measure names come from domain/indicators/community-sources.ts.
 *
 * Where a fact sits: the London month (of the first attendance; of the latest rating after it), the
 * organisation that runs the resource, and no team (the nil uuid, NO_TEAM: a resource belongs to an
 * organisation, not a team), so a community organisation is compared with clinical providers by
 * organisation, and a person's lead team is not credited with what a walking group did. Demographics
 * are the person's (personBreakdownCells, 0014's one definition); carers' own records are not counted.
 * Each fact is kept twice: under the measure over every kind of support and under its kind's.
 *
 * The unit of contribution is the person (referrals are person-owned): every branch groups by
 * person_id first, so the worker's filter on one person reads `community_attendance`,
 * `community_referral` and the ratings by their keys; `community_resource` is reference data.
 * Marks: a referral or attendance written (statement triggers for inserts, row triggers for updates
 * of the columns the facts read, and deletes: 0019's builders and `wm_rollup_mark`), ratings (0014's
 * marks already), and a resource moved to another organisation or kind (marks the people referred to it).
 */

const lit = (value: string) => sql.lit(value);
const ATTENDED: AttendanceOutcome = 'attended';

/** `array['community:<fact>', 'community:<fact>:<kind>']`: each fact under every kind and its own. */
export function measuresOf(fact: CommunityFact, kind: RawBuilder<unknown>): RawBuilder<unknown> {
  const whens = RESOURCE_KINDS.map((k) => sql`when ${lit(k)} then ${lit(communityMeasure(fact, k))}`);
  return sql`unnest(array[${lit(communityMeasure(fact))}, case ${kind} ${sql.join(whens, sql` `)} end]::text[])`;
}

/** Each connected referral: its first attended day, grouped by person first. */
export const CONNECTED = sql`(
  select a.person_id, a.referral_id, min(a.attended_on) as first_on
  from community_attendance a
  where a.outcome = ${lit(ATTENDED)}
  group by a.person_id, a.referral_id
)`;

/**
 * Where a community fact's unit is kept in the rollup's team column: in no team (NO_TEAM, as this
 * migration first placed every community fact), or in the resource itself (migration 0038: a
 * resource is a unit of the organisation that runs it, as a team is, so figures break down per
 * resource).
 */
export type CommunityUnit = 'no-team' | 'resource';

/** The month and unit of a community fact: the resource's organisation, and no team or the resource. */
export const placed = (
  month: RawBuilder<unknown>,
  organisation: RawBuilder<unknown>,
  resource: RawBuilder<unknown>,
  unit: CommunityUnit,
) => sql`${month} as period_month,
    ${organisation} as organisation_id, ${unit === 'resource' ? sql`${resource}` : sql`${lit(NO_TEAM)}::uuid`} as team_id`;

/**
 * The community facts, already placed (the fact view's columns, in its order). Ratings are read
 * through `indicator_rating` (0014), so a rating's date is the one every rating fact uses.
 */
export const communityFacts = (unit: CommunityUnit) => sql`
  -- community:connected: a referral or signpost the person attended at least once, in the month
  -- of the first attendance.
  select c.person_id, ${measuresOf('connected', sql`rs.kind`)} as measure,
    ${placed(monthOf(sql`c.first_on`), sql`rs.organisation_id`, sql`rs.resource_id`, unit)}, ''::text as viewpoint,
    ${personBreakdownCells(monthOf(sql`c.first_on`))}, '{}'::text[] as domain_codes,
    1::bigint as denominator, 0::bigint as numerator,
    0::float8 as value_sum, 0::float8 as value_sum_sq, 0::float8 as weight_sum
  from ${CONNECTED} c
  join community_referral cr on cr.person_id = c.person_id and cr.referral_id = c.referral_id
  join community_resource rs on rs.resource_id = cr.resource_id
  join person p on p.person_id = c.person_id
  where p.registered_as = 'person'

  union all
  -- community:rating-change: a connection with a linked outcome rated from a viewpoint at or before
  -- the first attendance (baseline: the latest such) and after it (the latest), in the month of the
  -- latest; numerator rated higher than the baseline, value the change.
  select ch.person_id, ${measuresOf('rating-change', sql`ch.kind`)},
    ${placed(monthOf(sql`ch.last_on`), sql`ch.organisation_id`, sql`ch.resource_id`, unit)}, ch.viewpoint,
    ${personBreakdownCells(monthOf(sql`ch.last_on`))}, '{}'::text[],
    1, (ch.latest > ch.baseline)::int,
    (ch.latest - ch.baseline)::float8, ((ch.latest - ch.baseline) * (ch.latest - ch.baseline))::float8, 0
  from (
    select c.person_id, c.referral_id, rs.resource_id, rs.kind, rs.organisation_id, r.viewpoint,
      max(r.rated_on) filter (where r.rated_on > c.first_on) as last_on,
      (array_agg(r.score order by r.rated_on desc, r.rated_at desc, r.rating_id desc)
        filter (where r.rated_on <= c.first_on))[1] as baseline,
      (array_agg(r.score order by r.rated_on desc, r.rated_at desc, r.rating_id desc)
        filter (where r.rated_on > c.first_on))[1] as latest
    from ${CONNECTED} c
    join community_referral cr on cr.person_id = c.person_id and cr.referral_id = c.referral_id
    join community_resource rs on rs.resource_id = cr.resource_id
    join indicator_rating r on r.person_id = cr.person_id and r.outcome_id = cr.outcome_id
    group by c.person_id, c.referral_id, rs.resource_id, rs.kind, rs.organisation_id, r.viewpoint
  ) ch
  join person p on p.person_id = ch.person_id
  where p.registered_as = 'person' and ch.baseline is not null and ch.latest is not null
`;

/**
 * The tables a connection's facts read, with the columns whose change can change a fact (marking
 * the person): a row trigger for updates of these and deletes, a statement trigger for inserts.
 * Ratings and the person's own row mark through 0014's feeds.
 */
export const COMMUNITY_ROLLUP_FEEDS: readonly { table: string; columns: readonly string[] }[] = [
  { table: 'community_referral', columns: ['person_id', 'referral_id', 'resource_id', 'outcome_id'] },
  { table: 'community_attendance', columns: ['person_id', 'referral_id', 'attended_on', 'outcome'] },
];

/** The fact view with every subject's facts: people's (0014, 0022), stories' (0028), then connections'. */
export const FACT_VIEW_WITH_COMMUNITY = sql`${FACT_VIEW_WITH_FEEDBACK}
  union all
  ${communityFacts('no-team')}`;

/** The library's indicators over community support: seeded here for databases made before them. */
const COMMUNITY_LIBRARY = INDICATOR_LIBRARY.filter((d) => isCommunitySource(d.source));

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace view indicator_fact as ${FACT_VIEW_WITH_COMMUNITY}`,
    ...COMMUNITY_ROLLUP_FEEDS.flatMap((feed) => [rowMarkTrigger(feed, ''), insertMarkTrigger(feed)]),
    // A resource moved to another organisation or kind: every person referred or signposted to it.
    sql`create function wm_rollup_mark_resource_people() returns trigger language plpgsql as $$
      begin
        perform wm_rollup_mark_person(r.person_id)
        from (select distinct person_id from community_referral where resource_id = new.resource_id) r
        order by r.person_id;
        return new;
      end $$`,
    sql`create trigger community_resource_rollup_mark before update of organisation_id, kind
      on community_resource
      for each row when ((old.organisation_id is distinct from new.organisation_id
        or old.kind is distinct from new.kind) and ${NOT_DEFERRED})
      execute function wm_rollup_mark_resource_people()`,
    ...COMMUNITY_LIBRARY.map(libraryDefinitionInsert),
    // Connections recorded before this migration enter the rollup.
    sql`select wm_rollup_rebuild()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop trigger community_resource_rollup_mark on community_resource`,
    sql`drop function wm_rollup_mark_resource_people()`,
    ...COMMUNITY_ROLLUP_FEEDS.flatMap(({ table }) => [
      sql`drop trigger ${sql.id(`${table}_rollup_mark_inserted`)} on ${sql.id(table)}`,
      sql`drop trigger ${sql.id(`${table}_rollup_mark`)} on ${sql.id(table)}`,
    ]),
    sql`create or replace view indicator_fact as ${FACT_VIEW_WITH_FEEDBACK}`,
    ...(COMMUNITY_LIBRARY.length
      ? [
          sql`delete from indicator_definition where version = 1 and created_by_user_id is null
            and key in (${sql.join(COMMUNITY_LIBRARY.map((d) => d.key))})`,
        ]
      : []),
    sql`select wm_rollup_rebuild()`,
  ]);
}
