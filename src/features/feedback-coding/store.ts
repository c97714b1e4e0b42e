import { type Kysely, type Selectable, sql } from 'kysely';
import type { CoderEvaluation, CoderModel, CodingResult } from '../../domain/coding/coder.js';
import type { FeedbackServiceRef } from '../../domain/feedback/access.js';
import type { CodingModelTable, DB, FeedbackCodeStatus, FeedbackCodeTable } from '../../store/schema.js';

/** A story's code as stored (one row mapper for feedback_code). */
export interface StoryCode {
  code: string;
  status: FeedbackCodeStatus;
  confidence: number | null;
  words: string[];
  modelVersion: number | null;
  reviewedAt: Date | null;
}

export function toStoryCode(row: Selectable<FeedbackCodeTable>): StoryCode {
  return {
    code: row.code,
    status: row.status,
    confidence: row.confidence,
    words: row.words,
    modelVersion: row.model_version,
    reviewedAt: row.reviewed_at,
  };
}

/** One version of an organisation's model, without the model itself (one row mapper for coding_model). */
export interface ModelVersion {
  version: number;
  frameworkId: string;
  evaluation: CoderEvaluation | null;
  examples: number;
  reason: 'starting' | 'on-demand' | 'new-codes';
  trainedByUserId: string | null;
  trainedAt: Date;
}

export function toModelVersion(
  row: Omit<Selectable<CodingModelTable>, 'model' | 'organisation_id'>,
): ModelVersion {
  return {
    version: row.version,
    frameworkId: row.framework_id,
    evaluation: row.evaluation,
    examples: row.examples,
    reason: row.reason as ModelVersion['reason'],
    trainedByUserId: row.trained_by_user_id,
    trainedAt: row.trained_at,
  };
}

const VERSION_COLUMNS = [
  'version',
  'framework_id',
  'evaluation',
  'examples',
  'reason',
  'trained_by_user_id',
  'trained_at',
] as const;

/** The organisation and team of a feedback service (who handles its feedback), or null. */
export async function serviceRef(db: Kysely<DB>, serviceKey: string): Promise<FeedbackServiceRef | null> {
  const row = await db
    .selectFrom('feedback_service')
    .select(['organisation_id as organisationId', 'team_id as teamId'])
    .where('service_key', '=', serviceKey)
    .executeTakeFirst();
  return row ?? null;
}

