import type { Kysely, Selectable } from 'kysely';
import type {
  AttendanceOutcome,
  DeclineReason,
  ReferralKind,
  ReferralStatus,
} from '../../domain/community/referrals.js';
import type { Need, ResourceKind } from '../../domain/community/vocabulary.js';
import type { Viewpoint } from '../../domain/ratings.js';
import { STAFF_ROLES } from '../../domain/roles.js';
import { byPerson, personIdsOf } from '../../store/by-person.js';
import type { DB } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';
import type { Attendance, CommunityReferral, ReceivedReferral } from './schema.js';

/**
 * The referral feature's SQL. Reads of one person's referrals take a RecordScope, which only an
 * access check hands out. The organisation's side reads by resource organisation instead: the
 * service has decided, by domain/community/referral-access.ts, that the actor works there, and
 * these reads return only what a referral passes (never the rest of the record).
 */

/** A referral as stored: everything but what the reader may do with it, which the service adds. */
export type StoredReferral = Omit<CommunityReferral, 'actions'>;
export type StoredReceivedReferral = Omit<ReceivedReferral, 'actions'>;

const dateText = (value: string | Date): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

/** Every referral's columns with the resource's public facts and the names shown beside them. */
function selectReferrals(db: Kysely<DB>) {
  return db
    .selectFrom('community_referral as r')
    .innerJoin('community_resource as res', 'res.resource_id', 'r.resource_id')
    .innerJoin('organisation as o', 'o.organisation_id', 'res.organisation_id')
    .leftJoin('personal_outcome as po', (join) =>
      join.onRef('po.person_id', '=', 'r.person_id').onRef('po.outcome_id', '=', 'r.outcome_id'),
    )
    .leftJoin('user_account as c', 'c.user_id', 'r.created_by_user_id')
    .leftJoin('user_account as rb', 'rb.user_id', 'r.responded_by_user_id')
    .selectAll('r')
    .select([
      'res.name as resource_name',
      'res.kind as resource_kind',
      'res.organisation_id as organisation_id',
      'res.phone as resource_phone',
      'res.email as resource_email',
      'res.how_to_refer as how_to_refer',
      'o.name as organisation_name',
      'po.statement as outcome_statement',
      'c.display_name as created_by',
      'rb.display_name as responded_by',
    ]);
}

type ReferralRow = Selectable<DB['community_referral']> & {
  resource_name: string;
  resource_kind: string;
  organisation_id: string;
  resource_phone: string | null;
  resource_email: string | null;
  how_to_refer: string;
  organisation_name: string;
  outcome_statement: string | null;
  created_by: string | null;
  responded_by: string | null;
};

type AttendanceRow = Selectable<DB['community_attendance']> & { recorded_by: string | null };

