import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { NHS_NUMBER_SYSTEM } from '../../domain/interop/uk-core.js';
import { nhsNumberCheckDigit } from '../../domain/nhs-number.js';
import { PEOPLE_PER_TRANSACTION, TRANSACTIONS_IN_FLIGHT } from '../../interop/fhir/bulk-import.js';
import { prepareDatabase } from '../../services/index.js';
import { openDatabase } from '../../store/database.js';
import { throwawayPostgres } from './postgres-server.js';

/**
 * The FHIR bulk data benchmark (issue 13): bulk import of `resources` resources from NDJSON into a
 * new PostgreSQL database, beside a raw server-side `COPY` of the very rows the import wrote
 * (copied out after the import, then timed back into empty tables of the same shape, indexes and
 * constraints included), and $export of them when the export bench is present. Each is measured in
 * a process of its own (the import, the export) or a server backend of its own (COPY), so each
 * peak RSS is that work's alone.
 */

export const FHIR_SECTION_TITLE = '## FHIR bulk data';

export interface Measured {
  resources: number;
  ms: number;
  perSecond: number;
  /** Peak resident set of the process doing it, in MiB (null when it could not be read). */
  peakRssMiB: number | null;
  note?: string;
}

export interface FhirBenchRun {
  resources: number;
  rows: number;
  server: string;
  import: Measured & { refused: number; skipped: number };
  copy: Measured | { unavailable: string };
  export: Measured | { unavailable: string };
}

/** The tables an import of Patients writes, and which of their rows it wrote. */
const WRITTEN: { table: string; where: string }[] = [
  { table: 'person', where: 'true' },
  { table: 'person_nhs_number', where: 'true' },
  { table: 'care_team_member', where: 'true' },
  { table: 'sharing_basis', where: 'true' },
  { table: 'audit_event', where: "action = 'fhir-import'" },
];

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * NHS numbers that pass the Modulus 11 check, one per person, none of them real: they begin 99,
 * a range never issued to patients (England and Wales issue 4xx and 6xx–7xx; 999 is the test
 * range). Seven free digits give about 9.1 million valid numbers; more is refused, not looped on.
 */
export function* nhsNumbers(): Generator<string> {
  for (let n = 0; n < 10_000_000; n++) {
    const first9 = `99${String(n).padStart(7, '0')}`;
    const check = nhsNumberCheckDigit(first9);
    if (check !== null) yield `${first9}${check}`;
  }
  throw new Error('The benchmark ran out of NHS numbers (about 9.1 million).');
}

/** Writes `count` Patients as NDJSON, streaming (never the whole file in memory). */
export async function writePatients(file: string, count: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const numbers = nhsNumbers();
  const sexes = ['female', 'male', 'other', 'unknown'];
  for (let i = 0; i < count; i++) {
    const patient = {
      resourceType: 'Patient',
      id: `bench-${i}`,
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: numbers.next().value }],
      name: [{ use: 'official', family: `Family${i % 5000}`, given: [`Given${i % 997}`] }],
      gender: sexes[i % 4],
      birthDate: `${1930 + (i % 70)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    };
    if (!out.write(`${JSON.stringify(patient)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function runChild(script: string, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`${path.basename(script)} exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

/** The peak resident set (VmHWM) of a server backend, in MiB, when the server runs on this machine. */
function backendPeakMiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

async function timedCopy(
  url: string,
  resources: number,
  dir: string,
): Promise<{ rows: number; copy: FhirBenchRun['copy'] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const superuser = (
      await client.query<{ s: boolean }>('select rolsuper as s from pg_roles where rolname = current_user')
    ).rows[0]?.s;
    if (!superuser)
      return {
        rows: 0,
        copy: { unavailable: 'server-side COPY needs a superuser (or pg_read_server_files)' },
      };
    fs.chmodSync(dir, 0o777);
    let rows = 0;
    for (const { table, where } of WRITTEN) {
      const file = path.join(dir, `${table}.copy`);
      const result = await client.query(`copy (select * from ${table} where ${where}) to '${file}'`);
      rows += result.rowCount ?? 0;
      await client.query(
        `create table bench_copy_${table} (like ${table} including defaults including constraints including indexes)`,
      );
    }
    // A fresh backend for the timed part, so its peak memory is the COPY's.
    const timedClient = new pg.Client({ connectionString: url });
    await timedClient.connect();
    try {
      const pid = (await timedClient.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]
        ?.pid as number;
      const t0 = performance.now();
      await timedClient.query('begin');
      for (const { table } of WRITTEN)
        await timedClient.query(`copy bench_copy_${table} from '${path.join(dir, `${table}.copy`)}'`);
      await timedClient.query('commit');
      const ms = performance.now() - t0;
      return {
        rows,
        copy: {
          resources,
          ms,
          perSecond: resources / (ms / 1000),
          peakRssMiB: backendPeakMiB(pid),
          note: `${rows.toLocaleString('en-GB')} rows into 5 tables in one transaction (peak RSS: the server backend's)`,
        },
      };
    } finally {
      await timedClient.end();
    }
  } finally {
    await client.end();
  }
}

