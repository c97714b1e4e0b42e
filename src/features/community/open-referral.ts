import {
  ACCESSIBILITY_FEATURE_LABELS,
  ACCESSIBILITY_FEATURES,
  type AccessibilityFeature,
  COMMUNITY_LIMITS,
  COST_KIND_LABELS,
  COST_KINDS,
  type CostKind,
  DAY_LABELS,
  DAYS,
  type Day,
  NEED_LABELS,
  RESOURCE_KIND_LABELS,
} from '../../domain/community/vocabulary.js';
import { CommunityFileError, type ImportedEntry, MAX_COMMUNITY_IMPORT_ROWS } from './csv-columns.js';
import type { CommunityResource, CommunityResourceInput, Session } from './schema.js';

/**
 * The directory as Open Referral UK JSON: the Open Referral UK data standard 1.0 (the UK
 * application profile of the Human Services Data Specification 1.1, openreferraluk.org;
 * field names from github.com/OpenReferralUK/human-services, Schemas/service.schema.json and the
 * /services/{id} API response), one service object per entry with its organization,
 * service_at_locations (location, physical_addresses, accessibility_for_disabilities),
 * regular_schedules, eligibilitys, cost_options, contacts (phones) and service_taxonomys.
 *
 * Our kinds of support, needs and outcome domains are taxonomy terms of WhatMatters vocabularies
 * (`whatmatters:kind`, `whatmatters:need`, `whatmatters:outcome-domain`). What the standard has
 * no place for (the one-line summary, taking part online beside a venue, the schedule and access
 * notes, how to refer, self-referral, capacity, whether it takes referrals now, the kind of
 * cost) is carried in a `whatmatters` object on the service, which other readers pass over. A
 * service from elsewhere without it is read from the standard's fields alone (see `fromOpenReferral`).
 */

export const KIND_VOCABULARY = 'whatmatters:kind';
export const NEED_VOCABULARY = 'whatmatters:need';
export const DOMAIN_VOCABULARY = 'whatmatters:outcome-domain';

/** RFC 5545 day codes, as regular_schedule.byday writes them. */
const BYDAY: Record<Day, string> = {
  mon: 'MO',
  tue: 'TU',
  wed: 'WE',
  thu: 'TH',
  fri: 'FR',
  sat: 'SA',
  sun: 'SU',
};

export interface OrukTaxonomy {
  id: string;
  name: string;
  vocabulary: string;
  parent?: string | null;
}

export interface OrukSchedule {
  id: string;
  service_id?: string;
  opens_at: string;
  closes_at: string;
  byday: string;
  freq: string;
  interval: number;
  description: string;
}

export interface OrukLocation {
  id: string;
  name: string;
  description: string;
  physical_addresses: { id: string; address_1: string; city: string; postal_code: string; country: string }[];
  accessibility_for_disabilities: { id: string; accessibility: string }[];
}

/** What the standard has no field for; see the module's comment. */
export interface WhatMattersExtension {
  summary: string;
  online: boolean;
  scheduleNote: string;
  accessibilityNote: string;
  howToRefer: string;
  selfReferral: boolean;
  capacity: number | null;
  acceptingReferrals: boolean;
  costKind: CostKind;
}

export interface OrukService {
  id: string;
  name: string;
  description: string;
  url: string | null;
  email: string | null;
  status: 'active' | 'defunct';
  fees: string;
  assured_date: string | null;
  attending_type: 'Online' | 'Venue';
  attending_access: 'drop-in' | 'referral';
  organization: { id: string; name: string; description: string };
  eligibilitys: { id: string; eligibility: string; minimum_age: number | null; maximum_age: number | null }[];
  cost_options: { id: string; option: string; amount: number | null; amount_description: string }[];
  contacts: { id: string; name: string; phones: { id: string; number: string }[] }[];
  service_at_locations: { id: string; location: OrukLocation }[];
  regular_schedules: OrukSchedule[];
  service_taxonomys: { id: string; taxonomy: OrukTaxonomy }[];
  whatmatters: WhatMattersExtension;
}

const term = (vocabulary: string, code: string, name: string) => ({
  id: `${vocabulary}:${code}`,
  taxonomy: { id: `${vocabulary}:${code}`, name, vocabulary, parent: null },
});

