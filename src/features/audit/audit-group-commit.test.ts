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
  audit = new AuditService(database.db);
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
});
