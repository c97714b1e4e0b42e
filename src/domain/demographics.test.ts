import { describe, expect, it } from 'vitest';
import { ageBand, ageOn, dateOfBirthProblem, ETHNIC_CATEGORIES, SEXES } from './demographics.js';

describe('ETHNIC_CATEGORIES', () => {
  it('has the 17 NHS Data Dictionary codes in order', () => {
    expect(ETHNIC_CATEGORIES.map((c) => c.code).join('')).toBe('ABCDEFGHJKLMNPRSZ');
  });

  it('uses six broad groups with the expected membership', () => {
    const byGroup = new Map<string, string>();
    for (const c of ETHNIC_CATEGORIES) byGroup.set(c.group, (byGroup.get(c.group) ?? '') + c.code);
    expect(Object.fromEntries(byGroup)).toEqual({
      White: 'ABC',
      Mixed: 'DEFG',
      'Asian or Asian British': 'HJKL',
      'Black or Black British': 'MNP',
      'Other ethnic groups': 'RS',
      'Not stated': 'Z',
    });
  });

  it('labels the anchors as published', () => {
    const label = (code: string) => ETHNIC_CATEGORIES.find((c) => c.code === code)?.label;
    expect(label('A')).toBe('White - British');
    expect(label('N')).toBe('Black or Black British - African');
    expect(label('Z')).toBe('Not stated');
  });
});

describe('SEXES', () => {
  it('lists administrative sex values', () => {
    expect(SEXES).toEqual(['female', 'male', 'other', 'unknown']);
  });
});

describe('ageOn', () => {
  it('counts whole years, changing on the birthday', () => {
    expect(ageOn('1950-06-15', '2026-06-14')).toBe(75);
    expect(ageOn('1950-06-15', '2026-06-15')).toBe(76);
    expect(ageOn('1950-06-15', '2026-11-23')).toBe(76);
    expect(ageOn('1950-12-31', '2026-01-01')).toBe(75);
  });

  it('is zero on the day of birth', () => {
    expect(ageOn('2026-11-23', '2026-11-23')).toBe(0);
  });

  it('handles 29 February birthdays: 1 March in non-leap years', () => {
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageOn('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-28')).toBe(3);
    expect(ageOn('2000-02-29', '2004-02-29')).toBe(4);
    expect(ageOn('1944-02-29', '2026-02-28')).toBe(81);
    expect(ageOn('1944-02-29', '2026-03-01')).toBe(82);
  });

  it('handles someone turning 18 on a leap day', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('rejects malformed or impossible dates and time travel', () => {
    expect(() => ageOn('1950-6-15', '2026-11-23')).toThrow(RangeError);
    expect(() => ageOn('2023-02-29', '2026-11-23')).toThrow(RangeError);
    expect(() => ageOn('1950-01-01', '2026-13-01')).toThrow(RangeError);
    expect(() => ageOn('2026-11-24', '2026-11-23')).toThrow(RangeError);
  });
});

describe('ageBand', () => {
  it.each([
    [0, '0-17'],
    [17, '0-17'],
    [18, '18-24'],
    [24, '18-24'],
    [25, '25-34'],
    [34, '25-34'],
    [35, '35-44'],
    [44, '35-44'],
    [45, '45-54'],
    [54, '45-54'],
    [55, '55-64'],
    [64, '55-64'],
    [65, '65-74'],
    [74, '65-74'],
    [75, '75-84'],
    [84, '75-84'],
    [85, '85+'],
    [104, '85+'],
  ])('age %i is in band %s', (age, band) => {
    expect(ageBand(age)).toBe(band);
  });

  it('rejects negative or fractional ages', () => {
    expect(() => ageBand(-1)).toThrow(RangeError);
    expect(() => ageBand(17.5)).toThrow(RangeError);
    expect(() => ageBand(Number.NaN)).toThrow(RangeError);
  });
});

describe('dateOfBirthProblem', () => {
  it('accepts a date in the last 130 years, and refuses the future and the impossibly old', () => {
    expect(dateOfBirthProblem('1941-05-12', '2026-11-26')).toBeNull();
    expect(dateOfBirthProblem('1896-11-26', '2026-11-26')).toBeNull();
    expect(dateOfBirthProblem('1895-11-26', '2026-11-26')).toMatch(/within the last 130 years/);
    expect(dateOfBirthProblem('1850-06-01', '2026-11-26')).toMatch(/within the last 130 years/);
    expect(dateOfBirthProblem('2026-11-27', '2026-11-26')).toMatch(/in the past/);
  });
});
