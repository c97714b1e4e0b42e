import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { communityApiRoutes } from './api.js';
import { communityExchangePages } from './exchange-pages.js';
import { communityManagePages } from './manage-pages.js';
import { communitySearchApiRoutes } from './search-api.js';
import { communitySearchPages } from './search-pages.js';

/**
 * The community resource directory as one plugin: staff keeping entries up to date (manage-pages,
 * api), and, registered beside them, public search and the exchange of the directory as files.
 */
export async function communityFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(communityApiRoutes, opts);
  await app.register(communityManagePages, opts);
  await app.register(communitySearchApiRoutes, opts);
  await app.register(communitySearchPages, opts);
  await app.register(communityExchangePages, opts);
}
