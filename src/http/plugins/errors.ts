import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ContractError, MAX_FIELD_ERRORS } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { isFhirRequest, type Problem, problem, sendRefusal } from '../problem.js';

/** PostgreSQL's SQLSTATE for a unique-key violation (PGlite reports the same). */
const UNIQUE_VIOLATION = '23505';

/** What a reader is told for an address that names no record of theirs (the same words as a refusal). */
const NOT_IN_SCOPE = 'No person with that id is in your caseload or circle.';

/** What a person is told for an address that is no page of the service. */
const PAGE_NOT_FOUND =
  'If you typed the web address, check it is correct. If you pasted it, check you copied all of it. You can also start again from the home page.';

/**
 * A page's answer to a request its schema refused, in plain words: where the problem is (the web
 * address or the form), never the validator's field paths and keywords. The API keeps those.
 */
function plainValidationProblem(error: FastifyError): Problem {
  return error.validationContext === 'body'
    ? problem(
        400,
        'The form could not be read',
        'The form sent something this page cannot use. Go back, reload the page and try again.',
      )
    : problem(
        400,
        'The web address is not right',
        'Part of the web address is not something this page understands. Check the link, or start again from the home page.',
      );
}

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const params = issue.params as Record<string, unknown>;
  const leaf =
    typeof params.missingProperty === 'string'
      ? params.missingProperty
      : typeof params.additionalProperty === 'string'
        ? params.additionalProperty
        : '';
  return [context, path, leaf].filter(Boolean).join('.');
}

function messageOf(issue: ValidationIssue): string {
  const params = issue.params as Record<string, unknown>;
  if (typeof params.additionalProperty === 'string') return 'is not a recognised field';
  if (typeof params.missingProperty === 'string') return 'is required';
  const own = (issue as { parentSchema?: { errorMessage?: unknown } }).parentSchema?.errorMessage;
  if (typeof own === 'string') return own;
  return issue.message ?? 'is not valid';
}

/** Turns any error into a specific, safe answer: problem+json for the API, a page for pages. */
export function toProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  if (error instanceof ContractError) return problem(error.status, error.title, error.message, error.fields);
  if (error instanceof ServiceError) {
    return problem(
      error.status,
      error.title,
      error.message,
      error.field ? [{ field: error.field, message: error.message }] : undefined,
    );
  }
  // Two people saving the same thing at once: the database's unique keys keep one; tell the other.
  if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
    return problem(
      409,
      'Changed at the same time',
      'Someone else saved the same thing at the same moment. Reload and try again.',
    );
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    // A handful of errors is enough to fix a request; a body with thousands wrong gets a small answer.
    const errors = fastifyError.validation.slice(0, MAX_FIELD_ERRORS).map((issue) => ({
      field: fieldOf(issue, fastifyError.validationContext),
      message: messageOf(issue),
    }));
    const more = fastifyError.validation.length - errors.length;
    const detail =
      errors.map((e) => `${e.field || 'request'} ${e.message}`).join('; ') +
      (more > 0 ? `; and ${more} more` : '');
    return problem(400, 'Invalid request', detail, errors);
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    // Fastify's own 4xx messages (bad JSON, body too large, unsupported media type) are safe to show.
    return problem(status, titleFor(status), fastifyError.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return problem(
    500,
    'Something went wrong',
    'The server could not complete the request. Nothing was saved.',
  );
}

function titleFor(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request';
    case 403:
      return 'Not allowed';
    case 404:
      return 'Not found';
    case 413:
      return 'Request too large';
    case 415:
      return 'Unsupported media type';
    case 429:
      return 'Too many requests';
    default:
      return 'Request not accepted';
  }
}

function wantsPage(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.page) return true;
  if (!request.routeOptions.url) {
    const apiLike =
      request.url.startsWith('/api/') ||
      isFhirRequest(request.url) ||
      request.url === '/health' ||
      request.url === '/ready';
    return !apiLike && (request.headers.accept ?? '').includes('text/html');
  }
  return false;
}

/** What the error page says about a problem. */
function errorPage(body: Problem) {
  const csrfFailed = body.status === 403 && /csrf/i.test(body.detail);
  return {
    pageTitle: csrfFailed ? 'This form has expired' : body.title,
    message: csrfFailed
      ? 'For your security, forms expire. Go back, reload the page and try again.'
      : body.status >= 500
        ? 'Sorry, there is a problem with the service. Try again later. Nothing was saved.'
        : body.detail,
  };
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, body: Problem) {
  if (wantsPage(request)) return reply.code(body.status).page('error', errorPage(body));
  return sendRefusal(reply, request.url, body);
}

/** A page address with a malformed id names nothing: the reader gets the not-found page, not a validator's words. */
function isMalformedPageAddress(error: FastifyError, request: FastifyRequest): boolean {
  return Boolean(error.validation) && error.validationContext === 'params' && wantsPage(request);
}

/**
 * Refusals by Fastify's router, made before any route, hook or error handler runs: an address with
 * broken percent-encoding (FST_ERR_BAD_URL, 400) or a path segment longer than the router takes
 * (FST_ERR_MAX_PARAM_LENGTH, 414). Left to Fastify, they are answered with its own JSON naming its
 * internal error code: neither a problem document for the API nor a page for a browser. Given to
 * Fastify as its `frameworkErrors` option (app.ts), so they are answered as every other refusal is.
 * No hook has run and the reply is Fastify's bare one: no cookie was read, no one is signed in on
 * this answer (the page is the signed-out one), and the no-store header of every answer is set here.
 */
export function routerErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const body =
    error.code === 'FST_ERR_BAD_URL'
      ? problem(
          400,
          'Bad request',
          'The address is not valid: it has a % not followed by two hexadecimal digits, or encodes text that is not UTF-8.',
        )
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? problem(414, 'Address too long', 'A part of the address is longer than any this service uses.')
        : toProblem(error, request);
  reply.code(body.status).header('cache-control', 'no-store');
  if (wantsPage(request)) {
    return reply
      .type('text/html; charset=utf-8')
      .send(request.server.signedOutPage(request, 'error', errorPage(body)));
  }
  return sendRefusal(reply, request.url, body);
}

export const errorHandling = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      const fastifyError = error as FastifyError;
      if (isMalformedPageAddress(fastifyError, request)) {
        return sendProblem(reply, request, problem(404, 'Page not found', NOT_IN_SCOPE));
      }
      if (fastifyError.validation && wantsPage(request)) {
        // A validator's words ("querystring.page must be integer") mean nothing to the reader of a page.
        return sendProblem(reply, request, plainValidationProblem(fastifyError));
      }
      return sendProblem(reply, request, toProblem(fastifyError, request));
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        request,
        problem(
          404,
          'Page not found',
          wantsPage(request)
            ? PAGE_NOT_FOUND
            : `There is nothing at ${request.method} ${request.url.split('?')[0]}.`,
        ),
      ),
    );
  },
  { name: 'errors' },
);
