import { text } from 'node:stream/consumers';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../domain/password-policy.js';
import { ASSIGNABLE_ROLES } from '../../features/auth/user-accounts.js';
import { subcommandHelpers } from '../command-helpers.js';
import type { Command } from '../main.js';
import { UsageError } from '../usage-error.js';

/** Where the new password comes from when it is not typed: never the command line, which others can read. */
export const NEW_PASSWORD_VARIABLE = 'WM_NEW_PASSWORD';

const USAGE =
  'user add --username U --name N --role R [--organisation-id X] [--team-id Y] [--job-title T] | user disable --username U | user remove --username U';

const HELP = [
  'user add --username U --name N --role R [--organisation-id X] [--team-id Y] [--job-title T]',
  '       whatmatters user disable --username U',
  '       whatmatters user remove --username U',
  '',
  'remove: the account can never sign in again and keeps nothing personal (its name becomes',
  '"Removed user"); records it wrote keep it as their author, by id.',
  '',
  `The new password is read from ${NEW_PASSWORD_VARIABLE}, else typed (twice, hidden) at a terminal, else`,
  'the first line of stdin; never from the command line.',
  `Roles: ${ASSIGNABLE_ROLES.join(', ')}. Practitioners, team managers, commissioners and analysts`,
  'need --organisation-id; team managers --team-id too.',
].join('\n');

const { parse, required, withServices, unknownSubcommand } = subcommandHelpers('user', USAGE);

/** Reads a line from the terminal without showing it. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish();
        if (character === '\u0003') return finish(new UsageError('cancelled.'));
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
        else value += character;
      }
    };
    stdin.on('data', onData);
  });
}

/** The new password: WM_NEW_PASSWORD, else typed twice at a terminal, else the first line of stdin. */
async function readNewPassword(): Promise<string> {
  const fromEnvironment = process.env[NEW_PASSWORD_VARIABLE];
  if (fromEnvironment) return fromEnvironment;
  if (process.stdin.isTTY) {
    const first = await promptHidden(`New password (at least ${PASSWORD_MIN_LENGTH} characters): `);
    const again = await promptHidden('Type it again: ');
    if (first !== again) throw new UsageError('the two passwords are not the same.');
    return first;
  }
  const input = await text(process.stdin);
  const password = input.split(/\r?\n/)[0] ?? '';
  if (!password) {
    throw new UsageError(
      `give the new password in ${NEW_PASSWORD_VARIABLE} or on stdin (never on the command line).`,
    );
  }
  return password;
}

/**
 * `whatmatters user add` and `user disable`: local accounts, from the command line. This is how the
 * first administrator of a new production database is made.
 */
export const userCommand: Command = {
  name: 'user',
  usage: 'user add|disable|remove --username U …',
  help: HELP,
  summary: 'Add a local account (the first administrator too), disable one, or remove one',
  async run(args) {
    const [subcommand, ...rest] = args;
    if (subcommand === 'add') {
      const values = parse(rest, {
        username: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        'organisation-id': { type: 'string' },
        'team-id': { type: 'string' },
        'job-title': { type: 'string' },
      });
      const input = {
        username: required(values, 'username'),
        displayName: required(values, 'name'),
        role: required(values, 'role'),
        organisationId: values['organisation-id'] ?? null,
        teamId: values['team-id'] ?? null,
        jobTitle: values['job-title'] ?? null,
      };
      if (!(ASSIGNABLE_ROLES as readonly string[]).includes(input.role)) {
        throw new UsageError(`--role must be one of ${ASSIGNABLE_ROLES.join(', ')}, not "${input.role}".`);
      }
      const password = await readNewPassword();
      // Checked here too, before the database is opened, so a refused password fails fast.
      const problem = passwordProblem(password, { username: input.username });
      if (problem) throw new UsageError(`${problem.message}.`);
      return withServices('add', async (services) => {
        const added = await services.users.add({ ...input, password });
        process.stdout.write(`Added user ${added.username} (${input.role}), id ${added.userId}.\n`);
        return 0;
      });
    }
    if (subcommand === 'disable') {
      const values = parse(rest, { username: { type: 'string' } });
      const username = required(values, 'username');
      return withServices('disable', async (services) => {
        const { sessionsEnded } = await services.users.disable(username);
        process.stdout.write(
          `Disabled user ${username.toLowerCase()}: it can no longer sign in; ${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended.\n`,
        );
        return 0;
      });
    }
    if (subcommand === 'remove') {
      const values = parse(rest, { username: { type: 'string' } });
      const username = required(values, 'username');
      return withServices('remove', async (services) => {
        const { userId, sessionsEnded } = await services.users.remove(username);
        process.stdout.write(
          `Removed user ${username.toLowerCase()} (id ${userId}): it can never sign in again and keeps nothing personal; ${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended.\n`,
        );
        return 0;
      });
    }
    throw unknownSubcommand(subcommand);
  },
};
