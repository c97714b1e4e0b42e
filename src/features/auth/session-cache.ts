import type { Actor } from '../../domain/actor.js';

/**
 * How long a resolved session is trusted without asking the database again. Within one process every
 * sign-out, password change and account disable forgets the session at once, so this only bounds how
 * late a change made elsewhere is seen: another server process behind the same load balancer, or
 * `whatmatters user disable` against the same PostgreSQL. 30 seconds keeps that window shorter than a
 * person takes to read a page, while an active user's session costs its two queries at most twice a
 * minute instead of on every request (a page, its assets and its form posts).
 */
export const SESSION_CACHE_TTL_MS = 30 * 1000;

/**
 * At most this many sessions are held; beyond it the longest-held is dropped (and is simply read
 * again when it returns). An entry is about a kilobyte, so the cache stays within ~10 MiB however many
 * sessions are open, and a flood of distinct cookies cannot grow it.
 */
export const SESSION_CACHE_MAX_ENTRIES = 10_000;

/** A session as the database last said, with its user: what each request needs to know who is asking. */
export interface CachedSession {
  /** The signed-in user, without the request's address (that differs per request). */
  actor: Omit<Actor, 'ip'>;
  expiresAt: Date;
  lastSeenAt: Date;
}

interface Entry extends CachedSession {
  /** When the database was read, in the service's clock (ms). */
  readAt: number;
}

/**
 * Resolved sessions, keyed by the SHA-256 of the session token (never the token itself), held for a
 * short while so most requests resolve their actor without a query. It decides nothing: expiry and
 * idle timeout are still checked by AuthService on every request, against the cached times.
 *
 * A read that started before a sign-out must not put the ended session back, so every forget moves
 * a generation on, and `remember` keeps an entry only if no forget happened since its read began.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private generationNow = 0;

  constructor(
    private readonly ttlMs: number = SESSION_CACHE_TTL_MS,
    private readonly maxEntries: number = SESSION_CACHE_MAX_ENTRIES,
  ) {}

  /** Call before reading a session from the database; hand the answer to `remember`. */
  generation(): number {
    return this.generationNow;
  }

  /** The cached session, or undefined when it is not held or was read too long ago. */
  get(sessionHash: string, nowMs: number): CachedSession | undefined {
    const entry = this.entries.get(sessionHash);
    if (!entry) return undefined;
    if (nowMs - entry.readAt >= this.ttlMs || nowMs < entry.readAt) {
      this.entries.delete(sessionHash);
      return undefined;
    }
    return entry;
  }

  /** Holds a session just read from the database, unless something was forgotten since the read began. */
  remember(sessionHash: string, session: CachedSession, nowMs: number, readGeneration: number): void {
    if (readGeneration !== this.generationNow) return;
    this.entries.delete(sessionHash);
    this.entries.set(sessionHash, { ...session, readAt: nowMs });
    // Maps iterate in insertion order, so the first key is the one held longest.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Records that the session's last use was written to the database. */
  touched(sessionHash: string, at: Date): void {
    const entry = this.entries.get(sessionHash);
    if (entry) entry.lastSeenAt = at;
  }

  /** Forgets one session: after sign-out, or when the database no longer has it. */
  forget(sessionHash: string): void {
    this.generationNow++;
    this.entries.delete(sessionHash);
  }

  /**
   * Forgets every session of a user (but `keepSessionHash`, the one making a password change): call
   * after anything that changes who the user is or whether they may sign in — sign-out everywhere,
   * a password change, an account disabled, roles, name or linked person changed.
   */
  forgetUser(userId: string, keepSessionHash?: string): void {
    this.generationNow++;
    for (const [hash, entry] of this.entries) {
      if (entry.actor.userId === userId && hash !== keepSessionHash) this.entries.delete(hash);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
