import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../domain/nhs-number.js';
import { nhsNumbers } from './fhir.js';

describe('the FHIR benchmark’s NHS numbers', () => {
  it('gives a million distinct valid numbers (the default run), none in a range issued to patients', () => {
    const numbers = nhsNumbers();
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) seen.add(numbers.next().value as string);
    expect(seen.size).toBe(1_000_000);
    for (const n of [...seen].slice(0, 1000).concat([...seen].slice(-1000))) {
      expect(isValidNhsNumber(n)).toBe(true);
      expect(n.startsWith('99')).toBe(true);
    }
  });
});
