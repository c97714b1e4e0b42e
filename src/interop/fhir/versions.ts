import type { Resource } from '@medplum/fhirtypes';

/**
 * Versions as HTTP sees them (https://hl7.org/fhir/R4/http.html#concurrency): the ETag of a
 * resource is `W/"<versionId>"`, and an update names the version it was based on in `If-Match`.
 */
export function etagOf(resource: Resource): string {
  return `W/"${resource.meta?.versionId ?? '1'}"`;
}

/** The version an `If-Match` header names (`W/"3"`, `"3"` or `3`), or null when it names none. */
export function versionOfIfMatch(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^\s*(?:W\/)?"?([A-Za-z0-9\-.]{1,64})"?\s*$/.exec(header);
  return match ? (match[1] as string) : '';
}
