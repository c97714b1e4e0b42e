import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { PROBLEM_CONTENT_TYPE, problem } from '../problem.js';

export interface RateLimit {
  /** Requests allowed from one client address in each window. */
  max: number;
  windowMs: number;
}

export interface RateLimits {
  /** `POST /sign-in` and `POST /api/session` together: one budget, whichever form of sign-in is used. */
  signIn: RateLimit;
  /** `POST /oauth/token`. */
  token: RateLimit;
  /**
   * `POST /feedback/:serviceKey`, the public feedback form: generous enough for a kiosk in a busy
   * waiting room (one address for everyone who uses it), small enough to stop a flood.
   */
  feedback: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signIn: { max: 10, windowMs: 60_000 },
  token: { max: 30, windowMs: 60_000 },
  feedback: { max: 30, windowMs: 10 * 60_000 },
};

/** Which routes share which budget, by method and path. */
const LIMITED_ROUTES: Readonly<Record<string, keyof RateLimits>> = {
  'POST /sign-in': 'signIn',
  'POST /api/session': 'signIn',
  'POST /oauth/token': 'token',
  'POST /feedback/:serviceKey': 'feedback',
};

/** The page a form route answers with over its budget (the API answers problem+json). */
const LIMITED_PAGES: Readonly<Record<keyof RateLimits, { view: string; pageTitle: string }>> = {
  signIn: { view: 'account-rate-limited', pageTitle: 'Too many attempts to sign in' },
  token: { view: 'account-rate-limited', pageTitle: 'Too many attempts to sign in' },
  feedback: { view: 'feedback-rate-limited', pageTitle: 'Too much feedback sent from here' },
};

/** Client addresses remembered per budget; the least recently seen are forgotten first. */
const ADDRESSES_REMEMBERED = 10_000;

/**
 * Limits on the routes that check secrets, per client address (the proxy's `X-Forwarded-For` when
 * TRUST_PROXY is set), on top of the per-account lockout: they slow guessing across many accounts.
 * Counts are kept in this process's memory, so each instance behind a load balancer counts for
 * itself. Over the limit, the API answers 429 problem+json and the sign-in form a page, both with
 * `Retry-After`.
 */
export const rateLimits = fp(
  async (app: FastifyInstance, opts: { limits?: Partial<RateLimits> }) => {
    const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...opts.limits };
    await app.register(rateLimit, { global: false });
    const limiterFor = (limit: RateLimit) =>
      app.createRateLimit({
        max: limit.max,
        timeWindow: limit.windowMs,
        cache: ADDRESSES_REMEMBERED,
      } as Parameters<typeof app.createRateLimit>[0]);
    const limiters = {
      signIn: limiterFor(limits.signIn),
      token: limiterFor(limits.token),
      feedback: limiterFor(limits.feedback),
    };

    const hookFor = (budget: keyof RateLimits): onRequestHookHandler =>
      async function limit(request: FastifyRequest, reply: FastifyReply) {
        const result = await limiters[budget](request);
        if (result.isAllowed) return;
        reply.header('ratelimit-limit', result.max);
        reply.header('ratelimit-remaining', result.remaining);
        reply.header('ratelimit-reset', result.ttlInSeconds);
        if (!result.isExceeded) return;
        const wait = waitInWords(result.ttlInSeconds);
        reply.header('retry-after', result.ttlInSeconds);
        request.log.warn({ route: request.routeOptions.url, budget }, 'rate limit exceeded');
        if (request.routeOptions.config.page) {
          const { view, pageTitle } = LIMITED_PAGES[budget];
          return reply.code(429).page(view, { pageTitle, wait });
        }
        return reply
          .code(429)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            ...problem(
              429,
              'Too many requests',
              `Too many requests from your address. Try again in ${wait}.`,
            ),
            instance: request.url,
          });
      };

    app.addHook('onRoute', (route) => {
      const budget = [route.method]
        .flat()
        .map((method) => LIMITED_ROUTES[`${method} ${route.url}`])
        .find((b) => b !== undefined);
      if (!budget) return;
      const existing = route.onRequest;
      const hook = hookFor(budget);
      route.onRequest = existing ? [...[existing].flat(), hook] : [hook];
    });
  },
  { name: 'rate-limits', dependencies: ['web'] },
);

function waitInWords(seconds: number): string {
  if (seconds <= 60) return `${Math.max(seconds, 1)} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
