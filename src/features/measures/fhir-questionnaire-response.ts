import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { isUuid, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import type { CompletedBy } from '../../domain/measures/measure-requests.js';
import { elementRules, type FhirContext } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { canonicalOf } from '../questionnaires/fhir-questionnaire.js';
import type { QuestionnaireSummary } from '../questionnaires/service.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { RecordMeasureInput } from './schema.js';
import type { StoredResponse } from './store.js';

/**
 * QuestionnaireResponse: a completed measure in a person's record, stored whole as it was
 * recorded, with this server's identity over it: the id (person and response), `subject` the
 * person, `questionnaire` the library version it answers as `url|version` (the Questionnaire
 * resource's own url and version), `authored` the day it was completed, `source` the person (who
 * answered, with a practitioner or alone), and `author` who recorded it: the person, or the
 * practitioner (left out when neither, as for a system client). Create records a measure
 * through the measures service, as the form and the API do; responses are never changed.
 */

/** The questionnaire a response answers, by id: for the `questionnaire` parameter and `_include`. */
const questionnaireOfResponse = new WeakMap<QuestionnaireResponse, string>();

export function questionnaireResponseOf(
  personId: string,
  row: StoredResponse,
  recordedByStaff: boolean,
): QuestionnaireResponse {
  const {
    id: _id,
    meta: _meta,
    subject: _subject,
    author: _author,
    source: _source,
    questionnaire: _questionnaire,
    ...stored
  } = row.resource as unknown as QuestionnaireResponse;
  const patient = `Patient/${personId}`;
  const author: QuestionnaireResponse['author'] =
    row.completedBy === 'person'
      ? { reference: patient }
      : recordedByStaff
        ? { reference: `Practitioner/${row.recordedByUserId}` }
        : undefined;
  const response: QuestionnaireResponse = {
    ...stored,
    resourceType: 'QuestionnaireResponse',
    id: personRowId(personId, row.responseId),
    meta: { versionId: '1', lastUpdated: row.recordedAt.toISOString() },
    questionnaire: canonicalOf({ url: row.questionnaireUrl, version: row.questionnaireVersion }),
    status: row.status,
    subject: { reference: patient },
    authored: row.authoredOn,
    ...(author ? { author } : {}),
    source: { reference: patient },
  };
  questionnaireOfResponse.set(response, `Questionnaire/${row.questionnaireId}`);
  return response;
}

const questionnaireRefs = (r: QuestionnaireResponse) => {
  const ref = questionnaireOfResponse.get(r);
  return ref ? [ref] : [];
};

const params: SearchParamDefinition<QuestionnaireResponse>[] = [
  {
    name: 'questionnaire',
    type: 'reference',
    documentation: 'The questionnaire version answered (Questionnaire/{id})',
    valuesOf: questionnaireRefs,
  },
  {
    name: 'authored',
    type: 'date',
    documentation: 'The day it was completed',
    valuesOf: (r) => (r.authored ? [{ start: r.authored }] : []),
  },
  {
    name: 'status',
    type: 'token',
    documentation: 'completed, or entered-in-error',
    valuesOf: (r) => [{ code: r.status }],
  },
];

/**
 * Stored responses of one or many people as resources, each person's in the order given: who
 * recorded them is looked up once for them all (a member of staff is named as the author).
 */
async function responsesAsFhir(
  ctx: FhirContext,
  stored: ReadonlyMap<string, readonly StoredResponse[]>,
): Promise<Map<string, QuestionnaireResponse[]>> {
  const recorders = [...new Set([...stored.values()].flatMap((rows) => rows.map((r) => r.recordedByUserId)))];
  const staff = new Set(
    recorders.length ? (await ctx.services.directory.staff(ctx.actor, recorders)).map((s) => s.userId) : [],
  );
  return new Map(
    [...stored].map(([personId, rows]) => [
      personId,
      rows.map((row) => questionnaireResponseOf(personId, row, staff.has(row.recordedByUserId))),
    ]),
  );
}

/** Every response in the person's record, read through the measures service (checked and audited there). */
async function listForPerson(ctx: FhirContext, personId: string): Promise<QuestionnaireResponse[]> {
  const rows = await ctx.services.measures.responses(ctx.actor, personId);
  return (await responsesAsFhir(ctx, new Map([[personId, rows]]))).get(personId) ?? [];
}

/**
 * The same for many people at once (bulk export): one read of their responses and one of who
 * recorded them, whatever the number of people. The grants were checked and audited by the caller.
 */
async function listForPeople(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, QuestionnaireResponse[]>> {
  return responsesAsFhir(ctx, await ctx.services.measures.responsesOfEach(grants));
}

// ——— from FHIR ———

/** Elements a QuestionnaireResponse may carry on create; anything else would be lost, so it is refused. */
const { bad, keepOnly } = elementRules('QuestionnaireResponse', [
  'resourceType',
  'id',
  'meta',
  'text',
  'questionnaire',
  'status',
  'subject',
  'authored',
  'author',
  'source',
  'item',
]);

/** What a QuestionnaireResponse asks to record, before its questionnaire is found: the person and the rest. */
export interface ResponseToRecord {
  personId: string;
  /** `Questionnaire/{id}`'s id, or a canonical url with its version if given. */
  questionnaire: { questionnaireId: string } | { url: string; version: string | null };
  input: Omit<RecordMeasureInput, 'questionnaireId' | 'instrument'>;
}

/**
 * What a QuestionnaireResponse records, whoever records it: the questionnaire it names, the day it
 * was completed and the answers. Read once here for create (below) and for bulk import
 * (interop/fhir/import-responses.ts), which keeps a record's history and so checks status, subject
 * and author itself.
 */
export interface ResponseContent {
  /** `Questionnaire/{id}`'s id, or a canonical url with its version if given. */
  questionnaire: ResponseToRecord['questionnaire'];
  /** The day it was completed (its UK day for a date and time); undefined when not given. */
  authoredOn: string | undefined;
  item: NonNullable<RecordMeasureInput['response']>['item'] | undefined;
}

export function responseContentOf(resource: QuestionnaireResponse): ResponseContent {
  keepOnly(resource);
  const canonical = resource.questionnaire?.trim();
  if (!canonical)
    throw bad('Give the questionnaire answered: its url|version, or Questionnaire/{id}.', 'questionnaire');
  const byId = /(?:^|\/)Questionnaire\/([0-9a-f-]{36})$/.exec(canonical);
  const questionnaire: ResponseToRecord['questionnaire'] =
    byId && isUuid(byId[1] as string)
      ? { questionnaireId: byId[1] as string }
      : {
          url: canonical.split('|')[0] as string,
          version: canonical.includes('|') ? (canonical.split('|')[1] ?? null) : null,
        };
  let authoredOn: string | undefined;
  if (resource.authored !== undefined) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(resource.authored)) authoredOn = resource.authored;
    else if (
      /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(resource.authored) &&
      !Number.isNaN(Date.parse(resource.authored))
    ) {
      authoredOn = todayIso(new Date(resource.authored));
    } else {
      throw bad('authored must be a date (2026-03-01) or a date and time with its zone.', 'authored');
    }
  }
  return {
    questionnaire,
    authoredOn,
    item: resource.item as NonNullable<RecordMeasureInput['response']>['item'] | undefined,
  };
}

