import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, FeedbackCodeStatus, FeedbackTouchpointTable } from '../../store/schema.js';

/** A touchpoint of a service's pathway (one row mapper for feedback_touchpoint). */
export interface Touchpoint {
  touchpointId: string;
  serviceKey: string;
  label: string;
  /** Its place in the pathway: touchpoints are shown in this order (gaps allowed). */
  position: number;
  keywords: string[];
  retiredAt: Date | null;
}

const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export function toTouchpoint(row: Selectable<FeedbackTouchpointTable>): Touchpoint {
  return {
    touchpointId: row.touchpoint_id,
    serviceKey: row.service_key,
    label: row.label,
    position: row.position,
    keywords: parsed(row.keywords),
    retiredAt: row.retired_at,
  };
}

/** The service's active touchpoints in pathway order. */
export async function activeTouchpoints(db: Kysely<DB>, serviceKey: string): Promise<Touchpoint[]> {
  const rows = await db
    .selectFrom('feedback_touchpoint')
    .selectAll()
    .where('service_key', '=', serviceKey)
    .where('retired_at', 'is', null)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('touchpoint_id')
    .execute();
  return rows.map(toTouchpoint);
}

/** The service's retired touchpoints, most recently retired first. */
export async function retiredTouchpoints(db: Kysely<DB>, serviceKey: string): Promise<Touchpoint[]> {
  const rows = await db
    .selectFrom('feedback_touchpoint')
    .selectAll()
    .where('service_key', '=', serviceKey)
    .where('retired_at', 'is not', null)
    .orderBy('retired_at', 'desc')
    .orderBy('touchpoint_id')
    .execute();
  return rows.map(toTouchpoint);
}

export async function insertTouchpoints(
  db: Kysely<DB>,
  touchpoints: readonly {
    touchpointId: string;
    serviceKey: string;
    label: string;
    keywords: readonly string[];
    position: number;
  }[],
): Promise<void> {
  if (!touchpoints.length) return;
  await db
    .insertInto('feedback_touchpoint')
    .values(
      touchpoints.map((t) => ({
        touchpoint_id: t.touchpointId,
        service_key: t.serviceKey,
        label: t.label,
        keywords: JSON.stringify(t.keywords),
        position: t.position,
      })),
    )
    .execute();
}

export async function updateTouchpoint(
  db: Kysely<DB>,
  touchpointId: string,
  change: { label: string; keywords: readonly string[] },
): Promise<void> {
  await db
    .updateTable('feedback_touchpoint')
    .set({ label: change.label, keywords: JSON.stringify(change.keywords) })
    .where('touchpoint_id', '=', touchpointId)
    .execute();
}

export async function setPosition(db: Kysely<DB>, touchpointId: string, position: number): Promise<void> {
  await db
    .updateTable('feedback_touchpoint')
    .set({ position })
    .where('touchpoint_id', '=', touchpointId)
    .execute();
}

export async function retireTouchpoint(db: Kysely<DB>, touchpointId: string): Promise<void> {
  await db
    .updateTable('feedback_touchpoint')
    .set({ retired_at: new Date().toISOString() })
    .where('touchpoint_id', '=', touchpointId)
    .where('retired_at', 'is', null)
    .execute();
}

