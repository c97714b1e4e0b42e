import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { columnOf } from '../../features/csv-exchange/columns.js';
import { CSV_KINDS, type CsvKind, isCsvKind } from '../../features/csv-exchange/schema.js';
import { CsvFileError } from '../../features/csv-exchange/service.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { createServices } from '../../services/index.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { readInputFile } from '../read-input-file.js';
import { UsageError } from '../usage-error.js';

const KINDS = CSV_KINDS.join('|');
const EXPORT_USAGE = `csv export --kind ${KINDS} --organisation-id ID [--team-id ID] [--out FILE]`;
const IMPORT_USAGE = `csv import --kind ${KINDS} --organisation-id ID [--team-id ID] [--dry-run] FILE`;

/** The option naming a field of the scope, for messages. */
const OPTION_OF: Record<string, string> = { organisationId: '--organisation-id', teamId: '--team-id' };

/**
 * `whatmatters csv export|import`: the CSV exchange (docs/CSV.md) for one organisation (and team),
 * as the operator at the server. Import prints a JSON report {kind, dryRun, rows, imported, skipped,
 * errors: [{row, field, message}]} on stdout and exits 0 when the file was read, even when rows
 * were refused; with --dry-run every row is checked and nothing is kept. Export writes the CSV to
 * FILE or stdout. Both exit 2 with one line for bad usage, an unknown organisation or team, or a
 * file that cannot be read as that kind.
 */
export const csvCommand: Command = {
  name: 'csv',
  usage: 'csv export|import --kind K --organisation-id ID …',
  help: `${EXPORT_USAGE}\n       whatmatters ${IMPORT_USAGE}`,
  summary: 'Export or import people, outcomes with ratings, plans’ actions or feedback as CSV (docs/CSV.md)',
  async run(args) {
    const [action, ...rest] = args;
    if (action !== 'export' && action !== 'import') {
      throw new UsageError(`expected "${EXPORT_USAGE}" or "${IMPORT_USAGE}".`);
    }
    const usage = action === 'export' ? EXPORT_USAGE : IMPORT_USAGE;
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(rest);
    } catch (error) {
      throw new UsageError(`${(error as Error).message}; expected "${usage}".`);
    }
    const {
      kind,
      'organisation-id': organisationId,
      'team-id': teamId,
      out,
      'dry-run': dryRun,
    } = parsed.values;
    if (!kind || !isCsvKind(kind)) {
      throw new UsageError(`--kind must be one of ${CSV_KINDS.join(', ')}; expected "${usage}".`);
    }
    if (!organisationId) throw new UsageError(`--organisation-id is required; expected "${usage}".`);
    const [file, ...extra] = parsed.positionals;
    if (action === 'export' && (parsed.positionals.length || dryRun)) {
      throw new UsageError(`expected "${EXPORT_USAGE}".`);
    }
    if (action === 'import' && (!file || extra.length || out))
      throw new UsageError(`expected "${IMPORT_USAGE}".`);
    const scope = { organisationId, teamId: teamId ?? null };

    const content = action === 'import' ? await readInputFile(file as string) : '';
    const { database } = await openMigratedDatabase(loadConfig());
    try {
      const { csvExchange } = createServices(database);
      if (action === 'export') {
        const done = await csvExchange.exportCsv(null, kind, scope).catch(usageOf(kind));
        if (out) {
          try {
            await writeFile(out, done.csv);
          } catch (error) {
            throw new UsageError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? error}`);
          }
          process.stderr.write(`Wrote ${done.rows} rows to ${out}.\n`);
        } else {
          process.stdout.write(done.csv);
        }
        return 0;
      }
      const report = await csvExchange
        .importCsv(null, kind, scope, content, { dryRun: !!dryRun })
        .catch(usageOf(kind, file));
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    } finally {
      await database.close();
    }
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      kind: { type: 'string' },
      'organisation-id': { type: 'string' },
      'team-id': { type: 'string' },
      out: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
}

/** A refusal of the whole command (not of a row) as one line: the option or the file at fault. */
const usageOf =
  (kind: CsvKind, file?: string) =>
  (error: unknown): never => {
    if (error instanceof CsvFileError) throw new UsageError(`${file}: ${error.message}.`);
    if (error instanceof ContractError) {
      const f = error.fields[0] ?? { field: '', message: 'is not valid' };
      throw new UsageError(`${OPTION_OF[f.field] ?? f.field} ${f.message}.`);
    }
    if (error instanceof ServiceError && error.status < 500) {
      const field = error.field ? (OPTION_OF[error.field] ?? columnOf(kind, error.field)) : '';
      throw new UsageError(`${field ? `${field}: ` : ''}${error.message}`);
    }
    throw error;
  };
