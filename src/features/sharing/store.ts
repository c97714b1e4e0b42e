import type { Insertable, Kysely, Selectable } from 'kysely';
import type { SharingBasisKind } from '../../domain/sharing.js';
import { byPerson, personIdsOf } from '../../store/by-person.js';
import { fixedQuery } from '../../store/fixed-query.js';
import type { DB, SharingBasisTable } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';
import type { BreakGlassReportEntry, SharingBasis } from './schema.js';

/** The sharing feature's queries: recorded bases for sharing a record, and break-glass grants. */

type SharingBasisRead = Selectable<SharingBasisTable> & {
  organisation_name: string;
  recorded_by: string;
  withdrawn_by: string | null;
};

export function rowToSharingBasis(r: SharingBasisRead): SharingBasis {
  return {
    basisId: r.basis_id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    basis: r.basis as SharingBasisKind,
    purpose: r.purpose,
    note: r.note,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at.toISOString(),
    withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
    withdrawnBy: r.withdrawn_by,
    withdrawalReason: r.withdrawal_reason,
  };
}

/**
 * Every basis recorded for the records the caller narrows it to, withdrawn ones too: in force
 * first, then by organisation (then by id, so bases alike in both come in one order every time).
 */
const sharingBasesSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('sharing_basis as b')
    .innerJoin('organisation as o', 'o.organisation_id', 'b.organisation_id')
    .innerJoin('user_account as r', 'r.user_id', 'b.recorded_by_user_id')
    .leftJoin('user_account as w', 'w.user_id', 'b.withdrawn_by_user_id')
    .selectAll('b')
    .select([
      'o.name as organisation_name',
      'r.display_name as recorded_by',
      'r.username as recorded_by_username',
      'w.display_name as withdrawn_by',
      'w.username as withdrawn_by_username',
      'w.person_id as withdrawn_by_person_id',
    ])
    .orderBy('b.withdrawn_at', 'desc')
    .orderBy('o.name')
    .orderBy('b.basis_id');

/** Every basis recorded for the person's record, withdrawn ones too, in force first. */
const sharingBasesQuery = fixedQuery((db, v: { personId: string }) =>
  sharingBasesSelect(db).where('b.person_id', '=', v.personId),
);

export async function sharingBasesOf(db: Kysely<DB>, scope: RecordScope): Promise<SharingBasis[]> {
  const rows = await sharingBasesQuery.rows(db, { personId: scope.personId });
  return rows.map(rowToSharingBasis);
}

