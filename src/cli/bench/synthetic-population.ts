import { type Kysely, type RawBuilder, sql } from 'kysely';
import { emptyCarePlan } from '../../domain/care-plan.js';
import type { DB } from '../../store/schema.js';

/**
 * A synthetic population for measuring aggregates at population scale (issue 10, "Fast at
 * population scale"): N people spread over organisations and teams, each with a first conversation
 * and about two reviews over up to two years, two or three personal outcomes coded to the default
 * framework's domains, about ten ratings from the person's and the practitioner's viewpoints, GAS
 * goals for some, and care plan versions for most — the raw records the rollups are computed from.
 *
 * Loaded by set-based statements only (INSERT … SELECT FROM generate_series, a block of people at a
 * time), never row by row, so a million people load in minutes. Every value is a deterministic
 * function of the person's number and a salt: `hashint8extended`, the seeded 64-bit hash PostgreSQL
 * keeps stable for hash partitioning, so the same options give the same population on PostgreSQL and
 * PGlite. Ids are made from the numbers too (`b000000k-jjjj-4000-8000-iiiiiiiiiiii`).
 *
 * The people are nobody's care team's: no care team, no sharing basis, no user may open them. They
 * exist to be counted. Triggers are off while they load (the rollups and the record-version and
 * latest-conversation bookkeeping would otherwise run per row and per statement); the columns those
 * triggers keep on the person's row are written by the loader itself, and the rollups must be rebuilt
 * afterwards (`whatmatters rollups rebuild`).
 */

export interface SyntheticPopulationOptions {
  people: number;
  /** The population's "today" (YYYY-MM-DD): every conversation is on or before it. */
  today: string;
  organisations?: number;
  teamsPerOrganisation?: number;
  /** Changes every value; the same seed gives the same population. */
  seed?: number;
  /** People per block of statements (default 100,000). */
  blockSize?: number;
}

export interface SyntheticPopulationLoad {
  people: number;
  organisationIds: string[];
  teamIds: string[];
  /** Rows inserted per table. */
  rows: Record<SyntheticTable, number>;
  /** Milliseconds spent inserting into each table. */
  ms: Record<SyntheticTable, number>;
  /** How the triggers were switched off (reported with the figures). */
  triggersOff: 'session_replication_role' | 'alter table disable trigger user';
}

export const SYNTHETIC_TABLES = [
  'organisation',
  'team',
  'person',
  'conversation',
  'personal_outcome',
  'personal_outcome_domain',
  'outcome_rating',
  'gas_goal',
  'gas_attainment',
  'care_plan_version',
] as const;
export type SyntheticTable = (typeof SYNTHETIC_TABLES)[number];

/** The tables loaded with triggers off (organisation and team are few rows, and reference data). */
const PERSON_TABLES = SYNTHETIC_TABLES.filter((t) => t !== 'organisation' && t !== 'team');

export const SYNTHETIC_ORGANISATION_KINDS = [
  'nhs-trust',
  'council-adult-social-care',
  'voluntary-community',
  'housing-association',
  'gp-practice',
] as const;

/** Who the synthetic records say recorded them: no such user exists (the columns have no foreign key). */
export const SYNTHETIC_RECORDER = 'b00000ff-0000-4000-8000-000000000000';

/**
 * The organisation whose people fare worse (a provider outside the funnel limits): the last one.
 * Its ratings are lowered by this many scale points on the latent scale.
 */
const WEAKER_ORGANISATION_EFFECT = -0.45;

/** The longest gap between reviews is 210 days and the span 730: at most four reviews. */
const MAX_REVIEWS = 4;

/**
 * Ethnic category codes (NHS Data Dictionary, domain/demographics.ts), each as often as it appears
 * here: mostly White British, every group present, so each breakdown has cells of several sizes.
 */
const ETHNICITY_MIX = 'AAAAAAAAAAAAAAAAAAAAAAAAAABBCCCDEFGHHHJJJKLMMNNNPRSZ';

