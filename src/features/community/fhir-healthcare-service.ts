import type {
  CodeableConcept,
  ContactPoint,
  Extension,
  HealthcareService,
  HealthcareServiceAvailableTime,
  Location,
} from '@medplum/fhirtypes';
import {
  ACCESSIBILITY_FEATURE_LABELS,
  ACCESSIBILITY_FEATURES,
  type AccessibilityFeature,
  COST_KIND_LABELS,
  COST_KINDS,
  type CostKind,
  DAYS,
  type Day,
  NEED_LABELS,
  NEEDS,
  type Need,
  RESOURCE_KIND_LABELS,
  RESOURCE_KINDS,
  type ResourceKind,
  type ResourceStatus,
} from '../../domain/community/vocabulary.js';
import { derivedUuid, isUuid, parseReference } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import { NEED_SYSTEM, SUPPORT_KIND_SYSTEM } from '../../domain/interop/service-request.js';
import { whatmattersCodeSystem, whatmattersExtension } from '../../domain/interop/uk-core.js';
import { elementRules, type FhirContext } from '../../interop/fhir/handler.js';
import { listedResources } from '../../interop/fhir/listed-resources.js';
import { OUTCOME_DOMAIN_SYSTEM } from '../outcomes/fhir-goal.js';
import type { CommunityResource, CommunityResourceInput } from './schema.js';
import type { PublicCommunityResource } from './search-schema.js';

/**
 * HealthcareService: an entry of the community resource directory (issue 14), read-only here (the
 * directory's pages, its API and its CSV / Open Referral UK exchange add and change entries), and
 * restored by bulk import (interop/fhir/import-healthcare-services.ts, through `entryOf` below).
 * Referrals name an entry as `HealthcareService/{resource id}` (fhir-service-request.ts).
 * R4: https://hl7.org/fhir/R4/healthcareservice.html. Each element holds:
 *
 * - id the entry's uuid; meta.versionId its version; meta.lastUpdated when it last changed.
 * - active: running (false once closed: closed entries are kept for the referrals that name them).
 * - providedBy: the organisation that runs it, `Organization/{organisation id}` as
 *   directory/fhir-organization.ts writes it.
 * - category: the kind of support, in our code system (the same one referrals use for it).
 * - characteristic: the needs it helps with, the outcome domains, and the accessibility features,
 *   each in its own code system; the accessibility note as a characteristic in words only.
 *   `characteristic` ("collection of characteristics (attributes)", example binding) rather than
 *   `specialty`: R4 binds specialty to clinical practice settings (c80-practice-codes), which
 *   "feeling lonely" or "step-free access" are not.
 * - name, comment (the one-line summary), extraDetails (what they offer).
 * - availableTime: one per weekly session (FHIR's days-of-week codes are ours: mon…sun);
 *   availabilityExceptions: the schedule note.
 * - eligibility: who can use it, in words; the ages as our age-range extension (a Range in years,
 *   UCUM `a`), since R4 eligibility holds a code and a comment only.
 * - serviceProvisionCode: what it costs, as HL7 service-provision-conditions (free, cost) and our
 *   exact kind beside it (a donation or low cost is not told apart by HL7's three codes).
 * - referralMethod: how to refer or self-refer, in words.
 * - telecom: phone, email and website (`url`).
 * - location: contained Locations (R4 HealthcareService has no address): `#place` with the address
 *   and postcode, `#online` (HL7 location-physical-type `vi`, virtual) when it takes place online.
 * - Extensions (our StructureDefinition URLs), where no element fits: cost note, self-referral,
 *   capacity, accepting referrals, review due, last reviewed, and who keeps it up to date (a
 *   Practitioner, shown only to those who maintain the entry, as the directory's pages do).
 */

export const COST_KIND_SYSTEM = whatmattersCodeSystem('community-cost-kind');
export const ACCESSIBILITY_SYSTEM = whatmattersCodeSystem('community-accessibility');
/** https://hl7.org/fhir/R4/codesystem-service-provision-conditions.html */
export const SERVICE_PROVISION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/service-provision-conditions';
/** https://hl7.org/fhir/R4/codesystem-location-physical-type.html (`vi`: virtual). */
export const LOCATION_PHYSICAL_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
/** UCUM, for ages in years (`a`): https://ucum.org */
const UCUM = 'http://unitsofmeasure.org';

