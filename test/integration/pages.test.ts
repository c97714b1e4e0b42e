import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { csrfFrom, type FormFields, postForm, submitForm } from '../support/forms.js';
import { cookieHeader, createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
});
afterAll(() => t?.close());

/** GET the sign-in page and return its CSRF token and the cookie that pairs with it. */
const signInForm = async () => csrfFrom(await t.app.inject('/sign-in'));

/** Signs in with the form, carrying the sign-in page's CSRF token and cookie. */
const submitSignIn = (fields: FormFields) =>
  submitForm(t.app, { pageUrl: '/sign-in', action: '/sign-in', fields });

describe('pages', () => {
  it('the home page explains the service and offers sign-in', async () => {
    const response = await t.app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('nhsuk-header');
    expect(response.body).toContain('href="/sign-in"');
    // Titled by the service's name once; other pages as "Page – WhatMatters".
    expect(response.body).toMatch(/<title>\s*WhatMatters\s*<\/title>/);
  });

  it('the sign-in page of a demo database lists the demo accounts and password', async () => {
    const response = await t.app.inject('/sign-in');
    expect(response.body).toContain('practitioner@demo');
    expect(response.body).toContain(DEMO_PASSWORD);
  });

  it('the sign-in page of a real database shows no demo accounts', async () => {
    const other = await (await import('../support/test-app.js')).createTestApp();
    const response = await other.app.inject('/sign-in');
    expect(response.body).not.toContain('practitioner@demo');
    await other.close();
  });

  it('a signed-in page sends anonymous visitors to sign in and back', async () => {
    const response = await t.app.inject('/organisations');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Forganisations');
  });

  it('signs in with the form, returning to the page asked for', async () => {
    const response = await submitSignIn({
      username: 'admin@demo',
      password: DEMO_PASSWORD,
      returnTo: '/organisations',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/organisations');
    const page = await t.app.inject({ url: '/organisations', headers: { cookie: cookieHeader(response) } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Organisations and teams');
  });

  it('never redirects off-site after sign-in', async () => {
    const response = await submitSignIn({
      username: 'admin@demo',
      password: DEMO_PASSWORD,
      returnTo: '//evil.example/',
    });
    expect(response.headers.location).toBe('/');
  });

  it('shows field errors in an error summary', async () => {
    const response = await submitSignIn({ username: '', password: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('Enter your username');
    expect(response.body).toContain('Enter your password');
    expect(response.body).toContain('<title>Error: Sign in');
  });

  it('refuses a form post without a CSRF token', async () => {
    const response = await postForm(t.app, {
      url: '/sign-in',
      fields: { username: 'admin@demo', password: DEMO_PASSWORD },
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('This form has expired');
    expect(response.cookies.find((c) => c.name === 'wm_session')).toBeUndefined();
  });

  it('refuses a form post with a token from another session', async () => {
    const first = await signInForm();
    const second = await signInForm();
    const response = await postForm(t.app, {
      url: '/sign-in',
      fields: { _csrf: `${first.token}x`, username: 'admin@demo', password: DEMO_PASSWORD },
      cookie: second.cookie,
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses a token and its cookie taken from one signed-in session when sent with another', async () => {
    const alice = await signIn(t.app, 'person@demo');
    const bob = await signIn(t.app, 'practitioner@demo');
    const page = await t.app.inject({ url: '/', headers: { cookie: alice } });
    const pair = csrfFrom(page);
    // The pair works in the session it was issued in…
    const own = await postForm(t.app, {
      url: '/sign-out',
      fields: { _csrf: pair.token },
      cookie: `${alice}; ${pair.cookie}`,
    });
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('This form has expired');
    // …and is refused in anyone else's.
    const other = await postForm(t.app, {
      url: '/sign-out',
      fields: { _csrf: pair.token },
      cookie: `${bob}; ${pair.cookie}`,
    });
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('This form has expired');
  });

  it('signs out with the header form', async () => {
    const cookie = await signIn(t.app, 'person@demo');
    const response = await submitForm(t.app, {
      session: cookie,
      pageUrl: '/',
      action: '/sign-out',
      fields: {},
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You have signed out');
    const after = await t.app.inject({ url: '/api/session', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('serves the stylesheet and the NHS.UK script locally', async () => {
    const css = await t.app.inject('/assets/app.css');
    expect(css.statusCode).toBe(200);
    expect(css.body).toContain('.nhsuk-header');
    expect(css.body).not.toContain('assets.nhs.uk');
    const js = await t.app.inject('/assets/nhsuk-frontend.min.js');
    expect(js.statusCode).toBe(200);
    const icon = await t.app.inject('/assets/images/favicon.svg');
    expect(icon.statusCode).toBe(200);
    // Asked for by browsers whatever the page links to.
    const favicon = await t.app.inject('/favicon.ico');
    expect(favicon.statusCode).toBe(200);
    expect(favicon.headers['content-type']).toMatch(/^image\//);
  });
});
