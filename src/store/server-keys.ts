import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.js';

/**
 * A secret key every server process on one database shares, made the first time it is asked for
 * and kept in `app_meta`: for signing what any of the processes must be able to check (the CSRF
 * tokens bound to a session). Keys that must survive a copy of the database being taken (the audit
 * trail's) do not belong here.
 */
export async function sharedServerKey(db: Kysely<DB>, name: string): Promise<string> {
  const key = `server-key:${name}`;
  await sql`insert into app_meta (key, value) values (${key}, to_jsonb(${randomBytes(32).toString('base64url')}::text))
    on conflict (key) do nothing`.execute(db);
  const row = await db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value as string;
}
