import { DEFAULT_GAS_RHO } from '../gas.js';
import { MAX_SCALE_POINTS } from '../outcome-frameworks.js';
import { VIEWPOINTS, type Viewpoint } from '../ratings.js';
import { BREAKDOWN_LABELS, BREAKDOWNS, type Breakdown } from './breakdowns.js';
import {
  COMMUNITY_ROLLUP_MEASURES,
  COMMUNITY_SOURCES,
  type CommunityRollupMeasure,
  type CommunitySourceKey,
} from './community-sources.js';
import type { Improvement } from './definition.js';
import {
  FEEDBACK_ROLLUP_MEASURES,
  FEEDBACK_SOURCES,
  type FeedbackRollupMeasure,
  type FeedbackSourceKey,
} from './feedback-sources.js';
import {
  MEASURE_ROLLUP_MEASURES,
  MEASURE_SOURCES,
  type MeasureRollupMeasure,
  type MeasureSourceKey,
} from './measure-sources.js';

/**
 * Where an indicator's numbers come from. Each source reads one measure of `indicator_rollup`
 * (the partial aggregates kept for every write: docs/AGGREGATES.md) and turns its summed
 * columns into a value one way (`kind`, computed in value.ts). A later subject (standard
 * measures, care-experience feedback, community support) adds its measures to the rollup's facts
 * (a migration re-creating the fact view with its branches) and its sources in one module of its
 * own, spread into INDICATOR_SOURCES below (standard measures: measure-sources.ts).
 */

/**
 * The rollup's measures about personal outcomes, plans and reviews: one kind of fact each (what a
 * row's columns count is in the design). Standard measures add theirs, named from the instrument
 * data ('phq9:total', 'phq9:total:band:mild'…: measure-sources.ts), to ROLLUP_MEASURES below.
 */
export const CORE_ROLLUP_MEASURES = [
  'rating',
  'rating-change',
  'viewpoint-agreement',
  'gas-person',
  'gas-goal',
  'current-plan',
  'review-on-time',
  'rated-by-person',
  'multi-agency-plan',
  'outcome',
] as const;
export type CoreRollupMeasure = (typeof CORE_ROLLUP_MEASURES)[number];
export type RollupMeasure =
  | CoreRollupMeasure
  | MeasureRollupMeasure
  | FeedbackRollupMeasure
  | CommunityRollupMeasure;

/**
 * How a cell's value is made from its summed columns:
 * - proportion: 100 × numerator / denominator (a percentage)
 * - mean: value_sum / denominator
 * - gas-service: one Kiresuk–Sherman T-score over every goal attainment in the cell
 * - count: the denominator (how many facts)
 */
