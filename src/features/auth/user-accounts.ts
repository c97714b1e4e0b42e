import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { passwordProblem } from '../../domain/password-policy.js';
import { isRole, ROLE_LABELS, ROLES, type Role } from '../../domain/roles.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
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

/** A role to give an account, with the organisation and team it is held in. */
export interface RoleAssignment {
  role: string;
  organisationId?: string | null;
  teamId?: string | null;
}

/** Roles whose access is scoped by organisation: an account holding one must name it. */
export const ORGANISATION_ROLES: readonly Role[] = [
  'practitioner',
  'team-manager',
  'commissioner',
  'analyst',
];
/** Roles an administrator (or the operator) can give. A person's own account is tied to their record. */
export const ASSIGNABLE_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'person');

/** How long a password reset link works, once made. */
export const PASSWORD_RESET_MS = 24 * 60 * 60 * 1000;

/** Whether an account can sign in now: disabled by an administrator, locked by failed sign-ins, or active. */
export type AccountStatus = 'active' | 'disabled' | 'locked';
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'disabled', 'locked'];
export const ACCOUNT_STATUS_LABELS: Record<AccountStatus, string> = {
  active: 'Active',
  disabled: 'Disabled',
  locked: 'Locked',
};

/** An account's status: disabled wins over a lock, and a lock that has run out is no lock. */
export function accountStatus(
  account: { disabledAt: Date | null; lockedUntil: Date | null },
  now: Date,
): AccountStatus {
  if (account.disabledAt) return 'disabled';
  if (account.lockedUntil && account.lockedUntil > now) return 'locked';
  return 'active';
}

/**
 * The first thing wrong with a role assignment that can be told without the database, as
 * `[message, field]`, or null: the role must be one that can be given, organisation roles need an
 * organisation, a team manager a team, and a team belongs to an organisation.
 */
export function roleAssignmentProblem(assignment: RoleAssignment): [string, string] | null {
  const { role } = assignment;
  if (!isRole(role) || !ASSIGNABLE_ROLES.includes(role)) {
    return [
      role === 'person'
        ? 'Accounts for people who use services are linked to their record; this makes staff, carer and administrator accounts. Roles: ' +
          ASSIGNABLE_ROLES.join(', ')
        : `The role must be one of ${ASSIGNABLE_ROLES.join(', ')}, not "${role}"`,
      'role',
    ];
  }
  const organisationId = assignment.organisationId?.trim() || null;
  const teamId = assignment.teamId?.trim() || null;
  const label = ROLE_LABELS[role].toLowerCase();
  if (ORGANISATION_ROLES.includes(role) && !organisationId) {
    const article = /^[aeiou]/.test(label) ? 'An' : 'A';
    return [`${article} ${label} must belong to an organisation: choose one`, 'organisationId'];
  }
  if (role === 'team-manager' && !teamId) return ['A team manager must have a team: choose one', 'teamId'];
  if (teamId && !organisationId) return ['A team belongs to an organisation: choose both', 'organisationId'];
  if (organisationId && !UUID.test(organisationId)) {
    return [`The organisation id must be a uuid, not "${organisationId}"`, 'organisationId'];
  }
  if (teamId && !UUID.test(teamId)) return [`The team id must be a uuid, not "${teamId}"`, 'teamId'];
  return null;
}

export interface AccountRole {
  userRoleId: string;
  role: Role;
  organisationId: string | null;
  organisationName: string | null;
  teamId: string | null;
  teamName: string | null;
}

export interface Account {
  userId: string;
  username: string;
  displayName: string;
  jobTitle: string | null;
  status: AccountStatus;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  /** Removed accounts keep their row (see `remove`) but can never be used again. */
  removed: boolean;
  /** Signs in with an organisation's account (OpenID Connect) rather than a password here. */
  signsInElsewhere: boolean;
  /** Belongs to a person who uses services: linked to their record. */
  linkedToRecord: boolean;
  roles: AccountRole[];
}

