import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/services/index.js';
import type { Database } from '../../src/store/database.js';
import { cookieHeader, createTestApp } from '../support/test-app.js';
import { openTestDatabase } from '../support/test-database.js';

/**
 * OpenID Connect sign-in, end to end, against a real identity provider: panva's oidc-provider on
 * 127.0.0.1 with its development login and consent pages, which these tests fill in as a browser
 * would (following redirects by hand, keeping the provider's cookies). WhatMatters runs through
 * inject; the provider redirects "the browser" to its callback URL, which is then injected.
 */

interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
}

/** Accounts at the provider, by the login typed into its sign-in form, which is also their subject. */
const ACCOUNTS: Record<string, ProviderAccount> = {
  'practitioner-1': { email: 'Practitioner@Demo', email_verified: true },
  stranger: { email: 'stranger@elsewhere.example', email_verified: true },
  unverified: { email: 'manager@demo', email_verified: false },
  'no-email': {},
  carer: { email: 'carer@demo', email_verified: true },
};

const CLIENT_ID = 'whatmatters-test';
const CLIENT_SECRET = 'a-test-client-secret-that-is-long-enough';
const REDIRECT_URI = 'http://localhost:3000/sign-in/oidc/callback';

let server: http.Server;
let issuer: string;
let database: Database;
let services: Services;
let app: FastifyInstance;

beforeAll(async () => {
  // Listen first, so the issuer URL (which names the port) is known before the provider is made.
  let handle: http.RequestListener = (_request, response) => response.end();
  server = http.createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // oidc-provider is ESM with no type declarations; a non-literal specifier keeps tsc from looking.
  const specifier = 'oidc-provider';
  const { default: Provider } = (await import(specifier)) as {
    default: new (
      issuer: string,
      configuration: Record<string, unknown>,
    ) => { callback(): http.RequestListener };
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['oidc-test-cookie-key'] },
    pkce: { required: () => true },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = ACCOUNTS[id];
      return account ? { accountId: id, claims: async () => ({ sub: id, ...account }) } : undefined;
    },
    features: { devInteractions: { enabled: true } },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
  });
  // The provider answers its own faults with a bare "server_error" page; say what they were.
  (provider as unknown as { on(event: string, fn: (ctx: unknown, err: Error) => void): void }).on(
    'server_error',
    (_ctx, err) => console.error('identity provider fault:', err),
  );
  handle = provider.callback();

  database = await openTestDatabase();
  services = createServices(database, {
    oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
  });
  await services.demoData.load({ people: 3, seed: 'oidc' });
  app = await buildApp({ services });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** A browser's cookies at the provider: name → value (paths do not matter for these tests). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

/** The first form on an HTML page: where it posts and its named inputs with their values. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the page:\n${html}`);
  const fields: Record<string, string> = {};
  for (const [input] of html.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    if (name) fields[name] = /value="([^"]*)"/.exec(input)?.[1] ?? '';
  }
  return { action: action.replaceAll('&amp;', '&'), fields };
}

/**
 * Plays the browser at the provider from the authorization URL until the provider sends it back to
 * WhatMatters: signs in as `login` on the login page, agrees on the consent page, or, with
 * `abort`, cancels at the login page. Returns the callback URL the provider redirected to.
 */
