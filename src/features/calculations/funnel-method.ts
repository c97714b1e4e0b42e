import { Type } from '@sinclair/typebox';
import { funnelPlot } from '../../domain/funnel/funnel-plot.js';
import { defineCalculation } from './method.js';

/**
 * `whatmatters calc funnel` and `POST /api/calc/funnel`: funnel limits for comparing providers or
 * teams, as FunnelPlotR computes them (the method and its sources are in domain/funnel/). Ratios
 * use the Spiegelhalter (Winsorised, square-root scale) overdispersion method.
 */

// A pair as a two-item array rather than a tuple: the API document is OpenAPI 3.0, which has no
// tuple form of `items`.
const LimitPair = Type.Array(Type.Number(), {
  minItems: 2,
  maxItems: 2,
  description: '[lower, upper]',
});

const FunnelCalcInput = Type.Object(
  {
    type: Type.Union([Type.Literal('proportion'), Type.Literal('sr')], {
      description: 'proportion: events of cases; sr: an indirectly standardised ratio, observed of expected',
    }),
    units: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 200, description: 'The provider or team; each once' }),
          numerator: Type.Number({ minimum: 0, description: 'Events, or the observed count' }),
          // 0 passes here and is refused by the domain with a message that says why (no
          // exclusiveMinimum: in OpenAPI 3.0 that keyword is a boolean).
          denominator: Type.Number({ minimum: 0, description: 'Cases, or the expected count; above 0' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
    overdispersion: Type.Boolean({
      description: 'Estimate overdispersion (φ, τ²) and widen the limits when there is some',
    }),
  },
  { additionalProperties: false },
);

const FunnelCalcResult = Type.Object(
  {
    target: Type.Number({ description: 'The pooled proportion, or 1 for standardised ratios' }),
    phi: Type.Number({
      description: 'The dispersion ratio applied; 1 when no overdispersion is allowed for',
    }),
    tau2: Type.Number({ description: 'The between-unit variance the limits are widened by; 0 when none' }),
    units: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          value: Type.Number({ description: 'numerator / denominator' }),
          limits: Type.Object(
            { '95': LimitPair, '99.8': LimitPair },
            { additionalProperties: false, description: 'The limits at this unit’s own denominator' },
          ),
          outside: Type.Union([Type.Literal('none'), Type.Literal('95'), Type.Literal('99.8')], {
            description: 'The widest limits the value lies beyond',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const funnelMethod = defineCalculation({
  name: 'funnel',
  summary: 'Funnel plot limits (95% and 99.8%) for proportions or standardised ratios, as FunnelPlotR',
  input: FunnelCalcInput,
  output: FunnelCalcResult,
  run({ type, units, overdispersion }) {
    const plot = funnelPlot(units, { type, overdispersion });
    return {
      target: plot.target,
      phi: plot.phi,
      tau2: plot.tau2,
      units: plot.units.map((unit) => ({
        id: unit.id,
        value: unit.value,
        limits: { '95': [...unit.limits['95']], '99.8': [...unit.limits['99.8']] },
        outside: unit.outside,
      })),
    };
  },
});
