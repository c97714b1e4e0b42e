import type { CarePlan, Goal, Reference } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { actionWhoProblem, type CarePlanContent, repeatedIds } from '../../domain/care-plan.js';
import { parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { practitionerIdOf } from '../../domain/interop/recorded-by.js';
import { planContentOf } from '../../features/plans/fhir-care-plan.js';
import { SavePlanVersionContract } from '../../features/plans/schema.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';

/**
 * A CarePlan as a version of the person's plan to restore on import (bulk-import.ts): the plan's
 * content read by the CarePlan mapping's `planContentOf` (the one from-FHIR mapping, checked as
 * saving a plan is), kept as the version it was (`meta.versionId`, else 1) with when it was saved
 * (`meta.lastUpdated`). Every version of an export's history given is kept as its own version,
 * saved by the Practitioner its `author` names when that account is held here or imported (as our
 * export names the member of staff who saved it), else by the import's account. The Goals it names are this
 * person's Goals as the import keeps them (ours as they are, another system's by derived ids).
 */
export interface PlanVersionToRestore {
  version: number;
  content: CarePlanContent;
  changeSummary: string;
  /** When the version was saved, or null for now. */
  createdAt: string | null;
  /** The Practitioner (id in the input) who saved it, when `author` names one. */
  savedBy: string | null;
}

const invalid = (message: string, element: string) =>
  new ServiceError(422, 'Invalid CarePlan', message, `CarePlan.${element}`);

export function planVersionToRestore(plan: CarePlan, personId: string): PlanVersionToRestore {
  const versionId = plan.meta?.versionId;
  const version = versionId === undefined ? 1 : Number(versionId);
  if (!Number.isInteger(version) || version < 1)
    throw invalid('meta.versionId is the plan’s version: a whole number from 1.', 'meta.versionId');
  const lastUpdated = plan.meta?.lastUpdated;
  if (lastUpdated !== undefined && Number.isNaN(Date.parse(lastUpdated)))
    throw invalid('meta.lastUpdated is not a date and time.', 'meta.lastUpdated');
  // The Goals it names, as this import keeps them (import-goals.ts): their references rewritten.
  const goalRef = (ref: Reference<Goal>): Reference<Goal> => {
    const target = ref.reference && !ref.reference.startsWith('#') ? parseReference(ref.reference) : null;
    return target?.type === 'Goal'
      ? { ...ref, reference: `Goal/${personRowId(personId, importedRowId(personId, 'Goal', target.id))}` }
      : ref;
  };
  const { id: _id, meta: _meta, text: _text, author: _author, title: _title, ...rest } = plan;
  const { content, changeSummary } = planContentOf(personId, {
    ...rest,
    subject: { reference: `Patient/${personId}` },
    ...(plan.goal ? { goal: plan.goal.map(goalRef) } : {}),
    ...(plan.activity
      ? {
          activity: plan.activity.map((a) =>
            a.detail?.goal ? { ...a, detail: { ...a.detail, goal: a.detail.goal.map(goalRef) } } : a,
          ),
        }
      : {}),
  });
  const [problem] = SavePlanVersionContract.problems({ content, basedOn: version - 1, changeSummary });
  if (problem) throw invalid(`${problem.field} ${problem.message}`, 'activity');
  const other = repeatedIds(content)[0]?.path ?? actionWhoProblem(content)?.path;
  if (other) throw invalid(`${other} is not valid.`, 'activity');
  return {
    version,
    content,
    changeSummary,
    createdAt: lastUpdated ? new Date(lastUpdated).toISOString() : null,
    savedBy: practitionerIdOf(plan.author?.reference),
  };
}

/** The plan versions of `personIds` already held (keys person/version). */
export async function heldPlanVersions(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('care_plan_version')
    .select(['person_id', 'version'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => `${r.person_id}/${r.version}`));
}
