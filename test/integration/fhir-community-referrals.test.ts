import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, OperationOutcome, ServiceRequest, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePersonRowId } from '../../src/domain/interop/fhir-ids.js';
import { ATTENDANCE_OUTCOME_SYSTEM } from '../../src/domain/interop/service-request.js';
import { runFhirImport } from '../../src/interop/fhir/bulk-import.js';
import { demoAccount } from '../support/demo.js';
import { bulkExport } from '../support/fhir.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Referrals and signposts to community support as ServiceRequest, attendance as Task
 * (features/community-referrals/fhir-service-request.ts, fhir-task.ts): through HTTP as a client
 * reads them, refused as OperationOutcomes, and through bulk export and import into an empty
 * database (the directory entries they name come with the export as HealthcareService), twice.
 */
let source: TestApp;
let target: TestApp;
let cookie: string;
/** A person in practitioner@demo's caseload with referrals and attendance. */
let personId: string;
/** The people in practitioner@demo's caseload. */
let caseload: string[];
let dir: string;

beforeAll(async () => {
  source = await createTestApp({ demoPeople: 12 });
  cookie = await signIn(source.app, 'practitioner@demo');
  const patients = await source.app.inject({ url: '/fhir/Patient?_count=200', headers: { cookie } });
  caseload = ((patients.json() as Bundle).entry ?? []).map((e) => e.resource?.id as string);
  const ids = caseload;
  const withAttendance = await source.database.db
    .selectFrom('community_attendance')
    .select('person_id')
    .where('person_id', 'in', ids)
    .orderBy('person_id')
    .executeTakeFirst();
  expect(withAttendance, 'a person in the caseload has attendance on a referral').toBeDefined();
  personId = withAttendance?.person_id as string;
}, 300_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, as = cookie) => source.app.inject({ method: 'GET', url, headers: { cookie: as } });
const entries = async <R>(url: string): Promise<R[]> => {
  const response = await get(url);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  const bundle = response.json() as Bundle;
  expectValidFhir(bundle);
  return (bundle.entry ?? []).map((e) => e.resource as R);
};

