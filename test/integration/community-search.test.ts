import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { addDays, nextReviewDue } from '../../src/domain/community/staleness.js';
import type { CommunityResourceInput } from '../../src/features/community/schema.js';
import { insertResource } from '../../src/features/community/store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Finding support in the community directory through HTTP, without signing in: the public page and
 * the JSON API search the same entries by need, place, day and time, nearest first; entries people
 * may not see (closed, long past review) are neither listed nor readable; bad parameters name the
 * field, on the page in the error summary and in the API as problem+json.
 */

let t: TestApp;
const ids: Record<string, string> = {};
let organisationId = '';

const body = (over: Partial<CommunityResourceInput>): CommunityResourceInput => ({
  name: 'x',
  kind: 'walking-group',
  summary: 'A gentle walk',
  description: '',
  needs: ['loneliness-isolation'],
  domainCodes: [],
  online: false,
  address: '1 Mill Lane\nRiverton',
  postcode: 'RV1 2AB',
  sessions: [{ day: 'tue', start: '10:00', end: '11:30' }],
  scheduleNote: '',
  eligibility: '',
  minAge: null,
  maxAge: null,
  costKind: 'free',
  costNote: '',
  accessibility: ['step-free'],
  accessibilityNote: '',
  selfReferral: true,
  howToRefer: 'Just turn up, or ring Sue first.',
  phone: '01632 960123',
  email: 'walks@example.org',
  website: null,
  capacity: null,
  acceptingReferrals: true,
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  organisationId = crypto.randomUUID();
  await t.database.db
    .insertInto('organisation')
    .values({ organisation_id: organisationId, kind: 'voluntary-community', name: 'Search Test Neighbours' })
    .execute();
  const today = todayIso();
  const add = async (
    key: string,
    over: Partial<CommunityResourceInput>,
    extra: { reviewDue?: string; status?: 'active' | 'closed' } = {},
  ) => {
    ids[key] = await insertResource(t.database.db, {
      organisationId,
      body: body(over),
      maintainerUserId: null,
      createdBy: null,
      reviewDue: extra.reviewDue ?? nextReviewDue(today),
      lastReviewedAt: new Date('2026-01-15T10:00:00Z'),
      ...(extra.status ? { status: extra.status } : {}),
    });
  };
  await add('walk', { name: 'Search Test Tuesday Walk', postcode: 'RV1 2AB' });
  await add('choir', {
    name: 'Search Test Village Choir',
    kind: 'arts-culture',
    postcode: 'RV7 1AD',
    costKind: 'donation',
    sessions: [{ day: 'thu', start: '19:00', end: '21:00' }],
  });
  await add('online', {
    name: 'Search Test Online Chat',
    kind: 'peer-support',
    online: true,
    address: null,
    postcode: null,
    sessions: [],
    selfReferral: false,
    needs: ['loneliness-isolation', 'mental-wellbeing'],
  });
  await add('nowhere', { name: 'Search Test Unknown Sector', postcode: 'AB1 2CD' });
  await add('hidden', { name: 'Search Test Forgotten Walk' }, { reviewDue: addDays(today, -60) });
  await add('due', { name: 'Search Test Due Walk', postcode: 'RV1 3AB' }, { reviewDue: addDays(today, -3) });
  await add('closed', { name: 'Search Test Closed Walk' }, { status: 'closed' });
  await add('money', {
    name: 'Search Test Debt Advice',
    kind: 'debt-benefits-advice',
    needs: ['money-debt'],
  });
}, 120_000);
afterAll(() => t?.close());

const api = (query: string) => t.app.inject({ method: 'GET', url: `/api/community/resources?${query}` });
type Answer = {
  postcode: string | null;
  count: number;
  results: { resource: Record<string, unknown>; distanceMiles: number | null }[];
};
const names = (answer: Answer) => answer.results.map((r) => r.resource.name);

