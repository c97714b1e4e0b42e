import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { insertJsonRows } from '../../src/store/json-rows.js';
import { openTestDatabase } from '../support/test-database.js';

/**
 * insertJsonRows (src/store/json-rows.ts), which bulk import writes registrations with, on PGlite
 * and PostgreSQL: the rows as `insertInto(table).values(rows)` would write them, defaults included.
 */
let database: Database;
const organisationId = randomUUID();

beforeAll(async () => {
  database = await openTestDatabase();
  await database.db
    .insertInto('organisation')
    .values({ organisation_id: organisationId, name: 'Rows Trust', kind: 'nhs-trust' })
    .execute();
});
afterAll(() => database?.close());

describe('insertJsonRows', () => {
  it('writes every value as given, and a column a row leaves out takes its default', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await insertJsonRows(database.db, 'person', [
      {
        person_id: a,
        nhs_number: null,
        given_name: 'Ann “Quote”',
        family_name: 'O’Neil\\Back\nslash',
        preferred_name: null,
        date_of_birth: '1950-02-28',
        sex: 'female',
        deprivation_decile: 3,
        registered_as: 'carer',
      },
      // No registered_as (and undefined is the same as left out): the column's default.
      {
        person_id: b,
        nhs_number: null,
        given_name: 'Bo',
        family_name: 'Bee',
        preferred_name: undefined,
        date_of_birth: null,
        sex: 'unknown',
        deprivation_decile: null,
      },
    ]);
    const rows = await database.db
      .selectFrom('person')
      .select([
        'person_id',
        'given_name',
        'family_name',
        'preferred_name',
        'date_of_birth',
        'sex',
        'deprivation_decile',
        'registered_as',
        'record_version',
        'lead_state',
      ])
      .where('person_id', 'in', [a, b])
      .orderBy('given_name')
      .execute();
    expect(rows).toEqual([
      {
        person_id: a,
        given_name: 'Ann “Quote”',
        family_name: 'O’Neil\\Back\nslash',
        preferred_name: null,
        date_of_birth: '1950-02-28',
        sex: 'female',
        deprivation_decile: 3,
        registered_as: 'carer',
        record_version: 1,
        lead_state: 'needs-team',
      },
      {
        person_id: b,
        given_name: 'Bo',
        family_name: 'Bee',
        preferred_name: null,
        date_of_birth: null,
        sex: 'unknown',
        deprivation_decile: null,
        registered_as: 'person',
        record_version: 1,
        lead_state: 'needs-team',
      },
    ]);
  });

  it('gives a timestamp where given and the default (now) where not, in one call, and fires the statement triggers', async () => {
    const personId = randomUUID();
    await insertJsonRows(database.db, 'person', [
      { person_id: personId, nhs_number: null, given_name: 'Cy', family_name: 'Sea', sex: 'male' },
    ]);
    const recorded = '2024-05-06T07:08:09.000Z';
    const [given, defaulted] = [randomUUID(), randomUUID()];
    const userId = randomUUID();
    const before = await database.db
      .selectFrom('person')
      .select('record_version')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    await insertJsonRows(database.db, 'sharing_basis', [
      {
        person_id: personId,
        basis_id: given,
        organisation_id: organisationId,
        basis: 'direct-care',
        purpose: 'Given time',
        recorded_by_user_id: userId,
        recorded_at: recorded,
      },
      {
        person_id: personId,
        basis_id: defaulted,
        organisation_id: organisationId,
        basis: 'consent',
        purpose: 'Default time',
        recorded_by_user_id: userId,
      },
    ]);
    const rows = await database.db
      .selectFrom('sharing_basis')
      .select(['basis_id', 'recorded_at', 'note'])
      .where('person_id', '=', personId)
      .execute();
    const byId = new Map(rows.map((r) => [r.basis_id, r]));
    expect(new Date(byId.get(given)?.recorded_at as Date).toISOString()).toBe(recorded);
    // Left out: the column's default, the transaction's time (after the one given).
    expect(new Date(byId.get(defaulted)?.recorded_at as Date).getTime()).toBeGreaterThan(
      new Date(recorded).getTime(),
    );
    expect(byId.get(defaulted)?.note).toBe('');
    // The record's version went up (the statement-level trigger saw the rows).
    const after = await database.db
      .selectFrom('person')
      .select('record_version')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(after.record_version).toBeGreaterThan(before.record_version);
  });

  it('refuses a row the table refuses, and writes none of the statement', async () => {
    const good = randomUUID();
    await expect(
      insertJsonRows(database.db, 'person', [
        { person_id: good, nhs_number: null, given_name: 'Di', family_name: 'Dee', sex: 'female' },
        { person_id: randomUUID(), nhs_number: null, given_name: 'Ed', family_name: 'Ee', sex: 'not-a-sex' },
      ]),
    ).rejects.toThrow();
    expect(
      await database.db.selectFrom('person').select('person_id').where('person_id', '=', good).execute(),
    ).toEqual([]);
  });
});
