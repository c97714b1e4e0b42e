import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { derivedUuid, personRowId } from '../../domain/interop/fhir-ids.js';
import { GAS_SCORE_CODES, gasAnswerOf } from '../../domain/interop/pco.js';
import { OUTCOME_RATING_CODE, VIEWPOINT_SYSTEM } from '../../features/outcomes/fhir-observation.js';
import {
  DERIVED_FROM_GOAL,
  DERIVED_FROM_RESPONSE,
  observationNotImportedReason,
  observationToRestore,
} from './import-observations.js';

const PERSON = '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
const OUTCOME = '11111111-2222-4333-8444-555555555555';
const RATING = '66666666-7777-4888-9999-000000000000';

const rating: Observation = {
  resourceType: 'Observation',
  id: personRowId(PERSON, RATING),
  meta: { versionId: '1', lastUpdated: '2025-07-01T09:30:00.000Z' },
  status: 'final',
  category: [{ coding: [{ system: VIEWPOINT_SYSTEM, code: 'carer', display: 'Carer' }] }],
  code: { coding: [OUTCOME_RATING_CODE], text: 'Rating of an outcome' },
  subject: { reference: `Patient/${PERSON}` },
  focus: [{ reference: `Goal/${personRowId(PERSON, OUTCOME)}` }],
  effectiveDateTime: '2025-07-01T09:30:00.000Z',
  performer: [{ type: 'RelatedPerson', display: 'Sam' }],
  valueInteger: 3,
  interpretation: [{ text: 'Some days' }],
  note: [{ text: 'Better since the club' }],
};

const attainment: Observation = {
  resourceType: 'Observation',
  id: 'gas-score-1',
  status: 'final',
  category: [{ coding: [{ system: VIEWPOINT_SYSTEM, code: 'practitioner' }] }],
  code: { coding: [GAS_SCORE_CODES.practitioner] },
  subject: { reference: 'Patient/elsewhere-1' },
  focus: [{ reference: 'Goal/goal-9' }],
  effectiveDateTime: '2025-08-02T10:00:00Z',
  performer: [{ display: 'A practitioner' }],
  valueCodeableConcept: { coding: [gasAnswerOf(1)] },
};

describe('an Observation as a rating or GAS score to restore', () => {
  it('keeps a rating under our own row id, of the Goal’s outcome, with its viewpoint, score, note and time', () => {
    expect(observationNotImportedReason(rating)).toBeNull();
    expect(observationToRestore(rating, PERSON)).toEqual({
      kind: 'rating',
      ratingId: RATING,
      outcomeId: OUTCOME,
      viewpoint: 'carer',
      score: 3,
      note: 'Better since the club',
      ratedAt: '2025-07-01T09:30:00.000Z',
      conversationId: null,
      // A carer's rating: no Practitioner performed it, so none is named as recording it.
      recordedBy: null,
    });
  });

  it('keeps the conversation it was recorded at: ours by its row id, another system’s by a derived one', () => {
    const CONVERSATION = '12121212-3434-4565-8787-909090909090';
    const atOurs = { ...rating, encounter: { reference: `Encounter/${personRowId(PERSON, CONVERSATION)}` } };
    expect(observationToRestore(atOurs, PERSON).conversationId).toBe(CONVERSATION);
    const atTheirs = { ...attainment, encounter: { reference: 'Encounter/visit-4' } };
    expect(observationToRestore(atTheirs, PERSON).conversationId).toBe(
      derivedUuid('fhir-import', 'Encounter', 'visit-4'),
    );
    expect(() =>
      observationToRestore({ ...rating, encounter: { reference: 'Appointment/1' } }, PERSON),
    ).toThrow(expect.objectContaining({ field: 'Observation.encounter' }));
  });

  it('keeps another system’s GAS score under ids derived from its own and its Goal’s', () => {
    expect(observationNotImportedReason(attainment)).toBeNull();
    expect(observationToRestore(attainment, PERSON)).toEqual({
      kind: 'gas-attainment',
      attainmentId: derivedUuid('fhir-import', 'Observation', 'gas-score-1'),
      outcomeId: derivedUuid('fhir-import', 'Goal', 'goal-9'),
      level: 1,
      recordedAt: '2025-08-02T10:00:00.000Z',
      conversationId: null,
      recordedBy: null,
    });
    // A Practitioner performer (as our export names the member of staff) is who recorded it.
    const byStaff = { ...attainment, performer: [{ reference: 'Practitioner/prac-7', display: 'Sam' }] };
    expect(observationToRestore(byStaff, PERSON).recordedBy).toBe('prac-7');
  });

  it('skips what is derived or not kept, with the reason', () => {
    expect(
      observationNotImportedReason({ ...attainment, code: { coding: [GAS_SCORE_CODES.baseline] } }),
    ).toBe(DERIVED_FROM_GOAL);
    expect(
      observationNotImportedReason({
        ...rating,
        code: { coding: [{ system: 'http://loinc.org', code: '44249-1' }] },
        derivedFrom: [{ reference: 'QuestionnaireResponse/x' }],
      }),
    ).toBe(DERIVED_FROM_RESPONSE);
    expect(
      observationNotImportedReason({
        ...rating,
        code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
      }),
    ).toMatch(/not kept by this service/);
  });

  it('refuses what the Observation mapping refuses, naming the element', () => {
    expect(() => observationToRestore({ ...rating, focus: [] }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Observation.focus' }),
    );
    expect(() => observationToRestore({ ...rating, category: undefined }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Observation.category' }),
    );
    expect(() => observationToRestore({ ...rating, valueInteger: undefined }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Observation.valueInteger' }),
    );
    expect(() => observationToRestore({ ...rating, effectiveDateTime: 'soon' }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Observation.effectiveDateTime' }),
    );
    expect(() => observationToRestore({ ...rating, status: 'preliminary' }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Observation.status' }),
    );
  });
});
