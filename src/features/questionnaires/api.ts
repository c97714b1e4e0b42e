import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  FhirQuestionnaireSchema,
  ImportQuestionnaireBody,
  QuestionnaireParams,
  QuestionnaireSummarySchema,
} from './schema.js';

/** The questionnaire library over HTTP: everyone signed in reads it; administrators import. */
export async function questionnairesApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { questionnaires } = opts.services;

  app.get(
    '/api/questionnaires',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['questionnaires'],
        summary: 'The questionnaire library: built-in instruments and imported FHIR Questionnaires',
        response: responses({ 200: Type.Array(QuestionnaireSummarySchema) }),
      },
    },
    async (request) => questionnaires.list(requireActor(request)),
  );

  app.get(
    '/api/questionnaires/:questionnaireId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['questionnaires'],
        summary: 'One questionnaire of the library as a FHIR R4 Questionnaire',
        params: QuestionnaireParams,
        response: responses({ 200: FhirQuestionnaireSchema }, [404]),
      },
    },
    async (request) => questionnaires.fhir(requireActor(request), request.params.questionnaireId),
  );

  // Signed in, not admin-only at the route: the service refuses others and audits the refusal
  // as the import it was.
  app.post(
    '/api/questionnaires',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['questionnaires'],
        summary: 'Import a FHIR Questionnaire (administrators)',
        description:
          'Stored as the next version of its url. A Questionnaire that cannot be imported is refused with 422, each problem named in `errors` by its path in the Questionnaire (item[2].enableWhen[0].question). ' +
          'What imports but is not supported is listed in the answer’s `unsupported`. One with the url of a built-in instrument loads licensed wording for it when its structure matches, and is refused saying what differs when not.',
        body: ImportQuestionnaireBody,
        response: responses({ 201: QuestionnaireSummarySchema }, [403, 422]),
      },
    },
    async (request, reply) => {
      const {
        questionnaire: _q,
        resource: _r,
        ...summary
      } = await questionnaires.import(requireActor(request), request.body);
      return reply.code(201).send(summary);
    },
  );
}
