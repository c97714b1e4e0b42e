import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import {
  Kysely,
  type KyselyConfig,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  sql,
} from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { type AuditTrailOptions, type AuditTrailSettings, resolveAuditTrail } from './audit-key.js';
import { lockDataDir } from './data-dir-lock.js';
import { createPglite, type PgliteDurability } from './pglite-durability.js';
import { preparingPglite } from './pglite-statements.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the query builder plus how to check and close it. */
export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** The audit trail's key and anchor file, which live outside the database. */
  readonly auditTrail: AuditTrailSettings;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  /** Closes connections (and the embedded database and its lock). Safe to call twice. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  pgliteMemoryMb?: number;
  /** Whether the embedded database syncs acknowledged writes to disk (default `full`); see pglite-durability.ts. */
  pgliteDurability?: PgliteDurability;
  /** Where the audit trail's key and anchors come from (default: files in dataDir). */
  auditTrail?: AuditTrailOptions;
}

const PG_DATE_OID = 1082;
// Calendar dates stay 'YYYY-MM-DD' strings: turning them into JS Dates shifts them by the time zone.
const keepDateText = (value: string) => value;

/** The statements run so far by the work a `countQueries` call started. */
interface QueryTally {
  statements: number;
}

const queryTally = new AsyncLocalStorage<QueryTally>();

/**
 * Counts every statement sent to the database (transaction begin and commit included) by whatever
 * `run` starts, across its awaits, and nothing from work running beside it: each call has its own
 * tally in AsyncLocalStorage, so concurrent requests never mix. Tests use it to prove a page's query
 * count does not grow with the data it shows.
 */
export async function countQueries<T>(run: () => PromiseLike<T>): Promise<{ result: T; queries: number }> {
  const tally: QueryTally = { statements: 0 };
  // Awaited inside the tally's context: a lazy thenable (light-my-request's inject) starts its work
  // only when awaited, and would otherwise start outside it, uncounted.
  const result = await queryTally.run(tally, async () => await run());
  return { result, queries: tally.statements };
}

/**
 * Kysely calls this after each statement, failed ones too. Outside `countQueries` it finds no tally
 * and does nothing, so serving requests pays one lookup per statement.
 */
const tallyStatement: KyselyConfig['log'] = () => {
  const tally = queryTally.getStore();
  if (tally) tally.statements++;
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const auditTrail = resolveAuditTrail(options.dataDir, options.auditTrail);
  const open = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options);
  return { ...open, auditTrail };
}

async function openPostgres(connectionString: string): Promise<OpenDatabase> {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    query_timeout: 35_000,
    application_name: 'whatmatters',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_DATE_OID
          ? keepDateText
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparing(pool) }), log: tallyStatement });
  return wrap(db, 'postgres', async () => {
    await db.destroy();
  });
}

/** Statements a connection keeps prepared at most: queries with lists of varying length differ in text. */
const MAX_PREPARED_PER_CONNECTION = 500;
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Runs each data statement as a named prepared statement on its connection, so PostgreSQL parses
 * and plans a query text once per connection instead of on every request: for the short queries a
 * page is made of, planning costs as much as running them. The name is a hash of the text, so the
 * same query on the same connection reuses its plan; transaction control and DDL are sent as they are.
 */
const statementNames = new Map<string, string>();
/** A query text's statement name: a hash of the text, remembered (the texts are the app's own few hundred). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `wm_${createHash('sha1').update(text).digest('base64url')}`;
    if (statementNames.size < 10_000) statementNames.set(text, name);
  }
  return name;
}

function preparing(pool: pg.Pool): PostgresPool {
  const preparedBy = new WeakMap<pg.PoolClient, Set<string>>();
  return {
    connect: async () => {
      const client = await pool.connect();
      const prepared = preparedBy.get(client) ?? new Set<string>();
      preparedBy.set(client, prepared);
      return {
        query: ((text: string, values?: readonly unknown[]) => {
          const params = values ? [...values] : undefined;
          // Cursors (streaming) and utility statements go through unchanged.
          if (typeof text !== 'string' || !PREPARABLE.test(text)) {
            return (client.query as (t: unknown, v?: unknown[]) => unknown)(text, params);
          }
          const name = statementName(text);
          if (!prepared.has(name)) {
            if (prepared.size >= MAX_PREPARED_PER_CONNECTION) return client.query(text, params);
            prepared.add(name);
          }
          return client.query({ name, text, values: params });
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

async function openPglite(options: DatabaseOptions): Promise<OpenDatabase> {
  const inMemory = options.dataDir === 'memory://';
  const lock = inMemory ? null : lockDataDir(options.dataDir);
  try {
    const location = inMemory ? 'memory://' : `${options.dataDir}/pglite`;
    const client = await createPglite(location, options.pgliteDurability ?? 'full', {
      initialMemory: (options.pgliteMemoryMb ?? 512) * 1024 * 1024,
      parsers: { [PG_DATE_OID]: keepDateText },
    });
    const db = new Kysely<DB>({
      dialect: new PGliteDialect(preparingPglite(client) as PGlite),
      log: tallyStatement,
    });
    return wrap(db, 'pglite', async () => {
      // Kysely's PGlite driver closes the client on destroy; close it here only if it did not.
      await db.destroy();
      if (!client.closed) await client.close();
      lock?.release();
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
}

type OpenDatabase = Omit<Database, 'auditTrail'>;

function wrap(db: Kysely<DB>, kind: DatabaseKind, closeAll: () => Promise<void>): OpenDatabase {
  let closing: Promise<void> | null = null;
  return {
    db,
    kind,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}
