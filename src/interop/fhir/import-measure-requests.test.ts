import type { Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { measureTaskOf } from '../../features/measures/fhir-task.js';
import { measureRequestToRestore } from './import-measure-requests.js';

const personId = '77777777-7777-4777-8777-777777777777';
const requestId = '55555555-5555-4555-8555-555555555555';

describe('a Task as a measure request to restore', () => {
  it('keeps ours under its row id', () => {
    const task = measureTaskOf(
      personId,
      {
        requestId,
        questionnaireId: '66666666-6666-4666-8666-666666666666',
        scheduleId: null,
        occasion: 'end',
        dueOn: '2026-03-10',
        notBefore: null,
        sentToPerson: false,
        status: 'open',
        responseId: null,
        createdAt: '2026-03-01T10:00:00.000Z',
        createdByUserId: '88888888-8888-4888-8888-888888888888',
        closedAt: null,
      },
      { url: 'http://example.org/q', version: 1, title: 'Q' },
      true,
    );
    expect(task.id).toBe(personRowId(personId, requestId));
    expect(measureRequestToRestore(task, personId)).toMatchObject({
      requestId,
      occasion: 'end',
      status: 'open',
    });
  });

  it('is null for another system’s Task that asks for no questionnaire (skipped with its reason)', () => {
    const task: Task = { resourceType: 'Task', id: 'x', status: 'requested', intent: 'order' };
    expect(measureRequestToRestore(task, personId)).toBeNull();
  });

  it('refuses a questionnaire Task it cannot keep, naming the element', () => {
    const task: Task = {
      resourceType: 'Task',
      status: 'completed',
      intent: 'order',
      code: {
        coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'complete-questionnaire' }],
      },
      input: [
        {
          type: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire' }] },
          valueCanonical: 'http://example.org/q|1',
        },
      ],
      restriction: { period: { end: '2026-03-10' } },
    };
    expect(() => measureRequestToRestore(task, personId)).toThrow(
      expect.objectContaining({ status: 422, field: 'Task.output' }),
    );
  });
});
