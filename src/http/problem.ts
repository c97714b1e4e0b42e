import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FastifyReply } from 'fastify';
import { operationOutcome } from '../domain/interop/operation-outcome.js';
/** RFC 9457 problem details, the one error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The fields at fault, as dotted paths into the request body, query or path. */
  errors?: { field: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problem(status: number, title: string, detail: string, errors?: Problem['errors']): Problem {
  return { type: 'about:blank', title, status, detail, ...(errors?.length ? { errors } : {}) };
}

/** Requests to the FHIR endpoint, whose every answer (refusals included) is FHIR. */
export function isFhirRequest(url: string): boolean {
  return url === '/fhir' || url.startsWith('/fhir/') || url.startsWith('/fhir?');
}

export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';

/** A problem as FHIR says it: an OperationOutcome with an issue per field at fault. */
export function outcomeOfProblem(body: Problem): OperationOutcome {
  const issues = body.errors?.length
    ? body.errors.map((e) => ({
        status: body.status,
        diagnostics: `${body.detail}`,
        expression: e.field || null,
      }))
    : [{ status: body.status, diagnostics: body.detail }];
  return operationOutcome(...issues);
}

/** Sends a refusal in the form the request's address calls for: OperationOutcome under /fhir, problem+json elsewhere. */
export function sendRefusal(reply: FastifyReply, url: string, body: Problem): FastifyReply {
  if (isFhirRequest(url)) return reply.code(body.status).type(FHIR_CONTENT_TYPE).send(outcomeOfProblem(body));
  return reply
    .code(body.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...body, instance: url });
}
