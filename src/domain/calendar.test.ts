import { describe, expect, it } from 'vitest';
import { startOfUkDay } from './calendar.js';

describe('startOfUkDay', () => {
  it('is midnight GMT in winter and midnight BST (23:00 UTC the day before) in summer', () => {
    expect(startOfUkDay('2026-01-15').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(startOfUkDay('2026-07-15').toISOString()).toBe('2026-07-14T23:00:00.000Z');
  });

  it('handles the days the clocks change', () => {
    expect(startOfUkDay('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(startOfUkDay('2026-03-30').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(startOfUkDay('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(startOfUkDay('2026-10-26').toISOString()).toBe('2026-10-26T00:00:00.000Z');
  });
});
