import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import { organisationMemberships } from '../record-access/person-access.js';

/**
 * The CSV exchange's own queries: which records an organisation holds, and its feedback. Writes go
 * through the owning features' store functions (people, outcomes, plans) inside the service's
 * per-row transaction.
 */

/**
 * The people whose record the organisation holds: a current care-team membership of the
 * organisation that a sharing basis in force for that organisation covers, the rule by which its
 * staff see a record, asked of the organisation as a whole (`organisationMemberships`, the same
 * rule a system client acting for the organisation sees by). One row per person, with the support the organisation gives (its earliest membership).
 */
export function heldPeople(db: Kysely<DB>, organisationId: string) {
  return organisationMemberships(db, organisationId).innerJoin('person as p', 'p.person_id', 'm.person_id');
}

export interface HeldPerson {
  personId: string;
  nhsNumber: string | null;
  supportKind: string;
}

/** Every person the organisation holds, by NHS number then id. */
export async function heldPeopleOf(db: Kysely<DB>, organisationId: string): Promise<HeldPerson[]> {
  const rows = await heldPeople(db, organisationId)
    .select(['p.person_id', 'p.nhs_number', 'm.support_kind'])
    .distinctOn(['p.nhs_number', 'p.person_id'])
    .orderBy('p.nhs_number')
    .orderBy('p.person_id')
    .orderBy('m.start_date')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, nhsNumber: r.nhs_number, supportKind: r.support_kind }));
}

/** The person with this NHS number, if the organisation holds their record. */
export async function heldPersonWithNhsNumber(
  db: Kysely<DB>,
  organisationId: string,
  nhsNumber: string,
): Promise<string | null> {
  const row = await heldPeople(db, organisationId)
    .select('p.person_id')
    .where('p.nhs_number', '=', nhsNumber)
    .limit(1)
    .executeTakeFirst();
  return row?.person_id ?? null;
}

export async function organisationName(db: Kysely<DB>, organisationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('organisation')
    .select('name')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.name ?? null;
}

export async function teamInOrganisation(
  db: Kysely<DB>,
  organisationId: string,
  teamId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('team')
    .select('team_id')
    .where('team_id', '=', teamId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return !!row;
}

/** The organisation's feedback (its own and its teams'), as the feedback file's fields, oldest first. */
export async function feedbackOf(db: Kysely<DB>, organisationId: string, teamId: string | null) {
  const rows = await db
    .selectFrom('feedback as f')
    .innerJoin('feedback_service as s', 's.service_key', 'f.service_key')
    .select([
      'f.feedback_id',
      'f.source_id',
      'f.received_on',
      'f.fft',
      'f.masked_what_was_good',
      'f.masked_what_could_be_better',
      'f.writer',
      'f.age_band',
      'f.consent_to_publish',
    ])
    .where('s.organisation_id', '=', organisationId)
    .$if(teamId !== null, (q) => q.where('s.team_id', '=', teamId as string))
    .orderBy('f.received_on')
    .orderBy('f.feedback_id')
    .execute();
  // The stories as moderators see them: personal information masked (features/feedback).
  return rows.map((r) => ({
    sourceId: r.source_id ?? r.feedback_id,
    receivedOn: r.received_on,
    fft: r.fft,
    whatWasGood: r.masked_what_was_good,
    whatCouldBeBetter: r.masked_what_could_be_better,
    writer: r.writer,
    ageBand: r.age_band,
    consentToPublish: r.consent_to_publish,
  }));
}
