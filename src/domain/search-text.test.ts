import { describe, expect, it } from 'vitest';
import { foldForSearch, SEARCH_FOLD_FROM, SEARCH_FOLD_TO } from './search-text.js';

describe('foldForSearch', () => {
  it('takes accents off Latin letters and lower-cases, so plain typing finds accented names', () => {
    expect(foldForSearch('Ñúñez')).toBe('nunez');
    expect(foldForSearch('Zoë Brontë')).toBe('zoe bronte');
    expect(foldForSearch('Łukasz Wałęsa')).toBe('lukasz walesa');
    expect(foldForSearch('Siân Ó Súilleabháin')).toBe('sian o suilleabhain');
    expect(foldForSearch("O'Brien-Smith")).toBe("o'brien-smith");
  });

  it('maps letter for letter, each accented letter to a plain one', () => {
    expect([...SEARCH_FOLD_FROM]).toHaveLength([...SEARCH_FOLD_TO].length);
    expect(SEARCH_FOLD_TO).toMatch(/^[a-z]+$/);
    expect(new Set(SEARCH_FOLD_FROM).size).toBe([...SEARCH_FOLD_FROM].length);
  });
});
