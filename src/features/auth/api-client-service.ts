import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FHIR_RESOURCE_TYPES } from '../../domain/interop/fhir-types.js';
import { grantsScope, isSmartScope, SMART_SCOPE_FORMAT } from '../../domain/interop/smart-scopes.js';
import { invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { hostingOrganisation } from './client-account.js';

/**
 * What an API client may be allowed to do, besides the SMART system scopes for FHIR resources
 * (`system/Patient.read`, `system/*.read`; src/domain/interop/smart-scopes.ts). A route opts in to
 * API clients by naming the scopes that let a client call it (`config.scopes`).
 */
export const API_SCOPES = {
  'directory:read': 'Read the directory of organisations and teams',
  'frameworks:read': 'Read outcomes frameworks with their domains and rating scales',
  'audit:verify': 'Check that the audit trail has not been changed (POST /api/audit/verification)',
  'community:write': 'Add and change its own organisation’s entries in the community resource directory',
} as const;
export type ApiScope = keyof typeof API_SCOPES;

export function isApiScope(value: string): value is ApiScope {
  return Object.hasOwn(API_SCOPES, value);
}

/** A scope a client may be granted: one of API_SCOPES, or a SMART system scope for a FHIR type served. */
export function isGrantableScope(value: string): boolean {
  return isApiScope(value) || isSmartScope(value);
}

/**
 * What is wrong with the scopes asked for a new client (blanks and spaces around each ignored),
 * naming each bad one, or null when they are all grantable. The one rule for `client add`, whether from the command line or a service call.
 */
export function scopesProblem(input: readonly string[]): string | null {
  const scopes = input.map((s) => s.trim()).filter(Boolean);
  const known = `the scopes are ${Object.keys(API_SCOPES).join(', ')}, and ${SMART_SCOPE_FORMAT} for the FHIR types ${FHIR_RESOURCE_TYPES.join(', ')}`;
  if (scopes.length === 0) return `Give at least one scope: ${known}.`;
  const unknown = scopes.filter((s) => !isGrantableScope(s));
  if (unknown.length === 0) return null;
  return `Unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; ${known}.`;
}

/** Access tokens last an hour; a client asks for a new one when its token runs out. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/** A system calling the API with an access token: who it is and what it may do. */
export interface ApiClient {
  clientId: string;
  scopes: string[];
  organisationId: string | null;
}

/** The organisation an API client acts for. */
export interface ClientOrganisation {
  organisationId: string;
  name: string;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: string;
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** A token request refused, with the error code RFC 6749 section 5.2 names. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  /** 401 for a client that failed to authenticate, 400 for everything else. */
  get status(): 400 | 401 {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

const CLIENT_ID = /^[a-z0-9-]{1,64}$/;

/**
 * Client secrets and access tokens are 32 random bytes (256 bits), so only their SHA-256 is stored.
 * A slow hash such as scrypt protects secrets people choose, which are few enough to guess; a
 * 256-bit random value cannot be guessed from its SHA-256, and a slow hash here would only make
 * every token request cost tens of milliseconds and 32 MiB of memory: a lever for denial of service.
 */
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const storedDigest = (value: string) => `sha256:${digest(value).toString('hex')}`;
const randomSecret = () => randomBytes(32).toString('base64url');

function secretMatches(secret: string, stored: string): boolean {
  const [scheme, hex] = stored.split(':');
  if (scheme !== 'sha256' || !hex) return false;
  const expected = Buffer.from(hex, 'hex');
  const actual = digest(secret);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A secret that matches nothing: unknown clients cost the same comparison as known ones. */
const NO_CLIENT_HASH = storedDigest(randomSecret());

/**
 * Systems that call the API (OAuth 2 client credentials, RFC 6749 section 4.4): clients are added by
 * the operator (`whatmatters client add`), exchange their secret for an access token at
 * `POST /oauth/token`, and send it as `Authorization: Bearer`.
 */
export class ApiClientService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds a client and returns its secret, which is not stored and cannot be shown again. */
  async add(input: {
    clientId: string;
    name: string;
    scopes: string[];
    organisationId?: string | null;
  }): Promise<{
    clientId: string;
    secret: string;
    scopes: string[];
    organisation: ClientOrganisation | null;
  }> {
    const clientId = input.clientId.trim();
    if (!CLIENT_ID.test(clientId)) {
      throw invalid('The client id must be 1 to 64 lower-case letters, digits or hyphens', 'id');
    }
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) throw invalid('The name must be 1 to 200 characters', 'name');
    const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
    const problem = scopesProblem(scopes);
    if (problem) throw invalid(problem, 'scopes');
    const organisationId = input.organisationId?.trim() || null;
    let organisation: ClientOrganisation | null = null;
    if (organisationId) {
      organisation =
        (/^[0-9a-f-]{36}$/i.test(organisationId)
          ? await this.db
              .selectFrom('organisation')
              .select(['organisation_id as organisationId', 'name'])
              .where('organisation_id', '=', organisationId)
              .executeTakeFirst()
          : undefined) ?? null;
      if (!organisation) throw notFound(`Organisation ${organisationId}`);
    } else if (scopes.some(isSmartScope)) {
      // A system client reads and writes records as an organisation: by default the hosting one,
      // the organisation made first.
      organisation = await hostingOrganisation(this.db);
      if (!organisation) {
        throw invalid(
          'A client with FHIR (system/…) scopes acts for an organisation (organisation-id, by default the organisation made first), and there is none yet: add one first',
          'organisation-id',
        );
      }
    }
    const existing = await this.db
      .selectFrom('api_client')
      .select('client_id')
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (existing)
      throw new ServiceError(409, 'Client exists', `There is already an API client ${clientId}`, 'id');

    const secret = randomSecret();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_client')
        .values({
          client_id: clientId,
          name,
          secret_hash: storedDigest(secret),
          scopes,
          organisation_id: organisation?.organisationId ?? null,
        })
        .execute();
      await this.audit.record(
        null,
        {
          action: 'api-client-add',
          resourceType: 'api_client',
          resourceId: clientId,
          purpose: `command line: ${scopes.join(' ')}${organisation ? ` for organisation ${organisation.organisationId}` : ''}`,
        },
        trx,
      );
    });
    return { clientId, secret, scopes, organisation };
  }

  /** Stops a client getting tokens, and revokes the tokens it has. */
  async disable(clientIdInput: string): Promise<{ tokensRevoked: number }> {
    const clientId = clientIdInput.trim();
    return this.db.transaction().execute(async (trx) => {
      const client = await trx
        .updateTable('api_client')
        .set({ disabled_at: this.now() })
        .where('client_id', '=', clientId)
        .where('disabled_at', 'is', null)
        .returning('client_id')
        .executeTakeFirst();
      if (!client) throw notFound(`Active API client ${clientId}`);
      const revoked = await trx.deleteFrom('api_token').where('client_id', '=', clientId).executeTakeFirst();
      await this.audit.record(
        null,
        {
          action: 'api-client-disable',
          resourceType: 'api_client',
          resourceId: clientId,
          purpose: 'command line',
        },
        trx,
      );
      return { tokensRevoked: Number(revoked.numDeletedRows) };
    });
  }

  /**
   * The client credentials grant: checks the client's secret and issues an access token for the
   * scopes asked for (space-separated), or for all the client's scopes when none are asked for. A
   * scope may be asked for when the client's scopes grant it, so a client with `system/*.read` may
   * ask for `system/Patient.read`.
   */
  async issueToken(
    clientId: string,
    secret: string,
    requestedScope: string | undefined,
    ip: string | null,
  ): Promise<IssuedToken> {
    const client = await this.db
      .selectFrom('api_client')
      .selectAll()
      .where('client_id', '=', clientId.slice(0, 200))
      .executeTakeFirst();
    const matches = secretMatches(secret, client?.secret_hash ?? NO_CLIENT_HASH);
    if (!client || client.disabled_at || !matches) {
      await this.auditToken(
        clientId.slice(0, 200),
        ip,
        'failure',
        !client ? 'unknown client' : client.disabled_at ? 'disabled client' : 'wrong secret',
      );
      throw new OAuthError(
        'invalid_client',
        'Client authentication failed: unknown client, wrong secret, or disabled client.',
      );
    }

    let scopes = client.scopes;
    if (requestedScope !== undefined) {
      const requested = [...new Set(requestedScope.split(' ').filter(Boolean))];
      if (requested.length === 0) throw new OAuthError('invalid_scope', 'The scope parameter is empty.');
      const notGranted = requested.filter((s) => !grantsScope(client.scopes, s));
      if (notGranted.length) {
        await this.auditToken(client.client_id, ip, 'denied', `scope not granted: ${notGranted.join(' ')}`);
        throw new OAuthError(
          'invalid_scope',
          `This client may not have the scope ${notGranted.join(' ')}. Its scopes: ${client.scopes.join(' ')}.`,
        );
      }
      scopes = requested;
    }

    const accessToken = randomSecret();
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('api_token').where('expires_at', '<=', now).execute();
      await trx
        .insertInto('api_token')
        .values({
          token_hash: storedDigest(accessToken),
          client_id: client.client_id,
          scopes,
          issued_at: now,
          expires_at: new Date(now.getTime() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000),
        })
        .execute();
    });
    await this.auditToken(client.client_id, ip, 'success', scopes.join(' '));
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS,
      scope: scopes.join(' '),
    };
  }

  /** The client an access token belongs to, or null when the token is unknown, expired or revoked. */
  async callerForToken(token: string): Promise<ApiClient | null> {
    if (token.length > 200) return null;
    const row = await this.db
      .selectFrom('api_token as t')
      .innerJoin('api_client as c', 'c.client_id', 't.client_id')
      .select(['t.client_id', 't.scopes', 't.expires_at', 'c.organisation_id', 'c.disabled_at'])
      .where('t.token_hash', '=', storedDigest(token))
      .executeTakeFirst();
    if (!row || row.disabled_at || row.expires_at <= this.now()) return null;
    return { clientId: row.client_id, scopes: row.scopes, organisationId: row.organisation_id };
  }

  private async auditToken(
    clientId: string,
    ip: string | null,
    outcome: 'success' | 'failure' | 'denied',
    purpose: string,
  ): Promise<void> {
    await this.audit.record(
      null,
      { action: 'token-issue', resourceType: 'api_client', resourceId: clientId, purpose, outcome },
      undefined,
      ip,
    );
  }
}
