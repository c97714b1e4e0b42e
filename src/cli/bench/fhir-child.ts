import { performance } from 'node:perf_hooks';
import { runFhirImport } from '../../interop/fhir/bulk-import.js';
import { createServices } from '../../services/index.js';
import { openDatabase } from '../../store/database.js';
import { benchFhirExport } from './fhir-export.js';

/**
 * The FHIR bench's import or export, in a process of its own so its peak RSS is that work's alone
 * (fhir.ts): `node --import tsx fhir-child.ts import DATABASE_URL FILE…` or `… export DATABASE_URL`.
 * Prints one JSON line: resources, ms, maxRssKb.
 */
const [what, databaseUrl, ...files] = process.argv.slice(2);
const database = await openDatabase({ databaseUrl: databaseUrl as string, dataDir: 'memory://' });
try {
  const services = createServices(database);
  if (what === 'import') {
    const t0 = performance.now();
    const report = await runFhirImport(services, files);
    const ms = performance.now() - t0;
    const resources = Object.values(report.imported).reduce((a, b) => a + b, 0);
    const skipped = Object.values(report.skippedCounts).reduce((a, b) => a + b, 0);
    const maxRssKb = process.resourceUsage().maxRSS;
    process.stdout.write(
      `${JSON.stringify({ resources, ms, maxRssKb, refused: report.people.refused, skipped })}\n`,
    );
  } else {
    const run = await benchFhirExport(services, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(
      `${JSON.stringify({ resources: run.resources, ms: run.seconds * 1000, maxRssKb: run.peakRssMiB * 1024 })}\n`,
    );
  }
} finally {
  await database.close();
}
// Services may hold timers (audit anchoring); the measurement is done.
process.exit(0);
