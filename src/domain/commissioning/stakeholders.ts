/**
 * Who shapes a commissioning outcomes framework. Co-production guidance asks commissioners to say
 * who was involved and how (Think Local Act Personal, "Ladder of co-production", 2015; NHS England,
 * "Working in partnership with people and communities", statutory guidance, 2022): the groups
 * below are the five the issue names, each recorded with a short account of how and when.
 */
export const STAKEHOLDER_GROUPS = [
  'people-who-use-services',
  'carers',
  'providers',
  'staff',
  'commissioners',
] as const;

export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

export const STAKEHOLDER_GROUP_LABELS: Record<StakeholderGroup, string> = {
  'people-who-use-services': 'People who use services',
  carers: 'Carers',
  providers: 'Providers',
  staff: 'Staff',
  commissioners: 'Commissioners',
};

export function isStakeholderGroup(value: unknown): value is StakeholderGroup {
  return typeof value === 'string' && (STAKEHOLDER_GROUPS as readonly string[]).includes(value);
}
