import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FHIR_RESOURCE_TYPES } from '../../src/domain/interop/fhir-types.js';
import { buildApp } from '../../src/http/app.js';
import { ServiceError } from '../../src/services/errors.js';
import { createServices, type Services } from '../../src/services/index.js';
import type { Database } from '../../src/store/database.js';
import { runCli } from '../support/cli.js';
import { type CliDatabase, createCliDatabase } from '../support/cli-database.js';
import { openTestDatabase } from '../support/test-database.js';

/**
 * SMART system scopes for API clients (issue 13, "Who may call it"): `client add` with
 * `system/…` scopes and the organisation such a client acts for, token requests narrowing a
 * wildcard to one type, and routes that need SMART scopes (probe routes here, in v1 and v2 spelling,
 * one declared as the /fhir routes declare theirs).
 */

// The hosting organisation was made first, though its id sorts last.
const HOSTING = { id: 'ffffffff-0000-4000-8000-000000000001', name: 'Hosting Trust' };
const OTHER = { id: '00000000-0000-4000-8000-000000000002', name: 'Other Practice' };

let database: Database;
let services: Services;
let app: FastifyInstance;

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices(database);
  app = await buildApp({ services });
  const probe = (scopes: string[]) => ({ config: { access: 'signed-in' as const, scopes } });
  const answer = (request: { apiClient: unknown }) => ({ client: request.apiClient });
  app.get('/test/patient-read', probe(['system/Patient.read']), answer);
  app.post('/test/patient-write', probe(['system/Patient.write']), answer);
  app.get('/test/goal-search', probe(['system/Goal.s']), answer);
  // As /fhir declares a route: any type's letter opens it, and the handler checks the type.
  app.get('/test/any-read', probe(FHIR_RESOURCE_TYPES.map((t) => `system/${t}.r`)), answer);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function addOrganisations() {
  await database.db
    .insertInto('organisation')
    .values([
      {
        organisation_id: OTHER.id,
        kind: 'gp-practice',
        name: OTHER.name,
        ods_code: null,
        created_at: new Date('2024-02-01T00:00:00Z'),
      },
      {
        organisation_id: HOSTING.id,
        kind: 'nhs-trust',
        name: HOSTING.name,
        ods_code: null,
        created_at: new Date('2024-01-01T00:00:00Z'),
      },
    ])
    .execute();
}

const clientRow = (clientId: string) =>
  database.db
    .selectFrom('api_client')
    .select(['scopes', 'organisation_id'])
    .where('client_id', '=', clientId)
    .executeTakeFirst();

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ServiceError);
      return error as ServiceError;
    },
  );

const tokenRequest = (clientId: string, secret: string, scope?: string) =>
  app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    payload: `grant_type=client_credentials${scope === undefined ? '' : `&scope=${encodeURIComponent(scope)}`}`,
  });

async function token(clientId: string, secret: string, scope?: string): Promise<string> {
  const response = await tokenRequest(clientId, secret, scope);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().access_token;
}

const call = (token: string, url: string, method: 'GET' | 'POST' = 'GET') =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(method === 'POST' ? { payload: {} } : {}),
  });

describe('adding a client with SMART scopes', () => {
  it('refuses SMART scopes while there is no organisation for the client to act for', async () => {
    const error = await refusal(
      services.apiClients.add({ clientId: 'too-early', name: 'Too early', scopes: ['system/*.read'] }),
    );
    expect(error.status).toBe(422);
    expect(error.field).toBe('organisation-id');
    expect(error.message).toMatch(/organisation-id/);
    expect(await clientRow('too-early')).toBeUndefined();
    await addOrganisations();
  });

  it.each([
    ['an unknown type', 'system/Foo.read'],
    ['letters out of order', 'system/Patient.sr'],
    ['another context', 'patient/Patient.read'],
    ['no permission', 'system/Patient'],
  ])('refuses %s, naming the scope', async (_what, scope) => {
    const error = await refusal(
      services.apiClients.add({ clientId: 'bad-scope', name: 'Bad', scopes: ['system/*.read', scope] }),
    );
    expect(error.status).toBe(422);
    expect(error.field).toBe('scopes');
    expect(error.message).toContain(`"${scope}"`);
    expect(error.message).not.toContain('"system/*.read"');
    expect(await clientRow('bad-scope')).toBeUndefined();
  });

  it('makes a client with SMART scopes act for the hosting organisation, the one made first', async () => {
    const added = await services.apiClients.add({
      clientId: 'reader',
      name: 'Reader',
      scopes: ['system/*.read', ' directory:read ', 'system/*.read'],
    });
    expect(added.scopes).toEqual(['system/*.read', 'directory:read']);
    expect(added.organisation).toEqual({ organisationId: HOSTING.id, name: HOSTING.name });
    expect(await clientRow('reader')).toEqual({
      scopes: ['system/*.read', 'directory:read'],
      organisation_id: HOSTING.id,
    });
  });

  it('makes it act for the organisation given instead', async () => {
    const added = await services.apiClients.add({
      clientId: 'other-writer',
      name: 'Other writer',
      scopes: ['system/Patient.cud', 'system/Patient.rs'],
      organisationId: OTHER.id,
    });
    expect(added.organisation).toEqual({ organisationId: OTHER.id, name: OTHER.name });
    expect((await clientRow('other-writer'))?.organisation_id).toBe(OTHER.id);
  });

  it('leaves a client without SMART scopes acting for no organisation, as before', async () => {
    const added = await services.apiClients.add({
      clientId: 'directory',
      name: 'Directory',
      scopes: ['directory:read'],
    });
    expect(added.organisation).toBeNull();
    expect((await clientRow('directory'))?.organisation_id).toBeNull();
  });
});

