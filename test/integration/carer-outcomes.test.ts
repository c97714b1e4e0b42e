import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { CARERS_FRAMEWORK } from '../../src/domain/outcome-frameworks.js';
import { demoAccount } from '../support/demo.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * A carer records their own outcomes, about themselves as a carer: with their consent they are given
 * a record of their own (registered as a carer, linked to their account), coded with the carers'
 * framework, which only they can see; the people they care for stay as they were.
 */
let t: TestApp;
let carer: string;
let carerUserId: string;
let cared: string;
let ownId = '';
let outcomeId = '';

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  carer = await signIn(t.app, 'carer@demo');
  carerUserId = (await demoAccount(t, 'carer@demo')).user_id;
  cared = (await demoAccount(t, 'person@demo')).person_id ?? '';
});
afterAll(() => t?.close());

const get = (url: string, cookie = carer) => t.app.inject({ url, headers: { cookie } });

describe("a carer's own outcomes", () => {
  it('are offered on the carer’s home, beside the people they care for', async () => {
    const home = await get('/my');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Your own outcomes as a carer');
    expect(home.body).toContain('href="/my/carer-record"');
    expect(home.body).toContain(`/my/people/${cared}`);
  });

  it('start only with the carer’s agreement, which the form asks for', async () => {
    const refused = await submitForm(t.app, {
      session: carer,
      pageUrl: '/my/carer-record',
      action: '/my/carer-record',
      fields: { givenName: 'Carol', familyName: 'Bennett' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#consent"');
    expect(refused.body).toContain('Tick the box');
    expect(duplicateIds(refused.body)).toEqual([]);
    expect((await demoAccount(t, 'carer@demo')).person_id).toBeNull();
  });

  it('start a record of the carer’s own, registered as a carer and linked to their account', async () => {
    const started = await submitForm(t.app, {
      session: carer,
      pageUrl: '/my/carer-record',
      action: '/my/carer-record',
      fields: { givenName: 'Carol', familyName: 'Bennett', consent: 'yes' },
    });
    expect(started.statusCode).toBe(303);
    ownId = (await demoAccount(t, 'carer@demo')).person_id ?? '';
    expect(ownId).not.toBe('');
    expect(ownId).not.toBe(cared);
    expect(started.headers.location).toBe(`/people/${ownId}/outcomes/new`);
    const row = await t.database.db
      .selectFrom('person')
      .select(['given_name', 'family_name', 'registered_as'])
      .where('person_id', '=', ownId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ given_name: 'Carol', family_name: 'Bennett', registered_as: 'carer' });
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select('outcome')
      .where('action', '=', 'start-carer-record')
      .where('actor_user_id', '=', carerUserId)
      .where('person_id', '=', ownId)
      .execute();
    expect(audited).toEqual([{ outcome: 'success' }]);
    // Asking again gives the same record, never a second one.
    const again = await get('/my/carer-record');
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/people/${ownId}/outcomes/new`);
  });

  it('are added with the carers’ framework, from the carer’s own viewpoint', async () => {
    const form = await get(`/people/${ownId}/outcomes/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('What matters to you as a carer?');
    expect(form.body).toContain('Managing your caring role');
    expect(duplicateIds(form.body)).toEqual([]);
    const framework = await t.services.frameworks.current(CARERS_FRAMEWORK.key);
    const domain = framework.domains.find((d) => d.category === 'managing-caring-role');
    const added = await submitForm(t.app, {
      session: carer,
      pageUrl: `/people/${ownId}/outcomes/new`,
      action: `/people/${ownId}/outcomes/new`,
      fields: {
        statement: 'I want one evening a week for my choir',
        domainIds: domain?.domainId ?? '',
        score: '2',
      },
    });
    expect(added.statusCode).toBe(303);
    const location = added.headers.location as string;
    expect(location).toMatch(/^\/my\?added=/);
    outcomeId = new URL(location, 'http://x').searchParams.get('added') ?? '';
    const outcome = await t.database.db
      .selectFrom('personal_outcome')
      .select(['person_id', 'framework_id', 'added_by'])
      .where('outcome_id', '=', outcomeId)
      .executeTakeFirstOrThrow();
    expect(outcome).toEqual({ person_id: ownId, framework_id: framework.frameworkId, added_by: 'person' });

    const home = await get(location);
    expect(home.body).toContain('I want one evening a week for my choir');
    expect(home.body).toContain('was added to what matters to you as a carer');
    expect(home.body).toContain(`/my/people/${cared}`);
    expect(duplicateIds(home.body)).toEqual([]);
  });

  it('are rated by the carer, on the carers’ scale', async () => {
    const rated = await submitForm(t.app, {
      session: carer,
      pageUrl: `/people/${ownId}/outcomes/${outcomeId}/rate`,
      action: `/people/${ownId}/outcomes/${outcomeId}/rate`,
      fields: { score: '3' },
    });
    expect(rated.statusCode).toBe(303);
    // Back to the outcome's own page, which the carer reads as their own record's.
    expect(rated.headers.location).toBe(`/my/outcomes/${outcomeId}?rated=${outcomeId}`);
    const ratings = await t.database.db
      .selectFrom('outcome_rating')
      .select(['viewpoint', 'score'])
      .where('person_id', '=', ownId)
      .where('outcome_id', '=', outcomeId)
      .orderBy('rated_at')
      .execute();
    expect(ratings).toEqual([
      { viewpoint: 'person', score: 2 },
      { viewpoint: 'person', score: 3 },
    ]);
    const home = await get('/my');
    expect(home.body).toContain('You last rated this');
    expect(home.body).toContain(`href="/my/outcomes/${outcomeId}"`);
    const page = await get(rated.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your rating was saved');
    expect(page.body).toContain('I want one evening a week for my choir');
    expect(page.body).toContain('Back to my record');
    expect(duplicateIds(page.body)).toEqual([]);
  });

  it('stay the carer’s own: no one else sees them, and the person cared for is unchanged', async () => {
    const practitioner = await signIn(t.app, 'practitioner@demo');
    expect(
      (await t.app.inject({ url: `/api/people/${ownId}`, headers: { cookie: practitioner } })).statusCode,
    ).toBe(404);
    const person = await signIn(t.app, 'person@demo');
    expect(
      (await t.app.inject({ url: `/api/people/${ownId}`, headers: { cookie: person } })).statusCode,
    ).toBe(404);
    // The carer still reads the person they care for as their carer.
    const theirs = await t.app.inject({ url: `/api/people/${cared}`, headers: { cookie: carer } });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().relation.kind).toBe('carer');
    expect(
      theirs.json().outcomes.some((o: { statement: string }) => o.statement.includes('choir')),
      'the carer’s outcome is not on the record of the person they care for',
    ).toBe(false);
    // Their rights over it are the person's rights over a record: a copy, for one.
    expect((await get(`/people/${ownId}/export`)).statusCode).toBe(200);
    const own = await t.app.inject({ url: `/api/people/${ownId}`, headers: { cookie: carer } });
    expect(own.statusCode).toBe(200);
    expect(own.json().relation.kind).toBe('self');
  });

  it('are not on any work list of records needing a responsible team: the carer holds them', async () => {
    const admin = (await t.services.auth.signIn('admin@demo', DEMO_PASSWORD, { ip: null, userAgent: null }))
      .actor;
    const list = await t.services.sharing.recordsNeedingTeam(admin);
    expect(list.map((r) => r.personId)).not.toContain(ownId);
  });

  it('erasing the carer’s own record unlinks it from their account, which stays a carer’s', async () => {
    const post = (url: string, cookie: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
    const asked = await post(`/api/people/${ownId}/erasure-requests`, carer, {
      grounds: 'I no longer want to keep a record of my own',
    });
    expect(asked.statusCode).toBe(201);
    const admin = await signIn(t.app, 'admin@demo');
    const erased = await post(
      `/api/admin/erasure-requests/${ownId}/${asked.json().requestId}/decide`,
      admin,
      { decision: 'erase', confirm: true },
    );
    expect(erased.statusCode).toBe(200);
    const account = await t.database.db
      .selectFrom('user_account')
      .select(['person_id', 'display_name', 'disabled_at'])
      .where('user_id', '=', carerUserId)
      .executeTakeFirstOrThrow();
    expect(account.person_id).toBeNull();
    expect(account.disabled_at).toBeNull();
    expect(account.display_name).not.toBe('Removed user');
    // Still the carer of the person they care for, signing in as before.
    const again = await signIn(t.app, 'carer@demo');
    expect((await get(`/my/people/${cared}`, again)).statusCode).toBe(200);
  });

  it('are not for people who are not carers', async () => {
    const person = await signIn(t.app, 'person@demo');
    expect((await get('/my/carer-record', person)).statusCode).toBe(403);
  });
});
