import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * A carer's own record. A carer who wants to record what matters to them as a carer is given a
 * `person` row of their own (linked to their account by `user_account.person_id`), so their
 * outcomes, ratings and rights reuse every mechanism a person's record has. `registered_as` says
 * whose record it is: `person` (someone who draws on care and support, as every record so far) or
 * `carer` (a carer's own record, about the carer, coded with the carers' framework).
 *
 * No index: the value is read only with the person's row, never searched across people.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table person add column registered_as text not null default 'person'
      check (registered_as in ('person', 'carer'))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`alter table person drop column registered_as`]);
}
