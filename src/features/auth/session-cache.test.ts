import { describe, expect, it } from 'vitest';
import { type CachedSession, SessionCache } from './session-cache.js';

const session = (userId: string): CachedSession => ({
  actor: { userId, username: `${userId}@x`, displayName: userId, jobTitle: null, personId: null, roles: [] },
  expiresAt: new Date(10_000_000),
  lastSeenAt: new Date(0),
});

describe('SessionCache', () => {
  it('holds a session for its lifetime and no longer', () => {
    const cache = new SessionCache(1000);
    cache.remember('a', session('u1'), 5000, cache.generation());
    expect(cache.get('a', 5999)?.actor.userId).toBe('u1');
    expect(cache.get('a', 6000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not trust an entry read in the future of its clock', () => {
    const cache = new SessionCache(1000);
    cache.remember('a', session('u1'), 5000, cache.generation());
    expect(cache.get('a', 4999)).toBeUndefined();
  });

  it('keeps no more than its bound, dropping the longest held', () => {
    const cache = new SessionCache(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) cache.remember(key, session(key), 0, cache.generation());
    expect(cache.size).toBe(3);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('d', 1)?.actor.userId).toBe('d');
  });

  it('does not put back a session forgotten while it was being read', () => {
    const cache = new SessionCache();
    const readStarted = cache.generation();
    cache.forget('a');
    cache.remember('a', session('u1'), 0, readStarted);
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it("forgets every session of one user but the one it is told to keep, and no one else's", () => {
    const cache = new SessionCache();
    cache.remember('here', session('u1'), 0, cache.generation());
    cache.remember('phone', session('u1'), 0, cache.generation());
    cache.remember('other', session('u2'), 0, cache.generation());
    cache.forgetUser('u1', 'here');
    expect(cache.get('here', 1)).toBeDefined();
    expect(cache.get('phone', 1)).toBeUndefined();
    expect(cache.get('other', 1)).toBeDefined();
  });

  it('records a written last use on the held copy', () => {
    const cache = new SessionCache();
    cache.remember('a', session('u1'), 0, cache.generation());
    cache.touched('a', new Date(500));
    expect(cache.get('a', 1)?.lastSeenAt).toEqual(new Date(500));
  });
});
