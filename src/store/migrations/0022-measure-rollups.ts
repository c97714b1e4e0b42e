import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ConversationKind } from '../../domain/conversations.js';
import { INDICATOR_LIBRARY } from '../../domain/indicators/library.js';
import {
  ANY_MEASURE_START_AND_REVIEW,
  bandMeasure,
  changeMeasure,
  changeOutcomesOf,
  MEASURE_INSTRUMENTS,
  MEASURE_SCORES,
  MEASURE_SOURCES,
  type MeasureScoreSpec,
  scoreMeasure,
  startAndReviewMeasure,
} from '../../domain/indicators/measure-sources.js';
import type { ResponseStatus } from '../../domain/measures/measure-requests.js';
import { FACT_BRANCHES, indicatorFactView, monthOf } from './0014-rollups.js';
import { libraryDefinitionInsert } from './0015-indicators.js';
import { insertMarkTrigger, rowMarkTrigger } from './0019-rollup-insert-marks.js';
import { executeStatements } from './execute-statements.js';

/**
 * Standard measures in the aggregates (issue 11): the fact view `indicator_fact` gains branches over
 * `measure_score` (migration 0021), so instrument scores are kept in `indicator_rollup` like every
 * other fact, by the same worker, and read by the same indicator service (dashboards, contracts,
 * SPC, funnel plots). Everything is generated from the domain's data (domain/indicators/
 * measure-sources.ts, from domain/measures/instruments and reliable-change.ts): the measures'
 * names, the bands' bounds, the reliable-change and caseness thresholds. No number is written here.
 *
 * - `indicator_measure_score` (view): the scores that count: a built-in instrument's aggregated
 *   score, of a response not entered in error.
 * - four branches (below), each grouping or partitioning by person_id first, so the worker's
 *   person filter reaches every table by its key, and each free of nested loops (joins on
 *   person_id, several facts from one row by set-returning functions in the select list).
 * - the feeding tables' mark triggers (as 0014 and 0019 made them for the others): a row trigger
 *   for updates of the listed columns and deletes, a statement trigger for inserts.
 *
 * The view is re-created with `create or replace` from 0014's one definition of how a fact is
 * placed (month, lead team, breakdown cells), with 0014's branches and these after them: the
 * columns are unchanged, so the views over it stay. A fresh database runs 0014 → 0018 → … → here.
 */

const lit = (value: string | number) => sql.lit(value);
const ENTERED_IN_ERROR: ResponseStatus = 'entered-in-error';
const REVIEW: ConversationKind = 'review';

/** `s.instrument = 'phq9' and s.score_key = 'total'`: the rows of one aggregated score (of `alias`). */
const isScore = (s: MeasureScoreSpec, alias: 's' | 'c' | 'm' = 's') =>
  sql`(${sql.raw(alias)}.instrument = ${lit(s.instrument)} and ${sql.raw(alias)}.score_key = ${lit(s.scoreKey)})`;

/** An array of expressions of one type. */
const typedArray = (elements: readonly RawBuilder<unknown>[], type: 'text' | 'int' | 'float8') =>
  sql`array[${sql.join(elements)}]::${sql.raw(type)}[]`;

/** A text array of literals. */
const textArray = (values: readonly string[]) => typedArray(values.map(lit), 'text');

/**
 * The band key of `s.value`, as domain/measures/scoring.ts bandFor finds it: the first band whose
 * inclusive bounds hold the value; null when none does.
 */
function bandCase(s: MeasureScoreSpec): RawBuilder<unknown> {
  const whens = s.bands.map(
    (b) => sql`when s.value >= ${lit(b.min)} and s.value <= ${lit(b.max)} then ${lit(b.key)}`,
  );
  return sql`(case ${sql.join(whens, sql` `)} end)`;
}

/**
 * One case over the aggregated scores, each giving an array (zipped by unnest in the select list:
 * a ProjectSet, one fact per element, no join): `arrays(spec)` for each spec that has one.
 */
