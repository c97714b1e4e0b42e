import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import {
  CHANGE_STATUS_LABELS,
  CHANGE_STATUSES,
  monthOf,
  RESPONSE_LIMITS,
} from '../../domain/feedback/responses.js';
import { FFT_ANSWER_LABELS, feedbackServiceName } from '../../domain/feedback/vocabulary.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import {
  dateFields,
  type FieldError,
  type FormBody,
  FormBodySchema,
  formErrors,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { storyBase, storyPage } from './moderation-pages.js';

const ServiceParams = Type.Object({ serviceKey: Type.String({ minLength: 1, maxLength: 100 }) });
const StoryParams = Type.Object({
  serviceKey: Type.String({ minLength: 1, maxLength: 100 }),
  feedbackId: Type.String({ minLength: 1, maxLength: 100 }),
});
const ChangeParams = Type.Object({
  serviceKey: Type.String({ minLength: 1, maxLength: 100 }),
  changeId: Type.String({ minLength: 1, maxLength: 100 }),
});

const serviceName = feedbackServiceName;

/** What each date is called in error messages. */
const DATE_WORDS: Record<string, string> = {
  plannedOn: 'The date the change is planned for',
  madeOn: 'The date the change was made',
};

/**
 * A date-input's three fields as YYYY-MM-DD, or the part at fault (its id, where the error
 * summary's link lands: `name-day`, `name-month` or `name-year`) and why. Blank: null, no error.
 */
export function dateFromParts(
  body: FormBody,
  name: string,
  words: string,
): { value: string | null; error: FieldError | null } {
  const { day, month, year } = dateFields(body, name);
  if (!day && !month && !year) return { value: null, error: null };
  const fault = (part: 'day' | 'month' | 'year', message: string) => ({
    value: null,
    error: { field: `${name}-${part}`, message: `${words} ${message}` },
  });
  const d = /^\d{1,2}$/.test(day) ? Number(day) : 0;
  const m = /^\d{1,2}$/.test(month) ? Number(month) : 0;
  if (!day) return fault('day', 'must include a day');
  if (d < 1 || d > 31) return fault('day', 'must have a day from 1 to 31');
  if (!month) return fault('month', 'must include a month');
  if (m < 1 || m > 12) return fault('month', 'must have a month from 1 to 12');
  if (!year) return fault('year', 'must include a year');
  if (!/^\d{4}$/.test(year)) return fault('year', 'must have a year with 4 numbers, for example 2026');
  const date = new Date(Date.UTC(Number(year), m - 1, d));
  if (date.getUTCMonth() !== m - 1) return fault('day', 'must be a real date, for example 27 3 2026');
  return { value: date.toISOString().slice(0, 10), error: null };
}

/** The change form's fields (on the changes page and, from a story, on the story page). */
const changeValues = (body: FormBody) => ({
  changeDescription: text(body, 'changeDescription'),
  changeStatus: text(body, 'changeStatus'),
  plannedOn: dateFields(body, 'plannedOn'),
  madeOn: dateFields(body, 'madeOn'),
});

/** The change form as the ChangeBody contract's input, or the errors of its dates. */
function changeFromForm(body: FormBody): { input: Record<string, unknown>; errors: FieldError[] } {
  const status = text(body, 'changeStatus');
  const errors: FieldError[] = [];
  const dates: Record<string, string> = {};
  // Only the date of the chosen status is read: the other one is hidden under its radio.
  for (const name of status === 'planned' ? ['plannedOn'] : status === 'made' ? ['madeOn'] : []) {
    const read = dateFromParts(body, name, DATE_WORDS[name] ?? name);
    if (read.error) errors.push(read.error);
    if (read.value) dates[name] = read.value;
  }
  return {
    input: { description: text(body, 'changeDescription'), ...(status ? { status } : {}), ...dates },
    errors,
  };
}

/** A contract or service field, as the id of the form field that holds it. */
const CHANGE_FIELD_IDS: Record<string, string> = {
  description: 'changeDescription',
  status: 'changeStatus',
  plannedOn: 'plannedOn-day',
  madeOn: 'madeOn-day',
  changeId: 'linkChangeId',
  body: 'replyBody',
};
const CHANGE_MESSAGES: Record<string, string> = {
  description: 'Enter what the change is',
  status: 'Select whether the change is planned or made',
  changeId: 'Choose a change to link this story to',
  body: 'Enter your reply',
};

