import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Cheaper record triggers (issue 13, bulk import throughput). Same meaning, less work per statement:
 *
 * 1. `person.record_version` (migration 0005) goes up once per transaction that changes a person's
 *    record, not once per statement. Its one reader is the record cache
 *    (features/people/record-cache.ts), which keeps a record read with its stamp and serves it while
 *    the stamp is unchanged. A stamp tells states of a record apart only as other transactions see
 *    them, and they never see a transaction's state before it commits, so one step per transaction
 *    is enough for every reader outside it: after the commit the version is higher than any a reader
 *    saw before, whatever the transaction wrote after its first bump. The cache is never read inside a
 *    writing transaction (recordStampOf refuses a transaction; PGlite's driver runs other queries
 *    only between transactions), so no cached copy can hold a transaction's half-written state.
 *
 *    "Bumped already in this transaction" is read off the person's row: its current version was
 *    written by this transaction (`xmin` is its id) exactly when this transaction inserted the
 *    person (a new record: no reader has a stamp of it) or updated the row — and every update of the
 *    row bumps the version itself (wm_bump_own_version). A write in a subtransaction (a savepoint)
 *    has its own id and bumps again: more steps, never fewer. A registration, or an import, writes
 *    the person and then their rows in one transaction: the rows no longer rewrite the person's row
 *    (and its indexes) once per table.
 *
 *    The one inexactness: the 32-bit xid wraps around. A row left unchanged for a whole cycle of
 *    4 billion transactions and frozen keeps its old xmin, which a later transaction's id can equal
 *    (a chance of 1 in 2^32 per such write); that write would not bump the version, and a cached
 *    read of that record would miss it until the record's next change.
 *
 *    The changed people are looked up by key, never by reading the table (`enable_seqscan = off`
 *    for the function's statements): a statement's rows are a handful of the table's, but the
 *    planner cannot count a transition table's distinct people and, while statistics lag a bulk
 *    load, chose to read the whole person table for each statement (comparing every row with every
 *    changed person), so each batch of an import cost more the more people were held.
 *
 * 2. The lead team's state (migration 0010) after a sharing basis changes is one update of the
 *    changed people's rows, looked up by key (as above). The query it replaces
 *    joined the person table to a subquery of itself, and the planner hashed the whole table for
 *    it: every statement on sharing_basis read every person, so registering people a batch at a
 *    time cost more the more people were held (7 ms a statement at 20,000 people, and growing).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace function wm_bump_record_version() returns trigger language plpgsql
      set enable_seqscan = off as $$
      begin
        update person set record_version = record_version + 1
          where person_id = any (array(select distinct person_id from changed))
            and xmin <> pg_current_xact_id()::xid;
        return null;
      end $$`,
    sql`create or replace function wm_lead_team_after_basis() returns trigger language plpgsql
      set enable_seqscan = off as $$
      begin
        update person p set lead_team_id = m.team_id
        from (
          select distinct on (cm.person_id) cm.person_id, cm.team_id
          from changed b
          join care_team_member cm
            on cm.person_id = b.person_id and cm.organisation_id = b.organisation_id
          where b.basis = 'direct-care' and b.withdrawn_at is null
            and cm.team_id is not null and cm.end_date is null
          order by cm.person_id, cm.is_key_worker desc, cm.start_date, cm.member_id
        ) m
        where p.person_id = m.person_id and p.lead_team_id is null;
        -- The state changes only when it disagrees with whether the lead team's organisation has
        -- a basis in force: needs-team with one in force becomes responsible; responsible or
        -- escalated without one becomes needs-team.
        update person p set
          lead_state = case when p.lead_state = 'needs-team' then 'responsible' else 'needs-team' end,
          lead_state_since = now(),
          lead_state_reason = null,
          lead_state_by_user_id = null
        where p.person_id = any (array(select distinct person_id from changed))
          and (p.lead_state = 'needs-team') = exists (
            select 1 from sharing_basis sb join team t on t.organisation_id = sb.organisation_id
            where sb.person_id = p.person_id and t.team_id = p.lead_team_id and sb.withdrawn_at is null
          );
        return null;
      end $$`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace function wm_bump_record_version() returns trigger language plpgsql as $$
      begin
        update person set record_version = record_version + 1
          where person_id in (select distinct person_id from changed);
        return null;
      end $$`,
    sql`create or replace function wm_lead_team_after_basis() returns trigger language plpgsql as $$
      begin
        update person p set lead_team_id = m.team_id
        from (
          select distinct on (cm.person_id) cm.person_id, cm.team_id
          from changed b
          join care_team_member cm
            on cm.person_id = b.person_id and cm.organisation_id = b.organisation_id
          where b.basis = 'direct-care' and b.withdrawn_at is null
            and cm.team_id is not null and cm.end_date is null
          order by cm.person_id, cm.is_key_worker desc, cm.start_date, cm.member_id
        ) m
        where p.person_id = m.person_id and p.lead_team_id is null;
        update person p set
          lead_state = case when s.in_force then 'responsible' else 'needs-team' end,
          lead_state_since = now(),
          lead_state_reason = null,
          lead_state_by_user_id = null
        from (
          select pp.person_id, exists (
            select 1 from sharing_basis sb join team t on t.organisation_id = sb.organisation_id
            where sb.person_id = pp.person_id and t.team_id = pp.lead_team_id and sb.withdrawn_at is null
          ) as in_force
          from person pp
          where pp.person_id in (select distinct person_id from changed)
        ) s
        where p.person_id = s.person_id
          and ((s.in_force and p.lead_state = 'needs-team' and p.lead_team_id is not null)
            or (not s.in_force and p.lead_state <> 'needs-team'));
        return null;
      end $$`,
  ]);
}
