import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FEEDBACK_STAFF_ROLES } from '../../domain/feedback/access.js';
import {
  FEEDBACK_AGE_BAND_LABELS,
  FEEDBACK_AGE_BANDS,
  FEEDBACK_CHANNEL_LABELS,
  FEEDBACK_LIMITS,
  FEEDBACK_WRITER_LABELS,
  FEEDBACK_WRITERS,
  type FeedbackChannel,
  type FeedbackWriter,
  FFT_ANSWER_LABELS,
  FFT_ANSWERS,
  FFT_QUESTION,
  feedbackServiceName,
  STAFF_ENTRY_CHANNELS,
} from '../../domain/feedback/vocabulary.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import {
  dateFields,
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { auditRefusedRoleRoutes } from '../admin/refusals.js';
import { HONEYPOT_FIELD, publicFeedbackFromForm, staffFeedbackFromForm } from './form.js';
import { qrCodeImage } from './qr.js';
import type { FeedbackServiceInfo } from './service.js';

const PublicParams = Type.Object({ serviceKey: Type.String({ minLength: 1, maxLength: 100 }) });
const STAFF = { roles: FEEDBACK_STAFF_ROLES };

/** The service's name as people know it: the team and its organisation, or the organisation. */
const serviceName = feedbackServiceName;

/** The answers each question offers, with their labels, for the views. */
const CHOICES = {
  fft: FFT_ANSWERS.map((value) => ({ value, text: FFT_ANSWER_LABELS[value] ?? value })),
  writer: FEEDBACK_WRITERS.map((value) => ({ value, text: FEEDBACK_WRITER_LABELS[value] })),
  ageBand: FEEDBACK_AGE_BANDS.map((value) => ({ value, text: FEEDBACK_AGE_BAND_LABELS[value] ?? value })),
  channel: STAFF_ENTRY_CHANNELS.map((value) => ({ value, text: FEEDBACK_CHANNEL_LABELS[value] })),
};

const formValues = (body: FormBody) => ({
  fft: text(body, 'fft'),
  whatWasGood: text(body, 'whatWasGood'),
  whatCouldBeBetter: text(body, 'whatCouldBeBetter'),
  writer: text(body, 'writer'),
  ageBand: text(body, 'ageBand'),
  consentToPublish: text(body, 'consentToPublish'),
  channel: text(body, 'channel'),
  receivedOn: dateFields(body, 'receivedOn'),
});

/** The public link of a service's form, as this request reached the app. */
const publicLink = (request: FastifyRequest, serviceKey: string) =>
  `${request.protocol}://${request.host}/feedback/${serviceKey}`;

/**
 * Giving feedback: the public form of each service (no account; works without script on a phone
 * or a kiosk), its thank-you page, and for the service's staff their services, each one's
 * feedback newest first, typing in feedback received on paper or by phone, and a printable poster
 * with the form's QR code. The service decides and audits; these pages only adapt.
 */
