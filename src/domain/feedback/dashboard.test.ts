import { describe, expect, it } from 'vitest';
import {
  concernsWithChangeMade,
  type DashboardStory,
  defaultPeriod,
  monthlyFigures,
  monthsBetween,
  periodProblems,
  praiseAndConcern,
  quoteFor,
  representativeQuotes,
  selectableMonths,
  storySide,
  themesOverTime,
} from './dashboard.js';

let n = 0;
function story(over: Partial<DashboardStory> = {}): DashboardStory {
  n++;
  return {
    feedbackId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    receivedOn: '2026-03-10',
    fft: 'very-good',
    sentiment: null,
    isConcern: false,
    flagged: false,
    maskedWhatWasGood: '',
    maskedWhatCouldBeBetter: '',
    codes: [],
    ...over,
  };
}
const code = (
  c: string,
  confidence: number | null = 0.8,
  status: 'suggested' | 'confirmed' = 'suggested',
  words: string[] = [],
) => ({ code: c, confidence, status, words });

describe('the dashboard period', () => {
  it('lists months across a year end and defaults to the last twelve', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(defaultPeriod('2026-11-27')).toEqual({ from: '2025-12', to: '2026-11' });
    expect(monthsBetween('2025-12', '2026-11')).toHaveLength(12);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
    const choices = selectableMonths('2026-11-27');
    expect(choices).toHaveLength(36);
    expect([choices[0], choices[35]]).toEqual(['2023-12', '2026-11']);
  });

  it('names the field at fault', () => {
    expect(periodProblems('2026-01', '2025-12', '2026-11-27')).toEqual([
      { field: 'from', message: 'The start month must be on or before the end month' },
    ]);
    expect(periodProblems('2026-13', '2026-01', '2026-11-27')[0]?.field).toBe('from');
    expect(periodProblems('2026-01', '2027-01', '2026-11-27')[0]?.field).toBe('to');
    expect(periodProblems('2020-01', '2026-01', '2026-11-27')[0]?.message).toMatch(/36 months/);
    expect(periodProblems('2025-12', '2026-11', '2026-11-27')).toEqual([]);
  });
});

describe('monthly figures', () => {
  it('counts FFT % positive over every answer, Don’t know included, and hides it under five', () => {
    const march = ['very-good', 'good', 'good', 'poor', 'dont-know', 'neither'].map((fft) =>
      story({ fft, receivedOn: '2026-03-02' }),
    );
    const april = ['very-good', 'very-poor'].map((fft) => story({ fft, receivedOn: '2026-04-20' }));
    const [m, a, may] = monthlyFigures([...march, ...april], ['2026-03', '2026-04', '2026-05']);
    expect(m?.stories).toBe(6);
    expect(m?.fftPositive).toBe(3);
    expect(m?.fftPercentPositive).toBe(0.5);
    expect(m?.fftAnswers['dont-know']).toBe(1);
    expect(a?.stories).toBe(2);
    expect(a?.fftPositive).toBe(1);
    expect(a?.fftPercentPositive).toBeNull();
    expect(may?.stories).toBe(0);
    expect(may?.fftPercentPositive).toBeNull();
  });

  it('shares sentiment over the stories with one coded, in three tones', () => {
    const stories = [5, 4, 4, 3, 1, null].map((sentiment) => story({ sentiment }));
    const [m] = monthlyFigures(stories, ['2026-03']);
    expect(m?.sentiment).toEqual({ positive: 3, neutral: 1, negative: 1, uncoded: 1 });
    expect(m?.sentimentShares).toEqual({ positive: 0.6, neutral: 0.2, negative: 0.2 });
  });
});

describe('themes over time', () => {
  it('ranks themes by stories coded (sub-themes under their theme, once per story), ties by label', () => {
    const stories = [
      story({ codes: [code('staff-manner/kindness'), code('staff-manner')] }),
      story({ codes: [code('staff-manner')], receivedOn: '2026-04-01' }),
      story({ codes: [code('food'), code('access-waiting')] }),
    ];
    const result = themesOverTime(stories, ['2026-03', '2026-04'], 2);
    expect(result.themes.map((t) => [t.theme, t.total])).toEqual([
      ['staff-manner', 2],
      ['access-waiting', 1],
    ]);
    expect(result.themes[0]?.label).toBe('Staff manner');
    expect(result.months).toEqual([
      { month: '2026-03', stories: 2, counts: [1, 1] },
      { month: '2026-04', stories: 1, counts: [1, 0] },
    ]);
  });
});

