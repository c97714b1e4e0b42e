import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationMemberships } from '../../src/features/record-access/person-access.js';
import { exportableTypes } from '../../src/interop/fhir/bulk-export.js';
import { runCli } from '../support/cli.js';
import { createCliDatabase } from '../support/cli-database.js';
import { bulkExport, clientToken, type ExportManifest as Manifest, pathOf } from '../support/fhir.js';
import { expectValidFhir } from '../support/fhir-validator.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * FHIR Bulk Data export (issue 13 item 5; docs/FHIR.md, "Bulk export"): kick-off, polling,
 * manifest, NDJSON files, _type and _since, who may poll and download, DELETE, and the CLI.
 */

let t: TestApp;
let exporter: string;
let other: string;
let searchOnly: string;
let practitioner: string;

async function tokenFor(clientId: string, scopes: string[]): Promise<string> {
  const { secret } = await t.services.apiClients.add({ clientId, name: clientId, scopes });
  return `Bearer ${await clientToken(t, clientId, secret)}`;
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 20 });
  exporter = await tokenFor('exporter', ['system/*.read']);
  other = await tokenFor('other-exporter', ['system/*.read']);
  searchOnly = await tokenFor('search-only', ['system/Patient.s']);
  practitioner = await signIn(t.app, 'practitioner@demo');
}, 120_000);
afterAll(() => t?.close());

const { auth, get, kickOff, poll, run: runExport, lines: linesOf } = bulkExport(() => t);
async function organisationPeople(): Promise<string[]> {
  const client = await t.database.db
    .selectFrom('api_client')
    .select('organisation_id')
    .where('client_id', '=', 'exporter')
    .executeTakeFirstOrThrow();
  const rows = await organisationMemberships(t.database.db, client.organisation_id as string)
    .select('m.person_id')
    .distinct()
    .execute();
  return rows.map((r) => r.person_id).sort();
}

