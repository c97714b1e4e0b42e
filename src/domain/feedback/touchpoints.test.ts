import { describe, expect, it } from 'vitest';
import { codeText, trainCoder } from '../coding/coder.js';
import {
  joinKeywords,
  keywordProblem,
  SUGGESTED_PATHWAY,
  splitKeywords,
  TOUCHPOINT_LIMITS,
  touchpointLexicon,
} from './touchpoints.js';

describe('keywords', () => {
  it('are split on commas and lines, tidied, lower case, without repeats', () => {
    expect(splitKeywords(' Referral,  GP letter\nreferral\r\n,, sent   home ')).toEqual([
      'referral',
      'gp letter',
      'sent home',
    ]);
    expect(splitKeywords('')).toEqual([]);
    expect(joinKeywords(['a b', 'c'])).toBe('a b, c');
  });

  it('must be one or two words the coder can find in a text', () => {
    expect(keywordProblem('referral')).toBeNull();
    expect(keywordProblem('sent home')).toBeNull();
    expect(keywordProblem('follow-up')).toBeNull();
    expect(keywordProblem('A&E')).toBeNull();
    expect(keywordProblem('the')).toBe('“the” is too common a word to point to a touchpoint');
    expect(keywordProblem('sent home early')).toBe('“sent home early” must be one or two words');
    expect(keywordProblem('—')).toBe('“—” must be one or two words');
  });

  it('of the suggested pathway are all usable, within the limits, with unique labels', () => {
    expect(SUGGESTED_PATHWAY.length).toBeLessThanOrEqual(TOUCHPOINT_LIMITS.touchpoints);
    expect(new Set(SUGGESTED_PATHWAY.map((t) => t.label.toLowerCase())).size).toBe(SUGGESTED_PATHWAY.length);
    for (const t of SUGGESTED_PATHWAY) {
      expect(t.label.length).toBeLessThanOrEqual(TOUCHPOINT_LIMITS.label);
      expect(t.keywords.length).toBeLessThanOrEqual(TOUCHPOINT_LIMITS.keywords);
      for (const k of t.keywords) expect(keywordProblem(k), k).toBeNull();
    }
  });
});

describe('touchpoints coded like themes', () => {
  it('the coder, with the pathway’s words as its lexicon, groups stories by touchpoint before any review', () => {
    const touchpoints = SUGGESTED_PATHWAY.map((t, i) => ({ touchpointId: `t${i}`, ...t }));
    const lexicon = touchpointLexicon(touchpoints);
    expect(lexicon.t0).toEqual(SUGGESTED_PATHWAY[0]?.keywords);
    const model = trainCoder([], { labels: Object.keys(lexicon), lexicon });
    const label = (id: string) => touchpoints.find((t) => t.touchpointId === id)?.label;
    const coded = codeText(model, 'My GP made the referral quickly. I was discharged on a Friday.');
    expect(coded.codes.map((c) => label(c.code)).sort()).toEqual(['Discharge', 'Referral']);
    expect(codeText(model, 'Everyone was lovely.').codes).toEqual([]);
  });

  it('learns a touchpoint without words from the stories staff confirmed under it', () => {
    const lexicon = { 'car-park': [] as string[], referral: ['referral'] };
    const examples = [
      { text: 'Parking was impossible near the clinic', codes: ['car-park'] },
      { text: 'No parking spaces again', codes: ['car-park'] },
      { text: 'The parking machine took my money', codes: ['car-park'] },
      { text: 'The referral was slow', codes: ['referral'] },
      { text: 'Lovely kind nurses', codes: [] },
      { text: 'Food was cold', codes: [] },
    ];
    const untaught = trainCoder([], { labels: Object.keys(lexicon), lexicon });
    expect(codeText(untaught, 'Finding parking took half an hour').codes).toEqual([]);
    const taught = trainCoder(examples, { labels: Object.keys(lexicon), lexicon });
    const [code] = codeText(taught, 'Finding parking took half an hour').codes;
    expect(code).toMatchObject({ code: 'car-park', words: ['parking'] });
    expect(codeText(taught, 'The staff were kind').codes).toEqual([]);
  });
});
