import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETHNIC_CATEGORIES, SEXES } from '../../src/domain/demographics.js';
import { ORGANISATION_KINDS } from '../../src/domain/organisation-kinds.js';
import { ROLES } from '../../src/domain/roles.js';
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

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('the schema and the domain agree on vocabularies', () => {
  it('accepts every organisation kind, role, sex and ethnic category the domain knows, and nothing else', async () => {
    const database = await openTestDatabase();
    const { db } = database;
    try {
      for (const [index, kind] of ORGANISATION_KINDS.entries()) {
        await db
          .insertInto('organisation')
          .values({ organisation_id: id(100 + index), kind, name: kind })
          .execute();
      }
      await expect(
        db
          .insertInto('organisation')
          .values({ organisation_id: id(199), kind: 'pharmacy', name: 'x' })
          .execute(),
      ).rejects.toThrow();

      await db
        .insertInto('user_account')
        .values({ user_id: id(1), username: 'u@x', display_name: 'U' })
        .execute();
      for (const [index, role] of ROLES.entries()) {
        await db
          .insertInto('user_role')
          .values({
            user_role_id: id(200 + index),
            user_id: id(1),
            role,
            organisation_id: null,
            team_id: null,
          })
          .execute();
      }
      await expect(
        db
          .insertInto('user_role')
          .values({
            user_role_id: id(299),
            user_id: id(1),
            role: 'superuser',
            organisation_id: null,
            team_id: null,
          })
          .execute(),
      ).rejects.toThrow();

      for (const [index, sex] of SEXES.entries()) {
        await db
          .insertInto('person')
          .values({ person_id: id(300 + index), given_name: 'A', family_name: 'B', sex })
          .execute();
      }
      for (const [index, category] of ETHNIC_CATEGORIES.entries()) {
        await db
          .insertInto('person')
          .values({
            person_id: id(400 + index),
            given_name: 'A',
            family_name: 'B',
            sex: 'unknown',
            ethnic_category: category.code,
          })
          .execute();
      }
      await expect(
        db
          .insertInto('person')
          .values({ person_id: id(499), given_name: 'A', family_name: 'B', sex: 'x' })
          .execute(),
      ).rejects.toThrow();
    } finally {
      await database.close();
    }
  });

  it('refuses a role whose team belongs to another organisation', async () => {
    const database = await openTestDatabase();
    const { db } = database;
    try {
      await db
        .insertInto('organisation')
        .values({ organisation_id: id(1), kind: 'nhs-trust', name: 'A' })
        .execute();
      await db
        .insertInto('organisation')
        .values({ organisation_id: id(2), kind: 'gp-practice', name: 'B' })
        .execute();
      await db
        .insertInto('team')
        .values({ team_id: id(3), organisation_id: id(1), name: 'T' })
        .execute();
      await db
        .insertInto('user_account')
        .values({ user_id: id(4), username: 'u@x', display_name: 'U' })
        .execute();
      await expect(
        db
          .insertInto('user_role')
          .values({
            user_role_id: id(5),
            user_id: id(4),
            role: 'practitioner',
            organisation_id: id(2),
            team_id: id(3),
          })
          .execute(),
      ).rejects.toThrow();
      await expect(
        db
          .insertInto('user_account')
          .values({ user_id: id(6), username: 'Upper@X', display_name: 'U' })
          .execute(),
      ).rejects.toThrow();
    } finally {
      await database.close();
    }
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
