import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { conversationFixture, conversationIds } from '../../../test/support/fhir-outcome-fixtures.js';
import { derivedUuid, personRowId } from '../../domain/interop/fhir-ids.js';
import { encounterOf } from '../../features/outcomes/fhir-encounter.js';
import { ServiceError } from '../../services/errors.js';
import { conversationToRestore, isConversationEncounter } from './import-conversations.js';

const { personId, userId, organisationId } = conversationIds;
const conversation = conversationFixture({ whatGotInTheWay: '' });
const encounter = encounterOf(personId, conversation);

/** The refusal `conversationToRestore` throws, as element and message. */
function refusal(e: Encounter): { element: string | undefined; message: string } {
  try {
    conversationToRestore(e, personId);
  } catch (error) {
    if (error instanceof ServiceError) return { element: error.field, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('conversationToRestore', () => {
  it('reads back what the Encounter mapping writes, under the same ids', () => {
    expect(conversationToRestore(encounter, personId)).toEqual({
      conversationId: conversation.conversationId,
      kind: 'review',
      heldOn: '2026-02-10',
      summary: conversation.summary,
      whatHelped: conversation.whatHelped,
      whatGotInTheWay: '',
      nextReviewDate: '2026-05-10',
      recordedAt: '2026-02-10T15:30:00.000Z',
      // Who recorded it, as our recorded-by extension names them.
      recordedBy: userId,
      participants: [
        {
          participantId: '2d8c5e3a-4b6f-4c7d-8e9f-0a1b2c3d4e5f',
          kind: 'person',
          name: 'Margaret Hughes',
          role: '',
          userId: null,
          organisationId: null,
        },
        {
          participantId: '3e9d6f4b-5c7a-4d8e-9fa0-1b2c3d4e5f6a',
          kind: 'practitioner',
          name: 'Sam Patel',
          role: 'Social worker',
          userId,
          organisationId,
        },
      ],
    });
  });

  it('tells our conversations from another system’s Encounters', () => {
    expect(isConversationEncounter(encounter as unknown as Record<string, unknown>)).toBe(true);
    const synthea = {
      resourceType: 'Encounter',
      id: 'e1',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }] }],
    };
    expect(isConversationEncounter(synthea)).toBe(false);
    expect(isConversationEncounter({ resourceType: 'Encounter', type: 'review' })).toBe(false);
  });

  it('derives ids it cannot keep, the same on every run, and takes the UK day of a dateTime', () => {
    const other: Encounter = {
      ...encounter,
      id: 'visit-42',
      period: { start: '2026-06-30T23:30:00Z' },
      participant: encounter.participant?.map(({ id: _id, ...p }) => p),
    };
    const restored = conversationToRestore(other, personId);
    expect(restored.conversationId).toBe(derivedUuid('fhir-import', 'Encounter', 'visit-42'));
    expect(restored.heldOn).toBe('2026-07-01');
    expect(restored.participants[0]?.participantId).toBe(
      derivedUuid('fhir-import', 'Encounter.participant', restored.conversationId, '0'),
    );
    expect(conversationToRestore(other, personId)).toEqual(restored);
    // Another person's id of ours is not this person's row.
    const elsewhere = conversationToRestore(
      { ...encounter, id: personRowId('9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', conversation.conversationId) },
      personId,
    );
    expect(elsewhere.conversationId).not.toBe(conversation.conversationId);
  });

  it('refuses what it cannot keep, naming the element', () => {
    expect(refusal({ ...encounter, reasonCode: [{ text: 'Review' }] }).element).toBe('Encounter.reasonCode');
    expect(refusal({ ...encounter, status: 'planned' }).element).toBe('Encounter.status');
    expect(refusal({ ...encounter, type: [{ text: 'Review' }] }).element).toBe('Encounter.type');
    expect(refusal({ ...encounter, period: {} }).element).toBe('Encounter.period.start');
    expect(
      refusal({ ...encounter, extension: [{ url: 'https://example.org/x', valueString: 'x' }] }).element,
    ).toBe('Encounter.extension');
    const [first] = encounter.participant ?? [];
    expect(refusal({ ...encounter, participant: [{ ...first, individual: {} }] }).element).toBe(
      'Encounter.participant',
    );
    expect(refusal({ ...encounter, participant: [{ ...first, type: [{ text: 'Friend' }] }] }).element).toBe(
      'Encounter.participant[0].type',
    );
    expect(refusal({ ...encounter, participant: [] }).element).toBe('Encounter.participant');
    expect(
      refusal({ ...encounter, participant: 'Sam' as unknown as Encounter['participant'] }).message,
    ).toMatch(/not well-formed/);
  });
});
