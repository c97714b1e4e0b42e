import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { passwordProblem } from '../../domain/password-policy.js';
import { isRole, ROLES, type Role } from '../../domain/roles.js';
import { invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import { USER_REMOVE_ACTION } from '../audit/audit-chain.js';
import type { AuditService } from '../audit/audit-trail.js';
import { hashPassword } from './password-hash.js';
import type { SessionCache } from './session-cache.js';

export interface NewUserAccount {
  username: string;
  displayName: string;
  role: string;
  organisationId?: string | null;
  teamId?: string | null;
  jobTitle?: string | null;
  password: string;
}

/** Roles whose access is scoped by organisation: an account holding one must name it. */
const ORGANISATION_ROLES: readonly Role[] = ['practitioner', 'team-manager', 'commissioner', 'analyst'];
/** Roles the operator can give from the command line. A person's own account is tied to their record. */
export const ASSIGNABLE_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'person');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USERNAME = /^[a-z0-9._@+-]{3,254}$/;

/**
 * Local accounts, administered by the operator (the `whatmatters user` commands): the first
 * administrator of a new database is made this way. There is no actor: the operator is whoever can
 * run commands against the database, and the audit trail records the change as made from the command
 * line.
 */
export class UserAccountService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    /** The sessions this process holds, forgotten when their account is disabled. */
    private readonly sessions: SessionCache,
  ) {}

  async add(input: NewUserAccount): Promise<{ userId: string; username: string }> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username)) {
      throw invalid(
        'The username must be 3 to 254 characters: letters, digits and . _ @ + - (an email address works)',
        'username',
      );
    }
    const displayName = input.displayName.trim();
    if (displayName.length < 1 || displayName.length > 200) {
      throw invalid('The name must be 1 to 200 characters', 'name');
    }
    if (!isRole(input.role) || !ASSIGNABLE_ROLES.includes(input.role)) {
      throw invalid(
        input.role === 'person'
          ? 'Accounts for people who use services are linked to their record; this makes staff, carer and administrator accounts. Roles: ' +
              ASSIGNABLE_ROLES.join(', ')
          : `The role must be one of ${ASSIGNABLE_ROLES.join(', ')}, not "${input.role}"`,
        'role',
      );
    }
    const role = input.role;
    const organisationId = input.organisationId?.trim() || null;
    const teamId = input.teamId?.trim() || null;
    if (ORGANISATION_ROLES.includes(role) && !organisationId) {
      throw invalid(`A ${role} must belong to an organisation: give its id`, 'organisationId');
    }
    if (role === 'team-manager' && !teamId)
      throw invalid('A team manager must have a team: give its id', 'teamId');
    if (teamId && !organisationId)
      throw invalid('A team belongs to an organisation: give both ids', 'organisationId');
    if (organisationId && !UUID.test(organisationId)) {
      throw invalid(`The organisation id must be a uuid, not "${organisationId}"`, 'organisationId');
    }
    if (teamId && !UUID.test(teamId)) throw invalid(`The team id must be a uuid, not "${teamId}"`, 'teamId');
    if (organisationId) {
      const organisation = await this.db
        .selectFrom('organisation')
        .select('organisation_id')
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      if (!organisation) throw notFound(`Organisation ${organisationId}`);
    }
    if (teamId) {
      const team = await this.db
        .selectFrom('team')
        .select('organisation_id')
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      if (!team) throw notFound(`Team ${teamId}`);
      if (team.organisation_id !== organisationId) {
        throw invalid(`Team ${teamId} does not belong to organisation ${organisationId}`, 'teamId');
      }
    }
    const problem = passwordProblem(input.password, { username });
    if (problem) throw invalid(problem.message, 'password');

    const existing = await this.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (existing)
      throw new ServiceError(409, 'Username taken', `There is already a user ${username}`, 'username');

    const userId = randomUUID();
    const passwordHash = await hashPassword(input.password);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('user_account')
        .values({
          user_id: userId,
          username,
          display_name: displayName,
          job_title: input.jobTitle?.trim() || null,
          password_hash: passwordHash,
          person_id: null,
        })
        .execute();
      await trx
        .insertInto('user_role')
        .values({
          user_role_id: randomUUID(),
          user_id: userId,
          role,
          organisation_id: organisationId,
          team_id: teamId,
        })
        .execute();
      await this.audit.record(
        null,
        {
          action: 'user-add',
          resourceType: 'user_account',
          resourceId: userId,
          purpose: `command line: ${role}`,
        },
        trx,
      );
    });
    return { userId, username };
  }

  /** Stops an account signing in, by any means, and ends its sessions. Its history stays. */
  async disable(usernameInput: string): Promise<{ userId: string; sessionsEnded: number }> {
    const username = usernameInput.trim().toLowerCase();
    const disabled = await this.db.transaction().execute(async (trx) => {
      const user = await trx
        .updateTable('user_account')
        .set({ disabled_at: sql<Date>`coalesce(disabled_at, now())` })
        .where('username', '=', username)
        .returning(['user_id'])
        .executeTakeFirst();
      if (!user) throw notFound(`User ${username}`);
      const ended = await trx
        .deleteFrom('user_session')
        .where('user_id', '=', user.user_id)
        .executeTakeFirst();
      await this.audit.record(
        null,
        {
          action: 'user-disable',
          resourceType: 'user_account',
          resourceId: user.user_id,
          purpose: 'command line',
        },
        trx,
      );
      return { userId: user.user_id, sessionsEnded: Number(ended.numDeletedRows) };
    });
    // Other processes (a server beside this command) see it when their cache entries run out.
    this.sessions.forgetUser(disabled.userId);
    return disabled;
  }

  /**
   * Removes an account: whoever it was can never sign in again and nothing personal of it stays.
   * The row itself is kept, emptied (its name becomes "Removed user", its username a placeholder
   * made from its id, with no password, sign-in link or person): records the account wrote still
   * name their author by its id, and a record must not lose a conversation or a rating because
   * the member of staff who recorded it left. Its roles and sessions go.
   */
  async remove(usernameInput: string): Promise<{ userId: string; sessionsEnded: number }> {
    const username = usernameInput.trim().toLowerCase();
    const removed = await this.db.transaction().execute(async (trx) => {
      const [account] = await emptyAccounts(trx, { username });
      if (!account) throw notFound(`User ${username}`);
      await this.audit.record(
        null,
        {
          action: USER_REMOVE_ACTION,
          resourceType: 'user_account',
          resourceId: account.userId,
          purpose: 'command line',
        },
        trx,
      );
      return account;
    });
    this.sessions.forgetUser(removed.userId);
    return removed;
  }
}

