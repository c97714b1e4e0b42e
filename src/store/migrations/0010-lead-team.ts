import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * The team responsible for each person's record (the lead team), on the person's row:
 *
 * - `lead_team_id`: the team responsible, or null when no team has ever been (a record registered by
 *   someone without a team, or one whose care team the backfill could not place).
 * - `lead_state`: `responsible` (the lead team's organisation may see the record), `escalated` (a
 *   member of the lead team asked its manager to decide who should be responsible; the team stays
 *   responsible meanwhile) or `needs-team` (no team is responsible: there is none, or its
 *   organisation no longer has a basis for sharing in force, for example because the person
 *   withdrew it).
 * - `lead_state_reason`, `lead_state_by_user_id`, `lead_state_since`: why and by whom the state
 *   last changed, and when.
 *
 * A record that is not `responsible` is on a work list ("records needing a responsible team"):
 * the managers of its lead team and the administrators see it. That list reads a partial index of
 * only those records, so it costs the same at 3 million people as at 300.
 *
 * Two things are kept by the database, in the same transaction as the change, whichever code
 * path writes the sharing basis (registration, the demo loader, adding to the care team):
 * a record without a lead team takes the team of the care-team member its new direct-care basis
 * covers (the key worker's team first); and the state follows whether the lead team's
 * organisation has a basis in force (withdrawn → `needs-team`; in force again → `responsible`).
 * Rows never move between people, and each trigger updates only the same person's row, so under
 * Citus the work stays on the person's shard.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table person
      add column lead_team_id uuid references team (team_id),
      add column lead_state text not null default 'needs-team'
        check (lead_state in ('responsible', 'escalated', 'needs-team')),
      add column lead_state_reason text check (char_length(lead_state_reason) <= 500),
      add column lead_state_by_user_id uuid,
      add column lead_state_since timestamptz not null default now()`,
    sql`create index person_lead_team_idx on person (lead_team_id)`,
    sql`create index person_needing_lead_team_idx on person (lead_team_id, lead_state_since)
      where lead_state <> 'responsible'`,
    sql`create function wm_lead_team_after_basis() returns trigger language plpgsql as $$
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
    sql`create trigger sharing_basis_lead_ins after insert on sharing_basis
      referencing new table as changed for each statement execute function wm_lead_team_after_basis()`,
    sql`create trigger sharing_basis_lead_upd after update on sharing_basis
      referencing new table as changed for each statement execute function wm_lead_team_after_basis()`,
    // Existing records: the team of the care-team member their direct-care basis covers.
    sql`update person p set lead_team_id = m.team_id
      from (
        select distinct on (cm.person_id) cm.person_id, cm.team_id
        from care_team_member cm
        join sharing_basis b on b.person_id = cm.person_id and b.organisation_id = cm.organisation_id
        where b.basis = 'direct-care' and b.withdrawn_at is null
          and cm.team_id is not null and cm.end_date is null
        order by cm.person_id, cm.is_key_worker desc, cm.start_date, cm.member_id
      ) m
      where p.person_id = m.person_id`,
    sql`update person p set lead_state = 'responsible'
      where p.lead_team_id is not null`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop trigger sharing_basis_lead_ins on sharing_basis`,
    sql`drop trigger sharing_basis_lead_upd on sharing_basis`,
    sql`drop function wm_lead_team_after_basis()`,
    sql`alter table person
      drop column lead_team_id, drop column lead_state, drop column lead_state_reason,
      drop column lead_state_by_user_id, drop column lead_state_since`,
  ]);
}
