import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';

/** A member of staff's account as FHIR carries it: who they are, not how they sign in. */
export interface StaffAccountRow {
  userId: string;
  username: string;
  displayName: string;
  disabled: boolean;
  /** Absent: now. */
  createdAt?: string;
}

/**
 * An account restored by FHIR bulk import (interop/fhir/import-practitioners.ts) from a
 * Practitioner, after its checks (no account held under the id or username): no password and no
 * OpenID Connect subject, so it cannot sign in until an administrator sends its holder a password
 * reset link (user-accounts.ts createPasswordReset). Disabled when the Practitioner is not active.
 */
export async function restoreStaffAccount(db: Kysely<DB>, account: StaffAccountRow): Promise<void> {
  await db
    .insertInto('user_account')
    .values({
      user_id: account.userId,
      username: account.username,
      display_name: account.displayName,
      job_title: null,
      password_hash: null,
      person_id: null,
      locked_until: null,
      disabled_at: account.disabled ? new Date() : null,
      ...(account.createdAt ? { created_at: account.createdAt } : {}),
    })
    .execute();
}

/**
 * A role restored with its account (a PractitionerRole), checked as giving one is
 * (user-accounts.ts roleAssignmentProblem), with the job title it names when the account has none.
 */
export async function restoreStaffRole(
  db: Kysely<DB>,
  role: {
    userRoleId: string;
    userId: string;
    role: string;
    organisationId: string | null;
    teamId: string | null;
    jobTitle: string | null;
  },
): Promise<void> {
  await db
    .insertInto('user_role')
    .values({
      user_role_id: role.userRoleId,
      user_id: role.userId,
      role: role.role,
      organisation_id: role.organisationId,
      team_id: role.teamId,
    })
    // The same role in the same place given twice (another id): held once.
    .onConflict((oc) => oc.doNothing())
    .execute();
  if (role.jobTitle)
    await db
      .updateTable('user_account')
      .set({ job_title: role.jobTitle })
      .where('user_id', '=', role.userId)
      .where('job_title', 'is', null)
      .execute();
}
