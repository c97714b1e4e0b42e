import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { ResourceIdParams } from './schema.js';
import {
  CommunitySearchAnswerSchema,
  CommunitySearchQuery,
  PublicCommunityResourceSchema,
} from './search-schema.js';

/**
 * Searching and reading the community directory as JSON, for anyone (no sign-in, no token): the
 * same search as the public page, from the same contract. Blank parameters are left out, as the
 * page's GET form sends them; anything else the contract refuses is problem+json naming the field.
 */
export async function communitySearchApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { communitySearch } = opts.services;

  app.get(
    '/api/community/resources',
    {
      config: { access: 'public' },
      // `need=&day=tue` means "any need": a blank parameter is no parameter.
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        for (const [key, value] of Object.entries(query)) {
          if (typeof value === 'string' && value.trim() === '') delete query[key];
        }
      },
      schema: {
        tags: ['community'],
        summary: 'Search the community resource directory',
        description:
          'Entries people may see (running, and not long past their review date), matching every parameter given: ' +
          'nearest first when a postcode is given (distances between postcode sector centres, in miles), then by name; ' +
          'online entries match any distance. At most 100 results; `count` is how many matched. ' +
          'A postcode whose sector is not known, a distance without a postcode, or an unknown outcome domain is 422 naming the field.',
        querystring: CommunitySearchQuery,
        response: responses({ 200: CommunitySearchAnswerSchema }, [422]),
      },
    },
    async (request) => communitySearch.search(request.query),
  );

  app.get(
    '/api/community/resources/:resourceId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['community'],
        summary: 'One entry of the community resource directory',
        description:
          'Anyone may read an entry people may see; the staff who maintain it may also read it when it is closed or hidden. 404 otherwise.',
        params: ResourceIdParams,
        response: responses({ 200: PublicCommunityResourceSchema }, [404]),
      },
    },
    async (request) => communitySearch.get(request.actor ?? null, request.params.resourceId),
  );
}
