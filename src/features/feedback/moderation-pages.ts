import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { HARM_KIND_LABELS, type HarmFinding } from '../../domain/feedback/harm.js';
import { MASK_KIND_LABELS, MODERATOR_MASK_KINDS, maskedSegments } from '../../domain/feedback/masking.js';
import {
  CRITICALITY_LABELS,
  CRITICALITY_LEVELS,
  type CriticalityLevel,
  describeDuration,
  FIRST_ACTION_LABELS,
  FIRST_ACTIONS,
  type FirstAction,
  secondsToFirstAction,
} from '../../domain/feedback/moderation.js';
import { feedbackServiceName } from '../../domain/feedback/vocabulary.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import {
  type FieldError,
  type FormBody,
  FormBodySchema,
  formErrors,
  renderWithErrors,
  text,
} from '../../web/forms.js';

const StoryParams = Type.Object({
  serviceKey: Type.String({ minLength: 1, maxLength: 100 }),
  feedbackId: Type.String({ minLength: 1, maxLength: 100 }),
});
const ServiceParams = Type.Object({ serviceKey: Type.String({ minLength: 1, maxLength: 100 }) });
const QUESTIONS = { whatWasGood: 'What was good?', whatCouldBeBetter: 'What could be better?' } as const;
const FIELDS = ['whatWasGood', 'whatCouldBeBetter'] as const;

const serviceName = feedbackServiceName;
const when = (d: Date) =>
  d.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
const harmText = (harm: readonly HarmFinding[]) =>
  harm.map((h) => HARM_KIND_LABELS[h.kind].toLowerCase()).join(', ') || 'harm';
const waited = (flaggedAt: Date | null, seconds: number | null) =>
  describeDuration(seconds ?? (flaggedAt ? secondsToFirstAction(flaggedAt, new Date()) : 0));

/** Refusals of what was sent (409, 422) go back to the form; 403 and 404 go on to the error page. */
const formProblems = (error: unknown, fallback: string): FieldError[] => {
  if (error instanceof ServiceError && (error.status === 409 || error.status === 422)) {
    return formErrors(error, (path) => path.split('.').at(-1) || fallback);
  }
  throw error;
};

/** The staff page of one story. */
export const storyBase = (serviceKey: string, feedbackId: string) =>
  `/service-feedback/${serviceKey}/stories/${feedbackId}`;

/**
 * The staff story page, as one renderer: its own routes and each section's pages (codes,
 * responses, touchpoints) show it, again with their form's errors when a post is refused.
 */
export function storyPage(services: Services) {
  const { feedbackModeration: moderation } = services;
  return async (
    reply: FastifyReply,
    actor: Actor,
    params: { serviceKey: string; feedbackId: string },
    errors: FieldError[],
    saved?: string,
    /** What a refused section form had in it, to show again (keyed by the section's field names). */
    formValues: Record<string, unknown> = {},
  ) => {
    const { service, story, permissions } = await moderation.story(
      actor,
      params.serviceKey,
      params.feedbackId,
    );
    const contact = service.safeguardingUserId
      ? await moderation.contactName(service.safeguardingUserId)
      : null;
    return renderWithErrors(
      reply,
      'feedback-story',
      {
        pageTitle: `Story received ${story.receivedOn}`,
        service: { ...service, name: serviceName(service) },
        base: storyBase(service.serviceKey, story.feedbackId),
        saved,
        formValues,
        story: { ...story, harm: story.harm.map((h) => ({ ...h, label: HARM_KIND_LABELS[h.kind] })) },
        permissions,
        harmText: harmText(story.harm),
        contactName: contact,
        flaggedText: story.flaggedAt ? when(story.flaggedAt) : '',
        waitedText: waited(story.flaggedAt, story.secondsToFirstAction),
        firstActionText: story.firstAction ? FIRST_ACTION_LABELS[story.firstAction as FirstAction] : '',
        firstActions: FIRST_ACTIONS.map((value) => ({ value, text: FIRST_ACTION_LABELS[value] })),
        answers: FIELDS.map((field) => ({
          question: QUESTIONS[field],
          original: story[field],
          pieces: maskedSegments(story[field], story.masks[field]),
          masked: field === 'whatWasGood' ? story.maskedWhatWasGood : story.maskedWhatCouldBeBetter,
        })),
        maskedParts: FIELDS.flatMap((field) =>
          story.masks[field].map((m, index) => ({
            field,
            index,
            question: QUESTIONS[field],
            words: story[field].slice(m.start, m.end),
            label: MASK_KIND_LABELS[m.kind],
            source: m.source === 'detected' ? 'The check' : 'A moderator',
          })),
        ),
        fieldChoices: FIELDS.map((value) => ({ value, text: QUESTIONS[value] })),
        kindChoices: MODERATOR_MASK_KINDS.map((value) => ({ value, text: MASK_KIND_LABELS[value] })),
        criticalityChoices: CRITICALITY_LEVELS.map((level) => ({
          value: String(level),
          text: CRITICALITY_LABELS[level],
          checked: story.criticality === level,
        })),
        criticalityText:
          story.criticality === null ? 'Not set' : CRITICALITY_LABELS[story.criticality as CriticalityLevel],
        codes: await services.feedbackCoding.storyView(actor, params.serviceKey, params.feedbackId),
        responses: await services.feedbackResponses.storyView(actor, params.serviceKey, params.feedbackId),
        touchpoints: await services.feedbackTouchpoints.storyView(actor, service, story.feedbackId),
      },
      errors,
    );
  };
}

/**
 * Moderating stories and safeguarding flags (issue 12, item 2): one story with its original words
 * beside the masked version, what was masked marked; a moderator's corrections and criticality;
 * the first action on a flag; the safeguarding contact's inbox; naming the contact. Signed in at
 * the door: the moderation service decides who may do what, and audits every refusal.
 */
