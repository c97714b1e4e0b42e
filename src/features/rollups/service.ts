import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../store/schema.js';
import {
  applyRollupsOf,
  compareWithRebuild,
  flushRollups,
  type RollupDifference,
  rebuildRollups,
} from './store.js';

/**
 * Operations on the rollup as a whole, for the `whatmatters rollups` command: no person's data
 * leaves the database (only sums and their keys), so no actor or audit entry is involved, as with
 * `whatmatters migrate`.
 */

export interface RebuildReport {
  /** Cells in the rebuilt rollup. */
  cells: number;
  seconds: number;
}

/**
 * Rebuilds the rollup and the contributions from the raw records and empties the queue, in one
 * transaction: readers see the old sums or the new.
 */
export async function rebuildRollupsNow(db: Kysely<DB>): Promise<RebuildReport> {
  const started = performance.now();
  const cells = await db.transaction().execute((trx) => rebuildRollups(trx));
  return { cells, seconds: Number(((performance.now() - started) / 1000).toFixed(3)) };
}

export interface CheckReport {
  /** True when the kept rollup equals a rebuild (doubles within rounding). */
  same: boolean;
  /** People whose queued changes were applied before comparing. */
  flushed: number;
  differences: RollupDifference[];
  seconds: number;
}

/**
 * Applies the queue, then compares the incrementally kept rollup with a rebuild (changing nothing
 * else): a difference is then an error in the maintenance, not a change not yet applied.
 */
export async function checkRollups(db: Kysely<DB>): Promise<CheckReport> {
  const started = performance.now();
  const flushed = await flushRollups(db);
  const differences = await compareWithRebuild(db);
  return {
    same: differences.length === 0,
    flushed,
    differences,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
  };
}

/**
 * Within an erasure's transaction: subtracts what the person last added to the rollups and removes
 * their contribution and mark, so nothing of them is left there once the erasure commits.
 */
export async function forgetPersonInRollups(trx: Transaction<DB>, personId: string): Promise<void> {
  await applyRollupsOf(trx, personId);
}
