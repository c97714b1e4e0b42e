import { bandedScore, checkAnswers, sumOf } from '../scoring.js';
import type { AnswerOption, ScoreBand } from '../types.js';
import { answerSystem, builtInInstrument, choiceItem, option } from './instrument.js';

/**
 * CollaboRATE, a three-item patient-reported measure of shared decision making (Elwyn G, Barr PJ,
 * Grande SW, Thompson R, Walsh T, Ozanne EM. Developing CollaboRATE: a fast and frugal
 * patient-reported measure of shared decision making in clinical encounters. Patient Educ Couns
 * 2013;93:102–7; Barr PJ et al. The psychometric properties of CollaboRATE. J Med Internet Res
 * 2014;16:e2). This is the 10-point version: each item 0–9. The developers recommend reporting the
 * top-box score — the share of people who give 9 on all three items — because answers cluster at
 * the top of the scale; the total (0–27) is kept beside it. All three at 9 is exactly a total of
 * 27, so top-box is the band 27–27 of the total.
 *
 * The wording ships as structure only: the developers' terms for the 10-point version, as we
 * understand them (we could not confirm them at the source; see docs/MEASURES.md), restrict adapted
 * and commercial use, which an open-source product run by any provider cannot promise, so an
 * organisation loads the wording under its own permission.
 */

export const COLLABORATE_BANDS: readonly ScoreBand[] = [
  { key: 'below-top-box', label: 'Below top box', min: 0, max: 26 },
  { key: 'top-box', label: 'Top box (9 on all three)', min: 27, max: 27 },
];

export const COLLABORATE_TOP_BOX = 'top-box';

const scale = (): AnswerOption[] =>
  Array.from({ length: 10 }, (_, n) =>
    option(String(n), `Response ${n} of 0 to 9`, n, answerSystem('collaborate')),
  );

export const COLLABORATE = builtInInstrument({
  key: 'collaborate',
  title: 'CollaboRATE',
  measures:
    'How much effort was made to involve the person in decisions about their care, in their own view.',
  name: 'CollaboRATE',
  form: {
    copyright:
      'CollaboRATE © Glyn Elwyn, Paul Barr and colleagues. The wording is not included: load it under the developers’ terms.',
    item: [1, 2, 3].map((n) =>
      choiceItem({
        linkId: `collaborate-${n}`,
        prefix: `${n}.`,
        text: `Question ${n} of 3`,
        answerOption: scale(),
      }),
    ),
  },
  wording: 'licence-required',
  licence: {
    holder: 'Glyn Elwyn, Paul J. Barr and colleagues (the CollaboRATE developers)',
    terms:
      'As we understand the developers’ terms (unconfirmed; check with them): free for non-commercial use without changes, with attribution; other use needs their permission. We do not ship the questions or the scale anchors.',
    source: 'http://www.glynelwyn.com',
    notice: 'CollaboRATE © Glyn Elwyn, Paul Barr and colleagues.',
  },
  scoredItemCount: 3,
  unscoredItems: [],
  itemRange: { min: 0, max: 9 },
  scores: [{ key: 'total', label: 'Total', min: 0, max: 27, higherIsBetter: true }],
  bands: { total: COLLABORATE_BANDS },
  score(answers) {
    checkAnswers(COLLABORATE, answers);
    return [bandedScore('total', 'Total', sumOf(answers), COLLABORATE_BANDS)];
  },
});
