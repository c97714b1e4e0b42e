/**
 * Deterministic synthetic population for demos, training and load tests.
 *
 * Everything here is fictional: the place ("Riverside", postcode area "RV", which
 * Royal Mail does not use), the organisations, the staff and the people. NHS
 * numbers are drawn from the 999 range, which NHS England reserves for test data
 * and never issues to patients.
 *
 * Organisations, teams and staff are generated from a fixed internal seed so they
 * keep the same ids whatever `seed` is used for the people; only the people (and
 * therefore person@demo's personId) change with `seed`.
 */

import type { Sex } from '../domain/demographics.js';
import { nhsNumberCheckDigit } from '../domain/nhs-number.js';
import type { OrganisationKind } from '../domain/organisation-kinds.js';
import type { Role } from '../domain/roles.js';
import { createRandom, type Random } from './random.js';
import { ANY_BACKGROUND, NAME_POOLS, NAME_POOLS_BY_ETHNICITY } from './text/names.js';

// Re-exported so callers of the generator need only this module; the definitions
// live beside their labels.
export type { OrganisationKind, Role };

export interface DemoOrganisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  odsCode: string | null;
}

export interface DemoTeam {
  id: string;
  organisationId: string;
  name: string;
}

export interface DemoUserRole {
  role: Role;
  organisationId: string | null;
  teamId: string | null;
}

export interface DemoUser {
  id: string;
  /** e.g. 'practitioner@demo' */
  username: string;
  displayName: string;
  jobTitle: string | null;
  roles: DemoUserRole[];
  personId: string | null;
}

export interface DemoArea {
  /** e.g. 'RV2 1' */
  postcodeSector: string;
  /** 1 = most deprived … 10 = least deprived */
  deprivationDecile: number;
}

export interface DemoPerson {
  personId: string;
  /** 10 digits, 999 test range, valid Modulus 11 */
  nhsNumber: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex: Sex;
  gender: string | null;
  /** NHS Data Dictionary ETHNIC CATEGORY code */
  ethnicCategory: string;
  postcode: string;
  deprivationDecile: number;
}

export interface DemoPopulation {
  organisations: DemoOrganisation[];
  teams: DemoTeam[];
  users: DemoUser[];
  people: DemoPerson[];
  areas: DemoArea[];
}

export interface DemoPopulationOptions {
  people: number;
  seed: number | string;
  /** YYYY-MM-DD; ages are computed against this date. Default '2026-11-23'. */
  today?: string;
}

export interface DemoAccount {
  readonly username: string;
  readonly role: Role;
  readonly description: string;
}

export const DEFAULT_DEMO_TODAY = '2026-11-23';

/** Generous but finite: the 999 test range holds roughly 909,000 valid numbers. */
export const MAX_DEMO_PEOPLE = 500_000;

// ---------------------------------------------------------------------------
// Reference data: organisations, teams, staff
// ---------------------------------------------------------------------------

interface OrganisationSpec {
  key: string;
  kind: OrganisationKind;
  name: string;
  /**
   * Format-shaped but invented ODS codes (trust R + 2, practice letter + 5 digits,
   * ICB Q + 2). Only NHS bodies get one; councils, housing associations and
   * charities are not normally on ODS.
   */
  odsCode: string | null;
  teams: readonly { key: string; name: string }[];
}

