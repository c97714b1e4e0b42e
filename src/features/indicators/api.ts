import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AGGREGATE_READER_ROLES, INDICATOR_AUTHOR_ROLES } from '../../domain/aggregate-access.js';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  DefineIndicatorBody,
  IndicatorKeyParams,
  IndicatorSchema,
  IndicatorValuesSchema,
  ValuesQuery,
} from './schema.js';

const DISCLOSURE_NOTE =
  'Every count is disclosure-controlled (NHS method): 0 stays 0, 1 to 7 is "*", others are rounded to the nearest 5, ' +
  'rates are computed from the rounded parts, averages over 1 to 7 values are "*", and hidden rows cannot be worked out from the total.';

/** Indicators over HTTP: the library, one indicator's values, and defining new ones. */
export async function indicatorsApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { indicators } = opts.services;
  const readers = { roles: AGGREGATE_READER_ROLES };

  app.get(
    '/api/indicators',
    {
      config: { access: readers },
      schema: {
        tags: ['indicators'],
        summary: 'The indicators: the shipped library and those defined here, latest version of each',
        response: responses({ 200: Type.Array(IndicatorSchema) }),
      },
    },
    async (request) => indicators.list(requireActor(request)),
  );

  app.get(
    '/api/indicators/:key',
    {
      config: { access: readers },
      schema: {
        tags: ['indicators'],
        summary: 'One indicator’s definition (its latest version)',
        params: IndicatorKeyParams,
        response: responses({ 200: IndicatorSchema }, [404]),
      },
    },
    async (request) => indicators.get(requireActor(request), request.params.key),
  );

  app.get(
    '/api/indicators/:key/values',
    {
      config: { access: readers },
      schema: {
        tags: ['indicators'],
        summary: 'An indicator’s values, by one breakdown or in total, over whole months',
        description:
          'Within the units the caller may see: commissioners and analysts every organisation, team managers ' +
          'their organisation’s teams, practitioners their own team. By default the twelve months to this one. ' +
          DISCLOSURE_NOTE,
        params: IndicatorKeyParams,
        querystring: ValuesQuery,
        response: responses({ 200: IndicatorValuesSchema }, [404, 422]),
      },
    },
    async (request) =>
      indicators.evaluate(requireActor(request), {
        key: request.params.key,
        breakdown: request.query.breakdown ?? null,
        ...(request.query.from ? { from: request.query.from } : {}),
        ...(request.query.to ? { to: request.query.to } : {}),
      }),
  );

  app.post(
    '/api/indicators',
    {
      config: { access: { roles: INDICATOR_AUTHOR_ROLES } },
      schema: {
        tags: ['indicators'],
        summary: 'Define an indicator, or the next version of one whose key is in use',
        description:
          'A definition whose fields do not fit together (a breakdown its source does not allow, a target outside ' +
          'the values it can take, a filter its source has not got) is refused with 422, naming each field.',
        body: DefineIndicatorBody,
        response: responses({ 201: IndicatorSchema }, [422]),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await indicators.define(requireActor(request), request.body)),
  );
}
