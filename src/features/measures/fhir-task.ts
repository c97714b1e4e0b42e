import type { Task } from '@medplum/fhirtypes';
import { todayIso } from '../../domain/calendar.js';
import { isUuid, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import {
  COMPLETE_QUESTIONNAIRE,
  MEASURE_OCCASION_SYSTEM,
  MEASURE_REQUEST_STATUS_SYSTEM,
  MEASURE_TASK_STATUS,
  QUESTIONNAIRE_INPUT,
  RESPONSE_OUTPUT,
  SDC_TEMP_SYSTEM,
} from '../../domain/interop/measure-task.js';
import { practitionerIdOf } from '../../domain/interop/recorded-by.js';
import {
  MEASURE_OCCASION_LABELS,
  MEASURE_OCCASIONS,
  MEASURE_REQUEST_STATUSES,
  type MeasureOccasion,
  type MeasureRequestStatus,
} from '../../domain/measures/measure-requests.js';
import { elementRules, type FhirContext, wellFormed } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { canonicalOf } from '../questionnaires/fhir-questionnaire.js';
import type { QuestionnaireSummary } from '../questionnaires/service.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { ResponseContent } from './fhir-questionnaire-response.js';
import type { StoredRequest } from './store.js';

/**
 * Task: a measure asked of a person (a measure request: a questionnaire due on an occasion), as the
 * Structured Data Capture IG's "Task for questionnaire" (sdc-task, domain/interop/measure-task.ts):
 *
 * - id personRowId(person, request); code `complete-questionnaire`; intent `order`; `for` the person;
 * - input typed `questionnaire`: the library version as url|version (as the Questionnaire mapping
 *   writes its url and version); output typed `questionnaire-response`, once completed: the
 *   QuestionnaireResponse (as that mapping ids it);
 * - status: open `ready`, completed, cancelled; businessStatus: our status exactly, in our code
 *   system, so an import restores it whatever another server does to `status`;
 * - reasonCode: the occasion (start, review, end, one-off) in our code system;
 * - restriction.period: start not before (a review request falls due only at a review on or after
 *   it), end the day it is due (a review request has none: it follows the person's next review);
 * - owner: the person when it was sent to them to fill in themselves (SDC: "who should complete
 *   the questionnaire"); left out when it is filled in with a practitioner, who is not named until then;
 * - requester: the member of staff who asked (Practitioner); authoredOn when asked; lastModified
 *   when it was closed (completed or cancelled), else when asked.
 *
 * The schedule a request came from does not travel (docs/FHIR.md says why). Read and search only:
 * requests are made on the measures page and by the REST API, where their rules live.
 */

/** What a request's Task names of its questionnaire: the library version. */
export type RequestQuestionnaire = Pick<QuestionnaireSummary, 'url' | 'version' | 'title'>;

export function measureTaskOf(
  personId: string,
  request: StoredRequest,
  questionnaire: RequestQuestionnaire,
  requestedByStaff: boolean,
): Task {
  const patient = { reference: `Patient/${personId}` };
  const period = {
    ...(request.notBefore ? { start: request.notBefore } : {}),
    ...(request.dueOn ? { end: request.dueOn } : {}),
  };
  const answered = request.status === 'completed' && request.responseId;
  return {
    resourceType: 'Task',
    id: personRowId(personId, request.requestId),
    meta: { versionId: request.closedAt ? '2' : '1', lastUpdated: request.closedAt ?? request.createdAt },
    status: MEASURE_TASK_STATUS[request.status],
    businessStatus: { coding: [{ system: MEASURE_REQUEST_STATUS_SYSTEM, code: request.status }] },
    intent: 'order',
    code: { coding: [{ ...COMPLETE_QUESTIONNAIRE }], text: COMPLETE_QUESTIONNAIRE.display },
    description: `Complete ${questionnaire.title}`,
    for: patient,
    authoredOn: request.createdAt,
    lastModified: request.closedAt ?? request.createdAt,
    ...(requestedByStaff ? { requester: { reference: `Practitioner/${request.createdByUserId}` } } : {}),
    ...(request.sentToPerson ? { owner: patient } : {}),
    reasonCode: {
      coding: [
        {
          system: MEASURE_OCCASION_SYSTEM,
          code: request.occasion,
          display: MEASURE_OCCASION_LABELS[request.occasion],
        },
      ],
    },
    ...(Object.keys(period).length ? { restriction: { period } } : {}),
    input: [{ type: { coding: [{ ...QUESTIONNAIRE_INPUT }] }, valueCanonical: canonicalOf(questionnaire) }],
    ...(answered
      ? {
          output: [
            {
              type: { coding: [{ ...RESPONSE_OUTPUT }] },
              valueReference: {
                reference: `QuestionnaireResponse/${personRowId(personId, request.responseId as string)}`,
              },
            },
          ],
        }
      : {}),
  };
}

/**
 * Stored requests of one or many people as Tasks, each person's in the order given: the library
 * and who asked are looked up once for them all (nothing is looked up when there are none).
 */
async function requestsAsTasks(
  ctx: FhirContext,
  stored: ReadonlyMap<string, readonly StoredRequest[]>,
): Promise<Map<string, Task[]>> {
  const all = [...stored.values()].flat();
  if (all.length === 0) return new Map();
  const library = new Map(
    (await ctx.services.questionnaires.list(ctx.actor)).map((q) => [q.questionnaireId, q]),
  );
  const askers = [...new Set(all.map((r) => r.createdByUserId))];
  const staff = new Set((await ctx.services.directory.staff(ctx.actor, askers)).map((s) => s.userId));
  return new Map(
    [...stored].map(([personId, requests]) => [
      personId,
      requests.flatMap((r) => {
        // (The foreign key keeps every request's questionnaire in the library.)
        const questionnaire = library.get(r.questionnaireId);
        return questionnaire ? [measureTaskOf(personId, r, questionnaire, staff.has(r.createdByUserId))] : [];
      }),
    ]),
  );
}

/** Every request of the person as a Task, read through the measures service (checked and audited there). */
export async function measureTasksOf(ctx: FhirContext, personId: string): Promise<Task[]> {
  const requests = await ctx.services.measures.requests(ctx.actor, personId);
  return (await requestsAsTasks(ctx, new Map([[personId, requests]]))).get(personId) ?? [];
}

/**
 * The same for many people at once (bulk export): one read of their requests, one of the library
 * and one of who asked, whatever the number of people. The grants were checked and audited by the
 * caller (PersonAccess.requireEach).
 */
export async function measureTasksOfEach(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, Task[]>> {
  return requestsAsTasks(ctx, await ctx.services.measures.requestsOfEach(grants));
}

const codes = (concept: Task['businessStatus']) =>
  (concept?.coding ?? []).map((c) => ({ system: c.system, code: c.code ?? '' }));

export const measureTaskParams: SearchParamDefinition<Task>[] = [
  {
    name: 'status',
    type: 'token',
    documentation: 'ready (open), completed or cancelled',
    valuesOf: (t) => (t.status ? [{ code: t.status }] : []),
  },
  {
    name: 'business-status',
    type: 'token',
    documentation: `Our status exactly: ${MEASURE_REQUEST_STATUS_SYSTEM}|open, completed or cancelled`,
    valuesOf: (t) => codes(t.businessStatus),
  },
  {
    name: 'code',
    type: 'token',
    documentation: `${SDC_TEMP_SYSTEM}|complete-questionnaire`,
    valuesOf: (t) => codes(t.code),
  },
  {
    name: 'authored-on',
    type: 'date',
    documentation: 'When it was asked',
    valuesOf: (t) => (t.authoredOn ? [{ start: t.authoredOn }] : []),
  },
];

/** The measure requests alone as a handler (the registered Task serves them with attendance: interop/fhir/tasks.ts). */
export const measureTaskFhir = personResources<Task>({
  type: 'Task',
  documentation:
    'Measures asked of the person (SDC Task for questionnaire): the questionnaire as input (url|version), its response as output once completed.',
  searchParams: measureTaskParams,
  listForPerson: measureTasksOf,
  listForPeople: measureTasksOfEach,
});

// ——— from FHIR ———

/** A Task of a measure request, as bulk import restores it (interop/fhir/import-measure-requests.ts). */
export interface MeasureRequestFromTask {
  requestId: string;
  questionnaire: ResponseContent['questionnaire'];
  status: MeasureRequestStatus;
  occasion: MeasureOccasion;
  dueOn: string | null;
  notBefore: string | null;
  sentToPerson: boolean;
  /** When it was asked (authoredOn), or null for now. */
  createdAt: string | null;
  /** When it was closed (lastModified), for a completed or cancelled one; null for now. */
  closedAt: string | null;
  /** The Practitioner (its id in the input) who asked, when `requester` is one. */
  requestedBy: string | null;
  /** The QuestionnaireResponse's row id (as that import keeps it) that completed it. */
  responseId: string | null;
}

const { bad, keepOnly } = elementRules('Task', [
  'resourceType',
  'id',
  'meta',
  'text',
  'status',
  'businessStatus',
  'intent',
  'code',
  'description',
  'for',
  'authoredOn',
  'lastModified',
  'requester',
  'owner',
  'reasonCode',
  'restriction',
  'input',
  'output',
]);

/** task-status as our status, for a Task without our own coding (another system's). */
const STATUS_OF_TASK: Record<string, MeasureRequestStatus> = {
  draft: 'open',
  requested: 'open',
  received: 'open',
  accepted: 'open',
  ready: 'open',
  'in-progress': 'open',
  'on-hold': 'open',
  completed: 'completed',
  cancelled: 'cancelled',
  rejected: 'cancelled',
  failed: 'cancelled',
};

const typed = <P extends { type?: { coding?: { system?: string; code?: string }[] } }>(
  parts: readonly P[] | undefined,
  code: string,
): P[] =>
  (parts ?? []).filter((p) =>
    (p.type?.coding ?? []).some((c) => c.system === SDC_TEMP_SYSTEM && c.code === code),
  );

/** A date (2026-03-01), or a date and time with its zone as its UK day; else refused naming the element. */
function dayOf(value: string | undefined, element: string): string | null {
  if (value === undefined) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)))
    return todayIso(new Date(value));
  throw bad(`${element} must be a date (2026-03-01) or a date and time with its zone.`, element);
}

