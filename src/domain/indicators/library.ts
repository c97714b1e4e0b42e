import { BREAKDOWNS, type Breakdown } from './breakdowns.js';
import { type IndicatorDefinition, indicatorDefinitionProblems } from './definition.js';
import { allowedBreakdowns, type SourceKey } from './sources.js';

/**
 * The ready-made indicators every installation starts with (seeded as version 1 by migration
 * 0015). They follow the list of what commissioners and services ask of personal outcomes
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
];

export const INDICATOR_LIBRARY: readonly IndicatorDefinition[] = entries.map((entry) => ({
  ...entry,
  breakdowns: entry.breakdowns ?? everyBreakdown(entry),
}));

/** Breakdowns in their canonical order, so a definition's list reads the same everywhere. */
export function inBreakdownOrder(breakdowns: readonly Breakdown[]): Breakdown[] {
  return BREAKDOWNS.filter((b) => breakdowns.includes(b));
}
