import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { ServiceError } from '../services/errors.js';
import { createServices, type Services } from '../services/index.js';
import { openMigratedDatabase } from './open-database.js';
import { UsageError } from './usage-error.js';

type OptionValues = Record<string, string | undefined>;

/** Argument parsing, database opening and error reporting shared by the CLI's subcommand-style commands. */
export interface SubcommandHelpers {
  /** Parses `--name value` options strictly; a bad argument is a usage error (exit 2). */
  parse(args: string[], options: Record<string, { type: 'string' }>): OptionValues;
  /** The trimmed value of a required option, or a usage error when it is missing or blank. */
  required(values: OptionValues, name: string): string;
  /**
   * Opens the migrated database, runs `action` with its services and closes it again. Bad input is
   * exit 2; a missing or duplicate record is exit 1, as the CLI's other commands do.
   */
  withServices(subcommand: string, action: (services: Services) => Promise<number>): Promise<number>;
  /** The usage error for a missing or unknown subcommand. */
  unknownSubcommand(subcommand: string | undefined): UsageError;
}

/** The helpers for `whatmatters <command> …`, whose usage line is `usage`. */
export function subcommandHelpers(command: string, usage: string): SubcommandHelpers {
  return {
    parse(args, options) {
      try {
        return parseArgs({ args, options, strict: true, allowPositionals: false }).values as OptionValues;
      } catch (error) {
        throw new UsageError(`${(error as Error).message}. Usage: whatmatters ${usage}`);
      }
    },
    required(values, name) {
      const value = values[name]?.trim();
      if (!value) throw new UsageError(`--${name} is required. Usage: whatmatters ${usage}`);
      return value;
    },
    async withServices(subcommand, action) {
      const { database } = await openMigratedDatabase(loadConfig());
      try {
        return await action(createServices(database));
      } catch (error) {
        if (error instanceof ServiceError) {
          if (error.status === 400 || error.status === 422) throw new UsageError(error.message);
          process.stderr.write(`whatmatters ${command} ${subcommand}: ${error.message}\n`);
          return 1;
        }
        throw error;
      } finally {
        await database.close();
      }
    },
    unknownSubcommand(subcommand) {
      return new UsageError(
        subcommand === undefined
          ? `say what to do. Usage: whatmatters ${usage}`
          : `unknown subcommand "${subcommand}". Usage: whatmatters ${usage}`,
      );
    },
  };
}
