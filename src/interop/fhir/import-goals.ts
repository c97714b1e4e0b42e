import type { Goal } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { OutcomeStatus } from '../../domain/conversations.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { PCO_GAS_EXTENSION } from '../../domain/interop/pco.js';
import type { Viewpoint } from '../../domain/ratings.js';
import {
  GAS_SCORING_EXTENSION,
  GOAL_STATUS_OF,
  newOutcomeOf,
  OUTCOME_DOMAIN_SYSTEM,
} from '../../features/outcomes/fhir-goal.js';
import type { OutcomeRow } from '../../features/outcomes/import-writes.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';

/**
 * A Goal as a personal outcome to restore on import (bulk-import.ts): what matters to the person as
 * it was recorded elsewhere (or exported from here), kept under its id. The Goal's own words,
 * why it matters and importance are read by the Goal mapping's `newOutcomeOf` (the one from-FHIR
 * mapping, checked as adding an outcome is); what only a record's history has — when it was added
 * (startDate), its status, who expressed it — is read here. A domain (category) is found in the
 * record's framework by its name (domain ids differ between databases), else by id; one not found
 * is left out and reported. A GAS goal (the PCO scaling extensions) is not yet imported: left out
 * and reported.
 */
export interface OutcomeToRestore {
  outcomeId: string;
  statement: string;
  whyItMatters: string;
  importance: number | null;
  status: OutcomeStatus;
  addedBy: Viewpoint;
  /** Midday of the start date, or null for now. */
  createdAt: string | null;
  domains: { id: string; name: string }[];
}

const STATUS_OF_LIFECYCLE = new Map<string, OutcomeStatus>(
  (Object.entries(GOAL_STATUS_OF) as [OutcomeStatus, { lifecycleStatus: string }][]).map(([status, g]) => [
    g.lifecycleStatus,
    status,
  ]),
);

export function outcomeToRestore(
  goal: Goal,
  personId: string,
  skip: (element: string, reason: string) => void,
): OutcomeToRestore {
  const status = STATUS_OF_LIFECYCLE.get(goal.lifecycleStatus ?? '');
  if (!status) {
    throw new ServiceError(
      422,
      'Invalid Goal',
      `lifecycleStatus must be one of ${[...STATUS_OF_LIFECYCLE.keys()].join(', ')}.`,
      'Goal.lifecycleStatus',
    );
  }
  const gas = (goal.extension ?? []).filter(
    (e) => e.url === PCO_GAS_EXTENSION || e.url === GAS_SCORING_EXTENSION,
  );
  if (gas.length || goal.target) skip('Goal.extension', 'A GAS goal is not yet imported in bulk; left out.');
  // What adding an outcome takes, checked by the Goal mapping: the history is read above and below.
  const {
    id: _id,
    meta: _meta,
    startDate,
    achievementStatus: _achievement,
    expressedBy,
    category,
    target: _target,
    text: _text,
    ...rest
  } = goal as Goal & { text?: unknown };
  const asNew: Goal = {
    ...rest,
    lifecycleStatus: 'active',
    subject: { reference: `Patient/${personId}` },
    extension: (goal.extension ?? []).filter((e) => !gas.includes(e)),
  };
  if (!asNew.extension?.length) delete asNew.extension;
  const { input } = newOutcomeOf(asNew, { personId });
  const selfExpressed =
    expressedBy?.reference?.endsWith(`Patient/${personId}`) ||
    expressedBy?.reference === goal.subject?.reference;
  const domains = (category ?? []).flatMap((c) =>
    (c.coding ?? [])
      .filter((x) => x.system === OUTCOME_DOMAIN_SYSTEM)
      .map((x) => ({ id: x.code ?? '', name: x.display ?? '' })),
  );
  return {
    outcomeId: importedRowId(personId, 'Goal', goal.id ?? input.statement),
    statement: input.statement.trim(),
    whyItMatters: input.whyItMatters?.trim() ?? '',
    importance: input.importance ?? null,
    status,
    addedBy: selfExpressed ? 'person' : 'practitioner',
    createdAt: startDate && /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? `${startDate}T12:00:00Z` : null,
    domains,
  };
}

/** The outcomes of `keys` (person, outcome) already held. */
export async function heldOutcomes(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('personal_outcome')
    .select(['person_id', 'outcome_id'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => `${r.person_id}/${r.outcome_id}`));
}

/** How each person of `personIds` is registered (person or carer), for their framework. */
export async function registeredAs(db: Kysely<DB>, personIds: string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('person')
    .select(['person_id', 'registered_as'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.registered_as]));
}

/** Each framework's domains, by name and by id. */
export async function domainsOf(
  db: Kysely<DB>,
  frameworkIds: string[],
): Promise<Map<string, Map<string, string>>> {
  const byFramework = new Map<string, Map<string, string>>();
  if (frameworkIds.length === 0) return byFramework;
  const rows = await db
    .selectFrom('outcome_domain')
    .select(['framework_id', 'domain_id', 'name'])
    .where('framework_id', 'in', [...new Set(frameworkIds)])
    .execute();
  for (const r of rows) {
    const map = byFramework.get(r.framework_id) ?? new Map<string, string>();
    map.set(`name:${r.name}`, r.domain_id);
    map.set(`id:${r.domain_id}`, r.domain_id);
    byFramework.set(r.framework_id, map);
  }
  return byFramework;
}

export type { OutcomeRow };
