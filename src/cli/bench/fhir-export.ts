import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportOrganisationToFolder } from '../../interop/fhir/bulk-export.js';
import type { Services } from '../../services/index.js';

export interface FhirExportBench {
  resources: number;
  seconds: number;
  perSecond: number;
  /** The process's peak resident set over its life (process.resourceUsage().maxRSS), after the export. */
  peakRssMiB: number;
  /** The peak before the export began: the export's own cost is the difference. */
  peakRssBeforeMiB: number;
  /** Audit entries the export added (one per person per type read through the services, and the lists). */
  auditEntries: number;
  files: { type: string; count: number }[];
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

async function auditCount(services: Services): Promise<number> {
  const row = await services.database.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Exports everything the hosting organisation holds (as `whatmatters fhir export` does) into a
 * temporary folder, then deletes it: resources per second and the process's peak memory, which
 * must not grow with the number of resources (the export holds one person's resources at a time).
 * For a clean peak, run it in a process of its own, after loading the data in another.
 */
export async function benchFhirExport(
  services: Services,
  log: (line: string) => void = () => {},
  options: { organisationId?: string } = {},
): Promise<FhirExportBench> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wm-bench-fhir-export-'));
  try {
    const peakBefore = process.resourceUsage().maxRSS;
    const auditBefore = await auditCount(services);
    const t0 = performance.now();
    const done = await exportOrganisationToFolder(services, {
      ...(options.organisationId ? { organisationId: options.organisationId } : {}),
      params: { types: null, since: null },
      dir,
    });
    const seconds = (performance.now() - t0) / 1000;
    const peak = process.resourceUsage().maxRSS;
    const auditEntries = (await auditCount(services)) - auditBefore;
    const result: FhirExportBench = {
      resources: done.resources,
      seconds: Math.round(seconds * 100) / 100,
      perSecond: Math.round(done.resources / Math.max(seconds, 0.001)),
      peakRssMiB: mib(peak),
      peakRssBeforeMiB: mib(peakBefore),
      auditEntries,
      files: done.output.map((f) => ({ type: f.type, count: f.count })),
    };
    log(
      `FHIR export: ${result.resources.toLocaleString('en-GB')} resources in ${result.seconds} s (${result.perSecond.toLocaleString('en-GB')}/s), peak RSS ${result.peakRssMiB} MiB (${result.peakRssBeforeMiB} MiB before), ${auditEntries.toLocaleString('en-GB')} audit entries`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
