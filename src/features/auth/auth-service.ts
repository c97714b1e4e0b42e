import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Actor, ActorRole } from '../../domain/actor.js';
import { passwordProblem } from '../../domain/password-policy.js';
import { isRole } from '../../domain/roles.js';
import { invalid, notSignedIn, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import { sharedServerKey } from '../../store/server-keys.js';
import type { AuditService } from '../audit/audit-trail.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.js';
import type { CachedSession, SessionCache } from './session-cache.js';

/** Sessions end after this long without use, and after this long whatever happens. */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/**
 * Touching last_seen on every request would write on every read; once a minute per session is enough
 * for an idle timeout counted in hours.
 */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  /** The secret for the session cookie. Only its hash is stored. */
  token: string;
  actor: Actor;
  expiresAt: Date;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * One answer for every failure: unknown user, wrong password, locked or disabled account. A
 * distinct answer for a locked account would tell an attacker which usernames exist.
 */
export const SIGN_IN_FAILED_MESSAGE =
  'Enter a correct username and password. After 5 failed attempts an account is locked for 15 minutes.';
const badCredentials = () => new ServiceError(401, 'Sign-in failed', SIGN_IN_FAILED_MESSAGE, 'username');

export class AuthService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    /** Shared with UserAccountService, which forgets the sessions of an account it disables. */
    private readonly sessions: SessionCache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The key CSRF tokens are signed with: made on first use and shared by every server process on
   * this database (store/server-keys.ts), so a form from one is accepted by another.
   */
  csrfKey(): Promise<string> {
    return sharedServerKey(this.db, 'csrf');
  }

  async signIn(username: string, password: string, origin: RequestOrigin): Promise<SignedIn> {
    const user = await this.db
      .selectFrom('user_account')
      .selectAll()
      .where('username', '=', username.trim().toLowerCase())
      .executeTakeFirst();

    if (!user?.password_hash || user.disabled_at) {
      await verifyPassword(password, await decoyHash());
      await this.auditSignInFailure(
        user?.user_id ?? null,
        origin,
        user ? 'disabled account' : 'unknown username',
      );
      throw badCredentials();
    }
    const now = this.now();
    const locked = user.locked_until !== null && user.locked_until > now;
    // Verify even when locked, so a locked account answers no faster than any other.
    const passwordMatches = await verifyPassword(password, user.password_hash);
    if (locked || !passwordMatches) {
      if (!locked) await this.countFailure(user.user_id, user.locked_until !== null, now);
      await this.auditSignInFailure(user.user_id, origin, locked ? 'account locked' : 'wrong password');
      throw badCredentials();
    }

    const signedIn = await this.createSession(user.user_id, origin, now, (trx) =>
      trx
        .updateTable('user_account')
        .set({ failed_sign_ins: 0, locked_until: null })
        .where('user_id', '=', user.user_id)
        .execute(),
    );
    if (!signedIn) throw badCredentials();
    await this.audit.record(signedIn.actor, {
      action: 'sign-in',
      resourceType: 'session',
      resourceId: user.user_id,
    });
    return signedIn;
  }

  /**
   * Starts a session for a user someone else has vouched for (an OpenID Connect identity provider),
   * exactly as a password sign-in would, and audits it with the purpose given ('oidc'). Null when
   * the account does not exist or is disabled.
   */
  async startSession(userId: string, origin: RequestOrigin, purpose: string): Promise<SignedIn | null> {
    const user = await this.db
      .selectFrom('user_account')
      .select(['user_id', 'disabled_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!user || user.disabled_at) return null;
    const signedIn = await this.createSession(user.user_id, origin, this.now());
    if (!signedIn) return null;
    await this.audit.record(signedIn.actor, {
      action: 'sign-in',
      resourceType: 'session',
      resourceId: user.user_id,
      purpose,
    });
    return signedIn;
  }

  /**
   * Changes the signed-in user's password: the current one must be right (a wrong one counts towards
   * the lockout, as at sign-in), the new one must meet the password policy. Every other session of
   * the user ends; the one making the change carries on.
   */
  async changePassword(
    actor: Actor,
    currentSessionToken: string | null,
    currentPassword: string,
    newPassword: string,
  ): Promise<{ otherSessionsEnded: number }> {
    const user = await this.db
      .selectFrom('user_account')
      .select(['user_id', 'username', 'password_hash', 'locked_until', 'disabled_at'])
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (!user || user.disabled_at) throw notSignedIn();
    if (!user.password_hash) {
      throw new ServiceError(
        409,
        'No password to change',
        "Your account signs in with your organisation's account, so it has no password here to change.",
        'currentPassword',
      );
    }
    const problem = passwordProblem(newPassword, { username: user.username });
    if (problem) throw invalid(problem.message, 'newPassword');

    const now = this.now();
    const locked = user.locked_until !== null && user.locked_until > now;
    const matches = await verifyPassword(currentPassword, user.password_hash);
    if (locked || !matches) {
      if (!locked) await this.countFailure(user.user_id, user.locked_until !== null, now);
      await this.audit.record(actor, {
        action: 'change-password',
        resourceType: 'user_account',
        resourceId: user.user_id,
        purpose: locked ? 'account locked' : 'wrong current password',
        outcome: 'failure',
      });
      throw invalid(
        locked
          ? `The current password has been entered wrongly ${MAX_FAILED_SIGN_INS} times. Try again in 15 minutes.`
          : `Your current password is not right. After ${MAX_FAILED_SIGN_INS} wrong attempts your account is locked for 15 minutes.`,
        'currentPassword',
      );
    }
    if (await verifyPassword(newPassword, user.password_hash)) {
      throw invalid('Your new password must be different from your current password', 'newPassword');
    }

    const passwordHash = await hashPassword(newPassword);
    const ended = await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('user_account')
        .set({ password_hash: passwordHash, failed_sign_ins: 0, locked_until: null })
        .where('user_id', '=', user.user_id)
        .execute();
      let others = trx.deleteFrom('user_session').where('user_id', '=', user.user_id);
      if (currentSessionToken) others = others.where('session_hash', '!=', hashToken(currentSessionToken));
      const result = await others.executeTakeFirst();
      await this.audit.record(
        actor,
        { action: 'change-password', resourceType: 'user_account', resourceId: user.user_id },
        trx,
      );
      return Number(result.numDeletedRows);
    });
    this.sessions.forgetUser(user.user_id, currentSessionToken ? hashToken(currentSessionToken) : undefined);
    return { otherSessionsEnded: ended };
  }

  /** Ends every session of the user, this one included: for a lost phone or a shared computer. */
  async signOutEverywhere(actor: Actor): Promise<{ sessionsEnded: number }> {
    const result = await this.db
      .deleteFrom('user_session')
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    this.sessions.forgetUser(actor.userId);
    const sessionsEnded = Number(result.numDeletedRows);
    await this.audit.record(actor, {
      action: 'sign-out-everywhere',
      resourceType: 'session',
      resourceId: actor.userId,
      purpose: `${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended`,
    });
    return { sessionsEnded };
  }

  /**
   * A new session for a user, in one transaction with `alsoDo` (a password sign-in resets the failure
   * count there). Expired sessions of anyone are swept first, so they do not pile up when their
   * cookies never return.
   */
  private async createSession(
    userId: string,
    origin: RequestOrigin,
    now: Date,
    alsoDo?: (trx: Kysely<DB>) => Promise<unknown>,
  ): Promise<SignedIn | null> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('user_session')
        .where((eb) =>
          eb.or([
            eb('expires_at', '<=', now),
            eb('last_seen_at', '<', new Date(now.getTime() - SESSION_IDLE_MS)),
          ]),
        )
        .execute();
      if (alsoDo) await alsoDo(trx);
      await trx
        .insertInto('user_session')
        .values({
          session_hash: hashToken(token),
          user_id: userId,
          last_seen_at: now,
          expires_at: expiresAt,
          ip: origin.ip,
          user_agent: origin.userAgent?.slice(0, 300) ?? null,
        })
        .execute();
    });
    const user = await this.userActor(userId);
    if (!user) return null;
    // The cookie comes straight back on the next request: hold the session already.
    this.sessions.remember(
      hashToken(token),
      { actor: user, expiresAt, lastSeenAt: now },
      now.getTime(),
      this.sessions.generation(),
    );
    return { token, actor: { ...user, ip: origin.ip }, expiresAt };
  }

  /**
   * The signed-in user for a session cookie, or null when the session is unknown or has expired.
   * Most requests are answered from the session cache without a query; expiry and the idle timeout
   * are checked every time all the same, and last use is written at most once a minute.
   */
  async actorForSession(token: string, ip: string | null): Promise<Actor | null> {
    const sessionHash = hashToken(token);
    const now = this.now();
    const cached = this.sessions.get(sessionHash, now.getTime());
    // A cached session that looks expired is read again: another process may have used it since.
    const session = cached && isLive(cached, now) ? cached : await this.readSession(sessionHash, now);
    if (!session) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.db
        .updateTable('user_session')
        .set({ last_seen_at: now })
        .where('session_hash', '=', sessionHash)
        .execute();
      this.sessions.touched(sessionHash, now);
    }
    return { ...session.actor, ip };
  }

  /** A session and its user from the database (ending it if it has expired), held in the cache. */
  private async readSession(sessionHash: string, now: Date): Promise<CachedSession | null> {
    const generation = this.sessions.generation();
    const row = await this.db
      .selectFrom('user_session as s')
      .innerJoin('user_account as u', 'u.user_id', 's.user_id')
      .select([...ACTOR_USER_COLUMNS, 's.expires_at', 's.last_seen_at'])
      .where('s.session_hash', '=', sessionHash)
      .executeTakeFirst();
    // No forget here: a held copy that has expired is read again each time until it drops out, and a
    // forget would stop the reads running beside this one from being held (made-up cookies must not).
    if (!row) return null;
    const stored = { expiresAt: row.expires_at, lastSeenAt: row.last_seen_at };
    if (!isLive(stored, now)) {
      await this.db.deleteFrom('user_session').where('session_hash', '=', sessionHash).execute();
      this.sessions.forget(sessionHash);
      return null;
    }
    if (row.disabled_at) return null;
    const session = { actor: toActor(row, await this.rolesOf(row.user_id)), ...stored };
    this.sessions.remember(sessionHash, session, now.getTime(), generation);
    return session;
  }

  async signOut(token: string, actor: Actor | null): Promise<void> {
    const sessionHash = hashToken(token);
    await this.db.deleteFrom('user_session').where('session_hash', '=', sessionHash).execute();
    this.sessions.forget(sessionHash);
    if (actor)
      await this.audit.record(actor, {
        action: 'sign-out',
        resourceType: 'session',
        resourceId: actor.userId,
      });
  }

  /**
   * Counts a failed attempt in one statement (so simultaneous attempts all count) and locks the
   * account at the limit. A lock that has run out starts the count again.
   */
  private async countFailure(userId: string, lockExpired: boolean, now: Date): Promise<void> {
    await this.db
      .updateTable('user_account')
      .set((eb) => ({
        failed_sign_ins: lockExpired ? sql<number>`1` : eb('failed_sign_ins', '+', 1),
        locked_until: sql<Date | null>`case when ${lockExpired ? sql`1` : sql`failed_sign_ins + 1`} >= ${MAX_FAILED_SIGN_INS}
          then ${new Date(now.getTime() + LOCKOUT_MS)}::timestamptz else null end`,
      }))
      .where('user_id', '=', userId)
      .execute();
  }

  /** A refused sign-in on the audit trail, with no actor: by password here, or by OIDC (`oidc-sign-in.ts`). */
  async auditSignInFailure(userId: string | null, origin: RequestOrigin, reason: string): Promise<void> {
    await this.audit.record(
      null,
      {
        action: 'sign-in',
        resourceType: 'session',
        resourceId: userId,
        purpose: reason,
        outcome: 'failure',
      },
      undefined,
      origin.ip,
    );
  }

  /** The user as an actor (without a request address), or null when the account is gone or disabled. */
  private async userActor(userId: string): Promise<Omit<Actor, 'ip'> | null> {
    const user = await this.db
      .selectFrom('user_account as u')
      .select(ACTOR_USER_COLUMNS)
      .where('u.user_id', '=', userId)
      .executeTakeFirst();
    if (!user || user.disabled_at) return null;
    return toActor(user, await this.rolesOf(userId));
  }

  private async rolesOf(userId: string): Promise<ActorRole[]> {
    const roleRows = await this.db
      .selectFrom('user_role')
      .leftJoin('organisation', 'organisation.organisation_id', 'user_role.organisation_id')
      .leftJoin('team', 'team.team_id', 'user_role.team_id')
      .select([
        'user_role.role',
        'user_role.organisation_id',
        'organisation.name as organisation_name',
        'user_role.team_id',
        'team.name as team_name',
      ])
      .where('user_role.user_id', '=', userId)
      .orderBy('user_role.role')
      .execute();
    return roleRows.flatMap((row) =>
      isRole(row.role)
        ? [
            {
              role: row.role,
              organisationId: row.organisation_id,
              organisationName: row.organisation_name,
              teamId: row.team_id,
              teamName: row.team_name,
            },
          ]
        : [],
    );
  }
}

/** What an actor is made of in user_account. */
const ACTOR_USER_COLUMNS = [
  'u.user_id',
  'u.username',
  'u.display_name',
  'u.job_title',
  'u.person_id',
  'u.disabled_at',
] as const;

interface ActorUserRow {
  user_id: string;
  username: string;
  display_name: string;
  job_title: string | null;
  person_id: string | null;
}

function toActor(user: ActorUserRow, roles: ActorRole[]): Omit<Actor, 'ip'> {
  return {
    userId: user.user_id,
    username: user.username,
    displayName: user.display_name,
    jobTitle: user.job_title,
    personId: user.person_id,
    roles,
  };
}

/** Neither past its absolute end nor unused for longer than the idle timeout. */
function isLive(session: { expiresAt: Date; lastSeenAt: Date }, now: Date): boolean {
  return session.expiresAt > now && now.getTime() - session.lastSeenAt.getTime() <= SESSION_IDLE_MS;
}
