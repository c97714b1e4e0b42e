import { isPostcode } from '../postcode.js';
import { mergeSpans, type Span } from './spans.js';

/**
 * Rules for the identifiers that have a fixed UK shape: NHS numbers, telephone numbers, email
 * addresses, postcodes, postal addresses, dates of birth (after a cue such as "born" or "DOB")
 * and exact ages of 90 or over. Each rule returns spans in the original text; the combiner
 * (deidentify.ts) settles overlaps.
 */

// --- NHS numbers and telephone numbers ----------------------------------------------------------

/**
 * A run of digit groups as people write numbers: groups joined by single spaces, hyphens, dots or
 * brackets, optionally opened by "+" or "(". Slashes end a run, so dates (03/04/1950) never join.
 */
const DIGIT_RUN = /(?<![\p{L}\p{N}/])\+?[ \u00a0]?\(?\d[\d \u00a0().\-–]*\d\)?(?![\p{L}\p{N}/])/gu;
const DIGIT_GROUP = /\d+/g;

type NumberKind = 'nhs-number' | 'phone';

/**
 * Which identifier a string of digits is. UK numbers are 10 or 11 digits starting 0 (Ofcom's
 * National Telephone Numbering Plan); written internationally they start 44 after "+" or "00",
 * sometimes with the trunk 0 kept in brackets. Any other ten digits are treated as an NHS number
 * whether or not the Modulus 11 check digit passes: a mistyped NHS number still points at a
 * person, and ten digits in a care note are almost never anything harmless, so recall comes first.
 */
function classifyDigits(digits: string, international: boolean): NumberKind | null {
  if (international) {
    if (digits.startsWith('44')) {
      const national = digits.slice(2).replace(/^0/, '');
      return national.length === 9 || national.length === 10 ? 'phone' : null;
    }
    return digits.length >= 8 && digits.length <= 15 ? 'phone' : null;
  }
  if (digits.startsWith('00')) return classifyDigits(digits.slice(2), true);
  if (digits.startsWith('0')) return digits.length === 10 || digits.length === 11 ? 'phone' : null;
  return digits.length === 10 ? 'nhs-number' : null;
}

/**
 * NHS numbers and telephone numbers. A run may hold more than one number, or a number next to an
 * unrelated figure ("room 12 07700 900123"), so windows of whole digit groups are tried, longest
 * first, from each group in turn.
 */
