import type { Extension, ServiceRequest } from '@medplum/fhirtypes';
import {
  DECLINE_REASON_LABELS,
  DECLINE_REASONS,
  type DeclineReason,
  REFERRAL_STATUS_LABELS,
  REFERRAL_STATUSES,
  type ReferralStatus,
} from '../../domain/community/referrals.js';
import { NEED_LABELS, type Need, RESOURCE_KIND_LABELS } from '../../domain/community/vocabulary.js';
import { isUuid, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import {
  DECLINE_REASON_EXTENSION,
  DECLINE_REASON_SYSTEM,
  kindOfIntent,
  NEED_SYSTEM,
  REFERRAL_STATUS_EXTENSION,
  REFERRAL_STATUS_SYSTEM,
  RESPONDED_AT_EXTENSION,
  RESPONDED_BY_EXTENSION,
  SERVICE_REQUEST_INTENT,
  SERVICE_REQUEST_STATUS,
  SHARE_CONSENT_EXTENSION,
  SOCIAL_PRESCRIBING_CATEGORY,
  STATUS_NOTE_EXTENSION,
  SUPPORT_KIND_SYSTEM,
  statusOfRequest,
} from '../../domain/interop/service-request.js';
import type { Viewpoint } from '../../domain/ratings.js';
import type { FhirContext } from '../../interop/fhir/handler.js';
import { elementRules, wellFormed } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { goalIdOf } from '../outcomes/fhir-goal.js';
import type { AccessGrant } from '../record-access/person-access.js';
import { MakeReferralContract } from './schema.js';
import type { CommunityReferral, ReferralsForFhir } from './service.js';
import type { ReferralAccount } from './store.js';

/**
 * ServiceRequest: each referral or signpost to community support (issue 14; docs/REFERRALS.md,
 * docs/FHIR.md "ServiceRequest"), id = personRowId(person, referral). R4 ServiceRequest
 * (https://hl7.org/fhir/R4/servicerequest.html) as the research suggests (docs/research/
 * issue-14-social-prescribing.md §4.1); no UK Core profile is claimed (its reason codes and source
 * extension bind SNOMED value sets whose members we do not hold).
 *
 * - intent: a referral `order`, a signpost `proposal` (domain/interop/service-request.ts says why).
 * - status: request-status by SERVICE_REQUEST_STATUS, and our status exactly in our extension, so
 *   `sent` and `accepted` (both `active`) come back apart; the decline reason, the note given with
 *   an answer and who gave it when: our extensions (R4 ServiceRequest has no statusReason).
 * - category: social prescribing (our code: the national SNOMED codes are for referrals to the link
 *   worker only); code: the kind of support, in our code system, the resource's name as text.
 * - reasonCode: the needs and concerns (SPIS), one each in our code system (the SPIS refset's
 *   members are not published yet); note: the reason for referral (SPIS free text, ≤150).
 * - supportingInfo: the outcome it is for, as its Goal (Goal mapping's id). Not reasonReference: R4
 *   allows only Condition, Observation, DiagnosticReport and DocumentReference there.
 * - performer: the directory entry as HealthcareService/{resource id}.
 * - requester: by who made it: the person (Patient), a member of staff (Practitioner/{account}), a
 *   carer (a RelatedPerson named by display: the account a carer uses is not one of the circle's
 *   RelatedPerson ids). authoredOn: when it was made.
 * - The agreement to share the person's details: our extension (a yes or no recorded with the
 *   referral, not a Consent to share the record; a supportingInfo would need a resource to point at).
 *
 * Versioned as the referral is (its `version`), last updated when it last moved. Read and search
 * only: referrals are made through the pages and API, with the directory's rules.
 */

export const serviceRequestIdOf = (personId: string, referralId: string) => personRowId(personId, referralId);

/** Who made it, as the requester: the kind of reference says the viewpoint, import reads it back. */
function requesterOf(
  personId: string,
  r: CommunityReferral,
  by: ReferralAccount | undefined,
): NonNullable<ServiceRequest['requester']> {
  const name = by?.name || r.createdBy || '';
  if (r.madeBy === 'person') return { reference: `Patient/${personId}`, ...(name ? { display: name } : {}) };
  if (r.madeBy === 'carer') return { type: 'RelatedPerson', display: name || 'A carer' };
  return by?.staff && !by.system
    ? { reference: `Practitioner/${by.userId}`, ...(name ? { display: name } : {}) }
    : { type: 'Practitioner', display: name || 'A practitioner' };
}

export function serviceRequestOf(
  personId: string,
  r: CommunityReferral,
  accounts: { createdBy?: ReferralAccount; respondedBy?: ReferralAccount },
): ServiceRequest {
  const responder = accounts.respondedBy;
  const extension: Extension[] = [
    {
      url: REFERRAL_STATUS_EXTENSION,
      valueCoding: {
        system: REFERRAL_STATUS_SYSTEM,
        code: r.status,
        display: REFERRAL_STATUS_LABELS[r.status],
      },
    },
    ...(r.declineReason
      ? [
          {
            url: DECLINE_REASON_EXTENSION,
            valueCoding: {
              system: DECLINE_REASON_SYSTEM,
              code: r.declineReason,
              display: DECLINE_REASON_LABELS[r.declineReason],
            },
          },
        ]
      : []),
    ...(r.statusNote.trim() ? [{ url: STATUS_NOTE_EXTENSION, valueString: r.statusNote }] : []),
    // Named only when a member of staff answered: a person's or carer's own account is no Practitioner.
    ...(responder?.staff && !responder.system
      ? [
          {
            url: RESPONDED_BY_EXTENSION,
            valueReference: { reference: `Practitioner/${responder.userId}`, display: responder.name },
          },
        ]
      : []),
    ...(r.respondedAt ? [{ url: RESPONDED_AT_EXTENSION, valueDateTime: r.respondedAt }] : []),
    { url: SHARE_CONSENT_EXTENSION, valueBoolean: r.shareConsent },
  ];
  const kindLabel = RESOURCE_KIND_LABELS[r.resource.kind];
  return {
    resourceType: 'ServiceRequest',
    id: serviceRequestIdOf(personId, r.referralId),
    meta: { versionId: String(r.version), lastUpdated: r.updatedAt },
    extension,
    status: SERVICE_REQUEST_STATUS[r.status],
    intent: SERVICE_REQUEST_INTENT[r.kind],
    category: [{ coding: [{ ...SOCIAL_PRESCRIBING_CATEGORY }] }],
    code: {
      coding: [{ system: SUPPORT_KIND_SYSTEM, code: r.resource.kind, display: kindLabel }],
      text: r.resource.name,
    },
    subject: { reference: `Patient/${personId}` },
    authoredOn: r.createdAt,
    requester: requesterOf(personId, r, accounts.createdBy),
    performer: [{ reference: `HealthcareService/${r.resource.resourceId}`, display: r.resource.name }],
    ...(r.needs.length
      ? {
          reasonCode: r.needs.map((n) => ({
            coding: [{ system: NEED_SYSTEM, code: n, display: NEED_LABELS[n] }],
            text: NEED_LABELS[n],
          })),
        }
      : {}),
    ...(r.outcome
      ? {
          supportingInfo: [
            { reference: `Goal/${goalIdOf(personId, r.outcome.outcomeId)}`, display: r.outcome.statement },
          ],
        }
      : {}),
    ...(r.reason.trim() ? { note: [{ text: r.reason }] } : {}),
  };
}

// ——— the way back: bulk import (interop/fhir/import-referrals.ts) ———

/** A referral to restore, as read from a ServiceRequest: ids as the input names them. */
export interface ReferralToRestore {
  referralId: string;
  /** The directory entry (HealthcareService id): held here or imported in the same run, else skipped. */
  resourceId: string;
  /** The outcome's id as restored (the Goal import's id), or null. */
  outcomeId: string | null;
  kind: CommunityReferral['kind'];
  madeBy: Viewpoint;
  needs: Need[];
  reason: string;
  shareConsent: boolean;
  status: ReferralStatus;
  declineReason: DeclineReason | null;
  statusNote: string;
  /** The Practitioner (id in the input) who made it, when one did. */
  createdBy: string | null;
  respondedBy: string | null;
  respondedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  version: number;
}

const { bad, keepOnly, unkeptExtension } = elementRules('ServiceRequest', [
  'resourceType',
  'id',
  'meta',
  'text',
  'extension',
  'status',
  'intent',
  'category',
  'code',
  'subject',
  'authoredOn',
  'requester',
  'performer',
  'reasonCode',
  'supportingInfo',
  'note',
]);

function instantOf(value: string | undefined, element: string): string | null {
  if (value === undefined) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw bad(`${element} is not a date and time.`, element);
  return new Date(time).toISOString();
}

function madeByOf(
  request: ServiceRequest,
  personId: string,
): { madeBy: Viewpoint; createdBy: string | null } {
  const requester = request.requester;
  if (!requester) return { madeBy: 'practitioner', createdBy: null };
  const ref = requester.reference ? parseReference(requester.reference) : null;
  const type = ref?.type ?? requester.type;
  if (type === 'Patient') {
    if (ref && ref.id !== personId)
      throw bad('A self-referral is made by the person it is about.', 'requester');
    return { madeBy: 'person', createdBy: null };
  }
  if (type === 'RelatedPerson') return { madeBy: 'carer', createdBy: null };
  if (type === 'Practitioner' || type === 'PractitionerRole')
    return { madeBy: 'practitioner', createdBy: type === 'Practitioner' && ref ? ref.id : null };
  throw bad('Who made it is the Patient, a RelatedPerson or a Practitioner.', 'requester');
}

/** The SPIS rules a made referral meets, named by the element they come from. */
const FIELD_ELEMENT: Record<string, string> = {
  resourceId: 'performer',
  kind: 'intent',
  outcomeId: 'supportingInfo',
  needs: 'reasonCode',
  reason: 'note',
  shareConsent: 'extension',
};

/**
 * A ServiceRequest (ours, or another system's naming a HealthcareService) as a referral to restore,
 * checked as making one is (MakeReferral: the reason ≤150, needs from the list, a referral with the
 * person's agreement to share); a 422 naming the element otherwise. The id: ours as it is, another
 * system's derived (importedRowId).
 */
export function referralToRestore(request: ServiceRequest, personId: string): ReferralToRestore {
  return wellFormed('ServiceRequest', () => {
    keepOnly(request);
    const kind = kindOfIntent(request.intent);
    if (!kind) throw bad('A referral is an order, a signpost a proposal.', 'intent');
    const performers = request.performer ?? [];
    const service =
      performers.length === 1 && performers[0]?.reference ? parseReference(performers[0].reference) : null;
    if (service?.type !== 'HealthcareService' || !isUuid(service.id))
      throw bad(
        'Give the support it is to: one reference to a HealthcareService of the directory.',
        'performer',
      );
    let status: ReferralStatus | null = null;
    let declineReason: DeclineReason | null = null;
    let statusNote = '';
    let respondedBy: string | null = null;
    let respondedAt: string | null = null;
    let shareConsent: boolean | null = null;
    for (const x of request.extension ?? []) {
      if (x.url === REFERRAL_STATUS_EXTENSION) {
        const code = x.valueCoding?.system === REFERRAL_STATUS_SYSTEM ? x.valueCoding.code : undefined;
        if (!(REFERRAL_STATUSES as readonly (string | undefined)[]).includes(code))
          throw bad(`The status is one ${REFERRAL_STATUS_SYSTEM} code.`, 'extension');
        status = code as ReferralStatus;
      } else if (x.url === DECLINE_REASON_EXTENSION) {
        const code = x.valueCoding?.system === DECLINE_REASON_SYSTEM ? x.valueCoding.code : undefined;
        if (!(DECLINE_REASONS as readonly (string | undefined)[]).includes(code))
          throw bad(`The decline reason is one ${DECLINE_REASON_SYSTEM} code.`, 'extension');
        declineReason = code as DeclineReason;
      } else if (x.url === STATUS_NOTE_EXTENSION && typeof x.valueString === 'string') {
        statusNote = x.valueString.trim();
      } else if (x.url === RESPONDED_BY_EXTENSION) {
        const ref = x.valueReference?.reference ? parseReference(x.valueReference.reference) : null;
        if (ref?.type !== 'Practitioner') throw bad('Who answered is a Practitioner.', 'extension');
        respondedBy = ref.id;
      } else if (x.url === RESPONDED_AT_EXTENSION) {
        respondedAt = instantOf(x.valueDateTime, 'extension');
      } else if (x.url === SHARE_CONSENT_EXTENSION && typeof x.valueBoolean === 'boolean') {
        shareConsent = x.valueBoolean;
      } else throw unkeptExtension(x.url);
    }
    status ??= statusOfRequest(kind, request.status);
    if (!status) throw bad('A referral is active, revoked or completed.', 'status');
    if (SERVICE_REQUEST_STATUS[status] !== request.status)
      throw bad(`A ${status} referral is ${SERVICE_REQUEST_STATUS[status]}.`, 'status');
    const needs: string[] = [];
    for (const [i, reason] of (request.reasonCode ?? []).entries()) {
      const code = reason.coding?.find((c) => c.system === NEED_SYSTEM)?.code;
      if (!code) throw bad(`Give each need as a ${NEED_SYSTEM} code.`, `reasonCode[${i}]`);
      needs.push(code);
    }
    const goals = (request.supportingInfo ?? []).map((s) =>
      s.reference ? parseReference(s.reference) : null,
    );
    if (goals.length > 1 || goals.some((g) => g?.type !== 'Goal'))
      throw bad('What it is for is one Goal, the outcome.', 'supportingInfo');
    const goal = goals[0];
    const reason = (request.note ?? [])
      .map((n) => n.text ?? '')
      .join(' ')
      .trim();
    const { madeBy, createdBy } = madeByOf(request, personId);
    const lastUpdated = instantOf(request.meta?.lastUpdated, 'meta.lastUpdated');
    const versionId = Number(request.meta?.versionId ?? '1');
    const referral: ReferralToRestore = {
      referralId: importedRowId(
        personId,
        'ServiceRequest',
        request.id ?? `${personId}/${service.id}/${request.authoredOn ?? ''}`,
      ),
      resourceId: service.id,
      outcomeId: goal ? importedRowId(personId, 'Goal', goal.id) : null,
      kind,
      madeBy,
      needs: needs as Need[],
      reason,
      // A signpost passes nothing (as making one records it).
      shareConsent: kind === 'referral' && (shareConsent ?? false),
      status,
      declineReason,
      statusNote,
      createdBy,
      respondedBy,
      respondedAt,
      createdAt: instantOf(request.authoredOn, 'authoredOn'),
      updatedAt: lastUpdated,
      version: Number.isInteger(versionId) && versionId >= 1 ? versionId : 1,
    };
    // Checked as making one is; the directory's own rules (taking referrals now) are not asked of a
    // referral made before, only of new ones.
    const [problem] = MakeReferralContract.problems({
      resourceId: referral.resourceId,
      kind: referral.kind,
      outcomeId: referral.outcomeId,
      needs: referral.needs,
      reason: referral.reason,
      shareConsent: referral.shareConsent,
    });
    if (problem)
      throw bad(
        `${problem.field} ${problem.message}`,
        FIELD_ELEMENT[problem.field.split(/[./]/)[0] ?? ''] ?? 'note',
      );
    if (kind === 'referral' && !referral.shareConsent)
      throw bad(
        'A referral passes the person’s details only with their agreement (the share-consent extension).',
        'extension',
      );
    if (kind === 'signpost' && status !== 'signposted')
      throw bad('A signpost is signposted: nobody at the organisation is asked.', 'extension');
    if (kind === 'referral' && status === 'signposted')
      throw bad('Only a signpost is signposted.', 'extension');
    if (status === 'declined' && !declineReason)
      throw bad('A declined referral gives why (the decline-reason extension).', 'extension');
    if (declineReason && status !== 'declined')
      throw bad('Only a declined referral has a decline reason.', 'extension');
    return referral;
  });
}

// ——— the handler ———

const params: SearchParamDefinition<ServiceRequest>[] = [
  {
    name: 'status',
    type: 'token',
    documentation: 'active, revoked or completed (request-status)',
    valuesOf: (s) => (s.status ? [{ code: s.status }] : []),
  },
  {
    name: 'intent',
    type: 'token',
    documentation: 'order (a referral) or proposal (a signpost)',
    valuesOf: (s) => (s.intent ? [{ code: s.intent }] : []),
  },
  {
    name: 'performer',
    type: 'reference',
    documentation: 'The directory entry it is to (HealthcareService/{id})',
    valuesOf: (s) => (s.performer ?? []).flatMap((p) => (p.reference ? [p.reference] : [])),
  },
];

/** A person's ServiceRequests from their referrals as read for FHIR: the one mapping of both reads. */
function serviceRequestsFrom(personId: string, { referrals, accounts }: ReferralsForFhir): ServiceRequest[] {
  return referrals.map((r) =>
    serviceRequestOf(personId, r, {
      createdBy: accounts.createdBy.get(r.referralId),
      respondedBy: accounts.respondedBy.get(r.referralId),
    }),
  );
}

async function serviceRequestsOf(ctx: FhirContext, personId: string): Promise<ServiceRequest[]> {
  return serviceRequestsFrom(personId, await ctx.services.communityReferrals.forFhir(ctx.actor, personId));
}

/** Bulk export: the grants were checked and audited by the caller (PersonAccess.requireEach). */
async function serviceRequestsOfEach(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, ServiceRequest[]>> {
  const each = await ctx.services.communityReferrals.forFhirOfEach(grants);
  return new Map([...each].map(([personId, read]) => [personId, serviceRequestsFrom(personId, read)]));
}

export const serviceRequestFhir = personResources<ServiceRequest>({
  type: 'ServiceRequest',
  documentation:
    'The person’s referrals (intent order) and signposts (intent proposal) to community support: the directory entry as performer (HealthcareService), the needs as reasonCode, the reason as note, the outcome it is for as supportingInfo (Goal), who made it as requester, and our exact status, decline reason, answer and agreement to share as extensions. Read only.',
  searchParams: params,
  listForPerson: serviceRequestsOf,
  listForPeople: serviceRequestsOfEach,
});
