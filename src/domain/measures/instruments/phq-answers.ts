import { bandedScore, checkAnswers, sumOf } from '../scoring.js';
import type { AnswerOption, Coding, InstrumentKey, ScoreBand } from '../types.js';
import {
  builtInInstrument,
  calculatedTotalItem,
  choiceItem,
  type Instrument,
  LOINC,
  option,
} from './instrument.js';

/**
 * What the PHQ-9 and the GAD-7 share (the Patient Health Questionnaire family): the answer lists,
 * with their LOINC answer codes (answer list LL358-3 and the difficulty list) as LOINC's own
 * Questionnaires for LHC-Forms publish them, and their scores 0–3; the licence; and the form and
 * scoring themselves, so each instrument gives only its items, codes and bands.
 */

export const PHQ_INTERVAL_TEXT =
  'Over the last 2 weeks, how often have you been bothered by any of the following problems?';

export const frequencyOptions = (): AnswerOption[] => [
  option('LA6568-5', 'Not at all', 0, LOINC),
  option('LA6569-3', 'Several days', 1, LOINC),
  option('LA6570-1', 'More than half the days', 2, LOINC),
  option('LA6571-9', 'Nearly every day', 3, LOINC),
];

/** Recorded for the clinician, never added to the total (Kroenke et al. 2001). */
export const difficultyOptions = (): AnswerOption[] => [
  option('LA6572-7', 'Not difficult at all', 0, LOINC),
  option('LA6573-5', 'Somewhat difficult', 1, LOINC),
  option('LA6575-0', 'Very difficult', 2, LOINC),
  option('LA6574-3', 'Extremely difficult', 3, LOINC),
];

export const DIFFICULTY_TEXT =
  'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?';

export const PFIZER_LICENCE = {
  holder:
    'Pfizer Inc. (developed by Drs Robert L. Spitzer, Janet B. W. Williams, Kurt Kroenke and colleagues)',
  terms:
    'No permission is required to reproduce, translate, display or distribute; the wording may be shipped and shown as published.',
  source: 'https://www.phqscreeners.com',
  notice:
    'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
} as const;

/**
 * A Patient Health Questionnaire: the two-week question, the items (each scored 0–3), the total
 * as a calculated item, then the difficulty question, recorded and never added to the total.
 */
export function phqInstrument(spec: {
  key: InstrumentKey;
  title: string;
  measures: string;
  name: string;
  /** The LOINC panel. */
  panel: Coding;
  /** The scored items in the order of the form, by LOINC code. */
  items: readonly [code: string, text: string][];
  total: { system: string; code: string; display: string };
  bands: readonly ScoreBand[];
  /** The difficulty item's LOINC code, where there is one: it is then numbered and coded. */
  difficultyCode?: string;
}): Instrument {
  const { key, items, total, bands, difficultyCode } = spec;
  const count = items.length;
  const instrument = builtInInstrument({
    key,
    title: spec.title,
    measures: spec.measures,
    name: spec.name,
    form: {
      code: [spec.panel],
      item: [
        { linkId: `${key}-intro`, type: 'display', text: PHQ_INTERVAL_TEXT },
        ...items.map(([code, text], index) =>
          choiceItem({
            linkId: code,
            prefix: `${index + 1}.`,
            text,
            code: [{ system: LOINC, code, display: text }],
            answerOption: frequencyOptions(),
          }),
        ),
        calculatedTotalItem(
          total.code,
          total.display,
          items.map(([code]) => code),
        ),
        choiceItem(
          difficultyCode
            ? {
                linkId: difficultyCode,
                prefix: `${count + 1}.`,
                text: DIFFICULTY_TEXT,
                code: [{ system: LOINC, code: difficultyCode, display: DIFFICULTY_TEXT }],
                required: false,
                answerOption: difficultyOptions(),
              }
            : {
                linkId: `${key}-difficulty`,
                text: DIFFICULTY_TEXT,
                required: false,
                answerOption: difficultyOptions(),
              },
        ),
      ],
    },
    wording: 'shipped',
    licence: PFIZER_LICENCE,
    scoredItemCount: count,
    unscoredItems: [{ label: 'difficulty item' }],
    itemRange: { min: 0, max: 3 },
    scores: [{ key: 'total', label: 'Total', min: 0, max: 3 * count, higherIsBetter: false, code: total }],
    bands: { total: bands },
    score(answers) {
      checkAnswers(instrument, answers);
      // The difficulty answer is recorded with the response but never added to the total.
      return [bandedScore('total', 'Total', sumOf(answers.slice(0, count)), bands)];
    },
  });
  return instrument;
}
