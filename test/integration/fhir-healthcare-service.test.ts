import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  Bundle,
  CapabilityStatement,
  HealthcareService,
  OperationOutcome,
  Organization,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedUuid } from '../../src/domain/interop/fhir-ids.js';
import { SUPPORT_KIND_SYSTEM } from '../../src/domain/interop/service-request.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { bulkExport } from '../support/fhir.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The community directory as HealthcareService (features/community/fhir-healthcare-service.ts):
 * searched and read through HTTP with the directory's own access rule (listed entries for
 * everyone, closed ones only for those who keep them), refused as OperationOutcomes, in the
 * system-level $export, and imported in bulk into an empty database, twice.
 */
let source: TestApp;
let target: TestApp | undefined;
let admin: string;
let person: string;
let dir: string | undefined;

beforeAll(async () => {
  source = await createTestApp({ demoPeople: 4 });
  admin = await signIn(source.app, 'admin@demo');
  person = await signIn(source.app, 'person@demo');
}, 300_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, cookie = admin) => source.app.inject({ method: 'GET', url, headers: { cookie } });
const search = async (url: string, cookie = admin): Promise<HealthcareService[]> => {
  const response = await get(url, cookie);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  const bundle = response.json() as Bundle;
  expectValidFhir(bundle);
  return (bundle.entry ?? []).map((e) => e.resource as HealthcareService);
};

