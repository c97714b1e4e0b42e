import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PASSWORD_MIN_LENGTH } from '../../domain/password-policy.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { adminFormErrors } from './form.js';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * The one-time link an administrator passes on: it opens a page where the account's holder sets a
 * new password. Nobody is signed in; a link that is used, expired or unknown is a "link not valid"
 * page.
 */
export async function passwordResetPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { users } = opts.services;

  const form = (reply: FastifyReply, token: string, username: string, errors: FieldError[]) =>
    renderWithErrors(
      reply.header('cache-control', 'no-store'),
      'reset-password',
      {
        pageTitle: 'Set a new password',
        action: `/reset-password/${token}`,
        username,
        minLength: PASSWORD_MIN_LENGTH,
      },
      errors,
    );

  app.get(
    '/reset-password/:token',
    { config: { access: 'public', page: true }, schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const { username } = await users.passwordResetFor(request.params.token);
      return form(reply, request.params.token, username, []);
    },
  );

  app.post(
    '/reset-password/:token',
    {
      config: { access: 'public', page: true },
      schema: { hide: true, params: TokenParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const { token } = request.params;
      const { username } = await users.passwordResetFor(token);
      const newPassword = typeof request.body.newPassword === 'string' ? request.body.newPassword : '';
      const again = text(request.body, 'confirmPassword');
      if (newPassword && again !== newPassword) {
        return form(reply, token, username, [
          {
            field: 'confirmPassword',
            message: 'The two passwords are not the same. Type the new password again.',
          },
        ]);
      }
      try {
        await users.resetPassword(token, newPassword, request.ip);
      } catch (error) {
        return form(reply, token, username, adminFormErrors(error, 'newPassword'));
      }
      return reply.page('reset-password-done', { pageTitle: 'Your new password is set', username });
    },
  );
}