export const AGE_RANGE_EXTENSION = whatmattersExtension('community-age-range');
export const COST_NOTE_EXTENSION = whatmattersExtension('community-cost-note');
export const SELF_REFERRAL_EXTENSION = whatmattersExtension('community-self-referral');
export const CAPACITY_EXTENSION = whatmattersExtension('community-capacity');
export const ACCEPTING_REFERRALS_EXTENSION = whatmattersExtension('community-accepting-referrals');
export const REVIEW_DUE_EXTENSION = whatmattersExtension('community-review-due');
export const LAST_REVIEWED_EXTENSION = whatmattersExtension('community-last-reviewed');
export const MAINTAINER_EXTENSION = whatmattersExtension('community-maintainer');

type ProvisionCode = 'free' | 'disc' | 'cost';
const PROVISION_DISPLAYS: Record<ProvisionCode, string> = {
  free: 'Free',
  disc: 'Discounts Available',
  cost: 'Fees apply',
};
/**
 * Our cost kinds as HL7's: a donation is asked, not charged, so taking part is free; low cost and
 * paid both charge a fee. `disc` (discounts available) is no kind of ours; read back as low cost.
 */
const PROVISION_OF_COST: Record<CostKind, ProvisionCode> = {
  free: 'free',
  donation: 'free',
  'low-cost': 'cost',
  paid: 'cost',
};
const COST_OF_PROVISION: Record<ProvisionCode, CostKind> = { free: 'free', disc: 'low-cost', cost: 'paid' };

const PLACE = 'place';
const ONLINE = 'online';

/** An entry as the caller may read it: who keeps it only for those who maintain it. */
export type ReadableEntry = PublicCommunityResource &
  Partial<Pick<CommunityResource, 'maintainerUserId' | 'maintainerName'>>;

const coded = (system: string, code: string, display: string): CodeableConcept => ({
  coding: [{ system, code, display }],
  text: display,
});

const time = (hhmm: string) => `${hhmm}:00`;

function locationsOf(e: ReadableEntry): Location[] {
  const out: Location[] = [];
  if (e.address || e.postcode) {
    const lines = (e.address ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    out.push({
      resourceType: 'Location',
      id: PLACE,
      name: e.name,
      mode: 'instance',
      address: {
        use: 'work',
        type: 'physical',
        ...(lines.length ? { line: lines } : {}),
        ...(e.postcode ? { postalCode: e.postcode } : {}),
      },
    });
  }
  if (e.online) {
    out.push({
      resourceType: 'Location',
      id: ONLINE,
      name: 'Online',
      mode: 'kind',
      physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'vi', display: 'Virtual' }] },
    });
  }
  return out;
}

function extensionsOf(e: ReadableEntry): Extension[] {
  const ext: Extension[] = [];
  if (e.minAge !== null || e.maxAge !== null) {
    const age = (value: number) => ({ value, unit: 'years', system: UCUM, code: 'a' });
    ext.push({
      url: AGE_RANGE_EXTENSION,
      valueRange: {
        ...(e.minAge !== null ? { low: age(e.minAge) } : {}),
        ...(e.maxAge !== null ? { high: age(e.maxAge) } : {}),
      },
    });
  }
  if (e.costNote) ext.push({ url: COST_NOTE_EXTENSION, valueString: e.costNote });
  ext.push({ url: SELF_REFERRAL_EXTENSION, valueBoolean: e.selfReferral });
  if (e.capacity !== null) ext.push({ url: CAPACITY_EXTENSION, valueUnsignedInt: e.capacity });
  ext.push({ url: ACCEPTING_REFERRALS_EXTENSION, valueBoolean: e.acceptingReferrals });
  ext.push({ url: REVIEW_DUE_EXTENSION, valueDate: e.reviewDue });
  if (e.lastReviewedAt) ext.push({ url: LAST_REVIEWED_EXTENSION, valueDateTime: e.lastReviewedAt });
  if (e.maintainerUserId) {
    ext.push({
      url: MAINTAINER_EXTENSION,
      valueReference: {
        reference: `Practitioner/${e.maintainerUserId}`,
        ...(e.maintainerName ? { display: e.maintainerName } : {}),
      },
    });
  }
  return ext;
}

