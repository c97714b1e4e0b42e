import type { Resource } from '@medplum/fhirtypes';
import { isUuid } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import type { FhirResourceType } from '../../domain/interop/fhir-types.js';
import type { FhirContext, FhirHandler, IncludeDefinition } from './handler.js';
import { matchesSearch } from './person-resources.js';

export interface ListedResourcesSpec<R extends Resource> {
  type: FhirResourceType;
  documentation: string;
  searchParams: SearchParamDefinition<R>[];
  includes?: IncludeDefinition<R>[];
  /** Every resource of the type the caller may see, through the services (a directory: hundreds, not millions). */
  all(ctx: FhirContext): Promise<R[]>;
}

/**
 * A read-only handler for a type kept outside people's records whose whole list is small (the
 * directory's organisations, teams, staff and roles), built from the one function that lists
 * it: read finds the id, search filters, bulk export pages through it. No history is kept.
 */
export function listedResources<R extends Resource>(spec: ListedResourcesSpec<R>): FhirHandler<R> {
  const read = async (ctx: FhirContext, id: string) =>
    isUuid(id) ? ((await spec.all(ctx)).find((r) => r.id === id) ?? null) : null;
  return {
    type: spec.type,
    documentation: spec.documentation,
    searchParams: spec.searchParams,
    includes: spec.includes,
    searchNeedsPatient: false,
    keepsHistory: false,
    read,
    async history(ctx, id) {
      const current = await read(ctx, id);
      return current ? [current] : [];
    },
    async search(ctx, search) {
      const matches = (await spec.all(ctx)).filter((r) => matchesSearch(r, search, spec.searchParams));
      return {
        resources: matches.slice(search.offset, search.offset + search.count),
        hasMore: matches.length > search.offset + search.count,
        total: matches.length,
      };
    },
    async listPage(ctx, offset, count) {
      return (await spec.all(ctx)).slice(offset, offset + count);
    },
  };
}
