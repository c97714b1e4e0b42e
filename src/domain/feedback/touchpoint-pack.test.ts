import { describe, expect, it } from 'vitest';
import {
  PACK_CSV_COLUMNS,
  type PackStory,
  packCsvRows,
  packPeriodStart,
  quoteCandidates,
  themeLabel,
  touchpointPack,
} from './touchpoint-pack.js';

const referral = { touchpointId: 'tp-referral', label: 'Referral', keywords: ['referral', 'referred'] };
const discharge = { touchpointId: 'tp-discharge', label: 'Discharge', keywords: ['discharge'] };

let n = 0;
const story = (over: Partial<PackStory>): PackStory => {
  n++;
  return {
    feedbackId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    receivedOn: '2026-03-14',
    fft: 'good',
    sentiment: 4,
    consentToPublish: true,
    maskedWhatWasGood: '',
    maskedWhatCouldBeBetter: '',
    codes: [],
    touchpoints: [{ touchpointId: referral.touchpointId, words: ['referral'] }],
    ...over,
  };
};

describe('the period of a pack', () => {
  it('counts months back from today, to the month’s last day when the day is missing', () => {
    expect(packPeriodStart('3m', '2026-11-27')).toBe('2026-08-27');
    expect(packPeriodStart('12m', '2026-02-10')).toBe('2025-02-10');
    expect(packPeriodStart('3m', '2026-05-31')).toBe('2026-02-28');
    expect(packPeriodStart('3m', '2028-05-31')).toBe('2028-02-29');
    expect(packPeriodStart('6m', '2026-03-15')).toBe('2025-09-15');
    expect(packPeriodStart('all', '2026-03-15')).toBeNull();
  });
});

describe('quotes for a touchpoint', () => {
  it('are the answers that name it, a long one by its sentences that do, else both answers', () => {
    const long = `${'The ward was noisy at night and nobody came. '.repeat(5)}The discharge letter never came. Home at last.`;
    expect(
      quoteCandidates({ maskedWhatWasGood: 'Lovely staff.', maskedWhatCouldBeBetter: long }, ['discharge']),
    ).toEqual(['The discharge letter never came.']);
    expect(
      quoteCandidates({ maskedWhatWasGood: 'The referral was quick.', maskedWhatCouldBeBetter: 'Parking.' }, [
        'Referral',
      ]),
    ).toEqual(['The referral was quick.']);
    expect(
      quoteCandidates({ maskedWhatWasGood: 'Kind staff.', maskedWhatCouldBeBetter: ' ' }, ['referral']),
    ).toEqual(['Kind staff.']);
  });
});

describe('the touchpoint pack', () => {
  const stories: PackStory[] = [
    // Eight stories about the referral: enough to be counted (1–7 would be "*").
    ...Array.from({ length: 6 }, (_, i) =>
      story({
        sentiment: 5,
        codes: ['access-waiting/referrals', 'access-waiting', 'staff-manner'],
        maskedWhatWasGood: `The referral from [name] came through in ${i + 2} days, which was a relief.`,
      }),
    ),
    story({
      sentiment: 1,
      fft: 'very-poor',
      receivedOn: '2026-04-02',
      codes: ['communication-information'],
      maskedWhatCouldBeBetter: 'Nobody told me the referral had been lost for a month, it was awful.',
    }),
    story({
      sentiment: 2,
      consentToPublish: false,
      codes: ['communication-information'],
      maskedWhatCouldBeBetter: 'My referral sat on a desk for weeks and no one phoned me back.',
    }),
    // Not under any touchpoint of the pack.
    story({ touchpoints: [], maskedWhatWasGood: 'A story about nothing on the pathway at all.' }),
    // One about discharge (a count of 1 is hidden).
    story({
      touchpoints: [{ touchpointId: discharge.touchpointId, words: [] }],
      maskedWhatWasGood: 'They organised my discharge and the transport home very well.',
      codes: ['coordination-discharge/discharge'],
    }),
  ];

  const rows = touchpointPack([referral, discharge], stories);

  it('has a row per touchpoint in pathway order, counts and shares under disclosure control', () => {
    expect(rows.map((r) => [r.label, r.position])).toEqual([
      ['Referral', 1],
      ['Discharge', 2],
    ]);
    const [first, second] = rows;
    expect(first?.stories.shown).toBe('10'); // 8, rounded to 5
    // 6 positive and 2 negative are each hidden, so their shares are too.
    expect(first?.positive.shown).toBe('*');
    expect(first?.negative.shown).toBe('*');
    expect(second?.stories.shown).toBe('*');
    expect(second?.positive.shown).toBe('*');
  });

  it('names the themes that come up most, a sub-theme counting once under its theme', () => {
    expect(rows[0]?.topThemes).toEqual([
      { code: 'access-waiting', label: 'Access and waiting' },
      { code: 'staff-manner', label: 'Staff manner' },
      { code: 'communication-information', label: 'Communication and information' },
    ]);
    expect(rows[1]?.topThemes.map((t) => t.label)).toEqual(['Coordination and discharge']);
    expect(themeLabel('a-theme-of-our-own')).toBe('a-theme-of-our-own');
  });

  it('quotes masked text of consenting stories only, with the FFT answer and month', () => {
    const quotes = rows[0]?.quotes ?? [];
    expect(quotes).toHaveLength(3);
    expect(quotes.map((q) => q.text).join(' ')).not.toContain('sat on a desk');
    expect(quotes).toContainEqual({
      text: 'Nobody told me the referral had been lost for a month, it was awful.',
      fft: 'Very poor',
      month: '2026-04',
    });
    expect(new Set(quotes.map((q) => q.text)).size).toBe(3);
  });

  it('as CSV: a row per quote with the touchpoint’s figures, one row for a touchpoint without quotes', () => {
    const csv = packCsvRows(rows);
    expect(PACK_CSV_COLUMNS).toHaveLength(csv[0]?.length ?? 0);
    expect(csv).toHaveLength(3 + 1);
    expect(csv[0]?.slice(0, 6)).toEqual([
      'Referral',
      1,
      10,
      '*',
      '*',
      'Access and waiting; Staff manner; Communication and information',
    ]);
    expect(csv[3]?.slice(0, 3)).toEqual(['Discharge', 2, '*']);
    expect(csv[3]?.[6]).toBe('They organised my discharge and the transport home very well.');
  });

  it('shows shares from the rounded counts once they are large enough', () => {
    const many = Array.from({ length: 21 }, (_, i) => story({ sentiment: i < 9 ? 5 : i < 19 ? 1 : null }));
    const [row] = touchpointPack([referral], many);
    expect(row?.stories.shown).toBe('20');
    expect(row?.positive.shown).toBe('50'); // 9 → 10 of 20
    expect(row?.negative.shown).toBe('50'); // 10 of 20
    expect(packCsvRows([row as never])[0]?.slice(2, 5)).toEqual([20, 50, 50]);
  });

  it('a touchpoint without stories has zeros and no shares', () => {
    const [row] = touchpointPack([discharge], []);
    expect(row?.stories.shown).toBe('0');
    expect(row?.positive.shown).toBe('n/a');
    expect(packCsvRows([row as never])).toEqual([['Discharge', 1, 0, 'n/a', 'n/a', '', '', '', '']]);
  });
});
