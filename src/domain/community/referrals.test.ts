import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REFERRAL_REASON, reasonFromGoal } from './referrals.js';

describe('a reason for referral from a plan goal', () => {
  it('keeps a short goal’s words as they are, spaces tidied', () => {
    expect(reasonFromGoal('  Get out to the  allotment\nagain ')).toBe('Get out to the allotment again');
  });

  it('cuts a long goal at a word, with an ellipsis, within the standard’s 150 characters', () => {
    const goal = `${'Walk to the shops with a friend '.repeat(6)}every week`;
    const reason = reasonFromGoal(goal);
    expect(reason.length).toBeLessThanOrEqual(MAX_REFERRAL_REASON);
    expect(reason.endsWith('…')).toBe(true);
    expect(goal.startsWith(reason.slice(0, -1))).toBe(true);
    expect(reason.slice(0, -1).endsWith(' ')).toBe(false);
  });

  it('is never longer than the limit, whatever the words', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 2000 }), (goal) => {
        expect(reasonFromGoal(goal).length).toBeLessThanOrEqual(MAX_REFERRAL_REASON);
      }),
    );
  });
});
