import type { Observation } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { GasLevel } from '../../domain/gas.js';
import { parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { GAS_SCORE_CODES, LOINC_SYSTEM } from '../../domain/interop/pco.js';
import { practitionerIdOf } from '../../domain/interop/recorded-by.js';
import { isValidScore } from '../../domain/outcome-frameworks.js';
import type { Viewpoint } from '../../domain/ratings.js';
import {
  newObservationOf,
  OBSERVATION_CODE_SYSTEM,
  OUTCOME_RATING_CODE,
  VIEWPOINT_SYSTEM,
} from '../../features/outcomes/fhir-observation.js';
import { RateOutcomeContract } from '../../features/outcomes/schema.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';

/**
 * An Observation to restore on import (bulk-import.ts): an outcome rating or a GAS attainment as it
 * was recorded elsewhere (or exported from here), kept under its id, with when it was recorded
 * (effectiveDateTime) and, for a rating, its viewpoint (the category). What is observed is read by
 * the Observation mapping's `newObservationOf` (the one from-FHIR mapping, checked as recording a
 * rating or GAS score is); the history it refuses on create (a past date, the performer, the
 * interpretation, which is the framework's label of the score) is read or dropped here: a
 * Practitioner performer (a practitioner's rating, a GAS score) is who recorded it. Observations
 * derived from something else are not imported on their own: a GAS baseline comes with its Goal, a
 * measure's score with its QuestionnaireResponse. `null` is returned for them with the reason.
 */
export type ObservationToRestore = (
  | {
      kind: 'rating';
      ratingId: string;
      outcomeId: string;
      viewpoint: Viewpoint;
      score: number;
      note: string;
      /** When it was rated, or null for now. */
      ratedAt: string | null;
    }
  | {
      kind: 'gas-attainment';
      attainmentId: string;
      outcomeId: string;
      level: GasLevel;
      recordedAt: string | null;
    }
) & {
  /** The conversation it was recorded at (its Encounter), kept when held or imported with it. */
  conversationId: string | null;
  /** The Practitioner (its id in the input) who rated or scored it, when the performer is one. */
  recordedBy: string | null;
};

export const DERIVED_FROM_GOAL =
  'A GAS baseline is derived from the Goal; it is imported with it (its time as when the GAS goal was set).';
export const NO_GAS_GOAL =
  'Its goal has no GAS goal (neither the Goal in the input nor the one held here has one); left out.';
export const DERIVED_FROM_RESPONSE =
  'A measure’s score is derived from the QuestionnaireResponse; it is imported with it.';

const invalid = (message: string, element: string) =>
  new ServiceError(422, 'Invalid Observation', message, `Observation.${element}`);

/** Why an Observation is not imported: derived from another resource, or not kept here; null when it is. */
export function observationNotImportedReason(obs: Observation): string | null {
  const codings = obs.code?.coding ?? [];
  if (codings.some((c) => c.system === LOINC_SYSTEM && c.code === GAS_SCORE_CODES.baseline.code))
    return DERIVED_FROM_GOAL;
  if ((obs.derivedFrom ?? []).some((r) => r.reference?.startsWith('QuestionnaireResponse/')))
    return DERIVED_FROM_RESPONSE;
  const kept = codings.some(
    (c) =>
      (c.system === OBSERVATION_CODE_SYSTEM && c.code === OUTCOME_RATING_CODE.code) ||
      (c.system === LOINC_SYSTEM && c.code === GAS_SCORE_CODES.practitioner.code),
  );
  if (!kept)
    return `This Observation is not kept by this service (it keeps ratings of outcomes, ${OBSERVATION_CODE_SYSTEM}|${OUTCOME_RATING_CODE.code}, and GAS scores, ${LOINC_SYSTEM}|${GAS_SCORE_CODES.practitioner.code}).`;
  return null;
}

export function observationToRestore(obs: Observation, personId: string): ObservationToRestore {
  const focus = obs.focus?.[0]?.reference ? parseReference(obs.focus[0].reference) : null;
  if ((obs.focus?.length ?? 0) !== 1 || focus?.type !== 'Goal')
    throw invalid('Name the goal as focus: Goal/{id}.', 'focus');
  const outcomeId = importedRowId(personId, 'Goal', focus.id);
  const at = obs.effectiveDateTime;
  if (at !== undefined && Number.isNaN(Date.parse(at)))
    throw invalid('effectiveDateTime is not a date and time.', 'effectiveDateTime');
  // What recording one takes, checked by the Observation mapping: the history is read here.
  const {
    id: _id,
    meta: _meta,
    text: _text,
    effectiveDateTime: _at,
    performer: _performer,
    interpretation: _interpretation,
    issued: _issued,
    encounter,
    category,
    ...rest
  } = obs;
  // The conversation it was recorded at: kept when that conversation is held or imported with it.
  const encounterRef = encounter?.reference ? parseReference(encounter.reference) : null;
  if (encounter && encounterRef?.type !== 'Encounter')
    throw invalid('The encounter is the conversation it was recorded at: Encounter/{id}.', 'encounter');
  const conversationId = encounterRef ? importedRowId(personId, 'Encounter', encounterRef.id) : null;
  const recordedBy = obs.performer?.length === 1 ? practitionerIdOf(obs.performer[0]?.reference) : null;
  const isGas = (obs.code?.coding ?? []).some(
    (c) => c.system === LOINC_SYSTEM && c.code === GAS_SCORE_CODES.practitioner.code,
  );
  // A GAS score is the practitioner's (its category, as exported, says so and is not kept).
  const keptCategory = isGas
    ? (category ?? []).filter((c) =>
        (c.coding ?? []).some((x) => x.system !== VIEWPOINT_SYSTEM || x.code !== 'practitioner'),
      )
    : (category ?? []);
  const wanted = newObservationOf({
    ...rest,
    ...(keptCategory.length ? { category: keptCategory } : {}),
    subject: { reference: `Patient/${personId}` },
    focus: [{ reference: `Goal/${personRowId(personId, outcomeId)}` }],
  });
  const recordedAt = at ? new Date(at).toISOString() : null;
  if (wanted.kind === 'gas-attainment') {
    return {
      kind: 'gas-attainment',
      attainmentId: importedRowId(personId, 'Observation', obs.id ?? `${focus.id}/${at ?? ''}`),
      outcomeId,
      level: wanted.level,
      recordedAt,
      conversationId,
      recordedBy,
    };
  }
  if (!wanted.claimed)
    throw invalid('Give the rating’s viewpoint as its category (person, practitioner or carer).', 'category');
  const problem = RateOutcomeContract.problems(wanted.input)[0];
  if (problem)
    throw invalid(`${problem.field} ${problem.message}`, problem.field === 'note' ? 'note' : 'valueInteger');
  return {
    kind: 'rating',
    ratingId: importedRowId(personId, 'Observation', obs.id ?? `${focus.id}/${at ?? ''}`),
    outcomeId,
    viewpoint: wanted.claimed.viewpoint,
    score: wanted.input.score,
    note: wanted.input.note?.trim() ?? '',
    ratedAt: recordedAt,
    conversationId,
    recordedBy,
  };
}

/** Each held outcome of `personIds` (key person/outcome): its rating scale and its GAS goal, if any. */
export async function heldOutcomeScales(
  db: Kysely<DB>,
  personIds: string[],
): Promise<Map<string, { labels: string[]; gasGoalId: string | null }>> {
  const held = new Map<string, { labels: string[]; gasGoalId: string | null }>();
  if (personIds.length === 0) return held;
  const rows = await db
    .selectFrom('personal_outcome as o')
    .innerJoin('outcome_framework as f', 'f.framework_id', 'o.framework_id')
    .leftJoin('gas_goal as g', (j) =>
      j.onRef('g.person_id', '=', 'o.person_id').onRef('g.outcome_id', '=', 'o.outcome_id'),
    )
    .select(['o.person_id', 'o.outcome_id', 'f.rating_labels', 'g.goal_id'])
    .where('o.person_id', 'in', personIds)
    .execute();
  for (const r of rows)
    held.set(`${r.person_id}/${r.outcome_id}`, { labels: r.rating_labels, gasGoalId: r.goal_id ?? null });
  return held;
}

/** The ratings and GAS attainments of `personIds` already held (keys person/row). */
export async function heldObservations(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const [ratings, attainments] = await Promise.all([
    db
      .selectFrom('outcome_rating')
      .select(['person_id', 'rating_id as id'])
      .where('person_id', 'in', personIds)
      .execute(),
    db
      .selectFrom('gas_attainment')
      .select(['person_id', 'attainment_id as id'])
      .where('person_id', 'in', personIds)
      .execute(),
  ]);
  return new Set([...ratings, ...attainments].map((r) => `${r.person_id}/${r.id}`));
}

export const scoreFits = (labels: string[], score: number) => isValidScore({ labels }, score);