export function findNumbers(text: string): Span<NumberKind>[] {
  const spans: Span<NumberKind>[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const runStart = run.index;
    const groups = [...run[0].matchAll(DIGIT_GROUP)].map((g) => ({
      start: runStart + g.index,
      end: runStart + g.index + g[0].length,
      digits: g[0],
      used: false,
    }));
    // Telephone numbers first: their leading 0 or + marks where they begin, so "room 12 07700 900
    // 321" is a room and a phone number, not ten digits from "12" on.
    for (const wanted of ['phone', 'nhs-number'] as const) {
      let i = 0;
      while (i < groups.length) {
        const first = groups[i];
        if (!first || first.used) {
          i++;
          continue;
        }
        // "+44 7700…" or "+44 (0)20…": the plus sign sits just before the first group.
        const plus = /\+[ \u00a0(]*$/.test(text.slice(Math.max(runStart, first.start - 3), first.start));
        let matched = false;
        for (let j = groups.length - 1; j >= i && !matched; j--) {
          const window = groups.slice(i, j + 1);
          const last = window[window.length - 1];
          if (!last || window.some((g) => g.used)) continue;
          // People group a number in threes and fours, or pairs, with at most a lone "(0)";
          // "1 2 3 4 5 6 7 8 9 10" is a list.
          if (window.length > 4 && window.filter((g) => g.digits.length < 2).length > 1) continue;
          if (classifyDigits(window.map((g) => g.digits).join(''), plus) !== wanted) continue;
          const start = plus ? text.lastIndexOf('+', first.start) : bracketStart(text, first.start, runStart);
          spans.push({ kind: wanted, start, end: closingBracket(text, last.end, start) });
          for (const g of window) g.used = true;
          i = j + 1;
          matched = true;
        }
        if (!matched) i++;
      }
    }
  }
  return spans;
}

/** "(0113) 496 0000": the opening bracket belongs to the number. */
const bracketStart = (text: string, start: number, floor: number) =>
  start > floor && text[start - 1] === '(' ? start - 1 : start;

/** Keeps a closing bracket only when the number opened one, so "(call 0113…)" stays balanced. */
function closingBracket(text: string, end: number, start: number): number {
  if (text[end] !== ')') return end;
  const inside = text.slice(start, end);
  return (inside.match(/\(/g)?.length ?? 0) > (inside.match(/\)/g)?.length ?? 0) ? end + 1 : end;
}

// --- email ---------------------------------------------------------------------------------------

/** The everyday shape of an address (RFC 5322's dot-atom form) and its spoken form "x at y dot com". */
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const SPOKEN_EMAIL =
  /(?<![\p{L}\p{N}])[\p{L}\p{N}._-]+ ?(?:\(at\)|\[at\]| at ) ?[\p{L}\p{N}-]+(?: ?(?:\(dot\)|\[dot\]| dot ) ?[\p{L}\p{N}-]+)+(?![\p{L}\p{N}])/giu;
const SPOKEN_DOT_END = /(?:\(dot\)|\[dot\]| dot ) ?(?:com|org|net|uk|co|gov|nhs|ac)$/i;

export function findEmails(text: string): Span<'email'>[] {
  const spans: Span<'email'>[] = [];
  for (const m of text.matchAll(EMAIL))
    spans.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  // The spoken form is kept only when it ends in a mail domain, so "look at this dot" is left alone.
  for (const m of text.matchAll(SPOKEN_EMAIL)) {
    if (SPOKEN_DOT_END.test(m[0])) spans.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

// --- postcodes -----------------------------------------------------------------------------------

const POSTCODE_CANDIDATE =
  /(?<![\p{L}\p{N}])[A-Za-z]{1,2}\d[A-Za-z\d]?[ \u00a0]{0,2}\d[A-Za-z]{2}(?![\p{L}\p{N}])/gu;

/**
 * The letters each position may hold (Royal Mail Programmer's Guide to the Postcode Address File;
 * the same rules are in the UK Government Data Standards Catalogue's postcode standard): area
 * letters never Q, V or X first nor I, J or Z second; a trailing district letter from a short list;
 * the inward code's letters never C, I, K, M, O or V. These keep "x2 1mg" and "wk1 2pm" out.
 */
const OUTWARD = /^(?:[A-PR-UWYZ]\d[\dA-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y]\d[\dABEHMNPRV-Y]?)$/;
const INWARD = /^\d[ABD-HJLNP-UW-Z]{2}$/;

export function findPostcodes(text: string): Span<'postcode'>[] {
  const spans: Span<'postcode'>[] = [];
  for (const m of text.matchAll(POSTCODE_CANDIDATE)) {
    const compact = m[0].replace(/\s+/g, '').toUpperCase();
    if (!isPostcode(compact)) continue;
    if (!OUTWARD.test(compact.slice(0, -3)) || !INWARD.test(compact.slice(-3))) continue;
    spans.push({ kind: 'postcode', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

// --- postal addresses ----------------------------------------------------------------------------

/** A month's name: "at 10 May" is a date, not an address. */
const MONTH_NAMES =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?![\\p{L}])';
/** Street words that name a street even without a house number ("she lives on Holly Road"). */
const STREET_TYPES =
  'Road|Rd|Street|Avenue|Ave|Lane|Close|Drive|Crescent|Cres|Grove|Terrace|Gardens|Gdns|Mews|Boulevard';
/** Words that are streets only after a house or flat number: alone they are parks, hills, courts. */
const NUMBERED_STREET_TYPES =
  'St|Ln|Dr|Cl|Way|Court|Ct|Place|Pl|Park|Hill|Row|Square|Sq|Walk|Rise|Green|Parade|Vale|Gate|View|Mount|Fold|Croft|Meadows?|Chase|Wharf|Yard|Bank|Broadway|House|Lodge|Heights|Villas|Cottages|Estate|Towers?|Buildings';
const NAME_WORD = "\\p{Lu}[\\p{Ll}'’]+(?:-\\p{Lu}?[\\p{Ll}]+)?";
const LOWER_WORD = "[\\p{Ll}][\\p{Ll}'’]+";
const NUMBER = '\\d{1,4}[A-Za-z]?(?:[-–]\\d{1,4}[A-Za-z]?)?';
// Not "room": a hospital or care-home room number is no postal address.
const FLAT = `(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt\\.?|[Uu]nit)\\s+${NUMBER}`;
/** "No. 4 Orchard Drive". */
const HOUSE_NUMBER = `(?:(?:[Nn]o\\.?|[Nn]umber)\\s*)?${NUMBER}`;
const TOWN = `(?:,\\s*${NAME_WORD}(?:[ -]${NAME_WORD}){0,2}(?=\\s*(?:$|[,.;:)]|\\s+[A-Za-z]{1,2}\\d|\\s+\\p{Ll})))`;

const flags = 'gu';
/** Flat, then an optional building name, then an optional numbered street, then a town. */
const FLAT_ADDRESS = new RegExp(
  `${FLAT}(?:,?\\s+(?:${NAME_WORD}\\s+){1,3}(?:${STREET_TYPES}|${NUMBERED_STREET_TYPES})\\b)?(?:,?\\s+${NUMBER},?\\s+(?:(?:${NAME_WORD}\\s+){1,3}|(?:${LOWER_WORD}\\s+){1,2})(?:${STREET_TYPES}|${NUMBERED_STREET_TYPES}|${STREET_TYPES.toLowerCase()}|${NUMBERED_STREET_TYPES.toLowerCase()})\\b)?${TOWN}?`,
  flags,
);
const NUMBERED_ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}])${HOUSE_NUMBER},?\\s+(?:(?:[Tt]he\\s+)?(?:${NAME_WORD}\\s+){1,3}(?:${STREET_TYPES}|${NUMBERED_STREET_TYPES})|(?:${LOWER_WORD}\\s+){1,2}(?:${STREET_TYPES.toLowerCase()}|${NUMBERED_STREET_TYPES.toLowerCase()}))\\b\\.?${TOWN}?`,
  flags,
);
/** "2 the Mews", "5 The Green": a street with no name but its kind. */
const THE_STREET = new RegExp(
  `(?<![\\p{L}\\p{N}])${HOUSE_NUMBER},?\\s+[Tt]he\\s+(?:${STREET_TYPES}|${NUMBERED_STREET_TYPES})\\b${TOWN}?`,
  flags,
);
/**
 * After "lives at" or "address", a house number and capitalised words are an address even when
 * the street's name has no street word ("lives at 27 Mount Pleasant"); months stay dates.
 */
const CUED_ADDRESS = new RegExp(
  `(?<=(?:[Ll]ives?|[Ll]iving|[Ll]ived|[Ss]tays?|[Ss]taying)\\s+(?:at|in)\\s+|[Aa]ddress(?:\\s+is)?:?\\s+|[Mm]oved\\s+(?:to|from)\\s+|[Ff]rom\\s+|[Vv]isit(?:ed)?\\s+at\\s+)${HOUSE_NUMBER},?\\s+(?!${MONTH_NAMES})(?:${NAME_WORD})(?:\\s+${NAME_WORD}){0,2}${TOWN}?`,
  flags,
);
const NAMED_STREET = new RegExp(`(?:${NAME_WORD}\\s+){1,3}(?:${STREET_TYPES})\\b${TOWN}?`, flags);

/** Lower-case words that can sit between a number and "road" without naming a street. */
const NOT_STREET_WORDS = new Set(
  `the a an to on in at of up down along across over my her his our their your this that same main back other
  next and or but not cannot can can't will would could should may might must is was are were be been has had
  have do does did go goes went get got times days weeks months years hours minutes miles steps yards metres
  for from with into onto by off out round around about`.split(/\s+/),
);
/** A street in every town, so naming it does not point at anyone's home. */
const GENERIC_STREETS = /^(?:the\s+)?(?:High|Main)\s+(?:Street|Road)\b/;
/** Capitalised words that begin a sentence or a phrase, never a street name ("Walked down Hill Lane"). */
const NOT_STREET_NAMES = new Set([
  'The',
  'A',
  'On',
  'In',
  'At',
  'To',
  'My',
  'Her',
  'His',
  'Our',
  'Their',
  'Down',
  'Up',
  'Along',
]);

export function findAddresses(text: string): Span<'address'>[] {
  const spans: Span<'address'>[] = [];
  for (const pattern of [FLAT_ADDRESS, NUMBERED_ADDRESS, THE_STREET, CUED_ADDRESS]) {
    for (const m of text.matchAll(pattern)) {
      // The words after the house number, which in lower case must look like a street's name.
      const words =
        m[0].replace(/^(?:[Nn]o\.?|[Nn]umber)?\s*[\d\p{L}]*\d[\p{L}]?/u, '').match(/\p{L}[\p{L}'’]*/gu) ?? [];
      if (
        pattern === NUMBERED_ADDRESS &&
        words.slice(0, 3).some((w) => NOT_STREET_WORDS.has(w) && w !== 'the')
      )
        continue;
      spans.push({ kind: 'address', start: m.index, end: m.index + trimEnd(m[0]).length });
    }
  }
  for (const m of text.matchAll(NAMED_STREET)) {
    let start = m.index;
    let match = m[0];
    // Drop leading words such as "Down" or "The" that the capitalised-word run swallowed.
    for (;;) {
      const first = /^(\p{L}[\p{L}'’-]*)\s+/u.exec(match);
      if (!first?.[1] || !NOT_STREET_NAMES.has(first[1])) break;
      start += first[0].length;
      match = match.slice(first[0].length);
    }
    if (!/^\p{Lu}[\p{L}'’-]*\s+\p{L}/u.test(match) || GENERIC_STREETS.test(match)) continue;
    spans.push({ kind: 'address', start, end: start + trimEnd(match).length });
  }
  return spans;
}

const trimEnd = (s: string) => s.replace(/[\s,.]+$/u, '');

// --- dates of birth and ages over 90 -------------------------------------------------------------

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const ORDINAL = '\\d{1,2}(?:st|nd|rd|th)?';
const DATE = new RegExp(
  [
    '\\d{4}-\\d{1,2}-\\d{1,2}',
    '\\d{1,2}[/.\\-]\\d{1,2}[/.\\-](?:\\d{4}|\\d{2})',
    `(?:the\\s+)?${ORDINAL}\\s+(?:of\\s+)?${MONTH},?\\s+(?:\\d{4}|'\\d{2})`,
    `${MONTH}\\s+${ORDINAL},?\\s+\\d{4}`,
    `${MONTH},?\\s+\\d{4}`,
    `(?:the\\s+)?${ORDINAL}\\s+(?:of\\s+)?${MONTH}`,
    `${MONTH}\\s+${ORDINAL}`,
    '(?:19|20)\\d{2}',
  ]
    .map((p) => `(?:${p})`)
    .join('|')
    .replace(/^/, '(?<![\\p{L}\\p{N}])(?:')
    .concat(')(?![\\p{L}\\p{N}/])'),
  'iu',
);

/** Words that introduce a date of birth; the date may follow a few words later ("born in Leeds on …"). */
const BIRTH_CUE =
  /(?<![\p{L}])(?:born|b\.(?=\s*\d)|d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s?date|birthday|bday)(?![\p{L}])/giu;
/** How far after a cue the date may start, without crossing the end of a sentence. */
const CUE_REACH = 45;

export function findDatesOfBirth(text: string): Span<'date-of-birth'>[] {
  const spans: Span<'date-of-birth'>[] = [];
  for (const cue of text.matchAll(BIRTH_CUE)) {
    const from = cue.index + cue[0].length;
    const window = text.slice(from, from + CUE_REACH + 40);
    const m = DATE.exec(window);
    if (!m || m.index > CUE_REACH) continue;
    const between = window.slice(0, m.index);
    if (/[!?;\n]|\.\s+\p{Lu}/u.test(between)) continue;
    // A full stop after a month ("born 12 March.") ends the sentence, not an abbreviation.
    const date = m[0].replace(/\.$/, '');
    spans.push({ kind: 'date-of-birth', start: from + m.index, end: from + m.index + date.length });
  }
  return spans;
}

/**
 * Exact ages of 90 or over: in the HIPAA Safe Harbor standard (45 CFR 164.514(b)(2)(i)(C)) ages
 * over 89 are identifiers because so few people reach them; ages under 90 are left as written.
 * Only the number is replaced ("aged [age 90 or over]"). An age needs a cue that makes it an age,
 * so "sats 94%" or "weight is 92 kg" stay.
 */
const AGE_PATTERNS = [
  /(?<![\p{L}])(?:aged?|age:|ages)\s+(\d{2,3})(?![\p{N}])/giu,
  /(?<![\p{N}])(\d{2,3})(?:\s*|-)(?:years?|yrs?)(?:\s*|-)old(?![\p{L}])/giu,
  /(?<![\p{N}])(\d{2,3})\s*(?:years?|yrs?)\s+of\s+age(?![\p{L}])/giu,
  /(?<![\p{N}])(\d{2,3})\s?(?:yo|y\/o)(?![\p{L}])/giu,
  /(?<![\p{L}])(?:turned|turning|turns|reached|reaches|celebrated|celebrating)\s+(?:the\s+)?(?:age\s+of\s+)?(\d{2,3})(?![\p{N}])/giu,
  /(?<![\p{L}])(?:i|he|she|they|mum|mom|dad|mother|father|nan|nana|gran|granny|grandma|grandad|grandfather|grandmother|husband|wife|partner|aunt|auntie|uncle|who)(?:\s+is|\s+was|\s+am|['’]s|['’]m|\s+will\s+be|\s+is\s+now|\s+has\s+just\s+turned)\s+(\d{2,3})(?![\p{N}.,]?\d)(?!\s*(?:%|per\b|kg|mg|ml|mmol|bpm|points?|percent|out\s+of|\/))/giu,
  /(?<![\p{N}])(\d{2,3}(?:st|nd|rd|th))\s+birthday/giu,
  // "George is 92": a capitalised word (a name, most often) before "is" and a bare number.
  /(?<=\p{Lu}\p{Ll}+\s+(?:is|was|turned|turns|will\s+be)\s+)(\d{2,3})(?![\p{N}.,]?\d)(?!\s*(?:%|per\b|kg|mg|ml|mmol|bpm|points?|percent|out\s+of|miles|minutes|mins|hours|pounds|pence|p\b|[a-z]{1,3}\b(?<!and|now|on|in|at|so)|\/))/gu,
];

export function findAgesOver90(text: string): Span<'age-over-90'>[] {
  const spans: Span<'age-over-90'>[] = [];
  for (const pattern of AGE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const number = m[1];
      if (!number) continue;
      const age = Number.parseInt(number, 10);
      if (age < 90 || age > 130) continue;
      const start = m.index + m[0].indexOf(number);
      spans.push({ kind: 'age-over-90', start, end: start + number.length });
    }
  }
  // Several patterns can find the same age ("she is 93 years old").
  return mergeSpans(spans, text);
}
