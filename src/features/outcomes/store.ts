import { type Kysely, type Selectable, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { todayIso } from '../../domain/calendar.js';
import type { ConversationKind, OutcomeStatus } from '../../domain/conversations.js';
import {
  type GasAttainmentAtReview,
  type GasGoalForScoring,
  type GasLevel,
  type GasReviewScore,
  gasScoresByReview,
} from '../../domain/gas.js';
import {
  type Disagreement,
  type DistanceTravelled,
  disagreement,
  distanceTravelled,
  latestByViewpoint,
  type RatingPoint,
  type Viewpoint,
} from '../../domain/ratings.js';
import { byPerson, personIdsOf } from '../../store/by-person.js';
import { fixedQuery } from '../../store/fixed-query.js';
import type { DB, GasAttainmentTable, GasGoalTable } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';

/** Whose record it is (`person`, or `carer` for a carer's own record), which decides its framework. */
export async function registrationOf(db: Kysely<DB>, scope: RecordScope): Promise<string> {
  const row = await db
    .selectFrom('person')
    .select('registered_as')
    .where('person_id', '=', scope.personId)
    .executeTakeFirst();
  return row?.registered_as ?? 'person';
}

/**
 * The outcomes feature's queries: conversations, personal outcomes, their ratings and GAS goals.
 * One row mapper per table; every read of a person's record takes a RecordScope from an access
 * check (or a named system scope), and every write of a row is written once, here — the services
 * and the demo loader both use these.
 */

type Db = Kysely<DB>;

export interface OutcomeRating extends RatingPoint {
  ratingId: string;
  note: string;
  ratedBy: string;
  conversationId: string | null;
}

export interface GasAttainment {
  level: GasLevel;
  recordedAt: string;
  conversationId: string | null;
}

export interface GasGoal {
  goalId: string;
  levels: Record<GasLevel, string>;
  baselineLevel: GasLevel;
  importance: number | null;
  difficulty: number | null;
  weight: number;
  attainments: GasAttainment[];
  currentLevel: GasLevel;
}

export interface PersonalOutcome {
  outcomeId: string;
  statement: string;
  whyItMatters: string;
  importance: number | null;
  status: OutcomeStatus;
  addedBy: Viewpoint;
  createdAt: string;
  framework: { frameworkId: string; name: string; version: number; ratingLabels: string[] };
  domains: { domainId: string; name: string; category: string }[];
  ratings: OutcomeRating[];
  latest: Partial<Record<Viewpoint, OutcomeRating>>;
  disagreement: Disagreement;
  distance: DistanceTravelled[];
  gas: GasGoal | null;
}

export type { GasReviewScore };

const levelOf = (n: number) => n as GasLevel;

// Writes: one function per table.

export interface ConversationRow {
  personId: string;
  conversationId: string;
  kind: string;
  heldOn: string;
  summary: string;
  whatHelped: string;
  whatGotInTheWay: string;
  nextReviewDate: string | null;
  recordedByUserId: string;
  /** Absent: now. */
  recordedAt?: Date | string;
}

export async function insertConversations(db: Db, rows: readonly ConversationRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('conversation')
    .values(
      rows.map((c) => ({
        person_id: c.personId,
        conversation_id: c.conversationId,
        kind: c.kind,
        held_on: c.heldOn,
        summary: c.summary,
        what_helped: c.whatHelped,
        what_got_in_the_way: c.whatGotInTheWay,
        next_review_date: c.nextReviewDate,
        recorded_by_user_id: c.recordedByUserId,
        ...(c.recordedAt ? { recorded_at: c.recordedAt } : {}),
      })),
    )
    .execute();
}

export interface ParticipantRow {
  personId: string;
  conversationId: string;
  participantId: string;
  kind: string;
  name: string;
  userId: string | null;
  organisationId: string | null;
  role: string;
}

export async function insertParticipants(db: Db, rows: readonly ParticipantRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('conversation_participant')
    .values(
      rows.map((p) => ({
        person_id: p.personId,
        conversation_id: p.conversationId,
        participant_id: p.participantId,
        kind: p.kind,
        name: p.name,
        user_id: p.userId,
        organisation_id: p.organisationId,
        role: p.role,
      })),
    )
    .execute();
}

export interface OutcomeRow {
  personId: string;
  outcomeId: string;
  frameworkId: string;
  statement: string;
  whyItMatters: string;
  importance: number | null;
  /** Absent: the database's default, active. */
  status?: OutcomeStatus;
  addedBy: Viewpoint;
  conversationId: string | null;
  createdByUserId: string;
  /** Absent: now. The demo loader sets it to place its population in time. */
  createdAt?: Date | string;
}

export async function insertOutcomes(db: Db, rows: readonly OutcomeRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('personal_outcome')
    .values(
      rows.map((o) => ({
        person_id: o.personId,
        outcome_id: o.outcomeId,
        framework_id: o.frameworkId,
        statement: o.statement,
        why_it_matters: o.whyItMatters,
        importance: o.importance,
        ...(o.status ? { status: o.status } : {}),
        added_by: o.addedBy,
        conversation_id: o.conversationId,
        created_by_user_id: o.createdByUserId,
        ...(o.createdAt ? { created_at: o.createdAt } : {}),
      })),
    )
    .execute();
}

export interface OutcomeDomainRow {
  personId: string;
  outcomeId: string;
  domainId: string;
}

export async function insertOutcomeDomains(db: Db, rows: readonly OutcomeDomainRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('personal_outcome_domain')
    .values(rows.map((d) => ({ person_id: d.personId, outcome_id: d.outcomeId, domain_id: d.domainId })))
    .execute();
}

export interface RatingRow {
  personId: string;
  ratingId: string;
  outcomeId: string;
  viewpoint: Viewpoint;
  score: number;
  note: string;
  conversationId: string | null;
  ratedByUserId: string;
  /** Absent: now. */
  ratedAt?: Date | string;
}

export async function insertRatings(db: Db, rows: readonly RatingRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('outcome_rating')
    .values(
      rows.map((r) => ({
        person_id: r.personId,
        rating_id: r.ratingId,
        outcome_id: r.outcomeId,
        viewpoint: r.viewpoint,
        score: r.score,
        note: r.note,
        conversation_id: r.conversationId,
        rated_by_user_id: r.ratedByUserId,
        ...(r.ratedAt ? { rated_at: r.ratedAt } : {}),
      })),
    )
    .execute();
}

export interface GasGoalRow {
  personId: string;
  goalId: string;
  outcomeId: string;
  levels: Record<GasLevel, string>;
  baselineLevel: GasLevel;
  importance: number | null;
  difficulty: number | null;
  weight: number;
  createdByUserId: string;
  /** Absent: now. */
  createdAt?: Date | string;
}

export async function insertGasGoals(db: Db, rows: readonly GasGoalRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('gas_goal')
    .values(
      rows.map((g) => ({
        person_id: g.personId,
        goal_id: g.goalId,
        outcome_id: g.outcomeId,
        level_minus_2: g.levels[-2],
        level_minus_1: g.levels[-1],
        level_0: g.levels[0],
        level_plus_1: g.levels[1],
        level_plus_2: g.levels[2],
        baseline_level: g.baselineLevel,
        importance: g.importance,
        difficulty: g.difficulty,
        weight: g.weight,
        created_by_user_id: g.createdByUserId,
        ...(g.createdAt ? { created_at: g.createdAt } : {}),
      })),
    )
    .execute();
}

export interface GasAttainmentRow {
  personId: string;
  attainmentId: string;
  goalId: string;
  level: GasLevel;
  conversationId: string | null;
  recordedByUserId: string;
  /** Absent: now. */
  recordedAt?: Date | string;
}

export async function insertGasAttainments(db: Db, rows: readonly GasAttainmentRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('gas_attainment')
    .values(
      rows.map((a) => ({
        person_id: a.personId,
        attainment_id: a.attainmentId,
        goal_id: a.goalId,
        level: a.level,
        conversation_id: a.conversationId,
        recorded_by_user_id: a.recordedByUserId,
        ...(a.recordedAt ? { recorded_at: a.recordedAt } : {}),
      })),
    )
    .execute();
}

export async function setOutcomeStatus(
  db: Db,
  scope: RecordScope,
  outcomeId: string,
  status: OutcomeStatus,
): Promise<void> {
  await db
    .updateTable('personal_outcome')
    .set({ status })
    .where('person_id', '=', scope.personId)
    .where('outcome_id', '=', outcomeId)
    .execute();
}

// Reads, each of one person's record.

/** Which of these outcome ids are the person's. */
export async function ownOutcomeIds(
  db: Db,
  scope: RecordScope,
  outcomeIds: readonly string[],
): Promise<Set<string>> {
  const wanted = [...new Set(outcomeIds)];
  if (!wanted.length) return new Set();
  const rows = await db
    .selectFrom('personal_outcome')
    .select('outcome_id')
    .where('person_id', '=', scope.personId)
    .where('outcome_id', 'in', wanted)
    .execute();
  return new Set(rows.map((r) => r.outcome_id));
}

/** The GAS goal of each of these outcomes that has one: outcome id → goal id. */
export async function gasGoalIdsOf(
  db: Db,
  scope: RecordScope,
  outcomeIds: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(outcomeIds)];
  if (!wanted.length) return new Map();
  const rows = await db
    .selectFrom('gas_goal')
    .select(['outcome_id', 'goal_id'])
    .where('person_id', '=', scope.personId)
    .where('outcome_id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.outcome_id, r.goal_id]));
}

/** The rating scale an outcome is rated on (its framework version's), or undefined if it is not the person's. */
export async function ratingScaleOf(
  db: Db,
  scope: RecordScope,
  outcomeId: string,
): Promise<string[] | undefined> {
  const row = await db
    .selectFrom('personal_outcome as o')
    .innerJoin('outcome_framework as f', 'f.framework_id', 'o.framework_id')
    .select('f.rating_labels')
    .where('o.person_id', '=', scope.personId)
    .where('o.outcome_id', '=', outcomeId)
    .executeTakeFirst();
  return row?.rating_labels;
}

function rowToRating(r: {
  rating_id: string;
  viewpoint: string;
  score: number;
  rated_at: Date;
  note: string;
  conversation_id: string | null;
  display_name: string;
}): OutcomeRating {
  return {
    ratingId: r.rating_id,
    viewpoint: r.viewpoint as Viewpoint,
    score: r.score,
    ratedAt: r.rated_at.toISOString(),
    note: r.note,
    ratedBy: r.display_name,
    conversationId: r.conversation_id,
  };
}

function rowToAttainment(a: Selectable<GasAttainmentTable>): GasAttainment {
  return {
    level: levelOf(a.level),
    recordedAt: a.recorded_at.toISOString(),
    conversationId: a.conversation_id,
  };
}

function rowToGasGoal(g: Selectable<GasGoalTable>, attainments: GasAttainment[]): GasGoal {
  return {
    goalId: g.goal_id,
    levels: {
      [-2]: g.level_minus_2,
      [-1]: g.level_minus_1,
      0: g.level_0,
      1: g.level_plus_1,
      2: g.level_plus_2,
    } as Record<GasLevel, string>,
    baselineLevel: levelOf(g.baseline_level),
    importance: g.importance,
    difficulty: g.difficulty,
    // numeric comes back as text, to keep its precision.
    weight: Number(g.weight),
    attainments,
    currentLevel: attainments.at(-1)?.level ?? levelOf(g.baseline_level),
  };
}

/** A row of a JSON subquery: timestamps come back as ISO text, not Dates. */
type FromJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/** What matters to the person and their GAS T-score at each review, from one read. */
export interface OutcomeRecord {
  outcomes: PersonalOutcome[];
  gasScores: GasReviewScore[];
}

/**
 * What matters to people, each outcome with its framework, domains, ratings by viewpoint and GAS
 * goal with its attainments — in one statement however many outcomes: each outcome's rows of the
 * other tables come as JSON arrays beside it, mapped by the same row mappers. Which people's, and
 * the order, are the caller's (outcomeRecordQuery, outcomeRecordsOfEach).
 */
const outcomeRecordSelect = (db: Db) =>
  db
    .selectFrom('personal_outcome as o')
    .innerJoin('outcome_framework as f', 'f.framework_id', 'o.framework_id')
    .selectAll('o')
    .select(['f.name as framework_name', 'f.version as framework_version', 'f.rating_labels'])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('personal_outcome_domain as pd')
          .innerJoin('outcome_domain as d', 'd.domain_id', 'pd.domain_id')
          .select(['d.domain_id', 'd.name', 'd.category'])
          .whereRef('pd.person_id', '=', 'o.person_id')
          .whereRef('pd.outcome_id', '=', 'o.outcome_id')
          .orderBy('d.sort_order'),
      ).as('domains'),
      jsonArrayFrom(
        eb
          .selectFrom('outcome_rating as r')
          .innerJoin('user_account as u', 'u.user_id', 'r.rated_by_user_id')
          .select([
            'r.rating_id',
            'r.viewpoint',
            'r.score',
            'r.note',
            'r.rated_at',
            'r.conversation_id',
            'u.display_name',
          ])
          .whereRef('r.person_id', '=', 'o.person_id')
          .whereRef('r.outcome_id', '=', 'o.outcome_id')
          // Ties (ratings recorded together) in a fixed order, so the same record always reads the same.
          .orderBy('r.rated_at')
          .orderBy('r.rating_id'),
      ).as('ratings'),
      jsonObjectFrom(
        eb
          .selectFrom('gas_goal as g')
          .selectAll('g')
          .select((goal) =>
            jsonArrayFrom(
              goal
                .selectFrom('gas_attainment as a')
                .leftJoin('conversation as c', (join) =>
                  join
                    .onRef('c.person_id', '=', 'a.person_id')
                    .onRef('c.conversation_id', '=', 'a.conversation_id'),
                )
                .selectAll('a')
                // The date of the review it was recorded at, for the T-score by review.
                .select('c.held_on')
                .whereRef('a.person_id', '=', 'g.person_id')
                .whereRef('a.goal_id', '=', 'g.goal_id')
                .orderBy('a.recorded_at')
                .orderBy('a.attainment_id'),
            ).as('attainments'),
          )
          .whereRef('g.person_id', '=', 'o.person_id')
          .whereRef('g.outcome_id', '=', 'o.outcome_id'),
      ).as('goal'),
    ]);

