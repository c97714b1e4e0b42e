import { INSTRUMENTS } from '../measures/instruments/index.js';
import { RELIABLE_CHANGE } from '../measures/reliable-change.js';
import { INSTRUMENT_KEYS, type InstrumentKey, type ScoreBand } from '../measures/types.js';
import type { IndicatorSource, ValueRange } from './sources.js';

/**
 * Standard measures in the aggregates (issue 11): the indicator sources and the rollup measures of
 * the built-in instruments, generated from the instruments' own data (their scores, bands and
 * direction: domain/measures/instruments; reliable change and caseness:
 * domain/measures/reliable-change.ts), never listed by hand per instrument. Migration 0022 builds the
 * fact view's branches from the same `MEASURE_SCORES`, so a measure's name, its bands and its
 * thresholds have one definition each.
 *
 * For each score of a built-in instrument that is aggregated:
 * - `<instrument>:<score>`: each person's latest score in a month (mean score);
 * - `<instrument>:<score>:band:<band>`: the same people, counted in the band's numerator when their
 *   score is in it (one measure per band, so "% in a band" is a proportion of one measure like any
 *   other: disclosure control, funnel plots and SPC need nothing new);
 * - where reliable change is defined, between each person's first and latest score, in the month of
 *   the latest: `:improved` (its value the change), `:deteriorated`, and where a caseness threshold
 *   is defined `:recovered` and `:reliably-recovered` (only people at caseness at their first score);
 * and for each instrument `<instrument>:start-and-review`, plus `measures:start-and-review` for any
 * completed questionnaire (process measures: docs/AGGREGATES.md).
 */

/** Scores the instruments yield that are not aggregated, and why. */
const NOT_AGGREGATED: readonly { instrument: InstrumentKey; score?: string; why: string }[] = [
  {
    instrument: 'swemwbs',
    score: 'total',
    why: 'the raw total is an ordinal sum: Warwick’s guidance is to analyse the metric score',
  },
  {
    instrument: 'fft',
    why: 'the Friends and Family Test is care-experience feedback, counted by the feedback subject',
  },
];

/** How a score's change between two occasions is judged (NHS Talking Therapies' definitions). */
export interface ChangeRule {
  /** The smallest change, in points of the score, that is reliable (or meaningful, for SWEMWBS). */
  points: number;
  /** The score at or beyond which a person is a "case" (on the worse side); null when there is none. */
  caseness: number | null;
  /** Which way change is an improvement, as the change definition says. */
  higherIsBetter: boolean;
}

/** A score of a built-in instrument as the aggregates count it. */
export interface MeasureScoreSpec {
  instrument: InstrumentKey;
  scoreKey: string;
  /** How people name the score: "PHQ-9", "SWEMWBS metric score", "ONS4 anxiety". */
  name: string;
  min: number;
  max: number;
  higherIsBetter: boolean;
  bands: readonly ScoreBand[];
  change: ChangeRule | null;
}

/** The short name of an instrument: the abbreviation its title ends with, else the title. */
export function shortName(title: string): string {
  return /\(([^()]+)\)\s*$/.exec(title)?.[1] ?? title;
}

const aggregated = (instrument: InstrumentKey, score: string) =>
  !NOT_AGGREGATED.some((n) => n.instrument === instrument && (n.score === undefined || n.score === score));

function changeRuleOf(instrument: InstrumentKey, scoreKey: string): ChangeRule | null {
  const rule = RELIABLE_CHANGE[instrument];
  if (!rule || rule.scoreKey !== scoreKey) return null;
  return {
    points: rule.reliableChange,
    caseness: rule.caseness,
    higherIsBetter: rule.direction === 'higher-is-better',
  };
}

const BUILT_IN = INSTRUMENT_KEYS.map((key) => INSTRUMENTS[key]);

/** Every aggregated score of every built-in instrument, in the instruments' order. */
export const MEASURE_SCORES: readonly MeasureScoreSpec[] = BUILT_IN.flatMap((instrument) => {
  const scores = instrument.scores.filter((s) => aggregated(instrument.key, s.key));
  const short = shortName(instrument.title);
  return scores.map((score) => ({
    instrument: instrument.key,
    scoreKey: score.key,
    name:
      instrument.scores.length === 1
        ? short
        : `${short} ${score.label.charAt(0).toLowerCase()}${score.label.slice(1)}`,
    min: score.min,
    max: score.max,
    higherIsBetter: score.higherIsBetter,
    bands: instrument.bands[score.key] ?? [],
    change: changeRuleOf(instrument.key, score.key),
  }));
});

