import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import type { Disclosed } from '../../domain/disclosure.js';
import {
  DEFAULT_PACK_PERIOD,
  PACK_CSV_COLUMNS,
  PACK_PERIODS,
  packCsvRows,
} from '../../domain/feedback/touchpoint-pack.js';
import { joinKeywords, splitKeywords, TOUCHPOINT_LIMITS } from '../../domain/feedback/touchpoints.js';
import { feedbackServiceName } from '../../domain/feedback/vocabulary.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { CSV_CONTENT_TYPE, csvContentDisposition, toCsv } from '../../web/charts/csv.js';
import {
  type FieldError,
  type FormBody,
  FormBodySchema,
  formErrors,
  list,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { storyBase, storyPage } from './moderation-pages.js';
import { TouchpointPackQuery } from './touchpoints-schema.js';

const ServiceParams = Type.Object({ serviceKey: Type.String({ minLength: 1, maxLength: 100 }) });
const TouchpointParams = Type.Object({
  serviceKey: Type.String({ minLength: 1, maxLength: 100 }),
  touchpointId: Type.String({ minLength: 1, maxLength: 100 }),
});
const StoryParams = Type.Object({
  serviceKey: Type.String({ minLength: 1, maxLength: 100 }),
  feedbackId: Type.String({ minLength: 1, maxLength: 100 }),
});
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 20 })) });

const SAVED: Record<string, string> = {
  added: 'The touchpoint was added. Stories no one has reviewed were grouped again.',
  started: 'The suggested pathway was added. Change, move or retire its touchpoints to fit your service.',
  changed: 'The touchpoint was saved. Stories no one has reviewed were grouped again.',
  moved: 'The touchpoint was moved.',
  retired: 'The touchpoint was retired.',
};

const serviceName = feedbackServiceName;
/** A disclosed share as the page shows it: "40%", or what stands in for it ("*", "n/a"). */
const shareText = (d: Disclosed) => (d.value === null ? d.shown : `${d.shown}%`);
/** YYYY-MM as "March 2026". */
const monthText = (month: string) =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
const pathwayUrl = (serviceKey: string) => `/service-feedback/${serviceKey}/touchpoints`;

/** Refusals of what was sent (400, 409, 422) go back to the form, on their field; 403 and 404 go on to the error page. */
function problems(error: unknown, fallback: string): FieldError[] {
  if (error instanceof ServiceError && [400, 409, 422].includes(error.status)) {
    return formErrors(error, (path) => path.split('.')[0] || fallback);
  }
  throw error;
}

/** The touchpoint form's fields as the contract reads them: keywords typed in one box, comma or line separated. */
const touchpointFromForm = (body: FormBody) => ({
  label: text(body, 'label'),
  keywords: splitKeywords(text(body, 'keywords')),
});

/**
 * Experience-based co-design (issue 12, item 8): a service's pathway of touchpoints (add, change,
 * move, retire, or start from the suggested one), a story's touchpoints on its page, and the
 * touchpoint pack as a printable page and a CSV. Signed in at the door: the touchpoint service
 * decides who may do what, and audits every refusal.
 */
