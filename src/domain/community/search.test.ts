import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  distanceMiles,
  type LatLong,
  meetsWhen,
  milesText,
  type SearchableResource,
  searchResources,
  searchWords,
  sessionInTimeOfDay,
} from './search.js';
import { DAYS, NEEDS, RESOURCE_KINDS } from './vocabulary.js';

const LONDON: LatLong = { latitude: 51.5074, longitude: -0.1278 };
const MANCHESTER: LatLong = { latitude: 53.4808, longitude: -2.2426 };
const LANDS_END: LatLong = { latitude: 50.0657, longitude: -5.7132 };
const JOHN_O_GROATS: LatLong = { latitude: 58.6373, longitude: -3.0689 };

const resource = (over: Partial<SearchableResource> = {}): SearchableResource => ({
  name: 'Riverside walking group',
  kind: 'walking-group',
  summary: 'A gentle walk by the river',
  description: 'We meet at the café and walk for an hour.',
  needs: ['loneliness-isolation', 'physical-activity'],
  domainCodes: ['connected'],
  online: false,
  sessions: [{ day: 'tue', start: '10:00', end: '11:30' }],
  costKind: 'free',
  selfReferral: true,
  location: { latitude: 53, longitude: -1.5 },
  ...over,
});

describe('distanceMiles (haversine)', () => {
  it('gives known distances between places', () => {
    // One degree of latitude on a sphere of the mean radius: 2πR/360.
    expect(distanceMiles({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo(69.09, 2);
    // London to Manchester is about 163 miles as the crow flies.
    expect(distanceMiles(LONDON, MANCHESTER)).toBeCloseTo(162.8, 1);
    // Land's End to John o' Groats is about 602 miles in a straight line.
    expect(distanceMiles(LANDS_END, JOHN_O_GROATS)).toBeGreaterThan(600);
    expect(distanceMiles(LANDS_END, JOHN_O_GROATS)).toBeLessThan(604);
  });

  const point = fc.record({
    latitude: fc.double({ min: -89, max: 89, noNaN: true }),
    longitude: fc.double({ min: -180, max: 180, noNaN: true }),
  });

  it('is zero from a place to itself, symmetric, never negative and at most half the globe', () => {
    fc.assert(
      fc.property(point, point, (a, b) => {
        expect(distanceMiles(a, a)).toBeCloseTo(0, 6);
        expect(distanceMiles(a, b)).toBeCloseTo(distanceMiles(b, a), 6);
        expect(distanceMiles(a, b)).toBeGreaterThanOrEqual(0);
        expect(distanceMiles(a, b)).toBeLessThanOrEqual(Math.PI * 3958.7613 + 1e-6);
      }),
    );
  });

  it('keeps the triangle inequality', () => {
    fc.assert(
      fc.property(point, point, point, (a, b, c) => {
        expect(distanceMiles(a, c)).toBeLessThanOrEqual(distanceMiles(a, b) + distanceMiles(b, c) + 1e-6);
      }),
    );
  });
});

describe('times of day', () => {
  it('counts a session in each part of the day it overlaps', () => {
    expect(sessionInTimeOfDay({ start: '10:00', end: '11:30' }, 'morning')).toBe(true);
    expect(sessionInTimeOfDay({ start: '10:00', end: '12:00' }, 'afternoon')).toBe(false);
    expect(sessionInTimeOfDay({ start: '11:00', end: '13:00' }, 'afternoon')).toBe(true);
    expect(sessionInTimeOfDay({ start: '12:00', end: '13:00' }, 'morning')).toBe(false);
    expect(sessionInTimeOfDay({ start: '16:30', end: '18:00' }, 'evening')).toBe(true);
    expect(sessionInTimeOfDay({ start: '17:00', end: '19:00' }, 'afternoon')).toBe(false);
    expect(sessionInTimeOfDay({ start: '19:00', end: '21:00' }, 'evening')).toBe(true);
  });

  it('matches day and time in the same session', () => {
    const sessions = [
      { day: 'tue' as const, start: '10:00', end: '11:00' },
      { day: 'thu' as const, start: '18:00', end: '19:00' },
    ];
    expect(meetsWhen(sessions, 'tue', 'morning')).toBe(true);
    expect(meetsWhen(sessions, 'tue', 'evening')).toBe(false);
    expect(meetsWhen(sessions, 'thu', 'evening')).toBe(true);
    expect(meetsWhen(sessions, 'wed')).toBe(false);
    expect(meetsWhen(sessions)).toBe(true);
    // By arrangement: fits any day.
    expect(meetsWhen([], 'sun', 'evening')).toBe(true);
  });
});

describe('searchWords', () => {
  it('splits on anything but letters and digits, lower case', () => {
    expect(searchWords('  Walking, GROUP! ')).toEqual(['walking', 'group']);
    expect(searchWords("carers' café")).toEqual(['carers', 'café']);
    expect(searchWords('')).toEqual([]);
  });
});

describe('searchResources', () => {
  const origin = { latitude: 53, longitude: -1.5 };
  const near = resource({ name: 'Near walk', location: { latitude: 53.01, longitude: -1.5 } });
  const far = resource({ name: 'Far walk', location: { latitude: 53.2, longitude: -1.5 } });
  const online = resource({ name: 'Online chat', online: true, location: null, kind: 'peer-support' });
  const unplaced = resource({ name: 'Somewhere', location: null });

  it('puts the nearest first and shows each distance', () => {
    const hits = searchResources([far, online, near], { origin });
    expect(hits.map((h) => h.resource.name)).toEqual(['Near walk', 'Far walk', 'Online chat']);
    expect(hits[0]?.distanceMiles).toBeCloseTo(0.69, 2);
    expect(hits[2]?.distanceMiles).toBeNull();
  });

  it('keeps online entries at any distance and leaves out places too far or unknown', () => {
    const hits = searchResources([far, online, near, unplaced], { origin, withinMiles: 5 });
    expect(hits.map((h) => h.resource.name)).toEqual(['Near walk', 'Online chat']);
  });

  it('orders by name without a place to measure from', () => {
    const hits = searchResources([near, far, online], {});
    expect(hits.map((h) => h.resource.name)).toEqual(['Far walk', 'Near walk', 'Online chat']);
    expect(hits.every((h) => h.distanceMiles === null)).toBe(true);
  });

  it('filters by need, kind, domain, cost, self-referral and words', () => {
    const paid = resource({
      name: 'Paid class',
      costKind: 'paid',
      selfReferral: false,
      needs: ['physical-activity'],
    });
    const all = [near, paid, online];
    expect(searchResources(all, { need: 'loneliness-isolation' }).map((h) => h.resource.name)).toEqual([
      'Near walk',
      'Online chat',
    ]);
    expect(searchResources(all, { kind: 'peer-support' }).map((h) => h.resource.name)).toEqual([
      'Online chat',
    ]);
    expect(searchResources(all, { domainCode: 'nope' })).toEqual([]);
    expect(searchResources(all, { freeOnly: true }).map((h) => h.resource.name)).not.toContain('Paid class');
    expect(searchResources(all, { selfReferralOnly: true }).map((h) => h.resource.name)).not.toContain(
      'Paid class',
    );
    expect(searchResources(all, { words: 'CAFÉ hour' }).length).toBe(3);
    expect(searchResources(all, { words: 'café swimming' })).toEqual([]);
    expect(searchResources(all, { words: 'paid' }).map((h) => h.resource.name)).toEqual(['Paid class']);
  });

  const arbitraryResource = fc.record({
    name: fc.string({ minLength: 1, maxLength: 12 }),
    kind: fc.constantFrom(...RESOURCE_KINDS),
    summary: fc.string({ maxLength: 20 }),
    description: fc.string({ maxLength: 20 }),
    needs: fc.subarray([...NEEDS]),
    domainCodes: fc.subarray(['a', 'b', 'c']),
    online: fc.boolean(),
    sessions: fc.array(
      fc
        .record({
          day: fc.constantFrom(...DAYS),
          h: fc.integer({ min: 0, max: 22 }),
          len: fc.integer({ min: 1, max: 3 }),
        })
        .map(({ day, h, len }) => ({
          day,
          start: `${String(h).padStart(2, '0')}:00`,
          end: `${String(Math.min(23, h + len)).padStart(2, '0')}:${h + len > 23 ? '59' : '00'}`,
        })),
      { maxLength: 3 },
    ),
    costKind: fc.constantFrom('free' as const, 'donation' as const, 'low-cost' as const, 'paid' as const),
    selfReferral: fc.boolean(),
    location: fc.option(
      fc.record({
        latitude: fc.double({ min: 52.5, max: 53.5, noNaN: true }),
        longitude: fc.double({ min: -2, max: -1, noNaN: true }),
      }),
    ),
  });
  const arbitraryCriteria = fc.record(
    {
      need: fc.constantFrom(...NEEDS),
      kind: fc.constantFrom(...RESOURCE_KINDS),
      day: fc.constantFrom(...DAYS),
      timeOfDay: fc.constantFrom('morning' as const, 'afternoon' as const, 'evening' as const),
      withinMiles: fc.constantFrom(1, 5, 25),
      freeOnly: fc.boolean(),
      selfReferralOnly: fc.boolean(),
    },
    { requiredKeys: [] },
  );

  it('answers only entries that match, nearest first, and every match', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryResource, { maxLength: 15 }),
        arbitraryCriteria,
        (resources, criteria) => {
          const hits = searchResources(resources, { ...criteria, origin });
          for (const { resource: r, distanceMiles: d } of hits) {
            if (criteria.need) expect(r.needs).toContain(criteria.need);
            if (criteria.kind) expect(r.kind).toBe(criteria.kind);
            if (criteria.freeOnly) expect(r.costKind).toBe('free');
            if (criteria.selfReferralOnly) expect(r.selfReferral).toBe(true);
            if (criteria.withinMiles !== undefined && !r.online) {
              expect(d).not.toBeNull();
              expect(d as number).toBeLessThanOrEqual(criteria.withinMiles);
            }
          }
          const distances = hits.map((h) => h.distanceMiles);
          const firstNull = distances.indexOf(null);
          const placed = (firstNull === -1 ? distances : distances.slice(0, firstNull)) as number[];
          for (let i = 1; i < placed.length; i++)
            expect(placed[i]).toBeGreaterThanOrEqual(placed[i - 1] as number);
          if (firstNull !== -1) expect(distances.slice(firstNull).every((d) => d === null)).toBe(true);
          // Widening a criterion never loses an entry: without the kind, everything found is still found.
          const { kind: _kind, ...wider } = criteria;
          const widerHits = new Set(searchResources(resources, { ...wider, origin }).map((h) => h.resource));
          for (const h of hits) expect(widerHits.has(h.resource)).toBe(true);
        },
      ),
    );
  });
});

describe('milesText', () => {
  it('writes distances as people read them', () => {
    expect(milesText(0)).toBe('less than 0.1 miles');
    expect(milesText(0.43)).toBe('0.4 miles');
    expect(milesText(1.02)).toBe('1 mile');
    expect(milesText(12.4)).toBe('12 miles');
  });
});
