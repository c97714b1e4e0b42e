import { type Kysely, type Selectable, sql } from 'kysely';
import type { ChangeStatus } from '../../domain/feedback/responses.js';
import type { DB, FeedbackChangeTable } from '../../store/schema.js';

/** Responding and changing in the database: replies, publishing, first response, changes and their stories. */

export interface StoryReply {
  replyId: string;
  body: string;
  authorName: string;
  createdAt: Date;
}

export interface FeedbackChange {
  changeId: string;
  serviceKey: string;
  status: ChangeStatus;
  description: string;
  plannedOn: string | null;
  madeOn: string | null;
  createdAt: Date;
  /** The stories that led to it, oldest first. */
  stories: { feedbackId: string; receivedOn: string }[];
}

/** The one row mapper of `feedback_change` (its stories added by the caller's query). */
export function toChange(
  row: Selectable<FeedbackChangeTable>,
  stories: FeedbackChange['stories'] = [],
): FeedbackChange {
  return {
    changeId: row.change_id,
    serviceKey: row.service_key,
    status: row.status,
    description: row.description,
    plannedOn: row.planned_on,
    madeOn: row.made_on,
    createdAt: row.created_at,
    stories,
  };
}

/** What responding needs to know of a story. */
export interface ResponseState {
  feedbackId: string;
  consentToPublish: boolean;
  createdAt: Date;
  publishedAt: Date | null;
  firstResponseAt: Date | null;
  secondsToFirstResponse: number | null;
}

export async function responseState(
  db: Kysely<DB>,
  serviceKey: string,
  feedbackId: string,
): Promise<ResponseState | null> {
  const [state] = await responseStates(db, serviceKey, [feedbackId]);
  return state ?? null;
}

/** The first-response times of these stories of a service (for its list). */
export async function responseStates(
  db: Kysely<DB>,
  serviceKey: string,
  feedbackIds: readonly string[],
): Promise<ResponseState[]> {
  if (!feedbackIds.length) return [];
  return db
    .selectFrom('feedback')
    .select([
      'feedback_id as feedbackId',
      'consent_to_publish as consentToPublish',
      'created_at as createdAt',
      'published_at as publishedAt',
      'first_response_at as firstResponseAt',
      'seconds_to_first_response as secondsToFirstResponse',
    ])
    .where('service_key', '=', serviceKey)
    .where('feedback_id', 'in', feedbackIds)
    .execute();
}

export async function repliesTo(
  db: Kysely<DB>,
  feedbackIds: readonly string[],
): Promise<(StoryReply & { feedbackId: string })[]> {
  if (!feedbackIds.length) return [];
  return db
    .selectFrom('feedback_reply as r')
    .innerJoin('user_account as u', 'u.user_id', 'r.author_user_id')
    .select([
      'r.reply_id as replyId',
      'r.feedback_id as feedbackId',
      'r.body',
      'u.display_name as authorName',
      'r.created_at as createdAt',
    ])
    .where('r.feedback_id', 'in', feedbackIds)
    .orderBy('r.created_at')
    .orderBy('r.reply_id')
    .execute();
}