/** A directory entry as an R4 HealthcareService. */
export function healthcareServiceOf(e: ReadableEntry): HealthcareService {
  const telecom: ContactPoint[] = [
    ...(e.phone ? [{ system: 'phone' as const, value: e.phone, use: 'work' as const }] : []),
    ...(e.email ? [{ system: 'email' as const, value: e.email, use: 'work' as const }] : []),
    ...(e.website ? [{ system: 'url' as const, value: e.website }] : []),
  ];
  const contained = locationsOf(e);
  const characteristic: CodeableConcept[] = [
    ...e.needs.map((n) => coded(NEED_SYSTEM, n, NEED_LABELS[n])),
    ...e.domainCodes.map((c) => ({ coding: [{ system: OUTCOME_DOMAIN_SYSTEM, code: c }] })),
    ...e.accessibility.map((a) => coded(ACCESSIBILITY_SYSTEM, a, ACCESSIBILITY_FEATURE_LABELS[a])),
    ...(e.accessibilityNote ? [{ text: e.accessibilityNote }] : []),
  ];
  const availableTime: HealthcareServiceAvailableTime[] = e.sessions.map((s) => ({
    daysOfWeek: [s.day],
    availableStartTime: time(s.start),
    availableEndTime: time(s.end),
  }));
  const provision = PROVISION_OF_COST[e.costKind];
  return {
    resourceType: 'HealthcareService',
    id: e.resourceId,
    meta: { versionId: String(e.version), lastUpdated: e.updatedAt },
    ...(contained.length ? { contained } : {}),
    extension: extensionsOf(e),
    active: e.status === 'active',
    providedBy: { reference: `Organization/${e.organisationId}`, display: e.organisationName },
    category: [coded(SUPPORT_KIND_SYSTEM, e.kind, RESOURCE_KIND_LABELS[e.kind])],
    ...(contained.length ? { location: contained.map((l) => ({ reference: `#${l.id}` })) } : {}),
    name: e.name,
    comment: e.summary,
    ...(e.description ? { extraDetails: e.description } : {}),
    ...(telecom.length ? { telecom } : {}),
    ...(e.eligibility ? { eligibility: [{ comment: e.eligibility }] } : {}),
    serviceProvisionCode: [
      {
        coding: [
          { system: SERVICE_PROVISION_SYSTEM, code: provision, display: PROVISION_DISPLAYS[provision] },
          { system: COST_KIND_SYSTEM, code: e.costKind, display: COST_KIND_LABELS[e.costKind] },
        ],
        text: COST_KIND_LABELS[e.costKind],
      },
    ],
    ...(characteristic.length ? { characteristic } : {}),
    ...(e.howToRefer ? { referralMethod: [{ text: e.howToRefer }] } : {}),
    ...(availableTime.length ? { availableTime } : {}),
    ...(e.scheduleNote ? { availabilityExceptions: e.scheduleNote } : {}),
  };
}

// Reading one back (bulk import) ------------------------------------------------------------------

/** The element of a HealthcareService each field of the directory's contract comes from, to name in refusals. */
export const ELEMENT_OF_FIELD: Record<keyof CommunityResourceInput, string> = {
  name: 'name',
  kind: 'category',
  summary: 'comment',
  description: 'extraDetails',
  needs: 'characteristic',
  domainCodes: 'characteristic',
  online: 'location',
  address: 'location',
  postcode: 'location',
  sessions: 'availableTime',
  scheduleNote: 'availabilityExceptions',
  eligibility: 'eligibility',
  minAge: 'extension',
  maxAge: 'extension',
  costKind: 'serviceProvisionCode',
  costNote: 'extension',
  accessibility: 'characteristic',
  accessibilityNote: 'characteristic',
  selfReferral: 'extension',
  howToRefer: 'referralMethod',
  phone: 'telecom',
  email: 'telecom',
  website: 'telecom',
  capacity: 'extension',
  acceptingReferrals: 'extension',
};

