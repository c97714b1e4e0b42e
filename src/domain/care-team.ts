/** The kinds of support a member of a person's care team gives, across every agency. */
export const CARE_TEAM_SUPPORT_KINDS = [
  'nhs',
  'social-care',
  'housing',
  'voluntary-community',
  'peer-support',
  'health-coaching',
  'social-prescribing',
  'other',
] as const;

export type CareTeamSupportKind = (typeof CARE_TEAM_SUPPORT_KINDS)[number];

export const CARE_TEAM_SUPPORT_LABELS: Record<CareTeamSupportKind, string> = {
  nhs: 'NHS care',
  'social-care': 'Social care',
  housing: 'Housing',
  'voluntary-community': 'Voluntary and community support',
  'peer-support': 'Peer support',
  'health-coaching': 'Health coaching',
  'social-prescribing': 'Social prescribing',
  other: 'Other support',
};
