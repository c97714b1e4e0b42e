import { describe, expect, it } from 'vitest';
import { IDEAL_LENGTH, MAX_LENGTH, representativeQuotes } from './representative-quotes.js';

const text = (length: number, seed = 'a') => seed.repeat(length);

describe('representative quotes', () => {
  it('takes one quote per domain before a second from any, the busiest domain first', () => {
    const quotes = representativeQuotes(
      [
        { personId: 'p1', text: 'Getting out to the shops again on my own', domainCodes: ['independence'] },
        { personId: 'p2', text: 'Seeing my grandchildren every weekend now', domainCodes: ['relationships'] },
        {
          personId: 'p3',
          text: 'Walking to the park without stopping to rest',
          domainCodes: ['independence'],
        },
        { personId: 'p4', text: 'Being able to cook my own meals most days', domainCodes: ['independence'] },
      ],
      2,
    );
    expect(quotes.map((q) => q.domainCodes[0])).toEqual(['independence', 'relationships']);
  });

  it('quotes each person at most once', () => {
    const quotes = representativeQuotes(
      [
        { personId: 'p1', text: 'Getting out to the shops again on my own', domainCodes: ['a'] },
        { personId: 'p1', text: 'Seeing my grandchildren every weekend now', domainCodes: ['b'] },
        { personId: 'p2', text: 'Walking to the park without stopping to rest', domainCodes: ['b'] },
      ],
      5,
    );
    expect(quotes.map((q) => q.personId).sort()).toEqual(['p1', 'p2']);
  });

  it('leaves out texts too short or too long to quote, and prefers lengths near the ideal', () => {
    const quotes = representativeQuotes(
      [
        { personId: 'p1', text: 'Fine', domainCodes: ['a'] },
        { personId: 'p2', text: text(MAX_LENGTH + 1, 'b'), domainCodes: ['a'] },
        { personId: 'p3', text: text(30, 'c'), domainCodes: ['a'] },
        { personId: 'p4', text: text(IDEAL_LENGTH + 5, 'd'), domainCodes: ['a'] },
      ],
      1,
    );
    expect(quotes.map((q) => q.personId)).toEqual(['p4']);
  });

  it('prefers a text with fewer masked identifiers when lengths tie', () => {
    const masked = 'Going to see [name] at [address] on Sundays';
    const plain = 'Going to see my friends at the church on Sundays'.slice(0, masked.length);
    const quotes = representativeQuotes(
      [
        { personId: 'p1', text: masked, domainCodes: [] },
        { personId: 'p2', text: plain, domainCodes: [] },
      ],
      1,
    );
    expect(quotes.map((q) => q.personId)).toEqual(['p2']);
  });

  it('refuses a count that is not a whole number', () => {
    expect(() => representativeQuotes([], -1)).toThrow(/most/);
  });
});
