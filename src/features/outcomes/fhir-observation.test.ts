import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { gasFixture, outcomeFixture, personId, staff } from '../../../test/support/fhir-outcome-fixtures.js';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { GAS_SCORE_CODES, LOINC_SYSTEM } from '../../domain/interop/pco.js';
import type { StoredScore } from '../measures/service.js';
import { goalIdOf } from './fhir-goal.js';
import {
  gasObservations,
  INSTRUMENT_SCORE_SYSTEM,
  newObservationOf,
  OUTCOME_RATING_CODE,
  ratingObservations,
  scoreObservation,
  VIEWPOINT_SYSTEM,
} from './fhir-observation.js';

const rating = (viewpoint: 'person' | 'practitioner' | 'carer', ratingId: string) => ({
  ratingId,
  viewpoint,
  score: 3,
  ratedAt: '2026-03-05T10:00:00.000Z',
  note: viewpoint === 'carer' ? 'Better than last month' : '',
  ratedBy: viewpoint === 'carer' ? 'Chris Carer' : 'Sam Practitioner',
  conversationId: null,
  ratedByAccount:
    viewpoint === 'practitioner'
      ? staff
      : { userId: '88888888-8888-4888-8888-888888888888', name: 'x', system: false },
});

const outcome = outcomeFixture({
  ratings: [
    rating('person', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
    rating('practitioner', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'),
    rating('carer', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc'),
  ],
  gas: gasFixture(),
});
const goalRef = `Goal/${goalIdOf(personId, outcome.outcomeId)}`;

const score = (overrides: Partial<StoredScore> = {}): StoredScore => ({
  responseId: '99999999-9999-4999-8999-999999999999',
  questionnaireId: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
  measureKey: 'phq9',
  title: 'PHQ-9',
  scoreKey: 'total',
  instrument: 'phq9',
  value: 12,
  band: 'moderate',
  observedOn: '2026-03-01',
  completedBy: 'person',
  recordedBy: 'Pat Person',
  recordedAt: '2026-03-01T12:00:00.000Z',
  ...overrides,
});

describe('Observation mapping', () => {
  it('maps ratings from each viewpoint, with the viewpoint as category and performer', () => {
    const [person, practitioner, carer] = ratingObservations(personId, outcome);
    for (const o of [person, practitioner, carer]) {
      expectValidFhir(o as Observation);
      expect(o?.code.coding?.[0]).toEqual(OUTCOME_RATING_CODE);
      expect(o?.focus?.[0]?.reference).toBe(goalRef);
      expect(o?.valueInteger).toBe(3);
      expect(o?.meta?.versionId).toBe('1');
    }
    expect(person?.performer?.[0]?.reference).toBe(`Patient/${personId}`);
    expect(practitioner?.performer?.[0]?.reference).toBe(`Practitioner/${staff.userId}`);
    expect(carer?.performer?.[0]).toEqual({ type: 'RelatedPerson', display: 'Chris Carer' });
    expect(carer?.category?.[0]?.coding?.[0]).toMatchObject({ system: VIEWPOINT_SYSTEM, code: 'carer' });
    expect(carer?.note?.[0]?.text).toBe('Better than last month');
    expect(person?.id).toBe(personRowId(personId, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'));
  });

  it('names a system client’s account by display only', () => {
    const [o] = ratingObservations(
      personId,
      outcomeFixture({
        ratings: [
          {
            ...rating('practitioner', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'),
            ratedByAccount: { ...staff, system: true },
          },
        ],
      }),
    );
    expect(o?.performer?.[0]).toEqual({ display: 'Sam Practitioner' });
  });

  it('maps the GAS baseline (112296-9) and attainments (107333-7) with LL6900-6 answers', () => {
    const [baseline, attainment] = gasObservations(personId, outcome);
    expectValidFhir(baseline as Observation);
    expectValidFhir(attainment as Observation);
    expect(baseline?.code.coding?.[0]?.code).toBe('112296-9');
    expect(baseline?.valueCodeableConcept?.coding?.[0]?.code).toBe('LA34484-8');
    expect(attainment?.code.coding?.[0]?.code).toBe('107333-7');
    expect(attainment?.valueCodeableConcept?.coding?.[0]?.code).toBe('LA34481-4');
    expect(attainment?.focus?.[0]?.reference).toBe(goalRef);
    // The baseline has no row of its own: its id is derived, the same every time.
    expect(gasObservations(personId, outcome)[0]?.id).toBe(baseline?.id);
  });

  it('maps a measure’s score with the instrument’s LOINC code, else ours, derived from its response', () => {
    const phq = scoreObservation(personId, score());
    expectValidFhir(phq);
    expect(phq.code.coding?.[0]).toMatchObject({ system: LOINC_SYSTEM, code: '44261-6' });
    expect(phq.valueInteger).toBe(12);
    expect(phq.derivedFrom?.[0]?.reference).toBe(
      `QuestionnaireResponse/${personRowId(personId, '99999999-9999-4999-8999-999999999999')}`,
    );
    const own = scoreObservation(
      personId,
      score({ instrument: 'swemwbs', scoreKey: 'metric', value: 21.54, title: 'SWEMWBS' }),
    );
    expectValidFhir(own);
    expect(own.code.coding?.[0]).toEqual({ system: INSTRUMENT_SCORE_SYSTEM, code: 'swemwbs.metric' });
    expect(own.valueQuantity?.value).toBe(21.54);
  });

  it('reads a new rating and a new GAS score back from what it writes', () => {
    const [, practitioner] = ratingObservations(personId, outcome);
    const { id, meta, effectiveDateTime, interpretation, ...body } = practitioner as Observation;
    expect(newObservationOf(body)).toEqual({
      kind: 'rating',
      personId,
      outcomeId: outcome.outcomeId,
      input: { score: 3 },
      claimed: { viewpoint: 'practitioner', field: 'Observation.performer' },
    });
    const [, attainment] = gasObservations(personId, outcome);
    const { id: _i, meta: _m, effectiveDateTime: _e, category: _c, ...gas } = attainment as Observation;
    expect(newObservationOf(gas)).toEqual({
      kind: 'gas-attainment',
      personId,
      outcomeId: outcome.outcomeId,
      level: 0,
    });
  });

  it('refuses what it cannot record, naming the element', () => {
    const base: Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [OUTCOME_RATING_CODE] },
      subject: { reference: `Patient/${personId}` },
      focus: [{ reference: goalRef }],
      valueInteger: 2,
    };
    const refusal = (o: Observation) => {
      try {
        newObservationOf(o);
      } catch (error) {
        return (error as { field?: string }).field;
      }
      return 'accepted';
    };
    expect(refusal(base)).toBe('accepted');
    expect(refusal({ ...base, status: 'preliminary' })).toBe('Observation.status');
    expect(refusal({ ...base, method: { text: 'x' } })).toBe('Observation.method');
    expect(refusal({ ...base, effectiveDateTime: '2020-01-01T00:00:00Z' })).toBe(
      'Observation.effectiveDateTime',
    );
    expect(
      refusal({
        ...base,
        focus: [
          { reference: `Goal/${personRowId('12121212-1212-4121-8121-121212121212', outcome.outcomeId)}` },
        ],
      }),
    ).toBe('Observation.focus');
    expect(
      refusal({
        ...base,
        performer: [{ reference: 'Patient/x' }],
        category: [{ coding: [{ system: VIEWPOINT_SYSTEM, code: 'carer' }] }],
      }),
    ).toBe('Observation.performer');
    expect(refusal({ ...base, code: { coding: [GAS_SCORE_CODES.patient] } })).toBe('Observation.code');
    expect(refusal({ ...base, code: { coding: [GAS_SCORE_CODES.baseline] } })).toBe('Observation.code');
    expect(refusal({ ...base, code: { coding: [{ system: LOINC_SYSTEM, code: '44261-6' }] } })).toBe(
      'Observation.code',
    );
    const { valueInteger, ...gas } = base;
    expect(
      refusal({
        ...gas,
        code: { coding: [GAS_SCORE_CODES.practitioner] },
        valueCodeableConcept: { coding: [{ system: LOINC_SYSTEM, code: 'LA6111-4' }] },
      }),
    ).toBe('Observation.valueCodeableConcept');
  });
});