export const SOURCE_KINDS = ['proportion', 'mean', 'gas-service', 'count'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface ValueRange {
  min: number;
  /** null: no upper bound (a count). */
  max: number | null;
}

export interface IndicatorSource {
  label: string;
  measure: RollupMeasure;
  kind: SourceKind;
  /** What is counted in (proportions) or averaged (means), in words. */
  numerator: string | null;
  /** Who or what is counted, in words. */
  denominator: string;
  /** What the value is measured in, after the number ("%", "points", "T-score", "outcomes"). */
  unit: string;
  /** The viewpoints the measure is kept by; empty when it has none. */
  viewpoints: readonly Viewpoint[];
  /** Facts about outcomes are kept per outcome domain too, so they can be filtered or broken down by it. */
  hasDomains: boolean;
  /** The values the indicator can take: a target outside it can never be met. */
  range: ValueRange;
  /**
   * Which way is an improvement, where the source's own method says so (fewer symptoms, more
   * wellbeing, more people recovered): a definition may not say the opposite. Absent where it is a
   * local judgement (agreement between viewpoints, what matters).
   */
  improvement?: Improvement;
  /** Breakdowns its facts carry no values for (feedback stories: no sex, ethnicity, deprivation). */
  withoutBreakdowns?: readonly Breakdown[];
  /**
   * What its facts' unit inside an organisation is, when not a team: community facts are kept per
   * resource in the rollup's team column (migration 0038), so their "team" breakdown is by resource.
   */
  teamUnit?: string;
}

/** Scores run from 1 to at most MAX_SCALE_POINTS, so a change or a gap is at most one less. */
const LARGEST_SCALE_STEP = MAX_SCALE_POINTS - 1;

/**
 * A Kiresuk–Sherman T-score is 50 + 10·Σwx / √((1−ρ)Σw² + ρ(Σw)²) with levels x in −2..2; since
 * (1−ρ)Σw² ≥ 0, |Σwx| / √(…) ≤ 2Σw / √(ρ(Σw)²) = 2/√ρ, so T lies within 50 ± 20/√ρ
 * (about 13.5 to 86.5 at the usual ρ = 0.3; Kiresuk & Sherman 1968).
 */
const GAS_T_RANGE: ValueRange = {
  min: 50 - 20 / Math.sqrt(DEFAULT_GAS_RHO),
  max: 50 + 20 / Math.sqrt(DEFAULT_GAS_RHO),
};
export const PERCENT: ValueRange = { min: 0, max: 100 };

/** The sources about personal outcomes, plans and reviews (issue 10). */
export const CORE_SOURCES = {
  'rating-achieved': {
    label: 'Outcomes rated mostly or fully achieved',
    measure: 'rating',
    kind: 'proportion',
    numerator: 'ratings in the top two points of the scale (mostly or fully achieved)',
    denominator: 'outcomes rated, taking each outcome’s latest rating in a month from each viewpoint',
    unit: '%',
    viewpoints: VIEWPOINTS,
    hasDomains: true,
    range: PERCENT,
  },
  'rating-mean': {
    label: 'Average rating of how far outcomes are achieved',
    measure: 'rating',
    kind: 'mean',
    numerator: 'the rating score (1 is the lowest point of the scale)',
    denominator: 'outcomes rated, taking each outcome’s latest rating in a month from each viewpoint',
    unit: 'points',
    viewpoints: VIEWPOINTS,
    hasDomains: true,
    range: { min: 1, max: MAX_SCALE_POINTS },
  },
  'rating-change': {
    label: 'Change in rating between the first and latest review',
    measure: 'rating-change',
    kind: 'mean',
    numerator: 'the latest rating minus the first, in points of the scale',
    denominator: 'outcomes rated at least twice from the same viewpoint, in the month of the latest rating',
    unit: 'points',
    viewpoints: VIEWPOINTS,
    hasDomains: true,
    range: { min: -LARGEST_SCALE_STEP, max: LARGEST_SCALE_STEP },
  },
  'rating-improved': {
    label: 'Outcomes rated higher at the latest review than at the first',
    measure: 'rating-change',
    kind: 'proportion',
    numerator: 'outcomes whose latest rating is higher than their first',
    denominator: 'outcomes rated at least twice from the same viewpoint, in the month of the latest rating',
    unit: '%',
    viewpoints: VIEWPOINTS,
    hasDomains: true,
    range: PERCENT,
  },
  'viewpoint-agreement': {
    label: 'Outcomes the person and practitioner rate the same',
    measure: 'viewpoint-agreement',
    kind: 'proportion',
    numerator: 'outcomes the person and the practitioner gave the same score',
    denominator: 'outcomes rated by both the person and the practitioner at the same conversation',
    unit: '%',
    viewpoints: [],
    hasDomains: true,
    range: PERCENT,
  },
  'viewpoint-gap': {
    label: 'Average gap between the person’s and the practitioner’s ratings',
    measure: 'viewpoint-agreement',
    kind: 'mean',
    numerator: 'the difference between the two scores, in points, whichever is higher',
    denominator: 'outcomes rated by both the person and the practitioner at the same conversation',
    unit: 'points',
    viewpoints: [],
    hasDomains: true,
    range: { min: 0, max: LARGEST_SCALE_STEP },
  },
  'gas-person': {
    label: 'Goal attainment (GAS) T-score per person',
    measure: 'gas-person',
    kind: 'mean',
    numerator: 'each person’s GAS T-score over their goals at a review',
    denominator: 'reviews at which goal attainment was scored',
    unit: 'T-score',
    viewpoints: [],
    hasDomains: false,
    range: GAS_T_RANGE,
  },
  'gas-service': {
    label: 'Goal attainment (GAS) T-score for the service',
    measure: 'gas-goal',
    kind: 'gas-service',
    numerator: 'one T-score over every goal attainment scored, weighted by each goal’s weight',
    denominator: 'goal attainments scored at reviews',
    unit: 'T-score',
    viewpoints: [],
    hasDomains: true,
    range: GAS_T_RANGE,
  },
  'gas-goal-met': {
    label: 'Goals attained at the expected level or better',
    measure: 'gas-goal',
    kind: 'proportion',
    numerator: 'goal attainments at the expected level (0) or better',
    denominator: 'goal attainments scored at reviews',
    unit: '%',
    viewpoints: [],
    hasDomains: true,
    range: PERCENT,
  },
  'current-plan': {
    label: 'People seen who have a current care and support plan',
    measure: 'current-plan',
    kind: 'proportion',
    numerator: 'people with a plan by the end of the month that was not past its review date',
    denominator: 'people who had a conversation in the month',
    unit: '%',
    viewpoints: [],
    hasDomains: false,
    range: PERCENT,
  },
  'review-on-time': {
    label: 'Reviews held on time',
    measure: 'review-on-time',
    kind: 'proportion',
    numerator: 'reviews held on or before the review date the conversation before set',
    denominator: 'reviews that had a review date set',
    unit: '%',
    viewpoints: [],
    hasDomains: false,
    range: PERCENT,
  },
  'rated-by-person': {
    label: 'Outcomes rated by the person themselves',
    measure: 'rated-by-person',
    kind: 'proportion',
    numerator: 'outcomes the person rated themselves that month',
    denominator: 'outcomes rated from any viewpoint in a month',
    unit: '%',
    viewpoints: [],
    hasDomains: true,
    range: PERCENT,
  },
  'multi-agency-plan': {
    label: 'Plans with actions from more than one agency',
    measure: 'multi-agency-plan',
    kind: 'proportion',
    numerator:
      'plan versions whose actions name more than one agency (a community resource, and the person or carer, each count as one)',
    denominator: 'care and support plan versions made in the month',
    unit: '%',
    viewpoints: [],
    hasDomains: false,
    range: PERCENT,
  },
  'outcomes-recorded': {
    label: 'Outcomes recorded: what matters to people',
    measure: 'outcome',
    kind: 'count',
    numerator: null,
    denominator: 'personal outcomes recorded, in the month they were recorded',
    unit: 'outcomes',
    viewpoints: [],
    hasDomains: true,
    range: { min: 0, max: null },
  },
} as const satisfies Record<string, IndicatorSource>;

export type CoreSourceKey = keyof typeof CORE_SOURCES;
export type SourceKey = CoreSourceKey | MeasureSourceKey | FeedbackSourceKey | CommunitySourceKey;

/** Every source: those above, then each subject's module's (standard measures: measure-sources.ts). */
export const INDICATOR_SOURCES: Readonly<Record<SourceKey, IndicatorSource>> = {
  ...CORE_SOURCES,
  ...MEASURE_SOURCES,
  ...FEEDBACK_SOURCES,
  ...COMMUNITY_SOURCES,
};
export const SOURCE_KEYS = Object.keys(INDICATOR_SOURCES) as SourceKey[];

/** Every measure of the rollup a source reads, in the order of the sources. */
export const ROLLUP_MEASURES: readonly RollupMeasure[] = [
  ...CORE_ROLLUP_MEASURES,
  ...MEASURE_ROLLUP_MEASURES,
  ...FEEDBACK_ROLLUP_MEASURES,
  ...COMMUNITY_ROLLUP_MEASURES,
];

/** The subjects sources are about, in the order people meet them: each source is in one. */
export const SOURCE_GROUPS = ['outcomes', 'measures', 'feedback', 'community'] as const;
export type SourceGroup = (typeof SOURCE_GROUPS)[number];
export const SOURCE_GROUP_LABELS: Record<SourceGroup, string> = {
  outcomes: 'Personal outcomes, plans and reviews',
  measures: 'Standard measures',
  feedback: 'Care experience feedback',
  community: 'Community support',
};

/** Which subject a source is about: the module it comes from. */
export function sourceGroupOf(key: SourceKey): SourceGroup {
  if (Object.hasOwn(CORE_SOURCES, key)) return 'outcomes';
  if (Object.hasOwn(MEASURE_SOURCES, key)) return 'measures';
  if (Object.hasOwn(FEEDBACK_SOURCES, key)) return 'feedback';
  return 'community';
}

export function isSourceKey(value: string): value is SourceKey {
  return Object.hasOwn(INDICATOR_SOURCES, value);
}

/** A source by its key; throws for a key that names none (the contract has checked it before). */
export function sourceOf(key: SourceKey): IndicatorSource {
  const source = isSourceKey(key) ? INDICATOR_SOURCES[key] : undefined;
  if (!source) throw new RangeError(`No indicator source has the key ${JSON.stringify(key)}.`);
  return source;
}

/**
 * The breakdowns a source allows: units, periods and demographics always; outcome domain only
 * for facts about outcomes; viewpoint only for measures kept by more than one viewpoint.
 */
export function allowedBreakdowns(key: SourceKey): Breakdown[] {
  const source = sourceOf(key);
  return BREAKDOWNS.filter(
    (b) =>
      (b !== 'domain' || source.hasDomains) &&
      (b !== 'viewpoint' || source.viewpoints.length > 1) &&
      !source.withoutBreakdowns?.includes(b),
  );
}

/** A breakdown's name for a source's values: "Team", or the source's own unit ("Community resource"). */
export function breakdownLabel(key: SourceKey, breakdown: Breakdown): string {
  const unit = breakdown === 'team' ? sourceOf(key).teamUnit : undefined;
  return unit ?? BREAKDOWN_LABELS[breakdown];
}
