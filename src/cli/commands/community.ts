import { writeFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { CommunityFileError, readCommunityCsv } from '../../features/community/csv-columns.js';
import {
  type CommunityImportReport,
  EXCHANGE_FORMATS,
  type ExchangeFormat,
  formatOfContent,
} from '../../features/community/exchange-service.js';
import { readOpenReferral } from '../../features/community/open-referral.js';
import { ServiceError } from '../../services/errors.js';
import { createServices } from '../../services/index.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { readInputFile } from '../read-input-file.js';
import { UsageError } from '../usage-error.js';

const IMPORT_USAGE = 'community import FILE… [--dry-run] [--organisation ID]';
const EXPORT_USAGE = `community export --format ${EXCHANGE_FORMATS.join('|')} [--out FILE]`;

/**
 * `whatmatters community import|export`: the community directory as files (docs/COMMUNITY.md,
 * "Exchanging the directory"), as the operator at the server (every organisation's entries).
 * Import reads each FILE as CSV or Open Referral UK JSON (by its first character), checks every
 * file can be read before any is imported, and prints one JSON report {dryRun, files: [{file,
 * format, rows, added, changed, unchanged, refused, errors: [{row, field, message}]}]}; it exits 0
 * when the files were read, even when rows were refused. --organisation is the organisation of
 * rows that name none of this directory's organisations. Export writes every entry to FILE (or
 * stdout). Bad usage, a file that cannot be read, or an unknown organisation: exit 2, one line.
 */
export const communityCommand: Command = {
  name: 'community',
  usage: 'community import|export …',
  help: `${IMPORT_USAGE}\n       whatmatters ${EXPORT_USAGE}`,
  summary: 'Import or export the community directory as CSV or Open Referral UK JSON (docs/COMMUNITY.md)',
  async run(args) {
    const [action, ...rest] = args;
    if (action === 'import') return importFiles(rest);
    if (action === 'export') return exportDirectory(rest);
    throw new UsageError(`expected "${IMPORT_USAGE}" or "${EXPORT_USAGE}".`);
  },
};

function parse(args: string[], usage: string, options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; expected "${usage}".`);
  }
}

async function importFiles(args: string[]): Promise<number> {
  const parsed = parse(args, IMPORT_USAGE, {
    'dry-run': { type: 'boolean' },
    organisation: { type: 'string' },
  });
  const files = parsed.positionals;
  if (!files.length) throw new UsageError(`name a file to import; expected "${IMPORT_USAGE}".`);
  const dryRun = parsed.values['dry-run'] === true;
  const organisationId = (parsed.values.organisation as string | undefined)?.trim() || null;
  // Every file is read and checked first, so a file that cannot be read imports nothing at all.
  const contents: { file: string; content: string; format: ExchangeFormat }[] = [];
  for (const file of files) {
    const content = await readInputFile(file);
    const format = formatOfContent(content);
    try {
      if (format === 'csv') readCommunityCsv(content);
      else readOpenReferral(content);
    } catch (error) {
      if (error instanceof CommunityFileError) throw new UsageError(`${file}: ${error.message}.`);
      throw error;
    }
    contents.push({ file, content, format });
  }
  const { database } = await openMigratedDatabase(loadConfig());
  try {
    const { communityExchange } = createServices(database);
    const reports: (CommunityImportReport & { file: string })[] = [];
    for (const { file, content, format } of contents) {
      try {
        const report = await communityExchange.importFile(null, content, { dryRun, organisationId, format });
        reports.push({ file, ...report });
      } catch (error) {
        if (error instanceof ServiceError && error.status < 500) {
          throw new UsageError(
            `${error.field === 'organisationId' ? '--organisation: ' : ''}${error.message}`,
          );
        }
        throw error;
      }
    }
    process.stdout.write(`${JSON.stringify({ dryRun, files: reports })}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

async function exportDirectory(args: string[]): Promise<number> {
  const parsed = parse(args, EXPORT_USAGE, { format: { type: 'string' }, out: { type: 'string' } });
  const format = parsed.values.format as string | undefined;
  if (!format || !(EXCHANGE_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `--format must be one of ${EXCHANGE_FORMATS.join(', ')}; expected "${EXPORT_USAGE}".`,
    );
  }
  if (parsed.positionals.length) throw new UsageError(`expected "${EXPORT_USAGE}".`);
  const out = parsed.values.out as string | undefined;
  const { database } = await openMigratedDatabase(loadConfig());
  try {
    const { communityExchange } = createServices(database);
    const done = await communityExchange.exportDirectory(null, format as ExchangeFormat, 'operator');
    if (!out) {
      process.stdout.write(done.content);
      return 0;
    }
    try {
      await writeFile(out, done.content);
    } catch (error) {
      throw new UsageError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    process.stderr.write(`Wrote ${done.entries} entries to ${out}.\n`);
    return 0;
  } finally {
    await database.close();
  }
}
