import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/**
 * What the demo data guarantees (see src/domain/demo-care.ts and demo-care.test.ts), checked rather
 * than set up, so a test that relies on it fails when the demo stops providing it.
 */

/** The user id, and the person id where it has one, of a demo account. */
export function demoAccount(t: TestApp, username: string) {
  return t.database.db
    .selectFrom('user_account')
    .select(['user_id', 'person_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
}

/** person@demo's person id, after checking they are in practitioner@demo's caseload with a plan. */
export async function demoPersonInCaseload(t: TestApp, practitioner: string): Promise<string> {
  const personId = (await demoAccount(t, 'person@demo')).person_id ?? '';
  expect(personId, 'person@demo has a record').not.toBe('');
  const headers = { cookie: practitioner };
  const record = await t.app.inject({ url: `/api/people/${personId}`, headers });
  expect(record.statusCode, "person@demo is in practitioner@demo's caseload").toBe(200);
  const plan = await t.app.inject({ url: `/api/people/${personId}/plan`, headers });
  expect(plan.statusCode).toBe(200);
  expect(plan.json().current, 'person@demo has a plan').toBeTruthy();
  return personId;
}

/** carer@demo's link to `personId`, after checking the person lets them see the record and add to it. */
export async function demoCarerLink(
  t: TestApp,
  personId: string,
): Promise<{ carerUserId: string; relationshipId: string }> {
  const carerUserId = (await demoAccount(t, 'carer@demo')).user_id;
  const link = await t.database.db
    .selectFrom('relationship')
    .select(['relationship_id', 'may_view', 'may_contribute'])
    .where('person_id', '=', personId)
    .where('carer_user_id', '=', carerUserId)
    .executeTakeFirst();
  expect(link, 'carer@demo is in the circle of person@demo').toMatchObject({
    may_view: true,
    may_contribute: true,
  });
  return { carerUserId, relationshipId: link?.relationship_id ?? '' };
}
