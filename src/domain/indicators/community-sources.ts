import { RESOURCE_KIND_LABELS, RESOURCE_KINDS, type ResourceKind } from '../community/vocabulary.js';
import { MAX_SCALE_POINTS } from '../outcome-frameworks.js';
import { VIEWPOINTS } from '../ratings.js';
import type { Breakdown } from './breakdowns.js';
import { MEASURE_SCORES, type MeasureScoreSpec } from './measure-sources.js';
import type { IndicatorSource, ValueRange } from './sources.js';

/**
 * Outcomes of community support in the aggregates (issue 14, part 4): the indicator sources and
 * the rollup measures of connections to community resources, generated from the directory's kinds
 * of support (RESOURCE_KINDS), never listed by hand per kind. Migration 0036 builds the fact view's
 * community branches from the same names, so each measure has one definition.
 *
 * A person is *connected* to a resource when a referral or signpost to it has at least one
 * attendance recorded as attended: a referral nobody took up says nothing about what the support
 * did. Each connection is one fact, in the London month of its first attendance, placed in the
 * organisation that runs the resource (so voluntary and community organisations sit beside clinical
 * providers in comparisons and funnel plots) and, in the team column, in the resource itself
 * (migration 0038: a resource is a unit of its organisation as a team is of a provider). The person is still the unit of
 * contribution, as for every person-owned fact: demographics are theirs.
 *
 * Per connection linked to one of the person's outcomes (the referral's `outcome_id`), the change
 * in how far that outcome is achieved across the support: the latest rating from a viewpoint after
 * the first attendance minus the latest from the same viewpoint at or before it (the baseline).
 *
 * Per connection of a person who completed SWEMWBS (the outcome measure the social prescribing
 * standard names: docs/research/issue-14-social-prescribing.md), the change in their wellbeing
 * across it: their latest metric score after the first attendance minus their latest at or before
 * it, reliably improved by SWEMWBS's own rule (domain/measures/reliable-change.ts, applied in SQL by
 * migration 0022's builder, reused by 0037).
 */

/** What a connection's facts are counted as. */
export const COMMUNITY_FACTS = ['connected', 'rating-change', 'wellbeing-change'] as const;
export type CommunityFact = (typeof COMMUNITY_FACTS)[number];

export type CommunityRollupMeasure = `community:${string}`;

/** The rollup measure of a fact, over every kind of support (kind null) or one kind. */
export const communityMeasure = (
  fact: CommunityFact,
  kind: ResourceKind | null = null,
): CommunityRollupMeasure => (kind ? `community:${fact}:${kind}` : `community:${fact}`);

/** Every rollup measure community facts are kept under: each fact overall, then per kind. */
export const COMMUNITY_ROLLUP_MEASURES: readonly CommunityRollupMeasure[] = COMMUNITY_FACTS.flatMap(
  (fact) => [communityMeasure(fact), ...RESOURCE_KINDS.map((kind) => communityMeasure(fact, kind))],
);

// ——— the sources ———

export type CommunitySourceKey = `community-${string}`;

/**
 * The wellbeing score a connection's change is measured on: SWEMWBS's aggregated score with a
 * reliable-change rule (its metric score), found in the measures' own data, never named twice.
 */
export const WELLBEING_SCORE: MeasureScoreSpec & { change: NonNullable<MeasureScoreSpec['change']> } =
  (() => {
    const spec = MEASURE_SCORES.find((s) => s.instrument === 'swemwbs' && s.change);
    if (!spec?.change) throw new Error('SWEMWBS has no aggregated score with a reliable-change rule');
    return { ...spec, change: spec.change };
  })();

/** The figures each kind of support has: people connected, mean change, % improved; the same in wellbeing. */
export const COMMUNITY_FIGURES = [
  'connected',
  'rating-change',
  'rating-improved',
  'wellbeing-change',
  'wellbeing-improved',
] as const;
export type CommunityFigure = (typeof COMMUNITY_FIGURES)[number];

/** The source of a figure, overall (kind null) or for one kind of support. */
export const communitySourceKey = (
  figure: CommunityFigure,
  kind: ResourceKind | null = null,
): CommunitySourceKey => (kind ? `community-${figure}-${kind}` : `community-${figure}`);

/** Connections are not coded to outcome domains (the linked outcome's domain is the person's record). */
export const COMMUNITY_UNKEPT_BREAKDOWNS: readonly Breakdown[] = ['domain'];

/** Facts are kept per resource in the rollup's team column (migration 0038): its breakdown's name. */
export const COMMUNITY_UNIT = 'Community resource';

/** Scores run from 1 to at most MAX_SCALE_POINTS, so a change is at most one less either way. */
const LARGEST_SCALE_STEP = MAX_SCALE_POINTS - 1;
const PERCENT: ValueRange = { min: 0, max: 100 };

/** "walking group", "community support": how a kind is named inside a sentence. */
const supportIn = (kind: ResourceKind | null) =>
  kind ? `a community resource of the kind “${RESOURCE_KIND_LABELS[kind]}”` : 'a community resource';
const labelled = (label: string, kind: ResourceKind | null) =>
  kind ? `${label}: ${RESOURCE_KIND_LABELS[kind]}` : label;

