import { RESOURCE_KIND_LABELS, RESOURCE_KINDS, type ResourceKind } from '../community/vocabulary.js';
import { BREAKDOWNS, type Breakdown } from './breakdowns.js';
import { type CommunityFigure, communitySourceKey, WELLBEING_SCORE } from './community-sources.js';
import { type IndicatorDefinition, indicatorDefinitionProblems } from './definition.js';
import { allowedBreakdowns, type SourceKey } from './sources.js';

/**
 * The ready-made indicators every installation starts with (seeded as version 1 by migration
 * 0015; those over standard measures also by 0022, for databases made before them). They follow the list of what commissioners and services ask of personal outcomes
 * data. Targets are set only where the method itself defines what "as expected" means (a GAS
 * T-score of 50 is every goal attained at its expected level); other targets are a local decision
 * for each contract.
 */

type LibraryEntry = Omit<IndicatorDefinition, 'breakdowns'> & { breakdowns?: Breakdown[] };

/** Every breakdown the source allows that the filters leave meaningful. */
function everyBreakdown(entry: LibraryEntry): Breakdown[] {
  const draft = { ...entry, breakdowns: [...allowedBreakdowns(entry.source as SourceKey)] };
  const refused = new Set(
    indicatorDefinitionProblems(draft)
      .filter((p) => p.field.startsWith('breakdowns.'))
      .map((p) => Number(p.field.split('.')[1])),
  );
  return draft.breakdowns.filter((_, i) => !refused.has(i));
}