/** The element a contract field's problem names (`sessions.0.start` → `HealthcareService.availableTime`). */
export function elementOfField(field: string): string {
  const top = (field.split('.')[0] ?? field) as keyof CommunityResourceInput;
  return `HealthcareService.${ELEMENT_OF_FIELD[top] ?? top}`;
}

/** An entry as a HealthcareService gives it back: what bulk import restores (through the community service). */
export interface EntryFromFhir {
  /** The id it is kept under: ours as it is, another system's derived from it. */
  resourceId: string;
  /** The source id of the Organization it names (`providedBy`), as the input gives it. */
  organisationSourceId: string;
  /** Not yet checked: the community service checks it as adding an entry does. */
  body: CommunityResourceInput;
  status: ResourceStatus;
  reviewDue: string | null;
  lastReviewedAt: Date | null;
  /** The source id of the Practitioner who keeps it, if it names one. */
  maintainerSourceId: string | null;
}

const KEPT = [
  'resourceType',
  'id',
  'meta',
  'text',
  'contained',
  'extension',
  'active',
  'providedBy',
  'category',
  'location',
  'name',
  'comment',
  'extraDetails',
  'telecom',
  'eligibility',
  'serviceProvisionCode',
  'characteristic',
  'referralMethod',
  'availableTime',
  'availabilityExceptions',
] as const;
const rules = elementRules('HealthcareService', KEPT);

/** The kept id of a HealthcareService's id: ours (a uuid) as it is, another system's derived from it. */
export function importedResourceId(sourceId: string): string {
  return isUuid(sourceId.toLowerCase())
    ? sourceId.toLowerCase()
    : derivedUuid('fhir-import', 'HealthcareService', sourceId);
}

const codesIn = (concepts: readonly CodeableConcept[] | undefined, system: string): string[] =>
  (concepts ?? []).flatMap((c) =>
    (c.coding ?? []).filter((x) => x.system === system).map((x) => x.code ?? ''),
  );

function oneOf<T extends string>(values: readonly T[], code: string, element: string): T {
  if ((values as readonly string[]).includes(code)) return code as T;
  throw rules.bad(`HealthcareService.${element} has the code ${code}, which is not one of ours.`, element);
}

/**
 * A HealthcareService as a directory entry to restore: the reverse of `healthcareServiceOf`. Refuses
 * (422, naming the element) what it cannot keep; the entry's own rules are checked after this, by
 * the community service, as adding one is.
 */
