import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AuditDraft,
  auditHash,
  ChainChecker,
  canonicalUuid,
  chainEntries,
  draftOf,
  ERASE_ACTION,
  GENESIS_HASH,
  type StoredAuditRow,
  USER_REMOVE_ACTION,
  unkeyedHash,
} from './audit-chain.js';

const key = randomBytes(32);
const PERSON = '66666666-7777-8888-9999-000000000000';

function draft(i: number, extra: Partial<AuditDraft> = {}): AuditDraft {
  return {
    occurred_at: new Date(Date.UTC(2026, 2, 4, 14, 5, i, 123)).toISOString(),
    actor_user_id: '11111111-2222-3333-4444-555555555555',
    actor_role: 'practitioner',
    action: i % 2 ? 'read-person' : 'save-plan',
    resource_type: 'person',
    resource_id: `r${i}`,
    person_id: PERSON,
    purpose: 'direct care (consent: support planning)',
    ip: '127.0.0.1',
    outcome: 'success',
    listed_person_ids: null,
    ...extra,
  };
}

/** Stored rows as `wm_append_audit` would have inserted them, with gaps in the ids. */
function stored(drafts: AuditDraft[], signingKey: Buffer = key, previous = GENESIS_HASH): StoredAuditRow[] {
  return chainEntries(signingKey, previous, drafts).map((e, i) => ({
    ...e,
    audit_id: String((i + 1) * 2),
    occurred_at: new Date(e.occurred_at),
    redacted: false,
  }));
}

const trail = (count: number) => stored(Array.from({ length: count }, (_, i) => draft(i + 1)));

function check(rows: StoredAuditRow[], anchors = new Map<string, { hash: string; at: string }>()) {
  const checker = new ChainChecker(key, anchors);
  checker.check(rows);
  checker.finish();
  return checker;
}

/** An attacker's re-chaining from `from` on, with the key they can get: not the audit key. */
function rechain(rows: StoredAuditRow[], from: number, withKey: Buffer): StoredAuditRow[] {
  const head = rows.slice(0, from);
  const tail = stored(rows.slice(from).map(draftOf), withKey, head.at(-1)?.hash ?? GENESIS_HASH);
  return [...head, ...tail.map((r, i) => ({ ...r, audit_id: rows[from + i]?.audit_id ?? r.audit_id }))];
}

describe('the keyed hash', () => {
  it('is an HMAC: the same fields under another key, or another order, give the same or another hash as they should', () => {
    const fields = { action: 'read', person_id: 'p1', private_digest: null };
    const a = auditHash(key, GENESIS_HASH, fields);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(key, GENESIS_HASH, { private_digest: null, person_id: 'p1', action: 'read' })).toBe(a);
    expect(auditHash(randomBytes(32), GENESIS_HASH, fields)).not.toBe(a);
    expect(auditHash(key, a, fields)).not.toBe(a);
  });

  it('writes uuids as PostgreSQL returns them, so a hash made before the insert matches the row', () => {
    const canonical = 'abcdef01-2345-6789-abcd-ef0123456789';
    expect(canonicalUuid('ABCDEF01-2345-6789-ABCD-EF0123456789')).toBe(canonical);
    expect(canonicalUuid('{abcdef01-2345-6789-abcd-ef0123456789}')).toBe(canonical);
    expect(canonicalUuid('abcdef0123456789abcdef0123456789')).toBe(canonical);
    expect(canonicalUuid(null)).toBeNull();
    expect(canonicalUuid('not-a-uuid')).toBe('not-a-uuid');
  });

  it('reads the time back exactly as it was hashed: ISO 8601, milliseconds, UTC', () => {
    const [row] = trail(1);
    expect(row && draftOf(row).occurred_at).toBe('2026-03-04T14:05:01.123Z');
  });
});

