import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import { notSignedIn } from '../services/errors.js';

/** The signed-in actor of a route whose access rule already demanded one. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw notSignedIn();
  return request.actor;
}
