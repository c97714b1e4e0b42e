import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { MAX_FAILED_SIGN_INS, SIGN_IN_FAILED_MESSAGE } from '../../src/features/auth/auth-service.js';
import { cookieHeader, createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoPeople: 20 });
});
afterAll(() => t?.close());

describe('sign-in through the API', () => {
  it('refuses a wrong password with a problem document naming the field', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'practitioner@demo', password: 'wrong' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 401, errors: [{ field: 'username' }] });
    expect(response.cookies).toEqual([]);
  });

  it('refuses an unknown user with the same answer', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nobody@demo', password: 'wrong' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toBe(SIGN_IN_FAILED_MESSAGE);
  });

  it('signs in, says who is signed in, and signs out', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'Practitioner@demo ', password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const session = login.cookies.find((c) => c.name === 'wm_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(login.json()).toMatchObject({ username: 'practitioner@demo' });
    expect(login.json().roles[0]).toMatchObject({ role: 'practitioner' });

    const cookie = cookieHeader(login);
    const me = await t.app.inject({ url: '/api/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('practitioner@demo');

    const out = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/session', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('keeps only a hash of the session secret', async () => {
    const cookie = await signIn(t.app, 'admin@demo');
    const token = cookie.split('=')[1] ?? '';
    const rows = await t.database.db.selectFrom('user_session').select('session_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.session_hash)).not.toContain(token);
  });

  it('locks an account after repeated failures, even for the right password, without saying so', async () => {
    const attempts = Array.from({ length: MAX_FAILED_SIGN_INS }, () =>
      t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'analyst@demo', password: 'no' },
      }),
    );
    await Promise.all(attempts); // simultaneous attempts all count
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'analyst@demo', password: DEMO_PASSWORD },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toBe(SIGN_IN_FAILED_MESSAGE);
  });

  it('unlocks after the lockout, counting afresh', async () => {
    await t.database.db
      .updateTable('user_account')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('username', '=', 'analyst@demo')
      .execute();
    await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'analyst@demo', password: 'no' },
    });
    const account = await t.database.db
      .selectFrom('user_account')
      .select(['failed_sign_ins', 'locked_until'])
      .where('username', '=', 'analyst@demo')
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ failed_sign_ins: 1, locked_until: null });
    await expect(signIn(t.app, 'analyst@demo')).resolves.toContain('wm_session=');
  });

  it('audits failed sign-ins with the reason', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'ghost@demo', password: 'x' },
    });
    const event = await t.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('outcome', '=', 'failure')
      .orderBy('audit_id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: 'sign-in', purpose: 'unknown username', actor_user_id: null });
    expect(event.ip).toBeTruthy();
  });

  it('audits sign-in', async () => {
    await signIn(t.app, 'commissioner@demo');
    const events = await t.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'sign-in')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ resource_type: 'session', outcome: 'success' });
  });
});

describe('access rules on API routes', () => {
  it('answers 401 to anonymous callers of signed-in routes', async () => {
    const response = await t.app.inject('/api/organisations');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('lists organisations of every kind, with teams, to a signed-in user', async () => {
    const cookie = await signIn(t.app, 'person@demo');
    const response = await t.app.inject({ url: '/api/organisations', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    const kinds = new Set(response.json().map((o: { kind: string }) => o.kind));
    expect(kinds).toEqual(
      new Set([
        'nhs-trust',
        'gp-practice',
        'council-adult-social-care',
        'housing-association',
        'voluntary-community',
        'commissioner',
      ]),
    );
  });

  it('refuses to build an app with a route that declares no access rule', async () => {
    const { buildApp } = await import('../../src/http/app.js');
    const app = await buildApp({ services: t.services });
    await expect(async () => {
      app.get('/api/undeclared', async () => ({}));
      await app.ready();
    }).rejects.toThrow(/declares no access rule/);
    await app.close().catch(() => {});
  });
});
