import { describe, expect, it } from 'vitest';
import { ageOn, ETHNIC_CATEGORIES, SEXES } from '../domain/demographics.js';
import { isValidNhsNumber } from '../domain/nhs-number.js';
import {
  DEMO_ACCOUNTS,
  type DemoPopulation,
  generateDemoPopulation,
  type OrganisationKind,
  type Role,
} from './demo-population.js';

const TODAY = '2026-11-23';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Outward code (area + district), space, inward code (sector digit + unit letters).
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/;

const ALL_KINDS: readonly OrganisationKind[] = [
  'nhs-trust',
  'gp-practice',
  'council-adult-social-care',
  'housing-association',
  'voluntary-community',
  'commissioner',
];

const big = generateDemoPopulation({ people: 10_000, seed: 'whatmatters' });
const small = generateDemoPopulation({ people: 100, seed: 7 });

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

describe('generateDemoPopulation: determinism', () => {
  it('returns deeply equal output for the same options', () => {
    const a = generateDemoPopulation({ people: 250, seed: 'same', today: TODAY });
    const b = generateDemoPopulation({ people: 250, seed: 'same', today: TODAY });
    expect(a).toEqual(b);
  });

  it('defaults today to 2026-11-23', () => {
    expect(generateDemoPopulation({ people: 20, seed: 3 })).toEqual(
      generateDemoPopulation({ people: 20, seed: 3, today: '2026-11-23' }),
    );
  });

  it('gives different people for different seeds', () => {
    const a = generateDemoPopulation({ people: 50, seed: 'one' });
    const b = generateDemoPopulation({ people: 50, seed: 'two' });
    expect(a.people).not.toEqual(b.people);
    const shared = new Set(a.people.map((p) => p.personId));
    expect(b.people.some((p) => shared.has(p.personId))).toBe(false);
  });

  it('keeps organisation, team and staff ids stable across seeds', () => {
    const a = generateDemoPopulation({ people: 5, seed: 'one' });
    const b = generateDemoPopulation({ people: 5, seed: 'two' });
    expect(a.organisations).toEqual(b.organisations);
    expect(a.teams).toEqual(b.teams);
    expect(a.users.map((u) => u.id)).toEqual(b.users.map((u) => u.id));
  });

  it('is a prefix-stable stream: a bigger population starts with the smaller one', () => {
    const few = generateDemoPopulation({ people: 30, seed: 'prefix' });
    const many = generateDemoPopulation({ people: 300, seed: 'prefix' });
    expect(many.people.slice(0, 30)).toEqual(few.people);
  });
});

describe('generateDemoPopulation: counts and limits', () => {
  it.each([0, 1, 9, 10, 11, 100])('returns exactly %i people', (people) => {
    expect(generateDemoPopulation({ people, seed: 1 }).people).toHaveLength(people);
  });

  it('still returns organisations, teams, users and areas with no people', () => {
    const empty = generateDemoPopulation({ people: 0, seed: 1 });
    expect(empty.organisations.length).toBeGreaterThan(0);
    expect(empty.teams.length).toBeGreaterThan(0);
    expect(empty.users.length).toBeGreaterThan(DEMO_ACCOUNTS.length);
    expect(empty.areas.length).toBeGreaterThanOrEqual(25);
    expect(empty.users.find((u) => u.username === 'person@demo')?.personId).toBeNull();
  });

  it('rejects nonsense counts and dates', () => {
    expect(() => generateDemoPopulation({ people: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ people: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ people: 1, seed: 1, today: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ people: 1, seed: 1, today: '23/11/2026' })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ people: 1, seed: 1, today: '0050-01-01' })).toThrow(RangeError);
  });

  // How fast it runs is measured by `npm run bench`, not asserted here: a busy machine is no bug.
  it('generates 10,000 people with distinct ids and NHS numbers', () => {
    const { people } = generateDemoPopulation({ people: 10_000, seed: 'large' });
    expect(people).toHaveLength(10_000);
    expect(new Set(people.map((p) => p.personId)).size).toBe(10_000);
    expect(new Set(people.map((p) => p.nhsNumber)).size).toBe(10_000);
  });
});