describe('FHIR ServiceRequest and attendance Task over HTTP', () => {
  it('searches by patient, reads by id, filters by status, intent and performer', async () => {
    const all = await entries<ServiceRequest>(`/fhir/ServiceRequest?patient=Patient/${personId}&_count=200`);
    const held = await source.database.db
      .selectFrom('community_referral')
      .select(['referral_id', 'kind', 'resource_id'])
      .where('person_id', '=', personId)
      .execute();
    expect(all.map((s) => parsePersonRowId(s.id as string)?.rowId).sort()).toEqual(
      held.map((r) => r.referral_id).sort(),
    );
    const first = all[0] as ServiceRequest;
    const read = await get(`/fhir/ServiceRequest/${first.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(first);
    const orders = await entries<ServiceRequest>(`/fhir/ServiceRequest?subject=${personId}&intent=order`);
    expect(orders.length).toBe(held.filter((r) => r.kind === 'referral').length);
    const performer = first.performer?.[0]?.reference as string;
    const toIt = await entries<ServiceRequest>(
      `/fhir/ServiceRequest?patient=${personId}&performer=${encodeURIComponent(performer)}`,
    );
    expect(toIt.map((s) => s.id)).toContain(first.id);
    expect(toIt.every((s) => s.performer?.[0]?.reference === performer)).toBe(true);
    const byStatus = await entries<ServiceRequest>(
      `/fhir/ServiceRequest?patient=${personId}&status=${first.status}`,
    );
    expect(byStatus.every((s) => s.status === first.status)).toBe(true);
    expect(byStatus.map((s) => s.id)).toContain(first.id);
    const one = await entries<ServiceRequest>(`/fhir/ServiceRequest?patient=${personId}&_id=${first.id}`);
    expect(one.map((s) => s.id)).toEqual([first.id]);
  });

  it('gives attendance as Tasks based on the referral', async () => {
    const tasks = (await entries<Task>(`/fhir/Task?patient=${personId}&_count=200`)).filter((t) =>
      t.businessStatus?.coding?.some((c) => c.system === ATTENDANCE_OUTCOME_SYSTEM),
    );
    const held = await source.database.db
      .selectFrom('community_attendance')
      .select('attendance_id')
      .where('person_id', '=', personId)
      .execute();
    expect(tasks.map((t) => parsePersonRowId(t.id as string)?.rowId).sort()).toEqual(
      held.map((a) => a.attendance_id).sort(),
    );
    const requests = await entries<ServiceRequest>(`/fhir/ServiceRequest?patient=${personId}&_count=200`);
    for (const t of tasks)
      expect(requests.map((s) => `ServiceRequest/${s.id}`)).toContain(t.basedOn?.[0]?.reference);
  });

  it('refuses a person the caller may not see, and an unknown id, as OperationOutcomes', async () => {
    const person = await signIn(source.app, 'person@demo');
    const own = (await demoAccount(source, 'person@demo')).person_id;
    const other = caseload.find((id) => id !== own) as string;
    const refused = await get(`/fhir/ServiceRequest?patient=${other}`, person);
    expect([403, 404]).toContain(refused.statusCode);
    expect((refused.json() as OperationOutcome).resourceType).toBe('OperationOutcome');
    const read = await get(`/fhir/ServiceRequest/${other.replaceAll('-', '')}${'0'.repeat(32)}`, person);
    expect([403, 404]).toContain(read.statusCode);
    expect((read.json() as OperationOutcome).resourceType).toBe('OperationOutcome');
    const unknown = await get(`/fhir/ServiceRequest/${personId.replaceAll('-', '')}${'0'.repeat(32)}`);
    expect(unknown.statusCode).toBe(404);
    expect((unknown.json() as OperationOutcome).resourceType).toBe('OperationOutcome');
    const noPatient = await get('/fhir/ServiceRequest?status=active');
    expect(noPatient.statusCode).toBe(400);
    expect((noPatient.json() as OperationOutcome).issue[0]?.expression).toEqual(['patient']);
  });
});

describe('FHIR bulk export and import of referrals and attendance', () => {
  type Row = Record<string, unknown>;
  const referralRows = (t: TestApp) =>
    t.database.db
      .selectFrom('community_referral')
      .select([
        'referral_id',
        'resource_id',
        'outcome_id',
        'kind',
        'made_by',
        'needs',
        'reason',
        'share_consent',
        'status',
        'decline_reason',
        'status_note',
        'responded_at',
        'created_at',
        'updated_at',
        'version',
      ])
      .where('person_id', '=', personId)
      .orderBy('referral_id')
      .execute();
  const attendanceRows = (t: TestApp) =>
    t.database.db
      .selectFrom('community_attendance')
      .select(['attendance_id', 'referral_id', 'attended_on', 'outcome', 'note', 'recorded_at'])
      .where('person_id', '=', personId)
      .orderBy('attendance_id')
      .execute();
  const plain = (rows: Row[]) => JSON.parse(JSON.stringify(rows));
  let files: string[];

  beforeAll(async () => {
    target = await createTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-referrals-'));
    const exporter = bulkExport(() => source);
    const manifest = await exporter.run('/fhir/$export', cookie);
    expect(manifest.error).toEqual([]);
    files = [];
    for (const [i, output] of manifest.output.entries()) {
      const file = path.join(dir, `${i}-${output.type}.ndjson`);
      fs.writeFileSync(
        file,
        (await exporter.lines(output.url, cookie)).map((r) => JSON.stringify(r)).join('\n'),
      );
      files.push(file);
    }
  }, 600_000);

  it('restores every referral and attendance as it was, and importing again changes nothing', async () => {
    // A dry run into the empty database first: it writes nothing, and reports what the real run
    // then does, referrals to the directory entries it would add included.
    const dry = await runFhirImport(target.services, files, { dryRun: true });
    expect(await referralRows(target)).toEqual([]);
    expect(await target.database.db.selectFrom('community_resource').select('resource_id').execute()).toEqual(
      [],
    );
    const first = await runFhirImport(target.services, files);
    expect({ imported: dry.imported, skipped: dry.skipped }).toEqual({
      imported: first.imported,
      skipped: first.skipped,
    });
    expect(first.people).toMatchObject({ refused: 0 });
    // (Tasks of measures asked are another mapping's: attendance is checked by its rows below.)
    expect(first.skipped.filter((s) => s.type === 'ServiceRequest')).toEqual([]);
    expect(first.imported.ServiceRequest ?? 0).toBeGreaterThan(0);
    expect(plain(await referralRows(target))).toEqual(plain(await referralRows(source)));
    expect(plain(await attendanceRows(target))).toEqual(plain(await attendanceRows(source)));
    const before = { referrals: await referralRows(target), attendance: await attendanceRows(target) };
    const second = await runFhirImport(target.services, files);
    expect(second.imported).toEqual({});
    expect(second.unchanged.ServiceRequest).toBe(first.imported.ServiceRequest);
    expect(plain(await referralRows(target))).toEqual(plain(before.referrals));
    expect(plain(await attendanceRows(target))).toEqual(plain(before.attendance));
  }, 600_000);

  it('skips a referral whose directory entry is neither held nor in the input, naming performer', async () => {
    const exported = files
      .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { resourceType: string; id: string } & Record<string, unknown>);
    const patient = exported.find((r) => r.resourceType === 'Patient' && r.id === personId);
    const request = exported.find(
      (r) => r.resourceType === 'ServiceRequest' && parsePersonRowId(r.id)?.personId === personId,
    ) as unknown as ServiceRequest;
    const stranger = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
    const file = path.join(dir, 'elsewhere.ndjson');
    fs.writeFileSync(
      file,
      [
        patient,
        { ...request, id: 'elsewhere-1', performer: [{ reference: `HealthcareService/${stranger}` }] },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const report = await runFhirImport(target.services, [file]);
    expect(report.people).toMatchObject({ refused: 0 });
    expect(report.skipped).toContainEqual(
      expect.objectContaining({
        type: 'ServiceRequest',
        id: 'elsewhere-1',
        element: 'ServiceRequest.performer',
        reason: expect.stringContaining(`HealthcareService/${stranger}`),
      }),
    );
  }, 600_000);
});
