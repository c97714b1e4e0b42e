import { loadConfig } from '../../config.js';
import { checkRollups, rebuildRollupsNow } from '../../features/rollups/service.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'rollups rebuild|check';

/**
 * `rollups rebuild` recomputes the dashboards' partial aggregates from the raw records (after a
 * bulk load with the triggers off, or to repair); `rollups check` applies the queue and then says whether the
 * incrementally kept ones equal a rebuild, and which cells differ (exit 1 when any does). Each prints one line of
 * JSON on stdout, so operations can parse it.
 */
export const rollupsCommand: Command = {
  name: 'rollups',
  usage: USAGE,
  summary: 'Rebuild the dashboards’ rollups from the raw records, or check them against a rebuild',
  async run(args) {
    const [action, ...rest] = args;
    if ((action !== 'rebuild' && action !== 'check') || rest.length > 0) {
      throw new UsageError(`expected "${USAGE}", got "${args.join(' ')}".`);
    }
    const { database } = await openMigratedDatabase(loadConfig());
    try {
      if (action === 'rebuild') {
        const report = await rebuildRollupsNow(database.db);
        process.stdout.write(`${JSON.stringify({ rows: report.cells, seconds: report.seconds })}\n`);
        return 0;
      }
      const report = await checkRollups(database.db);
      process.stdout.write(
        `${JSON.stringify({ same: report.same, flushed: report.flushed, differing: report.differences.length, seconds: report.seconds, differences: report.differences })}\n`,
      );
      return report.same ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};