function instantOf(value: string | undefined, element: string): string | null {
  if (value === undefined) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw bad(`${element} is not a date and time.`, element);
  return new Date(time).toISOString();
}

/**
 * The measure request a Task of a questionnaire holds, checked as a request is when it is made (a
 * questionnaire named; a day it is due unless it follows the reviews; our statuses and occasions);
 * a 422 naming the element otherwise. The questionnaire and the response it names are found by
 * the import (it must be held or imported with it).
 */
export function measureRequestOfTask(task: Task, personId: string): MeasureRequestFromTask {
  return wellFormed('Task', () => {
    keepOnly(task);
    const [input, ...more] = typed(task.input, QUESTIONNAIRE_INPUT.code);
    if (!input || more.length)
      throw bad('Give the questionnaire to complete: one input typed questionnaire (url|version).', 'input');
    let questionnaire: MeasureRequestFromTask['questionnaire'];
    const byId = input.valueReference?.reference ? parseReference(input.valueReference.reference) : null;
    if (byId?.type === 'Questionnaire' && isUuid(byId.id)) questionnaire = { questionnaireId: byId.id };
    else if (input.valueCanonical?.trim()) {
      const [url, version] = input.valueCanonical.trim().split('|');
      questionnaire = { url: url as string, version: version ?? null };
    } else throw bad('The questionnaire input is its url|version (valueCanonical).', 'input');

    const ours = (task.businessStatus?.coding ?? []).find((c) => c.system === MEASURE_REQUEST_STATUS_SYSTEM);
    let status: MeasureRequestStatus | undefined;
    if (ours) {
      status = (MEASURE_REQUEST_STATUSES as readonly string[]).includes(ours.code ?? '')
        ? (ours.code as MeasureRequestStatus)
        : undefined;
      if (!status) throw bad(`${ours.code} is not one of our request statuses.`, 'businessStatus');
    } else {
      status = STATUS_OF_TASK[task.status];
      if (!status) throw bad(`A request is not kept with status ${task.status}.`, 'status');
    }

    const occasionCode = task.reasonCode?.coding?.find((c) => c.system === MEASURE_OCCASION_SYSTEM)?.code;
    if (occasionCode !== undefined && !(MEASURE_OCCASIONS as readonly string[]).includes(occasionCode))
      throw bad(`${occasionCode} is not one of our occasions (start, review, end, one-off).`, 'reasonCode');
    const occasion = (occasionCode ?? 'one-off') as MeasureOccasion;

    const createdAt = instantOf(task.authoredOn, 'authoredOn');
    const lastModified = instantOf(task.lastModified, 'lastModified');
    const notBefore = dayOf(task.restriction?.period?.start, 'restriction.period.start');
    // Asked without a day, a request is due the day it was asked (as one is made here); a review
    // request alone follows the person's reviews.
    const dueOn =
      dayOf(task.restriction?.period?.end, 'restriction.period.end') ??
      (occasion === 'review' ? null : createdAt ? todayIso(new Date(createdAt)) : null);
    if (dueOn === null && occasion !== 'review')
      throw bad(
        'Give the day it is due (restriction.period.end), or when it was asked.',
        'restriction.period.end',
      );

    let responseId: string | null = null;
    if (status === 'completed') {
      const outputs = typed(task.output, RESPONSE_OUTPUT.code);
      const ref = outputs[0]?.valueReference?.reference;
      const parsed = ref ? parseReference(ref) : null;
      if (outputs.length !== 1 || parsed?.type !== 'QuestionnaireResponse')
        throw bad(
          'A completed request names the response that completed it: one output typed questionnaire-response.',
          'output',
        );
      responseId = importedRowId(personId, 'QuestionnaireResponse', parsed.id);
    }
    const forRef = task.for?.reference;
    return {
      requestId: importedRowId(
        personId,
        'Task',
        task.id ?? `${personId}/${input.valueCanonical ?? ''}/${task.authoredOn ?? ''}/${dueOn ?? ''}`,
      ),
      questionnaire,
      status,
      occasion,
      dueOn,
      notBefore,
      sentToPerson: forRef !== undefined && task.owner?.reference === forRef,
      createdAt,
      closedAt: status === 'open' ? null : lastModified,
      requestedBy: practitionerIdOf(task.requester?.reference),
      responseId,
    };
  });
}
