import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignedIn } from '../features/auth/auth-service.js';
import { SESSION_COOKIE } from './plugins/access-control.js';

/** Sets the session cookie: HttpOnly, SameSite=Lax (so links from email still arrive signed in),
 * Secure whenever the request came over TLS. */
export function setSessionCookie(reply: FastifyReply, signedIn: SignedIn): void {
  reply.setCookie(SESSION_COOKIE, signedIn.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    expires: signedIn.expiresAt,
  });
}

export function originOf(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}
