import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NHS_NUMBER_SYSTEM } from '../../src/domain/interop/uk-core.js';
import { isValidNhsNumber } from '../../src/domain/nhs-number.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 30 });
  cookie = await signIn(t.app, 'practitioner@demo');
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = { cookie }) =>
  t.app.inject({ method: 'GET', url, headers });

describe('FHIR Patient', () => {
  it('the CapabilityStatement is public, valid and lists Patient with its search parameters', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/fhir/metadata' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/fhir+json');
    const statement = response.json();
    expectValidFhir(statement);
    const patient = statement.rest[0].resource.find((r: { type: string }) => r.type === 'Patient');
    expect(patient.searchParam.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['_id', '_lastUpdated', 'identifier', 'birthdate']),
    );
  });

  it('searches the caseload as a searchset with NHS numbers under the UK Core system, paged by absolute links', async () => {
    const response = await get('/fhir/Patient?_count=5');
    expect(response.statusCode).toBe(200);
    const bundle = response.json() as Bundle<Patient>;
    expectValidFhir(bundle);
    expect(bundle.type).toBe('searchset');
    expect(bundle.entry?.length).toBe(5);
    for (const entry of bundle.entry ?? []) {
      const nhs = entry.resource?.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value;
      expect(nhs && isValidNhsNumber(nhs)).toBe(true);
    }
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toMatch(/^http:\/\/localhost(:\d+)?\/fhir\/Patient\?_count=5&_offset=5$/);
    const second = (
      await get(new URL(next as string).pathname + new URL(next as string).search)
    ).json() as Bundle<Patient>;
    const firstIds = new Set(bundle.entry?.map((e) => e.resource?.id));
    expect(second.entry?.some((e) => firstIds.has(e.resource?.id))).toBe(false);
  });

  it('reads one person with an ETag, and finds them by identifier', async () => {
    const personId = await demoPersonInCaseload(t, cookie);
    const response = await get(`/fhir/Patient/${personId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toMatch(/^W\/"\d+"$/);
    const patient = response.json() as Patient;
    expectValidFhir(patient);
    const nhs = patient.identifier?.[0]?.value as string;
    const found = (
      await get(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_NUMBER_SYSTEM}|${nhs}`)}`)
    ).json() as Bundle;
    expect(found.entry?.map((e) => e.resource?.id)).toEqual([personId]);
  });

  it('answers every refusal as an OperationOutcome', async () => {
    const unknownParam = await get('/fhir/Patient?colour=red');
    expect(unknownParam.statusCode).toBe(400);
    const outcome = unknownParam.json() as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.expression).toEqual(['colour']);
    const signedOut = await get('/fhir/Patient', {});
    expect(signedOut.statusCode).toBe(401);
    expect(signedOut.json().resourceType).toBe('OperationOutcome');
    const nothing = await get('/fhir/Nothing/1');
    expect(nothing.statusCode).toBe(404);
    expect(nothing.json().resourceType).toBe('OperationOutcome');
    const notMine = await get('/fhir/Patient/00000000-0000-4000-8000-000000000000');
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().resourceType).toBe('OperationOutcome');
  });

  it('creates a person from a Patient and updates contact details with If-Match; a stale version is 412', async () => {
    const body: Patient = {
      resourceType: 'Patient',
      name: [{ use: 'official', family: 'Okafor', given: ['Ada'] }],
      gender: 'female',
      birthDate: '1950-04-02',
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: '9434765919' }],
    };
    const created = await t.app.inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { cookie, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(body),
    });
    expect(created.statusCode, created.body).toBe(201);
    const patient = created.json() as Patient;
    expectValidFhir(patient);
    expect(created.headers.location).toContain(`/fhir/Patient/${patient.id}/_history/1`);
    const put = (p: Patient, etag: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/fhir/Patient/${patient.id}`,
        headers: { cookie, 'content-type': 'application/fhir+json', 'if-match': etag },
        payload: JSON.stringify(p),
      });
    const updated = await put({ ...patient, telecom: [{ system: 'phone', value: '07700 900123' }] }, 'W/"1"');
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.headers.etag).toBe('W/"2"');
    const stale = await put({ ...patient, telecom: [{ system: 'phone', value: '07700 900999' }] }, 'W/"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().resourceType).toBe('OperationOutcome');
    const renamed = await put(
      { ...patient, name: [{ use: 'official', family: 'Other', given: ['Ada'] }] },
      'W/"2"',
    );
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json().issue[0].expression).toEqual(['Patient.name.family']);
  });
});
