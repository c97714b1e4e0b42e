import type { Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { RECORDED_BY_EXTENSION } from '../../domain/interop/recorded-by.js';
import { ATTENDANCE_OUTCOME_SYSTEM } from '../../domain/interop/service-request.js';
import { ServiceError } from '../../services/errors.js';
import { serviceRequestIdOf } from './fhir-service-request.js';
import { attendanceToRestore, isAttendanceTask, taskOf } from './fhir-task.js';
import type { Attendance } from './schema.js';

const personId = '0b6f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const referralId = '1c7a2f3b-4d5e-4f6a-9b0c-1d2e3f4a5b6c';
const resourceId = '2d8b3a4c-5e6f-4a7b-8c1d-2e3f4a5b6c7d';
const attendanceId = '3e9c4b5d-6f7a-4b8c-9d2e-3f4a5b6c7d8e';
const staffId = '4fad5c6e-7a8b-4c9d-8e3f-4a5b6c7d8e9f';

const referral = { referralId, resource: { resourceId, name: 'Riverside Walking Group' } } as Parameters<
  typeof taskOf
>[1];
const attendance: Attendance = {
  attendanceId,
  attendedOn: '2026-03-10',
  outcome: 'did-not-attend',
  note: 'Unwell that week',
  recordedBy: 'Jo Green',
  recordedAt: '2026-03-10T17:00:00.000Z',
};
const recorder = { userId: staffId, name: 'Jo Green', system: false, staff: true };

describe('Task mapping (attendance)', () => {
  it('is valid R4: completed, fulfilling the ServiceRequest, whether they came, the day', () => {
    const t = taskOf(personId, referral, attendance, recorder);
    expectValidFhir(t);
    const request = { reference: `ServiceRequest/${serviceRequestIdOf(personId, referralId)}` };
    expect(t.id).toBe(personRowId(personId, attendanceId));
    expect(t.meta).toEqual({ versionId: '1', lastUpdated: attendance.recordedAt });
    expect(t.status).toBe('completed');
    expect(t.intent).toBe('order');
    expect(t.basedOn).toEqual([request]);
    expect(t.focus).toEqual(request);
    expect(t.businessStatus?.coding).toEqual([
      { system: ATTENDANCE_OUTCOME_SYSTEM, code: 'did-not-attend', display: 'Did not attend' },
    ]);
    expect(t.for).toEqual({ reference: `Patient/${personId}` });
    expect(t.owner?.reference).toBe(`HealthcareService/${resourceId}`);
    expect(t.executionPeriod).toEqual({ start: '2026-03-10' });
    expect(t.note).toEqual([{ text: 'Unwell that week' }]);
    expect(t.extension).toEqual([
      {
        url: RECORDED_BY_EXTENSION,
        valueReference: { reference: `Practitioner/${staffId}`, display: 'Jo Green' },
      },
    ]);
    expect(isAttendanceTask(t as unknown as Record<string, unknown>)).toBe(true);
  });

  it('leaves out an empty note and a system’s account', () => {
    const t = taskOf(personId, referral, { ...attendance, note: '' }, { ...recorder, system: true });
    expectValidFhir(t);
    expect(t.note).toBeUndefined();
    expect(t.extension).toBeUndefined();
    // A person or carer recording a signpost's attendance is no Practitioner: not named.
    expect(taskOf(personId, referral, attendance, { ...recorder, staff: false }).extension).toBeUndefined();
  });

  it('comes back as it went', () => {
    expect(attendanceToRestore(taskOf(personId, referral, attendance, recorder), personId)).toEqual({
      attendanceId,
      referralId,
      attendedOn: '2026-03-10',
      outcome: 'did-not-attend',
      note: 'Unwell that week',
      recordedBy: staffId,
      recordedAt: attendance.recordedAt,
    });
    const theirs = { ...taskOf(personId, referral, attendance, recorder), id: 'theirs-1' };
    expect(attendanceToRestore(theirs, personId).attendanceId).toBe(
      importedRowId(personId, 'Task', 'theirs-1'),
    );
  });

  it('refuses what recording attendance refuses, naming the element', () => {
    const refusal = (change: Partial<Task>, element: string) => {
      let error: unknown;
      try {
        attendanceToRestore(
          { ...taskOf(personId, referral, attendance, recorder), ...change } as Task,
          personId,
        );
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).field).toBe(`Task.${element}`);
    };
    refusal({ status: 'in-progress' }, 'status');
    refusal({ businessStatus: { text: 'came' } }, 'businessStatus');
    refusal({ basedOn: [{ reference: 'CarePlan/1' }] }, 'basedOn');
    refusal({ executionPeriod: {} }, 'executionPeriod.start');
    refusal({ note: [{ text: 'x'.repeat(1001) }] }, 'note');
    refusal({ input: [] } as Partial<Task>, 'input');
  });
});
