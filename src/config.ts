import path from 'node:path';
import type { PgliteDurability } from './store/pglite-durability.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the process reads from its environment, parsed once and validated. */
export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** PostgreSQL server; when set, the embedded database is not used. */
  databaseUrl: string | null;
  logLevel: LogLevel;
  /** Load the demo population into a new, empty database (default: embedded database only). */
  demoData: boolean;
  /** Set when a TLS-terminating proxy sits in front: session cookies become Secure. */
  trustProxy: boolean;
  /** Memory PGlite starts with, in MiB. */
  pgliteMemoryMb: number;
  /**
   * Whether the embedded database syncs each acknowledged write to disk (`full`, the default) or
   * leaves that to the operating system (`relaxed`: fast, but a power cut can lose or corrupt data).
   */
  pgliteDurability: PgliteDurability;
  /** Sign-in with an organisation's account (OpenID Connect); null unless OIDC_ISSUER is set. */
  oidc: OidcConfig | null;
  /** The audit trail's key and anchors, which live outside the database (docs/SECURITY.md). */
  audit: AuditConfig;
}

export interface AuditConfig {
  /** AUDIT_KEY: the key itself (hex or base64, 32 bytes or more). */
  key: string | null;
  /** AUDIT_KEY_FILE: a file holding it; default `audit.key` in DATA_DIR, made on first start. */
  keyFile: string | null;
  /** AUDIT_ANCHOR_FILE: the append-only file of signed chain heads; default in DATA_DIR. */
  anchorFile: string | null;
  /** AUDIT_ANCHOR_SECONDS: how often a running server anchors the head (default 60). */
  anchorSeconds: number;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** The path the identity provider sends people back to; OIDC_REDIRECT_URI must end with it. */
export const OIDC_CALLBACK_PATH = '/sign-in/oidc/callback';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, not "${env[name]}"`);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function url(name: string, raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, not "${raw}"`);
  }
}

/** https, or plain http only on this machine (a development or test provider). */
function secureUrl(name: string, raw: string): URL {
  const parsed = url(name, raw);
  const local = parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !local) {
    throw new ConfigError(`${name} must be an https:// URL (http:// only for localhost), not "${raw}"`);
  }
  return parsed;
}

function oidcConfig(env: Env, port: number): OidcConfig | null {
  const names = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const values = names.map((n) => env[n]?.trim() ?? '');
  const redirect = env.OIDC_REDIRECT_URI?.trim() ?? '';
  if (values.every((v) => v === '')) {
    if (redirect) throw new ConfigError('OIDC_REDIRECT_URI is set but OIDC_ISSUER is not');
    return null;
  }
  const missing = names.filter((_, i) => values[i] === '');
  if (missing.length) {
    throw new ConfigError(
      `${missing.join(' and ')} must be set too: OpenID Connect sign-in needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET`,
    );
  }
  const [issuer = '', clientId = '', clientSecret = ''] = values;
  const issuerUrl = secureUrl('OIDC_ISSUER', issuer);
  if (issuerUrl.search || issuerUrl.hash) {
    throw new ConfigError('OIDC_ISSUER must be the issuer identifier, without a query or fragment');
  }
  const redirectUri = redirect || `http://localhost:${port}${OIDC_CALLBACK_PATH}`;
  const redirectUrl = secureUrl('OIDC_REDIRECT_URI', redirectUri);
  if (!redirectUrl.pathname.endsWith(OIDC_CALLBACK_PATH) || redirectUrl.search || redirectUrl.hash) {
    throw new ConfigError(`OIDC_REDIRECT_URI must end with ${OIDC_CALLBACK_PATH}, not "${redirectUri}"`);
  }
  return { issuer, clientId, clientSecret, redirectUri: redirectUrl.toString() };
}

const PGLITE_DURABILITY_MODES = ['full', 'relaxed'] as const satisfies readonly PgliteDurability[];

function pgliteDurability(env: Env): PgliteDurability {
  const raw = env.PGLITE_DURABILITY?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'full';
  const mode = PGLITE_DURABILITY_MODES.find((m) => m === raw);
  if (!mode) {
    throw new ConfigError(
      `PGLITE_DURABILITY must be ${PGLITE_DURABILITY_MODES.join(' or ')}, not "${env.PGLITE_DURABILITY}"`,
    );
  }
  return mode;
}

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${env.LOG_LEVEL}"`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const dataDir = env.DATA_DIR?.trim() || './data';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: dataDir === 'memory://' ? dataDir : path.resolve(dataDir),
    databaseUrl,
    logLevel: logLevel as LogLevel,
    // Demo accounts have a published password: on by default only for the embedded database.
    demoData: flag(env, 'DEMO_DATA', databaseUrl === null),
    trustProxy: flag(env, 'TRUST_PROXY', false),
    pgliteMemoryMb: integer(env, 'PGLITE_MEMORY_MB', 512, 64, 4096),
    pgliteDurability: pgliteDurability(env),
    oidc: oidcConfig(env, port),
    audit: {
      key: env.AUDIT_KEY?.trim() || null,
      keyFile: env.AUDIT_KEY_FILE?.trim() ? path.resolve(env.AUDIT_KEY_FILE.trim()) : null,
      anchorFile: env.AUDIT_ANCHOR_FILE?.trim() ? path.resolve(env.AUDIT_ANCHOR_FILE.trim()) : null,
      anchorSeconds: integer(env, 'AUDIT_ANCHOR_SECONDS', 60, 1, 86_400),
    },
  };
}