export async function feedbackPages(parent: FastifyInstance, opts: { services: Services }) {
  const { feedback } = opts.services;

  await parent.register(async (scope) => {
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const page = { access: 'public', page: true } as const;

    const showForm = (
      reply: FastifyReply,
      service: FeedbackServiceInfo,
      values: ReturnType<typeof formValues>,
      submissionToken: string,
      errors: FieldError[],
    ) =>
      renderWithErrors(
        reply,
        'feedback-form',
        {
          pageTitle: `Tell us about your experience of ${serviceName(service)}`,
          service: { ...service, name: serviceName(service) },
          action: `/feedback/${service.serviceKey}`,
          values,
          submissionToken,
          choices: CHOICES,
          fftQuestion: FFT_QUESTION,
          maxLength: FEEDBACK_LIMITS.text,
          honeypot: HONEYPOT_FIELD,
        },
        errors,
      );

    app.get(
      '/feedback/:serviceKey',
      { config: page, schema: { hide: true, params: PublicParams } },
      async (request, reply) => {
        const service = await feedback.publicService(request.params.serviceKey);
        // Each showing of the form gets its own one-time token: the submission it makes is stored once.
        return showForm(reply, service, formValues({}), randomUUID(), []);
      },
    );

    app.post(
      '/feedback/:serviceKey',
      { config: page, schema: { hide: true, params: PublicParams, body: FormBodySchema } },
      async (request, reply) => {
        const service = await feedback.publicService(request.params.serviceKey);
        const { input, errors, honeypotFilled } = publicFeedbackFromForm(request.body);
        if (errors.length) {
          // The same token again: what the person sends after correcting it is still one submission.
          const token = text(request.body, 'submissionToken');
          return showForm(
            reply,
            service,
            formValues(request.body),
            /^[0-9a-f-]{36}$/i.test(token) ? token : randomUUID(),
            errors,
          );
        }
        // A filled-in honeypot is quietly not stored, but answered as if it were (the thank-you
        // page), so a program that sends spam learns nothing from the answer.
        await feedback.submitPublic(service.serviceKey, input, { honeypotFilled });
        return reply.redirect(`/feedback/${service.serviceKey}/thank-you`, 303);
      },
    );

    app.get(
      '/feedback/:serviceKey/thank-you',
      { config: page, schema: { hide: true, params: PublicParams } },
      async (request, reply) => {
        const service = await feedback.publicService(request.params.serviceKey);
        return reply.page('feedback-thanks', {
          pageTitle: 'Thank you for your feedback',
          service: { ...service, name: serviceName(service) },
        });
      },
    );
  });

  await parent.register(async (scope) => {
    // The route's role rule turns other roles away before the service is reached: record that refusal.
    auditRefusedRoleRoutes(scope, opts.services, 'open-feedback-page', 'not staff of a service');
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const page = { access: STAFF, page: true } as const;

    app.get('/service-feedback', { config: page, schema: { hide: true } }, async (request, reply) => {
      const services = await feedback.myServices(requireActor(request));
      return reply.page('feedback-services', {
        pageTitle: 'Feedback from people who use your services',
        services: services.map((s) => ({ ...s, name: serviceName(s) })),
      });
    });

    app.get(
      '/service-feedback/:serviceKey',
      {
        config: page,
        schema: {
          hide: true,
          params: PublicParams,
          querystring: Type.Object({
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            entered: Type.Optional(Type.String({ maxLength: 10 })),
          }),
        },
      },
      async (request, reply) => {
        const result = await feedback.list(
          requireActor(request),
          request.params.serviceKey,
          request.query.page,
        );
        const base = `/service-feedback/${result.service.serviceKey}`;
        return reply.page('feedback-list', {
          pageTitle: `Feedback: ${serviceName(result.service)}`,
          service: { ...result.service, name: serviceName(result.service) },
          items: result.items.map((f) => ({
            ...f,
            fftText: FFT_ANSWER_LABELS[f.fft] ?? f.fft,
            writerText: f.writer ? FEEDBACK_WRITER_LABELS[f.writer as FeedbackWriter] : 'Not said',
            ageText: f.ageBand ? (FEEDBACK_AGE_BAND_LABELS[f.ageBand] ?? f.ageBand) : 'Not said',
            channelText: FEEDBACK_CHANNEL_LABELS[f.channel as FeedbackChannel],
            flagged: result.flagged.has(f.feedbackId),
          })),
          canModerate: opts.services.feedbackModeration.canModerate(requireActor(request), result.service),
          replies: await opts.services.feedbackResponses.replyStates(
            requireActor(request),
            result.service.serviceKey,
            result.items.map((f) => f.feedbackId),
          ),
          total: result.total,
          pageNumber: result.page,
          pageCount: result.pageCount,
          previous: result.page > 1 ? `${base}?page=${result.page - 1}` : null,
          next: result.page < result.pageCount ? `${base}?page=${result.page + 1}` : null,
          entered: request.query.entered === 'yes',
          publicLink: publicLink(request, result.service.serviceKey),
        });
      },
    );

    const entryForm = (
      reply: FastifyReply,
      service: FeedbackServiceInfo,
      values: ReturnType<typeof formValues>,
      errors: FieldError[],
    ) =>
      renderWithErrors(
        reply,
        'feedback-enter',
        {
          pageTitle: 'Enter feedback received on paper or by phone',
          service: { ...service, name: serviceName(service) },
          action: `/service-feedback/${service.serviceKey}/new`,
          values,
          choices: CHOICES,
          fftQuestion: FFT_QUESTION,
          maxLength: FEEDBACK_LIMITS.text,
        },
        errors,
      );

    app.get(
      '/service-feedback/:serviceKey/new',
      { config: page, schema: { hide: true, params: PublicParams } },
      async (request, reply) => {
        const service = await feedback.serviceFor(
          requireActor(request),
          request.params.serviceKey,
          'feedback.enter',
        );
        return entryForm(reply, service, formValues({}), []);
      },
    );

    app.post(
      '/service-feedback/:serviceKey/new',
      { config: page, schema: { hide: true, params: PublicParams, body: FormBodySchema } },
      async (request, reply) => {
        const actor = requireActor(request);
        const service = await feedback.serviceFor(actor, request.params.serviceKey, 'feedback.enter');
        const { input, errors } = staffFeedbackFromForm(request.body);
        if (errors.length) return entryForm(reply, service, formValues(request.body), errors);
        await feedback.enter(actor, service.serviceKey, input);
        return reply.redirect(`/service-feedback/${service.serviceKey}?entered=yes`, 303);
      },
    );

    app.get(
      '/service-feedback/:serviceKey/poster',
      { config: page, schema: { hide: true, params: PublicParams } },
      async (request, reply) => {
        const service = await feedback.serviceFor(
          requireActor(request),
          request.params.serviceKey,
          'feedback.poster',
        );
        const link = publicLink(request, service.serviceKey);
        return reply.page('feedback-poster', {
          pageTitle: `Feedback poster: ${serviceName(service)}`,
          service: { ...service, name: serviceName(service) },
          link,
          qrCode: await qrCodeImage(link),
        });
      },
    );
  });
}
