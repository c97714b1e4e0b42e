import type { HealthcareService } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import {
  countInto,
  type FhirResourceLike,
  type ImportReport,
  noteSkip,
} from '../../domain/interop/fhir-import.js';
import { COMMAND_LINE_CLIENT, ensureClientAccount } from '../../features/auth/client-account.js';
import { elementOfField, entryOf } from '../../features/community/fhir-healthcare-service.js';
import type { CommunityService } from '../../features/community/service.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import { wellFormed } from './handler.js';
import { importedOrganisationId } from './import-consents.js';

/**
 * Bulk import of the community directory (bulk-import.ts calls `importHealthcareServices` after the
 * organisations and staff, before anyone's record, so the referrals in people's records find the
 * entries they name). Each HealthcareService is read back by its mapping's `entryOf`
 * (features/community/fhir-healthcare-service.ts) and written by the community service's `restore`,
 * which checks it as adding an entry does:
 *
 * - kept under its id: ours (a uuid) as it is, another system's derived from it, the same on every
 *   import; an entry held already under that id is left as it is (`unchanged`);
 * - its organisation (`providedBy`) must be held here or imported in the same run, else it is
 *   skipped with that reason;
 * - who keeps it up to date is the Practitioner it names when that account is held or imported with
 *   it, else nobody (the first member of staff to review it takes it on, as on the pages);
 * - one the mapping or the directory's rules refuse is skipped, naming the element.
 */

export interface HealthcareServiceImport {
  db: Kysely<DB>;
  community: CommunityService;
  importer: Actor;
  report: ImportReport;
  dryRun: boolean;
  /** In a dry run: the input's organisations it would add (not written), which an entry may name. */
  organisationsToAdd: ReadonlySet<string>;
  /** A Practitioner's id in the input → the account here it names (import-practitioners.ts). */
  accounts: ReadonlyMap<string, string>;
  /** In a dry run: the entries it would add (not written) are noted here, for the referrals that name them. */
  entriesToAdd: Set<string>;
}

async function organisationHeld(db: Kysely<DB>, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return !!row;
}

async function accountHeld(db: Kysely<DB>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_account')
    .select('user_id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return !!row;
}

export async function importHealthcareServices(
  ctx: HealthcareServiceImport,
  resources: readonly { r: FhirResourceLike; w: string }[],
): Promise<void> {
  const { report } = ctx;
  // The entries are added by the command line's account (created_by and the audit name it).
  if (resources.length && !ctx.dryRun) await ensureClientAccount(ctx.db, COMMAND_LINE_CLIENT);
  for (const { r, w } of resources) {
    const at = { type: 'HealthcareService', id: r.id ?? '', where: w };
    try {
      const entry = wellFormed('HealthcareService', () => entryOf(r as unknown as HealthcareService));
      const organisationId = importedOrganisationId(entry.organisationSourceId);
      const held =
        ctx.organisationsToAdd.has(organisationId) || (await organisationHeld(ctx.db, organisationId));
      if (!held) {
        noteSkip(report, {
          ...at,
          element: 'HealthcareService.providedBy',
          reason: `The organisation that runs it (Organization/${entry.organisationSourceId}) is neither held here nor imported with it.`,
        });
        continue;
      }
      const named = entry.maintainerSourceId ? ctx.accounts.get(entry.maintainerSourceId) : undefined;
      // Only an account that exists now is named: a dry run's would-be accounts are not written.
      const maintainerUserId = named && (await accountHeld(ctx.db, named)) ? named : null;
      const outcome = await ctx.community.restore(
        ctx.importer,
        {
          resourceId: entry.resourceId,
          organisationId,
          body: entry.body,
          status: entry.status,
          reviewDue: entry.reviewDue,
          lastReviewedAt: entry.lastReviewedAt,
          maintainerUserId,
        },
        { write: !ctx.dryRun },
      );
      if (outcome === 'added' && ctx.dryRun) ctx.entriesToAdd.add(entry.resourceId);
      countInto(outcome === 'added' ? report.imported : report.unchanged, 'HealthcareService');
    } catch (error) {
      if (error instanceof ContractError) {
        const first = error.fields[0];
        noteSkip(report, {
          ...at,
          element: elementOfField(first?.field ?? ''),
          reason: `The entry was not imported: ${error.message}`,
        });
        continue;
      }
      if (error instanceof ServiceError) {
        noteSkip(report, {
          ...at,
          ...(error.field ? { element: error.field } : {}),
          reason: error.message,
        });
        continue;
      }
      throw error;
    }
  }
}
