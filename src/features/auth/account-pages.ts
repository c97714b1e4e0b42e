import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../domain/password-policy.js';
import { SESSION_COOKIE } from '../../http/plugins/access-control.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, serviceFieldErrors } from '../../web/forms.js';

const CHANGE_PASSWORD = 'Change your password';

/** A password field exactly as typed: spaces at either end are part of a password, not noise. */
function passwordField(body: Record<string, string | string[] | undefined>, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * The signed-in user's own account: change the password (which ends their other sessions) and sign
 * out everywhere. `GET /account` itself is in `home.ts`.
 */
export async function accountPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = opts.services;
  const signedIn = { access: 'signed-in', page: true } as const;

  app.get('/account/password', { config: signedIn, schema: { hide: true } }, async (_request, reply) =>
    renderWithErrors(
      reply,
      'account-password',
      { pageTitle: CHANGE_PASSWORD, minLength: PASSWORD_MIN_LENGTH },
      [],
    ),
  );

  app.post(
    '/account/password',
    { config: signedIn, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const currentPassword = passwordField(request.body, 'currentPassword');
      const newPassword = passwordField(request.body, 'newPassword');
      const errors: FieldError[] = [];
      if (!currentPassword) errors.push({ field: 'currentPassword', message: 'Enter your current password' });
      const problem = passwordProblem(newPassword, { username: actor.username });
      if (problem) errors.push({ field: 'newPassword', message: problem.message });
      if (errors.length === 0) {
        try {
          await auth.changePassword(actor, request.sessionToken, currentPassword, newPassword);
          return reply.redirect('/account?changed=password', 303);
        } catch (error) {
          errors.push(...serviceFieldErrors(error, 'currentPassword'));
        }
      }
      return renderWithErrors(
        reply,
        'account-password',
        { pageTitle: CHANGE_PASSWORD, minLength: PASSWORD_MIN_LENGTH },
        errors,
      );
    },
  );

  app.post(
    '/account/sign-out-everywhere',
    { config: signedIn, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const { sessionsEnded } = await auth.signOutEverywhere(requireActor(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      request.actor = null;
      return reply.page('account-signed-out-everywhere', {
        pageTitle: 'You have signed out everywhere',
        sessionsEnded,
      });
    },
  );
}
