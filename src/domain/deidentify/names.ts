import nlp from 'compromise';
import { GIVEN_NAMES, NOT_NAMES, RELATIONS, TITLES, WORD_NAMES } from './name-words.js';
import { mergeSpans, type Span } from './spans.js';

/**
 * The name step. Evidence, strongest first:
 *  1. the person's own recorded names and their circle's names (always masked, any case);
 *  2. a name after a title ("Mrs Patel"), a relationship ("her son Ravi"), or "called"/"named";
 *     a name before ", my son,";
 *  3. a given name from the project's own list, with a capitalised surname after it;
 *  4. the people the compromise NLP library finds (its part-of-speech tagger and name lexicon),
 *     less the capitalised everyday words it takes for names ("Grace period").
 * Every name found is then masked wherever else it appears in the same text.
 */

/** A capitalised name: Patel, O'Brien, McDonald, Smith-Jones, Siân. */
const TOKEN = "\\p{Lu}\\p{Ll}+(?:['’]?\\p{Lu}\\p{Ll}+)*(?:-\\p{Lu}\\p{Ll}+)*|\\p{Lu}['’]\\p{Lu}\\p{Ll}+";
const TOKEN_AT = new RegExp(`(?:${TOKEN})(?![\\p{L}\\p{N}])`, 'uy');
const CAPITALS_AT = /\p{Lu}{2,}(?:-\p{Lu}{2,})?(?![\p{L}\p{N}])/uy;
const INITIAL_AT = /\p{Lu}\.?(?=\s+\p{Lu})/uy;
const LOWER_AT = /\p{Ll}+(?![\p{L}\p{N}])/uy;
const GAP_AT = /[ \t\u00a0]*(?:[,(][ \t\u00a0]*)?/y;
const SPACE_AT = /[ \t\u00a0]|-(?=p{Lu})/y;

const TITLE_CONTEXT = new RegExp(`(?<![\\p{L}])(?:${TITLES})\\.?(?=[ \\t\\u00a0])`, 'gu');
const RELATION_CONTEXT = new RegExp(
  `(?<![\\p{L}])(?:my|his|her|their|our|your|the|whose)\\s+(?:${RELATIONS})(?:['’]s)?(?:\\s+(?:called|named))?(?=[\\s,(])`,
  'giu',
);
const CALLED_CONTEXT =
  /(?<![\p{L}])(?:called|named|name\s+is|name['’]s|known\s+as|goes\s+by|i['’]m|i\s+am|this\s+is|ask\s+for|asked\s+for|spoke\s+(?:to|with)|speak\s+to|talked\s+to|seen\s+by|visited\s+by)(?=\s)/giu;
const APPOSITION = new RegExp(
  `(${TOKEN})(?=\\s*,\\s*(?:my|his|her|their|our)\\s+(?:${RELATIONS})\\s*[,)]|\\s*\\(\\s*(?:${RELATIONS})\\s*\\))`,
  'gu',
);
const TITLE_WORD = new RegExp(`^(?:${TITLES})$`);
/** "Jack's wedding": an everyday word that is a given name, owning something mid-sentence, is a person. */
const POSSESSIVE_WORD_NAME = new RegExp(`(?<=[\\p{Ll},;] )(${TOKEN})(?=['’]s\\s+\\p{Ll})`, 'gu');
const WORD = new RegExp(`(?<![\\p{L}\\p{N}'’])(?:${TOKEN})(?![\\p{L}\\p{N}])`, 'gu');

/** Verbs that show a capitalised everyday word is acting as a person ("Hope rang", not "Hope is all"). */
const PERSON_VERB =
  /^[ \t]+(?:said|says|told|tells|came|comes|visits|visited|rang|rings|phoned|phones|helps|helped|took|takes|brings|brought|lives|lived|wants|wanted|asked|asks|thinks|thought|knows|went|goes|does|cooks|cooked|drives|drove|popped|pops|stays|stayed|sorted|arranged|called)(?![\p{L}])/u;

/** "St Anne's", "Saint Mary's": a church or hospital, not a person. */
const AFTER_SAINT = /(?:^|[^\p{L}])(?:St|St\.|Saint)[ \t\u00a0]+$/u;
const afterSaint = (text: string, start: number) =>
  AFTER_SAINT.test(text.slice(Math.max(0, start - 8), start));

const isNameWord = (word: string) => !NOT_NAMES.has(word) || WORD_NAMES.has(word);
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

interface ReadOptions {
  /** After a title: "Mr J Smith", "Mrs PATEL". */
  initials?: boolean;
  /** After a relationship word: "my son ravi", if ravi is a given name. */
  lowerGiven?: boolean;
  /** Everyday words that are given names ("her daughter Grace") count here. */
  wordNames: boolean;
}

/** Reads a name (up to three words) starting at `from`, after any spaces, comma or bracket. */
function nameAt(text: string, from: number, options: ReadOptions): Span<'name'> | null {
  GAP_AT.lastIndex = from;
  let pos = from + (GAP_AT.exec(text)?.[0].length ?? 0);
  const start = pos;
  const accept = (word: string) => (options.wordNames ? isNameWord(word) : !NOT_NAMES.has(word));
  if (options.initials) {
    INITIAL_AT.lastIndex = pos;
    const initial = INITIAL_AT.exec(text);
    if (initial)
      pos += initial[0].length + (/^\s+/.exec(text.slice(pos + initial[0].length))?.[0].length ?? 0);
  }
  let end = -1;
  for (let count = 0; count < 3; count++) {
    TOKEN_AT.lastIndex = pos;
    const token = TOKEN_AT.exec(text);
    CAPITALS_AT.lastIndex = pos;
    const capitals = options.initials && !token ? CAPITALS_AT.exec(text) : null;
    const word = token?.[0] ?? capitals?.[0];
    if (!word || !accept(word)) break;
    end = pos + word.length;
    SPACE_AT.lastIndex = end;
    if (!SPACE_AT.exec(text)) break;
    pos = end + 1;
  }
  if (end < 0 && options.initials) {
    // "Mrs P" on its own: the initial is the name.
    const bare = /\p{Lu}(?![\p{L}\p{N}])/uy;
    bare.lastIndex = start;
    if (bare.exec(text)) end = start + 1;
  }
  if (end < 0 && options.lowerGiven) {
    LOWER_AT.lastIndex = start;
    const lower = LOWER_AT.exec(text);
    if (lower && GIVEN_NAMES.has(capitalised(lower[0]))) end = start + lower[0].length;
  }
  return end > start ? { kind: 'name', start, end } : null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The parts of recorded names worth masking: each word of two or more letters that is not a title. */
function knownNameParts(knownNames: readonly string[]): string[] {
  const titles = new Set(TITLES.toLowerCase().split('|'));
  const parts = new Set<string>();
  for (const name of knownNames) {
    for (const raw of name.split(/[\s,]+/)) {
      const part = raw.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
      if ([...part].length < 2 || titles.has(part.toLowerCase())) continue;
      parts.add(part);
      for (const piece of part.split('-')) if ([...piece].length >= 2) parts.add(piece);
    }
  }
  // Longest first, so "Smith-Jones" is masked whole rather than in pieces.
  return [...parts].sort((a, b) => b.length - a.length);
}

function findKnownNames(text: string, knownNames: readonly string[]): Span<'name'>[] {
  const parts = knownNameParts(knownNames);
  if (parts.length === 0) return [];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${parts.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  return [...text.matchAll(pattern)].map((m) => ({
    kind: 'name',
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function findInContext(text: string): Span<'name'>[] {
  const spans: Span<'name'>[] = [];
  const add = (span: Span<'name'> | null) => {
    if (span) spans.push(span);
  };
  for (const m of text.matchAll(TITLE_CONTEXT)) {
    add(nameAt(text, m.index + m[0].length, { initials: true, wordNames: true }));
  }
  for (const m of text.matchAll(RELATION_CONTEXT)) {
    add(nameAt(text, m.index + m[0].length, { lowerGiven: true, wordNames: true }));
  }
  for (const m of text.matchAll(CALLED_CONTEXT))
    add(nameAt(text, m.index + m[0].length, { wordNames: true }));
  for (const m of text.matchAll(POSSESSIVE_WORD_NAME)) {
    if (WORD_NAMES.has(m[0])) spans.push({ kind: 'name', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(APPOSITION)) {
    if (isNameWord(m[0])) spans.push({ kind: 'name', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** Given names from the list, with the capitalised words after them taken as surnames. */
function findGivenNames(text: string): Span<'name'>[] {
  const spans: Span<'name'>[] = [];
  for (const m of text.matchAll(WORD)) {
    if (!GIVEN_NAMES.has(m[0]) || afterSaint(text, m.index)) continue;
    const name = nameAt(text, m.index, { wordNames: false });
    if (name) spans.push(name);
  }
  return spans;
}

/**
 * compromise's tagger finds people from the names and titles in its lexicon and the words around
 * them; with none of those in the text it finds no one. Looking the words up first spares the
 * tagger (most of the step's time) on the many statements that name nobody. If a later version
 * of compromise stores its lexicon elsewhere, every text goes to the tagger.
 */
const NLP_NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'Honorific']);
const nlpLexicon = lexiconOf(nlp.world());

function lexiconOf(world: unknown): ReadonlyMap<string, readonly string[]> | null {
  const lexicon = (world as { model?: { one?: { lexicon?: unknown } } } | null)?.model?.one?.lexicon;
  if (!lexicon || typeof lexicon !== 'object') return null;
  const names = new Map<string, readonly string[]>();
  for (const [word, tags] of Object.entries(lexicon)) {
    const list = (Array.isArray(tags) ? tags : [tags]).filter((t): t is string => typeof t === 'string');
    if (list.some((t) => NLP_NAME_TAGS.has(t))) names.set(word, list);
  }
  return names.size > 0 ? names : null;
}

function mayNameSomeone(text: string): boolean {
  if (!nlpLexicon) return true;
  for (const m of text.matchAll(/\p{L}+/gu)) if (nlpLexicon.has(m[0].toLowerCase())) return true;
  return false;
}

/** compromise's people, each cut to its capitalised name words; everyday words need a person's verb. */
function findPeopleByNlp(text: string): Span<'name'>[] {
  const spans: Span<'name'>[] = [];
  if (!mayNameSomeone(text)) return spans;
  const people = nlp(text).people().out('offset') as {
    text: string;
    offset: { start: number; length: number };
  }[];
  for (const person of people) {
    const { start, length } = person.offset;
    const found = text.slice(start, start + length);
    const words = [...found.matchAll(WORD)]
      .map((m) => ({ word: m[0], start: start + m.index, end: start + m.index + m[0].length }))
      .filter((w) => !NOT_NAMES.has(w.word) && !TITLE_WORD.test(w.word) && !afterSaint(text, w.start));
    // An everyday word alone ("Hope") needs a person's verb after it; beside a surname ("Bob
    // Marley") it is a name.
    const plainName = words.some((w) => !WORD_NAMES.has(w.word));
    for (const w of words) {
      if (!plainName && !PERSON_VERB.test(text.slice(w.end, w.end + 20))) continue;
      spans.push({ kind: 'name', start: w.start, end: w.end });
    }
  }
  return spans;
}

/** Each name found once is masked wherever else it is written the same way in the text. */
function everyMention(text: string, spans: readonly Span<'name'>[]): Span<'name'>[] {
  const names = new Set<string>();
  for (const span of spans) {
    for (const m of text.slice(span.start, span.end).matchAll(WORD)) names.add(m[0]);
  }
  if (names.size === 0) return [];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${[...names]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|')})(?![\\p{L}\\p{N}])`,
    'gu',
  );
  return [...text.matchAll(pattern)].map((m) => ({
    kind: 'name',
    start: m.index,
    end: m.index + m[0].length,
  }));
}

export function findNames(text: string, knownNames: readonly string[] = []): Span<'name'>[] {
  const found = [...findInContext(text), ...findGivenNames(text), ...findPeopleByNlp(text)];
  return mergeSpans([...findKnownNames(text, knownNames), ...found, ...everyMention(text, found)], text);
}
