import { PATIENT_EXPERIENCE_FRAMEWORK } from '../coding/framework.js';
import { FFT_BANDS, FFT_POSITIVE } from '../measures/instruments/fft.js';
import type { Breakdown } from './breakdowns.js';
import type { Improvement } from './definition.js';
import type { IndicatorSource, ValueRange } from './sources.js';

/**
 * Care-experience feedback in the aggregates (issue 12, item 6): the indicator sources and the
 * rollup measures of feedback stories, generated from the feedback's own data (the FFT answers of
 * domain/measures/instruments/fft.ts, the themes of the default coding framework in
 * domain/coding/framework.ts), never listed by hand per theme. Migration 0028 builds the fact
 * view's feedback branch from the same constants, so each measure's name and condition has one
 * definition.
 *
 * A story is not about an identified person: each fact is one story (the rollup's contribution
 * unit is the story, keyed by its own id: docs/AGGREGATES.md), in the London month it was received,
 * in its service's organisation and team.
 */

/** The FFT answers NHS England counts as positive, and every answer (the denominator includes Don't know). */
export const FFT_POSITIVE_ANSWERS: readonly string[] = FFT_POSITIVE;
export const FFT_ALL_ANSWERS: readonly string[] = FFT_BANDS.map((b) => b.key);

/** Sentiment on the story's five-point scale (1 very negative … 5 very positive). */
export const POSITIVE_SENTIMENT = { min: 4, max: 5 } as const;
export const NEGATIVE_SENTIMENT = { min: 1, max: 2 } as const;

/**
 * Days within which a story should have had its first reply. A local standard, not a national one:
 * the complaints regulations' three working days (Local Authority Social Services and National
 * Health Service Complaints (England) Regulations 2009, regulation 13) are for acknowledging formal
 * complaints, which feedback is not, and no national standard sets a time to answer feedback. Two
 * weeks lets a service answer every story between two fortnightly team meetings, where replies and
 * changes are agreed; a service that wants another figure changes it here, once.
 */
export const FIRST_RESPONSE_TARGET_DAYS = 14;

/** The themes a story's share is counted for: the default framework's, in its order. */
export const FEEDBACK_THEMES = PATIENT_EXPERIENCE_FRAMEWORK.themes.map((t) => ({ id: t.id, label: t.label }));

// ——— the rollup's measure names ———

export type FeedbackRollupMeasure = `feedback:${string}`;

/** Every story, with 1 in the numerator when its FFT answer is positive. */
export const FEEDBACK_FFT_MEASURE: FeedbackRollupMeasure = 'feedback:fft';
/** Stories with a sentiment: numerator positive (4–5), value the sentiment. */
export const FEEDBACK_SENTIMENT_MEASURE: FeedbackRollupMeasure = 'feedback:sentiment';
/** The same stories: numerator negative (1–2). */
export const FEEDBACK_NEGATIVE_SENTIMENT_MEASURE: FeedbackRollupMeasure = 'feedback:sentiment-negative';
/** Concerns (feedback.is_concern): numerator those linked to a change made. */
export const FEEDBACK_CONCERN_CHANGE_MEASURE: FeedbackRollupMeasure = 'feedback:concern-change-made';
/** Stories replied to: value the days from receipt to the first reply. */
export const FEEDBACK_RESPONSE_TIME_MEASURE: FeedbackRollupMeasure = 'feedback:first-response-days';
/** Every story: numerator those first replied to within FIRST_RESPONSE_TARGET_DAYS. */
export const FEEDBACK_RESPONDED_MEASURE: FeedbackRollupMeasure = 'feedback:responded-in-time';
/** Stories flagged for safeguarding whose first action is recorded: value the hours to it. */
export const FEEDBACK_SAFEGUARDING_MEASURE: FeedbackRollupMeasure =
  'feedback:safeguarding-first-action-hours';
/** Stories with words to code: numerator those coded to the theme (one measure per theme). */
export const themeMeasure = (themeId: string): FeedbackRollupMeasure => `feedback:theme:${themeId}`;

