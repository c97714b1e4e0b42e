import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../services/errors.js';
import { checkFilters, describeAuditAction } from './service.js';

describe('describeAuditAction', () => {
  it('says what was done in plain English', () => {
    expect(describeAuditAction('read-person')).toBe('Looked at your record');
    expect(describeAuditAction('save-plan')).toBe('Changed your care and support plan');
    expect(describeAuditAction('record-conversation')).toBe('Recorded a conversation with you');
  });

  it('says plainly when someone tried and was not allowed', () => {
    expect(describeAuditAction('read-person', 'denied')).toBe(
      'Tried to look at your record but was not allowed',
    );
  });

  it('shows an action it does not know as it was recorded', () => {
    expect(describeAuditAction('export-bulk')).toBe('export-bulk');
    expect(describeAuditAction('export-bulk', 'denied')).toBe('export-bulk (not allowed)');
  });
});

describe('checkFilters', () => {
  const refusal = (filters: Parameters<typeof checkFilters>[0]) => {
    try {
      checkFilters(filters);
    } catch (error) {
      if (error instanceof ServiceError) return error.field;
      throw error;
    }
    return null;
  };

  it('treats blank filters as none and normalises the rest', () => {
    expect(checkFilters({ nhsNumber: ' ', user: '', page: 2 })).toMatchObject({ page: 2 });
    expect(checkFilters({ nhsNumber: '943 476 5919', user: 'Practitioner@Demo' })).toMatchObject({
      nhsNumber: '9434765919',
      username: 'practitioner@demo',
      summary: 'NHS number 9434765919, user practitioner@demo',
    });
  });

  it('refuses nonsense, naming the field', () => {
    expect(refusal({ nhsNumber: '943 476 5918' })).toBe('nhsNumber');
    expect(refusal({ personId: 'nope' })).toBe('personId');
    expect(refusal({ action: 'Read Person' })).toBe('action');
    expect(refusal({ outcome: 'maybe' })).toBe('outcome');
    expect(refusal({ from: '2026-02-30' })).toBe('from');
    expect(refusal({ to: '26-02-01' })).toBe('to');
    expect(refusal({ from: '2026-03-02', to: '2026-03-01' })).toBe('from');
    expect(refusal({ page: 0 })).toBe('page');
  });
});
