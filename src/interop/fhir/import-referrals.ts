import type { ServiceRequest, Task } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { todayIso } from '../../domain/calendar.js';
import { countInto, type FhirResourceLike, type ImportReport } from '../../domain/interop/fhir-import.js';
import {
  type ReferralToRestore,
  referralToRestore,
} from '../../features/community-referrals/fhir-service-request.js';
import {
  type AttendanceToRestore,
  attendanceToRestore,
} from '../../features/community-referrals/fhir-task.js';
import {
  type RestoredAttendanceRow,
  type RestoredReferralRow,
  restoreReferrals,
} from '../../features/community-referrals/import-writes.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';

/**
 * Referrals and signposts to community support (ServiceRequest) and their attendance (Task) as
 * rows to restore on bulk import (bulk-import.ts), in the person's one transaction. The mappings
 * both ways are the types' own files (features/community-referrals/fhir-service-request.ts,
 * fhir-task.ts); this file decides what of a person's input is written:
 *
 * - a referral is kept under its id (ours as it is, another system's derived), checked as making one
 *   is (by its mapping); its directory entry (HealthcareService) must be held here, or imported in
 *   the same run before anyone's record, else it is skipped with that reason;
 * - the outcome it is for is the Goal import's id for it: linked when that outcome is held (restored
 *   just before, or held already), else the referral is kept without it and the element reported;
 * - who made and answered it and who recorded attendance: the Practitioner the input names when held
 *   or imported with it, else the import's account (bulk-import.ts resolves it);
 * - attendance needs its referral (in the input or held), a day not before the referral was made nor
 *   after today, and one record a day for a referral (as recording it does);
 * - a row held already is left as it is and counted unchanged: importing twice writes nothing.
 */

export interface CommunityPlan {
  referrals: { referral: ReferralToRestore; id: string; where: string }[];
  attendance: { attendance: AttendanceToRestore; id: string; where: string }[];
}

export const emptyCommunityPlan = (): CommunityPlan => ({ referrals: [], attendance: [] });

type Skip = ImportReport['skipped'][number];

/**
 * Adds one of the person's ServiceRequests or attendance Tasks (isAttendanceTask: bulk-import.ts
 * asks) to their plan: null when added, else the skip to report (its mapping refused it).
 */
export function planCommunityResource(
  plan: CommunityPlan,
  resource: FhirResourceLike,
  personId: string,
  at: { type: string; id: string; where: string },
): Skip | null {
  try {
    if (resource.resourceType === 'ServiceRequest')
      plan.referrals.push({
        referral: referralToRestore(resource as unknown as ServiceRequest, personId),
        ...at,
      });
    else
      plan.attendance.push({ attendance: attendanceToRestore(resource as unknown as Task, personId), ...at });
    return null;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return {
      ...at,
      reason: `The ${at.type} was not imported: ${error.message}`,
      ...(error.field ? { element: error.field } : {}),
    };
  }
}

/** The Practitioners (ids in the input) the plan names: bulk-import.ts resolves them to accounts. */
export function communityAccounts(plan: CommunityPlan): (string | null)[] {
  return [
    ...plan.referrals.flatMap((r) => [r.referral.createdBy, r.referral.respondedBy]),
    ...plan.attendance.map((a) => a.attendance.recordedBy),
  ];
}

/** What is held already for these people and the directory entries the referrals name. */
async function held(trx: Kysely<DB>, personIds: string[], resourceIds: string[], outcomeIds: string[]) {
  const [referrals, attendance, resources, outcomes] = await Promise.all([
    trx
      .selectFrom('community_referral')
      .select(['person_id', 'referral_id', 'created_at'])
      .where('person_id', 'in', personIds)
      .execute(),
    trx
      .selectFrom('community_attendance')
      .select(['person_id', 'attendance_id', 'referral_id', 'attended_on'])
      .where('person_id', 'in', personIds)
      .execute(),
    resourceIds.length
      ? trx
          .selectFrom('community_resource')
          .select('resource_id')
          .where('resource_id', 'in', [...new Set(resourceIds)])
          .execute()
      : [],
    outcomeIds.length
      ? trx
          .selectFrom('personal_outcome')
          .select(['person_id', 'outcome_id'])
          .where('person_id', 'in', personIds)
          .where('outcome_id', 'in', [...new Set(outcomeIds)])
          .execute()
      : [],
  ]);
  const day = (v: string | Date) => (typeof v === 'string' ? v.slice(0, 10) : todayIso(v));
  return {
    /** person/referral → the day it was made. */
    referrals: new Map(
      referrals.map((r) => [`${r.person_id}/${r.referral_id}`, todayIso(new Date(r.created_at))]),
    ),
    attendance: new Set(attendance.map((a) => `${a.person_id}/${a.attendance_id}`)),
    days: new Set(
      attendance.map((a) => `${a.person_id}/${a.referral_id}/${day(a.attended_on as string | Date)}`),
    ),
    resources: new Set(resources.map((r) => r.resource_id)),
    outcomes: new Set(outcomes.map((o) => `${o.person_id}/${o.outcome_id}`)),
  };
}

/** A person of the batch whose record is written (imported or held), with their outcome's counts. */
export interface CommunityOfPerson {
  personId: string;
  community: CommunityPlan;
  outcome: { imported: Record<string, number>; unchanged: Record<string, number>; skips: Skip[] };
}

