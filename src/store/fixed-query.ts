import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Where a value goes in a query built once: stands in for the value while Kysely compiles. */
class Slot {
  constructor(readonly name: string) {}
}

/** Stand-ins for a query's values, typed as the values they stand for. */
const slots = <P extends object>(): P =>
  new Proxy({} as P, {
    get: (_target, name) => {
      if (typeof name !== 'string') throw new TypeError('A query parameter is named by a string.');
      return new Slot(name);
    },
  });

export interface FixedQuery<P extends object, R> {
  /** Every row the query returns for these values. */
  rows(db: Kysely<DB>, params: P): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Kysely<DB>, params: P): Promise<R | undefined>;
}

/**
 * A query whose shape never changes, built and compiled by Kysely once; each run only puts its
 * values in place. Building a record query with nested JSON subqueries (immutable nodes cloned and
 * frozen at every step, then a compiler pass) cost the server more CPU than PostgreSQL spent running
 * it, on every request; this keeps Kysely's typed builder and pays for it once.
 *
 * `build` receives stand-ins for the values: use them only as values (never in a condition the
 * builder evaluates in JavaScript, nor as a list to expand: pass arrays whole, `= any(...)`).
 * Both databases compile with Kysely's PostgreSQL compiler, so one compiled text serves both.
 */
export function fixedQuery<P extends object, R>(
  build: (db: Kysely<DB>, values: P) => Compilable<R>,
): FixedQuery<P, R> {
  let compiled: CompiledQuery<R> | undefined;
  const run = async (db: Kysely<DB>, params: P): Promise<R[]> => {
    compiled ??= build(db, slots<P>()).compile();
    const given = params as Record<string, unknown>;
    const values = compiled.parameters.map((value) => {
      if (!(value instanceof Slot)) return value;
      if (!(value.name in given)) throw new TypeError(`The query needs a value for ${value.name}.`);
      return given[value.name];
    });
    const result = await db.executeQuery(CompiledQuery.raw(compiled.sql, values) as CompiledQuery<R>);
    return result.rows;
  };
  return {
    rows: run,
    first: async (db, params) => (await run(db, params))[0],
  };
}

/**
 * A family of fixed queries, one per shape (which filters apply, how many teams): each is built and
 * compiled the first time its shape is asked for, then reused. Each combination of filters is a
 * query of its own because one query written as "value is null or …" gets one plan from PostgreSQL
 * for every combination, made for the worst case.
 */
export function perShape<A extends unknown[], Q>(build: (...shape: A) => Q): (...shape: A) => Q {
  const built = new Map<string, Q>();
  return (...shape) => {
    const key = JSON.stringify(shape);
    let query = built.get(key);
    if (!query) {
      query = build(...shape);
      built.set(key, query);
    }
    return query;
  };
}