const ORGANISATIONS: readonly OrganisationSpec[] = [
  {
    key: 'trust',
    kind: 'nhs-trust',
    name: 'Riverside Community Healthcare NHS Trust',
    odsCode: 'R9V',
    teams: [
      { key: 'north-nursing', name: 'North Neighbourhood District Nursing Team' },
      { key: 'south-nursing', name: 'South Neighbourhood District Nursing Team' },
      { key: 'frailty', name: 'Community Frailty and Falls Team' },
      { key: 'older-adults-mh', name: 'Older Adults Community Mental Health Team' },
    ],
  },
  {
    key: 'gp-northgate',
    kind: 'gp-practice',
    name: 'Northgate Medical Practice',
    odsCode: 'B99901',
    teams: [{ key: 'northgate-care', name: 'Northgate Practice Care Team' }],
  },
  {
    key: 'gp-millbrook',
    kind: 'gp-practice',
    name: 'Millbrook Surgery',
    odsCode: 'B99902',
    teams: [{ key: 'millbrook-care', name: 'Millbrook Surgery Care Team' }],
  },
  {
    key: 'gp-castle-hill',
    kind: 'gp-practice',
    name: 'Castle Hill Health Centre',
    odsCode: 'B99903',
    teams: [{ key: 'castle-hill-care', name: 'Castle Hill Practice Care Team' }],
  },
  {
    key: 'council',
    kind: 'council-adult-social-care',
    name: 'Riverside Borough Council Adult Social Care',
    odsCode: null,
    teams: [
      { key: 'north-locality', name: 'North Locality Social Work Team' },
      { key: 'reablement', name: 'Reablement and Independence Team' },
    ],
  },
  {
    key: 'housing',
    kind: 'housing-association',
    name: "Weaver's Wharf Housing Association",
    odsCode: null,
    teams: [
      { key: 'tenancy', name: 'Tenancy Sustainment Team' },
      { key: 'independent-living', name: 'Independent Living Team' },
    ],
  },
  {
    key: 'befriending',
    kind: 'voluntary-community',
    name: 'Riverside Good Neighbours',
    odsCode: null,
    teams: [
      { key: 'befriending-service', name: 'Befriending Service' },
      { key: 'peer-support', name: 'Peer Support Network' },
      // Runs the groups people are referred to; supports nobody one-to-one, so it is in no care team.
      { key: 'groups-activities', name: 'Groups and Activities Team' },
    ],
  },
  {
    key: 'community-links',
    kind: 'voluntary-community',
    name: 'Riverside Community Links',
    odsCode: null,
    teams: [
      { key: 'social-prescribing', name: 'Social Prescribing Link Worker Service' },
      { key: 'health-coaching', name: 'Health and Wellbeing Coaching' },
    ],
  },
  {
    key: 'icb',
    kind: 'commissioner',
    name: 'NHS Riverside and Kingsmere Integrated Care Board',
    odsCode: 'Q9V',
    teams: [
      { key: 'place-commissioning', name: 'Riverside Place Commissioning Team' },
      { key: 'population-health', name: 'Population Health Intelligence Team' },
    ],
  },
];

interface RoleSpec {
  role: Role;
  organisation?: string;
  team?: string;
}

interface StaffSpec {
  username: string;
  displayName: string;
  jobTitle: string | null;
  roles: readonly RoleSpec[];
}

/**
 * Well-known sign-in accounts: one per role, and a second practitioner in a voluntary organisation
 * (groups@demo) who answers referrals to its groups. Keep in step with the README.
 */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    username: 'admin@demo',
    role: 'admin',
    description: 'System administrator: organisations, teams and user accounts.',
  },
  {
    username: 'practitioner@demo',
    role: 'practitioner',
    description:
      'Social worker in the North Locality Social Work Team, Riverside Borough Council Adult Social Care.',
  },
  {
    username: 'manager@demo',
    role: 'team-manager',
    description: 'Team manager of the North Locality Social Work Team, the same team as practitioner@demo.',
  },
  {
    username: 'commissioner@demo',
    role: 'commissioner',
    description: 'Senior commissioning manager at NHS Riverside and Kingsmere Integrated Care Board.',
  },
  {
    username: 'analyst@demo',
    role: 'analyst',
    description: 'Population health analyst at NHS Riverside and Kingsmere Integrated Care Board.',
  },
  {
    username: 'person@demo',
    role: 'person',
    description: 'A person drawing on care and support: the first generated demo person.',
  },
  {
    username: 'carer@demo',
    role: 'carer',
    description: 'An unpaid family carer of person@demo, who has let them see and add to their record.',
  },
  {
    username: 'groups@demo',
    role: 'practitioner',
    description:
      'Groups coordinator at Riverside Good Neighbours, a voluntary organisation: answers referrals to its groups and records attendance.',
  },
];