/**
 * What matters to the person, in the order it was added, and the person's GAS T-score at each
 * review (outcomeRecordSelect): one statement, compiled once (the record page reads it).
 */
const outcomeRecordQuery = fixedQuery((db, v: { personId: string }) =>
  outcomeRecordSelect(db)
    .where('o.person_id', '=', v.personId)
    .orderBy('o.created_at')
    .orderBy('o.outcome_id'),
);

type OutcomeRecordRow = Awaited<ReturnType<typeof outcomeRecordQuery.rows>>[number];

export async function outcomeRecordOf(db: Db, scope: RecordScope): Promise<OutcomeRecord> {
  return outcomeRecordFrom(await outcomeRecordQuery.rows(db, { personId: scope.personId }));
}

/**
 * outcomeRecordOf for many people at once (bulk export): one statement for all of them, in the
 * same order, each person's rows mapped as outcomeRecordOf maps them. People with no outcomes are
 * left out of the map.
 */
export async function outcomeRecordsOfEach(
  db: Db,
  scopes: readonly RecordScope[],
): Promise<Map<string, OutcomeRecord>> {
  const personIds = personIdsOf(scopes);
  if (!personIds.length) return new Map();
  const [only] = personIds;
  const rows: OutcomeRecordRow[] =
    personIds.length === 1 && only !== undefined
      ? // One person (a single read through versionedOutcomesOf): the statement compiled once.
        await outcomeRecordQuery.rows(db, { personId: only })
      : await outcomeRecordSelect(db)
          .where('o.person_id', 'in', personIds)
          .orderBy('o.created_at')
          .orderBy('o.outcome_id')
          .execute();
  const records = new Map<string, OutcomeRecord>();
  for (const [personId, own] of byPerson(rows, (r) => r.person_id)) {
    records.set(personId, outcomeRecordFrom(own));
  }
  return records;
}

