import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DEMO_PASSWORD } from '../../demo/demo-data-service.js';
import { generateDemoPopulation } from '../../demo/demo-population.js';
import { todayIso } from '../../domain/calendar.js';
import { buildApp } from '../../http/app.js';
import { createServices, prepareDatabase } from '../../services/index.js';
import { type Database, openDatabase } from '../../store/database.js';
import type { DB } from '../../store/schema.js';
import {
  type AggregatesRun,
  aggregatesSection,
  benchAggregates,
  mergeSections,
} from '../bench/aggregates.js';
import { benchCoding, codingSection } from '../bench/coding.js';
import { benchFhir, fhirSection } from '../bench/fhir.js';
import { type LoadResult, loadTest, timed } from '../bench/measure.js';
import { throwawayPostgres } from '../bench/postgres-server.js';
import type { Command } from '../main.js';
import { UsageError } from '../usage-error.js';
import { DEFAULT_DEMO_PEOPLE, DEFAULT_DEMO_SEED } from './seed.js';

const MB = 1024 * 1024;
const CONNECTIONS = 10;
const PRACTITIONER = 'practitioner@demo';

/** The targets of issue 7, on PostgreSQL: throughput as a share of the same run's `/health`. */
const P99_LIMIT_MS = 50;
const JSON_SHARE = 1 / 8;
const PAGE_SHARE = 1 / 20;
const PGLITE_SHARE = 1 / 3;
const shareLabel = (wanted: number) => `1/${Math.round(1 / wanted)}`;

type RouteKind = 'baseline' | 'json' | 'page';
interface Route {
  name: string;
  path: (personId: string) => string;
  signedIn: boolean;
  kind: RouteKind;
}

const ROUTES: Route[] = [
  { name: 'GET /health (no session)', path: () => '/health', signedIn: false, kind: 'baseline' },
  { name: 'GET /health (with session)', path: () => '/health', signedIn: true, kind: 'baseline' },
  { name: 'GET /api/caseload', path: () => '/api/caseload', signedIn: true, kind: 'json' },
  { name: 'GET /api/people/{id}', path: (id) => `/api/people/${id}`, signedIn: true, kind: 'json' },
  { name: 'GET /people/{id} (summary page)', path: (id) => `/people/${id}`, signedIn: true, kind: 'page' },
  { name: 'GET /caseload (page)', path: () => '/caseload', signedIn: true, kind: 'page' },
];

interface BackendRun {
  label: string;
  detail: string;
  prepareMs: number;
  loadMs: number;
  caseloadSize: number;
  results: Map<string, LoadResult>;
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus.length} cores (${model}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Loads the demo population into `database`, serves it on loopback, and loads each route in turn. */
async function measureBackend(
  database: Database,
  label: string,
  detail: string,
  seconds: number,
  log: (line: string) => void,
): Promise<BackendRun> {
  const prepare = await timed(() => prepareDatabase(database));
  const services = createServices(database);
  const load = await timed(() =>
    services.demoData.load({ people: DEFAULT_DEMO_PEOPLE, seed: DEFAULT_DEMO_SEED }),
  );
  log(`${label}: demo population of ${DEFAULT_DEMO_PEOPLE} loaded in ${load.ms.toFixed(0)} ms`);
  const app = await buildApp({ services });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: PRACTITIONER, password: DEMO_PASSWORD }),
    });
    if (!signIn.ok) throw new Error(`signing in as ${PRACTITIONER} failed: ${signIn.status}`);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const caseload = (await (await fetch(`${base}/api/caseload`, { headers: { cookie } })).json()) as {
      total: number;
      entries: { personId: string }[];
    };
    const personId = caseload.entries[0]?.personId;
    if (!personId) throw new Error(`${PRACTITIONER} has no one in their caseload`);

    const results = new Map<string, LoadResult>();
    for (const route of ROUTES) {
      const result = await loadTest(`${base}${route.path(personId)}`, {
        seconds,
        connections: CONNECTIONS,
        headers: route.signedIn ? { cookie } : {},
      });
      log(
        `${label} ${route.name}: ${result.perSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.errors} errors`,
      );
      results.set(route.name, result);
    }
    return {
      label,
      detail,
      prepareMs: prepare.ms,
      loadMs: load.ms,
      caseloadSize: caseload.total,
      results,
    };
  } finally {
    await app.close();
  }
}

