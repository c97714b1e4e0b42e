import type {
  Bundle,
  CarePlan,
  CareTeam,
  Consent,
  OperationOutcome,
  Patient,
  RelatedPerson,
  Resource,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRowId } from '../../src/domain/interop/fhir-ids.js';
import { demoPersonInCaseload } from '../support/demo.js';
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

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const send = (method: 'POST' | 'PUT', url: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: { cookie, 'content-type': 'application/fhir+json', ...headers },
    payload: JSON.stringify(body),
  });

const resourcesOf = <R extends Resource>(bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource as R);

describe('FHIR CarePlan, Consent, CareTeam and RelatedPerson', () => {
  it('every demo resource of these types in the caseload is valid FHIR R4', async () => {
    const people = resourcesOf<Patient>((await get('/fhir/Patient?_count=200')).json());
    expect(people.length).toBeGreaterThan(5);
    const seen: Record<string, number> = { CarePlan: 0, Consent: 0, CareTeam: 0, RelatedPerson: 0 };
    for (const person of people) {
      for (const type of Object.keys(seen)) {
        const response = await get(`/fhir/${type}?patient=Patient/${person.id}&_count=200`);
        expect(response.statusCode, response.body).toBe(200);
        const bundle = response.json() as Bundle;
        expectValidFhir(bundle);
        for (const resource of resourcesOf(bundle)) {
          expect(resource.resourceType).toBe(type);
          seen[type] = (seen[type] ?? 0) + 1;
        }
      }
    }
    // The demo gives everyone a care team and a sharing basis, most people a plan and a circle.
    expect(seen.CareTeam).toBe(people.length);
    expect(seen.Consent).toBeGreaterThanOrEqual(people.length);
    expect(seen.CarePlan).toBeGreaterThan(0);
    expect(seen.RelatedPerson).toBeGreaterThan(0);
  });

  it('reads the plan by the person’s id; a full PUT of what was read saves a new version; history and vread give the older one', async () => {
    const read = await get(`/fhir/CarePlan/${personId}`);
    expect(read.statusCode).toBe(200);
    const plan = read.json() as CarePlan;
    const version = Number(plan.meta?.versionId);
    expect(read.headers.etag).toBe(`W/"${version}"`);
    const before = (await get(`/api/people/${personId}/plan`)).json().current.content;

    const saved = await send('PUT', `/fhir/CarePlan/${personId}`, plan, { 'if-match': `W/"${version}"` });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.headers.etag).toBe(`W/"${version + 1}"`);
    expectValidFhir(saved.json());
    // Nothing was lost on the way through FHIR: the new version holds the same plan.
    expect((await get(`/api/people/${personId}/plan`)).json().current.content).toEqual(before);

    const history = (await get(`/fhir/CarePlan/${personId}/_history`)).json() as Bundle<CarePlan>;
    expectValidFhir(history);
    expect(history.type).toBe('history');
    const versions = resourcesOf<CarePlan>(history).map((p) => Number(p.meta?.versionId));
    expect(versions[0]).toBe(version + 1);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    expect(versions).toHaveLength(version + 1);

    const older = await get(`/fhir/CarePlan/${personId}/_history/${version}`);
    expect(older.statusCode).toBe(200);
    expect(older.json().meta.versionId).toBe(String(version));
    expect(older.headers.etag).toBe(`W/"${version}"`);
  });

  it('refuses a stale If-Match with 412, and elements it cannot keep with 422 naming them', async () => {
    const plan = (await get(`/fhir/CarePlan/${personId}`)).json() as CarePlan;
    const version = Number(plan.meta?.versionId);
    const stale = await send('PUT', `/fhir/CarePlan/${personId}`, plan, { 'if-match': `W/"${version - 1}"` });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().resourceType).toBe('OperationOutcome');

    const period = await send('PUT', `/fhir/CarePlan/${personId}`, {
      ...plan,
      period: { start: '2026-01-01' },
    });
    expect(period.statusCode).toBe(422);
    expect((period.json() as OperationOutcome).issue[0]?.expression).toEqual(['CarePlan.period']);

    const status = await send('PUT', `/fhir/CarePlan/${personId}`, { ...plan, status: 'revoked' });
    expect(status.statusCode).toBe(422);
    expect((status.json() as OperationOutcome).issue[0]?.expression).toEqual(['CarePlan.status']);

    const malformed = await send('PUT', `/fhir/CarePlan/${personId}`, {
      ...plan,
      activity: [{ detail: { description: 7 } }],
    });
    // Refused by the structure check of every resource sent (base R4), naming the element.
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(malformed.json().issue)).toContain('description');

    const again = (await get(`/fhir/CarePlan/${personId}`)).json() as CarePlan;
    expect(again.meta?.versionId).toBe(String(version));
  });

  it('links a goal to a personal outcome as Goal/{id} and includes it with _include=CarePlan:goal', async () => {
    const goals = resourcesOf<Resource>((await get(`/fhir/Goal?patient=Patient/${personId}`)).json());
    expect(goals.length).toBeGreaterThan(0);
    const outcomeGoal = goals[0] as Resource;
    const plan = (await get(`/fhir/CarePlan/${personId}`)).json() as CarePlan;
    const linked: CarePlan = {
      ...plan,
      goal: [
        ...(plan.goal ?? []),
        { reference: `Goal/${outcomeGoal.id}`, display: 'Get out to the allotment again' },
      ],
    };
    const saved = await send('PUT', `/fhir/CarePlan/${personId}`, linked, {
      'if-match': `W/"${plan.meta?.versionId}"`,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const goalRef = (saved.json() as CarePlan).goal?.find((g) => g.reference === `Goal/${outcomeGoal.id}`);
    expect(goalRef?.identifier?.value).toMatch(/^urn:uuid:/);

    const bundle = (await get(`/fhir/CarePlan?patient=${personId}&_include=CarePlan:goal`)).json() as Bundle;
    expectValidFhir(bundle);
    const included = (bundle.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => e.resource);
    expect(included.map((r) => `${r?.resourceType}/${r?.id}`)).toContain(`Goal/${outcomeGoal.id}`);
    expect(included.every((r) => r?.resourceType === 'Goal')).toBe(true);
  });

  it('creates a first plan with POST and refuses a second (409, update it instead)', async () => {
    const patient = await send('POST', '/fhir/Patient', {
      resourceType: 'Patient',
      name: [{ use: 'official', family: 'Adeyemi', given: ['Tolu'] }],
      gender: 'male',
      birthDate: '1948-09-12',
    });
    expect(patient.statusCode, patient.body).toBe(201);
    const newId = (patient.json() as Patient).id as string;
    const goalId = '6f1c2b8e-8a3d-4b6e-9f0a-2d4c6e8f0a1b';
    const body: CarePlan = {
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      subject: { reference: `Patient/${newId}` },
      contained: [
        {
          resourceType: 'Goal',
          id: goalId,
          lifecycleStatus: 'active',
          description: { text: 'Walk to the shops' },
          subject: { reference: `Patient/${newId}` },
        },
      ],
      goal: [{ reference: `#${goalId}` }],
      activity: [
        {
          detail: {
            status: 'not-started',
            description: 'Walk to the corner with Sam',
            goal: [{ reference: `#${goalId}` }],
            performer: [{ display: 'Sam' }],
            scheduledString: 'Tuesdays',
          },
        },
      ],
      note: [
        {
          extension: [
            {
              url: 'https://whatmatters.example.org/fhir/StructureDefinition/care-plan-section',
              valueCode: 'strength',
            },
          ],
          text: 'Determined',
        },
      ],
    };
    // Who does it must say what kind of support it is when it is a name alone.
    const noKind = await send('POST', '/fhir/CarePlan', body);
    expect(noKind.statusCode).toBe(422);
    expect(noKind.json().issue[0].expression).toEqual(['CarePlan.activity[0].detail.extension']);

    const withKind = structuredClone(body);
    const detail = withKind.activity?.[0]?.detail;
    if (detail) {
      detail.extension = [
        {
          url: 'https://whatmatters.example.org/fhir/StructureDefinition/care-plan-support-kind',
          valueCoding: {
            system: 'https://whatmatters.example.org/fhir/CodeSystem/support-kind',
            code: 'carer',
          },
        },
      ];
    }
    const created = await send('POST', '/fhir/CarePlan', withKind);
    expect(created.statusCode, created.body).toBe(201);
    const plan = created.json() as CarePlan;
    expectValidFhir(plan);
    expect(plan.id).toBe(newId);
    expect(plan.meta?.versionId).toBe('1');
    expect(created.headers.location).toContain(`/fhir/CarePlan/${newId}/_history/1`);
    expect(plan.activity?.[0]?.detail?.performer).toEqual([{ display: 'Sam' }]);

    const second = await send('POST', '/fhir/CarePlan', withKind);
    expect(second.statusCode).toBe(409);
    expect(second.json().resourceType).toBe('OperationOutcome');
  });

  it('reads the care team with practitioners and organisations', async () => {
    const response = await get(`/fhir/CareTeam/${personId}`);
    expect(response.statusCode).toBe(200);
    const team = response.json() as CareTeam;
    expectValidFhir(team);
    expect(team.subject?.reference).toBe(`Patient/${personId}`);
    expect(team.participant?.some((p) => p.member?.reference?.startsWith('Practitioner/'))).toBe(true);
    const update = await send('PUT', `/fhir/CareTeam/${personId}`, team);
    expect(update.statusCode).toBe(422);
    expect(update.json().resourceType).toBe('OperationOutcome');
  });

  it('records a basis for sharing as a Consent, and withdraws it only with a reason', async () => {
    const consents = resourcesOf<Consent>(
      (await get(`/fhir/Consent?patient=${personId}&status=active`)).json(),
    );
    expect(consents.length).toBeGreaterThan(0);
    const organisation = await t.database.db
      .selectFrom('organisation')
      .select('organisation_id')
      .where(
        'organisation_id',
        'not in',
        consents.map((c) => c.organization?.[0]?.reference?.split('/')[1] ?? ''),
      )
      .executeTakeFirstOrThrow();
    const body: Consent = {
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `Patient/${personId}` },
      organization: [{ reference: `Organization/${organisation.organisation_id}` }],
      policyRule: {
        coding: [
          { system: 'https://whatmatters.example.org/fhir/CodeSystem/sharing-basis', code: 'consent' },
        ],
      },
      extension: [
        {
          url: 'https://whatmatters.example.org/fhir/StructureDefinition/sharing-purpose',
          valueString: 'Befriending visits',
        },
      ],
    };
    const noPurpose = await send('POST', '/fhir/Consent', { ...body, extension: undefined });
    expect(noPurpose.statusCode).toBe(422);
    expect(noPurpose.json().issue[0].expression).toEqual(['Consent.extension']);

    const created = await send('POST', '/fhir/Consent', body);
    expect(created.statusCode, created.body).toBe(201);
    const consent = created.json() as Consent;
    expectValidFhir(consent);
    expect(consent.status).toBe('active');
    expect(consent.policyRule?.coding?.[0]?.code).toBe('consent');

    const noReason = await send('PUT', `/fhir/Consent/${consent.id}`, { ...consent, status: 'inactive' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().issue[0].expression).toEqual(['Consent.extension']);
    const otherBasis = await send('PUT', `/fhir/Consent/${consent.id}`, {
      ...consent,
      policyRule: {
        coding: [
          { system: 'https://whatmatters.example.org/fhir/CodeSystem/sharing-basis', code: 'safeguarding' },
        ],
      },
    });
    expect(otherBasis.statusCode).toBe(422);
    expect(otherBasis.json().issue[0].expression).toEqual(['Consent.policyRule']);

    const withdrawn = await send(
      'PUT',
      `/fhir/Consent/${consent.id}`,
      {
        ...consent,
        status: 'inactive',
        extension: [
          ...(consent.extension ?? []),
          {
            url: 'https://whatmatters.example.org/fhir/StructureDefinition/sharing-withdrawal-reason',
            valueString: 'Visits ended',
          },
        ],
      },
      { 'if-match': `W/"${consent.meta?.versionId}"` },
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const after = withdrawn.json() as Consent;
    expectValidFhir(after);
    expect(after.status).toBe('inactive');
    expect(Number(after.meta?.versionId)).toBeGreaterThan(Number(consent.meta?.versionId));
    const inactive = resourcesOf<Consent>(
      (await get(`/fhir/Consent?patient=${personId}&status=inactive`)).json(),
    );
    expect(inactive.map((c) => c.id)).toContain(consent.id);
  });

  it('adds someone to the circle as a RelatedPerson, with a phone number as telecom', async () => {
    const body: RelatedPerson = {
      resourceType: 'RelatedPerson',
      patient: { reference: `Patient/${personId}` },
      relationship: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'NIECE' }],
          text: 'niece',
        },
      ],
      name: [{ text: 'Grace Mensah' }],
      telecom: [{ system: 'phone', value: '07700 900461' }],
    };
    const created = await send('POST', '/fhir/RelatedPerson', body);
    expect(created.statusCode, created.body).toBe(201);
    const related = created.json() as RelatedPerson;
    expectValidFhir(related);
    expect(
      related.id?.startsWith(personRowId(personId, '00000000-0000-0000-0000-000000000000').slice(0, 32)),
    ).toBe(true);
    expect(related.relationship?.[0]?.coding?.[0]?.code).toBe('NIECE');
    expect(related.telecom).toEqual([{ system: 'phone', value: '07700 900461' }]);
    const found = resourcesOf<RelatedPerson>(
      (await get(`/fhir/RelatedPerson?patient=${personId}&name=grace`)).json(),
    );
    expect(found.map((r) => r.id)).toEqual([related.id]);
    const refused = await send('POST', '/fhir/RelatedPerson', { ...body, gender: 'female' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().issue[0].expression).toEqual(['RelatedPerson.gender']);
  });
});
