import { describe, expect, it } from 'vitest';
import { CALCULATION_METHODS, CalculationError, calculate } from './service.js';

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

describe('calculate gas', () => {
  it('gives the weighted reference T-score of 55', () => {
    const result = calculate('gas', { scores: [-2, 0, -1, 2, 0, 1], weights: [3, 5, 1, 4, 2, 6] }) as {
      t: number;
    };
    expect(Object.keys(result)).toEqual(['t']);
    expect(Math.abs(result.t - 55)).toBeLessThan(1e-9);
  });

  it('uses unit weights and ρ = 0.3 when they are left out', () => {
    expect(calculate('gas', { scores: [2] })).toEqual({ t: 70 });
    expect(calculate('gas', { scores: [0, 0, 0], rho: 0 })).toEqual({ t: 50 });
  });

  it('says when there is not one weight per score', () => {
    expect(() => calculate('gas', { scores: [0, 1, 2], weights: [1, 2] })).toThrow(
      new CalculationError('GAS needs one weight per score: got 2 weights for 3 scores'),
    );
  });

  it('refuses weights that are all zero', () => {
    expect(() => calculate('gas', { scores: [1, 2], weights: [0, 0] })).toThrow(/all zero/);
  });

  it.each([
    [{}, /scores/],
    [{ scores: [] }, /scores/],
    [{ scores: [3] }, /scores\.0/],
    [{ scores: [1.5] }, /scores\.0/],
    [{ scores: [1], weights: [-1] }, /weights\.0/],
    [{ scores: [1], rho: 1 }, /rho/],
    [{ scores: [1], rho: -0.5 }, /rho/],
    [{ scores: [1], extra: true }, /extra/],
    [{ scores: Array.from({ length: 101 }, () => 0) }, /scores/],
  ])('names the field at fault in %o', (input, message) => {
    expect(() => calculate('gas', input)).toThrow(CalculationError);
    expect(() => calculate('gas', input)).toThrow(message);
  });
});
