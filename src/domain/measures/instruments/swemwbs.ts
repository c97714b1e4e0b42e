import { checkAnswers, sumOf } from '../scoring.js';
import type { AnswerOption } from '../types.js';
import { answerSystem, builtInInstrument, choiceItem, option } from './instrument.js';

/**
 * SWEMWBS, the short (7-item) Warwick-Edinburgh Mental Wellbeing Scale (Stewart-Brown S, Tennant A,
 * Tennant R, Platt S, Parkinson J, Weich S. Internal construct validity of the WEMWBS: a Rasch
 * analysis using data from the Scottish Health Education Population Survey. Health Qual Life
 * Outcomes 2009;7:15). Items are scored 1–5; the raw total 7–35 is converted to the Rasch-based
 * metric score with the University of Warwick's conversion table, so that scores can be analysed
 * as an interval scale and compared across studies (Warwick, "Collect, score, analyse and interpret
 * WEMWBS", https://warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using/howto).
 *
 * Use needs registration with the copyright holders, and the wording is not ours to publish: the
 * structure ships (seven statements, five responses scored 1–5) and an organisation that has
 * registered loads the wording by importing a Questionnaire with the same url.
 *
 * Warwick publishes no bands for individual scores on the pages we could check (its interpretive
 * cut points are in the user guides behind registration), so the scores carry none.
 */

/**
 * The conversion table, raw total 7–35 → metric score. Checked value by value against the table as
 * reproduced in three independent published analysis scripts, and at two points against the paper
 * "German adult population norm values of the Short Warwick-Edinburgh Mental Well-Being Scale"
 * (GEDA 2022 data: raw 23 → 20.73, raw 32 → 29.31); see docs/MEASURES.md.
 */
export const SWEMWBS_METRIC: Readonly<Record<number, number>> = {
  7: 7.0,
  8: 9.51,
  9: 11.25,
  10: 12.4,
  11: 13.33,
  12: 14.08,
  13: 14.75,
  14: 15.32,
  15: 15.84,
  16: 16.36,
  17: 16.88,
  18: 17.43,
  19: 17.98,
  20: 18.59,
  21: 19.25,
  22: 19.98,
  23: 20.73,
  24: 21.54,
  25: 22.35,
  26: 23.21,
  27: 24.11,
  28: 25.03,
  29: 26.02,
  30: 27.03,
  31: 28.13,
  32: 29.31,
  33: 30.7,
  34: 32.55,
  35: 35.0,
};

/** The metric score of a raw total; a RangeError for a total the table does not hold. */
export function swemwbsMetric(rawTotal: number): number {
  const metric = SWEMWBS_METRIC[rawTotal];
  if (metric === undefined) throw new RangeError(`SWEMWBS raw totals run from 7 to 35, got ${rawTotal}`);
  return metric;
}

const responses = (): AnswerOption[] =>
  [1, 2, 3, 4, 5].map((n) => option(String(n), `Response ${n} of 5`, n, answerSystem('swemwbs')));

export const SWEMWBS = builtInInstrument({
  key: 'swemwbs',
  title: 'Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)',
  measures: 'Mental wellbeing — feeling good and functioning well — over the last two weeks.',
  name: 'SWEMWBS',
  form: {
    copyright:
      'Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved. The wording is not included: load it once registered with the University of Warwick.',
    item: [1, 2, 3, 4, 5, 6, 7].map((n) =>
      choiceItem({
        linkId: `swemwbs-${n}`,
        prefix: `${n}.`,
        text: `Statement ${n} of 7`,
        answerOption: responses(),
      }),
    ),
  },
  wording: 'licence-required',
  licence: {
    holder: 'NHS Health Scotland, the University of Warwick and the University of Edinburgh',
    terms:
      'Free to use, but each user must register with the University of Warwick before use; the copyright notice must be shown on every copy. We do not ship the statements or the response labels.',
    source: 'https://warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using',
    notice:
      'Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.',
  },
  scoredItemCount: 7,
  unscoredItems: [],
  itemRange: { min: 1, max: 5 },
  scores: [
    { key: 'total', label: 'Raw total', min: 7, max: 35, higherIsBetter: true },
    { key: 'metric', label: 'Metric score', min: 7, max: 35, higherIsBetter: true },
  ],
  bands: {},
  score(answers) {
    checkAnswers(SWEMWBS, answers);
    const total = sumOf(answers);
    return [
      { key: 'total', label: 'Raw total', value: total, band: null },
      { key: 'metric', label: 'Metric score', value: swemwbsMetric(total), band: null },
    ];
  },
});
