import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/roles.js';
import type { CataloguedRoute } from '../../src/http/plugins/access-control.js';
import { demoAccount } from '../support/demo.js';
import { duplicateIds } from '../support/forms.js';
import { cookieHeader, createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every route the app registers (API and pages, every method), found from the app's own catalogue
 * rather than a hand list, sent what a careless or hostile client might send: bodies of every
 * content type, out-of-range and odd values in every path parameter and declared query field, NUL
 * and control characters in every field of every form and JSON body. Every answer must be a clear
 * 4xx (or a success), never a 5xx; API refusals must be problem documents; no answer may show a
 * stack trace or an internal error message.
 *
 * One app for the whole file; each route is called by the callers its access rule lets in (an
 * administrator and a practitioner where both may) and anonymously, with a CSRF token wherever one
 * is needed so the request reaches the body parser and validation, and without one too.
 */
type Caller =
  | 'anonymous'
  | 'practitioner'
  | 'admin'
  | 'manager'
  | 'person'
  | 'carer'
  | 'commissioner'
  | 'analyst';
const USERS: Record<Exclude<Caller, 'anonymous'>, { username: string; role: Role }> = {
  practitioner: { username: 'practitioner@demo', role: 'practitioner' },
  admin: { username: 'admin@demo', role: 'admin' },
  manager: { username: 'manager@demo', role: 'team-manager' },
  person: { username: 'person@demo', role: 'person' },
  carer: { username: 'carer@demo', role: 'carer' },
  commissioner: { username: 'commissioner@demo', role: 'commissioner' },
  analyst: { username: 'analyst@demo', role: 'analyst' },
};
/** Signed-in callers in order of preference: each route is called by the first two it lets in. */
const SIGNED_IN: Exclude<Caller, 'anonymous'>[] = [
  'practitioner',
  'admin',
  'manager',
  'person',
  'carer',
  'commissioner',
  'analyst',
];

interface Session {
  cookie: string;
  csrf: string;
}

let t: TestApp;
const sessions = new Map<Caller, Session>();
const ids: Record<string, string> = {};
/** An id that names nothing. */
const UNKNOWN = '7d1c1bc2-9c8e-4f57-8e7e-0f4d1e1f0a11';
/** Form fields seen on the pages, by the address each form posts to. */
const formFields = new Map<string, Set<string>>();

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isStatic = (route: CataloguedRoute) =>
  route.url.startsWith('/assets/') || route.url.startsWith('/static/');
const isApi = (route: CataloguedRoute) => !route.page && !isStatic(route);
const routes = () => t.app.routeCatalogue;

function reaches(route: CataloguedRoute, caller: Caller): boolean {
  if (route.access === 'public') return true;
  if (caller === 'anonymous') return false;
  if (route.access === 'signed-in') return true;
  return route.access.roles.includes(USERS[caller].role);
}

/** Anonymous, and the first two signed-in callers the route lets in. */
function callersOf(route: CataloguedRoute): Caller[] {
  return ['anonymous', ...SIGNED_IN.filter((c) => reaches(route, c)).slice(0, 2)];
}

/** The first caller the route lets in (signed in, when a signed-in caller may). */
function callerFor(route: CataloguedRoute): Caller {
  return SIGNED_IN.find((c) => reaches(route, c)) ?? 'anonymous';
}

/**
 * A session and a CSRF token bound to it, as a browser has after opening a page. The session is
 * started as a single sign-on would start it, without the password check's deliberate cost: calls
 * that sign out are answered many times here, and each needs a new session after it.
 */
async function openSession(caller: Caller): Promise<Session> {
  let signedIn = '';
  if (caller !== 'anonymous') {
    const user = await t.database.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', USERS[caller].username)
      .executeTakeFirstOrThrow();
    const started = await t.services.auth.startSession(
      user.user_id,
      { ip: null, userAgent: null },
      'fuzz test',
    );
    if (!started) throw new Error(`no session for ${caller}`);
    signedIn = `wm_session=${started.token}`;
  }
  const page = await t.app.inject({
    url: caller === 'anonymous' ? '/sign-in' : '/',
    headers: signedIn ? { cookie: signedIn } : {},
  });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error(`no CSRF token on the page for ${caller}`);
  return { cookie: [signedIn, cookieHeader(page)].filter(Boolean).join('; '), csrf };
}

function session(caller: Caller): Session {
  const found = sessions.get(caller);
  if (!found) throw new Error(`no session for ${caller}`);
  return found;
}

/** The record ids a route's path names: person@demo's own records, or made-up ids where a real one would do harm. */
function fill(url: string, overrides: Record<string, string> = {}): string {
  const erasure = url.includes('erasure-requests');
  return url
    .replace(/:(\w+)/g, (_, name: string) => {
      if (name in overrides) return overrides[name] ?? '';
      // A real erasure request could be carried out by a fuzzed form and erase the record every other request reads.
      if (name === 'requestId' && erasure) return UNKNOWN;
      return ids[name] ?? UNKNOWN;
    })
    .replace(/\*$/, 'no-such-file.txt');
}

interface Sent {
  caller: Caller;
  route: CataloguedRoute;
  label: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

/** Stands for the caller's CSRF token in a body: the token is put in as it is sent, as a session may have been replaced. */
const CSRF = 'CSRFTOKEN';

/** Calls the app; a session the call ended (signing out) is replaced, so later calls stay signed in. */
async function send({ caller, route, url, headers = {}, payload }: Sent): Promise<LightMyRequestResponse> {
  const { cookie: own, csrf } = session(caller);
  const response = await t.app.inject({
    method: route.method as 'POST',
    url,
    // Pages are asked for as a browser asks, API routes as a client does.
    headers: {
      accept: route.page ? 'text/html' : 'application/json',
      ...(own ? { cookie: own } : {}),
      ...headers,
    },
    ...(payload !== undefined
      ? { payload: typeof payload === 'string' ? payload.replaceAll(CSRF, csrf) : payload }
      : {}),
  });
  if (caller !== 'anonymous' && response.cookies.some((c) => c.name === 'wm_session' && !c.value)) {
    sessions.set(caller, await openSession(caller));
  }
  return response;
}

/** Words that only an internal fault would show: stack frames, JavaScript and database error names. */
const INTERNAL =
  /\n[ \t]+at (?:async )?[^\s(]+ \(|\n[ \t]+at \/|\.(?:ts|js|mjs|cjs):\d+:\d+|node_modules|\b(?:Type|Reference|Range|Syntax|Eval|URI)Error\b|Cannot read propert|is not a function|FST_[A-Z_]+|invalid input syntax|violates [^\n]* constraint|relation "|column "|duplicate key/;

/** Why an answer is wrong ('' when it is right): 5xx, a stack trace, an API refusal not in problem form. */
function faultIn(sent: Sent, response: LightMyRequestResponse): string {
  const { statusCode: status, body } = response;
  const type = String(response.headers['content-type'] ?? '');
  if (status >= 500) return `answered ${status}`;
  if (/^text\/html/.test(type) && duplicateIds(body).length) {
    return `a page repeats the id ${duplicateIds(body).join(', ')}`;
  }
  // Only the OpenAPI document may describe errors in its own text.
  if (sent.route.url !== '/api/openapi.json' && INTERNAL.test(body)) {
    return `shows internal detail: ${INTERNAL.exec(body)?.[0]}`;
  }
  if (status < 400) return '';
  if (sent.route.page) return /^text\/html/.test(type) ? '' : `a page answered ${status} as ${type}`;
  if (!isApi(sent.route)) return '';
  // The token endpoint answers as RFC 6749 section 5.2 says, except where its own handler is never reached.
  if (sent.route.url === '/oauth/token' && /^application\/json/.test(type)) {
    const oauth = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    return typeof oauth.error === 'string' && typeof oauth.error_description === 'string'
      ? ''
      : `an OAuth error without error and error_description: ${body.slice(0, 200)}`;
  }
  // FHIR answers every refusal as an OperationOutcome (docs/FHIR.md).
  if (sent.url.startsWith('/fhir/')) {
    if (!/^application\/fhir\+json/.test(type))
      return `a FHIR refusal as ${type || 'no type'}: ${body.slice(0, 200)}`;
    const outcome = JSON.parse(body) as { resourceType?: unknown; issue?: { diagnostics?: unknown }[] };
    return outcome.resourceType === 'OperationOutcome' &&
      Array.isArray(outcome.issue) &&
      outcome.issue.length > 0 &&
      outcome.issue.every((i) => typeof i.diagnostics === 'string')
      ? ''
      : `a FHIR refusal that is no OperationOutcome: ${body.slice(0, 200)}`;
  }
  if (!/^application\/problem\+json/.test(type))
    return `an API refusal as ${type || 'no type'}: ${body.slice(0, 200)}`;
  const problem = JSON.parse(body) as { status?: unknown; title?: unknown; detail?: unknown };
  if (problem.status !== status || typeof problem.title !== 'string' || typeof problem.detail !== 'string') {
    return `a problem document without status, title and detail: ${body.slice(0, 200)}`;
  }
  return '';
}

const describeSent = (sent: Sent, response: LightMyRequestResponse) =>
  `${sent.caller} ${sent.route.method} ${sent.route.url} [${sent.label}] ${sent.url.slice(0, 120)} → ${response.statusCode}`;

/** Sends, and adds what is wrong with the answer (if anything) to `faults`. */
async function check(sent: Sent, faults: string[]): Promise<LightMyRequestResponse> {
  const response = await send(sent);
  const fault = faultIn(sent, response);
  if (fault) faults.push(`${describeSent(sent, response)}: ${fault}`);
  return response;
}

// ---------------------------------------------------------------------------------------------
// A well-formed body for any JSON schema, so a mutation of one field reaches the handler's checks.

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
}

const TEXT_CANDIDATES = ['Some text', '2026-01-01', '9434765919', 'a-b', '1', 'someone@example.org'];

/** A well-formed value for `schema`; `text` rewrites each free-text field (a string with no format or pattern). */
function sample(schema: Schema | undefined, name = '', text: (s: string) => string = (s) => s): unknown {
  if (!schema) return text('x');
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length) {
    return sample(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0], name, text);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, s]) => [k, sample(s, k, text)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sample(schema.items, name, text),
      );
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default: {
      if (schema.format === 'uuid') return ids[name] ?? UNKNOWN;
      if (schema.format === 'date') return '2026-01-01';
      if (schema.format === 'date-time') return '2026-01-01T09:00:00Z';
      if (schema.format === 'email') return 'someone@example.org';
      if (!schema.pattern) return text('Some text'.padEnd(schema.minLength ?? 0, 'x'));
      const pattern = new RegExp(schema.pattern);
      return (TEXT_CANDIDATES.find((c) => pattern.test(c)) ?? 'x').padEnd(schema.minLength ?? 0, 'x');
    }
  }
}

