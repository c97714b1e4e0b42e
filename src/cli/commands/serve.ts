import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config.js';
import type { DemoInfo, DemoLoadProgress } from '../../demo/demo-data-service.js';
import { startRollupWorker } from '../../features/rollups/store.js';
import { buildApp } from '../../http/app.js';
import { createServices } from '../../services/index.js';
import type { Command } from '../main.js';
import { describeDatabase, openMigratedDatabase } from '../open-database.js';
import { DEFAULT_DEMO_PEOPLE, DEFAULT_DEMO_SEED } from './seed.js';

/** A line for whoever started the server, on stderr: stdout carries the JSON log. */
const say = (line: string) => process.stderr.write(`${line}\n`);

/** What the demo load is doing, with a rough time left once some care records are written. */
export function demoProgressLine(progress: DemoLoadProgress, elapsedMs: number): string {
  if (progress.stage === 'people') return '  writing organisations, teams, people and accounts…';
  if (progress.stage === 'statistics') return '  gathering statistics for the query planner…';
  const percent = Math.floor((progress.done / Math.max(1, progress.total)) * 100);
  const line = `  care records: ${progress.done} of ${progress.total} people (${percent}%)`;
  if (progress.done === 0 || progress.done >= progress.total) return line;
  const leftSeconds = Math.ceil(((elapsedMs / progress.done) * (progress.total - progress.done)) / 1000);
  return `${line}, about ${leftSeconds} s left`;
}

/** Where to open the service, and with a demo database how to sign in. */
function readyMessage(app: FastifyInstance, host: string, demo: DemoInfo | null): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const lines = [`WhatMatters is ready: open http://${shownHost}:${port}/`];
  if (demo) {
    lines.push(
      `Demo sign-in (password ${demo.password}):`,
      ...demo.accounts.map((a) => `  ${a.username.padEnd(24)} ${a.description}`),
    );
  }
  return lines.join('\n');
}

/** How often the rollup worker looks for marked people (docs/SCALING.md, "Rollups"). */
const ROLLUP_INTERVAL_MS = 1_000;

/** In-flight requests get this long to finish after SIGTERM/SIGINT before connections are cut. */
const DRAIN_MS = 3_500;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve',
  summary: 'Serve the web app and API (migrates, and loads demo data into a new database)',
  async run() {
    const config = loadConfig();
    const { database } = await openMigratedDatabase(config);
    const services = createServices(database, {
      oidc: config.oidc,
      // $export files beside the embedded database (DATA_DIR/fhir-exports), or in the temporary folder.
      ...(config.dataDir === 'memory://' ? {} : { fhirExportDir: path.join(config.dataDir, 'fhir-exports') }),
    });
    const app = await buildApp({
      services,
      logger: { level: config.logLevel },
      trustProxy: config.trustProxy,
      version: packageVersion(),
    });
    /** Writes the audit chain's head outside the database (docs/SECURITY.md); a failure is logged, not fatal. */
    const anchorAuditTrail = () =>
      services.audit.anchor().then(
        (anchor) => anchor && app.log.debug({ anchor }, 'anchored the audit trail'),
        (error: unknown) => app.log.error({ err: error }, 'could not anchor the audit trail'),
      );
    let stopSignal: Promise<NodeJS.Signals> | undefined;
    try {
      let demo: DemoInfo | null = null;
      if (await services.demoData.isEmpty()) {
        if (config.demoData) {
          say(`Loading the demo population (${DEFAULT_DEMO_PEOPLE} people) into the new database…`);
          const started = Date.now();
          const info = await services.demoData.load({
            people: DEFAULT_DEMO_PEOPLE,
            seed: DEFAULT_DEMO_SEED,
            onProgress: (progress) => say(demoProgressLine(progress, Date.now() - started)),
          });
          demo = info;
          say(`Demo data loaded in ${Math.round((Date.now() - started) / 1000)} s.`);
          app.log.info(
            { people: info.people, accounts: info.accounts.length },
            'loaded demo data into the new database',
          );
        } else {
          app.log.warn(
            'the database is empty; for a demo, start with DEMO_DATA=true or run `whatmatters seed`',
          );
        }
      }
      // Listen for the stop signal before serving (a Ctrl-C while the demo loads still stops at once):
      // a SIGTERM that arrives once the port is open, while the ready message and the first anchor
      // are still being written, must close the database cleanly, not kill the process.
      stopSignal = new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      await app.listen({ port: config.port, host: config.host });
      app.log.info(`WhatMatters is serving on the ${describeDatabase(config)}`);
      demo ??= await services.demoData.demoInfo();
      say(readyMessage(app, config.host, demo));
      await anchorAuditTrail();
    } catch (error) {
      await app.close();
      await database.close();
      throw error;
    }

    const anchoring = setInterval(() => void anchorAuditTrail(), config.audit.anchorSeconds * 1000);
    anchoring.unref();
    // The rollups' worker: applies the people writes marked, so dashboards trail a write by about
    // a second. The embedded database has one connection, so it takes a few people at a time and
    // requests wait behind one person's evaluation at most; a server takes more per pass.
    const rollups = startRollupWorker(database.db, {
      intervalMs: ROLLUP_INTERVAL_MS,
      batch: database.kind === 'pglite' ? 5 : 50,
      onError: (error: unknown) => app.log.error({ err: error }, 'could not apply the rollup queue'),
    });

    const signal = await (stopSignal as Promise<NodeJS.Signals>);
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // A second signal means "now".
    const forceExit = () => process.exit(1);
    process.once('SIGINT', forceExit);
    process.once('SIGTERM', forceExit);
    const cut = setTimeout(() => app.server.closeAllConnections(), DRAIN_MS);
    await app.close();
    clearTimeout(cut);
    clearInterval(anchoring);
    await rollups.stop();
    await anchorAuditTrail();
    await database.close();
    app.log.info('stopped; database closed cleanly');
    return 0;
  },
};
