import { describe, expect, it } from 'vitest';
import {
  bigramHash,
  featureHash,
  HASH_BITS,
  lexiconEntryHash,
  stem,
  textFeatures,
  tokenise,
  unigramHash,
} from './text-features.js';

describe('tokenise', () => {
  it('lower-cases, opens contractions and marks clause breaks', () => {
    expect(tokenise("The nurse wasn't kind. Can't complain!")).toEqual([
      'the',
      'nurse',
      'was',
      'not',
      'kind',
      null,
      'can',
      'not',
      'complain',
      null,
    ]);
  });

  it('keeps words with curly apostrophes and drops possessives', () => {
    expect(tokenise('My mum’s ward didn’t')).toEqual(['my', 'mum', 'ward', 'did', 'not']);
  });
});

describe('stem', () => {
  it('is the Porter stem', () => {
    expect(stem('waiting')).toBe('wait');
    expect(stem('waited')).toBe('wait');
    expect(stem('caring')).toBe('care');
  });
});

describe('textFeatures', () => {
  it('gives stemmed words without stopwords and pairs that do not cross a clause break', () => {
    const features = textFeatures('Waiting, waited. The wait');
    const byHash = new Map(features.map((f) => [f.hash, f]));
    expect(byHash.get(unigramHash('wait'))?.count).toBe(3);
    expect(byHash.get(unigramHash('wait'))?.surface).toBe('waiting');
    expect(byHash.has(unigramHash('the'))).toBe(false);
    expect(byHash.get(bigramHash('the', 'wait'))?.surface).toBe('the wait');
    expect(byHash.has(bigramHash('wait', 'wait'))).toBe(false);
  });

  it('hashes within the feature space, the same way every time', () => {
    expect(featureHash('u wait')).toBe(featureHash('u wait'));
    for (const f of textFeatures('Anything at all, with words and numbers 123')) {
      expect(f.hash).toBeGreaterThanOrEqual(0);
      expect(f.hash).toBeLessThan(2 ** HASH_BITS);
    }
  });

  it('hashes a lexicon entry as text hashes the same words', () => {
    expect(lexiconEntryHash('Waiting')).toBe(unigramHash('wait'));
    expect(lexiconEntryHash('call bell')).toBe(bigramHash(stem('call'), stem('bell')));
    expect(() => lexiconEntryHash('far too long')).toThrow(/one or two words/);
  });
});

describe('feature hashes', () => {
  it('hash a word or pair as the feature string would hash', () => {
    expect(unigramHash('wait')).toBe(featureHash('u wait'));
    expect(bigramHash('call', 'bell')).toBe(featureHash('b call bell'));
  });

  it('open contractions with or without the apostrophe', () => {
    expect(tokenise("didnt won't aint couldn't")).toEqual([
      'did',
      'not',
      'will',
      'not',
      'is',
      'not',
      'could',
      'not',
    ]);
  });
});
