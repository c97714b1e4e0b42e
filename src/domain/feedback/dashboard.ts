import { PATIENT_EXPERIENCE_FRAMEWORK } from '../coding/framework.js';
import { FFT_POSITIVE, isPositiveFftAnswer } from '../measures/instruments/fft.js';
import { FFT_ANSWERS } from './vocabulary.js';

/**
 * The service feedback dashboard's figures (issue 12, item 7), worked out from one service's stories
 * over a period: volume, FFT % positive and its answers, themes and sentiment over time, the themes
 * of praise and of concern with representative quotes, and the share of concerns that led to a
 * change made. Pure: the store reads the stories, this decides every number and every quote.
 */

/** A month with fewer stories than this shows its count but no percentage: one story is 100%. */
export const SMALL_NUMBER = 5;
/** The longest period the dashboard shows, in months. */
export const MAX_PERIOD_MONTHS = 36;
/** The default period, in months, ending with the current one. */
export const DEFAULT_PERIOD_MONTHS = 12;
/** Themes shown over time, and themes of praise and of concern listed. */
export const TOP_THEMES = 6;
export const QUOTES_PER_THEME = 3;
/** A representative quote reads as a sentence or a short paragraph: not a word, not an essay. */
export const QUOTE_LENGTH = { min: 30, max: 400, ideal: 160 } as const;
/**
 * Themes that say only that the whole experience was good or bad: they are counted over time, but
 * they would top every list of praise or concern and tell the service nothing it can act on.
 */
export const GENERAL_THEMES: readonly string[] = ['overall-positive', 'overall-negative'];

/** A month as `YYYY-MM`. */
export type Month = string;
export const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';
export const isMonth = (value: string): boolean => new RegExp(MONTH_PATTERN).test(value);

/** One story as the dashboard reads it: masked text only, its codes in use, and whether it is a concern. */
export interface DashboardStory {
  feedbackId: string;
  /** The day it was received, `YYYY-MM-DD`. */
  receivedOn: string;
  fft: string;
  /** Five-point sentiment (1 very negative … 5 very positive); null until coded. */
  sentiment: number | null;
  /** `feedback.is_concern`: the one definition of a concern (migration 0027). */
  isConcern: boolean;
  /** Flagged to the safeguarding contact: counted, never quoted. */
  flagged: boolean;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
  /** The codes it counts under (`feedback_code_in_use`): a theme id or `theme/sub-theme`. */
  codes: readonly DashboardCode[];
}

export interface DashboardCode {
  code: string;
  status: 'suggested' | 'confirmed';
  /** The coder's confidence; null for a code staff added. */
  confidence: number | null;
  /** The words in the story that drove the code (none for a code staff added). */
  words: readonly string[];
}

/** The month a date (`YYYY-MM-DD…`) falls in. */
export const monthOf = (date: string): Month => date.slice(0, 7);

/** Months since year 0: a month as a number, so spans are a subtraction. */
const monthIndex = (month: Month): number => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
};

