import { describe, expect, it } from 'vitest';
import type { FhirResourceLike } from '../../domain/interop/fhir-import.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { serviceRequestOf } from '../../features/community-referrals/fhir-service-request.js';
import { taskOf } from '../../features/community-referrals/fhir-task.js';
import type { CommunityReferral } from '../../features/community-referrals/service.js';
import { communityAccounts, emptyCommunityPlan, planCommunityResource } from './import-referrals.js';

const personId = '0b6f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const referralId = '1c7a2f3b-4d5e-4f6a-9b0c-1d2e3f4a5b6c';
const resourceId = '2d8b3a4c-5e6f-4a7b-8c1d-2e3f4a5b6c7d';
const staffId = '4fad5c6e-7a8b-4c9d-8e3f-4a5b6c7d8e9f';
const recorderId = '5abe6d7f-8b9c-4dae-9f4a-5b6c7d8e9fa0';

const referral: CommunityReferral = {
  referralId,
  personId,
  resource: {
    resourceId,
    name: 'Riverside Walking Group',
    kind: 'walking-group',
    organisationId: '6bcf7e8a-9cad-4ebf-8a5b-6c7d8e9fa0b1',
    organisationName: 'Riverside Ramblers',
    phone: null,
    email: null,
    howToRefer: '',
  },
  kind: 'referral',
  madeBy: 'practitioner',
  needs: ['loneliness-isolation'],
  reason: 'Wants to meet people',
  shareConsent: true,
  outcome: null,
  status: 'accepted',
  declineReason: null,
  statusNote: '',
  respondedBy: null,
  respondedAt: null,
  createdBy: 'Sam Patel',
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-02T09:00:00.000Z',
  version: 2,
  attendance: [],
  actions: [],
};
const request = serviceRequestOf(personId, referral, {
  createdBy: { userId: staffId, name: 'Sam Patel', system: false, staff: true },
});
const task = taskOf(
  personId,
  referral,
  {
    attendanceId: '3e9c4b5d-6f7a-4b8c-9d2e-3f4a5b6c7d8e',
    attendedOn: '2026-03-10',
    outcome: 'attended',
    note: '',
    recordedBy: 'Jo Green',
    recordedAt: '2026-03-10T17:00:00.000Z',
  },
  { userId: recorderId, name: 'Jo Green', system: false, staff: true },
);
const at = (type: string, id = 'x') => ({ type, id, where: 'file line 1' });
const like = (r: object) => r as unknown as FhirResourceLike;

describe('planning a person’s referrals and attendance for import', () => {
  it('adds ours, naming the Practitioners who made and recorded them', () => {
    const plan = emptyCommunityPlan();
    expect(planCommunityResource(plan, like(request), personId, at('ServiceRequest'))).toBeNull();
    expect(planCommunityResource(plan, like(task), personId, at('Task'))).toBeNull();
    expect(plan.referrals.map((r) => r.referral.referralId)).toEqual([referralId]);
    expect(plan.attendance.map((a) => a.attendance.referralId)).toEqual([referralId]);
    expect(communityAccounts(plan)).toEqual([staffId, null, recorderId]);
  });

  it('keeps another system’s ids derived, the Task on the derived referral', () => {
    const plan = emptyCommunityPlan();
    planCommunityResource(plan, like({ ...request, id: 'theirs' }), personId, at('ServiceRequest'));
    planCommunityResource(
      plan,
      like({
        ...task,
        basedOn: [{ reference: 'ServiceRequest/theirs' }],
        focus: { reference: 'ServiceRequest/theirs' },
      }),
      personId,
      at('Task'),
    );
    const derived = importedRowId(personId, 'ServiceRequest', 'theirs');
    expect(plan.referrals[0]?.referral.referralId).toBe(derived);
    expect(plan.attendance[0]?.attendance.referralId).toBe(derived);
  });

  it('skips what its mapping refuses, with the reason and the element', () => {
    const plan = emptyCommunityPlan();
    const skip = planCommunityResource(
      plan,
      like({ ...request, note: [{ text: 'x'.repeat(151) }] }),
      personId,
      at('ServiceRequest', 'long'),
    );
    expect(skip).toMatchObject({ type: 'ServiceRequest', id: 'long', element: 'ServiceRequest.note' });
    expect(skip?.reason).toMatch(/^The ServiceRequest was not imported: /);
    expect(plan.referrals).toEqual([]);
  });
});
