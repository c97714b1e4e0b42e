import { describe, expect, it } from 'vitest';
import { conversationFixture, conversationIds } from '../../../test/support/fhir-outcome-fixtures.js';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import {
  CONVERSATION_KIND_SYSTEM,
  CONVERSATION_SUMMARY_EXTENSION,
  NEXT_REVIEW_DATE_EXTENSION,
  PARTICIPANT_KIND_SYSTEM,
  PARTICIPANT_ORGANISATION_EXTENSION,
  WHAT_GOT_IN_THE_WAY_EXTENSION,
  WHAT_HELPED_EXTENSION,
} from '../../domain/interop/encounter.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { RECORDED_BY_EXTENSION } from '../../domain/interop/recorded-by.js';
import { encounterOf } from './fhir-encounter.js';

const { personId, userId, organisationId } = conversationIds;
const conversation = conversationFixture();

describe('Encounter mapping', () => {
  it('is valid R4: finished, ambulatory, the kind exactly in type, the day held, who took part', () => {
    const e = encounterOf(personId, conversation);
    expectValidFhir(e);
    expect(e.id).toBe(personRowId(personId, conversation.conversationId));
    expect(e.meta).toEqual({ versionId: '1', lastUpdated: '2026-02-10T15:30:00.000Z' });
    expect(e.status).toBe('finished');
    expect(e.class.code).toBe('AMB');
    expect(e.type?.[0]?.coding).toEqual([
      { system: CONVERSATION_KIND_SYSTEM, code: 'review', display: 'Review' },
    ]);
    expect(e.subject).toEqual({ reference: `Patient/${personId}` });
    expect(e.period).toEqual({ start: '2026-02-10' });
    expect(e.participant).toEqual([
      {
        id: '2d8c5e3a-4b6f-4c7d-8e9f-0a1b2c3d4e5f',
        type: [{ coding: [{ system: PARTICIPANT_KIND_SYSTEM, code: 'person' }] }],
        individual: { display: 'Margaret Hughes' },
      },
      {
        id: '3e9d6f4b-5c7a-4d8e-9fa0-1b2c3d4e5f6a',
        extension: [
          {
            url: PARTICIPANT_ORGANISATION_EXTENSION,
            valueReference: { reference: `Organization/${organisationId}`, display: 'Riverside Council' },
          },
        ],
        type: [
          { coding: [{ system: PARTICIPANT_KIND_SYSTEM, code: 'practitioner' }] },
          { text: 'Social worker' },
        ],
        individual: { reference: `Practitioner/${userId}`, display: 'Sam Patel' },
      },
    ]);
    expect(e.extension).toEqual([
      { url: CONVERSATION_SUMMARY_EXTENSION, valueString: conversation.summary },
      { url: WHAT_HELPED_EXTENSION, valueString: conversation.whatHelped },
      { url: WHAT_GOT_IN_THE_WAY_EXTENSION, valueString: conversation.whatGotInTheWay },
      { url: NEXT_REVIEW_DATE_EXTENSION, valueDate: '2026-05-10' },
      // Who recorded it (R4 Encounter has no recorder): our extension, the member of staff.
      {
        url: RECORDED_BY_EXTENSION,
        valueReference: { reference: `Practitioner/${userId}`, display: 'Sam Patel' },
      },
    ]);
  });

  it('leaves out what is empty, and stays valid with no one recorded as taking part', () => {
    const e = encounterOf(personId, {
      ...conversation,
      kind: 'first',
      summary: '',
      whatHelped: '',
      whatGotInTheWay: '',
      nextReviewDate: null,
      participants: [],
      // Recorded by a system (an import, an API client): no Practitioner to name.
      recordedBy: { ...conversation.recordedBy, system: true },
    });
    expectValidFhir(e);
    expect(e.extension).toBeUndefined();
    expect(e.participant).toBeUndefined();
    expect(e.type?.[0]?.text).toBe('First conversation');
  });
});