function addMonths(month: Month, n: number): Month {
  const index = monthIndex(month) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`, both included, in order (none when `to` is before `from`). */
export function monthsBetween(from: Month, to: Month): Month[] {
  const span = monthIndex(to) - monthIndex(from) + 1;
  return Array.from({ length: Math.max(0, span) }, (_, i) => addMonths(from, i));
}

/** The months a period may start or end on: the last MAX_PERIOD_MONTHS, ending with today's. */
export function selectableMonths(today: string): Month[] {
  const to = monthOf(today);
  return monthsBetween(addMonths(to, 1 - MAX_PERIOD_MONTHS), to);
}

/** The last twelve months, ending with today's. */
export function defaultPeriod(today: string): { from: Month; to: Month } {
  const to = monthOf(today);
  return { from: addMonths(to, 1 - DEFAULT_PERIOD_MONTHS), to };
}

export type PeriodProblem = { field: 'from' | 'to'; message: string };

/** What is wrong with a chosen period, naming the field; empty when it can be shown. */
export function periodProblems(from: Month, to: Month, today: string): PeriodProblem[] {
  const problems: PeriodProblem[] = [];
  if (!isMonth(from)) problems.push({ field: 'from', message: 'Enter a real start month, like 2025-04' });
  if (!isMonth(to)) problems.push({ field: 'to', message: 'Enter a real end month, like 2026-03' });
  if (problems.length) return problems;
  if (to > monthOf(today)) problems.push({ field: 'to', message: 'The end month must not be in the future' });
  else if (from > to)
    problems.push({ field: 'from', message: 'The start month must be on or before the end month' });
  else if (monthIndex(to) - monthIndex(from) + 1 > MAX_PERIOD_MONTHS) {
    problems.push({ field: 'from', message: `The period must be ${MAX_PERIOD_MONTHS} months or fewer` });
  }
  return problems;
}

/** A share shown only when its denominator is not a small number; null otherwise. */
export const shareOf = (part: number, whole: number): number | null =>
  whole >= SMALL_NUMBER ? part / whole : null;

export type SentimentTone = 'positive' | 'neutral' | 'negative';
/** Five-point sentiment in three: 4–5 positive, 3 neutral or mixed, 1–2 negative (as `is_concern` reads 1–2). */
export function toneOf(sentiment: number | null): SentimentTone | null {
  if (sentiment === null) return null;
  return sentiment >= 4 ? 'positive' : sentiment <= 2 ? 'negative' : 'neutral';
}

export interface MonthFigures {
  month: Month;
  stories: number;
  /** Answers per FFT answer key (every key present, zero included). */
  fftAnswers: Record<string, number>;
  /** Very good + Good. */
  fftPositive: number;
  /** Very good + Good over every answer, Don't know included; null under the small-number rule. */
  fftPercentPositive: number | null;
  /** Stories per tone, and those with no sentiment coded yet. */
  sentiment: Record<SentimentTone, number> & { uncoded: number };
  /** Each tone's share of the stories with a sentiment; null under the small-number rule. */
  sentimentShares: Record<SentimentTone, number> | null;
}

/** Volume, FFT and sentiment per month of the period (every month, empty ones included). */
export function monthlyFigures(stories: readonly DashboardStory[], months: readonly Month[]): MonthFigures[] {
  const byMonth = groupByMonth(stories);
  return months.map((month) => {
    const inMonth = byMonth.get(month) ?? [];
    const fftAnswers = Object.fromEntries(FFT_ANSWERS.map((a) => [a, 0])) as Record<string, number>;
    const sentiment = { positive: 0, neutral: 0, negative: 0, uncoded: 0 };
    for (const s of inMonth) {
      fftAnswers[s.fft] = (fftAnswers[s.fft] ?? 0) + 1;
      sentiment[toneOf(s.sentiment) ?? 'uncoded']++;
    }
    const fftPositive = FFT_POSITIVE.reduce((n, a) => n + (fftAnswers[a] ?? 0), 0);
    const coded = inMonth.length - sentiment.uncoded;
    return {
      month,
      stories: inMonth.length,
      fftAnswers,
      fftPositive,
      fftPercentPositive: shareOf(fftPositive, inMonth.length),
      sentiment,
      sentimentShares:
        coded >= SMALL_NUMBER
          ? {
              positive: sentiment.positive / coded,
              neutral: sentiment.neutral / coded,
              negative: sentiment.negative / coded,
            }
          : null,
    };
  });
}

function groupByMonth(stories: readonly DashboardStory[]): Map<Month, DashboardStory[]> {
  const byMonth = new Map<Month, DashboardStory[]>();
  for (const s of stories) {
    const m = monthOf(s.receivedOn);
    byMonth.set(m, [...(byMonth.get(m) ?? []), s]);
  }
  return byMonth;
}

/** The theme a code belongs to: `theme/sub-theme` counts under its theme. */
export const themeOf = (code: string): string => code.split('/')[0] ?? code;

interface StoryTheme {
  /** The highest confidence of the story's codes under the theme (a confirmed code counts as 1). */
  confidence: number;
  /** The words that drove those codes. */
  words: string[];
}

/** A story's themes, each once, with how surely it was coded to it and the words that drove it. */
function storyThemes(story: DashboardStory): Map<string, StoryTheme> {
  const themes = new Map<string, StoryTheme>();
  for (const c of story.codes) {
    // A code staff confirmed is as sure as a code can be, whatever the coder thought of it.
    const confidence = c.status === 'confirmed' ? 1 : (c.confidence ?? 0);
    const theme = themeOf(c.code);
    const found = themes.get(theme);
    themes.set(theme, {
      confidence: Math.max(found?.confidence ?? 0, confidence),
      words: [...(found?.words ?? []), ...c.words],
    });
  }
  return themes;
}

/** The label of a theme id in the default framework; an organisation's own names read as they are. */
export function themeLabel(theme: string): string {
  return PATIENT_EXPERIENCE_FRAMEWORK.themes.find((t) => t.id === theme)?.label ?? theme;
}

/** Ties broken by label, so the same stories always give the same order. */
const byCountThenLabel = (a: { theme: string; count: number }, b: { theme: string; count: number }) =>
  b.count - a.count ||
  themeLabel(a.theme).localeCompare(themeLabel(b.theme), 'en-GB') ||
  a.theme.localeCompare(b.theme);

export interface ThemesOverTime {
  /** The period's most coded themes, most first. */
  themes: { theme: string; label: string; total: number }[];
  /** Per month, stories coded with each of those themes (in `themes` order). */
  months: { month: Month; stories: number; counts: number[] }[];
}

/** The period's `top` most coded themes, and how many stories each month were coded with each. */
export function themesOverTime(
  stories: readonly DashboardStory[],
  months: readonly Month[],
  top = TOP_THEMES,
): ThemesOverTime {
  const totals = new Map<string, number>();
  for (const s of stories)
    for (const theme of storyThemes(s).keys()) totals.set(theme, (totals.get(theme) ?? 0) + 1);
  const themes = [...totals.entries()]
    .map(([theme, count]) => ({ theme, count }))
    .sort(byCountThenLabel)
    .slice(0, top)
    .map(({ theme, count }) => ({ theme, label: themeLabel(theme), total: count }));
  const byMonth = groupByMonth(stories);
  return {
    themes,
    months: months.map((month) => {
      const inMonth = byMonth.get(month) ?? [];
      const sets = inMonth.map((s) => storyThemes(s));
      return {
        month,
        stories: inMonth.length,
        counts: themes.map((t) => sets.filter((set) => set.has(t.theme)).length),
      };
    }),
  };
}

/**
 * Praise: a story that is not a concern and reads positive — its sentiment is 4 or 5, or, before
 * its sentiment is coded, its FFT answer is Very good or Good. Concern: `feedback.is_concern`.
 */
export function storySide(story: DashboardStory): 'praise' | 'concern' | null {
  if (story.isConcern) return 'concern';
  const positive = story.sentiment !== null ? story.sentiment >= 4 : isPositiveFftAnswer(story.fft);
  return positive ? 'praise' : null;
}

export interface RankedTheme {
  theme: string;
  label: string;
  /** Stories on this side coded with the theme. */
  stories: number;
  quotes: Quote[];
}

export interface Quote {
  feedbackId: string;
  /** Masked text only: the de-identified words of the story. */
  text: string;
  receivedOn: string;
}

/**
 * The themes most often coded on stories of praise and on stories of concern (general themes left
 * out), most first, ties by label; each with up to `quotesPerTheme` representative quotes.
 */
export function praiseAndConcern(
  stories: readonly DashboardStory[],
  top = TOP_THEMES,
  quotesPerTheme = QUOTES_PER_THEME,
): { praise: RankedTheme[]; concern: RankedTheme[] } {
  const rank = (side: 'praise' | 'concern'): RankedTheme[] => {
    const onSide = stories.filter((s) => storySide(s) === side);
    const byTheme = new Map<string, ({ story: DashboardStory } & StoryTheme)[]>();
    for (const story of onSide) {
      for (const [theme, coded] of storyThemes(story)) {
        if (GENERAL_THEMES.includes(theme)) continue;
        byTheme.set(theme, [...(byTheme.get(theme) ?? []), { story, ...coded }]);
      }
    }
    return [...byTheme.entries()]
      .map(([theme, coded]) => ({ theme, count: coded.length, coded }))
      .sort(byCountThenLabel)
      .slice(0, top)
      .map(({ theme, coded }) => ({
        theme,
        label: themeLabel(theme),
        stories: coded.length,
        quotes: representativeQuotes(coded, side, quotesPerTheme),
      }));
  };
  return { praise: rank('praise'), concern: rank('concern') };
}

/** The words a quote of this side comes from: what was good for praise, what could be better for a concern. */
export function quoteText(story: DashboardStory, side: 'praise' | 'concern'): string {
  const first = side === 'praise' ? story.maskedWhatWasGood : story.maskedWhatCouldBeBetter;
  const other = side === 'praise' ? story.maskedWhatCouldBeBetter : story.maskedWhatWasGood;
  return (first.trim() || other.trim()).replace(/\s+/g, ' ');
}

/** A text's sentences, as people end them. */
const sentencesOf = (text: string): string[] => text.split(/(?<=[.!?])\s+/).filter((t) => t.trim() !== '');

/**
 * The part of a story that speaks to a theme: its sentences holding a word that drove the code, or
 * (when the coder gave none, or none is found) the whole answer.
 */
export function quoteFor(text: string, words: readonly string[]): { text: string; onTheme: boolean } {
  const wanted = words.map((w) => w.toLowerCase()).filter((w) => w.length > 1);
  const on = sentencesOf(text).filter((sentence) => wanted.some((w) => sentence.toLowerCase().includes(w)));
  return on.length ? { text: on.join(' '), onTheme: true } : { text, onTheme: false };
}

/**
 * Representative quotes, deterministically: never a story flagged for safeguarding; the sentences
 * that speak to the theme (see quoteFor) at a readable length (QUOTE_LENGTH), and not an answer
 * that holds none of the words the coder coded it by; each text once; those on the theme first, then the most confidently coded (a confirmed code first of all), then the length nearest
 * the ideal, then the newest, then by id; one quote per story.
 */
export function representativeQuotes(
  coded: readonly ({ story: DashboardStory } & StoryTheme)[],
  side: 'praise' | 'concern',
  most = QUOTES_PER_THEME,
): Quote[] {
  const seen = new Set<string>();
  return (
    coded
      .filter((c) => !c.story.flagged)
      .map((c) => ({ ...c, ...quoteFor(quoteText(c.story, side), c.words) }))
      // The coder named the words behind the code and none is in this answer: it speaks to something else.
      .filter((c) => c.onTheme || c.words.length === 0)
      .filter((c) => c.text.length >= QUOTE_LENGTH.min && c.text.length <= QUOTE_LENGTH.max)
      .sort(
        (a, b) =>
          Number(b.onTheme) - Number(a.onTheme) ||
          b.confidence - a.confidence ||
          Math.abs(a.text.length - QUOTE_LENGTH.ideal) - Math.abs(b.text.length - QUOTE_LENGTH.ideal) ||
          b.story.receivedOn.localeCompare(a.story.receivedOn) ||
          a.story.feedbackId.localeCompare(b.story.feedbackId),
      )
      // The same words from two people read as one quote twice: keep the first.
      .filter((c) => !seen.has(c.text.toLowerCase()) && !!seen.add(c.text.toLowerCase()))
      .slice(0, most)
      .map(({ story, text }) => ({ feedbackId: story.feedbackId, text, receivedOn: story.receivedOn }))
  );
}

export interface ConcernsChanged {
  concerns: number;
  /** Concerns linked to at least one change with status made. */
  withChangeMade: number;
  /** withChangeMade / concerns; null under the small-number rule. */
  share: number | null;
}

/** The share of the period's concerns that led to a change made. */
export function concernsWithChangeMade(
  stories: readonly DashboardStory[],
  ledToChangeMade: ReadonlySet<string>,
): ConcernsChanged {
  const concerns = stories.filter((s) => s.isConcern);
  const withChangeMade = concerns.filter((s) => ledToChangeMade.has(s.feedbackId)).length;
  return { concerns: concerns.length, withChangeMade, share: shareOf(withChangeMade, concerns.length) };
}