describe('generateDemoPopulation: organisations and teams', () => {
  it('has every organisation kind, in the expected numbers', () => {
    const count = (kind: OrganisationKind) => big.organisations.filter((o) => o.kind === kind).length;
    for (const kind of ALL_KINDS) expect(count(kind)).toBeGreaterThanOrEqual(1);
    expect(count('nhs-trust')).toBe(1);
    expect(count('gp-practice')).toBeGreaterThanOrEqual(2);
    expect(count('gp-practice')).toBeLessThanOrEqual(3);
    expect(count('council-adult-social-care')).toBe(1);
    expect(count('housing-association')).toBe(1);
    expect(count('voluntary-community')).toBe(2);
    expect(count('commissioner')).toBe(1);
    expect(big.organisations.find((o) => o.kind === 'commissioner')?.name).toMatch(/Integrated Care Board/);
  });

  it('gives every organisation at least one team, and the council two', () => {
    for (const organisation of big.organisations) {
      expect(big.teams.some((t) => t.organisationId === organisation.id)).toBe(true);
    }
    const council = big.organisations.find((o) => o.kind === 'council-adult-social-care');
    expect(big.teams.filter((t) => t.organisationId === council?.id)).toHaveLength(2);
  });

  it('uses unique v4 ids and names', () => {
    const ids = [...big.organisations, ...big.teams, ...big.users].map((x) => x.id);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(big.organisations.map((o) => o.name)).size).toBe(big.organisations.length);
  });

  it('gives ODS codes only to NHS bodies', () => {
    for (const organisation of big.organisations) {
      const nhs = ['nhs-trust', 'gp-practice', 'commissioner'].includes(organisation.kind);
      expect(organisation.odsCode === null).toBe(!nhs);
    }
  });
});

