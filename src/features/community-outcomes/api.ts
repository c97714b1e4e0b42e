import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { CommunityOutcomesQuery, CommunityOutcomesSchema } from './schema.js';

/**
 * Commissioners and analysts: the roles the aggregate access rule gives the whole region
 * (domain/aggregate-access.ts), since these facts sit in the organisations that run community
 * resources, not in anyone's own teams. The service asks the rule again; refusals are audited.
 */
export const COMMUNITY_OUTCOMES_ACCESS = { roles: ['commissioner', 'analyst'] } as const;

export async function communityOutcomesApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { communityOutcomes } = opts.services;
  app.get(
    '/api/commissioning/community',
    {
      config: { access: COMMUNITY_OUTCOMES_ACCESS },
      schema: {
        tags: ['indicators'],
        summary: 'Outcomes of community support, by kind of support and by organisation',
        description:
          'People connected to each kind of community support (a referral or signpost attended at least once), ' +
          'and the change in the person’s own rating of the linked outcome after the first attendance, beside the ' +
          'same change for every service; with `kind`, each organisation that runs that kind. Commissioners and ' +
          'analysts; every figure is disclosure-controlled.',
        querystring: CommunityOutcomesQuery,
        response: responses({ 200: CommunityOutcomesSchema }),
      },
    },
    async (request) => communityOutcomes.outcomes(requireActor(request), request.query),
  );
}
