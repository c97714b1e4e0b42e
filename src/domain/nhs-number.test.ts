import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsNumberCheckDigit, normaliseNhsNumber } from './nhs-number.js';

const nineDigits = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((digits) => digits.join(''));

describe('normaliseNhsNumber', () => {
  it('strips spaces and hyphens', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
    expect(normaliseNhsNumber(' 9434765919 ')).toBe('9434765919');
  });

  it('rejects anything that is not exactly ten digits', () => {
    expect(normaliseNhsNumber('943476591')).toBeNull();
    expect(normaliseNhsNumber('94347659190')).toBeNull();
    expect(normaliseNhsNumber('943476591A')).toBeNull();
    expect(normaliseNhsNumber('')).toBeNull();
  });
});

describe('nhsNumberCheckDigit', () => {
  it('computes the published examples', () => {
    expect(nhsNumberCheckDigit('943476591')).toBe(9);
    expect(nhsNumberCheckDigit('401023213')).toBe(7);
  });

  it('maps a result of 11 to 0', () => {
    // 000000000 sums to 0, remainder 0, 11 - 0 = 11 -> 0
    expect(nhsNumberCheckDigit('000000000')).toBe(0);
  });

  it('returns null when the result is 10 (never issued)', () => {
    // 000000006: sum 6 * 2 = 12, remainder 1, 11 - 1 = 10
    expect(nhsNumberCheckDigit('000000006')).toBeNull();
  });

  it('rejects malformed input', () => {
    expect(nhsNumberCheckDigit('12345678')).toBeNull();
    expect(nhsNumberCheckDigit('12345678X')).toBeNull();
  });
});

describe('isValidNhsNumber', () => {
  it("accepts NHS Digital's documentation example 943 476 5919", () => {
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('9434765919')).toBe(true);
  });

  it('rejects 943 476 5918 (wrong check digit)', () => {
    expect(isValidNhsNumber('943 476 5918')).toBe(false);
  });

  it('accepts 401 023 2137', () => {
    expect(isValidNhsNumber('401 023 2137')).toBe(true);
  });

  it('rejects repdigits even though they satisfy Modulus 11', () => {
    for (let d = 0; d <= 9; d++) {
      const repdigit = String(d).repeat(10);
      expect(nhsNumberCheckDigit(repdigit.slice(0, 9))).toBe(d);
      expect(isValidNhsNumber(repdigit)).toBe(false);
    }
  });

  it('rejects numbers whose nine digits give a check value of 10', () => {
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`000000006${d}`)).toBe(false);
  });

  it('validates every number built with a computed check digit', () => {
    fc.assert(
      fc.property(nineDigits, (first9) => {
        const check = nhsNumberCheckDigit(first9);
        fc.pre(check !== null && !/^(\d)\1{8}$/.test(first9));
        expect(isValidNhsNumber(`${first9}${check}`)).toBe(true);
      }),
    );
  });

  it('is invalidated by changing any single digit', () => {
    fc.assert(
      fc.property(
        nineDigits,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (first9, position, delta) => {
          const check = nhsNumberCheckDigit(first9);
          fc.pre(check !== null);
          const digits = `${first9}${check}`.split('').map(Number);
          digits[position] = ((digits[position] ?? 0) + delta) % 10;
          expect(isValidNhsNumber(digits.join(''))).toBe(false);
        },
      ),
    );
  });
});

describe('formatNhsNumber', () => {
  it('groups 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });

  it('is idempotent on already-formatted input', () => {
    expect(formatNhsNumber('943 476 5919')).toBe('943 476 5919');
  });

  it('throws on malformed input', () => {
    expect(() => formatNhsNumber('12345')).toThrow(RangeError);
  });
});
