import { describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH } from './audit-service.js';

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