describe('tokens and routes with SMART scopes', () => {
  let readerSecret: string;
  let writerSecret: string;
  let directorySecret: string;
  let everythingSecret: string;
  let patientOnlySecret: string;

  beforeAll(async () => {
    const add = async (clientId: string, scopes: string[]) =>
      (await services.apiClients.add({ clientId, name: clientId, scopes })).secret;
    readerSecret = await add('token-reader', ['system/*.read', 'directory:read']);
    writerSecret = await add('token-writer', ['system/Patient.write', 'system/*.rs']);
    directorySecret = await add('token-directory', ['directory:read']);
    everythingSecret = await add('token-everything', ['system/*.*']);
    patientOnlySecret = await add('token-patient-r', ['system/Patient.r']);
  });

  it('issues all the granted scopes when none are asked for', async () => {
    const response = await tokenRequest('token-reader', readerSecret);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().scope).toBe('system/*.read directory:read');
    const read = await call(response.json().access_token, '/test/patient-read');
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().client).toEqual({
      clientId: 'token-reader',
      scopes: ['system/*.read', 'directory:read'],
      organisationId: HOSTING.id,
    });
    expect((await call(response.json().access_token, '/test/goal-search')).statusCode).toBe(200);
  });

  it('narrows a wildcard to the type asked for', async () => {
    const response = await tokenRequest('token-reader', readerSecret, 'system/Patient.read');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().scope).toBe('system/Patient.read');
    const narrow = response.json().access_token;
    expect((await call(narrow, '/test/patient-read')).statusCode).toBe(200);
    const goal = await call(narrow, '/test/goal-search');
    expect(goal.statusCode).toBe(403);
    expect(goal.headers['www-authenticate']).toBe(
      'Bearer realm="WhatMatters", error="insufficient_scope", scope="system/Goal.s"',
    );
    expect((await call(narrow, '/api/organisations')).statusCode).toBe(403);
  });

  it.each([
    ['writing, which the client lacks', 'system/Patient.write'],
    ['a type that is not served', 'system/Foo.read'],
    ['every type and permission', 'system/*.*'],
  ])('refuses a token for %s with invalid_scope, naming the scope', async (_what, scope) => {
    const response = await tokenRequest('token-reader', readerSecret, `system/Patient.read ${scope}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_scope',
      error_description: expect.stringContaining(scope),
    });
    const denied = await database.db
      .selectFrom('audit_event')
      .select('purpose')
      .where('action', '=', 'token-issue')
      .where('resource_id', '=', 'token-reader')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.map((r) => r.purpose)).toContain(`scope not granted: ${scope}`);
  });

  it('refuses a read-only token on a route that writes, with 403 insufficient_scope', async () => {
    const response = await call(await token('token-reader', readerSecret), '/test/patient-write', 'POST');
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="WhatMatters", error="insufficient_scope", scope="system/Patient.write"',
    );
  });

  it('opens reading and writing to a client granted both, in v1 and v2 spelling', async () => {
    const both = await token('token-writer', writerSecret);
    expect((await call(both, '/test/patient-write', 'POST')).statusCode).toBe(200);
    expect((await call(both, '/test/patient-read')).statusCode).toBe(200);
    const everything = await token(
      'token-everything',
      everythingSecret,
      'system/Patient.write system/Goal.s',
    );
    expect((await call(everything, '/test/patient-write', 'POST')).statusCode).toBe(200);
    expect((await call(everything, '/test/goal-search')).statusCode).toBe(200);
    expect((await call(everything, '/test/patient-read')).statusCode).toBe(403);
  });

  it('reads a type only with both read and search, as system/<Type>.read means', async () => {
    const patientR = await token('token-patient-r', patientOnlySecret);
    expect((await call(patientR, '/test/patient-read')).statusCode).toBe(403);
    expect((await call(patientR, '/test/any-read')).statusCode).toBe(200);
  });

  it('opens a route that any type’s read opens to a token for one type, and not to a writer', async () => {
    const narrow = await token('token-reader', readerSecret, 'system/Goal.read');
    expect((await call(narrow, '/test/any-read')).statusCode).toBe(200);
    const writer = await token('token-writer', writerSecret, 'system/Patient.write');
    const refused = await call(writer, '/test/any-read');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['www-authenticate']).toMatch(
      /error="insufficient_scope", scope="system\/Patient\.r /,
    );
  });

  it('leaves routes that need another scope exactly as they were', async () => {
    const directory = await token('token-directory', directorySecret);
    expect((await call(directory, '/api/organisations')).statusCode).toBe(200);
    expect((await call(directory, '/test/patient-read')).statusCode).toBe(403);
    const reader = await token('token-reader', readerSecret, 'directory:read');
    expect((await call(reader, '/api/organisations')).statusCode).toBe(200);
    const everything = await call(await token('token-everything', everythingSecret), '/api/organisations');
    expect(everything.statusCode).toBe(403);
    expect(everything.headers['www-authenticate']).toBe(
      'Bearer realm="WhatMatters", error="insufficient_scope", scope="directory:read"',
    );
  });
});

describe('whatmatters client add with SMART scopes', () => {
  let cli: CliDatabase;

  beforeAll(async () => {
    cli = await createCliDatabase('fhir-scopes');
  });
  afterAll(() => cli?.cleanup());

  const oneLine = (text: string) => expect(text.trim().split('\n')).toHaveLength(1);

  it('refuses a bad scope with exit 2 and one line naming it', async () => {
    const result = await runCli(
      ['client', 'add', '--id', 'x-bad', '--name', 'X', '--scopes', 'system/*.read,system/Foo.read'],
      {
        env: cli.env,
      },
    );
    expect(result.code).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/Unknown scope "system\/Foo\.read"/);
  }, 60_000);

  it('refuses SMART scopes with exit 2 while there is no organisation', async () => {
    const result = await runCli(
      ['client', 'add', '--id', 'fhir-x', '--name', 'X', '--scopes', 'system/*.read'],
      {
        env: cli.env,
      },
    );
    expect(result.code).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/organisation-id/);
  }, 60_000);

  it('adds a client for the hosting organisation, or the one given, and prints which', async () => {
    const database = await cli.open();
    try {
      await database.db
        .insertInto('organisation')
        .values([
          {
            organisation_id: OTHER.id,
            kind: 'gp-practice',
            name: OTHER.name,
            created_at: new Date('2024-02-01T00:00:00Z'),
          },
          {
            organisation_id: HOSTING.id,
            kind: 'nhs-trust',
            name: HOSTING.name,
            created_at: new Date('2024-01-01T00:00:00Z'),
          },
        ])
        .execute();
    } finally {
      await database.close();
    }

    const hosted = await runCli(
      ['client', 'add', '--id', 'fhir-x', '--name', 'X', '--scopes', 'system/*.read'],
      {
        env: cli.env,
      },
    );
    expect(hosted.code, hosted.stderr).toBe(0);
    expect(hosted.stdout).toMatch(/^scopes: system\/\*\.read$/m);
    expect(hosted.stdout).toMatch(new RegExp(`^organisation: ${HOSTING.name} \\(${HOSTING.id}\\)$`, 'm'));
    const secret = /^client_secret: (\S+)$/m.exec(hosted.stdout)?.[1] ?? '';

    const given = await runCli(
      [
        'client',
        'add',
        '--id',
        'fhir-y',
        '--name',
        'Y',
        '--scopes',
        'system/Patient.read, system/Goal.write,directory:read',
        '--organisation-id',
        OTHER.id,
      ],
      { env: cli.env },
    );
    expect(given.code, given.stderr).toBe(0);
    expect(given.stdout).toMatch(/^scopes: system\/Patient\.read system\/Goal\.write directory:read$/m);
    expect(given.stdout).toMatch(new RegExp(`^organisation: ${OTHER.name} \\(${OTHER.id}\\)$`, 'm'));

    const opened = await cli.open();
    const server = await buildApp({ services: createServices(opened) });
    try {
      const response = await server.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=fhir-x&client_secret=${secret}&scope=system%2FPatient.read`,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().scope).toBe('system/Patient.read');
    } finally {
      await server.close();
      await opened.close();
    }
  }, 120_000);

  it('describes the SMART scopes in its help', async () => {
    const help = await runCli(['client', '--help']);
    expect(help.stdout).toContain('system/*.read');
    expect(help.stdout).toMatch(/hosting organisation/);
  });
});
