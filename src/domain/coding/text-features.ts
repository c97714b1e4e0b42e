// The Porter stemmer of `stemmer` (wooorm, 2.0.1: ESM, typed, no dependencies, runs on Node 20):
// a small, well-kept implementation of the published algorithm, rather than our own copy of it.
// `natural` would bring a large dependency tree for one function; `compromise` (already here) is
// a full parser, far too slow for 10,000 comments a second.
import { stemmer } from 'stemmer';

/** One feature of a text: a stemmed word or an adjacent pair, hashed, with the words it came from. */
export interface TextFeature {
  /** FNV-1a hash of the feature string, within `HASH_BITS`. */
  hash: number;
  count: number;
  /** The words in the text that made it (the first occurrence), for explanations. */
  surface: string;
}

/** Feature hashes fall in 2^HASH_BITS buckets: the model stores hashes, never the words themselves. */
export const HASH_BITS = 22;
const HASH_MASK = (1 << HASH_BITS) - 1;

/** Common words that carry no theme on their own (kept in word pairs, where "not" and "no" matter). */
const STOPWORDS = new Set(
  'a an the and or but of to in on at for with by from as is was were be been being am are it its this that these those i me my we our us you your he she his her him they them their there here so very just then than too also had has have do did does will would could should can may might into about up out over all any some'.split(
    ' ',
  ),
);

/** Negative contractions, with or without the apostrophe ("can't", "didnt"), opened to "… not". */
const CONTRACTION =
  /\b(ca|wo|ai|did|does|do|was|were|is|are|has|have|had|could|would|should)n'?t\b|\bcannot\b|n't\b/g;
const BASE: Record<string, string> = { ca: 'can', wo: 'will', ai: 'is' };
const opened = (match: string, word: string | undefined) =>
  word !== undefined ? `${BASE[word] ?? word} not` : match === 'cannot' ? 'can not' : ' not';

const STEM_CACHE = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/** The Porter stem of a lower-case word, memoised (the cache changes speed, never results). */
export function stem(word: string): string {
  let stemmed = STEM_CACHE.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    if (STEM_CACHE.size >= STEM_CACHE_LIMIT) STEM_CACHE.clear();
    STEM_CACHE.set(word, stemmed);
  }
  return stemmed;
}

/**
 * Words of a text in order, lower case, contractions opened ("wasn't" → "was not"), with `null` at
 * sentence and clause breaks so that word pairs do not straddle them.
 */
export function tokenise(text: string): (string | null)[] {
  let lower = text.toLowerCase();
  if (lower.includes('\u2019') || lower.includes('\u2018')) lower = lower.replace(/[\u2018\u2019]/g, "'");
  if (lower.includes('nt') || lower.includes("n't")) lower = lower.replace(CONTRACTION, opened);
  const tokens: (string | null)[] = [];
  for (const match of lower.matchAll(/[a-z0-9]+(?:'[a-z]+)?|[.!?;:,()\n]/g)) {
    const token = match[0];
    const first = token.charCodeAt(0);
    const isWord = (first >= 97 && first <= 122) || (first >= 48 && first <= 57);
    if (!isWord) {
      if (tokens.length > 0 && tokens[tokens.length - 1] !== null) tokens.push(null);
    } else tokens.push(token.includes("'") ? token.replace(/'s$|'/g, '') : token);
  }
  return tokens;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(h: number, text: string): number {
  let hash = h;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** FNV-1a over a string's UTF-16 code units, masked to the feature space. */
export function featureHash(feature: string): number {
  return (fnv(FNV_OFFSET, feature) >>> 0) & HASH_MASK;
}

const UNIGRAM = fnv(FNV_OFFSET, 'u ');
const BIGRAM = fnv(FNV_OFFSET, 'b ');
const SPACE = 32;

/** The hash of a stemmed word, as `featureHash("u " + word)`, without building the string. */
export const unigramHash = (stemmed: string) => (fnv(UNIGRAM, stemmed) >>> 0) & HASH_MASK;
/** The hash of a stemmed word pair, as `featureHash("b " + first + " " + second)`. */
export const bigramHash = (first: string, second: string) =>
  (fnv(Math.imul(fnv(BIGRAM, first) ^ SPACE, FNV_PRIME), second) >>> 0) & HASH_MASK;

/**
 * The features of a text: stemmed words (without stopwords) and stemmed adjacent pairs (with them),
 * each with its count and the words it came from. Hash collisions merge features, as in any hashed
 * model; with 2^22 buckets they are rare.
 */
export function textFeatures(text: string): TextFeature[] {
  const tokens = tokenise(text);
  const features = new Map<number, TextFeature>();
  const add = (hash: number, first: string, second: string | null) => {
    const found = features.get(hash);
    if (found) found.count++;
    else features.set(hash, { hash, count: 1, surface: second === null ? first : `${first} ${second}` });
  };
  let previous: string | null = null;
  let previousWord = '';
  for (const token of tokens) {
    if (token === null) {
      previous = null;
      continue;
    }
    const stemmed = stem(token);
    if (!STOPWORDS.has(token)) add(unigramHash(stemmed), token, null);
    if (previous !== null) add(bigramHash(previous, stemmed), previousWord, token);
    previous = stemmed;
    previousWord = token;
  }
  return [...features.values()];
}

/** The feature hash of a lexicon entry of one or two words, stemmed as text is. */
export function lexiconEntryHash(entry: string): number {
  const words = tokenise(entry).filter((t): t is string => t !== null);
  const [first, second] = words.map(stem);
  if (words.length === 1 && first !== undefined) return unigramHash(first);
  if (words.length === 2 && first !== undefined && second !== undefined) return bigramHash(first, second);
  throw new Error(`a lexicon entry is one or two words: "${entry}"`);
}
