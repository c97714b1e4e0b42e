import { Type } from '@sinclair/typebox';
import { deidentify, IDENTIFIER_KINDS } from '../../domain/deidentify/deidentify.js';
import { defineCalculation } from './method.js';

/**
 * `whatmatters calc deidentify` and `POST /api/calc/deidentify`: free text with its identifiers
 * replaced by tags, and where each one was (docs/DEIDENTIFICATION.md has the method and its
 * measured recall and precision).
 */

/**
 * Far longer than any outcome statement, review note or feedback story; the cap keeps one request
 * from holding the NLP step for long.
 */
const MAX_TEXT_LENGTH = 20_000;

const DeidentifyCalcInput = Type.Object(
  {
    text: Type.String({
      maxLength: MAX_TEXT_LENGTH,
      description: `The free text to de-identify, up to ${MAX_TEXT_LENGTH} characters`,
    }),
    knownNames: Type.Optional(
      Type.Array(Type.String({ maxLength: 200 }), {
        maxItems: 200,
        description:
          'Names recorded for the person and their circle: always masked, in any case, as whole words',
      }),
    ),
  },
  { additionalProperties: false },
);

const DeidentifyCalcResult = Type.Object(
  {
    text: Type.String({ description: 'The text with each identifier replaced by a tag such as [name]' }),
    found: Type.Array(
      Type.Object(
        {
          kind: Type.Union(
            IDENTIFIER_KINDS.map((kind) => Type.Literal(kind)),
            { description: 'An exact age of 90 or over is reported as date-of-birth' },
          ),
          start: Type.Integer({ minimum: 0, description: 'Offset in the original text (UTF-16 code units)' }),
          end: Type.Integer({ minimum: 0, description: 'Offset just after it (exclusive)' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const deidentifyMethod = defineCalculation({
  name: 'deidentify',
  summary:
    'Mask names, NHS numbers, phone numbers, emails, addresses, postcodes, dates of birth and ages over 90',
  input: DeidentifyCalcInput,
  output: DeidentifyCalcResult,
  run({ text, knownNames }) {
    return deidentify(text, { knownNames: knownNames ?? [] });
  },
});
