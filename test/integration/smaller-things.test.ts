import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonInCaseload } from '../support/demo.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The "smaller things found on the way" of issue 9, each through HTTP: every one of these
 * answered differently before it was fixed.
 */
let t: TestApp;
let practitioner: string;
let personId: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(t, practitioner);
});
afterAll(() => t?.close());

const levels = { '-2': 'Worse', '-1': 'As now', '0': 'Expected', '1': 'Better', '2': 'Much better' };
const conversation = (overrides: Record<string, unknown>) => ({
  kind: 'review',
  heldOn: '2026-09-01',
  summary: 'We talked about the garden',
  participants: [{ kind: 'person', name: 'The person' }],
  ...overrides,
});
const post = (payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: `/api/people/${personId}/conversations`,
    headers: { cookie: practitioner },
    payload,
  });
const fieldsOf = (response: { json(): { errors?: { field: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.field);

describe('smaller things', () => {
  it('a conversation summary has a length limit of 5,000 characters', async () => {
    const long = await post(conversation({ summary: 'a'.repeat(5001) }));
    expect(long.statusCode).toBe(400);
    expect(fieldsOf(long)).toContain('body.summary');
    expect((await post(conversation({ summary: 'a'.repeat(5000) }))).statusCode).toBe(201);
  });

  it('a GAS goal that weighs nothing is refused, naming the field, rather than scored as T = 70', async () => {
    const newOutcome = (gas: Record<string, unknown>) => ({
      newOutcomes: [
        { statement: 'To walk to the shop', domainIds: [], gas: { levels, baselineLevel: -1, ...gas } },
      ],
    });
    const zeroWeight = await post(conversation(newOutcome({ weight: 0 })));
    expect(zeroWeight.statusCode).toBe(422);
    expect(fieldsOf(zeroWeight)).toContain('newOutcomes.0.gas.weight');
    const zeroImportance = await post(conversation(newOutcome({ importance: 0, difficulty: 2 })));
    expect(zeroImportance.statusCode).toBe(422);
    expect(fieldsOf(zeroImportance)).toContain('newOutcomes.0.gas.importance');
  });

  it('pages answer a bad address in plain words, never a validator’s or a router’s', async () => {
    const missing = await t.app.inject({
      url: '/no-such-page',
      headers: { cookie: practitioner, accept: 'text/html' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('check it is correct');
    expect(missing.body).not.toContain('GET /no-such-page');
    const badQuery = await t.app.inject({
      url: '/audit?page=abc',
      headers: { cookie: await signIn(t.app, 'admin@demo'), accept: 'text/html' },
    });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.body).not.toMatch(/querystring|must be|must match/);
    // The API keeps naming the field for the program that sent it.
    const api = await t.app.inject({ url: '/api/people/not-an-id', headers: { cookie: practitioner } });
    expect(api.statusCode).toBe(400);
    expect(fieldsOf(api)).toContain('params.personId');
  });
});

describe('contact details', () => {
  it('a phone number must be one: "call me maybe" is refused on registration and on change, naming the field', async () => {
    const registered = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: practitioner },
      payload: { givenName: 'Ada', familyName: 'Phone', sex: 'female', phone: 'call me maybe' },
    });
    expect(registered.statusCode).toBe(400);
    expect(fieldsOf(registered)).toContain('body.phone');
    expect(registered.body).toContain('Enter a telephone number');
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/people/${personId}/contact`,
      headers: { cookie: practitioner },
      payload: { phone: 'call me maybe' },
    });
    expect(changed.statusCode).toBe(400);
    expect(fieldsOf(changed)).toContain('body.phone');
    const fine = await t.app.inject({
      method: 'PATCH',
      url: `/api/people/${personId}/contact`,
      headers: { cookie: practitioner },
      payload: { phone: '01632 960 001' },
    });
    expect(fine.statusCode).toBeLessThan(300);
  });
});

describe('searching a caseload', () => {
  it('is accent-insensitive: "nunez" finds "Ñúñez", and "ÑÚÑEZ" finds them too', async () => {
    const registered = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: practitioner },
      payload: { givenName: 'María', familyName: 'Ñúñez', sex: 'female' },
    });
    expect(registered.statusCode).toBe(201);
    for (const search of ['nunez', 'maria nunez', 'ÑÚÑEZ']) {
      const found = await t.app.inject({
        url: `/api/caseload?search=${encodeURIComponent(search)}`,
        headers: { cookie: practitioner },
      });
      expect(found.statusCode).toBe(200);
      const names = found.json().entries.map((e: { name: string }) => e.name);
      expect(names, search).toContainEqual(expect.stringContaining('Ñúñez'));
    }
  });
});

describe('outcomes frameworks', () => {
  it('a new version that says exactly what the latest says is refused, naming the field; a changed one is added', async () => {
    const admin = await signIn(t.app, 'admin@demo');
    const list = (await t.app.inject({ url: '/api/frameworks', headers: { cookie: admin } })).json();
    const latest = list
      .filter((f: { key: string }) => f.key === 'carers')
      .sort((a: { version: number }, b: { version: number }) => b.version - a.version)[0];
    const copy = {
      key: latest.key,
      version: latest.version + 1,
      name: latest.name,
      description: latest.description,
      ratingScale: { labels: latest.ratingLabels },
      domains: latest.domains.map(({ domainId: _, ...domain }: { domainId: string }) => domain),
    };
    const add = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/frameworks', headers: { cookie: admin }, payload });
    const same = await add(copy);
    expect(same.statusCode).toBe(422);
    expect(fieldsOf(same)).toContain('name');
    expect(same.body).toContain(`exactly what version ${latest.version} says`);
    expect((await add({ ...copy, description: `${copy.description} Revised.` })).statusCode).toBe(201);
  });
});

/** A practitioner of another organisation than practitioner@demo's, signed in. */
async function practitionerElsewhere(): Promise<string> {
  const own = await t.database.db
    .selectFrom('user_role as r')
    .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
    .select('r.organisation_id')
    .where('u.username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  const other = await t.database.db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', '<>', own.organisation_id as string)
    .executeTakeFirstOrThrow();
  const password = 'a long enough passphrase for tests';
  await t.services.users.add({
    username: 'elsewhere@test',
    displayName: 'Elsewhere Practitioner',
    role: 'practitioner',
    organisationId: other.organisation_id,
    password,
  });
  return signIn(t.app, 'elsewhere@test', password);
}

describe('registering someone who may already be registered', () => {
  const register = (session: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: session }, payload });

  it('the same name and date of birth without an NHS number is refused until confirmed a different person', async () => {
    const ada = { givenName: 'Ada', familyName: 'Twiceton', dateOfBirth: '1950-04-01', sex: 'female' };
    expect((await register(practitioner, ada)).statusCode).toBe(201);
    const again = await register(practitioner, { ...ada, givenName: 'ADA' });
    expect(again.statusCode).toBe(409);
    expect(fieldsOf(again)).toEqual(['notADuplicate']);
    expect(again.body).toContain('same name and date of birth');
    // Confirmed a different person: registered.
    expect((await register(practitioner, { ...ada, notADuplicate: true })).statusCode).toBe(201);
  });

  it('the page links to the existing record for someone who may open it, and not for anyone else', async () => {
    const bea = { givenName: 'Bea', familyName: 'Twiceton', dateOfBirth: '1960-05-02', sex: 'female' };
    const first = await register(practitioner, bea);
    const existingId = first.json().personId as string;
    const form = (session: string) =>
      submitForm(t.app, {
        session,
        pageUrl: '/people/new',
        action: '/people/new',
        fields: {
          givenName: 'Bea',
          familyName: 'Twiceton',
          'dateOfBirth[day]': '2',
          'dateOfBirth[month]': '5',
          'dateOfBirth[year]': '1960',
          sex: 'female',
        },
      });
    const mine = await form(practitioner);
    expect(mine.statusCode).toBe(400);
    expect(mine.body).toContain(`href="/people/${existingId}"`);
    expect(mine.body).toContain('href="#notADuplicate"');
    expect(duplicateIds(mine.body)).toEqual([]);
    const elsewhere = await form(await practitionerElsewhere());
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.body).not.toContain(existingId);
    expect(elsewhere.body).toContain('same name and date of birth');
  });

  it('a taken NHS number links to the record for someone who may open it', async () => {
    const record = (
      await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: practitioner } })
    ).json();
    const nhsNumber = record.person.nhsNumber as string;
    expect(nhsNumber).toBeTruthy();
    const page = await submitForm(t.app, {
      session: practitioner,
      pageUrl: '/people/new',
      action: '/people/new',
      fields: { givenName: 'Someone', familyName: 'Else', sex: 'male', nhsNumber },
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(`href="/people/${personId}"`);
  });
});

describe('GAS levels on pages', () => {
  it('are written one way, signed with a true minus sign, never a hyphen', async () => {
    const pages = [
      `/people/${personId}/conversations/new?kind=review`,
      `/people/${personId}`,
      `/people/${personId}/timeline`,
    ];
    let levelsSeen = 0;
    for (const url of pages) {
      const page = await t.app.inject({ url, headers: { cookie: practitioner } });
      expect(page.statusCode, url).toBe(200);
      const text = page.body.replace(/<[^>]+>/g, ' ');
      expect(text.match(/[^\n]{0,50}(^|[\s(])-[12](:|\s|\))[^\n]{0,20}/gm) ?? [], url).toEqual([]);
      levelsSeen += (text.match(/[\u2212+][12](:|\s|\))/g) ?? []).length;
    }
    // The demo person has goal attainment scales, so the check above had levels to look at.
    expect(levelsSeen).toBeGreaterThan(0);
  });
});