/** The distinct people of these scopes, for an `in` list. */
/** One person's outcome record from their rows of outcomeRecordSelect, in order. */
function outcomeRecordFrom(rows: readonly OutcomeRecordRow[]): OutcomeRecord {
  const goalsForScoring: GasGoalForScoring[] = [];
  const reviews: (GasAttainmentAtReview & { at: number })[] = [];
  const outcomes = rows.map((o): PersonalOutcome => {
    const own = (o.ratings as FromJson<(typeof o.ratings)[number]>[]).map((r) =>
      rowToRating({ ...r, rated_at: new Date(r.rated_at) }),
    );
    const goal = o.goal as FromJson<NonNullable<typeof o.goal>> | null;
    let gas: GasGoal | null = null;
    if (goal) {
      const attainments = (goal.attainments as FromJson<(typeof goal.attainments)[number]>[]).map((a) => ({
        ...a,
        recorded_at: new Date(a.recorded_at),
      }));
      gas = rowToGasGoal(
        { ...goal, created_at: new Date(goal.created_at), last_updated: new Date(goal.last_updated) },
        attainments.map(rowToAttainment),
      );
      goalsForScoring.push({
        goalId: goal.goal_id,
        setOn: todayIso(new Date(goal.created_at)),
        baselineLevel: levelOf(goal.baseline_level),
        weight: Number(goal.weight),
      });
      for (const a of attainments) {
        if (a.conversation_id === null || a.held_on === null) continue;
        reviews.push({
          goalId: a.goal_id,
          level: levelOf(a.level),
          conversationId: a.conversation_id,
          heldOn: a.held_on,
          at: a.recorded_at.getTime(),
        });
      }
    }
    return {
      outcomeId: o.outcome_id,
      statement: o.statement,
      whyItMatters: o.why_it_matters,
      importance: o.importance,
      status: o.status as OutcomeStatus,
      addedBy: o.added_by as Viewpoint,
      createdAt: o.created_at.toISOString(),
      framework: {
        frameworkId: o.framework_id,
        name: o.framework_name,
        version: o.framework_version,
        ratingLabels: o.rating_labels,
      },
      domains: o.domains.map((d) => ({ domainId: d.domain_id, name: d.name, category: d.category })),
      ratings: own,
      latest: latestByViewpoint(own) as Partial<Record<Viewpoint, OutcomeRating>>,
      disagreement: disagreement(own),
      distance: distanceTravelled(own),
      gas,
    };
  });
  // By review date, then in the order recorded (gasScoresByReview keeps the order within a date).
  reviews.sort((x, y) => x.at - y.at);
  return { outcomes, gasScores: gasScoresByReview(goalsForScoring, reviews) };
}