/** Every string in a value, as the dotted path the app names a field by, and a copy with that string replaced. */
function stringLeaves(
  value: unknown,
  replace: (s: string) => string,
  path: string[] = [],
): [string, unknown][] {
  if (typeof value === 'string') return [[path.join('.'), replace(value)]];
  if (value === null || typeof value !== 'object') return [];
  const found: [string, unknown][] = [];
  for (const [key, child] of Object.entries(value)) {
    for (const [leaf, replaced] of stringLeaves(child, replace, [...path, key])) {
      const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
      (copy as Record<string, unknown>)[key] = replaced;
      found.push([leaf, copy]);
    }
  }
  return found;
}

/** The same value with every number replaced. */
function everyNumber(value: unknown, to: number): unknown {
  if (typeof value === 'number') return to;
  if (Array.isArray(value)) return value.map((v) => everyNumber(v, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, everyNumber(v, to)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Bodies of every kind.

interface BodyCase {
  label: string;
  type?: string;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

const form = (csrf: string | null, rest: string) =>
  [csrf ? `_csrf=${csrf}` : '', rest].filter(Boolean).join('&');

/**
 * Bodies of every content type this app might be sent. `csrf` is the token to put in them (null:
 * none); JSON gets it only on pages, where it is checked (a JSON API call needs none).
 */
function bodyCases(route: CataloguedRoute, csrf: string | null): BodyCase[] {
  const jsonCsrf = route.page && csrf ? { _csrf: csrf } : {};
  const valid = route.page ? { ...jsonCsrf, a: 'b' } : sample(route.bodySchema as Schema);
  const validJson = JSON.stringify(valid) ?? '{}';
  const multipartBoundary = 'fuzzboundary';
  const multipart = [
    `--${multipartBoundary}`,
    'Content-Disposition: form-data; name="_csrf"',
    '',
    csrf ?? '',
    `--${multipartBoundary}`,
    'Content-Disposition: form-data; name="file"; filename="a.txt"',
    'Content-Type: text/plain',
    '',
    'hello',
    `--${multipartBoundary}--`,
    '',
  ].join('\r\n');
  const manyKeys = Array.from({ length: 11_000 }, (_, i) => `k${i}=`).join('&');
  return [
    { label: 'JSON, well formed', type: 'application/json', payload: validJson },
    {
      label: 'JSON, every number 2147483648',
      type: 'application/json',
      payload: JSON.stringify(everyNumber(valid, 2147483648)),
    },
    {
      label: 'JSON, every number 1e400',
      type: 'application/json',
      payload: (JSON.stringify(everyNumber(valid, 123456789)) ?? '').replaceAll('123456789', '1e400'),
    },
    {
      label: 'JSON, every number -99999999999999999999',
      type: 'application/json',
      payload: (JSON.stringify(everyNumber(valid, 123456789)) ?? '').replaceAll(
        '123456789',
        '-99999999999999999999',
      ),
    },
    { label: 'JSON, broken', type: 'application/json', payload: '{"a": ' },
    { label: 'JSON, an array', type: 'application/json', payload: '[1,"a",null,{}]' },
    { label: 'JSON, a number', type: 'application/json', payload: '42' },
    { label: 'JSON, a string', type: 'application/json', payload: '"text"' },
    { label: 'JSON, null', type: 'application/json', payload: 'null' },
    { label: 'JSON, true', type: 'application/json', payload: 'true' },
    { label: 'JSON, empty', type: 'application/json', payload: '' },
    {
      label: 'JSON, nested 500 deep',
      type: 'application/json',
      payload: `${'['.repeat(500)}${']'.repeat(500)}`,
    },
    {
      label: 'JSON, __proto__',
      type: 'application/json',
      payload: `{"__proto__":{"polluted":1}${route.page && csrf ? `,"_csrf":${JSON.stringify(csrf)}` : ''}}`,
    },
    {
      label: 'JSON, constructor.prototype',
      type: 'application/json',
      payload: '{"constructor":{"prototype":{"polluted":1}}}',
    },
    {
      label: 'JSON, duplicate keys',
      type: 'application/json',
      payload: `{"a":1,"a":2${route.page && csrf ? `,"_csrf":"${csrf}","_csrf":"${csrf}"` : ''}}`,
    },
    { label: 'JSON, byte order mark', type: 'application/json', payload: `\ufeff${validJson}` },
    {
      label: 'JSON, UTF-16',
      type: 'application/json; charset=utf-16',
      payload: Buffer.from(validJson, 'utf16le'),
    },
    { label: 'JSON, charset=latin1', type: 'application/json; charset=latin1', payload: validJson },
    {
      label: 'JSON, odd parameters',
      type: 'application/json; charset="utf-8"; q=0.5; boundary=x',
      payload: validJson,
    },
    { label: 'JSON, a parameter without a value', type: 'application/json; charset', payload: validJson },
    { label: 'JSON, upper case type', type: 'APPLICATION/JSON', payload: validJson },
    { label: 'JSON, +json suffix', type: 'application/vnd.api+json', payload: validJson },
    { label: 'JSON, two types', type: 'application/json, text/plain', payload: validJson },
    { label: 'form, well formed', type: 'application/x-www-form-urlencoded', payload: form(csrf, 'a=b') },
    {
      label: 'form, broken percent-encoding',
      type: 'application/x-www-form-urlencoded',
      payload: form(csrf, 'a=%zz&%E0%A4%A=1&b=%&c=%%'),
    },
    {
      label: 'form, repeated keys',
      type: 'application/x-www-form-urlencoded',
      payload: form(csrf, 'a=1&a=2&a=3&b=&b=x'),
    },
    {
      label: 'form, a repeated token',
      type: 'application/x-www-form-urlencoded',
      payload: [form(csrf, 'a=1'), csrf ? `_csrf=${csrf}` : ''].filter(Boolean).join('&'),
    },
    {
      label: 'form, a very long key',
      type: 'application/x-www-form-urlencoded',
      payload: form(csrf, `${'k'.repeat(50_000)}=1`),
    },
    { label: 'form, 11,000 keys', type: 'application/x-www-form-urlencoded', payload: form(csrf, manyKeys) },
    {
      label: 'form, brackets and prototype names',
      type: 'application/x-www-form-urlencoded',
      payload: form(
        csrf,
        'a[b][c]=1&a[]=2&__proto__=x&constructor[prototype][x]=1&toString=1&hasOwnProperty=1',
      ),
    },
    {
      label: 'form, a NUL in a key and a value',
      type: 'application/x-www-form-urlencoded',
      payload: form(csrf, '%00=1&a=%00'),
    },
    { label: 'form, empty', type: 'application/x-www-form-urlencoded', payload: '' },
    {
      label: 'form, charset=latin1',
      type: 'application/x-www-form-urlencoded; charset=latin1',
      payload: form(csrf, 'a=caf%E9'),
    },
    {
      label: 'form, odd parameters',
      type: 'application/x-www-form-urlencoded;;; foo=bar; charset="utf-8"',
      payload: form(csrf, 'a=b'),
    },
    {
      label: 'multipart, with a boundary',
      type: `multipart/form-data; boundary=${multipartBoundary}`,
      payload: multipart,
    },
    { label: 'multipart, without a boundary', type: 'multipart/form-data', payload: multipart },
    { label: 'text/plain', type: 'text/plain', payload: form(csrf, 'a=b') },
    { label: 'text/html', type: 'text/html', payload: '<p>hello</p>' },
    { label: 'application/xml', type: 'application/xml', payload: '<?xml version="1.0"?><a><b>1</b></a>' },
    {
      label: 'application/octet-stream',
      type: 'application/octet-stream',
      payload: Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    },
    { label: 'an empty content type', type: '', payload: form(csrf, 'a=b') },
    { label: 'a content type without a slash', type: 'json', payload: validJson },
    { label: 'a wildcard content type', type: '*/*', payload: validJson },
    { label: 'no content type', payload: form(csrf, 'a=b') },
    {
      label: 'content-length longer than the body',
      type: 'application/json',
      payload: validJson,
      headers: { 'content-length': String(Buffer.byteLength(validJson) + 100) },
    },
    {
      label: 'content-length shorter than the body',
      type: 'application/json',
      payload: validJson,
      headers: { 'content-length': '2' },
    },
    {
      label: 'content-length without a body',
      type: 'application/json',
      headers: { 'content-length': '10' },
    },
    {
      label: 'content-length not a number',
      type: 'application/x-www-form-urlencoded',
      payload: form(csrf, 'a=b'),
      headers: { 'content-length': 'abc' },
    },
  ];
}

/** The first body of each content type (and content-length) in `cases`. */
function oneOfEachType(cases: BodyCase[]): BodyCase[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = `${c.type}|${JSON.stringify(c.headers ?? {})}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function bodyRequest(caller: Caller, route: CataloguedRoute, c: BodyCase, url = fill(route.url)): Sent {
  return {
    caller,
    route,
    label: c.label,
    url,
    headers: { ...(c.type !== undefined ? { 'content-type': c.type } : {}), ...c.headers },
    ...(c.payload !== undefined ? { payload: c.payload } : {}),
  };
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
  const { db } = t.database;
  const personId = (await demoAccount(t, 'person@demo')).person_id ?? UNKNOWN;
  ids.personId = personId;
  const first = async (table: 'personal_outcome' | 'relationship', column: string) => {
    const row = (await db
      .selectFrom(table)
      .select(column as never)
      .where('person_id', '=', personId)
      .executeTakeFirst()) as Record<string, string> | undefined;
    return row?.[column] ?? UNKNOWN;
  };
  ids.outcomeId = await first('personal_outcome', 'outcome_id');
  ids.relationshipId = await first('relationship', 'relationship_id');
  const organisation = await db.selectFrom('organisation').select('organisation_id').executeTakeFirst();
  ids.organisationId = organisation?.organisation_id ?? UNKNOWN;
  ids.version = '1';
  // FHIR routes: the person's own Patient resource, so reads and updates meet a real record.
  ids.type = 'Patient';
  ids.id = personId;
  ids.vid = '1';
  for (const caller of ['anonymous', ...SIGNED_IN] as Caller[])
    sessions.set(caller, await openSession(caller));

  // A basis for sharing of person@demo's own, for the fuzzed forms to withdraw: withdrawing the one
  // their care team works under would shut the practitioner out of the record for the rest of the file.
  const shared = await t.app.inject({
    method: 'POST',
    url: `/api/people/${ids.personId}/sharing`,
    headers: { cookie: session('person').cookie },
    payload: {
      basis: 'consent',
      purpose: 'To be withdrawn by the fuzz tests',
      organisationId: ids.organisationId,
    },
  });
  expect(shared.statusCode, shared.body).toBe(201);
  ids.basisId = (shared.json() as { basisId?: string }).basisId ?? UNKNOWN;
  // A rectification request of person@demo's, so its pages and forms are reached.
  const asked = await t.app.inject({
    method: 'POST',
    url: `/api/people/${ids.personId}/rectification-requests`,
    headers: { cookie: session('person').cookie },
    payload: { whatIsWrong: 'My date of birth is wrong' },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  ids.requestId = (asked.json() as { requestId?: string }).requestId ?? UNKNOWN;

  // The forms on every page, by the address they post to, and the fields each holds.
  for (const route of routes().filter((r) => r.page && r.method === 'GET')) {
    for (const caller of callersOf(route)) {
      const url = fill(route.url);
      const page = await send({ caller, route, label: 'forms', url });
      if (page.statusCode !== 200) continue;
      for (const [, attributes = '', inner = ''] of page.body.matchAll(
        /<form\b([^>]*)>([\s\S]*?)<\/form>/g,
      )) {
        if (/method="get"/i.test(attributes)) continue;
        const action = (/action="([^"]*)"/.exec(attributes)?.[1] ?? '')
          .replaceAll('&amp;', '&')
          .split('?')[0];
        const fields = formFields.get(action || url) ?? new Set<string>();
        for (const [, name = ''] of inner.matchAll(/\bname="([^"]+)"/g)) {
          if (name !== '_csrf') fields.add(name.replaceAll('&amp;', '&'));
        }
        formFields.set(action || url, fields);
      }
    }
  }
});
afterAll(() => t?.close());

/**
 * The fuzzing is only worth something while it reaches the record: a fuzzed form that took the
 * practitioner out of person@demo's care team would leave every later call a quick 404.
 */
async function expectStillInRecord() {
  const record = await t.app.inject({
    url: `/api/people/${ids.personId}`,
    headers: { cookie: session('practitioner').cookie },
  });
  expect(record.statusCode, 'the practitioner still reaches the record').toBe(200);
}

describe('every content type on every route', () => {
  it('finds the routes to call from the app itself', () => {
    expect(routes().length).toBeGreaterThan(100);
    expect(routes().filter((r) => r.page && r.method === 'POST').length).toBeGreaterThan(20);
    expect(formFields.size).toBeGreaterThan(15);
  });

  it('answers every body, of every type, with a success or a clear 4xx: never 5xx, problem documents from the API', async () => {
    const faults: string[] = [];
    let requests = 0;
    for (const route of routes()) {
      const first = callerFor(route);
      if (UNSAFE.has(route.method)) {
        // Every body to the first caller the route lets in; one of each content type to the others.
        for (const caller of callersOf(route)) {
          const cases = bodyCases(route, CSRF);
          for (const c of caller === first ? cases : oneOfEachType(cases)) {
            await check(bodyRequest(caller, route, c), faults);
            requests++;
          }
        }
      } else {
        // Fastify reads no body of a GET, nor looks at its content type: one of each content type
        // from anyone the route refuses (or takes, when it is public) shows that, and a few from the
        // first signed-in caller it lets in (rendering a record page two dozen times over would add a
        // minute and show nothing more).
        const types = oneOfEachType(bodyCases(route, CSRF));
        const few = types.filter((c) =>
          /^(JSON, broken|multipart, without|content-length longer)/.test(c.label),
        );
        for (const [caller, cases] of [
          ['anonymous', types],
          ...(first === 'anonymous' ? [] : [[first, few]]),
        ] as [Caller, BodyCase[]][]) {
          for (const c of cases) {
            await check(bodyRequest(caller, route, c), faults);
            requests++;
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(5_000);
    expect(faults).toEqual([]);
    await expectStillInRecord();
  }, 600_000);

  it('refuses a form or page post without its CSRF token with 4xx, whatever the body type', async () => {
    const faults: string[] = [];
    const needsToken = (route: CataloguedRoute, c: BodyCase) =>
      /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.type ?? '') || route.page;
    for (const route of routes().filter((r) => UNSAFE.has(r.method) && r.url !== '/oauth/token')) {
      for (const caller of callersOf(route).filter((c) => reaches(route, c))) {
        for (const c of oneOfEachType(bodyCases(route, null)).filter((c) => needsToken(route, c))) {
          const sent = bodyRequest(caller, route, c);
          const response = await check(sent, faults);
          if (response.statusCode < 400)
            faults.push(`${describeSent(sent, response)}: accepted without a CSRF token`);
        }
      }
    }
    expect(faults).toEqual([]);
  }, 600_000);
});

/** Numbers a path parameter or a query field must refuse, or take, without a fault. */
const ODD_NUMBERS: [string, string][] = [
  ['2^31', '2147483648'],
  ['20 digits', '99999999999999999999'],
  ['-1', '-1'],
  ['0', '0'],
  ['1e309', '1e309'],
  ['Infinity', 'Infinity'],
  ['NaN', 'NaN'],
  ['1.5', '1.5'],
  ['0x10', '0x10'],
];
/** Text a path parameter or a query field must refuse, or take, without a fault. */
const ODD_TEXT: [string, string][] = [
  ['a NUL', '%00'],
  ['a control character', '%01'],
  ['escape and delete', '%1B%7F'],
  ['CR LF', '%0D%0A'],
  ['broken percent-encoding', '%zz'],
  ['an encoded slash', '..%2F..%2Fetc'],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['a uuid-like non-uuid', '123e4567-e89b-12d3-a456-42661417400g'],
  ['a uuid without hyphens', '123e4567e89b12d3a45642661417400a'],
  ['empty', ''],
  ['a space', '%20'],
  ['a lone surrogate', '%ED%A0%80'],
];
const ODD_VALUES = [...ODD_NUMBERS, ...ODD_TEXT];

describe('out-of-range integers and odd values in paths and query strings', () => {
  it('every path parameter of every route', async () => {
    const faults: string[] = [];
    const withParams = routes().filter((r) => r.url.includes(':'));
    expect(withParams.length).toBeGreaterThan(40);
    for (const route of withParams) {
      const caller = callerFor(route);
      // A body that passes the CSRF check and the parser, so an odd parameter meets validation and the handler.
      const c = bodyCases(route, CSRF).find(
        (b) => b.label === (route.page ? 'form, well formed' : 'JSON, well formed'),
      ) as BodyCase;
      for (const [, name = ''] of route.url.matchAll(/:(\w+)/g)) {
        for (const [label, value] of ODD_VALUES) {
          const url = fill(route.url, { [name]: value });
          await check({ ...bodyRequest(caller, route, c, url), label: `${name} = ${label}` }, faults);
        }
      }
    }
    expect(faults).toEqual([]);
  }, 600_000);

  it('every field of every query string a route declares, and one it does not', async () => {
    const faults: string[] = [];
    const withQuery = routes().filter((r) => r.querySchema);
    expect(withQuery.length).toBeGreaterThan(15);
    const repeated: [string, string] = ['repeated', '1&__NAME__=2'];
    const few = (labels: RegExp) => ODD_VALUES.filter(([label]) => labels.test(label));
    for (const route of routes()) {
      const properties = (route.querySchema as Schema | null)?.properties ?? {};
      const caller = callerFor(route);
      // Numbers and the odd text that might pass for one to fields that take numbers (or yes/no);
      // odd text and numbers out of range to fields that take text; a few to a field no route declares.
      const asked: [string, [string, string][]][] = [
        ...Object.entries(properties).map(([name, schema]): [string, [string, string][]] => [
          name,
          /integer|number|boolean/.test(JSON.stringify(schema.type ?? schema.anyOf ?? ''))
            ? [...ODD_NUMBERS, ...few(/NUL|control|broken|10,000|empty|space/), repeated]
            : [...ODD_TEXT, ...few(/2\^31|-1/), repeated],
        ]),
        ['undeclared', few(/^a control|10,000|broken/)],
      ];
      for (const [name, values] of asked) {
        for (const [label, value] of values) {
          const url = `${fill(route.url)}?${encodeURIComponent(name)}=${value.replaceAll('__NAME__', name)}`;
          await check({ caller, route, label: `?${name} = ${label}`, url }, faults);
        }
      }
    }
    expect(faults).toEqual([]);
  }, 600_000);
});

const NUL = 'a\u0000b';
/** Control characters PostgreSQL can store, and characters that are not what they seem. */
const CONTROL = [
  '\u0001\u0007\b\u000b\f\u001b[31m\u007f',
  '\u0085\u2028\u2029\ufeff\u200e',
  '\r\nX-Injected: 1',
  '\ud800',
];

describe('NUL and control characters in every field of every body', () => {
  it('every string field of every JSON body: a NUL is refused naming the field; control characters are no fault', async () => {
    const faults: string[] = [];
    let fields = 0;
    for (const route of routes().filter((r) => isApi(r) && r.bodySchema && r.url !== '/oauth/token')) {
      const caller = callerFor(route);
      const valid = sample(route.bodySchema as Schema);
      for (const [field, body] of stringLeaves(valid, () => NUL)) {
        fields++;
        const sent: Sent = {
          caller,
          route,
          label: `NUL in ${field}`,
          url: fill(route.url),
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        };
        const response = await check(sent, faults);
        const named = response.statusCode === 400 && response.json().errors?.[0]?.field === field;
        if (!named)
          faults.push(
            `${describeSent(sent, response)}: not refused naming ${field}: ${response.body.slice(0, 200)}`,
          );
      }
      // Each kind of control character in every free-text field at once, so the body stays valid and is saved.
      for (const control of CONTROL) {
        const body = sample(route.bodySchema as Schema, '', (s) => `${s}${control}`);
        await check(
          {
            caller,
            route,
            label: `${JSON.stringify(control)} in every free-text field`,
            url: fill(route.url),
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          },
          faults,
        );
      }
    }
    expect(fields).toBeGreaterThan(40);
    expect(faults).toEqual([]);
    await expectStillInRecord();
  }, 600_000);

  it('every field of every form: a NUL is refused; control characters are no fault', async () => {
    const faults: string[] = [];
    let fields = 0;
    for (const route of routes().filter((r) => r.page && UNSAFE.has(r.method))) {
      const caller = callerFor(route);
      const url = fill(route.url);
      const names = [...(formFields.get(url) ?? formFields.get(url.replace(/\/[^/]*$/, '')) ?? ['text'])];
      const post = async (label: string, fieldValue: (name: string) => string) => {
        const body = new URLSearchParams({ _csrf: session(caller).csrf });
        for (const name of names) body.append(name, fieldValue(name));
        const sent: Sent = {
          caller,
          route,
          label,
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: body.toString(),
        };
        return { sent, response: await check(sent, faults) };
      };
      // A NUL in each field in turn, named in the refusal; each kind of control character in every field at once.
      for (const name of names) {
        fields++;
        const { sent, response } = await post(`NUL in ${name}`, (n) => (n === name ? NUL : ''));
        if (!(response.statusCode === 400 && response.body.includes('NUL character'))) {
          faults.push(`${describeSent(sent, response)}: a NUL in ${name} not refused naming it`);
        }
      }
      for (const control of CONTROL) await post(`${JSON.stringify(control)} in every field`, () => control);
    }
    expect(fields).toBeGreaterThan(60);
    expect(faults).toEqual([]);
    await expectStillInRecord();
  }, 600_000);
});

describe('an address the router cannot read', () => {
  it('broken percent-encoding or an over-long id: a problem document for the API, a page for a browser', async () => {
    const long = 'x'.repeat(500);
    for (const [url, status] of [
      ['/api/people/%zz', 400],
      [`/api/people/${long}/outcomes`, 414],
    ] as const) {
      const response = await t.app.inject({ url, headers: { cookie: session('practitioner').cookie } });
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(response.headers['cache-control'], url).toBe('no-store');
      expect(response.json(), url).toMatchObject({
        status,
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(response.body, url).not.toMatch(/FST_/);
    }
    for (const [url, status] of [
      ['/people/%E0%A4%A/plan', 400],
      [`/people/${long}`, 414],
    ] as const) {
      const response = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.body, url).toContain('Sign in');
      expect(response.body, url).not.toMatch(/FST_/);
    }
  });
});
