import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import {
  AuthService,
  hashToken,
  MAX_FAILED_SIGN_INS,
  SIGN_IN_FAILED_MESSAGE,
} from '../../src/features/auth/auth-service.js';
import { SESSION_CACHE_TTL_MS, SessionCache } from '../../src/features/auth/session-cache.js';
import { UserAccountService } from '../../src/features/auth/user-accounts.js';
import { countQueries } from '../../src/store/database.js';
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

describe('resolving a session', () => {
  const origin = { ip: '127.0.0.1', userAgent: 'test' };
  const minutes = (n: number) => n * 60 * 1000;
  let clockMs = Date.parse('2026-06-01T09:00:00Z');
  const clock = () => new Date(clockMs);
  const at = (ms: number) => {
    clockMs = ms;
  };

  /** An AuthService on the test database with a clock the test moves, and its own session cache. */
  function authWithClock(cache = new SessionCache()) {
    return {
      cache,
      auth: new AuthService(t.database.db, t.services.audit, cache, clock),
      users: new UserAccountService(t.database.db, t.services.audit, cache),
    };
  }

  let accounts = 0;
  /** A fresh account, so disabling or changing it leaves the demo accounts alone. */
  async function newAccount(users: UserAccountService) {
    accounts++;
    const username = `session-${accounts}@example.org`;
    await users.add({ username, displayName: 'Sam Session', role: 'admin', password: ACCOUNT_PASSWORD });
    return username;
  }
  const ACCOUNT_PASSWORD = 'copper kettle meadow';

  const lastSeen = async (token: string) =>
    (
      await t.database.db
        .selectFrom('user_session')
        .select('last_seen_at')
        .where('session_hash', '=', hashToken(token))
        .executeTakeFirst()
    )?.last_seen_at ?? null;

  it('answers a repeated request from the cache, without a query', async () => {
    const { auth } = authWithClock();
    const start = clockMs;
    const signedIn = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    for (const seconds of [1, 5, 20]) {
      at(start + seconds * 1000);
      const { result, queries } = await countQueries(() => auth.actorForSession(signedIn.token, '10.0.0.1'));
      expect(queries).toBe(0);
      expect(result).toMatchObject({ username: 'practitioner@demo', ip: '10.0.0.1' });
      expect(result?.roles[0]).toMatchObject({ role: 'practitioner' });
    }
  });

  it('writes the last use at most once a minute, not on every request', async () => {
    const { auth } = authWithClock();
    const start = clockMs;
    const signedIn = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    for (const seconds of [10, 30, 45, 59]) {
      at(start + seconds * 1000);
      expect(await auth.actorForSession(signedIn.token, null)).not.toBeNull();
    }
    expect(await lastSeen(signedIn.token)).toEqual(new Date(start));
    at(start + minutes(1) + 1000);
    expect(await auth.actorForSession(signedIn.token, null)).not.toBeNull();
    expect(await lastSeen(signedIn.token)).toEqual(new Date(start + minutes(1) + 1000));
  });

  it('ends a session after two hours without use, but not while it is used', async () => {
    const { auth } = authWithClock();
    const start = clockMs;
    const signedIn = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    at(start + minutes(119));
    expect(await auth.actorForSession(signedIn.token, null)).not.toBeNull();
    at(start + minutes(119 + 119));
    expect(await auth.actorForSession(signedIn.token, null)).not.toBeNull();
    at(start + minutes(119 + 119 + 121));
    expect(await auth.actorForSession(signedIn.token, null)).toBeNull();
    expect(await lastSeen(signedIn.token)).toBeNull();
  });

  it('ends an idle session even when the cache still holds it', async () => {
    const { auth } = authWithClock(new SessionCache(24 * 60 * minutes(1)));
    const start = clockMs;
    const signedIn = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    at(start + minutes(121));
    expect(await auth.actorForSession(signedIn.token, null)).toBeNull();
    expect(await lastSeen(signedIn.token)).toBeNull();
  });

  it('keeps a session that another server used, although this one holds an idle copy', async () => {
    const { auth } = authWithClock(new SessionCache(24 * 60 * minutes(1)));
    const start = clockMs;
    const signedIn = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    await t.database.db
      .updateTable('user_session')
      .set({ last_seen_at: new Date(start + minutes(100)) })
      .where('session_hash', '=', hashToken(signedIn.token))
      .execute();
    at(start + minutes(121));
    expect(await auth.actorForSession(signedIn.token, null)).not.toBeNull();
  });

  it('ends every session 12 hours after sign-in, however much it is used', async () => {
    const { auth } = authWithClock();
    const start = clockMs;
    const signedIn = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    for (let hour = 1; hour < 12; hour++) {
      at(start + minutes(hour * 60));
      expect(await auth.actorForSession(signedIn.token, null), `hour ${hour}`).not.toBeNull();
    }
    at(start + minutes(12 * 60));
    expect(await auth.actorForSession(signedIn.token, null)).toBeNull();
  });

  it('forgets a session at once on sign-out', async () => {
    const { auth } = authWithClock();
    const signedIn = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    const actor = await auth.actorForSession(signedIn.token, null);
    await auth.signOut(signedIn.token, actor);
    expect(await auth.actorForSession(signedIn.token, null)).toBeNull();
  });

  it('forgets every session of the user at once on sign-out everywhere, and no one else’s', async () => {
    const { auth } = authWithClock();
    const here = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    const phone = await auth.signIn('practitioner@demo', DEMO_PASSWORD, origin);
    const someoneElse = await auth.signIn('admin@demo', DEMO_PASSWORD, origin);
    await auth.signOutEverywhere(here.actor);
    expect(await auth.actorForSession(here.token, null)).toBeNull();
    expect(await auth.actorForSession(phone.token, null)).toBeNull();
    expect(await auth.actorForSession(someoneElse.token, null)).not.toBeNull();
  });

  it('forgets the other sessions at once on a password change, keeping this one', async () => {
    const { auth, users } = authWithClock();
    const username = await newAccount(users);
    const here = await auth.signIn(username, ACCOUNT_PASSWORD, origin);
    const elsewhere = await auth.signIn(username, ACCOUNT_PASSWORD, origin);
    await auth.changePassword(here.actor, here.token, ACCOUNT_PASSWORD, 'another quite long password');
    expect(await auth.actorForSession(here.token, null)).toMatchObject({ username });
    expect(await auth.actorForSession(elsewhere.token, null)).toBeNull();
  });

  it('forgets the sessions at once when the account is disabled', async () => {
    const { auth, users } = authWithClock();
    const username = await newAccount(users);
    const signedIn = await auth.signIn(username, ACCOUNT_PASSWORD, origin);
    expect(await auth.actorForSession(signedIn.token, null)).not.toBeNull();
    await users.disable(username);
    expect(await auth.actorForSession(signedIn.token, null)).toBeNull();
  });

  it('removes an account: it can never sign in again, and nothing personal of it is kept', async () => {
    const { auth, users } = authWithClock();
    const username = await newAccount(users);
    const signedIn = await auth.signIn(username, ACCOUNT_PASSWORD, origin);
    const { userId } = await users.remove(username);
    expect(userId).toBe(signedIn.actor.userId);
    expect(await auth.actorForSession(signedIn.token, null)).toBeNull();
    await expect(auth.signIn(username, ACCOUNT_PASSWORD, origin)).rejects.toBeTruthy();
    const row = await t.database.db
      .selectFrom('user_account')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      username: `removed-${userId}`,
      display_name: 'Removed user',
      job_title: null,
      password_hash: null,
      person_id: null,
    });
    expect(JSON.stringify(row)).not.toContain('Sam Session');
    expect(JSON.stringify(row)).not.toContain(username);
    const roles = await t.database.db
      .selectFrom('user_role')
      .select('role')
      .where('user_id', '=', userId)
      .execute();
    expect(roles).toHaveLength(0);
    await expect(users.remove(username)).rejects.toMatchObject({ status: 404 });
  });

  it('sees a change made by another process once the cached copy runs out', async () => {
    const { auth, users } = authWithClock();
    const username = await newAccount(users);
    const start = clockMs;
    const signedIn = await auth.signIn(username, ACCOUNT_PASSWORD, origin);
    // As `whatmatters user disable` run against the same PostgreSQL would leave it.
    await t.database.db
      .updateTable('user_account')
      .set({ disabled_at: new Date(start) })
      .where('username', '=', username)
      .execute();
    await t.database.db
      .deleteFrom('user_session')
      .where('session_hash', '=', hashToken(signedIn.token))
      .execute();
    at(start + SESSION_CACHE_TTL_MS - 1);
    expect(await auth.actorForSession(signedIn.token, null), 'held for the cache lifetime').not.toBeNull();
    at(start + SESSION_CACHE_TTL_MS);
    expect(await auth.actorForSession(signedIn.token, null)).toBeNull();
  });
});
