import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  FEEDBACK_CONCERN_CHANGE_MEASURE,
  FEEDBACK_FFT_MEASURE,
  FEEDBACK_NEGATIVE_SENTIMENT_MEASURE,
  FEEDBACK_RESPONDED_MEASURE,
  FEEDBACK_RESPONSE_TIME_MEASURE,
  FEEDBACK_SAFEGUARDING_MEASURE,
  FEEDBACK_SENTIMENT_MEASURE,
  FEEDBACK_THEMES,
  FFT_POSITIVE_ANSWERS,
  FIRST_RESPONSE_TARGET_DAYS,
  NEGATIVE_SENTIMENT,
  POSITIVE_SENTIMENT,
  themeMeasure,
} from '../../domain/indicators/feedback-sources.js';
import { FACT_BRANCHES, indicatorFactView, monthOf, NO_TEAM, NOT_DEFERRED } from './0014-rollups.js';
import { MEASURE_FACT_BRANCHES } from './0022-measure-rollups.js';
import { executeStatements } from './execute-statements.js';

/**
 * Care-experience feedback in the rollup (issue 12, item 6). A story is about no identified person,
 * and its service may be a whole organisation, yet its facts are kept in the same `indicator_rollup`
 * by the same worker, read by the same indicator service (dashboards, contracts, SPC, funnel plots):
 *
 * - The unit of contribution is the story. The rollup's queue and contributions are keyed by a
 *   unit id (`person_id` by name, a uuid with no foreign key): a story's facts are kept under its
 *   own `feedback_id`. Ids are random uuids, so a story's id is never a person's; the worker's step
 *   (`wm_rollup_apply_person`) reads `indicator_fact where person_id = <the id>`, which the planner
 *   pushes into every branch: the person branches find nothing for a story's id, and the feedback
 *   branch nothing for a person's.
 * - The feedback branch places its own facts (no person to join): the London month the story was
 *   received, its service's organisation, and its service's team, or the nil uuid (NO_TEAM, "no
 *   team", as for people with no lead team) when the service is the organisation as a whole, so
 *   the story counts in its organisation and in no team. Age band is the band the writer gave (the
 *   feedback form's bands are the reporting bands), else 'unknown'; sex, ethnicity and deprivation
 *   are 'unknown' (never asked; the sources do not offer those breakdowns); no domains, no viewpoint.
 * - Marks: the story's id, by the same `wm_rollup_mark_person` lock protocol, from each table a
 *   story's facts read: the story, its codes, its links to changes (statement triggers for inserts,
 *   row triggers for updates of the listed columns and deletes); a change's status (marks its
 *   stories); a service's organisation or team (marks its stories).
 *
 * Citus: every feedback branch is grouped or joined by `feedback_id` first, and reads otherwise
 * only `feedback_service` and `feedback_change` (small, written rarely: reference tables), so
 * `feedback`, `feedback_code` and `feedback_change_story` can be distributed by `feedback_id`,
 * co-located with `rollup_contribution` and `rollup_dirty` (both hashed on the unit id).
 */

const lit = (value: string | number) => sql.lit(value);
const list = (values: readonly string[]) => sql.join(values.map(lit));

/** The columns every feedback fact shares, after its measure: month, unit, breakdown cells. */
const PLACED = sql`${monthOf(sql`f.received_on`)} as period_month,
    s.organisation_id, coalesce(s.team_id, ${lit(NO_TEAM)}::uuid) as team_id, ''::text as viewpoint,
    coalesce(f.age_band, 'unknown') as age_band, 'unknown'::text as sex, 'unknown'::text as ethnicity,
    'unknown'::text as deprivation_quintile, '{}'::text[] as domain_codes`;
const STORY = sql`feedback f join feedback_service s on s.service_key = f.service_key`;

/** The themes of each story's codes in use (`theme` or `theme/sub-theme`), grouped by story first. */
const STORY_THEMES = sql`(
  select c.feedback_id, array_agg(distinct split_part(c.code, '/', 1)) as themes
  from feedback_code_in_use c
  group by c.feedback_id
)`;

/** Whether each story linked to a change is linked to one made, grouped by story first. */
const STORY_CHANGES = sql`(
  select cs.feedback_id, bool_or(ch.status = 'made') as made
  from feedback_change_story cs
  join feedback_change ch on ch.change_id = cs.change_id
  group by cs.feedback_id
)`;

const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3_600;

const themeArray = (each: (themeId: string) => RawBuilder<unknown>, type: 'text' | 'bigint') =>
  sql`array[${sql.join(FEEDBACK_THEMES.map((t) => each(t.id)))}]::${sql.raw(type)}[]`;

