import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { outcomesApiRoutes } from './api.js';
import { conversationPages } from './conversation-pages.js';
import { conversationStepPages } from './conversation-step-pages.js';

/** The outcomes feature as one plugin: good conversations, what matters and ratings. */
export async function outcomesFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(outcomesApiRoutes, opts);
  await app.register(conversationPages, opts);
  await app.register(conversationStepPages, opts);
}
