import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCarePlan } from '../../src/domain/care-plan.js';
import { countQueries } from '../../src/store/database.js';
import { queriesFor } from '../support/query-count.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The statements a practitioner's routes run must not grow with what they show: more people in the
 * caseload, more outcomes, ratings and plan versions on a record. Each route is counted, the data
 * grown through the API, and the route counted again. Resolving the session costs nothing on a
 * repeated request.
 */
let t: TestApp;
let practitioner: string;
let personId: string;
let domainIds: string[];

const json = (cookie: string) => ({ headers: { cookie } });

/** The routes counted, with the person they are about filled in. */
const routes = () => ({
  'GET /api/caseload': '/api/caseload',
  'GET /caseload (page)': '/caseload',
  'GET /api/people/{id}': `/api/people/${personId}`,
  'GET /people/{id} (summary page)': `/people/${personId}`,
  'GET /people/{id}/plan (page)': `/people/${personId}/plan`,
});
type Route = keyof ReturnType<typeof routes>;
const before = new Map<Route, number>();

/** How much the routes show: checked to have grown, so an unchanged count means something. */
async function shown() {
  const caseload = (await t.app.inject({ url: '/api/caseload', ...json(practitioner) })).json();
  const record = (await t.app.inject({ url: `/api/people/${personId}`, ...json(practitioner) })).json();
  const plan = (await t.app.inject({ url: `/api/people/${personId}/plan`, ...json(practitioner) })).json();
  return { people: caseload.total, outcomes: record.outcomes.length, planVersion: plan.current.version };
}
let shownBefore: Awaited<ReturnType<typeof shown>>;

let registered = 0;
async function registerPerson(): Promise<string> {
  registered++;
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/people',
    ...json(practitioner),
    payload: { givenName: `Counted${registered}`, familyName: 'Person', sex: 'female' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().personId;
}

async function addOutcomes(count: number, heldOn: string): Promise<void> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/people/${personId}/conversations`,
    ...json(practitioner),
    payload: {
      kind: 'review',
      heldOn,
      summary: 'Talked about what matters.',
      participants: [{ kind: 'person', name: 'Counted Person' }],
      newOutcomes: Array.from({ length: count }, (_, i) => ({
        statement: `I want to do thing ${heldOn} ${i}`,
        domainIds: [domainIds[i % domainIds.length]],
        importance: 5,
        ratings: [
          { viewpoint: 'person', score: 3 },
          { viewpoint: 'practitioner', score: 4 },
        ],
      })),
    },
  });
  expect(response.statusCode, response.body).toBe(201);
}

async function addPlanVersion(basedOn: number): Promise<void> {
  const content = emptyCarePlan();
  content.aboutMe.mostImportant = `Version ${basedOn + 1} of what matters most.`;
  content.strengths = ['Determined', `Strength ${basedOn + 1}`];
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/people/${personId}/plan/versions`,
    ...json(practitioner),
    payload: { content, basedOn, changeSummary: `Change ${basedOn + 1}` },
  });
  expect(response.statusCode, response.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  const frameworks = (await t.app.inject({ url: '/api/frameworks', ...json(practitioner) })).json();
  domainIds = frameworks
    .find((f: { key: string }) => f.key === 'talking-points')
    .domains.map((d: { domainId: string }) => d.domainId);

  personId = await registerPerson();
  await addOutcomes(1, '2026-09-01');
  await addPlanVersion(0);

  for (const [route, url] of Object.entries(routes()) as [Route, string][]) {
    const counted = await queriesFor(t.app, url, practitioner);
    expect(counted.statusCode, route).toBe(200);
    before.set(route, counted.queries);
  }

  shownBefore = await shown();
  // Grow everything the routes show: five more people in the caseload, twelve more outcomes with
  // their ratings across three more conversations, and four more plan versions.
  for (let i = 0; i < 5; i++) await registerPerson();
  for (const heldOn of ['2026-09-15', '2026-10-01', '2026-10-15']) await addOutcomes(4, heldOn);
  for (let version = 1; version <= 4; version++) await addPlanVersion(version);
}, 120_000);
afterAll(() => t?.close());

describe('queries per request do not grow with the data shown', () => {
  it('the routes show more after the data grew', async () => {
    expect(await shown()).toEqual({
      people: shownBefore.people + 5,
      outcomes: shownBefore.outcomes + 12,
      planVersion: shownBefore.planVersion + 4,
    });
  });

  it.each(Object.keys(routes()) as Route[])('%s', async (route) => {
    const counted = await queriesFor(t.app, routes()[route], practitioner);
    expect(counted.statusCode).toBe(200);
    expect(before.get(route), 'counted before the data grew').toBeGreaterThan(0);
    expect(counted.queries, `${route}: ${before.get(route)} queries before, ${counted.queries} after`).toBe(
      before.get(route),
    );
  });
});

describe('resolving the session', () => {
  it('costs no query on a repeated request', async () => {
    await t.app.inject({ url: '/health', ...json(practitioner) });
    const { result, queries } = await countQueries(() =>
      t.app.inject({ url: '/api/session', ...json(practitioner) }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.json().username).toBe('practitioner@demo');
    expect(queries).toBe(0);
  });

  it('counts each request on its own when requests run side by side', async () => {
    const manager = await signIn(t.app, 'manager@demo');
    const [session, record] = await Promise.all([
      countQueries(() => t.app.inject({ url: '/api/session', ...json(manager) })),
      countQueries(() => t.app.inject({ url: `/api/people/${personId}`, ...json(practitioner) })),
    ]);
    expect(session.result.statusCode).toBe(200);
    expect(session.queries, 'a session just signed in is already held').toBe(0);
    expect(record.queries).toBe(before.get('GET /api/people/{id}'));
  });
});
