import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../services/errors.js';
import { auditSearchErrors, auditSearchFrom } from './form.js';
import { AuditSearchQueryContract } from './schema.js';

describe('the audit search form', () => {
  it('maps a person id or an NHS number, and the dates, onto the contract', () => {
    const id = '2f1c6f0e-8a4b-4c2d-9e1f-0a1b2c3d4e5f';
    expect(
      auditSearchFrom({ person: id, user: ' ', 'from[day]': '1', 'from[month]': '3', 'from[year]': '2026' })
        .input,
    ).toEqual({
      personId: id,
      from: '2026-03-01',
    });
    expect(auditSearchFrom({ person: '943 476 5919', page: '2' }).input).toEqual({
      nhsNumber: '943 476 5919',
      page: 2,
    });
  });

  it('passes what it cannot parse to the contract, and shows each refusal on its field', () => {
    const { input } = auditSearchFrom({
      person: '12345',
      outcome: 'maybe',
      'to[day]': '31',
      'to[month]': '2',
      'to[year]': '2026',
      page: 'two',
    });
    let refusal: unknown;
    try {
      AuditSearchQueryContract.check(input);
    } catch (error) {
      refusal = error;
    }
    expect(auditSearchErrors(refusal)).toEqual([
      { field: 'person', message: 'Enter a 10-digit NHS number, like 943 476 5919, or a person id' },
      { field: 'outcome', message: 'Select an outcome from the list' },
      { field: 'to-day', message: 'Date to must be a real date, for example 27 3 2026' },
    ]);
  });

  it('keeps the service’s own words for a rule about the values, and rethrows anything else', () => {
    const backwards = new ServiceError(
      422,
      'Invalid input',
      'Date from must be the same as or before date to',
      'from',
    );
    expect(auditSearchErrors(backwards)).toEqual([
      { field: 'from-day', message: 'Date from must be the same as or before date to' },
    ]);
    const forbidden = new ServiceError(403, 'Not allowed', 'No');
    expect(() => auditSearchErrors(forbidden)).toThrow(forbidden);
  });
});