/** person@demo is filled in from the generated people, so it is not listed here. */
const DEMO_ACCOUNT_DETAILS: Readonly<Record<string, Omit<StaffSpec, 'username'>>> = {
  'admin@demo': { displayName: 'Chris Taylor', jobTitle: 'System Administrator', roles: [{ role: 'admin' }] },
  'practitioner@demo': {
    displayName: 'Priya Shah',
    jobTitle: 'Social Worker',
    roles: [{ role: 'practitioner', organisation: 'council', team: 'north-locality' }],
  },
  'manager@demo': {
    displayName: 'Gareth Lewis',
    jobTitle: 'Team Manager',
    roles: [{ role: 'team-manager', organisation: 'council', team: 'north-locality' }],
  },
  'commissioner@demo': {
    displayName: 'Helen Okonkwo',
    jobTitle: 'Senior Commissioning Manager, Ageing Well',
    roles: [{ role: 'commissioner', organisation: 'icb', team: 'place-commissioning' }],
  },
  'analyst@demo': {
    displayName: 'Tomasz Nowak',
    jobTitle: 'Population Health Analyst',
    roles: [{ role: 'analyst', organisation: 'icb', team: 'population-health' }],
  },
  'carer@demo': { displayName: 'Carol Bennett', jobTitle: null, roles: [{ role: 'carer' }] },
  'groups@demo': {
    displayName: 'Bernadette Quinn',
    jobTitle: 'Groups and Activities Coordinator',
    roles: [{ role: 'practitioner', organisation: 'befriending', team: 'groups-activities' }],
  },
};

function staff(
  displayName: string,
  jobTitle: string,
  organisation: string,
  team: string,
  roles: readonly Role[] = ['practitioner'],
): StaffSpec {
  const username = `${displayName
    .replace(/^Dr /, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f']/g, '')
    .replace(/[^a-z]+/g, '.')}@demo`;
  return { username, displayName, jobTitle, roles: roles.map((role) => ({ role, organisation, team })) };
}

/** Front-line staff across every agency, so multi-agency views have something to show. */
const STAFF: readonly StaffSpec[] = [
  // Team leaders in community nursing usually carry a caseload as well.
  staff('Joanne Pickering', 'District Nursing Team Leader', 'trust', 'north-nursing', [
    'practitioner',
    'team-manager',
  ]),
  staff('Ruth Adeyemi', 'District Nurse', 'trust', 'north-nursing'),
  staff('Kelly Marsh', 'Community Staff Nurse', 'trust', 'north-nursing'),
  staff('Daniel Wójcik', 'District Nurse', 'trust', 'south-nursing'),
  staff('Fiona MacLeod', 'Occupational Therapist', 'trust', 'frailty'),
  staff('Hassan Ali', 'Physiotherapist', 'trust', 'frailty'),
  staff('Grace Mensah', 'Community Mental Health Nurse', 'trust', 'older-adults-mh'),
  staff('Mark Sutcliffe', 'Team Manager', 'trust', 'older-adults-mh', ['team-manager']),
  staff('Dr Sarah Whitfield', 'GP Partner', 'gp-northgate', 'northgate-care'),
  staff('Imran Hussain', 'Care Coordinator', 'gp-northgate', 'northgate-care'),
  staff('Dr Rajesh Patel', 'GP', 'gp-millbrook', 'millbrook-care'),
  staff('Beth Harrison', 'Practice Nurse', 'gp-millbrook', 'millbrook-care'),
  staff('Dr Chloe Wong', 'Salaried GP', 'gp-castle-hill', 'castle-hill-care'),
  staff('Emma Clarke', 'Social Worker', 'council', 'north-locality'),
  staff('Nadia Rahman', 'Social Care Assessor', 'council', 'north-locality'),
  staff('Owen Price', 'Occupational Therapist', 'council', 'reablement'),
  staff('Tracey Walsh', 'Reablement Support Worker', 'council', 'reablement'),
  staff('Siobhan Murphy', 'Team Manager', 'council', 'reablement', ['team-manager']),
  staff('Marcus Campbell', 'Housing Officer', 'housing', 'tenancy'),
  staff('Wendy Holt', 'Tenancy Sustainment Officer', 'housing', 'tenancy'),
  staff('Paul Jackson', 'Housing Services Manager', 'housing', 'tenancy', ['team-manager']),
  staff('Agnieszka Zielińska', 'Independent Living Coordinator', 'housing', 'independent-living'),
  staff('Margaret Dunn', 'Befriending Coordinator', 'befriending', 'befriending-service'),
  staff('Leon Francis', 'Peer Supporter', 'befriending', 'peer-support'),
  staff('Janet Hughes', 'Service Manager', 'befriending', 'befriending-service', ['team-manager']),
  staff('Tom Fielding', 'Social Prescribing Link Worker', 'community-links', 'social-prescribing'),
  staff('Yasmin Chaudhry', 'Social Prescribing Link Worker', 'community-links', 'social-prescribing'),
  staff('Rachel Green', 'Social Prescribing Team Lead', 'community-links', 'social-prescribing', [
    'team-manager',
  ]),
  staff('Femi Adebayo', 'Health Coach', 'community-links', 'health-coaching'),
  staff('Jonathan Reid', 'Head of Commissioning, Adult Community Services', 'icb', 'place-commissioning', [
    'commissioner',
  ]),
  staff('Mei Lin Chen', 'Senior Analyst', 'icb', 'population-health', ['analyst']),
];

