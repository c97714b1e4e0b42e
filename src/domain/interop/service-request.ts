import {
  ATTENDANCE_OUTCOMES,
  type AttendanceOutcome,
  type ReferralKind,
  type ReferralStatus,
} from '../community/referrals.js';
import { whatmattersCodeSystem, whatmattersExtension } from './uk-core.js';

/**
 * The codes and extensions of referrals and signposts as R4 ServiceRequest, and of attendance as R4
 * Task (features/community-referrals/fhir-service-request.ts, fhir-task.ts; docs/FHIR.md). One
 * place, read by the export mappings and the import alike.
 *
 * Sources: ServiceRequest https://hl7.org/fhir/R4/servicerequest.html (status: request-status
 * https://hl7.org/fhir/R4/valueset-request-status.html; intent: request-intent
 * https://hl7.org/fhir/R4/valueset-request-intent.html); Task https://hl7.org/fhir/R4/task.html
 * (task-code `fulfill`: https://hl7.org/fhir/R4/codesystem-task-code.html). The referral statuses,
 * decline reasons and attendance outcomes are not elements of the Social Prescribing Information
 * Standard v1.1 (domain/community/referrals.ts), so they travel in our own code systems.
 */

/** Our statuses exactly, so import restores `sent` and `accepted` apart (both FHIR `active`). */
export const REFERRAL_STATUS_SYSTEM = whatmattersCodeSystem('community-referral-status');
export const REFERRAL_STATUS_EXTENSION = whatmattersExtension('community-referral-status');
export const DECLINE_REASON_SYSTEM = whatmattersCodeSystem('community-referral-decline-reason');
export const DECLINE_REASON_EXTENSION = whatmattersExtension('community-referral-decline-reason');
/** The note given with an answer, a withdrawal or an end (R4 ServiceRequest has no statusReason). */
export const STATUS_NOTE_EXTENSION = whatmattersExtension('community-referral-status-note');
/** Who answered, withdrew or ended it, and when: a Practitioner reference and a dateTime. */
export const RESPONDED_BY_EXTENSION = whatmattersExtension('community-referral-responded-by');
export const RESPONDED_AT_EXTENSION = whatmattersExtension('community-referral-responded-at');
/**
 * The person's agreement that their details go to the organisation (SPIS "consent to share",
 * recorded with the referral): a yes or no on the referral itself, not a basis for sharing the
 * record, so not a Consent resource (those are features/sharing/fhir-consent.ts).
 */
export const SHARE_CONSENT_EXTENSION = whatmattersExtension('community-referral-share-consent');
/** The needs and concerns (SPIS) in our vocabulary (domain/community/vocabulary.ts NEEDS). */
export const NEED_SYSTEM = whatmattersCodeSystem('community-need');
/** The kind of support (domain/community/vocabulary.ts RESOURCE_KINDS). */
export const SUPPORT_KIND_SYSTEM = whatmattersCodeSystem('community-resource-kind');
/**
 * The category of every referral and signpost: social prescribing. The national SNOMED CT codes
 * (domain/community/referrals.ts SOCIAL_PRESCRIBING_CODES) are for a referral to the link worker
 * only, not to a group, so our own code says it.
 */
export const REFERRAL_CATEGORY_SYSTEM = whatmattersCodeSystem('community-referral-category');
export const SOCIAL_PRESCRIBING_CATEGORY = {
  system: REFERRAL_CATEGORY_SYSTEM,
  code: 'social-prescribing',
  display: 'Social prescribing: community support',
} as const;
/** Whether the person came, on Task.businessStatus. */
export const ATTENDANCE_OUTCOME_SYSTEM = whatmattersCodeSystem('community-attendance-outcome');
/** HL7's task-code: the Task fulfils its focus (the ServiceRequest). */
export const TASK_CODE_SYSTEM = 'http://hl7.org/fhir/CodeSystem/task-code';

export type ServiceRequestStatus =
  | 'draft'
  | 'active'
  | 'on-hold'
  | 'revoked'
  | 'completed'
  | 'entered-in-error'
  | 'unknown';

/**
 * Our status as request-status: waiting or accepted are `active` (the request stands); declined
 * or withdrawn are `revoked` (ended before the support was given, no more to be done); ended is
 * `completed`, and so is a signpost (the details were given there and then: nothing more is asked).
 */
export const SERVICE_REQUEST_STATUS: Record<ReferralStatus, ServiceRequestStatus> = {
  sent: 'active',
  accepted: 'active',
  declined: 'revoked',
  withdrawn: 'revoked',
  ended: 'completed',
  signposted: 'completed',
};

/**
 * Our kind as request-intent: a referral is an `order` (the organisation is asked to act, with the
 * person's agreement); a signpost a `proposal`, "a suggestion ... without providing an
 * authorization to act" (request-intent), as the standard says a signpost is not a referral.
 */
export const SERVICE_REQUEST_INTENT: Record<ReferralKind, 'order' | 'proposal'> = {
  referral: 'order',
  signpost: 'proposal',
};

export function kindOfIntent(intent: string | undefined): ReferralKind | null {
  const found = (Object.keys(SERVICE_REQUEST_INTENT) as ReferralKind[]).find(
    (k) => SERVICE_REQUEST_INTENT[k] === intent,
  );
  return found ?? null;
}

/**
 * Our status from another system's ServiceRequest, which carries no status of ours: a standing
 * request is waiting for a reply, a revoked one withdrawn, a completed one ended (a signpost is
 * always signposted). Null for the statuses no referral of ours is in (draft, on-hold, ...).
 */
export function statusOfRequest(kind: ReferralKind, status: string | undefined): ReferralStatus | null {
  if (kind === 'signpost') return status === 'completed' || status === 'active' ? 'signposted' : null;
  if (status === 'active') return 'sent';
  if (status === 'revoked') return 'withdrawn';
  if (status === 'completed') return 'ended';
  return null;
}

/** Attendance as Task: the session happened and was recorded, whether or not the person came. */
export const ATTENDANCE_TASK_STATUS = 'completed';
export function isAttendanceOutcome(code: string | undefined): code is AttendanceOutcome {
  return (ATTENDANCE_OUTCOMES as readonly (string | undefined)[]).includes(code);
}
