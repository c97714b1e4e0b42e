import type { MeasureRequestStatus } from '../measures/measure-requests.js';
import { whatmattersCodeSystem } from './uk-core.js';

/**
 * The codes of a measure request as an R4 Task (features/measures/fhir-task.ts; docs/FHIR.md),
 * read by the export mapping and the import alike.
 *
 * Sources: Task https://hl7.org/fhir/R4/task.html (status: task-status
 * https://hl7.org/fhir/R4/valueset-task-status.html); the Structured Data Capture IG's "Task for
 * questionnaire" profile, sdc-task (https://hl7.org/fhir/uv/sdc/StructureDefinition-sdc-task.html,
 * SDC STU 3 and later), whose codes are in its temporary code system
 * (https://hl7.org/fhir/uv/sdc/CodeSystem-temp.html): code `complete-questionnaire`, an input
 * typed `questionnaire` holding the canonical (url|version), an output typed
 * `questionnaire-response` referencing the answer.
 */

export const SDC_TEMP_SYSTEM = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';
export const COMPLETE_QUESTIONNAIRE = {
  system: SDC_TEMP_SYSTEM,
  code: 'complete-questionnaire',
  display: 'Complete Questionnaire',
} as const;
export const QUESTIONNAIRE_INPUT = {
  system: SDC_TEMP_SYSTEM,
  code: 'questionnaire',
  display: 'Questionnaire',
};
export const RESPONSE_OUTPUT = {
  system: SDC_TEMP_SYSTEM,
  code: 'questionnaire-response',
  display: 'Questionnaire Response',
};

/** Our request statuses exactly (domain/measures/measure-requests.ts), on Task.businessStatus. */
export const MEASURE_REQUEST_STATUS_SYSTEM = whatmattersCodeSystem('measure-request-status');
/** The occasion a request is for (start, review, end, one-off), on Task.reasonCode. */
export const MEASURE_OCCASION_SYSTEM = whatmattersCodeSystem('measure-occasion');

export type MeasureTaskStatus = 'ready' | 'completed' | 'cancelled';

/**
 * Our status as task-status: an open request is `ready` (it stands and nobody has begun it: a
 * measure is filled in and recorded at once, so `in-progress` never applies); completed and
 * cancelled are the same words in both.
 */
export const MEASURE_TASK_STATUS: Record<MeasureRequestStatus, MeasureTaskStatus> = {
  open: 'ready',
  completed: 'completed',
  cancelled: 'cancelled',
};

/** Whether a Task asks for a questionnaire to be completed: the SDC code, or an input typed `questionnaire`. */
export function isQuestionnaireTask(task: { readonly [element: string]: unknown }): boolean {
  const codings = (task.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? [];
  if (codings.some((c) => c?.system === SDC_TEMP_SYSTEM && c.code === COMPLETE_QUESTIONNAIRE.code))
    return true;
  const inputs =
    (task.input as { type?: { coding?: { system?: string; code?: string }[] } }[] | undefined) ?? [];
  return (
    Array.isArray(inputs) &&
    inputs.some((i) =>
      (i?.type?.coding ?? []).some(
        (c) => c?.system === SDC_TEMP_SYSTEM && c.code === QUESTIONNAIRE_INPUT.code,
      ),
    )
  );
}
