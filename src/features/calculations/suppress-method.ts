import { type Static, Type } from '@sinclair/typebox';
import {
  checkDisclosureRules,
  discloseCount,
  NHS_DISCLOSURE_RULES,
  suppressList,
} from '../../domain/disclosure.js';
import { defineCalculation } from './method.js';

const whole = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description });

export const SuppressCalcInput = Type.Object(
  {
    counts: Type.Array(whole('A count of people or records'), {
      maxItems: 1000,
      description: 'The counts to publish, in order',
    }),
    withTotal: Type.Optional(
      Type.Boolean({
        description:
          'True when the counts are published with their total: the total is answered too, and a second count is hidden wherever one alone could be worked out from it',
      }),
    ),
    rules: Type.Optional(
      Type.Object(
        {
          suppressFrom: whole('The smallest non-zero count hidden (1)'),
          suppressTo: whole('The largest count hidden (7)'),
          roundTo: whole('Shown counts are rounded to the nearest multiple of this (5)'),
        },
        {
          additionalProperties: false,
          description: 'Thresholds; the NHS method (1–7 hidden, rounded to 5) if left out',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SuppressCalcResult = Type.Object(
  {
    shown: Type.Array(Type.String(), {
      description: 'Each count as it may be shown: "0", "*" or a rounded count',
    }),
    total: Type.Optional(
      Type.String({ description: 'The total as it may be shown, when withTotal was true' }),
    ),
  },
  { additionalProperties: false },
);

export type SuppressCalc = Static<typeof SuppressCalcInput>;

/**
 * `whatmatters calc suppress`: the NHS small-number method applied to a list of counts.
 *
 * The counts are taken as a list published without a total, so each goes through primary
 * suppression alone (0 → "0", 1–7 → "*", else rounded to 5) and the answer matches the method's
 * published examples one count at a time. A list is only protected against subtraction from its
 * total when the total is published with it, so `"withTotal": true` says so: then the total is
 * answered as well and secondary suppression hides a second count wherever one could be worked out.
 */
export const suppressMethod = defineCalculation({
  name: 'suppress',
  summary: 'NHS small-number suppression: 0 stays 0, 1–7 become *, other counts round to the nearest 5',
  input: SuppressCalcInput,
  output: SuppressCalcResult,
  run({ counts, withTotal, rules = NHS_DISCLOSURE_RULES }: SuppressCalc) {
    // The domain's RangeError names the field ("rules.suppressFrom: …"); the service passes it on.
    checkDisclosureRules(rules);
    if (withTotal) return suppressList(counts, rules);
    return { shown: counts.map((n) => discloseCount(n, rules).shown) };
  },
});
