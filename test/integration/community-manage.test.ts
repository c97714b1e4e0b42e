import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { todayIso } from '../../src/domain/calendar.js';
import { addDays, nextReviewDue, STALE_GRACE_DAYS } from '../../src/domain/community/staleness.js';
import { hashPassword } from '../../src/features/auth/password-hash.js';
import type { CommunityResource } from '../../src/features/community/schema.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Keeping the community directory up to date, through HTTP: staff of the organisation that runs an
 * entry add and change it (409 on a stale version), confirm it is still right, close and reopen it;
 * anyone else is refused, audited; bad input is refused naming the field, and nothing is written.
 */

let t: TestApp;
const session: Record<string, string> = {};
let goodNeighbours = '';
let communityLinks = '';

// Margaret Dunn keeps Riverside Good Neighbours' entries; Tom Fielding works for Riverside Community Links.
const USERS = {
  margaret: 'margaret.dunn@demo',
  tom: 'tom.fielding@demo',
  practitioner: 'practitioner@demo',
  person: 'person@demo',
  admin: 'admin@demo',
};

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  // Only the demo's well-known accounts sign in; these two voluntary-sector staff are given the
  // demo password here.
  await t.database.db
    .updateTable('user_account')
    .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
    .where('username', 'in', [USERS.margaret, USERS.tom])
    .execute();
  for (const [who, username] of Object.entries(USERS)) session[who] = await signIn(t.app, username);
  const orgs = await t.database.db.selectFrom('organisation').select(['organisation_id', 'name']).execute();
  goodNeighbours = orgs.find((o) => o.name === 'Riverside Good Neighbours')?.organisation_id ?? '';
  communityLinks = orgs.find((o) => o.name === 'Riverside Community Links')?.organisation_id ?? '';
});
afterAll(() => t?.close());

const as = (who: string) => ({ cookie: session[who] as string });
const send = (method: 'POST' | 'PUT', url: string, who: string, payload: unknown, headers = {}) =>
  t.app.inject({ method, url, headers: { ...as(who), ...headers }, payload: payload as object });

const walk = {
  name: 'Riverside Park Health Walk',
  kind: 'walking-group',
  summary: 'A gentle hour’s walk around Riverside Park, with a cuppa after.',
  description: 'Led by trained volunteers. Go at your own pace; nobody is left behind.',
  needs: ['loneliness-isolation', 'physical-activity'],
  domainCodes: [],
  online: false,
  address: 'Riverside Park Café\nPark Road\nRiverside',
  postcode: 'rv1 2ab',
  sessions: [{ day: 'tue', start: '10:00', end: '11:00' }],
  scheduleNote: 'Every week, whatever the weather',
  eligibility: 'Adults who can walk for 30 minutes',
  minAge: 18,
  maxAge: null,
  costKind: 'free',
  costNote: '',
  accessibility: ['step-free', 'accessible-toilet'],
  accessibilityNote: '',
  selfReferral: true,
  howToRefer: 'Just turn up at the café at 9:50.',
  phone: '01632 960 123',
  email: 'walks@example.org',
  website: 'https://example.org/walks',
  capacity: 20,
  acceptingReferrals: true,
};

async function audits(action: string, outcome: 'success' | 'denied', resourceId?: string) {
  let q = t.database.db
    .selectFrom('audit_event')
    .select(['actor_user_id', 'resource_id', 'purpose'])
    .where('action', '=', action)
    .where('outcome', '=', outcome);
  if (resourceId) q = q.where('resource_id', '=', resourceId);
  return q.execute();
}