export async function insertReply(
  db: Kysely<DB>,
  r: { replyId: string; feedbackId: string; body: string; authorUserId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('feedback_reply')
    .values({
      reply_id: r.replyId,
      feedback_id: r.feedbackId,
      body: r.body,
      author_user_id: r.authorUserId,
      created_at: r.at.toISOString(),
    })
    .execute();
}

/** Stops the first-response clock; false when it had stopped already (an earlier reply). */
export async function recordFirstResponse(
  db: Kysely<DB>,
  feedbackId: string,
  at: Date,
  seconds: number,
): Promise<boolean> {
  const result = await db
    .updateTable('feedback')
    .set({ first_response_at: at.toISOString(), seconds_to_first_response: seconds })
    .where('feedback_id', '=', feedbackId)
    .where('first_response_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Publishes a story (only one whose writer consented: the database is asked the same question). */
export async function publish(
  db: Kysely<DB>,
  feedbackId: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('feedback')
    .set({ published_at: at.toISOString(), published_by_user_id: userId })
    .where('feedback_id', '=', feedbackId)
    .where('consent_to_publish', '=', true)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function withdraw(db: Kysely<DB>, feedbackId: string): Promise<boolean> {
  const result = await db
    .updateTable('feedback')
    .set({ published_at: null, published_by_user_id: null })
    .where('feedback_id', '=', feedbackId)
    .where('published_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A service's changes with their stories: planned first (soonest first), then made (latest first). */
export async function changesOf(
  db: Kysely<DB>,
  serviceKey: string,
  options: { status?: ChangeStatus; limit?: number } = {},
): Promise<FeedbackChange[]> {
  let query = db
    .selectFrom('feedback_change')
    .selectAll()
    .where('service_key', '=', serviceKey)
    .orderBy(sql`status = 'made'`)
    .orderBy('planned_on', 'asc')
    .orderBy('made_on', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('change_id');
  if (options.status) query = query.where('status', '=', options.status);
  if (options.limit) query = query.limit(options.limit);
  const rows = await query.execute();
  if (!rows.length) return [];
  const links = await db
    .selectFrom('feedback_change_story as cs')
    .innerJoin('feedback as f', 'f.feedback_id', 'cs.feedback_id')
    .select(['cs.change_id', 'cs.feedback_id', 'f.received_on'])
    .where(
      'cs.change_id',
      'in',
      rows.map((r) => r.change_id),
    )
    .orderBy('f.created_at')
    .execute();
  return rows.map((r) =>
    toChange(
      r,
      links
        .filter((l) => l.change_id === r.change_id)
        .map((l) => ({ feedbackId: l.feedback_id, receivedOn: l.received_on })),
    ),
  );
}

export async function changeById(
  db: Kysely<DB>,
  serviceKey: string,
  changeId: string,
): Promise<FeedbackChange | null> {
  const row = await db
    .selectFrom('feedback_change')
    .selectAll()
    .where('service_key', '=', serviceKey)
    .where('change_id', '=', changeId)
    .executeTakeFirst();
  return row ? toChange(row) : null;
}

/** The changes a story is linked to. */
export async function changesOfStory(db: Kysely<DB>, feedbackId: string): Promise<FeedbackChange[]> {
  const rows = await db
    .selectFrom('feedback_change as c')
    .innerJoin('feedback_change_story as cs', 'cs.change_id', 'c.change_id')
    .selectAll('c')
    .where('cs.feedback_id', '=', feedbackId)
    .orderBy('c.created_at')
    .execute();
  return rows.map((r) => toChange(r));
}

export async function insertChange(
  db: Kysely<DB>,
  c: {
    changeId: string;
    serviceKey: string;
    status: ChangeStatus;
    description: string;
    plannedOn: string | null;
    madeOn: string | null;
    userId: string;
  },
): Promise<void> {
  await db
    .insertInto('feedback_change')
    .values({
      change_id: c.changeId,
      service_key: c.serviceKey,
      status: c.status,
      description: c.description,
      planned_on: c.plannedOn,
      made_on: c.madeOn,
      recorded_by_user_id: c.userId,
    })
    .execute();
}

/** Marks a planned change made; false when it was made already. */
export async function markMade(db: Kysely<DB>, changeId: string, madeOn: string): Promise<boolean> {
  const result = await db
    .updateTable('feedback_change')
    .set({ status: 'made', made_on: madeOn, updated_at: new Date().toISOString() })
    .where('change_id', '=', changeId)
    .where('status', '=', 'planned')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Links a story to a change; false when it was linked already. */
export async function linkStory(db: Kysely<DB>, changeId: string, feedbackId: string): Promise<boolean> {
  const result = await db
    .insertInto('feedback_change_story')
    .values({ change_id: changeId, feedback_id: feedbackId })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A published story as the public page shows it: masked text only, with its published replies. */
export interface PublishedStoryRow {
  feedbackId: string;
  fft: string;
  receivedOn: string;
  consentToPublish: boolean;
  publishedAt: Date | null;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
}

/** A page of a service's published stories (consent given), newest published first. */
export async function publishedStories(
  db: Kysely<DB>,
  serviceKey: string,
  page: number,
  pageSize: number,
): Promise<{ rows: PublishedStoryRow[]; total: number }> {
  const published = db
    .selectFrom('feedback')
    .where('service_key', '=', serviceKey)
    .where('published_at', 'is not', null)
    .where('consent_to_publish', '=', true);
  const [rows, count] = await Promise.all([
    published
      .select([
        'feedback_id as feedbackId',
        'fft',
        'received_on as receivedOn',
        'consent_to_publish as consentToPublish',
        'published_at as publishedAt',
        'masked_what_was_good as maskedWhatWasGood',
        'masked_what_could_be_better as maskedWhatCouldBeBetter',
      ])
      .orderBy('published_at', 'desc')
      .orderBy('feedback_id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    published.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
