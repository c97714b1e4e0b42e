import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDetail, ContractSummary } from '../../src/features/contracts/schema.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
const session: Record<string, string> = {};
const org: Record<string, string> = {};
const team: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5, demoToday: '2026-11-27' });
  for (const who of ['commissioner', 'analyst', 'practitioner', 'manager']) {
    session[who] = await signIn(t.app, `${who}@demo`);
  }
  const { db } = t.database;
  for (const o of await db.selectFrom('organisation').select(['organisation_id', 'name']).execute()) {
    org[o.name] = o.organisation_id;
  }
  for (const x of await db.selectFrom('team').select(['team_id', 'name']).execute()) team[x.name] = x.team_id;
});
afterAll(() => t?.close());

const ICB = 'NHS Riverside and Kingsmere Integrated Care Board';
const TRUST = 'Riverside Community Healthcare NHS Trust';
const COUNCIL = 'Riverside Borough Council Adult Social Care';

const as = (who: string) => ({ cookie: session[who] as string });
const get = (url: string, who: string) => t.app.inject({ url, headers: as(who) });
const list = async (who: string): Promise<ContractSummary[]> => (await get('/api/contracts', who)).json();
const errorLinks = (html: string) => [...html.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]);

describe('the demo contracts', () => {
  it('are between the demo commissioner and its providers, for the long-term conditions framework', async () => {
    const all = await list('analyst');
    expect(all).toHaveLength(4);
    expect(new Set(all.map((c) => c.commissioner.name))).toEqual(new Set([ICB]));
    expect(all.map((c) => c.provider.name)).toEqual(expect.arrayContaining([TRUST, COUNCIL]));
    expect(all.every((c) => c.startsOn === '2024-11-01' && c.endsOn === '2027-10-31')).toBe(true);
    const trust = all.find((c) => c.provider.name === TRUST) as ContractSummary;
    const detail: ContractDetail = (await get(`/api/contracts/${trust.contractId}`, 'analyst')).json();
    expect(detail.framework?.key).toBe('long-term-conditions');
    expect(detail.indicators.every((i) => i.indicator.inLibrary)).toBe(true);
    expect(detail.indicators.find((i) => i.indicator.key === 'gas-service')).toMatchObject({
      target: 50,
      indicator: { improvement: 'increase' },
    });
    expect(detail.mayEdit).toBe(false);
  });
});

describe('a commissioner makes a contract', () => {
  it('from the form; it is listed and shown with its indicators and targets', async () => {
    const response = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: '/contracts/new',
      action: '/contracts/new',
      fields: {
        title: 'Housing support for people with long-term conditions',
        commissionerOrganisationId: org[ICB] as string,
        providerOrganisationId: org["Weaver's Wharf Housing Association"] as string,
        teamIds: [team['Tenancy Sustainment Team'] as string],
        'startsOn[day]': '1',
        'startsOn[month]': '4',
        'startsOn[year]': '2026',
        'endsOn[day]': '31',
        'endsOn[month]': '3',
        'endsOn[year]': '2028',
        'target-current-plan': '85',
        'target-person-rated-achieved': '62.5',
        frameworkKey: 'long-term-conditions',
        riskGainShare: 'No payment at risk in the first year.',
      },
    });
    expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
    const page = await get(String(response.headers.location), 'commissioner');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The contract is saved.');
    expect(page.body).toContain('Tenancy Sustainment Team');
    expect(page.body).toContain('62.5');
    expect(page.body).toContain('Change the contract');
    expect(duplicateIds(page.body)).toEqual([]);

    const mine = (await list('commissioner')).find((c) => c.title.startsWith('Housing support'));
    expect(mine).toMatchObject({ teamCount: 1, indicatorCount: 2 });
    const listed = await get('/contracts', 'commissioner');
    expect(listed.body).toContain('Housing support for people with long-term conditions');
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select('resource_id')
      .where('action', '=', 'create-contract')
      .execute();
    expect(audited.map((a) => a.resource_id)).toContain(mine?.contractId);

    // Changing a target keeps the contract, with the new target.
    const edit = `/contracts/${mine?.contractId}/edit`;
    const editPage = await get(edit, 'commissioner');
    expect(editPage.statusCode).toBe(200);
    expect(editPage.body).toContain('value="85"');
    const changed = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: edit,
      action: edit,
      fields: {
        title: 'Housing support for people with long-term conditions',
        commissionerOrganisationId: org[ICB] as string,
        providerOrganisationId: org["Weaver's Wharf Housing Association"] as string,
        teamIds: [team['Tenancy Sustainment Team'] as string, team['Independent Living Team'] as string],
        'startsOn[day]': '1',
        'startsOn[month]': '4',
        'startsOn[year]': '2026',
        'endsOn[day]': '31',
        'endsOn[month]': '3',
        'endsOn[year]': '2028',
        'target-current-plan': '90',
        frameworkKey: '',
        riskGainShare: '',
      },
    });
    expect(changed.statusCode, changed.body.slice(0, 3000)).toBe(303);
    const detail: ContractDetail = (await get(`/api/contracts/${mine?.contractId}`, 'commissioner')).json();
    expect(detail.indicators).toEqual([
      { indicator: expect.objectContaining({ key: 'current-plan' }), target: 90 },
    ]);
    expect(detail.teams).toHaveLength(2);
    expect(detail.framework).toBeNull();
  });

  it('through the API', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/contracts',
      headers: as('commissioner'),
      payload: {
        title: 'Health coaching pilot',
        commissionerOrganisationId: org[ICB],
        providerOrganisationId: org['Riverside Community Links'],
        teamIds: [team['Health and Wellbeing Coaching']],
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        indicators: [{ indicatorKey: 'gas-service', target: 52 }],
        riskGainShare: '',
        frameworkKey: null,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ title: 'Health coaching pilot', mayEdit: true });
    expect((await list('analyst')).map((c) => c.title)).toContain('Health coaching pilot');
  });
});

