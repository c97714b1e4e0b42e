import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD } from '../../demo/demo-data-service.js';
import { generateDemoPopulation } from '../../demo/demo-population.js';
import { buildApp } from '../../http/app.js';
import { createServices, prepareDatabase } from '../../services/index.js';
import { openDatabase } from '../../store/database.js';

import { loadTest, timed } from '../bench/measure.js';
import type { Command } from '../main.js';
import { UsageError } from '../usage-error.js';

const MB = 1024 * 1024;

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export const benchCommand: Command = {
  name: 'bench',
  usage: 'bench [--seconds N] [--out FILE]',
  summary:
    'Measure demo generation, loading, and HTTP throughput on the embedded database; write docs/BENCHMARKS.md',
  async run(args) {
    let values: { seconds?: string; out?: string };
    try {
      ({ values } = parseArgs({ args, options: { seconds: { type: 'string' }, out: { type: 'string' } } }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const seconds = Number(values.seconds ?? 5);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 60)
      throw new UsageError('--seconds must be 1 to 60.');
    const out = path.resolve(values.out ?? 'docs/BENCHMARKS.md');
    const log = (line: string) => process.stderr.write(`${line}\n`);

    const generation = await timed(() => generateDemoPopulation({ people: 10_000, seed: 'bench' }));
    log(`generate 10,000 people: ${generation.ms.toFixed(0)} ms`);

    const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    const startup = await timed(() => prepareDatabase(database));
    const services = createServices(database);
    const load = await timed(() => services.demoData.load({ people: 2_000, seed: 'bench' }));
    log(`load 2,000 people into PGlite: ${load.ms.toFixed(0)} ms`);

    const app = await buildApp({ services });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const signIn = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'practitioner@demo', password: DEMO_PASSWORD }),
      });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const options = { seconds, concurrency: 10, maxRequests: 200_000 };
      const rows: [string, Awaited<ReturnType<typeof loadTest>>][] = [];
      for (const [name, url, headers] of [
        ['GET /health', `${base}/health`, {}],
        ['GET /api/organisations (signed in)', `${base}/api/organisations`, { cookie }],
        ['GET / (home page, signed in)', `${base}/`, { cookie }],
      ] as const) {
        const result = await loadTest(url, { ...options, headers });
        log(`${name}: ${result.perSecond.toFixed(0)} req/s, p95 ${result.p95Ms.toFixed(1)} ms`);
        rows.push([name, result]);
      }
      const rss = process.memoryUsage().rss / MB;

      const report = [
        '# Benchmarks',
        '',
        'Written by `npm run bench` (`whatmatters bench`). Numbers from one run on one machine: compare runs on',
        'the same machine, not across machines. HTTP load is sent over loopback by 10 concurrent clients in the',
        'same process as the server, so client and server share the cores.',
        '',
        `- Date: ${new Date().toISOString().slice(0, 10)}`,
        `- Machine: ${machine()}`,
        '- Database: embedded PGlite, in memory',
        '',
        '## Data',
        '',
        '| what | time |',
        '|---|---|',
        `| generate a demo population of 10,000 people (pure domain code) | ${generation.ms.toFixed(0)} ms |`,
        `| run all migrations and install reference data on a new PGlite database | ${startup.ms.toFixed(0)} ms |`,
        `| load 2,000 demo people with organisations, teams, users, care teams, conversations, outcomes, ratings, GAS goals and plans (one transaction) | ${load.ms.toFixed(0)} ms |`,
        '',
        `## HTTP (${seconds} s each, 10 concurrent clients)`,
        '',
        '| request | requests | failures | per second | p50 ms | p95 ms | p99 ms |',
        '|---|---|---|---|---|---|---|',
        ...rows.map(
          ([name, r]) =>
            `| ${name} | ${r.requests} | ${r.failures} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} |`,
        ),
        '',
        '## Memory',
        '',
        `Resident set size of the process after the run: ${rss.toFixed(0)} MiB.`,
        '',
      ].join('\n');
      fs.writeFileSync(out, report);
      log(`written ${path.relative(process.cwd(), out)}`);
      return 0;
    } finally {
      await app.close();
      await database.close();
    }
  },
};