export async function feedbackTouchpointPages(parent: FastifyInstance, opts: { services: Services }) {
  const { feedbackTouchpoints: touchpoints } = opts.services;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const page = { access: 'signed-in', page: true } as const;
  const showStory = storyPage(opts.services);

  const showPathway = async (
    reply: FastifyReply,
    actor: Actor,
    serviceKey: string,
    errors: FieldError[],
    values: { label: string; keywords: string } = { label: '', keywords: '' },
    saved?: string,
  ) => {
    const pathway = await touchpoints.pathway(actor, serviceKey);
    const base = pathwayUrl(pathway.service.serviceKey);
    return renderWithErrors(
      reply,
      'feedback-touchpoints',
      {
        pageTitle: 'Touchpoints of the care pathway',
        service: { ...pathway.service, name: serviceName(pathway.service) },
        base,
        saved,
        values,
        limits: TOUCHPOINT_LIMITS,
        touchpoints: pathway.touchpoints.map((t, i, all) => ({
          ...t,
          number: i + 1,
          keywordsText: joinKeywords(t.keywords),
          first: i === 0,
          last: i === all.length - 1,
        })),
        retired: pathway.retired.map((t) => ({ ...t, keywordsText: joinKeywords(t.keywords) })),
        suggested: pathway.suggested.map((t) => ({ label: t.label, keywordsText: joinKeywords(t.keywords) })),
      },
      errors,
    );
  };

  app.get(
    '/service-feedback/:serviceKey/touchpoints',
    { config: page, schema: { hide: true, params: ServiceParams, querystring: SavedQuery } },
    async (request, reply) =>
      showPathway(
        reply,
        requireActor(request),
        request.params.serviceKey,
        [],
        undefined,
        SAVED[request.query.saved ?? ''],
      ),
  );

  app.post(
    '/service-feedback/:serviceKey/touchpoints',
    { config: page, schema: { hide: true, params: ServiceParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      try {
        await touchpoints.add(actor, request.params.serviceKey, touchpointFromForm(request.body));
      } catch (error) {
        return showPathway(reply, actor, request.params.serviceKey, problems(error, 'label'), {
          label: text(request.body, 'label'),
          keywords: text(request.body, 'keywords'),
        });
      }
      return reply.redirect(`${pathwayUrl(request.params.serviceKey)}?saved=added`, 303);
    },
  );

  app.post(
    '/service-feedback/:serviceKey/touchpoints/suggested',
    { config: page, schema: { hide: true, params: ServiceParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      try {
        await touchpoints.startFromSuggested(actor, request.params.serviceKey);
      } catch (error) {
        return showPathway(reply, actor, request.params.serviceKey, problems(error, 'touchpoints'));
      }
      return reply.redirect(`${pathwayUrl(request.params.serviceKey)}?saved=started`, 303);
    },
  );

  const showEdit = async (
    reply: FastifyReply,
    actor: Actor,
    params: { serviceKey: string; touchpointId: string },
    errors: FieldError[],
    values?: { label: string; keywords: string },
  ) => {
    const { service, touchpoint } = await touchpoints.touchpointToEdit(
      actor,
      params.serviceKey,
      params.touchpointId,
    );
    return renderWithErrors(
      reply,
      'feedback-touchpoints-edit',
      {
        pageTitle: `Change the touchpoint “${touchpoint.label}”`,
        service: { ...service, name: serviceName(service) },
        back: pathwayUrl(service.serviceKey),
        action: `${pathwayUrl(service.serviceKey)}/${touchpoint.touchpointId}`,
        values: values ?? { label: touchpoint.label, keywords: joinKeywords(touchpoint.keywords) },
        limits: TOUCHPOINT_LIMITS,
      },
      errors,
    );
  };

  app.get(
    '/service-feedback/:serviceKey/touchpoints/:touchpointId',
    { config: page, schema: { hide: true, params: TouchpointParams } },
    async (request, reply) => showEdit(reply, requireActor(request), request.params, []),
  );

  app.post(
    '/service-feedback/:serviceKey/touchpoints/:touchpointId',
    { config: page, schema: { hide: true, params: TouchpointParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { serviceKey, touchpointId } = request.params;
      try {
        await touchpoints.edit(actor, serviceKey, touchpointId, touchpointFromForm(request.body));
      } catch (error) {
        return showEdit(reply, actor, request.params, problems(error, 'label'), {
          label: text(request.body, 'label'),
          keywords: text(request.body, 'keywords'),
        });
      }
      return reply.redirect(`${pathwayUrl(serviceKey)}?saved=changed`, 303);
    },
  );

  app.post(
    '/service-feedback/:serviceKey/touchpoints/:touchpointId/move',
    { config: page, schema: { hide: true, params: TouchpointParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { serviceKey, touchpointId } = request.params;
      try {
        await touchpoints.move(actor, serviceKey, touchpointId, {
          direction: text(request.body, 'direction'),
        });
      } catch (error) {
        return showPathway(reply, actor, serviceKey, problems(error, 'touchpoints'));
      }
      return reply.redirect(`${pathwayUrl(serviceKey)}?saved=moved`, 303);
    },
  );

  app.post(
    '/service-feedback/:serviceKey/touchpoints/:touchpointId/retire',
    { config: page, schema: { hide: true, params: TouchpointParams, body: FormBodySchema } },
    async (request, reply) => {
      const { serviceKey, touchpointId } = request.params;
      await touchpoints.retire(requireActor(request), serviceKey, touchpointId);
      return reply.redirect(`${pathwayUrl(serviceKey)}?saved=retired`, 303);
    },
  );

  app.get(
    '/service-feedback/:serviceKey/touchpoints/pack',
    { config: page, schema: { hide: true, params: ServiceParams, querystring: TouchpointPackQuery } },
    async (request, reply) => {
      const period = request.query.period ?? DEFAULT_PACK_PERIOD;
      const pack = await touchpoints.pack(requireActor(request), request.params.serviceKey, period);
      const base = pathwayUrl(pack.service.serviceKey);
      return reply.page('feedback-touchpoints-pack', {
        pageTitle: `Touchpoint pack: ${serviceName(pack.service)}`,
        service: { ...pack.service, name: serviceName(pack.service) },
        pack,
        rows: pack.rows.map((row) => ({
          ...row,
          storiesText: row.stories.shown,
          positiveText: shareText(row.positive),
          negativeText: shareText(row.negative),
          themesText: row.topThemes.map((t) => t.label).join(', ') || 'None coded',
          quotes: row.quotes.map((q) => ({ ...q, monthText: monthText(q.month) })),
        })),
        base,
        csvHref: `${base}/pack.csv?period=${pack.period}`,
        periods: PACK_PERIODS.map((p) => ({ value: p.key, text: p.label, selected: p.key === pack.period })),
      });
    },
  );

  app.get(
    '/service-feedback/:serviceKey/touchpoints/pack.csv',
    { config: page, schema: { hide: true, params: ServiceParams, querystring: TouchpointPackQuery } },
    async (request, reply) => {
      const pack = await touchpoints.pack(
        requireActor(request),
        request.params.serviceKey,
        request.query.period ?? DEFAULT_PACK_PERIOD,
      );
      return reply
        .header('content-type', CSV_CONTENT_TYPE)
        .header('content-disposition', csvContentDisposition(`touchpoint pack ${pack.period} ${pack.until}`))
        .send(toCsv(PACK_CSV_COLUMNS, packCsvRows(pack.rows)));
    },
  );

  app.post(
    '/service-feedback/:serviceKey/stories/:feedbackId/touchpoints',
    { config: page, schema: { hide: true, params: StoryParams, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { serviceKey, feedbackId } = request.params;
      const touchpointIds = list(request.body, 'touchpointIds');
      try {
        await touchpoints.review(actor, serviceKey, feedbackId, { touchpointIds });
      } catch (error) {
        return showStory(reply, actor, request.params, problems(error, 'touchpointIds'), undefined, {
          touchpointIds,
        });
      }
      return reply.redirect(`${storyBase(serviceKey, feedbackId)}?saved=touchpoints`, 303);
    },
  );
}
