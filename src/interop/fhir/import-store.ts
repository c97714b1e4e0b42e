import type { Insertable, Kysely } from 'kysely';
import { insertJsonRows } from '../../store/json-rows.js';
import type { DB } from '../../store/schema.js';

/**
 * The reads bulk import (bulk-import.ts) makes on the whole database as a system job: which of a
 * batch's people are held already, whose NHS numbers another person holds, and the organisation
 * people are registered into. Writes go through the features' own store functions.
 */

/** The people of `personIds` already held (an earlier import): they are left as they are. */
export async function heldPeople(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('person')
    .select('person_id')
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

/** NHS numbers of `nhsNumbers` held, with the person holding each. */
export async function nhsNumberHolders(db: Kysely<DB>, nhsNumbers: string[]): Promise<Map<string, string>> {
  if (nhsNumbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('person_nhs_number')
    .select(['nhs_number', 'person_id'])
    .where('nhs_number', 'in', nhsNumbers)
    .execute();
  return new Map(rows.map((r) => [r.nhs_number, r.person_id]));
}

/** The hosting organisation: the first created, or null in an empty database. */
export async function firstOrganisation(
  db: Kysely<DB>,
): Promise<{ organisationId: string; name: string } | null> {
  const row = await db
    .selectFrom('organisation')
    .select(['organisation_id', 'name'])
    .orderBy('created_at')
    .orderBy('organisation_id')
    .limit(1)
    .executeTakeFirst();
  return row ? { organisationId: row.organisation_id, name: row.name } : null;
}

/** The names of the organisations of `organisationIds` held here, by id. */
export async function organisationNames(
  db: Kysely<DB>,
  organisationIds: string[],
): Promise<Map<string, string>> {
  if (organisationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisation')
    .select(['organisation_id', 'name'])
    .where('organisation_id', 'in', [...new Set(organisationIds)])
    .execute();
  return new Map(rows.map((r) => [r.organisation_id, r.name]));
}

export async function organisationById(
  db: Kysely<DB>,
  organisationId: string,
): Promise<{ organisationId: string; name: string } | null> {
  const row = await db
    .selectFrom('organisation')
    .select(['organisation_id', 'name'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row ? { organisationId: row.organisation_id, name: row.name } : null;
}

/** Adds an organisation under the given id unless it is held; true when it was added. */
export async function addOrganisation(
  db: Kysely<DB>,
  org: { organisationId: string; name: string; kind: string; odsCode: string | null },
): Promise<boolean> {
  const held = await organisationById(db, org.organisationId);
  if (held) return false;
  if (org.odsCode) {
    const sameOds = await db
      .selectFrom('organisation')
      .select('organisation_id')
      .where('ods_code', '=', org.odsCode)
      .executeTakeFirst();
    if (sameOds) return false;
  }
  await db
    .insertInto('organisation')
    .values({ organisation_id: org.organisationId, name: org.name, kind: org.kind, ods_code: org.odsCode })
    .execute();
  return true;
}

/** The deprivation decile of each postcode sector of `sectors` that has one. */
export async function deprivationDeciles(db: Kysely<DB>, sectors: string[]): Promise<Map<string, number>> {
  if (sectors.length === 0) return new Map();
  const rows = await db
    .selectFrom('area_deprivation')
    .select(['postcode_sector', 'deprivation_decile'])
    .where('postcode_sector', 'in', [...new Set(sectors)])
    .execute();
  return new Map(rows.map((r) => [r.postcode_sector, r.deprivation_decile]));
}

/** A person registered by import: the record, and the organisation's membership and basis for sharing. */
export interface ImportedRegistration {
  person: Insertable<DB['person']>;
  membership: Insertable<DB['care_team_member']>;
  basis: Insertable<DB['sharing_basis']>;
}

/** Registrations per statement: each table's rows go as one JSON text of a few hundred kB. */
const REGISTRATIONS_PER_STATEMENT = 1000;

/**
 * Writes a batch's registrations, each table in one statement a thousand people at a time
 * (insertJsonRows: the rows as one JSON parameter): the same rows registering writes one at a time
 * (people/store.ts insertPerson, store/care-team-member.ts, sharing's recordRegistrationBasis), the
 * NHS number's global index first.
 */
export async function insertRegistrations(
  db: Kysely<DB>,
  all: readonly ImportedRegistration[],
): Promise<void> {
  for (let i = 0; i < all.length; i += REGISTRATIONS_PER_STATEMENT)
    await insertRegistrationChunk(db, all.slice(i, i + REGISTRATIONS_PER_STATEMENT));
}

async function insertRegistrationChunk(db: Kysely<DB>, rows: readonly ImportedRegistration[]): Promise<void> {
  if (rows.length === 0) return;
  const numbered = rows.flatMap((r) =>
    r.person.nhs_number ? [{ nhs_number: r.person.nhs_number, person_id: r.person.person_id }] : [],
  );
  if (numbered.length) await insertJsonRows(db, 'person_nhs_number', numbered);
  await insertJsonRows(
    db,
    'person',
    rows.map((r) => r.person),
  );
  await insertJsonRows(
    db,
    'care_team_member',
    rows.map((r) => r.membership),
  );
  await insertJsonRows(
    db,
    'sharing_basis',
    rows.map((r) => r.basis),
  );
}
