/**
 * What durable writes cost on the embedded database: write throughput with PGLITE_DURABILITY=full
 * (each commit synced to disk) beside `relaxed` (fsync off), on new databases in a folder on the
 * disk under test. Prints a Markdown section for docs/BENCHMARKS.md.
 *
 *   npx tsx bench/pglite-durability.ts [--dir FOLDER] [--runs N] [--commits N] [--registrations N]
 *
 * FOLDER defaults to the system's temporary folder: make sure it is on the disk the data will live
 * on (a tmpfs, in memory, makes syncs free and the comparison meaningless).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD } from '../src/demo/demo-data-service.js';
import { todayIso } from '../src/domain/calendar.js';
import { buildApp } from '../src/http/app.js';
import { createServices, prepareDatabase } from '../src/services/index.js';
import { openDatabase } from '../src/store/database.js';
import { createPglite, hostSyncCounts, type PgliteDurability } from '../src/store/pglite-durability.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    runs: { type: 'string' },
    commits: { type: 'string' },
    registrations: { type: 'string' },
  },
});
const root = path.resolve(values.dir ?? os.tmpdir());
const runs = Number(values.runs ?? 3);
const commits = Number(values.commits ?? 1000);
const registrations = Number(values.registrations ?? 200);
const MODES: PgliteDurability[] = ['full', 'relaxed'];
const log = (line: string) => process.stderr.write(`${line}\n`);

const tempFolder = () => fs.mkdtempSync(path.join(root, 'wm-durability-bench-'));

/** Time spent inside the host's fsync and fdatasync calls (the module calls them through `fs`). */
let syncMs = 0;
for (const name of ['fsyncSync', 'fdatasyncSync'] as const) {
  const real = fs[name];
  fs[name] = (fd: number) => {
    const t0 = performance.now();
    try {
      real(fd);
    } finally {
      syncMs += performance.now() - t0;
    }
  };
}

/** Single-row inserts, each its own transaction, one after another: commits per second. */
async function commitRate(
  durability: PgliteDurability,
): Promise<{ perSecond: number; syncs: number; syncUsPerCommit: number }> {
  const dir = tempFolder();
  try {
    const client = await createPglite(path.join(dir, 'pglite'), durability, {
      initialMemory: 256 * 1024 * 1024,
    });
    try {
      await client.exec('create table bench_note (id int primary key, body text not null)');
      for (let i = 0; i < 50; i++)
        await client.query('insert into bench_note values ($1, $2)', [-1 - i, 'warm']);
      const syncsBefore = hostSyncCounts(client)?.fdatasync ?? 0;
      const syncMsBefore = syncMs;
      const t0 = performance.now();
      for (let i = 0; i < commits; i++) {
        await client.query('insert into bench_note values ($1, $2)', [i, `note ${i} `.repeat(8)]);
      }
      const seconds = (performance.now() - t0) / 1000;
      return {
        perSecond: commits / seconds,
        syncs: (hostSyncCounts(client)?.fdatasync ?? 0) - syncsBefore,
        syncUsPerCommit: ((syncMs - syncMsBefore) * 1000) / commits,
      };
    } finally {
      await client.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** POST /api/people through the whole application (one transaction each, audited), one after another. */
async function registrationRate(durability: PgliteDurability): Promise<number> {
  const dir = tempFolder();
  try {
    const database = await openDatabase({ databaseUrl: null, dataDir: dir, pgliteDurability: durability });
    try {
      await prepareDatabase(database);
      const services = createServices(database);
      await services.demoData.load({ people: 5, seed: 'bench' });
      const app = await buildApp({ services });
      try {
        const signIn = await app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { username: 'practitioner@demo', password: DEMO_PASSWORD },
        });
        if (signIn.statusCode !== 200) throw new Error(`sign-in failed: ${signIn.body}`);
        const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
        const register = async (i: number) => {
          const response = await app.inject({
            method: 'POST',
            url: '/api/people',
            headers: { cookie },
            payload: { givenName: `Bench${i}`, familyName: 'Durability', sex: 'female' },
          });
          if (response.statusCode !== 201) throw new Error(`registering failed: ${response.body}`);
        };
        for (let i = 0; i < 10; i++) await register(-1 - i);
        const t0 = performance.now();
        for (let i = 0; i < registrations; i++) await register(i);
        return registrations / ((performance.now() - t0) / 1000);
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (${xs.map((x) => x.toFixed(0)).join(', ')})`;

function fileSystemOf(dir: string): string {
  try {
    return (
      execFileSync('df', ['-T', dir], { encoding: 'utf8' }).trim().split('\n')[1]?.split(/\s+/)[1] ?? '?'
    );
  } catch {
    return '?';
  }
}

const commitRates: Record<PgliteDurability, number[]> = { full: [], relaxed: [] };
const registrationRates: Record<PgliteDurability, number[]> = { full: [], relaxed: [] };
let syncsPerCommit = 0;
const syncUs: number[] = [];
const loadBefore = os.loadavg()[0] ?? 0;
for (let run = 1; run <= runs; run++) {
  // Alternating, so a change in the machine's load falls on both modes alike.
  for (const mode of run % 2 ? MODES : [...MODES].reverse()) {
    const commit = await commitRate(mode);
    commitRates[mode].push(commit.perSecond);
    if (mode === 'full') {
      syncsPerCommit = commit.syncs / commits;
      syncUs.push(commit.syncUsPerCommit);
    }
    const registration = await registrationRate(mode);
    registrationRates[mode].push(registration);
    log(
      `run ${run} ${mode}: ${commit.perSecond.toFixed(0)} commits/s, ${registration.toFixed(0)} registrations/s`,
    );
  }
}
const loadAfter = os.loadavg()[0] ?? 0;

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const ratio = (what: Record<PgliteDurability, number[]>) =>
  (median(what.full) / median(what.relaxed)).toFixed(2);
process.stdout.write(
  [
    '## Durability of the embedded database',
    '',
    'Written by `npx tsx bench/pglite-durability.ts` (`npm run bench` does not measure it, and keeps this',
    'section when it rewrites the rest of the file). Each figure is the median of the runs, each run in brackets;',
    'each run is a new database in a folder on the disk named below, with the two settings alternating.',
    '',
    `- Date: ${todayIso()}`,
    `- Machine: ${os.cpus().length} cores (nproc ${os.availableParallelism()}; ${cpu}), ${os.type()} ${os.release()}, Node ${process.version}`,
    `- Disk: the folder ${root} on ${fileSystemOf(root)}; load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after (other work was running)`,
    `- With \`full\`, each commit made ${syncsPerCommit.toFixed(2)} fdatasync calls on the host, which took ${median(syncUs).toFixed(0)} µs a commit (median; runs ${syncUs.map((x) => x.toFixed(0)).join(', ')}): the disk's share of the cost. Commits one after another cannot outrun it: at most about 1 ÷ that time a second`,
    '',
    `| writes, one after another | \`PGLITE_DURABILITY=full\` (default) | \`relaxed\` | full ÷ relaxed |`,
    '|---|---|---|---|',
    `| single-row INSERT, each its own commit (${commits} per run), commits/s | ${fmt(commitRates.full)} | ${fmt(commitRates.relaxed)} | ${ratio(commitRates)} |`,
    `| POST /api/people through the application (${registrations} per run), registrations/s | ${fmt(registrationRates.full)} | ${fmt(registrationRates.relaxed)} | ${ratio(registrationRates)} |`,
    '',
  ].join('\n'),
);