/**
 * Who completed a response, as `questionnaireResponseOf` writes it: the person when `author` is
 * the subject (they filled it in themselves), else with a practitioner.
 */
export function completedByOf(resource: Pick<QuestionnaireResponse, 'author' | 'subject'>): CompletedBy {
  const author = resource.author?.reference;
  return author !== undefined && author === resource.subject?.reference
    ? 'person'
    : 'practitioner-with-person';
}

/** The person, the questionnaire and the measures service's own input, from a QuestionnaireResponse. */
export function responseToRecordOf(
  resource: QuestionnaireResponse,
  actor: Pick<Actor, 'userId' | 'personId'>,
): ResponseToRecord {
  keepOnly(resource);
  const subject = resource.subject?.reference ? parseReference(resource.subject.reference) : null;
  if (subject?.type !== 'Patient' || !isUuid(subject.id)) {
    throw bad('Give the person the response is about: subject.reference Patient/{id}.', 'subject');
  }
  const personId = subject.id;
  const patient = `Patient/${personId}`;
  if (resource.status !== 'completed')
    throw bad('Only a completed response is recorded (status completed).', 'status');
  const { questionnaire, authoredOn, item } = responseContentOf(resource);
  const mayAuthor = [`Practitioner/${actor.userId}`, ...(actor.personId === personId ? [patient] : [])];
  if (resource.author && !mayAuthor.includes(resource.author.reference ?? '')) {
    throw bad('The author is whoever records the response: leave author out, or name yourself.', 'author');
  }
  if (resource.source && resource.source.reference !== patient) {
    throw bad('The source is the person who answered: leave it out, or name the subject.', 'source');
  }
  return {
    personId,
    questionnaire,
    input: {
      response: {
        resourceType: 'QuestionnaireResponse',
        status: 'completed',
        ...(item ? { item } : {}),
      },
      ...(authoredOn ? { authoredOn } : {}),
    },
  };
}

