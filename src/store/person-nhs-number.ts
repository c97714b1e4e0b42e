import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * The person an NHS number belongs to, if anyone's: the one lookup of the `person_nhs_number`
 * index table (unique NHS numbers across the region). Callers decide who may learn the answer.
 */
export async function personIdWithNhsNumber(db: Kysely<DB>, nhsNumber: string): Promise<string | null> {
  const row = await db
    .selectFrom('person_nhs_number')
    .select('person_id')
    .where('nhs_number', '=', nhsNumber)
    .executeTakeFirst();
  return row?.person_id ?? null;
}
