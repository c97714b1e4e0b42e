import { frameworkTheme } from '../coding/framework.js';
import { type Disclosed, type DisclosedRate, discloseCount, discloseRate } from '../disclosure.js';
import { MAX_LENGTH, representativeQuotes } from '../representative-quotes.js';
import { FFT_ANSWER_LABELS } from './vocabulary.js';

/**
 * The touchpoint pack (issue 12, item 8): what people said about each touchpoint of a service's
 * pathway, to prepare an experience-based co-design event — per touchpoint, in pathway order, how
 * many stories, the share positive and negative, the themes that come up most, and a few quotes.
 *
 * A pack is taken to events where patients, carers and staff of other services see it, so it is
 * built for readers beyond the service's staff:
 * - quotes are the masked text only (never what was written), and only from stories whose writer
 *   consented to publish;
 * - counts and shares go through disclosure control (domain/disclosure.ts: 1–7 → "*", others
 *   rounded to 5, shares from the rounded counts), as any aggregate shown outside the care team;
 * - top themes are named, in order, without their counts.
 * Pure: the caller gives the stories (already chosen by period) with the codes they count under.
 */

/** Periods a pack covers, counted back from today. */
export const PACK_PERIODS = [
  { key: '3m', label: 'The last 3 months', months: 3 },
  { key: '6m', label: 'The last 6 months', months: 6 },
  { key: '12m', label: 'The last 12 months', months: 12 },
  { key: 'all', label: 'All stories', months: null },
] as const;
export type PackPeriod = (typeof PACK_PERIODS)[number]['key'];
export const DEFAULT_PACK_PERIOD: PackPeriod = '12m';
export const isPackPeriod = (value: string): value is PackPeriod => PACK_PERIODS.some((p) => p.key === value);

/**
 * The first day (YYYY-MM-DD) of a period ending today, or null for all stories: the same day of the
 * month `months` back, or the month's last day when it has no such day (31 May − 3 months → 28 or
 * 29 February).
 */
export function packPeriodStart(period: PackPeriod, today: string): string | null {
  const months = PACK_PERIODS.find((p) => p.key === period)?.months ?? null;
  if (months === null) return null;
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const start = new Date(Date.UTC(year, month, Math.min(d, lastDay)));
  return start.toISOString().slice(0, 10);
}

export interface PackTouchpoint {
  touchpointId: string;
  label: string;
  keywords: readonly string[];
}

export interface PackStory {
  feedbackId: string;
  /** YYYY-MM-DD */
  receivedOn: string;
  fft: string;
  /** 1–5, or null when not coded yet. */
  sentiment: number | null;
  consentToPublish: boolean;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
  /** The theme codes the story counts under (theme ids, or `theme/sub-theme`). */
  codes: readonly string[];
  /** The touchpoints the story counts under, each with the words in it that pointed there. */
  touchpoints: readonly { touchpointId: string; words: readonly string[] }[];
}

export interface PackQuote {
  text: string;
  /** The FFT answer's label. */
  fft: string;
  /** YYYY-MM the story was received. */
  month: string;
}

export interface PackTheme {
  /** The theme id (a sub-theme's code counts under its theme). */
  code: string;
  label: string;
}

export interface PackRow {
  touchpointId: string;
  label: string;
  /** 1 for the first touchpoint of the pathway. */
  position: number;
  stories: Disclosed;
  /** Sentiment 4 or 5 (positive, very positive), as a share of the touchpoint's stories. */
  positive: DisclosedRate;
  /** Sentiment 1 or 2 (very negative, negative), as a share of the touchpoint's stories. */
  negative: DisclosedRate;
  topThemes: PackTheme[];
  quotes: PackQuote[];
}

export const PACK_LIMITS = { quotes: 3, themes: 3 } as const;

/** A code's theme: `theme/sub-theme` counts under its theme. */
const themeOf = (code: string): string => code.split('/')[0] ?? code;