/**
 * The feedback facts, already placed (the fact view's columns, in its order), one branch per kind
 * of fact; each reads the story by its key, so the worker's filter on one id reaches every table.
 */
export const FEEDBACK_FACTS = sql`
  -- feedback:fft: every story; numerator its FFT answer positive (Very good or Good). Don't know
  -- stays in the denominator (NHS England's percentage positive).
  select f.feedback_id as person_id, ${lit(FEEDBACK_FFT_MEASURE)}::text as measure, ${PLACED},
    1::bigint as denominator, (f.fft in (${list(FFT_POSITIVE_ANSWERS)}))::int::bigint as numerator,
    0::float8 as value_sum, 0::float8 as value_sum_sq, 0::float8 as weight_sum
  from ${STORY}

  union all
  -- feedback:responded-in-time: every story; numerator first replied to within the target days.
  select f.feedback_id, ${lit(FEEDBACK_RESPONDED_MEASURE)}, ${PLACED}, 1,
    coalesce(f.seconds_to_first_response <= ${lit(FIRST_RESPONSE_TARGET_DAYS * SECONDS_PER_DAY)}, false)::int,
    0, 0, 0
  from ${STORY}

  union all
  -- feedback:first-response-days: stories replied to; value the days to the first reply.
  select f.feedback_id, ${lit(FEEDBACK_RESPONSE_TIME_MEASURE)}, ${PLACED}, 1, 0,
    f.seconds_to_first_response / ${lit(SECONDS_PER_DAY)}::float8,
    (f.seconds_to_first_response / ${lit(SECONDS_PER_DAY)}::float8) ^ 2, 0
  from ${STORY}
  where f.seconds_to_first_response is not null

  union all
  -- feedback:safeguarding-first-action-hours: flagged stories with a first action; value the hours.
  select f.feedback_id, ${lit(FEEDBACK_SAFEGUARDING_MEASURE)}, ${PLACED}, 1, 0,
    f.seconds_to_first_action / ${lit(SECONDS_PER_HOUR)}::float8,
    (f.seconds_to_first_action / ${lit(SECONDS_PER_HOUR)}::float8) ^ 2, 0
  from ${STORY}
  where f.flagged_at is not null and f.seconds_to_first_action is not null

  union all
  -- feedback:sentiment and :sentiment-negative: stories with a sentiment (coded or confirmed).
  select f.feedback_id,
    unnest(array[${lit(FEEDBACK_SENTIMENT_MEASURE)}, ${lit(FEEDBACK_NEGATIVE_SENTIMENT_MEASURE)}]::text[]),
    ${PLACED}, 1,
    unnest(array[
      (f.sentiment between ${lit(POSITIVE_SENTIMENT.min)} and ${lit(POSITIVE_SENTIMENT.max)})::int,
      (f.sentiment between ${lit(NEGATIVE_SENTIMENT.min)} and ${lit(NEGATIVE_SENTIMENT.max)})::int]::bigint[]),
    unnest(array[f.sentiment, 0]::float8[]), unnest(array[f.sentiment * f.sentiment, 0]::float8[]), 0
  from ${STORY}
  where f.sentiment is not null

  union all
  -- feedback:concern-change-made: concerns (feedback.is_concern, the one definition); numerator
  -- linked to a change recorded as made.
  select f.feedback_id, ${lit(FEEDBACK_CONCERN_CHANGE_MEASURE)}, ${PLACED}, 1,
    coalesce(m.made, false)::int, 0, 0, 0
  from ${STORY}
  left join ${STORY_CHANGES} m on m.feedback_id = f.feedback_id
  where f.is_concern

  union all
  -- feedback:theme:<theme>: stories with words to code, once per theme of the default framework;
  -- numerator coded to the theme or one of its sub-themes (codes in use: feedback_code_in_use).
  select f.feedback_id, unnest(${themeArray((id) => lit(themeMeasure(id)), 'text')}), ${PLACED}, 1,
    unnest(${themeArray((id) => sql`coalesce(${lit(id)} = any(c.themes), false)::int`, 'bigint')}),
    0, 0, 0
  from ${STORY}
  left join ${STORY_THEMES} c on c.feedback_id = f.feedback_id
  where f.masked_what_was_good <> '' or f.masked_what_could_be_better <> ''
`;

/**
 * The tables a story's facts read, with the columns whose change can change a fact (marking the
 * story by `feedback_id`): a row trigger for updates of these and deletes, a statement trigger for
 * inserts. `is_concern` is generated from `fft` and `sentiment`, so their updates cover it.
 */