/** A refusal of what was sent (400, 409, 422) as field errors; 403 and 404 go on to the error page. */
function problems(error: unknown, fallback: string): FieldError[] {
  if (error instanceof DateErrors) return error.errors;
  if (!(error instanceof ServiceError) || ![400, 409, 422].includes(error.status)) throw error;
  return formErrors(error, (path) => CHANGE_FIELD_IDS[path.split('.').at(-1) ?? ''] ?? fallback).map((e) => {
    const field = Object.entries(CHANGE_FIELD_IDS).find(([, id]) => id === e.field)?.[0] ?? '';
    // "is required" and too long read better in the words of the form.
    if (/is required|must be at least|must not be empty/.test(e.message) && CHANGE_MESSAGES[field]) {
      return { ...e, message: CHANGE_MESSAGES[field] };
    }
    if (/characters or fewer/.test(e.message)) {
      const what = field === 'body' ? 'Your reply' : 'The description of the change';
      return {
        ...e,
        message: `${what} must be ${RESPONSE_LIMITS.reply.toLocaleString('en-GB')} characters or fewer`,
      };
    }
    return e;
  });
}

/** The change form's radios, each revealing its date, for the views. */
const statusChoices = (checked: string) =>
  CHANGE_STATUSES.map((value) => ({ value, text: CHANGE_STATUS_LABELS[value], checked: checked === value }));

/**
 * Responding and changing (issue 12, item 5): replies, publishing and linking to a change from
 * the staff story page; the service's changes page ("you said, we did"); and the public page of
 * each service's published stories, replies and changes made. The responses service decides who
 * may do what and audits; these pages only adapt forms and show what it returns.
 */
