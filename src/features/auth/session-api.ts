import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../http/plugins/access-control.js';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import { originOf, setSessionCookie } from '../../http/session-cookie.js';
import type { Services } from '../../services/index.js';

const SignInBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export async function sessionApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = opts.services;

  app.post(
    '/api/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        summary: 'Sign in',
        description: 'Checks a username and password and sets the session cookie.',
        body: SignInBody,
        response: responses({ 200: Type.Ref('SignedInUser') }, [423]),
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const signedIn = await auth.signIn(username, password, originOf(request));
      setSessionCookie(reply, signedIn);
      const { ip: _ip, ...user } = signedIn.actor;
      return user;
    },
  );

  app.get(
    '/api/session',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['session'],
        summary: 'Who is signed in',
        response: responses({ 200: Type.Ref('SignedInUser') }),
      },
    },
    async (request) => {
      const { ip: _ip, ...user } = requireActor(request);
      return user;
    },
  );

  app.delete(
    '/api/session',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['session'],
        summary: 'Sign out',
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      if (request.sessionToken) await auth.signOut(request.sessionToken, request.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );
}
