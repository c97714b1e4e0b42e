import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE_CLIENT, clientAccountId } from '../../src/features/auth/client-account.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import {
  DERIVED_FROM_GOAL,
  DERIVED_FROM_RESPONSE,
  NO_GAS_GOAL,
} from '../../src/interop/fhir/import-observations.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Round trip (issue 13's acceptance), as far as bulk import goes today: a demo person's Patient,
 * Goals, Observations and CarePlan history, read from /fhir as their practitioner, written as
 * NDJSON (as $export writes them) and imported into an empty database, give the same person, the
 * same personal outcomes, the same ratings of them and every version of the plan. The full
 * acceptance — the same person summary page — needs the other types' import (docs/FHIR.md, "Bulk
 * import"), which is not there yet.
 */

let source: TestApp;
let target: TestApp;
let dir: string;
let personId: string;

beforeAll(async () => {
  source = await createTestApp({ demoPeople: 12 });
  target = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-round-trip-'));
  const cookie = await signIn(source.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(source, cookie);
  const search = async (first: string) => {
    const resources: Resource[] = [];
    for (let url: string | undefined = first; url; ) {
      const response = await source.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.statusCode, response.body).toBe(200);
      const bundle = response.json() as Bundle;
      resources.push(...(bundle.entry ?? []).map((e) => e.resource as Resource));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next ? next.slice(next.indexOf('/fhir/')) : undefined;
    }
    return resources;
  };
  const write = (type: string, resources: Resource[]) =>
    fs.writeFileSync(path.join(dir, `${type}.ndjson`), resources.map((r) => JSON.stringify(r)).join('\n'));
  write('Patient', await search(`/fhir/Patient?_id=${personId}`));
  write('Goal', await search(`/fhir/Goal?patient=${personId}&_count=100`));
  write('Observation', await search(`/fhir/Observation?patient=${personId}&_count=100`));
  // Every version of the plan (its history), each a CarePlan as it was saved.
  const history = await source.app.inject({
    method: 'GET',
    url: `/fhir/CarePlan/${personId}/_history`,
    headers: { cookie },
  });
  write(
    'CarePlan',
    history.statusCode === 200
      ? ((history.json() as Bundle).entry ?? []).flatMap((e) => (e.resource ? [e.resource as Resource] : []))
      : [],
  );
  await target.services.database.db
    .insertInto('organisation')
    .values({
      organisation_id: crypto.randomUUID(),
      kind: 'council-adult-social-care',
      name: 'Target Council',
    })
    .execute();
}, 300_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const personOf = (t: TestApp) =>
  t.services.database.db
    .selectFrom('person')
    .select([
      'person_id',
      'nhs_number',
      'given_name',
      'family_name',
      'preferred_name',
      'date_of_birth',
      'sex',
      'ethnic_category',
      'postcode',
      'phone',
      'email',
    ])
    .where('person_id', '=', personId)
    .executeTakeFirst();

const outcomesOf = async (t: TestApp) => {
  const db = t.services.database.db;
  const rows = await db
    .selectFrom('personal_outcome')
    .select(['outcome_id', 'statement', 'why_it_matters', 'importance', 'status', 'added_by', 'created_at'])
    .where('person_id', '=', personId)
    .orderBy('outcome_id')
    .execute();
  const domains = await db
    .selectFrom('personal_outcome_domain')
    .innerJoin('outcome_domain', 'outcome_domain.domain_id', 'personal_outcome_domain.domain_id')
    .select(['personal_outcome_domain.outcome_id', 'outcome_domain.name'])
    .where('personal_outcome_domain.person_id', '=', personId)
    .execute();
  return rows.map((r) => ({
    ...r,
    created_on: new Date(r.created_at as unknown as string).toISOString().slice(0, 10),
    created_at: undefined,
    domains: domains
      .filter((d) => d.outcome_id === r.outcome_id)
      .map((d) => d.name)
      .sort(),
  }));
};

const files = () =>
  ['Patient', 'Goal', 'Observation', 'CarePlan'].map((type) => path.join(dir, `${type}.ndjson`));

const ratingsOf = async (t: TestApp) =>
  (
    await t.services.database.db
      .selectFrom('outcome_rating')
      .select(['rating_id', 'outcome_id', 'viewpoint', 'score', 'note', 'rated_at'])
      .where('person_id', '=', personId)
      .orderBy('rating_id')
      .execute()
  ).map((r) => ({ ...r, rated_at: new Date(r.rated_at).toISOString() }));

const planOf = async (t: TestApp) =>
  (
    await t.services.database.db
      .selectFrom('care_plan_version')
      .select(['version', 'content', 'planned_review_date', 'change_summary', 'created_at'])
      .where('person_id', '=', personId)
      .orderBy('version')
      .execute()
  ).map((v) => ({
    ...v,
    content: typeof v.content === 'string' ? JSON.parse(v.content) : v.content,
    planned_review_date: v.planned_review_date ? String(v.planned_review_date).slice(0, 10) : null,
    created_at: new Date(v.created_at as unknown as string).toISOString(),
  }));

describe('FHIR round trip: export from one database, import into an empty one', () => {
  it('gives the same person and the same personal outcomes, under the same ids', async () => {
    const report = await runFhirImport(target.services, [
      path.join(dir, 'Patient.ndjson'),
      path.join(dir, 'Goal.ndjson'),
    ]);
    expect(report.people).toEqual({ imported: 1, unchanged: 0, refused: 0 });
    const original = await outcomesOf(source);
    expect(original.length).toBeGreaterThan(0);
    expect(report.imported).toMatchObject({ Patient: 1 });
    expect(await personOf(target)).toEqual(await personOf(source));
    const imported = await outcomesOf(target);
    // GAS goals are left out (reported), the outcomes themselves are all there.
    expect(imported).toEqual(original);
  });

  it('gives the same ratings of those outcomes, under the same ids, recorded by the import', async () => {
    const report = await runFhirImport(target.services, files());
    const original = await ratingsOf(source);
    expect(original.length).toBeGreaterThan(0);
    expect(report.imported.Observation).toBe(original.length);
    expect(await ratingsOf(target)).toEqual(original);
    const by = await target.services.database.db
      .selectFrom('outcome_rating')
      .select('rated_by_user_id')
      .distinct()
      .where('person_id', '=', personId)
      .execute();
    expect(by).toEqual([{ rated_by_user_id: clientAccountId(COMMAND_LINE_CLIENT) }]);
    // Every version of the plan, as it was saved.
    const plan = await planOf(source);
    expect(plan.length).toBeGreaterThan(0);
    expect(report.imported.CarePlan).toBe(plan.length);
    expect(await planOf(target)).toEqual(plan);
    // What is derived from another resource is reported, not imported on its own; GAS scores wait
    // for GAS goals (not yet imported in bulk).
    for (const skip of report.skipped.filter((s) => s.type === 'Observation'))
      expect([DERIVED_FROM_GOAL, DERIVED_FROM_RESPONSE, NO_GAS_GOAL]).toContain(skip.reason);
  });

  it('importing the export again changes nothing', async () => {
    const ratings = await ratingsOf(target);
    const report = await runFhirImport(target.services, files());
    expect(report.imported).toEqual({});
    expect(report.people).toEqual({ imported: 0, unchanged: 1, refused: 0 });
    expect(report.unchanged.Observation).toBe(ratings.length);
    expect(report.unchanged.CarePlan).toBe((await planOf(target)).length);
    expect(await ratingsOf(target)).toEqual(ratings);
  });
});