describe('ChainChecker', () => {
  it('accepts an intact chain with gaps in the ids, batch by batch', () => {
    const rows = trail(6);
    const whole = check(rows);
    expect(whole).toMatchObject({ checked: 6, firstBreak: null, lastAuditId: '12' });
    const batched = new ChainChecker(key);
    batched.check(rows.slice(0, 4));
    batched.check(rows.slice(4));
    expect(batched.finish()).toBeNull();
    expect(batched.lastHash).toBe(whole.lastHash);
    expect(check([])).toMatchObject({ checked: 0, firstBreak: null });
  });

  it.each([
    ['action', { action: 'x' }, /contents do not match its hash/],
    ['purpose', { purpose: 'something else' }, /purpose or address does not match its digest/],
    ['ip', { ip: '10.0.0.1' }, /purpose or address does not match its digest/],
    ['outcome', { outcome: 'denied' }, /contents do not match its hash/],
    ['time', { occurred_at: new Date(Date.UTC(2026, 2, 4, 14, 5, 3, 124)) }, /contents do not match/],
    ['listed people', { listed_person_ids: [PERSON] }, /contents do not match/],
    ['hash', { hash: 'f'.repeat(64) }, /contents do not match/],
  ])('reports an edited %s at that entry', (_what, change, reason) => {
    const rows = trail(5);
    rows[2] = { ...(rows[2] as StoredAuditRow), ...change };
    const result = check(rows);
    expect(result.firstBreak?.auditId).toBe('6');
    expect(result.firstBreak?.reason).toMatch(reason);
    expect(result.checked).toBe(2);
  });

  it('reports a deleted middle entry at the one after it, and deleted first entries', () => {
    const rows = trail(5);
    rows.splice(2, 1);
    expect(check(rows).firstBreak).toMatchObject({ auditId: '8', reason: expect.stringMatching(/entry 4/) });
    expect(check(trail(3).slice(1)).firstBreak?.reason).toMatch(/earlier entries were deleted/);
  });

  it('finds an edit whose hashes were recomputed without the key (SHA-256, or another key)', () => {
    const rows = trail(5);
    const edited = rows.map((r) => (r.audit_id === '6' ? { ...r, action: 'x' } : r));
    const rechained = rechain(edited, 2, randomBytes(32));
    expect(check(rechained).firstBreak).toMatchObject({
      auditId: '6',
      reason: expect.stringMatching(/changed|without the audit key/),
    });
  });

  it('finds every entry about one person deleted and the rest re-chained', () => {
    const rows = stored([draft(1), draft(2, { person_id: null }), draft(3), draft(4, { person_id: null })]);
    const kept = rows.filter((r) => r.person_id === null);
    const rechained = rechain(kept, 0, randomBytes(32));
    expect(check(rechained).firstBreak?.auditId).toBe('4');
  });

  it('finds a forged entry appended without the key', () => {
    const rows = trail(3);
    const forged = stored([draft(9)], randomBytes(32), rows.at(-1)?.hash);
    expect(check([...rows, { ...(forged[0] as StoredAuditRow), audit_id: '8' }]).firstBreak?.auditId).toBe(
      '8',
    );
  });

  it('finds the newest entries deleted, by the anchors', () => {
    const rows = trail(5);
    const last = rows.at(-1) as StoredAuditRow;
    const anchors = new Map([[last.audit_id, { hash: last.hash, at: '2026-03-04T14:06:00.000Z' }]]);
    expect(check(rows, anchors)).toMatchObject({ firstBreak: null, anchorsChecked: 1 });
    const cut = check(rows.slice(0, 3), anchors);
    expect(cut.firstBreak).toMatchObject({
      auditId: '10',
      reason: expect.stringMatching(
        /the trail ends at entry 6 but entry 10 was anchored .*newest entries were deleted/,
      ),
    });
  });

  it('finds a re-chain that reaches an anchor, even one made with the key', () => {
    const rows = trail(5);
    const anchored = rows[3] as StoredAuditRow;
    const anchors = new Map([[anchored.audit_id, { hash: anchored.hash, at: 'then' }]]);
    // Whoever holds the key could re-chain, but not without changing an anchored hash.
    const edited = rows.map((r) => (r.audit_id === '4' ? { ...r, action: 'x' } : r));
    expect(check(rechain(edited, 1, key), anchors).firstBreak).toMatchObject({
      auditId: '8',
      reason: expect.stringMatching(/not the one anchored/),
    });
    // An anchored entry deleted from the middle.
    const missing = rows.filter((r) => r.audit_id !== '8');
    expect(check(rechain(missing, 3, key), anchors).firstBreak?.reason).toMatch(
      /anchored at then but is missing/,
    );
  });

  it('accepts entries redacted on erasure, and only those', () => {
    const rows = stored([draft(1), draft(2), draft(3, { action: ERASE_ACTION, purpose: 'erasure request' })]);
    const redact = (r: StoredAuditRow) =>
      r.action === ERASE_ACTION ? r : { ...r, purpose: null, ip: null, redacted: true };
    expect(check(rows.map(redact)).firstBreak).toBeNull();
    // Redacted but no erasure on the trail.
    const noErasure = rows.slice(0, 2).map(redact);
    expect(check(noErasure).firstBreak?.reason).toMatch(
      /records neither the erasure of its person nor the removal/,
    );
    // Marked redacted with text put back.
    const textBack = rows.map(redact).map((r) => (r.audit_id === '2' ? { ...r, purpose: 'made up' } : r));
    expect(check(textBack).firstBreak).toMatchObject({
      auditId: '2',
      reason: expect.stringMatching(/still has its text/),
    });
  });
});

it('accepts entries made by a removed account redacted, and only once its removal is on the trail', () => {
  const ACCOUNT = '11111111-2222-3333-4444-555555555555';
  const signIn = draft(1, { person_id: null, action: 'sign-in', ip: '192.0.2.7' });
  const removal = draft(2, {
    person_id: null,
    action: USER_REMOVE_ACTION,
    resource_id: ACCOUNT,
    actor_user_id: null,
  });
  const rows = stored([signIn, removal]);
  const redact = (r: StoredAuditRow) =>
    r.action === 'sign-in' ? { ...r, purpose: null, ip: null, redacted: true } : r;
  expect(check(rows.map(redact)).firstBreak).toBeNull();
  expect(check(rows.slice(0, 1).map(redact)).firstBreak?.reason).toMatch(/nor the removal of its user/);
});

describe('unkeyedHash', () => {
  it('is the SHA-256 chain entries had before migration 0008', () => {
    const [row] = trail(1);
    const value = unkeyedHash(GENESIS_HASH, row as StoredAuditRow);
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(unkeyedHash(GENESIS_HASH, { ...(row as StoredAuditRow), action: 'x' })).not.toBe(value);
  });
});
