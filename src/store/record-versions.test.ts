import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { PERSON_OWNED_TABLES } from './person-owned-tables.js';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
  await migrateToLatest(database.db);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

const versionOf = async (personId: string) =>
  String(
    (
      await database.db
        .selectFrom('person')
        .select('record_version')
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow()
    ).record_version,
  );

describe('record versions (migration 0005) and review facts (0006)', () => {
  it('every person-owned table counts its changes on the person: a table added later needs its triggers', async () => {
    const { rows } = await sql<{ table: string; triggers: string[] }>`
      select c.relname as table, array_agg(t.tgname::text order by t.tgname) as triggers
      from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where not t.tgisinternal and t.tgname like '%version%'
      group by c.relname`.execute(database.db);
    const byTable = new Map(rows.map((r) => [r.table, r.triggers]));
    // An unsaved conversation draft is no part of the record anyone reads (the record's version
    // keys cached reads of it): keeping one a step at a time must not make every reader's cache stale.
    const notInTheRecord = new Set<string>(['person', 'conversation_draft']);
    for (const table of PERSON_OWNED_TABLES.filter((t) => !notInTheRecord.has(t))) {
      expect(byTable.get(table), table).toEqual(
        expect.arrayContaining([`${table}_version_del`, `${table}_version_ins`, `${table}_version_upd`]),
      );
    }
    // Besides the record's counter, its FHIR resource version (migration 0029), which counts only
    // changes the Patient resource shows.
    expect(byTable.get('person')).toEqual(['person_resource_version', 'person_version']);
  });

  it('goes up with each change to the person or their rows, and keeps the latest conversation and plan', async () => {
    const personId = '00000000-0000-4000-8000-0000000000a1';
    const org = '00000000-0000-4000-8000-0000000000b1';
    const user = '00000000-0000-4000-8000-0000000000c1';
    await database.db
      .insertInto('organisation')
      .values({ organisation_id: org, name: 'Trust', kind: 'nhs-trust' })
      .execute();
    await database.db
      .insertInto('user_account')
      .values({ user_id: user, username: 'v@example.org', display_name: 'Vee', password_hash: 'x' } as never)
      .execute();
    await database.db
      .insertInto('person')
      .values({
        person_id: personId,
        nhs_number: null,
        given_name: 'A',
        family_name: 'B',
        sex: 'unknown',
      } as never)
      .execute();
    const first = await versionOf(personId);

    await database.db
      .updateTable('person')
      .set({ given_name: 'Ann' })
      .where('person_id', '=', personId)
      .execute();
    const renamed = await versionOf(personId);
    expect(BigInt(renamed)).toBeGreaterThan(BigInt(first));

    const conversation = (id: string, heldOn: string, review: string) => ({
      person_id: personId,
      conversation_id: id,
      kind: 'review',
      held_on: heldOn,
      next_review_date: review,
      recorded_by_user_id: user,
    });
    await database.db
      .insertInto('conversation')
      .values([
        conversation('00000000-0000-4000-8000-0000000000d1', '2026-03-01', '2026-06-01'),
        conversation('00000000-0000-4000-8000-0000000000d2', '2026-05-01', '2026-08-01'),
      ] as never)
      .execute();
    const afterConversations = await versionOf(personId);
    expect(BigInt(afterConversations)).toBeGreaterThan(BigInt(renamed));
    const facts = () =>
      database.db
        .selectFrom('person')
        .select(['latest_held_on', 'latest_next_review_date'])
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow();
    expect(await facts()).toEqual({ latest_held_on: '2026-05-01', latest_next_review_date: '2026-08-01' });

    // Deleting the latest conversation brings back the one before: the facts are recomputed.
    await database.db
      .deleteFrom('conversation')
      .where('conversation_id', '=', '00000000-0000-4000-8000-0000000000d2')
      .execute();
    expect(await facts()).toEqual({ latest_held_on: '2026-03-01', latest_next_review_date: '2026-06-01' });
    expect(BigInt(await versionOf(personId))).toBeGreaterThan(BigInt(afterConversations));
  });

  it('counts a change to a name the record shows from elsewhere once, whoever it is about', async () => {
    const reference = async () =>
      String(
        (await database.db.selectFrom('reference_version').select('version').executeTakeFirstOrThrow())
          .version,
      );
    const before = await reference();
    await database.db
      .updateTable('user_account')
      .set({ display_name: 'Vee Renamed' })
      .where('user_id', '=', '00000000-0000-4000-8000-0000000000c1')
      .execute();
    expect(BigInt(await reference())).toBeGreaterThan(BigInt(before));
  });
});
