import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createServices } from '../../src/services/index.js';
import { runCli } from '../support/cli.js';
import { type CliDatabase, createCliDatabase } from '../support/cli-database.js';
import { submitForm } from '../support/forms.js';
import { cookieHeader, createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Identity: changing a password and signing out everywhere (pages), the `user` and `client` commands,
 * OAuth 2 client credentials and bearer tokens on routes that opt in with a scope, and rate limits.
 * OpenID Connect sign-in is in oidc.test.ts.
 */
let t: TestApp;
const as = (cookie: string) => ({ headers: { cookie } });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const whoAmI = (app: FastifyInstance, cookie: string) => app.inject({ url: '/api/session', ...as(cookie) });

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
});
afterAll(() => t?.close());

async function auditRows(action: string) {
  return t.database.db
    .selectFrom('audit_event')
    .select(['actor_user_id', 'resource_id', 'purpose', 'outcome'])
    .where('action', '=', action)
    .orderBy('audit_id')
    .execute();
}

describe('the account page', () => {
  it('links to changing the password and offers to sign out everywhere', async () => {
    const page = await t.app.inject({ url: '/account', ...as(await signIn(t.app, 'carer@demo')) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/account/password"');
    expect(page.body).toContain('action="/account/sign-out-everywhere"');
    expect(page.body).toContain('Sign out everywhere');
  });

  it('sends anonymous visitors to sign in first', async () => {
    const response = await t.app.inject('/account/password');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Faccount%2Fpassword');
  });
});

describe('changing your password', () => {
  const NEW_PASSWORD = 'gravel lantern otter';
  const change = (session: string, fields: Record<string, string>) =>
    submitForm(t.app, { session, pageUrl: '/account/password', action: '/account/password', fields });

  it('refuses a wrong current password, in the error summary, and counts it towards the lockout', async () => {
    const session = await signIn(t.app, 'commissioner@demo');
    const response = await change(session, { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('href="#currentPassword"');
    expect(response.body).toContain('Your current password is not right');
    expect(response.body).toMatch(/<title>Error: Change your password/);
    const account = await t.database.db
      .selectFrom('user_account')
      .select('failed_sign_ins')
      .where('username', '=', 'commissioner@demo')
      .executeTakeFirstOrThrow();
    expect(account.failed_sign_ins).toBe(1);
    expect((await auditRows('change-password')).at(-1)).toMatchObject({
      outcome: 'failure',
      purpose: 'wrong current password',
    });
    // The old password still works.
    await expect(signIn(t.app, 'commissioner@demo')).resolves.toContain('wm_session=');
  });

  it.each([
    ['too short', 'short one', /at least 10 characters long/],
    ['common', 'qwertyuiop', /most commonly used passwords/],
    ['containing the username', 'commissioner@demo rules', /must not contain your username/],
    ['containing the service name', 'I love WhatMatters', /must not contain the name of this service/],
  ])('refuses a new password %s, saying why in plain words', async (_what, newPassword, message) => {
    const session = await signIn(t.app, 'commissioner@demo');
    const response = await change(session, { currentPassword: 'whatmatters-demo', newPassword });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#newPassword"');
    expect(response.body).toMatch(message);
  });

  it('asks for both passwords when they are missing', async () => {
    const session = await signIn(t.app, 'commissioner@demo');
    const response = await change(session, { currentPassword: '', newPassword: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter your current password');
    expect(response.body).toContain('Enter a new password');
  });

  it('changes it, keeps this session, and signs out every other session', async () => {
    const here = await signIn(t.app, 'manager@demo');
    const elsewhere = await signIn(t.app, 'manager@demo');
    const response = await change(here, { currentPassword: 'whatmatters-demo', newPassword: NEW_PASSWORD });
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers.location).toBe('/account?changed=password');

    expect((await whoAmI(t.app, here)).statusCode).toBe(200);
    expect((await whoAmI(t.app, elsewhere)).statusCode).toBe(401);
    const confirmation = await t.app.inject({ url: '/account?changed=password', ...as(here) });
    expect(confirmation.body).toContain('Your password has been changed');

    await expect(signIn(t.app, 'manager@demo')).rejects.toThrow(/sign-in as manager@demo failed/);
    await expect(signIn(t.app, 'manager@demo', NEW_PASSWORD)).resolves.toContain('wm_session=');
    const rows = await auditRows('change-password');
    expect(rows.at(-1)).toMatchObject({ outcome: 'success' });
  });

  it('refuses the same password again', async () => {
    const session = await signIn(t.app, 'manager@demo', NEW_PASSWORD);
    const response = await change(session, { currentPassword: NEW_PASSWORD, newPassword: NEW_PASSWORD });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('must be different from your current password');
  });

  it('needs the CSRF token', async () => {
    const session = await signIn(t.app, 'manager@demo', NEW_PASSWORD);
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/password',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `currentPassword=${encodeURIComponent(NEW_PASSWORD)}&newPassword=another+long+password`,
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('signing out everywhere', () => {
  it('ends every session of the user, this one too, and no one else’s', async () => {
    const here = await signIn(t.app, 'analyst@demo');
    const phone = await signIn(t.app, 'analyst@demo');
    const someoneElse = await signIn(t.app, 'admin@demo');
    const response = await submitForm(t.app, {
      session: here,
      pageUrl: '/account',
      action: '/account/sign-out-everywhere',
      fields: {},
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You have signed out everywhere');
    expect(response.cookies.find((c) => c.name === 'wm_session')?.value).toBe('');
    expect((await whoAmI(t.app, here)).statusCode).toBe(401);
    expect((await whoAmI(t.app, phone)).statusCode).toBe(401);
    expect((await whoAmI(t.app, someoneElse)).statusCode).toBe(200);
    expect((await auditRows('sign-out-everywhere')).at(-1)).toMatchObject({ purpose: '2 sessions ended' });
  });
});

describe('OAuth 2 client credentials and bearer tokens', () => {
  let secret: string;
  let narrowSecret: string;

  beforeAll(async () => {
    ({ secret } = await t.services.apiClients.add({
      clientId: 'directory-sync',
      name: 'Directory sync',
      scopes: ['directory:read', 'frameworks:read'],
    }));
    ({ secret: narrowSecret } = await t.services.apiClients.add({
      clientId: 'narrow',
      name: 'Directory only',
      scopes: ['directory:read'],
    }));
  });

  const basic = (id: string, password: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(password)}`).toString('base64')}`;
  const tokenRequest = (body: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: body,
    });
  const getToken = async (id = 'directory-sync', password = secret, scope?: string) => {
    const response = await tokenRequest(
      `grant_type=client_credentials${scope ? `&scope=${encodeURIComponent(scope)}` : ''}`,
      { authorization: basic(id, password) },
    );
    expect(response.statusCode, response.body).toBe(200);
    return response.json().access_token as string;
  };

  it('issues an hour-long token for HTTP Basic credentials, never cached, with no CSRF token or cookie', async () => {
    const response = await tokenRequest('grant_type=client_credentials', {
      authorization: basic('directory-sync', secret),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'directory:read frameworks:read',
    });
    const stored = await t.database.db.selectFrom('api_token').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(body.access_token);
    expect(stored.map((r) => r.token_hash).join()).not.toContain(body.access_token);
  });

  it('takes the credentials in the body too, and a subset of the scopes', async () => {
    const response = await tokenRequest(
      `grant_type=client_credentials&client_id=directory-sync&client_secret=${encodeURIComponent(secret)}&scope=frameworks%3Aread`,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().scope).toBe('frameworks:read');
  });

  it('answers a wrong secret with 401 invalid_client (RFC 6749 section 5.2), and audits it', async () => {
    const response = await tokenRequest('grant_type=client_credentials', {
      authorization: basic('directory-sync', `${secret}x`),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="WhatMatters"/);
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    const unknown = await tokenRequest('grant_type=client_credentials', {
      authorization: basic('nobody', secret),
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toBe('invalid_client');
    expect(
      (await auditRows('token-issue')).filter((r) => r.outcome === 'failure').map((r) => r.purpose),
    ).toEqual(expect.arrayContaining(['wrong secret', 'unknown client']));
  });

  it.each([
    ['no grant type', 'client_id=narrow', 400, 'invalid_request'],
    ['another grant type', 'grant_type=password&username=a&password=b', 400, 'unsupported_grant_type'],
    [
      'a scope the client lacks',
      'grant_type=client_credentials&scope=frameworks%3Aread',
      400,
      'invalid_scope',
    ],
    [
      'a repeated parameter',
      'grant_type=client_credentials&grant_type=client_credentials',
      400,
      'invalid_request',
    ],
    ['no client authentication', 'grant_type=client_credentials', 401, 'invalid_client'],
  ])('answers %s with the RFC 6749 error', async (_what, body, status, error) => {
    const response = await tokenRequest(
      body,
      body.includes('scope') || body.includes('grant_type=client_credentials&grant_type')
        ? { authorization: basic('narrow', narrowSecret) }
        : {},
    );
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().error).toBe(error);
  });

  it('answers a JSON token request with invalid_request', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: { grant_type: 'client_credentials', client_id: 'narrow', client_secret: narrowSecret },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('lets a token call a route that opts in with its scope, as no user', async () => {
    const token = await getToken();
    const organisations = await t.app.inject({ url: '/api/organisations', ...bearer(token) });
    expect(organisations.statusCode, organisations.body).toBe(200);
    expect(organisations.json().length).toBeGreaterThan(0);
    const frameworks = await t.app.inject({ url: '/api/frameworks', ...bearer(token) });
    expect(frameworks.statusCode, frameworks.body).toBe(200);
  });

  it('refuses a token on a route its scopes do not open, with 403 insufficient_scope', async () => {
    const narrowToken = await getToken('narrow', narrowSecret);
    const frameworks = await t.app.inject({ url: '/api/frameworks', ...bearer(narrowToken) });
    expect(frameworks.statusCode).toBe(403);
    expect(frameworks.headers['www-authenticate']).toBe(
      'Bearer realm="WhatMatters", error="insufficient_scope", scope="frameworks:read"',
    );
    expect(frameworks.headers['content-type']).toMatch(/^application\/problem\+json/);

    const subset = await getToken('directory-sync', secret, 'directory:read');
    expect((await t.app.inject({ url: '/api/frameworks', ...bearer(subset) })).statusCode).toBe(403);
  });

  it('refuses a token on every route that has not opted in, even with a session cookie beside it', async () => {
    const token = await getToken();
    const session = await signIn(t.app, 'practitioner@demo');
    for (const url of ['/api/caseload', '/api/session', '/account', '/caseload']) {
      const response = await t.app.inject({
        url,
        headers: { authorization: `Bearer ${token}`, cookie: session },
      });
      expect(response.statusCode, url).toBe(403);
      expect(response.headers['www-authenticate'], url).toMatch(/error="insufficient_scope"$/);
    }
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/frameworks',
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    expect(write.statusCode).toBe(403);
  });

  it('still lets signed-in users read the same routes with their session', async () => {
    const session = await signIn(t.app, 'person@demo');
    expect((await t.app.inject({ url: '/api/organisations', ...as(session) })).statusCode).toBe(200);
    expect((await t.app.inject('/api/organisations')).statusCode).toBe(401);
  });

  it('answers an expired, unknown or malformed token with 401 invalid_token', async () => {
    const token = await getToken();
    await t.database.db
      .updateTable('api_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('client_id', '=', 'directory-sync')
      .execute();
    for (const value of [token, 'not-a-token', '']) {
      const response = await t.app.inject({
        url: '/api/organisations',
        headers: { authorization: `Bearer ${value}` },
      });
      expect(response.statusCode, value).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer realm="WhatMatters", error="invalid_token"/,
      );
    }
  });

  it('ignores tokens on public routes', async () => {
    const response = await t.app.inject({ url: '/health', headers: { authorization: 'Bearer nonsense' } });
    expect(response.statusCode).toBe(200);
  });

  it('revokes the tokens of a disabled client', async () => {
    const token = await getToken('narrow', narrowSecret);
    expect((await t.app.inject({ url: '/api/organisations', ...bearer(token) })).statusCode).toBe(200);
    await t.services.apiClients.disable('narrow');
    expect((await t.app.inject({ url: '/api/organisations', ...bearer(token) })).statusCode).toBe(401);
    const again = await tokenRequest('grant_type=client_credentials', {
      authorization: basic('narrow', narrowSecret),
    });
    expect(again.statusCode).toBe(401);
  });

  it('lists the scopes of each route in the route catalogue', () => {
    const scoped = t.app.routeCatalogue.filter((r) => r.scopes.length > 0 && !r.url.startsWith('/fhir/'));
    expect(scoped.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /api/frameworks',
      'GET /api/organisations',
      'POST /api/audit/verification',
      'POST /api/community/resources',
      'PUT /api/community/resources/:resourceId',
    ]);
    // Every FHIR route but the public CapabilityStatement is open to system clients with SMART scopes.
    const fhir = t.app.routeCatalogue.filter((r) => r.url.startsWith('/fhir/') && r.access !== 'public');
    expect(fhir.length).toBeGreaterThan(0);
    for (const route of fhir)
      expect(
        route.scopes.every((s) => s.startsWith('system/')),
        route.url,
      ).toBe(true);
    for (const route of fhir) expect(route.scopes.length, route.url).toBeGreaterThan(0);
  });
});

describe('rate limits', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({
      rateLimits: { signIn: { max: 3, windowMs: 60_000 }, token: { max: 2, windowMs: 60_000 } },
    });
  });
  afterAll(() => limited?.close());

  it('answers sign-in attempts beyond the limit with 429: problem+json for the API, a page for the form', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await limited.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'nobody@example.org', password: 'wrong' },
      });
      expect(response.statusCode).toBe(401);
    }
    const refused = await limited.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nobody@example.org', password: 'wrong' },
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });

    // The sign-in form shares the budget.
    const signInPage = await limited.app.inject('/sign-in');
    expect(signInPage.statusCode).toBe(200);
    const form = await limited.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(signInPage) },
      payload: 'username=a&password=b',
    });
    expect(form.statusCode).toBe(429);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.body).toContain('Too many attempts to sign in');
    expect(form.body).toContain('href="/sign-in"');
  });

  it('limits token requests separately', async () => {
    const attempt = () =>
      limited.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials&client_id=x&client_secret=y',
      });
    expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(401);
    const refused = await attempt();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('has production defaults of 10 sign-ins and 30 token requests a minute', async () => {
    const database = t.database;
    const app = await buildApp({ services: createServices(database) });
    await app.ready();
    try {
      let last = 0;
      for (let i = 0; i < 11; i++) {
        last = (
          await app.inject({
            method: 'POST',
            url: '/api/session',
            payload: { username: 'x@y.z', password: 'no' },
          })
        ).statusCode;
        if (i < 10) expect(last).toBe(401);
      }
      expect(last).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('whatmatters user and client commands', () => {
  let cli: CliDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await createCliDatabase('identity');
    env = cli.env;
  });
  afterAll(() => cli?.cleanup());

  /** The CLI's database as the server would see it (for PGlite, only while no CLI process has it). */
  async function withApp(run: (app: FastifyInstance) => Promise<void>) {
    const database = await cli.open();
    const app = await buildApp({ services: createServices(database) });
    try {
      await run(app);
    } finally {
      await app.close();
      await database.close();
    }
  }

  it('makes the first administrator of a new, empty database, with the password from WM_NEW_PASSWORD', async () => {
    const result = await runCli(
      ['user', 'add', '--username', 'Admin@Example.NHS.uk', '--name', 'Ada Admin', '--role', 'admin'],
      { env: { ...env, WM_NEW_PASSWORD: 'copper kettle meadow' } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Added user admin@example\.nhs\.uk \(admin\), id [0-9a-f-]{36}\.\n$/);
    expect(result.stdout + result.stderr).not.toContain('copper kettle meadow');
    await withApp(async (app) => {
      const session = await signIn(app, 'admin@example.nhs.uk', 'copper kettle meadow');
      const me = (await whoAmI(app, session)).json();
      expect(me).toMatchObject({ displayName: 'Ada Admin', roles: [{ role: 'admin' }] });
    });
  }, 60_000);

  it('reads the password from stdin when the variable is not set, and gives staff their organisation and team', async () => {
    let organisationId = '';
    let teamId = '';
    // An organisation and team to belong to.
    {
      const database = await cli.open();
      try {
        organisationId = randomUUID();
        teamId = randomUUID();
        await database.db
          .insertInto('organisation')
          .values({
            organisation_id: organisationId,
            kind: 'council-adult-social-care',
            name: 'Test Council',
            ods_code: null,
          })
          .execute();
        await database.db
          .insertInto('team')
          .values({ team_id: teamId, organisation_id: organisationId, name: 'Test Team' })
          .execute();
      } finally {
        await database.close();
      }
    }
    const result = await runCli(
      [
        'user',
        'add',
        '--username',
        'sam@council.example',
        '--name',
        'Sam Social',
        '--role',
        'practitioner',
        '--organisation-id',
        organisationId,
        '--team-id',
        teamId,
      ],
      { env: { ...env, WM_NEW_PASSWORD: '' }, stdin: 'pebble harbour violet\n' },
    );
    expect(result.code, result.stderr).toBe(0);
    await withApp(async (app) => {
      const me = (
        await whoAmI(app, await signIn(app, 'sam@council.example', 'pebble harbour violet'))
      ).json();
      expect(me.roles).toEqual([
        expect.objectContaining({ role: 'practitioner', organisationId, teamId, teamName: 'Test Team' }),
      ]);
    });
  }, 60_000);

  it.each([
    ['a weak password', ['--role', 'admin'], 'password123', /most commonly used passwords/],
    ['a short password', ['--role', 'admin'], 'short', /at least 10 characters/],
    ['an unknown role', ['--role', 'overlord'], 'copper kettle meadow', /--role must be one of/],
    [
      'a practitioner without an organisation',
      ['--role', 'practitioner'],
      'copper kettle meadow',
      /organisation/,
    ],
  ])(
    'refuses %s with exit 2 and one clear message',
    async (_what, extra, password, message) => {
      const result = await runCli(
        ['user', 'add', '--username', 'weak@example.org', '--name', 'W', ...extra],
        {
          env: { ...env, WM_NEW_PASSWORD: password },
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    },
    60_000,
  );

  it('refuses a username that exists (exit 1) and a missing password (exit 2)', async () => {
    const again = await runCli(
      ['user', 'add', '--username', 'admin@example.nhs.uk', '--name', 'Again', '--role', 'admin'],
      { env: { ...env, WM_NEW_PASSWORD: 'copper kettle meadow' } },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already a user admin@example\.nhs\.uk/);
    const none = await runCli(
      ['user', 'add', '--username', 'x@example.org', '--name', 'X', '--role', 'admin'],
      {
        env: { ...env, WM_NEW_PASSWORD: '' },
        stdin: '',
      },
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/WM_NEW_PASSWORD or on stdin/);
  }, 60_000);

  it('disables a user, who can then no longer sign in', async () => {
    const result = await runCli(['user', 'disable', '--username', 'sam@council.example'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Disabled user sam@council\.example/);
    await withApp(async (app) => {
      await expect(signIn(app, 'sam@council.example', 'pebble harbour violet')).rejects.toThrow(/failed/);
    });
    const unknown = await runCli(['user', 'disable', '--username', 'nobody@example.org'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/User nobody@example\.org was not found/);
  }, 60_000);

  it('adds an API client, printing its secret once, and the secret gets a token', async () => {
    const result = await runCli(
      [
        'client',
        'add',
        '--id',
        'reporting',
        '--name',
        'Reporting',
        '--scopes',
        'directory:read,frameworks:read',
      ],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    const secret = /^client_secret: (\S+)$/m.exec(result.stdout)?.[1] ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).toMatch(/cannot be shown again/);
    await withApp(async (app) => {
      const stored = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=reporting&client_secret=${secret}`,
      });
      expect(stored.statusCode, stored.body).toBe(200);
    });
    const bad = await runCli(['client', 'add', '--id', 'x-two', '--name', 'X', '--scopes', 'people:write'], {
      env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown scope "people:write"/);
  }, 60_000);

  it('explains itself with --help', async () => {
    const user = await runCli(['user', '--help']);
    expect(user.stdout).toMatch(/user add --username U --name N --role R/);
    expect(user.stdout).toMatch(/WM_NEW_PASSWORD/);
    const client = await runCli(['client', '--help']);
    expect(client.stdout).toMatch(/client add --id ID --name N --scopes a,b/);
  });
});