function perScore(
  specs: readonly MeasureScoreSpec[],
  alias: 's' | 'c',
  arrays: (s: MeasureScoreSpec) => RawBuilder<unknown> | null,
): RawBuilder<unknown> {
  const whens = specs.flatMap((s) => {
    const array = arrays(s);
    return array ? [sql`when ${isScore(s, alias)} then ${array}`] : [];
  });
  // No score of this kind: no facts (unnest of null is no rows).
  if (!whens.length) return sql`null::text[]`;
  return sql`(case ${sql.join(whens, sql` `)} end)`;
}

/** A score's facts: its mean, then one per band, 1 in the numerator of the band it is in. */
const scoreFacts = {
  measures: (s: MeasureScoreSpec) => textArray([scoreMeasure(s), ...s.bands.map((b) => bandMeasure(s, b))]),
  numerators: (s: MeasureScoreSpec) =>
    typedArray(
      [sql`0`, ...s.bands.map((b) => sql`coalesce(${bandCase(s)} = ${lit(b.key)}, false)::int`)],
      'int',
    ),
  values: (s: MeasureScoreSpec) => typedArray([sql`s.value`, ...s.bands.map(() => sql`0`)], 'float8'),
  squares: (s: MeasureScoreSpec) =>
    typedArray([sql`s.value * s.value`, ...s.bands.map(() => sql`0`)], 'float8'),
};

/**
 * The change between a person's first and latest score (`c.first`, `c.latest`), judged as
 * domain/measures/reliable-change.ts assessChange does: the improvement in hundredths of a point
 * (Math.round is floor(x + 0.5)), reliable when at least the threshold's hundredths; at caseness at
 * or beyond the caseness score on the worse side; recovery from caseness to not; reliable recovery
 * is recovery with reliable improvement.
 */
export function changeTerms(s: MeasureScoreSpec) {
  const rule = s.change;
  if (!rule) return null;
  const improvement = rule.higherIsBetter ? sql`(c.latest - c.first)` : sql`(c.first - c.latest)`;
  const hundredths = sql`floor(${improvement} * 100 + 0.5)`;
  const threshold = lit(Math.round(rule.points * 100));
  const improved = sql`(${hundredths} >= ${threshold})`;
  const deteriorated = sql`(-${hundredths} >= ${threshold})`;
  if (rule.caseness === null) return { improved, deteriorated, cased: null, recovered: null };
  const caseness = lit(rule.caseness);
  const atCaseness = (score: RawBuilder<unknown>) =>
    rule.higherIsBetter ? sql`(${score} <= ${caseness})` : sql`(${score} >= ${caseness})`;
  const cased = atCaseness(sql`c.first`);
  const recovered = sql`(${cased} and not ${atCaseness(sql`c.latest`)})`;
  return { improved, deteriorated, cased, recovered };
}

/**
 * A person's change facts: improved (its value the change, latest − first) and deteriorated; and,
 * when their first score was at caseness, recovered and reliably recovered.
 */
function changeArrays(column: 'measures' | 'numerators' | 'values' | 'squares') {
  return (s: MeasureScoreSpec): RawBuilder<unknown> | null => {
    const terms = changeTerms(s);
    if (!terms) return null;
    const outcomes = changeOutcomesOf(s);
    const pick = (withRecovery: boolean) => {
      const chosen = withRecovery
        ? outcomes
        : outcomes.filter((o) => o === 'improved' || o === 'deteriorated');
      switch (column) {
        case 'measures':
          return textArray(chosen.map((o) => changeMeasure(s, o)));
        case 'numerators': {
          const of = {
            improved: terms.improved,
            deteriorated: terms.deteriorated,
            recovered: terms.recovered,
            'reliably-recovered': sql`(${terms.recovered} and ${terms.improved})`,
          };
          return typedArray(
            chosen.map((o) => sql`${of[o]}::int`),
            'int',
          );
        }
        case 'values':
          return typedArray(
            chosen.map((o) => (o === 'improved' ? sql`c.latest - c.first` : sql`0`)),
            'float8',
          );
        case 'squares':
          return typedArray(
            chosen.map((o) => (o === 'improved' ? sql`(c.latest - c.first) * (c.latest - c.first)` : sql`0`)),
            'float8',
          );
      }
    };
    return terms.cased
      ? sql`case when ${terms.cased} then ${pick(true)} else ${pick(false)} end`
      : pick(false);
  };
}

