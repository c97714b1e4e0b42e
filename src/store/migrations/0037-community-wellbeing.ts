import { type Kysely, sql } from 'kysely';
import { connectionsBehind, WELLBEING_SCORE } from '../../domain/indicators/community-sources.js';
import { INDICATOR_LIBRARY } from '../../domain/indicators/library.js';
import { monthOf, personBreakdownCells } from './0014-rollups.js';
import { libraryDefinitionInsert } from './0015-indicators.js';
import { changeTerms } from './0022-measure-rollups.js';
import {
  CONNECTED,
  type CommunityUnit,
  FACT_VIEW_WITH_COMMUNITY,
  measuresOf,
  placed,
} from './0036-community-facts.js';
import { executeStatements } from './execute-statements.js';

/**
 * Wellbeing measured before and after community support (issue 14, part 4, the measures half): the
 * fact view `indicator_fact` gains, per connection (0036's CONNECTED: a referral or signpost with an
 * attended session), the change in the person's SWEMWBS metric score across it (WELLBEING_SCORE,
 * domain/indicators/community-sources.ts): the latest score at or before the first attendance is
 * the baseline, the latest after it the end point; one fact in the London month of that latest
 * score, placed as 0036 places every community fact (the resource's organisation, no team, the
 * person's demographics, no viewpoint), under the measure over every kind and its kind's.
 *
 * Value: the change (latest − baseline) and its square, for the mean and its spread. Numerator:
 * reliable improvement, judged by 0022's builder of SWEMWBS's rule (changeTerms, from
 * domain/measures/reliable-change.ts), so the threshold is written nowhere here.
 *
 * Marks: nothing new. A score written or entered in error marks the person through 0022's feeds
 * (measure_score, questionnaire_response); a referral, attendance or resource change through 0036's.
 * The branch groups by person_id first, so the worker's person filter reaches every table by key.
 */

const lit = (value: string) => sql.lit(value);

const terms = changeTerms(WELLBEING_SCORE);
if (!terms) throw new Error('the wellbeing score has no reliable-change rule');

/** The wellbeing facts, in the fact view's columns and order (0036's rating-change branch's). */
export const wellbeingFacts = (unit: CommunityUnit) => sql`
  -- community:wellbeing-change: a connection of a person with a wellbeing score at or before the
  -- first attendance (baseline: the latest such) and after it (the latest), in the month of the
  -- latest; numerator reliably improved, value the change. changeTerms reads c.first and c.latest.
  select c.person_id, ${measuresOf('wellbeing-change', sql`c.kind`)},
    ${placed(monthOf(sql`c.last_on`), sql`c.organisation_id`, sql`c.resource_id`, unit)}, ''::text,
    ${personBreakdownCells(monthOf(sql`c.last_on`))}, '{}'::text[],
    1, ${terms.improved}::int,
    (c.latest - c.first)::float8, ((c.latest - c.first) * (c.latest - c.first))::float8, 0
  from (
    select k.person_id, k.referral_id, rs.resource_id, rs.kind, rs.organisation_id,
      max(s.observed_on) filter (where s.observed_on > k.first_on) as last_on,
      (array_agg(s.value order by s.observed_on desc, s.recorded_at desc, s.response_id desc)
        filter (where s.observed_on <= k.first_on))[1] as first,
      (array_agg(s.value order by s.observed_on desc, s.recorded_at desc, s.response_id desc)
        filter (where s.observed_on > k.first_on))[1] as latest
    from ${CONNECTED} k
    join community_referral cr on cr.person_id = k.person_id and cr.referral_id = k.referral_id
    join community_resource rs on rs.resource_id = cr.resource_id
    join indicator_measure_score s on s.person_id = k.person_id
      and s.instrument = ${lit(WELLBEING_SCORE.instrument)} and s.score_key = ${lit(WELLBEING_SCORE.scoreKey)}
    group by k.person_id, k.referral_id, rs.resource_id, rs.kind, rs.organisation_id
  ) c
  join person p on p.person_id = c.person_id
  where p.registered_as = 'person' and c.first is not null and c.latest is not null
`;

/** The fact view with every subject's facts, the wellbeing of connections last. */
export const FACT_VIEW_WITH_WELLBEING = sql`${FACT_VIEW_WITH_COMMUNITY}
  union all
  ${wellbeingFacts('no-team')}`;

/** The library's wellbeing indicators: seeded here for databases made before them. */
const WELLBEING_LIBRARY = INDICATOR_LIBRARY.filter(
  (d) => connectionsBehind(d.source)?.fact === 'wellbeing-change',
);

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace view indicator_fact as ${FACT_VIEW_WITH_WELLBEING}`,
    ...WELLBEING_LIBRARY.map(libraryDefinitionInsert),
    // Scores and connections recorded before this migration enter the rollup.
    sql`select wm_rollup_rebuild()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace view indicator_fact as ${FACT_VIEW_WITH_COMMUNITY}`,
    sql`delete from indicator_definition where version = 1 and created_by_user_id is null
      and key in (${sql.join(WELLBEING_LIBRARY.map((d) => d.key))})`,
    sql`select wm_rollup_rebuild()`,
  ]);
}
