import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/http/app.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
  cookie = await signIn(t.app, 'practitioner@demo');
});
afterAll(() => t?.close());

const expectProblem = (
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) => {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return JSON.parse(response.body) as {
    title: string;
    detail: string;
    errors?: { field: string; message: string }[];
  };
};

describe('bad input gets a clear, specific problem document', () => {
  it('malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expectProblem(response, 400);
  });

  it('a missing field is named', async () => {
    const problem = expectProblem(
      await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'a@b' } }),
      400,
    );
    expect(problem.errors).toContainEqual({ field: 'body.password', message: 'is required' });
  });

  it('an unknown field is named, not silently dropped', async () => {
    const problem = expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'a@b', password: 'x', admin: true },
      }),
      400,
    );
    expect(problem.errors).toContainEqual({ field: 'body.admin', message: 'is not a recognised field' });
  });

  it('a wrong type is named', async () => {
    const problem = expectProblem(
      await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 5, password: 'x' } }),
      400,
    );
    expect(problem.errors?.[0]?.field).toBe('body.username');
  });

  it('a body over the size limit is refused with 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x'.repeat(BODY_LIMIT_BYTES), password: 'y' }),
    });
    expectProblem(response, 413);
  });

  it('an unsupported media type is refused with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'text/plain' },
      payload: 'username=a',
    });
    expectProblem(response, 415);
  });

  it('an unknown API path is a 404 problem', async () => {
    const problem = expectProblem(await t.app.inject('/api/no-such-thing'), 404);
    expect(problem.detail).toContain('/api/no-such-thing');
  });

  it('an unknown page is a 404 page for browsers', async () => {
    const response = await t.app.inject({ url: '/no-such-page', headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Page not found');
  });

  it('calc methods validate their input and name the field at fault', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/calc/nhs-number',
      headers: { cookie },
      payload: { nhsNumber: '943 476 5919' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ valid: true, normalised: '9434765919', formatted: '943 476 5919' });

    const impossible = expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/calc/age',
        headers: { cookie },
        payload: { dateOfBirth: '1950-02-30', on: '2026-01-01' },
      }),
      422,
    );
    expect(impossible.detail).toMatch(/date/i);
  });

  it('an unexpected fault answers 500 without its details', async () => {
    const { buildApp } = await import('../../src/http/app.js');
    const app = await buildApp({ services: t.services });
    app.get('/api/explode', { config: { access: 'public' } }, async () => {
      throw new Error('secret internal detail: relation "x" does not exist');
    });
    const problem = expectProblem(await app.inject('/api/explode'), 500);
    expect(JSON.stringify(problem)).not.toContain('secret internal detail');
    await app.close();
  });
});

describe('answers with personal data are never kept by a browser or proxy', () => {
  it('pages and API answers say no-store; the stylesheet and scripts keep their own caching', async () => {
    const caseload = await t.app.inject({ method: 'GET', url: '/api/caseload', headers: { cookie } });
    const personId = caseload.json().entries[0].personId;
    for (const url of [
      '/api/caseload',
      `/api/people/${personId}`,
      `/people/${personId}`,
      '/caseload',
      '/my',
    ]) {
      const response = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
    const refused = await t.app.inject({ method: 'GET', url: '/api/people/not-a-uuid', headers: { cookie } });
    expect(refused.headers['cache-control']).toBe('no-store');
    const css = await t.app.inject({ method: 'GET', url: '/assets/app.css' });
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
  });
});

describe('a request built to make the server work hard gets a small, quick refusal', () => {
  it('tens of thousands of items or unknown fields: refused before validation, the answer stays small', async () => {
    const items = JSON.stringify({ statement: 'x', domainIds: Array.from({ length: 45_000 }, () => 7) });
    const unknown = JSON.stringify(
      Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`f${i}`, 1])),
    );
    const caseload = await t.app.inject({ method: 'GET', url: '/api/caseload', headers: { cookie } });
    const personId = caseload.json().entries[0].personId;
    for (const [url, payload, headers] of [
      [`/api/people/${personId}/outcomes`, items, { cookie }],
      ['/api/session', unknown, {}],
      ['/api/calc/age', unknown, { cookie }],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.body.length, url).toBeLessThan(2_000);
      expect(response.json().detail, url).toMatch(/more than 10,000 fields and items/);
    }
  });

  it('a body under the bound with every item wrong lists a handful of errors and how many more', async () => {
    const payload = JSON.stringify({ scores: Array.from({ length: 5_000 }, () => 'not a number') });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/calc/gas',
      headers: { cookie, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.errors.length).toBeLessThanOrEqual(10);
    expect(body.detail).toMatch(/and \d+ more$/);
    expect(response.body.length).toBeLessThan(3_000);
  });
});
