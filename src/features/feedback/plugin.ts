import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { feedbackCodingPages } from '../feedback-coding/pages.js';
import { feedbackApiRoutes } from './api.js';
import { feedbackDashboardPages } from './dashboard-pages.js';
import { feedbackModerationPages } from './moderation-pages.js';
import { feedbackPages } from './pages.js';
import { feedbackResponsePages } from './responses-pages.js';
import { feedbackTouchpointPages } from './touchpoints-pages.js';

/** Giving feedback as one plugin: the public form per service, staff entry and lists, moderation and safeguarding flags. */
export async function feedbackFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(feedbackApiRoutes, opts);
  await app.register(feedbackPages, opts);
  await app.register(feedbackModerationPages, opts);
  await app.register(feedbackCodingPages, opts);
  await app.register(feedbackDashboardPages, opts);
  await app.register(feedbackResponsePages, opts);
  await app.register(feedbackTouchpointPages, opts);
}