/** The latest version of the organisation's model (its number and when it was trained), or null. */
export async function latestVersion(
  db: Kysely<DB>,
  organisationId: string,
): Promise<{ version: number; trainedAt: Date } | null> {
  const row = await db
    .selectFrom('coding_model')
    .select(['version', 'trained_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { version: row.version, trainedAt: row.trained_at } : null;
}

export async function modelAt(db: Kysely<DB>, organisationId: string, version: number): Promise<CoderModel> {
  const row = await db
    .selectFrom('coding_model')
    .select('model')
    .where('organisation_id', '=', organisationId)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return row.model;
}

/** Stores a version; false when that version exists already (someone else stored it first). */
export async function insertModel(
  db: Kysely<DB>,
  m: {
    organisationId: string;
    version: number;
    frameworkId: string;
    model: CoderModel;
    examples: number;
    reason: ModelVersion['reason'];
    trainedByUserId: string | null;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('coding_model')
    .values({
      organisation_id: m.organisationId,
      version: m.version,
      framework_id: m.frameworkId,
      model: JSON.stringify(m.model),
      evaluation: m.model.evaluation ? JSON.stringify(m.model.evaluation) : null,
      examples: m.examples,
      reason: m.reason,
      trained_by_user_id: m.trainedByUserId,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'version']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function modelVersions(db: Kysely<DB>, organisationId: string): Promise<ModelVersion[]> {
  const rows = await db
    .selectFrom('coding_model')
    .select(VERSION_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toModelVersion);
}

/**
 * Writes what the coder said about unreviewed stories, in three statements however many there are
 * (a retrain recodes thousands): each story's sentiment unless staff confirmed it, and its suggested
 * codes replaced. A story reviewed in the meantime is left as staff left it.
 */
export async function writeCodings(
  db: Kysely<DB>,
  version: number,
  coded: readonly { feedbackId: string; result: CodingResult }[],
): Promise<void> {
  if (!coded.length) return;
  const values = JSON.stringify(
    coded.map((c) => ({
      feedback_id: c.feedbackId,
      sentiment: c.result.sentiment.value,
      words: c.result.sentiment.words,
    })),
  );
  const updated = await sql<{ feedback_id: string }>`
    update feedback f set
      coded_model_version = ${version},
      sentiment = case when f.sentiment_confirmed then f.sentiment else v.sentiment end,
      sentiment_words = case when f.sentiment_confirmed then f.sentiment_words else v.words end
    from jsonb_to_recordset(${values}::jsonb) as v(feedback_id uuid, sentiment smallint, words jsonb)
    where f.feedback_id = v.feedback_id and f.codes_reviewed_at is null
    returning f.feedback_id`.execute(db);
  const ids = new Set(updated.rows.map((r) => r.feedback_id));
  if (!ids.size) return;
  await db
    .deleteFrom('feedback_code')
    .where('feedback_id', 'in', [...ids])
    .where('status', '=', 'suggested')
    .execute();
  const rows = coded
    .filter((c) => ids.has(c.feedbackId))
    .flatMap((c) =>
      c.result.codes.map((code) => ({
        feedback_id: c.feedbackId,
        code: code.code,
        status: 'suggested' as const,
        confidence: code.confidence,
        words: JSON.stringify(code.words),
        model_version: version,
      })),
    );
  if (rows.length) {
    await db
      .insertInto('feedback_code')
      .values(rows)
      .onConflict((oc) => oc.columns(['feedback_id', 'code']).doNothing())
      .execute();
  }
}

export async function storyCodes(db: Kysely<DB>, feedbackId: string): Promise<StoryCode[]> {
  const rows = await db
    .selectFrom('feedback_code')
    .selectAll()
    .where('feedback_id', '=', feedbackId)
    .orderBy('status')
    .orderBy('confidence', 'desc')
    .orderBy('code')
    .execute();
  return rows.map(toStoryCode);
}

/** A story's coding state on the feedback row. */
export async function storyCoding(db: Kysely<DB>, serviceKey: string, feedbackId: string) {
  const row = await db
    .selectFrom('feedback as f')
    .leftJoin('user_account as u', 'u.user_id', 'f.codes_reviewed_by_user_id')
    .select([
      'f.sentiment',
      'f.sentiment_words',
      'f.sentiment_confirmed',
      'f.coded_model_version',
      'f.codes_reviewed_at',
      'u.display_name as reviewedBy',
      'f.masked_what_was_good',
      'f.masked_what_could_be_better',
    ])
    .where('f.feedback_id', '=', feedbackId)
    .where('f.service_key', '=', serviceKey)
    .executeTakeFirst();
  return row
    ? {
        sentiment: row.sentiment,
        sentimentWords: row.sentiment_words,
        sentimentConfirmed: row.sentiment_confirmed,
        codedModelVersion: row.coded_model_version,
        reviewedAt: row.codes_reviewed_at,
        reviewedBy: row.reviewedBy,
        maskedWhatWasGood: row.masked_what_was_good,
        maskedWhatCouldBeBetter: row.masked_what_could_be_better,
      }
    : null;
}

/** Saves a review: each code's new status, the confirmed sentiment, who reviewed and when. */
export async function saveReview(
  db: Kysely<DB>,
  feedbackId: string,
  review: {
    codes: { code: string; status: 'confirmed' | 'rejected'; added: boolean }[];
    sentiment: number;
    userId: string;
    at: Date;
  },
): Promise<void> {
  const at = review.at.toISOString();
  for (const c of review.codes) {
    if (c.added) {
      await db
        .insertInto('feedback_code')
        .values({
          feedback_id: feedbackId,
          code: c.code,
          status: c.status,
          confidence: null,
          reviewed_by_user_id: review.userId,
          reviewed_at: at,
        })
        .execute();
    } else {
      await db
        .updateTable('feedback_code')
        .set({ status: c.status, reviewed_by_user_id: review.userId, reviewed_at: at })
        .where('feedback_id', '=', feedbackId)
        .where('code', '=', c.code)
        .execute();
    }
  }
  await db
    .updateTable('feedback')
    .set({
      sentiment: review.sentiment,
      sentiment_confirmed: true,
      codes_reviewed_at: at,
      codes_reviewed_by_user_id: review.userId,
    })
    .where('feedback_id', '=', feedbackId)
    .execute();
}

const organisationStories = (db: Kysely<DB>, organisationId: string) =>
  db
    .selectFrom('feedback as f')
    .innerJoin('feedback_service as s', 's.service_key', 'f.service_key')
    .where('s.organisation_id', '=', organisationId);

/** Reviewed stories of the organisation: in all, and since a time (the latest version's training). */
export async function reviewCounts(
  db: Kysely<DB>,
  organisationId: string,
  since: Date | null,
): Promise<{ reviewedTotal: number; reviewedSinceLatest: number }> {
  const row = await organisationStories(db, organisationId)
    .where('f.codes_reviewed_at', 'is not', null)
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      since
        ? eb.fn.count<string>('f.feedback_id').filterWhere('f.codes_reviewed_at', '>', since).as('since')
        : eb.fn.countAll<string>().as('since'),
    ])
    .executeTakeFirstOrThrow();
  return { reviewedTotal: Number(row.total), reviewedSinceLatest: Number(row.since) };
}

/** The organisation's reviewed stories, each with its masked text and confirmed codes (training examples). */
export async function reviewedStories(db: Kysely<DB>, organisationId: string) {
  const rows = await organisationStories(db, organisationId)
    .leftJoin('feedback_code as c', (join) =>
      join.onRef('c.feedback_id', '=', 'f.feedback_id').on('c.status', '=', 'confirmed'),
    )
    .where('f.codes_reviewed_at', 'is not', null)
    .select([
      'f.feedback_id',
      'f.masked_what_was_good',
      'f.masked_what_could_be_better',
      'f.sentiment',
      'f.sentiment_confirmed',
      'c.code',
    ])
    .orderBy('f.feedback_id')
    .orderBy('c.code')
    .execute();
  const stories = new Map<
    string,
    {
      maskedWhatWasGood: string;
      maskedWhatCouldBeBetter: string;
      sentiment: number | null;
      sentimentConfirmed: boolean;
      confirmedCodes: string[];
    }
  >();
  for (const r of rows) {
    let story = stories.get(r.feedback_id);
    if (!story) {
      story = {
        maskedWhatWasGood: r.masked_what_was_good,
        maskedWhatCouldBeBetter: r.masked_what_could_be_better,
        sentiment: r.sentiment,
        sentimentConfirmed: r.sentiment_confirmed,
        confirmedCodes: [],
      };
      stories.set(r.feedback_id, story);
    }
    if (r.code) story.confirmedCodes.push(r.code);
  }
  return [...stories.values()];
}

/** The next batch of the organisation's unreviewed stories after `afterId` (keyset order by id). */
/** The first id to start a keyset walk after. */
export const FIRST_ID = '00000000-0000-0000-0000-000000000000';

export async function unreviewedBatch(db: Kysely<DB>, organisationId: string, afterId: string, size: number) {
  return organisationStories(db, organisationId)
    .where('f.codes_reviewed_at', 'is', null)
    .where('f.feedback_id', '>', afterId)
    .select(['f.feedback_id', 'f.masked_what_was_good', 'f.masked_what_could_be_better'])
    .orderBy('f.feedback_id')
    .limit(size)
    .execute();
}

/** The organisations (id and name) the actor's feedback roles are in, by name. */
export async function organisationNames(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('organisation')
    .select(['organisation_id as organisationId', 'name'])
    .where('organisation_id', 'in', ids)
    .orderBy('name')
    .execute();
}

export async function userNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('user_account')
    .select(['user_id', 'display_name'])
    .where('user_id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.display_name]));
}
