import type { FastifyInstance } from 'fastify';
import { countQueries } from '../../src/store/database.js';

export interface CountedRequest {
  statusCode: number;
  queries: number;
}

/**
 * The SQL statements one GET runs, counted on a repeat of the same request: the first warms what
 * is held between requests (the signed-in session, and its last-use write when that is due), so the
 * count is what the route itself costs, not when the test happened to run.
 */
export async function queriesFor(app: FastifyInstance, url: string, cookie: string): Promise<CountedRequest> {
  await app.inject({ url, headers: { cookie } });
  const { result, queries } = await countQueries(() => app.inject({ url, headers: { cookie } }));
  return { statusCode: result.statusCode, queries };
}
