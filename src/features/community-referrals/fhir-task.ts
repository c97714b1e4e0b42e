import type { Task } from '@medplum/fhirtypes';
import { todayIso } from '../../domain/calendar.js';
import { ATTENDANCE_OUTCOME_LABELS, type AttendanceOutcome } from '../../domain/community/referrals.js';
import { parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import {
  RECORDED_BY_EXTENSION,
  recordedByExtension,
  recorderIdOf,
} from '../../domain/interop/recorded-by.js';
import {
  ATTENDANCE_OUTCOME_SYSTEM,
  ATTENDANCE_TASK_STATUS,
  isAttendanceOutcome,
  TASK_CODE_SYSTEM,
} from '../../domain/interop/service-request.js';
import type { FhirContext } from '../../interop/fhir/handler.js';
import { elementRules, wellFormed } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import type { AccessGrant } from '../record-access/person-access.js';
import { serviceRequestIdOf } from './fhir-service-request.js';
import type { Attendance } from './schema.js';
import { RecordAttendanceContract } from './schema.js';
import type { CommunityReferral, ReferralsForFhir } from './service.js';
import type { ReferralAccount } from './store.js';

/**
 * Task: each attendance recorded on a referral or signpost (whether the person came to a session on
 * a day), id = personRowId(person, attendance). R4 Task (https://hl7.org/fhir/R4/task.html), as the
 * research suggests for the answers to a referral (docs/research/issue-14-social-prescribing.md §4).
 *
 * Why Task and not Appointment or Encounter: conversations own Encounter (fhir-encounter.ts); an
 * Appointment that is `fulfilled` or `noshow` must have a start and end instant (invariant app-3),
 * and an attendance records a day, never a time, so one would have to be made up. A Task's
 * executionPeriod is a dateTime, which may be a date.
 *
 * - status `completed` (the session's record is done, whether or not the person came); intent
 *   `order` with code `fulfill` (HL7 task-code): it carries out its focus, the ServiceRequest, which
 *   is basedOn as well.
 * - businessStatus: attended or did-not-attend in our code system (an attendance outcome is not an
 *   element of SPIS v1.1; domain/community/referrals.ts).
 * - for: the Patient; owner: the directory entry (HealthcareService/{resource id}).
 * - executionPeriod.start: the day of the session; authoredOn: when it was recorded; note: how it went.
 * - Who recorded it: our `recorded-by` extension (domain/interop/recorded-by.ts), as Encounter does.
 *
 * Attendance is never changed once recorded: every Task is version 1. Read and search only.
 */

export function taskOf(
  personId: string,
  referral: Pick<CommunityReferral, 'referralId' | 'resource'>,
  a: Attendance,
  recordedBy: ReferralAccount | undefined,
): Task {
  const request = { reference: `ServiceRequest/${serviceRequestIdOf(personId, referral.referralId)}` };
  // A member of staff only: a person or carer recording a signpost's attendance is no Practitioner.
  const extension = recordedBy?.staff ? recordedByExtension(recordedBy) : [];
  const label = ATTENDANCE_OUTCOME_LABELS[a.outcome];
  return {
    resourceType: 'Task',
    id: personRowId(personId, a.attendanceId),
    meta: { versionId: '1', lastUpdated: a.recordedAt },
    ...(extension.length ? { extension } : {}),
    basedOn: [request],
    status: ATTENDANCE_TASK_STATUS,
    businessStatus: {
      coding: [{ system: ATTENDANCE_OUTCOME_SYSTEM, code: a.outcome, display: label }],
      text: label,
    },
    intent: 'order',
    code: { coding: [{ system: TASK_CODE_SYSTEM, code: 'fulfill', display: 'Fulfill the focal request' }] },
    focus: request,
    for: { reference: `Patient/${personId}` },
    executionPeriod: { start: a.attendedOn },
    authoredOn: a.recordedAt,
    owner: {
      reference: `HealthcareService/${referral.resource.resourceId}`,
      display: referral.resource.name,
    },
    ...(a.note.trim() ? { note: [{ text: a.note }] } : {}),
  };
}

// ——— the way back: bulk import (interop/fhir/import-referrals.ts) ———

export interface AttendanceToRestore {
  attendanceId: string;
  /** The referral's id as restored (the ServiceRequest import's id). */
  referralId: string;
  attendedOn: string;
  outcome: AttendanceOutcome;
  note: string;
  /** The Practitioner (id in the input) who recorded it, when the Task names one. */
  recordedBy: string | null;
  recordedAt: string | null;
}

const { bad, keepOnly, unkeptExtension } = elementRules('Task', [
  'resourceType',
  'id',
  'meta',
  'text',
  'extension',
  'basedOn',
  'status',
  'businessStatus',
  'intent',
  'code',
  'focus',
  'for',
  'executionPeriod',
  'authoredOn',
  'owner',
  'note',
]);

/** Whether a Task is an attendance of ours: its businessStatus carries our attendance outcome. */
export function isAttendanceTask(task: { readonly [element: string]: unknown }): boolean {
  const status = task.businessStatus as Task['businessStatus'];
  return (status?.coding ?? []).some((c) => c?.system === ATTENDANCE_OUTCOME_SYSTEM);
}

/**
 * A Task of ours as an attendance to restore, checked as recording one is (RecordAttendance: the
 * day, the outcome, the note's length); a 422 naming the element otherwise. The referral it is on
 * must come with it or be held (import-referrals.ts checks).
 */
export function attendanceToRestore(task: Task, personId: string): AttendanceToRestore {
  return wellFormed('Task', () => {
    keepOnly(task);
    if (task.status !== ATTENDANCE_TASK_STATUS)
      throw bad('An attendance is recorded once: status is completed.', 'status');
    const outcome = task.businessStatus?.coding?.find((c) => c.system === ATTENDANCE_OUTCOME_SYSTEM)?.code;
    if (!isAttendanceOutcome(outcome))
      throw bad(`Whether they came is one ${ATTENDANCE_OUTCOME_SYSTEM} code.`, 'businessStatus');
    const requests = [...(task.basedOn ?? []), ...(task.focus ? [task.focus] : [])].map((r) =>
      r.reference ? parseReference(r.reference) : null,
    );
    const request = requests[0];
    if (!request || requests.some((r) => r?.type !== 'ServiceRequest' || r.id !== request.id))
      throw bad('The referral it is on is one ServiceRequest (basedOn and focus).', 'basedOn');
    for (const x of task.extension ?? []) if (x.url !== RECORDED_BY_EXTENSION) throw unkeptExtension(x.url);
    const recorder = recorderIdOf(task.extension);
    if (recorder.problem) throw bad(recorder.problem, 'extension');
    const start = task.executionPeriod?.start;
    const attendedOn =
      start && /^\d{4}-\d{2}-\d{2}$/.test(start)
        ? start
        : start && !Number.isNaN(Date.parse(start))
          ? todayIso(new Date(Date.parse(start)))
          : null;
    if (!attendedOn)
      throw bad('Give the day of the session (executionPeriod.start).', 'executionPeriod.start');
    const authored = task.authoredOn ?? task.meta?.lastUpdated;
    const time = authored === undefined ? null : Date.parse(authored);
    if (time !== null && Number.isNaN(time)) throw bad('authoredOn is not a date and time.', 'authoredOn');
    const note = (task.note ?? [])
      .map((n) => n.text ?? '')
      .join(' ')
      .trim();
    const [problem] = RecordAttendanceContract.problems({ attendedOn, outcome, note });
    if (problem)
      throw bad(
        `${problem.field} ${problem.message}`,
        problem.field === 'note' ? 'note' : 'executionPeriod.start',
      );
    return {
      attendanceId: importedRowId(personId, 'Task', task.id ?? `${personId}/${request.id}/${attendedOn}`),
      referralId: importedRowId(personId, 'ServiceRequest', request.id),
      attendedOn,
      outcome,
      note,
      recordedBy: recorder.id,
      recordedAt: time === null ? null : new Date(time).toISOString(),
    };
  });
}

// ——— the handler ———

const params: SearchParamDefinition<Task>[] = [
  {
    name: 'status',
    type: 'token',
    documentation: 'Always completed (an attendance is recorded once)',
    valuesOf: (t) => (t.status ? [{ code: t.status }] : []),
  },
  {
    name: 'business-status',
    type: 'token',
    documentation: `Whether they came: ${ATTENDANCE_OUTCOME_SYSTEM}|attended or did-not-attend`,
    valuesOf: (t) => (t.businessStatus?.coding ?? []).map((c) => ({ system: c.system, code: c.code ?? '' })),
  },
  {
    name: 'based-on',
    type: 'reference',
    documentation: 'The referral (ServiceRequest/{id})',
    valuesOf: (t) => (t.basedOn ?? []).flatMap((r) => (r.reference ? [r.reference] : [])),
  },
];

/** A person's attendance Tasks from their referrals as read for FHIR: the one mapping of both reads. */
function tasksFrom(personId: string, { referrals, accounts }: ReferralsForFhir): Task[] {
  return referrals.flatMap((r) =>
    r.attendance.map((a) => taskOf(personId, r, a, accounts.attendanceRecordedBy.get(a.attendanceId))),
  );
}

async function tasksOf(ctx: FhirContext, personId: string): Promise<Task[]> {
  return tasksFrom(personId, await ctx.services.communityReferrals.forFhir(ctx.actor, personId));
}

/** Bulk export: the grants were checked and audited by the caller (PersonAccess.requireEach). */
async function tasksOfEach(ctx: FhirContext, grants: readonly AccessGrant[]): Promise<Map<string, Task[]>> {
  const each = await ctx.services.communityReferrals.forFhirOfEach(grants);
  return new Map([...each].map(([personId, read]) => [personId, tasksFrom(personId, read)]));
}

export const taskFhir = personResources<Task>({
  type: 'Task',
  documentation:
    'Attendance on the person’s referrals and signposts to community support, one Task per session day: businessStatus attended or did-not-attend, the referral as basedOn and focus (ServiceRequest), the directory entry as owner (HealthcareService), the day as executionPeriod.start, who recorded it as our recorded-by extension. Read only; each is version 1.',
  searchParams: params,
  listForPerson: tasksOf,
  listForPeople: tasksOfEach,
});
