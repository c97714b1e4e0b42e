import { type Static, Type } from '@sinclair/typebox';
import { RESOURCE_KINDS } from '../../domain/community/vocabulary.js';
import { IndicatorValueRowSchema, Month } from '../indicators/schema.js';

/**
 * The commissioner's view of community support: which kind of support to open by organisation and
 * resource, over
 * which months. One contract: the page's query string, the API's, and the service's input.
 */
export const CommunityOutcomesQuery = Type.Object(
  {
    kind: Type.Optional(
      Type.Union(
        RESOURCE_KINDS.map((k) => Type.Literal(k)),
        { description: 'A kind of community support, to see each organisation and resource of it' },
      ),
    ),
    from: Type.Optional(Month),
    to: Type.Optional(Month),
  },
  { additionalProperties: false },
);
export type CommunityOutcomesInput = Static<typeof CommunityOutcomesQuery>;

const Figure = Type.Object(
  {
    indicatorKey: Type.String({ description: 'The library indicator the figure is read from' }),
    row: IndicatorValueRowSchema,
  },
  { additionalProperties: false },
);
const Figures = {
  connected: Figure,
  change: Figure,
  improved: Figure,
  wellbeingChange: Figure,
  wellbeingImproved: Figure,
};

/** The answer: every figure already through disclosure control. */
export const CommunityOutcomesSchema = Type.Object(
  {
    from: Month,
    to: Month,
    kinds: Type.Array(
      Type.Object({ kind: Type.String(), label: Type.String(), ...Figures }, { additionalProperties: false }),
    ),
    all: Type.Object(Figures, { additionalProperties: false }),
    everyService: Type.Object({ change: Figure, improved: Figure }, { additionalProperties: false }),
    chosen: Type.Union([
      Type.Object(
        {
          kind: Type.String(),
          label: Type.String(),
          organisations: Type.Array(
            Type.Object(
              { organisationId: Type.String(), name: Type.String(), ...Figures },
              { additionalProperties: false },
            ),
          ),
          resources: Type.Array(
            Type.Object(
              {
                resourceId: Type.String({ description: 'The directory entry (community resource)' }),
                name: Type.String({ description: 'The resource, then the organisation that runs it' }),
                ...Figures,
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
