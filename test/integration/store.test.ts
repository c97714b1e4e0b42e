import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createPostgresTestDatabase, openTestDatabase, testBackend } from '../support/test-database.js';

describe('migrations', () => {
  it.runIf(testBackend() === 'postgres')('are safe when several processes start at once', async () => {
    const server = await createPostgresTestDatabase();
    const handles = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ databaseUrl: server.url, dataDir: 'memory://' })),
    );
    try {
      const reports = await Promise.all(handles.map((h) => migrateToLatest(h.db)));
      const applied = reports.flatMap((r) => r.applied);
      expect(applied.filter((name) => name === '0001-foundation')).toHaveLength(1);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await server.drop();
    }
  });

  it('do nothing the second time', async () => {
    const database = await openTestDatabase();
    expect((await migrateToLatest(database.db)).applied).toEqual([]);
    await database.close();
  });
});

describe('demo data', () => {
  const databases: Awaited<ReturnType<typeof openTestDatabase>>[] = [];
  const fresh = async () => {
    const database = await openTestDatabase();
    databases.push(database);
    return database;
  };
  afterAll(() => Promise.all(databases.map((d) => d.close())));

  let counts: Record<string, number>;
  beforeAll(async () => {
    const database = await fresh();
    await createServices(database).demoData.load({ people: 200, seed: 'counts' });
    counts = {};
    for (const table of [
      'organisation',
      'team',
      'person',
      'person_nhs_number',
      'user_account',
      'user_role',
    ] as const) {
      const row = await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
  });

  it('loads the population asked for', () => {
    expect(counts.person).toBe(200);
    expect(counts.person_nhs_number).toBe(200);
    expect(counts.organisation).toBeGreaterThanOrEqual(6);
    expect(counts.user_account).toBeGreaterThanOrEqual(7);
    expect(counts.user_role).toBeGreaterThanOrEqual(counts.user_account ?? 0);
  });

  it('refuses a database that already holds data', async () => {
    const database = await fresh();
    const demo = createServices(database).demoData;
    await demo.load({ people: 3, seed: 'x' });
    await expect(demo.load({ people: 3, seed: 'x' })).rejects.toMatchObject({ status: 409 });
  });

  it('writes all or nothing', async () => {
    const database = await fresh();
    // A clashing username makes the user insert fail after organisations and people were written.
    await database.db
      .insertInto('user_account')
      .values({
        user_id: '00000000-0000-4000-8000-000000000001',
        username: 'admin@demo',
        display_name: 'Existing',
      })
      .execute();
    await expect(createServices(database).demoData.load({ people: 10, seed: 'y' })).rejects.toThrow();
    const organisations = await database.db.selectFrom('organisation').select('organisation_id').execute();
    const people = await database.db.selectFrom('person').select('person_id').execute();
    expect(organisations).toEqual([]);
    expect(people).toEqual([]);
  });
});