const share = (value: number, of: number) => (of > 0 && value > 0 ? `1/${(of / value).toFixed(1)}` : '–');
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

/** Whether a route meets its issue-7 target on PostgreSQL. */
function postgresTarget(route: Route, result: LoadResult, health: number): string {
  if (route.kind === 'baseline') return '–';
  const wanted = route.kind === 'json' ? JSON_SHARE : PAGE_SHARE;
  const ok = result.perSecond >= health * wanted && result.p99Ms <= P99_LIMIT_MS && result.errors === 0;
  return `≥ ${shareLabel(wanted)} of /health, p99 ≤ ${P99_LIMIT_MS} ms: ${met(ok)}`;
}

function table(
  run: BackendRun,
  target: (route: Route, result: LoadResult, health: number) => string,
): string[] {
  const health = run.results.get(ROUTES[0]?.name ?? '')?.perSecond ?? 0;
  return [
    '| route | requests | req/s | share of /health | p50 ms | p99 ms | errors | target |',
    '|---|---|---|---|---|---|---|---|',
    ...ROUTES.map((route) => {
      const r = run.results.get(route.name);
      if (!r) return `| ${route.name} | – | – | – | – | – | – | – |`;
      return `| ${route.name} | ${r.requests} | ${r.perSecond.toFixed(0)} | ${share(r.perSecond, health)} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${target(route, r, health)} |`;
    }),
  ];
}

/** PGlite holds the whole database in the process's memory: the aggregates bench stops there. */
const PGLITE_MAX_PEOPLE = 100_000;
const DEFAULT_AGGREGATE_PEOPLE = 100_000;

interface AggregatesSettings {
  people: number;
  runs: number;
  naiveRuns: number;
  naiveLimitSeconds: number;
  writes: number;
  postgres: boolean;
  pglite: boolean;
}

/** A whole number option within bounds, or a usage error naming it. */
function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} must be a whole number from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')}.`,
    );
  return n;
}

/**
 * The aggregates benchmark (issue 10) on PostgreSQL and, up to 100,000 people, on PGlite: a new
 * database each, filled with a synthetic population. Each backend's section is written into the
 * report as soon as it is measured, so a long run that fails later keeps what it measured.
 */
async function runAggregates(
  settings: AggregatesSettings,
  out: string,
  log: (line: string) => void,
): Promise<void> {
  const context = { date: todayIso(), machine: machine() };
  const write = (section: string) => mergeSections(out, [section]);
  const options = { ...settings, log };
  if (settings.postgres) {
    const throwaway = await throwawayPostgres(log);
    if ('unavailable' in throwaway) {
      log(`PostgreSQL aggregates: ${throwaway.unavailable}`);
    } else {
      try {
        const database = await openDatabase({ databaseUrl: throwaway.url, dataDir: 'memory://' });
        // One connection without the application's statement timeouts for the long statements.
        const heavy = new Kysely<DB>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: throwaway.url, max: 1 }) }),
        });
        try {
          const run: AggregatesRun = await benchAggregates(database, heavy, options);
          write(
            aggregatesSection(run, {
              ...context,
              server: `PostgreSQL, a new database on ${throwaway.server}, dropped after`,
            }),
          );
        } finally {
          await heavy.destroy();
          await database.close();
        }
      } finally {
        await throwaway.release();
      }
    }
  }
  if (settings.pglite && settings.people <= PGLITE_MAX_PEOPLE) {
    const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', pgliteMemoryMb: 2048 });
    try {
      // No naive figures: PGlite's target is its own time, and it cannot stop a statement midway.
      const run = await benchAggregates(database, database.db, { ...options, naiveRuns: 0 });
      write(aggregatesSection(run, { ...context, server: 'Embedded PGlite, in memory' }));
    } finally {
      await database.close();
    }
  } else if (settings.pglite) {
    log(`PGlite aggregates: skipped above ${PGLITE_MAX_PEOPLE.toLocaleString('en-GB')} people`);
  }
}