/** A wellbeing change is at most the score's whole range either way. */
const WELLBEING_SPAN = WELLBEING_SCORE.max - WELLBEING_SCORE.min;

const connections = (kind: ResourceKind | null) =>
  `referrals and signposts to ${supportIn(kind)} that the person attended at least once, each counted once, in the month of the first attendance`;
const rated = (kind: ResourceKind | null) =>
  `connections to ${supportIn(kind)} whose linked outcome was rated from the same viewpoint both at or before the first attendance and after it, in the month of the latest rating`;

const measured = (kind: ResourceKind | null) =>
  `connections to ${supportIn(kind)} of people with a ${WELLBEING_SCORE.name} at or before the first attendance and another after it, in the month of the latest`;

function sourcesOf(kind: ResourceKind | null): [CommunitySourceKey, IndicatorSource][] {
  const always = {
    hasDomains: false,
    withoutBreakdowns: COMMUNITY_UNKEPT_BREAKDOWNS,
    teamUnit: COMMUNITY_UNIT,
  } as const;
  return [
    [
      communitySourceKey('connected', kind),
      {
        ...always,
        label: labelled('People connected to community support', kind),
        measure: communityMeasure('connected', kind),
        kind: 'count',
        numerator: null,
        denominator: connections(kind),
        unit: 'connections',
        viewpoints: [],
        range: { min: 0, max: null },
      },
    ],
    [
      communitySourceKey('rating-change', kind),
      {
        ...always,
        label: labelled('Change in rating after connecting to community support', kind),
        measure: communityMeasure('rating-change', kind),
        kind: 'mean',
        numerator:
          'the latest rating of the linked outcome after the first attendance minus the latest at or before it, in points of the scale',
        denominator: rated(kind),
        unit: 'points',
        viewpoints: VIEWPOINTS,
        range: { min: -LARGEST_SCALE_STEP, max: LARGEST_SCALE_STEP },
        // A rating says how far an outcome is achieved: higher is better by the scale's own words.
        improvement: 'increase',
      },
    ],
    [
      communitySourceKey('rating-improved', kind),
      {
        ...always,
        label: labelled('Outcomes rated higher after connecting to community support', kind),
        measure: communityMeasure('rating-change', kind),
        kind: 'proportion',
        numerator:
          'connections whose linked outcome is rated higher after the first attendance than before it',
        denominator: rated(kind),
        unit: '%',
        viewpoints: VIEWPOINTS,
        range: PERCENT,
        improvement: 'increase',
      },
    ],
    [
      communitySourceKey('wellbeing-change', kind),
      {
        ...always,
        label: labelled(
          `Change in wellbeing (${WELLBEING_SCORE.name}) after connecting to community support`,
          kind,
        ),
        measure: communityMeasure('wellbeing-change', kind),
        kind: 'mean',
        numerator: `the latest ${WELLBEING_SCORE.name} after the first attendance minus the latest at or before it, in points`,
        denominator: measured(kind),
        unit: 'points',
        viewpoints: [],
        range: { min: -WELLBEING_SPAN, max: WELLBEING_SPAN },
        improvement: WELLBEING_SCORE.higherIsBetter ? 'increase' : 'decrease',
      },
    ],
    [
      communitySourceKey('wellbeing-improved', kind),
      {
        ...always,
        label: labelled('People reliably improved in wellbeing after connecting to community support', kind),
        measure: communityMeasure('wellbeing-change', kind),
        kind: 'proportion',
        numerator: `connections after which the person's ${WELLBEING_SCORE.name} improved by at least ${WELLBEING_SCORE.change.points} points (reliable improvement)`,
        denominator: measured(kind),
        unit: '%',
        viewpoints: [],
        range: PERCENT,
        improvement: 'increase',
      },
    ],
  ];
}

/** The sources of community support, by key: spread into INDICATOR_SOURCES (sources.ts). */
export const COMMUNITY_SOURCES: Readonly<Record<CommunitySourceKey, IndicatorSource>> = Object.fromEntries([
  ...sourcesOf(null),
  ...RESOURCE_KINDS.flatMap((kind) => sourcesOf(kind)),
]);

export const isCommunitySource = (key: string): key is CommunitySourceKey =>
  Object.hasOwn(COMMUNITY_SOURCES, key);

// ——— the statements behind a number ———

/** Which connections a community figure counts: the drill-down shows their linked outcomes' words. */
export interface ConnectionsBehind {
  /** Only connections to resources of this kind; null: every kind. */
  kind: ResourceKind | null;
  /**
   * 'connected': connections by the month of their first attendance; 'rating-change': those with a
   * rating before and after, by the month of the latest rating after it; 'wellbeing-change': those
   * with a wellbeing score before and after, by the month of the latest score after it.
   */
  fact: CommunityFact;
}

/** The connections a community source's facts count; null for a source not about community support. */
export function connectionsBehind(key: string): ConnectionsBehind | null {
  if (!isCommunitySource(key)) return null;
  const measure = COMMUNITY_SOURCES[key]?.measure ?? '';
  for (const fact of COMMUNITY_FACTS) {
    if (measure === communityMeasure(fact)) return { kind: null, fact };
    const kind = RESOURCE_KINDS.find((k) => measure === communityMeasure(fact, k));
    if (kind) return { kind, fact };
  }
  return null;
}
