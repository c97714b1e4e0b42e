import type { Resource } from '@medplum/fhirtypes';
import type { LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../src/store/schema.js';
import type { TestApp } from './test-app.js';

/** An access token for a client, from POST /oauth/token with HTTP Basic credentials, as a system gets one. */
export async function clientToken(t: TestApp, clientId: string, secret: string): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    payload: 'grant_type=client_credentials',
  });
  if (response.statusCode !== 200) throw new Error(`no token for ${clientId}: ${response.body}`);
  return response.json().access_token;
}

/** The organisation whose care teams hold the most records in the demo data. */
export async function busiestOrganisation(db: Kysely<DB>): Promise<string> {
  const held = await db
    .selectFrom('care_team_member')
    .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('end_date', 'is', null)
    .groupBy('organisation_id')
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
  return held.organisation_id;
}

/** A FHIR Bulk Data manifest (the complete $export status). */
export interface ExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string }[];
}

/** The path and query of an absolute URL, as `inject` takes it. */
export const pathOf = (absolute: string) => new URL(absolute).pathname + new URL(absolute).search;

/**
 * $export as a client drives it, through the app: `who` is a session cookie or `Bearer …`.
 * Polling lets the export queue run between polls, so no test waits on a clock. `app` gives the
 * test app when called (so a module-level helper can be made before beforeAll creates it).
 */
export function bulkExport(app: () => TestApp) {
  const auth = (who: string) => (who.startsWith('Bearer ') ? { authorization: who } : { cookie: who });
  const get = (url: string, who: string) => app().app.inject({ method: 'GET', url, headers: auth(who) });

  /** Kicks off an export; returns the status path from Content-Location. */
  async function kickOff(url: string, who: string): Promise<string> {
    const response = await app().app.inject({
      method: 'GET',
      url,
      headers: { ...auth(who), accept: 'application/fhir+json', prefer: 'respond-async' },
    });
    expect(response.statusCode, response.body).toBe(202);
    const location = response.headers['content-location'] as string;
    expect(location).toMatch(/^http:\/\/localhost(:\d+)?\/fhir\/\$export-status\/[0-9a-f-]{36}$/);
    return pathOf(location);
  }

  /** Polls until the job is no longer in progress (each 202 must say to retry). */
  async function poll(status: string, who: string): Promise<LightMyRequestResponse> {
    for (let i = 0; i < 1000; i++) {
      const response = await get(status, who);
      if (response.statusCode !== 202) return response;
      expect(response.headers['retry-after']).toBeDefined();
      await app().services.fhirExport.idle();
    }
    throw new Error('the export never finished');
  }

  /** Kicks off, polls to the end and returns the manifest. */
  async function run(url: string, who: string): Promise<ExportManifest> {
    const response = await poll(await kickOff(url, who), who);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers.expires).toBeDefined();
    return response.json() as ExportManifest;
  }

  /** One output file's resources. */
  async function lines(url: string, who: string): Promise<Resource[]> {
    const response = await get(pathOf(url), who);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('application/fhir+ndjson');
    return response.body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Resource);
  }

  return { auth, get, kickOff, poll, run, lines };
}
