import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/roles.js';
import { ACCESS_TABLE, type PersonRule, type RouteRule } from '../support/access-table.js';
import { cookieHeader, createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The role × route matrix: every route, called anonymously and as every role, about a person inside
 * the caller's scope (P: person@demo, cared for by carer@demo, in practitioner@demo's team caseload)
 * and one outside everyone's scope (Q). Each answer must match the access table.
 */
type Caller =
  | 'anonymous'
  | 'person'
  | 'carer'
  | 'practitioner'
  | 'manager'
  | 'commissioner'
  | 'analyst'
  | 'admin';
type Relation = 'self' | 'carer' | 'care-team' | null;
type Outcome = 'sign-in' | 'forbidden' | 'not-found' | 'allowed';

const CALLERS: Record<Exclude<Caller, 'anonymous'>, { username: string; role: Role }> = {
  person: { username: 'person@demo', role: 'person' },
  carer: { username: 'carer@demo', role: 'carer' },
  practitioner: { username: 'practitioner@demo', role: 'practitioner' },
  manager: { username: 'manager@demo', role: 'team-manager' },
  commissioner: { username: 'commissioner@demo', role: 'commissioner' },
  analyst: { username: 'analyst@demo', role: 'analyst' },
  admin: { username: 'admin@demo', role: 'admin' },
};
const Q_NAME = 'Zebedee Quorn';
/**
 * Q has no care team, so no team is responsible for the record: by design it is on the
 * administrators' work list of records needing a responsible team, where they choose one. And
 * administrators search the whole audit trail, which names whom each entry is about (team managers
 * see names only of people in their teams' care).
 */
const ADMIN_SEES_UNOWNED = new Set([
  'GET /audit',
  'GET /records-needing-a-team',
  'GET /people/:personId/lead-team',
  'POST /people/:personId/lead-team',
]);

let t: TestApp;
const sessions: Partial<Record<Caller, { cookie: string; csrf: string }>> = {};
const ids = { P: '', Q: '', outcome: '', relationship: '', basis: '' };

function relationTo(caller: Caller, target: 'P' | 'Q'): Relation {
  if (target === 'Q') return null;
  return caller === 'person'
    ? 'self'
    : caller === 'carer'
      ? 'carer'
      : caller === 'practitioner' || caller === 'manager'
        ? 'care-team'
        : null;
}

function personOutcome(rule: PersonRule, relation: Relation): Outcome {
  if (!relation) return 'not-found';
  switch (rule) {
    case 'view':
    case 'contribute':
      return 'allowed';
    case 'decide':
      return relation === 'carer' ? 'forbidden' : 'allowed';
    case 'manage':
      return relation === 'care-team' ? 'allowed' : 'forbidden';
    case 'carer-of':
      return relation === 'carer' ? 'allowed' : 'not-found';
  }
}

/** What the route's own gate answers, before any service looks at the person. */
function gateOutcome(rule: RouteRule, caller: Caller): Outcome {
  if (rule.access === 'public') return 'allowed';
  if (caller === 'anonymous') return 'sign-in';
  if (rule.access !== 'signed-in' && !rule.access.roles.includes(CALLERS[caller].role)) return 'forbidden';
  return 'allowed';
}

function expectedOutcome(rule: RouteRule, caller: Caller, target: 'P' | 'Q' | null): Outcome {
  const gate = gateOutcome(rule, caller);
  if (gate !== 'allowed' || !rule.person || !target) return gate;
  return personOutcome(rule.person, relationTo(caller, target));
}

async function call(
  app: FastifyInstance,
  method: string,
  url: string,
  caller: Caller,
  page: boolean,
  body?: unknown,
) {
  const session = sessions[caller];
  const unsafe = method !== 'GET';
  const headers: Record<string, string> = {};
  if (session) headers.cookie = session.cookie;
  if (unsafe && page) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams({ _csrf: session?.csrf ?? '' });
    return app.inject({ method: method as 'POST', url, headers, payload: form.toString() });
  }
  if (unsafe) {
    headers['content-type'] = 'application/json';
    return app.inject({
      method: method as 'POST',
      url,
      headers,
      payload: JSON.stringify(body ?? { __matrix: true }),
    });
  }
  return app.inject({ method: 'GET', url, headers });
}

function pathFor(url: string, target: 'P' | 'Q'): string {
  return url
    .replace(':personId', target === 'P' ? ids.P : ids.Q)
    .replace(':outcomeId', target === 'P' ? ids.outcome : crypto.randomUUID())
    .replace(':relationshipId', target === 'P' ? ids.relationship : crypto.randomUUID())
    .replace(':basisId', target === 'P' ? ids.basis : crypto.randomUUID())
    .replace(':version', '1')
    .replace(/:step\b/, 'who')
    .replace(':type', 'Patient')
    .replace(/:(\w+)/g, () => crypto.randomUUID())
    .concat(url.endsWith('/plan/compare') ? '?from=1&to=2' : '');
}