export interface AccountSearch {
  /** Part of a name or username. */
  search?: string;
  status?: AccountStatus;
}

export const ACCOUNT_LIST_LIMIT = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USERNAME = /^[a-z0-9._@+-]{3,254}$/;

const hashResetToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Local accounts. Administrators manage them from the administration pages, passing themselves as
 * the actor: the service checks the actor is an administrator, and the audit trail names them (a
 * refusal is audited too). The operator manages them with the `whatmatters user` commands, with no
 * actor: the operator is whoever can run commands against the database (the first administrator of
 * a new database is made this way), and the audit trail records the change as made from the
 * command line.
 */
export class UserAccountService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    /** The sessions this process holds, forgotten when their account is disabled or its roles change. */
    private readonly sessions: SessionCache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Adds an account with one role. From the administration pages `actor` is the administrator;
   * from the command line there is none.
   */
  async add(input: NewUserAccount, actor?: Actor): Promise<{ userId: string; username: string }> {
    return this.create(input, actor, false);
  }

  /**
   * Adds an account with no password anyone knows, and a one-time link (as `createPasswordReset`)
   * for its holder to choose one: the administrator never learns it. Administrators only.
   */
  async addWithPasswordLink(
    actor: Actor,
    input: Omit<NewUserAccount, 'password'>,
  ): Promise<{ userId: string; username: string; token: string; expiresAt: Date }> {
    // Random, kept only as a hash and never shown: the account has no usable password until the link is used.
    const added = await this.create(
      { ...input, password: randomBytes(32).toString('base64url') },
      actor,
      true,
    );
    return { ...added, ...(await this.createPasswordReset(actor, added.userId)) };
  }

  private async create(
    input: NewUserAccount,
    actor: Actor | undefined,
    passwordIsRandom: boolean,
  ): Promise<{ userId: string; username: string }> {
    if (actor) await this.requireAdmin(actor, 'user-add', null, 'add user accounts');
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
    const jobTitle = input.jobTitle?.trim() || null;
    if (jobTitle && jobTitle.length > 200)
      throw invalid('The job title must be 200 characters or fewer', 'jobTitle');
    const assignment = await this.checkedAssignment(this.db, input);
    const problem = passwordIsRandom ? null : passwordProblem(input.password, { username });
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
          job_title: jobTitle,
          password_hash: passwordHash,
          person_id: null,
        })
        .execute();
      await trx
        .insertInto('user_role')
        .values({ user_role_id: randomUUID(), user_id: userId, ...assignment })
        .execute();
      await this.audit.record(
        actor ?? null,
        {
          action: 'user-add',
          resourceType: 'user_account',
          resourceId: userId,
          purpose: actor ? assignment.role : `command line: ${assignment.role}`,
        },
        trx,
      );
    });
    return { userId, username };
  }

  /** Accounts by name, matching part of a name or username and a status; at most ACCOUNT_LIST_LIMIT. */
  async list(actor: Actor, query: AccountSearch = {}): Promise<{ accounts: Account[]; more: boolean }> {
    await this.requireAdmin(actor, 'list-users', null, 'see user accounts');
    const now = this.now();
    const words = (query.search ?? '').trim().toLowerCase().slice(0, 200);
    const like = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom('user_account')
      .selectAll()
      .$if(words.length > 0, (q) =>
        q.where((eb) =>
          eb.or([eb(eb.fn('lower', ['display_name']), 'like', like), eb('username', 'like', like)]),
        ),
      )
      .$if(query.status === 'disabled', (q) => q.where('disabled_at', 'is not', null))
      .$if(query.status === 'locked', (q) =>
        q.where('disabled_at', 'is', null).where('locked_until', '>', now),
      )
      .$if(query.status === 'active', (q) =>
        q
          .where('disabled_at', 'is', null)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)])),
      )
      .orderBy('display_name')
      .orderBy('username')
      .limit(ACCOUNT_LIST_LIMIT + 1)
      .execute();
    const roles = await this.rolesOf(rows.slice(0, ACCOUNT_LIST_LIMIT).map((r) => r.user_id));
    return {
      accounts: rows.slice(0, ACCOUNT_LIST_LIMIT).map((r) => toAccount(r, roles.get(r.user_id) ?? [], now)),
      more: rows.length > ACCOUNT_LIST_LIMIT,
    };
  }

  /** One account with its roles. */
  async account(actor: Actor, userId: string): Promise<Account> {
    await this.requireAdmin(actor, 'read-user', userId, 'see user accounts');
    return this.accountById(this.db, userId);
  }

  /** Changes an account's name and job title. */
  async edit(
    actor: Actor,
    userId: string,
    input: { displayName: string; jobTitle?: string | null },
  ): Promise<void> {
    await this.requireAdmin(actor, 'user-edit', userId, 'change user accounts');
    const displayName = input.displayName.trim();
    if (displayName.length < 1 || displayName.length > 200) {
      throw invalid('Enter a name of 1 to 200 characters', 'name');
    }
    const jobTitle = input.jobTitle?.trim() || null;
    if (jobTitle && jobTitle.length > 200)
      throw invalid('The job title must be 200 characters or fewer', 'jobTitle');
    await this.db.transaction().execute(async (trx) => {
      const account = await this.accountById(trx, userId);
      if (account.removed) throw removedAccount();
      await trx
        .updateTable('user_account')
        .set({ display_name: displayName, job_title: jobTitle })
        .where('user_id', '=', userId)
        .execute();
      await this.audit.record(
        actor,
        { action: 'user-edit', resourceType: 'user_account', resourceId: userId },
        trx,
      );
    });
    this.sessions.forgetUser(userId);
  }

  /** Stops an account signing in, by any means, and ends its sessions. Its history stays. */
  async disable(usernameInput: string, actor?: Actor): Promise<{ userId: string; sessionsEnded: number }> {
    const username = usernameInput.trim().toLowerCase();
    if (actor) await this.requireAdmin(actor, 'user-disable', null, 'disable user accounts');
    const disabled = await this.db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('user_account')
        .select('user_id')
        .where('username', '=', username)
        .executeTakeFirst();
      if (!found) throw notFound(`User ${username}`);
      if (actor && found.user_id === actor.userId) {
        throw new ServiceError(
          409,
          'Cannot disable your own account',
          'You cannot disable your own account: another administrator must do it.',
        );
      }
      const user = await trx
        .updateTable('user_account')
        .set({ disabled_at: sql<Date>`coalesce(disabled_at, now())` })
        .where('user_id', '=', found.user_id)
        .returning(['user_id'])
        .executeTakeFirstOrThrow();
      const ended = await trx
        .deleteFrom('user_session')
        .where('user_id', '=', user.user_id)
        .executeTakeFirst();
      await trx.deleteFrom('password_reset').where('user_id', '=', user.user_id).execute();
      await this.audit.record(
        actor ?? null,
        {
          action: 'user-disable',
          resourceType: 'user_account',
          resourceId: user.user_id,
          purpose: actor ? null : 'command line',
        },
        trx,
      );
      return { userId: user.user_id, sessionsEnded: Number(ended.numDeletedRows) };
    });
    // Other processes (a server beside this command) see it when their cache entries run out.
    this.sessions.forgetUser(disabled.userId);
    return disabled;
  }

  /** `disable`, for the administration pages, which name an account by its id. */
  async disableAccount(actor: Actor, userId: string): Promise<{ sessionsEnded: number }> {
    await this.requireAdmin(actor, 'user-disable', userId, 'disable user accounts');
    const account = await this.accountById(this.db, userId);
    if (account.removed) throw removedAccount();
    return this.disable(account.username, actor);
  }

  /** Lets a disabled account sign in again (a removed one never can). */
  async enable(actor: Actor, userId: string): Promise<void> {
    await this.requireAdmin(actor, 'user-enable', userId, 'enable user accounts');
    await this.db.transaction().execute(async (trx) => {
      const account = await this.accountById(trx, userId);
      if (account.removed) throw removedAccount();
      await trx
        .updateTable('user_account')
        .set({ disabled_at: null, failed_sign_ins: 0, locked_until: null })
        .where('user_id', '=', userId)
        .execute();
      await this.audit.record(
        actor,
        { action: 'user-enable', resourceType: 'user_account', resourceId: userId },
        trx,
      );
    });
  }

  /** Ends a lock from failed sign-ins, so the account can sign in at once. */
  async unlock(actor: Actor, userId: string): Promise<void> {
    await this.requireAdmin(actor, 'user-unlock', userId, 'unlock user accounts');
    await this.db.transaction().execute(async (trx) => {
      const account = await this.accountById(trx, userId);
      if (account.removed) throw removedAccount();
      await trx
        .updateTable('user_account')
        .set({ failed_sign_ins: 0, locked_until: null })
        .where('user_id', '=', userId)
        .execute();
      await this.audit.record(
        actor,
        {
          action: 'user-unlock',
          resourceType: 'user_account',
          resourceId: userId,
          purpose: account.status === 'locked' ? null : 'was not locked',
        },
        trx,
      );
    });
  }

  /**
   * A one-time link's secret for the account to set a new password, for the administrator to pass
   * on: only its hash is kept, so it is shown once. It works for PASSWORD_RESET_MS and once only;
   * making a new one cancels any earlier one.
   */
  async createPasswordReset(actor: Actor, userId: string): Promise<{ token: string; expiresAt: Date }> {
    await this.requireAdmin(actor, 'user-password-reset-link', userId, 'reset passwords');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + PASSWORD_RESET_MS);
    await this.db.transaction().execute(async (trx) => {
      const account = await this.accountById(trx, userId);
      if (account.removed) throw removedAccount();
      if (account.status === 'disabled') {
        throw new ServiceError(
          409,
          'Account disabled',
          'This account is disabled: enable it before making a link to reset its password.',
        );
      }
      await trx.deleteFrom('password_reset').where('user_id', '=', userId).execute();
      await trx
        .insertInto('password_reset')
        .values({
          token_hash: hashResetToken(token),
          user_id: userId,
          created_by: actor.userId,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
      await this.audit.record(
        actor,
        { action: 'user-password-reset-link', resourceType: 'user_account', resourceId: userId },
        trx,
      );
    });
    return { token, expiresAt };
  }

  /** Whose password a reset link sets, while it can still be used; 404 once used, expired or unknown. */
  async passwordResetFor(token: string): Promise<{ username: string; displayName: string }> {
    const row = await this.liveReset(this.db, token);
    return { username: row.username, displayName: row.display_name };
  }

  /**
   * Sets a new password with a reset link, which is then used up: the lock from failed sign-ins is
   * cleared and every session of the account ends. Audited with no actor (nobody is signed in).
   */
  async resetPassword(
    token: string,
    newPassword: string,
    ip: string | null = null,
  ): Promise<{ username: string }> {
    const found = await this.liveReset(this.db, token);
    const problem = passwordProblem(newPassword, { username: found.username });
    if (problem) throw invalid(problem.message, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    const userId = await this.db.transaction().execute(async (trx) => {
      // Used up in the same statement that checks it is unused: two uses at once cannot both work.
      const used = await trx
        .updateTable('password_reset')
        .set({ used_at: this.now() })
        .where('token_hash', '=', hashResetToken(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', this.now())
        .returning(['user_id'])
        .executeTakeFirst();
      if (!used) throw resetLinkGone();
      await trx
        .updateTable('user_account')
        .set({ password_hash: passwordHash, failed_sign_ins: 0, locked_until: null })
        .where('user_id', '=', used.user_id)
        .where('disabled_at', 'is', null)
        .execute();
      await trx.deleteFrom('user_session').where('user_id', '=', used.user_id).execute();
      await this.audit.record(
        null,
        {
          action: 'user-password-reset',
          resourceType: 'user_account',
          resourceId: used.user_id,
          purpose: 'one-time link',
        },
        trx,
        ip,
      );
      return used.user_id;
    });
    this.sessions.forgetUser(userId);
    return { username: found.username };
  }

  /** Gives an account another role, under the same rules as adding an account. */
  async addRole(actor: Actor, userId: string, input: RoleAssignment): Promise<void> {
    await this.requireAdmin(actor, 'user-role-add', userId, 'change the roles of user accounts');
    await this.db.transaction().execute(async (trx) => {
      const account = await this.accountById(trx, userId);
      if (account.removed) throw removedAccount();
      const assignment = await this.checkedAssignment(trx, input);
      const same = account.roles.some(
        (r) =>
          r.role === assignment.role &&
          r.organisationId === assignment.organisation_id &&
          r.teamId === assignment.team_id,
      );
      if (same) {
        throw new ServiceError(
          409,
          'Role already held',
          `${account.displayName} already has this role`,
          'role',
        );
      }
      const userRoleId = randomUUID();
      await trx
        .insertInto('user_role')
        .values({ user_role_id: userRoleId, user_id: userId, ...assignment })
        .execute();
      await this.audit.record(
        actor,
        {
          action: 'user-role-add',
          resourceType: 'user_account',
          resourceId: userId,
          purpose: assignment.role,
        },
        trx,
      );
    });
    this.sessions.forgetUser(userId);
  }

  /** Takes a role away from an account. An administrator cannot take away their own administrator role. */
  async removeRole(actor: Actor, userId: string, userRoleId: string): Promise<void> {
    await this.requireAdmin(actor, 'user-role-remove', userId, 'change the roles of user accounts');
    await this.db.transaction().execute(async (trx) => {
      const account = await this.accountById(trx, userId);
      const role = account.roles.find((r) => r.userRoleId === userRoleId);
      if (!role) throw notFound('That role');
      if (role.role === 'person') {
        throw new ServiceError(
          409,
          'Linked to a record',
          'This account belongs to a person who uses services: its role comes from their record.',
        );
      }
      if (userId === actor.userId && role.role === 'admin') {
        throw new ServiceError(
          409,
          'Cannot remove your own administrator role',
          'You cannot take away your own administrator role: another administrator must do it.',
        );
      }
      await trx.deleteFrom('user_role').where('user_role_id', '=', userRoleId).execute();
      await this.audit.record(
        actor,
        {
          action: 'user-role-remove',
          resourceType: 'user_account',
          resourceId: userId,
          purpose: role.role,
        },
        trx,
      );
    });
    this.sessions.forgetUser(userId);
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

  /** Refuses (and audits the refusal) unless the actor is an administrator. */
  private async requireAdmin(
    actor: Actor,
    action: string,
    userId: string | null,
    what: string,
  ): Promise<void> {
    if (hasRole(actor, 'admin')) return;
    await this.audit.record(actor, {
      action,
      resourceType: 'user_account',
      resourceId: userId,
      purpose: 'not an administrator',
      outcome: 'denied',
    });
    throw forbidden(what);
  }

  /** A role assignment checked against the rules and the directory, as the row to store. */
  private async checkedAssignment(
    db: Kysely<DB>,
    input: RoleAssignment,
  ): Promise<{ role: Role; organisation_id: string | null; team_id: string | null }> {
    const problem = roleAssignmentProblem(input);
    if (problem) throw invalid(problem[0], problem[1]);
    const role = input.role as Role;
    const organisationId = input.organisationId?.trim() || null;
    const teamId = input.teamId?.trim() || null;
    if (organisationId) {
      const organisation = await db
        .selectFrom('organisation')
        .select('organisation_id')
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      if (!organisation)
        throw invalid('There is no such organisation: choose one from the list', 'organisationId');
    }
    if (teamId) {
      const team = await db
        .selectFrom('team')
        .select('organisation_id')
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      if (!team) throw invalid('There is no such team: choose one from the list', 'teamId');
      if (team.organisation_id !== organisationId) {
        throw invalid(
          'That team belongs to another organisation: choose a team of the organisation',
          'teamId',
        );
      }
    }
    return { role, organisation_id: organisationId, team_id: teamId };
  }

  private async accountById(db: Kysely<DB>, userId: string): Promise<Account> {
    if (!UUID.test(userId)) throw notFound('The user account');
    const row = await db
      .selectFrom('user_account')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('The user account');
    const roles = await this.rolesOf([userId], db);
    return toAccount(row, roles.get(userId) ?? [], this.now());
  }

  private async rolesOf(
    userIds: readonly string[],
    db: Kysely<DB> = this.db,
  ): Promise<Map<string, AccountRole[]>> {
    const byUser = new Map<string, AccountRole[]>();
    if (userIds.length === 0) return byUser;
    const rows = await db
      .selectFrom('user_role')
      .leftJoin('organisation', 'organisation.organisation_id', 'user_role.organisation_id')
      .leftJoin('team', 'team.team_id', 'user_role.team_id')
      .select([
        'user_role.user_role_id',
        'user_role.user_id',
        'user_role.role',
        'user_role.organisation_id',
        'organisation.name as organisation_name',
        'user_role.team_id',
        'team.name as team_name',
      ])
      .where('user_role.user_id', 'in', userIds)
      .orderBy('user_role.role')
      .orderBy('organisation.name')
      .orderBy('team.name')
      .execute();
    for (const r of rows) {
      if (!isRole(r.role)) continue;
      const list = byUser.get(r.user_id) ?? [];
      list.push({
        userRoleId: r.user_role_id,
        role: r.role,
        organisationId: r.organisation_id,
        organisationName: r.organisation_name,
        teamId: r.team_id,
        teamName: r.team_name,
      });
      byUser.set(r.user_id, list);
    }
    return byUser;
  }

  /** A reset link that can still be used, with its account; 404 otherwise. */
  private async liveReset(db: Kysely<DB>, token: string) {
    if (!token || token.length > 200) throw resetLinkGone();
    const row = await db
      .selectFrom('password_reset as r')
      .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
      .select(['u.user_id', 'u.username', 'u.display_name', 'u.disabled_at', 'r.used_at', 'r.expires_at'])
      .where('r.token_hash', '=', hashResetToken(token))
      .executeTakeFirst();
    if (!row || row.used_at || row.expires_at <= this.now() || row.disabled_at) throw resetLinkGone();
    return row;
  }
}

const removedAccount = () =>
  new ServiceError(409, 'Account removed', 'This account has been removed: it can never be used again.');

const resetLinkGone = () =>
  new ServiceError(
    404,
    'Link not valid',
    'This link to set a new password has expired or has already been used. Ask your administrator for a new one.',
  );

function toAccount(
  row: {
    user_id: string;
    username: string;
    display_name: string;
    job_title: string | null;
    password_hash: string | null;
    oidc_subject: string | null;
    person_id: string | null;
    locked_until: Date | null;
    disabled_at: Date | null;
  },
  roles: AccountRole[],
  now: Date,
): Account {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    jobTitle: row.job_title,
    status: accountStatus({ disabledAt: row.disabled_at, lockedUntil: row.locked_until }, now),
    lockedUntil: row.locked_until,
    disabledAt: row.disabled_at,
    removed: row.display_name === REMOVED_USER_NAME && row.username === `removed-${row.user_id}`,
    signsInElsewhere: row.oidc_subject !== null,
    linkedToRecord: row.person_id !== null,
    roles,
  };
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
    await trx.deleteFrom('password_reset').where('user_id', '=', user_id).execute();
    const ended = await trx.deleteFrom('user_session').where('user_id', '=', user_id).executeTakeFirst();
    accounts.push({ userId: user_id, sessionsEnded: Number(ended.numDeletedRows) });
  }
  return accounts;
}

/** What a removed account is called wherever a record names who wrote something. */
export const REMOVED_USER_NAME = 'Removed user';
