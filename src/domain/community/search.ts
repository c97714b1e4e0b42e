import type { CostKind, Day, Need, ResourceKind } from './vocabulary.js';

/**
 * Searching the community resource directory: pure, so the public page, the JSON API and, later, a
 * person's own view and a link worker's referral all find the same entries in the same order. The
 * service reads the entries people may see (with where each meets) and asks `searchResources`.
 */

/** A point on the earth, in decimal degrees (WGS84, as the ONS Postcode Directory gives them). */
export interface LatLong {
  latitude: number;
  longitude: number;
}

/** The mean radius of the earth in statute miles (6,371.0088 km, IUGG mean radius R1 / 1.609344). */
export const EARTH_RADIUS_MILES = 3958.7613;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * The great-circle distance between two points in miles, by the haversine formula (R. W. Sinnott,
 * "Virtues of the Haversine", Sky and Telescope 68(2), 1984, p. 159):
 *   a = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2);  d = 2R · atan2(√a, √(1−a)).
 * Over the few miles a person travels to a group the sphere is accurate to well under 1%.
 */
export function distanceMiles(from: LatLong, to: LatLong): number {
  const dLat = radians(to.latitude - from.latitude);
  const dLong = radians(to.longitude - from.longitude);
  const a =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(from.latitude)) * Math.cos(radians(to.latitude)) * Math.sin(dLong / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.atan2(Math.sqrt(a), Math.sqrt(Math.max(0, 1 - a)));
}

/** Parts of the day, as people say them when they are free. */
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];
export const TIME_OF_DAY_LABELS: Record<TimeOfDay, string> = {
  morning: 'Morning (before 12 noon)',
  afternoon: 'Afternoon (12 noon to 5pm)',
  evening: 'Evening (after 5pm)',
};

/** Each part of the day as a span of 'HH:MM' times, start included, end excluded ('24:00' is midnight). */
export const TIME_OF_DAY_SPANS: Record<TimeOfDay, { from: string; to: string }> = {
  morning: { from: '00:00', to: '12:00' },
  afternoon: { from: '12:00', to: '17:00' },
  evening: { from: '17:00', to: '24:00' },
};

/** The distances a person may choose to travel, in miles; the API takes any whole number up to the last. */
export const DISTANCE_CHOICES = [1, 2, 5, 10, 25] as const;
export const MAX_DISTANCE_MILES = 100;

export interface SessionTime {
  day: Day;
  start: string;
  end: string;
}

/** What search needs to know of an entry (the contract's names), and where it meets when known. */
export interface SearchableResource {
  name: string;
  kind: ResourceKind;
  summary: string;
  description: string;
  needs: readonly Need[];
  domainCodes: readonly string[];
  online: boolean;
  sessions: readonly SessionTime[];
  costKind: CostKind;
  selfReferral: boolean;
  /** The centre of its postcode's sector; null when it has no postcode or the sector is not known. */
  location: LatLong | null;
}

export interface SearchCriteria {
  need?: Need;
  kind?: ResourceKind;
  domainCode?: string;
  /** Where the person is (their postcode's sector); distances are shown from here. */
  origin?: LatLong | null;
  /** Only entries at most this far from `origin` (online ones match any distance). */
  withinMiles?: number;
  day?: Day;
  timeOfDay?: TimeOfDay;
  /** Words that must each appear in the name, summary or description. */
  words?: string;
  freeOnly?: boolean;
  selfReferralOnly?: boolean;
}

export interface SearchHit<R> {
  resource: R;
  /** Miles from the origin to where it meets; null without an origin or a known place. */
  distanceMiles: number | null;
}

/** The words of a search, lower case, without punctuation; each must be found. */
export function searchWords(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/** Whether a session meets at some time within the part of the day (the two spans overlap). */
export function sessionInTimeOfDay(session: Pick<SessionTime, 'start' | 'end'>, time: TimeOfDay): boolean {
  const span = TIME_OF_DAY_SPANS[time];
  // 'HH:MM' strings compare in time order; spans are half-open, so 10:00–12:00 is a morning only.
  return session.start < span.to && session.end > span.from;
}

/**
 * Whether an entry meets on the day and in the part of the day asked for. An entry with no regular
 * sessions meets by arrangement, so it can fit any day and time: it is kept, and shown as "by
 * arrangement" so the person knows to ask.
 */
export function meetsWhen(sessions: readonly SessionTime[], day?: Day, time?: TimeOfDay): boolean {
  if (!day && !time) return true;
  if (sessions.length === 0) return true;
  return sessions.some((s) => (!day || s.day === day) && (!time || sessionInTimeOfDay(s, time)));
}

function matches<R extends SearchableResource>(
  resource: R,
  criteria: SearchCriteria,
  words: readonly string[],
  distance: number | null,
): boolean {
  if (criteria.need && !resource.needs.includes(criteria.need)) return false;
  if (criteria.kind && resource.kind !== criteria.kind) return false;
  if (criteria.domainCode && !resource.domainCodes.includes(criteria.domainCode)) return false;
  if (criteria.freeOnly && resource.costKind !== 'free') return false;
  if (criteria.selfReferralOnly && !resource.selfReferral) return false;
  if (!meetsWhen(resource.sessions, criteria.day, criteria.timeOfDay)) return false;
  if (criteria.origin && criteria.withinMiles !== undefined && !resource.online) {
    // A place whose sector is unknown cannot be said to be near: it is left out of a distance search.
    if (distance === null || distance > criteria.withinMiles) return false;
  }
  if (words.length) {
    // toLowerCase, not the locale's: the same for English and many times faster over thousands of entries.
    const text = `${resource.name}\n${resource.summary}\n${resource.description}`.toLowerCase();
    if (!words.every((w) => text.includes(w))) return false;
  }
  return true;
}

/**
 * The entries that match every criterion given, nearest first, then by name (entries with no
 * distance — online, or no place known — after those with one). Online entries match any distance:
 * no travel is needed.
 */
export function searchResources<R extends SearchableResource>(
  resources: readonly R[],
  criteria: SearchCriteria,
): SearchHit<R>[] {
  const words = searchWords(criteria.words);
  const origin = criteria.origin ?? null;
  const hits: SearchHit<R>[] = [];
  for (const resource of resources) {
    const distance = origin && resource.location ? distanceMiles(origin, resource.location) : null;
    if (matches(resource, criteria, words, distance)) hits.push({ resource, distanceMiles: distance });
  }
  return hits.sort(
    (a, b) =>
      compareDistance(a.distanceMiles, b.distanceMiles) ||
      NAME_ORDER.compare(a.resource.name, b.resource.name) ||
      (a.resource.name < b.resource.name ? -1 : a.resource.name > b.resource.name ? 1 : 0),
  );
}

/** Names in the order people expect (case and accents folded), built once: a collator per comparison is slow. */
const NAME_ORDER = new Intl.Collator('en-GB');

function compareDistance(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a - b;
}

/** A distance as people read it: 'less than 0.1 miles', '0.4 miles', '1 mile', '12 miles'. */
export function milesText(miles: number): string {
  // Within the same postcode sector the centres coincide: "0 miles" would claim too much.
  if (miles < 0.05) return 'less than 0.1 miles';
  const rounded = miles < 10 ? Math.round(miles * 10) / 10 : Math.round(miles);
  return `${rounded.toLocaleString('en-GB')} ${rounded === 1 ? 'mile' : 'miles'}`;
}
