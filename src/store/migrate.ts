import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as foundation from './migrations/0001-foundation.js';
import * as whatMatters from './migrations/0002-what-matters.js';
import * as trust from './migrations/0003-trust.js';
import * as latestConversation from './migrations/0004-latest-conversation.js';
import * as recordVersions from './migrations/0005-record-versions.js';
import * as reviewFacts from './migrations/0006-review-facts.js';
import * as auditAppend from './migrations/0007-audit-append.js';
import * as keyedAudit from './migrations/0008-keyed-audit.js';
import * as administration from './migrations/0009-administration.js';
import * as leadTeam from './migrations/0010-lead-team.js';
import * as conversationDrafts from './migrations/0011-conversation-drafts.js';
import * as carerRecords from './migrations/0012-carer-records.js';
import * as searchName from './migrations/0013-search-name.js';
import * as rollups from './migrations/0014-rollups.js';
import * as indicators from './migrations/0015-indicators.js';
import * as commissioning from './migrations/0016-commissioning.js';
import * as drilldownIndex from './migrations/0017-drilldown-index.js';
import * as factViewPlan from './migrations/0018-fact-view-plan.js';
import * as rollupInsertMarks from './migrations/0019-rollup-insert-marks.js';
import * as questionnaires from './migrations/0020-questionnaires.js';
import * as measureResponses from './migrations/0021-measure-responses.js';
import * as measureRollups from './migrations/0022-measure-rollups.js';
import * as measureCatalogue from './migrations/0023-measure-catalogue.js';
import * as rollupApplyWithoutJit from './migrations/0024-rollup-apply-without-jit.js';
import * as feedback from './migrations/0025-feedback.js';
import * as feedbackSafeguarding from './migrations/0026-feedback-safeguarding.js';
import * as feedbackLearningAndResponses from './migrations/0027-feedback-learning-and-responses.js';
import * as feedbackRollups from './migrations/0028-feedback-rollups.js';
import * as fhirResourceVersions from './migrations/0029-fhir-resource-versions.js';
import * as recordTriggersPerTransaction from './migrations/0030-record-triggers-per-transaction.js';
import * as communityDirectory from './migrations/0031-community-directory.js';
import * as selfManagement from './migrations/0032-self-management.js';
import * as postcodeLocations from './migrations/0034-postcode-locations.js';
import * as communityReferrals from './migrations/0035-community-referrals.js';
import * as communityFacts from './migrations/0036-community-facts.js';
import * as communityWellbeing from './migrations/0037-community-wellbeing.js';
import * as communityFactsPerResource from './migrations/0038-community-facts-per-resource.js';
import type { DB } from './schema.js';

/** The one ordered set of migrations, for PGlite and PostgreSQL alike. Names sort in order. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-what-matters': whatMatters,
  '0003-trust': trust,
  '0004-latest-conversation': latestConversation,
  '0005-record-versions': recordVersions,
  '0006-review-facts': reviewFacts,
  '0007-audit-append': auditAppend,
  '0008-keyed-audit': keyedAudit,
  '0009-administration': administration,
  '0010-lead-team': leadTeam,
  '0011-conversation-drafts': conversationDrafts,
  '0012-carer-records': carerRecords,
  '0013-search-name': searchName,
  '0014-rollups': rollups,
  '0015-indicators': indicators,
  '0016-commissioning': commissioning,
  '0017-drilldown-index': drilldownIndex,
  '0018-fact-view-plan': factViewPlan,
  '0019-rollup-insert-marks': rollupInsertMarks,
  '0020-questionnaires': questionnaires,
  '0021-measure-responses': measureResponses,
  '0022-measure-rollups': measureRollups,
  '0023-measure-catalogue': measureCatalogue,
  '0024-rollup-apply-without-jit': rollupApplyWithoutJit,
  '0025-feedback': feedback,
  '0026-feedback-safeguarding': feedbackSafeguarding,
  '0027-feedback-learning-and-responses': feedbackLearningAndResponses,
  '0028-feedback-rollups': feedbackRollups,
  '0029-fhir-resource-versions': fhirResourceVersions,
  '0030-record-triggers-per-transaction': recordTriggersPerTransaction,
  '0031-community-directory': communityDirectory,
  '0032-self-management': selfManagement,
  '0034-postcode-locations': postcodeLocations,
  '0035-community-referrals': communityReferrals,
  '0036-community-facts': communityFacts,
  '0037-community-wellbeing': communityWellbeing,
  '0038-community-facts-per-resource': communityFactsPerResource,
};

const provider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationReport {
  applied: string[];
}

/**
 * Brings the schema up to date. Safe to run twice and from several processes at start-up:
 * Kysely's PostgreSQL adapter holds a session-level advisory lock (pg_advisory_lock) while it
 * migrates, and skips migrations already recorded in its table. Behind PgBouncer in transaction
 * mode, run `whatmatters migrate` over a direct connection instead (docs/SCALING.md).
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