/** One entry as an Open Referral UK service. Sub-record ids are the entry's id and a suffix, so they stay the same. */
export function toOpenReferral(r: CommunityResource): OrukService {
  const id = r.resourceId;
  const lines = r.address ? r.address.split('\n') : [];
  const hasPlace = lines.length > 0 || !!r.postcode;
  const location: OrukLocation | null =
    hasPlace || r.accessibility.length
      ? {
          id: `${id}-location`,
          name: lines[0] ?? (r.online ? 'Online' : (r.postcode ?? '')),
          description: '',
          physical_addresses: hasPlace
            ? [
                {
                  id: `${id}-address`,
                  // The last line is the town; the others are the street lines.
                  address_1: (lines.length > 1 ? lines.slice(0, -1) : lines).join(', '),
                  city: lines.length > 1 ? (lines.at(-1) as string) : '',
                  postal_code: r.postcode ?? '',
                  country: 'GB',
                },
              ]
            : [],
          accessibility_for_disabilities: r.accessibility.map((a) => ({
            id: `${id}-access-${a}`,
            accessibility: ACCESSIBILITY_FEATURE_LABELS[a],
          })),
        }
      : null;
  return {
    id,
    name: r.name,
    description: r.description,
    url: r.website,
    email: r.email,
    status: r.status === 'active' ? 'active' : 'defunct',
    fees: r.costNote,
    assured_date: r.lastReviewedAt ? r.lastReviewedAt.slice(0, 10) : null,
    attending_type: r.online && !hasPlace ? 'Online' : 'Venue',
    attending_access: r.selfReferral ? 'drop-in' : 'referral',
    organization: { id: r.organisationId, name: r.organisationName, description: r.organisationName },
    eligibilitys: [
      { id: `${id}-eligibility`, eligibility: r.eligibility, minimum_age: r.minAge, maximum_age: r.maxAge },
    ],
    cost_options: [
      {
        id: `${id}-cost`,
        option: COST_KIND_LABELS[r.costKind],
        amount: r.costKind === 'free' ? 0 : null,
        amount_description: r.costNote,
      },
    ],
    contacts: r.phone
      ? [{ id: `${id}-contact`, name: 'Enquiries', phones: [{ id: `${id}-phone`, number: r.phone }] }]
      : [],
    service_at_locations: location ? [{ id: `${id}-at-location`, location }] : [],
    regular_schedules: r.sessions.map((s, i) => ({
      id: `${id}-schedule-${i + 1}`,
      service_id: id,
      opens_at: `${s.start}:00`,
      closes_at: `${s.end}:00`,
      byday: BYDAY[s.day],
      freq: 'WEEKLY',
      interval: 1,
      description: `${DAY_LABELS[s.day]} ${s.start} to ${s.end}`,
    })),
    service_taxonomys: [
      term(KIND_VOCABULARY, r.kind, RESOURCE_KIND_LABELS[r.kind]),
      ...r.needs.map((n) => term(NEED_VOCABULARY, n, NEED_LABELS[n])),
      ...r.domainCodes.map((c) => term(DOMAIN_VOCABULARY, c, c)),
    ],
    whatmatters: {
      summary: r.summary,
      online: r.online,
      scheduleNote: r.scheduleNote,
      accessibilityNote: r.accessibilityNote,
      howToRefer: r.howToRefer,
      selfReferral: r.selfReferral,
      capacity: r.capacity,
      acceptingReferrals: r.acceptingReferrals,
      costKind: r.costKind,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const array = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
const orNull = (v: unknown): string | null => str(v) || null;
const intOrNull = (v: unknown): number | null | unknown =>
  v === null || v === undefined || v === '' ? null : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;

/** Where a contract field comes from in a service, for the report. */
export const OPEN_REFERRAL_FIELD: Record<string, string> = {
  name: 'name',
  kind: 'service_taxonomys',
  summary: 'whatmatters.summary',
  description: 'description',
  needs: 'service_taxonomys',
  domainCodes: 'service_taxonomys',
  online: 'attending_type',
  address: 'service_at_locations.location.physical_addresses',
  postcode: 'service_at_locations.location.physical_addresses.postal_code',
  sessions: 'regular_schedules',
  scheduleNote: 'whatmatters.scheduleNote',
  eligibility: 'eligibilitys.eligibility',
  minAge: 'eligibilitys.minimum_age',
  maxAge: 'eligibilitys.maximum_age',
  costKind: 'cost_options',
  costNote: 'fees',
  accessibility: 'service_at_locations.location.accessibility_for_disabilities',
  accessibilityNote: 'whatmatters.accessibilityNote',
  selfReferral: 'attending_access',
  howToRefer: 'whatmatters.howToRefer',
  phone: 'contacts.phones.number',
  email: 'email',
  website: 'url',
  capacity: 'whatmatters.capacity',
  acceptingReferrals: 'whatmatters.acceptingReferrals',
  organisationId: 'organization.id',
  resourceId: 'id',
};

/** The service's property holding a contract field (`sessions.1.end` is in `regular_schedules`). */
export function openReferralFieldOf(field: string): string {
  return OPEN_REFERRAL_FIELD[field.split('.')[0] ?? field] ?? field;
}

const fromByday = (code: string): Day | string =>
  DAYS.find((d) => BYDAY[d] === code.toUpperCase() || d === code.toLowerCase()) ?? code;

/** 'HH:MM:SS' and 'HH:MM' are read as 'HH:MM'. */
const hhmm = (v: unknown) => {
  const t = str(v);
  const match = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(t);
  return match ? `${(match[1] as string).padStart(2, '0')}:${match[2]}` : t;
};

/** A term's code in one of our vocabularies: its id after the vocabulary, else its name matched to a label. */
function termsOf(service: Json, vocabulary: string, labels: Record<string, string>): string[] {
  const codes: string[] = [];
  for (const link of array(service.service_taxonomys)) {
    const t = isObject(link.taxonomy) ? link.taxonomy : link;
    if (str(t.vocabulary) !== vocabulary) continue;
    const id = str(t.id);
    const name = str(t.name);
    const code = id.startsWith(`${vocabulary}:`)
      ? id.slice(vocabulary.length + 1)
      : (Object.keys(labels).find((k) => labels[k]?.toLowerCase() === name.toLowerCase()) ?? (name || id));
    if (code && !codes.includes(code)) codes.push(code);
  }
  return codes;
}

const byLabel = <T extends string>(
  keys: readonly T[],
  labels: Record<T, string>,
  text: string,
): T | undefined => {
  const t = text.trim().toLowerCase();
  return keys.find((k) => k === t || labels[k].toLowerCase() === t);
};

/** The kind of cost: ours when given; else the cost option's words or amount; else "free" when the fees say so. */
function costKindOf(service: Json, extension: Json | null): unknown {
  if (extension && extension.costKind !== undefined) return extension.costKind;
  const option = array(service.cost_options)[0];
  if (option) {
    const named = byLabel(COST_KINDS, COST_KIND_LABELS, str(option.option));
    if (named) return named;
    if (option.amount === 0 || option.amount === '0') return 'free';
    if (typeof option.amount === 'number' && option.amount > 0) return 'paid';
  }
  if (/^\s*free\b/i.test(str(service.fees))) return 'free';
  // Nothing says: left out, so the contract asks for it by name.
  return undefined;
}

/** The first line or sentence of a description, as a summary, for services from elsewhere. */
function summaryOf(description: string, name: string): string {
  const first = description.split(/\r?\n|(?<=\.)\s/)[0]?.trim() || name;
  return first.length > COMMUNITY_LIMITS.summary ? `${first.slice(0, COMMUNITY_LIMITS.summary - 1)}…` : first;
}

/**
 * Reads Open Referral UK JSON: an array of services, or an object with `content` (a page of the
 * /services API) or `services`. Each service becomes an entry to check; its place in the array
 * (from 1) is its row in the report. Values that are not what the contract wants are passed on as
 * given, so the contract names the field.
 */
export function readOpenReferral(content: string): ImportedEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CommunityFileError(`the file is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(json)
    ? json
    : isObject(json) && Array.isArray(json.content)
      ? json.content
      : isObject(json) && Array.isArray(json.services)
        ? json.services
        : isObject(json) && typeof json.name === 'string'
          ? [json]
          : null;
  if (!list) {
    throw new CommunityFileError('the file is not Open Referral UK JSON: expected an array of services');
  }
  if (list.length > MAX_COMMUNITY_IMPORT_ROWS) {
    throw new CommunityFileError(
      `the file has ${list.length} services; at most ${MAX_COMMUNITY_IMPORT_ROWS} are imported at once: split it`,
    );
  }
  return list.map((item, i) => fromOpenReferral(item, i + 1));
}

/** One service as an entry to check. */
export function fromOpenReferral(item: unknown, row: number): ImportedEntry {
  if (!isObject(item)) {
    return {
      row,
      resourceId: null,
      organisationId: null,
      organisationName: null,
      input: {},
      problems: [{ field: 'service', message: 'is not a service object' }],
    };
  }
  const ext = isObject(item.whatmatters) ? item.whatmatters : null;
  const organization = isObject(item.organization) ? item.organization : {};
  const location = array(item.service_at_locations)
    .map((sal) => (isObject(sal.location) ? sal.location : null))
    .find((l) => l !== null);
  const address = location ? array(location.physical_addresses)[0] : undefined;
  const addressLines = address
    ? [...str(address.address_1).split(/,\s*/), str(address.city)].map((l) => l.trim()).filter(Boolean)
    : [];
  const schedules = array(item.regular_schedules).length
    ? array(item.regular_schedules)
    : array(item.service_at_locations).flatMap((sal) => array(sal.regular_schedules));
  const sessions: Session[] = schedules.flatMap((s) =>
    str(s.byday)
      .split(',')
      .map((code) => code.trim())
      .filter(Boolean)
      .map((code) => ({ day: fromByday(code) as Day, start: hhmm(s.opens_at), end: hhmm(s.closes_at) })),
  );
  const accessibilityTexts = location
    ? array(location.accessibility_for_disabilities)
        .map((a) => str(a.accessibility))
        .filter(Boolean)
    : [];
  const accessibility: AccessibilityFeature[] = [];
  const otherAccess: string[] = [];
  for (const text of accessibilityTexts) {
    const feature = byLabel(ACCESSIBILITY_FEATURES, ACCESSIBILITY_FEATURE_LABELS, text);
    if (feature && !accessibility.includes(feature)) accessibility.push(feature);
    else if (!feature) otherAccess.push(text);
  }
  const eligibility = array(item.eligibilitys)[0];
  const phone = array(item.contacts)
    .flatMap((c) => array(c.phones))
    .map((p) => str(p.number))
    .find(Boolean);
  const description = str(item.description);
  const kinds = termsOf(item, KIND_VOCABULARY, RESOURCE_KIND_LABELS);
  const extText = (key: string, fallback: string) => (ext && ext[key] !== undefined ? ext[key] : fallback);
  const accessibilityNote = [str(ext?.accessibilityNote), ...otherAccess].filter(Boolean).join('\n');
  const input: Partial<Record<keyof CommunityResourceInput, unknown>> = {
    name: str(item.name),
    // A service from elsewhere names none of our kinds: it is filed as other support.
    kind: kinds[0] ?? 'other',
    summary: extText('summary', summaryOf(description, str(item.name))),
    description,
    needs: termsOf(item, NEED_VOCABULARY, NEED_LABELS),
    domainCodes: termsOf(item, DOMAIN_VOCABULARY, {}),
    online: ext && ext.online !== undefined ? ext.online : /online/i.test(str(item.attending_type)),
    address: addressLines.join('\n') || null,
    postcode: address ? orNull(address.postal_code) : null,
    sessions,
    scheduleNote: extText(
      'scheduleNote',
      sessions.length
        ? ''
        : schedules
            .map((s) => str(s.description))
            .filter(Boolean)
            .join('\n'),
    ),
    eligibility: eligibility ? str(eligibility.eligibility) : '',
    minAge: eligibility ? intOrNull(eligibility.minimum_age) : null,
    maxAge: eligibility ? intOrNull(eligibility.maximum_age) : null,
    costKind: costKindOf(item, ext),
    costNote: str(item.fees) || str(array(item.cost_options)[0]?.amount_description),
    accessibility,
    accessibilityNote,
    selfReferral:
      ext && ext.selfReferral !== undefined ? ext.selfReferral : str(item.attending_access) === 'drop-in',
    howToRefer: extText('howToRefer', ''),
    phone: phone ?? null,
    email: orNull(item.email),
    website: orNull(item.url),
    capacity: ext && ext.capacity !== undefined ? ext.capacity : null,
    // Listed by its source as running: taken to take referrals unless it says otherwise.
    acceptingReferrals: ext && ext.acceptingReferrals !== undefined ? ext.acceptingReferrals : true,
  };
  if (input.costKind === undefined) delete input.costKind;
  return {
    row,
    resourceId: orNull(item.id),
    organisationId: orNull(organization.id),
    organisationName: orNull(organization.name),
    input,
    problems: [],
  };
}

/** The entries as an Open Referral UK JSON document: an array of services. */
export function writeOpenReferral(resources: readonly CommunityResource[]): string {
  return `${JSON.stringify(resources.map(toOpenReferral), null, 2)}\n`;
}
