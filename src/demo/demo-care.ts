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
import type { GasLevel } from '../domain/gas.js';
import type { Viewpoint } from '../domain/ratings.js';
import { MONTH_NAMES } from '../domain/timeline.js';
import {
  DEFAULT_DEMO_TODAY,
  type DemoOrganisation,
  type DemoPerson,
  type DemoPopulation,
  type DemoTeam,
  type DemoUser,
} from './demo-population.js';
import { createRandom, type Random } from './random.js';

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

export type DemoConversationKind = 'first' | 'review';

export interface DemoConversation {
  personId: string;
  conversationId: string;
  kind: DemoConversationKind;
  heldOn: string;
  summary: string;
  whatHelped: string;
  whatGotInTheWay: string;
  nextReviewDate: string | null;
  recordedByUserId: string;
  recordedAt: string;
}

export interface DemoConversationParticipant {
  personId: string;
  conversationId: string;
  participantId: string;
  kind: 'person' | 'carer' | 'practitioner';
  name: string;
  userId: string | null;
  organisationId: string | null;
  role: string;
}

export type DemoOutcomeStatus = 'active' | 'achieved' | 'no-longer-relevant';

export interface DemoPersonalOutcome {
  personId: string;
  outcomeId: string;
  /** Always DEMO_CARE_FRAMEWORK_KEY; the loader looks the framework id up by it. */
  frameworkKey: string;
  statement: string;
  whyItMatters: string;
  importance: number;
  status: DemoOutcomeStatus;
  addedBy: Viewpoint;
  conversationId: string | null;
  createdByUserId: string;
  createdAt: string;
}

export interface DemoOutcomeDomain {
  personId: string;
  outcomeId: string;
  domainCode: DemoDomainCode;
}

