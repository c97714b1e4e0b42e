/**
 * NHS number helpers.
 *
 * The check digit is the NHS "Modulus 11" algorithm, as defined in the NHS Data
 * Dictionary entry for NHS NUMBER
 * (https://www.datadictionary.nhs.uk/attributes/nhs_number.html) and NHS Digital's
 * original "NHS Number check digit" technical note: weight the first nine digits
 * 10 down to 2, sum, take the remainder mod 11, subtract it from 11; a result of
 * 11 becomes 0 and a result of 10 means the nine digits can never be issued.
 */

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Users paste NHS numbers as "943 476 5919" or "943-476-5919"; accept both. */
export function normaliseNhsNumber(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(compact) ? compact : null;
}

export function nhsNumberCheckDigit(first9: string): number | null {
  if (!/^\d{9}$/.test(first9)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (first9.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function isValidNhsNumber(input: string): boolean {
  const digits = normaliseNhsNumber(input);
  if (digits === null) return false;
  // Every repdigit (0000000000 … 9999999999) happens to satisfy Modulus 11, but
  // they are placeholders typed into systems, never real numbers.
  if (/^(\d)\1{9}$/.test(digits)) return false;
  const expected = nhsNumberCheckDigit(digits.slice(0, 9));
  return expected !== null && expected === Number(digits[9]);
}

/** 3-3-4 grouping is the NHS standard display format (NHS identity guidelines). */
export function formatNhsNumber(tenDigits: string): string {
  const digits = normaliseNhsNumber(tenDigits);
  if (digits === null) throw new RangeError(`Not a 10-digit NHS number: ${tenDigits}`);
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