export function entryOf(r: HealthcareService): EntryFromFhir {
  rules.keepOnly(r);
  const ext = (url: string) => r.extension?.find((x) => x.url === url);
  const knownExtensions = new Set([
    AGE_RANGE_EXTENSION,
    COST_NOTE_EXTENSION,
    SELF_REFERRAL_EXTENSION,
    CAPACITY_EXTENSION,
    ACCEPTING_REFERRALS_EXTENSION,
    REVIEW_DUE_EXTENSION,
    LAST_REVIEWED_EXTENSION,
    MAINTAINER_EXTENSION,
  ]);
  for (const x of r.extension ?? []) if (!knownExtensions.has(x.url)) throw rules.unkeptExtension(x.url);

  if (!r.id) throw rules.bad('Give the HealthcareService an id.', 'id');
  const org = r.providedBy?.reference ? parseReference(r.providedBy.reference) : null;
  if (org?.type !== 'Organization')
    throw rules.bad('Give the organisation that runs it: providedBy, an Organization.', 'providedBy');

  const kinds = codesIn(r.category, SUPPORT_KIND_SYSTEM);
  if (kinds.length !== 1)
    throw rules.bad(`Give one kind of support: a category in ${SUPPORT_KIND_SYSTEM}.`, 'category');
  const kind = oneOf<ResourceKind>(RESOURCE_KINDS, kinds[0] as string, 'category');

  const costKind = costKindOf(r);

  const characteristic = r.characteristic ?? [];
  const accessibilityNote = characteristic
    .filter((c) => !c.coding?.length && c.text)
    .map((c) => c.text as string)
    .join('\n');
  const otherSystems = characteristic
    .flatMap((c) => c.coding ?? [])
    .find((c) => ![NEED_SYSTEM, OUTCOME_DOMAIN_SYSTEM, ACCESSIBILITY_SYSTEM].includes(c.system ?? ''));
  if (otherSystems)
    throw rules.bad(
      `HealthcareService.characteristic has a code of ${otherSystems.system ?? 'no system'}: only needs, outcome domains and accessibility features are kept.`,
      'characteristic',
    );

  const { address, postcode, online } = placeOf(r);
  const telecom = (system: ContactPoint['system']) =>
    r.telecom?.find((t) => t.system === system)?.value ?? null;
  const range = ext(AGE_RANGE_EXTENSION)?.valueRange;
  const maintainer = ext(MAINTAINER_EXTENSION)?.valueReference?.reference;
  const maintainerRef = maintainer ? parseReference(maintainer) : null;
  const lastReviewed = ext(LAST_REVIEWED_EXTENSION)?.valueDateTime;

  return {
    resourceId: importedResourceId(r.id),
    organisationSourceId: org.id,
    status: r.active === false ? 'closed' : 'active',
    reviewDue: ext(REVIEW_DUE_EXTENSION)?.valueDate ?? null,
    lastReviewedAt: lastReviewed ? new Date(lastReviewed) : null,
    maintainerSourceId: maintainerRef?.type === 'Practitioner' ? maintainerRef.id : null,
    body: {
      name: r.name ?? '',
      kind,
      summary: r.comment ?? '',
      description: r.extraDetails ?? '',
      needs: codesIn(characteristic, NEED_SYSTEM).map((n) => oneOf<Need>(NEEDS, n, 'characteristic')),
      domainCodes: codesIn(characteristic, OUTCOME_DOMAIN_SYSTEM),
      online,
      address,
      postcode,
      sessions: sessionsOf(r),
      scheduleNote: r.availabilityExceptions ?? '',
      eligibility: (r.eligibility ?? [])
        .map((e) => e.comment ?? e.code?.text ?? '')
        .filter(Boolean)
        .join('\n'),
      minAge: range?.low?.value ?? null,
      maxAge: range?.high?.value ?? null,
      costKind,
      costNote: ext(COST_NOTE_EXTENSION)?.valueString ?? '',
      accessibility: codesIn(characteristic, ACCESSIBILITY_SYSTEM).map((a) =>
        oneOf<AccessibilityFeature>(ACCESSIBILITY_FEATURES, a, 'characteristic'),
      ),
      accessibilityNote,
      // Absent: people are to be referred (the safer reading); said otherwise by our extension.
      selfReferral: ext(SELF_REFERRAL_EXTENSION)?.valueBoolean ?? false,
      howToRefer: (r.referralMethod ?? [])
        .map((m) => m.text ?? m.coding?.[0]?.display ?? '')
        .filter(Boolean)
        .join('\n'),
      phone: telecom('phone'),
      email: telecom('email'),
      website: telecom('url'),
      capacity: ext(CAPACITY_EXTENSION)?.valueUnsignedInt ?? ext(CAPACITY_EXTENSION)?.valueInteger ?? null,
      // Absent: a service published as running takes referrals unless it says it does not.
      acceptingReferrals: ext(ACCEPTING_REFERRALS_EXTENSION)?.valueBoolean ?? true,
    },
  };
}

function costKindOf(r: HealthcareService): CostKind {
  const ours = codesIn(r.serviceProvisionCode, COST_KIND_SYSTEM)[0];
  if (ours !== undefined) return oneOf<CostKind>(COST_KINDS, ours, 'serviceProvisionCode');
  const hl7 = codesIn(r.serviceProvisionCode, SERVICE_PROVISION_SYSTEM)[0];
  if (hl7 === 'free' || hl7 === 'disc' || hl7 === 'cost') return COST_OF_PROVISION[hl7];
  throw rules.bad(
    `Say what it costs: serviceProvisionCode in ${SERVICE_PROVISION_SYSTEM} (free, disc, cost) or ${COST_KIND_SYSTEM}.`,
    'serviceProvisionCode',
  );
}

