/**
 * What the de-identifier finds: a kind of identifier and where it sits in the original text
 * (offsets in UTF-16 code units, as JavaScript strings count them; `end` is exclusive).
 */

/** The kinds the `deidentify` contract reports. */
export const IDENTIFIER_KINDS = [
  'name',
  'nhs-number',
  'phone',
  'email',
  'address',
  'postcode',
  'date-of-birth',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/**
 * The kinds the detectors tell apart. An exact age of 90 or over is its own kind inside the
 * domain (so it gets its own tag and its own row in the evaluation), and is reported under
 * `date-of-birth` because, like a date of birth, it tells how old someone is.
 */
export type DetectedKind = IdentifierKind | 'age-over-90';

export interface Span<K extends string = DetectedKind> {
  kind: K;
  start: number;
  end: number;
}

export const reportedKind = (kind: DetectedKind): IdentifierKind =>
  kind === 'age-over-90' ? 'date-of-birth' : kind;

/** The tag each kind is replaced with. */
export const TAGS: Record<DetectedKind, string> = {
  name: '[name]',
  'nhs-number': '[nhs-number]',
  phone: '[phone]',
  email: '[email]',
  address: '[address]',
  postcode: '[postcode]',
  'date-of-birth': '[date-of-birth]',
  'age-over-90': '[age 90 or over]',
};

/**
 * Joins spans of one kind that overlap or touch across one space ("Ravi" + "Patel" is one name),
 * so the same stretch is never reported twice. Spans of different kinds are left for the combiner.
 */
export function mergeSpans<K extends string>(spans: readonly Span<K>[], text: string): Span<K>[] {
  const sorted = [...spans].sort((a, b) =>
    a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.start - b.start || b.end - a.end,
  );
  const merged: Span<K>[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (
      last &&
      last.kind === span.kind &&
      span.start <= last.end + 1 &&
      /^\s?$/.test(text.slice(last.end, span.start))
    ) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged.sort((a, b) => a.start - b.start);
}