describe('validation', () => {
  it('names each field at fault, linking to the field', async () => {
    const response = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: '/contracts/new',
      action: '/contracts/new',
      fields: {
        title: 'Muddled',
        commissionerOrganisationId: org[ICB] as string,
        providerOrganisationId: org[TRUST] as string,
        // A council team in a trust contract.
        teamIds: [team['Reablement and Independence Team'] as string],
        'startsOn[day]': '1',
        'startsOn[month]': '4',
        'startsOn[year]': '2027',
        'endsOn[day]': '1',
        'endsOn[month]': '4',
        'endsOn[year]': '2026',
        riskGainShare: '',
        frameworkKey: '',
      },
    });
    expect(response.statusCode).toBe(400);
    const links = errorLinks(response.body);
    expect(links).toEqual(expect.arrayContaining(['teamIds', 'endsOn-day', 'indicators']));
    for (const id of links) expect(response.body, id).toContain(`id="${id}"`);
    expect(response.body).toContain('The end date must be after the start date.');

    const notANumber = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: '/contracts/new',
      action: '/contracts/new',
      fields: {
        title: 'Targets',
        commissionerOrganisationId: org[ICB] as string,
        providerOrganisationId: org[TRUST] as string,
        teamIds: [team['Community Frailty and Falls Team'] as string],
        'startsOn[day]': '1',
        'startsOn[month]': '4',
        'startsOn[year]': '2026',
        'endsOn[day]': '31',
        'endsOn[month]': '3',
        'endsOn[year]': '2027',
        'target-current-plan': 'ninety',
        riskGainShare: '',
        frameworkKey: '',
      },
    });
    expect(notANumber.statusCode).toBe(400);
    expect(errorLinks(notANumber.body)).toEqual(['target-current-plan']);
    expect(notANumber.body).toContain('value="ninety"');
  });

  it('refuses a contract for another commissioner’s organisation', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/contracts',
      headers: as('commissioner'),
      payload: {
        title: 'Not ours',
        commissionerOrganisationId: org[COUNCIL],
        providerOrganisationId: org[TRUST],
        teamIds: [team['Community Frailty and Falls Team']],
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        indicators: [{ indicatorKey: 'current-plan', target: 90 }],
        riskGainShare: '',
        frameworkKey: null,
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'commissionerOrganisationId',
    ]);
  });
});

describe('access', () => {
  it('team managers see only the contracts naming their organisation', async () => {
    const seen = await list('manager');
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((c) => c.provider.name))).toEqual(new Set([COUNCIL]));
    const trust = (await list('analyst')).find((c) => c.provider.name === TRUST) as ContractSummary;
    expect((await get(`/api/contracts/${trust.contractId}`, 'manager')).statusCode).toBe(404);
    expect((await get(`/contracts/${trust.contractId}`, 'manager')).statusCode).toBe(404);
    const council = seen[0] as ContractSummary;
    const page = await get(`/contracts/${council.contractId}`, 'manager');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Change the contract');
    // The framework is named, not linked: team managers do not open frameworks.
    expect(page.body).toContain('Living well with long-term conditions (example)');
    expect(page.body).not.toContain('href="/commissioning/frameworks/');
    const refused = await t.database.db
      .selectFrom('audit_event')
      .select('resource_id')
      .where('action', '=', 'read-contract')
      .where('outcome', '=', 'denied')
      .execute();
    expect(refused.map((r) => r.resource_id)).toContain(trust.contractId);
  });

  it('refuses a practitioner (403), and the refusal is audited', async () => {
    for (const url of ['/contracts', '/api/contracts', '/contracts/new']) {
      expect((await get(url, 'practitioner')).statusCode, url).toBe(403);
    }
    const refused = await t.database.db
      .selectFrom('audit_event')
      .select(['resource_id', 'actor_role'])
      .where('action', '=', 'open-contracts-route')
      .where('outcome', '=', 'denied')
      .execute();
    expect(refused.map((r) => r.resource_id)).toEqual(
      expect.arrayContaining(['GET /contracts', 'GET /api/contracts', 'GET /contracts/new']),
    );
    expect(refused.every((r) => r.actor_role === 'practitioner')).toBe(true);
  });

  it('analysts read but do not make contracts', async () => {
    expect((await get('/contracts', 'analyst')).statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/contracts',
      headers: as('analyst'),
      payload: {},
    });
    expect(response.statusCode).toBe(403);
  });
});