/**
 * Writes the batch's referrals and attendance (after the outcomes, which a referral may name);
 * returns the people it changed. `accountOf` is the account a Practitioner of the input is here
 * (the import's own when none is named or held).
 */
export async function restoreCommunityReferrals(
  trx: Kysely<DB>,
  people: CommunityOfPerson[],
  accountOf: (practitionerId: string | null) => string,
  /** In a dry run: directory entries it would have added before (not written, so not in the database). */
  entriesToAdd: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const withAny = people.filter((p) => p.community.referrals.length || p.community.attendance.length);
  if (withAny.length === 0) return [];
  const found = await held(
    trx,
    withAny.map((p) => p.personId),
    withAny.flatMap((p) => p.community.referrals.map((r) => r.referral.resourceId)),
    withAny.flatMap((p) =>
      p.community.referrals.flatMap((r) => (r.referral.outcomeId ? [r.referral.outcomeId] : [])),
    ),
  );
  const today = todayIso();
  const referralRows: RestoredReferralRow[] = [];
  const attendanceRows: RestoredAttendanceRow[] = [];
  const changed: string[] = [];
  for (const { personId, community, outcome } of withAny) {
    let wrote = false;
    for (const { referral: r, id, where } of community.referrals) {
      const at = { type: 'ServiceRequest', id, where };
      const key = `${personId}/${r.referralId}`;
      if (found.referrals.has(key)) {
        countInto(outcome.unchanged, 'ServiceRequest');
        continue;
      }
      if (!found.resources.has(r.resourceId) && !entriesToAdd.has(r.resourceId)) {
        outcome.skips.push({
          ...at,
          element: 'ServiceRequest.performer',
          reason: `The ServiceRequest was not imported: HealthcareService/${r.resourceId} is neither held here nor in the input.`,
        });
        continue;
      }
      let outcomeId = r.outcomeId;
      if (outcomeId && !found.outcomes.has(`${personId}/${outcomeId}`)) {
        outcome.skips.push({
          ...at,
          element: 'ServiceRequest.supportingInfo',
          reason: 'The outcome it is for (Goal) is neither in the input nor held here; the rest is imported.',
        });
        outcomeId = null;
      }
      const answered = r.status !== 'sent' && r.status !== 'signposted';
      found.referrals.set(key, (r.createdAt ?? new Date().toISOString()).slice(0, 10));
      referralRows.push({
        personId,
        referralId: r.referralId,
        resourceId: r.resourceId,
        outcomeId,
        kind: r.kind,
        madeBy: r.madeBy,
        needs: r.needs,
        reason: r.reason,
        shareConsent: r.shareConsent,
        status: r.status,
        declineReason: r.declineReason,
        statusNote: r.statusNote,
        respondedByUserId: answered ? accountOf(r.respondedBy) : null,
        respondedAt: answered ? (r.respondedAt ?? r.updatedAt) : null,
        createdByUserId: accountOf(r.createdBy),
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        version: r.version,
      });
      countInto(outcome.imported, 'ServiceRequest');
      wrote = true;
    }
    for (const { attendance: a, id, where } of community.attendance) {
      const at = { type: 'Task', id, where };
      if (found.attendance.has(`${personId}/${a.attendanceId}`)) {
        countInto(outcome.unchanged, 'Task');
        continue;
      }
      const madeOn = found.referrals.get(`${personId}/${a.referralId}`);
      const refuse = (element: string, reason: string) =>
        outcome.skips.push({
          ...at,
          element: `Task.${element}`,
          reason: `The Task was not imported: ${reason}`,
        });
      if (madeOn === undefined) {
        refuse('basedOn', 'the referral it is on (ServiceRequest) is neither imported nor held here.');
        continue;
      }
      if (a.attendedOn > today || a.attendedOn < madeOn) {
        refuse(
          'executionPeriod.start',
          'the day of the session must be on or after the day of the referral, and not in the future.',
        );
        continue;
      }
      const dayKey = `${personId}/${a.referralId}/${a.attendedOn}`;
      if (found.days.has(dayKey)) {
        refuse('executionPeriod.start', 'attendance on that day is already recorded for this referral.');
        continue;
      }
      found.days.add(dayKey);
      found.attendance.add(`${personId}/${a.attendanceId}`);
      attendanceRows.push({
        personId,
        attendanceId: a.attendanceId,
        referralId: a.referralId,
        attendedOn: a.attendedOn,
        outcome: a.outcome,
        note: a.note,
        recordedByUserId: accountOf(a.recordedBy),
        recordedAt: a.recordedAt,
      });
      countInto(outcome.imported, 'Task');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  // A dry run counts a referral to an entry it would have added, but cannot write it (the entry
  // is not there to name), nor the attendance on it; the transaction is rolled back anyway.
  const unwritable = new Set(
    referralRows.filter((r) => entriesToAdd.has(r.resourceId)).map((r) => `${r.personId}/${r.referralId}`),
  );
  await restoreReferrals(
    trx,
    referralRows.filter((r) => !unwritable.has(`${r.personId}/${r.referralId}`)),
    attendanceRows.filter((a) => !unwritable.has(`${a.personId}/${a.referralId}`)),
  );
  return changed;
}
