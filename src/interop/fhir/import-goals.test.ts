import type { Goal } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import {
  GAS_GOAL_MEASURE,
  GAS_SCORE_CODES,
  gasAnswerOf,
  PCO_GAS_EXTENSION,
} from '../../domain/interop/pco.js';
import {
  GAS_SCORING_EXTENSION,
  IMPORTANCE_EXTENSION,
  OUTCOME_DOMAIN_SYSTEM,
  WHY_IT_MATTERS_EXTENSION,
} from '../../features/outcomes/fhir-goal.js';
import { gasGoalSetTimes, gasGoalSetters, importedGasGoalId, outcomeToRestore } from './import-goals.js';

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
      addedByPractitioner: null,
      createdAt: '2025-06-01T12:00:00Z',
      domains: [{ id: '9f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b', name: 'Social life' }],
      gas: null,
    });
    expect(skips).toEqual([]);
  });

  it('keeps who added it as our export names them: a Practitioner, a carer (RelatedPerson), absent', () => {
    const STAFF = '7c4d2e1f-3a5b-4c6d-8e9f-0a1b2c3d4e5f';
    const by = (expressedBy: Goal['expressedBy']) =>
      outcomeToRestore({ ...exported, expressedBy }, PERSON, () => {});
    const staff = by({ reference: `Practitioner/${STAFF}`, display: 'Ada Lee' });
    expect([staff.addedBy, staff.addedByPractitioner]).toEqual(['practitioner', STAFF]);
    const carer = by({ type: 'RelatedPerson', display: 'Pat Jones' });
    expect([carer.addedBy, carer.addedByPractitioner]).toEqual(['carer', null]);
    const role = by({ reference: 'PractitionerRole/r-1' });
    expect([role.addedBy, role.addedByPractitioner]).toEqual(['practitioner', null]);
    const none = by(undefined);
    expect([none.addedBy, none.addedByPractitioner]).toEqual(['practitioner', null]);
  });

  it('refuses what the Goal mapping refuses, naming the element', () => {
    expect(() => outcomeToRestore({ ...exported, lifecycleStatus: 'proposed' }, PERSON, () => {})).toThrow(
      expect.objectContaining({ field: 'Goal.lifecycleStatus' }),
    );
    expect(() => outcomeToRestore({ ...exported, description: {} }, PERSON, () => {})).toThrow(
      expect.objectContaining({ field: 'Goal.description.text' }),
    );
  });
});

/** The Goal as goalOf writes one with a GAS goal: five scaling extensions, the scoring, the target. */
const LEVEL_TEXTS = {
  [-2]: 'Never goes',
  [-1]: 'Goes once a month',
  0: 'Goes most Tuesdays',
  1: 'Every Tuesday',
  2: 'Helps run it',
};
const withGas = (
  scoring: { url: string; valueCoding?: object; valueInteger?: number; valueDecimal?: number }[],
): Goal => ({
  ...exported,
  extension: [
    ...(exported.extension ?? []),
    ...([2, 1, 0, -1, -2] as const).map((level) => ({
      url: PCO_GAS_EXTENSION,
      extension: [
        { url: 'level', valueCoding: gasAnswerOf(level) },
        { url: 'text', valueString: ` ${LEVEL_TEXTS[level]} ` },
      ],
    })),
    { url: GAS_SCORING_EXTENSION, extension: scoring },
  ],
  target: [{ measure: { coding: [GAS_GOAL_MEASURE] }, detailCodeableConcept: { coding: [gasAnswerOf(0)] } }],
});