/** What matters to the person, in the order it was added (one statement: see outcomeRecordOf). */
export async function outcomesOf(db: Db, scope: RecordScope): Promise<PersonalOutcome[]> {
  return (await outcomeRecordOf(db, scope)).outcomes;
}

/** The person's GAS T-score at each review that scored a goal (the method is domain/gas.ts's). */
export async function gasScoresOf(db: Db, scope: RecordScope): Promise<GasReviewScore[]> {
  return (await outcomeRecordOf(db, scope)).gasScores;
}

// For FHIR (issue 13): the versions and the ids of who recorded what, which the reads above leave out.

/** Who recorded a row: their account, and whether it is a system client's rather than a person's. */
export interface RecordedByAccount {
  userId: string;
  name: string;
  /** A system client's account (api client), not a member of staff. */
  system: boolean;
}

export interface VersionedGasAttainment extends GasAttainment {
  attainmentId: string;
  recordedBy: RecordedByAccount;
}

export interface VersionedGasGoal extends Omit<GasGoal, 'attainments'> {
  versionId: number;
  lastUpdated: string;
  createdAt: string;
  createdBy: RecordedByAccount;
  attainments: VersionedGasAttainment[];
}

export interface VersionedOutcome extends Omit<PersonalOutcome, 'ratings' | 'gas'> {
  versionId: number;
  lastUpdated: string;
  /** The account that added it (FHIR's Goal.expressedBy names a member of staff by it). */
  addedByAccount?: RecordedByAccount;
  ratings: (OutcomeRating & { ratedByAccount: RecordedByAccount })[];
  gas: VersionedGasGoal | null;
}

