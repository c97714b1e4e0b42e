/** The kinds of organisation that support people or commission their support. */
export const ORGANISATION_KINDS = [
  'nhs-trust',
  'gp-practice',
  'council-adult-social-care',
  'housing-association',
  'voluntary-community',
  'commissioner',
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  'nhs-trust': 'NHS trust',
  'gp-practice': 'GP practice',
  'council-adult-social-care': 'Council adult social care',
  'housing-association': 'Housing association',
  'voluntary-community': 'Voluntary and community sector',
  commissioner: 'Commissioner',
};
