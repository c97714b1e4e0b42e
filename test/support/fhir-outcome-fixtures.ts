import type { Goal } from '@medplum/fhirtypes';
import { PCO_GAS_EXTENSION } from '../../src/domain/interop/pco.js';
import type { RecordedConversationRow } from '../../src/features/outcomes/conversation-service.js';
import { GAS_SCORING_EXTENSION } from '../../src/features/outcomes/fhir-goal.js';
import type { VersionedOutcome } from '../../src/features/outcomes/store.js';

/** A personal outcome as the outcomes service reads it for FHIR, for the Goal and Observation mapping tests. */
export const personId = '11111111-1111-4111-8111-111111111111';
export const domainId = '22222222-2222-4222-8222-222222222222';
export const staff = {
  userId: '33333333-3333-4333-8333-333333333333',
  name: 'Sam Practitioner',
  system: false,
};

export function outcomeFixture(overrides: Partial<VersionedOutcome> = {}): VersionedOutcome {
  return {
    outcomeId: '44444444-4444-4444-8444-444444444444',
    statement: 'I want to get to the allotment twice a week',
    whyItMatters: 'It is where my friends are',
    importance: 8,
    status: 'active',
    addedBy: 'person',
    createdAt: '2026-03-02T10:00:00.000Z',
    framework: {
      frameworkId: '55555555-5555-4555-8555-555555555555',
      name: 'Talking Points',
      version: 1,
      ratingLabels: ['a', 'b', 'c', 'd'],
    },
    domains: [{ domainId, name: 'Social contact', category: 'quality of life' }],
    ratings: [],
    latest: {},
    disagreement: { spread: 0, viewpoints: [], disagree: false },
    distance: [],
    gas: null,
    versionId: 2,
    lastUpdated: '2026-03-03T10:00:00.000Z',
    ...overrides,
  };
}

export const gasFixture = (): NonNullable<VersionedOutcome['gas']> => ({
  goalId: '66666666-6666-4666-8666-666666666666',
  levels: { [-2]: 'Not at all', [-1]: 'Once a month', 0: 'Twice a week', 1: 'Three times', 2: 'Every day' },
  baselineLevel: -2,
  importance: 2,
  difficulty: 3,
  weight: 6,
  currentLevel: 0,
  versionId: 1,
  lastUpdated: '2026-03-04T10:00:00.000Z',
  createdAt: '2026-03-04T10:00:00.000Z',
  createdBy: staff,
  attainments: [
    {
      attainmentId: '77777777-7777-4777-8777-777777777777',
      level: 0,
      recordedAt: '2026-04-01T09:00:00.000Z',
      conversationId: null,
      recordedBy: staff,
    },
  ],
});

const LEVELS = [
  ['LA34479-8', 'Every day'],
  ['LA34480-6', 'Four times a week'],
  ['LA34481-4', 'Twice a week'],
  ['LA34483-0', 'Once a week'],
  ['LA34484-8', 'Not at all'],
] as const;

/** A GAS Goal as a client sends it: five PCO levels, the baseline, the LOINC target. */
export const gasGoal = (who: string): Goal => ({
  resourceType: 'Goal',
  lifecycleStatus: 'active',
  description: { text: 'I want to swim at the leisure centre' },
  subject: { reference: `Patient/${who}` },
  extension: [
    ...LEVELS.map(([code, text]) => ({
      url: PCO_GAS_EXTENSION,
      extension: [
        { url: 'level', valueCoding: { system: 'http://loinc.org', code } },
        { url: 'text', valueString: text },
      ],
    })),
    {
      url: GAS_SCORING_EXTENSION,
      extension: [{ url: 'baseline', valueCoding: { system: 'http://loinc.org', code: 'LA34484-8' } }],
    },
  ],
  target: [{ measure: { coding: [{ system: 'http://loinc.org', code: '107332-9' }] } }],
});

/** The ids a recorded conversation's fixture uses: the person, the practitioner and their organisation. */
export const conversationIds = {
  personId: '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d',
  userId: '5e2d7c1a-8b3f-4c6d-9e0a-1b2c3d4e5f60',
  organisationId: '7a1b2c3d-4e5f-4061-8273-9a8b7c6d5e4f',
};

/** A review as the conversation service reads it for FHIR, for the Encounter mapping and import tests. */
export function conversationFixture(
  overrides: Partial<RecordedConversationRow> = {},
): RecordedConversationRow {
  const { userId, organisationId } = conversationIds;
  return {
    conversationId: '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e',
    kind: 'review',
    heldOn: '2026-02-10',
    summary: 'Talked about getting back to the allotment.',
    whatHelped: 'Her daughter came along.',
    whatGotInTheWay: 'The bus times changed.',
    nextReviewDate: '2026-05-10',
    recordedAt: '2026-02-10T15:30:00.000Z',
    recordedBy: { userId, name: 'Sam Patel', system: false },
    participants: [
      {
        participantId: '2d8c5e3a-4b6f-4c7d-8e9f-0a1b2c3d4e5f',
        kind: 'person',
        name: 'Margaret Hughes',
        role: '',
        userId: null,
        organisationId: null,
        organisationName: null,
      },
      {
        participantId: '3e9d6f4b-5c7a-4d8e-9fa0-1b2c3d4e5f6a',
        kind: 'practitioner',
        name: 'Sam Patel',
        role: 'Social worker',
        userId,
        organisationId,
        organisationName: 'Riverside Council',
      },
    ],
    ...overrides,
  };
}
