import type { Bundle, Goal, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePersonRowId } from '../../src/domain/interop/fhir-ids.js';
import { GAS_SCORE_CODES, PCO_GAS_EXTENSION } from '../../src/domain/interop/pco.js';
import { OUTCOME_RATING_CODE, VIEWPOINT_SYSTEM } from '../../src/features/outcomes/fhir-observation.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { gasGoal } from '../support/fhir-outcome-fixtures.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let cookie: string;
let personId: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 30 });
  cookie = await signIn(t.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(t, cookie);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = { cookie }) =>
  t.app.inject({ method: 'GET', url, headers });
const post = (url: string, body: unknown, as = cookie) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: as, 'content-type': 'application/fhir+json' },
    payload: JSON.stringify(body),
  });
const search = async <R>(url: string) => {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as Bundle).entry?.map((e) => e.resource as R) ?? [];
};
const codeOf = (o: Observation) => `${o.code.coding?.[0]?.system}|${o.code.coding?.[0]?.code}`;

describe('FHIR Goal and Observation', () => {
  it('every Goal and Observation in the practitioner’s caseload is valid FHIR, of every kind', async () => {
    const people = await search<Patient>('/fhir/Patient?_count=200');
    expect(people.length).toBeGreaterThan(1);
    const codes = new Set<string>();
    let goals = 0;
    let gasGoals = 0;
    for (const person of people) {
      for (const type of ['Goal', 'Observation']) {
        const response = await get(`/fhir/${type}?patient=Patient/${person.id}&_count=200`);
        expect(response.statusCode, response.body).toBe(200);
        const bundle = response.json() as Bundle;
        expectValidFhir(bundle);
        expect(bundle.total).toBe(bundle.entry?.length ?? 0);
        for (const entry of bundle.entry ?? []) {
          const resource = entry.resource as Goal | Observation;
          expect(parsePersonRowId(resource.id as string)?.personId).toBe(person.id);
          if (resource.resourceType === 'Goal') {
            goals++;
            if (resource.extension?.some((e) => e.url === PCO_GAS_EXTENSION)) gasGoals++;
          } else {
            codes.add(codeOf(resource));
          }
        }
      }
    }
    expect(goals).toBeGreaterThan(0);
    expect(gasGoals).toBeGreaterThan(0);
    expect(codes).toContain(`${OUTCOME_RATING_CODE.system}|outcome-rating`);
    expect(codes).toContain('http://loinc.org|107333-7');
    expect(codes).toContain('http://loinc.org|112296-9');
    // Measures' scores: at least one instrument's code besides ours and the GAS codes.
    expect(
      [...codes].filter((c) => !c.includes('outcome-rating') && !/\|(107333-7|112296-9)$/.test(c)).length,
    ).toBeGreaterThan(0);
  });

  it('searches by code, date, status and lifecycle status; reads by id; includes the Patient', async () => {
    const all = await search<Observation>(`/fhir/Observation?subject=${personId}&_count=200`);
    expect(all.length).toBeGreaterThan(0);
    const gas = await search<Observation>(
      `/fhir/Observation?patient=${personId}&code=${encodeURIComponent('http://loinc.org|107333-7')}&_count=200`,
    );
    expect(gas.every((o) => codeOf(o) === 'http://loinc.org|107333-7')).toBe(true);
    expect(gas.length).toBe(all.filter((o) => codeOf(o) === 'http://loinc.org|107333-7').length);
    const dates = all.map((o) => o.effectiveDateTime as string).sort();
    const middle = dates[Math.floor(dates.length / 2)] as string;
    const since = await search<Observation>(
      `/fhir/Observation?patient=${personId}&date=ge${middle.slice(0, 10)}&_count=200`,
    );
    expect(since.length).toBeGreaterThan(0);
    expect(since.length).toBeLessThanOrEqual(all.length);
    expect(since.every((o) => (o.effectiveDateTime as string).slice(0, 10) >= middle.slice(0, 10))).toBe(
      true,
    );
    expect(
      (await search<Observation>(`/fhir/Observation?patient=${personId}&status=final&_count=200`)).length,
    ).toBe(all.length);
    expect(await search<Observation>(`/fhir/Observation?patient=${personId}&status=preliminary`)).toEqual([]);
    const practitionerViews = await search<Observation>(
      `/fhir/Observation?patient=${personId}&category=${encodeURIComponent(`${VIEWPOINT_SYSTEM}|practitioner`)}&_count=200`,
    );
    expect(practitionerViews.every((o) => o.category?.[0]?.coding?.[0]?.code === 'practitioner')).toBe(true);

    const goals = await search<Goal>(`/fhir/Goal?patient=${personId}&lifecycle-status=active&_count=200`);
    expect(goals.length).toBeGreaterThan(0);
    expect(goals.every((g) => g.lifecycleStatus === 'active')).toBe(true);
    const one = await get(`/fhir/Goal/${goals[0]?.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.headers.etag).toBe(`W/"${goals[0]?.meta?.versionId}"`);
    const obs = await get(`/fhir/Observation/${all[0]?.id}`);
    expect(obs.json()).toEqual(all[0]);

    const included = (await get(`/fhir/Goal?patient=${personId}&_include=Goal:patient`)).json() as Bundle;
    const includes = included.entry?.filter((e) => e.search?.mode === 'include') ?? [];
    expect(includes.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`)).toEqual([
      `Patient/${personId}`,
    ]);
    const withPatient = (
      await get(`/fhir/Observation?patient=${personId}&_include=Observation:patient&_count=5`)
    ).json() as Bundle;
    expect(
      withPatient.entry?.filter((e) => e.search?.mode === 'include').map((e) => e.resource?.resourceType),
    ).toEqual(['Patient']);
  });

  it('creates a GAS goal, an attainment and a rating, and reads them back', async () => {
    const created = await post('/fhir/Goal', gasGoal(personId));
    expect(created.statusCode, created.body).toBe(201);
    const goal = created.json() as Goal;
    expectValidFhir(goal);
    expect(goal.description.text).toBe('I want to swim at the leisure centre');
    expect(goal.extension?.filter((e) => e.url === PCO_GAS_EXTENSION)).toHaveLength(5);
    expect(goal.target?.[0]?.detailCodeableConcept?.coding?.[0]?.code).toBe('LA34481-4');
    expect((await get(`/fhir/Goal/${goal.id}`)).json()).toEqual(goal);
    const baseline = await search<Observation>(`/fhir/Observation?patient=${personId}&focus=Goal/${goal.id}`);
    expect(baseline.map((o) => [codeOf(o), o.valueCodeableConcept?.coding?.[0]?.code])).toEqual([
      ['http://loinc.org|112296-9', 'LA34484-8'],
    ]);

    const attainment = await post('/fhir/Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [GAS_SCORE_CODES.practitioner] },
      subject: { reference: `Patient/${personId}` },
      focus: [{ reference: `Goal/${goal.id}` }],
      valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA34480-6' }] },
    });
    expect(attainment.statusCode, attainment.body).toBe(201);
    expectValidFhir(attainment.json());
    expect(attainment.json().valueCodeableConcept.coding[0].code).toBe('LA34480-6');
    expect((await get(`/fhir/Observation/${attainment.json().id}`)).statusCode).toBe(200);

    const rating = await post('/fhir/Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [OUTCOME_RATING_CODE] },
      category: [{ coding: [{ system: VIEWPOINT_SYSTEM, code: 'practitioner' }] }],
      subject: { reference: `Patient/${personId}` },
      focus: [{ reference: `Goal/${goal.id}` }],
      valueInteger: 2,
      note: [{ text: 'Has been twice' }],
    });
    expect(rating.statusCode, rating.body).toBe(201);
    const read = (await get(`/fhir/Observation/${rating.json().id}`)).json() as Observation;
    expectValidFhir(read);
    expect(read.valueInteger).toBe(2);
    expect(read.performer?.[0]?.reference).toMatch(/^Practitioner\//);
    expect(read.note?.[0]?.text).toBe('Has been twice');
    const focused = await search<Observation>(`/fhir/Observation?patient=${personId}&focus=Goal/${goal.id}`);
    expect(focused.map(codeOf).sort()).toEqual(
      [
        `${OUTCOME_RATING_CODE.system}|outcome-rating`,
        'http://loinc.org|107333-7',
        'http://loinc.org|112296-9',
      ].sort(),
    );
  });

  it('the person adds a goal in their own words, rates it from their own viewpoint, and may not set GAS', async () => {
    const own = await signIn(t.app, 'person@demo');
    const plain: Goal = {
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      description: { text: 'See my grandson on Sundays' },
      subject: { reference: `Patient/${personId}` },
      expressedBy: { reference: `Patient/${personId}` },
    };
    const created = await post('/fhir/Goal', plain, own);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().expressedBy).toEqual({ reference: `Patient/${personId}` });
    const rating = (performer: string) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [OUTCOME_RATING_CODE] },
      subject: { reference: `Patient/${personId}` },
      focus: [{ reference: `Goal/${created.json().id}` }],
      performer: [{ reference: performer }],
      valueInteger: 3,
    });
    const claimed = await post(
      '/fhir/Observation',
      rating('Practitioner/00000000-0000-4000-8000-000000000001'),
      own,
    );
    expect(claimed.statusCode).toBe(422);
    expect((claimed.json() as OperationOutcome).issue[0]?.expression).toEqual(['Observation.performer']);
    const mine = await post('/fhir/Observation', rating(`Patient/${personId}`), own);
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().category[0].coding[0].code).toBe('person');
    const gas = await post('/fhir/Goal', gasGoal(personId), own);
    expect(gas.statusCode).toBe(403);
    expect(gas.json().resourceType).toBe('OperationOutcome');
  });

  it('answers refusals as OperationOutcomes naming the element', async () => {
    const expression = async (response: Promise<{ statusCode: number; json(): unknown }>, status: number) => {
      const r = await response;
      expect(r.statusCode).toBe(status);
      const outcome = r.json() as OperationOutcome;
      expect(outcome.resourceType).toBe('OperationOutcome');
      return outcome.issue[0]?.expression;
    };
    const goal = { ...gasGoal(personId), priority: { text: 'high' } };
    expect(await expression(post('/fhir/Goal', goal), 422)).toEqual(['Goal.priority']);
    const shortLevel = gasGoal(personId);
    shortLevel.extension = shortLevel.extension?.slice(1);
    expect(await expression(post('/fhir/Goal', shortLevel), 422)).toEqual(['Goal.extension']);
    const baseline = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [GAS_SCORE_CODES.baseline] },
      subject: { reference: `Patient/${personId}` },
    };
    expect(await expression(post('/fhir/Observation', baseline), 422)).toEqual(['Observation.code']);
    const goals = await search<Goal>(`/fhir/Goal?patient=${personId}&lifecycle-status=active`);
    const noGas = goals.find((g) => !g.extension?.some((e) => e.url === PCO_GAS_EXTENSION));
    const attainment = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [GAS_SCORE_CODES.practitioner] },
      subject: { reference: `Patient/${personId}` },
      focus: [{ reference: `Goal/${noGas?.id}` }],
      valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA34481-4' }] },
    };
    expect(await expression(post('/fhir/Observation', attainment), 422)).toEqual(['Observation.focus']);
    const offScale = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [OUTCOME_RATING_CODE] },
      subject: { reference: `Patient/${personId}` },
      focus: [{ reference: `Goal/${noGas?.id}` }],
      valueInteger: 11,
    };
    expect(await expression(post('/fhir/Observation', offScale), 422)).toEqual(['Observation.valueInteger']);
    expect(await expression(get('/fhir/Goal?lifecycle-status=active'), 400)).toEqual(['patient']);
    const put = t.app.inject({
      method: 'PUT',
      url: `/fhir/Goal/${noGas?.id}`,
      headers: { cookie, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({ ...noGas, lifecycleStatus: 'completed' }),
    });
    expect((await put).statusCode).toBe(422);
    const stranger = '00000000-0000-4000-8000-000000000000';
    expect((await get(`/fhir/Observation?patient=${stranger}`)).statusCode).toBe(404);
  });
});
