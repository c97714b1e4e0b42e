import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccount, demoCarerLink, demoPersonInCaseload } from '../support/demo.js';
import { duplicateIds } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The person's own view as a short summary first, with a page of its own for each thing that
 * matters, who supports them, who can see the record and their rights over it; and the same for a
 * carer looking at the record of someone they care for. Each page is one audited read of the
 * record, decided by the record service: others are refused.
 */
let t: TestApp;
let person: string;
let carer: string;
let practitioner: string;
let personId: string;
let carerUserId: string;
let personUserId: string;
let outcomeId: string;
let statement: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  person = await signIn(t.app, 'person@demo');
  carer = await signIn(t.app, 'carer@demo');
  practitioner = await signIn(t.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(t, practitioner);
  ({ carerUserId } = await demoCarerLink(t, personId));
  personUserId = (await demoAccount(t, 'person@demo')).user_id;
  const outcome = await t.database.db
    .selectFrom('personal_outcome')
    .select(['outcome_id', 'statement'])
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  outcomeId = outcome.outcome_id;
  statement = outcome.statement;
});
afterAll(() => t?.close());

const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });

/** The page's HTML as text, entities of the person's own words decoded as a reader sees them. */
const escaped = (words: string) =>
  words.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** How many reads of the record the audit trail holds for a user. */
async function readsBy(userId: string, of: string): Promise<number> {
  const rows = await t.database.db
    .selectFrom('audit_event')
    .select('audit_event.action')
    .where('actor_user_id', '=', userId)
    .where('person_id', '=', of)
    .where('action', '=', 'read-person')
    .where('outcome', '=', 'success')
    .execute();
  return rows.length;
}

describe('the person’s summary', () => {
  it('is short: each thing that matters with its latest rating, linking to a page of its own', async () => {
    const page = await get('/my', person);
    expect(page.statusCode).toBe(200);
    expect(duplicateIds(page.body)).toEqual([]);
    expect(page.body).toContain(escaped(statement));
    expect(page.body).toContain(`href="/my/outcomes/${outcomeId}"`);
    expect(page.body).toContain(`id="outcome-${outcomeId}"`);
    // No rating forms, no tables of ratings on the summary: those are on the outcome's page.
    expect(page.body).not.toContain('name="score"');
    expect(page.body).not.toContain('How everyone rated this most recently');
    expect(page.body).toContain('My next review');
    expect(page.body).toContain(`href="/people/${personId}/plan"`);
    expect(page.body).toContain('Who supports me');
    expect(page.body).toContain('href="/my/care-team"');
    expect(page.body).toContain('href="/my/sharing"');
    expect(page.body).toContain('href="/my/rights"');
    expect(page.body).toContain('href="/my/access-log"');
    // Where other pages send the person back to (#who-can-see, #my-requests) is still there.
    expect(page.body).toContain('id="who-can-see"');
    expect(page.body).toContain('id="my-requests"');
  });

  it('shows a banner only when the record bears it out, never words from the address', async () => {
    const invented = '<b>You have won</b>';
    for (const query of [
      `added=${encodeURIComponent(invented)}`,
      `rated=${randomUUID()}`,
      'withdrawn=1',
      'consented=1',
      'rectification=requested',
      'erasure=requested',
    ]) {
      const page = await get(`/my?${query}`, person);
      expect(page.statusCode, query).toBe(200);
      expect(page.body, query).not.toContain('nhsuk-notification-banner');
      expect(page.body, query).not.toContain('You have won');
    }
    const added = await get(`/my?added=${outcomeId}`, person);
    expect(added.body).toContain('nhsuk-notification-banner');
    expect(added.body).toContain('was added to what matters to you');
  });

  it('is one audited read of the record', async () => {
    const before = await readsBy(personUserId, personId);
    await get('/my', person);
    expect(await readsBy(personUserId, personId)).toBe(before + 1);
  });
});

describe('the person’s detail pages', () => {
  it('one thing that matters: the words, every rating, and a link to rate it', async () => {
    const before = await readsBy(personUserId, personId);
    const page = await get(`/my/outcomes/${outcomeId}`, person);
    expect(page.statusCode).toBe(200);
    expect(await readsBy(personUserId, personId)).toBe(before + 1);
    expect(duplicateIds(page.body)).toEqual([]);
    expect(page.body).toContain(escaped(statement));
    expect(page.body).toContain('Every rating so far');
    expect(page.body).toContain(`href="/people/${personId}/outcomes/${outcomeId}/rate"`);
    expect(page.body).toContain('Back to my record');
    expect(page.body).not.toContain('Your rating was saved');
    // The banner only for this outcome's own id.
    expect((await get(`/my/outcomes/${outcomeId}?rated=${randomUUID()}`, person)).body).not.toContain(
      'Your rating was saved',
    );
    expect((await get(`/my/outcomes/${outcomeId}?rated=${outcomeId}`, person)).body).toContain(
      'Your rating was saved',
    );
  });

  it('rating it goes back to its page, and its page is where the rate page goes back to', async () => {
    const rate = await get(`/people/${personId}/outcomes/${outcomeId}/rate`, person);
    expect(rate.statusCode).toBe(200);
    expect(rate.body).toContain(`href="/my/outcomes/${outcomeId}"`);
  });

  it('who supports me: the care team with where each is from', async () => {
    const page = await get('/my/care-team', person);
    expect(page.statusCode).toBe(200);
    expect(duplicateIds(page.body)).toEqual([]);
    expect(page.body).toContain('Who supports me');
    expect(page.body).toContain('Kind of support');
  });

  it('who can see my record: each organisation, with withdrawing a step away', async () => {
    const page = await get('/my/sharing', person);
    expect(page.statusCode).toBe(200);
    expect(duplicateIds(page.body)).toEqual([]);
    expect(page.body).toContain('Who can see my record');
    expect(page.body).toMatch(new RegExp(`action="/people/${personId}/sharing/[0-9a-f-]{36}/withdraw"`));
    expect(page.body).toContain('Back to my record');
  });

  it('my rights: the links to see, correct and erase my record', async () => {
    const page = await get('/my/rights', person);
    expect(page.statusCode).toBe(200);
    expect(duplicateIds(page.body)).toEqual([]);
    expect(page.body).toContain(`href="/people/${personId}/export"`);
    expect(page.body).toContain(`href="/people/${personId}/rectification-requests/new"`);
    expect(page.body).toContain(`href="/people/${personId}/erasure-requests/new"`);
  });
});

