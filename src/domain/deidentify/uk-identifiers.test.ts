import { describe, expect, it } from 'vitest';
import type { Span } from './spans.js';
import {
  findAddresses,
  findAgesOver90,
  findDatesOfBirth,
  findEmails,
  findNumbers,
  findPostcodes,
} from './uk-identifiers.js';

const texts = (text: string, spans: readonly Span<string>[]) =>
  spans.map((s) => [s.kind, text.slice(s.start, s.end)]);

describe('NHS numbers', () => {
  it.each(['943 476 5919', '9434765919', '943-476-5919', '9434 765 919', '94 34 76 59 19', '943.476.5919'])(
    'finds %s in any spacing',
    (number) => {
      const text = `NHS no ${number}, seen today`;
      expect(texts(text, findNumbers(text))).toEqual([['nhs-number', number]]);
    },
  );

  it('masks ten digits even when the Modulus 11 check digit fails: a mistyped number still points at someone', () => {
    const text = 'old record 943 476 5918';
    expect(texts(text, findNumbers(text))).toEqual([['nhs-number', '943 476 5918']]);
  });

  it('leaves other figures alone: dates, doses, short numbers and lists', () => {
    for (const text of [
      'born 03/04/1950',
      'Review 14/06/2025',
      'metformin 500 mg',
      'Item 1234567 on the prescription',
      'scores 1 2 3 4 5 6 7 8 9 10',
      'paid £1,250',
    ]) {
      expect(findNumbers(text), text).toEqual([]);
    }
  });
});

describe('telephone numbers', () => {
  it.each([
    '07700 900123',
    '07700900982',
    '07700-900-456',
    '0113 496 0000',
    '(0113) 496 0123',
    '+44 7700 900123',
    '+447700900124',
    '020 7946 0958',
    '+44 (0)20 7946 0018',
    '01632 960001',
    '0800 123 4567',
    '0044 7700 900321',
    '028 9649 6000',
    '+48 601 234 567',
    '07700.900.654',
  ])('finds %s', (number) => {
    const text = `Call ${number} today`;
    expect(texts(text, findNumbers(text))).toEqual([['phone', number]]);
  });

  it('separates two numbers in one run, and a room number from a mobile', () => {
    const text = 'Room 12 07700 900 321, NHS 943 476 5919 07700 900123';
    expect(texts(text, findNumbers(text))).toEqual([
      ['phone', '07700 900 321'],
      ['phone', '07700 900123'],
      ['nhs-number', '943 476 5919'],
    ]);
  });

  it('keeps brackets balanced', () => {
    const text = '(call 0113 496 0000)';
    expect(texts(text, findNumbers(text))).toEqual([['phone', '0113 496 0000']]);
  });
});

describe('email addresses', () => {
  it('finds written and spoken forms', () => {
    const text = 'Email jane.smith@example.com or SARAH at gmail dot com, not look at this.';
    expect(texts(text, findEmails(text))).toEqual([
      ['email', 'jane.smith@example.com'],
      ['email', 'SARAH at gmail dot com'],
    ]);
  });
});

describe('postcodes', () => {
  it.each(['LS6 2QD', 'ls62qd', 'SW1A 1AA', 'M1 1AE', 'B33 8TH', 'cr2 6xh', 'DN55 1PT', 'EC1A 1BB'])(
    'finds %s in any case, with or without the space',
    (postcode) => {
      const text = `lives at ${postcode}.`;
      expect(texts(text, findPostcodes(text))).toEqual([['postcode', postcode]]);
    },
  );

  it('does not take doses or times for postcodes', () => {
    for (const text of ['x2 1mg', 'wk1 2pm', 'take 2 tabs', 'QA1 1AA'])
      expect(findPostcodes(text), text).toEqual([]);
  });
});

describe('postal addresses', () => {
  it.each([
    ['She lives at flat 3, 12 Holly Road, Leeds LS6 2QD.', 'flat 3, 12 Holly Road, Leeds'],
    ['Lives at No. 4 Orchard Drive with her husband.', 'No. 4 Orchard Drive'],
    ['Lives at 27 Mount Pleasant.', '27 Mount Pleasant'],
    ['Address is 2 the Mews, Ilkley.', '2 the Mews, Ilkley'],
    ['He lives on Holly Road near the park.', 'Holly Road'],
    ['at 33a kirkstall lane', '33a kirkstall lane'],
  ])('finds the address in %j', (text, address) => {
    expect(texts(text, findAddresses(text))).toContainEqual(['address', address]);
  });

  it('leaves streets in every town, parks and distances alone', () => {
    for (const text of [
      'Wants to get to the High Street on her own.',
      'Roundhay Park is her favourite place.',
      'Went down the road to the shops.',
      'Walked 3 times down the road.',
      'George is 92 and cannot drive any more.',
      'Room 12 on the ward.',
      'Lives at 10 May, no wait',
    ]) {
      expect(findAddresses(text), text).toEqual([]);
    }
  });
});

describe('dates of birth', () => {
  it.each([
    ['Born 03/04/1950.', '03/04/1950'],
    ['DOB: 3rd April 1950', '3rd April 1950'],
    ['d.o.b. 01-02-45', '01-02-45'],
    ['Born in Leeds on 2 March 1941.', '2 March 1941'],
    ['Her birthday is 12 March.', '12 March'],
    ['Born in 1932, she remembers the war.', '1932'],
    ['DOB 1944-07-19', '1944-07-19'],
  ])('finds the date in %j, leaving the cue', (text, date) => {
    expect(texts(text, findDatesOfBirth(text))).toEqual([['date-of-birth', date]]);
  });

  it('leaves dates that are not births alone', () => {
    for (const text of [
      'Review booked for 14/06/2025.',
      'Married in 1955.',
      'Born and bred in Yorkshire. Review 3 March 2025.',
      'She was born in Jamaica and came over in the 1960s.',
    ]) {
      expect(findDatesOfBirth(text), text).toEqual([]);
    }
  });
});

describe('ages of 90 or over', () => {
  it.each([
    ['Aged 94, she still does the crossword.', '94'],
    ['She is 94.', '94'],
    ['He is 93 years old.', '93'],
    ['a 91-year-old widow', '91'],
    ['Mum turned 100 last week.', '100'],
    ['Her 95th birthday is next month.', '95th'],
    ['Her husband George is 92 and cannot drive.', '92'],
    ['He will be 90 in May.', '90'],
  ])('finds the age in %j', (text, age) => {
    expect(texts(text, findAgesOver90(text))).toEqual([['age-over-90', age]]);
  });

  it('leaves ages under 90 and measurements alone', () => {
    for (const text of [
      'She is 85 and likes to keep busy.',
      'He is 89 next birthday.',
      'Her sats were 94% on air.',
      'Weight is 92 kg.',
      'Her score is 91 points on the Barthel.',
      'Sats 96 on air, pulse 90.',
      'Over 90% of the time she feels safe.',
      'In his 90s and still walking daily.',
    ]) {
      expect(findAgesOver90(text), text).toEqual([]);
    }
  });
});