/** How many stories count under each of the service's touchpoints (confirmed, or suggested and not rejected). */
export async function storiesPerTouchpoint(db: Kysely<DB>, serviceKey: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('feedback_story_touchpoint as st')
    .innerJoin('feedback_touchpoint as t', 't.touchpoint_id', 'st.touchpoint_id')
    .select(['st.touchpoint_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('t.service_key', '=', serviceKey)
    .where('st.status', '<>', 'rejected')
    .groupBy('st.touchpoint_id')
    .execute();
  return new Map(rows.map((r) => [r.touchpoint_id, Number(r.n)]));
}

/** Whether the story is one of the service's. */
export async function storyOfService(
  db: Kysely<DB>,
  serviceKey: string,
  feedbackId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('feedback')
    .select('feedback_id')
    .where('service_key', '=', serviceKey)
    .where('feedback_id', '=', feedbackId)
    .executeTakeFirst();
  return !!row;
}

/** A story's touchpoint rows, as suggested or decided, with who decided. */
export interface StoryTouchpoint {
  touchpointId: string;
  status: FeedbackCodeStatus;
  confidence: number | null;
  words: string[];
  reviewedAt: Date | null;
  reviewedBy: string | null;
}

export async function storyTouchpoints(db: Kysely<DB>, feedbackId: string): Promise<StoryTouchpoint[]> {
  const rows = await db
    .selectFrom('feedback_story_touchpoint as st')
    .leftJoin('user_account as u', 'u.user_id', 'st.reviewed_by_user_id')
    .select([
      'st.touchpoint_id',
      'st.status',
      'st.confidence',
      'st.words',
      'st.reviewed_at',
      'u.display_name as reviewed_by',
    ])
    .where('st.feedback_id', '=', feedbackId)
    .execute();
  return rows.map((r) => ({
    touchpointId: r.touchpoint_id,
    status: r.status,
    confidence: r.confidence,
    words: parsed(r.words),
    reviewedAt: r.reviewed_at,
    reviewedBy: r.reviewed_by,
  }));
}

/** The masked answers of a story, as the coder reads them. */
export interface CodableStory {
  feedbackId: string;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
}

const decided = (db: Kysely<DB>) =>
  db
    .selectFrom('feedback_story_touchpoint as d')
    .select('d.feedback_id')
    .where('d.status', '<>', 'suggested');

/**
 * The service's stories on which staff decided touchpoints, each with the touchpoints confirmed on
 * it: the examples the touchpoint coder learns from. Ordered by id, so training is the same each time.
 */
export async function reviewedStories(
  db: Kysely<DB>,
  serviceKey: string,
): Promise<(CodableStory & { confirmed: string[] })[]> {
  const rows = await db
    .selectFrom('feedback as f')
    .leftJoin('feedback_story_touchpoint as st', (join) =>
      join.onRef('st.feedback_id', '=', 'f.feedback_id').on('st.status', '=', 'confirmed'),
    )
    .select(['f.feedback_id', 'f.masked_what_was_good', 'f.masked_what_could_be_better', 'st.touchpoint_id'])
    .where('f.service_key', '=', serviceKey)
    .where('f.feedback_id', 'in', decided(db))
    .orderBy('f.feedback_id')
    .orderBy('st.touchpoint_id')
    .execute();
  const stories = new Map<string, CodableStory & { confirmed: string[] }>();
  for (const r of rows) {
    let story = stories.get(r.feedback_id);
    if (!story) {
      story = {
        feedbackId: r.feedback_id,
        maskedWhatWasGood: r.masked_what_was_good,
        maskedWhatCouldBeBetter: r.masked_what_could_be_better,
        confirmed: [],
      };
      stories.set(r.feedback_id, story);
    }
    if (r.touchpoint_id) story.confirmed.push(r.touchpoint_id);
  }
  return [...stories.values()];
}

/** A batch of the service's stories no one has decided touchpoints on, after `after` in id order. */
export async function unreviewedStories(
  db: Kysely<DB>,
  serviceKey: string,
  after: string | null,
  limit: number,
): Promise<CodableStory[]> {
  let query = db
    .selectFrom('feedback as f')
    .select([
      'f.feedback_id as feedbackId',
      'f.masked_what_was_good as maskedWhatWasGood',
      'f.masked_what_could_be_better as maskedWhatCouldBeBetter',
    ])
    .where('f.service_key', '=', serviceKey)
    .where('f.feedback_id', 'not in', decided(db));
  if (after) query = query.where('f.feedback_id', '>', after);
  return query.orderBy('f.feedback_id').limit(limit).execute();
}

export interface TouchpointSuggestion {
  feedbackId: string;
  touchpointId: string;
  confidence: number;
  words: readonly string[];
}

/** The coder's suggestions for these stories, in place of those they had (decisions are kept). */
export async function replaceSuggestions(
  db: Kysely<DB>,
  feedbackIds: readonly string[],
  suggestions: readonly TouchpointSuggestion[],
): Promise<void> {
  if (!feedbackIds.length) return;
  await db
    .deleteFrom('feedback_story_touchpoint')
    .where('feedback_id', 'in', feedbackIds)
    .where('status', '=', 'suggested')
    .execute();
  if (!suggestions.length) return;
  await db
    .insertInto('feedback_story_touchpoint')
    .values(
      suggestions.map((s) => ({
        feedback_id: s.feedbackId,
        touchpoint_id: s.touchpointId,
        status: 'suggested' as const,
        confidence: s.confidence,
        words: JSON.stringify(s.words),
      })),
    )
    // A decision on the same touchpoint stands; the suggestion is not stored over it.
    .onConflict((oc) => oc.columns(['feedback_id', 'touchpoint_id']).doNothing())
    .execute();
}

/** Staff's decisions on a story's touchpoints: a suggestion's confidence and words are kept with it. */
export async function saveDecisions(
  db: Kysely<DB>,
  feedbackId: string,
  decisions: readonly { touchpointId: string; status: Exclude<FeedbackCodeStatus, 'suggested'> }[],
  userId: string,
): Promise<void> {
  if (!decisions.length) return;
  const at = new Date().toISOString();
  await db
    .insertInto('feedback_story_touchpoint')
    .values(
      decisions.map((d) => ({
        feedback_id: feedbackId,
        touchpoint_id: d.touchpointId,
        status: d.status,
        reviewed_by_user_id: userId,
        reviewed_at: at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['feedback_id', 'touchpoint_id']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        reviewed_by_user_id: eb.ref('excluded.reviewed_by_user_id'),
        reviewed_at: eb.ref('excluded.reviewed_at'),
      })),
    )
    .execute();
}

/** A story as the touchpoint pack reads it: masked answers only. */
export interface PackStoryRow {
  feedbackId: string;
  receivedOn: string;
  fft: string;
  sentiment: number | null;
  consentToPublish: boolean;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
  codes: string[];
  touchpoints: { touchpointId: string; words: string[] }[];
}

/**
 * The service's stories received on or after `since` (all when null) that count under one of its
 * active touchpoints, with the touchpoints and the theme codes (feedback_code_in_use) they count under.
 */
export async function packStories(
  db: Kysely<DB>,
  serviceKey: string,
  since: string | null,
): Promise<PackStoryRow[]> {
  const inUse = (alias: 'st' | 'x') =>
    db
      .selectFrom(`feedback_story_touchpoint as ${alias}`)
      .innerJoin('feedback_touchpoint as t', 't.touchpoint_id', `${alias}.touchpoint_id`)
      .where('t.service_key', '=', serviceKey)
      .where('t.retired_at', 'is', null)
      .where(`${alias}.status`, '<>', 'rejected');
  let stories = db
    .selectFrom('feedback as f')
    .select([
      'f.feedback_id',
      'f.received_on',
      'f.fft',
      'f.sentiment',
      'f.consent_to_publish',
      'f.masked_what_was_good',
      'f.masked_what_could_be_better',
    ])
    .where('f.service_key', '=', serviceKey)
    .where('f.feedback_id', 'in', inUse('x').select('x.feedback_id'));
  if (since) stories = stories.where('f.received_on', '>=', since);
  const rows = await stories.orderBy('f.feedback_id').execute();
  if (!rows.length) return [];
  const ids = new Set(rows.map((r) => r.feedback_id));
  const [touchpointRows, codeRows] = await Promise.all([
    inUse('st').select(['st.feedback_id', 'st.touchpoint_id', 'st.words']).execute(),
    db
      .selectFrom('feedback_code_in_use as c')
      .innerJoin('feedback as f', 'f.feedback_id', 'c.feedback_id')
      .select(['c.feedback_id', 'c.code'])
      .where('f.service_key', '=', serviceKey)
      .where('f.feedback_id', 'in', inUse('x').select('x.feedback_id'))
      .$if(since !== null, (q) => q.where('f.received_on', '>=', since as string))
      .orderBy('c.feedback_id')
      .orderBy('c.code')
      .execute(),
  ]);
  const byId = new Map<string, PackStoryRow>(
    rows.map((r) => [
      r.feedback_id,
      {
        feedbackId: r.feedback_id,
        receivedOn: String(r.received_on),
        fft: r.fft,
        sentiment: r.sentiment,
        consentToPublish: r.consent_to_publish,
        maskedWhatWasGood: r.masked_what_was_good,
        maskedWhatCouldBeBetter: r.masked_what_could_be_better,
        codes: [],
        touchpoints: [],
      },
    ]),
  );
  for (const r of touchpointRows) {
    if (ids.has(r.feedback_id)) {
      byId.get(r.feedback_id)?.touchpoints.push({ touchpointId: r.touchpoint_id, words: parsed(r.words) });
    }
  }
  for (const r of codeRows) byId.get(r.feedback_id)?.codes.push(r.code);
  return [...byId.values()];
}

/** Locks the service's touchpoints while a change to them is written (two editors, one pathway). */
export async function lockPathway(db: Kysely<DB>, serviceKey: string): Promise<void> {
  await sql`select service_key from feedback_service where service_key = ${serviceKey} for update`.execute(
    db,
  );
}