async function atProvider(authorizationUrl: string, login: string, options: { abort?: boolean } = {}) {
  const jar = new CookieJar();
  let next: { url: string; method: 'GET' | 'POST'; body?: string } = { url: authorizationUrl, method: 'GET' };
  for (let step = 0; step < 20; step++) {
    if (next.url.startsWith(REDIRECT_URI)) return new URL(next.url);
    const response = await fetch(next.url, {
      method: next.method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: next.body,
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      next = { url: new URL(location, next.url).href, method: 'GET' };
      continue;
    }
    const html = await response.text();
    expect(response.status, html).toBe(200);
    const form = formOf(html);
    if (form.fields.prompt === 'login' && options.abort) {
      next = {
        url: new URL(`${new URL(form.action, next.url).pathname.replace(/\/login$/, '')}/abort`, next.url)
          .href,
        method: 'GET',
      };
      continue;
    }
    const fields =
      form.fields.prompt === 'login' ? { ...form.fields, login, password: 'anything' } : form.fields;
    next = {
      url: new URL(form.action, next.url).href,
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
    };
  }
  throw new Error('the provider never sent the browser back');
}

/** Starts at WhatMatters, goes through the provider, and comes back to the callback. */
async function signInWithProvider(login: string, options: { returnTo?: string; abort?: boolean } = {}) {
  const start = await app.inject({
    url: `/sign-in/oidc${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ''}`,
  });
  expect(start.statusCode, start.body).toBe(303);
  const authorizationUrl = String(start.headers.location);
  expect(authorizationUrl.startsWith(`${issuer}/`)).toBe(true);
  const callback = await atProvider(authorizationUrl, login, options);
  const response = await app.inject({
    url: `${callback.pathname}${callback.search}`,
    headers: { cookie: cookieHeader(start) },
  });
  return { start, authorizationUrl: new URL(authorizationUrl), callback, response };
}

const sessionOf = (response: LightMyRequestResponse) =>
  response.cookies.find((c) => c.name === 'wm_session' && c.value)?.value ?? null;

async function account(username: string) {
  return database.db
    .selectFrom('user_account')
    .select(['user_id', 'oidc_issuer', 'oidc_subject'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
}

describe('OpenID Connect sign-in', () => {
  it('offers "Sign in with your organisation\'s account" on the sign-in page only when it is configured', async () => {
    const page = await app.inject('/sign-in');
    expect(page.body).toContain('Sign in with your organisation&#39;s account');
    expect(page.body).toContain('href="/sign-in/oidc"');

    const plain = await createTestApp();
    try {
      expect((await plain.app.inject('/sign-in')).body).not.toContain('/sign-in/oidc');
      expect((await plain.app.inject('/sign-in/oidc')).statusCode).toBe(404);
      expect((await plain.app.inject('/sign-in/oidc/callback?code=x&state=y')).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('sends the browser to the provider with the authorization code flow, PKCE, state and nonce, kept in an HttpOnly cookie', async () => {
    const start = await app.inject('/sign-in/oidc');
    const url = new URL(String(start.headers.location));
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    const cookie = start.cookies.find((c) => c.name === 'wm_oidc');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/sign-in/oidc', maxAge: 600 });
    // The PKCE verifier never leaves WhatMatters' cookie for the provider.
    const flow = JSON.parse(Buffer.from(cookie?.value ?? '', 'base64url').toString());
    expect(url.href).not.toContain(flow.codeVerifier);
  });

  it('signs in a user whose email is their username, links the identity, and gives the usual session', async () => {
    const before = await account('practitioner@demo');
    expect(before.oidc_subject).toBeNull();

    const { response } = await signInWithProvider('practitioner-1', { returnTo: '/caseload' });
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers.location).toBe('/caseload');
    const session = sessionOf(response);
    expect(session).toBeTruthy();
    expect(response.cookies.find((c) => c.name === 'wm_oidc')?.value).toBe('');

    const me = await app.inject({ url: '/api/session', headers: { cookie: `wm_session=${session}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('practitioner@demo');

    expect(await account('practitioner@demo')).toMatchObject({
      oidc_issuer: issuer,
      oidc_subject: 'practitioner-1',
    });
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'purpose', 'outcome', 'actor_user_id'])
      .where('action', 'in', ['sign-in', 'oidc-link'])
      .where('outcome', '=', 'success')
      .orderBy('audit_id', 'desc')
      .limit(2)
      .execute();
    expect(audit).toEqual([
      { action: 'sign-in', purpose: 'oidc', outcome: 'success', actor_user_id: before.user_id },
      expect.objectContaining({ action: 'oidc-link', outcome: 'success' }),
    ]);
  }, 30_000);

  it('finds the user by issuer and subject next time, even when the email has changed', async () => {
    const original = ACCOUNTS['practitioner-1'];
    ACCOUNTS['practitioner-1'] = { ...original, email: 'renamed@example.org' };
    try {
      const { response } = await signInWithProvider('practitioner-1');
      expect(response.statusCode, response.body).toBe(303);
      expect(response.headers.location).toBe('/');
      expect(sessionOf(response)).toBeTruthy();
    } finally {
      ACCOUNTS['practitioner-1'] = original as ProviderAccount;
    }
  }, 30_000);

  it('never creates an account: an unknown identity gets a clear page and no session', async () => {
    const count = async () =>
      Number(
        (
          await database.db
            .selectFrom('user_account')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const users = await count();
    const { response } = await signInWithProvider('stranger');
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Your account is not set up for WhatMatters');
    expect(response.body).toContain('not linked to a WhatMatters account');
    expect(sessionOf(response)).toBeNull();
    expect(await count()).toBe(users);
    const failure = await database.db
      .selectFrom('audit_event')
      .select(['purpose', 'outcome'])
      .where('action', '=', 'sign-in')
      .orderBy('audit_id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(failure).toEqual({ purpose: 'oidc: unknown identity', outcome: 'failure' });
  }, 30_000);

  it('does not link by an email address the provider says is unverified, nor without one', async () => {
    for (const login of ['unverified', 'no-email']) {
      const { response } = await signInWithProvider(login);
      expect(response.statusCode, login).toBe(403);
      expect(sessionOf(response), login).toBeNull();
    }
    expect((await account('manager@demo')).oidc_subject).toBeNull();
  }, 30_000);

  it('refuses a disabled account', async () => {
    await services.users.disable('carer@demo');
    const { response } = await signInWithProvider('carer');
    expect(response.statusCode).toBe(403);
    expect(sessionOf(response)).toBeNull();
  }, 30_000);

  it('says so when the person cancels at the provider', async () => {
    const { callback, response } = await signInWithProvider('practitioner-1', { abort: true });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('You were not signed in');
    expect(sessionOf(response)).toBeNull();
  }, 30_000);

  it('refuses a callback without the flow cookie, or with another flow’s state', async () => {
    const first = await signInWithProvider('practitioner-1');
    expect(first.response.statusCode).toBe(303);
    // The same code again, without the cookie: expired flow.
    const noCookie = await app.inject({ url: `${first.callback.pathname}${first.callback.search}` });
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.body).toContain('Start again from the sign-in page');

    // A callback paired with the cookie of a different flow (a login CSRF attempt).
    const victim = await app.inject('/sign-in/oidc');
    const attacker = await app.inject('/sign-in/oidc');
    const callback = await atProvider(String(attacker.headers.location), 'practitioner-1');
    const crossed = await app.inject({
      url: `${callback.pathname}${callback.search}`,
      headers: { cookie: cookieHeader(victim) },
    });
    expect(crossed.statusCode).toBe(400);
    expect(sessionOf(crossed)).toBeNull();
  }, 30_000);

  it('leaves password sign-in working beside it', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'manager@demo', password: DEMO_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
  });
});