/** Where it meets, from the contained Locations `location` names. */
function placeOf(r: HealthcareService): { address: string | null; postcode: string | null; online: boolean } {
  let address: string | null = null;
  let postcode: string | null = null;
  let online = false;
  for (const ref of r.location ?? []) {
    const id = ref.reference?.startsWith('#') ? ref.reference.slice(1) : null;
    const loc = id ? r.contained?.find((c) => c.id === id) : undefined;
    if (loc?.resourceType !== 'Location')
      throw rules.bad(
        'HealthcareService.location names a Location that is not contained in it: give the place as a contained Location.',
        'location',
      );
    if (
      (loc.physicalType?.coding ?? []).some(
        (c) => c.system === LOCATION_PHYSICAL_TYPE_SYSTEM && c.code === 'vi',
      )
    ) {
      online = true;
      continue;
    }
    const lines = (loc.address?.line ?? []).map((l) => l.trim()).filter(Boolean);
    if (lines.length) address = lines.join('\n');
    if (loc.address?.postalCode) postcode = loc.address.postalCode;
  }
  return { address, postcode, online };
}

function sessionsOf(r: HealthcareService): CommunityResourceInput['sessions'] {
  return (r.availableTime ?? []).flatMap((t) => {
    if (!t.availableStartTime || !t.availableEndTime || t.allDay)
      throw rules.bad(
        'Each availableTime needs a start and an end time (all-day opening is not kept).',
        'availableTime',
      );
    const start = t.availableStartTime.slice(0, 5);
    const end = t.availableEndTime.slice(0, 5);
    return (t.daysOfWeek ?? []).map((d) => ({ day: oneOf<Day>(DAYS, d, 'availableTime'), start, end }));
  });
}

// Serving it ---------------------------------------------------------------------------------------

const tokens = (concepts: readonly CodeableConcept[] | undefined) =>
  (concepts ?? []).flatMap((c) => (c.coding ?? []).map((x) => ({ system: x.system, code: x.code ?? '' })));

const params: SearchParamDefinition<HealthcareService>[] = [
  {
    name: 'name',
    type: 'string',
    documentation: 'The name, from its start',
    valuesOf: (s) => (s.name ? [s.name] : []),
  },
  {
    name: 'active',
    type: 'token',
    documentation: 'true while it runs; false once closed (shown only to those who keep it)',
    valuesOf: (s) => [{ code: String(s.active ?? true) }],
  },
  {
    name: 'organization',
    type: 'reference',
    documentation: 'The organisation that runs it (Organization/{id})',
    valuesOf: (s) => (s.providedBy?.reference ? [s.providedBy.reference] : []),
  },
  {
    name: 'service-category',
    type: 'token',
    documentation: `The kind of support: ${SUPPORT_KIND_SYSTEM}|{kind}`,
    valuesOf: (s) => tokens(s.category),
  },
  {
    name: 'characteristic',
    type: 'token',
    documentation: `A need (${NEED_SYSTEM}), outcome domain (${OUTCOME_DOMAIN_SYSTEM}) or accessibility feature (${ACCESSIBILITY_SYSTEM})`,
    valuesOf: (s) => tokens(s.characteristic),
  },
];

/**
 * Every entry the caller may read, as the directory's service decides (CommunitySearchService
 * `readable`: listed ones for everyone, and those the caller keeps even when closed or hidden).
 */
async function all(ctx: FhirContext): Promise<HealthcareService[]> {
  return (await ctx.services.communitySearch.readable(ctx.actor)).map(healthcareServiceOf);
}

export const healthcareServiceFhir = listedResources<HealthcareService>({
  type: 'HealthcareService',
  documentation:
    'The community resource directory’s entries (issue 14): the organisation that runs it as providedBy, the kind as category, needs, outcome domains and accessibility as characteristic, weekly sessions as availableTime, cost as serviceProvisionCode, the place as a contained Location. Everyone sees the entries listed for people; staff also those of their organisations. Read-only: the directory pages, API and exchange add and change them.',
  searchParams: params,
  includes: [
    {
      name: 'HealthcareService:organization',
      referencesOf: (s) => (s.providedBy?.reference ? [s.providedBy.reference] : []),
    },
  ],
  all,
});
