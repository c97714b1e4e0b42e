import { findNames } from './names.js';
import {
  type DetectedKind,
  type IdentifierKind,
  mergeSpans,
  reportedKind,
  type Span,
  TAGS,
} from './spans.js';
import {
  findAddresses,
  findAgesOver90,
  findDatesOfBirth,
  findEmails,
  findNumbers,
  findPostcodes,
} from './uk-identifiers.js';

export { IDENTIFIER_KINDS, type IdentifierKind } from './spans.js';

/**
 * The one de-identifier for free text shown outside a person's care team (docs/DEIDENTIFICATION.md):
 * names, NHS numbers, telephone numbers, email addresses, postal addresses, postcodes, dates of
 * birth and exact ages of 90 or over are replaced by tags such as `[name]`.
 */

export interface DeidentifyOptions {
  /** The person's own recorded names and their circle's: always masked, in any case, as whole words. */
  knownNames?: readonly string[];
}

export interface Found {
  kind: IdentifierKind;
  /** Offsets in the original text, in UTF-16 code units; `end` is exclusive. */
  start: number;
  end: number;
}

export interface Deidentified {
  text: string;
  found: Found[];
}

/**
 * When two findings overlap, the more specific wins: an email's digits are not a phone number, a
 * postcode inside an address stays a postcode, a street is not a name ("Holly Road").
 */
const PRIORITY: readonly DetectedKind[] = [
  'email',
  'nhs-number',
  'phone',
  'postcode',
  'date-of-birth',
  'age-over-90',
  'address',
  'name',
];

/** Every identifier found, by the kinds the detectors tell apart, in text order, none overlapping. */
export function findIdentifiers(text: string, options: DeidentifyOptions = {}): Span[] {
  const candidates: Span[] = [
    ...findEmails(text),
    ...findNumbers(text),
    ...findPostcodes(text),
    ...findDatesOfBirth(text),
    ...findAgesOver90(text),
    ...findAddresses(text),
    ...findNames(text, options.knownNames ?? []),
  ];
  const byKind = new Map<DetectedKind, Span[]>();
  for (const span of candidates) byKind.set(span.kind, [...(byKind.get(span.kind) ?? []), span]);
  const accepted: Span[] = [];
  for (const kind of PRIORITY) {
    for (const span of mergeSpans(byKind.get(kind) ?? [], text)) {
      const clash = accepted.filter((a) => a.start < span.end && span.start < a.end);
      if (clash.length === 0) {
        accepted.push(span);
      } else if (kind === 'name') {
        // A name that runs into an address or a number keeps the part outside it.
        accepted.push(...outside(span, clash, text));
      }
    }
  }
  return accepted.sort((a, b) => a.start - b.start);
}

function outside(span: Span, clash: readonly Span[], text: string): Span[] {
  const pieces: Span[] = [];
  let start = span.start;
  for (const c of [...clash].sort((a, b) => a.start - b.start)) {
    if (c.start > start) pieces.push({ kind: span.kind, start, end: c.start });
    start = Math.max(start, c.end);
  }
  if (start < span.end) pieces.push({ kind: span.kind, start, end: span.end });
  // Keep only pieces that still hold a word of two letters or more, trimmed of spaces.
  return pieces.flatMap((p) => {
    const piece = /\p{L}[\p{L}'’-]*\p{L}/u.exec(text.slice(p.start, p.end));
    if (!piece) return [];
    const start = p.start + piece.index;
    return [{ kind: p.kind, start, end: start + piece[0].length }];
  });
}

export function deidentify(text: string, options: DeidentifyOptions = {}): Deidentified {
  const spans = findIdentifiers(text, options);
  let masked = '';
  let at = 0;
  for (const span of spans) {
    masked += text.slice(at, span.start) + TAGS[span.kind];
    at = span.end;
  }
  masked += text.slice(at);
  return {
    text: masked,
    found: spans.map((s) => ({ kind: reportedKind(s.kind), start: s.start, end: s.end })),
  };
}
