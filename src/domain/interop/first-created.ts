import type { Meta } from '@medplum/fhirtypes';

/**
 * HL7's core extension for when the first version of a resource was created on the server
 * (http://hl7.org/fhir/extensions/StructureDefinition-firstCreated.html; context Resource.meta,
 * valueInstant). A Goal's startDate is a date; this carries the instant a personal outcome was
 * recorded, so an import keeps the order outcomes were added in on the same day.
 */
export const FIRST_CREATED_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/firstCreated';

/** The meta extension saying when the resource was first created. */
export function firstCreatedExtension(at: Date | string) {
  return { url: FIRST_CREATED_EXTENSION, valueInstant: new Date(at).toISOString() };
}

/** When the resource was first created, from its meta, or null when it does not say (or says it badly). */
export function firstCreatedOf(meta: Meta | undefined): string | null {
  const value = meta?.extension?.find((e) => e.url === FIRST_CREATED_EXTENSION)?.valueInstant;
  if (value === undefined) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
