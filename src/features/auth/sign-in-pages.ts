import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SESSION_COOKIE } from '../../http/plugins/access-control.js';
import { originOf, setSessionCookie } from '../../http/session-cookie.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';

const SignInForm = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 1000 })),
  password: Type.Optional(Type.String({ maxLength: 1000 })),
  returnTo: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
});

const hasControlCharacter = (text: string) =>
  [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });

/** Only a path on this site: anything else would make sign-in an open redirect. */
export function safeReturnPath(value: string | undefined): string {
  // A path on this site only: not another site's (`//host`, `/\\host`), and no control characters,
  // which cannot go in a Location header (CR and LF would split it).
  return value && /^\/(?![/\\])/.test(value) && !hasControlCharacter(value) ? value : '/';
}

export async function signInPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, demoData } = opts.services;

  const renderForm = async (
    reply: FastifyReply,
    values: { username?: string; returnTo?: string },
    errors: { field: string; message: string }[] = [],
  ) =>
    reply.page('sign-in', {
      pageTitle: errors.length ? 'Error: Sign in' : 'Sign in',
      values,
      errors,
      errorFor: Object.fromEntries(errors.map((e) => [e.field, e.message])),
      demo: await demoData.demoInfo(),
      oidc: opts.services.oidc !== null,
    });

  app.get(
    '/sign-in',
    {
      config: { access: 'public', page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      const { returnTo } = request.query;
      if (request.actor) return reply.redirect(safeReturnPath(returnTo), 303);
      return renderForm(reply, { returnTo: safeReturnPath(returnTo) });
    },
  );

  app.post(
    '/sign-in',
    { config: { access: 'public', page: true }, schema: { hide: true, body: SignInForm } },
    async (request, reply) => {
      const form = request.body;
      const username = form.username?.trim() ?? '';
      const password = form.password ?? '';
      const values = { username, returnTo: safeReturnPath(form.returnTo) };
      const missing = [
        ...(username ? [] : [{ field: 'username', message: 'Enter your username' }]),
        ...(password ? [] : [{ field: 'password', message: 'Enter your password' }]),
      ];
      if (missing.length) return renderForm(reply.code(400), values, missing);
      try {
        const signedIn = await auth.signIn(username, password, originOf(request));
        setSessionCookie(reply, signedIn);
        return reply.redirect(values.returnTo, 303);
      } catch (error) {
        if (error instanceof ServiceError) {
          return renderForm(reply.code(error.status), values, [
            { field: 'username', message: error.message },
          ]);
        }
        throw error;
      }
    },
  );

  app.post(
    '/sign-out',
    {
      config: { access: 'public', page: true },
      schema: { hide: true, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      if (request.sessionToken) await auth.signOut(request.sessionToken, request.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      request.actor = null;
      return reply.page('signed-out', { pageTitle: 'You have signed out' });
    },
  );
}
