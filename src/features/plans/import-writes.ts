import type { Kysely } from 'kysely';
import type { CarePlanContent } from '../../domain/care-plan.js';
import type { DB } from '../../store/schema.js';
import { insertPlanVersion } from './store.js';

/** A version of a person's plan as it was saved (its number, content, summary, when). */
export interface PlanVersionRow {
  personId: string;
  version: number;
  content: CarePlanContent;
  changeSummary: string;
  createdByUserId: string;
  /** Absent: now. */
  createdAt?: string;
}

/**
 * Plan versions restored by FHIR bulk import (interop/fhir/bulk-import.ts, import-plans.ts), on the
 * operator's behalf, inside the import's transaction, after its own checks (a version held already
 * is not written again): written as saving a plan writes them (store.ts).
 */
export async function restorePlanVersions(trx: Kysely<DB>, rows: readonly PlanVersionRow[]): Promise<void> {
  for (const { personId, ...version } of rows)
    await insertPlanVersion(trx, { personId, system: 'fhir-import' }, version);
}
