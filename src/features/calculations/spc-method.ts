import { Type } from '@sinclair/typebox';
import {
  IMPROVEMENT_DIRECTIONS,
  MIN_FIX_AFTER,
  SPC_RULE_SET_NAMES,
  xmrChart,
} from '../../domain/spc/index.js';
import { defineCalculation } from './method.js';

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

// No upper bound from the method itself; this one keeps a single request's work small.
const MAX_VALUES = 10_000;

export const SpcCalcInput = Type.Object(
  {
    values: Type.Array(Type.Number(), {
      minItems: 2,
      maxItems: MAX_VALUES,
      description: 'The measure in time order, one value per period (at least 2)',
    }),
    improvement: literals(IMPROVEMENT_DIRECTIONS, 'Which way is better: increase, decrease or neutral'),
    target: Type.Optional(Type.Number({ description: 'A target, for the assurance; none if left out' })),
    rules: Type.Optional(
      literals(SPC_RULE_SET_NAMES, 'ptd (NHSRplotthedots, the default) or nhse2024 (NHS England 2024 rules)'),
    ),
    screenOutliers: Type.Optional(
      Type.Boolean({
        description:
          'Leave moving ranges of 3.267 × their mean or more out of the limits; on for ptd, off for nhse2024',
      }),
    ),
    fixAfter: Type.Optional(
      Type.Integer({
        minimum: MIN_FIX_AFTER,
        description: `Fix the limits on the first n values (${MIN_FIX_AFTER} up to the number of values)`,
      }),
    ),
  },
  { additionalProperties: false },
);

const SPECIAL_CAUSES = ['none', 'outside', 'trend', 'twoInThree', 'shift'] as const;
const VARIATIONS = ['common', 'improvement', 'concern', 'neutral'] as const;
const ASSURANCES = ['pass', 'fail', 'inconsistent'] as const;

export const SpcCalcResult = Type.Object(
  {
    mean: Type.Number(),
    lpl: Type.Number({ description: 'Lower process limit: mean − 2.66 × mean moving range' }),
    upl: Type.Number({ description: 'Upper process limit: mean + 2.66 × mean moving range' }),
    points: Type.Array(
      Type.Object(
        {
          value: Type.Number(),
          special: literals(SPECIAL_CAUSES, 'The special cause this point is part of, if any'),
          variation: literals(
            VARIATIONS,
            'Whether the point is common cause, improvement, concern or neutral',
          ),
        },
        { additionalProperties: false },
      ),
    ),
    assurance: Type.Union([...ASSURANCES.map((a) => Type.Literal(a)), Type.Null()], {
      description: 'Whether the process will meet the target; null without a target or a better direction',
    }),
  },
  { additionalProperties: false },
);

export const spcMethod = defineCalculation({
  name: 'spc',
  summary: 'XmR chart (Making Data Count): mean, process limits, special causes, variation and assurance',
  input: SpcCalcInput,
  output: SpcCalcResult,
  run({ values, improvement, target, rules, screenOutliers, fixAfter }) {
    // Out-of-range fixAfter is the domain's to refuse (it depends on how many values there are).
    const chart = xmrChart(values, { improvement, target, rules, screenOutliers, fixAfter });
    const latest = chart.segments[chart.segments.length - 1];
    if (!latest) throw new RangeError('values: an XmR chart needs at least 2 values');
    return {
      mean: latest.mean,
      lpl: latest.lpl,
      upl: latest.upl,
      points: chart.points.map(({ value, special, variation }) => ({ value, special, variation })),
      assurance: chart.assurance,
    };
  },
});
