/**
 * Telephone numbers as people type them: UK numbers (10 or 11 digits, such as 01632 960 001 or
 * 07700 900 982) and international ones (+ and up to 15 digits, the E.164 limit), with spaces,
 * hyphens or brackets between digits. Anything else ("call me maybe") is not a number to ring.
 */

/** Blank, or a phone number: the contract's pattern (ECMAScript, as JSON Schema uses). */
export const PHONE_PATTERN = '^\\s*$|^\\s*(?=(?:[^0-9]*[0-9]){10,15}[^0-9]*$)\\+?[0-9 ()-]+\\s*$';

const PHONE = new RegExp(PHONE_PATTERN);

export function isPhoneNumberOrBlank(text: string): boolean {
  return PHONE.test(text);
}

/** What a person is told when the number cannot be one. */
export const PHONE_PROBLEM =
  'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192';
