import { describe, expect, it } from 'vitest';
import { isPostcode, normalisePostcode, postcodeSector } from './postcode.js';

describe('postcodes', () => {
  it.each(['RV1 2AB', 'rv12ab', ' SW1A 1AA ', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT'])(
    'accepts %s',
    (text) => expect(isPostcode(text)).toBe(true),
  );

  it.each(['nonsense', '', 'RV1', '12345', 'RV1 2A', 'RV1 2ABC', 'R1V 2AB!'])('refuses %j', (text) =>
    expect(isPostcode(text)).toBe(false),
  );

  it('writes them one way: upper case, one space before the inward code', () => {
    expect(normalisePostcode('rv12ab')).toBe('RV1 2AB');
    expect(normalisePostcode('  sw1a   1aa ')).toBe('SW1A 1AA');
    expect(normalisePostcode('')).toBeNull();
    expect(normalisePostcode(null)).toBeNull();
    expect(normalisePostcode('nonsense')).toBeNull();
  });

  it('gives the sector the deprivation lookup is keyed by', () => {
    expect(postcodeSector('rv1 2ab')).toBe('RV1 2');
    expect(postcodeSector('DN551PT')).toBe('DN55 1');
    expect(postcodeSector('nonsense')).toBeNull();
  });
});
