import type { Bundle, CarePlan, Goal, Observation, Patient } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAS_SCORE_CODES } from '../../src/domain/interop/pco.js';
import { NHS_NUMBER_SYSTEM } from '../../src/domain/interop/uk-core.js';
import { OUTCOME_RATING_CODE } from '../../src/features/outcomes/fhir-observation.js';
import { busiestOrganisation } from '../support/fhir.js';
import { gasGoal } from '../support/fhir-outcome-fixtures.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The FHIR endpoint driven by an independent FHIR client library (fhir-kit-client) over real HTTP
 * on 127.0.0.1, as a system client with SMART system scopes and an access token.
 */
let t: TestApp;
let fhir: Client;
let organisationId: string;
/** A person whose record the client's organisation does not hold. */
let elsewhere: string;

/** The error fhir-kit-client throws for a non-2xx answer. */
type ClientError = { response: { status: number; data: { resourceType?: string } } };

/** A failed call's answer in the test's own error, so a failure says what the server said. */
const explain = (error: ClientError): never => {
  throw new Error(`${error.response?.status}: ${JSON.stringify(error.response?.data)}`);
};

async function failure(call: () => Promise<unknown>): Promise<ClientError['response']> {
  try {
    await call();
  } catch (error) {
    return (error as ClientError).response;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 40 });
  const db = t.database.db;
  // The organisation holding the most records, and someone it does not hold.
  organisationId = await busiestOrganisation(db);
  const other = await db
    .selectFrom('person')
    .select('person_id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('care_team_member')
            .select('member_id')
            .whereRef('care_team_member.person_id', '=', 'person.person_id')
            .where('care_team_member.organisation_id', '=', organisationId),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  elsewhere = other.person_id;
  const added = await t.services.apiClients.add({
    clientId: 'fkc',
    name: 'FHIR client test',
    scopes: ['system/*.read', 'system/*.write'],
    organisationId,
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const tokenResponse = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`fkc:${added.secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: bearerToken } = (await tokenResponse.json()) as { access_token: string };
  fhir = new Client({ baseUrl: `${base}/fhir`, bearerToken });
}, 120_000);

afterAll(() => t.close());

describe('a FHIR client library against /fhir', () => {
  it('reads the CapabilityStatement', async () => {
    const statement = (await fhir.capabilityStatement()) as unknown as { fhirVersion: string };
    expect(statement.fhirVersion).toBe('4.0.1');
  });

  it('creates a patient, reads it back with its ETag, and finds it by NHS number', async () => {
    const created = (await fhir.create({
      resourceType: 'Patient',
      body: {
        resourceType: 'Patient',
        identifier: [{ system: NHS_NUMBER_SYSTEM, value: '9434765870' }],
        name: [{ use: 'official', family: 'Kowalska', given: ['Zofia'] }],
        gender: 'female',
        birthDate: '1948-11-30',
      },
    })) as unknown as Patient;
    expectValidFhir(created);
    const read = (await fhir.read({
      resourceType: 'Patient',
      id: created.id as string,
    })) as unknown as Patient;
    expect(Client.httpFor(read as never).response?.headers.get('etag')).toBe('W/"1"');
    const found = (await fhir.search({
      resourceType: 'Patient',
      searchParams: { identifier: `${NHS_NUMBER_SYSTEM}|9434765870` },
    })) as unknown as Bundle;
    expect(found.entry?.map((e) => e.resource?.id)).toEqual([created.id]);
  });

  it('pages through the organisation’s people by the next links', async () => {
    let page = (await fhir.search({ resourceType: 'Patient', searchParams: { _count: 3 } })) as unknown as
      | Bundle
      | undefined;
    const seen = new Set<string>();
    let pages = 0;
    while (page) {
      pages++;
      for (const entry of page.entry ?? []) {
        expect(seen.has(entry.resource?.id as string)).toBe(false);
        seen.add(entry.resource?.id as string);
      }
      page = (await fhir.nextPage({ bundle: page as never })) as unknown as Bundle | undefined;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen.has(elsewhere)).toBe(false);
  });

  it('updates with If-Match, and a stale ETag is 412', async () => {
    const [entry] =
      (
        (await fhir.search({
          resourceType: 'Patient',
          searchParams: { name: 'Kowalska' },
        })) as unknown as Bundle<Patient>
      ).entry ?? [];
    const patient = entry?.resource as Patient;
    const etag = 'W/"1"';
    const updated = (await fhir.update({
      resourceType: 'Patient',
      id: patient.id as string,
      body: { ...patient, telecom: [{ system: 'email', value: 'zofia@example.org' }] } as never,
      options: { headers: { 'If-Match': etag } },
    })) as unknown as Patient;
    expect(updated.meta?.versionId).toBe('2');
    const stale = await failure(() =>
      fhir.update({
        resourceType: 'Patient',
        id: patient.id as string,
        body: { ...updated, telecom: [{ system: 'email', value: 'other@example.org' }] } as never,
        options: { headers: { 'If-Match': etag } },
      }),
    );
    expect(stale.status).toBe(412);
    expect(stale.data.resourceType).toBe('OperationOutcome');
  });

  it('creates a GAS goal, observations and a care plan for the person, searches them back, and versions the plan', async () => {
    const [entry] =
      (
        (await fhir.search({
          resourceType: 'Patient',
          searchParams: { name: 'Kowalska' },
        })) as unknown as Bundle<Patient>
      ).entry ?? [];
    const personId = entry?.resource?.id as string;
    const goal = (await fhir.create({
      resourceType: 'Goal',
      body: gasGoal(personId) as never,
    })) as unknown as Goal;
    expectValidFhir(goal);
    const attainment = (await fhir.create({
      resourceType: 'Observation',
      body: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [GAS_SCORE_CODES.practitioner] },
        subject: { reference: `Patient/${personId}` },
        focus: [{ reference: `Goal/${goal.id}` }],
        valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA34481-4' }] },
      } as never,
    })) as unknown as Observation;
    expectValidFhir(attainment);
    const rating = (await fhir.create({
      resourceType: 'Observation',
      body: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [OUTCOME_RATING_CODE] },
        subject: { reference: `Patient/${personId}` },
        focus: [{ reference: `Goal/${goal.id}` }],
        valueInteger: 3,
      } as never,
    })) as unknown as Observation;
    expectValidFhir(rating);
    const goals = (await fhir.search({
      resourceType: 'Goal',
      searchParams: { patient: `Patient/${personId}`, _include: 'Goal:patient' },
    })) as unknown as Bundle;
    expect(goals.entry?.map((e) => [e.resource?.resourceType, e.search?.mode])).toEqual([
      ['Goal', 'match'],
      ['Patient', 'include'],
    ]);
    const observations = (await fhir.search({
      resourceType: 'Observation',
      searchParams: { patient: `Patient/${personId}`, code: 'http://loinc.org|107333-7' },
    })) as unknown as Bundle<Observation>;
    expect(observations.entry?.map((e) => e.resource?.id)).toEqual([attainment.id]);

    // A care and support plan with the goal and one action; then a new version with If-Match.
    const plan = (await fhir
      .create({
        resourceType: 'CarePlan',
        body: {
          resourceType: 'CarePlan',
          status: 'active',
          intent: 'plan',
          subject: { reference: `Patient/${personId}` },
          goal: [{ reference: `Goal/${goal.id}`, display: goal.description.text }],
          activity: [
            {
              detail: {
                status: 'not-started',
                description: 'Book a swimming lesson',
                goal: [{ reference: `Goal/${goal.id}` }],
                performer: [{ reference: `Patient/${personId}`, display: 'Zofia Kowalska' }],
              },
            },
          ],
        } as never,
      })
      .catch(explain)) as unknown as CarePlan;
    expectValidFhir(plan);
    expect(plan.meta?.versionId).toBe('1');
    const [activity] = plan.activity ?? [];
    const next = (await fhir.update({
      resourceType: 'CarePlan',
      id: plan.id as string,
      body: {
        ...plan,
        activity: [{ ...activity, detail: { ...activity?.detail, status: 'in-progress' } }],
      } as never,
      options: { headers: { 'If-Match': 'W/"1"' } },
    })) as unknown as CarePlan;
    expect(next.meta?.versionId).toBe('2');
    const stale = await failure(() =>
      fhir.update({
        resourceType: 'CarePlan',
        id: plan.id as string,
        body: plan as never,
        options: { headers: { 'If-Match': 'W/"1"' } },
      }),
    );
    expect(stale.status).toBe(412);
    const history = (await fhir.history({
      resourceType: 'CarePlan',
      id: plan.id as string,
    })) as unknown as Bundle;
    expect(history.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['2', '1']);
    const withGoals = (await fhir.search({
      resourceType: 'CarePlan',
      searchParams: { patient: personId, _include: 'CarePlan:goal' },
    })) as unknown as Bundle;
    expect(withGoals.entry?.map((e) => e.resource?.resourceType)).toEqual(['CarePlan', 'Goal']);
  });

  it('is refused with 403 for a person its organisation does not hold, as for one who does not exist', async () => {
    const refused = await failure(() => fhir.read({ resourceType: 'Patient', id: elsewhere }));
    expect(refused.status).toBe(403);
    expect(refused.data.resourceType).toBe('OperationOutcome');
    const unknown = await failure(() =>
      fhir.read({ resourceType: 'Patient', id: '00000000-0000-4000-8000-000000000001' }),
    );
    expect(unknown.status).toBe(403);
  });
});
