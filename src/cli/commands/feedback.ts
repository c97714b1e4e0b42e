import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { AuditService } from '../../features/audit/audit-trail.js';
import {
  columnOfField,
  FEEDBACK_CSV_COLUMNS,
  FeedbackCsvError,
  readFeedbackCsv,
} from '../../features/feedback/csv.js';
import { FeedbackCollectionService } from '../../features/feedback/service.js';
import { FeedbackCodingService } from '../../features/feedback-coding/service.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { readInputFile } from '../read-input-file.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'feedback import --service S FILE.csv';

/** Exit status when the file was read but some rows were refused (the good rows were imported). */
export const SOME_ROWS_REJECTED = 3;

/**
 * `feedback import --service S FILE.csv` imports feedback received elsewhere (paper forms typed into
 * a spreadsheet, another survey tool) into a service: S is the service's public key or the id of its
 * team or organisation. Columns: id,received_on,fft,good,better,writer,age_band,consent
 * (docs/FEEDBACK.md). Each refused row is printed on stderr (row, column, message) and the good rows
 * are imported; a row whose id the service already holds is skipped, so running it twice imports
 * nothing twice. Prints one line of JSON on stdout. Exits 0 when every row was imported or already
 * there, 3 when some rows were refused, 2 on bad usage or a file that cannot be read (one line).
 */
/**
 * `--service VALUE` as `--service=VALUE`: a key made before keys stopped beginning with '-' may
 * still begin with one, and parseArgs would take it for an option ("argument is ambiguous").
 */
export function withServiceJoined(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = args[i + 1];
    if (arg === '--service' && value !== undefined && value.startsWith('-') && value !== '--') {
      out.push(`--service=${value}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export const feedbackCommand: Command = {
  name: 'feedback',
  usage: USAGE,
  summary: `Import feedback from a CSV (${Object.keys(FEEDBACK_CSV_COLUMNS).join(',')}); exit 3 when rows were refused`,
  async run(args) {
    const [action, ...rest] = args;
    if (action !== 'import') throw new UsageError(`expected "${USAGE}".`);
    let parsed: ReturnType<
      typeof parseArgs<{ options: { service: { type: 'string' } }; allowPositionals: true }>
    >;
    try {
      parsed = parseArgs({
        args: withServiceJoined(rest),
        options: { service: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}; expected "${USAGE}".`);
    }
    const service = parsed.values.service?.trim();
    const [file, ...extra] = parsed.positionals;
    if (!service || !file || extra.length) throw new UsageError(`expected "${USAGE}".`);
    const content = await readInputFile(file);
    let rows: ReturnType<typeof readFeedbackCsv>;
    try {
      rows = readFeedbackCsv(content);
    } catch (error) {
      if (error instanceof FeedbackCsvError) throw new UsageError(`${file}: ${error.message}.`);
      throw error;
    }
    const { database } = await openMigratedDatabase(loadConfig());
    try {
      const audit = new AuditService(database.db, database.auditTrail);
      // Imported stories are coded as they are stored, as every story is.
      const feedback = new FeedbackCollectionService(
        database.db,
        audit,
        new FeedbackCodingService(database.db, audit),
      );
      const found = await feedback.serviceByKeyOrId(service);
      if (!found) {
        throw new UsageError(
          `no service "${service}": give its feedback key or the id of its team or organisation.`,
        );
      }
      const report = await feedback.importRows(found.serviceKey, rows, columnOfField);
      for (const r of report.rejected) {
        process.stderr.write(`row ${r.row}, column ${r.column}: ${r.message}\n`);
      }
      const rejectedRows = new Set(report.rejected.map((r) => r.row)).size;
      process.stdout.write(
        `${JSON.stringify({
          serviceKey: found.serviceKey,
          service: found.teamName ? `${found.teamName}, ${found.organisationName}` : found.organisationName,
          rows: report.rows,
          imported: report.imported,
          alreadyImported: report.alreadyImported,
          rejectedRows,
          errors: report.rejected,
        })}\n`,
      );
      return rejectedRows ? SOME_ROWS_REJECTED : 0;
    } finally {
      await database.close();
    }
  },
};