const entries: LibraryEntry[] = [
  {
    key: 'person-rated-achieved',
    name: 'Outcomes the person rates mostly or fully achieved',
    description:
      'Of the outcomes people rated themselves, the share they said were mostly or fully achieved, taking each outcome’s latest rating in each month.',
    source: 'rating-achieved',
    filters: { viewpoint: 'person' },
    improvement: 'increase',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'practitioner-rated-achieved',
    name: 'Outcomes the practitioner rates mostly or fully achieved',
    description:
      'The same as the person’s own rating, from the practitioner’s point of view: set side by side, they show where views differ.',
    source: 'rating-achieved',
    filters: { viewpoint: 'practitioner' },
    improvement: 'increase',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'person-rating-change',
    name: 'Change in the person’s rating between first and latest review',
    description:
      'The average distance travelled: the person’s latest rating of an outcome minus their first, in points of the rating scale.',
    source: 'rating-change',
    filters: { viewpoint: 'person' },
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'outcomes-improved',
    name: 'Outcomes the person rates higher than at first',
    description:
      'Of the outcomes the person has rated more than once, the share they now rate higher than at first.',
    source: 'rating-improved',
    filters: { viewpoint: 'person' },
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'viewpoints-agree',
    name: 'Outcomes the person and practitioner rate the same',
    description:
      'Of the outcomes both rated at the same conversation, the share where they gave the same score. Disagreement is worth talking about, not an error, so neither direction is better.',
    source: 'viewpoint-agreement',
    filters: {},
    improvement: 'neutral',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'viewpoint-gap',
    name: 'Gap between the person’s and the practitioner’s ratings',
    description:
      'How far apart the two ratings of the same outcome at the same conversation are, on average.',
    source: 'viewpoint-gap',
    filters: {},
    improvement: 'neutral',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'gas-per-person',
    name: 'Goal attainment T-score per person',
    description:
      'Each person’s goal attainment scaling T-score at a review, averaged. 50 means goals were attained as expected overall.',
    source: 'gas-person',
    filters: {},
    improvement: 'increase',
    target: 50,
    periodicity: 'quarter',
  },
  {
    key: 'gas-service',
    name: 'Goal attainment T-score for the service',
    description:
      'One T-score over every goal scored at reviews in the service, weighted by each goal’s weight. 50 means goals were attained as expected.',
    source: 'gas-service',
    filters: {},
    improvement: 'increase',
    target: 50,
    periodicity: 'quarter',
  },
  {
    key: 'goals-met',
    name: 'Goals attained at the expected level or better',
    description: 'Of the goal attainments scored at reviews, the share at the expected level or better.',
    source: 'gas-goal-met',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'current-plan',
    name: 'People seen with a current care and support plan',
    description:
      'Of the people who had a conversation in a month, the share with a plan by the end of that month that was not past its review date.',
    source: 'current-plan',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'reviews-on-time',
    name: 'Reviews held on time',
    description:
      'Of the reviews that had a date set at the conversation before, the share held on or before it.',
    source: 'review-on-time',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'rated-by-person',
    name: 'Outcomes rated by the person themselves',
    description:
      'Of the outcomes rated in a month, the share the person rated themselves: their own view, not only a professional’s.',
    source: 'rated-by-person',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'multi-agency-plans',
    name: 'Plans with actions from more than one agency',
    description:
      'Of the care and support plan versions made in a month, the share whose actions name more than one agency: one shared plan across the people who support someone.',
    source: 'multi-agency-plan',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'what-matters',
    name: 'What matters to people: outcomes recorded by domain',
    description:
      'How many personal outcomes were recorded, by the domain they are coded to: what people say matters.',
    source: 'outcomes-recorded',
    filters: {},
    improvement: 'neutral',
    target: null,
    periodicity: 'quarter',
  },
  // Standard measures (issue 11; sources generated from the instruments: measure-sources.ts).
  {
    key: 'phq9-mean',
    name: 'PHQ-9: average depression score',
    description:
      'The average of people’s latest PHQ-9 score in each month (0–27; lower means fewer symptoms of depression).',
    source: 'phq9-total-mean',
    filters: {},
    improvement: 'decrease',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'phq9-reliable-improvement',
    name: 'PHQ-9: people reliably improved',
    description:
      'Of the people with a PHQ-9 on two or more occasions, the share whose latest score is at least 6 points lower than their first (NHS Talking Therapies’ reliable improvement).',
    source: 'phq9-total-improved',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'phq9-recovery',
    name: 'PHQ-9: people recovered',
    description:
      'Of the people whose first PHQ-9 was at caseness (10 or more) and who have a later one, the share whose latest is below it (NHS Talking Therapies’ recovery, on the PHQ-9 alone).',
    source: 'phq9-total-recovered',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'gad7-recovery',
    name: 'GAD-7: people recovered',
    description:
      'Of the people whose first GAD-7 was at caseness (8 or more) and who have a later one, the share whose latest is below it (NHS Talking Therapies’ recovery, on the GAD-7 alone).',
    source: 'gad7-total-recovered',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'swemwbs-mean',
    name: 'SWEMWBS: average mental wellbeing score',
    description:
      'The average of people’s latest SWEMWBS metric score in each month (7–35; higher means better mental wellbeing).',
    source: 'swemwbs-metric-mean',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'month',
  },
  {
    key: 'collaborate-top-box',
    name: 'CollaboRATE: people who gave the top score on every question',
    description:
      'Of the people who completed CollaboRATE in a month, the share who answered 9 to all three questions about shared decision-making (the top-box score).',
    source: 'collaborate-total-band-top-box',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
  {
    key: 'measured-at-start-and-review',
    name: 'People with a standard measure at the start and again at a review',
    description:
      'Of the people who have had a review, the share who completed a standard measure before their first review and again on or after it: change can only be shown where both were done.',
    source: 'measures-start-and-review',
    filters: {},
    improvement: 'increase',
    target: null,
    periodicity: 'quarter',
  },
];

/**
 * Community support (issue 14; sources generated from the directory's kinds: community-sources.ts):
 * people connected, and the change in the person's own rating of the linked outcome, over every
 * kind of support and for each kind, so a contract with a voluntary or community organisation can
 * carry them and every figure of the commissioner's community page opens onto its statements. The
 * person's own viewpoint, as the library's change indicators for every service use.
 */
function communityEntries(kind: ResourceKind | null): LibraryEntry[] {
  const of = kind ? ` (${RESOURCE_KIND_LABELS[kind].toLowerCase()})` : '';
  const where = kind
    ? `a community resource of the kind “${RESOURCE_KIND_LABELS[kind]}”`
    : 'a community resource';
  const entry = (
    figure: CommunityFigure,
    e: Omit<LibraryEntry, 'key' | 'source' | 'target'>,
  ): LibraryEntry => ({
    key: communitySourceKey(figure, kind),
    source: communitySourceKey(figure, kind),
    target: null,
    ...e,
  });
  return [
    entry('connected', {
      name: `People connected to community support${of}`,
      description: `How many referrals and signposts to ${where} the person went on to attend, counted in the month of the first attendance.`,
      filters: {},
      improvement: 'neutral',
      periodicity: 'quarter',
    }),
    entry('rating-change', {
      name: `Change in the person’s rating after community support${of}`,
      description: `For people connected to ${where} with an outcome linked to the referral, the person’s latest rating of that outcome after the first attendance minus their latest rating at or before it, in points of the scale.`,
      filters: { viewpoint: 'person' },
      improvement: 'increase',
      periodicity: 'quarter',
    }),
    entry('rating-improved', {
      name: `Outcomes the person rates higher after community support${of}`,
      description: `Of the outcomes linked to a connection to ${where} that the person rated both before and after the first attendance, the share they now rate higher.`,
      filters: { viewpoint: 'person' },
      improvement: 'increase',
      periodicity: 'quarter',
    }),
    entry('wellbeing-change', {
      name: `Change in wellbeing (${WELLBEING_SCORE.name}) after community support${of}`,
      description: `For people connected to ${where} who completed ${WELLBEING_SCORE.name} at or before the first attendance and again after it, their latest score after it minus their latest at or before it, in points.`,
      filters: {},
      improvement: 'increase',
      periodicity: 'quarter',
    }),
    entry('wellbeing-improved', {
      name: `People reliably improved in wellbeing after community support${of}`,
      description: `Of the connections to ${where} with a ${WELLBEING_SCORE.name} before and after the first attendance, the share whose score rose by at least ${WELLBEING_SCORE.change.points} points (reliable improvement).`,
      filters: {},
      improvement: 'increase',
      periodicity: 'quarter',
    }),
  ];
}
entries.push(...communityEntries(null), ...RESOURCE_KINDS.flatMap((kind) => communityEntries(kind)));

export const INDICATOR_LIBRARY: readonly IndicatorDefinition[] = entries.map((entry) => ({
  ...entry,
  breakdowns: entry.breakdowns ?? everyBreakdown(entry),
}));

/** Breakdowns in their canonical order, so a definition's list reads the same everywhere. */
export function inBreakdownOrder(breakdowns: readonly Breakdown[]): Breakdown[] {
  return BREAKDOWNS.filter((b) => breakdowns.includes(b));
}
