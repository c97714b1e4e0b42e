import { type Kysely, type Selectable, sql } from 'kysely';
import type { FeedbackServiceRef } from '../../domain/feedback/access.js';
import type { HarmFinding } from '../../domain/feedback/harm.js';
import type { FeedbackChannel } from '../../domain/feedback/vocabulary.js';
import type { DB, FeedbackMasks, FeedbackTable } from '../../store/schema.js';
import type { Feedback, FeedbackStory } from './schema.js';

/** A service that collects feedback, with its public key and the names its form shows. */
export interface FeedbackService extends FeedbackServiceRef {
  serviceKey: string;
  teamName: string | null;
  organisationName: string;
  /** The named safeguarding contact, a user of the organisation; null until one is named. */
  safeguardingUserId: string | null;
}

export function toFeedback(row: Selectable<FeedbackTable>): Feedback {
  return {
    feedbackId: row.feedback_id,
    serviceKey: row.service_key,
    fft: row.fft,
    whatWasGood: row.what_was_good,
    whatCouldBeBetter: row.what_could_be_better,
    writer: row.writer as Feedback['writer'],
    ageBand: row.age_band,
    consentToPublish: row.consent_to_publish,
    channel: row.channel as FeedbackChannel,
    receivedOn: row.received_on,
    sourceId: row.source_id,
    createdAt: row.created_at.toISOString(),
  };
}

const services = (db: Kysely<DB>) =>
  db
    .selectFrom('feedback_service as s')
    .innerJoin('organisation as o', 'o.organisation_id', 's.organisation_id')
    .leftJoin('team as t', 't.team_id', 's.team_id')
    .select([
      's.service_key as serviceKey',
      's.organisation_id as organisationId',
      's.team_id as teamId',
      't.name as teamName',
      'o.name as organisationName',
      's.safeguarding_user_id as safeguardingUserId',
    ]);

export async function serviceByKey(db: Kysely<DB>, serviceKey: string): Promise<FeedbackService | null> {
  return (await services(db).where('s.service_key', '=', serviceKey).executeTakeFirst()) ?? null;
}

/** Each of these services with its key, making the keys of any that have none (`newKey` for each). */
export async function ensureServices(
  db: Kysely<DB>,
  refs: readonly FeedbackServiceRef[],
  newKey: () => string,
): Promise<FeedbackService[]> {
  if (!refs.length) return [];
  for (const ref of refs) {
    await db
      .insertInto('feedback_service')
      .values({ service_key: newKey(), organisation_id: ref.organisationId, team_id: ref.teamId })
      .onConflict((oc) =>
        ref.teamId
          ? oc.column('team_id').where('team_id', 'is not', null).doNothing()
          : oc.column('organisation_id').where('team_id', 'is', null).doNothing(),
      )
      .execute();
  }
  const teamIds = refs.flatMap((r) => (r.teamId ? [r.teamId] : []));
  const organisationIds = refs.flatMap((r) => (r.teamId ? [] : [r.organisationId]));
  return services(db)
    .where((eb) =>
      eb.or([
        ...(teamIds.length ? [eb('s.team_id', 'in', teamIds)] : []),
        ...(organisationIds.length
          ? [eb.and([eb('s.team_id', 'is', null), eb('s.organisation_id', 'in', organisationIds)])]
          : []),
      ]),
    )
    .orderBy('o.name')
    .orderBy(sql`t.name nulls first`)
    .execute();
}

export interface NewFeedback {
  feedbackId: string;
  serviceKey: string;
  story: FeedbackStory;
  channel: FeedbackChannel;
  receivedOn: string;
  submissionToken?: string | null;
  sourceId?: string | null;
  enteredByUserId?: string | null;
  /** What the service found in it when it arrived: masked spans and text, and harm described. */
  screening: FeedbackScreening;
}

/** A story's screening, computed once when it is stored (domain/feedback/masking.ts and harm.ts). */
export interface FeedbackScreening {
  masks: FeedbackMasks;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
  harm: HarmFinding[];
}