/** The default outcomes framework (the newest version if there were several). */
const DEFAULT_FRAMEWORK = sql`select framework_id from outcome_framework where is_default order by version desc limit 1`;

const TAGS = {
  organisation: 'b0000001',
  team: 'b0000002',
  person: 'b0000003',
  conversation: 'b0000004',
  outcome: 'b0000005',
  rating: 'b0000006',
  goal: 'b0000007',
  attainment: 'b0000008',
} as const;

/** A synthetic id: a table tag, a small sub-number and the owner's number, as a uuid. */
function idOf(tag: keyof typeof TAGS, owner: RawBuilder<unknown>, sub: RawBuilder<unknown> = sql`0`) {
  return sql`(${sql.lit(TAGS[tag])} || '-' || lpad(to_hex(${sub}), 4, '0') || '-4000-8000-' || lpad(to_hex(${owner}), 12, '0'))::uuid`;
}

/** The same id computed in TypeScript (organisations and teams are listed for the bench). */
export function syntheticId(tag: keyof typeof TAGS, owner: number, sub = 0): string {
  return `${TAGS[tag]}-${sub.toString(16).padStart(4, '0')}-4000-8000-${owner.toString(16).padStart(12, '0')}`;
}

/** Whether the server knows the `jit` setting (PostgreSQL does; an embedded build may not). */
async function hasJit(conn: Kysely<DB>): Promise<boolean> {
  const result = await sql<{
    n: number;
  }>`select count(*)::int as n from pg_settings where name = 'jit'`.execute(conn);
  return (result.rows[0]?.n ?? 0) > 0;
}

