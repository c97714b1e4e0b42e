import type { CarePlan } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import type { CarePlanContent } from '../../domain/care-plan.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { carePlanOf, goalReferencesOf, planContentOf } from './fhir-care-plan.js';
import type { PlanVersion } from './schema.js';

const personId = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';
const outcomeId = '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e';
const organisationId = '2d8c5e3a-4b6f-4c7d-8e9f-1a2b3c4d5e6f';
const teamId = '3e9d6f4b-5c7a-4d8e-9f0a-2b3c4d5e6f7a';

const content: CarePlanContent = {
  aboutMe: {
    mostImportant: 'My garden',
    importantPeople: 'My son Ravi',
    communication: '',
    pleaseDo: 'Ring first',
    pleaseDont: '',
  },
  strengths: ['Determined', 'Good with people'],
  goals: [
    {
      id: '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b',
      outcomeId,
      description: 'Get back to the allotment',
      actions: [
        {
          id: '5ab18b6d-7e9c-4fa0-9b2c-4d5e6f7a8b9c',
          what: 'Lift to the allotment on Saturdays',
          who: { kind: 'organisation', name: '', organisationId, teamId },
          when: 'Saturdays',
          status: 'in-progress',
          confidence: 7,
        },
        {
          id: '6bc29c7e-8fad-4ab1-8c3d-5e6f7a8b9cad',
          what: 'Plan the beds',
          who: { kind: 'person', name: 'Asha' },
          status: 'done',
        },
      ],
    },
    {
      id: '7cd3ad8f-9abe-4bc2-9d4e-6f7a8b9cadbe',
      outcomeId: null,
      description: 'Sleep better',
      actions: [
        {
          id: '8de4be9a-abcf-4cd3-8e5f-7a8b9cadbecf',
          what: 'Talk to the GP',
          who: { kind: 'carer', name: 'Ravi' },
          status: 'not-started',
        },
      ],
    },
  ],
  contingency: { triggers: 'Not answering the phone', whatShouldHappen: 'Ravi visits', whoToContact: 'Ravi' },
  review: { plannedDate: '2026-12-01', responsibleName: 'Sam Okoro', responsibleRole: 'Social worker' },
  agreedWith: { name: 'Asha', relationship: 'the person', agreedOn: '2026-06-01' },
};

const version: PlanVersion = {
  version: 3,
  createdAt: '2026-06-01T10:00:00.000Z',
  createdBy: 'Sam Okoro',
  changeSummary: 'Added the allotment',
  plannedReviewDate: '2026-12-01',
  content,
};

describe('CarePlan mapping', () => {
  const plan = carePlanOf(personId, version);

  it('is valid FHIR R4, one version of the person’s plan', () => {
    expectValidFhir(plan);
    expect(plan.id).toBe(personId);
    expect(plan.meta).toEqual({ versionId: '3', lastUpdated: '2026-06-01T10:00:00.000Z' });
    expect(plan.status).toBe('active');
    expect(plan.intent).toBe('plan');
  });

  it('names a goal linked to an outcome by its Goal, and contains the others', () => {
    expect(plan.goal?.[0]?.reference).toBe(`Goal/${personRowId(personId, outcomeId)}`);
    expect(plan.goal?.[1]?.reference).toBe('#7cd3ad8f-9abe-4bc2-9d4e-6f7a8b9cadbe');
    expect(plan.contained?.map((c) => c.id)).toEqual(['7cd3ad8f-9abe-4bc2-9d4e-6f7a8b9cadbe']);
    expect(goalReferencesOf(plan)).toEqual([`Goal/${personRowId(personId, outcomeId)}`]);
  });

  it('maps actions to activities with status, performer and when', () => {
    const [first, second, third] = plan.activity ?? [];
    expect(first?.detail?.status).toBe('in-progress');
    expect(first?.detail?.performer).toEqual([{ reference: `Organization/${organisationId}` }]);
    expect(first?.detail?.scheduledString).toBe('Saturdays');
    expect(second?.detail?.status).toBe('completed');
    expect(second?.detail?.performer).toEqual([{ reference: `Patient/${personId}`, display: 'Asha' }]);
    expect(third?.detail?.goal).toEqual([{ reference: '#7cd3ad8f-9abe-4bc2-9d4e-6f7a8b9cadbe' }]);
  });

  it('reads back the same plan content and change summary', () => {
    expect(planContentOf(personId, plan)).toEqual({ content, changeSummary: 'Added the allotment' });
  });

  it('refuses what it cannot keep, naming the element', () => {
    const refused = (p: CarePlan) => {
      try {
        planContentOf(personId, p);
      } catch (error) {
        return (error as { field?: string }).field;
      }
      return 'accepted';
    };
    expect(refused({ ...plan, period: { start: '2026-01-01' } })).toBe('CarePlan.period');
    expect(refused({ ...plan, status: 'completed' })).toBe('CarePlan.status');
    expect(refused({ ...plan, subject: { reference: 'Patient/9e0f1a2b-3c4d-4b5e-8f6a-7b8c9d0e1f2a' } })).toBe(
      'CarePlan.subject',
    );
    expect(refused({ ...plan, note: [{ text: 'no section' }] })).toBe('CarePlan.note[0]');
    const otherPersonsGoal = `Goal/${personRowId('9e0f1a2b-3c4d-4b5e-8f6a-7b8c9d0e1f2a', outcomeId)}`;
    expect(refused({ ...plan, goal: [{ reference: otherPersonsGoal, display: 'x' }] })).toBe(
      'CarePlan.goal[0].reference',
    );
    const badStatus = structuredClone(plan);
    if (badStatus.activity?.[0]?.detail) badStatus.activity[0].detail.status = 'on-hold';
    expect(refused(badStatus)).toBe('CarePlan.activity[0].detail.status');
  });
});