/** Stores a story; false when its submission token or source id was stored already (nothing changes). */
export async function insertFeedback(db: Kysely<DB>, f: NewFeedback): Promise<boolean> {
  const result = await db
    .insertInto('feedback')
    .values({
      feedback_id: f.feedbackId,
      service_key: f.serviceKey,
      fft: f.story.fft,
      what_was_good: f.story.whatWasGood,
      what_could_be_better: f.story.whatCouldBeBetter,
      writer: f.story.writer,
      age_band: f.story.ageBand,
      consent_to_publish: f.story.consentToPublish,
      channel: f.channel,
      received_on: f.receivedOn,
      submission_token: f.submissionToken ?? null,
      source_id: f.sourceId ?? null,
      entered_by_user_id: f.enteredByUserId ?? null,
      masks: JSON.stringify(f.screening.masks),
      masked_what_was_good: f.screening.maskedWhatWasGood,
      masked_what_could_be_better: f.screening.maskedWhatCouldBeBetter,
      harm: JSON.stringify(f.screening.harm),
      flagged_at: f.screening.harm.length ? new Date().toISOString() : null,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function feedbackPage(
  db: Kysely<DB>,
  serviceKey: string,
  page: number,
  pageSize: number,
): Promise<{ items: Feedback[]; total: number; flagged: Set<string> }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('feedback')
      .selectAll()
      .where('service_key', '=', serviceKey)
      .orderBy('created_at', 'desc')
      .orderBy('feedback_id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('feedback')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('service_key', '=', serviceKey)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map(toFeedback),
    total: Number(count.n),
    flagged: new Set(rows.filter((r) => r.flagged_at).map((r) => r.feedback_id)),
  };
}

/** One story as its moderators and safeguarding contact see it: original, masked, flags, actions. */
export interface ModeratedStory extends Feedback {
  masks: FeedbackMasks;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
  harm: HarmFinding[];
  flaggedAt: Date | null;
  criticality: number | null;
  firstAction: string | null;
  firstActionNote: string | null;
  firstActionAt: Date | null;
  firstActionBy: string | null;
  secondsToFirstAction: number | null;
}

const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function toModeratedStory(
  row: Selectable<FeedbackTable> & { first_action_by_name: string | null },
): ModeratedStory {
  return {
    ...toFeedback(row),
    masks: parsed(row.masks),
    maskedWhatWasGood: row.masked_what_was_good,
    maskedWhatCouldBeBetter: row.masked_what_could_be_better,
    harm: parsed(row.harm),
    flaggedAt: row.flagged_at,
    criticality: row.criticality,
    firstAction: row.first_action,
    firstActionNote: row.first_action_note,
    firstActionAt: row.first_action_at,
    firstActionBy: row.first_action_by_name,
    secondsToFirstAction: row.seconds_to_first_action,
  };
}

const stories = (db: Kysely<DB>) =>
  db
    .selectFrom('feedback as f')
    .leftJoin('user_account as u', 'u.user_id', 'f.first_action_by_user_id')
    .selectAll('f')
    .select('u.display_name as first_action_by_name');

export async function storyById(
  db: Kysely<DB>,
  serviceKey: string,
  feedbackId: string,
): Promise<ModeratedStory | null> {
  const row = await stories(db)
    .where('f.service_key', '=', serviceKey)
    .where('f.feedback_id', '=', feedbackId)
    .executeTakeFirst();
  return row ? toModeratedStory(row) : null;
}

export async function updateMasks(
  db: Kysely<DB>,
  feedbackId: string,
  masks: FeedbackMasks,
  masked: { whatWasGood: string; whatCouldBeBetter: string },
): Promise<void> {
  await db
    .updateTable('feedback')
    .set({
      masks: JSON.stringify(masks),
      masked_what_was_good: masked.whatWasGood,
      masked_what_could_be_better: masked.whatCouldBeBetter,
    })
    .where('feedback_id', '=', feedbackId)
    .execute();
}

export async function setCriticality(db: Kysely<DB>, feedbackId: string, level: number): Promise<void> {
  await db
    .updateTable('feedback')
    .set({ criticality: level })
    .where('feedback_id', '=', feedbackId)
    .execute();
}

/** Records the first action on a flagged story; false when one was recorded already (the clock stopped). */
export async function recordFirstAction(
  db: Kysely<DB>,
  feedbackId: string,
  a: { action: string; note: string; userId: string; at: Date; seconds: number },
): Promise<boolean> {
  const result = await db
    .updateTable('feedback')
    .set({
      first_action: a.action,
      first_action_note: a.note,
      first_action_by_user_id: a.userId,
      first_action_at: a.at.toISOString(),
      seconds_to_first_action: a.seconds,
    })
    .where('feedback_id', '=', feedbackId)
    .where('flagged_at', 'is not', null)
    .where('first_action', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The flagged stories of the services whose safeguarding contact the user is: waiting first, oldest first. */
export async function flaggedFor(
  db: Kysely<DB>,
  userId: string,
): Promise<(ModeratedStory & { service: FeedbackService })[]> {
  const keyed = await services(db).where('s.safeguarding_user_id', '=', userId).execute();
  if (!keyed.length) return [];
  const rows = await stories(db)
    .where(
      'f.service_key',
      'in',
      keyed.map((s) => s.serviceKey),
    )
    .where('f.flagged_at', 'is not', null)
    .orderBy(sql`f.first_action is null`, 'desc')
    .orderBy('f.flagged_at', 'asc')
    .limit(500)
    .execute();
  const byKey = new Map(keyed.map((s) => [s.serviceKey, s]));
  return rows.map((r) => ({ ...toModeratedStory(r), service: byKey.get(r.service_key) as FeedbackService }));
}

export async function setSafeguardingContact(
  db: Kysely<DB>,
  serviceKey: string,
  userId: string | null,
): Promise<void> {
  await db
    .updateTable('feedback_service')
    .set({ safeguarding_user_id: userId })
    .where('service_key', '=', serviceKey)
    .execute();
}

/** The active users with a role in the organisation: who may be named its safeguarding contact. */
export async function organisationUsers(
  db: Kysely<DB>,
  organisationId: string,
): Promise<{ userId: string; displayName: string; jobTitle: string | null }[]> {
  return db
    .selectFrom('user_account as u')
    .select(['u.user_id as userId', 'u.display_name as displayName', 'u.job_title as jobTitle'])
    .where('u.disabled_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role as r')
          .select('r.user_id')
          .whereRef('r.user_id', '=', 'u.user_id')
          .where('r.organisation_id', '=', organisationId),
      ),
    )
    .orderBy('u.display_name')
    .orderBy('u.user_id')
    .execute();
}

export async function userDisplayName(db: Kysely<DB>, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('user_account')
    .select('display_name')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.display_name ?? null;
}
