import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chainEntries,
  draftOf,
  GENESIS_HASH,
  type StoredAuditRow,
} from '../../src/features/audit/audit-chain.js';
import { AuditService, prepareAuditTrail } from '../../src/features/audit/audit-trail.js';
import type { Database } from '../../src/store/database.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { openTestDatabase } from '../support/test-database.js';

/**
 * The four ways the black-box probe rewrote the old, unkeyed trail without `audit verify` noticing
 * (issue 8, part 2), each done to a real database by someone who can write any SQL but does not
 * hold the audit key, and each found: deleting the newest entries, editing an entry and
 * recomputing the hashes after it, deleting every entry about one person and recomputing, and
 * appending a forged entry. Then the re-chaining of a trail from before the key, and checking the
 * trail through the API while the server runs.
 */

const PERSON_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const PERSON_B = 'bbbbbbbb-0000-4000-8000-000000000002';

let database: Database;
let audit: AuditService;
let dir: string;

/** An attacker's tool: rewrite rows from `fromId` on so each chains to the one before, with `key`. */
async function rechainFrom(fromId: string, key: Buffer): Promise<void> {
  const { db } = database;
  const before = await db
    .selectFrom('audit_event')
    .select('hash')
    .where('audit_id', '<', fromId)
    .orderBy('audit_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const rows = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('audit_id', '>=', fromId)
    .orderBy('audit_id')
    .execute();
  const chained = chainEntries(key, before?.hash ?? GENESIS_HASH, rows.map(draftOf));
  for (const [i, row] of rows.entries()) {
    const entry = chained[i];
    if (!entry) continue;
    await db
      .updateTable('audit_event')
      .set({ private_digest: entry.private_digest, previous_hash: entry.previous_hash, hash: entry.hash })
      .where('audit_id', '=', String(row.audit_id))
      .execute();
  }
}

const ids = async (where: 'all' | string = 'all') =>
  (
    await database.db
      .selectFrom('audit_event')
      .select('audit_id')
      .$if(where !== 'all', (qb) => qb.where('person_id', '=', where))
      .orderBy('audit_id')
      .execute()
  ).map((r) => String(r.audit_id));

describe('tampering with the trail is found', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    await sql`delete from audit_event`.execute(database.db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-anchors-'));
    audit = new AuditService(database.db, {
      key: database.auditTrail.key,
      anchorFile: path.join(dir, 'audit-anchors.jsonl'),
    });
    for (let i = 0; i < 12; i++) {
      await audit.record(null, {
        action: 'read-person',
        resourceType: 'person',
        personId: i % 3 ? PERSON_A : PERSON_B,
        purpose: `direct care ${i}`,
      });
      // The running server anchors now and then; here every fourth entry.
      if (i % 4 === 3) expect(await audit.anchor()).not.toBeNull();
    }
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 12, anchorsChecked: 3 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('deleting the newest entries (the old chain was still whole)', async () => {
    const all = await ids();
    await sql`delete from audit_event where audit_id > ${all[8]}`.execute(database.db);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({
      auditId: all[11],
      reason: expect.stringMatching(/newest entries were deleted/),
    });
  });

  it('editing an entry and recomputing every hash after it', async () => {
    const all = await ids();
    const target = all[5] as string;
    await sql`update audit_event set purpose = 'nothing to see' where audit_id = ${target}`.execute(
      database.db,
    );
    // Recomputed as the old chain did (SHA-256), and with a key of the attacker's own.
    await rechainFrom(target, createHash('sha256').update('guess').digest());
    expect((await audit.verify()).firstBreak?.auditId).toBe(target);
    await rechainFrom(target, randomBytes(32));
    expect((await audit.verify()).firstBreak?.auditId).toBe(target);
  });

  it('deleting every entry about one person and recomputing', async () => {
    const aboutB = await ids(PERSON_B);
    await sql`delete from audit_event where person_id = ${PERSON_B}`.execute(database.db);
    const first = (await ids())[0] as string;
    await rechainFrom(first, randomBytes(32));
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(0);
    // Even someone holding the key is caught, once the re-chain passes an anchor.
    await rechainFrom(first, database.auditTrail.key);
    const withKey = await audit.verify();
    expect(withKey.ok).toBe(false);
    expect(withKey.firstBreak?.reason).toMatch(/anchored/);
    expect(aboutB.length).toBeGreaterThan(0);
  });

  it('appending a forged entry', async () => {
    const head = await database.db
      .selectFrom('audit_event')
      .selectAll()
      .orderBy('audit_id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const forged = chainEntries(randomBytes(32), head.hash, [
      { ...draftOf(head as StoredAuditRow), action: 'sign-in', purpose: 'an alibi' },
    ])[0];
    await sql`select wm_append_audit(${head.hash}, ${JSON.stringify([forged])}::jsonb)`.execute(database.db);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.auditId).toBe(String(BigInt(head.audit_id) + 1n));
  });

  it('editing or adding to the anchor file', async () => {
    const file = path.join(dir, 'audit-anchors.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1) as string);
    fs.writeFileSync(
      file,
      `${[...lines.slice(0, -1), JSON.stringify({ ...last, auditId: '99' })].join('\n')}\n`,
    );
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: false, firstBreak: { auditId: 'anchors' } });
    expect(result.firstBreak?.reason).toMatch(/line 3 of the anchor file .* not signed with the audit key/);
  });
});