/** Every rollup measure feedback facts are kept under. */
export const FEEDBACK_ROLLUP_MEASURES: readonly FeedbackRollupMeasure[] = [
  FEEDBACK_FFT_MEASURE,
  FEEDBACK_SENTIMENT_MEASURE,
  FEEDBACK_NEGATIVE_SENTIMENT_MEASURE,
  FEEDBACK_CONCERN_CHANGE_MEASURE,
  FEEDBACK_RESPONSE_TIME_MEASURE,
  FEEDBACK_RESPONDED_MEASURE,
  FEEDBACK_SAFEGUARDING_MEASURE,
  ...FEEDBACK_THEMES.map((t) => themeMeasure(t.id)),
];

// ——— the sources ———

export type FeedbackSourceKey = `feedback-${string}`;

const PERCENT: ValueRange = { min: 0, max: 100 };

/**
 * Stories carry no sex, ethnicity or deprivation (the form asks none of them) and are never coded
 * to outcome domains or kept by viewpoint: breaking them down by those would show only "Not known".
 * Age band is kept where the writer gave one.
 */
export const FEEDBACK_UNKEPT_BREAKDOWNS: readonly Breakdown[] = [
  'sex',
  'ethnicity',
  'deprivation-quintile',
  'domain',
  'viewpoint',
];

type SourceFacts = Pick<IndicatorSource, 'label' | 'measure' | 'numerator' | 'denominator'> & {
  improvement?: Improvement;
};

const ALWAYS = { viewpoints: [], hasDomains: false, withoutBreakdowns: FEEDBACK_UNKEPT_BREAKDOWNS } as const;

const proportion = (key: FeedbackSourceKey, f: SourceFacts): [FeedbackSourceKey, IndicatorSource] => [
  key,
  { ...ALWAYS, ...f, kind: 'proportion', unit: '%', range: PERCENT },
];
const mean = (
  key: FeedbackSourceKey,
  f: SourceFacts,
  unit: string,
  range: ValueRange,
): [FeedbackSourceKey, IndicatorSource] => [key, { ...ALWAYS, ...f, kind: 'mean', unit, range }];

const STORIES = 'feedback stories received in the month';
const CODED_STORIES = 'feedback stories received in the month with words to code';
const SENTIMENT_STORIES = 'feedback stories received in the month with a sentiment (coded or confirmed)';
const CONCERNS =
  'concerns received in the month: stories whose FFT answer was Poor or Very poor, or whose sentiment is negative (1 or 2)';
const positive = FFT_BANDS.filter((b) => FFT_POSITIVE_ANSWERS.includes(b.key)).map((b) => b.label);

/** Theme shares say nothing about better or worse, except the two overall themes. */
const THEME_IMPROVEMENT: Readonly<Record<string, Improvement>> = {
  'overall-positive': 'increase',
  'overall-negative': 'decrease',
};

