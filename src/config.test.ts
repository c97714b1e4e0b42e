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
    });
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
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ DEMO_DATA: 'maybe' }, /DEMO_DATA must be true or false/],
  ])('rejects %o clearly', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
