import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/**
 * Errors on `/fhir` as FHIR OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html): the
 * same refusals as problem+json elsewhere, with the issue type the HTTP status means
 * (https://hl7.org/fhir/R4/valueset-issue-type.html) and the element at fault in `expression`.
 */
export type IssueType = OperationOutcomeIssue['code'];

export function issueTypeForStatus(status: number): IssueType {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 405 || status === 406 || status === 415) return 'not-supported';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 413) return 'too-costly';
  if (status === 422) return 'processing';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'exception';
  return 'invalid';
}

export interface OutcomeIssueInput {
  status: number;
  diagnostics: string;
  /** The element at fault, as a FHIRPath-like expression (for example `Patient.birthDate`). */
  expression?: string | null;
  code?: IssueType;
  severity?: OperationOutcomeIssue['severity'];
}

export function operationOutcome(...issues: OutcomeIssueInput[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity ?? (i.status >= 500 ? 'fatal' : 'error'),
      code: i.code ?? issueTypeForStatus(i.status),
      diagnostics: i.diagnostics,
      ...(i.expression ? { expression: [i.expression] } : {}),
    })),
  };
}

/** An informational outcome (for example the body of an accepted asynchronous request). */
export function information(diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'information', code: 'informational', diagnostics }],
  };
}
