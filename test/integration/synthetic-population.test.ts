import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadSyntheticPopulation,
  SYNTHETIC_TABLES,
  type SyntheticPopulationLoad,
} from '../../src/cli/bench/synthetic-population.js';
import { rebuildRollupsNow } from '../../src/features/rollups/service.js';
import { compareWithRebuild, flushRollups } from '../../src/features/rollups/store.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../support/test-database.js';

const TODAY = '2026-06-15';
const PEOPLE = 200;

const count = async (database: Database, query: ReturnType<typeof sql>) =>
  Number(((await query.execute(database.db)).rows[0] as { n: string | number }).n);

describe('the synthetic population for the aggregates benchmark', () => {
  let database: Database;
  let load: SyntheticPopulationLoad;

  beforeAll(async () => {
    database = await openTestDatabase();
    load = await loadSyntheticPopulation(database.db, { people: PEOPLE, today: TODAY, blockSize: 75 });
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it('reports the rows it inserted into each table, which are all there', async () => {
    expect(load.rows.person).toBe(PEOPLE);
    expect(load.rows.organisation).toBe(10);
    expect(load.rows.team).toBe(50);
    for (const table of SYNTHETIC_TABLES) {
      const n = await count(database, sql`select count(*) as n from ${sql.id(table)}`);
      // The database also holds what the migrations install (frameworks): nothing else of these.
      expect(n, table).toBe(load.rows[table]);
    }
  });

  it('gives everyone a first conversation, one to four reviews, two or three outcomes and about ten ratings', async () => {
    const shape = await sql<{ firsts: string; reviews_min: number; reviews_max: number }>`
      select count(*) filter (where firsts <> 1) as firsts, min(reviews) as reviews_min, max(reviews) as reviews_max
      from (select person_id, count(*) filter (where kind = 'first') as firsts,
        count(*) filter (where kind = 'review') as reviews from conversation group by person_id) c`.execute(
      database.db,
    );
    expect(Number(shape.rows[0]?.firsts)).toBe(0);
    expect(Number(shape.rows[0]?.reviews_min)).toBeGreaterThanOrEqual(0);
    expect(Number(shape.rows[0]?.reviews_max)).toBeLessThanOrEqual(4);
    expect(load.rows.conversation / PEOPLE).toBeGreaterThan(2.5);
    expect(load.rows.conversation / PEOPLE).toBeLessThan(4);
    expect(load.rows.personal_outcome / PEOPLE).toBeGreaterThanOrEqual(2);
    expect(load.rows.personal_outcome / PEOPLE).toBeLessThanOrEqual(3);
    expect(load.rows.outcome_rating / PEOPLE).toBeGreaterThan(7);
    expect(load.rows.outcome_rating / PEOPLE).toBeLessThan(14);
    expect(load.rows.gas_goal).toBeGreaterThan(0);
    expect(load.rows.care_plan_version).toBeGreaterThan(PEOPLE / 2);
  });

  it('holds to the foreign keys it was loaded without, and dates no later than today', async () => {
    const orphans = await count(
      database,
      sql`select
        (select count(*) from outcome_rating r where not exists (select 1 from personal_outcome o
          where o.person_id = r.person_id and o.outcome_id = r.outcome_id))
        + (select count(*) from outcome_rating r where not exists (select 1 from conversation c
          where c.person_id = r.person_id and c.conversation_id = r.conversation_id))
        + (select count(*) from personal_outcome o where not exists (select 1 from conversation c
          where c.person_id = o.person_id and c.conversation_id = o.conversation_id))
        + (select count(*) from personal_outcome_domain d where not exists (select 1 from outcome_domain od
          where od.domain_id = d.domain_id))
        + (select count(*) from gas_attainment a where not exists (select 1 from gas_goal g
          where g.person_id = a.person_id and g.goal_id = a.goal_id))
        + (select count(*) from gas_goal g where not exists (select 1 from personal_outcome o
          where o.person_id = g.person_id and o.outcome_id = g.outcome_id))
        + (select count(*) from person p where not exists (select 1 from team t where t.team_id = p.lead_team_id))
        + (select count(*) from conversation where held_on > ${TODAY}::date or held_on < ${TODAY}::date - 730)
        as n`,
    );
    expect(orphans).toBe(0);
  });

  it('writes the columns the triggers it switched off would have kept', async () => {
    const wrong = await count(
      database,
      sql`select count(*) as n from person p
        where p.latest_held_on is distinct from (select c.held_on from conversation c
            where c.person_id = p.person_id order by c.held_on desc, c.recorded_at desc limit 1)
          or p.latest_next_review_date is distinct from (select c.next_review_date from conversation c
            where c.person_id = p.person_id order by c.held_on desc, c.recorded_at desc limit 1)
          or p.plan_version is distinct from (select max(v.version) from care_plan_version v
            where v.person_id = p.person_id)
          or p.plan_review_date is distinct from (select v.planned_review_date from care_plan_version v
            where v.person_id = p.person_id order by v.version desc limit 1)`,
    );
    expect(wrong).toBe(0);
  });

  it('rebuilds into rollups that count every outcome, and switches the triggers back on', async () => {
    const rebuilt = await rebuildRollupsNow(database.db);
    expect(rebuilt.cells).toBeGreaterThan(0);
    const outcomes = await count(
      database,
      sql`select coalesce(sum(denominator), 0) as n from indicator_rollup where measure = 'outcome' and dim = 'all'`,
    );
    expect(outcomes).toBe(load.rows.personal_outcome);
    // A write after the load is kept incrementally: the triggers mark the person again, and the
    // worker (flushed here, as the server would run it) applies it.
    await database.db.transaction().execute(async (trx) => {
      await sql`insert into outcome_rating (person_id, rating_id, outcome_id, viewpoint, score, rated_by_user_id, rated_at)
        select o.person_id, gen_random_uuid(), o.outcome_id, 'carer', 4, o.created_by_user_id, now()
        from personal_outcome o order by o.person_id, o.outcome_id limit 3`.execute(trx);
    });
    expect(await flushRollups(database.db)).toBeGreaterThan(0);
    const carerRatings = await count(
      database,
      sql`select coalesce(sum(denominator), 0) as n from indicator_rollup
        where measure = 'rating' and dim = 'all' and viewpoint = 'carer'`,
    );
    expect(carerRatings).toBe(3);
    expect(await compareWithRebuild(database.db)).toEqual([]);
  });

  it('makes the same population from the same seed', async () => {
    const other = await openTestDatabase();
    try {
      await loadSyntheticPopulation(other.db, { people: 30, today: TODAY, seed: 7 });
      const again = await openTestDatabase();
      try {
        await loadSyntheticPopulation(again.db, { people: 30, today: TODAY, seed: 7 });
        const digest = (db: Database) =>
          sql<{
            d: string;
          }>`select md5(string_agg(r.rating_id::text || r.score || r.viewpoint || c.held_on, ','
              order by r.rating_id)) as d
            from outcome_rating r join conversation c using (person_id, conversation_id)`
            .execute(db.db)
            .then((r) => r.rows[0]?.d);
        expect(await digest(other)).toBe(await digest(again));
      } finally {
        await again.close();
      }
    } finally {
      await other.close();
    }
  }, 120_000);

  it('refuses a size out of range, naming it', async () => {
    await expect(loadSyntheticPopulation(database.db, { people: 0, today: TODAY })).rejects.toThrow(/people/);
    await expect(loadSyntheticPopulation(database.db, { people: 10, today: '15/06/2026' })).rejects.toThrow(
      /today/,
    );
  });
});
