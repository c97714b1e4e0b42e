import { ETHNIC_CATEGORIES, ethnicGroupKey, SEX_LABELS } from '../demographics.js';
import { VIEWPOINT_LABELS } from '../ratings.js';
import { MONTH_NAMES } from '../timeline.js';

/**
 * The ways an indicator's value can be broken down. Each is a column of `indicator_rollup` to
 * group by: the unit columns (organisation, team), the period (month, or quarter made of months),
 * the viewpoint column, or one `dim` of the rollup whose `dim_value` is grouped (a fact is kept
 * once per breakdown kind, so only one `dim` can be read at a time).
 */
export const BREAKDOWNS = [
  'organisation',
  'team',
  'month',
  'quarter',
  'age-band',
  'sex',
  'ethnicity',
  'deprivation-quintile',
  'domain',
  'viewpoint',
] as const;

export type Breakdown = (typeof BREAKDOWNS)[number];

export const BREAKDOWN_LABELS: Record<Breakdown, string> = {
  organisation: 'Organisation',
  team: 'Team',
  month: 'Month',
  quarter: 'Quarter',
  'age-band': 'Age band',
  sex: 'Sex',
  ethnicity: 'Ethnic group',
  'deprivation-quintile': 'Deprivation quintile',
  domain: 'Outcome domain',
  viewpoint: 'Viewpoint',
};

/** The rollup's `dim` values: 'all' plus one per demographic or domain breakdown. */
export const ROLLUP_DIMS = ['all', 'age-band', 'sex', 'ethnicity', 'deprivation-quintile', 'domain'] as const;
export type RollupDim = (typeof ROLLUP_DIMS)[number];

/** The rollup `dim` a breakdown reads: its own for demographics and domains, 'all' for the rest. */
export function dimOf(breakdown: Breakdown | null): RollupDim {
  switch (breakdown) {
    case 'age-band':
    case 'sex':
    case 'ethnicity':
    case 'deprivation-quintile':
    case 'domain':
      return breakdown;
    default:
      return 'all';
  }
}

/** Breakdowns that read a demographic or domain `dim` of the rollup rather than its 'all' rows. */
export const isDimBreakdown = (breakdown: Breakdown): boolean => dimOf(breakdown) !== 'all';

/** The rollup's value for a missing fact about the person (no date of birth, no postcode match). */
export const UNKNOWN_DIM_VALUE = 'unknown';
/** The rollup's value for a person whose ethnicity was not recorded (or recorded as not stated). */
export const NOT_STATED_ETHNICITY = ethnicGroupKey('Not stated');

/** The rollup keeps an ethnic group by its key ('asian-or-asian-british'); people read its name. */
const ETHNIC_GROUP_NAMES = new Map<string, string>(
  ETHNIC_CATEGORIES.map((c) => [ethnicGroupKey(c.group), c.group]),
);

const QUINTILE_LABELS: Record<string, string> = {
  // English Indices of Deprivation: decile 1 is the most deprived 10% of areas, so quintile 1
  // (deciles 1–2) is the most deprived fifth.
  '1': '1 (most deprived)',
  '2': '2',
  '3': '3',
  '4': '4',
  '5': '5 (least deprived)',
};

/** '2026-03' → 'March 2026'. */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTH_NAMES[Number(m) - 1] ?? m} ${year}`;
}

/** '2026-Q1' → 'January to March 2026' (calendar quarters). */
export function quarterLabel(quarter: string): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return quarter;
  const q = Number(match[2]);
  return `${MONTH_NAMES[(q - 1) * 3]} to ${MONTH_NAMES[(q - 1) * 3 + 2]} ${match[1]}`;
}

/** The calendar quarter ('2026-Q1') a month ('2026-02') falls in. */
export function quarterOf(month: string): string {
  const [year, m] = month.split('-');
  return `${year}-Q${Math.ceil(Number(m) / 3)}`;
}

/**
 * A breakdown value as people read it. Organisations, teams and domains are named from the
 * database (`names`), which the caller looks up; everything else is named here.
 */
export function breakdownValueLabel(
  breakdown: Breakdown,
  value: string,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  if (value === UNKNOWN_DIM_VALUE) return 'Not known';
  switch (breakdown) {
    case 'month':
      return monthLabel(value);
    case 'quarter':
      return quarterLabel(value);
    case 'sex':
      return SEX_LABELS[value as keyof typeof SEX_LABELS] ?? value;
    case 'ethnicity':
      return ETHNIC_GROUP_NAMES.get(value) ?? value;
    case 'deprivation-quintile':
      return QUINTILE_LABELS[value] ?? value;
    case 'viewpoint':
      return VIEWPOINT_LABELS[value as keyof typeof VIEWPOINT_LABELS] ?? value;
    case 'age-band':
      return value;
    default:
      return names.get(value) ?? (value === NO_UNIT ? 'No responsible team' : value);
  }
}

/** The rollup's organisation and team for a person with no lead team (design: the nil uuid). */
export const NO_UNIT = '00000000-0000-0000-0000-000000000000';
