/**
 * Deterministic individual-level records for the demo population: care teams across agencies,
 * circles with carers, good conversations, personal outcomes in the person's own words with ratings
 * from several viewpoints, GAS goals with attainment at each review, versioned care and support
 * plans, and comments on them.
 *
 * Everything here is fictional. Phone numbers are from the ranges Ofcom keeps for drama
 * (01632 960xxx, 07700 900xxx); community groups and places are invented for "Riverside".
 *
 * Each person's records come from their own seeded stream (seed + personId), so one person's
 * records keep their shape when the population grows; only the names of their family and friends,
 * drawn from the names in the population, may differ. Rows are shaped like the tables of migration
 * 0002 in camelCase; outcome domains are given by framework domain code (Talking Points), because
 * domain ids belong to the database the records are loaded into.
 */

import type { Action, CarePlanContent, PlanGoal } from '../domain/care-plan.js';
import type { CareTeamSupportKind } from '../domain/care-team.js';
import type { ConversationKind, OutcomeStatus } from '../domain/conversations.js';
import type { GasLevel } from '../domain/gas.js';
import type { Viewpoint } from '../domain/ratings.js';
import { MONTH_NAMES } from '../domain/timeline.js';
import type {
  ConversationRow,
  GasAttainmentRow,
  OutcomeRow,
  ParticipantRow,
  RatingRow,
} from '../features/outcomes/store.js';
import {
  DEFAULT_DEMO_TODAY,
  type DemoOrganisation,
  type DemoPerson,
  type DemoPopulation,
  type DemoTeam,
  type DemoUser,
} from './demo-population.js';
import { createRandom, type Random, type Weighted } from './random.js';
import {
  CARER_ORDER,
  FALLBACK_FAMILY,
  FALLBACK_GIVEN,
  IMPORTANT_PEOPLE_TAILS,
  KIN,
  type RelationType,
} from './text/circle.js';
import {
  CARER_COMMENTS,
  COMMUNICATION_LINES,
  FIRST_CLOSINGS,
  FIRST_MEETING_PLACES,
  GENERAL_HELPED,
  LANGUAGE_LINES,
  LATER_STRENGTHS,
  MOST_IMPORTANT_LINES,
  PERSON_COMMENTS,
  PLEASE_DO,
  PLEASE_DONT,
  RATING_NOTES,
  RELAYED_COMMENTS,
  REVIEW_CLOSINGS,
  REVIEW_OPENERS,
  STRENGTHS,
  WHAT_GOT_IN_THE_WAY,
  WHAT_HELPED,
} from './text/conversations.js';
import { type GasLevels, OUTCOME_TEMPLATES, type OutcomeTemplate, WANT_OPENERS } from './text/outcomes.js';
import { PROFILES, type Profile, type ProfileKey } from './text/profiles.js';
import {
  CARER_ACTIONS,
  COMMUNITY_RESOURCES,
  PERSON_ACTIONS,
  SERVICES,
  type ServiceKey,
  TEAM_SERVICES,
  type Theme,
} from './text/services.js';

// ---------------------------------------------------------------------------
// Output types
// ---------------------------------------------------------------------------

/** The framework every demo outcome is coded with. */
export const DEMO_CARE_FRAMEWORK_KEY = 'talking-points';

export type DemoDomainCode =
  | 'feeling-safe'
  | 'having-things-to-do'
  | 'seeing-people'
  | 'staying-well'
  | 'living-as-you-want'
  | 'dealing-with-stigma'
  | 'listened-to'
  | 'having-a-say'
  | 'treated-with-respect'
  | 'responded-to'
  | 'reliability'
  | 'improved-confidence'
  | 'improved-skills'
  | 'improved-mobility'
  | 'reduced-symptoms';

export interface DemoCareTeamMember {
  personId: string;
  memberId: string;
  organisationId: string;
  teamId: string | null;
  userId: string | null;
  supportKind: CareTeamSupportKind;
  roleDescription: string;
  isKeyWorker: boolean;
  /** YYYY-MM-DD */
  startDate: string;
  endDate: string | null;
}

export interface DemoRelationship {
  personId: string;
  relationshipId: string;
  name: string;
  relationshipType: string;
  isCarer: boolean;
  contact: string | null;
  carerUserId: string | null;
  mayView: boolean;
  mayContribute: boolean;
  /** ISO 8601 */
  createdAt: string;
}

/** The demo records first conversations and reviews only. */
export type DemoConversationKind = Exclude<ConversationKind, 'other'>;

export interface DemoConversation extends ConversationRow {
  kind: DemoConversationKind;
  recordedAt: string;
}

export interface DemoConversationParticipant extends ParticipantRow {
  kind: 'person' | 'carer' | 'practitioner';
}

export type DemoOutcomeStatus = OutcomeStatus;

export interface DemoPersonalOutcome extends Omit<OutcomeRow, 'frameworkId'> {
  /** Always DEMO_CARE_FRAMEWORK_KEY; the loader looks the framework id up by it. */
  frameworkKey: string;
  importance: number;
  status: DemoOutcomeStatus;
  createdAt: string;
}

export interface DemoOutcomeDomain {
  personId: string;
  outcomeId: string;
  domainCode: DemoDomainCode;
}

export interface DemoOutcomeRating extends RatingRow {
  /** 1..4 on the default rating scale. */
  score: number;
  ratedAt: string;
}

export interface DemoGasGoal {
  personId: string;
  goalId: string;
  outcomeId: string;
  levelMinus2: string;
  levelMinus1: string;
  level0: string;
  levelPlus1: string;
  levelPlus2: string;
  baselineLevel: -2 | -1;
  importance: number;
  difficulty: number;
  weight: number;
  createdByUserId: string;
  createdAt: string;
}

export interface DemoGasAttainment extends GasAttainmentRow {
  conversationId: string;
  recordedAt: string;
}

export interface DemoCarePlanVersion {
  personId: string;
  version: number;
  content: CarePlanContent;
  plannedReviewDate: string | null;
  changeSummary: string;
  createdByUserId: string;
  createdAt: string;
}

export interface DemoPlanComment {
  personId: string;
  commentId: string;
  version: number;
  body: string;
  authorUserId: string;
  authorViewpoint: Viewpoint;
  createdAt: string;
}

export interface DemoCare {
  careTeamMembers: DemoCareTeamMember[];
  relationships: DemoRelationship[];
  conversations: DemoConversation[];
  conversationParticipants: DemoConversationParticipant[];
  outcomes: DemoPersonalOutcome[];
  outcomeDomains: DemoOutcomeDomain[];
  ratings: DemoOutcomeRating[];
  gasGoals: DemoGasGoal[];
  gasAttainments: DemoGasAttainment[];
  planVersions: DemoCarePlanVersion[];
  planComments: DemoPlanComment[];
}

export interface DemoCareOptions {
  seed: number | string;
  /** YYYY-MM-DD; every record is dated before it. Default DEFAULT_DEMO_TODAY. */
  today?: string;
}

// ---------------------------------------------------------------------------
// Dates: whole days since 1970-01-01 (UTC), so there are no time-zone surprises
// ---------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;

function toDay(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (
    match === null ||
    year < 1900 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    throw new RangeError(`today must be a real YYYY-MM-DD date from 1900 on, got "${value}"`);
  }
  return ms / MS_PER_DAY;
}

// Formatting dates is a large share of the work, and the same few hundred days recur.
const isoDates = new Map<number, string>();
function isoDate(day: number): string {
  let text = isoDates.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoDates.set(day, text);
  }
  return text;
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/** An instant on `day`, `minutes` (under 24 hours) after midnight UTC. */
function isoInstant(day: number, minutes: number): string {
  const m = clamp(Math.floor(minutes), 0, 24 * 60 - 1);
  return `${isoDate(day)}T${twoDigits(Math.floor(m / 60))}:${twoDigits(m % 60)}:00.000Z`;
}

