import { describe, expect, it } from 'vitest';
import { criterionMatches, parseSearch, periodOf, SearchError } from './fhir-search.js';

const params = [
  { name: 'code', type: 'token' as const },
  { name: 'patient', type: 'reference' as const },
  { name: 'date', type: 'date' as const },
  { name: 'name', type: 'string' as const },
];

const only = (query: Record<string, string>) => {
  const parsed = parseSearch(query, params);
  const first = parsed.criteria[0];
  if (!first) throw new Error('no criterion');
  return first.criterion;
};

describe('FHIR search: parsing', () => {
  it('reads paging and includes, and refuses what it does not support, naming the parameter', () => {
    expect(parseSearch({ _count: '5', _offset: '10' }, params)).toMatchObject({ count: 5, offset: 10 });
    expect(() => parseSearch({ _count: '0' }, params)).toThrow(SearchError);
    expect(() => parseSearch({ colour: 'red' }, params)).toThrow(/Unknown search parameter colour/);
    expect(() => parseSearch({ 'code:text': 'x' }, params)).toThrow(/modifiers/);
    expect(parseSearch({ colour: 'red' }, params, { lenient: true }).criteria).toEqual([]);
    expect(() => parseSearch({ _include: 'Goal:patient' }, params)).toThrow(/_include/);
    expect(parseSearch({ _include: 'Goal:patient' }, params, { includes: ['Goal:patient'] }).include).toEqual(
      ['Goal:patient'],
    );
    expect(() => parseSearch({ date: 'gt2026-13' }, params)).toThrow(/date/);
  });

  it('periods follow the precision written (FHIR search.html#date)', () => {
    expect(periodOf('2026')).toEqual({ start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) });
    expect(periodOf('2026-02')).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
    expect(periodOf('2026-02-30')).toBeNull();
    expect(periodOf('2026-02-03T10:00:00Z')).toEqual({
      start: Date.UTC(2026, 1, 3, 10),
      end: Date.UTC(2026, 1, 3, 10) + 1000,
    });
    expect(periodOf('2026-02-03T10:00:00')).toBeNull();
  });
});

describe('FHIR search: matching', () => {
  it('tokens with and without a system', () => {
    const have = [{ system: 'http://loinc.org', code: '107332-9' }];
    expect(criterionMatches(only({ code: '107332-9' }), have)).toBe(true);
    expect(criterionMatches(only({ code: 'http://loinc.org|107332-9' }), have)).toBe(true);
    expect(criterionMatches(only({ code: 'http://snomed.info/sct|107332-9' }), have)).toBe(false);
    expect(criterionMatches(only({ code: 'http://loinc.org|' }), have)).toBe(true);
    expect(criterionMatches(only({ code: '|107332-9' }), have)).toBe(false);
    expect(criterionMatches(only({ code: 'x,107332-9' }), have)).toBe(true);
  });

  it('references with or without the type', () => {
    expect(criterionMatches(only({ patient: 'Patient/abc' }), ['Patient/abc'])).toBe(true);
    expect(criterionMatches(only({ patient: 'abc' }), ['Patient/abc'])).toBe(true);
    expect(criterionMatches(only({ patient: 'Group/abc' }), ['Patient/abc'])).toBe(false);
  });

  it('dates by prefix', () => {
    const march = [{ start: '2026-03-15' }];
    expect(criterionMatches(only({ date: '2026-03' }), march)).toBe(true);
    expect(criterionMatches(only({ date: '2026-04' }), march)).toBe(false);
    expect(criterionMatches(only({ date: 'ge2026-03-15' }), march)).toBe(true);
    expect(criterionMatches(only({ date: 'gt2026-03-15' }), march)).toBe(false);
    expect(criterionMatches(only({ date: 'lt2026-03-16' }), march)).toBe(true);
    expect(criterionMatches(only({ date: 'le2026-03-14' }), march)).toBe(false);
    expect(criterionMatches(only({ date: 'sa2026-03-14' }), march)).toBe(true);
    expect(criterionMatches(only({ date: 'eb2026-03-16' }), march)).toBe(true);
    expect(criterionMatches(only({ date: 'ne2026-03' }), march)).toBe(false);
    expect(
      criterionMatches(only({ date: 'ge2026-03-15T12:00:00Z' }), [{ start: '2026-03-15T13:00:00Z' }]),
    ).toBe(true);
  });

  it('strings start with the text, ignoring case and accents', () => {
    expect(criterionMatches(only({ name: 'zoe' }), ['Zoë Smith'])).toBe(true);
    expect(criterionMatches(only({ name: 'smith' }), ['Zoë Smith'])).toBe(false);
  });
});