export const FEEDBACK_ROLLUP_FEEDS: readonly { table: string; columns: readonly string[] }[] = [
  {
    table: 'feedback',
    columns: [
      'service_key',
      'fft',
      'age_band',
      'received_on',
      'masked_what_was_good',
      'masked_what_could_be_better',
      'sentiment',
      'seconds_to_first_response',
      'flagged_at',
      'seconds_to_first_action',
    ],
  },
  { table: 'feedback_code', columns: ['feedback_id', 'code', 'status'] },
  { table: 'feedback_change_story', columns: ['change_id', 'feedback_id'] },
];

function storyTriggers({ table, columns }: (typeof FEEDBACK_ROLLUP_FEEDS)[number]): RawBuilder<unknown>[] {
  return [
    sql`create trigger ${sql.id(`${table}_rollup_mark`)}
      before delete or update of ${sql.raw(columns.join(', '))} on ${sql.id(table)}
      for each row when (${NOT_DEFERRED}) execute function wm_rollup_mark_story()`,
    sql`create trigger ${sql.id(`${table}_rollup_mark_inserted`)} after insert on ${sql.id(table)}
      referencing new table as inserted
      for each statement when (${NOT_DEFERRED}) execute function wm_rollup_mark_stories_inserted()`,
  ];
}

/** The fact view with every subject's facts: people's (0014, 0022), then stories'. */
export const FACT_VIEW_WITH_FEEDBACK = sql`${indicatorFactView(sql`${FACT_BRANCHES} ${MEASURE_FACT_BRANCHES}`)}
  union all
  ${FEEDBACK_FACTS}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace view indicator_fact as ${FACT_VIEW_WITH_FEEDBACK}`,

    // A story's row, code or link changed: mark the story (old and new when the key moved).
    sql`create function wm_rollup_mark_story() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          perform wm_rollup_mark_person(old.feedback_id);
          return old;
        end if;
        perform wm_rollup_mark_person(new.feedback_id);
        if tg_op = 'UPDATE' and old.feedback_id is distinct from new.feedback_id then
          perform wm_rollup_mark_person(old.feedback_id);
        end if;
        return new;
      end $$`,
    sql`create function wm_rollup_mark_stories_inserted() returns trigger language plpgsql as $$
      begin
        perform wm_rollup_mark_person(i.feedback_id)
        from (select distinct feedback_id from inserted) i
        order by i.feedback_id;
        return null;
      end $$`,
    // A change made (or no longer made, or deleted): the stories linked to it.
    sql`create function wm_rollup_mark_change_stories() returns trigger language plpgsql as $$
      begin
        perform wm_rollup_mark_person(cs.feedback_id)
        from feedback_change_story cs
        where cs.change_id = (case when tg_op = 'DELETE' then old.change_id else new.change_id end)
        order by cs.feedback_id;
        return case when tg_op = 'DELETE' then old else new end;
      end $$`,
    // A service moved to another organisation or team: every story of it.
    sql`create function wm_rollup_mark_service_stories() returns trigger language plpgsql as $$
      begin
        perform wm_rollup_mark_person(f.feedback_id)
        from feedback f
        where f.service_key = new.service_key
        order by f.feedback_id;
        return new;
      end $$`,
    ...FEEDBACK_ROLLUP_FEEDS.flatMap(storyTriggers),
    sql`create trigger feedback_change_rollup_mark before delete or update of status on feedback_change
      for each row when (${NOT_DEFERRED}) execute function wm_rollup_mark_change_stories()`,
    sql`create trigger feedback_service_rollup_mark before update of organisation_id, team_id
      on feedback_service
      for each row when ((old.organisation_id is distinct from new.organisation_id
        or old.team_id is distinct from new.team_id) and ${NOT_DEFERRED})
      execute function wm_rollup_mark_service_stories()`,
    // Stories received before this migration enter the rollup.
    sql`select wm_rollup_rebuild()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop trigger feedback_service_rollup_mark on feedback_service`,
    sql`drop trigger feedback_change_rollup_mark on feedback_change`,
    ...FEEDBACK_ROLLUP_FEEDS.flatMap(({ table }) => [
      sql`drop trigger ${sql.id(`${table}_rollup_mark_inserted`)} on ${sql.id(table)}`,
      sql`drop trigger ${sql.id(`${table}_rollup_mark`)} on ${sql.id(table)}`,
    ]),
    sql`drop function wm_rollup_mark_service_stories()`,
    sql`drop function wm_rollup_mark_change_stories()`,
    sql`drop function wm_rollup_mark_stories_inserted()`,
    sql`drop function wm_rollup_mark_story()`,
    sql`create or replace view indicator_fact as ${indicatorFactView(sql`${FACT_BRANCHES} ${MEASURE_FACT_BRANCHES}`)}`,
    sql`select wm_rollup_rebuild()`,
  ]);
}
