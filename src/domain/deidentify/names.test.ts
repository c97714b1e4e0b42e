import { describe, expect, it } from 'vitest';
import { findNames } from './names.js';

const names = (text: string, knownNames: string[] = []) =>
  [...new Set(findNames(text, knownNames).map((s) => text.slice(s.start, s.end)))].sort();

describe('the name step', () => {
  it('finds names after titles, keeping the title', () => {
    expect(names('Mrs Patel and Dr. Ng saw Mr J Roberts and Mrs P today.')).toEqual([
      'J Roberts',
      'Ng',
      'P',
      'Patel',
    ]);
  });

  it('finds names after relationship words, in lower case too if they are given names', () => {
    expect(names('Her son Ravi visits; my carer, Jean, helps; my son ravi rang.')).toEqual([
      'Jean',
      'Ravi',
      'ravi',
    ]);
  });

  it('takes everyday words as names only where the text says so', () => {
    expect(names('Her daughter Grace rang. Grace is lovely.')).toEqual(['Grace']);
    expect(names('Grace period ends. I hope so. Feeling Down. Hope is all I have.')).toEqual([]);
    expect(names("I want to get to Jack's wedding.")).toEqual(['Jack']);
  });

  it('finds given names and their surnames, and people the NLP library knows', () => {
    expect(names('Margaret Hill came with Mohammed Al-Hassan. Zhang Wei rang.')).toEqual([
      'Margaret Hill',
      'Mohammed Al-Hassan',
      'Zhang Wei',
    ]);
  });

  it('does not take saints, days, months, services or a bare "Dr" for people', () => {
    expect(
      names(
        "St Anne's and St Mary's. Dr said the GP on Tuesday in March. The Nurse Practitioner came. Dr Who is on.",
      ),
    ).toEqual([]);
  });

  it('masks every later mention of a name found once', () => {
    expect(findNames('Mrs Patel rang. Patel is worried.').length).toBe(2);
  });

  it('always masks recorded names, in any case, as whole words only', () => {
    expect(names('HOPE rang; I hope so; Hopeful; ravindra came', ['Hope Williams', 'Ravi'])).toEqual([
      'HOPE',
      'hope',
    ]);
    expect(names('Mrs Smith-Jones and Jones', ['Anne Smith-Jones'])).toEqual(['Jones', 'Smith-Jones']);
  });

  it('ignores titles and initials among recorded names', () => {
    expect(names('Mr and Mrs came; J said', ['Mr J Bloggs'])).toEqual([]);
  });
});