// ---------------------------------------------------------------------------
// Reference data: areas
// ---------------------------------------------------------------------------

/**
 * DEMO reference values only: invented sectors in the unused "RV" postcode area
 * with invented deciles shaped like the English Indices of Deprivation (1 = most
 * deprived 10%). They are NOT real IMD values. Three sectors per decile so every
 * decile can be shown; the town centre and Northgate are the most deprived, the
 * outlying villages (RV7, RV8) the least.
 */
const AREAS: readonly DemoArea[] = [
  { postcodeSector: 'RV1 1', deprivationDecile: 1 },
  { postcodeSector: 'RV1 2', deprivationDecile: 2 },
  { postcodeSector: 'RV1 3', deprivationDecile: 3 },
  { postcodeSector: 'RV1 4', deprivationDecile: 5 },
  { postcodeSector: 'RV2 1', deprivationDecile: 1 },
  { postcodeSector: 'RV2 2', deprivationDecile: 1 },
  { postcodeSector: 'RV2 3', deprivationDecile: 2 },
  { postcodeSector: 'RV2 4', deprivationDecile: 3 },
  { postcodeSector: 'RV3 1', deprivationDecile: 2 },
  { postcodeSector: 'RV3 2', deprivationDecile: 3 },
  { postcodeSector: 'RV3 5', deprivationDecile: 4 },
  { postcodeSector: 'RV3 6', deprivationDecile: 4 },
  { postcodeSector: 'RV4 1', deprivationDecile: 4 },
  { postcodeSector: 'RV4 2', deprivationDecile: 5 },
  { postcodeSector: 'RV4 3', deprivationDecile: 5 },
  { postcodeSector: 'RV4 4', deprivationDecile: 6 },
  { postcodeSector: 'RV5 1', deprivationDecile: 6 },
  { postcodeSector: 'RV5 2', deprivationDecile: 6 },
  { postcodeSector: 'RV5 3', deprivationDecile: 7 },
  { postcodeSector: 'RV5 4', deprivationDecile: 7 },
  { postcodeSector: 'RV6 1', deprivationDecile: 7 },
  { postcodeSector: 'RV6 2', deprivationDecile: 8 },
  { postcodeSector: 'RV6 3', deprivationDecile: 8 },
  { postcodeSector: 'RV6 7', deprivationDecile: 8 },
  { postcodeSector: 'RV7 1', deprivationDecile: 9 },
  { postcodeSector: 'RV7 2', deprivationDecile: 9 },
  { postcodeSector: 'RV7 3', deprivationDecile: 10 },
  { postcodeSector: 'RV8 1', deprivationDecile: 9 },
  { postcodeSector: 'RV8 2', deprivationDecile: 10 },
  { postcodeSector: 'RV8 4', deprivationDecile: 10 },
];

