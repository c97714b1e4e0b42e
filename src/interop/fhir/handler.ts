import type { Resource } from '@medplum/fhirtypes';
import type { Actor } from '../../domain/actor.js';
import type { ParsedSearch, SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import type { FhirResourceType } from '../../domain/interop/fhir-types.js';
import type { AccessGrant } from '../../features/record-access/person-access.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';

/** Who asks and with what: a signed-in user, or a system client acting for its organisation. */
export interface FhirContext {
  actor: Actor;
  services: Services;
  /** The absolute base of the endpoint (`https://host/fhir`), for links and `fullUrl`s. */
  baseUrl: string;
}

/** One page of a search: the matches, and whether there are more after them. */
export interface SearchPage<R> {
  resources: R[];
  hasMore: boolean;
  /** How many match in all, when it is known without reading them all. */
  total?: number;
}

/** `_include` a type supports: `Goal:patient` adds the Patient each Goal's `subject` names. */
export interface IncludeDefinition<R> {
  /** As written in `_include`, for example `Goal:patient`. */
  name: string;
  /** The references (`Type/id`) this resource makes under that parameter. */
  referencesOf(resource: R): string[];
}

/**
 * Everything `/fhir` knows of one resource type: its search parameters and how to read, search,
 * create and update it through the services. Each type's handler lives in one file beside the
 * feature it maps (`src/features/<feature>/fhir-<type>.ts`) with its mapping and its test; the
 * routes, the CapabilityStatement and bulk export are generic over these handlers.
 *
 * Resources carry `meta.versionId` and `meta.lastUpdated`. Errors are ServiceErrors (or
 * ContractErrors) as everywhere else; the `/fhir` routes turn them into OperationOutcomes.
 */
export interface FhirHandler<R extends Resource = Resource> {
  type: FhirResourceType;
  /** Words for the CapabilityStatement: what this type holds here. */
  documentation: string;
  /** Profiles the resources are written to follow (stated, not validated against). */
  supportedProfiles?: string[];
  searchParams: SearchParamDefinition<R>[];
  includes?: IncludeDefinition<R>[];
  /** Whether `patient`/`subject` must be given in a search (types in a person's record). */
  searchNeedsPatient: boolean;
  /** Whether earlier versions are kept (vread of any version, history with every version). */
  keepsHistory: boolean;
  /** The resource, or null when there is none with that id (or none the caller may know of). */
  read(ctx: FhirContext, id: string): Promise<R | null>;
  /** Every kept version, newest first (only the current one for types that keep no history). */
  history(ctx: FhirContext, id: string): Promise<R[]>;
  search(ctx: FhirContext, search: ParsedSearch): Promise<SearchPage<R>>;
  /** Creates from a resource (already checked to be of this type); returns the new resource. */
  create?(ctx: FhirContext, resource: R): Promise<R>;
  /** Replaces the resource with this one; `current` is what `read` gave, its version checked. */
  update?(ctx: FhirContext, id: string, resource: R, current: R): Promise<R>;
  /** Bulk export: every resource of this type in one person's record (types kept in a record). */
  listForPerson?(ctx: FhirContext, personId: string): Promise<R[]>;
  /**
   * Bulk export, many people at once: for each grant (checked and audited once for the whole
   * export, `PersonAccess.requireEach`), the same resources in the same order as `listForPerson`
   * gives, read with a few queries for all of them instead of a few for each. People with none
   * may be left out of the map.
   */
  listForPeople?(ctx: FhirContext, grants: readonly AccessGrant[]): Promise<Map<string, R[]>>;
  /** Bulk export: a page of every resource of this type the caller may see (types kept outside records). */
  listPage?(ctx: FhirContext, offset: number, count: number): Promise<R[]>;
}

/** The person a search is about, from `patient` or `subject`, or null when it names none. */
export function patientOfSearch(search: ParsedSearch): string | null {
  for (const { name, criterion } of search.criteria) {
    if ((name === 'patient' || name === 'subject') && criterion.type === 'reference') {
      const [first] = criterion.anyOf;
      if (criterion.anyOf.length === 1 && first && (first.type === undefined || first.type === 'Patient')) {
        return first.id;
      }
    }
  }
  return null;
}

/** How one type's mapping refuses what it cannot keep (see `elementRules`). */
export interface ElementRules {
  /** A 422 naming the element, as `Type.element`. */
  bad(message: string, element: string): ServiceError;
  /**
   * Refuses the first element of `value` (at `element`; the resource itself when omitted) that is
   * not in `kept` (the resource's own list when omitted): what is not kept would be lost silently.
   */
  keepOnly(value: object, kept?: ReadonlySet<string>, element?: string): void;
  /** The refusal of an extension the mapping does not keep, at `element`. */
  unkeptExtension(url: string | undefined, element?: string): ServiceError;
}

/** The refusals of one resource type's mapping, keeping the top-level elements in `kept`. */
export function elementRules(type: string, kept: readonly string[]): ElementRules {
  const own = new Set(kept);
  const bad = (message: string, element: string) =>
    new ServiceError(422, `Invalid ${type}`, message, `${type}.${element}`);
  return {
    bad,
    keepOnly(value, keep = own, element) {
      for (const key of Object.keys(value)) {
        if (keep.has(key)) continue;
        const path = element ? `${element}.${key}` : key;
        throw bad(`${type}.${path} is not kept by this server; leave it out.`, path);
      }
    },
    unkeptExtension: (url, element = 'extension') =>
      bad(`The extension ${url} is not kept by this server.`, element),
  };
}

/**
 * Reads a resource a client sent with a mapping that expects FHIR's shapes: a part of the wrong
 * JSON type (a string where a list is due) is refused with 422, not a fault. The routes check
 * each resource's structure first; this covers mappings used without that check (bulk import).
 */
export function wellFormed<T>(type: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TypeError) {
      throw new ServiceError(
        422,
        `Invalid ${type}`,
        `The ${type} is not well-formed: an element has the wrong type.`,
        type,
      );
    }
    throw error;
  }
}