function humanDate(day: number): string {
  const date = new Date(day * MS_PER_DAY);
  return `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

const monthOf = (day: number): string =>
  MONTH_NAMES[new Date(day * MS_PER_DAY).getUTCMonth()] ?? 'the spring';

/** Meetings and reviews fall on weekdays: a Saturday or Sunday moves back to the Friday. */
function weekdayOnOrBefore(day: number): number {
  const weekday = new Date(day * MS_PER_DAY).getUTCDay();
  return weekday === 6 ? day - 1 : weekday === 0 ? day - 2 : day;
}

function ageOn(dateOfBirth: string, today: number): number {
  const birth = new Date(`${dateOfBirth}T00:00:00Z`);
  const now = new Date(today * MS_PER_DAY);
  let age = now.getUTCFullYear() - birth.getUTCFullYear();
  if (
    now.getUTCMonth() < birth.getUTCMonth() ||
    (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate())
  ) {
    age -= 1;
  }
  return age;
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/** Replaces {key} with vars[key]; a missing key is a bug in the text tables, so it throws. */
function fill(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (_whole, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`Demo care text: nothing for {${key}} in "${text}"`);
    return value;
  });
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    const index = random.int(0, pool.length - 1);
    out.push(pool[index] as T);
    pool.splice(index, 1);
  }
  return out;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const quoted = (text: string) => `“${text}”`;

// ---------------------------------------------------------------------------
// Reference text lives as data in ./text/; what is derived from it is here
// ---------------------------------------------------------------------------

const PROFILE_KEYS = Object.keys(PROFILES) as ProfileKey[];

function tailGroup(type: RelationType): string {
  if (type === 'wife' || type === 'husband' || type === 'partner') return 'spouse';
  if (type === 'daughter' || type === 'son') return 'child';
  if (type === 'mother' || type === 'father') return 'parent';
  if (type === 'sister' || type === 'brother') return 'sibling';
  if (type === 'granddaughter' || type === 'grandson') return 'grandchild';
  return 'other';
}

/** Given and family names of the generated people, by background, sex and generation. */
class NameBook {
  private readonly given = new Map<string, string[]>();
  private readonly family = new Map<string, string[]>();

  constructor(people: readonly DemoPerson[]) {
    for (const p of people) {
      if (p.sex !== 'female' && p.sex !== 'male') continue;
      const generation = NameBook.generation(Number(p.dateOfBirth.slice(0, 4)));
      for (const key of [
        `${p.ethnicCategory}|${p.sex}|${generation}`,
        `${p.ethnicCategory}|${p.sex}|*`,
        `*|${p.sex}|${generation}`,
      ]) {
        NameBook.add(this.given, key, p.givenName);
      }
      NameBook.add(this.family, p.ethnicCategory, p.familyName);
      NameBook.add(this.family, '*', p.familyName);
    }
  }

  private static add(map: Map<string, string[]>, key: string, value: string): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  private static generation(birthYear: number): number {
    return birthYear < 1950 ? 0 : birthYear < 1965 ? 1 : birthYear < 1985 ? 2 : 3;
  }

  givenName(random: Random, ethnicCategory: string, sex: 'female' | 'male', birthYear: number): string {
    const generation = NameBook.generation(birthYear);
    for (const key of [
      `${ethnicCategory}|${sex}|${generation}`,
      `${ethnicCategory}|${sex}|*`,
      `*|${sex}|${generation}`,
    ]) {
      const list = this.given.get(key);
      if (list && list.length >= 3) return random.pick(list);
    }
    return random.pick(FALLBACK_GIVEN[sex]);
  }

  familyName(random: Random, ethnicCategory: string | null): string {
    const list = this.family.get(ethnicCategory ?? '*') ?? this.family.get('*');
    return list && list.length > 0 ? random.pick(list) : random.pick(FALLBACK_FAMILY);
  }
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

interface TeamInfo {
  team: DemoTeam;
  organisation: DemoOrganisation;
  service: ServiceKey;
  practitioners: DemoUser[];
}

interface Context {
  today: number;
  teamsByService: Map<ServiceKey, TeamInfo[]>;
  practitionerTeam: TeamInfo | null;
  /**
   * The team whose people's ratings shift upward from SHIFT_MONTHS_AGO (a new way of working): the
   * special cause its SPC chart shows. practitioner@demo's, so the team manager's dashboard has it.
   */
  shiftTeamId: string | null;
  /** The provider whose people fare clearly worse: outside the funnel limits when compared. */
  lowerOrganisationId: string | null;
  practitionerUser: DemoUser | null;
  personUser: DemoUser | null;
  carerUser: DemoUser | null;
  names: NameBook;
}

/** A member of the care team with the practitioner who speaks for it. */
interface Member {
  row: DemoCareTeamMember;
  info: TeamInfo;
  practitioner: DemoUser | null;
  startDay: number;
}

interface Circle {
  row: DemoRelationship;
  type: RelationType;
  given: string;
  ageNow: number;
}

interface OutcomeState {
  row: DemoPersonalOutcome;
  template: OutcomeTemplate;
  vars: Record<string, string>;
  /** Index of the first conversation at which the outcome is rated (or -1 if added between). */
  firstIndex: number;
  createdDay: number;
  /** The person's own score at each conversation index from firstIndex on. */
  person: (number | undefined)[];
  practitionerBias: number;
  carerBias: number;
  gas: DemoGasGoal | null;
  gasLevels: GasLevels | null;
  /** GAS level recorded at each conversation index. */
  attainments: (GasLevel | undefined)[];
}

interface ConversationState {
  row: DemoConversation;
  day: number;
  /** Minutes after midnight that the conversation was written up. */
  recordedMinutes: number;
  carer: Circle | null;
  recorder: DemoUser;
  direction: 'better' | 'same' | 'worse';
}

const NEED_FOR_CARE = 0.85;
const ALWAYS_IN_CARE = 60;
const IN_PRACTITIONER_TEAM = 0.3;
const HAS_PLAN = 0.75;
const GAS_CHANCE = 0.62;
const REVIEW_GAP_DAYS: readonly [number, number] = [42, 112];
/**
 * The dashboards' history (issue 10): reviews go back up to eight gaps, so that conversations reach
 * about two years back and every month of the last eighteen has ratings. Over those two years the
 * services get better at what they do: first ratings start a little higher and reviews improve a
 * little more often, the later they are.
 */
const HISTORY_DAYS = 730;
/** When the shift team's new way of working began, in months before today. */
const SHIFT_MONTHS_AGO = 7;

function buildContext(population: DemoPopulation, today: number): Context {
  const organisations = new Map(population.organisations.map((o) => [o.id, o]));
  const practitionersByTeam = new Map<string, DemoUser[]>();
  for (const user of population.users) {
    for (const role of user.roles) {
      if (role.role !== 'practitioner' || role.teamId === null) continue;
      const list = practitionersByTeam.get(role.teamId) ?? [];
      if (!list.includes(user)) list.push(user);
      practitionersByTeam.set(role.teamId, list);
    }
  }
  const practitionerUser = population.users.find((u) => u.username === 'practitioner@demo') ?? null;
  const practitionerTeamId = practitionerUser?.roles.find((r) => r.role === 'practitioner')?.teamId ?? null;

  const teamsByService = new Map<ServiceKey, TeamInfo[]>();
  let practitionerTeam: TeamInfo | null = null;
  for (const team of population.teams) {
    const service = team.id === practitionerTeamId ? 'social-work' : TEAM_SERVICES[team.name];
    const organisation = organisations.get(team.organisationId);
    if (service === undefined || organisation === undefined) continue;
    const info: TeamInfo = {
      team,
      organisation,
      service,
      practitioners: practitionersByTeam.get(team.id) ?? [],
    };
    if (team.id === practitionerTeamId) practitionerTeam = info;
    const list = teamsByService.get(service) ?? [];
    list.push(info);
    teamsByService.set(service, list);
  }
  return {
    today,
    teamsByService,
    practitionerTeam,
    shiftTeamId: practitionerTeam?.team.id ?? null,
    lowerOrganisationId: population.organisations.find((o) => o.kind === 'nhs-trust')?.id ?? null,
    practitionerUser,
    personUser: population.users.find((u) => u.username === 'person@demo') ?? null,
    carerUser: population.users.find((u) => u.username === 'carer@demo') ?? null,
    names: new NameBook(population.people),
  };
}

function emptyCare(): DemoCare {
  return {
    careTeamMembers: [],
    relationships: [],
    conversations: [],
    conversationParticipants: [],
    outcomes: [],
    outcomeDomains: [],
    ratings: [],
    gasGoals: [],
    gasAttainments: [],
    planVersions: [],
    planComments: [],
  };
}

/**
 * Individual-level records for the demo population. Deterministic: the same population, seed and
 * today give deeply equal output. Most people get records; the first 60 and person@demo always do.
 */
export function generateDemoCare(population: DemoPopulation, options: DemoCareOptions): DemoCare {
  return demoCareGenerator(population, options).forPeople(0, population.people.length);
}

export interface DemoCareGenerator {
  /**
   * Records for people[start..end) only: the same rows generateDemoCare gives for them, so a large
   * population can be generated and stored a slice at a time.
   */
  forPeople(start: number, end: number): DemoCare;
}

export function demoCareGenerator(population: DemoPopulation, options: DemoCareOptions): DemoCareGenerator {
  const today = toDay(options.today ?? DEFAULT_DEMO_TODAY);
  const context = buildContext(population, today);
  const seed = `${typeof options.seed}:${String(options.seed)}`;
  return {
    forPeople(start, end) {
      const care = emptyCare();
      const last = Math.min(end, population.people.length);
      for (let index = Math.max(0, start); index < last; index++) {
        const person = population.people[index];
        if (!person) continue;
        generatePerson(context, care, person, index, createRandom(`${seed}|demo-care|${person.personId}`));
      }
      return care;
    },
  };
}

function pickProfile(random: Random, age: number): ProfileKey {
  const options = PROFILE_KEYS.flatMap((key) => {
    const profile = PROFILES[key];
    return age >= profile.minAge && age <= profile.maxAge ? [[key, profile.weight(age)] as const] : [];
  });
  return options.length > 0 ? random.weighted(options) : 'mental-health';
}

function generatePerson(
  context: Context,
  care: DemoCare,
  person: DemoPerson,
  index: number,
  random: Random,
): void {
  const isDemoPerson = context.personUser !== null && context.personUser.personId === person.personId;
  if (!isDemoPerson && index >= ALWAYS_IN_CARE && !random.chance(NEED_FOR_CARE)) return;

  const today = context.today;
  const age = ageOn(person.dateOfBirth, today);
  // person@demo shows the commonest story: an older person after falls, or a long-term condition.
  const profileKey = isDemoPerson
    ? age >= 65
      ? 'frailty'
      : age >= 40
        ? 'long-term-condition'
        : 'mental-health'
    : pickProfile(random, age);
  const profile = PROFILES[profileKey];
  const inPractitionerTeam =
    context.practitionerTeam !== null && (isDemoPerson || random.chance(IN_PRACTITIONER_TEAM));
  // A few people have just been referred: a care team, but no conversation yet.
  const justReferred = !isDemoPerson && index >= 10 && random.chance(0.04);

  // ---- When the conversations were held -----------------------------------
  const conversationDays: number[] = [];
  let nextReviewDay: number | null = null;
  if (!justReferred) {
    const reviews = isDemoPerson
      ? 3
      : random.weighted<number>([
          [0, 10],
          [1, 15],
          [2, 15],
          [3, 14],
          [4, 12],
          [5, 10],
          [6, 9],
          [7, 8],
          [8, 7],
        ]);
    const status = isDemoPerson
      ? 'due-soon'
      : random.weighted<'overdue' | 'due-soon' | 'scheduled'>([
          ['overdue', 20],
          ['due-soon', 12],
          ['scheduled', 68],
        ]);
    const gap = () => random.int(REVIEW_GAP_DAYS[0], REVIEW_GAP_DAYS[1]);
    const latestGap = gap();
    const daysAgo =
      status === 'overdue'
        ? latestGap + random.int(3, 90)
        : status === 'due-soon'
          ? Math.max(3, latestGap - random.int(5, 12))
          : random.int(3, latestGap - 16);
    const latest = weekdayOnOrBefore(today - daysAgo);
    nextReviewDay = weekdayOnOrBefore(latest + latestGap);
    conversationDays.push(latest);
    for (let k = 0; k < reviews; k++) {
      conversationDays.unshift(weekdayOnOrBefore((conversationDays[0] ?? latest) - gap()));
    }
  }
  const firstDay = conversationDays[0] ?? today - random.int(1, 30);

  // ---- Care team -----------------------------------------------------------
  const members = buildCareTeam(context, care, person, random, profile, inPractitionerTeam, isDemoPerson, {
    firstDay,
    conversationDays,
  });
  const keyMember = members.find((m) => m.row.isKeyWorker) ?? members[0];
  const fallbackUser = context.practitionerUser;
  const keyPractitioner = keyMember?.practitioner ?? fallbackUser;
  if (keyPractitioner === null || keyPractitioner === undefined) return;

  // ---- Circle --------------------------------------------------------------
  const circle = buildCircle(context, care, person, age, random, profile, isDemoPerson, firstDay);
  const carer = circle.find((c) => c.row.isCarer) ?? null;

  if (conversationDays.length === 0) return;

  // ---- Conversations -------------------------------------------------------
  const conversations: ConversationState[] = conversationDays.map((day, k) => {
    const present = members.filter((m) => m.startDay <= day && m.practitioner !== null);
    const lead = keyMember && keyMember.startDay <= day && keyMember.practitioner ? keyMember : present[0];
    const recorder = lead?.practitioner ?? keyPractitioner;
    const carerThere =
      carer !== null && (isDemoPerson ? k !== 1 : random.chance(profile.carerChance >= 0.5 ? 0.7 : 0.5));
    return {
      row: {
        personId: person.personId,
        conversationId: random.uuid(),
        kind: k === 0 ? 'first' : 'review',
        heldOn: isoDate(day),
        summary: '',
        whatHelped: '',
        whatGotInTheWay: '',
        nextReviewDate: null,
        recordedByUserId: recorder.id,
        recordedAt: '',
      },
      day,
      recordedMinutes: random.int(13 * 60, 18 * 60),
      carer: carerThere ? carer : null,
      recorder,
      direction: 'same',
    };
  });
  conversations.forEach((c, k) => {
    const next = conversations[k + 1];
    care.conversations.push(c.row);
    c.row.recordedAt = isoInstant(c.day, c.recordedMinutes);
    // Earlier reviews were planned for about when the next one happened; some slipped a little.
    c.row.nextReviewDate = isoDate(
      next ? weekdayOnOrBefore(next.day - random.int(0, 14)) : (nextReviewDay ?? c.day),
    );
  });

  // ---- Outcomes, ratings and GAS --------------------------------------------
  const outcomes = buildOutcomes(context, care, person, age, random, profile, isDemoPerson, conversations);
  scoreOutcomes(
    context,
    care,
    person,
    random,
    isDemoPerson,
    outcomes,
    conversations,
    keyMember?.info ?? null,
  );

  // ---- Conversation text and participants -------------------------------------
  for (const [k, c] of conversations.entries()) {
    writeConversation(
      care,
      person,
      random,
      profile,
      k,
      c,
      conversations,
      members,
      keyMember,
      outcomes,
      isDemoPerson,
      context,
    );
  }

  // ---- Plan ------------------------------------------------------------------
  if (isDemoPerson || random.chance(HAS_PLAN)) {
    buildPlan(
      context,
      care,
      person,
      random,
      profile,
      isDemoPerson,
      members,
      keyMember,
      circle,
      outcomes,
      conversations,
    );
  }
}

// ---------------------------------------------------------------------------
// Care team
// ---------------------------------------------------------------------------

function buildCareTeam(
  context: Context,
  care: DemoCare,
  person: DemoPerson,
  random: Random,
  profile: Profile,
  inPractitionerTeam: boolean,
  isDemoPerson: boolean,
  dates: { firstDay: number; conversationDays: readonly number[] },
): Member[] {
  const wanted = isDemoPerson
    ? 4
    : random.weighted<number>([
        [1, 10],
        [2, 35],
        [3, 35],
        [4, 20],
      ]);
  const chosen: TeamInfo[] = [];
  const usedOrganisations = new Set<string>();
  const add = (info: TeamInfo) => {
    chosen.push(info);
    usedOrganisations.add(info.organisation.id);
  };
  if (inPractitionerTeam && context.practitionerTeam) add(context.practitionerTeam);

  // One GP practice per person, whether or not it is in the care team.
  const gpTeams = context.teamsByService.get('gp') ?? [];
  const gp = gpTeams.length > 0 ? random.pick(gpTeams) : null;

  let candidates = profile.services.filter(([service]) => service !== 'social-work');
  // The demo person's team always spans health, council and community support.
  if (isDemoPerson) {
    for (const service of ['gp', 'social-prescribing', 'befriending'] as const) {
      const info = service === 'gp' ? gp : random.pick(context.teamsByService.get(service) ?? [null]);
      if (info && !usedOrganisations.has(info.organisation.id) && chosen.length < wanted) add(info);
    }
  }
  while (chosen.length < wanted && candidates.length > 0) {
    const service = random.weighted(candidates);
    candidates = candidates.filter(([s]) => s !== service);
    const teams = service === 'gp' ? (gp ? [gp] : []) : (context.teamsByService.get(service) ?? []);
    const available = teams.filter((t) => !usedOrganisations.has(t.organisation.id));
    if (available.length > 0) add(random.pick(available));
  }
  if (chosen.length === 0) {
    const any = [...context.teamsByService.entries()]
      .filter(([service]) => service !== 'social-work')
      .flatMap(([, teams]) => teams);
    if (any.length === 0) return [];
    add(random.pick(any));
  }

  // Key worker: usually the social worker when the council is involved, else the lead service.
  let keyIndex = 0;
  const social = context.practitionerTeam ? chosen.indexOf(context.practitionerTeam) : -1;
  if (social >= 0 && (isDemoPerson || random.chance(0.6))) keyIndex = social;
  else {
    const lead = profile.lead.map((s) => chosen.findIndex((t) => t.service === s)).find((i) => i >= 0);
    keyIndex = lead ?? random.int(0, chosen.length - 1);
  }

  const laterDays = dates.conversationDays.slice(1);
  return chosen.map((info, i) => {
    const isKey = i === keyIndex;
    const isPractitionerTeam = info === context.practitionerTeam;
    let named: DemoUser | null = null;
    if (isPractitionerTeam && context.practitionerUser && (isDemoPerson || (isKey && random.chance(0.5)))) {
      named = context.practitionerUser;
    } else if (info.practitioners.length > 0 && (isKey || random.chance(0.6))) {
      named = random.pick(info.practitioners);
    }
    // Someone from the team speaks for it at conversations even when no one is named.
    const practitioner = named ?? (info.practitioners.length > 0 ? random.pick(info.practitioners) : null);
    const joinsLater = !isKey && !isDemoPerson && laterDays.length > 0 && random.chance(0.2);
    const startDay = joinsLater ? random.pick(laterDays) : dates.firstDay - random.int(0, 60);
    const spec = SERVICES[info.service];
    const row: DemoCareTeamMember = {
      personId: person.personId,
      memberId: random.uuid(),
      organisationId: info.organisation.id,
      teamId: info.team.id,
      userId: named?.id ?? null,
      supportKind: spec.supportKind,
      roleDescription: random.pick(spec.roles),
      isKeyWorker: isKey,
      startDate: isoDate(Math.min(startDay, context.today - 1)),
      endDate: null,
    };
    care.careTeamMembers.push(row);
    return { row, info, practitioner, startDay };
  });
}

// ---------------------------------------------------------------------------
// Circle
// ---------------------------------------------------------------------------

function relationOptions(age: number): Weighted<RelationType> {
  if (age < 25) {
    return [
      ['mother', 5],
      ['father', 3],
      ['sister', 2],
      ['brother', 2],
      ['friend', 3],
    ];
  }
  if (age < 55) {
    return [
      ['partner', 4],
      ['mother', 3],
      ['father', 1],
      ['sister', 2],
      ['brother', 2],
      ['friend', 3],
      ['neighbour', 2],
      ['daughter', age >= 40 ? 2 : 0],
      ['son', age >= 40 ? 2 : 0],
    ];
  }
  return [
    ['partner', age < 80 ? 5 : 2],
    ['daughter', 5],
    ['son', 4],
    ['sister', 2],
    ['brother', 1],
    ['neighbour', 3],
    ['friend', 3],
    ['granddaughter', age >= 70 ? 2 : 0],
    ['grandson', age >= 70 ? 1 : 0],
    ['niece', 1],
    ['nephew', 1],
  ];
}

const phoneNumber = (random: Random) => `07700 900${String(random.int(0, 999)).padStart(3, '0')}`;

function buildCircle(
  context: Context,
  care: DemoCare,
  person: DemoPerson,
  age: number,
  random: Random,
  profile: Profile,
  isDemoPerson: boolean,
  firstDay: number,
): Circle[] {
  const birthYear = Number(person.dateOfBirth.slice(0, 4));
  const todayYear = new Date(context.today * MS_PER_DAY).getUTCFullYear();
  const createdAt = isoInstant(Math.min(firstDay, context.today - 1), random.int(9 * 60, 12 * 60));
  const count = random.weighted<number>([
    [0, 10],
    [1, 30],
    [2, 35],
    [3, 18],
    [4, 7],
  ]);
  const circle: Circle[] = [];
  const used = new Set<RelationType>();
  const oneOnly = new Set<RelationType>(['wife', 'husband', 'partner', 'mother', 'father']);
  for (let i = 0; i < count; i++) {
    const options = relationOptions(age).filter(
      ([type, w]) => w > 0 && !(oneOnly.has(type) && used.has(type)),
    );
    if (options.length === 0) break;
    let type = random.weighted(options);
    if (type === 'partner' && (person.sex === 'female' || person.sex === 'male') && random.chance(0.7)) {
      const opposite = random.chance(0.93);
      const partnerIsFemale = person.sex === 'male' ? opposite : !opposite;
      type = partnerIsFemale ? 'wife' : 'husband';
    }
    if (used.has('wife') || used.has('husband') || used.has('partner')) {
      if (type === 'wife' || type === 'husband' || type === 'partner') continue;
    }
    used.add(type);
    circle.push(makeRelative(context, random, person, birthYear, todayYear, type, createdAt));
  }

  // Someone in the circle is a carer for about as many people as the need suggests.
  let carer: Circle | undefined;
  if (isDemoPerson && context.carerUser) {
    const type: RelationType = age < 25 ? 'mother' : age < 55 ? 'sister' : 'daughter';
    const carerUser = context.carerUser;
    const given = carerUser.displayName.split(' ')[0] ?? carerUser.displayName;
    carer = {
      type,
      given,
      ageNow: age < 25 ? age + 28 : age < 55 ? age + 3 : age - 30,
      row: {
        personId: person.personId,
        relationshipId: random.uuid(),
        name: carerUser.displayName,
        relationshipType: type,
        isCarer: true,
        contact: phoneNumber(random),
        carerUserId: carerUser.id,
        mayView: true,
        mayContribute: true,
        createdAt,
      },
    };
    circle.unshift(carer);
  } else if (random.chance(profile.carerChance)) {
    const adult = circle.filter((c) => c.ageNow >= 18);
    carer = CARER_ORDER.flatMap((type) => adult.filter((c) => c.type === type))[0];
    if (!carer) {
      const type: RelationType =
        age < 25 ? 'mother' : age < 55 ? 'partner' : random.pick(['daughter', 'son'] as const);
      carer = makeRelative(context, random, person, birthYear, todayYear, type, createdAt);
      circle.unshift(carer);
    }
    carer.row.isCarer = true;
    carer.row.contact ??= phoneNumber(random);
  }
  for (const c of circle) care.relationships.push(c.row);
  return circle;
}

function makeRelative(
  context: Context,
  random: Random,
  person: DemoPerson,
  birthYear: number,
  todayYear: number,
  type: RelationType,
  createdAt: string,
): Circle {
  const spec = KIN[type];
  const sex =
    spec.sex !== 'any'
      ? spec.sex
      : type === 'partner' && (person.sex === 'female' || person.sex === 'male') && random.chance(0.9)
        ? person.sex === 'female'
          ? 'male'
          : 'female'
        : random.pick(['female', 'male'] as const);
  const bornIn = Math.min(todayYear - 1, birthYear + random.int(spec.born[0], spec.born[1]));
  const friendLike = type === 'friend' || type === 'neighbour';
  const background = friendLike && random.chance(0.4) ? '*' : person.ethnicCategory;
  // Two draws whatever happens, so the rest of the person's stream does not depend on the names.
  const first = context.names.givenName(random, background, sex, bornIn);
  const second = context.names.givenName(random, background, sex, bornIn);
  const given = first !== person.givenName ? first : second;
  const family =
    !friendLike && random.chance(spec.sameFamilyName)
      ? person.familyName
      : context.names.familyName(random, friendLike ? null : person.ethnicCategory);
  return {
    type,
    given,
    ageNow: todayYear - bornIn,
    row: {
      personId: person.personId,
      relationshipId: random.uuid(),
      name: `${given} ${family}`,
      relationshipType: type,
      isCarer: false,
      contact: random.chance(0.6) ? phoneNumber(random) : null,
      carerUserId: null,
      mayView: false,
      mayContribute: false,
      createdAt,
    },
  };
}

// ---------------------------------------------------------------------------
// Outcomes, ratings and GAS
// ---------------------------------------------------------------------------

function eligibleTemplates(age: number): OutcomeTemplate[] {
  return OUTCOME_TEMPLATES.filter((t) => age >= (t.minAge ?? 0) && age <= (t.maxAge ?? 200));
}

function chooseTemplates(
  random: Random,
  age: number,
  profile: Profile,
  count: number,
  needGas: boolean,
): OutcomeTemplate[] {
  const eligible = eligibleTemplates(age);
  const chosen: OutcomeTemplate[] = [];
  const usedThemes = new Set<Theme>();
  if (needGas) {
    // person@demo's first wish is the walking goal, the worked GAS example people know.
    const walking = eligible.find((t) => t.gas?.[4] === 'Leads part of the walk');
    const withGas = eligible.filter((t) => t.gas && profile.themes.some(([theme]) => theme === t.theme));
    const first = walking ?? (withGas.length > 0 ? random.pick(withGas) : undefined);
    if (first) {
      chosen.push(first);
      usedThemes.add(first.theme);
    }
  }
  let attempts = 0;
  while (chosen.length < count && attempts < 40) {
    attempts++;
    // Prefer a theme not yet used, so one person's outcomes cover different parts of life.
    const themes = profile.themes.filter(([theme]) => !usedThemes.has(theme));
    const theme = random.weighted(themes.length > 0 ? themes : profile.themes);
    // Now and then something outside the usual pattern for the need, as in life.
    const pool = random.chance(0.15)
      ? eligible.filter((t) => !chosen.includes(t))
      : eligible.filter((t) => t.theme === theme && !chosen.includes(t));
    if (pool.length === 0) continue;
    const template = random.pick(pool);
    chosen.push(template);
    usedThemes.add(template.theme);
  }
  return chosen;
}

function voiceOf(random: Random, statement: string): string {
  return statement.startsWith('I want to ') ? random.weighted(WANT_OPENERS) + statement.slice(10) : statement;
}

function buildOutcomes(
  context: Context,
  care: DemoCare,
  person: DemoPerson,
  age: number,
  random: Random,
  profile: Profile,
  isDemoPerson: boolean,
  conversations: readonly ConversationState[],
): OutcomeState[] {
  const first = conversations[0];
  if (!first) return [];
  const count = isDemoPerson
    ? 3
    : random.weighted<number>([
        [1, 15],
        [2, 35],
        [3, 35],
        [4, 15],
      ]);
  const templates = chooseTemplates(random, age, profile, count, isDemoPerson);
  const outcomes: OutcomeState[] = [];

  const create = (
    template: OutcomeTemplate,
    opts: { firstIndex: number; day: number; minutes: number; byPerson: boolean },
  ) => {
    const vars: Record<string, string> = {};
    for (const [key, values] of Object.entries(template.vars ?? {})) vars[key] = random.pick(values);
    const conversation = opts.byPerson ? null : conversations[opts.firstIndex];
    const row: DemoPersonalOutcome = {
      personId: person.personId,
      outcomeId: random.uuid(),
      frameworkKey: DEMO_CARE_FRAMEWORK_KEY,
      statement: voiceOf(random, fill(template.statement, vars)),
      whyItMatters: fill(random.pick(template.why), vars),
      importance: random.weighted<number>([
        [4, 1],
        [5, 2],
        [6, 3],
        [7, 4],
        [8, 5],
        [9, 4],
        [10, 4],
      ]),
      status: 'active',
      addedBy: opts.byPerson ? 'person' : 'practitioner',
      conversationId: conversation?.row.conversationId ?? null,
      createdByUserId:
        opts.byPerson && context.personUser
          ? context.personUser.id
          : (conversation?.recorder.id ?? first.recorder.id),
      createdAt: isoInstant(opts.day, opts.minutes),
    };
    care.outcomes.push(row);
    for (const code of template.domains) {
      care.outcomeDomains.push({ personId: person.personId, outcomeId: row.outcomeId, domainCode: code });
    }
    const state: OutcomeState = {
      row,
      template,
      vars,
      firstIndex: opts.firstIndex,
      createdDay: opts.day,
      person: [],
      practitionerBias: random.weighted<number>([
        [-1, 2],
        [0, 6],
        [1, 2],
      ]),
      carerBias: random.weighted<number>([
        [-1, 3],
        [0, 5],
        [1, 1],
      ]),
      gas: null,
      gasLevels: null,
      attainments: [],
    };
    outcomes.push(state);
    return state;
  };

  templates.forEach((template, i) => {
    const state = create(template, {
      firstIndex: 0,
      day: first.day,
      minutes: first.recordedMinutes + i,
      byPerson: false,
    });
    const wantsGas = template.gas !== undefined && (isDemoPerson ? i === 0 : random.chance(GAS_CHANCE));
    if (wantsGas && template.gas) {
      const importance = random.weighted<number>([
        [0, 1],
        [1, 4],
        [2, 8],
        [3, 7],
      ]);
      const difficulty = random.weighted<number>([
        [0, 1],
        [1, 7],
        [2, 8],
        [3, 4],
      ]);
      const levels = template.gas.map((text) => fill(text, state.vars)) as unknown as GasLevels;
      state.gasLevels = levels;
      state.gas = {
        personId: person.personId,
        goalId: random.uuid(),
        outcomeId: state.row.outcomeId,
        levelMinus2: levels[0],
        levelMinus1: levels[1],
        level0: levels[2],
        levelPlus1: levels[3],
        levelPlus2: levels[4],
        baselineLevel: random.chance(0.55) ? -2 : -1,
        importance,
        difficulty,
        weight: importance * difficulty || 1,
        createdByUserId: state.row.createdByUserId,
        createdAt: state.row.createdAt,
      };
      care.gasGoals.push(state.gas);
    }
  });

  // person@demo added one of their own between the first and second reviews, from home.
  const second = conversations[1];
  const third = conversations[2];
  if (isDemoPerson && context.personUser && second && third) {
    const used = new Set(templates);
    const pool = eligibleTemplates(age).filter(
      (t) => !used.has(t) && (t.theme === 'social' || t.theme === 'activity'),
    );
    const template = random.pick(pool.length > 0 ? pool : eligibleTemplates(age).filter((t) => !used.has(t)));
    const day = Math.min(second.day + random.int(3, 10), third.day - 1);
    create(template, { firstIndex: 2, day, minutes: random.int(19 * 60, 21 * 60), byPerson: true });
  }
  return outcomes;
}

function scoreOutcomes(
  context: Context,
  care: DemoCare,
  person: DemoPerson,
  random: Random,
  isDemoPerson: boolean,
  outcomes: OutcomeState[],
  conversations: ConversationState[],
  lead: TeamInfo | null,
): void {
  const personUser = isDemoPerson ? context.personUser : null;
  const carerUser = isDemoPerson ? context.carerUser : null;
  const deltas: number[][] = conversations.map(() => []);
  // How far through the history a day is (0 two years ago, 1 today): the services' slow improvement.
  const progress = (day: number) => clamp((day - (context.today - HISTORY_DAYS)) / HISTORY_DAYS, 0, 1);
  const lower = lead !== null && lead.organisation.id === context.lowerOrganisationId;
  const shiftFrom = context.today - Math.round((SHIFT_MONTHS_AGO * 365) / 12);
  const shifted = (day: number) => lead !== null && lead.team.id === context.shiftTeamId && day >= shiftFrom;

  for (const o of outcomes) {
    // The person's own view: mostly getting better, not always.
    const startedAt = progress(conversations[Math.max(0, o.firstIndex)]?.day ?? context.today);
    let score = random.weighted<number>([
      [1, Math.round(50 - 10 * startedAt + (lower ? 25 : 0))],
      [2, 40],
      [3, Math.round(10 + 10 * startedAt - (lower ? 6 : 0))],
    ]);
    if (o.row.addedBy === 'person' && personUser) {
      care.ratings.push({
        personId: person.personId,
        ratingId: random.uuid(),
        outcomeId: o.row.outcomeId,
        viewpoint: 'person',
        score,
        note: '',
        conversationId: null,
        ratedByUserId: personUser.id,
        ratedAt: o.row.createdAt,
      });
    }
    for (let k = Math.max(0, o.firstIndex); k < conversations.length; k++) {
      const c = conversations[k];
      if (!c) continue;
      if (k > o.firstIndex || o.row.addedBy === 'person') {
        const at = progress(c.day);
        const step = random.weighted<number>([
          [1, Math.round(35 + 20 * at - (lower ? 15 : 0))],
          [0, 40],
          [-1, Math.round(20 - 10 * at + (lower ? 10 : 0))],
        ]);
        const before = score;
        score = clamp(score + step, 1, 4);
        if (k > 0) deltas[k]?.push(score - before);
      }
      o.person[k] = score;
      // Rated as the conversation was written up, just after any new outcomes were recorded.
      const at = isoInstant(c.day, c.recordedMinutes + 5);
      const direction =
        k === o.firstIndex
          ? 'same'
          : score > (o.person[k - 1] ?? score)
            ? 'better'
            : score < (o.person[k - 1] ?? score)
              ? 'worse'
              : 'same';
      const note = () => (random.chance(0.25) ? random.pick(RATING_NOTES[direction]) : '');
      const rate = (viewpoint: Viewpoint, value: number, by: string) =>
        care.ratings.push({
          personId: person.personId,
          ratingId: random.uuid(),
          outcomeId: o.row.outcomeId,
          viewpoint,
          score: clamp(value, 1, 4),
          note: note(),
          conversationId: c.row.conversationId,
          ratedByUserId: by,
          ratedAt: at,
        });
      // The shift team's new way of working lifts how people rate things from then on (the
      // outcome's own course, kept in o.person, goes on as before).
      const shown = clamp(score + (shifted(c.day) && random.chance(0.75) ? 1 : 0), 1, 4);
      rate('person', shown, personUser?.id ?? c.recorder.id);
      if (isDemoPerson || random.chance(0.85)) {
        const jitter = random.chance(0.2) ? random.pick([-1, 1]) : 0;
        rate('practitioner', shown + o.practitionerBias + jitter, c.recorder.id);
      }
      if (c.carer && (isDemoPerson || random.chance(0.8))) {
        rate('carer', shown + o.carerBias, carerUser?.id ?? c.recorder.id);
      }
      if (o.gas && k > o.firstIndex) {
        const start = o.person[o.firstIndex] ?? score;
        const jitter = random.weighted<number>([
          [-1, 15],
          [0, 70],
          [1, 15],
        ]);
        const level = clamp(o.gas.baselineLevel + (score - start) + jitter, -2, 2) as GasLevel;
        o.attainments[k] = level;
        care.gasAttainments.push({
          personId: person.personId,
          attainmentId: random.uuid(),
          goalId: o.gas.goalId,
          level,
          conversationId: c.row.conversationId,
          recordedByUserId: c.recorder.id,
          recordedAt: at,
        });
      }
    }
    const last = o.person[conversations.length - 1];
    if (conversations.length > 1 && last === 4 && random.chance(0.5)) o.row.status = 'achieved';
    else if (conversations.length > 2 && random.chance(0.04)) o.row.status = 'no-longer-relevant';
  }

  conversations.forEach((c, k) => {
    const list = deltas[k] ?? [];
    const sum = list.reduce((a, b) => a + b, 0);
    c.direction = k === 0 || list.length === 0 ? 'same' : sum > 0 ? 'better' : sum < 0 ? 'worse' : 'same';
  });
}

// ---------------------------------------------------------------------------
// Conversation text and participants
// ---------------------------------------------------------------------------

function writeConversation(
  care: DemoCare,
  person: DemoPerson,
  random: Random,
  profile: Profile,
  k: number,
  c: ConversationState,
  conversations: readonly ConversationState[],
  members: readonly Member[],
  keyMember: Member | undefined,
  outcomes: readonly OutcomeState[],
  isDemoPerson: boolean,
  context: Context,
): void {
  const name = person.givenName;
  const vars = { name, month: monthOf(c.day - random.int(10, 40)) };
  const withCarer = c.carer ? ` with ${c.carer.given} (${c.carer.type})` : '';
  const rated = outcomes.filter((o) => o.person[k] !== undefined);
  const top = [...rated].sort((a, b) => b.row.importance - a.row.importance)[0];

  if (k === 0) {
    const place = random.weighted(FIRST_MEETING_PLACES);
    const met =
      place === 'on the phone'
        ? `Spoke to ${name}${withCarer} on the phone.`
        : `Met ${name} ${place}${withCarer}.`;
    const what = top ? ` Most important to ${name} right now: ${quoted(top.row.statement)}.` : '';
    c.row.summary = `${met} ${fill(random.pick(profile.openers), vars)}${what} ${fill(random.pick(FIRST_CLOSINGS), vars)}`;
  } else {
    const previous = conversations[k - 1];
    const changes = rated
      .map((o) => ({ o, change: (o.person[k] ?? 0) - (o.person[k - 1] ?? o.person[k] ?? 0) }))
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
    const biggest = changes[0];
    let detail = '';
    if (biggest) {
      const statement = quoted(biggest.o.row.statement);
      detail =
        biggest.change > 0
          ? ` Real progress on ${statement}.`
          : biggest.change < 0
            ? ` ${statement} has gone backwards since ${previous ? monthOf(previous.day) : 'last time'}.`
            : ` Still working on ${statement}.`;
      const level = biggest.o.attainments[k];
      if (level !== undefined && biggest.o.gasLevels) {
        detail += ` Where things are now: ${lowerFirst(biggest.o.gasLevels[level + 2] ?? '')}.`;
      }
    }
    const disagree = rated.some((o) => o.practitionerBias !== 0) && random.chance(0.4);
    const closing = disagree
      ? `We rated some things differently, and talked about why.`
      : fill(random.pick(REVIEW_CLOSINGS), vars);
    const alsoThere = c.carer ? ` and ${c.carer.given} (${c.carer.type})` : '';
    c.row.summary = `Review with ${name}${alsoThere}. ${fill(random.pick(REVIEW_OPENERS[c.direction]), vars)}${detail} ${closing}`;
    const themes = rated.map((o) => o.template.theme);
    const helpedPool = [...new Set([...themes.flatMap((t) => WHAT_HELPED[t]), ...GENERAL_HELPED])];
    c.row.whatHelped =
      c.direction === 'worse' && random.chance(0.5)
        ? random.pick(GENERAL_HELPED)
        : sample(random, helpedPool, random.int(1, 2)).join('; ');
    c.row.whatGotInTheWay =
      c.direction === 'better' && random.chance(0.4)
        ? ''
        : sample(random, WHAT_GOT_IN_THE_WAY, c.direction === 'worse' ? 2 : 1)
            .map((t) => fill(t, vars))
            .join('; ');
  }

  // Participants: the person, sometimes a carer, and one or two practitioners from the care team.
  const add = (p: Omit<DemoConversationParticipant, 'personId' | 'conversationId' | 'participantId'>) =>
    care.conversationParticipants.push({
      personId: person.personId,
      conversationId: c.row.conversationId,
      participantId: random.uuid(),
      ...p,
    });
  add({
    kind: 'person',
    name: `${person.givenName} ${person.familyName}`,
    userId: isDemoPerson ? (context.personUser?.id ?? null) : null,
    organisationId: null,
    role: '',
  });
  if (c.carer) {
    add({
      kind: 'carer',
      name: c.carer.row.name,
      userId: c.carer.row.carerUserId,
      organisationId: null,
      role: `${c.carer.type} and carer`,
    });
  }
  const present = members.filter((m) => m.startDay <= c.day && m.practitioner !== null);
  const recorderMember = present.find((m) => m.practitioner?.id === c.recorder.id);
  const others = present.filter((m) => m !== recorderMember && m !== keyMember);
  const practitioners: { user: DemoUser; organisationId: string | null }[] = [
    {
      user: c.recorder,
      organisationId: recorderMember?.row.organisationId ?? keyMember?.row.organisationId ?? null,
    },
  ];
  const second = others.length > 0 && random.chance(0.4) ? random.pick(others) : undefined;
  if (second?.practitioner && second.practitioner.id !== c.recorder.id) {
    practitioners.push({ user: second.practitioner, organisationId: second.row.organisationId });
  }
  for (const p of practitioners) {
    add({
      kind: 'practitioner',
      name: p.user.displayName,
      userId: p.user.id,
      organisationId: p.organisationId,
      role: p.user.jobTitle ?? '',
    });
  }
}

// ---------------------------------------------------------------------------
// Care and support plan
// ---------------------------------------------------------------------------

interface ActionIdea {
  what: string;
  kind: 'agency' | 'person' | 'carer' | 'community';
  /** The care team member doing it, for agency actions. */
  member?: Member;
  /** The community resource, and when it runs. */
  resource?: string;
  when?: string;
}

interface PlanPeople {
  person: DemoPerson;
  carer: Circle | null;
}

function agencyWho(random: Random, member: Member): Action['who'] {
  const { info, practitioner, row } = member;
  if (row.userId && practitioner && random.chance(0.25)) {
    return {
      kind: 'practitioner',
      name: `${practitioner.displayName}${practitioner.jobTitle ? `, ${practitioner.jobTitle}` : ''}`,
      organisationId: info.organisation.id,
      teamId: info.team.id,
    };
  }
  if (random.chance(0.7)) {
    return { kind: 'team', name: info.team.name, organisationId: info.organisation.id, teamId: info.team.id };
  }
  return { kind: 'organisation', name: info.organisation.name, organisationId: info.organisation.id };
}

/** Actions that say how often in their own words need no separate "when". */
const SAYS_HOW_OFTEN =
  /\b(every|each|twice|daily|weekly|fortnightly|always|day and night|a day|a week|mornings|afternoons|evenings|weekends)\b/i;

function whenFor(random: Random, idea: ActionIdea, day: number): string | undefined {
  if (idea.when !== undefined) return idea.when;
  if (SAYS_HOW_OFTEN.test(idea.what)) return undefined;
  if (idea.kind === 'person') {
    return random.chance(0.5)
      ? random.pick(['Starting this week', 'Most days', 'Before the next review'])
      : undefined;
  }
  if (idea.kind === 'carer') return random.pick(['When needed', 'Weekends', 'When visiting']);
  return random.pick([
    'Within two weeks',
    `By ${humanDate(day + random.int(21, 70))}`,
    'Before the next review',
    `Starting ${humanDate(day + random.int(7, 28))}`,
    'This month',
  ]);
}

/**
 * What could be done towards a goal, and by whom: the agencies in the care team, the person, a
 * carer and community resources. Actions written for the particular wish come before the general
 * ones for its theme.
 */
function actionIdeas(outcome: OutcomeState, members: readonly Member[], people: PlanPeople): ActionIdea[] {
  const { template } = outcome;
  const theme = template.theme;
  const vars = { ...outcome.vars, name: people.person.givenName };
  const ideas: ActionIdea[] = [];
  for (const member of members) {
    const spec = SERVICES[member.info.service];
    const specific = template.agency?.[member.info.service];
    const themed = spec.themed[theme] ?? [];
    // A service with nothing particular to offer towards this wish is left out of its actions.
    const texts = specific !== undefined ? [specific] : themed;
    for (const text of texts) ideas.push({ what: fill(text, vars), kind: 'agency', member });
  }
  for (const text of template.own ?? PERSON_ACTIONS[theme])
    ideas.push({ what: fill(text, vars), kind: 'person' });
  if (people.carer) {
    for (const text of CARER_ACTIONS[theme]) ideas.push({ what: fill(text, vars), kind: 'carer' });
  }
  for (const resource of COMMUNITY_RESOURCES) {
    if (!resource.themes.includes(theme)) continue;
    for (const action of resource.actions) {
      ideas.push({ what: action.what, kind: 'community', resource: resource.name, when: action.when });
    }
  }
  return ideas;
}

function toAction(random: Random, idea: ActionIdea, people: PlanPeople, day: number): Action {
  const { person, carer } = people;
  const who: Action['who'] =
    idea.kind === 'agency' && idea.member
      ? agencyWho(random, idea.member)
      : idea.kind === 'carer' && carer
        ? { kind: 'carer', name: `${carer.row.name} (${carer.type})` }
        : idea.kind === 'community'
          ? { kind: 'community-resource', name: idea.resource ?? 'Community group' }
          : { kind: 'person', name: `${person.givenName} ${person.familyName}` };
  const status = random.weighted<Action['status']>(
    idea.kind === 'agency'
      ? [
          ['not-started', 45],
          ['in-progress', 50],
          ['done', 5],
        ]
      : [
          ['not-started', 40],
          ['in-progress', 60],
        ],
  );
  const action: Action = { id: random.uuid(), what: idea.what, who, status };
  const when = whenFor(random, idea, day);
  if (when !== undefined) action.when = when;
  if (random.chance(0.8)) action.confidence = random.int(3, 9);
  return action;
}

/** Two to four actions for a goal, from the agencies involved, the person, a carer and the community. */
function goalActions(
  random: Random,
  allIdeas: readonly ActionIdea[],
  people: PlanPeople,
  day: number,
  usedInPlan: Set<string>,
): { actions: Action[]; spare: ActionIdea[] } {
  // The same action twice in one plan reads like a copying mistake.
  const ideas = allIdeas.filter((i) => !usedInPlan.has(i.what));
  const pickFrom = (kind: ActionIdea['kind'], exclude: readonly ActionIdea[] = []) => {
    const pool = ideas.filter((i) => i.kind === kind && !exclude.includes(i));
    return pool.length > 0 ? random.pick(pool) : undefined;
  };
  const chosen: ActionIdea[] = [];
  const agency = pickFrom('agency');
  if (agency) chosen.push(agency);
  if (agency && random.chance(0.45)) {
    const organisation = agency.member?.row.organisationId;
    const otherAgency = ideas.filter(
      (i) => i.kind === 'agency' && i.member?.row.organisationId !== organisation,
    );
    if (otherAgency.length > 0) chosen.push(random.pick(otherAgency));
  }
  if (random.chance(0.7)) {
    const own = pickFrom('person');
    if (own) chosen.push(own);
  }
  if (random.chance(0.35)) {
    const byCarer = pickFrom('carer');
    if (byCarer) chosen.push(byCarer);
  }
  if (random.chance(0.45)) {
    const community = pickFrom('community');
    if (community) chosen.push(community);
  }
  for (const kind of ['person', 'community', 'agency'] as const) {
    if (chosen.length >= 2) break;
    const extra = pickFrom(kind, chosen);
    if (extra) chosen.push(extra);
  }
  const final = chosen.slice(0, 4);
  for (const idea of final) usedInPlan.add(idea.what);
  return {
    actions: final.map((idea) => toAction(random, idea, people, day)),
    spare: ideas.filter((i) => !final.includes(i)),
  };
}

function buildPlan(
  context: Context,
  care: DemoCare,
  person: DemoPerson,
  random: Random,
  profile: Profile,
  isDemoPerson: boolean,
  members: readonly Member[],
  keyMember: Member | undefined,
  circle: readonly Circle[],
  outcomes: readonly OutcomeState[],
  conversations: readonly ConversationState[],
): void {
  const reviews = conversations.length - 1;
  const versionCount = isDemoPerson
    ? Math.min(3, conversations.length)
    : Math.min(
        conversations.length,
        1 +
          (reviews > 0
            ? random.weighted<number>([
                [0, 45],
                [1, 35],
                [2, 20],
              ])
            : 0),
      );
  // Version 1 follows the first conversation; later versions follow reviews.
  const reviewIndexes = conversations.map((_, k) => k).slice(1);
  const later = isDemoPerson
    ? reviewIndexes.slice(-(versionCount - 1))
    : sample(random, reviewIndexes, versionCount - 1).sort((a, b) => a - b);
  const at = [0, ...(versionCount > 1 ? later : [])];

  const carer = circle.find((c) => c.row.isCarer) ?? null;
  const people: PlanPeople = { person, carer };
  const usedInPlan = new Set<string>();
  const keyPractitioner = keyMember?.practitioner ?? context.practitionerUser;
  const keyTeam = keyMember?.info.team.name ?? '';
  const contactFirst = carer ? `Ring my ${carer.type} ${carer.given}` : 'Ring my key worker';
  const spareIdeas = new Map<string, ActionIdea[]>();
  const fullName = `${person.givenName} ${person.familyName}`;
  let content: CarePlanContent | null = null;
  let previousVersionDay = 0;

  for (const [v, k] of at.entries()) {
    const conversation = conversations[k];
    if (!conversation) continue;
    const next = conversations[k + 1];
    const limit = Math.min(next ? next.day - 1 : context.today - 1, context.today - 1);
    const day = Math.max(conversation.day, Math.min(conversation.day + random.int(0, 7), limit));
    const minutes =
      day === conversation.day
        ? conversation.recordedMinutes + random.int(10, 90)
        : random.int(9 * 60, 17 * 60);
    const activeMembers = members.filter((m) => m.startDay <= day);
    const author = conversation.recorder;
    const changes: string[] = [];

    if (content === null) {
      const linked = outcomes.filter((o) => o.createdDay <= day);
      const top = [...linked].sort((a, b) => b.row.importance - a.row.importance)[0];
      const importantPeople = circle
        .slice(0, 3)
        .map(
          (c) => `My ${c.type} ${c.given}${random.pick(IMPORTANT_PEOPLE_TAILS[tailGroup(c.type)] ?? [''])}.`,
        )
        .join(' ');
      const language = LANGUAGE_LINES[person.ethnicCategory];
      const communication =
        language && random.chance(0.5)
          ? random.pick(language)
          : sample(random, COMMUNICATION_LINES, random.int(1, 2)).join(' ');
      content = {
        aboutMe: {
          mostImportant: top
            ? `${random.chance(0.5) ? `${random.pick(MOST_IMPORTANT_LINES)} ` : ''}${top.row.statement}. ${top.row.whyItMatters}`
            : random.pick(MOST_IMPORTANT_LINES),
          importantPeople: importantPeople || "I don't have family nearby. My neighbours are good to me.",
          communication,
          pleaseDo: sample(random, PLEASE_DO, random.int(1, 2)).join(' '),
          pleaseDont: sample(random, PLEASE_DONT, random.int(1, 2)).join(' '),
        },
        strengths: sample(random, STRENGTHS, random.int(2, 4)),
        goals: linked.map((o) => {
          const ideas = actionIdeas(o, activeMembers, people);
          const { actions, spare } = goalActions(random, ideas, people, day, usedInPlan);
          const goal: PlanGoal = {
            id: random.uuid(),
            outcomeId: o.row.outcomeId,
            description: o.row.statement,
            actions,
          };
          spareIdeas.set(goal.id, spare);
          return goal;
        }),
        contingency: {
          triggers: random.pick(profile.triggers),
          whatShouldHappen: fill(random.pick(profile.whatShouldHappen), { contactFirst }),
          whoToContact: [
            `${keyTeam || 'My key worker'}: 01632 960${String(random.int(0, 999)).padStart(3, '0')} (weekdays, 9 to 5).`,
            carer ? `${carer.row.name} (${carer.type}): ${carer.row.contact ?? ''}.` : '',
            'Out of hours: NHS 111. In an emergency: 999.',
          ]
            .filter(Boolean)
            .join(' '),
        },
        review: {
          plannedDate: conversation.row.nextReviewDate,
          responsibleName: keyPractitioner?.displayName ?? '',
          responsibleRole: [keyPractitioner?.jobTitle, keyTeam].filter(Boolean).join(', '),
        },
        agreedWith:
          carer && profile === PROFILES.memory && random.chance(0.5)
            ? {
                name: carer.row.name,
                relationship: `${carer.type} (lasting power of attorney)`,
                agreedOn: isoDate(day),
              }
            : { name: fullName, relationship: 'the person', agreedOn: isoDate(day) },
      };
      const themes = new Map(linked.map((o) => [o.row.outcomeId, o.template.theme]));
      ensureSeveralAgencies(random, content, themes, activeMembers, people, day);
    } else {
      const updated: CarePlanContent = structuredClone(content);
      for (const goal of updated.goals) {
        for (const action of goal.actions) {
          const before = action.status;
          if (before === 'not-started' && random.chance(0.55)) action.status = 'in-progress';
          else if (before === 'in-progress' && random.chance(conversation.direction === 'worse' ? 0.2 : 0.45))
            action.status = 'done';
          else if (before === 'in-progress' && random.chance(0.05)) action.status = 'stopped';
          if (action.status !== before && changes.length < 2) {
            changes.push(
              action.status === 'done'
                ? `${quoted(action.what)} done`
                : action.status === 'stopped'
                  ? `stopped ${quoted(action.what)}`
                  : `${quoted(action.what)} under way`,
            );
          }
          if (action.status !== before && action.confidence !== undefined && action.status !== 'stopped') {
            action.confidence = clamp(action.confidence + random.int(0, 2), 0, 10);
          }
        }
      }
      // Outcomes the person added since the plan was last agreed get a goal of their own.
      for (const o of outcomes) {
        if (o.createdDay <= previousVersionDay || o.createdDay > day) continue;
        if (updated.goals.some((g) => g.outcomeId === o.row.outcomeId)) continue;
        const ideas = actionIdeas(o, activeMembers, people);
        const { actions, spare } = goalActions(random, ideas, people, day, usedInPlan);
        const goal: PlanGoal = {
          id: random.uuid(),
          outcomeId: o.row.outcomeId,
          description: o.row.statement,
          actions,
        };
        updated.goals.push(goal);
        spareIdeas.set(goal.id, spare);
        changes.push(`added a goal for ${quoted(o.row.statement)}`);
      }
      if (random.chance(isDemoPerson ? 1 : 0.6)) {
        const goal = random.pick(updated.goals);
        const spare = (spareIdeas.get(goal.id) ?? []).filter((i) => !usedInPlan.has(i.what));
        if (spare.length > 0 && goal.actions.length < 6) {
          const idea = random.pick(spare);
          const action = toAction(random, idea, people, day);
          usedInPlan.add(idea.what);
          action.status = 'not-started';
          goal.actions.push(action);
          changes.push(`added ${quoted(idea.what)} (${action.who.name})`);
        }
      }
      if (random.chance(0.3)) {
        const strength = random.pick(LATER_STRENGTHS);
        if (!updated.strengths.includes(strength)) {
          updated.strengths.push(strength);
          changes.push('new strength added');
        }
      }
      updated.review.plannedDate = conversation.row.nextReviewDate;
      updated.agreedWith.agreedOn = isoDate(day);
      content = updated;
    }

    const plan: CarePlanContent = content;
    const nextReview = conversation.row.nextReviewDate;
    const changeSummary =
      v === 0
        ? `First plan, agreed with ${plan.agreedWith.name === fullName ? person.givenName : plan.agreedWith.name}.`
        : `Reviewed with ${person.givenName}: ${changes.length > 0 ? changes.join('; ') : 'no changes to the actions'}.${
            nextReview ? ` Next review ${humanDate(toDay(nextReview))}.` : ''
          }`;
    const version = v + 1;
    care.planVersions.push({
      personId: person.personId,
      version,
      content: plan,
      plannedReviewDate: plan.review.plannedDate,
      changeSummary: changeSummary.charAt(0).toUpperCase() + changeSummary.slice(1),
      createdByUserId: author.id,
      createdAt: isoInstant(day, minutes),
    });
    previousVersionDay = day;

    // Comments on this version, before the next version or today.
    const nextVersionConversation = conversations[at[v + 1] ?? -1];
    const commentLimit = Math.min(
      nextVersionConversation ? nextVersionConversation.day - 1 : context.today - 1,
      context.today - 1,
    );
    if (commentLimit <= day) continue;
    const commentDay = () => random.int(day + 1, commentLimit);
    if (isDemoPerson && context.personUser) {
      care.planComments.push({
        personId: person.personId,
        commentId: random.uuid(),
        version,
        body: random.pick(PERSON_COMMENTS),
        authorUserId: context.personUser.id,
        authorViewpoint: 'person',
        createdAt: isoInstant(commentDay(), random.int(18 * 60, 21 * 60)),
      });
      if (v === 0 && context.carerUser) {
        care.planComments.push({
          personId: person.personId,
          commentId: random.uuid(),
          version,
          body: random.pick(CARER_COMMENTS),
          authorUserId: context.carerUser.id,
          authorViewpoint: 'carer',
          createdAt: isoInstant(commentDay(), random.int(19 * 60, 22 * 60)),
        });
      }
    } else if (random.chance(0.12)) {
      // Without an account of their own, the person's words reach the plan through the practitioner.
      const quote = random.pick(PERSON_COMMENTS);
      care.planComments.push({
        personId: person.personId,
        commentId: random.uuid(),
        version,
        body: fill(random.pick(RELAYED_COMMENTS), { name: person.givenName, quote }),
        authorUserId: author.id,
        authorViewpoint: 'practitioner',
        createdAt: isoInstant(commentDay(), random.int(9 * 60, 17 * 60)),
      });
    }
  }
}

/**
 * A shared plan draws on more than one agency whenever the care team has more than one: an agency
 * with no action yet takes on its usual support, under the goal that fits what it does best.
 */
function ensureSeveralAgencies(
  random: Random,
  content: CarePlanContent,
  themes: ReadonlyMap<string, Theme>,
  members: readonly Member[],
  people: PlanPeople,
  day: number,
): void {
  const used = new Set(
    content.goals.flatMap((g) =>
      g.actions.flatMap((a) => (a.who.organisationId ? [a.who.organisationId] : [])),
    ),
  );
  const wanted = Math.min(2, new Set(members.map((m) => m.row.organisationId)).size);
  for (const member of members) {
    if (used.size >= wanted) break;
    if (used.has(member.row.organisationId)) continue;
    const spec = SERVICES[member.info.service];
    const fits = content.goals.find(
      (g) => spec.themed[themes.get(g.outcomeId ?? '') ?? 'voice'] !== undefined,
    );
    const goal = fits ?? content.goals[0];
    if (!goal) return;
    const what = fill(random.pick(spec.actions), { name: people.person.givenName });
    if (content.goals.some((g) => g.actions.some((a) => a.what === what))) continue;
    goal.actions.push(toAction(random, { what, kind: 'agency', member }, people, day));
    used.add(member.row.organisationId);
  }
}
