import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      databaseUrl: null,
      logLevel: 'info',
      demoData: true,
      trustProxy: false,
      pgliteMemoryMb: 512,
      pgliteDurability: 'full',
      oidc: null,
      audit: { key: null, keyFile: null, anchorFile: null, anchorSeconds: 60 },
    });
  });

  it('reads where the audit key and anchors live, and how often to anchor', () => {
    const audit = loadConfig({
      AUDIT_KEY: ' abc ',
      AUDIT_KEY_FILE: 'keys/audit.key',
      AUDIT_ANCHOR_FILE: '/var/lib/wm/anchors.jsonl',
      AUDIT_ANCHOR_SECONDS: '5',
    }).audit;
    expect(audit).toEqual({
      key: 'abc',
      keyFile: path.resolve('keys/audit.key'),
      anchorFile: '/var/lib/wm/anchors.jsonl',
      anchorSeconds: 5,
    });
    expect(() => loadConfig({ AUDIT_ANCHOR_SECONDS: '0' })).toThrow(
      /AUDIT_ANCHOR_SECONDS must be a whole number from 1 to 86400/,
    );
  });

  it('syncs the embedded database fully unless PGLITE_DURABILITY=relaxed says otherwise', () => {
    expect(loadConfig({ PGLITE_DURABILITY: '' }).pgliteDurability).toBe('full');
    expect(loadConfig({ PGLITE_DURABILITY: ' full ' }).pgliteDurability).toBe('full');
    expect(loadConfig({ PGLITE_DURABILITY: 'relaxed' }).pgliteDurability).toBe('relaxed');
  });

  it('loads demo data by default only into the embedded database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/wm' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/wm', DEMO_DATA: 'true' }).demoData).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/wm',
      DATABASE_URL: 'postgres://u@db/wm',
      LOG_LEVEL: 'DEBUG',
      DEMO_DATA: 'false',
      TRUST_PROXY: 'yes',
      PGLITE_MEMORY_MB: '1024',
      PGLITE_DURABILITY: 'Relaxed',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/wm',
      databaseUrl: 'postgres://u@db/wm',
      logLevel: 'debug',
      demoData: false,
      trustProxy: true,
      pgliteMemoryMb: 1024,
      pgliteDurability: 'relaxed',
    });
  });

  it('reads OpenID Connect settings, with the callback on this host by default', () => {
    const oidc = {
      OIDC_ISSUER: 'https://login.example.org/tenant',
      OIDC_CLIENT_ID: 'wm',
      OIDC_CLIENT_SECRET: 's3cret',
    };
    expect(loadConfig({ ...oidc, PORT: '8080' }).oidc).toEqual({
      issuer: 'https://login.example.org/tenant',
      clientId: 'wm',
      clientSecret: 's3cret',
      redirectUri: 'http://localhost:8080/sign-in/oidc/callback',
    });
    expect(
      loadConfig({ ...oidc, OIDC_REDIRECT_URI: 'https://wm.example.org/sign-in/oidc/callback' }).oidc
        ?.redirectUri,
    ).toBe('https://wm.example.org/sign-in/oidc/callback');
    expect(loadConfig({ ...oidc, OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it.each([
    [{ OIDC_ISSUER: 'https://login.example.org' }, /OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too/],
    [{ OIDC_CLIENT_ID: 'wm', OIDC_CLIENT_SECRET: 'x' }, /OIDC_ISSUER must be set too/],
    [
      { OIDC_ISSUER: 'login.example.org', OIDC_CLIENT_ID: 'wm', OIDC_CLIENT_SECRET: 'x' },
      /OIDC_ISSUER must be an absolute URL/,
    ],
    [
      { OIDC_ISSUER: 'http://login.example.org', OIDC_CLIENT_ID: 'wm', OIDC_CLIENT_SECRET: 'x' },
      /OIDC_ISSUER must be an https:\/\/ URL/,
    ],
    [
      {
        OIDC_ISSUER: 'https://login.example.org',
        OIDC_CLIENT_ID: 'wm',
        OIDC_CLIENT_SECRET: 'x',
        OIDC_REDIRECT_URI: 'https://wm.example.org/callback',
      },
      /OIDC_REDIRECT_URI must end with \/sign-in\/oidc\/callback/,
    ],
    [
      { OIDC_REDIRECT_URI: 'https://wm.example.org/sign-in/oidc/callback' },
      /OIDC_REDIRECT_URI is set but OIDC_ISSUER is not/,
    ],
  ])('refuses incomplete or unsafe OpenID Connect settings %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ DEMO_DATA: 'maybe' }, /DEMO_DATA must be true or false/],
    [{ PGLITE_DURABILITY: 'off' }, /PGLITE_DURABILITY must be full or relaxed, not "off"/],
  ])('rejects %o clearly', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