describe('system-level $export by a system client', () => {
  let manifest: Manifest;

  it('is accepted with 202 and a status URL, then completes with a manifest', async () => {
    manifest = await runExport('/fhir/$export', exporter);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.request).toMatch(/\/fhir\/\$export$/);
    expect(Number.isNaN(Date.parse(manifest.transactionTime))).toBe(false);
    expect(manifest.error).toEqual([]);
    expect(manifest.output.map((o) => o.type)).toContain('Patient');
    for (const o of manifest.output) {
      expect(o.url).toMatch(/^http:\/\/localhost(:\d+)?\/fhir\/\$export-files\//);
      expect(exportableTypes('system')).toContain(o.type);
    }
  });

  it('writes NDJSON files where every line is a valid resource of the file’s type, each once', async () => {
    let total = 0;
    for (const o of manifest.output) {
      const resources = await linesOf(o.url, exporter);
      expect(resources.length).toBe(o.count);
      const ids = new Set<string>();
      for (const resource of resources) {
        expect(resource.resourceType).toBe(o.type);
        expectValidFhir(resource);
        expect(ids.has(resource.id as string), `${o.type}/${resource.id} twice`).toBe(false);
        ids.add(resource.id as string);
      }
      total += resources.length;
    }
    expect(total).toBeGreaterThan(20);
    const patients = await linesOf(manifest.output.find((o) => o.type === 'Patient')?.url ?? '', exporter);
    expect(patients.map((p) => p.id).sort()).toEqual(await organisationPeople());
  });

  it('files and status answer only the client that started the job (404 for another)', async () => {
    const [first] = manifest.output;
    const file = await get(pathOf(first?.url ?? ''), other);
    expect(file.statusCode).toBe(404);
    expect(file.json().resourceType).toBe('OperationOutcome');
    const jobId = /\$export-files\/([^/]+)\//.exec(first?.url ?? '')?.[1];
    const status = await get(`/fhir/$export-status/${jobId}`, other);
    expect(status.statusCode).toBe(404);
    expect(status.json().resourceType).toBe('OperationOutcome');
    expect((await get(`/fhir/$export-status/${jobId}`, exporter)).statusCode).toBe(200);
  });

  it('_type keeps only the types named', async () => {
    const only = await runExport('/fhir/$export?_type=Patient', exporter);
    expect(only.output.map((o) => o.type)).toEqual(['Patient']);
  });

  it('_since keeps only what changed after it', async () => {
    const first = await runExport('/fhir/$export?_type=Patient', exporter);
    const [personId] = await organisationPeople();
    await t.database.db
      .updateTable('person')
      .set({ phone: '01632 960001' })
      .where('person_id', '=', personId as string)
      .execute();
    const since = encodeURIComponent(first.transactionTime);
    const second = await runExport(`/fhir/$export?_since=${since}`, exporter);
    const resources: Resource[] = [];
    for (const o of second.output) resources.push(...(await linesOf(o.url, exporter)));
    expect(resources.map((r) => `${r.resourceType}/${r.id}`)).toContain(`Patient/${personId}`);
    expect(resources.filter((r) => r.resourceType === 'Patient')).toHaveLength(1);
    for (const r of resources)
      expect(Date.parse(r.meta?.lastUpdated ?? '')).toBeGreaterThan(Date.parse(first.transactionTime));
  });

  it('DELETE answers 202, after which the job is not found', async () => {
    const status = await kickOff('/fhir/$export?_type=Patient', exporter);
    await t.services.fhirExport.idle();
    const folder = path.join(t.services.fhirExport.dir, status.split('/').at(-1) ?? '');
    expect(fs.existsSync(path.join(folder, 'Patient.ndjson'))).toBe(true);
    const deleted = await t.app.inject({ method: 'DELETE', url: status, headers: auth(exporter) });
    expect(deleted.statusCode).toBe(202);
    expect(fs.existsSync(folder)).toBe(false);
    expect((await get(status, exporter)).statusCode).toBe(404);
    const again = await t.app.inject({ method: 'DELETE', url: status, headers: auth(exporter) });
    expect(again.statusCode).toBe(404);
  });

  it('a POST kick-off with a Parameters body works as GET does', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/fhir/$export',
      headers: { ...auth(exporter), 'content-type': 'application/fhir+json', prefer: 'respond-async' },
      payload: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [{ name: '_type', valueString: 'Patient' }],
      }),
    });
    expect(response.statusCode, response.body).toBe(202);
    const done = await poll(pathOf(response.headers['content-location'] as string), exporter);
    expect((done.json() as Manifest).output.map((o) => o.type)).toEqual(['Patient']);
  });
});

describe('refusals', () => {
  it('an unsupported _type, _outputFormat or _since is 400 with an OperationOutcome naming it', async () => {
    for (const query of [
      '_type=Medication',
      '_type=Bundle,Patient',
      '_outputFormat=text/csv',
      '_since=yesterday',
      '_typeFilter=Patient%3Fgender%3Dfemale',
    ]) {
      const response = await get(`/fhir/$export?${query}`, exporter);
      expect(response.statusCode, query).toBe(400);
      const outcome = response.json();
      expect(outcome.resourceType).toBe('OperationOutcome');
      expectValidFhir(outcome);
      expect(outcome.issue[0].expression[0]).toBe(query.split('=')[0]);
    }
  });

  it('a type kept outside records is refused at Patient level', async () => {
    const outside = exportableTypes('system').filter((t) => !exportableTypes('patient').includes(t));
    for (const type of outside) {
      const response = await get(`/fhir/Patient/$export?_type=${type}`, exporter);
      expect(response.statusCode, type).toBe(400);
    }
  });

  it('a client without read scope for a type asked for is refused with 403', async () => {
    const response = await get('/fhir/$export?_type=Patient', searchOnly);
    expect(response.statusCode).toBe(403);
    expect(response.json().resourceType).toBe('OperationOutcome');
  });

  it('a Group that is not one of the caller’s teams is not found', async () => {
    const response = await get(`/fhir/Group/${crypto.randomUUID()}/$export`, practitioner);
    expect(response.statusCode).toBe(404);
    expect(response.json().resourceType).toBe('OperationOutcome');
  });
});