function statusMatches(
  outcome: Outcome,
  status: number,
  page: boolean,
  method: string,
  publicPage: boolean,
): boolean {
  switch (outcome) {
    case 'sign-in':
      return page ? status === 303 : status === 401;
    case 'forbidden':
      return status === 403;
    case 'not-found':
      return status === 404;
    case 'allowed':
      // A signed-in visitor to a public page such as sign-in may be sent on (303); other pages may not.
      return (
        status < 500 &&
        ![401, 403, 404].includes(status) &&
        !(page && method === 'GET' && status === 303 && !publicPage)
      );
  }
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 20 });
  const { db } = t.database;
  const p = await db
    .selectFrom('user_account')
    .select('person_id')
    .where('username', '=', 'person@demo')
    .executeTakeFirstOrThrow();
  ids.P = p.person_id ?? '';
  ids.Q = crypto.randomUUID();
  await db
    .insertInto('person')
    .values({ person_id: ids.Q, given_name: 'Zebedee', family_name: 'Quorn', sex: 'male' })
    .execute();
  ids.outcome = (
    await db
      .selectFrom('personal_outcome')
      .select('outcome_id')
      .where('person_id', '=', ids.P)
      .executeTakeFirstOrThrow()
  ).outcome_id;
  ids.relationship = (
    await db
      .selectFrom('relationship as r')
      .innerJoin('user_account as u', 'u.user_id', 'r.carer_user_id')
      .select('r.relationship_id')
      .where('r.person_id', '=', ids.P)
      .where('u.username', '=', 'carer@demo')
      .executeTakeFirstOrThrow()
  ).relationship_id;
  ids.basis = crypto.randomUUID(); // withdrawing a real basis would change the rest of the matrix
  for (const [caller, { username }] of Object.entries(CALLERS) as [Caller, { username: string }][]) {
    const cookie = await signIn(t.app, username);
    const page = await t.app.inject({ url: '/sign-in', headers: { cookie } });
    const home = await t.app.inject({ url: '/', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
    sessions[caller] = { cookie: `${cookie}; ${cookieHeader(home) || cookieHeader(page)}`, csrf };
  }
});
afterAll(() => t?.close());

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const ownRoutes = () =>
  t.app.routeCatalogue.filter((r) => !r.url.startsWith('/assets/') && !r.url.startsWith('/static/'));
// Signing out ends the caller's session, so those two are called last.
const endsSession = (key: string) =>
  key === 'DELETE /api/session' || key === 'POST /sign-out' || key === 'POST /account/sign-out-everywhere';

describe('the access table', () => {
  it('has an entry for every route, matching what the route declares', () => {
    const missing = ownRoutes()
      .filter((r) => !ACCESS_TABLE[routeKey(r)])
      .map(routeKey);
    expect(missing, 'routes with no entry in test/support/access-table.ts').toEqual([]);
    const normalise = (access: unknown) =>
      typeof access === 'object' && access
        ? { roles: [...(access as { roles: string[] }).roles].sort() }
        : access;
    for (const route of ownRoutes()) {
      expect(normalise(route.access), routeKey(route)).toEqual(
        normalise(ACCESS_TABLE[routeKey(route)]?.access),
      );
    }
  });

  it('lists no route that does not exist', () => {
    const existing = new Set(ownRoutes().map(routeKey));
    expect(Object.keys(ACCESS_TABLE).filter((key) => !existing.has(key))).toEqual([]);
  });
});

describe('every route × every role × inside and outside scope', () => {
  it('answers as the access table says, and never shows a person outside the caller’s scope', async () => {
    const failures: string[] = [];
    const routes = ownRoutes().filter((r) => !endsSession(routeKey(r)));
    const callers: Caller[] = ['anonymous', ...(Object.keys(CALLERS) as Caller[])];
    let calls = 0;
    for (const route of routes) {
      const rule = ACCESS_TABLE[routeKey(route)];
      if (!rule) continue;
      const targets: ('P' | 'Q' | null)[] = route.url.includes(':personId') ? ['P', 'Q'] : [null];
      for (const caller of callers) {
        for (const target of targets) {
          const url = target ? pathFor(route.url, target) : pathFor(route.url, 'P');
          const response = await call(t.app, route.method, url, caller, route.page);
          calls++;
          const write = route.method !== 'GET';
          // A write that passes the gate meets validation before any service looks at the person,
          // so only the gate is checked here; the probes below send well-formed writes about Q.
          const expected = write ? gateOutcome(rule, caller) : expectedOutcome(rule, caller, target);
          if (write && expected === 'allowed') {
            if (response.statusCode === 401 || response.statusCode >= 500) {
              failures.push(`${caller} ${routeKey(route)} [${target ?? '-'}]: got ${response.statusCode}`);
            }
            if (target === 'Q' && response.statusCode < 400) {
              failures.push(
                `${caller} ${route.method} ${url} → ${response.statusCode}: a write about Q went through`,
              );
            }
          } else if (
            !statusMatches(
              expected,
              response.statusCode,
              route.page,
              route.method,
              rule.access === 'public',
            ) &&
            !(rule.lookup && expected === 'allowed' && response.statusCode === 404)
          ) {
            failures.push(
              `${caller} ${routeKey(route)} [${target ?? '-'}]: expected ${expected}, got ${response.statusCode}`,
            );
          }
          if (
            response.body.includes(Q_NAME) &&
            !(caller === 'admin' && ADMIN_SEES_UNOWNED.has(routeKey(route)))
          )
            failures.push(`${caller} ${routeKey(route)} showed ${Q_NAME}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(900);
  }, 300_000);

  it('well-formed writes about a person outside everyone’s scope are refused with 404', async () => {
    const failures: string[] = [];
    for (const route of ownRoutes()) {
      const rule = ACCESS_TABLE[routeKey(route)];
      if (!rule?.sample || route.page) continue;
      for (const caller of Object.keys(CALLERS) as Caller[]) {
        if (expectedOutcome(rule, caller, 'Q') === 'forbidden') continue;
        const response = await call(t.app, route.method, pathFor(route.url, 'Q'), caller, false, rule.sample);
        if (response.statusCode !== 404)
          failures.push(`${caller} ${routeKey(route)} about Q → ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('signing out works for every caller, and anonymous callers are asked to sign in', async () => {
    for (const caller of ['anonymous', ...Object.keys(CALLERS)] as Caller[]) {
      const api = await call(t.app, 'DELETE', '/api/session', caller, false);
      expect(api.statusCode, caller).toBe(caller === 'anonymous' ? 401 : 204);
    }
  });
});
