import type { Coding, Organization } from '@medplum/fhirtypes';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import { ODS_ORGANISATION_SYSTEM, whatmattersCodeSystem } from '../../domain/interop/uk-core.js';
import { ORGANISATION_KIND_LABELS, type OrganisationKind } from '../../domain/organisation-kinds.js';
import type { FhirContext } from '../../interop/fhir/handler.js';
import { listedResources } from '../../interop/fhir/listed-resources.js';
import type { DatedOrganisation, DatedTeam } from './service.js';

/**
 * Organization: the directory's organisations and their teams, read-only (the administration
 * pages own them). An organisation carries its ODS code under NHS England's system when it has
 * one, and its kind twice: as HL7's organization-type (the nearest code) and as our own code. A
 * team is an Organization of type `team`, `partOf` its organisation; PractitionerRole names the
 * team a role is in this way (see fhir-practitioner-role.ts and docs/FHIR.md).
 */
export const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';
export const ORGANISATION_KIND_SYSTEM = whatmattersCodeSystem('organisation-kind');

type OrganizationTypeCode = 'prov' | 'govt' | 'pay' | 'cg' | 'other' | 'team';

const ORGANIZATION_TYPE_DISPLAYS: Record<OrganizationTypeCode, string> = {
  prov: 'Healthcare Provider',
  govt: 'Government',
  pay: 'Payer',
  cg: 'Community Group',
  other: 'Other',
  team: 'Organizational team',
};

/** Our kinds as HL7 organization-type codes: every kind has one (the compiler checks). */
export const ORGANIZATION_TYPE_OF_KIND: Record<OrganisationKind, OrganizationTypeCode> = {
  'nhs-trust': 'prov',
  'gp-practice': 'prov',
  'council-adult-social-care': 'govt',
  'housing-association': 'other',
  'voluntary-community': 'cg',
  commissioner: 'pay',
};

const typeCoding = (code: OrganizationTypeCode): Coding => ({
  system: ORGANIZATION_TYPE_SYSTEM,
  code,
  display: ORGANIZATION_TYPE_DISPLAYS[code],
});

const meta = (createdAt: Date) => ({ versionId: '1', lastUpdated: createdAt.toISOString() });

export function organizationOf(o: DatedOrganisation): Organization {
  return {
    resourceType: 'Organization',
    id: o.organisationId,
    meta: meta(o.createdAt),
    ...(o.odsCode ? { identifier: [{ system: ODS_ORGANISATION_SYSTEM, value: o.odsCode }] } : {}),
    active: true,
    type: [
      {
        coding: [
          typeCoding(ORGANIZATION_TYPE_OF_KIND[o.kind]),
          { system: ORGANISATION_KIND_SYSTEM, code: o.kind, display: ORGANISATION_KIND_LABELS[o.kind] },
        ],
        text: ORGANISATION_KIND_LABELS[o.kind],
      },
    ],
    name: o.name,
  };
}

export function teamOrganizationOf(
  t: DatedTeam,
  organisation: Pick<DatedOrganisation, 'name'>,
): Organization {
  return {
    resourceType: 'Organization',
    id: t.teamId,
    meta: meta(t.createdAt),
    active: true,
    type: [{ coding: [typeCoding('team')], text: 'Team' }],
    name: t.name,
    partOf: { reference: `Organization/${t.organisationId}`, display: organisation.name },
  };
}

/** Every Organization: each organisation followed by its teams. */
export function organizationsOf(organisations: readonly DatedOrganisation[]): Organization[] {
  return organisations.flatMap((o) => [organizationOf(o), ...o.teams.map((t) => teamOrganizationOf(t, o))]);
}

const params: SearchParamDefinition<Organization>[] = [
  {
    name: 'identifier',
    type: 'token',
    documentation: `The ODS code: ${ODS_ORGANISATION_SYSTEM}|{code}`,
    valuesOf: (o) => (o.identifier ?? []).map((i) => ({ system: i.system, code: i.value ?? '' })),
  },
  {
    name: 'name',
    type: 'string',
    documentation: 'The name, from its start',
    valuesOf: (o) => (o.name ? [o.name] : []),
  },
  {
    name: 'type',
    type: 'token',
    documentation: `The kind: ${ORGANIZATION_TYPE_SYSTEM}|{code} (team for a team) or ${ORGANISATION_KIND_SYSTEM}|{kind}`,
    valuesOf: (o) =>
      (o.type ?? []).flatMap((t) => (t.coding ?? []).map((c) => ({ system: c.system, code: c.code ?? '' }))),
  },
  {
    name: 'partof',
    type: 'reference',
    documentation: 'The organisation a team is part of (Organization/{id})',
    valuesOf: (o) => (o.partOf?.reference ? [o.partOf.reference] : []),
  },
];

/** Every Organization the caller may see: the directory is open to everyone signed in and to clients. */
async function all(ctx: FhirContext): Promise<Organization[]> {
  return organizationsOf(await ctx.services.directory.datedOrganisations(ctx.actor));
}

export const organizationFhir = listedResources<Organization>({
  type: 'Organization',
  documentation:
    'The directory’s organisations (ODS code, name, kind) and their teams (type team, partOf the organisation). Read-only: the administration pages add and change them.',
  searchParams: params,
  includes: [
    { name: 'Organization:partof', referencesOf: (o) => (o.partOf?.reference ? [o.partOf.reference] : []) },
  ],
  all,
});
