import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actor.js';
import { type Database, openDatabase } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { AuditService } from './audit-trail.js';

const actor: Actor = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'a',
  displayName: 'A',
  jobTitle: null,
  personId: null,
  roles: [],
  ip: '127.0.0.1',
};

let database: Database;
let audit: AuditService;

beforeAll(async () => {
  database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', pgliteMemoryMb: 128 });
  await migrateToLatest(database.db);
  audit = new AuditService(database.db, database.auditTrail);
});
afterAll(() => database.close());

describe('group-committed audit entries', () => {
  it('appends entries recorded at once, each exactly once, in a chain that verifies', async () => {
    const before = await audit.verify();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        audit.record(actor, { action: `read-${i}`, resourceType: 'test' }),
      ),
    );
    const rows = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('resource_type', '=', 'test')
      .execute();
    expect(rows.map((r) => r.action).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `read-${i}`).sort(),
    );
    const after = await audit.verify();
    expect(after).toMatchObject({ ok: true, checked: before.checked + 60 });
  });

  it('refuses only the entry that cannot be stored, not the others waiting with it', async () => {
    const results = await Promise.allSettled([
      audit.record(actor, { action: 'good-1', resourceType: 'batch' }),
      audit.record(actor, { action: 'bad', resourceType: 'batch', personId: 'not-a-uuid' }),
      audit.record(actor, { action: 'good-2', resourceType: 'batch' }),
      audit.record(actor, { action: 'good-3', resourceType: 'batch' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const rows = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('resource_type', '=', 'batch')
      .execute();
    expect(rows.map((r) => r.action).sort()).toEqual(['good-1', 'good-2', 'good-3']);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('two appenders on one database (two server processes) keep one chain: each hashes again when the other moved the head', async () => {
    const other = new AuditService(database.db, database.auditTrail);
    for (let i = 0; i < 5; i++) {
      await audit.record(actor, { action: `first-${i}`, resourceType: 'two' });
      await other.record(actor, { action: `second-${i}`, resourceType: 'two' });
    }
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        audit.record(actor, { action: `first-x${i}`, resourceType: 'two' }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        other.record(actor, { action: `second-x${i}`, resourceType: 'two' }),
      ),
    ]);
    const rows = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('resource_type', '=', 'two')
      .execute();
    expect(rows).toHaveLength(30);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('an entry appended in a transaction that rolls back leaves no trace, and the next append still chains', async () => {
    await database.db
      .transaction()
      .execute(async (trx) => {
        await audit.record(actor, { action: 'rolled-back', resourceType: 'rollback' }, trx);
        throw new Error('give up');
      })
      .catch(() => {});
    await audit.record(actor, { action: 'after', resourceType: 'rollback' });
    const rows = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('resource_type', '=', 'rollback')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['after']);
    expect((await audit.verify()).ok).toBe(true);
  });
});