/** The library version a canonical names: that version, or the newest active one (else the newest). */
export function questionnaireOfCanonical(
  library: readonly Pick<QuestionnaireSummary, 'questionnaireId' | 'url' | 'version' | 'status'>[],
  url: string,
  version: string | null,
): string | null {
  const versions = library.filter((q) => q.url === url).sort((a, b) => b.version - a.version);
  if (version !== null) return versions.find((q) => String(q.version) === version)?.questionnaireId ?? null;
  return (versions.find((q) => q.status === 'active') ?? versions[0])?.questionnaireId ?? null;
}

/** The measures service's fields, as the elements of a QuestionnaireResponse they come from. */
function elementOf(field: string | undefined): string | undefined {
  if (!field) return field;
  if (field === 'questionnaireId' || field === 'instrument') return 'QuestionnaireResponse.questionnaire';
  if (field === 'authoredOn') return 'QuestionnaireResponse.authored';
  if (field.startsWith('response.')) return `QuestionnaireResponse.${field.slice('response.'.length)}`;
  return field;
}

function asFhirError(error: unknown): unknown {
  if (
    error instanceof ContractError ||
    (error instanceof ServiceError && (error.status === 422 || error.status === 400))
  ) {
    return new ServiceError(error.status, error.title, error.message, elementOf(error.field));
  }
  return error;
}

export const questionnaireResponseFhir = personResources<QuestionnaireResponse>({
  type: 'QuestionnaireResponse',
  documentation:
    'Completed measures in a person’s record, each as recorded, naming the questionnaire version answered (url|version). Create records a completed measure as the measure form does; responses are never updated.',
  searchParams: params,
  includes: [
    { name: 'QuestionnaireResponse:questionnaire', referencesOf: questionnaireRefs },
    {
      name: 'QuestionnaireResponse:patient',
      referencesOf: (r) => (r.subject?.reference ? [r.subject.reference] : []),
    },
  ],
  listForPerson,
  listForPeople,
  async create(ctx, resource) {
    const { personId, questionnaire, input } = responseToRecordOf(resource, ctx.actor);
    let questionnaireId: string | null;
    if ('questionnaireId' in questionnaire) questionnaireId = questionnaire.questionnaireId;
    else {
      const library = await ctx.services.questionnaires.list(ctx.actor);
      questionnaireId = questionnaireOfCanonical(library, questionnaire.url, questionnaire.version);
    }
    if (!questionnaireId) {
      throw bad(
        'No questionnaire with that url (and version) is in the library; see GET /fhir/Questionnaire.',
        'questionnaire',
      );
    }
    const { responseId } = await ctx.services.measures
      .record(ctx.actor, personId, { ...input, questionnaireId })
      .catch((error: unknown) => {
        throw asFhirError(error);
      });
    const id = personRowId(personId, responseId);
    const created = (await listForPerson(ctx, personId)).find((r) => r.id === id);
    if (!created) throw new Error(`The response ${responseId} just recorded was not read back.`);
    return created;
  },
});
