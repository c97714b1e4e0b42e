import { type Kysely, sql } from 'kysely';
import { isCommunitySource } from '../../domain/indicators/community-sources.js';
import { INDICATOR_LIBRARY } from '../../domain/indicators/library.js';
import { FACT_VIEW_WITH_FEEDBACK } from './0028-feedback-rollups.js';
import { communityFacts } from './0036-community-facts.js';
import { FACT_VIEW_WITH_WELLBEING, wellbeingFacts } from './0037-community-wellbeing.js';
import { executeStatements } from './execute-statements.js';

/**
 * Outcomes of community support per resource (issue 14, part 4): every community fact (0036's
 * connections and rating changes, 0037's wellbeing changes) moves from "no team" into the resource
 * the person was connected to. A resource is to the organisation that runs it what a team is to a
 * provider: a unit inside it. So the rollup's team column holds the resource's id for these facts,
 * and the one rollup, disclosure control, funnel plot and drill-down give each resource's figures
 * as they give each team's, with no second store. Team and resource ids are both random uuids and
 * never collide; nothing joins the rollup's team column to `team` (labels are looked up per id:
 * features/indicators/store.ts names resources beside teams).
 *
 * Access is unchanged: a unit scope lists organisations and teams, so an organisation's own people
 * see their resources' figures through the organisation, as before, and a team scope never holds a
 * resource id.
 *
 * The library's community indicators (seeded by 0036 and 0037 without a team breakdown, as there
 * was none) now offer one, by resource: their shipped versions take the library's breakdowns.
 *
 * Marks: nothing new (a referral moved to another resource marks its person through 0036's row
 * trigger on `resource_id`).
 */

const FACT_VIEW_PER_RESOURCE = sql`${FACT_VIEW_WITH_FEEDBACK}
  union all
  ${communityFacts('resource')}
  union all
  ${wellbeingFacts('resource')}`;

const COMMUNITY_LIBRARY = INDICATOR_LIBRARY.filter((d) => isCommunitySource(d.source));

/** A shipped community indicator's breakdowns, set to `breakdowns`. */
const shippedBreakdowns = (key: string, breakdowns: readonly string[]) =>
  sql`update indicator_definition set breakdowns = ${JSON.stringify(breakdowns)}::jsonb
    where key = ${key} and version = 1 and created_by_user_id is null`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace view indicator_fact as ${FACT_VIEW_PER_RESOURCE}`,
    ...COMMUNITY_LIBRARY.map((d) => shippedBreakdowns(d.key, d.breakdowns)),
    sql`select wm_rollup_rebuild()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace view indicator_fact as ${FACT_VIEW_WITH_WELLBEING}`,
    ...COMMUNITY_LIBRARY.map((d) =>
      shippedBreakdowns(
        d.key,
        d.breakdowns.filter((b) => b !== 'team'),
      ),
    ),
    sql`select wm_rollup_rebuild()`,
  ]);
}
