import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { isListedForPeople, maintainedOrganisations } from '../../domain/community/resource-access.js';
import { resourceProblems } from '../../domain/community/resource-rules.js';
import { nextReviewDue, reviewState } from '../../domain/community/staleness.js';
import { normalisePostcode } from '../../domain/postcode.js';
import { ContractError, type FieldProblem } from '../../services/contract.js';
import { forbidden, invalid } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import {
  COMMUNITY_CSV_COLUMNS,
  communityColumnOf,
  type ImportedEntry,
  readCommunityCsv,
  writeCommunityCsv,
} from './csv-columns.js';
import { openReferralFieldOf, readOpenReferral, writeOpenReferral } from './open-referral.js';
import { type CommunityResource, CommunityResourceContract, type CommunityResourceInput } from './schema.js';
import * as store from './store.js';

export { CommunityFileError } from './csv-columns.js';

/** The two file formats of the directory (docs/COMMUNITY.md, "Exchanging the directory"). */
export const EXCHANGE_FORMATS = ['csv', 'openreferral'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

/** What an import did (or, in a dry run, would do), with each refused row and the field at fault. */
export interface CommunityImportReport {
  format: ExchangeFormat;
  dryRun: boolean;
  /** Rows (CSV) or services (Open Referral UK) in the file. */
  rows: number;
  added: number;
  changed: number;
  /** Rows the directory already held exactly as given: nothing written. */
  unchanged: number;
  refused: number;
  /** Row: the spreadsheet's row number (header is 1), or the service's place in the array from 1. */
  errors: { row: number; field: string; message: string }[];
}

export interface CommunityExport {
  content: string;
  contentType: string;
  entries: number;
}

const RESOURCE = 'community_resource';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The format of a file by its first character: JSON opens with [ or {, a CSV file with its header. */
export function formatOfContent(content: string): ExchangeFormat {
  return /^\uFEFF?\s*[[{]/.test(content) ? 'openreferral' : 'csv';
}

/** A row refused while being matched or written. */
class RowRefused extends Error {
  constructor(
    readonly field: string,
    override readonly message: string,
  ) {
    super(message);
  }
}

/** Thrown at the end of a dry run so its transaction rolls back. */
class DryRunDone extends Error {}

/** Lists compared as sets: their order on the form means nothing. */
const SET_FIELDS = new Set<string>(['needs', 'domainCodes', 'accessibility']);

/** The body as the store writes it (text trimmed, blanks as none), to tell whether anything changed. */
function stored(body: CommunityResourceInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { field } of COMMUNITY_CSV_COLUMNS) {
    let value: unknown = body[field];
    if (typeof value === 'string') value = value.trim();
    if (
      value === '' &&
      (field === 'address' || field === 'phone' || field === 'email' || field === 'website')
    ) {
      value = null;
    }
    if (SET_FIELDS.has(field)) value = [...(value as string[])].sort();
    // jsonb keeps no key order: a session is compared field by field.
    if (field === 'sessions') value = body.sessions.map(({ day, start, end }) => ({ day, start, end }));
    out[field] = value;
  }
  return out;
}

const sameBody = (a: CommunityResourceInput, b: CommunityResourceInput) =>
  JSON.stringify(stored(a)) === JSON.stringify(stored(b));

/**
 * Import and export of the community directory as CSV and as Open Referral UK JSON. An import
 * checks each row as saving an entry does (the contract, then the rules across fields), keeps the
 * good rows and reports the others by row and field; an entry already held (the same id, or the
 * same organisation and name) is changed rather than added, and one held exactly as given is left
 * alone, so importing a file twice changes nothing the second time. A dry run checks everything and
 * keeps nothing. Who may import is the directory's rule: an administrator for any organisation,
 * staff for their own organisations; the command line (no actor) is the operator. Every import is
 * audited, and so is every refusal. An export holds what the actor may see: for the public, the
 * entries people see (active and not hidden for being out of date); for staff, also their own
 * organisations' others.
 */
export class CommunityExchangeService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly today: () => string = () => todayIso(),
  ) {}

  /** Whether the actor may import at all (pages ask before offering the form). */
  mayImport(actor: Actor | null): boolean {
    const orgs = maintainedOrganisations(actor);
    return actor === null || orgs === 'all' || orgs.length > 0;
  }

  /** Refuses (audited) an actor who may not import at all: staff of no organisation. */
  async assertMayImport(actor: Actor | null): Promise<void> {
    if (this.mayImport(actor)) return;
    await this.refuse(actor, null, 'belongs to no organisation');
    throw forbidden('import directory entries');
  }

  /** The organisations the actor may import entries for, by name. */
  async organisationChoices(actor: Actor | null): Promise<{ organisationId: string; name: string }[]> {
    const orgs = await store.organisationsNamed(
      this.db,
      actor === null ? 'all' : maintainedOrganisations(actor),
    );
    return orgs.map(({ organisationId, name }) => ({ organisationId, name }));
  }

  /**
   * Imports one file. `organisationId` is the organisation of rows that name none (or name one
   * not held here, as a file from another directory does). A file that cannot be read at all
   * throws CommunityFileError and nothing is imported.
   */
  async importFile(
    actor: Actor | null,
    content: string,
    options: { dryRun: boolean; organisationId?: string | null; format?: ExchangeFormat },
  ): Promise<CommunityImportReport> {
    await this.assertMayImport(actor);
    const defaultOrganisation = options.organisationId?.trim() || null;
    if (defaultOrganisation) {
      if (!UUID.test(defaultOrganisation))
        throw invalid('Choose an organisation from the list.', 'organisationId');
      if (!this.maintains(actor, defaultOrganisation)) {
        await this.refuse(actor, defaultOrganisation, 'not a member of the organisation');
        throw forbidden('import directory entries for that organisation');
      }
      const [known] = await store.organisationsNamed(this.db, [defaultOrganisation]);
      if (!known) throw invalid('No organisation has this id.', 'organisationId');
    }
    const format = options.format ?? formatOfContent(content);
    const entries = format === 'csv' ? readCommunityCsv(content) : readOpenReferral(content);
    const fieldOf = format === 'csv' ? communityColumnOf : openReferralFieldOf;
    const report: CommunityImportReport = {
      format,
      dryRun: options.dryRun,
      rows: entries.length,
      added: 0,
      changed: 0,
      unchanged: 0,
      refused: 0,
      errors: [],
    };
    const [knownCodes, organisations] = await Promise.all([
      store.knownDomainCodes(this.db),
      store.organisationsNamed(this.db, 'all'),
    ]);
    const refusedOrganisations = new Set<string>();
    const run = async (trx: Kysely<DB>) => {
      for (const entry of entries) {
        const problems = this.problemsOf(entry, knownCodes);
        if (problems.length) {
          report.refused++;
          for (const p of problems)
            report.errors.push({ row: entry.row, field: fieldOf(p.field), message: p.message });
          continue;
        }
        try {
          const organisationId = this.organisationOf(entry, organisations, defaultOrganisation, actor);
          if (!this.maintains(actor, organisationId)) {
            refusedOrganisations.add(organisationId);
            throw new RowRefused('organisationId', 'is an organisation whose entries you do not keep');
          }
          const outcome = await this.write(trx, actor, entry, organisationId);
          report[outcome]++;
        } catch (error) {
          if (!(error instanceof RowRefused)) throw error;
          report.refused++;
          report.errors.push({ row: entry.row, field: fieldOf(error.field), message: error.message });
        }
      }
      if (options.dryRun) throw new DryRunDone();
    };
    try {
      await this.db.transaction().execute(run);
    } catch (error) {
      if (!(error instanceof DryRunDone)) throw error;
    }
    for (const organisationId of refusedOrganisations) {
      await this.refuse(
        actor,
        organisationId,
        'rows for an organisation whose entries the importer does not keep',
      );
    }
    const would = options.dryRun ? ' would be' : '';
    await this.audit.record(actor, {
      action: 'import-community-directory',
      resourceType: RESOURCE,
      resourceId: null,
      purpose: `${options.dryRun ? 'dry run, ' : ''}${format}: of ${report.rows} rows ${report.added}${would} added, ${report.changed}${would} changed, ${report.unchanged} unchanged, ${report.refused} refused`,
      outcome: report.refused ? 'failure' : 'success',
    });
    return report;
  }

  /**
   * The directory as a file: the entries the actor may see, by organisation then name. The entries
   * are about organisations' offers, never about a person, so an export is not audited.
   */
  async exportDirectory(
    actor: Actor | null,
    format: ExchangeFormat,
    who: 'operator' | 'actor' = 'actor',
  ): Promise<CommunityExport> {
    const resources = await this.visible(actor, who);
    return format === 'csv'
      ? {
          content: writeCommunityCsv(resources),
          contentType: 'text/csv; charset=utf-8',
          entries: resources.length,
        }
      : {
          content: writeOpenReferral(resources),
          contentType: 'application/json; charset=utf-8',
          entries: resources.length,
        };
  }

  private async visible(actor: Actor | null, who: 'operator' | 'actor'): Promise<CommunityResource[]> {
    const all = await store.resourcesOfOrganisations(this.db, 'all');
    const today = this.today();
    const mine = who === 'operator' ? 'all' : maintainedOrganisations(actor);
    return all
      .filter(
        (r) =>
          mine === 'all' ||
          mine.includes(r.organisationId) ||
          isListedForPeople({ status: r.status, reviewState: reviewState(r.reviewDue, today) }),
      )
      .sort(
        (a, b) =>
          a.organisationName.localeCompare(b.organisationName, 'en-GB') ||
          a.name.localeCompare(b.name, 'en-GB') ||
          a.resourceId.localeCompare(b.resourceId),
      );
  }

  /** The contract's problems and the rules across fields, as saving an entry checks them. */
  private problemsOf(entry: ImportedEntry, knownCodes: ReadonlySet<string>): FieldProblem[] {
    const read = entry.problems.map((p) => ({ field: p.field, message: p.message }));
    let body: CommunityResourceInput;
    try {
      body = CommunityResourceContract.check(entry.input);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      // A cell already reported as unreadable is not reported again as missing.
      const reported = new Set(read.map((p) => p.field));
      return [...read, ...error.fields.filter((f) => !reported.has(f.field.split('.')[0] ?? f.field))];
    }
    return [...read, ...resourceProblems(body, knownCodes)];
  }

  /** The organisation that runs the row's entry: its id, else its name, else the import's own. */
  private organisationOf(
    entry: ImportedEntry,
    organisations: readonly { organisationId: string; name: string }[],
    fallback: string | null,
    actor: Actor | null,
  ): string {
    const byId = entry.organisationId && organisations.find((o) => o.organisationId === entry.organisationId);
    if (byId) return byId.organisationId;
    const name = entry.organisationName?.toLowerCase();
    const byName = name ? organisations.filter((o) => o.name.toLowerCase() === name) : [];
    if (byName.length === 1) return (byName[0] as { organisationId: string }).organisationId;
    if (fallback) return fallback;
    const mine = maintainedOrganisations(actor);
    if (actor && mine !== 'all' && mine.length === 1) return mine[0] as string;
    throw new RowRefused(
      'organisationId',
      entry.organisationId || entry.organisationName
        ? `names no organisation here (${entry.organisationId ?? entry.organisationName}): choose the organisation to import into`
        : 'is needed: say which organisation runs it, or choose the organisation to import into',
    );
  }

  /** Adds, changes or leaves the entry; the same id, or the same organisation and name, is the same entry. */
  private async write(
    trx: Kysely<DB>,
    actor: Actor | null,
    entry: ImportedEntry,
    organisationId: string,
  ): Promise<'added' | 'changed' | 'unchanged'> {
    const checked = CommunityResourceContract.check(entry.input);
    const body = { ...checked, postcode: normalisePostcode(checked.postcode) };
    const id = entry.resourceId && UUID.test(entry.resourceId) ? entry.resourceId.toLowerCase() : null;
    let existing = id ? await store.resourceById(trx, id) : undefined;
    if (existing && existing.organisationId !== organisationId) {
      if (!this.maintains(actor, existing.organisationId)) {
        throw new RowRefused('resourceId', 'is an entry of an organisation whose entries you do not keep');
      }
      throw new RowRefused(
        'organisationId',
        `is not the organisation that runs this entry (${existing.organisationName}): entries are not moved by an import`,
      );
    }
    if (!existing) {
      const match = await store
        .selectResources(trx)
        .where('r.organisation_id', '=', organisationId)
        .where((eb) => eb(eb.fn('lower', ['r.name']), '=', body.name.trim().toLowerCase()))
        .orderBy('r.created_at')
        .executeTakeFirst();
      existing = match ? store.resourceOfRow(match) : undefined;
    }
    if (existing) {
      if (sameBody(existing, body)) return 'unchanged';
      const saved = await store.updateResource(trx, existing.resourceId, body, existing.version);
      if (saved === null)
        throw new RowRefused('version', 'was changed by someone else during the import: import it again');
      await this.audit.record(
        actor,
        {
          action: 'import-community-resource',
          resourceType: RESOURCE,
          resourceId: existing.resourceId,
          purpose: 'changed',
        },
        trx,
      );
      return 'changed';
    }
    const resourceId = await store.insertResource(trx, {
      ...(id ? { resourceId: id } : {}),
      organisationId,
      body,
      maintainerUserId: actor?.userId ?? null,
      createdBy: actor?.userId ?? null,
      reviewDue: nextReviewDue(this.today()),
      lastReviewedAt: null,
    });
    await this.audit.record(
      actor,
      { action: 'import-community-resource', resourceType: RESOURCE, resourceId, purpose: 'added' },
      trx,
    );
    return 'added';
  }

  private maintains(actor: Actor | null, organisationId: string): boolean {
    if (actor === null) return true;
    const orgs = maintainedOrganisations(actor);
    return orgs === 'all' || orgs.includes(organisationId);
  }

  private async refuse(actor: Actor | null, organisationId: string | null, why: string): Promise<void> {
    await this.audit.record(actor, {
      action: 'import-community-directory',
      resourceType: 'organisation',
      resourceId: organisationId,
      purpose: why,
      outcome: 'denied',
    });
  }
}
