import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import type { OrganisationInput } from './schema.js';

/** The administration feature's writes to the directory: organisations and their teams. No personal records. */

export async function organisationExists(db: Kysely<DB>, organisationId: string): Promise<boolean> {
  const found = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return Boolean(found);
}

/** The organisation holding an ODS code, if any. */
export async function organisationWithOdsCode(db: Kysely<DB>, odsCode: string): Promise<string | null> {
  const found = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('ods_code', '=', odsCode)
    .executeTakeFirst();
  return found?.organisation_id ?? null;
}

export async function insertOrganisation(db: Kysely<DB>, input: OrganisationInput): Promise<string> {
  const organisationId = randomUUID();
  await db
    .insertInto('organisation')
    .values({ organisation_id: organisationId, name: input.name, kind: input.kind, ods_code: input.odsCode })
    .execute();
  return organisationId;
}

export async function updateOrganisation(
  db: Kysely<DB>,
  organisationId: string,
  input: OrganisationInput,
): Promise<void> {
  await db
    .updateTable('organisation')
    .set({ name: input.name, kind: input.kind, ods_code: input.odsCode })
    .where('organisation_id', '=', organisationId)
    .execute();
}

/** The team in an organisation with this name (names are compared without regard to case), if any. */
export async function teamNamed(
  db: Kysely<DB>,
  organisationId: string,
  name: string,
): Promise<string | null> {
  const found = await db
    .selectFrom('team')
    .select('team_id')
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  return found?.team_id ?? null;
}

export async function teamInOrganisation(
  db: Kysely<DB>,
  organisationId: string,
  teamId: string,
): Promise<boolean> {
  const found = await db
    .selectFrom('team')
    .select('team_id')
    .where('team_id', '=', teamId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return Boolean(found);
}

export async function insertTeam(db: Kysely<DB>, organisationId: string, name: string): Promise<string> {
  const teamId = randomUUID();
  await db.insertInto('team').values({ team_id: teamId, organisation_id: organisationId, name }).execute();
  return teamId;
}

export async function renameTeam(db: Kysely<DB>, teamId: string, name: string): Promise<void> {
  await db.updateTable('team').set({ name }).where('team_id', '=', teamId).execute();
}
