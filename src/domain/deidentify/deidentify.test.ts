import { describe, expect, it } from 'vitest';
import { deidentify } from './deidentify.js';

describe('deidentify', () => {
  it('replaces each identifier with its tag', () => {
    const text =
      'Mrs Patel (NHS no 943 476 5919, born 03/04/1950) lives at flat 3, 12 Holly Road, Leeds LS6 2QD; ' +
      'call 07700 900123 or email ravi@example.com. She is 94.';
    expect(deidentify(text).text).toBe(
      'Mrs [name] (NHS no [nhs-number], born [date-of-birth]) lives at [address] [postcode]; ' +
        'call [phone] or email [email]. She is [age 90 or over].',
    );
  });

  it('reports offsets in the original text, in UTF-16 code units, end exclusive', () => {
    const text = '😀 Zoë said 😀 call 07700 900123';
    const { found } = deidentify(text);
    expect(found).toEqual([
      { kind: 'name', start: 3, end: 6 },
      { kind: 'phone', start: 20, end: 32 },
    ]);
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual(['Zoë', '07700 900123']);
  });

  it('reports an age of 90 or over as a date of birth, the contract having no age kind', () => {
    expect(deidentify('aged 96').found).toEqual([{ kind: 'date-of-birth', start: 5, end: 7 }]);
  });

  it('joins a first name and surname into one tag', () => {
    expect(deidentify('Margaret Hill came.').text).toBe('[name] came.');
  });

  it('lets the more specific identifier win where two overlap', () => {
    // The email's digits are no phone number; the street is no name.
    expect(deidentify('kwame07700900123@example.com, 4 Holly Road').text).toBe('[email], [address]');
  });

  it('always masks the names it is given', () => {
    expect(deidentify('thandiwe came round', { knownNames: ['Thandiwe Moyo'] }).text).toBe(
      '[name] came round',
    );
  });

  it('leaves clean text as it is', () => {
    for (const text of [
      '',
      'I want to walk to the Post Office.',
      'March',
      'Grace period',
      'Hope',
      'feeling Down',
      'Dr said to take ramipril 5 mg on Tuesdays.',
      'She is 85 and wants to go to Whitby.',
    ]) {
      expect(deidentify(text), text).toEqual({ text, found: [] });
    }
  });
});
