import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NHS_NUMBER_SYSTEM } from '../../src/domain/interop/uk-core.js';
import { nhsNumberCheckDigit } from '../../src/domain/nhs-number.js';
import {
  PEOPLE_PER_TRANSACTION,
  runFhirImport,
  TRANSACTIONS_IN_FLIGHT,
} from '../../src/interop/fhir/bulk-import.js';
import { createServices, type Services } from '../../src/services/index.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../support/test-database.js';

/**
 * Bulk import past one batch (bulk-import.ts): more people than one transaction takes, written by
 * several transactions at once (pipeline.ts). A person whose NHS number a person of an earlier
 * batch took — a batch that may still be in flight beside theirs — is refused alone, with the
 * reason; everyone else is imported, each with one audit entry; a second run changes nothing.
 */
const PEOPLE = PEOPLE_PER_TRANSACTION * 2 + 50;
/** In the second batch, with the NHS number of someone in the first. */
const DUPLICATE = PEOPLE_PER_TRANSACTION + 7;
const ORIGINAL = 3;

let database: Database;
let services: Services;
let dir: string;
let file: string;

/** NHS numbers of the 999 range (never real ones) that pass the Modulus 11 check, in order. */
function nhsNumbers(count: number): string[] {
  const numbers: string[] = [];
  for (let i = 0; numbers.length < count; i++) {
    const first9 = `999${String(i).padStart(6, '0')}`;
    const check = nhsNumberCheckDigit(first9);
    if (check !== null) numbers.push(`${first9}${check}`);
  }
  return numbers;
}

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices(database);
  await database.db
    .insertInto('organisation')
    .values({
      organisation_id: '5d1e6a4c-7f0b-4a3e-9a51-2b8f0c1d2e99',
      name: 'Batch Council',
      kind: 'council-adult-social-care',
    })
    .execute();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-import-batches-'));
  file = path.join(dir, 'Patient.ndjson');
  const numbers = nhsNumbers(PEOPLE);
  const lines: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    lines.push(
      JSON.stringify({
        resourceType: 'Patient',
        id: `batch-${i}`,
        identifier: [{ system: NHS_NUMBER_SYSTEM, value: numbers[i === DUPLICATE ? ORIGINAL : i] }],
        name: [{ family: `Family${i}`, given: [`Given${i}`] }],
        gender: i % 2 ? 'female' : 'male',
        birthDate: '1950-01-01',
      }),
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await database?.close();
});

const counts = async () => {
  const db = database.db;
  const n = async (table: 'person' | 'person_nhs_number' | 'care_team_member' | 'sharing_basis') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audit = Number(
    (
      await db
        .selectFrom('audit_event')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '=', 'fhir-import')
        .executeTakeFirstOrThrow()
    ).n,
  );
  return {
    person: await n('person'),
    nhs: await n('person_nhs_number'),
    membership: await n('care_team_member'),
    basis: await n('sharing_basis'),
    audit,
  };
};

describe('bulk import across several transactions at once', () => {
  it('imports everyone but the one whose NHS number an earlier batch took, each with one audit entry', async () => {
    expect(TRANSACTIONS_IN_FLIGHT).toBeGreaterThan(1);
    const report = await runFhirImport(services, [file]);
    expect(report.people).toEqual({ imported: PEOPLE - 1, unchanged: 0, refused: 1 });
    expect(report.imported).toEqual({ Patient: PEOPLE - 1 });
    expect(report.skipped).toEqual([
      expect.objectContaining({
        type: 'Patient',
        id: `batch-${DUPLICATE}`,
        reason: 'The person was not imported: Another person registered here has this NHS number.',
      }),
    ]);
    const written = PEOPLE - 1;
    expect(await counts()).toEqual({
      person: written,
      nhs: written,
      membership: written,
      basis: written,
      audit: written,
    });
    // Nothing of the refused person is left.
    const refused = await database.db
      .selectFrom('person')
      .select('person_id')
      .where('family_name', '=', `Family${DUPLICATE}`)
      .execute();
    expect(refused).toEqual([]);
  });

  it('a second run changes nothing, not even the audit trail', async () => {
    const before = await counts();
    const report = await runFhirImport(services, [file]);
    expect(report.people).toEqual({ imported: 0, unchanged: PEOPLE - 1, refused: 1 });
    expect(await counts()).toEqual(before);
  });
});
