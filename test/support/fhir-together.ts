import type { Resource } from '@medplum/fhirtypes';
import { expect } from 'vitest';
import { type Actor, actorForClient } from '../../src/domain/actor.js';
import { ensureClientAccount } from '../../src/features/auth/client-account.js';
import type { AccessGrant } from '../../src/features/record-access/person-access.js';
import { SESSION_COOKIE } from '../../src/http/plugins/access-control.js';
import type { FhirContext, FhirHandler } from '../../src/interop/fhir/handler.js';
import { busiestOrganisation } from './fhir.js';
import { signIn, type TestApp } from './test-app.js';

/**
 * For the tests of reading many people's records at once (bulk export's `listForPeople`): the
 * readers, and the check that a type gives in bulk exactly what each person's own read gives.
 */

export const fhirContext = (t: TestApp, actor: Actor): FhirContext => ({
  actor,
  services: t.services,
  baseUrl: 'http://127.0.0.1/fhir',
});

/** A system client (scopes `system/*.read`) of the organisation holding the most records, as an actor. */
export async function systemClient(t: TestApp, clientId: string): Promise<Actor> {
  const db = t.database.db;
  const organisationId = await busiestOrganisation(db);
  await t.services.apiClients.add({ clientId, name: clientId, scopes: ['system/*.read'], organisationId });
  return actorForClient({ clientId, organisationId, userId: await ensureClientAccount(db, clientId) }, null);
}

/** A demo user signed in, as the actor their session resolves to. */
export async function signedInActor(t: TestApp, username: string): Promise<Actor> {
  const cookie = await signIn(t.app, username);
  const token = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(cookie)?.[1] as string;
  return (await t.services.auth.actorForSession(decodeURIComponent(token), null)) as Actor;
}

/** Every person in the database, in id order. */
export async function everyPerson(t: TestApp): Promise<string[]> {
  const rows = await t.database.db.selectFrom('person').select('person_id').orderBy('person_id').execute();
  return rows.map((r) => r.person_id);
}

export const readTogether = <R extends Resource>(handler: FhirHandler<R>) =>
  handler.listForPeople as NonNullable<FhirHandler<R>['listForPeople']>;
export const readAlone = <R extends Resource>(handler: FhirHandler<R>) =>
  handler.listForPerson as NonNullable<FhirHandler<R>['listForPerson']>;

/**
 * Reads `grants`' people at once and expects, for each, exactly what their own read gives (the
 * same resources in the same order), and nobody else; gives what was read at once.
 */
export async function expectSameAsOneByOne<R extends Resource>(
  t: TestApp,
  handler: FhirHandler<R>,
  actor: Actor,
  grants: readonly AccessGrant[],
): Promise<Map<string, R[]>> {
  const ctx = fhirContext(t, actor);
  const together = await readTogether(handler)(ctx, grants);
  for (const g of grants) {
    const alone = await readAlone(handler)(ctx, g.personId);
    expect({ type: handler.type, person: g.personId, resources: together.get(g.personId) ?? [] }).toEqual({
      type: handler.type,
      person: g.personId,
      resources: alone,
    });
  }
  expect([...together.keys()].every((p) => grants.some((g) => g.personId === p))).toBe(true);
  return together;
}
