import type { Kysely } from 'kysely';
import { fixedQuery } from '../../store/fixed-query.js';
import type { DB } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';

/** How many records a server keeps at most: each is tens of kilobytes. */
const DEFAULT_CAPACITY = 500;

const stampQuery = fixedQuery((db, v: RecordScope) =>
  db
    .selectFrom('person as p')
    .innerJoin('reference_version as r', (join) => join.onTrue())
    .select(['p.record_version', 'r.version'])
    .where('p.person_id', '=', v.personId),
);

/**
 * Which state of a person's record (and of the names it shows from elsewhere) the database holds
 * now: two counters the database keeps in step with every change (migration 0005). Undefined
 * when there is no such person.
 */
export async function recordStampOf(db: Kysely<DB>, scope: RecordScope): Promise<string | undefined> {
  // A stamp read inside a writing transaction could name a state no other reader ever sees (the
  // version goes up once per transaction, migration 0030): read it only outside transactions.
  if (db.isTransaction) throw new Error('A record stamp is read outside any transaction.');
  const row = await stampQuery.first(db, scope);
  return row ? `${row.record_version}:${row.version}` : undefined;
}

/**
 * The parts of people's records read most recently, each kept with the stamp it was read at and
 * served only while the database's stamp is unchanged: a read costs one indexed lookup instead
 * of the record's statements, and can never be older than the database. Nothing about who read
 * it is kept: the access check and its audit entry happen on every read, before the cache is asked.
 * Each server process has its own; they agree because the stamp is the database's.
 */
export class RecordCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: T }>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The parts for this stamp: kept ones if their stamp matches, else read now and kept. */
  async get(personId: string, stamp: string, read: () => Promise<T>): Promise<T> {
    const kept = this.entries.get(personId);
    if (kept?.stamp === stamp) {
      // Most recently used last: the oldest is the first to go.
      this.entries.delete(personId);
      this.entries.set(personId, kept);
      return kept.value;
    }
    // Frozen: one copy is handed to every reader, so none may change it under the others.
    const value = deepFreeze(await read());
    this.entries.delete(personId);
    this.entries.set(personId, { stamp, value });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }

  /** Forgets a person's record: for erasure, which must leave no copy behind. */
  forget(personId: string): void {
    this.entries.delete(personId);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