/** The instruments with at least one aggregated score. */
export const MEASURE_INSTRUMENTS: readonly { key: InstrumentKey; name: string }[] = BUILT_IN.filter((i) =>
  MEASURE_SCORES.some((s) => s.instrument === i.key),
).map((i) => ({ key: i.key, name: shortName(i.title) }));

// ——— the rollup's measure names ———

export type MeasureRollupMeasure = `${string}:${string}`;

/** What a person's first and latest scores are counted as, where reliable change is defined. */
export const CHANGE_OUTCOMES = ['improved', 'deteriorated', 'recovered', 'reliably-recovered'] as const;
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];

export const scoreMeasure = (s: MeasureScoreSpec): MeasureRollupMeasure => `${s.instrument}:${s.scoreKey}`;
export const bandMeasure = (s: MeasureScoreSpec, band: ScoreBand): MeasureRollupMeasure =>
  `${s.instrument}:${s.scoreKey}:band:${band.key}`;
export const changeMeasure = (s: MeasureScoreSpec, outcome: ChangeOutcome): MeasureRollupMeasure =>
  `${s.instrument}:${s.scoreKey}:${outcome}`;
export const startAndReviewMeasure = (instrument: InstrumentKey): MeasureRollupMeasure =>
  `${instrument}:start-and-review`;
/** Any completed questionnaire, built-in or imported. */
export const ANY_MEASURE_START_AND_REVIEW: MeasureRollupMeasure = 'measures:start-and-review';

/** The change outcomes kept for a score: recovery only where a caseness threshold is defined. */
export function changeOutcomesOf(s: MeasureScoreSpec): ChangeOutcome[] {
  if (!s.change) return [];
  return s.change.caseness === null ? ['improved', 'deteriorated'] : [...CHANGE_OUTCOMES];
}

// ——— the sources ———

export type MeasureSourceKey = `${InstrumentKey}-${string}` | `measures-${string}`;

const kebab = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const PERCENT: ValueRange = { min: 0, max: 100 };

/** "0–4", "17.5–20.2": a band's or a score's range in words. */
const span = (min: number, max: number) => `${min}–${max}`;

/** Which way is better for a score: fewer symptoms, more wellbeing. */
const better = (s: MeasureScoreSpec) => (s.higherIsBetter ? 'increase' : 'decrease');

/** The people a score's facts count in a month. */
const scoredPeople = (s: MeasureScoreSpec) =>
  `people with a ${s.name} score in the month, taking each person’s latest score in it`;
const pairedPeople = (s: MeasureScoreSpec) =>
  `people with a ${s.name} score on two or more occasions, in the month of their latest score`;

/** What a source says of itself; the rest follows from its kind. */
type SourceFacts = Pick<IndicatorSource, 'label' | 'measure' | 'numerator' | 'denominator' | 'improvement'>;

/** A standard measure's facts are about people, never by viewpoint or domain. */
const NO_BREAKDOWNS = { viewpoints: [], hasDomains: false } as const;

/** An average, in a score's points, over the range given. */
const mean = (
  key: MeasureSourceKey,
  f: SourceFacts,
  range: ValueRange,
): [MeasureSourceKey, IndicatorSource] => [
  key,
  { ...NO_BREAKDOWNS, ...f, kind: 'mean', unit: 'points', range },
];

/** A percentage of people. */
const proportion = (key: MeasureSourceKey, f: SourceFacts): [MeasureSourceKey, IndicatorSource] => [
  key,
  { ...NO_BREAKDOWNS, ...f, kind: 'proportion', unit: '%', range: PERCENT },
];