describe('a trail from before the key', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  /** Rows chained as before migration 0008: SHA-256, no key, no digest. */
  async function writeUnkeyedTrail(count: number, breakAt = -1): Promise<void> {
    let previous = GENESIS_HASH;
    for (let i = 0; i < count; i++) {
      const fields = {
        occurred_at: new Date(Date.UTC(2026, 0, 1, 9, 0, i)).toISOString(),
        actor_user_id: null,
        actor_role: null,
        action: 'read-person',
        resource_type: 'person',
        resource_id: null,
        person_id: PERSON_A,
        purpose: 'direct care',
        ip: '127.0.0.1',
        outcome: 'success',
      };
      const canonical = JSON.stringify(
        Object.keys(fields)
          .sort()
          .map((k) => [k, fields[k as keyof typeof fields]]),
      );
      const hash = createHash('sha256').update(previous).update(canonical).digest('hex');
      await database.db
        .insertInto('audit_event')
        .values({
          ...fields,
          occurred_at: new Date(fields.occurred_at),
          previous_hash: previous,
          hash: i === breakAt ? 'f'.repeat(64) : hash,
        })
        .execute();
      previous = hash;
    }
  }

  it('is checked and re-chained with the key on the first start with one, once', async () => {
    await sql`delete from audit_event`.execute(database.db);
    await sql`delete from app_meta where key = 'audit-key-id'`.execute(database.db);
    await writeUnkeyedTrail(25);
    expect(await prepareAuditTrail(database.db, database.auditTrail)).toBe(25);
    expect(await prepareAuditTrail(database.db, database.auditTrail)).toBe(0);
    const service = new AuditService(database.db, database.auditTrail);
    await service.record(null, { action: 'after-keying', resourceType: 'test' });
    expect(await service.verify(7)).toMatchObject({ ok: true, checked: 26 });
  });

  it('a broken old trail is not laundered into a keyed one: the start is refused', async () => {
    await sql`delete from audit_event`.execute(database.db);
    await sql`delete from app_meta where key = 'audit-key-id'`.execute(database.db);
    await writeUnkeyedTrail(5, 2);
    await expect(prepareAuditTrail(database.db, database.auditTrail)).rejects.toThrow(
      /audit trail is broken at entry \d+, so it cannot be keyed/,
    );
  });

  it('another key is refused: processes on one database must share its key', async () => {
    await sql`delete from audit_event`.execute(database.db);
    await sql`delete from app_meta where key = 'audit-key-id'`.execute(database.db);
    await prepareAuditTrail(database.db, database.auditTrail);
    await expect(prepareAuditTrail(database.db, { key: randomBytes(32), anchorFile: null })).rejects.toThrow(
      /the audit key is not the one this database's audit trail is chained with/,
    );
  });
});

describe('POST /api/audit/verification: checking the trail while the server runs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demoPeople: 3 });
  });
  afterAll(() => t?.close());

  const verify = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/audit/verification', headers });

  /** An access token for an API client, as the Authorization header. */
  async function bearerFor(client: { clientId: string; secret: string }) {
    const issued = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.secret,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(issued.statusCode, issued.body).toBe(200);
    return { authorization: `Bearer ${issued.json().access_token}` };
  }

  it('answers an administrator and an API client with the audit:verify scope, and audits each check', async () => {
    const admin = await signIn(t.app, 'admin@demo');
    const csrf = await t.app.inject({ url: '/api/session', headers: { cookie: admin } });
    const token = csrf.json().csrfToken as string | undefined;
    const byAdmin = await verify({ cookie: admin, ...(token ? { 'x-csrf-token': token } : {}) });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.json()).toMatchObject({ ok: true, firstBreak: null });
    expect(byAdmin.json().checked).toBeGreaterThan(0);

    const client = await t.services.apiClients.add({
      clientId: 'nightly-check',
      name: 'Nightly audit check',
      scopes: ['audit:verify'],
    });
    const bearer = await bearerFor(client);
    const byClient = await verify(bearer);
    expect(byClient.statusCode, byClient.body).toBe(200);
    expect(byClient.json().ok).toBe(true);

    // Broken: the answer says so (200: the check itself worked).
    await sql`update audit_event set action = 'x' where audit_id = (select min(audit_id) from audit_event)`.execute(
      t.database.db,
    );
    const broken = await verify(bearer);
    expect(broken.json()).toMatchObject({ ok: false, checked: 0 });

    const checks = await t.database.db
      .selectFrom('audit_event')
      .select(['outcome', 'purpose'])
      .where('action', '=', 'verify-audit')
      .orderBy('audit_id')
      .execute();
    expect(checks.map((c) => c.outcome)).toEqual(['success', 'success', 'failure']);
    expect(checks[1]?.purpose).toContain('nightly-check');
  });

  it('refuses everyone else', async () => {
    const practitioner = await signIn(t.app, 'practitioner@demo');
    expect((await verify({ cookie: practitioner })).statusCode).toBe(403);
    expect((await verify({})).statusCode).toBe(401);
    const other = await t.services.apiClients.add({
      clientId: 'directory-reader',
      name: 'Directory',
      scopes: ['directory:read'],
    });
    expect((await verify(await bearerFor(other))).statusCode).toBe(403);
  });
});
