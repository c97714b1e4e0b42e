import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccount } from '../support/demo.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Property-based fuzzing of every JSON endpoint that takes a body: thousands of malformed inputs,
 * none of which may produce a 5xx answer, and none of which, when refused, may leave a row behind.
 */
let t: TestApp;
let cookie: string;
const params: Record<string, string> = {};

/** Rows in every table but the audit trail and sessions (refusals are audited on purpose). */
async function rowCount(): Promise<number> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name not in ('audit_event', 'user_session', 'api_token')
      and table_name not like 'kysely_%'`.execute(t.database.db);
  const parts = tables.rows.map((r) => `(select count(*) from "${r.table_name}")`).join(' + ');
  const result = await sql<{ n: string }>`select ${sql.raw(parts)} as n`.execute(t.database.db);
  return Number(result.rows[0]?.n ?? 0);
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 15 });
  cookie = await signIn(t.app, 'practitioner@demo');
  const { db } = t.database;
  params.personId = (await demoAccount(t, 'person@demo')).person_id ?? '';
  const outcome = await db
    .selectFrom('personal_outcome')
    .select('outcome_id')
    .where('person_id', '=', params.personId)
    .executeTakeFirst();
  params.outcomeId = outcome?.outcome_id ?? crypto.randomUUID();
  const relationship = await db
    .selectFrom('relationship')
    .select('relationship_id')
    .where('person_id', '=', params.personId)
    .executeTakeFirst();
  params.relationshipId = relationship?.relationship_id ?? crypto.randomUUID();
  const basis = await db
    .selectFrom('sharing_basis')
    .select('basis_id')
    .where('person_id', '=', params.personId)
    .executeTakeFirst();
  params.basisId = basis?.basis_id ?? crypto.randomUUID();
  params.version = '1';
});
afterAll(() => t?.close());

const fill = (url: string) =>
  url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? crypto.randomUUID());

/** Bodies that are wrong in many ways: any JSON value, objects of junk, the right keys with junk values. */
function malformed(schema: unknown): fc.Arbitrary<unknown> {
  const keys = Object.keys((schema as { properties?: Record<string, unknown> })?.properties ?? {});
  const junk = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.anything(), { maxLength: 3 }),
    fc.object({ maxDepth: 2 }),
  );
  return fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.object({ maxDepth: 3 }),
    keys.length ? fc.dictionary(fc.constantFrom(...keys), junk, { maxKeys: keys.length }) : fc.object(),
  );
}

describe('fuzzing every JSON endpoint', () => {
  it('finds JSON endpoints to fuzz', () => {
    const targets = t.app.routeCatalogue.filter((r) => !r.page && r.bodySchema && r.url.startsWith('/api/'));
    expect(targets.length).toBeGreaterThan(12);
  });

  it('answers malformed bodies with 4xx, never 5xx, and refused writes leave nothing behind', async () => {
    const targets = t.app.routeCatalogue.filter(
      (r) => !r.page && r.bodySchema && r.url.startsWith('/api/') && r.url !== '/api/session',
    );
    let requests = 0;
    for (const route of targets) {
      await fc.assert(
        fc.asyncProperty(malformed(route.bodySchema), async (body) => {
          const before = await rowCount();
          const response = await t.app.inject({
            method: route.method as 'POST',
            url: fill(route.url),
            headers: { cookie, 'content-type': 'application/json' },
            payload: JSON.stringify(body) ?? 'null',
          });
          requests++;
          expect(
            response.statusCode,
            `${route.method} ${route.url} with ${JSON.stringify(body)}`,
          ).toBeLessThan(500);
          if (response.statusCode >= 400)
            expect(await rowCount(), `${route.method} ${route.url} left rows`).toBe(before);
        }),
        { numRuns: 60, seed: 20261123 },
      );
    }
    expect(requests).toBeGreaterThan(1000);
  }, 600_000);

  it('answers broken JSON text with 400 problem documents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
        async (text) => {
          const response = await t.app.inject({
            method: 'POST',
            url: `/api/people/${params.personId}/outcomes`,
            headers: { cookie, 'content-type': 'application/json' },
            payload: text,
          });
          expect(response.statusCode).toBe(400);
          expect(response.headers['content-type']).toMatch(/problem\+json/);
        },
      ),
      { numRuns: 100, seed: 1 },
    );
  });

  it('sign-in never fails with 5xx, whatever it is sent', async () => {
    await fc.assert(
      fc.asyncProperty(malformed({ properties: { username: {}, password: {} } }), async (body) => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/session',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(body) ?? 'null',
        });
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 2 },
    );
  });
});

describe('NUL and control characters in any field', () => {
  const NUL = 'a\u0000b';

  it('a NUL in the path, the query or any body field of any route is refused with 4xx, never 5xx', async () => {
    let refusedNamingTheField = 0;
    for (const route of t.app.routeCatalogue) {
      const keys = Object.keys(
        (route.bodySchema as { properties?: Record<string, unknown> })?.properties ?? {},
      );
      const asked = [
        // The query string.
        { url: `${fill(route.url)}?search=${encodeURIComponent(NUL)}`, payload: undefined },
        // A path parameter, where the route has one.
        ...(route.url.includes(':')
          ? [
              {
                url: route.url
                  .replace(/:(\w+)/, encodeURIComponent(NUL))
                  .replace(/:(\w+)/g, (_, n: string) => params[n] ?? crypto.randomUUID()),
                payload: undefined,
              },
            ]
          : []),
        // Every declared body field at once, as JSON.
        ...(route.method !== 'GET' && keys.length
          ? [{ url: fill(route.url), payload: JSON.stringify(Object.fromEntries(keys.map((k) => [k, NUL]))) }]
          : []),
      ];
      for (const { url, payload } of asked) {
        const response = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers: { cookie, ...(payload ? { 'content-type': 'application/json' } : {}) },
          ...(payload ? { payload } : {}),
        });
        expect(response.statusCode, `${route.method} ${url}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${route.method} ${url}`).toBeLessThan(500);
        if (response.statusCode === 400 && response.body.includes('NUL character')) refusedNamingTheField++;
      }
    }
    expect(refusedNamingTheField).toBeGreaterThan(t.app.routeCatalogue.length / 2);
  }, 600_000);

  it('sign-in with a NUL in the username, or the caseload search, names the field', async () => {
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: NUL, password: 'x' },
    });
    expect(signIn.statusCode).toBe(400);
    expect(signIn.json().errors).toEqual([{ field: 'username', message: expect.stringContaining('NUL') }]);
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/caseload?search=%00',
      headers: { cookie },
    });
    expect(search.statusCode).toBe(400);
    expect(search.json().errors[0].field).toBe('search');
  });

  it('a return address with CR or LF after sign-in goes home instead of failing', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/sign-in?returnTo=/caseload%0d%0aSet-Cookie:%20x=y',
      headers: { cookie },
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(response.headers['set-cookie'] ?? '').not.toContain('x=y');
  });

  it('a token request that is not a form, or broken JSON, gets an OAuth error, not a fault', async () => {
    for (const [type, payload] of [
      ['application/json', '{broken'],
      ['application/json', '{"grant_type":"client_credentials"}'],
      ['application/x-www-form-urlencoded', 'grant_type=client_credentials&client_id=%00'],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': type },
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json(), payload).toMatchObject({
        error: 'invalid_request',
        error_description: expect.any(String),
      });
    }
  });
});