export async function feedbackModerationPages(parent: FastifyInstance, opts: { services: Services }) {
  const { feedbackModeration: moderation } = opts.services;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const page = { access: 'signed-in', page: true } as const;
  const showStory = storyPage(opts.services);

  app.get(
    '/service-feedback/:serviceKey/stories/:feedbackId',
    {
      config: page,
      schema: {
        hide: true,
        params: StoryParams,
        querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const saved = {
        masks: 'What was masked was saved.',
        criticality: 'The criticality was saved.',
        action: 'The first action was recorded: the clock has stopped.',
        codes: 'The codes were saved.',
        retraining:
          'The codes were saved. The coding model is learning from them: a new version will be ready in a few seconds.',
        reply: 'Your reply was saved.',
        published: 'The story was published on the service’s public page.',
        withdrawn: 'The story was taken off the service’s public page.',
        linked: 'The story was linked to the change.',
        change: 'The change was recorded and this story linked to it.',
        touchpoints: 'The story’s touchpoints were saved.',
      }[request.query.saved ?? ''];
      return showStory(reply, requireActor(request), request.params, [], saved);
    },
  );

  const post = (
    suffix: string,
    saved: string,
    fallback: string,
    act: (actor: Actor, p: { serviceKey: string; feedbackId: string }, body: FormBody) => Promise<unknown>,
  ) =>
    app.post(
      `/service-feedback/:serviceKey/stories/:feedbackId/${suffix}`,
      { config: page, schema: { hide: true, params: StoryParams, body: FormBodySchema } },
      async (request, reply) => {
        const actor = requireActor(request);
        try {
          await act(actor, request.params, request.body);
        } catch (error) {
          return showStory(reply, actor, request.params, formProblems(error, fallback));
        }
        return reply.redirect(
          `${storyBase(request.params.serviceKey, request.params.feedbackId)}?saved=${saved}`,
          303,
        );
      },
    );

  post('masks', 'masks', 'words', (actor, p, body) => {
    const index = text(body, 'index');
    return moderation.correctMask(actor, p.serviceKey, p.feedbackId, {
      field: text(body, 'field'),
      change: text(body, 'change'),
      ...(/^\d{1,5}$/.test(index) ? { index: Number(index) } : {}),
      ...(text(body, 'words') ? { words: text(body, 'words') } : {}),
      ...(text(body, 'kind') ? { kind: text(body, 'kind') } : {}),
    });
  });

  post('criticality', 'criticality', 'level', (actor, p, body) => {
    const level = text(body, 'level');
    return moderation.setCriticality(actor, p.serviceKey, p.feedbackId, {
      level: /^\d$/.test(level) ? Number(level) : level,
    });
  });

  post('first-action', 'action', 'note', (actor, p, body) =>
    moderation.recordFirstAction(actor, p.serviceKey, p.feedbackId, {
      action: text(body, 'action'),
      note: text(body, 'note').trim(),
    }),
  );

  app.get('/safeguarding', { config: page, schema: { hide: true } }, async (request, reply) => {
    const items = await moderation.inbox(requireActor(request));
    return reply.page('feedback-safeguarding', {
      pageTitle: 'Safeguarding flags on feedback',
      heading: 'Safeguarding flags on feedback',
      items: items.map((s) => {
        const words = s.maskedWhatCouldBeBetter || s.maskedWhatWasGood;
        return {
          href: storyBase(s.serviceKey, s.feedbackId),
          excerpt: words.length > 80 ? `${words.slice(0, 79)}…` : words,
          serviceName: serviceName(s.service),
          harmText: harmText(s.harm),
          flaggedText: s.flaggedAt ? when(s.flaggedAt) : '',
          firstAction: s.firstAction,
          firstActionText: s.firstAction ? FIRST_ACTION_LABELS[s.firstAction as FirstAction] : '',
          waitedText: waited(s.flaggedAt, s.secondsToFirstAction),
        };
      }),
    });
  });

  const contactForm = async (
    reply: FastifyReply,
    actor: Actor,
    serviceKey: string,
    errors: FieldError[],
    saved = false,
  ) => {
    const { service, candidates } = await moderation.contactSetting(actor, serviceKey);
    return renderWithErrors(
      reply,
      'feedback-safeguarding-contact',
      {
        pageTitle: 'Safeguarding contact',
        service: { ...service, name: serviceName(service) },
        action: `/service-feedback/${service.serviceKey}/safeguarding-contact`,
        saved,
        choices: [
          { value: '', text: 'No one named', selected: !service.safeguardingUserId },
          ...candidates.map((c) => ({
            value: c.userId,
            text: c.jobTitle ? `${c.displayName} (${c.jobTitle})` : c.displayName,
            selected: c.userId === service.safeguardingUserId,
          })),
        ],
      },
      errors,
    );
  };

  app.get(
    '/service-feedback/:serviceKey/safeguarding-contact',
    {
      config: page,
      schema: {
        hide: true,
        params: ServiceParams,
        querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (request, reply) =>
      contactForm(reply, requireActor(request), request.params.serviceKey, [], request.query.saved === 'yes'),
  );

  app.post(
    '/service-feedback/:serviceKey/safeguarding-contact',
    { config: page, schema: { hide: true, params: ServiceParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const userId = text(request.body, 'userId');
      try {
        await moderation.setContact(actor, request.params.serviceKey, { userId: userId || null });
      } catch (error) {
        return contactForm(reply, actor, request.params.serviceKey, formProblems(error, 'userId'));
      }
      return reply.redirect(
        `/service-feedback/${request.params.serviceKey}/safeguarding-contact?saved=yes`,
        303,
      );
    },
  );
}
