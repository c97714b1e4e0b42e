import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AGGREGATE_READER_ROLES } from '../../domain/aggregate-access.js';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  CatalogueEntryBody,
  CatalogueEntrySchema,
  CatalogueQuery,
  EntryIdParams,
  GapAnalysisSchema,
  GapsQuery,
} from './schema.js';

/** The catalogue of measures over HTTP: read by everyone signed in, changed by administrators and commissioners. */
export async function catalogueApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { catalogue } = opts.services;

  app.get(
    '/api/catalogue',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['catalogue'],
        summary: 'The catalogue of measures, metrics, indicators, tools and approaches',
        description:
          'Filter by kind, level, area of life, or a framework domain (entries that cover it, as the gap analysis decides). ' +
          '`usage` says whether each is in use here: data in the last 12 months within what you may see in aggregate.',
        querystring: CatalogueQuery,
        response: responses({ 200: Type.Array(CatalogueEntrySchema) }, [422]),
      },
    },
    async (request) => catalogue.list(requireActor(request), request.query),
  );

  app.get(
    '/api/catalogue/gaps',
    {
      // Signed in only at the door: the service refuses those who see no service figures, audited.
      config: { access: { roles: AGGREGATE_READER_ROLES } },
      schema: {
        tags: ['catalogue'],
        summary: 'Gap analysis of an outcomes framework',
        description:
          'For each domain (or I statement) of the framework: the catalogue entries that cover it, and whether data was ' +
          'collected here in the last 12 months. Counts are disclosure-controlled.',
        querystring: GapsQuery,
        response: responses({ 200: GapAnalysisSchema }, [422]),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return catalogue.gaps(actor, request.query.framework ?? (await catalogue.defaultFrameworkRef()));
    },
  );

  app.get(
    '/api/catalogue/:entryId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['catalogue'],
        summary: 'One catalogue entry',
        params: EntryIdParams,
        response: responses({ 200: CatalogueEntrySchema }, [404]),
      },
    },
    async (request) => catalogue.get(requireActor(request), request.params.entryId),
  );

  app.post(
    '/api/catalogue',
    {
      // Signed in only at the door: the service refuses anyone else and audits the refusal.
      // Signed in at the door: the service refuses anyone but an editor, and audits the refusal.
      config: { access: 'signed-in' },
      schema: {
        tags: ['catalogue'],
        summary: 'Add an entry to the catalogue',
        description:
          'Administrators and commissioners. A domain or link to nothing is refused with 422, naming each field.',
        body: CatalogueEntryBody,
        response: responses({ 201: CatalogueEntrySchema }, [409, 422]),
      },
    },
    async (request, reply) => reply.code(201).send(await catalogue.add(requireActor(request), request.body)),
  );

  app.put(
    '/api/catalogue/:entryId',
    {
      // Signed in only at the door: the service refuses anyone else and audits the refusal.
      // Signed in at the door: the service refuses anyone but an editor, and audits the refusal.
      config: { access: 'signed-in' },
      schema: {
        tags: ['catalogue'],
        summary: 'Change a catalogue entry',
        description: 'Administrators and commissioners. The key never changes.',
        params: EntryIdParams,
        body: CatalogueEntryBody,
        response: responses({ 200: CatalogueEntrySchema }, [404, 409, 422]),
      },
    },
    async (request) => catalogue.update(requireActor(request), request.params.entryId, request.body),
  );
}
