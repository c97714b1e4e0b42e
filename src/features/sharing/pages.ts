import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CARE_STAFF } from '../../domain/route-access.js';
import { BREAK_GLASS_HOURS, BREAK_GLASS_MIN_REASON } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, type FormBody, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { errorsOnForm, type FormMapping } from '../people/form.js';
import { SharingBasisParams } from '../people/schema.js';
import type { BreakGlassRequestInput } from './schema.js';

/** The break-glass form onto its contract: the two fields keep their names. */
const breakGlassForm = {
  input: (body: FormBody): BreakGlassRequestInput => ({
    nhsNumber: text(body, 'nhsNumber'),
    reason: text(body, 'reason'),
  }),
  mapping: {
    ids: {},
    fallback: 'nhsNumber',
    messages: {
      nhsNumber: 'Enter the 10-digit NHS number',
      reason: `Say why you need access now, in at least ${BREAK_GLASS_MIN_REASON} characters`,
    },
  } satisfies FormMapping,
};

/** Withdrawing a sharing basis, break-glass access, and the managers' report of break-glass use. */
export async function sharingPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { sharing } = opts.services;

  app.post(
    '/people/:personId/sharing/:basisId/withdraw',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: SharingBasisParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, basisId } = request.params;
      await sharing.withdraw(actor, personId, basisId, { reason: text(request.body, 'reason') });
      // After withdrawing their own organisation's basis a practitioner can no longer open the record.
      const self = actor.personId === personId;
      return reply.redirect(self ? '/my?withdrawn=1' : `/people/${personId}?withdrawn=1`, 303);
    },
  );

  const form = (reply: FastifyReply, body: FormBody, errors: FieldError[]) =>
    renderWithErrors(
      reply,
      'break-glass',
      {
        pageTitle: 'Break-glass access',
        hours: BREAK_GLASS_HOURS,
        minReason: BREAK_GLASS_MIN_REASON,
        values: breakGlassForm.input(body),
      },
      errors,
    );

  app.get(
    '/break-glass',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true } },
    async (_request, reply) => form(reply, {}, []),
  );

  app.post(
    '/break-glass',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      try {
        const grant = await sharing.breakGlass(requireActor(request), breakGlassForm.input(request.body));
        return reply.redirect(`/people/${grant.personId}?breakGlass=1`, 303);
      } catch (error) {
        return form(reply, request.body, errorsOnForm(error, breakGlassForm.mapping));
      }
    },
  );

  app.get(
    '/break-glass/report',
    { config: { access: { roles: ['team-manager', 'admin'] }, page: true }, schema: { hide: true } },
    async (request, reply) =>
      reply.page('break-glass-report', {
        pageTitle: 'Break-glass access to people in your teams’ care',
        entries: await sharing.breakGlassReport(requireActor(request)),
      }),
  );
}
