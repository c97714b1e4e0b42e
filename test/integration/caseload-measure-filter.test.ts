import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import type { Actor } from '../../src/domain/actor.js';
import { todayIso } from '../../src/domain/calendar.js';
import { emptyCarePlan } from '../../src/domain/care-plan.js';
import { duplicateIds } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The caseload's "Measures overdue" filter, through HTTP: the page (a practitioner's and a team
 * manager's), its query string and pagination, and GET /api/caseload. The filter is a query
 * (people store: an EXISTS over the open measure requests); it must name exactly the people the
 * measures service flags as having a measure overdue, whichever way a request falls due: its own
 * date, a review that has passed, or a review not yet rearranged since the last completion.
 */
const TODAY = todayIso();
const origin = { ip: null, userAgent: null };
const FAMILY = 'Filterton';
/** People with a measure overdue by its own date, enough to need a second page of the filter. */
const PAST_DUE = 26;

let t: TestApp;
let practitioner: string;
let manager: string;
let practitionerActor: Actor;
let managerActor: Actor;
const ids: Record<string, string> = {};

const headers = (cookie: string) => ({ headers: { cookie } });
const post = (url: string, cookie: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, ...headers(cookie), payload: payload as object });
const get = (url: string, cookie: string) => t.app.inject({ url, ...headers(cookie) });

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

async function register(givenName: string): Promise<string> {
  const response = await post('/api/people', practitioner, {
    givenName,
    familyName: FAMILY,
    sex: 'female',
    dateOfBirth: '1980-04-05',
    notADuplicate: true,
  });
  expect(response.statusCode, response.body).toBe(201);
  ids[givenName] = response.json().personId;
  return response.json().personId;
}

async function requestMeasure(personId: string, dueOn: string) {
  const response = await post(`/api/people/${personId}/measure-requests`, practitioner, {
    instrument: 'ons4',
    dueOn,
    sendToPerson: false,
  });
  expect(response.statusCode, response.body).toBe(201);
}

/** A GAD-7 at each review, and a plan whose review is on `reviewOn`. */
async function measureAtReviews(personId: string, reviewOn: string) {
  const scheduled = await post(`/api/people/${personId}/measure-schedules`, practitioner, {
    instrument: 'gad7',
    atStart: false,
    atReview: true,
    atEnd: false,
  });
  expect(scheduled.statusCode, scheduled.body).toBe(201);
  const plan = emptyCarePlan();
  plan.review.plannedDate = reviewOn;
  const saved = await post(`/api/people/${personId}/plan/versions`, practitioner, {
    content: plan,
    basedOn: 0,
    changeSummary: 'First plan',
  });
  expect(saved.statusCode, saved.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10, demoToday: TODAY });
  practitioner = await signIn(t.app, 'practitioner@demo');
  manager = await signIn(t.app, 'manager@demo');
  practitionerActor = (await t.services.auth.signIn('practitioner@demo', DEMO_PASSWORD, origin)).actor;
  managerActor = (await t.services.auth.signIn('manager@demo', DEMO_PASSWORD, origin)).actor;

  // Overdue by its own date.
  await requestMeasure(await register('Pastdue'), '2026-01-01');
  // Due today: due, not overdue.
  await requestMeasure(await register('Duetoday'), TODAY);
  // Coming up.
  await requestMeasure(await register('Later'), addDays(TODAY, 30));
  // At each review, the review passed: overdue though the request has no date of its own.
  await measureAtReviews(await register('Reviewpassed'), addDays(TODAY, -20));
  // At each review, the review still to come.
  await measureAtReviews(await register('Reviewahead'), addDays(TODAY, 20));
  // At each review, the review passed and the measure done since: the next waits for the review to
  // be rearranged (its `not_before` is after the passed review), so nothing is overdue.
  const done = await register('Reviewdone');
  await measureAtReviews(done, addDays(TODAY, -20));
  const recorded = await post(`/api/people/${done}/measures`, practitioner, {
    instrument: 'gad7',
    answers: [1, 1, 1, 1, 1, 1, 1],
  });
  expect(recorded.statusCode, recorded.body).toBe(201);
  // Enough more overdue to need a second page of the filtered caseload.
  for (let i = 1; i < PAST_DUE; i++) await requestMeasure(await register(`Overdue${i}`), '2026-02-01');
});
afterAll(() => t?.close());

/** Everyone in the practitioner's caseload, every page, as the API answers. */
async function wholeCaseload(query: string): Promise<{ personId: string; name: string }[]> {
  const people: { personId: string; name: string }[] = [];
  for (let page = 1; ; page++) {
    const response = await get(`/api/caseload?${query}${query ? '&' : ''}page=${page}`, practitioner);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    people.push(...body.entries);
    if (page * body.pageSize >= body.total) return people;
  }
}