/**
 * Need for care and support rises with deprivation, so deprived sectors get more
 * residents on the caseload (roughly 2:1 between decile 1 and decile 10).
 */
function areaWeight(decile: number): number {
  return 1.6 - 0.09 * (decile - 1);
}

/**
 * Letters used in the unit part of a postcode: Royal Mail never uses C, I, K, M, O
 * or V there (Royal Mail Programmers' Guide; see also BS 7666).
 */
const POSTCODE_UNIT_LETTERS: readonly string[] = [...'ABDEFGHJLNPQRSTUWXYZ'];

// ---------------------------------------------------------------------------
// Reference data: people
// ---------------------------------------------------------------------------

/**
 * Approximate Census 2021 ethnic group shares for England and Wales (ONS, "Ethnic
 * group, England and Wales: Census 2021", 29 November 2022), in percent, mapped to
 * the 2001-based NHS codes: Gypsy/Irish Traveller and Roma fold into C, Arab into S.
 * Z ("Not stated") is added on top at about 3%, a typical recording gap in
 * social care records.
 */
const ETHNICITY_WEIGHTS: readonly (readonly [string, number])[] = [
  ['A', 74.4],
  ['B', 0.9],
  ['C', 6.5],
  ['D', 0.9],
  ['E', 0.4],
  ['F', 0.8],
  ['G', 0.7],
  ['H', 3.1],
  ['J', 2.7],
  ['K', 1.1],
  ['L', 1.6],
  ['M', 1.0],
  ['N', 2.5],
  ['P', 0.5],
  ['R', 0.7],
  ['S', 2.2],
  ['Z', 3.0],
];

/**
 * Care users are mostly older adults; a few 16-17s are in transition from
 * children's services. Weights are a plausible shape, not a published statistic.
 */
const AGE_WEIGHTS: readonly (readonly [readonly [number, number], number])[] = [
  [[16, 17], 1],
  [[18, 24], 3],
  [[25, 34], 5],
  [[35, 44], 6],
  [[45, 54], 9],
  [[55, 64], 14],
  [[65, 74], 20],
  [[75, 84], 25],
  [[85, 94], 15],
  [[95, 100], 2],
];

/** Older populations skew female; 'unknown' is rare on the PDS. */
const SEX_WEIGHTS: readonly (readonly [Sex, number])[] = [
  ['female', 52],
  ['male', 47.5],
  ['other', 0.1],
  ['unknown', 0.4],
];

/**
 * Gender identity is often not recorded. Census 2021 found about 0.5% of people
 * aged 16+ in England and Wales had a gender identity different from their sex
 * registered at birth (ONS, "Gender identity, England and Wales: Census 2021").
 */
const GENDER_RECORDED = 0.45;
const GENDER_WEIGHTS: Readonly<Record<Sex, readonly (readonly [string, number])[]>> = {
  female: [
    ['Woman', 98.5],
    ['Trans woman', 0.3],
    ['Non-binary', 0.4],
    ['Prefer not to say', 0.8],
  ],
  male: [
    ['Man', 98.5],
    ['Trans man', 0.3],
    ['Non-binary', 0.4],
    ['Prefer not to say', 0.8],
  ],
  other: [
    ['Non-binary', 60],
    ['Prefer not to say', 40],
  ],
  unknown: [
    ['Non-binary', 30],
    ['Prefer not to say', 40],
    ['Woman', 15],
    ['Man', 15],
  ],
};

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

/** Fixed so organisation, team and user ids are stable across people seeds. */
const REFERENCE_SEED = 'whatmatters-demo-reference-v1';

