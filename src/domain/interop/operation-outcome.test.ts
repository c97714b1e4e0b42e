import { describe, expect, it } from 'vitest';
import { issueTypeForStatus, operationOutcome } from './operation-outcome.js';

describe('OperationOutcome for refusals', () => {
  it('names the issue type each status means', () => {
    expect([400, 401, 403, 404, 409, 412, 413, 415, 422, 429, 500].map(issueTypeForStatus)).toEqual([
      'invalid',
      'login',
      'forbidden',
      'not-found',
      'conflict',
      'conflict',
      'too-costly',
      'not-supported',
      'processing',
      'throttled',
      'exception',
    ]);
  });

  it('carries the element at fault and the words', () => {
    expect(
      operationOutcome({ status: 400, diagnostics: 'Bad date', expression: 'Patient.birthDate' }),
    ).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'invalid', diagnostics: 'Bad date', expression: ['Patient.birthDate'] },
      ],
    });
  });
});
