import { loadConfig } from '../../config.js';
import { createServices } from '../../services/index.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { UsageError } from '../usage-error.js';

/**
 * `whatmatters audit verify`: recomputes the audit trail's hash chain and says whether it is intact,
 * in one line. Exit 0 intact, 1 broken (naming the first entry that was changed or follows a deleted
 * one).
 */
export const auditCommand: Command = {
  name: 'audit',
  usage: 'audit verify',
  summary: 'Check that no audit trail entry has been changed or deleted (exit 1 if one has)',
  async run(args) {
    const [subcommand, ...rest] = args;
    if (subcommand !== 'verify' || rest.length > 0) {
      throw new UsageError(
        subcommand === undefined
          ? 'say what to do: "audit verify".'
          : `unknown arguments "${args.join(' ')}": the only subcommand is "audit verify".`,
      );
    }
    const { database } = await openMigratedDatabase(loadConfig());
    try {
      const result = await createServices(database).audit.verify();
      if (result.ok) {
        process.stdout.write(`audit trail intact: ${result.checked} entries checked\n`);
        return 0;
      }
      const broken = result.firstBreak;
      process.stdout.write(`audit trail BROKEN at entry ${broken?.auditId}: ${broken?.reason}\n`);
      return 1;
    } finally {
      await database.close();
    }
  },
};