/** The sources of care-experience feedback, by key: spread into INDICATOR_SOURCES (sources.ts). */
export const FEEDBACK_SOURCES: Readonly<Record<FeedbackSourceKey, IndicatorSource>> = Object.fromEntries([
  proportion('feedback-fft-positive', {
    label: 'Friends and Family Test: positive answers',
    measure: FEEDBACK_FFT_MEASURE,
    numerator: `answers ${positive.join(' or ')} (NHS England’s percentage positive)`,
    denominator: `${STORIES}, every FFT answer counted, Don’t know included`,
    improvement: 'increase',
  }),
  [
    'feedback-volume',
    {
      ...ALWAYS,
      label: 'Feedback stories received',
      measure: FEEDBACK_FFT_MEASURE,
      kind: 'count',
      numerator: null,
      denominator: STORIES,
      unit: 'stories',
      range: { min: 0, max: null },
    },
  ],
  proportion('feedback-sentiment-positive', {
    label: 'Feedback stories with a positive sentiment',
    measure: FEEDBACK_SENTIMENT_MEASURE,
    numerator: `stories whose sentiment is positive (${POSITIVE_SENTIMENT.min} or ${POSITIVE_SENTIMENT.max})`,
    denominator: SENTIMENT_STORIES,
    improvement: 'increase',
  }),
  proportion('feedback-sentiment-negative', {
    label: 'Feedback stories with a negative sentiment',
    measure: FEEDBACK_NEGATIVE_SENTIMENT_MEASURE,
    numerator: `stories whose sentiment is negative (${NEGATIVE_SENTIMENT.min} or ${NEGATIVE_SENTIMENT.max})`,
    denominator: SENTIMENT_STORIES,
    improvement: 'decrease',
  }),
  mean(
    'feedback-sentiment-mean',
    {
      label: 'Average sentiment of feedback stories',
      measure: FEEDBACK_SENTIMENT_MEASURE,
      numerator: 'the story’s sentiment, 1 (very negative) to 5 (very positive)',
      denominator: SENTIMENT_STORIES,
      improvement: 'increase',
    },
    'points',
    { min: 1, max: 5 },
  ),
  proportion('feedback-concerns-changed', {
    label: 'Concerns that led to a change made',
    measure: FEEDBACK_CONCERN_CHANGE_MEASURE,
    numerator: 'concerns linked to a change the service has recorded as made',
    denominator: CONCERNS,
    improvement: 'increase',
  }),
  mean(
    'feedback-first-response-days',
    {
      label: 'Average days to the first reply to a feedback story',
      measure: FEEDBACK_RESPONSE_TIME_MEASURE,
      numerator: 'the days from the story’s receipt to its first reply',
      denominator: 'feedback stories received in the month that have had a reply',
      improvement: 'decrease',
    },
    'days',
    { min: 0, max: null },
  ),
  proportion('feedback-replied-in-time', {
    label: `Feedback stories replied to within ${FIRST_RESPONSE_TARGET_DAYS} days`,
    measure: FEEDBACK_RESPONDED_MEASURE,
    numerator: `stories first replied to within ${FIRST_RESPONSE_TARGET_DAYS} days of their receipt`,
    denominator: `${STORIES} (the latest ${FIRST_RESPONSE_TARGET_DAYS} days’ stories can still be replied to in time)`,
    improvement: 'increase',
  }),
  mean(
    'feedback-safeguarding-first-action-hours',
    {
      label: 'Average hours to the first safeguarding action on a flagged story',
      measure: FEEDBACK_SAFEGUARDING_MEASURE,
      numerator: 'the hours from the story’s flag to the first safeguarding action recorded',
      denominator: 'stories received in the month flagged for safeguarding, with a first action recorded',
      improvement: 'decrease',
    },
    'hours',
    { min: 0, max: null },
  ),
  ...FEEDBACK_THEMES.map((t) => {
    const improvement = THEME_IMPROVEMENT[t.id];
    return proportion(`feedback-theme-${t.id}`, {
      label: `Feedback stories about “${t.label}”`,
      measure: themeMeasure(t.id),
      numerator: `stories coded to the theme “${t.label}” or one of its sub-themes (codes confirmed, or suggested and not rejected)`,
      denominator: CODED_STORIES,
      ...(improvement ? { improvement } : {}),
    });
  }),
]);

// ——— the stories behind a number ———

/** Which of a cell's stories a source's figure is about: the drill-down shows those. */
export interface StoriesBehind {
  /** Only stories coded to this theme (or one of its sub-themes). */
  themeId?: string;
  /** Only concerns (feedback.is_concern). */
  concernsOnly?: boolean;
  /** Only stories with a sentiment. */
  withSentiment?: boolean;
  /** Only stories that have had a reply. */
  replied?: boolean;
  /** Only stories flagged for safeguarding with a first action. */
  safeguarding?: boolean;
}

export const isFeedbackSource = (key: string): key is FeedbackSourceKey =>
  Object.hasOwn(FEEDBACK_SOURCES, key);

/**
 * The stories a feedback source's facts count (its denominator): every story of the cell for the
 * FFT, volume and replies in time; the theme's stories for a theme share (the ones that say what
 * the theme is about); concerns for concerns changed; and so on. Null for a source not about feedback.
 */
export function storiesBehind(key: string): StoriesBehind | null {
  if (!isFeedbackSource(key)) return null;
  const measure = FEEDBACK_SOURCES[key]?.measure;
  const theme = FEEDBACK_THEMES.find((t) => themeMeasure(t.id) === measure);
  if (theme) return { themeId: theme.id };
  switch (measure) {
    case FEEDBACK_CONCERN_CHANGE_MEASURE:
      return { concernsOnly: true };
    case FEEDBACK_SENTIMENT_MEASURE:
    case FEEDBACK_NEGATIVE_SENTIMENT_MEASURE:
      return { withSentiment: true };
    case FEEDBACK_RESPONSE_TIME_MEASURE:
      return { replied: true };
    case FEEDBACK_SAFEGUARDING_MEASURE:
      return { safeguarding: true };
    default:
      return {};
  }
}