describe('FHIR HealthcareService over HTTP', () => {
  it('lists what the directory lets each reader see: everything for an administrator, listed entries for a person', async () => {
    const held = await source.database.db
      .selectFrom('community_resource')
      .select(['resource_id', 'status'])
      .execute();
    expect(
      held.some((r) => r.status === 'closed'),
      'the demo directory has a closed entry',
    ).toBe(true);
    const all = await search('/fhir/HealthcareService?_count=200');
    expect(all.map((s) => s.id).sort()).toEqual(held.map((r) => r.resource_id).sort());
    const listed = (await source.services.communitySearch.readable(null)).map((e) => e.resourceId);
    const forPerson = await search('/fhir/HealthcareService?_count=200', person);
    expect(forPerson.map((s) => s.id).sort()).toEqual([...listed].sort());
    expect(forPerson.every((s) => s.active)).toBe(true);
    expect(forPerson.some((s) => s.extension?.some((x) => x.url.endsWith('community-maintainer')))).toBe(
      false,
    );
  });

  it('reads one by id, and answers 404 as an OperationOutcome for one there is not', async () => {
    const [first] = await search('/fhir/HealthcareService?_count=1');
    const read = await get(`/fhir/HealthcareService/${first?.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(first);
    const missing = await get('/fhir/HealthcareService/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as OperationOutcome).resourceType).toBe('OperationOutcome');
    const closed = await source.database.db
      .selectFrom('community_resource')
      .select('resource_id')
      .where('status', '=', 'closed')
      .executeTakeFirstOrThrow();
    // A closed entry is not known to a person looking for help (as the directory's pages answer).
    expect((await get(`/fhir/HealthcareService/${closed.resource_id}`, person)).statusCode).toBe(404);
    expect((await get(`/fhir/HealthcareService/${closed.resource_id}`)).statusCode).toBe(200);
  });

  it('searches by name, active, organization, service-category, _id and pages with _count', async () => {
    const all = await search('/fhir/HealthcareService?_count=200');
    const first = all[0] as HealthcareService;
    const byName = await search(
      `/fhir/HealthcareService?name=${encodeURIComponent(first.name?.slice(0, 5) ?? '')}`,
    );
    expect(byName.map((s) => s.id)).toContain(first.id);
    const closed = await search('/fhir/HealthcareService?active=false&_count=200');
    expect(closed.length).toBe(all.filter((s) => s.active === false).length);
    const org = first.providedBy?.reference as string;
    const ofOrg = await search(`/fhir/HealthcareService?organization=${encodeURIComponent(org)}&_count=200`);
    expect(ofOrg.length).toBe(all.filter((s) => s.providedBy?.reference === org).length);
    const kind = first.category?.[0]?.coding?.[0]?.code as string;
    const ofKind = await search(
      `/fhir/HealthcareService?service-category=${encodeURIComponent(`${SUPPORT_KIND_SYSTEM}|${kind}`)}&_count=200`,
    );
    expect(ofKind.length).toBe(all.filter((s) => s.category?.[0]?.coding?.[0]?.code === kind).length);
    expect((await search(`/fhir/HealthcareService?_id=${first.id}`)).map((s) => s.id)).toEqual([first.id]);
    const page = await get('/fhir/HealthcareService?_count=2');
    const bundle = page.json() as Bundle;
    expect(bundle.entry?.length).toBe(2);
    expect(bundle.link?.some((l) => l.relation === 'next')).toBe(true);
    const bad = await get('/fhir/HealthcareService?service-type=x');
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as OperationOutcome).resourceType).toBe('OperationOutcome');
  });

  it('is in the CapabilityStatement as read and search only; a create answers 422 as an OperationOutcome', async () => {
    const metadata = (await get('/fhir/metadata')).json() as CapabilityStatement;
    const type = metadata.rest?.[0]?.resource?.find((r) => r.type === 'HealthcareService');
    const interactions = type?.interaction?.map((i) => i.code) ?? [];
    expect(interactions).toContain('read');
    expect(interactions).toContain('search-type');
    expect(interactions).not.toContain('create');
    expect(type?.searchParam?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['name', 'active', 'organization', 'service-category', '_id', '_lastUpdated']),
    );
    const [first] = await search('/fhir/HealthcareService?_count=1');
    const created = await source.app.inject({
      method: 'POST',
      url: '/fhir/HealthcareService',
      headers: { cookie: admin, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({ ...first, id: undefined }),
    });
    expect(created.statusCode).toBe(422);
    expect((created.json() as OperationOutcome).resourceType).toBe('OperationOutcome');
  });

  it('is in the system-level $export: what the exporter may read, every entry valid', async () => {
    const practitioner = await signIn(source.app, 'practitioner@demo');
    const exporter = bulkExport(() => source);
    const manifest = await exporter.run('/fhir/$export?_type=HealthcareService', practitioner);
    expect(manifest.error).toEqual([]);
    const lines = (
      await Promise.all(manifest.output.map((o) => exporter.lines(o.url, practitioner)))
    ).flat() as HealthcareService[];
    const served = await search('/fhir/HealthcareService?_count=200', practitioner);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((s) => s.id).sort()).toEqual(served.map((s) => s.id).sort());
    for (const s of lines) expectValidFhir(s);
  });
});

describe('FHIR bulk import of HealthcareService', () => {
  it('imports an Organization and its entry into an empty database, then leaves them unchanged', async () => {
    const [entry] = await search('/fhir/HealthcareService?active=true&_count=1');
    const service = entry as HealthcareService;
    const orgResponse = await get(`/fhir/${service.providedBy?.reference}`);
    expect(orgResponse.statusCode).toBe(200);
    const organization = orgResponse.json() as Organization;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-hs-'));
    const file = path.join(dir, 'directory.json');
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: organization }, { resource: service }],
    };
    fs.writeFileSync(file, JSON.stringify(bundle));
    target = await createTestApp();
    const first = await runFhirImport(target.services, [file]);
    expect(first.skipped).toEqual([]);
    expect(first.imported.HealthcareService).toBe(1);
    const restored = await target.services.communitySearch.entry(service.id as string);
    const original = await source.services.communitySearch.entry(service.id as string);
    expect(restored).toBeDefined();
    const {
      maintainerUserId: _a,
      maintainerName: _b,
      createdAt: _c,
      updatedAt: _d,
      version: _e,
      ...mine
    } = restored as NonNullable<typeof restored>;
    const {
      maintainerUserId: _f,
      maintainerName: _g,
      createdAt: _h,
      updatedAt: _i,
      version: _j,
      ...theirs
    } = original as NonNullable<typeof original>;
    expect(mine).toEqual(theirs);
    const second = await runFhirImport(target.services, [file]);
    expect(second.imported.HealthcareService).toBeUndefined();
    expect(second.unchanged.HealthcareService).toBe(1);
    expect(second.skipped).toEqual([]);
  }, 120_000);

  it('skips an entry whose organisation is neither held nor imported, and one the directory refuses, naming the element', async () => {
    const [entry] = await search('/fhir/HealthcareService?active=true&_count=1');
    const service = entry as HealthcareService;
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-hs-'));
    const file = path.join(dir, 'refused.ndjson');
    const orphan = { ...service, id: 'orphan-1', providedBy: { reference: 'Organization/nowhere' } };
    const badTimes = {
      ...service,
      id: 'bad-times-1',
      availableTime: [{ daysOfWeek: ['mon'], availableStartTime: '25:00:00', availableEndTime: '26:00:00' }],
    };
    fs.writeFileSync(file, [orphan, badTimes].map((r) => JSON.stringify(r)).join('\n'));
    target ??= await createTestApp();
    const report = await runFhirImport(target.services, [file]);
    expect(report.imported.HealthcareService).toBeUndefined();
    expect(report.skipped.map((s) => [s.id, s.element])).toEqual([
      ['orphan-1', 'HealthcareService.providedBy'],
      ['bad-times-1', 'HealthcareService.availableTime'],
    ]);
  }, 120_000);
  it('a dry run checks another system’s entry and counts it, writing nothing', async () => {
    const [entry] = await search('/fhir/HealthcareService?active=true&_count=1');
    const foreign = { ...(entry as HealthcareService), id: 'their-walks-1', extension: [], meta: undefined };
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-hs-'));
    const file = path.join(dir, 'foreign.ndjson');
    fs.writeFileSync(file, JSON.stringify(foreign));
    target ??= await createTestApp();
    const before = await target.database.db.selectFrom('community_resource').select('resource_id').execute();
    const report = await runFhirImport(target.services, [file], { dryRun: true });
    expect(report.skipped).toEqual([]);
    expect(report.imported.HealthcareService).toBe(1);
    const after = await target.database.db.selectFrom('community_resource').select('resource_id').execute();
    expect(after).toEqual(before);
    const real = await runFhirImport(target.services, [file]);
    expect(real.imported.HealthcareService).toBe(1);
    const kept = await target.services.communitySearch.entry(
      derivedUuid('fhir-import', 'HealthcareService', 'their-walks-1'),
    );
    expect(kept?.name).toBe(entry?.name);
    // No extensions: self-referral reads as no, accepting referrals as yes, reviewed on the usual interval.
    expect(kept?.selfReferral).toBe(false);
    expect(kept?.acceptingReferrals).toBe(true);
  }, 120_000);
});
