import { describe, expect, it } from 'vitest';
import { resultPages } from './search-pages.js';

const answer = (count: number, page: number, shown: number) => ({
  count,
  page,
  pageSize: 20,
  results: Array.from({ length: shown }, () => ({ resource: {} as never, distanceMiles: null })),
});

describe('the pages of a search’s results', () => {
  it('links the page before and after, keeping the search and what it is for, the first page without a number', () => {
    const pages = resultPages(
      '/people/p/community-support/find',
      { need: 'money-debt', goalId: 'g', words: '' },
      answer(43, 2, 20),
    );
    expect(pages).toEqual({
      pageNumber: 2,
      shown: { first: 21, last: 40 },
      previous: '/people/p/community-support/find?need=money-debt&goalId=g',
      next: '/people/p/community-support/find?need=money-debt&goalId=g&page=3',
    });
  });

  it('has no page after the last, none before the first, and shows nothing past the end', () => {
    expect(resultPages('/community', {}, answer(43, 3, 3))).toMatchObject({
      shown: { first: 41, last: 43 },
      next: null,
      previous: '/community?page=2',
    });
    expect(resultPages('/community', {}, answer(20, 1, 20))).toMatchObject({ previous: null, next: null });
    expect(resultPages('/community', {}, answer(43, 9, 0)).shown).toBeNull();
  });
});
