import { describe, expect, it } from 'vitest';
import { demoProgressLine } from './serve.js';

describe('demoProgressLine', () => {
  it('says what is being written and, part way through the care records, about how long is left', () => {
    expect(demoProgressLine({ stage: 'people', done: 0, total: 500 }, 0)).toContain('people and accounts');
    expect(demoProgressLine({ stage: 'care', done: 0, total: 500 }, 100)).toBe(
      '  care records: 0 of 500 people (0%)',
    );
    // 100 people in 4 s: 400 more take about 16 s.
    expect(demoProgressLine({ stage: 'care', done: 100, total: 500 }, 4000)).toBe(
      '  care records: 100 of 500 people (20%), about 16 s left',
    );
    expect(demoProgressLine({ stage: 'care', done: 500, total: 500 }, 20_000)).toBe(
      '  care records: 500 of 500 people (100%)',
    );
    expect(demoProgressLine({ stage: 'statistics', done: 500, total: 500 }, 0)).toContain('statistics');
  });
});