describe('searching through the API', () => {
  it('finds what people may see, nearest first, with online support at any distance', async () => {
    const response = await api('need=loneliness-isolation&postcode=rv2%201ab&day=tue&time=morning');
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json() as Answer;
    expect(answer.postcode).toBe('RV2 1AB');
    // The choir meets on Thursdays; the unknown sector's walk has no distance, so it comes after those with one.
    expect(names(answer)).toEqual([
      'Search Test Tuesday Walk',
      'Search Test Due Walk',
      'Search Test Online Chat',
      'Search Test Unknown Sector',
    ]);
    const walk = answer.results[0];
    expect(walk?.distanceMiles).toBeGreaterThan(0.4);
    expect(walk?.distanceMiles).toBeLessThan(1);
    // Who on the staff keeps it is not for the public.
    expect(walk?.resource).not.toHaveProperty('maintainerName');
    expect(walk?.resource).not.toHaveProperty('maintainerUserId');
  });

  it('keeps to a distance, leaving out places too far or unknown, and blank parameters mean any', async () => {
    const near = (
      await api('need=loneliness-isolation&postcode=RV1%202AB&within=2&kind=&day=')
    ).json() as Answer;
    expect(names(near)).toEqual([
      'Search Test Tuesday Walk',
      'Search Test Due Walk',
      'Search Test Online Chat',
    ]);
    const far = (await api('need=loneliness-isolation&postcode=RV1%202AB&within=10')).json() as Answer;
    expect(names(far)).toContain('Search Test Village Choir');
    const choir = far.results.find((r) => r.resource.name === 'Search Test Village Choir');
    expect(choir?.distanceMiles).toBeGreaterThan(4);
    expect(choir?.distanceMiles).toBeLessThan(8);
  });

  it('filters by kind, words, cost and self-referral', async () => {
    expect(names((await api('kind=debt-benefits-advice')).json())).toEqual(['Search Test Debt Advice']);
    expect(names((await api('words=village%20CHOIR')).json())).toEqual(['Search Test Village Choir']);
    expect(names((await api('need=loneliness-isolation&free=yes')).json())).not.toContain(
      'Search Test Village Choir',
    );
    expect(names((await api('need=loneliness-isolation&selfReferral=yes')).json())).not.toContain(
      'Search Test Online Chat',
    );
  });

  it('never lists entries that are closed or long past their review date', async () => {
    const all = (await api('')).json() as Answer;
    expect(names(all)).not.toContain('Search Test Forgotten Walk');
    expect(names(all)).not.toContain('Search Test Closed Walk');
    expect(all.count).toBe(6);
  });

  it('names the field at fault', async () => {
    const cases: [string, number, string][] = [
      ['need=juggling', 400, 'querystring.need'],
      ['postcode=hello', 400, 'querystring.postcode'],
      ['within=500&postcode=RV1%202AB', 400, 'querystring.within'],
      ['shoeSize=9', 400, 'querystring.shoeSize'],
      ['postcode=AB1%202CD', 422, 'postcode'],
      ['within=5', 422, 'postcode'],
      ['domain=no-such-domain', 422, 'domain'],
    ];
    for (const [query, status, field] of cases) {
      const response = await api(query);
      expect(response.statusCode, query).toBe(status);
      expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
      const problem = response.json() as { errors?: { field: string }[] };
      expect(
        problem.errors?.map((e) => e.field),
        query,
      ).toContain(field);
    }
  });

  it('reads one entry people may see, and answers 404 for one they may not', async () => {
    const walk = await t.app.inject({ method: 'GET', url: `/api/community/resources/${ids.walk}` });
    expect(walk.statusCode).toBe(200);
    expect(walk.json()).toMatchObject({
      name: 'Search Test Tuesday Walk',
      organisationName: 'Search Test Neighbours',
    });
    for (const key of ['hidden', 'closed']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/community/resources/${ids[key]}` });
      expect(response.statusCode, key).toBe(404);
    }
  });
});

describe('the public pages', () => {
  it('search by need near a postcode on a day, with the distance, kind, when, cost and self-referral', async () => {
    const page = await t.app.inject({
      method: 'GET',
      url: '/community?need=loneliness-isolation&postcode=RV2+1AB&within=5&day=tue&time=&words=',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('3 results near RV2 1AB');
    expect(page.body).toMatch(
      /Search Test Tuesday Walk<\/a>[\s\S]*?0\.\d miles away[\s\S]*?Walking group[\s\S]*?Tuesdays, 10:00 to 11:30[\s\S]*?Free[\s\S]*?You can refer yourself/,
    );
    expect(page.body).toMatch(/Search Test Online Chat<\/a>[\s\S]*?Online[\s\S]*?By arrangement/);
    expect(page.body).not.toContain('Search Test Village Choir');
    expect(page.body).toContain(`href="/community/resources/${ids.walk}"`);
    // The choices are kept in the form.
    expect(page.body).toMatch(/<option value="tue" selected/);
  });

  it('shows the form alone before a search, and an error summary linking to each field at fault', async () => {
    const blank = await t.app.inject({ method: 'GET', url: '/community' });
    expect(blank.statusCode).toBe(200);
    expect(blank.body).toContain('Find support in your community');
    expect(blank.body).not.toContain('results');
    const bad = await t.app.inject({ method: 'GET', url: '/community?need=juggling&postcode=hello' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<title>Error: Find support in your community');
    expect(bad.body).toContain('href="#need"');
    expect(bad.body).toContain('Choose a need from the list');
    expect(bad.body).toContain('href="#postcode"');
    expect(bad.body).toContain('Enter a real postcode, like RV1 2AB');
    const unknown = await t.app.inject({ method: 'GET', url: '/community?postcode=AB1+2CD' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('We do not know where AB1 2CD is');
  });

  it('shows an entry: what, when and where, who, cost, access, how to refer yourself, last checked', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/community/resources/${ids.walk}` });
    expect(page.statusCode).toBe(200);
    for (const text of [
      'Search Test Tuesday Walk',
      'Run by Search Test Neighbours',
      'Tuesdays, 10:00 to 11:30',
      '1 Mill Lane',
      'RV1 2AB',
      'Step-free access',
      'How to refer yourself or be referred',
      'Just turn up, or ring Sue first.',
      'href="tel:01632960123"',
      'href="mailto:walks@example.org"',
      'Last checked by Search Test Neighbours on 15 January 2026',
    ]) {
      expect(page.body).toContain(text);
    }
    const hidden = await t.app.inject({ method: 'GET', url: `/community/resources/${ids.hidden}` });
    expect(hidden.statusCode).toBe(404);
  });

  it('is linked from the public home page and the header', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toContain('href="/community"');
    expect(home.body).toMatch(/nhsuk-header__navigation[\s\S]*href="\/community"[\s\S]*Find support/);
  });
});

