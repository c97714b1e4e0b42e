import type { QuestionnaireResponse as FhirQuestionnaireResponse } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { practitionerIdOf } from '../../domain/interop/recorded-by.js';
import type { CompletedBy } from '../../domain/measures/measure-requests.js';
import { responseProblem } from '../../domain/measures/response-checks.js';
import type { QuestionnaireResponse } from '../../domain/measures/types.js';
import {
  completedByOf,
  questionnaireOfCanonical,
  type ResponseContent,
  responseContentOf,
} from '../../features/measures/fhir-questionnaire-response.js';
import type { ScoreRow } from '../../features/measures/import-writes.js';
import { type LibraryQuestionnaire, score } from '../../features/questionnaires/service.js';
import type { DB } from '../../store/schema.js';
import { elementRules, wellFormed } from './handler.js';

/**
 * A QuestionnaireResponse (a completed measure: the QuestionnaireResponse mapping,
 * features/measures/fhir-questionnaire-response.ts, writes them) as a response to restore on
 * import (bulk-import.ts): the questionnaire, the day completed and the answers read by the
 * mapping's `responseContentOf`, who completed it by its `completedByOf` (the person when `author`
 * is the subject, else with a practitioner), kept under its id (ours as it is, another system's
 * derived from it), recorded at `meta.lastUpdated` (responses are never changed: that is when it
 * was recorded), else now. The status is kept: `completed`, or `entered-in-error` (its scores are
 * kept and, as for one marked so here, not shown). Who recorded it: an `author` Practitioner (as
 * our export names the member of staff who recorded it) when that account is held here or
 * imported with it (bulk-import.ts resolves it), else the import's account.
 *
 * `scoredResponse` then checks the answers against the questionnaire of the library it names and
 * scores them as recording a measure does (the library's `score`, domain/measures): the scores
 * are never read from the input's Observations, which are derived from the response.
 */
export interface ResponseToRestore {
  responseId: string;
  questionnaire: ResponseContent['questionnaire'];
  status: 'completed' | 'entered-in-error';
  authoredOn: string;
  /** When it was recorded, or null for now. */
  recordedAt: string | null;
  completedBy: CompletedBy;
  item: ResponseContent['item'];
  /** The Practitioner (its id in the input) who recorded it, when `author` is one. */
  recordedBy: string | null;
}

const { bad } = elementRules('QuestionnaireResponse', []);
const STATUSES: readonly string[] = ['completed', 'entered-in-error'];

export function responseToRestore(resource: FhirQuestionnaireResponse, personId: string): ResponseToRestore {
  return wellFormed('QuestionnaireResponse', () => {
    const content = responseContentOf(resource);
    if (!STATUSES.includes(resource.status))
      throw bad('A response is kept completed, or entered in error (status).', 'status');
    const lastUpdated = resource.meta?.lastUpdated;
    const time = lastUpdated === undefined ? null : Date.parse(lastUpdated);
    if (time !== null && Number.isNaN(time))
      throw bad('meta.lastUpdated is not a date and time.', 'meta.lastUpdated');
    const recordedAt = time === null ? null : new Date(time).toISOString();
    // The day it was completed; a response without one was completed when it was recorded.
    const authoredOn = content.authoredOn ?? recordedAt?.slice(0, 10);
    if (!authoredOn) throw bad('Give the day it was completed (authored).', 'authored');
    return {
      responseId: importedRowId(
        personId,
        'QuestionnaireResponse',
        resource.id ?? `${personId}/${resource.questionnaire}/${authoredOn}/${lastUpdated ?? ''}`,
      ),
      questionnaire: content.questionnaire,
      status: resource.status as ResponseToRestore['status'],
      authoredOn,
      recordedAt,
      completedBy: completedByOf(resource),
      item: content.item,
      recordedBy: practitionerIdOf(resource.author?.reference),
    };
  });
}

/** The questionnaire of the library a response names (its id here, or url and version), or null. */
export function questionnaireOfResponse(
  library: readonly Pick<LibraryQuestionnaire, 'questionnaireId' | 'url' | 'version' | 'status'>[],
  named: ResponseContent['questionnaire'],
): string | null {
  if ('questionnaireId' in named)
    return library.some((q) => q.questionnaireId === named.questionnaireId) ? named.questionnaireId : null;
  return questionnaireOfCanonical(library, named.url, named.version);
}

/** The reason a response is skipped when the questionnaire it answers is not in the library. */
export function unknownQuestionnaireReason(named: ResponseContent['questionnaire']): string {
  const which =
    'questionnaireId' in named
      ? `Questionnaire/${named.questionnaireId}`
      : `${named.url}${named.version === null ? '' : `|${named.version}`}`;
  return `The questionnaire it answers (${which}) is not in this database's library (GET /fhir/Questionnaire lists it).`;
}

/**
 * The response as recording a measure stores it (the resource as `MeasureService.record` keeps it:
 * the answers, the day, `url|version` of the library version and its id) and its scores, scored
 * by the library's `score` as recording one is. Refuses (422 naming the element) answers that do
 * not fit the questionnaire, as recording does.
 */
export function scoredResponse(
  questionnaire: Pick<
    LibraryQuestionnaire,
    'questionnaireId' | 'url' | 'version' | 'instrumentKey' | 'scoring' | 'questionnaire'
  >,
  personId: string,
  r: ResponseToRestore,
): { resource: QuestionnaireResponse; scores: ScoreRow[] } {
  return wellFormed('QuestionnaireResponse', () => scored(questionnaire, personId, r));
}

function scored(
  questionnaire: Parameters<typeof scoredResponse>[0],
  personId: string,
  r: ResponseToRestore,
): { resource: QuestionnaireResponse; scores: ScoreRow[] } {
  const resource: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    status: r.status,
    ...(r.item ? { item: r.item as QuestionnaireResponse['item'] } : {}),
    authored: r.authoredOn,
    questionnaire: `${questionnaire.url}|${questionnaire.version}`,
    id: r.responseId,
  };
  const problem = responseProblem(questionnaire.questionnaire, resource);
  if (problem) throw bad(problem.message, elementOf(problem.field));
  let scores: ReturnType<typeof score>;
  try {
    scores = score(questionnaire, resource);
  } catch (error) {
    if (error instanceof RangeError) throw bad(error.message, 'item');
    throw error;
  }
  return {
    resource,
    scores: scores.map((s) => ({
      personId,
      responseId: r.responseId,
      scoreKey: s.key,
      instrument: questionnaire.instrumentKey,
      questionnaireId: questionnaire.questionnaireId,
      value: s.value,
      band: s.band,
      observedOn: r.authoredOn,
    })),
  };
}

/** The element of a response a check names (`response.item…` in the measures service's terms). */
function elementOf(field: string | undefined): string {
  if (!field) return 'item';
  return field.startsWith('response.') ? field.slice('response.'.length) : field;
}

/** The responses of `personIds` already held (keys person/response). */
export async function heldResponses(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('questionnaire_response')
    .select(['person_id', 'response_id'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => `${r.person_id}/${r.response_id}`));
}
