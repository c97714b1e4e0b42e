import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer } from '../support/cli.js';
import { type CliDatabase, createCliDatabase } from '../support/cli-database.js';
import { testBackend } from '../support/test-database.js';

describe('whatmatters CLI', () => {
  it('--help lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'seed', 'calc']) expect(result.stdout).toContain(command);
  });

  it('calc with an unknown method exits 2 with one line listing the methods', async () => {
    const result = await runCli(['calc', 'no-such-method'], { stdin: '{}' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('nhs-number');
  });

  it('calc reads JSON on stdin and writes JSON on stdout', async () => {
    const result = await runCli(['calc', 'nhs-number'], { stdin: '{"nhsNumber":"943 476 5919"}' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: true,
      normalised: '9434765919',
      formatted: '943 476 5919',
    });
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['a missing field', '{}', /nhsNumber/],
    ['a wrong type', '{"nhsNumber": 9434765919}', /nhsNumber/],
  ])('calc exits 2 with one clear line for %s', async (_what, stdin, message) => {
    const result = await runCli(['calc', 'nhs-number'], { stdin });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('seed refuses bad arguments with exit 2', async () => {
    const result = await runCli(['seed', '--people', 'lots'], { env: { DATA_DIR: 'memory://' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--people must be a whole number/);
  });

  it('a bad environment variable is a clear error, not a crash', async () => {
    const result = await runCli(['migrate'], { env: { PORT: 'eighty' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT must be a whole number/);
  });
});

describe('whatmatters serve', () => {
  let cli: CliDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await createCliDatabase('serve');
    env = { ...cli.env, DEMO_DATA: 'true' };
  });
  afterAll(() => cli?.cleanup());

  it('starts on a new database with demo data, serves pages, and stops cleanly on SIGINT', async () => {
    const server = await startServer(env);
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const signIn = await (await fetch(`${base}/sign-in`)).text();
    expect(signIn).toContain('practitioner@demo');
    // Whoever started it was told what it was doing, then where to open it and how to sign in.
    expect(server.output()).toContain('Loading the demo population');
    expect(server.output()).toMatch(/care records: \d+ of \d+ people/);
    expect(server.output()).toContain(`WhatMatters is ready: open http://127.0.0.1:${server.port}/`);
    expect(server.output()).toMatch(/practitioner@demo\s+\S/);

    if (testBackend() === 'pglite') {
      const second = await runCli(['serve'], { env: { ...env, PORT: '0' } });
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/in use by another WhatMatters process/);
    }

    // It stops cleanly (exit 0, database closed); how long that takes on a busy machine is no bug.
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('database closed cleanly');

    // The next start works on the same database, and does not load the demo again.
    const again = await startServer(env);
    expect(again.output()).not.toContain('loaded demo data');
    expect(again.output()).not.toContain('Loading the demo population');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 600_000);

  it('user add, then user remove: the account keeps nothing personal; a missing username is exit 2', async () => {
    const added = await runCli(
      ['user', 'add', '--username', 'leaver@example.org', '--name', 'Lee Leaver', '--role', 'admin'],
      { env: { ...env, WM_NEW_PASSWORD: 'a long enough password here' } },
    );
    expect(added.code, added.stderr).toBe(0);
    const removed = await runCli(['user', 'remove', '--username', 'leaver@example.org'], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(
      /^Removed user leaver@example.org \(id [0-9a-f-]{36}\): it can never sign in again/,
    );
    const again = await runCli(['user', 'remove', '--username', 'leaver@example.org'], { env });
    expect(again.code).not.toBe(0);
    const missing = await runCli(['user', 'remove'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  }, 300_000);

  it('migrate is safe to run twice', async () => {
    const first = await runCli(['migrate'], { env });
    expect(first.code).toBe(0);
    const second = await runCli(['migrate'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/up to date/);
  }, 300_000);
});
