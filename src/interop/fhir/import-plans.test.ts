import type { CarePlan } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { emptyCarePlan } from '../../domain/care-plan.js';
import { derivedUuid, personRowId } from '../../domain/interop/fhir-ids.js';
import { carePlanOf } from '../../features/plans/fhir-care-plan.js';
import type { PlanVersion } from '../../features/plans/schema.js';
import { planVersionToRestore } from './import-plans.js';

const PERSON = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';
const OUTCOME = '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e';

const version: PlanVersion = {
  version: 4,
  createdAt: '2026-06-01T10:00:00.000Z',
  createdBy: 'Sam Okoro',
  changeSummary: 'Added the allotment',
  plannedReviewDate: '2020-12-01',
  content: {
    ...emptyCarePlan(),
    aboutMe: { ...emptyCarePlan().aboutMe, mostImportant: 'My garden' },
    strengths: ['Determined'],
    goals: [
      {
        id: '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b',
        outcomeId: OUTCOME,
        description: 'Get back to the allotment',
        actions: [
          {
            id: '6bc29c7e-8fad-4ab1-8c3d-5e6f7a8b9cad',
            what: 'Plan the beds',
            who: { kind: 'person', name: 'Asha' },
            status: 'done',
          },
        ],
      },
    ],
    // A review date long past: history, kept as it was.
    review: { ...emptyCarePlan().review, plannedDate: '2020-12-01' },
  },
};

describe('a CarePlan as a version of the plan to restore', () => {
  it('keeps the version number, its content, change summary and when it was saved', () => {
    expect(planVersionToRestore(carePlanOf(PERSON, version), PERSON)).toEqual({
      version: 4,
      content: version.content,
      changeSummary: 'Added the allotment',
      createdAt: '2026-06-01T10:00:00.000Z',
      savedBy: null,
    });
  });

  it('reads who saved it from the author our export names: a member of staff, never a system client', () => {
    const staff = { userId: '0b6f7a52-3c1d-4e5f-8a9b-0c1d2e3f4a5b', name: 'Sam Okoro', system: false };
    const byStaff = carePlanOf(PERSON, { ...version, createdByAccount: staff });
    expect(byStaff.author).toEqual({ reference: `Practitioner/${staff.userId}`, display: 'Sam Okoro' });
    expect(planVersionToRestore(byStaff, PERSON).savedBy).toBe(staff.userId);
    const bySystem = carePlanOf(PERSON, {
      ...version,
      createdByAccount: { ...staff, name: 'Care records system', system: true },
    });
    expect(bySystem.author).toEqual({ display: version.createdBy });
    expect(planVersionToRestore(bySystem, PERSON).savedBy).toBeNull();
  });

  it('links another system’s Goal ids to the outcomes the import keeps them under', () => {
    const plan = carePlanOf(PERSON, version);
    const foreign: CarePlan = {
      ...plan,
      id: 'plan-elsewhere',
      meta: undefined,
      subject: { reference: 'Patient/elsewhere-7' },
      goal: plan.goal?.map((g) => ({ ...g, reference: 'Goal/goal-elsewhere' })),
      activity: plan.activity?.map((a) => ({
        ...a,
        detail: {
          ...a.detail,
          status: a.detail?.status ?? 'completed',
          goal: [{ ...plan.goal?.[0], reference: 'Goal/goal-elsewhere' }],
        },
      })),
    };
    const restored = planVersionToRestore(foreign, PERSON);
    expect(restored.version).toBe(1);
    expect(restored.createdAt).toBeNull();
    expect(restored.content.goals[0]?.outcomeId).toBe(derivedUuid('fhir-import', 'Goal', 'goal-elsewhere'));
    expect(restored.content.goals[0]?.actions).toEqual(version.content.goals[0]?.actions);
  });

  it('refuses what the CarePlan mapping refuses, and a version that is not a number, naming the element', () => {
    const plan = carePlanOf(PERSON, version);
    expect(() => planVersionToRestore({ ...plan, meta: { versionId: 'x' } }, PERSON)).toThrow(
      expect.objectContaining({ field: 'CarePlan.meta.versionId' }),
    );
    expect(() => planVersionToRestore({ ...plan, status: 'draft' }, PERSON)).toThrow(
      expect.objectContaining({ field: 'CarePlan.status' }),
    );
    expect(() => planVersionToRestore({ ...plan, category: [{ text: 'x' }] } as CarePlan, PERSON)).toThrow(
      expect.objectContaining({ field: 'CarePlan.category' }),
    );
    expect(personRowId(PERSON, OUTCOME)).toBe(plan.goal?.[0]?.reference?.slice('Goal/'.length));
  });
});
