import { bandedScore, checkAnswers } from '../scoring.js';
import type { ScoreBand } from '../types.js';
import { answerSystem, builtInInstrument, choiceItem, option } from './instrument.js';

/**
 * The NHS Friends and Family Test question (NHS England, "Friends and Family Test (FFT): guidance",
 * in force since April 2020): one mandatory question with six answers, followed by at least one
 * free-text question of the service's choosing. The answer is stored as its code; it is not a
 * scale to average. NHS England reports the percentage positive: "very good" and "good" answers out
 * of all answers.
 *
 * Each answer is a band of one value so that "% in each band" is the FFT's own breakdown; the
 * ordinal values follow the order of the guidance (1 very good … 5 very poor, 6 don't know) and are
 * positions, not scores.
 */

export const FFT_BANDS: readonly ScoreBand[] = [
  { key: 'very-good', label: 'Very good', min: 1, max: 1 },
  { key: 'good', label: 'Good', min: 2, max: 2 },
  { key: 'neither', label: 'Neither good nor poor', min: 3, max: 3 },
  { key: 'poor', label: 'Poor', min: 4, max: 4 },
  { key: 'very-poor', label: 'Very poor', min: 5, max: 5 },
  { key: 'dont-know', label: 'Don’t know', min: 6, max: 6 },
];

/** The answers NHS England counts as positive. */
export const FFT_POSITIVE = ['very-good', 'good'] as const;

export const isPositiveFftAnswer = (band: string | null): boolean =>
  (FFT_POSITIVE as readonly (string | null)[]).includes(band);

export const FFT = builtInInstrument({
  key: 'fft',
  title: 'Friends and Family Test (FFT)',
  measures: 'The person’s overall experience of the service.',
  name: 'FFT',
  form: {
    item: [
      choiceItem({
        linkId: 'fft-experience',
        text: 'Overall, how was your experience of our service?',
        answerOption: FFT_BANDS.map((band) => option(band.key, band.label, band.min, answerSystem('fft'))),
      }),
      {
        linkId: 'fft-reason',
        type: 'text',
        required: false,
        text: 'Please can you tell us why you gave your answer?',
      },
    ],
  },
  wording: 'shipped',
  licence: {
    holder: 'NHS England (Crown copyright)',
    terms:
      'The mandatory question and answers are set by NHS England guidance for every NHS-funded service, published under the Open Government Licence v3.0.',
    source: 'https://www.england.nhs.uk/fft/',
    notice: '© NHS England, licensed under the Open Government Licence v3.0.',
  },
  scoredItemCount: 1,
  unscoredItems: [],
  itemRange: { min: 1, max: 6 },
  scores: [{ key: 'response', label: 'Overall experience', min: 1, max: 6, higherIsBetter: false }],
  bands: { response: FFT_BANDS },
  score(answers) {
    checkAnswers(FFT, answers);
    return [bandedScore('response', 'Overall experience', answers[0] as number, FFT_BANDS)];
  },
});