// Last: these entries would change the counts the tests above check.
describe('a page of results at a time', () => {
  beforeAll(async () => {
    for (let i = 1; i <= 43; i += 1) {
      await insertResource(t.database.db, {
        organisationId,
        body: body({ name: `Paging Test Befriender ${String(i).padStart(2, '0')}`, kind: 'befriending' }),
        maintainerUserId: null,
        createdBy: null,
        reviewDue: nextReviewDue(todayIso()),
        lastReviewedAt: null,
      });
    }
  }, 60_000);

  it('answers 20 to a page, in order, with the count of all and nothing past the last page', async () => {
    const pageOf = async (page: string) => {
      const response = await api(`kind=befriending&words=Paging${page ? `&page=${page}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as Answer & { page: number; pageSize: number };
    };
    const first = await pageOf('');
    expect(first).toMatchObject({ count: 43, page: 1, pageSize: 20 });
    expect(names(first)[0]).toBe('Paging Test Befriender 01');
    expect(names(first)).toHaveLength(20);
    expect(names(await pageOf('2'))[0]).toBe('Paging Test Befriender 21');
    const third = await pageOf('3');
    expect(names(third)).toEqual([
      'Paging Test Befriender 41',
      'Paging Test Befriender 42',
      'Paging Test Befriender 43',
    ]);
    expect((await pageOf('4')).results).toEqual([]);
    for (const bad of ['0', 'two', '10000']) {
      const response = await api(`kind=befriending&page=${bad}`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().errors?.[0]?.field ?? response.body).toContain('page');
    }
  });

  it('links the pages before and after on the page, keeping the search, and says which results it shows', async () => {
    const page = await t.app.inject({
      method: 'GET',
      url: '/community?kind=befriending&words=Paging&page=2',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Showing results 21 to 40 of 43');
    expect(page.body).toContain('href="/community?kind=befriending&amp;words=Paging"');
    expect(page.body).toContain('href="/community?kind=befriending&amp;words=Paging&amp;page=3"');
    expect(page.body).toContain('Paging Test Befriender 21');
    expect(page.body).not.toContain('Paging Test Befriender 20<');
    // A page number the links never give is refused on the form's first field, not as a broken page.
    const bad = await t.app.inject({ method: 'GET', url: '/community?kind=befriending&page=x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#need"');
    expect(bad.body).toContain('Choose a page of the results from the links below them');
  });
});
