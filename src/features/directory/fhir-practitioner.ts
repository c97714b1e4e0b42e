import type { Practitioner } from '@medplum/fhirtypes';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import type { FhirContext } from '../../interop/fhir/handler.js';
import { listedResources } from '../../interop/fhir/listed-resources.js';
import type { StaffAccount } from './service.js';

/**
 * Practitioner: a staff account holding a practitioner or team-manager role, as the directory
 * shows it — the name it is known by and whether it is still in use. Never a person's own
 * account, a carer's or a system client's; never a username or an email address. Read-only: the
 * administration pages add and change staff. Their roles are PractitionerRoles.
 */
export function practitionerOf(s: StaffAccount): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: s.userId,
    meta: { versionId: '1', lastUpdated: s.createdAt.toISOString() },
    active: s.active,
    name: [{ use: 'usual', text: s.displayName }],
  };
}

/** The whole name and each word of it, so `name` finds a practitioner by any word's start. */
const nameValues = (p: Practitioner) =>
  (p.name ?? []).flatMap((n) => (n.text ? [n.text, ...n.text.split(/\s+/).slice(1)] : []));

const params: SearchParamDefinition<Practitioner>[] = [
  {
    name: 'name',
    type: 'string',
    documentation: 'Any word of the name, from its start',
    valuesOf: nameValues,
  },
];

async function all(ctx: FhirContext): Promise<Practitioner[]> {
  return (await ctx.services.directory.staff(ctx.actor)).map(practitionerOf);
}

export const practitionerFhir = listedResources<Practitioner>({
  type: 'Practitioner',
  documentation:
    'Staff who can join a care team (practitioners and team managers): the name they are known by, and whether the account is in use. Read-only; no usernames or email addresses.',
  searchParams: params,
  all,
});