export async function feedbackResponsePages(parent: FastifyInstance, opts: { services: Services }) {
  const { feedbackResponses: responses } = opts.services;
  const showStory = storyPage(opts.services);

  // Staff pages: signed in at the door; the service refuses (and audits) anyone else.
  await parent.register(async (scope) => {
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const page = { access: 'signed-in', page: true } as const;

    const storyPost = (
      suffix: string,
      act: (actor: Actor, p: { serviceKey: string; feedbackId: string }, body: FormBody) => Promise<string>,
    ) =>
      app.post(
        `/service-feedback/:serviceKey/stories/:feedbackId/${suffix}`,
        { config: page, schema: { hide: true, params: StoryParams, body: FormBodySchema } },
        async (request, reply) => {
          const actor = requireActor(request);
          let saved: string;
          try {
            saved = await act(actor, request.params, request.body);
          } catch (error) {
            const values = {
              replyBody: text(request.body, 'replyBody'),
              linkChangeId: text(request.body, 'changeId'),
              ...changeValues(request.body),
            };
            return showStory(reply, actor, request.params, problems(error, 'replyBody'), undefined, values);
          }
          return reply.redirect(
            `${storyBase(request.params.serviceKey, request.params.feedbackId)}?saved=${saved}#responses`,
            303,
          );
        },
      );

    storyPost('reply', async (actor, p, body) => {
      await responses.reply(actor, p.serviceKey, p.feedbackId, { body: text(body, 'replyBody') });
      return 'reply';
    });
    storyPost('publish', async (actor, p) => {
      await responses.publish(actor, p.serviceKey, p.feedbackId);
      return 'published';
    });
    storyPost('withdraw', async (actor, p) => {
      await responses.withdraw(actor, p.serviceKey, p.feedbackId);
      return 'withdrawn';
    });
    storyPost('link-change', async (actor, p, body) => {
      const changeId = text(body, 'changeId');
      if (!changeId) throw new ServiceError(422, 'Invalid input', CHANGE_MESSAGES.changeId ?? '', 'changeId');
      await responses.linkStory(actor, p.serviceKey, p.feedbackId, { changeId });
      return 'linked';
    });
    storyPost('record-change', async (actor, p, body) => {
      const { input, errors } = changeFromForm(body);
      if (errors.length) throw new DateErrors(errors);
      await responses.recordChange(actor, p.serviceKey, { ...input, feedbackId: p.feedbackId });
      return 'change';
    });

    const changesPage = async (
      reply: FastifyReply,
      actor: Actor,
      serviceKey: string,
      errors: FieldError[],
      values: ReturnType<typeof changeValues> & Record<string, unknown>,
      saved?: string,
    ) => {
      const { service, changes } = await responses.changes(actor, serviceKey);
      const base = `/service-feedback/${service.serviceKey}`;
      const view = (c: (typeof changes)[number]) => ({
        ...c,
        statusText: CHANGE_STATUS_LABELS[c.status],
        stories: c.stories.map((s) => ({ ...s, href: storyBase(service.serviceKey, s.feedbackId) })),
        madeAction: `${base}/changes/${c.changeId}/made`,
        madeId: `made-${c.changeId}`,
      });
      return renderWithErrors(
        reply,
        'feedback-changes',
        {
          pageTitle: 'Changes: you said, we did',
          service: { ...service, name: serviceName(service) },
          base,
          action: `${base}/changes`,
          publicPage: `/feedback/${service.serviceKey}/stories`,
          saved,
          planned: changes.filter((c) => c.status === 'planned').map(view),
          made: changes.filter((c) => c.status === 'made').map(view),
          values,
          statusChoices: statusChoices(values.changeStatus),
          maxLength: RESPONSE_LIMITS.description,
        },
        errors,
      );
    };

    app.get(
      '/service-feedback/:serviceKey/changes',
      {
        config: page,
        schema: {
          hide: true,
          params: ServiceParams,
          querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 20 })) }),
        },
      },
      async (request, reply) => {
        const saved = { recorded: 'The change was recorded.', made: 'The change was marked as made.' }[
          request.query.saved ?? ''
        ];
        return changesPage(
          reply,
          requireActor(request),
          request.params.serviceKey,
          [],
          changeValues({}),
          saved,
        );
      },
    );

    app.post(
      '/service-feedback/:serviceKey/changes',
      { config: page, schema: { hide: true, params: ServiceParams, body: FormBodySchema } },
      async (request, reply) => {
        const actor = requireActor(request);
        const { input, errors } = changeFromForm(request.body);
        const values = changeValues(request.body);
        if (errors.length) return changesPage(reply, actor, request.params.serviceKey, errors, values);
        try {
          await responses.recordChange(actor, request.params.serviceKey, input);
        } catch (error) {
          return changesPage(
            reply,
            actor,
            request.params.serviceKey,
            problems(error, 'changeDescription'),
            values,
          );
        }
        return reply.redirect(`/service-feedback/${request.params.serviceKey}/changes?saved=recorded`, 303);
      },
    );

    app.post(
      '/service-feedback/:serviceKey/changes/:changeId/made',
      { config: page, schema: { hide: true, params: ChangeParams, body: FormBodySchema } },
      async (request, reply) => {
        const actor = requireActor(request);
        const { serviceKey, changeId } = request.params;
        const name = `made-${changeId.replace(/[^0-9a-f-]/gi, '')}`;
        const read = dateFromParts(request.body, name, DATE_WORDS.madeOn ?? '');
        const values = { ...changeValues({}), [name]: dateFields(request.body, name) };
        const errors = read.error
          ? [read.error]
          : read.value
            ? []
            : [{ field: `${name}-day`, message: 'Enter the date the change was made' }];
        if (!errors.length) {
          try {
            await responses.markMade(actor, serviceKey, changeId, { madeOn: read.value });
          } catch (error) {
            errors.push(
              ...problems(error, `${name}-day`).map((e) =>
                e.field === 'madeOn-day' ? { ...e, field: `${name}-day` } : e,
              ),
            );
          }
        }
        if (errors.length) return changesPage(reply, actor, serviceKey, errors, values);
        return reply.redirect(`/service-feedback/${serviceKey}/changes?saved=made`, 303);
      },
    );
  });

  // The public page: no account, no script; published stories only, masked, no staff names.
  await parent.register(async (scope) => {
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/feedback/:serviceKey/stories',
      {
        config: { access: 'public', page: true },
        schema: {
          hide: true,
          params: ServiceParams,
          querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) }),
        },
      },
      async (request, reply) => {
        const result = await responses.publicPage(request.params.serviceKey, request.query.page);
        const base = `/feedback/${result.service.serviceKey}/stories`;
        return reply.page('feedback-public-stories', {
          pageTitle: `You said, we did: ${serviceName(result.service)}`,
          service: { ...result.service, name: serviceName(result.service) },
          formLink: `/feedback/${result.service.serviceKey}`,
          stories: result.stories.map((s) => ({
            ...s,
            fftText: FFT_ANSWER_LABELS[s.fft] ?? s.fft,
            monthText: monthOf(s.receivedOn),
          })),
          changesMade: result.changesMade,
          total: result.total,
          pageNumber: result.page,
          pageCount: result.pageCount,
          previous: result.page > 1 ? `${base}?page=${result.page - 1}` : null,
          next: result.page < result.pageCount ? `${base}?page=${result.page + 1}` : null,
        });
      },
    );
  });
}

/** The change form's date errors, found before the service was asked: shown as they are. */
class DateErrors extends ServiceError {
  constructor(readonly errors: FieldError[]) {
    super(422, 'Invalid input', errors[0]?.message ?? '', errors[0]?.field);
  }
}