function buildOrganisations(random: Random): {
  organisations: DemoOrganisation[];
  teams: DemoTeam[];
  organisationIds: Map<string, string>;
  teamIds: Map<string, string>;
} {
  const organisations: DemoOrganisation[] = [];
  const teams: DemoTeam[] = [];
  const organisationIds = new Map<string, string>();
  const teamIds = new Map<string, string>();
  for (const spec of ORGANISATIONS) {
    const id = random.uuid();
    organisationIds.set(spec.key, id);
    organisations.push({ id, kind: spec.kind, name: spec.name, odsCode: spec.odsCode });
    for (const team of spec.teams) {
      const teamId = random.uuid();
      teamIds.set(team.key, teamId);
      teams.push({ id: teamId, organisationId: id, name: team.name });
    }
  }
  return { organisations, teams, organisationIds, teamIds };
}

function resolveRole(
  spec: RoleSpec,
  organisationIds: ReadonlyMap<string, string>,
  teamIds: ReadonlyMap<string, string>,
): DemoUserRole {
  const lookup = (map: ReadonlyMap<string, string>, key: string | undefined): string | null => {
    if (key === undefined) return null;
    const id = map.get(key);
    if (id === undefined) throw new Error(`Demo reference data: unknown key "${key}"`);
    return id;
  };
  return {
    role: spec.role,
    organisationId: lookup(organisationIds, spec.organisation),
    teamId: lookup(teamIds, spec.team),
  };
}

function buildUsers(
  random: Random,
  organisationIds: ReadonlyMap<string, string>,
  teamIds: ReadonlyMap<string, string>,
  firstPerson: DemoPerson | undefined,
): DemoUser[] {
  const users: DemoUser[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const id = random.uuid();
    if (account.role === 'person') {
      users.push({
        id,
        username: account.username,
        displayName: firstPerson ? `${firstPerson.givenName} ${firstPerson.familyName}` : 'Demo Person',
        jobTitle: null,
        roles: [{ role: 'person', organisationId: null, teamId: null }],
        personId: firstPerson?.personId ?? null,
      });
      continue;
    }
    const details = DEMO_ACCOUNT_DETAILS[account.username];
    if (details === undefined) throw new Error(`Demo reference data: no details for ${account.username}`);
    users.push({
      id,
      username: account.username,
      displayName: details.displayName,
      jobTitle: details.jobTitle,
      roles: details.roles.map((role) => resolveRole(role, organisationIds, teamIds)),
      personId: null,
    });
  }
  for (const spec of STAFF) {
    users.push({
      id: random.uuid(),
      username: spec.username,
      displayName: spec.displayName,
      jobTitle: spec.jobTitle,
      roles: spec.roles.map((role) => resolveRole(role, organisationIds, teamIds)),
      personId: null,
    });
  }
  return users;
}

// Dates are handled as days since 1970-01-01 (UTC) so there are no time-zone or
// daylight-saving surprises.
const MS_PER_DAY = 86_400_000;

function parseDate(value: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0-99 to 1900-1999, so birth years must stay well clear of them.
  if (
    match === null ||
    year < 1900 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    throw new RangeError(`today must be a real YYYY-MM-DD date from 1900 on, got "${value}"`);
  }
  return { year, month, day };
}

function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Same calendar day `years` earlier; 29 Feb falls back to 28 Feb in common years. */
function epochDayYearsBefore(today: { year: number; month: number; day: number }, years: number): number {
  const year = today.year - years;
  const day = today.month === 2 && today.day === 29 && !isLeapYear(year) ? 28 : today.day;
  return epochDay(year, today.month, day);
}

