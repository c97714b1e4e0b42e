import { FHIR_RESOURCE_TYPES } from '../../domain/interop/fhir-types.js';
import { SMART_SCOPE_FORMAT } from '../../domain/interop/smart-scopes.js';
import { API_SCOPES, scopesProblem } from '../../features/auth/api-client-service.js';
import { subcommandHelpers } from '../command-helpers.js';
import type { Command } from '../main.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'client add --id ID --name N --scopes a,b [--organisation-id X] | client disable --id ID';

const HELP = [
  'client add --id ID --name N --scopes a,b [--organisation-id X]',
  '       whatmatters client disable --id ID',
  '',
  'Adds a system that calls the API with OAuth 2 client credentials, and prints its secret once:',
  'it is not stored and cannot be shown again. `disable` stops the client and revokes its tokens.',
  `Scopes, comma-separated: ${Object.keys(API_SCOPES).join(', ')}, and SMART system scopes for FHIR,`,
  `${SMART_SCOPE_FORMAT}, for example 'system/*.read' or`,
  "'system/Patient.read,system/Goal.write' (quote them, so the shell leaves * alone).",
  `FHIR types: ${FHIR_RESOURCE_TYPES.join(', ')}.`,
  'A client with FHIR scopes acts for the organisation --organisation-id names, by default the one made',
  'first (the hosting organisation). The id is 1 to 64 lower-case letters, digits or hyphens.',
].join('\n');

const { parse, required, withServices, unknownSubcommand } = subcommandHelpers('client', USAGE);

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
      const problem = scopesProblem(input.scopes);
      if (problem) throw new UsageError(problem);
      return withServices('add', async (services) => {
        const added = await services.apiClients.add(input);
        process.stdout.write(
          `client_id: ${added.clientId}\nclient_secret: ${added.secret}\nscopes: ${added.scopes.join(' ')}\n` +
            (added.organisation
              ? `organisation: ${added.organisation.name} (${added.organisation.organisationId})\n`
              : ''),
        );
        process.stderr.write(
          'Keep the client secret somewhere safe now: only its hash is stored, so it cannot be shown again.\n',
        );
        return 0;
      });
    }
    if (subcommand === 'disable') {
      const clientId = required(parse(rest, { id: { type: 'string' } }), 'id');
      return withServices('disable', async (services) => {
        const { tokensRevoked } = await services.apiClients.disable(clientId);
        process.stdout.write(
          `Disabled API client ${clientId}; ${tokensRevoked} access token${tokensRevoked === 1 ? '' : 's'} revoked.\n`,
        );
        return 0;
      });
    }
    throw unknownSubcommand(subcommand);
  },
};