describe('GET /api/caseload?measureOverdue=true', () => {
  it('names exactly the people the measures service flags with a measure overdue', async () => {
    const everyone = await wholeCaseload('');
    const flags = await t.services.measures.dueInCaseload(
      practitionerActor,
      everyone.map((e) => e.personId),
      TODAY,
    );
    const expected = everyone
      .filter((e) => (flags.get(e.personId)?.overdue ?? 0) > 0)
      .map((e) => e.personId)
      .sort();
    const filtered = await wholeCaseload('measureOverdue=true');
    expect(filtered.map((e) => e.personId).sort()).toEqual(expected);
    expect(filtered.length).toBeGreaterThanOrEqual(PAST_DUE + 1);
  });

  it('counts a request overdue by its own date or by a passed review, and nothing else', async () => {
    const filtered = new Set((await wholeCaseload('measureOverdue=true')).map((e) => e.personId));
    for (const name of ['Pastdue', 'Reviewpassed', 'Overdue1']) expect(filtered, name).toContain(ids[name]);
    for (const name of ['Duetoday', 'Later', 'Reviewahead', 'Reviewdone']) {
      expect(filtered, name).not.toContain(ids[name]);
    }
  });

  it('combines with the other filters, and is false when not given', async () => {
    const response = await get(`/api/caseload?measureOverdue=true&search=Pastdue`, practitioner);
    expect(response.json().entries.map((e: { personId: string }) => e.personId)).toEqual([ids.Pastdue]);
    const noPlan = await wholeCaseload('measureOverdue=true&noPlan=true');
    expect(noPlan.map((e) => e.personId)).toContain(ids.Pastdue);
    expect(noPlan.map((e) => e.personId)).not.toContain(ids.Reviewpassed);
    const off = await wholeCaseload('measureOverdue=false');
    expect(off.map((e) => e.personId)).toContain(ids.Later);
  });

  it('refuses a value that is not true or false, naming the parameter', async () => {
    const response = await get('/api/caseload?measureOverdue=sometimes', practitioner);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toContain('measureOverdue');
  });

  it('is documented in the OpenAPI description', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const parameters = spec.paths['/api/caseload'].get.parameters.map((p: { name: string }) => p.name);
    expect(parameters).toContain('measureOverdue');
  });
});

describe('the caseload page', () => {
  it('offers the filter beside the others, and keeps it in the query string and pagination', async () => {
    const all = await get('/caseload', practitioner);
    expect(all.body).toContain('name="measureOverdue"');
    expect(all.body).toContain('Measures overdue');
    const page = await get('/caseload?measureOverdue=on', practitioner);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/id="measureOverdue"[^>]*checked/);
    expect(duplicateIds(page.body)).toEqual([]);
    // Every row carries the overdue tag; the review-passed person is there, the due-today one not.
    const rows = page.body.split('<tr class="nhsuk-table__row">').slice(1);
    expect(rows.length).toBe(25);
    for (const row of rows) expect(row).toMatch(/(Measure|\d+ measures) overdue/);
    expect(page.body).not.toContain('Duetoday');
    expect(page.body).toContain('measureOverdue=on&amp;page=2');
    const second = await get('/caseload?measureOverdue=on&page=2', practitioner);
    expect(second.body).toContain('measureOverdue=on&amp;page=1');
  });

  it('filters the team manager’s caseload the same way, with their other filters', async () => {
    const page = await get('/caseload?measureOverdue=on', manager);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/id="measureOverdue"[^>]*checked/);
    const found = async (name: string) =>
      (
        await t.services.people.teamCaseload(managerActor, {
          today: TODAY,
          measureOverdueOnly: true,
          search: name,
        })
      ).entries.map((e) => e.name);
    expect(await found('Pastdue')).toEqual(['Pastdue Filterton']);
    expect(await found('Reviewpassed')).toEqual(['Reviewpassed Filterton']);
    expect(await found('Duetoday')).toEqual([]);
    expect(await found('Reviewdone')).toEqual([]);
    const second = await get('/caseload?measureOverdue=on&page=2', manager);
    expect(second.body).toMatch(/href="\/caseload\?measureOverdue=on&amp;page=1"/);
    const reviewToo = await get('/caseload?measureOverdue=on&review=overdue&search=Filterton', manager);
    expect(reviewToo.body).toContain('Reviewpassed Filterton');
    expect(reviewToo.body).not.toContain('Pastdue Filterton');
  });
});
