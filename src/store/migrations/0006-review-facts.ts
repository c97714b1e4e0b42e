import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * The facts a caseload sorts and flags by, kept on the person's row: the latest conversation's date
 * and the review it set, and the latest plan version with its planned review. A caseload then reads
 * one row per person instead of searching two tables for each (two index probes, a sort and a limit
 * per person, for every page of every caseload). Triggers keep them in step with the tables they
 * come from, in the same transaction as the change, recomputed for each person a statement touched
 * (so a deleted or corrected conversation counts too). "Latest" is the record's own order: held on
 * newest first, then recorded newest first; the highest plan version.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table person
      add column latest_held_on date,
      add column latest_next_review_date date,
      add column plan_version integer,
      add column plan_review_date date`,
    sql`create function wm_refresh_latest_conversation() returns trigger language plpgsql as $$
      begin
        update person p set (latest_held_on, latest_next_review_date) = (
          select c.held_on, c.next_review_date from conversation c
          where c.person_id = p.person_id
          order by c.held_on desc, c.recorded_at desc limit 1)
        where p.person_id in (select distinct person_id from changed);
        return null;
      end $$`,
    sql`create function wm_refresh_latest_plan() returns trigger language plpgsql as $$
      begin
        update person p set (plan_version, plan_review_date) = (
          select v.version, v.planned_review_date from care_plan_version v
          where v.person_id = p.person_id
          order by v.version desc limit 1)
        where p.person_id in (select distinct person_id from changed);
        return null;
      end $$`,
    ...(
      [
        ['conversation', 'wm_refresh_latest_conversation'],
        ['care_plan_version', 'wm_refresh_latest_plan'],
      ] as const
    ).flatMap(([table, fn]) =>
      (
        [
          ['ins', 'insert', 'new'],
          ['upd', 'update', 'new'],
          ['del', 'delete', 'old'],
        ] as const
      ).map(
        ([suffix, event, rows]) =>
          sql`create trigger ${sql.id(`${table}_latest_${suffix}`)} after ${sql.raw(event)} on ${sql.id(table)}
            referencing ${sql.raw(rows)} table as changed for each statement execute function ${sql.id(fn)}()`,
      ),
    ),
    sql`update person p set (latest_held_on, latest_next_review_date) = (
      select c.held_on, c.next_review_date from conversation c
      where c.person_id = p.person_id
      order by c.held_on desc, c.recorded_at desc limit 1)`,
    sql`update person p set (plan_version, plan_review_date) = (
      select v.version, v.planned_review_date from care_plan_version v
      where v.person_id = p.person_id
      order by v.version desc limit 1)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    ...['conversation', 'care_plan_version'].flatMap((table) =>
      ['ins', 'upd', 'del'].map(
        (suffix) => sql`drop trigger ${sql.id(`${table}_latest_${suffix}`)} on ${sql.id(table)}`,
      ),
    ),
    sql`drop function wm_refresh_latest_conversation()`,
    sql`drop function wm_refresh_latest_plan()`,
    sql`alter table person
      drop column latest_held_on, drop column latest_next_review_date,
      drop column plan_version, drop column plan_review_date`,
  ]);
}
