import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { MAX_DEMO_PEOPLE } from '../../demo/demo-population.js';
import { createServices } from '../../services/index.js';
import type { Command } from '../main.js';
import { describeDatabase, openMigratedDatabase } from '../open-database.js';
import { UsageError } from '../usage-error.js';

export const DEFAULT_DEMO_PEOPLE = 500;
export const DEFAULT_DEMO_SEED = 'whatmatters';

export function parseSeedArgs(args: string[]): { people: number; seed: string } {
  let values: { people?: string; seed?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { people: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const people = values.people === undefined ? DEFAULT_DEMO_PEOPLE : Number(values.people);
  if (!Number.isInteger(people) || people < 0 || people > MAX_DEMO_PEOPLE) {
    throw new UsageError(
      `--people must be a whole number from 0 to ${MAX_DEMO_PEOPLE}, not "${values.people}".`,
    );
  }
  const seed = values.seed ?? DEFAULT_DEMO_SEED;
  if (seed.length === 0 || seed.length > 100) throw new UsageError('--seed must be 1 to 100 characters.');
  return { people, seed };
}

export const seedCommand: Command = {
  name: 'seed',
  usage: 'seed [--people N] [--seed S]',
  summary: `Load a generated demo population into a new, empty database (default ${DEFAULT_DEMO_PEOPLE} people)`,
  async run(args) {
    const options = parseSeedArgs(args);
    const config = loadConfig();
    const { database } = await openMigratedDatabase(config);
    try {
      const started = Date.now();
      const info = await createServices(database).demoData.load(options);
      process.stdout.write(
        `Loaded ${info.people} demo people (seed "${info.seed}") into the ${describeDatabase(config)} ` +
          `in ${((Date.now() - started) / 1000).toFixed(1)} s. Demo accounts: ` +
          `${info.accounts.map((a) => a.username).join(', ')}; password "${info.password}".\n`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
