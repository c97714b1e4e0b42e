import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { exportOrganisationToFolder, parseExportParams } from '../../interop/fhir/bulk-export.js';
import { runFhirImport } from '../../interop/fhir/bulk-import.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { createServices } from '../../services/index.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { UsageError } from '../usage-error.js';

const EXPORT_USAGE = 'fhir export --out DIR [--type T,…] [--since INSTANT] [--organisation-id ID]';
const IMPORT_USAGE = 'fhir import [--organisation-id ID] [--dry-run] FILE…';

const OPTION_OF: Record<string, string> = {
  _type: '--type',
  _since: '--since',
  organisationId: '--organisation-id',
  'organisation-id': '--organisation-id',
  files: 'FILE',
};

/** A refusal of the whole command as one line naming the option at fault (exit 2). */
function usageOf(error: unknown): never {
  if (error instanceof ContractError) {
    const f = error.fields[0] ?? { field: '', message: 'is not valid' };
    throw new UsageError(`${OPTION_OF[f.field] ?? f.field} ${f.message}.`);
  }
  if (error instanceof ServiceError && error.status < 500) {
    const field = error.field ? (OPTION_OF[error.field] ?? error.field) : '';
    throw new UsageError(`${field ? `${field}: ` : ''}${error.message}`);
  }
  throw error;
}

/**
 * `whatmatters fhir export|import` (docs/FHIR.md, "Bulk export" and "Bulk import"). Export writes
 * every record an organisation holds (by default the hosting one, made first) as FHIR NDJSON,
 * one file per type, DIR/<Type>.ndjson, acting as the system client `cli` for that organisation
 * (the same access rule and audit as a client's $export), and prints a JSON manifest on stdout.
 * Import reads NDJSON or Bundle files and prints its report as JSON. Both exit 2 with one line for
 * bad usage or files that cannot be read.
 */
export const fhirCommand: Command = {
  name: 'fhir',
  usage: 'fhir export|import …',
  help: `${EXPORT_USAGE}\n       whatmatters ${IMPORT_USAGE}`,
  summary:
    'Export the records an organisation holds as FHIR NDJSON, or import NDJSON or Bundles (docs/FHIR.md)',
  async run(args) {
    const [action, ...rest] = args;
    if (action === 'export') return runExport(rest);
    if (action === 'import') return runImport(rest);
    throw new UsageError(`expected "${EXPORT_USAGE}" or "${IMPORT_USAGE}".`);
  },
};

function parse(args: string[], usage: string, options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; expected "${usage}".`);
  }
}

async function runExport(args: string[]): Promise<number> {
  const parsed = parse(args, EXPORT_USAGE, {
    out: { type: 'string' },
    type: { type: 'string' },
    since: { type: 'string' },
    'organisation-id': { type: 'string' },
  });
  const values = parsed.values as Record<string, string | undefined>;
  if (parsed.positionals.length) throw new UsageError(`expected "${EXPORT_USAGE}".`);
  const out = values.out?.trim();
  if (!out) throw new UsageError(`--out is required; expected "${EXPORT_USAGE}".`);
  const query: Record<string, string> = {};
  if (values.type !== undefined) query._type = values.type;
  if (values.since !== undefined) query._since = values.since;
  let params: ReturnType<typeof parseExportParams>;
  try {
    params = parseExportParams(query, 'system');
  } catch (error) {
    usageOf(error);
  }
  const { database } = await openMigratedDatabase(loadConfig());
  try {
    const services = createServices(database);
    const dir = path.resolve(out);
    const transactionTime = new Date().toISOString();
    const organisationId = values['organisation-id'];
    const done = await exportOrganisationToFolder(services, {
      ...(organisationId !== undefined ? { organisationId } : {}),
      params,
      dir,
    }).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
        throw new UsageError(`cannot write to ${out}: ${code}`);
      return usageOf(error);
    });
    const manifest = {
      transactionTime,
      request: `whatmatters fhir export ${args.join(' ')}`.trim(),
      requiresAccessToken: false,
      organisationId: done.organisationId,
      output: done.output.map((f) => ({ type: f.type, url: path.join(dir, f.file), count: f.count })),
      error: done.error.map((f) => ({ type: f.type, url: path.join(dir, f.file), count: f.count })),
    };
    process.stdout.write(`${JSON.stringify(manifest)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

async function runImport(args: string[]): Promise<number> {
  const parsed = parse(args, IMPORT_USAGE, {
    'organisation-id': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (parsed.positionals.length === 0)
    throw new UsageError(`name at least one FILE; expected "${IMPORT_USAGE}".`);
  const organisationId =
    typeof values['organisation-id'] === 'string' ? values['organisation-id'].trim() : undefined;
  const { database } = await openMigratedDatabase(loadConfig());
  try {
    const services = createServices(database);
    const report = await runFhirImport(services, parsed.positionals, {
      ...(organisationId ? { organisationId } : {}),
      dryRun: values['dry-run'] === true,
    }).catch(usageOf);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
