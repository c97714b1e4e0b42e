import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { testBackend } from '../support/test-database.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('operations endpoints', () => {
  it('GET /health answers 200 JSON', async () => {
    const response = await t.app.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('GET /ready reports the database it reached', async () => {
    const response = await t.app.inject('/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: testBackend() });
  });

  it('GET /ready answers 503 when the database has gone', async () => {
    const other = await createTestApp();
    await other.database.close();
    const response = await other.app.inject('/ready');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable' });
    await other.app.close();
  });

  it('sets security headers, with a CSP that allows no inline script', async () => {
    const response = await t.app.inject('/');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]+'/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('OpenAPI', () => {
  it('is a valid OpenAPI 3 document listing every API route', async () => {
    const response = await t.app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\./);

    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const apiRoutes = t.app.routeCatalogue.filter(
      (r) => r.url.startsWith('/api/') && r.url !== '/api/docs' && r.url !== '/api/openapi.json',
    );
    expect(apiRoutes.length).toBeGreaterThan(3);
    for (const route of apiRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(documented, `${route.method} ${path}`).toContain(`${route.method} ${path}`);
    }
  });

  it('says on each operation who may call it', async () => {
    const document = (await t.app.inject('/api/openapi.json')).json();
    for (const operations of Object.values(
      document.paths as Record<string, Record<string, { description?: string }>>,
    )) {
      for (const operation of Object.values(operations)) {
        expect(operation.description).toMatch(/Who may call this:/);
      }
    }
  });

  it('serves the API docs page', async () => {
    const response = await t.app.inject('/api/docs');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('/api/organisations');
    expect(response.body).toContain('Who may call this: Any signed-in user.');
  });
});
