import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { todayIso } from '../../src/domain/calendar.js';
import { describeTimeline } from '../../src/features/people/timeline-view.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The answer of `GET /api/people/{id}` has a closed schema, and the serialiser leaves out whatever
 * the schema does not name. So the JSON must equal the service's record in full (less `can`, which
 * is for pages): a field the schema forgot would vanish here, not pass silently.
 */
let t: TestApp;
const origin = { ip: '127.0.0.1', userAgent: 'test' };

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 12 });
});
afterAll(() => t?.close());

async function compare(username: string, personId: string) {
  const { actor } = await t.services.auth.signIn(username, DEMO_PASSWORD, origin);
  const cookie = await signIn(t.app, username);
  const response = await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie } });
  expect(response.statusCode).toBe(200);
  const record = await t.services.records.record(actor, personId, todayIso());
  const { can: _forPages, ...shown } = record;
  const expected = JSON.parse(JSON.stringify({ ...shown, timeline: describeTimeline(record) }));
  const answer = response.json();
  expect(answer).toEqual(expected);
  return answer;
}

describe('the person record as JSON', () => {
  it('carries every field the service returns, for each kind of reader', async () => {
    const person = (await t.services.auth.signIn('person@demo', DEMO_PASSWORD, origin)).actor;
    const personId = person.personId ?? '';
    const asPractitioner = await compare('practitioner@demo', personId);
    expect(asPractitioner.outcomes.length).toBeGreaterThan(0);
    expect(asPractitioner.plan.current).not.toBeNull();
    expect(asPractitioner.relation.kind).toBe('care-team');
    expect((await compare('carer@demo', personId)).relation.kind).toBe('carer');
    expect((await compare('person@demo', personId)).relation).toEqual({ kind: 'self' });
  });
});
