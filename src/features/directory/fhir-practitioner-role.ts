import type { CodeableConcept, PractitionerRole } from '@medplum/fhirtypes';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import { whatmattersCodeSystem } from '../../domain/interop/uk-core.js';
import { ROLE_LABELS } from '../../domain/roles.js';
import type { FhirContext } from '../../interop/fhir/handler.js';
import { listedResources } from '../../interop/fhir/listed-resources.js';
import type { StaffAccount, StaffRole } from './service.js';

/**
 * PractitionerRole: one per practitioner or team-manager role a staff account holds. The role is
 * `code` (our role code, its label as text), the job title a second `code` in words. `organization`
 * is where the role is held at its most precise: the team's Organization when the role is in a
 * team (that Organization is `partOf` the organisation), else the organisation's; searching by
 * `organization` finds a role by either. Read-only: the administration pages give and take roles.
 */
export const ROLE_SYSTEM = whatmattersCodeSystem('role');

/** The organisation a role is held in, for a role held in one of its teams (search by either). */
const organisationOfRole = new WeakMap<PractitionerRole, string>();

export function practitionerRoleOf(s: StaffAccount, r: StaffRole): PractitionerRole {
  const code: CodeableConcept[] = [
    {
      coding: [{ system: ROLE_SYSTEM, code: r.role, display: ROLE_LABELS[r.role] }],
      text: ROLE_LABELS[r.role],
    },
    ...(s.jobTitle?.trim() ? [{ text: s.jobTitle.trim() }] : []),
  ];
  const role: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: r.userRoleId,
    meta: { versionId: '1', lastUpdated: s.createdAt.toISOString() },
    active: s.active,
    practitioner: { reference: `Practitioner/${s.userId}`, display: s.displayName },
    organization: { reference: `Organization/${r.teamId ?? r.organisationId}` },
    code,
  };
  organisationOfRole.set(role, `Organization/${r.organisationId}`);
  return role;
}

export const practitionerRolesOf = (staff: readonly StaffAccount[]): PractitionerRole[] =>
  staff.flatMap((s) => s.roles.map((r) => practitionerRoleOf(s, r)));

const reference = (ref: { reference?: string } | undefined) => (ref?.reference ? [ref.reference] : []);

const params: SearchParamDefinition<PractitionerRole>[] = [
  {
    name: 'practitioner',
    type: 'reference',
    documentation: 'The practitioner (Practitioner/{id})',
    valuesOf: (r) => reference(r.practitioner),
  },
  {
    name: 'organization',
    type: 'reference',
    documentation:
      'The organisation or team the role is held in (Organization/{id}); an organisation finds the roles in its teams too',
    valuesOf: (r) => {
      const parent = organisationOfRole.get(r);
      return [
        ...reference(r.organization),
        ...(parent && parent !== r.organization?.reference ? [parent] : []),
      ];
    },
  },
  {
    name: 'role',
    type: 'token',
    documentation: `The role: ${ROLE_SYSTEM}|practitioner or |team-manager`,
    valuesOf: (r) =>
      (r.code ?? []).flatMap((c) => (c.coding ?? []).map((x) => ({ system: x.system, code: x.code ?? '' }))),
  },
];

async function all(ctx: FhirContext): Promise<PractitionerRole[]> {
  return practitionerRolesOf(await ctx.services.directory.staff(ctx.actor));
}

export const practitionerRoleFhir = listedResources<PractitionerRole>({
  type: 'PractitionerRole',
  documentation:
    'The practitioner and team-manager roles staff hold: the practitioner, the role, the job title, and the team (an Organization partOf its organisation) or organisation it is held in. Read-only.',
  searchParams: params,
  includes: [
    { name: 'PractitionerRole:practitioner', referencesOf: (r) => reference(r.practitioner) },
    { name: 'PractitionerRole:organization', referencesOf: (r) => reference(r.organization) },
  ],
  all,
});
