import type { Goal } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { PCO_GAS_EXTENSION } from '../../domain/interop/pco.js';
import {
  IMPORTANCE_EXTENSION,
  OUTCOME_DOMAIN_SYSTEM,
  WHY_IT_MATTERS_EXTENSION,
} from '../../features/outcomes/fhir-goal.js';
import { outcomeToRestore } from './import-goals.js';

const PERSON = '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
const ROW = '11111111-2222-4333-8444-555555555555';

const exported: Goal = {
  resourceType: 'Goal',
  id: personRowId(PERSON, ROW),
  meta: { versionId: '3', lastUpdated: '2026-01-02T10:00:00.000Z' },
  extension: [
    { url: WHY_IT_MATTERS_EXTENSION, valueString: 'So I can see my friends' },
    { url: IMPORTANCE_EXTENSION, valueInteger: 4 },
  ],
  lifecycleStatus: 'completed',
  achievementStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'achieved' }],
  },
  category: [
    {
      coding: [
        {
          system: OUTCOME_DOMAIN_SYSTEM,
          code: '9f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b',
          display: 'Social life',
        },
      ],
    },
  ],
  description: { text: 'Go to the lunch club on Tuesdays' },
  subject: { reference: `Patient/${PERSON}` },
  startDate: '2025-06-01',
  expressedBy: { reference: `Patient/${PERSON}` },
};

describe('a Goal as a personal outcome to restore', () => {
  it('keeps our own row id, the words, why it matters, importance, status, who said it and when', () => {
    const skips: string[] = [];
    expect(outcomeToRestore(exported, PERSON, (e) => skips.push(e))).toEqual({
      outcomeId: ROW,
      statement: 'Go to the lunch club on Tuesdays',
      whyItMatters: 'So I can see my friends',
      importance: 4,
      status: 'achieved',
      addedBy: 'person',
      createdAt: '2025-06-01T12:00:00Z',
      domains: [{ id: '9f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b', name: 'Social life' }],
    });
    expect(skips).toEqual([]);
  });

  it('leaves a GAS goal out and says so; refuses what the Goal mapping refuses, naming the element', () => {
    const skips: string[] = [];
    const gas = { ...exported, extension: [{ url: PCO_GAS_EXTENSION, extension: [] }] };
    expect(outcomeToRestore(gas, PERSON, (e) => skips.push(e)).statement).toBe(
      'Go to the lunch club on Tuesdays',
    );
    expect(skips).toEqual(['Goal.extension']);
    expect(() => outcomeToRestore({ ...exported, lifecycleStatus: 'proposed' }, PERSON, () => {})).toThrow(
      expect.objectContaining({ field: 'Goal.lifecycleStatus' }),
    );
    expect(() => outcomeToRestore({ ...exported, description: {} }, PERSON, () => {})).toThrow(
      expect.objectContaining({ field: 'Goal.description.text' }),
    );
  });
});