describe('a Goal’s GAS goal to restore', () => {
  it('keeps the levels (trimmed), baseline and weighting, under an id derived from the person and outcome', () => {
    const skips: string[] = [];
    const goal = withGas([
      { url: 'baseline', valueCoding: gasAnswerOf(-1) },
      { url: 'importance', valueInteger: 2 },
      { url: 'difficulty', valueInteger: 3 },
      { url: 'weight', valueDecimal: 1.5 },
    ]);
    const restored = outcomeToRestore(goal, PERSON, (e) => skips.push(e), '2025-07-01T09:30:00.000Z');
    expect(skips).toEqual([]);
    expect(restored.statement).toBe('Go to the lunch club on Tuesdays');
    expect(restored.gas).toEqual({
      goalId: importedGasGoalId(PERSON, ROW),
      levels: LEVEL_TEXTS,
      baselineLevel: -1,
      importance: 2,
      difficulty: 3,
      weight: 1.5,
      createdAt: '2025-07-01T09:30:00.000Z',
    });
    // The same every run, and not the outcome's own id.
    expect(importedGasGoalId(PERSON, ROW)).toBe(importedGasGoalId(PERSON, ROW));
    expect(importedGasGoalId(PERSON, ROW)).not.toBe(ROW);
  });

  it('works the weight out as setting a goal does; without its set time, takes the outcome’s start', () => {
    const goal = withGas([
      { url: 'baseline', valueCoding: gasAnswerOf(-2) },
      { url: 'importance', valueInteger: 2 },
      { url: 'difficulty', valueInteger: 3 },
    ]);
    expect(outcomeToRestore(goal, PERSON, () => {}).gas).toMatchObject({
      baselineLevel: -2,
      importance: 2,
      difficulty: 3,
      weight: 6,
      createdAt: '2025-06-01T12:00:00Z',
    });
    const unweighted = withGas([{ url: 'baseline', valueCoding: gasAnswerOf(-1) }]);
    expect(outcomeToRestore(unweighted, PERSON, () => {}).gas).toMatchObject({
      importance: null,
      difficulty: null,
      weight: 1,
    });
  });

  it('leaves out (and reports) a GAS goal the mapping or the checks refuse; the outcome is still imported', () => {
    const cases: [Goal, string][] = [
      [{ ...exported, extension: [{ url: PCO_GAS_EXTENSION, extension: [] }] }, 'Goal.extension'],
      [withGas([{ url: 'baseline', valueCoding: gasAnswerOf(0) }]), 'Goal.extension'],
      [
        withGas([
          { url: 'baseline', valueCoding: gasAnswerOf(-1) },
          { url: 'weight', valueDecimal: 0 },
        ]),
        'Goal.extension',
      ],
      [
        {
          ...withGas([{ url: 'baseline', valueCoding: gasAnswerOf(-1) }]),
          target: [{ measure: { text: 'x' } }],
        },
        'Goal.target',
      ],
    ];
    for (const [goal, element] of cases) {
      const skips: [string, string][] = [];
      const restored = outcomeToRestore(goal, PERSON, (e, reason) => skips.push([e, reason]));
      expect(restored.statement).toBe('Go to the lunch club on Tuesdays');
      expect(restored.gas).toBeNull();
      expect(skips).toEqual([[element, expect.stringMatching(/^The GAS goal was not imported: /)]]);
    }
  });

  it('reads when each GAS goal was set from its baseline Observation (focus Goal → effective time)', () => {
    const baseline = (focus: string, at: string | undefined, code = GAS_SCORE_CODES.baseline) => ({
      resourceType: 'Observation' as const,
      status: 'final' as const,
      code: { coding: [code] },
      focus: [{ reference: `Goal/${focus}` }],
      ...(at ? { effectiveDateTime: at } : {}),
    });
    expect(
      gasGoalSetTimes([
        baseline('goal-a', '2025-07-01T10:30:00+01:00'),
        baseline('goal-b', undefined),
        baseline('goal-c', '2025-07-02T10:00:00Z', GAS_SCORE_CODES.practitioner),
      ]),
    ).toEqual(new Map([['goal-a', '2025-07-01T09:30:00.000Z']]));
    // Who set it: the baseline's Practitioner performer (our export names the member of staff).
    const by = (performer: string) => ({ performer: [{ reference: performer, display: 'Sam' }] });
    expect(
      gasGoalSetters([
        { ...baseline('goal-a', undefined), ...by('Practitioner/prac-1') },
        { ...baseline('goal-b', undefined), ...by('Patient/p-1') },
        { ...baseline('goal-c', undefined, GAS_SCORE_CODES.practitioner), ...by('Practitioner/prac-2') },
      ]),
    ).toEqual(new Map([['goal-a', 'prac-1']]));
  });
});
