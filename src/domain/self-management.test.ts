import { describe, expect, it } from 'vitest';
import {
  MAX_TARGET_DAYS,
  stepStatus,
  stepsByOutcome,
  stepsForReview,
  stepTally,
  targetDateProblem,
} from './self-management.js';

describe('stepStatus', () => {
  it('is done once ticked, whatever the date set', () => {
    expect(stepStatus({ targetDate: '2026-01-01', doneAt: '2026-02-01T10:00:00.000Z' }, '2026-11-28')).toBe(
      'done',
    );
  });
  it('is overdue only from the day after its target date', () => {
    expect(stepStatus({ targetDate: '2026-11-28', doneAt: null }, '2026-11-28')).toBe('open');
    expect(stepStatus({ targetDate: '2026-11-27', doneAt: null }, '2026-11-28')).toBe('overdue');
  });
  it('is open without a date', () => {
    expect(stepStatus({ targetDate: null, doneAt: null }, '2030-01-01')).toBe('open');
  });
});

describe('targetDateProblem', () => {
  it('takes today and any day up to a year ahead', () => {
    expect(targetDateProblem('2026-11-28', '2026-11-28')).toBeNull();
    expect(MAX_TARGET_DAYS).toBe(366);
    expect(targetDateProblem('2027-11-29', '2026-11-28')).toBeNull();
  });
  it('refuses the past and beyond a year, saying why', () => {
    expect(targetDateProblem('2026-11-27', '2026-11-28')).toMatch(/today or later/);
    expect(targetDateProblem('2027-11-30', '2026-11-28')).toMatch(/within a year/);
  });
});

describe('stepsForReview', () => {
  const step = (doneAt: string | null) => ({
    targetDate: null,
    doneAt,
    createdAt: '2026-09-01T09:00:00.000Z',
  });
  it('keeps open steps and steps done on or after the last conversation (UK days), drops older ones', () => {
    const open = step(null);
    const before = step('2026-10-01T12:00:00.000Z');
    // 23:30 UTC on 14 October is 00:30 on the 15th in London (BST): done on the day of the conversation.
    const sameUkDay = step('2026-10-14T23:30:00.000Z');
    const after = step('2026-10-20T08:00:00.000Z');
    expect(stepsForReview([open, before, sameUkDay, after], '2026-10-15')).toEqual([open, sameUkDay, after]);
  });
  it('keeps every step when there has been no conversation', () => {
    const steps = [step(null), step('2026-01-01T12:00:00.000Z')];
    expect(stepsForReview(steps, null)).toEqual(steps);
  });
});

describe('stepsByOutcome and stepTally', () => {
  const s = (id: string, outcomeId: string, targetDate: string | null, doneAt: string | null) => ({
    id,
    outcomeId,
    targetDate,
    doneAt,
    createdAt: `2026-09-0${id.length}T09:00:00.000Z`,
  });
  it('groups by outcome in the order given: open first by date (undated last), then done, newest first', () => {
    const steps = [
      s('a', 'o1', null, null),
      s('bb', 'o1', '2026-12-01', null),
      s('ccc', 'o1', null, '2026-10-01T10:00:00.000Z'),
      s('dddd', 'o1', null, '2026-11-01T10:00:00.000Z'),
      s('eeeee', 'o2', '2026-12-05', null),
    ];
    const groups = stepsByOutcome(steps, ['o2', 'o3', 'o1']);
    expect(groups.map((g) => [g.outcomeId, g.steps.map((x) => x.id)])).toEqual([
      ['o2', ['eeeee']],
      ['o1', ['bb', 'a', 'dddd', 'ccc']],
    ]);
    expect(stepTally(steps)).toEqual({ done: 2, total: 5 });
  });
});