function formatEpochDay(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A birth date uniformly within the year of life that gives exactly `age` today. */
function dateOfBirthForAge(
  random: Random,
  today: { year: number; month: number; day: number },
  age: number,
): string {
  const latest = epochDayYearsBefore(today, age);
  const earliest = epochDayYearsBefore(today, age + 1) + 1;
  return formatEpochDay(random.int(earliest, latest));
}

function uniqueTestNhsNumber(random: Random, used: Set<string>): string {
  for (;;) {
    const first9 = `999${String(random.int(0, 999_999)).padStart(6, '0')}`;
    const check = nhsNumberCheckDigit(first9);
    if (check === null) continue;
    const candidate = `${first9}${check}`;
    if (candidate === '9999999999' || used.has(candidate)) continue;
    used.add(candidate);
    return candidate;
  }
}

function pickNames(
  random: Random,
  ethnicCategory: string,
  sex: Sex,
  birthYear: number,
): { givenName: string; familyName: string } {
  const pools = NAME_POOLS_BY_ETHNICITY[ethnicCategory] ?? ANY_BACKGROUND;
  const givenPool = NAME_POOLS[random.weighted(pools)];
  const familyPool = NAME_POOLS[random.weighted(pools)];
  const nameSex = sex === 'female' || sex === 'male' ? sex : random.pick(['female', 'male'] as const);
  const older = birthYear < 1965;
  const givenNames =
    nameSex === 'female'
      ? ((older ? givenPool.olderFemale : undefined) ?? givenPool.female)
      : ((older ? givenPool.olderMale : undefined) ?? givenPool.male);
  const sexedFamily = familyPool.familyBySex?.[nameSex];
  const familyName =
    sexedFamily !== undefined && random.chance(0.3)
      ? random.pick(sexedFamily)
      : random.pick(familyPool.family);
  return { givenName: random.pick(givenNames), familyName };
}

function pickGender(random: Random, sex: Sex): string | null {
  return random.chance(GENDER_RECORDED) ? random.weighted(GENDER_WEIGHTS[sex]) : null;
}

function postcodeUnit(random: Random): string {
  return `${random.pick(POSTCODE_UNIT_LETTERS)}${random.pick(POSTCODE_UNIT_LETTERS)}`;
}

export function generateDemoPopulation(options: DemoPopulationOptions): DemoPopulation {
  const { people: count, seed } = options;
  if (!Number.isInteger(count) || count < 0 || count > MAX_DEMO_PEOPLE) {
    throw new RangeError(`people must be a whole number from 0 to ${MAX_DEMO_PEOPLE}, got ${count}`);
  }
  const today = parseDate(options.today ?? DEFAULT_DEMO_TODAY);

  const random = createRandom(seed);
  const areasByDecile = new Map<number, DemoArea[]>();
  for (const area of AREAS) {
    const list = areasByDecile.get(area.deprivationDecile) ?? [];
    list.push(area);
    areasByDecile.set(area.deprivationDecile, list);
  }
  const weightedAreas = AREAS.map((area) => [area, areaWeight(area.deprivationDecile)] as const);
  // Place the first ten people one per decile (in shuffled order) so that even a
  // small demo shows the full deprivation gradient; the rest follow the weights.
  const firstDeciles = shuffle(random, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  const usedNhsNumbers = new Set<string>();
  const people: DemoPerson[] = [];
  for (let i = 0; i < count; i++) {
    const personId = random.uuid();
    const sex = random.weighted(SEX_WEIGHTS);
    const [minAge, maxAge] = random.weighted(AGE_WEIGHTS);
    const dateOfBirth = dateOfBirthForAge(random, today, random.int(minAge, maxAge));
    const ethnicCategory = random.weighted(ETHNICITY_WEIGHTS);
    const { givenName, familyName } = pickNames(random, ethnicCategory, sex, Number(dateOfBirth.slice(0, 4)));
    const fixedDecile = firstDeciles[i];
    const area =
      fixedDecile === undefined
        ? random.weighted(weightedAreas)
        : random.pick(areasByDecile.get(fixedDecile) ?? AREAS);
    people.push({
      personId,
      nhsNumber: uniqueTestNhsNumber(random, usedNhsNumbers),
      givenName,
      familyName,
      dateOfBirth,
      sex,
      gender: pickGender(random, sex),
      ethnicCategory,
      postcode: `${area.postcodeSector}${postcodeUnit(random)}`,
      deprivationDecile: area.deprivationDecile,
    });
  }

  const reference = createRandom(REFERENCE_SEED);
  const { organisations, teams, organisationIds, teamIds } = buildOrganisations(reference);
  const users = buildUsers(reference, organisationIds, teamIds, people[0]);

  return {
    organisations,
    teams,
    users,
    people,
    areas: AREAS.map((area) => ({ ...area })),
  };
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}
