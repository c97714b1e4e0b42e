import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparingPglite } from './pglite-statements.js';

let client: PGlite;
let preparing: ReturnType<typeof preparingPglite>;

beforeAll(async () => {
  client = await PGlite.create('memory://', { parsers: { 1082: (value: string) => value } });
  preparing = preparingPglite(client);
  await client.exec(`
    create table t (
      id uuid primary key, day date, at timestamptz, n int, big bigint, yes boolean,
      doc jsonb, tags text[], note text
    );
    insert into t values
      ('6f1c8a5e-0b7a-4a55-9d59-1f0c2f8f6c01', '2026-01-02', '2026-01-02T10:00:00Z', 3, 9007199254740993,
       true, '{"a":[1,2]}', '{x,y}', null);`);
}, 60_000);

afterAll(async () => {
  await client?.close();
});

const SELECT =
  'select *, (select json_agg(x) from generate_series(1, $2) as x) as agg from t where id = $1 and tags && $3';
const VALUES = ['6f1c8a5e-0b7a-4a55-9d59-1f0c2f8f6c01', 3, ['y']];

describe('preparingPglite', () => {
  it('returns the same rows and fields as PGlite’s own query, the first time and after', async () => {
    const expected = await client.query(SELECT, VALUES);
    const first = await preparing.query(SELECT, VALUES);
    const again = await preparing.query(SELECT, VALUES);
    expect(first.rows).toEqual(expected.rows);
    expect(again.rows).toEqual(expected.rows);
    expect(first.fields).toEqual(expected.fields);
    expect(first.rows[0]).toMatchObject({ day: '2026-01-02', yes: true, agg: [1, 2, 3], note: null });
  });

  it('counts the rows a write changed', async () => {
    const insert = 'insert into t (id, n) values ($1, $2)';
    expect((await preparing.query(insert, ['6f1c8a5e-0b7a-4a55-9d59-1f0c2f8f6c02', 1])).affectedRows).toBe(1);
    const update = 'update t set n = n + $1 where n is not null';
    expect((await preparing.query(update, [1])).affectedRows).toBe(2);
  });

  it('raises the database’s error with its code, and the next statement runs', async () => {
    const insert = 'insert into t (id, n) values ($1, $2)';
    await expect(preparing.query(insert, ['6f1c8a5e-0b7a-4a55-9d59-1f0c2f8f6c02', 1])).rejects.toMatchObject({
      code: '23505',
    });
    await expect(preparing.query('select * from nowhere where id = $1', [1])).rejects.toMatchObject({
      code: '42P01',
    });
    expect((await preparing.query('select count(*)::int as n from t where n > $1', [0])).rows).toEqual([
      { n: 2 },
    ]);
  });

  it('keeps a transaction’s statements in the transaction', async () => {
    await preparing.query('begin');
    await preparing.query('insert into t (id, n) values ($1, $2)', [
      '6f1c8a5e-0b7a-4a55-9d59-1f0c2f8f6c03',
      7,
    ]);
    await preparing.query('rollback');
    expect((await preparing.query('select count(*)::int as n from t where n = $1', [7])).rows).toEqual([
      { n: 0 },
    ]);
  });
});