describe('generateDemoPopulation: users and roles', () => {
  const orgById = new Map(big.organisations.map((o) => [o.id, o]));
  const teamById = new Map(big.teams.map((t) => [t.id, t]));

  it('includes every well-known demo account: one per role, and a voluntary-sector practitioner', () => {
    const roles = DEMO_ACCOUNTS.map((a) => a.role).sort();
    const expected: Role[] = [
      'admin',
      'analyst',
      'carer',
      'commissioner',
      'person',
      'practitioner',
      'practitioner',
      'team-manager',
    ];
    expect(roles).toEqual(expected);
    expect(DEMO_ACCOUNTS.map((a) => a.username).sort()).toEqual([
      'admin@demo',
      'analyst@demo',
      'carer@demo',
      'commissioner@demo',
      'groups@demo',
      'manager@demo',
      'person@demo',
      'practitioner@demo',
    ]);
    for (const account of DEMO_ACCOUNTS) {
      const user = big.users.find((u) => u.username === account.username);
      expect(user, account.username).toBeDefined();
      expect(user?.roles.map((r) => r.role)).toEqual([account.role]);
      expect(account.description.length).toBeGreaterThan(10);
    }
  });

  it('links person@demo to the first person and nobody else to a person', () => {
    const person = big.users.find((u) => u.username === 'person@demo');
    expect(person?.personId).toBe(big.people[0]?.personId);
    expect(person?.displayName).toBe(`${big.people[0]?.givenName} ${big.people[0]?.familyName}`);
    for (const user of big.users.filter((u) => u.username !== 'person@demo'))
      expect(user.personId).toBeNull();
  });

  it('gives carer@demo no person link and no organisation yet', () => {
    const carer = big.users.find((u) => u.username === 'carer@demo');
    expect(carer?.personId).toBeNull();
    expect(carer?.roles).toEqual([{ role: 'carer', organisationId: null, teamId: null }]);
  });

  it('puts groups@demo in a team of Riverside Good Neighbours that supports nobody one-to-one', () => {
    const groups = big.users.find((u) => u.username === 'groups@demo');
    const role = groups?.roles[0];
    expect(orgById.get(role?.organisationId ?? '')?.name).toBe('Riverside Good Neighbours');
    expect(teamById.get(role?.teamId ?? '')?.name).toBe('Groups and Activities Team');
  });

  it('puts practitioner@demo and manager@demo in the same team', () => {
    const practitioner = big.users.find((u) => u.username === 'practitioner@demo');
    const manager = big.users.find((u) => u.username === 'manager@demo');
    expect(practitioner?.roles[0]?.teamId).toBeTruthy();
    expect(manager?.roles[0]?.teamId).toBe(practitioner?.roles[0]?.teamId);
  });

  it('has unique usernames in the @demo namespace', () => {
    const usernames = big.users.map((u) => u.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    for (const username of usernames) expect(username).toMatch(/^[a-z][a-z.-]*@demo$/);
  });

  it('has only well-formed role rows', () => {
    for (const user of big.users) {
      expect(user.roles.length, user.username).toBeGreaterThan(0);
      for (const row of user.roles) {
        const organisation = row.organisationId === null ? undefined : orgById.get(row.organisationId);
        const team = row.teamId === null ? undefined : teamById.get(row.teamId);
        if (row.organisationId !== null) expect(organisation, user.username).toBeDefined();
        if (row.teamId !== null) {
          expect(team, user.username).toBeDefined();
          expect(team?.organisationId, user.username).toBe(row.organisationId);
        }
        switch (row.role) {
          case 'person':
          case 'carer':
          case 'admin':
            expect(row.organisationId, user.username).toBeNull();
            expect(row.teamId, user.username).toBeNull();
            break;
          case 'practitioner':
          case 'team-manager':
            expect(organisation, user.username).toBeDefined();
            expect(team, user.username).toBeDefined();
            expect(organisation?.kind, user.username).not.toBe('commissioner');
            break;
          case 'commissioner':
          case 'analyst':
            expect(organisation?.kind, user.username).toBe('commissioner');
            break;
        }
      }
    }
  });

  it('spreads practitioners across agencies and gives staff job titles', () => {
    const practitionerOrgKinds = new Set<OrganisationKind>();
    for (const user of big.users) {
      for (const row of user.roles) {
        if (row.role !== 'practitioner' || row.organisationId === null) continue;
        const kind = orgById.get(row.organisationId)?.kind;
        if (kind) practitionerOrgKinds.add(kind);
      }
      const isStaff = user.roles.some((r) => r.role !== 'person' && r.role !== 'carer');
      if (isStaff) expect(user.jobTitle, user.username).toBeTruthy();
    }
    expect([...practitionerOrgKinds].sort()).toEqual(ALL_KINDS.filter((k) => k !== 'commissioner').sort());
    const titles = big.users.map((u) => u.jobTitle ?? '').join('|');
    for (const title of [
      'Social Worker',
      'District Nurse',
      'GP',
      'Social Prescribing Link Worker',
      'Health Coach',
      'Housing Officer',
      'Peer Supporter',
      'Team Manager',
    ]) {
      expect(titles).toContain(title);
    }
  });

  it('has team managers, a commissioner, an analyst and an admin beyond the demo accounts', () => {
    const countRole = (role: Role) => big.users.filter((u) => u.roles.some((r) => r.role === role)).length;
    expect(countRole('team-manager')).toBeGreaterThanOrEqual(3);
    expect(countRole('practitioner')).toBeGreaterThanOrEqual(10);
    expect(countRole('commissioner')).toBeGreaterThanOrEqual(1);
    expect(countRole('analyst')).toBeGreaterThanOrEqual(1);
    expect(countRole('admin')).toBeGreaterThanOrEqual(1);
  });
});

describe('generateDemoPopulation: people', () => {
  it('gives every person a valid, unique NHS number in the 999 test range', () => {
    const numbers = big.people.map((p) => p.nhsNumber);
    for (const nhsNumber of numbers) {
      expect(nhsNumber).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(nhsNumber)).toBe(true);
    }
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('gives every person a unique v4 person id', () => {
    const ids = big.people.map((p) => p.personId);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ages people 16 to 100, mostly older adults, with few under 18', () => {
    const ages = big.people.map((p) => ageOn(p.dateOfBirth, TODAY));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(16);
    expect(Math.max(...ages)).toBeLessThanOrEqual(100);
    expect(share(ages, (a) => a < 18)).toBeGreaterThan(0);
    expect(share(ages, (a) => a < 18)).toBeLessThan(0.03);
    expect(share(ages, (a) => a >= 65)).toBeGreaterThan(0.5);
    expect(share(ages, (a) => a >= 85)).toBeGreaterThan(0.1);
  });

  it('computes ages against the given today', () => {
    const past = generateDemoPopulation({ people: 500, seed: 'past', today: '2000-02-29' });
    for (const person of past.people) {
      const age = ageOn(person.dateOfBirth, '2000-02-29');
      expect(age).toBeGreaterThanOrEqual(16);
      expect(age).toBeLessThanOrEqual(100);
    }
  });

  it('splits sex roughly 50/50 with rare unknowns', () => {
    for (const person of big.people) expect(SEXES).toContain(person.sex);
    const female = share(big.people, (p) => p.sex === 'female');
    const unknown = share(big.people, (p) => p.sex === 'unknown');
    expect(female).toBeGreaterThan(0.45);
    expect(female).toBeLessThan(0.58);
    expect(unknown).toBeGreaterThan(0);
    expect(unknown).toBeLessThan(0.02);
  });

  it('records gender identity for some people only', () => {
    const recorded = share(big.people, (p) => p.gender !== null);
    expect(recorded).toBeGreaterThan(0.2);
    expect(recorded).toBeLessThan(0.8);
  });

  it('distributes ethnicity roughly like the 2021 Census', () => {
    const codes = new Set(ETHNIC_CATEGORIES.map((c) => c.code));
    for (const person of big.people) expect(codes.has(person.ethnicCategory)).toBe(true);
    expect(new Set(big.people.map((p) => p.ethnicCategory)).size).toBe(codes.size);
    const white = share(big.people, (p) => p.ethnicCategory === 'A');
    expect(white).toBeGreaterThan(0.68);
    expect(white).toBeLessThan(0.78);
    const notStated = share(big.people, (p) => p.ethnicCategory === 'Z');
    expect(notStated).toBeGreaterThan(0.01);
    expect(notStated).toBeLessThan(0.06);
  });

  it('uses diverse names that are not empty', () => {
    for (const person of big.people) {
      expect(person.givenName.trim()).not.toBe('');
      expect(person.familyName.trim()).not.toBe('');
    }
    expect(new Set(big.people.map((p) => p.familyName)).size).toBeGreaterThan(150);
    expect(new Set(big.people.map((p) => p.givenName)).size).toBeGreaterThan(200);
  });

  it('gives UK-format postcodes in a known sector, with the matching decile', () => {
    const decileBySector = new Map(big.areas.map((a) => [a.postcodeSector, a.deprivationDecile]));
    for (const person of big.people) {
      expect(person.postcode).toMatch(UK_POSTCODE);
      const sector = person.postcode.slice(0, -2);
      expect(decileBySector.get(sector), person.postcode).toBe(person.deprivationDecile);
    }
  });
});

describe('generateDemoPopulation: areas and deprivation', () => {
  it('has about 30 distinct sectors covering all ten deciles', () => {
    const sectors = big.areas.map((a) => a.postcodeSector);
    expect(sectors.length).toBeGreaterThanOrEqual(25);
    expect(sectors.length).toBeLessThanOrEqual(35);
    expect(new Set(sectors).size).toBe(sectors.length);
    for (const sector of sectors) expect(sector).toMatch(/^[A-Z]{1,2}\d[A-Z\d]? \d$/);
    expect(new Set(big.areas.map((a) => a.deprivationDecile))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    );
  });

  it.each<[string, DemoPopulation]>([
    ['100 people', small],
    ['10,000 people', big],
    ['10 people', generateDemoPopulation({ people: 10, seed: 'tiny' })],
  ])('places people in all ten deciles (%s)', (_, population) => {
    expect(new Set(population.people.map((p) => p.deprivationDecile))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    );
  });

  it('puts more people in the most deprived decile than the least', () => {
    const inDecile = (d: number) => big.people.filter((p) => p.deprivationDecile === d).length;
    expect(inDecile(1)).toBeGreaterThan(inDecile(10));
  });

  it('returns copies of the areas, so callers cannot corrupt the reference data', () => {
    const first = generateDemoPopulation({ people: 0, seed: 1 });
    const area = first.areas[0];
    if (area) area.deprivationDecile = 99;
    expect(generateDemoPopulation({ people: 0, seed: 1 }).areas[0]?.deprivationDecile).not.toBe(99);
  });
});
