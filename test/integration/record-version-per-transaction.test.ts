import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import type { Actor } from '../../src/domain/actor.js';
import { todayIso } from '../../src/domain/calendar.js';
import { recordStampOf } from '../../src/features/people/record-cache.js';
import { relationshipRow } from '../../src/features/people/store.js';
import { createServices, type Services } from '../../src/services/index.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../support/test-database.js';

/**
 * Migration 0030: a person's record version goes up once per transaction that changes their record,
 * not once per statement. The record cache (features/people/record-cache.ts) serves a record while
 * its stamp is unchanged, so what must hold is that a read after a transaction commits never gets a
 * copy from before it, or from part-way through it, however many writes the transaction made after
 * its first. On PGlite and PostgreSQL alike (PGlite keeps xmin and transaction ids as PostgreSQL does).
 */
// The services on a test database (no HTTP: what is tested is the database's versions and the cache).
let t: { services: Services; database: Database };
let actor: Actor;
let personId: string;
const origin = { ip: '127.0.0.1', userAgent: 'test' };

beforeAll(async () => {
  const database = await openTestDatabase();
  t = { database, services: createServices(database) };
  await t.services.demoData.load({ people: 6, seed: 'test' });
  actor = (await t.services.auth.signIn('practitioner@demo', DEMO_PASSWORD, origin)).actor;
  const person = (await t.services.auth.signIn('person@demo', DEMO_PASSWORD, origin)).actor;
  personId = person.personId ?? '';
});
afterAll(() => t?.database.close());

const circleNames = async () =>
  (await t.services.records.record(actor, personId, todayIso())).circle.map((c) => c.name).sort();

const version = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('person')
        .select('record_version')
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow()
    ).record_version,
  );

const someone = (name: string) =>
  relationshipRow({
    personId,
    relationshipId: randomUUID(),
    name,
    relationshipType: 'friend',
    isCarer: false,
    contact: null,
  });

describe('record versions, once per transaction (migration 0030)', () => {
  it('a transaction that writes again after its first change is read whole after it commits, never from a copy kept before it', async () => {
    const before = await circleNames();
    // Read twice: the second read is served from the cache, under the stamp of now.
    expect(await circleNames()).toEqual(before);
    const versionBefore = await version();

    await t.database.db.transaction().execute(async (trx) => {
      await trx.insertInto('relationship').values(someone('First Written')).execute();
      const afterFirst = Number(
        (
          await trx
            .selectFrom('person')
            .select('record_version')
            .where('person_id', '=', personId)
            .executeTakeFirstOrThrow()
        ).record_version,
      );
      expect(afterFirst).toBe(versionBefore + 1);
      // A later write in the same transaction: the row shows it was changed here, so no second step.
      await trx.insertInto('relationship').values(someone('Later Written')).execute();
      await trx
        .updateTable('relationship')
        .set({ contact: '01234 567890' })
        .where('person_id', '=', personId)
        .where('name', '=', 'Later Written')
        .execute();
    });

    // One step for the whole transaction, and the read after it sees everything it wrote.
    expect(await version()).toBe(versionBefore + 1);
    expect(await circleNames()).toEqual([...before, 'First Written', 'Later Written'].sort());
    const later = (await t.services.records.record(actor, personId, todayIso())).circle.find(
      (c) => c.name === 'Later Written',
    );
    expect(later?.contact).toBe('01234 567890');
  });

  it('every transaction after it steps the version again, and each commit is read', async () => {
    const first = await version();
    await t.database.db.insertInto('relationship').values(someone('Next Transaction')).execute();
    expect(await version()).toBe(first + 1);
    expect(await circleNames()).toContain('Next Transaction');
    await t.database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('relationship').where('name', '=', 'Next Transaction').execute();
      await trx.insertInto('relationship').values(someone('Replacement')).execute();
    });
    expect(await version()).toBe(first + 2);
    const names = await circleNames();
    expect(names).toContain('Replacement');
    expect(names).not.toContain('Next Transaction');
  });

  it('a transaction that changed the person’s own row first still counts, and a later write in it is read', async () => {
    const first = await version();
    await t.database.db.transaction().execute(async (trx) => {
      // Updating the row steps the version itself (wm_bump_own_version) and marks it as this transaction's.
      await trx
        .updateTable('person')
        .set({ preferred_name: 'Renamed In Transaction' })
        .where('person_id', '=', personId)
        .execute();
      await trx.insertInto('relationship').values(someone('After The Rename')).execute();
    });
    expect(await version()).toBe(first + 1);
    const record = await t.services.records.record(actor, personId, todayIso());
    expect(record.person.preferredName).toBe('Renamed In Transaction');
    expect(record.circle.map((c) => c.name)).toContain('After The Rename');
  });

  it('a write in a savepoint steps it again (more steps, never fewer), and one rolled back leaves no trace', async () => {
    const first = await version();
    await t.database.db.transaction().execute(async (trx) => {
      await trx.insertInto('relationship').values(someone('Before Savepoint')).execute();
      await sql`savepoint inner_write`.execute(trx);
      await trx.insertInto('relationship').values(someone('In Savepoint')).execute();
      await sql`release savepoint inner_write`.execute(trx);
      await sql`savepoint undone`.execute(trx);
      await trx.insertInto('relationship').values(someone('Rolled Back')).execute();
      await sql`rollback to savepoint undone`.execute(trx);
    });
    expect(await version()).toBeGreaterThan(first);
    const names = await circleNames();
    expect(names).toEqual(expect.arrayContaining(['Before Savepoint', 'In Savepoint']));
    expect(names).not.toContain('Rolled Back');
  });

  it('a transaction rolled back leaves the version and the record as they were', async () => {
    const first = await version();
    const names = await circleNames();
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        await trx.insertInto('relationship').values(someone('Never Committed')).execute();
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect(await version()).toBe(first);
    expect(await circleNames()).toEqual(names);
  });

  it('the stamp is never read inside a transaction, where it could name a state no one else sees', async () => {
    await expect(
      t.database.db.transaction().execute((trx) => recordStampOf(trx, { personId })),
    ).rejects.toThrow('outside any transaction');
    expect(await recordStampOf(t.database.db, { personId })).toMatch(/^\d+:\d+$/);
  });
});
