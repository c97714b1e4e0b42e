import type { Goal, Observation } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { OutcomeStatus } from '../../domain/conversations.js';
import type { GasLevel } from '../../domain/gas.js';
import { derivedUuid, parseReference } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { firstCreatedOf } from '../../domain/interop/first-created.js';
import { GAS_SCORE_CODES, LOINC_SYSTEM, PCO_GAS_EXTENSION } from '../../domain/interop/pco.js';
import { practitionerIdOf } from '../../domain/interop/recorded-by.js';
import type { Viewpoint } from '../../domain/ratings.js';
import { gasGoalProblems, gasGoalRow } from '../../features/outcomes/conversation-service.js';
import {
  addedByOf,
  GAS_SCORING_EXTENSION,
  GOAL_STATUS_OF,
  gasOf,
  newOutcomeOf,
  OUTCOME_DOMAIN_SYSTEM,
} from '../../features/outcomes/fhir-goal.js';
import type { OutcomeRow } from '../../features/outcomes/import-writes.js';
import { GasGoalContract } from '../../features/outcomes/schema.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';

/**
 * A Goal as a personal outcome to restore on import (bulk-import.ts): what matters to the person as
 * it was recorded elsewhere (or exported from here), kept under its id. The Goal's own words,
 * why it matters and importance are read by the Goal mapping's `newOutcomeOf` (the one from-FHIR
 * mapping, checked as adding an outcome is); what only a record's history has — when it was added
 * (startDate), its status, who expressed it (the mapping's `addedByOf`) — is read here. A domain (category) is found in the
 * record's framework by its name (domain ids differ between databases), else by id; one not found
 * is left out and reported. A GAS goal (the PCO scaling extensions, `gas-scoring`, the target) is
 * read by the Goal mapping's `gasOf` and checked as setting one is; one refused is left out and
 * reported, and the outcome is still imported.
 */
export interface OutcomeToRestore {
  outcomeId: string;
  statement: string;
  whyItMatters: string;
  importance: number | null;
  status: OutcomeStatus;
  addedBy: Viewpoint;
  /**
   * The Practitioner (its id in the input) who added it, when `expressedBy` names one: recorded by
   * that account when held here or imported (bulk-import.ts), else by the import's.
   */
  addedByPractitioner: string | null;
  /** Midday of the start date, or null for now. */
  createdAt: string | null;
  domains: { id: string; name: string }[];
  gas: GasGoalToRestore | null;
}

/**
 * The outcome's GAS goal as it was set: its levels' texts (trimmed), baseline and weighting (the
 * weight worked out as setting one works it out), recorded by the importer. The Goal does not
 * carry the GAS goal's own row id (the Goal's id is the outcome's), so it is derived from the
 * person and outcome: the same on every run.
 */
export interface GasGoalToRestore {
  goalId: string;
  levels: Record<GasLevel, string>;
  baselineLevel: GasLevel;
  importance: number | null;
  difficulty: number | null;
  weight: number;
  /**
   * When it was set: its GAS baseline Observation's effectiveDateTime (exported with the goal's
   * set time), else the outcome's start (the earliest it can have been set), else null for now.
   */
  createdAt: string | null;
}

const STATUS_OF_LIFECYCLE = new Map<string, OutcomeStatus>(
  (Object.entries(GOAL_STATUS_OF) as [OutcomeStatus, { lifecycleStatus: string }][]).map(([status, g]) => [
    g.lifecycleStatus,
    status,
  ]),
);

/** The GAS goal's row id on import: derived from the person and outcome, the same on every run. */
export const importedGasGoalId = (personId: string, outcomeId: string) =>
  derivedUuid('fhir-import', 'gas_goal', personId, outcomeId);

/**
 * When each GAS goal was set, read from the GAS baseline Observations (LOINC 112296-9, not imported
 * on their own): the source id of the Goal each names as focus → its effectiveDateTime.
 */