/** The one mapping of a community_attendance row (with who recorded it). */
export function rowToAttendance(row: AttendanceRow): Attendance {
  return {
    attendanceId: row.attendance_id,
    attendedOn: dateText(row.attended_on as string | Date),
    outcome: row.outcome as AttendanceOutcome,
    note: row.note,
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

/** The one mapping of a community_referral row (with its resource and names) and its attendance. */
export function rowToReferral(row: ReferralRow, attendance: Attendance[]): StoredReferral {
  return {
    referralId: row.referral_id,
    personId: row.person_id,
    resource: {
      resourceId: row.resource_id,
      name: row.resource_name,
      kind: row.resource_kind as ResourceKind,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      phone: row.resource_phone,
      email: row.resource_email,
      howToRefer: row.how_to_refer,
    },
    kind: row.kind as ReferralKind,
    madeBy: row.made_by as Viewpoint,
    needs: row.needs as Need[],
    reason: row.reason,
    shareConsent: row.share_consent,
    outcome:
      row.outcome_id && row.outcome_statement !== null
        ? { outcomeId: row.outcome_id, statement: row.outcome_statement }
        : null,
    status: row.status as ReferralStatus,
    declineReason: row.decline_reason as DeclineReason | null,
    statusNote: row.status_note,
    respondedBy: row.responded_by,
    respondedAt: row.responded_at ? new Date(row.responded_at).toISOString() : null,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    version: row.version,
    attendance,
  };
}

/** Attendance of the given referrals of one person, oldest first, grouped by referral. */
async function attendanceOf(
  db: Kysely<DB>,
  personId: string,
  referralIds: readonly string[],
): Promise<Map<string, Attendance[]>> {
  if (!referralIds.length) return new Map();
  const rows = await db
    .selectFrom('community_attendance as a')
    .leftJoin('user_account as u', 'u.user_id', 'a.recorded_by_user_id')
    .selectAll('a')
    .select('u.display_name as recorded_by')
    .where('a.person_id', '=', personId)
    .where('a.referral_id', 'in', referralIds)
    .orderBy('a.attended_on')
    .orderBy('a.attendance_id')
    .execute();
  return groupAttendance(rows);
}

function groupAttendance(rows: AttendanceRow[]): Map<string, Attendance[]> {
  const grouped = new Map<string, Attendance[]>();
  for (const row of rows) {
    const list = grouped.get(row.referral_id) ?? [];
    list.push(rowToAttendance(row));
    grouped.set(row.referral_id, list);
  }
  return grouped;
}

/** The distinct people of the scopes, for an `in` list. */
/** Every referral and signpost the person has, newest first, with attendance: two statements, always. */
export async function referralsOf(db: Kysely<DB>, scope: RecordScope): Promise<StoredReferral[]> {
  return (await referralsOfEach(db, [scope])).get(scope.personId) ?? [];
}

/**
 * The same for each of many people (bulk export), by person, each newest first as `referralsOf`
 * gives it: two statements however many people and referrals; none when there are no scopes.
 * People with no referrals are left out.
 */
export async function referralsOfEach(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, StoredReferral[]>> {
  const personIds = personIdsOf(scopes);
  const referrals = new Map<string, StoredReferral[]>();
  if (!personIds.length) return referrals;
  const [rows, attendanceRows] = await Promise.all([
    selectReferrals(db)
      .where('r.person_id', 'in', personIds)
      .orderBy('r.created_at', 'desc')
      .orderBy('r.referral_id')
      .execute(),
    db
      .selectFrom('community_attendance as a')
      .leftJoin('user_account as u', 'u.user_id', 'a.recorded_by_user_id')
      .selectAll('a')
      .select('u.display_name as recorded_by')
      .where('a.person_id', 'in', personIds)
      .orderBy('a.attended_on')
      .orderBy('a.attendance_id')
      .execute(),
  ]);
  const attendance = new Map<string, Map<string, Attendance[]>>();
  for (const [personId, own] of byPerson(attendanceRows, (r) => r.person_id))
    attendance.set(personId, groupAttendance(own));
  for (const [personId, own] of byPerson(rows, (r) => r.person_id)) {
    const ofPerson = attendance.get(personId);
    referrals.set(
      personId,
      own.map((r) => rowToReferral(r, ofPerson?.get(r.referral_id) ?? [])),
    );
  }
  return referrals;
}

/**
 * One referral, to decide who may act on it. Read by ids alone: the service shows it to no one
 * before its own check (the record's rule, or the organisation's).
 */
export async function referralById(
  db: Kysely<DB>,
  personId: string,
  referralId: string,
): Promise<StoredReferral | undefined> {
  const row = await selectReferrals(db)
    .where('r.person_id', '=', personId)
    .where('r.referral_id', '=', referralId)
    .executeTakeFirst();
  if (!row) return undefined;
  const attendance = await attendanceOf(db, personId, [referralId]);
  return rowToReferral(row, attendance.get(referralId) ?? []);
}

/** The person's details a referral passes to the organisation (SPIS referral details), and no more. */
async function passedDetails(db: Kysely<DB>, personIds: readonly string[]) {
  if (!personIds.length) return new Map<string, StoredReceivedReferral['person']>();
  const rows = await db
    .selectFrom('person')
    .select(['person_id', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'phone', 'email'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Map(
    rows.map((p) => [
      p.person_id,
      {
        name:
          [p.given_name, p.family_name].filter(Boolean).join(' ') +
          (p.preferred_name && p.preferred_name !== p.given_name ? ` (known as ${p.preferred_name})` : ''),
        dateOfBirth: p.date_of_birth ? dateText(p.date_of_birth as string | Date) : null,
        phone: p.phone,
        email: p.email,
      },
    ]),
  );
}

/**
 * The referrals that reached these organisations' resources: referrals (never signposts) the person
 * agreed to share. Waiting ones first, then the newest; each with only the details it passes.
 */
export async function referralsReceivedBy(
  db: Kysely<DB>,
  organisationIds: readonly string[],
): Promise<StoredReceivedReferral[]> {
  if (!organisationIds.length) return [];
  const rows = await selectReferrals(db)
    .where('res.organisation_id', 'in', organisationIds)
    .where('r.kind', '=', 'referral')
    .where('r.share_consent', '=', true)
    .orderBy((eb) => eb.case().when('r.status', '=', 'sent').then(0).else(1).end())
    .orderBy('r.created_at', 'desc')
    .orderBy('r.referral_id')
    .execute();
  const people = await passedDetails(db, [...new Set(rows.map((r) => r.person_id))]);
  const byPerson = new Map<string, string[]>();
  for (const r of rows) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r.referral_id]);
  const attendance = new Map<string, Attendance[]>();
  for (const [personId, ids] of byPerson) {
    for (const [id, list] of await attendanceOf(db, personId, ids)) attendance.set(id, list);
  }
  return rows.flatMap((r) => {
    const person = people.get(r.person_id);
    return person ? [{ ...rowToReferral(r, attendance.get(r.referral_id) ?? []), person }] : [];
  });
}

/** One received referral with the details it passes (the service has checked the organisation). */
export async function receivedReferral(
  db: Kysely<DB>,
  referral: StoredReferral,
): Promise<StoredReceivedReferral | undefined> {
  const person = (await passedDetails(db, [referral.personId])).get(referral.personId);
  return person ? { ...referral, person } : undefined;
}

/** The person's outcomes with the codes of their domains: what a referral may be for, and a search's filter. */
export async function outcomesWithDomains(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<{ outcomeId: string; statement: string; status: string; domainCodes: string[] }[]> {
  const rows = await db
    .selectFrom('personal_outcome as po')
    .leftJoin('personal_outcome_domain as pod', (join) =>
      join.onRef('pod.person_id', '=', 'po.person_id').onRef('pod.outcome_id', '=', 'po.outcome_id'),
    )
    .leftJoin('outcome_domain as d', 'd.domain_id', 'pod.domain_id')
    .select(['po.outcome_id', 'po.statement', 'po.status', 'd.code', 'po.created_at'])
    .where('po.person_id', '=', scope.personId)
    .orderBy('po.created_at')
    .orderBy('po.outcome_id')
    .orderBy('d.sort_order')
    .execute();
  const byId = new Map<
    string,
    { outcomeId: string; statement: string; status: string; domainCodes: string[] }
  >();
  for (const r of rows) {
    const o = byId.get(r.outcome_id) ?? {
      outcomeId: r.outcome_id,
      statement: r.statement,
      status: r.status,
      domainCodes: [],
    };
    if (r.code && !o.domainCodes.includes(r.code)) o.domainCodes.push(r.code);
    byId.set(r.outcome_id, o);
  }
  return [...byId.values()];
}

/** Where the person lives, for searching near them; null when not recorded. */
export async function postcodeOf(db: Kysely<DB>, scope: RecordScope): Promise<string | null> {
  const row = await db
    .selectFrom('person')
    .select('postcode')
    .where('person_id', '=', scope.personId)
    .executeTakeFirst();
  return row?.postcode ?? null;
}

export interface NewReferral {
  referralId: string;
  resourceId: string;
  outcomeId: string | null;
  kind: ReferralKind;
  madeBy: Viewpoint;
  needs: Need[];
  reason: string;
  shareConsent: boolean;
  status: ReferralStatus;
  createdByUserId: string;
}

/** A referral's columns as it is made: the one mapping, which a restored referral adds its answer to. */
const referralRow = (personId: string, r: NewReferral) => ({
  person_id: personId,
  referral_id: r.referralId,
  resource_id: r.resourceId,
  outcome_id: r.outcomeId,
  kind: r.kind,
  made_by: r.madeBy,
  needs: r.needs,
  reason: r.reason,
  share_consent: r.shareConsent,
  status: r.status,
  created_by_user_id: r.createdByUserId,
});

/** The one way a referral is written (the service; the demo builds its rows through it too). */
export async function insertReferrals(
  db: Kysely<DB>,
  scope: RecordScope,
  referrals: readonly NewReferral[],
): Promise<void> {
  if (!referrals.length) return;
  await db
    .insertInto('community_referral')
    .values(referrals.map((r) => referralRow(scope.personId, r)))
    .execute();
}

/**
 * Moves a referral on, from the version it was read at: false when someone changed it since (or it
 * is not there), so nothing is overwritten.
 */
export async function updateReferralStatus(
  db: Kysely<DB>,
  referral: { personId: string; referralId: string; version: number },
  change: {
    status: ReferralStatus;
    declineReason: DeclineReason | null;
    note: string;
    byUserId: string;
    at: Date;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('community_referral')
    .set((eb) => ({
      status: change.status,
      decline_reason: change.declineReason,
      status_note: change.note,
      responded_by_user_id: change.byUserId,
      responded_at: change.at,
      updated_at: change.at,
      version: eb('version', '+', 1),
    }))
    .where('person_id', '=', referral.personId)
    .where('referral_id', '=', referral.referralId)
    .where('version', '=', referral.version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Whether attendance on that day is already recorded for the referral. */
export async function attendanceOnDay(
  db: Kysely<DB>,
  referral: { personId: string; referralId: string },
  day: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('community_attendance')
    .select('attendance_id')
    .where('person_id', '=', referral.personId)
    .where('referral_id', '=', referral.referralId)
    .where('attended_on', '=', day)
    .executeTakeFirst();
  return !!row;
}

/** An attendance as it is recorded. */
export interface NewAttendance {
  attendanceId: string;
  attendedOn: string;
  outcome: AttendanceOutcome;
  note: string;
  recordedByUserId: string;
}

/** An attendance's columns as it is recorded: the one mapping, which a restored one adds its time to. */
const attendanceRow = (referral: { personId: string; referralId: string }, a: NewAttendance) => ({
  person_id: referral.personId,
  attendance_id: a.attendanceId,
  referral_id: referral.referralId,
  attended_on: a.attendedOn,
  outcome: a.outcome,
  note: a.note,
  recorded_by_user_id: a.recordedByUserId,
});

export async function insertAttendance(
  db: Kysely<DB>,
  referral: { personId: string; referralId: string },
  attendance: NewAttendance,
): Promise<void> {
  await db.insertInto('community_attendance').values(attendanceRow(referral, attendance)).execute();
}

/** An account that made, answered or recorded something: its id, name, and whether a system's (an import, an API client). */
export interface ReferralAccount {
  userId: string;
  name: string;
  system: boolean;
  /** A member of staff's (a staff role): only those are Practitioners over FHIR, not a person's or a carer's own account. */
  staff: boolean;
}

/** Who made, answered and recorded what in one person's record, by referral and attendance id. */
export interface ReferralAccounts {
  createdBy: Map<string, ReferralAccount>;
  respondedBy: Map<string, ReferralAccount>;
  attendanceRecordedBy: Map<string, ReferralAccount>;
}

/** Accounts of a record with no referrals: nothing made, answered or recorded. */
export const noReferralAccounts = (): ReferralAccounts => ({
  createdBy: new Map(),
  respondedBy: new Map(),
  attendanceRecordedBy: new Map(),
});

/**
 * Who made and who answered each of the person's referrals, and who recorded each attendance, as
 * accounts (ids, not only the names the pages show): for FHIR, whose references name the
 * Practitioner (features/community-referrals/fhir-service-request.ts, fhir-task.ts).
 */
export async function referralAccountsOf(db: Kysely<DB>, scope: RecordScope): Promise<ReferralAccounts> {
  return (await referralAccountsOfEach(db, [scope])).get(scope.personId) ?? noReferralAccounts();
}

/**
 * The same for each of many people (bulk export), by person: three statements however many
 * people there are; none when there are no scopes. People with no referrals are left out.
 */
export async function referralAccountsOfEach(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, ReferralAccounts>> {
  const personIds = personIdsOf(scopes);
  const byPerson = new Map<string, ReferralAccounts>();
  if (!personIds.length) return byPerson;
  const [referrals, attendance] = await Promise.all([
    db
      .selectFrom('community_referral as r')
      .innerJoin('user_account as c', 'c.user_id', 'r.created_by_user_id')
      .leftJoin('user_account as rb', 'rb.user_id', 'r.responded_by_user_id')
      .select([
        'r.person_id',
        'r.referral_id',
        'r.created_by_user_id',
        'c.display_name as created_by',
        'c.username as created_by_username',
        'r.responded_by_user_id',
        'rb.display_name as responded_by',
        'rb.username as responded_by_username',
      ])
      .where('r.person_id', 'in', personIds)
      .execute(),
    db
      .selectFrom('community_attendance as a')
      .innerJoin('user_account as u', 'u.user_id', 'a.recorded_by_user_id')
      .select(['a.person_id', 'a.attendance_id', 'a.recorded_by_user_id', 'u.display_name', 'u.username'])
      .where('a.person_id', 'in', personIds)
      .execute(),
  ]);
  const userIds = [
    ...new Set([
      ...referrals.flatMap((r) => [
        r.created_by_user_id,
        ...(r.responded_by_user_id ? [r.responded_by_user_id] : []),
      ]),
      ...attendance.map((a) => a.recorded_by_user_id),
    ]),
  ];
  const staffIds = new Set(
    userIds.length
      ? (
          await db
            .selectFrom('user_role')
            .select('user_id')
            .distinct()
            .where('user_id', 'in', userIds)
            .where('role', 'in', STAFF_ROLES)
            .execute()
        ).map((r) => r.user_id)
      : [],
  );
  const account = (userId: string, name: string | null, username: string | null): ReferralAccount => ({
    userId,
    name: name ?? '',
    system: (username ?? '').startsWith('client:'),
    staff: staffIds.has(userId),
  });
  const accountsOf = (personId: string): ReferralAccounts => {
    let accounts = byPerson.get(personId);
    if (!accounts) {
      accounts = noReferralAccounts();
      byPerson.set(personId, accounts);
    }
    return accounts;
  };
  for (const r of referrals) {
    const { createdBy, respondedBy } = accountsOf(r.person_id);
    createdBy.set(r.referral_id, account(r.created_by_user_id, r.created_by, r.created_by_username));
    if (r.responded_by_user_id)
      respondedBy.set(
        r.referral_id,
        account(r.responded_by_user_id, r.responded_by, r.responded_by_username),
      );
  }
  for (const a of attendance) {
    accountsOf(a.person_id).attendanceRecordedBy.set(
      a.attendance_id,
      account(a.recorded_by_user_id, a.display_name, a.username),
    );
  }
  return byPerson;
}

/** A referral as bulk import restores it (features/community-referrals/import-writes.ts). */
export interface RestoredReferralRow extends NewReferral {
  personId: string;
  declineReason: DeclineReason | null;
  statusNote: string;
  respondedByUserId: string | null;
  respondedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  version: number;
}

/** Restored referrals, as they were (ids, status, answer, who and when); a row held already is left. */
export async function insertRestoredReferrals(
  db: Kysely<DB>,
  rows: readonly RestoredReferralRow[],
): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('community_referral')
    .values(
      rows.map((r) => ({
        ...referralRow(r.personId, r),
        decline_reason: r.declineReason,
        status_note: r.statusNote,
        responded_by_user_id: r.respondedByUserId,
        responded_at: r.respondedAt,
        ...(r.createdAt ? { created_at: r.createdAt } : {}),
        ...(r.updatedAt ? { updated_at: r.updatedAt } : {}),
        version: r.version,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** An attendance as bulk import restores it. */
export interface RestoredAttendanceRow extends NewAttendance {
  personId: string;
  referralId: string;
  recordedAt: string | null;
}

export async function insertRestoredAttendance(
  db: Kysely<DB>,
  rows: readonly RestoredAttendanceRow[],
): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('community_attendance')
    .values(
      rows.map((a) => ({
        ...attendanceRow(a, a),
        ...(a.recordedAt ? { recorded_at: a.recordedAt } : {}),
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}
