import { bandedScore, checkAnswers } from '../scoring.js';
import type { AnswerOption, ScoreBand } from '../types.js';
import { answerSystem, builtInInstrument, choiceItem, option } from './instrument.js';

/**
 * ONS4, the Office for National Statistics' four personal well-being questions (ONS, "Personal
 * well-being user guidance"). Each is answered 0–10 and reported on its own, never summed. The
 * thresholds are the ONS's: for life satisfaction, worthwhile and happiness low 0–4, medium 5–6,
 * high 7–8, very high 9–10; for anxiety, where lower is better, very low 0–1, low 2–3, medium 4–5,
 * high 6–10. The questions are Crown copyright, published under the Open Government Licence v3.0.
 */

export const ONS4_QUESTION_KEYS = ['life-satisfaction', 'worthwhile', 'happiness', 'anxiety'] as const;
export type Ons4QuestionKey = (typeof ONS4_QUESTION_KEYS)[number];

export const ONS4_POSITIVE_BANDS: readonly ScoreBand[] = [
  { key: 'low', label: 'Low', min: 0, max: 4 },
  { key: 'medium', label: 'Medium', min: 5, max: 6 },
  { key: 'high', label: 'High', min: 7, max: 8 },
  { key: 'very-high', label: 'Very high', min: 9, max: 10 },
];

export const ONS4_ANXIETY_BANDS: readonly ScoreBand[] = [
  { key: 'very-low', label: 'Very low', min: 0, max: 1 },
  { key: 'low', label: 'Low', min: 2, max: 3 },
  { key: 'medium', label: 'Medium', min: 4, max: 5 },
  { key: 'high', label: 'High', min: 6, max: 10 },
];

const QUESTIONS: Record<Ons4QuestionKey, { label: string; text: string }> = {
  'life-satisfaction': {
    label: 'Life satisfaction',
    text: 'Overall, how satisfied are you with your life nowadays?',
  },
  worthwhile: {
    label: 'Worthwhile',
    text: 'Overall, to what extent do you feel that the things you do in your life are worthwhile?',
  },
  happiness: { label: 'Happiness', text: 'Overall, how happy did you feel yesterday?' },
  anxiety: {
    label: 'Anxiety',
    text: 'On a scale where 0 is “not at all anxious” and 10 is “completely anxious”, overall, how anxious did you feel yesterday?',
  },
};

const BANDS: Record<Ons4QuestionKey, readonly ScoreBand[]> = {
  'life-satisfaction': ONS4_POSITIVE_BANDS,
  worthwhile: ONS4_POSITIVE_BANDS,
  happiness: ONS4_POSITIVE_BANDS,
  anxiety: ONS4_ANXIETY_BANDS,
};

/** 0 to 10, the ends named as the ONS names them. */
const scale = (key: Ons4QuestionKey): AnswerOption[] =>
  Array.from({ length: 11 }, (_, n) => {
    const end = key === 'anxiety' ? ' anxious' : '';
    const display = n === 0 ? `0 – Not at all${end}` : n === 10 ? `10 – Completely${end}` : String(n);
    return option(String(n), display, n, answerSystem('ons4'));
  });

export const ONS4 = builtInInstrument({
  key: 'ons4',
  title: 'ONS personal well-being (ONS4)',
  measures: 'Personal well-being: life satisfaction, feeling that life is worthwhile, happiness and anxiety.',
  name: 'ONS4',
  form: {
    item: [
      {
        linkId: 'ons4-intro',
        type: 'display',
        text: 'There are no right or wrong answers. For each of these questions please give an answer on a scale of 0 to 10, where 0 is “not at all” and 10 is “completely”.',
      },
      ...ONS4_QUESTION_KEYS.map((key, index) =>
        choiceItem({
          linkId: key,
          prefix: `${index + 1}.`,
          text: QUESTIONS[key].text,
          answerOption: scale(key),
        }),
      ),
    ],
  },
  wording: 'shipped',
  licence: {
    holder: 'Office for National Statistics (Crown copyright)',
    terms: 'Open Government Licence v3.0: free to copy, publish and adapt, with the source acknowledged.',
    source:
      'https://www.ons.gov.uk/peoplepopulationandcommunity/wellbeing/methodologies/personalwellbeingsurveyuserguide',
    notice: 'Source: Office for National Statistics, licensed under the Open Government Licence v3.0.',
  },
  scoredItemCount: 4,
  unscoredItems: [],
  itemRange: { min: 0, max: 10 },
  scores: ONS4_QUESTION_KEYS.map((key) => ({
    key,
    label: QUESTIONS[key].label,
    min: 0,
    max: 10,
    higherIsBetter: key !== 'anxiety',
  })),
  bands: BANDS,
  score(answers) {
    checkAnswers(ONS4, answers);
    return ONS4_QUESTION_KEYS.map((key, index) =>
      bandedScore(key, QUESTIONS[key].label, answers[index] as number, BANDS[key]),
    );
  },
});
