import type { Task } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { countInto, type ImportReport } from '../../domain/interop/fhir-import.js';
import { isQuestionnaireTask } from '../../domain/interop/measure-task.js';
import { type MeasureRequestFromTask, measureRequestOfTask } from '../../features/measures/fhir-task.js';
import { type RequestRow, restoreRequests } from '../../features/measures/import-writes.js';
import type { LibraryQuestionnaire } from '../../features/questionnaires/service.js';
import type { DB } from '../../store/schema.js';
import { aliasOf, type QuestionnaireAliases } from './import-questionnaires.js';
import { heldResponses, questionnaireOfResponse, unknownQuestionnaireReason } from './import-responses.js';

/**
 * A Task as a measure request to restore on bulk import (bulk-import.ts): read by the Task
 * mapping's `measureRequestOfTask` (features/measures/fhir-task.ts, the one mapping both ways),
 * kept under its id (ours as it is, another system's derived from it), written after the person's
 * responses, in the person's one transaction, once (one held already is left as it is).
 *
 * The questionnaire must be in the library or imported in the same run; a completed one's response
 * must be held or imported with it (the store requires a completed request to name it). Requests
 * are restored without their schedule (schedules do not travel: docs/FHIR.md), so a review request
 * restored opens no next one when it is completed.
 */
export type MeasureRequestToRestore = MeasureRequestFromTask;

/** A Task that asks for no questionnaire is not a measure request: null, and the import says why. */
export function measureRequestToRestore(task: Task, personId: string): MeasureRequestToRestore | null {
  if (!isQuestionnaireTask(task as unknown as Record<string, unknown>)) return null;
  return measureRequestOfTask(task, personId);
}

export const NOT_A_MEASURE_REQUEST =
  'The Task asks for no questionnaire to be completed (no SDC complete-questionnaire code or questionnaire input), and is not an attendance of ours: it is not kept here.';

/** The requests of `personIds` already held (keys person/request). */
export async function heldRequests(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('measure_request')
    .select(['person_id', 'request_id'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => `${r.person_id}/${r.request_id}`));
}

export interface PersonRequests {
  personId: string;
  requests: { request: MeasureRequestToRestore; id: string; where: string }[];
  /** The person's part of the report: counts and skips. */
  outcome: {
    imported: Record<string, number>;
    unchanged: Record<string, number>;
    skips: ImportReport['skipped'];
  };
}

export interface RequestRestoreContext {
  library: readonly LibraryQuestionnaire[];
  aliases: QuestionnaireAliases;
  /** A dry run's questionnaires, checked against but not stored: requests to them are counted, not written. */
  questionnairesToAdd: ReadonlySet<string>;
  /** The account a Practitioner of the input is here (the import's own when none). */
  recordedBy(practitionerId: string | null): string;
}

/**
 * Writes the people's requests (after their responses, in the same transaction) and returns the
 * people it changed. A request skipped is reported naming the element; the person stays imported.
 */
export async function restoreMeasureRequests(
  trx: Kysely<DB>,
  people: readonly PersonRequests[],
  ctx: RequestRestoreContext,
): Promise<string[]> {
  const withRequests = people.filter((p) => p.requests.length);
  if (withRequests.length === 0) return [];
  const personIds = withRequests.map((p) => p.personId);
  const [held, responses] = await Promise.all([heldRequests(trx, personIds), heldResponses(trx, personIds)]);
  const byId = new Map(ctx.library.map((q) => [q.questionnaireId, q]));
  const rows: RequestRow[] = [];
  const changed: string[] = [];
  for (const { personId, requests, outcome } of withRequests) {
    let wrote = false;
    for (const { request: r, id, where } of requests) {
      const skip = (reason: string, element: string) =>
        outcome.skips.push({ type: 'Task', id, where, reason, element });
      const key = `${personId}/${r.requestId}`;
      if (held.has(key)) {
        countInto(outcome.unchanged, 'Task');
        continue;
      }
      const questionnaire =
        aliasOf(ctx.aliases, r.questionnaire) ??
        byId.get(questionnaireOfResponse(ctx.library, r.questionnaire) ?? '');
      if (!questionnaire) {
        skip(unknownQuestionnaireReason(r.questionnaire), 'Task.input');
        continue;
      }
      // As asking for a measure: an open request is for a questionnaire in use.
      if (r.status === 'open' && questionnaire.status !== 'active') {
        skip(
          'The questionnaire it asks for is retired here: an open request is for one in use.',
          'Task.input',
        );
        continue;
      }
      if (ctx.questionnairesToAdd.has(questionnaire.questionnaireId)) {
        // A dry run's questionnaire is not stored, nor are the responses to it: checked, counted, not written.
        held.add(key);
        countInto(outcome.imported, 'Task');
        continue;
      }
      if (r.responseId && !responses.has(`${personId}/${r.responseId}`)) {
        skip(
          'The QuestionnaireResponse that completed it is neither held here nor imported with it.',
          'Task.output',
        );
        continue;
      }
      held.add(key);
      countInto(outcome.imported, 'Task');
      rows.push({
        personId,
        requestId: r.requestId,
        questionnaireId: questionnaire.questionnaireId,
        scheduleId: null,
        occasion: r.occasion,
        dueOn: r.dueOn,
        notBefore: r.notBefore,
        sentToPerson: r.sentToPerson,
        createdByUserId: ctx.recordedBy(r.requestedBy),
        restored: {
          status: r.status,
          responseId: r.responseId,
          createdAt: r.createdAt,
          closedAt: r.closedAt,
        },
      });
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await restoreRequests(trx, rows);
  return changed;
}