/** A theme's name in the default framework, or the code itself for a label of the organisation's own. */
export function themeLabel(code: string): string {
  return frameworkTheme(code)?.label ?? code;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sentences of an answer, each with its closing mark, trimmed. */
function sentences(text: string): string[] {
  return (text.match(/[^.!?]+[.!?]*/g) ?? []).map((s) => s.trim()).filter(Boolean);
}

/**
 * What one story could be quoted by for one touchpoint: the masked answers that name it (by its
 * keywords or the words that pointed the coder to it) — a long one by its sentences that name it —
 * or, when no answer does, both answers as they are.
 */
export function quoteCandidates(
  story: Pick<PackStory, 'maskedWhatWasGood' | 'maskedWhatCouldBeBetter'>,
  words: readonly string[],
): string[] {
  const answers = [story.maskedWhatWasGood, story.maskedWhatCouldBeBetter]
    .map((a) => a.trim())
    .filter(Boolean);
  const lowered = words.map((w) => w.toLowerCase()).filter(Boolean);
  const names = (text: string) => {
    const lower = text.toLowerCase();
    return lowered.some((w) => lower.includes(w));
  };
  const naming = answers.filter(names);
  if (!naming.length) return answers;
  return naming.flatMap((answer) =>
    answer.length <= MAX_LENGTH ? [answer] : sentences(answer).filter(names),
  );
}

/**
 * The pack: one row per touchpoint in the order given (the pathway's), built from the stories that
 * count under each. Quotes are chosen by the rule of domain/representative-quotes.ts (a quotable
 * length, round-robin across themes, one per story) among consenting stories only.
 */
export function touchpointPack(
  touchpoints: readonly PackTouchpoint[],
  stories: readonly PackStory[],
  limits: { quotes: number; themes: number } = PACK_LIMITS,
): PackRow[] {
  return touchpoints.map((touchpoint, index) => {
    const inIt = stories
      .flatMap((story) => {
        const found = story.touchpoints.find((t) => t.touchpointId === touchpoint.touchpointId);
        return found ? [{ story, words: found.words }] : [];
      })
      .sort((a, b) => byText(a.story.feedbackId, b.story.feedbackId));
    const positive = inIt.filter(({ story }) => (story.sentiment ?? 3) >= 4).length;
    const negative = inIt.filter(({ story }) => (story.sentiment ?? 3) <= 2).length;

    const themeCounts = new Map<string, number>();
    for (const { story } of inIt) {
      for (const theme of new Set(story.codes.map(themeOf))) {
        themeCounts.set(theme, (themeCounts.get(theme) ?? 0) + 1);
      }
    }
    const topThemes = [...themeCounts.entries()]
      .sort((a, b) => b[1] - a[1] || byText(a[0], b[0]))
      .slice(0, limits.themes)
      .map(([code]) => ({ code, label: themeLabel(code) }));

    const byId = new Map(inIt.map(({ story }) => [story.feedbackId, story]));
    const candidates = inIt
      .filter(({ story }) => story.consentToPublish)
      .flatMap(({ story, words }) =>
        quoteCandidates(story, [...touchpoint.keywords, ...words]).map((text) => ({
          personId: story.feedbackId,
          text,
          domainCodes: [...new Set(story.codes.map(themeOf))].sort(byText),
        })),
      );
    const quotes = representativeQuotes(candidates, limits.quotes).map((q) => {
      const story = byId.get(q.personId) as PackStory;
      return {
        text: q.text,
        fft: FFT_ANSWER_LABELS[story.fft] ?? story.fft,
        month: story.receivedOn.slice(0, 7),
      };
    });

    return {
      touchpointId: touchpoint.touchpointId,
      label: touchpoint.label,
      position: index + 1,
      stories: discloseCount(inIt.length),
      positive: discloseRate(positive, inIt.length),
      negative: discloseRate(negative, inIt.length),
      topThemes,
      quotes,
    };
  });
}

/** The CSV's columns (docs/FEEDBACK.md): one row per quote, the touchpoint's figures on each. */
export const PACK_CSV_COLUMNS = [
  'touchpoint',
  'position',
  'stories',
  'positive',
  'negative',
  'top_themes',
  'quote',
  'fft',
  'month',
] as const;

/** A disclosed figure as a CSV cell: the number when one is shown, else what is shown ("*", "n/a"). */
const cell = (d: Disclosed): string | number => (d.value === null ? d.shown : Number(d.shown));

/** The pack as CSV rows: a row per quote, and one row with empty quote cells for a touchpoint without any. */
export function packCsvRows(rows: readonly PackRow[]): (string | number)[][] {
  return rows.flatMap((row) => {
    const figures = [
      row.label,
      row.position,
      cell(row.stories),
      cell(row.positive),
      cell(row.negative),
      row.topThemes.map((t) => t.label).join('; '),
    ];
    if (!row.quotes.length) return [[...figures, '', '', '']];
    return row.quotes.map((q) => [...figures, q.text, q.fft, q.month]);
  });
}
