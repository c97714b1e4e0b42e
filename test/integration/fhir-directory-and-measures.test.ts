import type {
  Bundle,
  Organization,
  Practitioner,
  PractitionerRole,
  Questionnaire,
  QuestionnaireResponse,
  Resource,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ODS_ORGANISATION_SYSTEM } from '../../src/domain/interop/uk-core.js';
import { instrumentUrl } from '../../src/domain/measures/instruments/instrument.js';
import { ORGANIZATION_TYPE_SYSTEM } from '../../src/features/directory/fhir-organization.js';
import { demoAccount, demoPersonInCaseload } from '../support/demo.js';
import { clientToken } from '../support/fhir.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * /fhir for the directory (Organization, Practitioner, PractitionerRole), the questionnaire
 * library (Questionnaire) and completed measures (QuestionnaireResponse), over the demo data.
 */

let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 30 });
  cookie = await signIn(t.app, 'practitioner@demo');
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = { cookie }) =>
  t.app.inject({ method: 'GET', url, headers });
const post = (url: string, body: unknown, headers: Record<string, string> = { cookie }) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/fhir+json' },
    payload: JSON.stringify(body),
  });

async function searchAll<R extends Resource>(url: string, headers?: Record<string, string>): Promise<R[]> {
  const response = await get(url, headers);
  expect(response.statusCode, response.body).toBe(200);
  const bundle = response.json() as Bundle<R>;
  expectValidFhir(bundle);
  expect(
    bundle.link?.some((l) => l.relation === 'next'),
    `${url} fits one page`,
  ).toBe(false);
  return (bundle.entry ?? []).map((e) => e.resource as R);
}

const ids = (resources: readonly Resource[]) => resources.map((r) => r.id);

function expectOutcome(
  response: { statusCode: number; json(): unknown },
  status: number,
  expression?: string,
) {
  expect(response.statusCode).toBe(status);
  const outcome = response.json() as { resourceType: string; issue: { expression?: string[] }[] };
  expect(outcome.resourceType).toBe('OperationOutcome');
  if (expression) expect(outcome.issue[0]?.expression).toEqual([expression]);
}

