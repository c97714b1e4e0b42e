import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { derivedUuid } from '../../domain/interop/fhir-ids.js';
import type { DB } from '../../store/schema.js';

/**
 * The account a system client writes as. What a client records (an outcome, a rating, a plan)
 * names who recorded it, as everything in a record does; for a client that is this account: no
 * password, no roles, so it cannot sign in or open a page, and its display name says it is a
 * system. Its id is derived from the client id, so it is found again without a lookup.
 */
export function clientAccountId(clientId: string): string {
  return derivedUuid('whatmatters-api-client', clientId);
}

/** The command line's own account: what an operator imports at the server's console is signed with it. */
export const COMMAND_LINE_CLIENT = 'cli';

export const clientAccountName = (clientId: string, name?: string) =>
  name
    ? `${name} (system)`
    : clientId === COMMAND_LINE_CLIENT
      ? 'Command line (system)'
      : `System client ${clientId}`;

/**
 * The command line as the one who records what an operator's job writes (a FHIR or CSV import):
 * the operator at the server, as the command line's own account (made sure of by ensureClientAccount).
 */
export const COMMAND_LINE_ACTOR: Actor = {
  userId: clientAccountId(COMMAND_LINE_CLIENT),
  username: `client:${COMMAND_LINE_CLIENT}`,
  displayName: clientAccountName(COMMAND_LINE_CLIENT),
  jobTitle: null,
  personId: null,
  roles: [],
  ip: null,
};

/** Accounts known to exist, per database, so each is made sure of once per process. */
const known = new WeakMap<Kysely<DB>, Set<string>>();

/** Makes sure the client's account exists; returns its id. */
export async function ensureClientAccount(db: Kysely<DB>, clientId: string): Promise<string> {
  const userId = clientAccountId(clientId);
  const seen = known.get(db) ?? new Set<string>();
  known.set(db, seen);
  if (seen.has(userId)) return userId;
  const client = await db
    .selectFrom('api_client')
    .select('name')
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  await db
    .insertInto('user_account')
    .values({
      user_id: userId,
      username: `client:${clientId}`,
      display_name: clientAccountName(clientId, client?.name),
      job_title: 'System client',
      password_hash: null,
      person_id: null,
      locked_until: null,
      disabled_at: null,
    })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  seen.add(userId);
  return userId;
}

/**
 * The hosting organisation: the one made first. A system (an API client with SMART scopes, the
 * command line's FHIR export and import) acts for it when no organisation is named.
 */
export async function hostingOrganisation(
  db: Kysely<DB>,
): Promise<{ organisationId: string; name: string } | null> {
  const row = await db
    .selectFrom('organisation')
    .select(['organisation_id as organisationId', 'name'])
    .orderBy('created_at')
    .orderBy('organisation_id')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
