import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import { responseFromAnswers } from '../../domain/measures/response-checks.js';
import type { QuestionnaireResponse as StoredResource } from '../../domain/measures/types.js';
import {
  questionnaireOfCanonical,
  questionnaireResponseOf,
  responseToRecordOf,
} from './fhir-questionnaire-response.js';
import type { StoredResponse } from './store.js';

const personId = '77777777-7777-4777-8777-777777777777';
const practitionerId = '88888888-8888-4888-8888-888888888888';
const questionnaireId = '66666666-6666-4666-8666-666666666666';
const phq9 = INSTRUMENTS.phq9.questionnaire;

function stored(over: Partial<StoredResponse> = {}): StoredResponse {
  const built = responseFromAnswers(phq9, [1, 2, 0, 1, 3, 0, 1, 2, 0], '2026-03-01');
  if (!('response' in built)) throw new Error('answers');
  return {
    responseId: '99999999-9999-4999-8999-999999999999',
    questionnaireId,
    questionnaireUrl: phq9.url as string,
    questionnaireVersion: 2,
    status: 'completed',
    resource: { ...built.response, id: '99999999-9999-4999-8999-999999999999' } as StoredResource,
    authoredOn: '2026-03-01',
    recordedAt: new Date('2026-03-01T10:00:00Z'),
    recordedByUserId: practitionerId,
    completedBy: 'practitioner-with-person',
    ...over,
  };
}

describe('QuestionnaireResponse mapping', () => {
  it('maps a stored response to a valid resource with this server’s references', () => {
    const r = questionnaireResponseOf(personId, stored(), true);
    expectValidFhir(r);
    expect(r.id).toBe(personRowId(personId, '99999999-9999-4999-8999-999999999999'));
    expect(r.questionnaire).toBe(`${phq9.url}|2`);
    expect(r.subject).toEqual({ reference: `Patient/${personId}` });
    expect(r.source).toEqual({ reference: `Patient/${personId}` });
    expect(r.author).toEqual({ reference: `Practitioner/${practitionerId}` });
    expect(r.authored).toBe('2026-03-01');
    expect(r.meta).toEqual({ versionId: '1', lastUpdated: '2026-03-01T10:00:00.000Z' });
    expect(r.item?.length).toBeGreaterThan(0);
  });

  it('names the person as author of what they filled in, and no author for a recorder who is not staff', () => {
    expect(questionnaireResponseOf(personId, stored({ completedBy: 'person' }), false).author).toEqual({
      reference: `Patient/${personId}`,
    });
    expect(questionnaireResponseOf(personId, stored(), false).author).toBeUndefined();
    expect(questionnaireResponseOf(personId, stored({ status: 'entered-in-error' }), true).status).toBe(
      'entered-in-error',
    );
  });

  it('reads back what it writes: the person, the questionnaire, the day and the answers', () => {
    const r = questionnaireResponseOf(personId, stored(), true);
    const back = responseToRecordOf(r, { userId: practitionerId, personId: null });
    expect(back.personId).toBe(personId);
    expect(back.questionnaire).toEqual({ url: phq9.url, version: '2' });
    expect(back.input.authoredOn).toBe('2026-03-01');
    expect(back.input.response?.item).toEqual(r.item);
    const byId = responseToRecordOf(
      { ...r, questionnaire: `Questionnaire/${questionnaireId}` },
      { userId: practitionerId, personId: null },
    );
    expect(byId.questionnaire).toEqual({ questionnaireId });
  });

  it('takes the UK day of a date and time', () => {
    const r: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      questionnaire: `${phq9.url}`,
      subject: { reference: `Patient/${personId}` },
      authored: '2026-06-30T23:30:00Z',
    };
    expect(responseToRecordOf(r, { userId: practitionerId, personId: null }).input.authoredOn).toBe(
      '2026-07-01',
    );
  });

  it.each([
    ['an element not kept', { encounter: { reference: 'Encounter/1' } }, 'QuestionnaireResponse.encounter'],
    ['no subject', { subject: undefined }, 'QuestionnaireResponse.subject'],
    ['a subject not a Patient', { subject: { reference: 'Group/1' } }, 'QuestionnaireResponse.subject'],
    ['a status not completed', { status: 'in-progress' }, 'QuestionnaireResponse.status'],
    ['no questionnaire', { questionnaire: undefined }, 'QuestionnaireResponse.questionnaire'],
    [
      'another author',
      { author: { reference: 'Practitioner/someone-else' } },
      'QuestionnaireResponse.author',
    ],
    ['another source', { source: { reference: 'RelatedPerson/1' } }, 'QuestionnaireResponse.source'],
    ['an authored time without zone', { authored: '2026-03-01T10:00:00' }, 'QuestionnaireResponse.authored'],
  ])('refuses %s, naming the element', (_what, change, element) => {
    const r = { ...questionnaireResponseOf(personId, stored(), true), ...change } as QuestionnaireResponse;
    delete (r as { author?: unknown }).author;
    if ('author' in change) r.author = change.author as QuestionnaireResponse['author'];
    expect(() => responseToRecordOf(r, { userId: practitionerId, personId: null })).toThrowError(
      expect.objectContaining({ status: 422, field: element }),
    );
  });

  it('finds the library version a canonical names, or the newest active one', () => {
    const library = [
      { questionnaireId: 'a', url: 'u', version: 1, status: 'active' as const },
      { questionnaireId: 'b', url: 'u', version: 2, status: 'active' as const },
      { questionnaireId: 'c', url: 'u', version: 3, status: 'retired' as const },
    ];
    expect(questionnaireOfCanonical(library, 'u', '1')).toBe('a');
    expect(questionnaireOfCanonical(library, 'u', null)).toBe('b');
    expect(questionnaireOfCanonical(library, 'u', '9')).toBeNull();
    expect(questionnaireOfCanonical(library, 'other', null)).toBeNull();
  });
});
