import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { codeLabel } from '../../domain/coding/framework.js';
import { FEEDBACK_STAFF_ROLES } from '../../domain/feedback/access.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { FormBodySchema, formErrors, list, text } from '../../web/forms.js';
import { storyBase, storyPage } from '../feedback/moderation-pages.js';

const StoryParams = Type.Object({
  serviceKey: Type.String({ minLength: 1, maxLength: 100 }),
  feedbackId: Type.String({ minLength: 1, maxLength: 100 }),
});
const OrganisationParams = Type.Object({ organisationId: Type.String({ minLength: 1, maxLength: 100 }) });

/** Where each field of the review's contract sits on the story page (the error summary links there). */
const FIELD_IDS: Record<string, string> = { keep: 'codes', add: 'add', sentiment: 'sentiment' };
const REASONS = {
  starting: 'Starting model: the team’s lexicon alone',
  'on-demand': 'Retrained on request',
  'new-codes': 'Retrained on its own after new reviews',
} as const;

const percent = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value * 100)}%`);

/**
 * Coding in use (issue 12, item 3): staff confirm and correct a story's codes on the story page (one
 * form, its section `_feedback-story-codes.njk`), and the models page shows each organisation's
 * versions with their evaluation, how close the next automatic retrain is, and "Retrain now" for
 * its team managers. The feedback-coding service decides who may do what and audits it.
 */
export async function feedbackCodingPages(parent: FastifyInstance, opts: { services: Services }) {
  const { feedbackCoding: coding } = opts.services;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const showStory = storyPage(opts.services);
  const staff = { access: { roles: FEEDBACK_STAFF_ROLES }, page: true } as const;
  // A retrain started by a review runs on after its response: the app waits for it as it closes.
  parent.addHook('onClose', async () => {
    await coding.settled();
  });

  app.post(
    '/service-feedback/:serviceKey/stories/:feedbackId/codes',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: StoryParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const sentiment = text(request.body, 'sentiment');
      let retraining = false;
      try {
        const result = await coding.review(actor, request.params.serviceKey, request.params.feedbackId, {
          keep: list(request.body, 'codes'),
          add: list(request.body, 'add'),
          // Blank or not a number: the contract names the sentiment field.
          sentiment: /^\d$/.test(sentiment) ? Number(sentiment) : sentiment,
        });
        retraining = result.retraining;
      } catch (error) {
        if (!(error instanceof ServiceError) || error.status === 403 || error.status === 404) throw error;
        const errors = formErrors(error, (path) => FIELD_IDS[path.split('.')[0] ?? ''] ?? 'codes').map((e) =>
          e.field === 'sentiment' && !sentiment
            ? { ...e, message: 'Choose the story’s sentiment, from very negative to very positive.' }
            : e,
        );
        return showStory(reply, actor, request.params, errors);
      }
      return reply.redirect(
        `${storyBase(request.params.serviceKey, request.params.feedbackId)}?saved=${retraining ? 'retraining' : 'codes'}#story-codes`,
        303,
      );
    },
  );

  app.get(
    '/service-feedback/coding',
    {
      config: staff,
      schema: {
        hide: true,
        querystring: Type.Object({
          retrained: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
        }),
      },
    },
    async (request, reply) => {
      const organisations = await coding.modelsView(requireActor(request));
      return reply.page('feedback-coding-models', {
        pageTitle: 'How stories are coded',
        heading: 'How stories are coded',
        retrained: request.query.retrained,
        several: organisations.length > 1,
        organisations: organisations.map((o) => {
          const latest = o.versions[0];
          const evaluation = o.versions.find((v) => v.evaluation)?.evaluation ?? null;
          return {
            ...o,
            latest,
            versions: o.versions.map((v) => ({
              ...v,
              reasonText: REASONS[v.reason],
              microText: percent(v.evaluation?.microF1),
              macroText: percent(v.evaluation?.macroF1),
            })),
            evaluation,
            labels: evaluation
              ? Object.entries(evaluation.labels)
                  .filter(([, f]) => f.support > 0)
                  .map(([code, f]) => ({
                    code,
                    label: codeLabel(code),
                    precision: percent(f.precision),
                    recall: percent(f.recall),
                    f1: percent(f.f1),
                    support: f.support,
                  }))
              : [],
            evaluationVersion: o.versions.find((v) => v.evaluation)?.version ?? null,
          };
        }),
      });
    },
  );

  app.post(
    '/service-feedback/coding/:organisationId/retrain',
    {
      config: { access: { roles: ['team-manager'] }, page: true },
      schema: { hide: true, params: OrganisationParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const report = await coding.retrain(requireActor(request), request.params.organisationId);
      return reply.redirect(`/service-feedback/coding?retrained=${report.version}`, 303);
    },
  );
}
