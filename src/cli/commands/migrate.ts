import { loadConfig } from '../../config.js';
import type { Command } from '../main.js';
import { describeDatabase, openMigratedDatabase } from '../open-database.js';

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'Bring the database schema up to date (safe to run again)',
  async run() {
    const config = loadConfig();
    const { database, applied } = await openMigratedDatabase(config);
    await database.close();
    process.stdout.write(
      applied.length
        ? `Applied ${applied.length} migration(s) to the ${describeDatabase(config)}: ${applied.join(', ')}\n`
        : `The ${describeDatabase(config)} is up to date.\n`,
    );
    return 0;
  },
};