const accountOf = (u: { user_id: string; display_name: string; username: string }): RecordedByAccount => ({
  userId: u.user_id,
  name: u.display_name,
  system: u.username.startsWith('client:'),
});

/**
 * The person's outcomes (as outcomesOf reads them) with each row's FHIR version and the account
 * that recorded each rating, GAS goal and attainment (versionedOutcomesOfEach for one person).
 */
export async function versionedOutcomesOf(db: Db, scope: RecordScope): Promise<VersionedOutcome[]> {
  return (await versionedOutcomesOfEach(db, [scope])).get(scope.personId) ?? [];
}

/**
 * Each person's outcomes (as outcomesOf reads them) with each row's FHIR version and the account
 * that recorded each rating, GAS goal and attainment: five indexed reads however many people.
 * People with no outcomes are left out of the map.
 */
export async function versionedOutcomesOfEach(
  db: Db,
  scopes: readonly RecordScope[],
): Promise<Map<string, VersionedOutcome[]>> {
  const personIds = personIdsOf(scopes);
  if (!personIds.length) return new Map();
  const [records, versions, goals, attainments, raters] = await Promise.all([
    outcomeRecordsOfEach(db, scopes),
    db
      .selectFrom('personal_outcome as o')
      .innerJoin('user_account as u', 'u.user_id', 'o.created_by_user_id')
      .select([
        'o.person_id',
        'o.outcome_id',
        'o.version_id',
        'o.last_updated',
        'u.user_id',
        'u.display_name',
        'u.username',
      ])
      .where('o.person_id', 'in', personIds)
      .execute(),
    db
      .selectFrom('gas_goal as g')
      .innerJoin('user_account as u', 'u.user_id', 'g.created_by_user_id')
      .select([
        'g.person_id',
        'g.goal_id',
        'g.version_id',
        'g.last_updated',
        'g.created_at',
        'u.user_id',
        'u.display_name',
        'u.username',
      ])
      .where('g.person_id', 'in', personIds)
      .execute(),
    db
      .selectFrom('gas_attainment as a')
      .innerJoin('user_account as u', 'u.user_id', 'a.recorded_by_user_id')
      .selectAll('a')
      .select(['u.display_name', 'u.username'])
      .where('a.person_id', 'in', personIds)
      .orderBy('a.recorded_at')
      .orderBy('a.attainment_id')
      .execute(),
    db
      .selectFrom('outcome_rating as r')
      .innerJoin('user_account as u', 'u.user_id', 'r.rated_by_user_id')
      .select(['r.person_id', 'r.rating_id', 'u.user_id', 'u.display_name', 'u.username'])
      .where('r.person_id', 'in', personIds)
      .execute(),
  ]);
  // Row ids are unique within a person's record only: every lookup is by person, then id.
  const key = (personId: string, id: string) => `${personId}/${id}`;
  const versionOf = new Map(versions.map((v) => [key(v.person_id, v.outcome_id), v]));
  const goalOf = new Map(goals.map((g) => [key(g.person_id, g.goal_id), g]));
  const raterOf = new Map(raters.map((r) => [key(r.person_id, r.rating_id), accountOf(r)]));
  const attainmentsOf = byPerson(attainments, (a) => key(a.person_id, a.goal_id));
  const versioned = new Map<string, VersionedOutcome[]>();
  for (const [personId, { outcomes }] of records) {
    versioned.set(
      personId,
      outcomes.map((o) => {
        const version = versionOf.get(key(personId, o.outcomeId));
        const goal = o.gas ? goalOf.get(key(personId, o.gas.goalId)) : undefined;
        return {
          ...o,
          versionId: version?.version_id ?? 1,
          lastUpdated: (version?.last_updated ?? new Date(o.createdAt)).toISOString(),
          ...(version ? { addedByAccount: accountOf(version) } : {}),
          ratings: o.ratings.map((r) => ({
            ...r,
            ratedByAccount: raterOf.get(key(personId, r.ratingId)) ?? {
              userId: '',
              name: r.ratedBy,
              system: false,
            },
          })),
          gas:
            o.gas && goal
              ? {
                  ...o.gas,
                  versionId: goal.version_id,
                  lastUpdated: goal.last_updated.toISOString(),
                  createdAt: goal.created_at.toISOString(),
                  createdBy: accountOf(goal),
                  attainments: (attainmentsOf.get(key(personId, goal.goal_id)) ?? []).map((a) => ({
                    ...rowToAttainment(a),
                    attainmentId: a.attainment_id,
                    recordedBy: accountOf({
                      user_id: a.recorded_by_user_id,
                      display_name: a.display_name,
                      username: a.username,
                    }),
                  })),
                }
              : null,
        };
      }),
    );
  }
  return versioned;
}

