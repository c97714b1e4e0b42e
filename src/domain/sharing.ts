/**
 * The recorded bases on which a person's record is shared with an organisation (UK GDPR Article 6
 * and 9 conditions as health and care organisations commonly record them), and break-glass limits.
 */
export const SHARING_BASES = [
  'consent',
  'direct-care',
  'legal-obligation',
  'vital-interests',
  'safeguarding',
] as const;
export type SharingBasisKind = (typeof SHARING_BASES)[number];

export const SHARING_BASIS_LABELS: Record<SharingBasisKind, string> = {
  consent: 'The person consents',
  'direct-care': 'Direct care (the lead team)',
  'legal-obligation': 'A legal duty (for example the Care Act 2014)',
  'vital-interests': 'Vital interests (life or serious harm at stake)',
  safeguarding: 'Safeguarding',
};

export function isSharingBasis(value: unknown): value is SharingBasisKind {
  return typeof value === 'string' && (SHARING_BASES as readonly string[]).includes(value);
}

/** How long break-glass access lasts: long enough for an emergency visit, short enough to lapse. */
export const BREAK_GLASS_HOURS = 4;
/** A reason must say something: "emergency" alone does not tell the person's team what happened. */
export const BREAK_GLASS_MIN_REASON = 20;
