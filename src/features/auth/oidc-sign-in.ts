import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { AuthService, RequestOrigin, SignedIn } from './auth-service.js';

/** Where the organisation's identity provider is and how WhatMatters is registered with it. */
export interface OidcSettings {
  /** The issuer identifier; its discovery document is at `/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registered with the provider; the provider sends people back here with a code. */
  redirectUri: string;
}

/** What the browser keeps between leaving for the provider and coming back (in an HttpOnly cookie). */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type OidcFailure = 'unknown-identity' | 'refused' | 'failed' | 'unavailable';

/** Sign-in through the provider did not end in a session. The message can be shown as it is. */
export class OidcSignInError extends Error {
  constructor(
    readonly reason: OidcFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcSignInError';
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

interface EmailClaims {
  email?: unknown;
  email_verified?: unknown;
}

/**
 * Signing in with an organisation's account (OpenID Connect, authorization code flow with PKCE,
 * state and nonce). The provider vouches for who someone is; WhatMatters decides what they may do,
 * so only people who already have an account here can sign in: an identity is matched by its issuer
 * and subject, or, the first time, by an email address equal to an existing username, after which the
 * subject is stored. Accounts are never created from a sign-in.
 */
export class OidcSignIn {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly settings: OidcSettings,
  ) {}

  /** The provider's address to send the browser to, and what to keep until it comes back. */
  async start(): Promise<{ authorizationUrl: URL; flow: OidcFlow }> {
    const config = await this.discover();
    const flow: OidcFlow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl, flow };
  }

  /**
   * Completes sign-in from the query string the provider sent back (`code`, `state`, maybe `iss`),
   * checking it against the flow kept since `start`. Throws `OidcSignInError` when it cannot.
   */
  async finish(callbackQuery: string, flow: OidcFlow, origin: RequestOrigin): Promise<SignedIn> {
    const config = await this.discover();
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = callbackQuery;
    let claims: oidc.IDToken | undefined;
    let accessToken = '';
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
      accessToken = tokens.access_token;
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) {
        await this.auditFailure(null, origin, `provider refused: ${error.error}`);
        throw new OidcSignInError(
          'refused',
          error.error === 'access_denied'
            ? "Your organisation's sign-in service did not sign you in: it was cancelled or refused."
            : `Your organisation's sign-in service did not sign you in (${error.error}).`,
        );
      }
      await this.auditFailure(
        null,
        origin,
        `code exchange failed: ${(error as Error).message}`.slice(0, 300),
      );
      throw new OidcSignInError(
        'failed',
        "Signing in with your organisation's account did not work. Start again from the sign-in page.",
        { cause: error },
      );
    }
    if (!claims) throw new OidcSignInError('failed', 'The sign-in service sent no identity.');

    const issuer = config.serverMetadata().issuer;
    const subject = claims.sub;
    const idClaims = claims;
    // Providers that follow OpenID Connect to the letter put email only in UserInfo for this flow.
    const emailClaims = async (): Promise<EmailClaims> => {
      if (typeof idClaims.email === 'string') {
        return { email: idClaims.email, email_verified: idClaims.email_verified };
      }
      if (!config.serverMetadata().userinfo_endpoint || !accessToken) return {};
      try {
        return await oidc.fetchUserInfo(config, accessToken, subject);
      } catch (error) {
        throw new OidcSignInError('failed', 'The sign-in service did not say who you are.', { cause: error });
      }
    };
    const userId = await this.findUser(issuer, subject, emailClaims, origin);
    const signedIn = userId ? await this.auth.startSession(userId, origin, 'oidc') : null;
    if (!signedIn) {
      await this.auditFailure(userId, origin, userId ? 'disabled account' : 'unknown identity');
      throw new OidcSignInError(
        'unknown-identity',
        "Your organisation's account is not linked to a WhatMatters account. Ask your WhatMatters administrator to give you an account with your work email address as its username.",
      );
    }
    return signedIn;
  }

  /** The account for an identity: by issuer and subject, else by email (then linked), else null. */
  private async findUser(
    issuer: string,
    subject: string,
    emailClaims: () => Promise<EmailClaims>,
    origin: RequestOrigin,
  ): Promise<string | null> {
    const linked = await this.db
      .selectFrom('user_account')
      .select('user_id')
      .where('oidc_issuer', '=', issuer)
      .where('oidc_subject', '=', subject)
      .executeTakeFirst();
    if (linked) return linked.user_id;

    const claims = await emailClaims();
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    // A provider that says the address is unverified is not vouching for it.
    if (!email || claims.email_verified === false) return null;
    // Only an account not yet linked to another identity: one account, one outside identity.
    const link = await this.db
      .updateTable('user_account')
      .set({ oidc_issuer: issuer, oidc_subject: subject })
      .where('username', '=', email)
      .where('oidc_subject', 'is', null)
      .where('disabled_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
    if (!link) return null;
    await this.audit.record(
      null,
      {
        action: 'oidc-link',
        resourceType: 'user_account',
        resourceId: link.user_id,
        purpose: `linked by email to ${issuer}`,
      },
      undefined,
      origin.ip,
    );
    return link.user_id;
  }

  /** Discovery happens on first use and is kept; a failure is not kept, so the next try repeats it. */
  private discover(): Promise<oidc.Configuration> {
    this.configuration ??= this.runDiscovery().catch((error: unknown) => {
      this.configuration = null;
      throw new OidcSignInError(
        'unavailable',
        "Your organisation's sign-in service cannot be reached at the moment. Try again later, or sign in with a username and password.",
        { cause: error },
      );
    });
    return this.configuration;
  }

  private async runDiscovery(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain HTTP only for a provider on this machine (development and tests); config checks the same.
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    const config = await oidc.discovery(
      issuer,
      this.settings.clientId,
      undefined,
      undefined,
      insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    const methods = config.serverMetadata().token_endpoint_auth_methods_supported;
    // client_secret_basic is the default when a provider says nothing (OpenID Connect Discovery).
    const auth =
      !methods || methods.includes('client_secret_basic')
        ? oidc.ClientSecretBasic(this.settings.clientSecret)
        : oidc.ClientSecretPost(this.settings.clientSecret);
    const configured = new oidc.Configuration(
      config.serverMetadata(),
      this.settings.clientId,
      undefined,
      auth,
    );
    if (insecure) oidc.allowInsecureRequests(configured);
    return configured;
  }

  private auditFailure(userId: string | null, origin: RequestOrigin, reason: string): Promise<void> {
    return this.auth.auditSignInFailure(userId, origin, `oidc: ${reason}`);
  }
}
