import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { derivedUuid, personRowId } from '../../domain/interop/fhir-ids.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import { analyseQuestionnaire } from '../../domain/measures/questionnaire/analyse.js';
import { responseFromAnswers } from '../../domain/measures/response-checks.js';
import type { QuestionnaireResponse as StoredResource } from '../../domain/measures/types.js';
import { questionnaireResponseOf } from '../../features/measures/fhir-questionnaire-response.js';
import { ServiceError } from '../../services/errors.js';
import {
  questionnaireOfResponse,
  responseToRestore,
  scoredResponse,
  unknownQuestionnaireReason,
} from './import-responses.js';

const personId = '77777777-7777-4777-8777-777777777777';
const practitionerId = '88888888-8888-4888-8888-888888888888';
const responseId = '99999999-9999-4999-8999-999999999999';
const phq9 = INSTRUMENTS.phq9.questionnaire;
const answers = [1, 2, 0, 1, 3, 0, 1, 2, 0];
/** A response as the measures store reads it back. */
type StoredResponse = Parameters<typeof questionnaireResponseOf>[1];

/** The library's PHQ-9 version 2, as the measures read it. */
const library = {
  questionnaireId: '66666666-6666-4666-8666-666666666666',
  url: phq9.url as string,
  version: 2,
  status: 'active' as const,
  instrumentKey: 'phq9' as const,
  scoring: { kind: 'instrument' as const, instrumentKey: 'phq9' as const },
  questionnaire: analyseQuestionnaire(phq9).questionnaire ?? phq9,
};

function stored(over: Partial<StoredResponse> = {}): StoredResponse {
  const built = responseFromAnswers(phq9, answers, '2026-03-01');
  if (!('response' in built)) throw new Error('answers');
  return {
    responseId,
    questionnaireId: library.questionnaireId,
    questionnaireUrl: library.url,
    questionnaireVersion: 2,
    status: 'completed',
    resource: { ...built.response, id: responseId } as StoredResource,
    authoredOn: '2026-03-01',
    recordedAt: new Date('2026-03-02T10:00:00Z'),
    recordedByUserId: practitionerId,
    completedBy: 'practitioner-with-person',
    ...over,
  };
}
/** What our export writes for the stored response. */
const exported = (over: Partial<StoredResponse> = {}) =>
  questionnaireResponseOf(personId, stored(over), true);

function refusal(resource: QuestionnaireResponse): { element: string | undefined; message: string } {
  try {
    responseToRestore(resource, personId);
  } catch (error) {
    if (error instanceof ServiceError) return { element: error.field, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('responseToRestore', () => {
  it('reads back what the QuestionnaireResponse mapping writes, under the same id', () => {
    const r = responseToRestore(exported(), personId);
    expect(r).toEqual({
      responseId,
      questionnaire: { url: library.url, version: '2' },
      status: 'completed',
      authoredOn: '2026-03-01',
      recordedAt: '2026-03-02T10:00:00.000Z',
      completedBy: 'practitioner-with-person',
      item: stored().resource.item,
      // The author Practitioner: the member of staff who recorded it.
      recordedBy: practitionerId,
    });
    // Completed by the person (the author is the Patient): no member of staff is named.
    expect(responseToRestore(exported({ completedBy: 'person' }), personId).recordedBy).toBeNull();
  });

  it('reads who completed it as the mapping writes it: the person when they are the author', () => {
    expect(responseToRestore(exported({ completedBy: 'person' }), personId).completedBy).toBe('person');
    // A recorder who was not staff (a system client): no author, completed with a practitioner.
    expect(responseToRestore(questionnaireResponseOf(personId, stored(), false), personId).completedBy).toBe(
      'practitioner-with-person',
    );
    expect(responseToRestore(exported({ status: 'entered-in-error' }), personId).status).toBe(
      'entered-in-error',
    );
  });

  it('derives the id of another system’s response, the same on every run, and dates it when recorded', () => {
    const { id: _id, authored: _a, ...theirs } = exported();
    const r = responseToRestore({ ...theirs, id: 'qr-17' }, personId);
    expect(r.responseId).toBe(derivedUuid('fhir-import', 'QuestionnaireResponse', 'qr-17'));
    expect(r.authoredOn).toBe('2026-03-02');
    // Another person's row id is not ours for this person: derived too.
    const other = personRowId('11111111-1111-4111-8111-111111111111', responseId);
    expect(responseToRestore({ ...exported(), id: other }, personId).responseId).toBe(
      derivedUuid('fhir-import', 'QuestionnaireResponse', other),
    );
  });

  it('refuses what the mapping does not keep, a status other than completed or entered in error, and a bad date', () => {
    expect(refusal({ ...exported(), encounter: { reference: 'Encounter/x' } }).element).toBe(
      'QuestionnaireResponse.encounter',
    );
    expect(refusal({ ...exported(), status: 'in-progress' }).element).toBe('QuestionnaireResponse.status');
    expect(refusal({ ...exported(), authored: '1 March' }).element).toBe('QuestionnaireResponse.authored');
    expect(refusal({ ...exported(), questionnaire: undefined }).element).toBe(
      'QuestionnaireResponse.questionnaire',
    );
    expect(refusal({ ...exported(), meta: { lastUpdated: 'soon' } }).element).toBe(
      'QuestionnaireResponse.meta.lastUpdated',
    );
  });
});

describe('questionnaireOfResponse', () => {
  it('finds the library version by url|version, or by its id here; null for one not in the library', () => {
    expect(questionnaireOfResponse([library], { url: library.url, version: '2' })).toBe(
      library.questionnaireId,
    );
    expect(questionnaireOfResponse([library], { questionnaireId: library.questionnaireId })).toBe(
      library.questionnaireId,
    );
    expect(questionnaireOfResponse([library], { url: library.url, version: '3' })).toBeNull();
    expect(questionnaireOfResponse([library], { url: 'https://example.org/q', version: null })).toBeNull();
    expect(unknownQuestionnaireReason({ url: 'https://example.org/q', version: '1' })).toContain(
      'https://example.org/q|1',
    );
  });
});

describe('scoredResponse', () => {
  it('stores the response as recording does and scores it as the instrument does', () => {
    const r = responseToRestore(exported(), personId);
    const { resource, scores } = scoredResponse(library, personId, r);
    expect(resource).toEqual({ ...stored().resource, questionnaire: `${library.url}|2`, id: responseId });
    const expected = INSTRUMENTS.phq9.score(answers);
    expect(expected.length).toBeGreaterThan(0);
    expect(scores).toEqual(
      expected.map((s) => ({
        personId,
        responseId,
        scoreKey: s.key,
        instrument: 'phq9',
        questionnaireId: library.questionnaireId,
        value: s.value,
        band: s.band,
        observedOn: '2026-03-01',
      })),
    );
  });

  it('refuses answers that do not fit the questionnaire, naming the item', () => {
    const r = responseToRestore(exported(), personId);
    const unanswered = { ...r, item: [] };
    expect(() => scoredResponse(library, personId, unanswered)).toThrow(ServiceError);
    const stranger = { ...r, item: [{ linkId: 'not-a-question', answer: [{ valueInteger: 1 }] }] };
    expect(() => scoredResponse(library, personId, stranger)).toThrow(/not a question/);
    const malformed = { ...r, item: 'none' } as unknown as typeof r;
    expect(() => scoredResponse(library, personId, malformed)).toThrow(ServiceError);
  });
});
