import { type Static, Type } from '@sinclair/typebox';
import { INSTRUMENT_KEYS } from '../../domain/measures/types.js';
import { contract } from '../../services/contract.js';

/**
 * The contracts of the questionnaire library. Importing takes a FHIR Questionnaire as JSON: the
 * body is any object here, because what makes it importable is the engine's analysis
 * (domain/measures/questionnaire/analyse.ts), which names each problem by its path in the
 * Questionnaire (`item[3].enableWhen[0].question`) — the service answers those as 422, field by field.
 */

export const ImportQuestionnaireBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'A FHIR R4 Questionnaire resource (JSON). What the form cannot ask or the engine cannot work out is listed in the answer’s `unsupported`.',
  },
);
export type ImportQuestionnaireInput = Static<typeof ImportQuestionnaireBody>;
export const ImportQuestionnaireContract = contract(ImportQuestionnaireBody);

export const QuestionnaireParams = Type.Object({ questionnaireId: Type.String({ format: 'uuid' }) });

/** A questionnaire's page: by its id, or a built-in's by its instrument key (its current version). */
export const QuestionnaireRefParams = Type.Object({
  questionnaire: Type.Union([
    Type.String({ format: 'uuid' }),
    Type.Union(INSTRUMENT_KEYS.map((k) => Type.Literal(k))),
  ]),
});

export const UnsupportedFeatureSchema = Type.Object(
  {
    path: Type.String({ description: 'Where in the Questionnaire, e.g. item[1].item[4]' }),
    feature: Type.String(),
    message: Type.String({ description: 'What happens instead, in words an administrator can act on' }),
  },
  { additionalProperties: false },
);

export const ScoringSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('instrument'),
      instrumentKey: Type.Union(INSTRUMENT_KEYS.map((k) => Type.Literal(k))),
    },
    { additionalProperties: false, description: 'Scored by the built-in instrument’s own scoring' },
  ),
  Type.Object(
    { kind: Type.Union([Type.Literal('calculated'), Type.Literal('ordinal-sum'), Type.Literal('none')]) },
    {
      additionalProperties: false,
      description:
        'Scored by its own calculatedExpression items, by the sum of its answers’ ordinal values, or not scored',
    },
  ),
]);

export const QuestionnaireSummarySchema = Type.Object(
  {
    questionnaireId: Type.String({ format: 'uuid' }),
    url: Type.String(),
    version: Type.Integer({ description: 'This library’s version of the url, from 1' }),
    title: Type.String(),
    instrumentKey: Type.Union([Type.Union(INSTRUMENT_KEYS.map((k) => Type.Literal(k))), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
    builtIn: Type.Boolean({ description: 'Shipped with the product (not imported)' }),
    wordingNeeded: Type.Boolean({
      description:
        'A built-in shipped without its wording (its owner licenses it) and with none loaded here yet: it cannot be filled in or sent until an administrator loads the licensed wording',
    }),
    scoring: ScoringSchema,
    unsupported: Type.Array(UnsupportedFeatureSchema),
    importedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type QuestionnaireSummary = Static<typeof QuestionnaireSummarySchema>;

export const FhirQuestionnaireSchema = Type.Object(
  { resourceType: Type.Literal('Questionnaire') },
  { additionalProperties: true, description: 'The FHIR R4 Questionnaire as imported, its id this library’s' },
);
