import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { type AppOptions, buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/services/index.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from './test-database.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  close(): Promise<void>;
}

/**
 * Tests sign in far more often than a person would; the production limits are tested on their own
 * (test/integration/identity.test.ts passes `rateLimits`).
 */
const TEST_RATE_LIMITS: AppOptions['rateLimits'] = {
  signIn: { max: 10_000, windowMs: 60_000 },
  token: { max: 10_000, windowMs: 60_000 },
  feedback: { max: 10_000, windowMs: 60_000 },
};

/**
 * The real application on a fresh test database, optionally with the demo population loaded, dated
 * from `demoToday` when a test must know the demo's "today" for certain (otherwise the UK date now).
 */
export async function createTestApp(
  options: { demoPeople?: number; demoToday?: string; rateLimits?: AppOptions['rateLimits'] } = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  const services = createServices(database);
  if (options.demoPeople !== undefined) {
    await services.demoData.load({
      people: options.demoPeople,
      seed: 'test',
      ...(options.demoToday ? { today: options.demoToday } : {}),
    });
  }
  const app = await buildApp({ services, rateLimits: options.rateLimits ?? TEST_RATE_LIMITS });
  await app.ready();
  return {
    app,
    services,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Signs in through the API and returns the session cookie header for later requests. */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${response.body}`);
  return cookieHeader(response);
}

export function cookieHeader(response: LightMyRequestResponse): string {
  return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