export async function loadSyntheticPopulation(
  db: Kysely<DB>,
  options: SyntheticPopulationOptions,
  log: (line: string) => void = () => {},
): Promise<SyntheticPopulationLoad> {
  const people = options.people;
  if (!Number.isInteger(people) || people < 1 || people > 10_000_000)
    throw new RangeError('people must be a whole number from 1 to 10,000,000');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.today)) throw new RangeError('today must be YYYY-MM-DD');
  const organisations = options.organisations ?? 10;
  const teamsPerOrganisation = options.teamsPerOrganisation ?? 5;
  const seed = options.seed ?? 1;
  const blockSize = options.blockSize ?? 100_000;
  const teams = organisations * teamsPerOrganisation;

  /** A uniform number in [0, 1) from a key and a salt: 52 bits of a seeded 64-bit hash. */
  const u = (key: RawBuilder<unknown>, salt: number) =>
    sql<number>`(((hashint8extended((${key})::bigint, ${sql.lit(seed * 1000 + salt)}::bigint) >> 11) & 4503599627370495)::float8 / 4503599627370496.0)`;
  const today = sql`${sql.lit(options.today)}::date`;
  const noonInLondon = (date: RawBuilder<unknown>) =>
    sql`((${date}) + time '12:00') at time zone 'Europe/London'`;

  /**
   * Each person's parameters, computed once per person in every statement: team (organisations of
   * unequal size), date of the first conversation (200–730 days before today), gap between reviews
   * (150–210 days), number of reviews that fit before today, outcomes, and the latent level of how
   * well things go for them (deprivation and the weaker organisation pull it down).
   */
  const paramsOf = (lo: number, hi: number) => sql`
    select q.*,
      least(${sql.lit(MAX_REVIEWS)}, (${today} - q.first_on) / q.gap)::int as reviews
    from (
      select g.i,
        ${idOf('person', sql`g.i`)} as person_id,
        least(${sql.lit(teams - 1)}, floor(power(${u(sql`g.i`, 1)}, 1.3) * ${sql.lit(teams)}))::int as team_no,
        (${today} - (200 + floor(${u(sql`g.i`, 2)} * 530))::int) as first_on,
        (150 + floor(${u(sql`g.i`, 3)} * 60))::int as gap,
        (2 + (${u(sql`g.i`, 4)} < 0.5)::int) as outcomes,
        ${u(sql`g.i`, 10)} as level,
        case when ${u(sql`g.i`, 40)} < 0.02 then null else (1 + floor(${u(sql`g.i`, 41)} * 10))::int end as decile
      from generate_series(${sql.lit(lo)}::bigint, ${sql.lit(hi)}::bigint) g(i)
    ) q`;
  /**
   * Columns derived from the parameters (the team's organisation, the person's base level). OFFSET 0
   * keeps each subquery from being merged into the statement that reads it, so the hashes behind a
   * person's parameters are computed once per person, not again for every row made from them.
   */
  const personOf = (lo: number, hi: number) => sql`
    select p.*,
      ${idOf('team', sql`p.team_no`)} as team_id,
      ${idOf('organisation', sql`p.team_no / ${sql.lit(teamsPerOrganisation)}`)} as organisation_id,
      (p.level * 2.2
        + coalesce((p.decile - 5.5) * 0.05, 0)
        + case when p.team_no / ${sql.lit(teamsPerOrganisation)} = ${sql.lit(organisations - 1)}
            then ${sql.lit(WEAKER_ORGANISATION_EFFECT)} else 0 end
        + (${u(sql`p.team_no`, 11)} - 0.5) * 0.3) as base
    from (${paramsOf(lo, hi)} offset 0) p
    offset 0`;
  /** A conversation's date: the first, or review j near first + j gaps (−18 to +9 days), never after today. */
  const heldOn = (j: RawBuilder<unknown>) => sql`case when ${j} = 0 then p.first_on
      else least(${today}, p.first_on + ${j} * p.gap + floor(${u(sql`p.i * 64 + ${j}`, 5)} * 28)::int - 18) end`;
  /** The review a conversation sets: the next gap from the first. */
  const nextReview = (j: RawBuilder<unknown>) => sql`p.first_on + (${j} + 1) * p.gap`;
  /** Whether a person has a plan, and a second version at the first review. */
  const hasPlan = sql`${u(sql`p.i`, 30)} < 0.8`;
  const hasSecondPlan = sql`(${u(sql`p.i`, 31)} < 0.5 and p.reviews >= 1)`;
  const hasGoal = sql`${u(sql`p.i`, 20)} < 0.3`;

  const rows = Object.fromEntries(SYNTHETIC_TABLES.map((t) => [t, 0])) as Record<SyntheticTable, number>;
  const ms = Object.fromEntries(SYNTHETIC_TABLES.map((t) => [t, 0])) as Record<SyntheticTable, number>;
  const insert = async (conn: Kysely<DB>, table: SyntheticTable, statement: RawBuilder<unknown>) => {
    const started = performance.now();
    const result = await statement.execute(conn);
    ms[table] += performance.now() - started;
    rows[table] += Number(result.numAffectedRows ?? 0n);
  };

  const organisationIds = Array.from({ length: organisations }, (_, o) => syntheticId('organisation', o));
  const teamIds = Array.from({ length: teams }, (_, t) => syntheticId('team', t));
  const plan = emptyCarePlan();

  let triggersOff: SyntheticPopulationLoad['triggersOff'] = 'session_replication_role';
  await db.connection().execute(async (conn) => {
    await insert(
      conn,
      'organisation',
      sql`insert into organisation (organisation_id, kind, name)
        select ${idOf('organisation', sql`o`)},
          (${sql.lit(`{${SYNTHETIC_ORGANISATION_KINDS.join(',')}}`)}::text[])[1 + o % ${sql.lit(SYNTHETIC_ORGANISATION_KINDS.length)}],
          'Synthetic provider ' || lpad((o + 1)::text, 2, '0')
        from generate_series(0, ${sql.lit(organisations - 1)}) o`,
    );
    await insert(
      conn,
      'team',
      sql`insert into team (team_id, organisation_id, name)
        select ${idOf('team', sql`t`)}, ${idOf('organisation', sql`t / ${sql.lit(teamsPerOrganisation)}`)},
          'Synthetic team ' || lpad((t + 1)::text, 3, '0')
        from generate_series(0, ${sql.lit(teams - 1)}) t`,
    );

    // Triggers off for this connection only; a role that may not set it (not a superuser) switches
    // them off on the tables instead, which every session sees until they are switched on again.
    // The statements are large expressions over few rows each: compiling them (JIT) would cost more
    // than running them.
    if (await hasJit(conn)) await sql`set jit = off`.execute(conn);
    try {
      await sql`set session_replication_role = replica`.execute(conn);
    } catch {
      triggersOff = 'alter table disable trigger user';
      for (const table of PERSON_TABLES)
        await sql`alter table ${sql.id(table)} disable trigger user`.execute(conn);
    }
    try {
      for (let lo = 0; lo < people; lo += blockSize) {
        const hi = Math.min(people, lo + blockSize) - 1;
        await loadBlock(conn, lo, hi);
        log(
          `synthetic population: ${(hi + 1).toLocaleString('en-GB')} of ${people.toLocaleString('en-GB')} people`,
        );
      }
    } finally {
      if (triggersOff === 'session_replication_role') await sql`reset session_replication_role`.execute(conn);
      else
        for (const table of PERSON_TABLES)
          await sql`alter table ${sql.id(table)} enable trigger user`.execute(conn);
      await sql`reset jit`.execute(conn);
    }
    // The planner must know the tables' new sizes before the rebuild reads them (PGlite has no
    // autovacuum to find out, and PostgreSQL's would come too late).
    for (const table of SYNTHETIC_TABLES) await sql`analyze ${sql.id(table)}`.execute(conn);
  });
  return { people, organisationIds, teamIds, rows, ms, triggersOff };

  async function loadBlock(conn: Kysely<DB>, lo: number, hi: number): Promise<void> {
    const last = sql`p.reviews`;
    await insert(
      conn,
      'person',
      sql`insert into person (person_id, given_name, family_name, date_of_birth, sex, ethnic_category,
          deprivation_decile, lead_team_id, lead_state, registered_as,
          latest_held_on, latest_next_review_date, plan_version, plan_review_date)
        select p.person_id, 'Synthetic', 'Person ' || p.i,
          ${today} - (18 * 365 + floor(power(${u(sql`p.i`, 42)}, 0.8) * 77 * 365))::int,
          case when ${u(sql`p.i`, 43)} < 0.51 then 'female' when ${u(sql`p.i`, 43)} < 0.98 then 'male'
            when ${u(sql`p.i`, 43)} < 0.99 then 'other' else 'unknown' end,
          case when ${u(sql`p.i`, 44)} < 0.03 then null
            else substr(${sql.lit(ETHNICITY_MIX)}, 1 + floor(${u(sql`p.i`, 45)} * ${sql.lit(ETHNICITY_MIX.length)})::int, 1) end,
          p.decile, p.team_id, 'responsible', 'person',
          ${heldOn(last)}, ${nextReview(last)},
          case when ${hasPlan} then case when ${hasSecondPlan} then 2 else 1 end end,
          case when ${hasPlan} then
            case when ${hasSecondPlan} then p.first_on + 2 * p.gap else p.first_on + p.gap end end
        from (${personOf(lo, hi)}) p`,
    );
    await insert(
      conn,
      'conversation',
      sql`insert into conversation (person_id, conversation_id, kind, held_on, summary, next_review_date,
          recorded_by_user_id, recorded_at)
        select p.person_id, ${idOf('conversation', sql`p.i`, sql`j`)},
          case when j = 0 then 'first' else 'review' end,
          ${heldOn(sql`j`)}, 'A synthetic conversation.', ${nextReview(sql`j`)},
          ${SYNTHETIC_RECORDER}::uuid, ${noonInLondon(heldOn(sql`j`))}
        from (${personOf(lo, hi)}) p cross join lateral generate_series(0, p.reviews) j`,
    );
    // Outcomes are said at the first conversation, in the default framework.
    await insert(
      conn,
      'personal_outcome',
      sql`insert into personal_outcome (person_id, outcome_id, framework_id, statement, added_by,
          conversation_id, created_by_user_id, created_at)
        select p.person_id, ${idOf('outcome', sql`p.i`, sql`o`)}, f.framework_id,
          'What matters to me, number ' || (o + 1), 'person', ${idOf('conversation', sql`p.i`)},
          ${SYNTHETIC_RECORDER}::uuid, ${noonInLondon(sql`p.first_on`)}
        from (${personOf(lo, hi)}) p
        cross join lateral generate_series(0, p.outcomes - 1) o
        cross join (${DEFAULT_FRAMEWORK}) f`,
    );
    // One domain, or (three in ten) two different ones, from the default framework's.
    await insert(
      conn,
      'personal_outcome_domain',
      sql`insert into personal_outcome_domain (person_id, outcome_id, domain_id)
        select distinct p.person_id, ${idOf('outcome', sql`p.i`, sql`o`)},
          d.ids[1 + floor(${u(sql`p.i * 64 + o * 2 + k`, 50)} * cardinality(d.ids))::int]
        from (${personOf(lo, hi)}) p
        cross join lateral generate_series(0, p.outcomes - 1) o
        cross join lateral generate_series(0, case when ${u(sql`p.i * 8 + o`, 52)} < 0.3 then 1 else 0 end) k
        cross join (select array_agg(d.domain_id order by d.sort_order) as ids
          from outcome_domain d where d.framework_id = (${DEFAULT_FRAMEWORK})) d`,
    );
    // At each conversation the person rates each outcome nine times in ten, the practitioner four
    // times in ten, with their own view (equal about half the time). Scores (1–4) rise with each review on average.
    await insert(
      conn,
      'outcome_rating',
      sql`insert into outcome_rating (person_id, rating_id, outcome_id, viewpoint, score, conversation_id,
          rated_by_user_id, rated_at)
        select s.person_id, ${idOf('rating', sql`s.i`, sql`s.j * 8 + s.o * 2 + v`)}, s.outcome_id,
          case when v = 0 then 'person' else 'practitioner' end,
          greatest(1, least(4, round(s.latent + case when v = 0 then 0
            else (${u(sql`(s.i * 64 + s.j * 8 + s.o) * 2 + 1`, 61)} - 0.5) * 1.8 end)))::int,
          s.conversation_id, ${SYNTHETIC_RECORDER}::uuid, ${noonInLondon(sql`s.held_on`)}
        from (
          select p.i, p.person_id, j, o,
            ${idOf('outcome', sql`p.i`, sql`o`)} as outcome_id,
            ${idOf('conversation', sql`p.i`, sql`j`)} as conversation_id,
            ${heldOn(sql`j`)} as held_on,
            1 + p.base + j * 0.35 + (${u(sql`p.i * 8 + o`, 12)} - 0.5) * 0.8
              + (${u(sql`p.i * 64 + j * 8 + o`, 13)} - 0.5) * 1.2 as latent,
            ${u(sql`p.i * 64 + j * 8 + o`, 15)} < 0.9 as by_person,
            ${u(sql`p.i * 64 + j * 8 + o`, 14)} < 0.4 as by_practitioner
          from (${personOf(lo, hi)}) p
          cross join lateral generate_series(0, p.reviews) j
          cross join lateral generate_series(0, p.outcomes - 1) o
        ) s
        cross join (values (0), (1)) w(v)
        where (v = 0 and s.by_person) or (v = 1 and s.by_practitioner)`,
    );
    // Three in ten people scale a goal on their first outcome, scored at each review.
    await insert(
      conn,
      'gas_goal',
      sql`insert into gas_goal (person_id, goal_id, outcome_id, level_minus_2, level_minus_1, level_0,
          level_plus_1, level_plus_2, baseline_level, importance, difficulty, weight, created_by_user_id, created_at)
        select p.person_id, ${idOf('goal', sql`p.i`)}, ${idOf('outcome', sql`p.i`, sql`0`)},
          'Much less than expected', 'Less than expected', 'As expected', 'More than expected',
          'Much more than expected',
          case when ${u(sql`p.i`, 22)} < 0.5 then -2 else -1 end,
          w.importance, w.difficulty, w.importance * w.difficulty,
          ${SYNTHETIC_RECORDER}::uuid, ${noonInLondon(sql`p.first_on`)}
        from (${personOf(lo, hi)}) p
        cross join lateral (select 1 + floor(${u(sql`p.i`, 21)} * 3)::int as importance,
          1 + floor(${u(sql`p.i`, 23)} * 3)::int as difficulty) w
        where ${hasGoal}`,
    );
    await insert(
      conn,
      'gas_attainment',
      sql`insert into gas_attainment (person_id, attainment_id, goal_id, level, conversation_id,
          recorded_by_user_id, recorded_at)
        select p.person_id, ${idOf('attainment', sql`p.i`, sql`j`)}, ${idOf('goal', sql`p.i`)},
          greatest(-2, least(2, round(case when ${u(sql`p.i`, 22)} < 0.5 then -2 else -1 end
            + j * 0.8 + p.base * 0.5 - 0.6 + (${u(sql`p.i * 64 + j`, 24)} - 0.5) * 2)))::int,
          ${idOf('conversation', sql`p.i`, sql`j`)}, ${SYNTHETIC_RECORDER}::uuid, ${noonInLondon(heldOn(sql`j`))}
        from (${personOf(lo, hi)}) p
        cross join lateral generate_series(1, p.reviews) j
        where ${hasGoal}`,
    );
    // A plan at the first conversation for eight in ten, a second version at the first review for
    // half of them. Its goal's actions name the person's organisation and, about half the time, a
    // community resource too (a multi-agency plan).
    const content = (j: RawBuilder<unknown>) => sql`${JSON.stringify(plan)}::jsonb || jsonb_build_object(
        'goals', jsonb_build_array(jsonb_build_object(
          'id', ${idOf('goal', sql`p.i`, sql`16 + ${j}`)},
          'outcomeId', ${idOf('outcome', sql`p.i`, sql`0`)},
          'description', 'Do more of what matters to me',
          'actions', jsonb_build_array(jsonb_build_object(
              'id', ${idOf('goal', sql`p.i`, sql`32 + ${j}`)}, 'what', 'Regular check-in',
              'who', jsonb_build_object('kind', 'organisation', 'name', '', 'organisationId', p.organisation_id),
              'status', 'in-progress'))
            || case when ${u(sql`p.i * 8 + ${j}`, 33)} < 0.55 then jsonb_build_array(jsonb_build_object(
              'id', ${idOf('goal', sql`p.i`, sql`48 + ${j}`)}, 'what', 'Join the walking group',
              'who', jsonb_build_object('kind', 'community-resource', 'name', 'Walking group'),
              'status', 'not-started')) else '[]'::jsonb end)),
        'review', jsonb_build_object('plannedDate', (p.first_on + (${j} + 1) * p.gap)::text,
          'responsibleName', '', 'responsibleRole', ''))`;
    await insert(
      conn,
      'care_plan_version',
      sql`insert into care_plan_version (person_id, version, content, planned_review_date, change_summary,
          created_by_user_id, created_at)
        select p.person_id, v + 1, ${content(sql`v`)}, p.first_on + (v + 1) * p.gap,
          case when v = 0 then 'First plan' else 'Reviewed' end,
          ${SYNTHETIC_RECORDER}::uuid, ${noonInLondon(heldOn(sql`v`))}
        from (${personOf(lo, hi)}) p
        cross join lateral generate_series(0, case when ${hasSecondPlan} then 1 else 0 end) v
        where ${hasPlan}`,
    );
  }
}
