import { describe, expect, it } from 'vitest';
import {
  CHANGE_STATUS_LABELS,
  CHANGE_STATUSES,
  changeDateProblem,
  describeReplyState,
  mayPublish,
  monthOf,
  publicView,
  RESPONSE_LIMITS,
  replyState,
  secondsToFirstResponse,
} from './responses.js';

const at = (iso: string) => new Date(iso);
const story = {
  consentToPublish: true,
  publishedAt: at('2026-11-02T10:00:00Z'),
  maskedWhatWasGood: '[name] was kind',
  maskedWhatCouldBeBetter: 'Ring [phone]',
};

describe('responding and changing', () => {
  it('labels each change status and limits replies like the form', () => {
    expect(CHANGE_STATUSES.map((s) => CHANGE_STATUS_LABELS[s])).toEqual(['Change planned', 'Change made']);
    expect(RESPONSE_LIMITS.reply).toBe(2000);
    expect(RESPONSE_LIMITS.description).toBe(2000);
  });

  it('times the first response from the story’s arrival, never negative', () => {
    expect(secondsToFirstResponse(at('2026-11-01T09:00:00Z'), at('2026-11-02T10:30:00Z'))).toBe(91800);
    expect(secondsToFirstResponse(at('2026-11-01T09:00:00Z'), at('2026-11-01T08:00:00Z'))).toBe(0);
  });

  it('says whether a story was replied to, or how many whole days it has waited', () => {
    const createdAt = at('2026-11-01T09:00:00Z');
    expect(
      describeReplyState(
        replyState({ createdAt, firstResponseAt: at('2026-11-01T10:00:00Z') }, at('2026-12-01T00:00:00Z')),
      ),
    ).toBe('Replied');
    expect(
      describeReplyState(replyState({ createdAt, firstResponseAt: null }, at('2026-11-01T20:00:00Z'))),
    ).toBe('Waiting for a reply (less than a day)');
    expect(
      describeReplyState(replyState({ createdAt, firstResponseAt: null }, at('2026-11-02T09:00:00Z'))),
    ).toBe('Waiting for a reply (1 day)');
    expect(replyState({ createdAt, firstResponseAt: null }, at('2026-11-04T08:59:59Z'))).toEqual({
      replied: false,
      waitingDays: 2,
    });
  });

  it('shows the public a story only when published with consent, and then only its masked text', () => {
    expect(publicView(story)).toEqual({ whatWasGood: '[name] was kind', whatCouldBeBetter: 'Ring [phone]' });
    expect(publicView({ ...story, publishedAt: null })).toBeNull();
    expect(publicView({ ...story, consentToPublish: false })).toBeNull();
    expect(mayPublish({ consentToPublish: false })).toBe(false);
    expect(mayPublish({ consentToPublish: true })).toBe(true);
  });

  it('asks a planned change for its planned date and a made change for a made date not in the future', () => {
    const today = '2026-11-27';
    expect(changeDateProblem({ status: 'planned', plannedOn: '2027-01-10' }, today)).toBeNull();
    expect(changeDateProblem({ status: 'planned' }, today)?.field).toBe('plannedOn');
    expect(changeDateProblem({ status: 'made', madeOn: '2026-11-27' }, today)).toBeNull();
    expect(changeDateProblem({ status: 'made', madeOn: null }, today)).toEqual({
      field: 'madeOn',
      message: 'Enter the date the change was made',
    });
    expect(changeDateProblem({ status: 'made', madeOn: '2026-11-28' }, today)?.message).toMatch(
      /today or in the past/,
    );
  });

  it('dates a public story by its month only', () => {
    expect(monthOf('2026-11-03')).toBe('November 2026');
    expect(monthOf('2027-01-31')).toBe('January 2027');
  });
});
