import { type Kysely, type Selectable, sql } from 'kysely';
import type { FeedbackServiceRef } from '../../domain/feedback/access.js';
import type { FeedbackChannel } from '../../domain/feedback/vocabulary.js';
import type { DB, FeedbackTable } from '../../store/schema.js';
import type { Feedback, FeedbackStory } from './schema.js';

/** A service that collects feedback, with its public key and the names its form shows. */
export interface FeedbackService extends FeedbackServiceRef {
  serviceKey: string;
  teamName: string | null;
  organisationName: string;
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
): Promise<{ items: Feedback[]; total: number }> {
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
  return { items: rows.map(toFeedback), total: Number(count.n) };
}