describe('FHIR Organization', () => {
  it('serves every organisation and team validly, and finds them by identifier, name, type and partof', async () => {
    const all = await searchAll<Organization>('/fhir/Organization?_count=200');
    const organisations = await t.database.db
      .selectFrom('organisation')
      .select(['organisation_id', 'ods_code', 'name'])
      .execute();
    const teams = await t.database.db.selectFrom('team').select(['team_id', 'organisation_id']).execute();
    expect(all.length).toBe(organisations.length + teams.length);
    for (const o of all) expectValidFhir(o);

    const withOds = organisations.find((o) => o.ods_code);
    expect(withOds, 'the demo has an organisation with an ODS code').toBeDefined();
    const byOds = await searchAll<Organization>(
      `/fhir/Organization?identifier=${encodeURIComponent(`${ODS_ORGANISATION_SYSTEM}|${withOds?.ods_code}`)}`,
    );
    expect(ids(byOds)).toEqual([withOds?.organisation_id]);

    const byName = await searchAll<Organization>(
      `/fhir/Organization?name=${encodeURIComponent(withOds?.name.slice(0, 6) ?? '')}`,
    );
    expect(ids(byName)).toContain(withOds?.organisation_id);

    const asTeams = await searchAll<Organization>(
      `/fhir/Organization?_count=200&type=${encodeURIComponent(`${ORGANIZATION_TYPE_SYSTEM}|team`)}`,
    );
    expect(new Set(ids(asTeams))).toEqual(new Set(teams.map((x) => x.team_id)));

    const team = teams[0];
    expect(team, 'the demo has teams').toBeDefined();
    const bundle = (
      await get(
        `/fhir/Organization?partof=Organization/${team?.organisation_id}&_include=Organization:partof`,
      )
    ).json() as Bundle;
    expect(bundle.entry?.filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id)).toContain(
      team?.team_id,
    );
    expect(bundle.entry?.filter((e) => e.search?.mode === 'include').map((e) => e.resource?.id)).toEqual([
      team?.organisation_id,
    ]);
  });

  it('reads one with an ETag; an unknown id or a write is refused as an OperationOutcome', async () => {
    const [first] =
      ((await get('/fhir/Organization?_count=1')).json() as Bundle<Organization>).entry?.map(
        (e) => e.resource,
      ) ?? [];
    const read = await get(`/fhir/Organization/${first?.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('W/"1"');
    expect(read.json()).toEqual(first);
    expectOutcome(await get('/fhir/Organization/00000000-0000-4000-8000-000000000000'), 404);
    expectOutcome(await get('/fhir/Organization/not-one-of-ours'), 404);
    expectOutcome(await post('/fhir/Organization', { resourceType: 'Organization', name: 'New' }), 422);
    expectOutcome(await get('/fhir/Organization?colour=red'), 400, 'colour');
  });

  it('is open to a person using services, as the directory is', async () => {
    const person = await signIn(t.app, 'person@demo');
    expect((await get('/fhir/Organization?_count=1', { cookie: person })).statusCode).toBe(200);
  });
});

describe('FHIR Practitioner and PractitionerRole', () => {
  it('serves staff only, validly, with no username or email, and finds them by name', async () => {
    const all = await searchAll<Practitioner>('/fhir/Practitioner?_count=200');
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) expectValidFhir(p);
    const practitioner = await demoAccount(t, 'practitioner@demo');
    const person = await demoAccount(t, 'person@demo');
    const carer = await demoAccount(t, 'carer@demo');
    const admin = await demoAccount(t, 'admin@demo');
    expect(ids(all)).toContain(practitioner.user_id);
    for (const notStaff of [person, carer, admin]) expect(ids(all)).not.toContain(notStaff.user_id);
    const body = JSON.stringify(all);
    expect(body).not.toMatch(/@demo|client:/);

    const name = all.find((p) => p.id === practitioner.user_id)?.name?.[0]?.text ?? '';
    const lastWord = name.split(' ').at(-1) ?? '';
    const found = await searchAll<Practitioner>(
      `/fhir/Practitioner?name=${encodeURIComponent(lastWord.slice(0, 4))}`,
    );
    expect(ids(found)).toContain(practitioner.user_id);
    const read = await get(`/fhir/Practitioner/${practitioner.user_id}`);
    expect(read.statusCode).toBe(200);
    expectOutcome(await get(`/fhir/Practitioner/${person.user_id}`), 404);
  });

  it('never serves a system client’s account, even after it has acted', async () => {
    const { secret } = await t.services.apiClients.add({
      clientId: 'fhir-dir-reader',
      name: 'Directory reader',
      scopes: ['system/Organization.read', 'system/Practitioner.read'],
    });
    const token = await clientToken(t, 'fhir-dir-reader', secret);
    expect((await get('/fhir/Practitioner?_count=1', { authorization: `Bearer ${token}` })).statusCode).toBe(
      200,
    );
    const all = await searchAll<Practitioner>('/fhir/Practitioner?_count=200', { cookie });
    expect(JSON.stringify(all)).not.toMatch(/System client|\(system\)/);
  });

  it('serves each practitioner and team-manager role, found by practitioner and by organisation or team', async () => {
    const practitioner = await demoAccount(t, 'practitioner@demo');
    const roles = await searchAll<PractitionerRole | Practitioner | Organization>(
      `/fhir/PractitionerRole?practitioner=Practitioner/${practitioner.user_id}&_include=PractitionerRole:organization&_include=PractitionerRole:practitioner`,
    );
    const own = roles.filter((r) => r.resourceType === 'PractitionerRole');
    expect(own.length).toBeGreaterThan(0);
    for (const r of roles) expectValidFhir(r);
    expect(roles.some((r) => r.resourceType === 'Practitioner' && r.id === practitioner.user_id)).toBe(true);
    expect(roles.some((r) => r.resourceType === 'Organization')).toBe(true);

    const row = await t.database.db
      .selectFrom('user_role')
      .select(['user_role_id', 'organisation_id', 'team_id'])
      .where('user_id', '=', practitioner.user_id)
      .where('role', '=', 'practitioner')
      .executeTakeFirstOrThrow();
    const byOrganisation = await searchAll<PractitionerRole>(
      `/fhir/PractitionerRole?_count=200&organization=Organization/${row.organisation_id}`,
    );
    expect(ids(byOrganisation)).toContain(row.user_role_id);
    if (row.team_id) {
      const byTeam = await searchAll<PractitionerRole>(
        `/fhir/PractitionerRole?_count=200&organization=${row.team_id}`,
      );
      expect(ids(byTeam)).toContain(row.user_role_id);
      expect(byTeam.every((r) => r.organization?.reference === `Organization/${row.team_id}`)).toBe(true);
    }
    const all = await searchAll<PractitionerRole>('/fhir/PractitionerRole?_count=200');
    for (const r of all) expectValidFhir(r);
  });
});

describe('a system client and the directory', () => {
  it('reads Organization with system/Organization.read, and nothing its token does not name', async () => {
    const { secret } = await t.services.apiClients.add({
      clientId: 'fhir-org-reader',
      name: 'Organisation reader',
      scopes: ['system/Organization.read'],
    });
    const bearer = { authorization: `Bearer ${await clientToken(t, 'fhir-org-reader', secret)}` };
    const organisations = await searchAll<Organization>('/fhir/Organization?_count=200', bearer);
    expect(organisations.length).toBeGreaterThan(0);
    expect((await get(`/fhir/Organization/${organisations[0]?.id}`, bearer)).statusCode).toBe(200);
    expectOutcome(await get('/fhir/PractitionerRole', bearer), 403);
    expectOutcome(await get('/fhir/Questionnaire', bearer), 403);
  });
});

describe('FHIR Questionnaire', () => {
  it('serves the library validly, found by url, name, title and status', async () => {
    const all = await searchAll<Questionnaire>('/fhir/Questionnaire?_count=200');
    const rows = await t.database.db.selectFrom('questionnaire').select(['questionnaire_id']).execute();
    expect(new Set(ids(all))).toEqual(new Set(rows.map((r) => r.questionnaire_id)));
    for (const q of all) expectValidFhir(q);
    const phq9 = await searchAll<Questionnaire>(
      `/fhir/Questionnaire?url=${encodeURIComponent(instrumentUrl('phq9'))}`,
    );
    expect(phq9.length).toBeGreaterThan(0);
    expect(phq9.every((q) => q.url === instrumentUrl('phq9'))).toBe(true);
    const first = phq9[0] as Questionnaire;
    expect(
      (await searchAll<Questionnaire>(`/fhir/Questionnaire?name=${first.name}`)).map((q) => q.id),
    ).toContain(first.id);
    expect(
      (
        await searchAll<Questionnaire>(
          `/fhir/Questionnaire?title=${encodeURIComponent(first.title?.slice(0, 3) ?? '')}`,
        )
      ).map((q) => q.id),
    ).toContain(first.id);
    expect((await searchAll<Questionnaire>('/fhir/Questionnaire?status=retired')).length).toBe(0);
    const read = await get(`/fhir/Questionnaire/${first.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(first);
  });

  const imported: Questionnaire = {
    resourceType: 'Questionnaire',
    url: 'https://example.org/fhir/Questionnaire/sleep',
    name: 'SleepCheck',
    title: 'Sleep check',
    status: 'active',
    item: [
      {
        linkId: 'q1',
        text: 'How well did you sleep?',
        type: 'choice',
        answerOption: [
          { valueCoding: { system: 'https://example.org/sleep', code: 'well', display: 'Well' } },
          { valueCoding: { system: 'https://example.org/sleep', code: 'badly', display: 'Badly' } },
        ],
      },
    ],
  };

  it('imports a Questionnaire as an administrator; a practitioner is refused', async () => {
    expectOutcome(await post('/fhir/Questionnaire', imported), 403);
    const admin = await signIn(t.app, 'admin@demo');
    const created = await post('/fhir/Questionnaire', imported, { cookie: admin });
    expect(created.statusCode, created.body).toBe(201);
    const q = created.json() as Questionnaire;
    expectValidFhir(q);
    expect(q).toMatchObject({ url: imported.url, version: '1', title: 'Sleep check', status: 'active' });
    expect(created.headers.location).toContain(`/fhir/Questionnaire/${q.id}/_history/1`);
    const broken = await post(
      '/fhir/Questionnaire',
      { ...imported, item: [{ linkId: 'q1', type: 'nonsense' }] },
      { cookie: admin },
    );
    expectOutcome(broken, 422);
  });
});

describe('FHIR QuestionnaireResponse', () => {
  it('serves every demo response in the caseload validly, naming the questionnaire version answered', async () => {
    const people = await searchAll<Resource>('/fhir/Patient?_count=200');
    let seen = 0;
    for (const person of people) {
      const responses = await searchAll<QuestionnaireResponse>(
        `/fhir/QuestionnaireResponse?patient=Patient/${person.id}&_count=200`,
      );
      for (const r of responses) {
        expectValidFhir(r);
        expect(r.subject?.reference).toBe(`Patient/${person.id}`);
        expect(r.questionnaire).toMatch(/^https:\/\/.+\|\d+$/);
      }
      seen += responses.length;
    }
    expect(seen, 'the demo caseload has completed measures').toBeGreaterThan(0);
  });

  it('searches by questionnaire, authored and status, includes the questionnaire, and reads one', async () => {
    const personId = await demoPersonInCaseload(t, cookie);
    const all = await searchAll<QuestionnaireResponse>(
      `/fhir/QuestionnaireResponse?patient=${personId}&_count=200`,
    );
    expect(all.length, 'person@demo has completed measures').toBeGreaterThan(0);
    const first = all[0] as QuestionnaireResponse;
    const row = await t.database.db
      .selectFrom('questionnaire_response')
      .select(['questionnaire_id'])
      .where('person_id', '=', personId)
      .orderBy('authored_on')
      .orderBy('recorded_at')
      .orderBy('response_id')
      .executeTakeFirstOrThrow();
    const withQuestionnaire = (
      await get(
        `/fhir/QuestionnaireResponse?patient=${personId}&questionnaire=Questionnaire/${row.questionnaire_id}&_include=QuestionnaireResponse:questionnaire&_count=200`,
      )
    ).json() as Bundle;
    const matches = withQuestionnaire.entry?.filter((e) => e.search?.mode === 'match') ?? [];
    expect(matches.map((e) => e.resource?.id)).toContain(first.id);
    expect(
      withQuestionnaire.entry?.filter((e) => e.search?.mode === 'include').map((e) => e.resource?.id),
    ).toEqual([row.questionnaire_id]);

    const onDay = await searchAll<QuestionnaireResponse>(
      `/fhir/QuestionnaireResponse?patient=${personId}&authored=${first.authored}&_count=200`,
    );
    expect(ids(onDay)).toContain(first.id);
    expect(onDay.every((r) => r.authored === first.authored)).toBe(true);
    const before = await searchAll<QuestionnaireResponse>(
      `/fhir/QuestionnaireResponse?patient=${personId}&authored=lt${first.authored}`,
    );
    expect(before.length).toBe(0);
    expect(
      (await searchAll(`/fhir/QuestionnaireResponse?patient=${personId}&status=completed&_count=200`)).length,
    ).toBe(all.length);

    const read = await get(`/fhir/QuestionnaireResponse/${first.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(first);
    expectOutcome(await get('/fhir/QuestionnaireResponse'), 400, 'patient');
    expectOutcome(await get(`/fhir/QuestionnaireResponse/${'0'.repeat(64)}`), 404);
  });

  it('records a completed measure from a QuestionnaireResponse, and refuses what it cannot keep', async () => {
    const personId = await demoPersonInCaseload(t, cookie);
    const [phq9] = await searchAll<Questionnaire>(
      `/fhir/Questionnaire?url=${encodeURIComponent(instrumentUrl('phq9'))}&status=active`,
    );
    expect(phq9).toBeDefined();
    const answer = (linkId: string) => {
      const option = phq9?.item?.flatMap((i) => [i, ...(i.item ?? [])]).find((i) => i.linkId === linkId)
        ?.answerOption?.[1];
      return { linkId, answer: [{ valueCoding: option?.valueCoding }] };
    };
    const scored = (phq9?.item ?? [])
      .filter((i) => i.answerOption?.length)
      .slice(0, 9)
      .map((i) => answer(i.linkId));
    const body: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse',
      questionnaire: `${phq9?.url}|${phq9?.version}`,
      status: 'completed',
      subject: { reference: `Patient/${personId}` },
      item: scored,
    };
    const created = await post('/fhir/QuestionnaireResponse', body);
    expect(created.statusCode, created.body).toBe(201);
    const response = created.json() as QuestionnaireResponse;
    expectValidFhir(response);
    expect(response.questionnaire).toBe(`${phq9?.url}|${phq9?.version}`);
    const practitioner = await demoAccount(t, 'practitioner@demo');
    expect(response.author?.reference).toBe(`Practitioner/${practitioner.user_id}`);
    expect((await get(`/fhir/QuestionnaireResponse/${response.id}`)).json()).toEqual(response);

    expectOutcome(
      await post('/fhir/QuestionnaireResponse', { ...body, encounter: { reference: 'Encounter/1' } }),
      422,
      'QuestionnaireResponse.encounter',
    );
    expectOutcome(
      await post('/fhir/QuestionnaireResponse', { ...body, status: 'in-progress' }),
      422,
      'QuestionnaireResponse.status',
    );
    expectOutcome(
      await post('/fhir/QuestionnaireResponse', { ...body, questionnaire: 'https://example.org/none' }),
      422,
      'QuestionnaireResponse.questionnaire',
    );
    expectOutcome(await post('/fhir/QuestionnaireResponse', { ...body, item: [] }), 422);
    expectOutcome(
      await post('/fhir/QuestionnaireResponse', { ...body, authored: '2999-01-01' }),
      422,
      'QuestionnaireResponse.authored',
    );
    expectOutcome(
      await post('/fhir/QuestionnaireResponse', {
        ...body,
        subject: { reference: 'Patient/00000000-0000-4000-8000-000000000000' },
      }),
      404,
    );
    expectOutcome(
      await t.app.inject({
        method: 'PUT',
        url: `/fhir/QuestionnaireResponse/${response.id}`,
        headers: { cookie, 'content-type': 'application/fhir+json' },
        payload: JSON.stringify(response),
      }),
      422,
    );
  });
});