const measuredOf = (child: Record<string, unknown>): Measured => {
  const ms = child.ms as number;
  const resources = child.resources as number;
  return { resources, ms, perSecond: resources / (ms / 1000), peakRssMiB: (child.maxRssKb as number) / 1024 };
};

export async function benchFhir(
  log: (line: string) => void,
  options: { resources: number },
): Promise<FhirBenchRun | { unavailable: string }> {
  const throwaway = await throwawayPostgres(log);
  if ('unavailable' in throwaway) return throwaway;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-fhir-'));
  try {
    const database = await openDatabase({ databaseUrl: throwaway.url, dataDir: 'memory://' });
    try {
      await prepareDatabase(database);
      await database.db
        .insertInto('organisation')
        .values({
          organisation_id: crypto.randomUUID(),
          kind: 'council-adult-social-care',
          name: 'Bench County Council',
        })
        .execute();
    } finally {
      await database.close();
    }
    const file = path.join(dir, 'Patient.ndjson');
    log(`FHIR: writing ${options.resources.toLocaleString('en-GB')} Patients as NDJSON`);
    await writePatients(file, options.resources);
    log('FHIR: importing (a child process)');
    const child = await runChild(path.join(here, 'fhir-child.ts'), ['import', throwaway.url, file]);
    const imported = measuredOf(child);
    log(`FHIR: imported ${imported.resources} resources in ${(imported.ms / 1000).toFixed(1)} s`);
    fs.rmSync(file);
    log('FHIR: COPY of the same rows');
    const { rows, copy } = await timedCopy(throwaway.url, imported.resources, dir);
    log('FHIR: $export (a child process)');
    let exported: FhirBenchRun['export'];
    try {
      exported = measuredOf(await runChild(path.join(here, 'fhir-child.ts'), ['export', throwaway.url]));
    } catch (error) {
      exported = { unavailable: `the export failed: ${(error as Error).message}` };
    }
    return {
      resources: options.resources,
      rows,
      server: throwaway.server,
      import: { ...imported, refused: child.refused as number, skipped: child.skipped as number },
      copy,
      export: exported,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await throwaway.release();
  }
}

const n = (v: number) => Math.round(v).toLocaleString('en-GB');
const mib = (v: number | null) => (v === null ? '–' : `${v.toFixed(0)} MiB`);

export function fhirSection(
  run: FhirBenchRun | { unavailable: string },
  context: { date: string; machine: string },
): string {
  const head = [
    FHIR_SECTION_TITLE,
    '',
    `Written by \`whatmatters bench fhir\` (also part of \`npm run bench\`). Date: ${context.date}. Machine: ${context.machine}.`,
  ];
  if ('unavailable' in run) return [...head, '', `Not measured: ${run.unavailable}.`, ''].join('\n');
  const row = (name: string, m: Measured | { unavailable: string }) =>
    'unavailable' in m
      ? `| ${name} | not measured: ${m.unavailable} | | | |`
      : `| ${name} | ${n(m.resources)} | ${(m.ms / 1000).toFixed(1)} s | ${n(m.perSecond)} | ${mib(m.peakRssMiB)}${m.note ? ` — ${m.note}` : ''} |`;
  const ratio = 'unavailable' in run.copy ? null : run.import.perSecond / run.copy.perSecond;
  const memoryOk = (m: Measured | { unavailable: string }) =>
    'unavailable' in m
      ? 'not measured'
      : m.peakRssMiB === null
        ? 'not read'
        : m.peakRssMiB < 512
          ? 'met'
          : '**not met**';
  return [
    ...head,
    `Server: PostgreSQL, a new database on ${run.server}, dropped after. Input: ${n(run.resources)} Patients (UK Core, NHS numbers) in one NDJSON file;`,
    'the import registers each person into the organisation (the person, their NHS number, the organisation’s care-team membership, the basis for sharing) with one audit entry each,',
    `${n(PEOPLE_PER_TRANSACTION)} people per transaction, ${TRANSACTIONS_IN_FLIGHT} transactions in flight. COPY loads the same ${n(run.rows)} rows, copied out of the imported database, into empty tables of the same shape (check constraints and indexes included), in one transaction, from files on the server.`,
    'Those tables have no triggers and no foreign keys (`LIKE` copies neither): the import’s rows are also checked against the tables they name and fire the schema’s triggers (record versions, the lead team), which a raw COPY does not.',
    '',
    '| what | resources | time | resources per second | peak RSS |',
    '|---|---|---|---|---|',
    row('bulk import (`whatmatters fhir import`)', run.import),
    row('raw PostgreSQL COPY of the same rows', run.copy),
    row('$export (NDJSON)', run.export),
    '',
    `Goals (issue 13): import at ≥ 25% of COPY: ${ratio === null ? 'not compared (no COPY in this run)' : ratio >= 0.25 ? `met (${(ratio * 100).toFixed(0)}%)` : `**not met** (${(ratio * 100).toFixed(1)}%)`}.`,
    `Peak RSS under 512 MiB: import ${memoryOk(run.import)}; export ${memoryOk(run.export)}.`,
    `Refused on import: ${n(run.import.refused)} people; skipped: ${n(run.import.skipped)}.`,
    '',
  ].join('\n');
}
