import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.js';
import { fixedQuery, perShape } from './fixed-query.js';
import { migrateToLatest } from './migrate.js';

let database: Database;
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const [id1, id2, id3] = [id(1), id(2), id(3)];

beforeAll(async () => {
  database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
  await migrateToLatest(database.db);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

describe('fixedQuery', () => {
  const byKind = fixedQuery((db, v: { kind: string; limit: number }) =>
    db
      .selectFrom('organisation')
      .select(['organisation_id', 'kind'])
      .where('kind', '=', v.kind)
      .orderBy('organisation_id')
      .limit(v.limit),
  );

  it('compiles the same text as the builder and puts each value in its place', async () => {
    await database.db
      .insertInto('organisation')
      .values([
        { organisation_id: id1, name: 'One', kind: 'nhs-trust' },
        { organisation_id: id2, name: 'Two', kind: 'nhs-trust' },
        { organisation_id: id3, name: 'Three', kind: 'gp-practice' },
      ])
      .execute();
    expect(await byKind.rows(database.db, { kind: 'nhs-trust', limit: 10 })).toEqual([
      { organisation_id: id1, kind: 'nhs-trust' },
      { organisation_id: id2, kind: 'nhs-trust' },
    ]);
    // The same compiled query with other values: nothing of the first run is kept.
    expect(await byKind.rows(database.db, { kind: 'gp-practice', limit: 10 })).toEqual([
      { organisation_id: id3, kind: 'gp-practice' },
    ]);
    expect(await byKind.first(database.db, { kind: 'nhs-trust', limit: 1 })).toEqual({
      organisation_id: id1,
      kind: 'nhs-trust',
    });
    expect(await byKind.first(database.db, { kind: 'housing-provider', limit: 1 })).toBeUndefined();
  });

  it('refuses to run without a value for each slot, rather than sending null', async () => {
    await expect(byKind.rows(database.db, { kind: 'nhs-trust' } as never)).rejects.toThrow(/value for limit/);
  });
});

describe('perShape', () => {
  it('builds each shape once and gives the same query for the same shape', () => {
    let builds = 0;
    const forShape = perShape((shape: { search: boolean }, teams: number) => {
      builds += 1;
      return { shape, teams };
    });
    const a = forShape({ search: true }, 2);
    expect(forShape({ search: true }, 2)).toBe(a);
    expect(forShape({ search: false }, 2)).not.toBe(a);
    expect(forShape({ search: true }, 3)).not.toBe(a);
    expect(builds).toBe(3);
  });
});
