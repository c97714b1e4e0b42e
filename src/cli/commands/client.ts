import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { API_SCOPES, isApiScope } from '../../services/api-client-service.js';
import { ServiceError } from '../../services/errors.js';
import { createServices } from '../../services/index.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'client add --id ID --name N --scopes a,b [--organisation-id X] | client disable --id ID';

const HELP = [
  'client add --id ID --name N --scopes a,b [--organisation-id X]',
  '       whatmatters client disable --id ID',
  '',
  'Adds a system that calls the API with OAuth 2 client credentials, and prints its secret once:',
  'it is not stored and cannot be shown again. `disable` stops the client and revokes its tokens.',
  `Scopes: ${Object.keys(API_SCOPES).join(', ')}. The id is 3 to 64 lower-case letters, digits or hyphens.`,
].join('\n');

function parse(args: string[], options: Record<string, { type: 'string' }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Usage: whatmatters ${USAGE}`);
  }
}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required. Usage: whatmatters ${USAGE}`);
  return value;
}

function report(name: string, error: unknown): number {
  if (error instanceof ServiceError) {
    if (error.status === 400 || error.status === 422) throw new UsageError(error.message);
    process.stderr.write(`whatmatters client ${name}: ${error.message}\n`);
    return 1;
  }
  throw error;
}

/** `whatmatters client add` and `client disable`: systems that call the API with their own credentials. */
export const clientCommand: Command = {
  name: 'client',
  usage: 'client add|disable --id ID …',
  help: HELP,
  summary: 'Add an API client (prints its secret once), or disable one and revoke its tokens',
  async run(args) {
    const [subcommand, ...rest] = args;
    if (subcommand === 'add') {
      const values = parse(rest, {
        id: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        'organisation-id': { type: 'string' },
      });
      const input = {
        clientId: required(values, 'id'),
        name: required(values, 'name'),
        scopes: required(values, 'scopes').split(','),
        organisationId: values['organisation-id'] ?? null,
      };
      const unknown = input.scopes.filter((s) => !isApiScope(s.trim()));
      if (unknown.length) {
        throw new UsageError(
          `Unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; the scopes are ${Object.keys(API_SCOPES).join(', ')}.`,
        );
      }
      const { database } = await openMigratedDatabase(loadConfig());
      try {
        const added = await createServices(database).apiClients.add(input);
        process.stdout.write(
          `client_id: ${added.clientId}\nclient_secret: ${added.secret}\nscopes: ${added.scopes.join(' ')}\n`,
        );
        process.stderr.write(
          'Keep the client secret somewhere safe now: only its hash is stored, so it cannot be shown again.\n',
        );
        return 0;
      } catch (error) {
        return report('add', error);
      } finally {
        await database.close();
      }
    }
    if (subcommand === 'disable') {
      const clientId = required(parse(rest, { id: { type: 'string' } }), 'id');
      const { database } = await openMigratedDatabase(loadConfig());
      try {
        const { tokensRevoked } = await createServices(database).apiClients.disable(clientId);
        process.stdout.write(
          `Disabled API client ${clientId}; ${tokensRevoked} access token${tokensRevoked === 1 ? '' : 's'} revoked.\n`,
        );
        return 0;
      } catch (error) {
        return report('disable', error);
      } finally {
        await database.close();
      }
    }
    throw new UsageError(
      subcommand === undefined
        ? `say what to do. Usage: whatmatters ${USAGE}`
        : `unknown subcommand "${subcommand}". Usage: whatmatters ${USAGE}`,
    );
  },
};