const count = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('community_resource')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the JSON API', () => {
  let added: CommunityResource;

  it('adds an entry for the actor’s organisation, due for review six months on, audited', async () => {
    const response = await send('POST', '/api/community/resources', 'margaret', {
      organisationId: goodNeighbours,
      ...walk,
    });
    expect(response.statusCode, response.body).toBe(201);
    added = response.json();
    expect(added).toMatchObject({
      organisationName: 'Riverside Good Neighbours',
      maintainerName: 'Margaret Dunn',
      postcode: 'RV1 2AB',
      version: 1,
      status: 'active',
      reviewDue: nextReviewDue(todayIso()),
    });
    expect(response.headers.etag).toBe('W/"1"');
    expect(await audits('add-community-resource', 'success', added.resourceId)).toHaveLength(1);
  });

  it('refuses, audited, an entry for an organisation the actor does not belong to', async () => {
    const before = await count();
    const response = await send('POST', '/api/community/resources', 'tom', {
      organisationId: goodNeighbours,
      ...walk,
    });
    expect(response.statusCode).toBe(403);
    const person = await send('POST', '/api/community/resources', 'person', {
      organisationId: goodNeighbours,
      ...walk,
    });
    expect(person.statusCode).toBe(403);
    expect((await audits('add-community-resource', 'denied')).length).toBeGreaterThanOrEqual(2);
    expect(await count()).toBe(before);
  });

  it('changes an entry from its version, and refuses a change from a stale one with 409', async () => {
    const url = `/api/community/resources/${added.resourceId}`;
    const first = await send('PUT', url, 'margaret', { ...walk, capacity: 25, version: 1 });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ capacity: 25, version: 2 });
    const stale = await send('PUT', url, 'margaret', { ...walk, capacity: 30, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors).toEqual([expect.objectContaining({ field: 'version' })]);
    const byHeader = await send('PUT', url, 'margaret', { ...walk, capacity: 30 }, { 'if-match': 'W/"2"' });
    expect(byHeader.statusCode, byHeader.body).toBe(200);
    expect(byHeader.json()).toMatchObject({ capacity: 30, version: 3 });
    const none = await send('PUT', url, 'margaret', walk);
    expect(none.statusCode).toBe(400);
    expect(none.json().errors).toEqual([expect.objectContaining({ field: 'version' })]);
    expect(await audits('change-community-resource', 'success', added.resourceId)).toHaveLength(2);
  });

  it('lets an administrator change any organisation’s entry, and refuses other organisations’ staff, audited', async () => {
    const url = `/api/community/resources/${added.resourceId}`;
    const refused = await send('PUT', url, 'tom', { ...walk, version: 3 });
    expect(refused.statusCode).toBe(403);
    expect(await audits('change-community-resource', 'denied', added.resourceId)).toHaveLength(1);
    const admin = await send('PUT', url, 'admin', { ...walk, version: 3 });
    expect(admin.statusCode, admin.body).toBe(200);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await count();
    const shape = await send('POST', '/api/community/resources', 'margaret', {
      organisationId: goodNeighbours,
      ...walk,
      postcode: 'not a postcode',
      sessions: [{ day: 'mon', start: '9am', end: '10:00' }],
    });
    expect(shape.statusCode).toBe(400);
    const fields = shape.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.postcode', 'body.sessions.0.start']));
    const rules = await send('POST', '/api/community/resources', 'margaret', {
      organisationId: goodNeighbours,
      ...walk,
      sessions: [{ day: 'mon', start: '14:00', end: '13:00' }],
      minAge: 65,
      maxAge: 50,
      domainCodes: ['no-such-domain'],
    });
    expect(rules.statusCode).toBe(422);
    expect(rules.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'sessions.0.end',
      'maxAge',
      'domainCodes',
    ]);
    const nowhere = await send('POST', '/api/community/resources', 'margaret', {
      organisationId: goodNeighbours,
      ...walk,
      address: null,
      postcode: null,
    });
    expect(nowhere.statusCode).toBe(422);
    expect(nowhere.json().errors).toEqual([expect.objectContaining({ field: 'address' })]);
    expect(await count()).toBe(before);
  });
});

