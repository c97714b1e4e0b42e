import { describe, expect, it } from 'vitest';
import { isPhoneNumberOrBlank } from './phone.js';

describe('isPhoneNumberOrBlank', () => {
  it('accepts UK and international numbers as people write them, and blank', () => {
    for (const number of [
      '01632 960 001',
      '01632960001',
      '07700 900 982',
      '(01632) 960-001',
      '+44 7700 900982',
      '+1 (555) 010 0199',
      '',
      '   ',
    ]) {
      expect(isPhoneNumberOrBlank(number), number).toBe(true);
    }
  });

  it('refuses words, too few or too many digits, and letters among digits', () => {
    for (const text of [
      'call me maybe',
      '999',
      '12345',
      '0163 29',
      '+44 7700 900982 1234 5',
      '0800 CALL ME',
      '07700+900982',
    ]) {
      expect(isPhoneNumberOrBlank(text), text).toBe(false);
    }
  });
});
