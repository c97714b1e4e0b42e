import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../services/errors.js';
import {
  auditHash,
  canonicalUuid,
  checkChain,
  GENESIS_HASH,
  hashedFieldsOf,
  type StoredAuditRow,
} from './audit-trail.js';
import { checkFilters, describeAuditAction } from './service.js';

describe('auditHash', () => {
  const fields = { action: 'read', resource_type: 'person', person_id: 'p1', purpose: null };

  it('is a SHA-256 hex digest that does not depend on field order', () => {
    const a = auditHash(GENESIS_HASH, fields);
    const b = auditHash(GENESIS_HASH, {
      purpose: null,
      person_id: 'p1',
      resource_type: 'person',
      action: 'read',
    });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
  });

  it('changes when any field or the previous hash changes', () => {
    const base = auditHash(GENESIS_HASH, fields);
    expect(auditHash(GENESIS_HASH, { ...fields, action: 'write' })).not.toBe(base);
    expect(auditHash(base, fields)).not.toBe(base);
  });
});

describe('canonicalUuid', () => {
  it('writes a uuid as PostgreSQL returns it, so the hash matches the stored row', () => {
    const canonical = 'abcdef01-2345-6789-abcd-ef0123456789';
    expect(canonicalUuid('ABCDEF01-2345-6789-ABCD-EF0123456789')).toBe(canonical);
    expect(canonicalUuid('{abcdef01-2345-6789-abcd-ef0123456789}')).toBe(canonical);
    expect(canonicalUuid('abcdef0123456789abcdef0123456789')).toBe(canonical);
    expect(canonicalUuid(canonical)).toBe(canonical);
  });

  it('leaves null and anything that is not a uuid alone', () => {
    expect(canonicalUuid(null)).toBeNull();
    expect(canonicalUuid('not-a-uuid')).toBe('not-a-uuid');
  });
});

/** A chain of rows as `record()` would have written them. */
function chain(count: number): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let previous = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const row: StoredAuditRow = {
      audit_id: String(i * 2), // gaps, as rolled-back appends leave
      occurred_at: new Date(Date.UTC(2026, 2, 4, 14, 5, i, 123)),
      actor_user_id: '11111111-2222-3333-4444-555555555555',
      actor_role: 'practitioner',
      action: i % 2 ? 'read-person' : 'save-plan',
      resource_type: 'person',
      resource_id: `r${i}`,
      person_id: '66666666-7777-8888-9999-000000000000',
      purpose: 'direct care (consent: support planning)',
      ip: '127.0.0.1',
      outcome: 'success',
      previous_hash: previous,
      hash: '',
    };
    row.hash = auditHash(previous, { ...hashedFieldsOf(row) });
    previous = row.hash;
    rows.push(row);
  }
  return rows;
}

describe('checkChain', () => {
  it('accepts an intact chain, with gaps in the ids, and carries it across batches', () => {
    const rows = chain(6);
    const whole = checkChain(rows);
    expect(whole).toMatchObject({ checked: 6, firstBreak: null, lastAuditId: '12' });
    const first = checkChain(rows.slice(0, 4));
    const second = checkChain(rows.slice(4), first.lastHash, first.lastAuditId);
    expect(second).toEqual({ ...whole, checked: 2 });
  });

  it('accepts an empty trail', () => {
    expect(checkChain([])).toEqual({
      checked: 0,
      lastHash: GENESIS_HASH,
      lastAuditId: null,
      firstBreak: null,
    });
  });

  it('hashes the time exactly as record() did: ISO 8601, milliseconds, UTC', () => {
    const [row] = chain(1);
    expect(row && hashedFieldsOf(row).occurred_at).toBe('2026-03-04T14:05:01.123Z');
  });

  it.each([
    ['action', { action: 'x' }],
    ['purpose', { purpose: null }],
    ['outcome', { outcome: 'denied' }],
    ['time', { occurred_at: new Date(Date.UTC(2026, 2, 4, 14, 5, 3, 124)) }],
    ['hash', { hash: 'f'.repeat(64) }],
  ])('reports an edited %s at that entry', (_what, change) => {
    const rows = chain(5);
    rows[2] = { ...(rows[2] as StoredAuditRow), ...change };
    const result = checkChain(rows);
    if ('hash' in change) {
      // A replaced hash makes the entry itself look edited.
      expect(result.firstBreak?.auditId).toBe('6');
    } else {
      expect(result.firstBreak).toEqual({
        auditId: '6',
        reason: 'its contents do not match its hash: the entry was changed',
      });
    }
    expect(result.checked).toBe(2);
  });

  it('reports a deleted entry at the one after it', () => {
    const rows = chain(5);
    rows.splice(2, 1); // delete id 6
    const result = checkChain(rows);
    expect(result.firstBreak?.auditId).toBe('8');
    expect(result.firstBreak?.reason).toMatch(/does not match entry 4: an entry between them was deleted/);
  });

  it('reports deleted first entries at the new first entry', () => {
    const result = checkChain(chain(3).slice(1));
    expect(result.firstBreak?.auditId).toBe('4');
    expect(result.firstBreak?.reason).toMatch(/earlier entries were deleted/);
  });

  it('reports an edit that recomputed the hash at the next entry', () => {
    const rows = chain(4);
    const edited = { ...(rows[1] as StoredAuditRow), action: 'x' };
    edited.hash = auditHash(edited.previous_hash, { ...hashedFieldsOf(edited) });
    rows[1] = edited;
    expect(checkChain(rows).firstBreak?.auditId).toBe('6');
  });
});

describe('describeAuditAction', () => {
  it('says what was done in plain English', () => {
    expect(describeAuditAction('read-person')).toBe('Looked at your record');
    expect(describeAuditAction('save-plan')).toBe('Changed your care and support plan');
    expect(describeAuditAction('record-conversation')).toBe('Recorded a conversation with you');
  });

  it('says plainly when someone tried and was not allowed', () => {
    expect(describeAuditAction('read-person', 'denied')).toBe(
      'Tried to look at your record but was not allowed',
    );
  });

  it('shows an action it does not know as it was recorded', () => {
    expect(describeAuditAction('export-bulk')).toBe('export-bulk');
    expect(describeAuditAction('export-bulk', 'denied')).toBe('export-bulk (not allowed)');
  });
});

describe('checkFilters', () => {
  const refusal = (filters: Parameters<typeof checkFilters>[0]) => {
    try {
      checkFilters(filters);
    } catch (error) {
      if (error instanceof ServiceError) return error.field;
      throw error;
    }
    return null;
  };

  it('treats blank filters as none and normalises the rest', () => {
    expect(checkFilters({ nhsNumber: ' ', user: '', page: 2 })).toMatchObject({ page: 2 });
    expect(checkFilters({ nhsNumber: '943 476 5919', user: 'Practitioner@Demo' })).toMatchObject({
      nhsNumber: '9434765919',
      username: 'practitioner@demo',
      summary: 'NHS number 9434765919, user practitioner@demo',
    });
  });

  it('refuses nonsense, naming the field', () => {
    expect(refusal({ nhsNumber: '943 476 5918' })).toBe('nhsNumber');
    expect(refusal({ personId: 'nope' })).toBe('personId');
    expect(refusal({ action: 'Read Person' })).toBe('action');
    expect(refusal({ outcome: 'maybe' })).toBe('outcome');
    expect(refusal({ from: '2026-02-30' })).toBe('from');
    expect(refusal({ to: '26-02-01' })).toBe('to');
    expect(refusal({ from: '2026-03-02', to: '2026-03-01' })).toBe('from');
    expect(refusal({ page: 0 })).toBe('page');
  });
});