describe('praise and concern', () => {
  it('sides a story by is_concern, then by sentiment, then by its FFT answer', () => {
    expect(storySide(story({ isConcern: true, fft: 'very-good' }))).toBe('concern');
    expect(storySide(story({ sentiment: 5, fft: 'neither' }))).toBe('praise');
    expect(storySide(story({ sentiment: 3, fft: 'very-good' }))).toBeNull();
    expect(storySide(story({ fft: 'good' }))).toBe('praise');
    expect(storySide(story({ fft: 'dont-know' }))).toBeNull();
  });

  it('ranks the themes of each side, leaving out the general ones, with quotes from the matching field', () => {
    const long = 'The nurse was kind and took time to explain my dressings properly.';
    const stories = [
      story({ codes: [code('staff-manner'), code('overall-positive')], maskedWhatWasGood: long }),
      story({ codes: [code('staff-manner'), code('overall-positive')], maskedWhatWasGood: 'Kind.' }),
      story({ codes: [code('overall-positive')] }),
      story({ codes: [code('competence')], maskedWhatWasGood: long }),
      story({
        isConcern: true,
        fft: 'poor',
        codes: [code('access-waiting/waiting-times')],
        maskedWhatWasGood: 'Nothing much at all to say here really.',
        maskedWhatCouldBeBetter: 'I waited eleven weeks for the first visit from [NAME].',
      }),
    ];
    const { praise, concern } = praiseAndConcern(stories);
    expect(praise.map((t) => [t.theme, t.stories])).toEqual([
      ['staff-manner', 2],
      ['competence', 1],
    ]);
    // "Kind." is too short to stand as a quote.
    expect(praise[0]?.quotes.map((q) => q.text)).toEqual([long]);
    expect(concern).toHaveLength(1);
    expect(concern[0]?.label).toBe('Access and waiting');
    expect(concern[0]?.quotes[0]?.text).toBe('I waited eleven weeks for the first visit from [NAME].');
  });

  it('picks quotes deterministically: on the theme first, then confidence, then length near the ideal', () => {
    const text = (len: number) => 'a'.repeat(len);
    const a = story({ maskedWhatWasGood: text(160) });
    const b = story({ maskedWhatWasGood: text(60) });
    const c = story({ maskedWhatWasGood: text(150) });
    const d = story({ maskedWhatWasGood: text(500) });
    const e = story({
      maskedWhatWasGood: 'Parking was fine. The nurse was wonderfully kind to my wife.',
      flagged: false,
    });
    const flagged = story({
      maskedWhatWasGood: 'The nurse was kind, but what happened that night frightened us.',
      flagged: true,
    });
    const quotes = representativeQuotes(
      [
        { story: a, confidence: 0.6, words: [] },
        { story: b, confidence: 1, words: [] },
        { story: c, confidence: 0.6, words: [] },
        { story: d, confidence: 1, words: [] },
        { story: e, confidence: 0.3, words: ['kind'] },
        { story: flagged, confidence: 1, words: ['kind'] },
      ],
      'praise',
      3,
    );
    // The sentence that speaks to the theme, alone; a flagged story never quoted; too long left out.
    const elsewhere = story({ maskedWhatWasGood: 'Nothing, keep doing what you are doing now.' });
    const twice = story({ maskedWhatWasGood: text(60) });
    expect(
      representativeQuotes(
        [
          { story: elsewhere, confidence: 1, words: ['tablets'] },
          { story: b, confidence: 1, words: [] },
          { story: twice, confidence: 1, words: [] },
        ],
        'praise',
      ).map((q) => q.feedbackId),
    ).toEqual([b.feedbackId]);
    expect(quotes.map((q) => q.text)).toEqual([
      'The nurse was wonderfully kind to my wife.',
      text(60),
      text(160),
    ]);
    expect(quotes.map((q) => q.feedbackId)).toEqual([e.feedbackId, b.feedbackId, a.feedbackId]);
  });

  it('quotes the sentences holding a driving word, or the whole answer when none does', () => {
    expect(quoteFor('Waited weeks. Staff were lovely. The WAIT was awful.', ['wait'])).toEqual({
      text: 'Waited weeks. The WAIT was awful.',
      onTheme: true,
    });
    expect(quoteFor('All good.', ['parking'])).toEqual({ text: 'All good.', onTheme: false });
  });
});

describe('concerns that led to a change made', () => {
  it('counts concerns linked to a change made, and hides the share under five', () => {
    const concerns = Array.from({ length: 5 }, () => story({ isConcern: true, fft: 'poor' }));
    const others = [story(), story()];
    const made = new Set([concerns[0]?.feedbackId ?? '', others[0]?.feedbackId ?? '']);
    expect(concernsWithChangeMade([...concerns, ...others], made)).toEqual({
      concerns: 5,
      withChangeMade: 1,
      share: 0.2,
    });
    expect(concernsWithChangeMade(concerns.slice(0, 4), made).share).toBeNull();
  });
});