export const benchCommand: Command = {
  name: 'bench',
  usage:
    'bench [aggregates|coding|fhir] [--resources N] [--people N] [--runs N] [--naive-runs N] [--naive-limit SECONDS] [--writes N] [--seconds N] [--out FILE] [--no-postgres] [--no-pglite]',
  summary:
    'Measure the practitioner routes beside /health, and the dashboards’ aggregates at population scale (100,000 people by default), on PGlite and PostgreSQL, and the automatic coding of feedback beside a scikit-learn baseline, and FHIR bulk import and $export (1,000,000 resources by default) beside PostgreSQL COPY; write docs/BENCHMARKS.md',
  async run(args) {
    let values: {
      seconds?: string;
      out?: string;
      'no-postgres'?: boolean;
      'no-pglite'?: boolean;
      people?: string;
      runs?: string;
      'naive-runs'?: string;
      'naive-limit'?: string;
      writes?: string;
      resources?: string;
    };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          seconds: { type: 'string' },
          out: { type: 'string' },
          'no-postgres': { type: 'boolean' },
          'no-pglite': { type: 'boolean' },
          people: { type: 'string' },
          runs: { type: 'string' },
          'naive-runs': { type: 'string' },
          'naive-limit': { type: 'string' },
          writes: { type: 'string' },
          resources: { type: 'string' },
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (
      positionals.length > 1 ||
      (positionals[0] !== undefined && !['aggregates', 'coding', 'fhir'].includes(positionals[0]))
    )
      throw new UsageError(
        `expected "bench", "bench aggregates", "bench coding" or "bench fhir", got "bench ${positionals.join(' ')}".`,
      );
    const seconds = Number(values.seconds ?? 5);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60)
      throw new UsageError('--seconds must be a whole number from 1 to 60.');
    const aggregates: AggregatesSettings = {
      people: wholeNumber('people', values.people, DEFAULT_AGGREGATE_PEOPLE, 100, 10_000_000),
      runs: wholeNumber('runs', values.runs, 30, 1, 1000),
      naiveRuns: wholeNumber('naive-runs', values['naive-runs'], 3, 0, 100),
      naiveLimitSeconds: wholeNumber('naive-limit', values['naive-limit'], 120, 1, 3600),
      writes: wholeNumber('writes', values.writes, 300, 2, 10_000),
      postgres: !values['no-postgres'],
      pglite: !values['no-pglite'],
    };
    const out = path.resolve(values.out ?? 'docs/BENCHMARKS.md');
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const runCoding = () =>
      mergeSections(out, [codingSection(benchCoding(log), { date: todayIso(), machine: machine() })]);
    if (positionals[0] === 'coding') {
      runCoding();
      log(`written ${path.relative(process.cwd(), out)}`);
      return 0;
    }
    const fhirResources = wholeNumber('resources', values.resources, 1_000_000, 100, 9_000_000);
    const runFhir = async () => {
      if (values['no-postgres']) return log('FHIR bulk data: skipped (--no-postgres)');
      const run = await benchFhir(log, { resources: fhirResources });
      mergeSections(out, [fhirSection(run, { date: todayIso(), machine: machine() })]);
    };
    if (positionals[0] === 'fhir') {
      await runFhir();
      log(`written ${path.relative(process.cwd(), out)}`);
      return 0;
    }
    if (positionals[0] === 'aggregates') {
      await runAggregates(aggregates, out, log);
      log(`written ${path.relative(process.cwd(), out)}`);
      return 0;
    }

    const generation = await timed(() => generateDemoPopulation({ people: 10_000, seed: 'bench' }));
    log(`generate 10,000 people: ${generation.ms.toFixed(0)} ms`);

    const pgliteDatabase = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    let pglite: BackendRun;
    try {
      pglite = await measureBackend(pgliteDatabase, 'PGlite', 'Embedded PGlite, in memory', seconds, log);
    } finally {
      await pgliteDatabase.close();
    }

    let postgres: BackendRun | null = null;
    let postgresMissing = values['no-postgres'] ? 'skipped (--no-postgres)' : '';
    if (!values['no-postgres']) {
      const throwaway = await throwawayPostgres(log);
      if ('unavailable' in throwaway) {
        postgresMissing = throwaway.unavailable;
        log(`PostgreSQL: ${postgresMissing}`);
      } else {
        try {
          const database = await openDatabase({ databaseUrl: throwaway.url, dataDir: 'memory://' });
          try {
            postgres = await measureBackend(
              database,
              'PostgreSQL',
              `PostgreSQL, a new database on ${throwaway.server}, dropped after`,
              seconds,
              log,
            );
          } finally {
            await database.close();
          }
        } finally {
          await throwaway.release();
        }
      }
    }
    const rss = process.memoryUsage().rss / MB;

    const pgliteAgainstPostgres = (route: Route, result: LoadResult): string => {
      const other = postgres?.results.get(route.name);
      if (!other) return '–';
      const ratio = result.perSecond / other.perSecond;
      return `${ratio.toFixed(2)} × PostgreSQL (≥ ${shareLabel(PGLITE_SHARE)}: ${met(ratio >= PGLITE_SHARE)})`;
    };

    const report = [
      '# Benchmarks',
      '',
      'Written by `npm run bench` (`whatmatters bench`). Numbers from one run on one machine: compare runs on',
      'the same machine, and routes with `/health` from the same run, not numbers across machines.',
      '',
      `- Date: ${todayIso()}`,
      `- Machine: ${machine()}`,
      `- Data: the demo population (${DEFAULT_DEMO_PEOPLE} people, seed \`${DEFAULT_DEMO_SEED}\`), signed in as \`${PRACTITIONER}\`, whose caseload holds ${pglite.caseloadSize} people; \`{id}\` is the first person in it`,
      `- Load: ${CONNECTIONS} concurrent keep-alive connections from autocannon in a worker thread of the same process, ${seconds} s per route after 20 warm-up requests; errors are failed connections, timeouts and answers other than 2xx`,
      '',
      '## Targets (issue 7)',
      '',
      `On PostgreSQL at ${CONNECTIONS} concurrent clients, with p99 ≤ ${P99_LIMIT_MS} ms and no errors: the JSON routes reach at least`,
      `${shareLabel(JSON_SHARE)} of the same run's \`GET /health\` (no session) throughput, the pages at least ${shareLabel(PAGE_SHARE)}; PGlite reaches at`,
      `least ${shareLabel(PGLITE_SHARE)} of PostgreSQL on each route.`,
      '',
      ...(postgres
        ? [`## HTTP on PostgreSQL`, '', `${postgres.detail}.`, '', ...table(postgres, postgresTarget), '']
        : ['## HTTP on PostgreSQL', '', `Not measured: ${postgresMissing}.`, '']),
      '## HTTP on PGlite',
      '',
      `${pglite.detail}.`,
      '',
      ...table(pglite, (route, result) =>
        route.kind === 'baseline' ? '–' : pgliteAgainstPostgres(route, result),
      ),
      '',
      '## Data',
      '',
      '| what | PGlite | PostgreSQL |',
      '|---|---|---|',
      `| generate a demo population of 10,000 people (pure domain code) | ${generation.ms.toFixed(0)} ms | |`,
      `| run all migrations and install reference data on a new database | ${pglite.prepareMs.toFixed(0)} ms | ${postgres ? `${postgres.prepareMs.toFixed(0)} ms` : '–'} |`,
      `| load the demo population of ${DEFAULT_DEMO_PEOPLE} people (one transaction) | ${pglite.loadMs.toFixed(0)} ms | ${postgres ? `${postgres.loadMs.toFixed(0)} ms` : '–'} |`,
      '',
      '## Memory',
      '',
      `Resident set size of the process after the run: ${rss.toFixed(0)} MiB.`,
      '',
    ].join('\n');
    fs.writeFileSync(out, report + sectionsKeptFrom(out, report));
    await runAggregates(aggregates, out, log);
    runCoding();
    await runFhir();
    log(`written ${path.relative(process.cwd(), out)}`);
    return 0;
  },
};

/**
 * Sections of the existing report that this run does not write (measured by other scripts, such as
 * bench/pglite-durability.ts), kept after the ones it does, so a run does not erase them.
 */
function sectionsKeptFrom(file: string, report: string): string {
  if (!fs.existsSync(file)) return '';
  const written = new Set(report.split('\n').filter((l) => l.startsWith('## ')));
  const sections = fs
    .readFileSync(file, 'utf8')
    .split(/^(?=## )/m)
    .slice(1);
  const kept = sections.filter((section) => !written.has(section.split('\n')[0] ?? ''));
  return kept.length ? `\n${kept.join('').trimEnd()}\n` : '';
}