/** Whether a basis naming this organisation is in force for the person's record. */
export async function hasActiveBasis(
  db: Kysely<DB>,
  scope: RecordScope,
  organisationId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('sharing_basis')
    .select('basis_id')
    .where('person_id', '=', scope.personId)
    .where('organisation_id', '=', organisationId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function organisationExists(db: Kysely<DB>, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A basis for sharing a person's record as it was recorded, and withdrawn if it was. */
export interface SharingBasisRow {
  personId: string;
  basisId: string;
  organisationId: string;
  basis: SharingBasisKind;
  purpose: string;
  note: string;
  recordedByUserId: string;
  /** Absent: now. */
  recordedAt?: string;
  /** Null (or absent) while in force. */
  withdrawal?: { at?: string; byUserId: string; reason: string | null } | null;
}

/** The one mapping of a basis to its row: recording one, and restoring one an import brings. */
export function sharingBasisRow(b: SharingBasisRow): Insertable<SharingBasisTable> {
  return {
    person_id: b.personId,
    basis_id: b.basisId,
    organisation_id: b.organisationId,
    basis: b.basis,
    purpose: b.purpose,
    note: b.note,
    recorded_by_user_id: b.recordedByUserId,
    ...(b.recordedAt ? { recorded_at: b.recordedAt } : {}),
    ...(b.withdrawal
      ? {
          withdrawn_at: b.withdrawal.at ?? new Date(),
          withdrawn_by_user_id: b.withdrawal.byUserId,
          withdrawal_reason: b.withdrawal.reason,
        }
      : {}),
  };
}

export async function insertSharingBasis(
  db: Kysely<DB>,
  scope: RecordScope,
  row: Omit<SharingBasisRow, 'personId' | 'recordedAt' | 'withdrawal'>,
): Promise<void> {
  await db
    .insertInto('sharing_basis')
    .values(sharingBasisRow({ personId: scope.personId, ...row }))
    .execute();
}

/** Withdraws a basis still in force; false when there is none with that id. */
export async function withdrawSharingBasis(
  db: Kysely<DB>,
  scope: RecordScope,
  basisId: string,
  withdrawal: { byUserId: string; reason: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('sharing_basis')
    .set({
      withdrawn_at: new Date(),
      withdrawn_by_user_id: withdrawal.byUserId,
      withdrawal_reason: withdrawal.reason,
    })
    .where('person_id', '=', scope.personId)
    .where('basis_id', '=', basisId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertBreakGlassGrant(
  db: Kysely<DB>,
  scope: RecordScope,
  grant: { grantId: string; userId: string; reason: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('break_glass_grant')
    .values({
      person_id: scope.personId,
      grant_id: grant.grantId,
      user_id: grant.userId,
      reason: grant.reason,
      expires_at: grant.expiresAt,
    })
    .execute();
}

/**
 * Break-glass grants since a moment, newest first: all of them (`teamIds` null, for admins), or
 * those on people whose current care team includes one of the teams.
 */
export async function breakGlassGrantsSince(
  db: Kysely<DB>,
  since: Date,
  teamIds: string[] | null,
  limit: number,
): Promise<BreakGlassReportEntry[]> {
  let query = db
    .selectFrom('break_glass_grant as g')
    .innerJoin('person as p', 'p.person_id', 'g.person_id')
    .innerJoin('user_account as u', 'u.user_id', 'g.user_id')
    .select([
      'g.person_id',
      'p.given_name',
      'p.family_name',
      'u.display_name',
      'g.reason',
      'g.granted_at',
      'g.expires_at',
    ])
    .where('g.granted_at', '>', since);
  if (teamIds) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('care_team_member as m')
          .select('m.member_id')
          .whereRef('m.person_id', '=', 'g.person_id')
          .where('m.team_id', 'in', teamIds)
          .where('m.end_date', 'is', null),
      ),
    );
  }
  const rows = await query.orderBy('g.granted_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    personId: r.person_id,
    personName: `${r.given_name} ${r.family_name}`,
    userName: r.display_name,
    reason: r.reason,
    grantedAt: r.granted_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
  }));
}

/** A basis as `sharingBasesOf` gives it, with the version and the accounts FHIR shows (migration 0029). */
export type VersionedSharingBasis = SharingBasis & {
  versionId: number;
  lastUpdated: Date;
  /** The account that recorded it (FHIR names a member of staff; a system client's by name only). */
  recordedByAccount: { userId: string; name: string; system: boolean };
  /** The account that withdrew it; `personId` is set for a person's own (or a carer's) account. */
  withdrawnByAccount?: { userId: string; name: string; system: boolean; personId: string | null };
};

type SharingBasisReadWithAccounts = SharingBasisRead & {
  recorded_by_username: string;
  withdrawn_by_username: string | null;
  withdrawn_by_person_id: string | null;
};

function rowToVersionedSharingBasis(r: SharingBasisReadWithAccounts): VersionedSharingBasis {
  return {
    ...rowToSharingBasis(r),
    versionId: r.version_id,
    lastUpdated: r.last_updated,
    recordedByAccount: {
      userId: r.recorded_by_user_id,
      name: r.recorded_by,
      system: r.recorded_by_username.startsWith('client:'),
    },
    ...(r.withdrawn_by_user_id && r.withdrawn_by !== null && r.withdrawn_by_username !== null
      ? {
          withdrawnByAccount: {
            userId: r.withdrawn_by_user_id,
            name: r.withdrawn_by,
            system: r.withdrawn_by_username.startsWith('client:'),
            personId: r.withdrawn_by_person_id,
          },
        }
      : {}),
  };
}

/** Every basis as `sharingBasesOf` gives it, with the version FHIR shows (migration 0029). */
export async function versionedSharingBasesOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<VersionedSharingBasis[]> {
  const rows = await sharingBasesQuery.rows(db, { personId: scope.personId });
  return rows.map(rowToVersionedSharingBasis);
}

/**
 * `versionedSharingBasesOf` for many records at once, by person, in one query (the same one,
 * narrowed to the people by an `in` list instead of one person), each person's in the same order.
 * People with no basis are left out; no scopes, no query.
 */
export async function versionedSharingBasesOfEach(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, VersionedSharingBasis[]>> {
  if (scopes.length === 0) return new Map();
  const rows = await sharingBasesSelect(db).where('b.person_id', 'in', personIdsOf(scopes)).execute();
  return byPerson(rows, (r) => r.person_id, rowToVersionedSharingBasis);
}