const CHANGE_SCORES = MEASURE_SCORES.filter((s) => s.change);

/** Each person's first and latest review: the occasions the process measures are about. */
const REVIEWS = sql`(
  select c.person_id, min(c.held_on) as first_review, max(c.held_on) as last_review
  from conversation c
  where c.kind = ${lit(REVIEW)}
  group by c.person_id
)`;

const INSTRUMENT_START_AND_REVIEW = sql`(case s.instrument ${sql.join(
  MEASURE_INSTRUMENTS.map((i) => sql`when ${lit(i.key)} then ${lit(startAndReviewMeasure(i.key))}`),
  sql` `,
)} end)`;

/** The branches of standard measures, after 0014's (same columns, in the same order and types). */
export const MEASURE_FACT_BRANCHES = sql`
  union all
  -- instrument scores: each person's latest score of a score in a month, as the score's fact (its
  -- mean) and one fact per band (numerator 1 in the band it is in).
  select s.person_id, unnest(${perScore(MEASURE_SCORES, 's', scoreFacts.measures)}) as measure, s.period_month,
    ''::text, '{}'::text[], 1::bigint,
    unnest(${perScore(MEASURE_SCORES, 's', scoreFacts.numerators)})::bigint,
    unnest(${perScore(MEASURE_SCORES, 's', scoreFacts.values)}),
    unnest(${perScore(MEASURE_SCORES, 's', scoreFacts.squares)}), 0::float8
  from (
    select distinct on (s.person_id, s.instrument, s.score_key, ${monthOf(sql`s.observed_on`)})
      s.person_id, s.instrument, s.score_key, ${monthOf(sql`s.observed_on`)} as period_month, s.value
    from indicator_measure_score s
    order by s.person_id, s.instrument, s.score_key, ${monthOf(sql`s.observed_on`)},
      s.observed_on desc, s.recorded_at desc, s.response_id desc
  ) s

  union all
  -- change: a person's first and latest score of a score with a reliable-change rule, from two or
  -- more responses, in the month of the latest.
  select c.person_id, unnest(${perScore(CHANGE_SCORES, 'c', changeArrays('measures'))}), ${monthOf(sql`c.last_on`)},
    '', '{}'::text[], 1,
    unnest(${perScore(CHANGE_SCORES, 'c', changeArrays('numerators'))}),
    unnest(${perScore(CHANGE_SCORES, 'c', changeArrays('values'))}),
    unnest(${perScore(CHANGE_SCORES, 'c', changeArrays('squares'))}), 0
  from (
    select s.person_id, s.instrument, s.score_key, max(s.observed_on) as last_on,
      (array_agg(s.value order by s.observed_on, s.recorded_at, s.response_id))[1] as first,
      (array_agg(s.value order by s.observed_on desc, s.recorded_at desc, s.response_id desc))[1] as latest
    from indicator_measure_score s
    where ${sql.join(
      CHANGE_SCORES.map((spec) => isScore(spec)),
      sql` or `,
    )}
    group by s.person_id, s.instrument, s.score_key
    having count(*) >= 2
  ) c

  union all
  -- <instrument>:start-and-review: a person who has had a review and has completed the
  -- instrument, and whether they completed it before their first review and again on or after it.
  select rv.person_id, ${INSTRUMENT_START_AND_REVIEW}, ${monthOf(sql`rv.last_review`)}, '', '{}'::text[], 1,
    (bool_or(s.observed_on < rv.first_review) and bool_or(s.observed_on >= rv.first_review))::int,
    0, 0, 0
  from ${REVIEWS} rv
  join indicator_measure_score s on s.person_id = rv.person_id
  group by rv.person_id, rv.first_review, rv.last_review, s.instrument

  union all
  -- measures:start-and-review: everyone who has had a review, and whether they completed any
  -- questionnaire (built in or imported) before their first review and another on or after it.
  select rv.person_id, ${lit(ANY_MEASURE_START_AND_REVIEW)}, ${monthOf(sql`rv.last_review`)}, '', '{}'::text[], 1,
    coalesce(bool_or(r.authored_on < rv.first_review) and bool_or(r.authored_on >= rv.first_review), false)::int,
    0, 0, 0
  from ${REVIEWS} rv
  left join questionnaire_response r
    on r.person_id = rv.person_id and r.status <> ${lit(ENTERED_IN_ERROR)}
  group by rv.person_id, rv.first_review, rv.last_review
`;

