import type { Instrument } from './instruments/instrument.js';
import type { MeasureScore, ScoreBand } from './types.js';

/**
 * What every instrument's scoring shares: checking the answers (so a wrong count or an answer out
 * of range is refused with a message naming the field, never scored), summing, and finding the band
 * a score falls in. The instruments' own modules hold their published tables and bands.
 */

type AnswerRules = Pick<Instrument, 'key' | 'scoredItemCount' | 'unscoredItems' | 'itemRange'>;

/**
 * What is wrong with a set of answers, as one line naming the field ("answers: phq9 needs 9 answers
 * (10 with the difficulty item), got 8"), or null when they can be scored.
 */
export function answersProblem(
  instrument: AnswerRules,
  answers: readonly unknown[],
  field = 'answers',
): string | null {
  const { key, scoredItemCount, unscoredItems, itemRange } = instrument;
  const allowed = [scoredItemCount, scoredItemCount + unscoredItems.length];
  if (!allowed.includes(answers.length)) {
    const plural = scoredItemCount === 1 ? 'answer' : 'answers';
    const optional =
      unscoredItems.length > 0
        ? ` (${allowed[1]} with the ${unscoredItems.map((i) => i.label).join(' and ')})`
        : '';
    return `${field}: ${key} needs ${scoredItemCount} ${plural}${optional}, got ${answers.length}`;
  }
  for (const [index, answer] of answers.entries()) {
    if (
      typeof answer !== 'number' ||
      !Number.isInteger(answer) ||
      answer < itemRange.min ||
      answer > itemRange.max
    ) {
      return `${field}.${index}: ${key} answers are whole numbers from ${itemRange.min} to ${itemRange.max}, got ${JSON.stringify(answer)}`;
    }
  }
  return null;
}

/** Throws a RangeError with `answersProblem`'s message when the answers cannot be scored. */
export function checkAnswers(instrument: AnswerRules, answers: readonly unknown[], field = 'answers'): void {
  const problem = answersProblem(instrument, answers, field);
  if (problem) throw new RangeError(problem);
}

export const sumOf = (values: readonly number[]): number => values.reduce((total, v) => total + v, 0);

/** The band (inclusive bounds) a score falls in, or null when none holds it. */
export function bandFor(bands: readonly ScoreBand[], value: number): ScoreBand | null {
  return bands.find((band) => value >= band.min && value <= band.max) ?? null;
}

/** A score with its band's key, from the instrument's bands for that score. */
export function bandedScore(
  key: string,
  label: string,
  value: number,
  bands: readonly ScoreBand[] | undefined,
): MeasureScore {
  return { key, label, value, band: bands ? (bandFor(bands, value)?.key ?? null) : null };
}

/**
 * Whether bands cover every whole score from min to max exactly once, in order: a gap or an
 * overlap would leave a score without a band or with two.
 */
export function bandsCover(bands: readonly ScoreBand[], min: number, max: number): boolean {
  let next = min;
  for (const band of bands) {
    if (band.min !== next || band.max < band.min) return false;
    next = band.max + 1;
  }
  return next === max + 1;
}