export function gasGoalSetTimes(observations: readonly Observation[]): Map<string, string> {
  const times = new Map<string, string>();
  for (const obs of observations) {
    const baseline = (obs.code?.coding ?? []).some(
      (c) => c.system === LOINC_SYSTEM && c.code === GAS_SCORE_CODES.baseline.code,
    );
    const focus = obs.focus?.[0]?.reference ? parseReference(obs.focus[0].reference) : null;
    const at = obs.effectiveDateTime;
    if (baseline && focus?.type === 'Goal' && at && !Number.isNaN(Date.parse(at)))
      times.set(focus.id, new Date(at).toISOString());
  }
  return times;
}

/**
 * Who set each GAS goal, read from the GAS baseline Observations' performer (our export names the
 * member of staff who set it as a Practitioner): the source id of the Goal each names → the
 * Practitioner's id in the input. A baseline without a Practitioner performer names no one.
 */
export function gasGoalSetters(observations: readonly Observation[]): Map<string, string> {
  const setters = new Map<string, string>();
  for (const obs of observations) {
    const baseline = (obs.code?.coding ?? []).some(
      (c) => c.system === LOINC_SYSTEM && c.code === GAS_SCORE_CODES.baseline.code,
    );
    const focus = obs.focus?.[0]?.reference ? parseReference(obs.focus[0].reference) : null;
    const by = obs.performer?.length === 1 ? practitionerIdOf(obs.performer[0]?.reference) : null;
    if (baseline && focus?.type === 'Goal' && by) setters.set(focus.id, by);
  }
  return setters;
}

export function outcomeToRestore(
  goal: Goal,
  personId: string,
  skip: (element: string, reason: string) => void,
  /** When its GAS goal was set (gasGoalSetTimes), if known. */
  gasSetAt?: string,
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
  // Who added it (the Goal mapping's reading of expressedBy): the viewpoint, and the member of staff.
  const addedBy = addedByOf({ ...goal, expressedBy }, personId);
  const domains = (category ?? []).flatMap((c) =>
    (c.coding ?? [])
      .filter((x) => x.system === OUTCOME_DOMAIN_SYSTEM)
      .map((x) => ({ id: x.code ?? '', name: x.display ?? '' })),
  );
  const outcomeId = importedRowId(personId, 'Goal', goal.id ?? input.statement);
  // When it was recorded: the instant our export gives (meta firstCreated), else midday of its startDate.
  const createdAt =
    firstCreatedOf(goal.meta) ??
    (startDate && /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? `${startDate}T12:00:00Z` : null);
  return {
    outcomeId,
    statement: input.statement.trim(),
    whyItMatters: input.whyItMatters?.trim() ?? '',
    importance: input.importance ?? null,
    status,
    addedBy: addedBy.viewpoint,
    addedByPractitioner: addedBy.practitionerId,
    createdAt,
    domains,
    gas: gasGoalToRestore(goal, personId, outcomeId, gasSetAt ?? createdAt, skip),
  };
}

/** The Goal's GAS goal, checked as setting one is; one refused is left out and reported (null). */
function gasGoalToRestore(
  goal: Goal,
  personId: string,
  outcomeId: string,
  createdAt: string | null,
  skip: (element: string, reason: string) => void,
): GasGoalToRestore | null {
  let input: ReturnType<typeof gasOf>;
  try {
    input = gasOf(goal);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    skip(error.field ?? 'Goal.extension', `The GAS goal was not imported: ${error.message}`);
    return null;
  }
  if (!input) return null;
  // gasGoalProblems reads the levels' texts, so only once the contract holds.
  const contractProblems = GasGoalContract.problems(input);
  const [problem] = contractProblems.length ? contractProblems : gasGoalProblems(input, 'gas');
  if (problem) {
    skip('Goal.extension', `The GAS goal was not imported: ${problem.field} ${problem.message}`);
    return null;
  }
  // The row setting a goal writes (texts trimmed, weight worked out), under the derived id; who
  // recorded it is the importer's account, set by the writer (bulk-import.ts).
  const row = gasGoalRow(personId, outcomeId, input, '');
  return {
    goalId: importedGasGoalId(personId, outcomeId),
    levels: row.levels,
    baselineLevel: row.baselineLevel,
    importance: row.importance,
    difficulty: row.difficulty,
    weight: row.weight,
    createdAt,
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

/** The outcomes of `personIds` (key person/outcome) that hold a GAS goal already. */
export async function heldGasGoals(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('gas_goal')
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
