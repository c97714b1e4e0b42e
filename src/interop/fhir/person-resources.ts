import type { Resource } from '@medplum/fhirtypes';
import { parsePersonRowId } from '../../domain/interop/fhir-ids.js';
import {
  criterionMatches,
  type ParsedSearch,
  type SearchParamDefinition,
} from '../../domain/interop/fhir-search.js';
import type { FhirResourceType } from '../../domain/interop/fhir-types.js';
import type { AccessGrant } from '../../features/record-access/person-access.js';
import { ServiceError } from '../../services/errors.js';
import { type FhirContext, type FhirHandler, type IncludeDefinition, patientOfSearch } from './handler.js';

/** The values of the parameters every type has, read from the resource itself. */
function commonValues(resource: Resource, name: string): unknown[] {
  if (name === '_id') return resource.id ? [{ code: resource.id }] : [];
  if (name === '_lastUpdated')
    return resource.meta?.lastUpdated ? [{ start: resource.meta.lastUpdated }] : [];
  return [];
}

/** Does the resource meet every criterion of the search (the patient criterion excepted, already applied)? */
export function matchesSearch<R extends Resource>(
  resource: R,
  search: ParsedSearch,
  params: readonly SearchParamDefinition<R>[],
  skip: readonly string[] = [],
): boolean {
  return search.criteria.every(({ name, criterion }) => {
    if (skip.includes(name)) return true;
    const param = params.find((p) => p.name === name);
    const values = param ? param.valuesOf(resource) : commonValues(resource, name);
    return criterionMatches(criterion, values);
  });
}

export const PATIENT_PARAM_NAMES = ['patient', 'subject'] as const;

export const patientNeeded = (type: string) =>
  new ServiceError(
    400,
    'Patient needed',
    `Searching ${type} needs the person: give patient=Patient/{id} (or subject). Use bulk $export for many people.`,
    'patient',
  );

export interface PersonResourcesSpec<R extends Resource> {
  type: FhirResourceType;
  documentation: string;
  supportedProfiles?: string[];
  /** Parameters besides `patient`/`subject`, `_id` and `_lastUpdated` (those are added here). */
  searchParams: SearchParamDefinition<R>[];
  includes?: IncludeDefinition<R>[];
  /**
   * Every resource of this type in the person's record, read through the services: access checked
   * and audited there, with `action` naming the read. Throws the services' refusals.
   */
  listForPerson(ctx: FhirContext, personId: string): Promise<R[]>;
  /** The same for many people whose access the caller checked (bulk export; FhirHandler.listForPeople). */
  listForPeople?(ctx: FhirContext, grants: readonly AccessGrant[]): Promise<Map<string, R[]>>;
  /** The person an id belongs to (default: a 64-character person-and-row id). */
  personOfId?(id: string): string | null;
  /** Earlier versions, when the type keeps them (the care plan); newest first. */
  historyOf?(ctx: FhirContext, id: string): Promise<R[]>;
  create?(ctx: FhirContext, resource: R): Promise<R>;
  update?(ctx: FhirContext, id: string, resource: R, current: R): Promise<R>;
}

/**
 * A handler for a type kept in a person's record, built from one function that lists the
 * person's resources of that type: read finds the id in the list, search filters it. A person's
 * record holds tens of each, not thousands, so this is one indexed read per request.
 */
export function personResources<R extends Resource>(spec: PersonResourcesSpec<R>): FhirHandler<R> {
  const personOfId = spec.personOfId ?? ((id: string) => parsePersonRowId(id)?.personId ?? null);
  const params: SearchParamDefinition<R>[] = [
    {
      name: 'patient',
      type: 'reference',
      documentation: 'The person the resource is about (Patient/{id})',
      valuesOf: () => [],
    },
    {
      name: 'subject',
      type: 'reference',
      documentation: 'The same as patient',
      valuesOf: () => [],
    },
    ...spec.searchParams,
  ];
  const read = async (ctx: FhirContext, id: string) => {
    const personId = personOfId(id);
    if (!personId) return null;
    const all = await spec.listForPerson(ctx, personId);
    return all.find((r) => r.id === id) ?? null;
  };
  return {
    type: spec.type,
    documentation: spec.documentation,
    supportedProfiles: spec.supportedProfiles,
    searchParams: params,
    includes: spec.includes,
    searchNeedsPatient: true,
    keepsHistory: spec.historyOf !== undefined,
    read,
    async history(ctx, id) {
      if (spec.historyOf) return spec.historyOf(ctx, id);
      const current = await read(ctx, id);
      return current ? [current] : [];
    },
    async search(ctx, search) {
      const personId = patientOfSearch(search);
      if (!personId) throw patientNeeded(spec.type);
      const all = await spec.listForPerson(ctx, personId);
      const matches = all.filter((r) => matchesSearch(r, search, params, PATIENT_PARAM_NAMES));
      return {
        resources: matches.slice(search.offset, search.offset + search.count),
        hasMore: matches.length > search.offset + search.count,
        total: matches.length,
      };
    },
    create: spec.create,
    update: spec.update,
    listForPerson: spec.listForPerson,
    ...(spec.listForPeople ? { listForPeople: spec.listForPeople } : {}),
  };
}