function scoreSources(s: MeasureScoreSpec): [MeasureSourceKey, IndicatorSource][] {
  const key = (suffix: string): MeasureSourceKey => `${s.instrument}-${kebab(s.scoreKey)}-${suffix}`;
  const sources: [MeasureSourceKey, IndicatorSource][] = [
    mean(
      key('mean'),
      {
        label: `${s.name}: average score`,
        measure: scoreMeasure(s),
        numerator: `the ${s.name} score (${span(s.min, s.max)}, ${s.higherIsBetter ? 'higher' : 'lower'} is better)`,
        denominator: scoredPeople(s),
        improvement: better(s),
      },
      { min: s.min, max: s.max },
    ),
  ];
  s.bands.forEach((band, i) => {
    const best = s.higherIsBetter ? i === s.bands.length - 1 : i === 0;
    const worst = s.higherIsBetter ? i === 0 : i === s.bands.length - 1;
    sources.push(
      proportion(key(`band-${band.key}`), {
        label: `${s.name}: people in the band “${band.label}” (${span(band.min, band.max)})`,
        measure: bandMeasure(s, band),
        numerator: `people whose ${s.name} score is in the band “${band.label}” (${span(band.min, band.max)})`,
        denominator: scoredPeople(s),
        improvement: best ? 'increase' : worst ? 'decrease' : 'neutral',
      }),
    );
  });
  const change = s.change;
  if (!change) return sources;
  const direction = change.higherIsBetter ? 'higher' : 'lower';
  const opposite = change.higherIsBetter ? 'lower' : 'higher';
  const range = s.max - s.min;
  sources.push(
    mean(
      key('change'),
      {
        label: `${s.name}: average change between the first and latest score`,
        measure: changeMeasure(s, 'improved'),
        numerator: `the latest ${s.name} score minus the first`,
        denominator: pairedPeople(s),
        improvement: better(s),
      },
      { min: -range, max: range },
    ),
    proportion(key('improved'), {
      label: `${s.name}: people reliably improved`,
      measure: changeMeasure(s, 'improved'),
      numerator: `people whose latest ${s.name} score is at least ${change.points} points ${direction} than their first (reliable improvement)`,
      denominator: pairedPeople(s),
      improvement: 'increase',
    }),
    proportion(key('deteriorated'), {
      label: `${s.name}: people reliably deteriorated`,
      measure: changeMeasure(s, 'deteriorated'),
      numerator: `people whose latest ${s.name} score is at least ${change.points} points ${opposite} than their first (reliable deterioration)`,
      denominator: pairedPeople(s),
      improvement: 'decrease',
    }),
  );
  if (change.caseness === null) return sources;
  const atCaseness = change.higherIsBetter
    ? `${change.caseness} or less (caseness)`
    : `${change.caseness} or more (caseness)`;
  const cased = `people whose first ${s.name} score was ${atCaseness} and who have a later score, in the month of their latest`;
  sources.push(
    proportion(key('recovered'), {
      label: `${s.name}: people recovered`,
      measure: changeMeasure(s, 'recovered'),
      numerator: `people whose latest ${s.name} score is no longer at caseness (recovery)`,
      denominator: cased,
      improvement: 'increase',
    }),
    proportion(key('reliably-recovered'), {
      label: `${s.name}: people reliably recovered`,
      measure: changeMeasure(s, 'reliably-recovered'),
      numerator: `people recovered whose score also improved reliably (at least ${change.points} points; reliable recovery)`,
      denominator: cased,
      improvement: 'increase',
    }),
  );
  return sources;
}

function startAndReviewSource(instrument: {
  key: InstrumentKey;
  name: string;
}): [MeasureSourceKey, IndicatorSource] {
  return proportion(`${instrument.key}-start-and-review`, {
    label: `${instrument.name}: people measured at the start and again at a review`,
    measure: startAndReviewMeasure(instrument.key),
    numerator: `people who completed a ${instrument.name} before their first review and another on or after it`,
    denominator: `people who have had a review and have completed a ${instrument.name}, in the month of their latest review`,
    improvement: 'increase',
  });
}

const ANY_MEASURE_SOURCE = proportion('measures-start-and-review', {
  label: 'People with a standard measure at the start and again at a review',
  measure: ANY_MEASURE_START_AND_REVIEW,
  numerator:
    'people who completed a standard measure (any questionnaire, built in or imported) before their first review and another on or after it',
  denominator: 'people who have had a review, in the month of their latest review',
  improvement: 'increase',
});

/** The sources of standard measures, by key: spread into INDICATOR_SOURCES (sources.ts). */
export const MEASURE_SOURCES: Readonly<Record<MeasureSourceKey, IndicatorSource>> = Object.fromEntries([
  ...MEASURE_SCORES.flatMap(scoreSources),
  ...MEASURE_INSTRUMENTS.map(startAndReviewSource),
  ANY_MEASURE_SOURCE,
]);

/** Every rollup measure the standard measures' facts are kept under. */
export const MEASURE_ROLLUP_MEASURES: readonly MeasureRollupMeasure[] = [
  ...MEASURE_SCORES.flatMap((s) => [
    scoreMeasure(s),
    ...s.bands.map((b) => bandMeasure(s, b)),
    ...changeOutcomesOf(s).map((o) => changeMeasure(s, o)),
  ]),
  ...MEASURE_INSTRUMENTS.map((i) => startAndReviewMeasure(i.key)),
  ANY_MEASURE_START_AND_REVIEW,
];
