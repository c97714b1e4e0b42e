import { describe, expect, it } from 'vitest';
import { CALCULATION_METHODS, CalculationError, calculate } from './calculations.js';

describe('calculate', () => {
  it('checks NHS numbers (943 476 5919 is the NHS Data Dictionary example)', () => {
    expect(calculate('nhs-number', { nhsNumber: '9434765919' })).toEqual({
      valid: true,
      normalised: '9434765919',
      formatted: '943 476 5919',
    });
    expect(calculate('nhs-number', { nhsNumber: '9434765918' })).toMatchObject({ valid: false });
  });

  it('gives age and band', () => {
    expect(calculate('age', { dateOfBirth: '1950-03-01', on: '2026-02-28' })).toEqual({
      age: 75,
      band: '75-84',
    });
  });

  it('names the unknown method and lists the known ones', () => {
    expect(() => calculate('gas2', {})).toThrow(
      new CalculationError(
        `Unknown method "gas2". Methods: ${CALCULATION_METHODS.map((m) => m.name).join(', ')}.`,
      ),
    );
  });

  it.each([
    [{}, /nhsNumber/],
    [{ nhsNumber: 1 }, /nhsNumber: Expected string/],
    [{ nhsNumber: '1', extra: true }, /extra/],
  ])('names the field at fault in %o', (input, message) => {
    expect(() => calculate('nhs-number', input)).toThrow(message);
  });

  it('turns impossible dates into a calculation error, not a crash', () => {
    expect(() => calculate('age', { dateOfBirth: '1950-02-30', on: '2026-01-01' })).toThrow(CalculationError);
  });
});