/** One who took part in a conversation, with the ids the record page leaves out. */
export interface ConversationParticipant {
  participantId: string;
  kind: string;
  name: string;
  role: string;
  /** Their account, when they are a user here. */
  userId: string | null;
  organisationId: string | null;
  organisationName: string | null;
}

/** A conversation as FHIR shows it: the record page's fields, and who recorded it and when. */
export interface RecordedConversationRow {
  conversationId: string;
  kind: ConversationKind;
  heldOn: string;
  summary: string;
  whatHelped: string;
  whatGotInTheWay: string;
  nextReviewDate: string | null;
  recordedAt: string;
  recordedBy: RecordedByAccount;
  participants: ConversationParticipant[];
}

/**
 * The person's conversations, newest first as the record shows them (people/store.ts
 * personPartsOf), each with who took part in the order they were recorded
 * (recordedConversationsOfEach for one person).
 */
export async function recordedConversationsOf(
  db: Db,
  scope: RecordScope,
): Promise<RecordedConversationRow[]> {
  return (await recordedConversationsOfEach(db, [scope])).get(scope.personId) ?? [];
}

/**
 * Each person's conversations, newest first, each with who took part in the order they were
 * recorded: two indexed reads however many people. People with none are left out of the map.
 */
export async function recordedConversationsOfEach(
  db: Db,
  scopes: readonly RecordScope[],
): Promise<Map<string, RecordedConversationRow[]>> {
  const personIds = personIdsOf(scopes);
  if (!personIds.length) return new Map();
  const [conversations, participants] = await Promise.all([
    db
      .selectFrom('conversation as c')
      .innerJoin('user_account as u', 'u.user_id', 'c.recorded_by_user_id')
      .selectAll('c')
      .select(['u.display_name', 'u.username'])
      .where('c.person_id', 'in', personIds)
      .orderBy('c.held_on', 'desc')
      .orderBy('c.recorded_at', 'desc')
      .execute(),
    db
      .selectFrom('conversation_participant as cp')
      .leftJoin('organisation as o', 'o.organisation_id', 'cp.organisation_id')
      .selectAll('cp')
      .select('o.name as organisation_name')
      .where('cp.person_id', 'in', personIds)
      // The order they were recorded in, as the record page shows them: the table keeps no position.
      .orderBy(sql`cp.ctid`)
      .execute(),
  ]);
  const participantsOf = byPerson(participants, (p) => `${p.person_id}/${p.conversation_id}`);
  const recorded = new Map<string, RecordedConversationRow[]>();
  for (const [personId, own] of byPerson(conversations, (c) => c.person_id)) {
    recorded.set(
      personId,
      own.map((c) => ({
        conversationId: c.conversation_id,
        kind: c.kind as ConversationKind,
        heldOn: c.held_on,
        summary: c.summary,
        whatHelped: c.what_helped,
        whatGotInTheWay: c.what_got_in_the_way,
        nextReviewDate: c.next_review_date,
        recordedAt: c.recorded_at.toISOString(),
        recordedBy: accountOf({
          user_id: c.recorded_by_user_id,
          display_name: c.display_name,
          username: c.username,
        }),
        participants: (participantsOf.get(`${personId}/${c.conversation_id}`) ?? []).map((p) => ({
          participantId: p.participant_id,
          kind: p.kind,
          name: p.name,
          role: p.role,
          userId: p.user_id,
          organisationId: p.organisation_id,
          organisationName: p.organisation_name,
        })),
      })),
    );
  }
  return recorded;
}