describe('an API client with the scope community:write', () => {
  async function tokenFor(clientId: string, scopes: string[], organisationId: string): Promise<string> {
    const { secret } = await t.services.apiClients.add({ clientId, name: clientId, scopes, organisationId });
    const response = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      },
      payload: 'grant_type=client_credentials',
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().access_token;
  }

  it('keeps its own organisation’s entries, and no other’s; a token without the scope is refused', async () => {
    const token = await tokenFor('links-directory', ['community:write'], communityLinks);
    const bearer = { authorization: `Bearer ${token}` };
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/community/resources',
      headers: bearer,
      payload: { organisationId: communityLinks, ...walk, name: 'Links Lunchtime Walk' },
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().maintainerName).toContain('links-directory');
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/community/resources',
      headers: bearer,
      payload: { organisationId: goodNeighbours, ...walk },
    });
    expect(other.statusCode).toBe(403);
    const reader = await tokenFor('links-reader', ['directory:read'], communityLinks);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/community/resources',
      headers: { authorization: `Bearer ${reader}` },
      payload: { organisationId: communityLinks, ...walk },
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('the staff pages', () => {
  let staleId = '';

  beforeAll(async () => {
    const response = await send('POST', '/api/community/resources', 'margaret', {
      organisationId: goodNeighbours,
      ...walk,
      name: 'Tuesday Tea and Chat',
      kind: 'befriending',
    });
    staleId = response.json().resourceId;
    // Its review date passed longer ago than the grace period: people no longer see it.
    await t.database.db
      .updateTable('community_resource')
      .set({ review_due: addDays(todayIso(), -(STALE_GRACE_DAYS + 10)) })
      .where('resource_id', '=', staleId)
      .execute();
  });

  it('lists the organisation’s entries, a hidden one flagged at the top, and no other organisation’s', async () => {
    await send('POST', '/api/community/resources', 'tom', {
      organisationId: communityLinks,
      ...walk,
      name: 'Links Drop-in',
      kind: 'other',
    });
    const page = await t.app.inject({ url: '/community/manage', headers: as('margaret') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Entries to check');
    expect(page.body).toContain('Hidden from people since');
    expect(page.body.indexOf('Tuesday Tea and Chat')).toBeLessThan(
      page.body.indexOf('Riverside Park Health Walk'),
    );
    expect(page.body).not.toContain('Links Drop-in');
    expect(duplicateIds(page.body)).toEqual([]);
  });

  it('confirms a stale entry is still right: the review moves on six months, audited', async () => {
    const response = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: '/community/manage',
      action: `/community/manage/${staleId}/review`,
      fields: { version: '1' },
    });
    expect(response.statusCode).toBe(303);
    const row = await t.database.db
      .selectFrom('community_resource')
      .select(['review_due', 'last_reviewed_at', 'version'])
      .where('resource_id', '=', staleId)
      .executeTakeFirstOrThrow();
    expect(String(row.review_due).slice(0, 10)).toBe(nextReviewDue(todayIso()));
    expect(row.version).toBe(2);
    expect(await audits('review-community-resource', 'success', staleId)).toHaveLength(1);
    const page = await t.app.inject({ url: response.headers.location as string, headers: as('margaret') });
    expect(page.body).toContain('You confirmed Tuesday Tea and Chat is up to date.');
    expect(page.body).not.toContain(`id="resource-${staleId}"`);
  });

  it('sends a confirmation from a page someone else has since changed back with the problem named', async () => {
    const response = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: '/community/manage',
      action: `/community/manage/${staleId}/review`,
      fields: { version: '1' },
    });
    expect(response.statusCode).toBe(303);
    const page = await t.app.inject({ url: response.headers.location as string, headers: as('margaret') });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(`href="#resource-${staleId}"`);
    expect(page.body).toContain('Someone else changed Tuesday Tea and Chat');
  });

  it('refuses, audited, a review by staff of another organisation', async () => {
    const response = await submitForm(t.app, {
      session: session.tom,
      pageUrl: '/community/manage',
      action: `/community/manage/${staleId}/review`,
      fields: { version: '2' },
    });
    expect(response.statusCode).toBe(403);
    expect(await audits('review-community-resource', 'denied', staleId)).toHaveLength(1);
    const edit = await t.app.inject({ url: `/community/manage/${staleId}/edit`, headers: as('tom') });
    expect(edit.statusCode).toBe(403);
  });

  it('adds an entry from the form, and shows bad input in the error summary linked to each field', async () => {
    const fields = {
      organisationId: goodNeighbours,
      name: 'Knit and Natter Northgate',
      kind: 'arts-culture',
      summary: 'Knitting, crochet and a chat',
      needs: ['loneliness-isolation'],
      address: 'Riverside Library\nHigh Street',
      postcode: 'RV1 1AA',
      'session-0-day': 'thu',
      'session-0-start': '14:00',
      'session-0-end': '13:00',
      'session-1-day': '',
      'session-1-start': '',
      'session-1-end': '',
      costKind: 'donation',
      selfReferral: 'yes',
      acceptingReferrals: 'yes',
      email: 'not an email',
      minAge: 'sixty',
    };
    const bad = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: '/community/manage/new',
      action: '/community/manage/new',
      fields,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<title>Error: Add a directory entry');
    for (const id of ['email', 'minAge']) expect(bad.body).toContain(`href="#${id}"`);
    expect(duplicateIds(bad.body)).toEqual([]);
    // The contract's shape first; with that right, the rules across fields.
    const rules = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: '/community/manage/new',
      action: '/community/manage/new',
      fields: { ...fields, email: 'knit@example.org', minAge: '' },
    });
    expect(rules.statusCode).toBe(400);
    expect(rules.body).toContain('href="#session-0-end"');
    expect(rules.body).toContain('Session 1: the end time must be later than the start time.');
    const good = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: '/community/manage/new',
      action: '/community/manage/new',
      fields: { ...fields, email: 'knit@example.org', minAge: '', 'session-0-end': '16:00' },
    });
    expect(good.statusCode, good.body).toBe(303);
    const row = await t.database.db
      .selectFrom('community_resource')
      .select(['sessions', 'cost_kind', 'self_referral', 'address'])
      .where('name', '=', 'Knit and Natter Northgate')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      sessions: [{ day: 'thu', start: '14:00', end: '16:00' }],
      cost_kind: 'donation',
      self_referral: true,
      address: 'Riverside Library\nHigh Street',
    });
  });

  it('edits, closes and reopens an entry from its page', async () => {
    const url = `/community/manage/${staleId}/edit`;
    const page = await t.app.inject({ url, headers: as('margaret') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Tuesday Tea and Chat"');
    expect(duplicateIds(page.body)).toEqual([]);
    const saved = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: url,
      action: url,
      fields: {
        version: '2',
        name: 'Tuesday Tea and Chat',
        kind: 'befriending',
        summary: 'Tea, cake and good company',
        address: 'St Mark’s Hall',
        postcode: 'RV2 1AB',
        costKind: 'free',
        selfReferral: 'yes',
        acceptingReferrals: 'no',
        'session-0-day': 'tue',
        'session-0-start': '14:00',
        'session-0-end': '15:30',
      },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    const stale = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: url,
      action: url,
      fields: {
        version: '2',
        name: 'Old',
        kind: 'befriending',
        summary: 'x',
        online: 'yes',
        costKind: 'free',
        selfReferral: 'no',
        acceptingReferrals: 'no',
      },
    });
    expect(stale.statusCode).toBe(400);
    expect(stale.body).toContain('href="#version-warning"');
    expect(stale.body).toContain('id="version-warning"');
    const closed = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: url,
      action: `/community/manage/${staleId}/close`,
      fields: { version: '3' },
    });
    expect(closed.statusCode).toBe(303);
    const reopened = await submitForm(t.app, {
      session: session.margaret,
      pageUrl: url,
      action: `/community/manage/${staleId}/reopen`,
      fields: { version: '4' },
    });
    expect(reopened.statusCode).toBe(303);
    expect(await audits('close-community-resource', 'success', staleId)).toHaveLength(1);
    expect(await audits('reopen-community-resource', 'success', staleId)).toHaveLength(1);
  });

  it('keeps people and carers out of the staff pages', async () => {
    const page = await t.app.inject({ url: '/community/manage', headers: as('person') });
    expect(page.statusCode).toBe(403);
  });
});
