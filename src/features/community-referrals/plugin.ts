import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { communityReferralApiRoutes } from './api.js';
import { communityReferralPages } from './pages.js';

/** Referrals and signposts to community support: made from the record, answered by the organisation. */
export async function communityReferralsFeature(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  await app.register(communityReferralApiRoutes, opts);
  await app.register(communityReferralPages, opts);
}
