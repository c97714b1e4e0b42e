/**
 * Demographic reference data and age arithmetic.
 */

export type EthnicGroup =
  | 'White'
  | 'Mixed'
  | 'Asian or Asian British'
  | 'Black or Black British'
  | 'Other ethnic groups'
  | 'Not stated';

export interface EthnicCategory {
  readonly code: string;
  readonly label: string;
  readonly group: EthnicGroup;
}

/**
 * NHS Data Dictionary data element ETHNIC CATEGORY (national codes, based on the
 * 2001 Census classification):
 * https://www.datadictionary.nhs.uk/data_elements/ethnic_category.html
 * The dictionary also has "99 Not known", deliberately left out: it means "not
 * asked", which a service should record as missing rather than as a category.
 */
export const ETHNIC_CATEGORIES: readonly EthnicCategory[] = [
  { code: 'A', label: 'White - British', group: 'White' },
  { code: 'B', label: 'White - Irish', group: 'White' },
  { code: 'C', label: 'White - Any other White background', group: 'White' },
  { code: 'D', label: 'Mixed - White and Black Caribbean', group: 'Mixed' },
  { code: 'E', label: 'Mixed - White and Black African', group: 'Mixed' },
  { code: 'F', label: 'Mixed - White and Asian', group: 'Mixed' },
  { code: 'G', label: 'Mixed - Any other mixed background', group: 'Mixed' },
  { code: 'H', label: 'Asian or Asian British - Indian', group: 'Asian or Asian British' },
  { code: 'J', label: 'Asian or Asian British - Pakistani', group: 'Asian or Asian British' },
  { code: 'K', label: 'Asian or Asian British - Bangladeshi', group: 'Asian or Asian British' },
  {
    code: 'L',
    label: 'Asian or Asian British - Any other Asian background',
    group: 'Asian or Asian British',
  },
  { code: 'M', label: 'Black or Black British - Caribbean', group: 'Black or Black British' },
  { code: 'N', label: 'Black or Black British - African', group: 'Black or Black British' },
  {
    code: 'P',
    label: 'Black or Black British - Any other Black background',
    group: 'Black or Black British',
  },
  // The 2001-based NHS codes keep Chinese under "Other", unlike the 2011/2021 Census.
  { code: 'R', label: 'Other ethnic groups - Chinese', group: 'Other ethnic groups' },
  { code: 'S', label: 'Other ethnic groups - Any other ethnic group', group: 'Other ethnic groups' },
  { code: 'Z', label: 'Not stated', group: 'Not stated' },
];

/**
 * Administrative (registered) sex, as on the NHS Personal Demographics Service,
 * which is separate from gender identity.
 */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const SEX_LABELS: Record<Sex, string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Not known',
};

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function parseIsoDate(value: string, name: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) throw new RangeError(`${name} must be YYYY-MM-DD, got "${value}"`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // Round-trip through UTC to reject dates such as 2023-02-29 or 2024-13-01.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`${name} is not a real calendar date: "${value}"`);
  }
  return { year, month, day };
}

/**
 * Age in completed years on a given date. Someone born on 29 February becomes a
 * year older on 1 March in non-leap years, the usual reading in England and Wales
 * (a person attains an age at the start of the anniversary of their birth, Family
 * Law Reform Act 1969 s.9; no 29 Feb anniversary exists, so it falls on 1 March).
 */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const birth = parseIsoDate(dateOfBirth, 'dateOfBirth');
  const on = parseIsoDate(onDate, 'onDate');
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age -= 1;
  if (age < 0) throw new RangeError(`onDate ${onDate} is before dateOfBirth ${dateOfBirth}`);
  return age;
}

/**
 * Reporting age bands: children, then 18-24, then ten-year bands to 85+, which keeps
 * the older-adult detail that adult social care reporting needs. Exported so the rollups'
 * SQL (migration 0014) is generated from the same bands rather than a copy of them.
 */
export const AGE_BANDS: readonly (readonly [maxAge: number, label: string])[] = [
  [17, '0-17'],
  [24, '18-24'],
  [34, '25-34'],
  [44, '35-44'],
  [54, '45-54'],
  [64, '55-64'],
  [74, '65-74'],
  [84, '75-84'],
];

export function ageBand(age: number): string {
  if (!Number.isInteger(age) || age < 0) {
    throw new RangeError(`age must be a whole number of years >= 0, got ${age}`);
  }
  for (const [maxAge, label] of AGE_BANDS) if (age <= maxAge) return label;
  return OLDEST_AGE_BAND;
}

/** The open-ended band above the last of AGE_BANDS. */
export const OLDEST_AGE_BAND = '85+';

/**
 * An ethnic group as a key in aggregates and URLs: its name in lower case with hyphens
 * ('Asian or Asian British' → 'asian-or-asian-british'). 'not-stated' also stands for a record
 * with no ethnic category at all, since neither says what the person's group is.
 */
export function ethnicGroupKey(group: EthnicGroup): string {
  return group.toLowerCase().replaceAll(' ', '-');
}

/** The oldest a person can be: the oldest verified age is 122, so an older date is a typing slip. */
export const MAX_AGE_YEARS = 130;

/** What is wrong with a date of birth on `today`, or null: in the future, or too long ago. */
export function dateOfBirthProblem(dateOfBirth: string, today: string): string | null {
  if (dateOfBirth > today) return 'The date of birth must be in the past.';
  if (ageOn(dateOfBirth, today) > MAX_AGE_YEARS) {
    return `The date of birth must be within the last ${MAX_AGE_YEARS} years.`;
  }
  return null;
}
