import type { Goal } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  domainId,
  gasFixture,
  outcomeFixture,
  personId,
} from '../../../test/support/fhir-outcome-fixtures.js';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { todayIso } from '../../domain/calendar.js';
import { OUTCOME_STATUSES } from '../../domain/conversations.js';
import { GAS_LEVELS } from '../../domain/gas.js';
import { FIRST_CREATED_EXTENSION } from '../../domain/interop/first-created.js';
import { GAS_GOAL_MEASURE, GAS_LEVEL_ANSWERS, PCO_GAS_EXTENSION } from '../../domain/interop/pco.js';
import {
  addedByOf,
  GAS_SCORING_EXTENSION,
  GOAL_STATUS_OF,
  goalOf,
  newOutcomeOf,
  OUTCOME_DOMAIN_SYSTEM,
} from './fhir-goal.js';

describe('Goal mapping', () => {
  it('maps an outcome without GAS to a valid Goal in the person’s own words', () => {
    const goal = goalOf(personId, outcomeFixture());
    expectValidFhir(goal);
    expect(goal.description.text).toBe('I want to get to the allotment twice a week');
    expect(goal.subject.reference).toBe(`Patient/${personId}`);
    expect(goal.expressedBy?.reference).toBe(`Patient/${personId}`);
    expect(goal.lifecycleStatus).toBe('active');
    expect(goal.category?.[0]?.coding?.[0]).toMatchObject({ system: OUTCOME_DOMAIN_SYSTEM, code: domainId });
    expect(goal.meta).toEqual({
      versionId: '2',
      lastUpdated: '2026-03-03T10:00:00.000Z',
      // When it was recorded, to the instant (startDate is only the day).
      extension: [{ url: FIRST_CREATED_EXTENSION, valueInstant: outcomeFixture().createdAt }],
    });
    expect(goal.target).toBeUndefined();
  });

  it('says who added it as expressedBy, validly: the person, a member of staff, a carer; reads it back', () => {
    const account = { userId: '7c4d2e1f-3a5b-4c6d-8e9f-0a1b2c3d4e5f', name: 'Ada Lee', system: false };
    const staff = goalOf(personId, outcomeFixture({ addedBy: 'practitioner', addedByAccount: account }));
    expectValidFhir(staff);
    expect(staff.expressedBy).toEqual({ reference: `Practitioner/${account.userId}`, display: 'Ada Lee' });
    expect(addedByOf(staff, personId)).toEqual({ viewpoint: 'practitioner', practitionerId: account.userId });
    const carer = goalOf(
      personId,
      outcomeFixture({ addedBy: 'carer', addedByAccount: { ...account, name: 'Pat' } }),
    );
    expectValidFhir(carer);
    expect(carer.expressedBy).toEqual({ type: 'RelatedPerson', display: 'Pat' });
    expect(addedByOf(carer, personId)).toEqual({ viewpoint: 'carer', practitionerId: null });
    const person = goalOf(personId, outcomeFixture({ addedByAccount: account }));
    expect(addedByOf(person, personId)).toEqual({ viewpoint: 'person', practitionerId: null });
    // A system client's account is no one's: left out, and read back as a practitioner's.
    const system = goalOf(
      personId,
      outcomeFixture({ addedBy: 'practitioner', addedByAccount: { ...account, system: true } }),
    );
    expect(system.expressedBy).toBeUndefined();
    expect(addedByOf(system, personId)).toEqual({ viewpoint: 'practitioner', practitionerId: null });
  });

  it('maps every outcome status, each to a valid lifecycle status', () => {
    for (const status of OUTCOME_STATUSES) {
      const goal = goalOf(personId, outcomeFixture({ status }));
      expectValidFhir(goal);
      expect(goal.lifecycleStatus).toBe(GOAL_STATUS_OF[status].lifecycleStatus);
    }
    expect(
      goalOf(personId, outcomeFixture({ status: 'achieved' })).achievementStatus?.coding?.[0]?.code,
    ).toBe('achieved');
  });

  it('writes a GAS goal as the PCO IG does: five level+text extensions and the target 107332-9 at the expected level', () => {
    const goal = goalOf(personId, outcomeFixture({ gas: gasFixture(), addedBy: 'practitioner' }));
    expectValidFhir(goal);
    const scaling = goal.extension?.filter((e) => e.url === PCO_GAS_EXTENSION) ?? [];
    expect(scaling).toHaveLength(5);
    for (const ext of scaling) {
      expect(ext.extension?.map((p) => p.url)).toEqual(['level', 'text']);
    }
    expect(scaling.map((e) => e.extension?.[0]?.valueCoding?.code)).toEqual(
      [...GAS_LEVELS].reverse().map((l) => GAS_LEVEL_ANSWERS[l].code),
    );
    expect(scaling[4]?.extension?.[1]?.valueString).toBe('Not at all');
    expect(goal.target?.[0]?.measure?.coding?.[0]).toEqual(GAS_GOAL_MEASURE);
    expect(goal.target?.[0]?.detailCodeableConcept?.coding?.[0]?.code).toBe('LA34481-4');
    expect(goal.expressedBy).toBeUndefined();
    // Both rows' versions show: the outcome's 2 and the GAS goal's 1.
    expect(goal.meta).toMatchObject({ versionId: '3', lastUpdated: '2026-03-04T10:00:00.000Z' });
  });

  it('reads a Goal back into the outcome and GAS goal it came from', () => {
    const goal = { ...goalOf(personId, outcomeFixture({ gas: gasFixture() })), startDate: todayIso() };
    const { personId: who, input, gas } = newOutcomeOf(goal, { personId });
    expect(who).toBe(personId);
    expect(input).toEqual({
      statement: 'I want to get to the allotment twice a week',
      whyItMatters: 'It is where my friends are',
      domainIds: [domainId],
      importance: 8,
    });
    expect(gas).toEqual({
      levels: {
        '-2': 'Not at all',
        '-1': 'Once a month',
        '0': 'Twice a week',
        '1': 'Three times',
        '2': 'Every day',
      },
      baselineLevel: -2,
      importance: 2,
      difficulty: 3,
      weight: 6,
    });
  });

  it('refuses what it cannot keep, naming the element', () => {
    const base: Goal = {
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      description: { text: 'Walk the dog' },
      subject: { reference: `Patient/${personId}` },
    };
    const refusal = (goal: Goal, caller = { personId: null as string | null }) => {
      try {
        newOutcomeOf(goal, caller);
      } catch (error) {
        return (error as { field?: string }).field;
      }
      return 'accepted';
    };
    expect(refusal(base)).toBe('accepted');
    expect(refusal({ ...base, priority: { text: 'high' } })).toBe('Goal.priority');
    expect(refusal({ ...base, lifecycleStatus: 'completed' })).toBe('Goal.lifecycleStatus');
    expect(refusal({ ...base, description: { text: ' ' } })).toBe('Goal.description.text');
    expect(refusal({ ...base, subject: { reference: 'Group/1' } })).toBe('Goal.subject');
    expect(refusal({ ...base, startDate: '2001-01-01' })).toBe('Goal.startDate');
    expect(refusal({ ...base, category: [{ coding: [{ system: 'http://example.org', code: 'x' }] }] })).toBe(
      'Goal.category[0]',
    );
    expect(refusal({ ...base, extension: [{ url: 'http://example.org/x', valueString: 'y' }] })).toBe(
      'Goal.extension',
    );
    expect(refusal({ ...base, expressedBy: { reference: `Patient/${personId}` } })).toBe('Goal.expressedBy');
    expect(refusal({ ...base, expressedBy: { reference: `Patient/${personId}` } }, { personId })).toBe(
      'accepted',
    );
    const withGas = goalOf(personId, outcomeFixture({ gas: gasFixture() }));
    const four = { ...base, extension: withGas.extension?.filter((_e, i) => i !== 2) };
    expect(refusal(four)).toBe('Goal.extension');
    const noBaseline = {
      ...base,
      extension: withGas.extension?.filter((e) => e.url !== GAS_SCORING_EXTENSION),
    };
    expect(refusal(noBaseline)).toBe('Goal.extension');
    const badTarget = { ...base, extension: withGas.extension, target: [{ measure: { text: 'weight' } }] };
    expect(refusal(badTarget)).toBe('Goal.target');
  });
});
