import type { InstrumentKey } from './types.js';

/**
 * Change that means something, between two completions of the same measure.
 *
 * PHQ-9 and GAD-7 use the NHS Talking Therapies definitions (NHS England, "The NHS Talking
 * Therapies for anxiety and depression manual", v7 2024, and the outcome measures of NHS Digital's
 * NHS Talking Therapies annual reports; first set out for IAPT in Gyani A, Shafran R, Layard R,
 * Clark DM. Enhancing recovery rates: lessons from year one of IAPT. Behav Res Ther 2013;51:597–606):
 * - caseness: PHQ-9 total 10 or more; GAD-7 total 8 or more;
 * - reliable change: a change of at least 6 points on the PHQ-9, at least 4 on the GAD-7 (the
 *   measurement error of each questionnaire);
 * - recovery: at caseness before and below it after;
 * - reliable recovery: recovery together with reliable improvement.
 * Talking Therapies reports recovery for a referral on the PHQ-9 and the anxiety measure together
 * (a case on either at the start, on neither at the end); here each instrument is judged alone, and
 * a service combining them does so over these per-instrument results.
 *
 * SWEMWBS has no caseness. Its change is judged on the metric score with the threshold of Shah N,
 * Cader M, Andrews B, McCabe R, Stewart-Brown SL. Responsiveness of the Short Warwick Edinburgh
 * Mental Well-Being Scale (SWEMWBS): evaluation a clinical sample. Health Qual Life Outcomes
 * 2018;16:239 (the scale's developers' own responsiveness study): 2.77 standard errors of
 * measurement, 2.87 points, is statistically important change for one person (the paper
 * puts meaningful change between 1 and 3 points depending on the standard; we take the stricter,
 * reliable-change standard). So SWEMWBS has reliable improvement, reliable deterioration and no
 * reliable change, and no recovery.
 */

export const CHANGE_CATEGORIES = [
  'reliable-recovery',
  'recovery',
  'reliable-improvement',
  'reliable-deterioration',
  'no-reliable-change',
] as const;
export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number];

export const CHANGE_CATEGORY_LABELS: Record<ChangeCategory, string> = {
  'reliable-recovery': 'Reliable recovery',
  recovery: 'Recovery',
  'reliable-improvement': 'Reliable improvement',
  'reliable-deterioration': 'Reliable deterioration',
  'no-reliable-change': 'No reliable change',
};

export interface ChangeDefinition {
  /** The score (a `MeasureScore.key`) that change is judged on. */
  scoreKey: string;
  /** At caseness means a score of this or worse (at or above it when lower is better); null: none. */
  caseness: number | null;
  /** The smallest change, in score points, that counts as reliable. */
  reliableChange: number;
  direction: 'lower-is-better' | 'higher-is-better';
}

/** The thresholds as data, so that aggregates in SQL apply exactly these numbers. */
export const RELIABLE_CHANGE: Partial<Record<InstrumentKey, ChangeDefinition>> = {
  phq9: { scoreKey: 'total', caseness: 10, reliableChange: 6, direction: 'lower-is-better' },
  gad7: { scoreKey: 'total', caseness: 8, reliableChange: 4, direction: 'lower-is-better' },
  swemwbs: { scoreKey: 'metric', caseness: null, reliableChange: 2.87, direction: 'higher-is-better' },
};

export interface ChangeAssessment {
  /** Improvement in score points: positive is better, whichever way the scale runs. */
  improvement: number;
  /** Null when the instrument has no caseness. */
  casenessBefore: boolean | null;
  casenessAfter: boolean | null;
  reliableImprovement: boolean;
  reliableDeterioration: boolean;
  recovery: boolean;
  reliableRecovery: boolean;
}

// SWEMWBS metric scores have two decimals; comparing in hundredths keeps 2.87 exactly 2.87.
const hundredths = (x: number) => Math.round(x * 100);

export function changeDefinition(key: InstrumentKey): ChangeDefinition {
  const definition = RELIABLE_CHANGE[key];
  if (!definition) throw new RangeError(`${key} has no reliable change definition`);
  return definition;
}

/** Each Talking Therapies outcome flag for one person's change from `before` to `after`. */
export function assessChange(key: InstrumentKey, before: number, after: number): ChangeAssessment {
  const { caseness, reliableChange, direction } = changeDefinition(key);
  const improvement = hundredths(direction === 'lower-is-better' ? before - after : after - before) / 100;
  const atCaseness = (score: number) =>
    caseness === null ? null : direction === 'lower-is-better' ? score >= caseness : score <= caseness;
  const casenessBefore = atCaseness(before);
  const casenessAfter = atCaseness(after);
  const reliableImprovement = hundredths(improvement) >= hundredths(reliableChange);
  const reliableDeterioration = -hundredths(improvement) >= hundredths(reliableChange);
  const recovery = casenessBefore === true && casenessAfter === false;
  return {
    improvement,
    casenessBefore,
    casenessAfter,
    reliableImprovement,
    reliableDeterioration,
    recovery,
    reliableRecovery: recovery && reliableImprovement,
  };
}

/**
 * The one category that describes the change, the most specific first: reliable recovery, then
 * recovery (without reliable improvement), reliable improvement, reliable deterioration, and
 * otherwise no reliable change. For SWEMWBS the scores are metric scores.
 */
export function changeCategory(key: InstrumentKey, beforeTotal: number, afterTotal: number): ChangeCategory {
  const change = assessChange(key, beforeTotal, afterTotal);
  if (change.reliableRecovery) return 'reliable-recovery';
  if (change.recovery) return 'recovery';
  if (change.reliableImprovement) return 'reliable-improvement';
  if (change.reliableDeterioration) return 'reliable-deterioration';
  return 'no-reliable-change';
}
