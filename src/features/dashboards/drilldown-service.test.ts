import { describe, expect, it } from 'vitest';
import { ageBandFilter, isDrilldownPurpose } from './drilldown-service.js';

describe('an age band as dates of birth (ages at the end of the period)', () => {
  it('takes people aged from the band’s youngest to its oldest on that date', () => {
    // Aged 25 to 34 on 31 March 2026: born after 31 March 1991, on or before 31 March 2001.
    expect(ageBandFilter('25-34', '2026-03-31')).toEqual({
      bornAfter: '1991-03-31',
      bornOnOrBefore: '2001-03-31',
    });
    expect(ageBandFilter('0-17', '2026-03-31')).toEqual({
      bornAfter: '2008-03-31',
      bornOnOrBefore: '2026-03-31',
    });
  });

  it('leaves the oldest band open, and reads "unknown" as no date of birth', () => {
    expect(ageBandFilter('85+', '2026-03-31')).toEqual({ bornOnOrBefore: '1941-03-31' });
    expect(ageBandFilter('unknown', '2026-03-31')).toEqual({ ageUnknown: true });
  });

  it('moves 29 February to the 28th in a year that has none', () => {
    expect(ageBandFilter('18-24', '2024-02-29')).toEqual({
      bornAfter: '1999-02-28',
      bornOnOrBefore: '2006-02-28',
    });
  });

  it('refuses a band that does not exist, naming it', () => {
    expect(() => ageBandFilter('20-29', '2026-03-31')).toThrow(/20-29/);
  });
});

describe('drill-down purposes', () => {
  it('knows the purposes on the form and nothing else', () => {
    expect(isDrilldownPurpose('service-review')).toBe(true);
    expect(isDrilldownPurpose('curiosity')).toBe(false);
    expect(isDrilldownPurpose('toString')).toBe(false);
  });
});
