import { type Static, Type } from '@sinclair/typebox';
import { isPositiveFftAnswer } from '../../domain/measures/instruments/fft.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import { ONS4_QUESTION_KEYS } from '../../domain/measures/instruments/ons4.js';
import {
  CHANGE_CATEGORIES,
  changeCategory,
  changeDefinition,
  RELIABLE_CHANGE,
} from '../../domain/measures/reliable-change.js';
import { answersProblem } from '../../domain/measures/scoring.js';
import { INSTRUMENT_KEYS, type InstrumentKey, type MeasureScore } from '../../domain/measures/types.js';
import { defineCalculation } from './method.js';

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

// Ranges differ by instrument, so the domain checks them and names the instrument's range; the
// schema only asks for whole numbers and bounds the list.
const answerList = (description: string) => Type.Array(Type.Integer(), { maxItems: 20, description });

export const ScoreCalcInput = Type.Object(
  {
    instrument: literals(INSTRUMENT_KEYS, 'The instrument: phq9, gad7, swemwbs, ons4, collaborate or fft'),
    answers: Type.Optional(
      answerList(
        'Each item’s ordinal value in the order of the form (PHQ-9 0–3, optionally a tenth for difficulty; GAD-7 0–3, optionally an eighth; SWEMWBS 1–5; ONS4 0–10 as life satisfaction, worthwhile, happiness, anxiety; CollaboRATE 0–9; FFT 1 very good … 5 very poor, 6 don’t know)',
      ),
    ),
    before: Type.Optional(answerList('The earlier completion, instead of answers, to judge change')),
    after: Type.Optional(answerList('The later completion, with before')),
  },
  { additionalProperties: false },
);

const scoringFields = {
  total: Type.Optional(Type.Number({ description: 'The total (SWEMWBS: the raw total)' })),
  band: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'The band of the total; null where it has none',
    }),
  ),
  metric: Type.Optional(
    Type.Number({ description: 'SWEMWBS: the metric score converted from the raw total' }),
  ),
  topBox: Type.Optional(Type.Boolean({ description: 'CollaboRATE: true when all three answers are 9' })),
  questions: Type.Optional(
    Type.Array(
      Type.Object(
        {
          key: literals(ONS4_QUESTION_KEYS, 'The ONS4 question'),
          value: Type.Integer(),
          band: Type.String({ description: 'The ONS threshold band of the answer' }),
        },
        { additionalProperties: false },
      ),
      { description: 'ONS4: each question reported separately' },
    ),
  ),
  response: Type.Optional(Type.String({ description: 'FFT: the answer’s code, for example very-good' })),
  positive: Type.Optional(Type.Boolean({ description: 'FFT: true for very good or good' })),
};

const Scoring = Type.Object(scoringFields, { additionalProperties: false });

export const ScoreCalcResult = Type.Object(
  {
    ...scoringFields,
    before: Type.Optional(Scoring),
    change: Type.Optional(literals(CHANGE_CATEGORIES, 'The reliable change category from before to after')),
  },
  { additionalProperties: false },
);

type ScoringAnswer = Static<typeof Scoring>;

function scoreNamed(scores: readonly MeasureScore[], key: string): MeasureScore {
  const score = scores.find((s) => s.key === key);
  if (!score) throw new Error(`the instrument answered no "${key}" score`);
  return score;
}

/** The instrument's scores in the shape `calc score` answers for that instrument. */
function present(key: InstrumentKey, scores: readonly MeasureScore[]): ScoringAnswer {
  switch (key) {
    case 'ons4':
      return {
        questions: scores.map((s) => ({
          key: s.key as (typeof ONS4_QUESTION_KEYS)[number],
          value: s.value,
          band: s.band ?? '',
        })),
      };
    case 'fft': {
      const { band } = scoreNamed(scores, 'response');
      return { response: band ?? '', positive: isPositiveFftAnswer(band) };
    }
    case 'swemwbs': {
      const total = scoreNamed(scores, 'total');
      return { total: total.value, band: total.band, metric: scoreNamed(scores, 'metric').value };
    }
    case 'collaborate': {
      const total = scoreNamed(scores, 'total');
      return { total: total.value, band: total.band, topBox: total.band === 'top-box' };
    }
    default: {
      const total = scoreNamed(scores, 'total');
      return { total: total.value, band: total.band };
    }
  }
}

function scored(key: InstrumentKey, answers: readonly number[], field: string): MeasureScore[] {
  const instrument = INSTRUMENTS[key];
  // Checked here with the field's own name ("before: …"); the instrument checks again itself.
  const problem = answersProblem(instrument, answers, field);
  if (problem) throw new RangeError(problem);
  return instrument.score(answers);
}

/**
 * `whatmatters calc score`: a built-in instrument's scores from its answers, or, given before and
 * after, the after scores with the before scores and the reliable change category between them.
 */
export const scoreMethod = defineCalculation({
  name: 'score',
  summary:
    'Score a standard measure (PHQ-9, GAD-7, SWEMWBS, ONS4, CollaboRATE, FFT) and judge reliable change',
  input: ScoreCalcInput,
  output: ScoreCalcResult,
  run({ instrument: key, answers, before, after }: Static<typeof ScoreCalcInput>) {
    if (answers && (before || after)) {
      throw new RangeError('answers: send either answers, or before and after, not both');
    }
    if (answers) return present(key, scored(key, answers, 'answers'));
    if (!before && !after)
      throw new RangeError('answers: send the answers, or before and after to judge change');
    if (!before) throw new RangeError('before: needed with after');
    if (!after) throw new RangeError('after: needed with before');
    if (!RELIABLE_CHANGE[key]) {
      throw new RangeError(
        `before: ${key} has no reliable change definition (PHQ-9, GAD-7 and SWEMWBS have); send answers instead`,
      );
    }
    const { scoreKey } = changeDefinition(key);
    const then = scored(key, before, 'before');
    const now = scored(key, after, 'after');
    return {
      ...present(key, now),
      before: present(key, then),
      change: changeCategory(key, scoreNamed(then, scoreKey).value, scoreNamed(now, scoreKey).value),
    };
  },
});
