/**
 * The words of the community resource directory (issue 14): each vocabulary is one constant with its
 * labels, used by the contract, the migration's checks, the staff form, public search, and the CSV
 * and Open Referral UK exchange alike. Keys are stable: referrals, imports and rollups store them.
 */

/** The kind of support a resource gives; also the "per kind of support" breakdown of outcomes. */
export const RESOURCE_KINDS = [
  'walking-group',
  'physical-activity',
  'peer-support',
  'carers-centre',
  'debt-benefits-advice',
  'housing-support',
  'befriending',
  'health-coaching',
  'employment-support',
  'arts-culture',
  'faith-group',
  'learning-skills',
  'mental-wellbeing',
  'food-support',
  'other',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = {
  'walking-group': 'Walking group',
  'physical-activity': 'Physical activity',
  'peer-support': 'Peer support',
  'carers-centre': 'Carers’ centre',
  'debt-benefits-advice': 'Debt and benefits advice',
  'housing-support': 'Housing support',
  befriending: 'Befriending',
  'health-coaching': 'Health coaching',
  'employment-support': 'Employment support',
  'arts-culture': 'Arts and culture',
  'faith-group': 'Faith group',
  'learning-skills': 'Learning and skills',
  'mental-wellbeing': 'Mental wellbeing',
  'food-support': 'Food support',
  other: 'Other support',
};

/**
 * The needs and concerns a resource helps with: the "needs and concerns" of the national social
 * prescribing information standard (NHS England / PRSB, Social Prescribing Information Standard,
 * 2023). Their SNOMED CT codes are attached when referrals are built; the keys stay as they are.
 */
export const NEEDS = [
  'loneliness-isolation',
  'physical-activity',
  'mental-wellbeing',
  'money-debt',
  'benefits',
  'housing',
  'caring-responsibilities',
  'employment',
  'learning',
  'long-term-condition',
  'bereavement',
  'food',
  'substance-use',
  'other',
] as const;
export type Need = (typeof NEEDS)[number];
export const NEED_LABELS: Record<Need, string> = {
  'loneliness-isolation': 'Feeling lonely or isolated',
  'physical-activity': 'Being more active',
  'mental-wellbeing': 'Mental health and wellbeing',
  'money-debt': 'Money worries and debt',
  benefits: 'Benefits',
  housing: 'Housing',
  'caring-responsibilities': 'Caring for someone',
  employment: 'Work and employment',
  learning: 'Learning and skills',
  'long-term-condition': 'Living with a long-term condition',
  bereavement: 'Bereavement',
  food: 'Food',
  'substance-use': 'Alcohol or drugs',
  other: 'Something else',
};

/** What it costs to take part; a free-text note says how much or what a donation covers. */
export const COST_KINDS = ['free', 'donation', 'low-cost', 'paid'] as const;
export type CostKind = (typeof COST_KINDS)[number];
export const COST_KIND_LABELS: Record<CostKind, string> = {
  free: 'Free',
  donation: 'Donation welcome',
  'low-cost': 'Low cost',
  paid: 'Paid',
};

/** What makes a resource easier to get to and take part in. */
export const ACCESSIBILITY_FEATURES = [
  'step-free',
  'accessible-toilet',
  'hearing-loop',
  'bsl',
  'large-print',
  'quiet-space',
  'parking',
  'public-transport',
  'online-option',
] as const;
export type AccessibilityFeature = (typeof ACCESSIBILITY_FEATURES)[number];
export const ACCESSIBILITY_FEATURE_LABELS: Record<AccessibilityFeature, string> = {
  'step-free': 'Step-free access',
  'accessible-toilet': 'Accessible toilet',
  'hearing-loop': 'Hearing loop',
  bsl: 'British Sign Language (BSL) interpreter available',
  'large-print': 'Information in large print',
  'quiet-space': 'Quiet space',
  parking: 'Parking nearby',
  'public-transport': 'Near public transport',
  'online-option': 'Can take part online',
};

/** The days of the week, Monday first (as UK timetables are written). */
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export const DAY_LABELS: Record<Day, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** Whether a resource still runs. A closed one is kept (referrals name it) but shown to no one looking for help. */
export const RESOURCE_STATUSES = ['active', 'closed'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
export const RESOURCE_STATUS_LABELS: Record<ResourceStatus, string> = {
  active: 'Running',
  closed: 'Closed',
};

/** A session's time of day, 24-hour 'HH:MM'. */
export const SESSION_TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** The sizes of what staff may write: enough for a real entry, never a flood. */
export const COMMUNITY_LIMITS = {
  name: 200,
  summary: 300,
  description: 4000,
  note: 1000,
  eligibility: 1000,
  howToRefer: 2000,
  address: 500,
  phone: 40,
  email: 254,
  website: 500,
  sessions: 21,
  domainCodes: 40,
  domainCode: 80,
  age: 120,
  capacity: 100_000,
} as const;
