import { describe, expect, it } from 'vitest';
import { resourceProblems } from './resource-rules.js';

const ok = {
  online: false,
  address: 'Library, High Street',
  postcode: 'RV1 1AA',
  sessions: [{ day: 'mon' as const, start: '09:30', end: '11:00' }],
  minAge: 18,
  maxAge: null,
  domainCodes: ['seeing-people'],
};
const known = new Set(['seeing-people', 'feeling-safe']);

describe('resourceProblems', () => {
  it('accepts a well-formed entry', () => {
    expect(resourceProblems(ok, known)).toEqual([]);
    expect(resourceProblems({ ...ok, online: true, address: null, postcode: null }, known)).toEqual([]);
    expect(resourceProblems({ ...ok, address: null }, known)).toEqual([]);
  });

  it('names each session that ends before (or as) it starts', () => {
    const problems = resourceProblems(
      {
        ...ok,
        sessions: [
          { day: 'mon', start: '09:30', end: '11:00' },
          { day: 'tue', start: '14:00', end: '14:00' },
          { day: 'wed', start: '14:00', end: '09:00' },
        ],
      },
      known,
    );
    expect(problems.map((p) => p.field)).toEqual(['sessions.1.end', 'sessions.2.end']);
  });

  it('wants ages in order, a place unless online, and domains that exist', () => {
    expect(
      resourceProblems(
        { ...ok, minAge: 65, maxAge: 18, address: ' ', postcode: null, domainCodes: ['x'] },
        known,
      ),
    ).toEqual([
      expect.objectContaining({ field: 'maxAge' }),
      expect.objectContaining({ field: 'address' }),
      { field: 'domainCodes', message: 'names no outcome domain: x' },
    ]);
  });
});
