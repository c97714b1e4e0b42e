import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonInCaseload } from '../support/demo.js';
import { type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The conversation form against its one contract: every refusal lands on the field that holds it,
 * nothing typed is dropped or turned into something else, and saving reads only what it needs.
 */
let t: TestApp;
let session: string;
let personId: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
  session = await signIn(t.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(t, session);
});
afterAll(() => t?.close());

const formUrl = (kind: string) => `/people/${personId}/conversations/new?kind=${kind}`;
const action = () => `/people/${personId}/conversations/new`;
const submit = (fields: FormFields) =>
  submitForm(t.app, { session, pageUrl: formUrl('other'), action: action(), fields });
const conversations = async () =>
  (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: session } })).json().conversations
    .length as number;
const base: FormFields = {
  kind: 'other',
  newCount: '1',
  'heldOn[day]': '1',
  'heldOn[month]': '9',
  'heldOn[year]': '2026',
  participants: ['person', 'me'],
  summary: 'Talked about the garden',
  action: 'save',
};

describe('the conversation form', () => {
  it('refuses an unknown kind in the address or the form, rather than recording "other"', async () => {
    const page = await t.app.inject({ url: formUrl('chat'), headers: { cookie: session } });
    expect(page.statusCode).toBe(400);
    const before = await conversations();
    const posted = await submit({ ...base, kind: 'chat' });
    expect(posted.statusCode).toBe(400);
    expect(await conversations()).toBe(before);
  });

  it('puts an out-of-range rating on its field, and saves nothing', async () => {
    const before = await conversations();
    const response = await submit({
      ...base,
      'new-0-statement': 'To keep my garden',
      'new-0-rating-person': '7',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#new-0-rating-person"');
    expect(response.body).toContain('Outcome 1: A rating must be 1 to 4.');
    expect(response.body).toContain('To keep my garden');
    expect(await conversations()).toBe(before);
  });

  it('links a date in the future and a too-long statement to their fields', async () => {
    const future = await submit({ ...base, 'heldOn[year]': '2099' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('href="#heldOn-day"');
    expect(future.body).toContain('A conversation cannot be recorded before it happens.');
    const long = await submit({ ...base, 'new-0-statement': 'x'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('href="#new-0-statement"');
    expect(long.body).toContain('Outcome 1: Statement must be 2,000 characters or fewer.');
  });

  it('saving reads who took part, not the whole record, and validates once', async () => {
    const { db } = t.database;
    const last = await db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.max('audit_id').as('id'))
      .executeTakeFirstOrThrow();
    const response = await submit({ ...base, 'new-0-statement': 'To see my sister at Christmas' });
    expect(response.statusCode).toBe(303);
    const actions = await db
      .selectFrom('audit_event')
      .select('action')
      .where('person_id', '=', personId)
      .where('audit_id', '>', String(last.id ?? '0'))
      .orderBy('audit_id')
      .execute();
    // The GET of the form (person, circle, form), then the POST: the person's name, and the save
    // (its access check and the conversation written).
    expect(actions.map((a) => a.action).slice(-3)).toEqual([
      'read-person',
      'record-conversation',
      'record-conversation',
    ]);
    expect(actions.map((a) => a.action)).not.toContain('read-outcomes');
  });
});
