import { loadConfig } from '../../config.js';
import type { AuditVerification } from '../../features/audit/audit-trail.js';
import { createServices } from '../../services/index.js';
import { DataDirLockedError } from '../../store/data-dir-lock.js';
import { subcommandHelpers } from '../command-helpers.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'audit verify [--server URL]';
const helpers = subcommandHelpers('audit', USAGE);

/** Exit status when the trail could not be checked at all: not the same as a broken trail (1). */
export const COULD_NOT_CHECK = 3;

/** Says whether it could check, on one line. */
class CouldNotCheck extends Error {}

/** Checks the trail in this process: PostgreSQL (beside a running server), or an idle embedded database. */
async function verifyHere(): Promise<AuditVerification> {
  const config = loadConfig();
  try {
    const { database } = await openMigratedDatabase(config);
    try {
      return await createServices(database).audit.verify();
    } finally {
      await database.close();
    }
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CouldNotCheck(
        `${error.message} To check the trail while the server runs, ask it: whatmatters audit verify --server http://127.0.0.1:${config.port} (with API_CLIENT_ID and API_CLIENT_SECRET of an API client with the audit:verify scope).`,
      );
    }
    throw error;
  }
}

/** Asks a running server to check its trail, as an API client with the audit:verify scope. */
async function verifyThroughServer(server: string): Promise<AuditVerification> {
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new UsageError(
      `--server must be the server's address, such as http://127.0.0.1:3000, not "${server}"`,
    );
  }
  const clientId = process.env.API_CLIENT_ID?.trim();
  const secret = process.env.API_CLIENT_SECRET?.trim();
  if (!clientId || !secret) {
    throw new CouldNotCheck(
      'set API_CLIENT_ID and API_CLIENT_SECRET to an API client with the audit:verify scope (whatmatters client add --scopes audit:verify).',
    );
  }
  const call = async (path: string, init: RequestInit) => {
    try {
      return await fetch(new URL(path, base), init);
    } catch (error) {
      throw new CouldNotCheck(`could not reach ${base.origin}: ${(error as Error).message}.`);
    }
  };
  const tokenReply = await call('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'audit:verify',
      client_id: clientId,
      client_secret: secret,
    }),
  });
  const token = (await tokenReply.json().catch(() => ({}))) as {
    access_token?: string;
    error_description?: string;
  };
  if (!tokenReply.ok || !token.access_token) {
    throw new CouldNotCheck(
      `the server refused the API client: ${token.error_description ?? tokenReply.statusText}.`,
    );
  }
  const reply = await call('/api/audit/verification', {
    method: 'POST',
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  const body = (await reply.json().catch(() => ({}))) as AuditVerification & { detail?: string };
  if (!reply.ok)
    throw new CouldNotCheck(`the server could not check the trail: ${body.detail ?? reply.statusText}.`);
  return body;
}

/**
 * `whatmatters audit verify`: checks the audit trail's keyed hash chain and its anchors, and says
 * whether it is intact, in one line. Exit 0 intact, 1 broken (naming the first entry that was
 * changed, or follows a deleted one), 2 bad usage, 3 could not check. With `--server`, a running
 * server checks its own trail (the embedded database has one process at a time).
 */
export const auditCommand: Command = {
  name: 'audit',
  usage: USAGE,
  summary: 'Check that no audit trail entry has been changed, deleted or added (exit 1 if one has)',
  async run(args) {
    const [subcommand, ...rest] = args;
    if (subcommand !== 'verify') throw helpers.unknownSubcommand(subcommand);
    const { server } = helpers.parse(rest, { server: { type: 'string' } });
    let result: AuditVerification;
    try {
      result = server === undefined ? await verifyHere() : await verifyThroughServer(server);
    } catch (error) {
      if (!(error instanceof CouldNotCheck)) throw error;
      process.stderr.write(`whatmatters audit verify: could not check the trail: ${error.message}\n`);
      return COULD_NOT_CHECK;
    }
    if (result.ok) {
      const anchors = result.anchorsChecked ? `, ${result.anchorsChecked} anchors matched` : '';
      process.stdout.write(`audit trail intact: ${result.checked} entries checked${anchors}\n`);
      return 0;
    }
    const broken = result.firstBreak;
    process.stdout.write(`audit trail BROKEN at entry ${broken?.auditId}: ${broken?.reason}\n`);
    return 1;
  },
};