describe('a carer looking at someone they care for', () => {
  it('sees the same short summary, with pages of its own for each part', async () => {
    const base = `/my/people/${personId}`;
    const page = await get(base, carer);
    expect(page.statusCode).toBe(200);
    expect(duplicateIds(page.body)).toEqual([]);
    expect(page.body).toContain(`href="${base}/outcomes/${outcomeId}"`);
    expect(page.body).toContain(`href="${base}/care-team"`);
    expect(page.body).toContain(`href="${base}/rights"`);
    // Who can see the record is the person's to decide, not the carer's.
    expect(page.body).not.toContain('href="/my/sharing"');

    const before = await readsBy(carerUserId, personId);
    const outcome = await get(`${base}/outcomes/${outcomeId}`, carer);
    expect(outcome.statusCode).toBe(200);
    expect(await readsBy(carerUserId, personId)).toBe(before + 1);
    expect(duplicateIds(outcome.body)).toEqual([]);
    expect(outcome.body).toContain(escaped(statement));
    expect(outcome.body).toContain(`href="${base}"`);
    // The demo carer may add to the record, so may rate.
    expect(outcome.body).toContain(`href="/people/${personId}/outcomes/${outcomeId}/rate"`);
    const rate = await get(`/people/${personId}/outcomes/${outcomeId}/rate`, carer);
    expect(rate.body).toContain(`href="${base}/outcomes/${outcomeId}"`);

    const team = await get(`${base}/care-team`, carer);
    expect(team.statusCode).toBe(200);
    expect(duplicateIds(team.body)).toEqual([]);
    const rights = await get(`${base}/rights`, carer);
    expect(rights.statusCode).toBe(200);
    expect(duplicateIds(rights.body)).toEqual([]);
    expect(rights.body).toContain(`href="/people/${personId}/rectification-requests/new"`);
    // Seeing everything held, and erasure, are the person's own.
    expect(rights.body).not.toContain(`href="/people/${personId}/export"`);
    expect(rights.body).not.toContain('erasure-requests/new');
  });

  it('a carer cannot open the person’s own pages, nor anyone else’s record', async () => {
    expect((await get('/my/sharing', carer)).statusCode).toBe(403);
    expect((await get('/my/rights', carer)).statusCode).toBe(403);
    expect((await get('/my/care-team', carer)).statusCode).toBe(403);
    // carer@demo has no record of their own in this app: no outcome of theirs to open.
    expect((await get(`/my/outcomes/${outcomeId}`, carer)).statusCode).toBe(404);
    const stranger = randomUUID();
    for (const url of [
      `/my/people/${stranger}/outcomes/${outcomeId}`,
      `/my/people/${stranger}/care-team`,
      `/my/people/${stranger}/rights`,
    ]) {
      expect((await get(url, carer)).statusCode, url).toBe(404);
    }
  });
});

describe('others are refused', () => {
  it('the care team reads the record on its own pages, not these', async () => {
    for (const url of [
      `/my/outcomes/${outcomeId}`,
      '/my/care-team',
      '/my/sharing',
      '/my/rights',
      `/my/people/${personId}/outcomes/${outcomeId}`,
      `/my/people/${personId}/rights`,
    ]) {
      expect((await get(url, practitioner)).statusCode, url).toBe(403);
    }
  });

  it('a person opens only their own outcomes', async () => {
    const other = await t.database.db
      .selectFrom('personal_outcome')
      .select('outcome_id')
      .where('person_id', '!=', personId)
      .executeTakeFirstOrThrow();
    expect((await get(`/my/outcomes/${other.outcome_id}`, person)).statusCode).toBe(404);
    expect((await get(`/my/outcomes/${randomUUID()}`, person)).statusCode).toBe(404);
    expect((await get(`/my/people/${personId}/outcomes/${outcomeId}`, person)).statusCode).toBe(403);
    const bad = await get('/my/outcomes/not-an-id', person);
    expect(bad.statusCode).toBe(404);
  });

  it('signed-out visitors are asked to sign in', async () => {
    for (const url of [`/my/outcomes/${outcomeId}`, '/my/sharing', '/my/rights', '/my/care-team']) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(303);
      expect(String(response.headers.location)).toContain('/sign-in');
    }
  });
});
