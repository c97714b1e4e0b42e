import { describe, expect, it } from 'vitest';
import {
  effectiveDueOn,
  matchingRequest,
  measureDueStatus,
  requestAfterCompletion,
  requestAtEnd,
  requestsOnScheduling,
} from './measure-requests.js';

describe('when a requested measure falls due', () => {
  it('a request with its own date is due then, whatever the review', () => {
    expect(effectiveDueOn({ occasion: 'start', dueOn: '2026-03-01', notBefore: null }, '2026-05-01')).toBe(
      '2026-03-01',
    );
  });

  it('a review request follows the next review, and waits while none is arranged', () => {
    const review = { occasion: 'review' as const, dueOn: null, notBefore: null };
    expect(effectiveDueOn(review, '2026-05-01')).toBe('2026-05-01');
    expect(effectiveDueOn(review, null)).toBeNull();
  });

  it('a review request opened after a review waits for a review on or after its first day', () => {
    const next = { occasion: 'review' as const, dueOn: null, notBefore: '2026-05-02' };
    expect(effectiveDueOn(next, '2026-05-01')).toBeNull();
    expect(effectiveDueOn(next, '2026-05-02')).toBe('2026-05-02');
  });

  it('is overdue from the day after, due on the day, coming up before, waiting without a date', () => {
    expect(measureDueStatus('2026-05-01', '2026-05-02')).toBe('overdue');
    expect(measureDueStatus('2026-05-01', '2026-05-01')).toBe('due');
    expect(measureDueStatus('2026-05-01', '2026-04-30')).toBe('upcoming');
    expect(measureDueStatus(null, '2026-04-30')).toBe('waiting');
  });
});

describe('what a schedule opens', () => {
  it('opens the start request due today and one review request; the end waits', () => {
    expect(requestsOnScheduling({ atStart: true, atReview: true, atEnd: true }, '2026-04-01')).toEqual([
      { occasion: 'start', dueOn: '2026-04-01', notBefore: null },
      { occasion: 'review', dueOn: null, notBefore: null },
    ]);
    expect(requestsOnScheduling({ atStart: false, atReview: false, atEnd: true }, '2026-04-01')).toEqual([]);
  });

  it('completing a review request opens the next review, from the day after', () => {
    const schedule = { atStart: false, atReview: true, atEnd: false };
    expect(requestAfterCompletion({ occasion: 'review' }, schedule, '2026-04-30')).toEqual({
      occasion: 'review',
      dueOn: null,
      notBefore: '2026-05-01',
    });
    expect(requestAfterCompletion({ occasion: 'start' }, schedule, '2026-04-30')).toBeNull();
    expect(requestAfterCompletion({ occasion: 'review' }, null, '2026-04-30')).toBeNull();
  });

  it('the end opens a request due that day only when the schedule measures at the end', () => {
    expect(requestAtEnd({ atStart: false, atReview: false, atEnd: true }, '2026-06-01')).toEqual({
      occasion: 'end',
      dueOn: '2026-06-01',
      notBefore: null,
    });
    expect(requestAtEnd({ atStart: true, atReview: true, atEnd: false }, '2026-06-01')).toBeNull();
  });
});

describe('which open request a measure completes', () => {
  const q = 'q-phq9';
  const open = [
    { requestId: 'review', questionnaireId: q, occasion: 'review' as const, dueOn: null, notBefore: null },
    {
      requestId: 'start',
      questionnaireId: q,
      occasion: 'start' as const,
      dueOn: '2026-04-01',
      notBefore: null,
    },
    {
      requestId: 'other',
      questionnaireId: 'q-gad7',
      occasion: 'start' as const,
      dueOn: '2026-01-01',
      notBefore: null,
    },
  ];

  it('the one due first for the same questionnaire', () => {
    expect(matchingRequest(open, q, '2026-05-01')?.requestId).toBe('start');
    expect(matchingRequest(open, q, '2026-03-01')?.requestId).toBe('review');
  });

  it('not a review still waiting for its date, and none for another questionnaire', () => {
    expect(matchingRequest(open.slice(0, 1), q, null)).toBeNull();
    expect(matchingRequest(open, 'q-swemwbs', '2026-05-01')).toBeNull();
  });
});