/**
 * The one way an account is removed, by `user remove` and by erasing the person it belongs to: it
 * can never sign in again and nothing personal of it is kept. The row stays, emptied (its name
 * becomes "Removed user", its username a placeholder made from its id, with no password, sign-in
 * link or person), so records it wrote still name their author by id and lose nothing; its roles
 * and sessions go. In the caller's transaction.
 */
export async function emptyAccounts(
  trx: Kysely<DB>,
  which: { username: string } | { personId: string },
): Promise<{ userId: string; sessionsEnded: number }[]> {
  const emptied = await trx
    .updateTable('user_account')
    .set({
      username: sql<string>`'removed-' || user_id`,
      display_name: REMOVED_USER_NAME,
      job_title: null,
      password_hash: null,
      person_id: null,
      oidc_issuer: null,
      oidc_subject: null,
      failed_sign_ins: 0,
      locked_until: null,
      disabled_at: sql<Date>`coalesce(disabled_at, now())`,
    })
    .$if('username' in which, (q) => q.where('username', '=', (which as { username: string }).username))
    .$if('personId' in which, (q) => q.where('person_id', '=', (which as { personId: string }).personId))
    .returning(['user_id'])
    .execute();
  const accounts: { userId: string; sessionsEnded: number }[] = [];
  for (const { user_id } of emptied) {
    await trx.deleteFrom('user_role').where('user_id', '=', user_id).execute();
    const ended = await trx.deleteFrom('user_session').where('user_id', '=', user_id).executeTakeFirst();
    accounts.push({ userId: user_id, sessionsEnded: Number(ended.numDeletedRows) });
  }
  return accounts;
}

/** What a removed account is called wherever a record names who wrote something. */
export const REMOVED_USER_NAME = 'Removed user';
