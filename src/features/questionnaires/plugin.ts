import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { questionnairesApiRoutes } from './api.js';
import { questionnairePages } from './pages.js';

/** The questionnaire library as one plugin: built-in instruments and imported FHIR Questionnaires. */
export async function questionnairesFeature(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  await app.register(questionnairesApiRoutes, opts);
  await app.register(questionnairePages, opts);
}
