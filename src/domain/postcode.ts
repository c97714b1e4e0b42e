/**
 * UK postcodes: the one check of their shape, the one way they are written, and the sector the
 * deprivation lookup (`area_deprivation`) is keyed by. The shape is the Royal Mail format (an
 * outward code of a letter or two, a digit and an optional letter or digit; an inward code of a
 * digit and two letters), typed in any case and with or without the space.
 */

/** The shape of a UK postcode as someone might type it; also the contract's pattern. */
export const POSTCODE_PATTERN = '^\\s*[A-Za-z]{1,2}\\d[A-Za-z\\d]?\\s*\\d[A-Za-z]{2}\\s*$';

const POSTCODE = new RegExp(POSTCODE_PATTERN);

export function isPostcode(text: string): boolean {
  return POSTCODE.test(text);
}

/** 'rv12ab' → 'RV1 2AB'; null for blank text or anything that is not a postcode. */
export function normalisePostcode(text: string | null | undefined): string | null {
  if (!text || !isPostcode(text)) return null;
  const compact = text.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** The postcode sector ('RV1 2'): the outward code and the inward code's digit. */
export function postcodeSector(postcode: string): string | null {
  const normal = normalisePostcode(postcode);
  return normal ? normal.slice(0, -2) : null;
}