describe('a practitioner’s exports', () => {
  it('Patient level: their caseload; Group level: their team’s care team within it', async () => {
    const manifest = await runExport('/fhir/Patient/$export', practitioner);
    for (const o of manifest.output) expect(exportableTypes('patient')).toContain(o.type);
    const patients = await linesOf(
      manifest.output.find((o) => o.type === 'Patient')?.url ?? '',
      practitioner,
    );
    expect(patients.length).toBeGreaterThan(0);
    for (const p of patients) {
      expect(
        (await get(`/fhir/Patient/${p.id}`, practitioner)).statusCode,
        `Patient/${p.id} in the caseload`,
      ).toBe(200);
    }
    const role = await t.database.db
      .selectFrom('user_role as r')
      .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
      .select('r.team_id')
      .where('u.username', '=', 'practitioner@demo')
      .where('r.team_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const group = await runExport(`/fhir/Group/${role.team_id}/$export?_type=Patient`, practitioner);
    const members = await linesOf(group.output[0]?.url ?? '', practitioner);
    expect(members.length).toBeGreaterThan(0);
    const inCaseload = new Set(patients.map((p) => p.id));
    for (const m of members) expect(inCaseload.has(m.id)).toBe(true);
    // Another user cannot poll it.
    const manager = await signIn(t.app, 'manager@demo');
    expect((await get(pathOf(group.output[0]?.url ?? ''), manager)).statusCode).toBe(404);
  });

  it('a finished export’s files are deleted a day after it completed, and its status is then not found', async () => {
    const status = await kickOff('/fhir/$export?_type=Patient', exporter);
    expect((await poll(status, exporter)).statusCode).toBe(200);
    const folder = path.join(t.services.fhirExport.dir, status.split('/').at(-1) ?? '');
    expect(await t.services.fhirExport.expire(new Date(Date.now() + 23 * 3600_000))).toBe(0);
    expect(await t.services.fhirExport.expire(new Date(Date.now() + 25 * 3600_000))).toBeGreaterThan(0);
    expect(fs.existsSync(folder)).toBe(false);
    expect((await get(status, exporter)).statusCode).toBe(404);
  });

  it('a person cannot start an export', async () => {
    const person = await signIn(t.app, 'person@demo');
    expect((await get('/fhir/Patient/$export', person)).statusCode).toBe(403);
  });

  it('the CapabilityStatement declares $export and still validates', async () => {
    const statement = (await t.app.inject({ url: '/fhir/metadata' })).json();
    expectValidFhir(statement);
    expect(statement.rest[0].operation).toEqual([
      { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
    ]);
  });
});

describe('whatmatters fhir export', () => {
  it('writes one NDJSON file per type and prints a manifest; bad options exit 2 with one line', async () => {
    const cli = await createCliDatabase('fhir-export');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-out-'));
    try {
      const seeded = await runCli(['seed', '--people', '5'], { env: cli.env });
      expect(seeded.code, seeded.stderr).toBe(0);
      const done = await runCli(['fhir', 'export', '--out', out], { env: cli.env });
      expect(done.code, done.stderr).toBe(0);
      const manifest = JSON.parse(done.stdout) as Manifest;
      expect(manifest.output.map((o) => o.type)).toContain('Patient');
      for (const o of manifest.output) {
        const lines = fs
          .readFileSync(path.join(out, `${o.type}.ndjson`), 'utf8')
          .split('\n')
          .filter(Boolean);
        expect(lines.length).toBe(o.count);
        for (const line of lines) expectValidFhir(JSON.parse(line));
      }
      const bad = await runCli(['fhir', 'export', '--out', out, '--type', 'Medication'], { env: cli.env });
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toContain('--type');
      const missing = await runCli(['fhir', 'export'], { env: cli.env });
      expect(missing.code).toBe(2);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
      await cli.cleanup();
    }
  }, 180_000);
});
