import { findIdentifiers } from '../deidentify/deidentify.js';
import { type DetectedKind, TAGS } from '../deidentify/spans.js';

/**
 * Personal information out of a feedback story (issue 12, item 2). The aggregation work's
 * de-identifier (domain/deidentify) finds the spans once, when the story is stored; a moderator
 * may then unmask a false positive or mask a missed stretch. The masked text is always rebuilt
 * from the original and its spans, so what is published and what the moderator sees agree.
 */

/** A masked stretch of one story field: a kind the de-identifier knows, or `other` from a moderator. */
export type MaskKind = DetectedKind | 'other';

export interface MaskSpan {
  kind: MaskKind;
  /** Offsets in the original text, UTF-16 code units, `end` exclusive. */
  start: number;
  end: number;
  /** Found by the de-identifier, or added by a moderator. */
  source: 'detected' | 'moderator';
}

export const MASK_KIND_LABELS: Record<MaskKind, string> = {
  name: 'name',
  'nhs-number': 'NHS number',
  phone: 'telephone number',
  email: 'email address',
  address: 'address',
  postcode: 'postcode',
  'date-of-birth': 'date of birth',
  'age-over-90': 'age of 90 or over',
  other: 'other personal information',
};

/** The kinds a moderator may choose when masking a missed stretch. */
export const MODERATOR_MASK_KINDS = [
  'name',
  'phone',
  'email',
  'address',
  'postcode',
  'date-of-birth',
  'other',
] as const;

const TAG: Record<MaskKind, string> = { ...TAGS, other: '[removed]' };

/** The personal information the de-identifier finds in a story field. */
export function findMasks(text: string): MaskSpan[] {
  return findIdentifiers(text).map((s) => ({ kind: s.kind, start: s.start, end: s.end, source: 'detected' }));
}

/** The text with each span replaced by its tag. Spans are sorted; overlapping ones are skipped. */
export function applyMasks(text: string, spans: readonly MaskSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at || s.end > text.length) continue;
    out += text.slice(at, s.start) + TAG[s.kind];
    at = s.end;
  }
  return out + text.slice(at);
}

/** The spans without the one at `index` (a false positive the moderator unmasks). */
export function unmask(spans: readonly MaskSpan[], index: number): MaskSpan[] {
  return spans.filter((_, i) => i !== index);
}

/**
 * The spans with every whole-word occurrence of `words` (case-insensitive) masked as `kind`, where
 * not masked already. Empty when the words are not in the text: the caller says so.
 */
export function maskWords(
  text: string,
  spans: readonly MaskSpan[],
  words: string,
  kind: MaskKind,
): { spans: MaskSpan[]; added: number } {
  const wanted = words.trim();
  if (!wanted) return { spans: [...spans], added: 0 };
  const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
  const next = [...spans];
  let added = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (next.some((s) => s.start < end && start < s.end)) continue;
    next.push({ kind, start, end, source: 'moderator' });
    added++;
  }
  return { spans: next.sort((a, b) => a.start - b.start), added };
}

/** The original text in pieces, each masked piece with its kind and span index (for highlighting). */
export function maskedSegments(
  text: string,
  spans: readonly MaskSpan[],
): { text: string; kind?: MaskKind; label?: string; index?: number }[] {
  const pieces: { text: string; kind?: MaskKind; label?: string; index?: number }[] = [];
  let at = 0;
  spans.forEach((s, index) => {
    if (s.start < at) return;
    if (s.start > at) pieces.push({ text: text.slice(at, s.start) });
    pieces.push({ text: text.slice(s.start, s.end), kind: s.kind, label: MASK_KIND_LABELS[s.kind], index });
    at = s.end;
  });
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}