export interface DemoOutcomeRating {
  personId: string;
  ratingId: string;
  outcomeId: string;
  viewpoint: Viewpoint;
  /** 1..4 on the default rating scale. */
  score: number;
  note: string;
  conversationId: string | null;
  ratedByUserId: string;
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

export interface DemoGasAttainment {
  personId: string;
  attainmentId: string;
  goalId: string;
  level: GasLevel;
  conversationId: string;
  recordedByUserId: string;
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

type Weighted<T> = readonly (readonly [T, number])[];

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
// Reference text: agencies and the services they give
// ---------------------------------------------------------------------------

type Theme =
  | 'safety'
  | 'activity'
  | 'social'
  | 'health'
  | 'home'
  | 'money'
  | 'mind'
  | 'skills'
  | 'mobility'
  | 'stigma'
  | 'voice';

type ServiceKey =
  | 'district-nursing'
  | 'frailty'
  | 'older-adults-mh'
  | 'gp'
  | 'social-work'
  | 'reablement'
  | 'tenancy'
  | 'independent-living'
  | 'befriending'
  | 'peer-support'
  | 'social-prescribing'
  | 'health-coaching';

/**
 * Which service each generated team gives, by the team's name in demo-population.ts. Teams not
 * listed (the ICB's) hold no caseload. practitioner@demo's team is social work whatever its name.
 */
const TEAM_SERVICES: Readonly<Record<string, ServiceKey>> = {
  'North Neighbourhood District Nursing Team': 'district-nursing',
  'South Neighbourhood District Nursing Team': 'district-nursing',
  'Community Frailty and Falls Team': 'frailty',
  'Older Adults Community Mental Health Team': 'older-adults-mh',
  'Northgate Practice Care Team': 'gp',
  'Millbrook Surgery Care Team': 'gp',
  'Castle Hill Practice Care Team': 'gp',
  'North Locality Social Work Team': 'social-work',
  'Reablement and Independence Team': 'reablement',
  'Tenancy Sustainment Team': 'tenancy',
  'Independent Living Team': 'independent-living',
  'Befriending Service': 'befriending',
  'Peer Support Network': 'peer-support',
  'Social Prescribing Link Worker Service': 'social-prescribing',
  'Health and Wellbeing Coaching': 'health-coaching',
};

interface ServiceSpec {
  supportKind: CareTeamSupportKind;
  roles: readonly string[];
  /** Actions this service might take on any goal. */
  actions: readonly string[];
  /** Actions that fit a goal of a particular kind. */
  themed: Partial<Record<Theme, readonly string[]>>;
}

const SERVICES: Readonly<Record<ServiceKey, ServiceSpec>> = {
  'district-nursing': {
    supportKind: 'nhs',
    roles: [
      'District nursing: leg ulcer care and dressings',
      'District nursing: insulin and diabetes checks',
      'District nursing: pressure care and catheter care',
      'District nursing: wound care after surgery',
    ],
    actions: ['Check skin and pressure areas at each visit', 'Review dressings and equipment monthly'],
    themed: {
      health: ['Nurse to check how things are going at each visit'],
      mobility: ['Check the new footwear is not rubbing'],
      home: ['Order a pressure-relieving cushion for the chair'],
      voice: ['Same nurse for the weekly visits wherever possible'],
    },
  },
  frailty: {
    supportKind: 'nhs',
    roles: [
      'Falls assessment and strength and balance programme',
      'Occupational therapy: equipment and safety at home',
      'Physiotherapy: mobility and falls prevention',
    ],
    actions: ['Falls risk assessment at home'],
    themed: {
      mobility: [
        'Strength and balance exercises: six weeks of home visits',
        'Assess for a second stair rail and a perching stool',
        'Practise getting up from the floor safely',
      ],
      safety: ['Home hazards check with {name}', 'Refer for a pendant alarm and key safe'],
      home: ['Bathing assessment and equipment'],
      activity: ['Exercises to build up stamina for getting out'],
    },
  },
  'older-adults-mh': {
    supportKind: 'nhs',
    roles: [
      'Care coordinator: memory assessment and support after diagnosis',
      'Community mental health nurse: low mood and anxiety',
    ],
    actions: ['Fortnightly visits from the community mental health nurse'],
    themed: {
      mind: ['Try a daily breathing routine together', 'Medication review with the consultant'],
      stigma: ['Refer to the post-diagnosis support group'],
      voice: ['Feedback meeting on the memory assessment, with family if {name} wants'],
      safety: ['Talk through a plan for when {name} feels unsafe or confused'],
    },
  },
  gp: {
    supportKind: 'nhs',
    roles: [
      'GP: long-term conditions and medication reviews',
      'Practice care coordinator: annual review and care planning',
      'Practice nurse: diabetes and COPD reviews',
    ],
    actions: ['Medication review', 'Annual health check'],
    themed: {
      health: ['Review at the practice in six weeks', 'Medication review'],
      mind: ['Review antidepressant dose in four weeks', 'Refer to talking therapies'],
      mobility: ['Refer to community physiotherapy'],
      voice: ['Book longer appointments with the same GP where possible'],
      safety: ['Note the fall and check blood pressure lying and standing'],
    },
  },
  'social-work': {
    supportKind: 'social-care',
    roles: [
      'Social worker: Care Act assessment and support planning',
      'Social worker: review of care and support',
      "Social care assessor: carer's assessment and support",
    ],
    actions: ['Review the care package', 'Share this plan with the care agency'],
    themed: {
      home: [
        'Arrange a change to the care visit times',
        'Look at a direct payment so {name} can choose the carers',
      ],
      voice: [
        'Set up a three-way meeting with the care agency',
        'Make sure the agency has a copy of this plan',
      ],
      safety: ['Talk through what would help {name} feel safer at home'],
      money: ['Financial assessment and benefits check'],
      social: ['Look at day opportunities and transport'],
      activity: ['Arrange transport to the group for the first month'],
    },
  },
  reablement: {
    supportKind: 'social-care',
    roles: [
      'Reablement: six weeks of support to regain daily routines',
      'Occupational therapy: adaptations and equipment',
    ],
    actions: ['Reablement visits for the morning routine, six weeks'],
    themed: {
      mobility: ['Practise walking outdoors with the support worker'],
      home: ['Fit grab rails and a shower seat'],
    },
  },
  tenancy: {
    supportKind: 'housing',
    roles: [
      'Tenancy sustainment: rent, repairs and benefits',
      'Housing officer: neighbour problems and repairs',
    ],
    actions: ['Monthly tenancy check-in visit'],
    themed: {
      money: [
        'Set up an affordable repayment plan for the rent arrears',
        'Help with the Housing Benefit form',
      ],
      home: ['Report the damp and chase the repair'],
      safety: ['Check the door locks and outside lighting, and fix what is needed'],
    },
  },
  'independent-living': {
    supportKind: 'housing',
    roles: [
      'Independent living: sheltered scheme and community alarm',
      'Independent living: adaptations and moving home',
    ],
    actions: ['Independent living review'],
    themed: {
      home: ['Check the home for adaptations that would help'],
      safety: ['Install the community alarm and a door sensor'],
      social: ['Introduce {name} to the coffee morning in the lounge'],
    },
  },
  befriending: {
    supportKind: 'voluntary-community',
    roles: ['Weekly befriending visits', 'Telephone befriending'],
    actions: ['Weekly visit from a volunteer befriender'],
    themed: {
      social: [
        'Match {name} with a befriender with shared interests',
        'Telephone befriending on Sunday afternoons',
      ],
      activity: ['Befriender to go along to the first two sessions'],
    },
  },
  'peer-support': {
    supportKind: 'peer-support',
    roles: ['Peer supporter: fortnightly meet-ups', 'Peer support group'],
    actions: ['Fortnightly meet-up with a peer supporter'],
    themed: {
      mind: ['Peer supporter to share what helped them'],
      stigma: ['Invite {name} to the peer-led group at the library'],
      health: ['Peer support group for people living with the same condition'],
    },
  },
  'social-prescribing': {
    supportKind: 'social-prescribing',
    roles: [
      'Social prescribing link worker: local groups and activities',
      'Link worker: benefits, debt and community support',
    ],
    actions: ['Link worker visit to talk about local groups'],
    themed: {
      activity: ['Find a local group and go along to a taster together'],
      social: ['Introduce {name} to the lunch club and arrange transport'],
      money: ['Refer to Citizens Advice Riverside for a benefits check'],
      skills: ['Find a local course or drop-in that suits {name}'],
      mobility: ['Link {name} with the health walks leader'],
    },
  },
  'health-coaching': {
    supportKind: 'health-coaching',
    roles: ['Health coach: managing a long-term condition', 'Health coach: pacing, sleep and activity'],
    actions: ['Six health coaching sessions'],
    themed: {
      health: ['Agree small weekly goals'],
      mind: ['Coaching on pacing and managing energy'],
      mobility: ['Build up walking a little each week'],
    },
  },
};

interface CommunityResource {
  name: string;
  themes: readonly Theme[];
  actions: readonly { what: string; when: string }[];
}

const COMMUNITY_RESOURCES: readonly CommunityResource[] = [
  {
    name: "Riverside Men's Shed",
    themes: ['activity', 'social', 'mind'],
    actions: [
      { what: "Go along to the Men's Shed", when: 'Tuesday mornings' },
      { what: 'Help with the bench-building project', when: 'Weekly' },
    ],
  },
  {
    name: 'Riverside Health Walks',
    themes: ['mobility', 'health', 'social'],
    actions: [{ what: 'Join the short 20-minute walk from the library', when: 'Thursdays at 10am' }],
  },
  {
    name: 'Millbrook Lunch Club',
    themes: ['social'],
    actions: [{ what: 'Lunch club, with transport arranged', when: 'Wednesdays' }],
  },
  {
    name: "St Mark's Community Café",
    themes: ['social', 'activity'],
    actions: [{ what: 'Coffee morning', when: 'Fridays' }],
  },
  {
    name: 'Riverside Library Digital Drop-in',
    themes: ['skills'],
    actions: [{ what: 'One-to-one help with the tablet', when: 'Monday afternoons' }],
  },
  {
    name: 'Citizens Advice Riverside',
    themes: ['money', 'home'],
    actions: [
      { what: 'Benefits check and help with the forms', when: 'Appointment booked' },
      { what: 'Debt advice appointment', when: 'Within four weeks' },
    ],
  },
  {
    name: 'Riverside Credit Union',
    themes: ['money'],
    actions: [{ what: 'Open a jam-jar account for the bills', when: 'This month' }],
  },
  {
    name: 'Riverside Memory Café',
    themes: ['stigma', 'social', 'voice'],
    actions: [{ what: 'Memory café', when: 'First Monday of the month' }],
  },
  {
    name: 'Riverside Wellbeing Hub',
    themes: ['mind', 'stigma'],
    actions: [
      { what: 'Drop-in session', when: 'Tuesday afternoons' },
      { what: 'Six-week course on managing anxiety', when: 'Starts next month' },
    ],
  },
  {
    name: 'Castle Hill Allotment Society',
    themes: ['activity', 'health'],
    actions: [{ what: 'Raised-bed plot with a buddy gardener', when: 'Saturday mornings' }],
  },
  {
    name: 'Riverside Leisure Centre',
    themes: ['mobility', 'health'],
    actions: [
      { what: 'Gentle swim session', when: 'Monday mornings' },
      { what: 'Exercise on referral, twelve weeks', when: 'Twice a week' },
    ],
  },
  {
    name: 'Northgate Community Pantry',
    themes: ['money'],
    actions: [{ what: 'Pantry membership for affordable food', when: 'Weekly' }],
  },
  {
    name: 'Riverside Dial-a-Ride',
    themes: ['mobility', 'social', 'activity'],
    actions: [{ what: 'Book Dial-a-Ride for the weekly trip out', when: 'Weekly' }],
  },
  {
    name: 'Riverside Recovery Community',
    themes: ['health', 'mind'],
    actions: [{ what: 'Peer-led recovery meeting', when: 'Thursday evenings' }],
  },
  {
    name: 'Riverside Adult Learning',
    themes: ['skills', 'activity'],
    actions: [{ what: 'Enrol on the next short course', when: 'Next term' }],
  },
];

const PERSON_ACTIONS: Readonly<Record<Theme, readonly string[]>> = {
  safety: [
    'Wear the pendant alarm day and night',
    'Keep the door chain on and ask callers for ID',
    'Keep the list of who to call by the phone',
  ],
  activity: [
    'Go along to a taster session',
    'Ring the organiser to say I am coming back',
    'Put the dates on the calendar',
  ],
  social: ['Say yes to at least one invitation a week', 'Phone a friend or relative every Sunday'],
  health: [
    'Keep a diary of how I am getting on',
    'Write my questions down before appointments',
    'Ring the team early if things get worse',
  ],
  home: ['Tell the team what is and is not working at home', 'Keep the hallway clear so I do not trip'],
  money: [
    'Bring all my letters to the appointment',
    'Keep receipts in the folder',
    'Set up a standing order for the rent',
  ],
  mind: [
    'Use the breathing exercise when I feel on edge',
    'Get up and dressed by ten every day',
    'Write down one good thing each evening',
  ],
  skills: ['Practise a little every day', 'Ask for help when I get stuck'],
  mobility: [
    'Do my exercises every morning',
    'Walk to the postbox and back every day',
    'Use the frame every time I get up',
  ],
  stigma: ['Go into town once a week with a friend', 'Tell one person I trust what I am going through'],
  voice: [
    'Write down what I want to say before meetings',
    'Tell the care team when something is not working',
    'Bring my own list to the review',
  ],
};

const CARER_ACTIONS: Readonly<Record<Theme, readonly string[]>> = {
  safety: ['Check in by phone every evening', 'Keep a spare key and be first on the alarm call list'],
  activity: ['Give {name} a lift to the group for the first few weeks'],
  social: ['Bring the children round on Saturday afternoons', 'Set up the video calls on Sundays'],
  health: ['Come to the appointments with {name}', 'Notice if {name} is getting worse and ring the team'],
  home: ['Help with the big shop once a fortnight', 'Be there when the adaptations are fitted'],
  money: ['Help sort the post once a week'],
  mind: ['Go for a short walk together at weekends', 'Notice the early signs and ring the team'],
  skills: ['Practise with {name} at weekends'],
  mobility: ['Walk with {name} to the park on Sundays', 'Help practise getting into the car'],
  stigma: ['Come along to the first few groups'],
  voice: ['Come to reviews to back {name} up, not speak for {name}'],
};

// ---------------------------------------------------------------------------
// Reference text: what matters, in people's own words
// ---------------------------------------------------------------------------

/** Five GAS level descriptions, −2 to +2. */
type GasLevels = readonly [string, string, string, string, string];

interface OutcomeTemplate {
  statement: string;
  why: readonly string[];
  domains: readonly [DemoDomainCode] | readonly [DemoDomainCode, DemoDomainCode];
  theme: Theme;
  vars?: Readonly<Record<string, readonly string[]>>;
  minAge?: number;
  maxAge?: number;
  gas?: GasLevels;
  /** Actions that fit this wish better than the general ones for its theme. */
  own?: readonly string[];
  agency?: Partial<Record<ServiceKey, string>>;
}

// biome-ignore format: one template per block reads better than the formatter's layout
const OUTCOME_TEMPLATES: readonly OutcomeTemplate[] = [
  // Feeling safe
  {
    statement: "I'd like to feel safe in my own home at night",
    why: [
      'Since the break-in down the road I lie awake listening for noises.',
      "I've lived here forty years and I don't want to be scared in my own house.",
      "When I don't sleep, the whole next day is ruined.",
    ],
    domains: ['feeling-safe', 'living-as-you-want'], theme: 'safety',
    gas: [
      'Sleeps in the chair downstairs with the lights on most nights',
      'Goes up to bed but gets up several times to check the doors',
      'Sleeps in bed most nights and checks the doors just once',
      'Sleeps through most nights without worrying',
      'Feels settled at night and no longer needs the landing light on',
    ],
    own: ['Keep the landing light on a timer', 'Keep the list of who to call by the bed'],
    agency: {
      'independent-living': 'Fit a door sensor and an outside light',
      tenancy: 'Check the door locks and outside lighting, and fix what is needed',
      'older-adults-mh': 'Talk through the night-time worries and what helps',
    },
  },
  {
    statement: "I don't want to be frightened of falling every time I stand up",
    why: ["I've had two falls this year and now I'm scared to move.", "If I fall again I'm worried I'll end up in a home."],
    domains: ['feeling-safe', 'improved-confidence'], theme: 'safety', minAge: 60,
    gas: [
      'Stays in the chair most of the day for fear of falling',
      'Moves around the house only when someone is there',
      'Moves around the house alone with the frame most days',
      'Moves around the house and garden confidently with the frame',
      'Walks short distances indoors without the frame and feels steady',
    ],
    own: ['Use the frame every time I get up', 'Do my strength and balance exercises every morning'],
    agency: {
      frailty: 'Strength and balance exercises: six weeks of home visits',
      'independent-living': 'Fit a community alarm with a fall detector',
      gp: 'Medication review for dizziness',
    },
  },
  {
    statement: 'I want to stop worrying that someone will come to the door and con me',
    why: [
      "A man said he was from the water board and took my purse. I've not felt right since.",
      'I live on my own and I feel like an easy target.',
    ],
    domains: ['feeling-safe'], theme: 'safety', minAge: 65,
    gas: [
      'Does not answer the door at all and is anxious whenever it goes',
      'Answers the door but often lets callers in without checking',
      'Uses the door chain and asks for ID every time',
      'Uses the video doorbell and only lets in people expected',
      'Feels in control at the door and warns neighbours about scam callers',
    ],
    own: ['Keep the door chain on and ask callers for ID'],
    agency: {
      'social-work': 'Safeguarding check-in after the doorstep incident',
      'independent-living': 'Fit a video doorbell',
      befriending: 'Talk through the scams to look out for',
    },
  },
  {
    statement: "I want to feel safe walking back from {place} when it's dark",
    vars: { place: ['the bus stop', 'the shops', 'the mosque', 'church', 'the community centre'] },
    why: ["In winter it's dark by four and I end up stuck in.", 'The lads by the underpass frighten me.'],
    domains: ['feeling-safe', 'having-things-to-do'], theme: 'safety',
    own: ['Walk back with a friend after the group', 'Keep my phone charged and on me'],
    agency: {
      'social-prescribing': 'Find a group that finishes before dark, or has a lift home',
      befriending: 'Volunteer to walk back with {name} on dark evenings',
      'social-work': 'Look at the taxi scheme for evening trips',
    },
  },
  {
    statement: "I want to know someone will come quickly if I have a fall",
    why: [
      'Last time I was on the floor for hours before anyone found me.',
      'My family live an hour away and worry themselves sick about me.',
    ],
    domains: ['feeling-safe', 'responded-to'], theme: 'safety', minAge: 60,
    gas: [
      'No way of calling for help if on the floor',
      'Has a pendant alarm but often does not wear it',
      'Wears the pendant alarm during the day and knows who it calls',
      'Wears the pendant day and night and has tested it',
      'Wears the pendant, has a key safe, and family and neighbours know the plan',
    ],
    own: ['Wear the pendant alarm day and night'],
    agency: {
      'independent-living': 'Install the community alarm and a key safe',
      frailty: 'Practise getting up from the floor safely',
      'social-work': 'Agree who responds to the alarm out of hours',
    },
  },
  {
    statement: 'I need the trouble with the people upstairs to stop so I can feel settled at home',
    why: ['The banging and shouting keep me up till three in the morning.', "I dread coming home, and it's my home."],
    domains: ['feeling-safe', 'living-as-you-want'], theme: 'home', maxAge: 85,
    gas: [
      'Incidents most nights; has stopped reporting them',
      'Incidents several times a week; some reported',
      'Every incident reported and the housing association is acting',
      'Incidents rare; feels the problem is being dealt with',
      'No incidents for a month and feels settled at home',
    ],
    own: ['Write down each incident with the date and time'],
    agency: {
      tenancy: 'Log each incident and speak to the neighbours upstairs',
      'social-prescribing': 'Refer to the community mediation service',
    },
  },
  // Having things to do
  {
    statement: 'I want to get back to my {activity} on {day}',
    vars: {
      activity: ['walking group', 'bowls club', 'choir', 'knit and natter group', 'lunch club', 'bingo'],
      day: ['Thursdays', 'Tuesday mornings', 'Friday afternoons', 'Wednesdays'],
    },
    why: [
      "It's where my friends are, and I've not seen them since I was poorly.",
      'It gave my week some shape. Without it the days run into each other.',
      "I've been going for years and I miss the banter.",
    ],
    domains: ['having-things-to-do', 'seeing-people'], theme: 'activity', minAge: 40,
    gas: [
      'Not leaving the house',
      'Goes out only with family, not to the {activity}',
      'Goes to the {activity} with someone once or twice a month',
      'Goes to the {activity} alone most weeks',
      'Goes every week and helps out at the {activity}',
    ],
    own: ['Ring the organiser to say I am coming back'],
    agency: {
      'social-prescribing': 'Go along with {name} to the first {activity} session',
      befriending: 'Befriender to go along to the {activity} for the first few weeks',
      'social-work': 'Arrange transport to the {activity} for the first month',
    },
  },
  {
    statement: "I'd like to get my allotment going again",
    why: [
      'Growing my own veg is the only time my head feels quiet.',
      'We had that plot for twenty years, me and my other half.',
    ],
    domains: ['having-things-to-do', 'staying-well'], theme: 'activity', minAge: 40,
    gas: [
      'Has not been to the allotment since last year',
      'Visits the allotment with help but does no work there',
      'Goes to the allotment weekly and does light jobs from a seat',
      'Grows a few crops, with a neighbour helping with the digging',
      'Runs the plot with raised beds and shares the produce',
    ],
  },
  {
    statement: 'I want to find some volunteering, something useful to do with my days',
    why: ['I worked all my life and now I feel like I\'m on the scrapheap.', 'I want to give something back, not just be on the receiving end.'],
    domains: ['having-things-to-do', 'improved-confidence'], theme: 'activity', maxAge: 78,
    gas: [
      'Not looking, and no idea what is out there',
      'Has talked about volunteering but not made contact',
      'Has met a volunteer coordinator and tried one session',
      'Volunteers regularly, half a day a week',
      'Volunteers twice a week and has taken on a role with responsibility',
    ],
  },
  {
    statement: "I want to get back into work, even if it's just a few hours",
    why: ['Being on benefits makes me feel useless.', 'Work was where I had friends and a routine.'],
    domains: ['having-things-to-do', 'improved-confidence'], theme: 'activity', minAge: 18, maxAge: 64,
    gas: [
      'Not thinking about work; too unwell to plan',
      'Thinking about work but has not spoken to anyone about it',
      'Working with an employment adviser and has an up-to-date CV',
      'Has had an interview or a work trial',
      'In paid work for a few hours a week',
    ],
  },
  {
    statement: 'I want to do a course {course} at the college',
    vars: { course: ['in catering', 'in motor mechanics', 'in English', 'in hair and beauty', 'in computing'] },
    why: ['I left school with nothing and I want to prove I can do it.', "It would get me out of the flat and meeting people my own age."],
    domains: ['having-things-to-do', 'improved-skills'], theme: 'skills', maxAge: 45,
    gas: [
      'Has not looked at courses',
      'Has looked at courses online but not applied',
      'Has applied and been to the open day',
      'Started the course and going to most sessions',
      'Finished the first term of the course',
    ],
    agency: { 'social-prescribing': 'Go to the college open day together' },
  },
  {
    statement: "I'd love to get back to my {hobby}",
    vars: { hobby: ['painting', 'baking', 'fishing', 'woodwork', 'sewing', 'crosswords and reading'] },
    why: ["It's the one thing that takes my mind off the pain.", "I used to do it every day; now I can't remember the last time."],
    domains: ['having-things-to-do'], theme: 'activity',
  },
  {
    statement: 'I want to get to {worship} again',
    vars: { worship: ['church on a Sunday', 'Friday prayers at the mosque', 'the gurdwara', 'the temple', 'chapel'] },
    why: ['My faith has always kept me going, and I miss the people there.', "It's the one place I feel I belong."],
    domains: ['having-things-to-do', 'seeing-people'], theme: 'activity',
    gas: [
      'Has not been able to go for months',
      'Follows the service online at home',
      'Gets there with a lift once or twice a month',
      'Gets there most weeks',
      'Goes every week and has joined in with something there',
    ],
  },
  {
    statement: "I'd like to get to a Riverside Rovers home game with my {kin}",
    vars: { kin: ['son', 'grandson', 'brother', 'nephew'] },
    why: ["I've had a season ticket since I was a boy.", "It's the one thing we've always done together."],
    domains: ['having-things-to-do', 'improved-mobility'], theme: 'activity', minAge: 45,
    gas: [
      'Cannot manage the trip out of the house',
      'Watches the match on the telly with family',
      'Gets to one match with a lift and accessible seating',
      'Goes to most home games with support',
      'Goes to every home game and some away trips',
    ],
  },
  {
    statement: "I want to get out of the house at least once a day, even if it's only to the shop",
    why: ['Four walls all day drives me mad.', 'If I stay in I just sit and brood.'],
    domains: ['having-things-to-do', 'improved-mobility'], theme: 'mobility',
    gas: [
      'Has not been out of the house for weeks',
      'Goes out once a week with family',
      'Goes out three or four days a week, even briefly',
      'Goes out most days',
      'Goes out every day and has a routine for it',
    ],
  },
  // Seeing people
  {
    statement: 'I want to see my grandchildren more',
    why: [
      "They're growing up so fast and I'm missing it.",
      "They're the reason I get up in the morning.",
      'Since I stopped driving I only see them at Christmas.',
    ],
    domains: ['seeing-people'], theme: 'social', minAge: 55,
    gas: [
      'Sees the grandchildren only on special occasions',
      'Sees them once a month when they visit',
      'Sees them every fortnight, at home or theirs',
      'Sees them every week and has them round for tea',
      'Has them for a regular afternoon each week',
    ],
  },
  {
    statement: "I don't want to feel so lonely in the evenings",
    why: [
      "Once the carers have been at six, I see no one until morning.",
      'Since I lost my other half the evenings are the worst.',
      'I keep the telly on just for the noise.',
    ],
    domains: ['seeing-people', 'improved-confidence'], theme: 'social',
    gas: [
      'Speaks to nobody from teatime until morning',
      'Has a phone call with someone once or twice a week',
      'Has a phone or video call most evenings',
      'Goes out to something in the evening once a week',
      'Has regular evening plans and says the evenings are all right now',
    ],
  },
  {
    statement: "I want to be able to get to my {relative} house on the bus",
    vars: { relative: ["daughter's", "son's", "sister's", "friend Jean's"] },
    why: ["I don't want to always wait for them to come to me.", "It's only three stops but for me it might as well be the moon."],
    domains: ['seeing-people', 'improved-mobility'], theme: 'social', minAge: 50,
    gas: [
      'Does not go out without a lift',
      'Has done the bus journey once with a support worker',
      'Gets the bus with someone most weeks',
      'Gets the bus alone at quiet times',
      'Gets the bus alone whenever wanted',
    ],
  },
  {
    statement: "I'd like to have a friend I can have a cuppa and a chat with",
    why: ['Some days the only person I talk to is the lady in the shop.', "I just want someone who isn't paid to come."],
    domains: ['seeing-people'], theme: 'social',
    gas: [
      'No regular visitors apart from paid staff',
      'A telephone befriender calls every week',
      'A befriender visits every week',
      'Has a friend from a group and sees them outside it',
      'Has a few friends and arranges to meet them',
    ],
  },
  {
    statement: 'I want to be able to video call my family abroad',
    why: ["I haven't seen my sister's face in years.", "The phone costs a fortune and I can't see the little ones."],
    domains: ['seeing-people', 'improved-skills'], theme: 'skills',
    gas: [
      'No device and no way of video calling',
      'Has a tablet but relies on a neighbour to make calls',
      'Makes a video call with help from a volunteer',
      'Makes video calls alone most weeks',
      'Makes video calls whenever wanted and shows friends how',
    ],
    own: ['Practise a video call with the volunteer'],
    agency: {
      befriending: 'Befriender to set up the video calls',
      'social-prescribing': 'Book a place at the library digital drop-in',
    },
  },
  {
    statement: 'I want to be there for my kids again, not the other way round',
    why: ["My kids have been looking after me and it should be me looking after them.", 'I want to be a parent again, not a patient.'],
    domains: ['seeing-people', 'improved-confidence'], theme: 'mind', minAge: 28, maxAge: 60,
  },
  // Staying as well as you can
  {
    statement: 'I want to manage my own medication again',
    why: [
      "I've always been independent and I hate someone else doling out my tablets.",
      "I got muddled and ended up in hospital. I don't want that again.",
    ],
    domains: ['staying-well', 'improved-skills'], theme: 'health',
    gas: [
      'Carers give all tablets from the blister pack',
      'Takes the morning tablets with a prompt phone call',
      'Takes all tablets from the dosette box with a phone reminder',
      'Manages tablets alone, checked weekly',
      'Orders own repeat prescriptions and manages tablets without checks',
    ],
    own: ['Take my tablets from the dosette box, with the phone reminder'],
    agency: {
      gp: 'Medication review and switch to a dosette box',
      'district-nursing': 'Check the dosette box at each visit',
      reablement: 'Practise taking tablets with the reminder app',
      'older-adults-mh': 'Weekly tablet check by the nurse',
    },
  },
  {
    statement: 'I want to get my sugars under control so I stop worrying about my feet',
    why: ['My dad lost a leg to diabetes and it terrifies me.', 'I feel rotten when my sugars are all over the place.'],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health', minAge: 30,
    gas: [
      'Not checking blood sugar; HbA1c rising',
      'Checks blood sugar now and then; diet unchanged',
      'Checks blood sugar most days and has cut out sugary drinks',
      'Blood sugar in range most days; checks own feet every week',
      'HbA1c back in target and confident managing diabetes',
    ],
    own: ['Check my blood sugar before breakfast', 'Swap fizzy drinks for sugar-free ones'],
    agency: {
      gp: 'Diabetes review and blood tests',
      'district-nursing': 'Show {name} how to check blood sugar and feet',
      'health-coaching': 'Agree small changes to food and drink',
      'peer-support': 'Diabetes peer support group',
    },
  },
  {
    statement: 'I want to walk up the stairs without stopping for breath',
    why: ["My bedroom's upstairs and I'm not giving it up.", "I'm out of puff before I get to the top and it frightens me."],
    domains: ['staying-well', 'improved-mobility'], theme: 'health', minAge: 40,
    gas: [
      'Sleeping downstairs; cannot manage the stairs',
      'Manages the stairs once a day with two long rests',
      'Manages the stairs with one rest, using the breathing technique',
      'Manages the stairs without stopping most days',
      'Manages the stairs easily and walks to the shop without stopping',
    ],
    own: ['Do my breathing exercises twice a day', 'Use my inhaler before tackling the stairs'],
    agency: {
      gp: 'Review inhalers and agree a rescue pack',
      'health-coaching': 'Referral to pulmonary rehab, and a pacing plan',
      'district-nursing': 'Check oxygen levels at each visit',
      frailty: 'Stair practice with the physio',
    },
  },
  {
    statement: 'I want to stop ending up in A&E every few weeks',
    why: ['Every time I go in I come out weaker.', "I'd rather be sorted out at home than sit on a trolley all night."],
    domains: ['staying-well', 'responded-to'], theme: 'health',
    gas: [
      'At A&E more than twice a month',
      'At A&E about once a month',
      'Has an agreed plan and no A&E visits for two months',
      'Uses the plan and calls the team first; no A&E for three months',
      'No A&E visits for six months and knows what to do when unwell',
    ],
    own: ['Ring the team number before going to A&E'],
    agency: {
      gp: 'Agree an anticipatory care plan and share it with 111',
      'district-nursing': 'Same-day visit when {name} rings in',
      'social-work': 'Make sure the evening care call can reach the nurse if needed',
    },
  },
  {
    statement: 'I want to cut down on my drinking',
    why: ["It's got out of hand since I lost my job.", "The family won't come round when I've had a drink, and I don't blame them."],
    domains: ['staying-well', 'improved-confidence'], theme: 'health', minAge: 18,
    gas: [
      'Drinking every day, more than before',
      'Drinking every day but has talked to someone about it',
      'Two or three drink-free days a week',
      'Drink-free most days and going to a support group',
      'Not drinking and supporting others at the group',
    ],
    own: ['Keep a drink diary', 'Have two drink-free days a week'],
    agency: {
      gp: 'Refer to the alcohol service and check liver tests',
      'peer-support': 'Introduce {name} to the recovery group',
      'health-coaching': 'Plan what to do instead at the times I usually drink',
    },
  },
  {
    statement: "I'd like to lose a bit of weight so my knees don't hurt so much",
    why: ['The doctor says my knees would be better with less weight on them.', 'I want to get about without being in agony after.'],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health', minAge: 30,
    gas: [
      'Weight going up; not ready to change anything',
      'Thinking about changes; weight the same',
      'Lost half a stone and walking a little each day',
      'Lost a stone and knees less painful',
      'Reached the weight aimed for and keeping it off',
    ],
    own: ['Walk a little further each day', 'Swap the afternoon biscuits for fruit'],
    agency: {
      gp: 'Refer to the weight management programme',
      'health-coaching': 'Set small weekly goals for food and activity',
    },
  },
  {
    statement: 'I want to sleep properly again',
    why: ["I'm up at three every night with my mind racing.", "When I don't sleep I can't cope with anything."],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health',
    gas: [
      'Sleeps less than three hours most nights',
      'Sleeps about four hours, with broken nights',
      'Sleeps five or six hours most nights',
      'Sleeps most of the night on most nights',
      'Sleeps well and wakes feeling rested',
    ],
    own: ['Keep a sleep diary', 'No telly in the bedroom after eleven'],
    agency: {
      gp: 'Review medicines that might affect sleep',
      'health-coaching': 'Coaching on sleep and winding down',
      'older-adults-mh': 'Try a wind-down routine for the evenings',
    },
  },
  {
    statement: 'I want to give up smoking, for good this time',
    why: ["I can't breathe and I know the cigarettes aren't helping.", 'It costs me money I haven\'t got.'],
    domains: ['staying-well'], theme: 'health', minAge: 18,
    gas: [
      'Smoking more than twenty a day',
      'Has set a quit date with the stop smoking service',
      'Using patches and down to a few a day',
      'Not smoked for four weeks',
      'Not smoked for three months',
    ],
    own: ['Set a quit date and tell my family'],
    agency: {
      gp: 'Refer to the stop smoking service and prescribe patches',
      'health-coaching': 'Weekly check-in while quitting',
    },
  },
  {
    statement: 'I want to keep my leg ulcer healed so I can wear proper shoes again',
    why: ["I've been in slippers for a year and I'm embarrassed to go out.", 'The dressings take over my life.'],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health', minAge: 55,
    gas: [
      'Ulcer open and getting bigger',
      'Ulcer open but not getting worse',
      'Ulcer healing; dressings down to twice a week',
      'Ulcer healed and wearing compression stockings',
      'Healed for three months and back in proper shoes',
    ],
    own: ['Keep my legs up in the afternoons', 'Wear the compression stockings every day'],
    agency: {
      'district-nursing': 'Leg ulcer dressings twice a week until healed',
      gp: 'Vascular review and Doppler test',
    },
  },
  {
    statement: "I want to be able to breathe easier when I'm out and about",
    why: ['I plan every trip around where I can sit down.', "I panic when I'm out of breath in the street."],
    domains: ['reduced-symptoms', 'improved-mobility'], theme: 'health', minAge: 40,
    own: ['Use my inhaler before going out', 'Plan trips with places to sit down'],
    agency: { gp: 'Review inhalers', 'health-coaching': 'Breathing control and pacing plan' },
  },
  // Living where and as you want
  {
    statement: 'I want to stay in my own home, not go into a care home',
    why: [
      'All my memories are in this house.',
      'I watched my mother go into a home and she gave up.',
      "I've got my garden and my neighbours; I'd be lost anywhere else.",
    ],
    domains: ['living-as-you-want', 'feeling-safe'], theme: 'home', minAge: 60,
    gas: [
      'Family and staff talking about a care home',
      'At home with daily care visits but struggling',
      'At home with care visits and equipment, managing safely',
      'At home and managing with fewer visits',
      'At home, managing well and planning ahead on own terms',
    ],
  },
  {
    statement: 'I want to have a bath when I want one, not when it suits the rota',
    why: ["I've had a bath before bed all my life.", "It's my body and my routine."],
    domains: ['living-as-you-want', 'having-a-say'], theme: 'voice',
  },
  {
    statement: "I'd like to move somewhere on the ground floor, nearer my {relative}",
    vars: { relative: ['daughter', 'son', 'sister', 'family'] },
    why: ['The stairs to my flat are a prison.', 'I want to be close enough for them to pop in.'],
    domains: ['living-as-you-want', 'seeing-people'], theme: 'home', minAge: 50,
    gas: [
      'Not on the housing list',
      'On the housing list but not yet bidding',
      'Bidding every week for ground-floor homes',
      'Has viewed a suitable home',
      'Moved into a ground-floor home near family',
    ],
    agency: {
      'independent-living': 'Look at ground-floor flats in the sheltered scheme',
      tenancy: 'Add {name} to the housing register with medical priority',
      'social-work': 'Support the housing application with an assessment',
    },
  },
  {
    statement: "I want to keep my flat. I can't lose my tenancy",
    why: ["If I lose this place I've nowhere to go.", "I've been homeless before and I'm not going back to that."],
    domains: ['living-as-you-want', 'feeling-safe'], theme: 'money', maxAge: 80,
    gas: [
      'Notice seeking possession served; arrears rising',
      'Arrears rising but talking to the housing officer',
      'Repayment plan agreed and rent paid most weeks',
      'Rent paid every week and arrears coming down',
      'Arrears cleared and tenancy secure',
    ],
  },
  {
    statement: 'I want to get on top of the clutter so people can come round again',
    why: ["I'm ashamed to let anyone through the door.", "I can't get into the back bedroom and the fire officer says it's a risk."],
    domains: ['living-as-you-want', 'seeing-people'], theme: 'home',
    gas: [
      'Rooms full and exits blocked',
      'One room cleared with help',
      'Kitchen and hall clear and safe to use',
      'Most of the house clear and a friend has visited',
      'House kept clear and visitors come regularly',
    ],
    own: ['Clear one bag a week with my support worker'],
    agency: {
      tenancy: 'Arrange a clear-out with the specialist team',
      'social-work': 'Agree a plan with {name} to clear one room at a time',
      'older-adults-mh': 'Talk through what makes it hard to let things go',
    },
  },
  {
    statement: 'I want to be able to get myself washed and dressed in the morning',
    why: ["I don't want a stranger doing that for me.", 'If someone else does it, I feel useless before the day has started.'],
    domains: ['living-as-you-want', 'improved-skills'], theme: 'home',
    gas: [
      'Needs two carers for all washing and dressing',
      'Needs one carer for all washing and dressing',
      'Washes face and top half and dresses top half; help with the rest',
      'Washes and dresses using equipment, with a carer nearby',
      'Washes and dresses without help',
    ],
    own: ['Practise my morning routine with the reablement team'],
    agency: {
      reablement: 'Practise washing and dressing with the equipment',
      frailty: 'Bathing assessment and equipment',
      'social-work': 'Change the morning call to support rather than do for {name}',
    },
  },
  {
    statement: 'I want my money sorted so the bills stop frightening me',
    why: ["I don't open the post any more because I'm scared of what's in it.", "I'm choosing between heating and eating."],
    domains: ['living-as-you-want', 'feeling-safe'], theme: 'money',
    gas: [
      'Bills unopened and debts growing',
      'Has handed the letters to an adviser',
      'Benefits checked and a payment plan for the main debts',
      'Paying bills on time with a budget',
      'Managing money confidently with a little put by',
    ],
  },
  {
    statement: "I'd like a place of my own",
    why: ["I'm thirty and still in my mum's box room.", 'I want my own front door like everyone else.'],
    domains: ['living-as-you-want', 'improved-skills'], theme: 'home', minAge: 18, maxAge: 45,
    gas: [
      'Not on the housing register; no plan',
      'On the register and learning to budget',
      'Doing own shopping and cooking with support',
      'Offered a supported tenancy and visited it',
      'Living in own flat with support',
    ],
  },
  {
    statement: "I want to keep my {pet} with me. She's family",
    vars: { pet: ['dog', 'cat'] },
    why: ["She's the reason I get out of bed.", "If she went, I'd have nothing."],
    domains: ['living-as-you-want'], theme: 'home',
  },
  {
    statement: 'I want to be warm at home without worrying about the bill',
    why: ["I've been sitting in my coat with a hot water bottle.", 'The damp is making my chest worse.'],
    domains: ['living-as-you-want', 'staying-well'], theme: 'money',
    gas: [
      'Home cold and damp; heating off most days',
      'Heating on for an hour a day',
      'Grants and discounts applied for; heating on when needed',
      'Home warm in the day and the damp treated',
      'Home warm, damp fixed, and bills affordable',
    ],
  },
  // Confidence, mood and symptoms
  {
    statement: 'I want to stop feeling so on edge all the time',
    why: ["My heart races over nothing and I can't settle.", 'I snap at everyone and then feel awful about it.'],
    domains: ['improved-confidence', 'reduced-symptoms'], theme: 'mind',
    gas: [
      'On edge all day, every day; not leaving the house',
      'On edge most of the day; uses the breathing exercise when reminded',
      'Some calm days each week; uses the breathing exercise alone',
      'Calm most days and copes with setbacks',
      'Feels settled and helps others who are anxious',
    ],
  },
  {
    statement: 'I want to feel like myself again',
    why: ["I don't recognise myself in the mirror these days.", 'I used to be the life and soul.'],
    domains: ['improved-confidence', 'staying-well'], theme: 'mind',
  },
  {
    statement: "I'd like to be able to go to the shops without panicking",
    why: ["I had a panic attack in the supermarket and I've not been back.", 'I hate relying on my sister to do my shopping.'],
    domains: ['improved-confidence', 'reduced-symptoms'], theme: 'mind',
    gas: [
      'Cannot go into any shop',
      'Goes into the corner shop with someone',
      'Goes into the corner shop alone at quiet times',
      'Does the weekly shop at the supermarket with someone',
      'Does the weekly shop alone',
    ],
  },
  {
    statement: 'I want the panic attacks to stop running my life',
    why: ["I've cancelled so many things I've stopped making plans.", "I'm scared of being scared."],
    domains: ['reduced-symptoms', 'improved-confidence'], theme: 'mind', maxAge: 75,
    gas: [
      'Several panic attacks a day',
      'A panic attack most days',
      'Two or three a week, and uses the grounding technique',
      'Rare, and knows how to manage one',
      'None for a month and doing things avoided before',
    ],
  },
  {
    statement: 'I want to get through the day without feeling so low',
    why: ["Some days I don't see the point of getting dressed.", 'I want to enjoy things again.'],
    domains: ['reduced-symptoms', 'improved-confidence'], theme: 'mind',
    gas: [
      'In bed most of the day and not eating well',
      'Up and dressed some days',
      'Up and dressed most days with one thing planned',
      'Doing something enjoyable most days',
      'Mood good most days and planning things to look forward to',
    ],
  },
  {
    statement: 'I want to get the bus on my own again',
    why: ["Since the fall I've lost my nerve.", 'My bus pass is sat in the drawer.'],
    domains: ['improved-confidence', 'improved-mobility'], theme: 'mobility',
    gas: [
      'Has not been on a bus for months',
      'Has been on the bus with a support worker',
      'Gets the bus with someone once a week',
      'Gets the bus alone for short, familiar trips',
      'Gets the bus alone wherever wanted',
    ],
    own: ['Take the bus one stop with someone, then two'],
    agency: {
      'social-prescribing': 'Travel with {name} on the bus the first few times',
      reablement: 'Practise the bus journey with the support worker',
    },
  },
  // Skills
  {
    statement: 'I want to learn to use my tablet so I can do my own shopping online',
    why: ["Everyone says 'just do it online' and I feel left behind.", "I don't want to be asking my son every time I need something."],
    domains: ['improved-skills', 'living-as-you-want'], theme: 'skills', minAge: 50,
    gas: [
      'Tablet still in the box',
      'Can switch it on and make a video call with help',
      'Can look things up and send emails using a crib sheet',
      'Does an online shop with someone nearby',
      'Does online shopping and banking alone',
    ],
    own: ['Practise on the tablet for ten minutes a day'],
    agency: {
      'social-prescribing': 'Book a place at the library digital drop-in',
      befriending: 'Befriender to help with the tablet during visits',
    },
  },
  {
    statement: 'I want to be able to cook a proper meal for myself again',
    why: ["I'm sick of microwave meals.", "I used to cook for the whole family; now I can't manage a sandwich."],
    domains: ['improved-skills', 'living-as-you-want'], theme: 'skills',
    gas: [
      'Relies on ready meals or others for every meal',
      'Makes hot drinks and snacks safely',
      'Cooks a simple hot meal with someone there',
      'Cooks a hot meal alone two or three times a week',
      'Cooks most meals and has had someone round for dinner',
    ],
    own: ['Cook one hot meal a week with support'],
    agency: {
      reablement: 'Kitchen practice: making a hot meal safely',
      'social-prescribing': 'Find a community cookery class',
      'health-coaching': 'Plan simple, cheap meals together',
    },
  },
  {
    statement: "I want to learn to budget so I don't run out before payday",
    why: ["Every month I'm at the food bank by the third week.", 'I want to feel like a grown-up with my own money.'],
    domains: ['improved-skills', 'living-as-you-want'], theme: 'money', maxAge: 64,
    gas: [
      'Runs out of money in the first week',
      'Runs out in the second week; has a budget sheet',
      'Makes money last to the third week with weekly check-ins',
      'Makes money last the month most months',
      'Makes money last every month and saves a little',
    ],
  },
  {
    statement: 'I want to read better so I can fill in my own forms',
    why: ["I've hidden it all my life and I'm fed up of pretending.", 'I hate asking people to read my letters.'],
    domains: ['improved-skills', 'improved-confidence'], theme: 'skills', maxAge: 75,
    agency: { 'social-prescribing': 'Find an adult literacy class nearby' },
  },
  // Mobility
  {
    statement: 'I want to get back to my walking. To the park and back would do',
    why: ['Walking was always my thing; it clears my head.', 'If I can walk, I can do everything else.'],
    domains: ['improved-mobility', 'staying-well'], theme: 'mobility',
    gas: [
      'Not leaving the house',
      'Walks to the end of the road with help',
      'Walks to the shop and back twice a week',
      'Goes to the walking group most weeks',
      'Leads part of the walk',
    ],
    own: ['Walk to the postbox and back every day'],
    agency: {
      'social-prescribing': 'Link {name} with the health walks leader',
      frailty: 'Strength and balance exercises: six weeks of home visits',
    },
  },
  {
    statement: 'I want to be able to get upstairs to my own bed again',
    why: ["I've been sleeping in the front room since the hospital and I hate it.", "It's my bed and I want to be in it."],
    domains: ['improved-mobility', 'living-as-you-want'], theme: 'mobility', minAge: 50,
    gas: [
      'Sleeping on the settee downstairs',
      'Bed downstairs; practising the stairs with the physio',
      'Manages the stairs with a rail and someone watching',
      'Sleeps upstairs most nights',
      'Uses the stairs freely day and night',
    ],
    agency: { frailty: 'Stair practice with the physio', 'independent-living': 'Fit a second stair rail' },
  },
  {
    statement: 'I want to be able to get in and out of the car so my {kin} can take me out',
    vars: { kin: ['son', 'daughter', 'husband', 'wife', 'friend'] },
    why: ['We used to go to the coast every Sunday.', "I'm stuck in unless I can get into the car."],
    domains: ['improved-mobility', 'seeing-people'], theme: 'mobility', minAge: 50,
    gas: [
      'Cannot get into a car',
      'Gets into the car with two people helping',
      'Gets into the car with one person and the swivel cushion',
      'Gets in and out with the swivel cushion and a little help',
      'Gets in and out of the car alone',
    ],
    agency: {
      reablement: 'Practise getting in and out of the car with the OT',
      frailty: 'Supply a swivel cushion and practise transfers',
    },
  },
  {
    statement: 'I want to be able to walk {grandchild} to school again',
    vars: { grandchild: ['my granddaughter', 'my grandson', 'the little ones'] },
    why: ["It's our special time together.", 'It helps my daughter out, with her working.'],
    domains: ['improved-mobility', 'seeing-people'], theme: 'mobility', minAge: 50, maxAge: 80,
    gas: [
      'Not able to walk to the school gate',
      'Walks part of the way with a rest',
      'Walks to school one day a week',
      'Walks to school three days a week',
      'Walks to and from school every day',
    ],
  },
  // Dealing with stigma and discrimination
  {
    statement: "I want to be able to go into town in my wheelchair without feeling everyone's staring",
    why: ['People talk to whoever is pushing me, not to me.', 'I feel like a spectacle.'],
    domains: ['dealing-with-stigma', 'improved-confidence'], theme: 'stigma',
    gas: [
      'Not going into town at all',
      'Goes into town only with family, and hates it',
      'Goes to one shop in town with a support worker',
      'Goes into town with a friend and enjoys it',
      'Goes into town alone using accessible transport',
    ],
  },
  {
    statement: "I want people to stop treating me like I'm stupid because of my memory",
    why: ["I forget things. I'm not daft.", 'People finish my sentences for me and it makes me feel small.'],
    domains: ['dealing-with-stigma', 'treated-with-respect'], theme: 'stigma', minAge: 55,
  },
  {
    statement: "I want to tell my family about my mental health without them thinking I'm weak",
    why: ['In my family you just get on with it.', "I'm tired of pretending everything's fine."],
    domains: ['dealing-with-stigma', 'seeing-people'], theme: 'stigma', maxAge: 75,
    gas: [
      'Has told no one',
      'Has told one person outside the family',
      'Has talked to one family member',
      'Family know and some are supportive',
      'Talks openly with family and feels understood',
    ],
  },
  {
    statement: "I don't want my past to be the first thing people see",
    why: ["I've done my time and I'm trying to do right.", 'Every form asks about it and every door closes on me.'],
    domains: ['dealing-with-stigma', 'improved-confidence'], theme: 'stigma', maxAge: 60,
  },
  {
    statement: 'I want to feel I belong round here and stop getting comments in the street',
    why: ["I've lived here twenty years and some people still shout at me.", "My family shouldn't have to hear that."],
    domains: ['dealing-with-stigma', 'feeling-safe'], theme: 'stigma',
  },
  {
    statement: 'I want to be able to say I hear voices without people backing away',
    why: ['The voices are part of my life and I manage them.', 'As soon as I mention it people look at me differently.'],
    domains: ['dealing-with-stigma', 'listened-to'], theme: 'stigma', maxAge: 65,
  },
  // How people are treated: listened to, having a say, respect
  {
    statement: "I want people to actually listen to what I'm saying",
    why: ['I know my own body and nobody seems to hear me.', 'I say it and then they do what they were going to do anyway.'],
    domains: ['listened-to', 'treated-with-respect'], theme: 'voice',
    gas: [
      'Feels ignored at every meeting',
      'Feels listened to by one worker',
      'Own words written into the plan and read back',
      'Says most of the care team listen',
      'Leads own review meeting',
    ],
  },
  {
    statement: 'I want the doctors to take my pain seriously',
    why: ["I've been told it's my age so many times.", "I'm not making it up."],
    domains: ['listened-to', 'reduced-symptoms'], theme: 'voice',
  },
  {
    statement: "I don't want to have to tell my story over and over to every new person",
    why: ['Every new face wants the whole history and it wears me out.', 'It brings it all back for me every time.'],
    domains: ['listened-to', 'reliability'], theme: 'voice',
  },
  {
    statement: 'I want people to talk to me about my care, not to my {kin}',
    vars: { kin: ['daughter', 'son', 'husband', 'wife'] },
    why: ["I'm sat right there.", "I may be old but I've still got my marbles."],
    domains: ['listened-to', 'treated-with-respect'], theme: 'voice', minAge: 60,
  },
  {
    statement: 'I want a say in who comes into my home to help me',
    why: ["They send whoever's free and I've had twelve different faces this month.", "I'm letting strangers see me at my worst."],
    domains: ['having-a-say', 'feeling-safe'], theme: 'voice',
    gas: [
      'Agency sends whoever is free; no say at all',
      'Has raised it with the agency',
      'Has a core team of three regular carers',
      'Mostly the same two carers, and meets any new ones first',
      'Chooses own personal assistants through a direct payment',
    ],
  },
  {
    statement: 'I want to decide for myself what my support money is spent on',
    why: ["The day centre isn't for me. I'd rather go swimming.", 'I know better than anyone what would help.'],
    domains: ['having-a-say', 'living-as-you-want'], theme: 'voice',
    gas: [
      'Support arranged without asking',
      'Has asked about a direct payment',
      'Direct payment agreed and support planned around own choices',
      'Using the direct payment for chosen support',
      'Manages the direct payment and changes the support as needed',
    ],
  },
  {
    statement: "I want to be part of the decisions about my care, not just told what's happening",
    why: ["Last time they'd decided before I even got there.", "It's my life they're talking about."],
    domains: ['having-a-say', 'listened-to'], theme: 'voice',
  },
  {
    statement: 'I want to choose what time I go to bed',
    why: ['Being put to bed at seven like a child makes me feel humiliated.', "I've always been a night owl."],
    domains: ['having-a-say', 'living-as-you-want'], theme: 'voice',
    gas: [
      "Put to bed at the agency's time, around 7pm",
      'Has asked for a later call',
      'Bedtime call moved to 9pm most nights',
      'Bedtime call at the chosen time most nights',
      'Goes to bed when chosen, with equipment and an on-call service',
    ],
  },
  {
    statement: "I want to be called by my name, not 'love' or 'sweetheart'",
    why: ["It's a small thing but it makes me feel like a person.", "I'm not a child."],
    domains: ['treated-with-respect'], theme: 'voice',
  },
  {
    statement: "I'd like my personal care done by someone of the same sex as me",
    why: ["It's about my dignity, and for me it's about my faith too.", "I'm a private person and I can't relax otherwise."],
    domains: ['treated-with-respect', 'having-a-say'], theme: 'voice',
  },
  {
    statement: 'I want people to respect my faith and my food',
    why: ["The carers brought me food I can't eat and didn't ask.", 'Prayer times matter to me and the visits keep clashing.'],
    domains: ['treated-with-respect', 'living-as-you-want'], theme: 'voice',
  },
  {
    statement: 'I want to be treated like an adult, not a problem to be managed',
    why: ["Everyone talks about my 'behaviours' instead of asking me what's wrong.", "I've got my own ideas about my life."],
    domains: ['treated-with-respect', 'improved-confidence'], theme: 'voice', maxAge: 45,
  },
  // Being responded to, reliability
  {
    statement: 'When I ring for help I want someone to ring me back the same day',
    why: ['I left three messages and nobody called back.', "When I'm bad I can't wait a week."],
    domains: ['responded-to', 'feeling-safe'], theme: 'voice',
  },
  {
    statement: 'I need the adaptations done so I can get in and out of the shower',
    why: ["I've been washing at the sink for six months.", "The OT came in the spring and I'm still waiting."],
    domains: ['responded-to', 'living-as-you-want'], theme: 'home',
    gas: [
      'Waiting, with no date for the adaptation',
      'Assessment done; waiting for approval',
      'Approved, with a date for fitting',
      'Level-access shower fitted',
      'Showers alone, when wanted, in the new shower',
    ],
    agency: {
      'independent-living': 'Arrange the level-access shower',
      reablement: 'OT assessment for the shower',
      'social-work': 'Chase the adaptation approval',
    },
  },
  {
    statement: "I want to know who to call when things get bad, and that they'll answer",
    why: ['Last time I rang round everyone and ended up at A&E.', "Just knowing there's a number makes me calmer."],
    domains: ['responded-to', 'feeling-safe'], theme: 'mind',
  },
  {
    statement: 'I want my hearing aids sorted without waiting months',
    why: ["I can't follow what people say, so I've stopped going out.", 'I nod along and miss half of it.'],
    domains: ['responded-to', 'seeing-people'], theme: 'social', minAge: 60,
  },
  {
    statement: 'I want my carers to turn up when they say they will',
    why: ['Some days my lunch call comes at half past three.', 'I sit by the window waiting and it makes me anxious.'],
    domains: ['reliability', 'feeling-safe'], theme: 'voice',
    gas: [
      'Visits late or missed most weeks, with no call to say',
      'Visits late several times a week',
      'Most visits within half an hour of the agreed time',
      'Nearly all visits on time, with a call if running late',
      'All visits on time for a month',
    ],
  },
  {
    statement: "I'd like to see the same faces, not someone new every time",
    why: ['I have to explain everything again to each new one.', "I can't build up trust with a different person every day."],
    domains: ['reliability', 'seeing-people'], theme: 'voice',
  },
  {
    statement: "I want my prescriptions to arrive on time so I don't run out",
    why: ['I ran out of my heart tablets twice last month.', 'Chasing the chemist wears me out.'],
    domains: ['reliability', 'staying-well'], theme: 'health',
    own: ['Order repeats a week before I run out'],
    agency: { gp: 'Set up repeat dispensing with the chemist' },
  },
  {
    statement: 'I want the transport to the day centre to actually come',
    why: ['I get dressed and ready and then sit there waiting.', "It's the only time I see anyone all week."],
    domains: ['reliability', 'having-things-to-do'], theme: 'activity', minAge: 50,
  },
  {
    statement: 'I want my pain to be low enough that I can {painActivity}',
    vars: {
      painActivity: [
        'sit through a whole film',
        'get round the supermarket',
        'play with the grandchildren',
        'do a bit of gardening',
        "get a full night's sleep",
      ],
    },
    why: ['The pain has taken over my whole life.', "I don't expect to be pain-free, just to do the things I like."],
    domains: ['reduced-symptoms', 'having-things-to-do'], theme: 'health', minAge: 45,
    gas: [
      'Pain stops almost everything',
      'Pain allows short spells of activity with long rests',
      'Manages to {painActivity} with pacing and regular pain relief',
      'Manages to {painActivity} most days',
      'Able to {painActivity} whenever wanted',
    ],
    own: ['Take pain relief regularly, not just when it is bad', 'Pace myself: rest before I need to'],
    agency: {
      gp: 'Pain medication review',
      frailty: 'Physio for pacing and gentle exercise',
      'health-coaching': 'Coaching on managing pain day to day',
    },
  },
  {
    statement: 'I want to get through the day without being so exhausted',
    why: ["By lunchtime I'm done in.", 'I used to be on the go from dawn till dusk.'],
    domains: ['reduced-symptoms', 'staying-well'], theme: 'health',
    own: ['Plan one thing in the morning and rest after lunch'],
    agency: { gp: 'Blood tests to check for anaemia and thyroid problems', 'health-coaching': 'Coaching on pacing and energy' },
  },
];

/** Everyday ways of saying "I want to …", so the same wish does not always read the same. */
const WANT_OPENERS: Weighted<string> = [
  ['I want to ', 6],
  ["I'd like to ", 3],
  ['I really want to ', 1],
  ['What I want most is to ', 1],
];

// ---------------------------------------------------------------------------
// Reference text: needs, conversations and plans
// ---------------------------------------------------------------------------

type ProfileKey =
  | 'frailty'
  | 'long-term-condition'
  | 'mental-health'
  | 'isolation'
  | 'housing'
  | 'memory'
  | 'disability'
  | 'after-hospital';

interface Profile {
  minAge: number;
  maxAge: number;
  weight: (age: number) => number;
  services: Weighted<ServiceKey>;
  /** Services that usually hold the key worker, in order of preference. */
  lead: readonly ServiceKey[];
  themes: Weighted<Theme>;
  carerChance: number;
  openers: readonly string[];
  triggers: readonly string[];
  whatShouldHappen: readonly string[];
}

const PROFILES: Readonly<Record<ProfileKey, Profile>> = {
  frailty: {
    minAge: 65,
    maxAge: 120,
    weight: () => 5,
    services: [
      ['frailty', 5],
      ['gp', 3],
      ['district-nursing', 2],
      ['reablement', 2],
      ['befriending', 2],
      ['independent-living', 2],
      ['social-prescribing', 1],
    ],
    lead: ['frailty', 'reablement'],
    themes: [
      ['mobility', 5],
      ['safety', 4],
      ['social', 3],
      ['home', 3],
      ['health', 2],
      ['activity', 2],
      ['voice', 2],
      ['mind', 1],
    ],
    carerChance: 0.5,
    openers: [
      '{name} has had two falls since the summer and has lost confidence going out.',
      'Getting about less since the hip operation; uses a frame indoors and rarely goes out.',
      '{name} is finding the stairs and the bath harder, and is worried about managing at home.',
    ],
    triggers: [
      'If I have another fall, or stop getting up and dressed.',
      'If I feel dizzy or unsteady on my feet.',
    ],
    whatShouldHappen: [
      'Press my pendant. {contactFirst}, then the GP surgery or 111.',
      '{contactFirst}. If I am on the floor and hurt, ring 999.',
    ],
  },
  'long-term-condition': {
    minAge: 40,
    maxAge: 120,
    weight: () => 4,
    services: [
      ['gp', 5],
      ['district-nursing', 4],
      ['health-coaching', 4],
      ['peer-support', 2],
      ['social-prescribing', 2],
    ],
    lead: ['district-nursing', 'gp', 'health-coaching'],
    themes: [
      ['health', 6],
      ['mobility', 3],
      ['activity', 2],
      ['skills', 2],
      ['mind', 2],
      ['voice', 2],
      ['social', 1],
    ],
    carerChance: 0.3,
    openers: [
      '{name} lives with COPD and gets breathless on the stairs, especially in the cold.',
      'Type 2 diabetes, and finding it hard to keep on top of it since living alone.',
      'Heart failure: ankles swelling and tired by lunchtime. Several admissions this year.',
    ],
    triggers: [
      'If I get more breathless than usual, or my phlegm changes colour.',
      'If my sugars are high for more than two days or I feel very unwell.',
      'If my ankles swell more or I put on weight quickly.',
    ],
    whatShouldHappen: [
      'Start my rescue pack as the nurse showed me, and ring the practice.',
      '{contactFirst}, then the practice. Out of hours, 111.',
    ],
  },
  'mental-health': {
    minAge: 16,
    maxAge: 120,
    weight: (age) => (age < 60 ? 6 : 2),
    services: [
      ['older-adults-mh', 4],
      ['gp', 4],
      ['peer-support', 4],
      ['social-prescribing', 3],
      ['health-coaching', 1],
      ['tenancy', 1],
    ],
    lead: ['older-adults-mh', 'peer-support', 'gp'],
    themes: [
      ['mind', 6],
      ['social', 3],
      ['activity', 3],
      ['stigma', 3],
      ['voice', 2],
      ['health', 2],
      ['skills', 1],
      ['money', 1],
    ],
    carerChance: 0.25,
    openers: [
      'Low mood for most of the year; not going out much and sleeping badly.',
      'Anxiety has got much worse since losing the job. The GP has started medication.',
      '{name} has a long history with mental health services and wants to do things differently this time.',
    ],
    triggers: [
      'If I stop eating, stop answering the phone or stay in bed all day.',
      'If I start having thoughts of harming myself.',
    ],
    whatShouldHappen: [
      'Ring the crisis line on the card by my phone. If I stop answering, please visit rather than keep phoning.',
      '{contactFirst}. Please do not send the police unless there is no other way.',
    ],
  },
  isolation: {
    minAge: 50,
    maxAge: 120,
    weight: () => 3,
    services: [
      ['social-prescribing', 5],
      ['befriending', 5],
      ['gp', 2],
      ['independent-living', 1],
    ],
    lead: ['social-prescribing', 'befriending'],
    themes: [
      ['social', 6],
      ['activity', 4],
      ['mind', 3],
      ['skills', 2],
      ['safety', 1],
      ['mobility', 1],
    ],
    carerChance: 0.1,
    openers: [
      'Bereaved last year, and says the days are very long.',
      '{name} lives alone with no family nearby and sometimes goes days without speaking to anyone.',
      'Moved to the area two years ago and has not got to know anyone yet.',
    ],
    triggers: [
      'If I stop answering the phone or miss the group two weeks running.',
      'If I feel low for more than a week.',
    ],
    whatShouldHappen: [
      '{contactFirst}, and ask the befriender to call round.',
      '{contactFirst}. My neighbour has a key.',
    ],
  },
  housing: {
    minAge: 16,
    maxAge: 85,
    weight: (age) => (age < 65 ? 3 : 1),
    services: [
      ['tenancy', 6],
      ['social-prescribing', 3],
      ['gp', 2],
      ['peer-support', 1],
    ],
    lead: ['tenancy', 'social-prescribing'],
    themes: [
      ['home', 5],
      ['money', 5],
      ['safety', 3],
      ['mind', 2],
      ['skills', 2],
      ['voice', 1],
      ['stigma', 1],
    ],
    carerChance: 0.1,
    openers: [
      'Rent arrears building up; a letter about the tenancy has caused a lot of worry.',
      'The flat is damp and cold, and trouble with the neighbours is getting {name} down.',
      '{name} has moved three times in two years and wants somewhere settled.',
    ],
    triggers: [
      'If I get a court letter or an eviction notice.',
      'If the trouble with the neighbours gets worse.',
    ],
    whatShouldHappen: [
      'Ring the housing officer straight away; do not wait for the next visit.',
      '{contactFirst}, and bring the letter to Citizens Advice.',
    ],
  },
  memory: {
    minAge: 60,
    maxAge: 120,
    weight: (age) => (age >= 75 ? 4 : 2),
    services: [
      ['older-adults-mh', 6],
      ['gp', 3],
      ['befriending', 2],
      ['independent-living', 1],
      ['reablement', 1],
    ],
    lead: ['older-adults-mh'],
    themes: [
      ['safety', 4],
      ['voice', 4],
      ['social', 3],
      ['stigma', 3],
      ['home', 3],
      ['activity', 2],
      ['skills', 1],
    ],
    carerChance: 0.8,
    openers: [
      "Recently diagnosed with Alzheimer's at the memory clinic; {name} wants to keep doing as much as possible.",
      'Memory getting worse over the last year: missed meals and tablets, and a pan left on the hob.',
      'Vascular dementia diagnosed last year. Family doing a lot and starting to feel the strain.',
    ],
    triggers: [
      'If I get more muddled than usual, or go out at night and get lost.',
      'If I stop eating or forget my tablets for more than a day.',
    ],
    whatShouldHappen: [
      '{contactFirst}. Keep things calm and familiar, and please do not move me unless it is needed.',
      '{contactFirst}, then the memory team. A sudden change can be an infection, so check that first.',
    ],
  },
  disability: {
    minAge: 16,
    maxAge: 70,
    weight: (age) => (age < 40 ? 5 : 2),
    services: [
      ['independent-living', 3],
      ['gp', 3],
      ['peer-support', 3],
      ['social-prescribing', 2],
      ['reablement', 1],
      ['tenancy', 1],
    ],
    lead: ['independent-living', 'peer-support', 'gp'],
    themes: [
      ['voice', 5],
      ['skills', 4],
      ['stigma', 3],
      ['home', 3],
      ['activity', 3],
      ['mobility', 2],
      ['social', 2],
    ],
    carerChance: 0.5,
    openers: [
      '{name} has a learning disability and lives with family; wants more independence.',
      'Uses a wheelchair since the stroke and wants more say in the support.',
      "{name} has cerebral palsy and strong views on the support that works and the support that doesn't.",
    ],
    triggers: ['If my support does not turn up.', 'If my equipment breaks or my wheelchair needs repair.'],
    whatShouldHappen: [
      '{contactFirst}. Ring the agency manager if a call is missed, not the office line.',
      '{contactFirst}, and ring the wheelchair service for an urgent repair.',
    ],
  },
  'after-hospital': {
    minAge: 55,
    maxAge: 120,
    weight: () => 3,
    services: [
      ['reablement', 5],
      ['district-nursing', 4],
      ['gp', 3],
      ['frailty', 2],
      ['befriending', 1],
    ],
    lead: ['reablement', 'district-nursing'],
    themes: [
      ['mobility', 5],
      ['home', 4],
      ['health', 3],
      ['safety', 3],
      ['voice', 2],
      ['social', 1],
    ],
    carerChance: 0.45,
    openers: [
      'Home from hospital after a chest infection, and weaker than before.',
      'Discharged after a broken wrist; managing one-handed with reablement calls.',
      'Back home after three weeks in hospital with pneumonia, and keen to get back to normal.',
    ],
    triggers: [
      'If my breathing gets worse, or I get a temperature.',
      "If I can't manage getting in and out of bed.",
    ],
    whatShouldHappen: [
      '{contactFirst}, then the GP surgery or 111.',
      'Ring the reablement team first; they can come out the same day.',
    ],
  },
};

const PROFILE_KEYS = Object.keys(PROFILES) as ProfileKey[];

const FIRST_MEETING_PLACES: Weighted<string> = [
  ['at home', 8],
  ['at the practice', 2],
  ['at the community centre', 1],
  ['on the phone', 1],
];

const FIRST_CLOSINGS: readonly string[] = [
  'Agreed a first plan together and who will do what.',
  'Will share the plan with the GP and the rest of the team.',
  '{name} was keen to get started.',
  'Talked through the options; {name} wants to take it one step at a time.',
];

const REVIEW_OPENERS: Readonly<Record<'better' | 'same' | 'worse', readonly string[]>> = {
  better: [
    '{name} feels things are moving in the right direction.',
    'Good progress since the last review.',
    '{name} said this has been the best few months for a long time.',
  ],
  same: [
    'Things much the same as last time.',
    'A steady few months with no big changes.',
    'Some good weeks and some bad ones.',
  ],
  worse: [
    'A difficult few months.',
    '{name} has had a setback since the last review.',
    'Harder since last time, but {name} wants to keep going with the plan.',
  ],
};

const REVIEW_CLOSINGS: readonly string[] = [
  'Plan updated.',
  'Agreed to carry on with the plan as it is.',
  'Next review booked.',
  'Will update the rest of the team.',
];

const WHAT_HELPED: Readonly<Record<Theme, readonly string[]>> = {
  safety: [
    'Having the pendant alarm and knowing it works',
    'The video doorbell the family fitted',
    'Neighbours keeping an eye out',
  ],
  activity: ['The volunteer who went along to the first sessions', 'Dial-a-Ride for the weekly trip'],
  social: ['Weekly visits from the befriender', 'Family coming round more often'],
  health: [
    'The dosette box and the phone reminder',
    'Seeing the same nurse at each visit',
    'The health coaching sessions',
  ],
  home: ['The grab rails and the perching stool', 'The housing officer chasing the repair'],
  money: [
    'Citizens Advice sorting out the Attendance Allowance claim',
    'A repayment plan that is actually affordable',
  ],
  mind: ['The breathing exercises', 'Talking to the peer supporter, who has been through it too'],
  skills: ['One-to-one help at the library drop-in', 'Practising a little every day'],
  mobility: ['Doing the strength and balance exercises every morning', 'The new walking frame'],
  stigma: ['Meeting other people in the same position', 'The peer-led group'],
  voice: [
    'Having the plan in their own words where everyone can see it',
    'Seeing the same worker at every review',
  ],
};

const GENERAL_HELPED: readonly string[] = [
  'Regular contact with the key worker',
  'Everyone working from the same plan',
];

const WHAT_GOT_IN_THE_WAY: readonly string[] = [
  'A chest infection in {month}',
  'The care agency changing staff again',
  'Waiting for the OT assessment',
  'Bad weather, so not out much',
  'A fall at home in {month} (no injury) knocked confidence',
  'Low mood after a family bereavement',
  'Hospital appointments clashing with the group',
  'The transport did not turn up twice',
  'Waiting list for the peer support group',
  'Money worries after a benefits review',
];

const RATING_NOTES: Readonly<Record<'better' | 'same' | 'worse', readonly string[]>> = {
  better: ['Been three times now', 'Much better than last time', 'Getting there', 'Really pleased with this'],
  same: ['About the same', 'Some good days, some bad', 'Slow going', 'Not much change'],
  worse: ['Knocked back after being unwell', 'Harder lately', 'Not managed it since the fall', 'A bad month'],
};

const MOST_IMPORTANT_LINES: readonly string[] = [
  'Staying independent in my own home.',
  'My family, and being part of their lives.',
  'Being treated as me, not as my illness.',
  'Getting out and about again.',
  'Feeling useful.',
  'My faith, my home and my routines.',
];

const COMMUNICATION_LINES: readonly string[] = [
  "I'm a bit deaf in my left ear, so sit on my right and don't rush me.",
  'Give me time to answer. I get there in the end.',
  'Write things down for me. I forget what was said once you have gone.',
  "Phone before you come. I don't open the door to people I don't know.",
  'Text rather than phone; I get anxious on calls.',
  'I wear glasses for reading, so large print letters please.',
  'Plain words please, no jargon.',
  'Talk to me, not to the person with me.',
];

const LANGUAGE_LINES: Readonly<Record<string, readonly string[]>> = {
  C: [
    'My first language is Polish. I understand English well, but for important things I would like an interpreter.',
  ],
  H: ['My first language is Gujarati. My son helps me with letters, but please speak to me directly.'],
  J: ['I am more comfortable in Urdu or Punjabi for important conversations; please book an interpreter.'],
  K: ['I speak Sylheti. Please book an interpreter rather than asking my grandchildren to translate.'],
  R: ['My first language is Cantonese. My English is fine for everyday things.'],
};

const PLEASE_DO: readonly string[] = [
  'Knock and wait. It takes me a while to get to the door.',
  'Ask me first, before asking my family.',
  'Tell me if you are going to be late.',
  'Have a cup of tea with me if you have time.',
  'Let me do what I can for myself, even if it takes longer.',
  'Call me by my first name.',
  'Keep to the plan we agreed, and tell me if it has to change.',
];

const PLEASE_DONT: readonly string[] = [
  "Don't move my things around.",
  "Don't talk about me as if I'm not in the room.",
  "Don't rush me in the mornings.",
  "Don't call me 'love' or 'dear'.",
  "Don't turn up without ringing first.",
  "Don't make promises you can't keep.",
  "Don't assume I can't do something. Ask me.",
];

const STRENGTHS: readonly string[] = [
  "I'm stubborn in a good way. I don't give up.",
  'Good sense of humour.',
  "I know my own body and when something's not right.",
  'Close family who want to help.',
  "I'm good with my phone.",
  "I've looked after myself for years.",
  "I'm a good cook.",
  'I get on with people.',
  'I keep a diary and I am organised.',
  "I'm willing to try new things.",
  'My faith keeps me going.',
  'Good neighbours who look out for me.',
  'I used to work in care, so I know how the system works.',
  'I love my garden.',
  'My dog gets me out every day.',
];

const LATER_STRENGTHS: readonly string[] = [
  'I got myself back to the group after a bad patch.',
  "I've learned to ask for help when I need it.",
  'I know the warning signs now and what to do.',
];

const PERSON_COMMENTS: readonly string[] = [
  'Can we move the Tuesday visit to the afternoon? Mornings are hard for me.',
  "The walking group is going well. I've been three times now.",
  "I don't want the key safe on the front of the house where everyone can see it.",
  "Thank you for sorting the rail, it's made a big difference.",
  "I'd like my daughter to come to the next review; she remembers things better than me.",
  "I'm not sure about the lunch club yet, but I'll give it another go.",
  'Please can the plan say I take my tablets with food? It upsets my stomach otherwise.',
  'I felt listened to this time. Thank you.',
];

const CARER_COMMENTS: readonly string[] = [
  "I can manage Sundays, but I can't do the weekday mornings any more with my job.",
  'Mum seems brighter since the befriender started. Thank you.',
  'Could someone ring me after the review? I could not get time off work.',
];

const RELAYED_COMMENTS: readonly string[] = [
  'Spoke to {name} on the phone. {name} asked me to add: “{quote}”',
  '{name} rang the office and asked for this to go on the plan: “{quote}”',
];

// ---------------------------------------------------------------------------
// Circle: family, friends and neighbours
// ---------------------------------------------------------------------------

type RelationType =
  | 'wife'
  | 'husband'
  | 'partner'
  | 'daughter'
  | 'son'
  | 'mother'
  | 'father'
  | 'sister'
  | 'brother'
  | 'granddaughter'
  | 'grandson'
  | 'niece'
  | 'nephew'
  | 'friend'
  | 'neighbour';

interface KinSpec {
  sex: 'female' | 'male' | 'any';
  /** Range of the relative's birth year minus the person's. */
  born: readonly [number, number];
  /** Chance the relative shares the person's family name. */
  sameFamilyName: number;
}

const KIN: Readonly<Record<RelationType, KinSpec>> = {
  wife: { sex: 'female', born: [-3, 6], sameFamilyName: 0.85 },
  husband: { sex: 'male', born: [-6, 3], sameFamilyName: 0.85 },
  partner: { sex: 'any', born: [-6, 6], sameFamilyName: 0.2 },
  daughter: { sex: 'female', born: [22, 38], sameFamilyName: 0.5 },
  son: { sex: 'male', born: [22, 38], sameFamilyName: 0.85 },
  mother: { sex: 'female', born: [-38, -20], sameFamilyName: 0.85 },
  father: { sex: 'male', born: [-40, -22], sameFamilyName: 0.9 },
  sister: { sex: 'female', born: [-8, 8], sameFamilyName: 0.5 },
  brother: { sex: 'male', born: [-8, 8], sameFamilyName: 0.85 },
  granddaughter: { sex: 'female', born: [45, 62], sameFamilyName: 0.4 },
  grandson: { sex: 'male', born: [45, 62], sameFamilyName: 0.5 },
  niece: { sex: 'female', born: [20, 40], sameFamilyName: 0.3 },
  nephew: { sex: 'male', born: [20, 40], sameFamilyName: 0.4 },
  friend: { sex: 'any', born: [-10, 10], sameFamilyName: 0 },
  neighbour: { sex: 'any', born: [-40, 30], sameFamilyName: 0 },
};

/** Who usually takes on caring, nearest first. */
const CARER_ORDER: readonly RelationType[] = [
  'wife',
  'husband',
  'partner',
  'daughter',
  'son',
  'mother',
  'father',
  'sister',
  'brother',
  'niece',
  'nephew',
  'granddaughter',
  'grandson',
  'neighbour',
  'friend',
];

const IMPORTANT_PEOPLE_TAILS: Readonly<Record<string, readonly string[]>> = {
  spouse: [', my rock', '. We have been together for years', ''],
  child: [', who rings every day', ', who pops in most days', ', who lives nearby', ''],
  parent: [', who I live with', ''],
  sibling: [', who I talk to every week', ''],
  grandchild: [', who I would do anything for', ''],
  other: [', who keeps an eye out for me', '. We go back years', ''],
};

function tailGroup(type: RelationType): string {
  if (type === 'wife' || type === 'husband' || type === 'partner') return 'spouse';
  if (type === 'daughter' || type === 'son') return 'child';
  if (type === 'mother' || type === 'father') return 'parent';
  if (type === 'sister' || type === 'brother') return 'sibling';
  if (type === 'granddaughter' || type === 'grandson') return 'grandchild';
  return 'other';
}

const FALLBACK_GIVEN: Readonly<Record<'female' | 'male', readonly string[]>> = {
  female: ['Karen', 'Susan', 'Claire', 'Joanne', 'Emma', 'Margaret', 'Sarah', 'Lisa'],
  male: ['David', 'Paul', 'Mark', 'Steven', 'John', 'Andrew', 'Gary', 'Michael'],
};
const FALLBACK_FAMILY: readonly string[] = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Walker',
  'Wright',
  'Hughes',
];

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
          [0, 15],
          [1, 25],
          [2, 25],
          [3, 20],
          [4, 15],
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
  scoreOutcomes(context, care, person, random, isDemoPerson, outcomes, conversations);

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
): void {
  const personUser = isDemoPerson ? context.personUser : null;
  const carerUser = isDemoPerson ? context.carerUser : null;
  const deltas: number[][] = conversations.map(() => []);

  for (const o of outcomes) {
    // The person's own view: mostly getting better, not always.
    let score = random.weighted<number>([
      [1, 45],
      [2, 40],
      [3, 15],
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
        const step = random.weighted<number>([
          [1, 45],
          [0, 40],
          [-1, 15],
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
      rate('person', score, personUser?.id ?? c.recorder.id);
      if (isDemoPerson || random.chance(0.85)) {
        const jitter = random.chance(0.2) ? random.pick([-1, 1]) : 0;
        rate('practitioner', score + o.practitionerBias + jitter, c.recorder.id);
      }
      if (c.carer && (isDemoPerson || random.chance(0.8))) {
        rate('carer', score + o.carerBias, carerUser?.id ?? c.recorder.id);
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