/**
 * The tables the standard measures' facts come from, and the columns whose change can change a
 * fact (0014's ROLLUP_FEEDS for these tables). `band` is not among them: the facts band the value
 * from the domain's bounds, not the stored band.
 */
export const MEASURE_ROLLUP_FEEDS: readonly { table: string; columns: readonly string[] }[] = [
  {
    table: 'measure_score',
    columns: ['person_id', 'response_id', 'score_key', 'instrument', 'value', 'observed_on'],
  },
  {
    table: 'questionnaire_response',
    columns: ['person_id', 'response_id', 'status', 'authored_on', 'recorded_at'],
  },
];

/** The library's indicators over standard measures: seeded here for databases made before them. */
const MEASURE_LIBRARY = INDICATOR_LIBRARY.filter((d) => Object.hasOwn(MEASURE_SOURCES, d.source));

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create view indicator_measure_score as
      select m.person_id, m.response_id, m.instrument, m.score_key, m.value, m.observed_on, r.recorded_at
      from measure_score m
      join questionnaire_response r on r.person_id = m.person_id and r.response_id = m.response_id
      where r.status <> ${lit(ENTERED_IN_ERROR)}
        and (${sql.join(
          MEASURE_SCORES.map((s) => isScore(s, 'm')),
          sql` or `,
        )})`,
    sql`create or replace view indicator_fact as ${indicatorFactView(sql`${FACT_BRANCHES} ${MEASURE_FACT_BRANCHES}`)}`,
    ...MEASURE_ROLLUP_FEEDS.flatMap((feed) => [rowMarkTrigger(feed, ''), insertMarkTrigger(feed)]),
    ...MEASURE_LIBRARY.map(libraryDefinitionInsert),
    // The new facts enter the rollup: every reviewed person's process measure, and any scores
    // recorded since 0021 (none in a new database, where this rebuild reads empty tables).
    sql`select wm_rollup_rebuild()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    ...MEASURE_ROLLUP_FEEDS.flatMap(({ table }) => [
      sql`drop trigger ${sql.id(`${table}_rollup_mark_inserted`)} on ${sql.id(table)}`,
      sql`drop trigger ${sql.id(`${table}_rollup_mark`)} on ${sql.id(table)}`,
    ]),
    sql`create or replace view indicator_fact as ${indicatorFactView(FACT_BRANCHES)}`,
    sql`drop view indicator_measure_score`,
    ...(MEASURE_LIBRARY.length
      ? [
          sql`delete from indicator_definition where version = 1 and created_by_user_id is null
            and key in (${sql.join(MEASURE_LIBRARY.map((d) => d.key))})`,
        ]
      : []),
    sql`select wm_rollup_rebuild()`,
  ]);
}
