import type { Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { isQuestionnaireTask } from '../../domain/interop/measure-task.js';
import { measureRequestOfTask, measureTaskOf } from './fhir-task.js';
import type { StoredRequest } from './store.js';

const personId = '77777777-7777-4777-8777-777777777777';
const practitionerId = '88888888-8888-4888-8888-888888888888';
const requestId = '55555555-5555-4555-8555-555555555555';
const responseId = '99999999-9999-4999-8999-999999999999';
const questionnaire = { url: 'http://example.org/Questionnaire/phq9', version: 2, title: 'PHQ-9' };

function stored(over: Partial<StoredRequest> = {}): StoredRequest {
  return {
    requestId,
    questionnaireId: '66666666-6666-4666-8666-666666666666',
    scheduleId: null,
    occasion: 'start',
    dueOn: '2026-03-10',
    notBefore: null,
    sentToPerson: true,
    status: 'open',
    responseId: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    createdByUserId: practitionerId,
    closedAt: null,
    ...over,
  };
}

describe('measure request as Task', () => {
  it('maps an open request to a valid SDC-shaped Task', async () => {
    const task = measureTaskOf(personId, stored(), questionnaire, true);
    expect(task).toMatchObject({
      id: personRowId(personId, requestId),
      status: 'ready',
      intent: 'order',
      for: { reference: `Patient/${personId}` },
      owner: { reference: `Patient/${personId}` },
      requester: { reference: `Practitioner/${practitionerId}` },
      restriction: { period: { end: '2026-03-10' } },
      input: [{ valueCanonical: 'http://example.org/Questionnaire/phq9|2' }],
    });
    expect(task.output).toBeUndefined();
    expect(isQuestionnaireTask(task as unknown as Record<string, unknown>)).toBe(true);
    await expectValidFhir(task);
  });

  it('maps each status, and a completed one names its response', async () => {
    const completed = measureTaskOf(
      personId,
      stored({ status: 'completed', responseId, closedAt: '2026-03-05T09:00:00.000Z' }),
      questionnaire,
      false,
    );
    expect(completed.status).toBe('completed');
    expect(completed.requester).toBeUndefined();
    expect(completed.output?.[0]?.valueReference?.reference).toBe(
      `QuestionnaireResponse/${personRowId(personId, responseId)}`,
    );
    await expectValidFhir(completed);
    const cancelled = measureTaskOf(personId, stored({ status: 'cancelled' }), questionnaire, true);
    expect(cancelled.status).toBe('cancelled');
    const review = measureTaskOf(
      personId,
      stored({ occasion: 'review', dueOn: null, notBefore: '2026-04-01', sentToPerson: false }),
      questionnaire,
      true,
    );
    expect(review.restriction).toEqual({ period: { start: '2026-04-01' } });
    expect(review.owner).toBeUndefined();
    await expectValidFhir(review);
  });

  it('reads back what it wrote, every field', () => {
    for (const request of [
      stored(),
      stored({ status: 'completed', responseId, closedAt: '2026-03-05T09:00:00.000Z' }),
      stored({ status: 'cancelled', closedAt: '2026-03-06T09:00:00.000Z', sentToPerson: false }),
      stored({ occasion: 'review', dueOn: null, notBefore: '2026-04-01' }),
    ]) {
      const back = measureRequestOfTask(measureTaskOf(personId, request, questionnaire, true), personId);
      expect(back).toEqual({
        requestId,
        questionnaire: { url: questionnaire.url, version: '2' },
        status: request.status,
        occasion: request.occasion,
        dueOn: request.dueOn,
        notBefore: request.notBefore,
        sentToPerson: request.sentToPerson,
        createdAt: request.createdAt,
        closedAt: request.closedAt,
        requestedBy: practitionerId,
        responseId: request.responseId,
      });
    }
  });

  it('reads another system’s Task by its task-status, derived ids, and a due day from when asked', () => {
    const task: Task = {
      resourceType: 'Task',
      id: 'ext-1',
      status: 'requested',
      intent: 'order',
      authoredOn: '2026-03-01T10:00:00Z',
      input: [
        {
          type: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire' }] },
          valueCanonical: 'http://example.org/q',
        },
      ],
    };
    const back = measureRequestOfTask(task, personId);
    expect(back).toMatchObject({
      status: 'open',
      occasion: 'one-off',
      dueOn: '2026-03-01',
      questionnaire: { url: 'http://example.org/q', version: null },
    });
    expect(back.requestId).not.toBe('ext-1');
    expect(measureRequestOfTask(task, personId).requestId).toBe(back.requestId);
  });

  it('refuses naming the element', () => {
    const base = measureTaskOf(personId, stored(), questionnaire, true);
    const refused = (task: Task) => {
      try {
        measureRequestOfTask(task, personId);
      } catch (error) {
        return (error as { field?: string }).field;
      }
      return 'accepted';
    };
    expect(refused({ ...base, input: [] })).toBe('Task.input');
    expect(refused({ ...base, status: 'completed', businessStatus: undefined })).toBe('Task.output');
    expect(
      refused({ ...base, businessStatus: { coding: [{ ...base.businessStatus?.coding?.[0], code: 'x' }] } }),
    ).toBe('Task.businessStatus');
    expect(refused({ ...base, restriction: { period: { end: '10/03/2026' } } })).toBe(
      'Task.restriction.period.end',
    );
    expect(refused({ ...base, status: 'entered-in-error', businessStatus: undefined })).toBe('Task.status');
    expect(refused({ ...base, note: [{ text: 'x' }] })).toBe('Task.note');
  });
});
