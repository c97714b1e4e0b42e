/**
 * The FHIR R4 resource types the `/fhir` endpoint serves: one list, from which the SMART scopes a
 * client may be granted, the CapabilityStatement and the bulk export's `_type` check all derive.
 */
export const FHIR_RESOURCE_TYPES = [
  'Patient',
  'RelatedPerson',
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'HealthcareService',
  'CareTeam',
  'Goal',
  'CarePlan',
  'Observation',
  'Questionnaire',
  'QuestionnaireResponse',
  'Consent',
  'Encounter',
  'ServiceRequest',
  'Task',
] as const;

export type FhirResourceType = (typeof FHIR_RESOURCE_TYPES)[number];

export function isFhirResourceType(value: string): value is FhirResourceType {
  return (FHIR_RESOURCE_TYPES as readonly string[]).includes(value);
}

/** FHIR's media type; plain JSON is accepted and answered too. */
export const FHIR_JSON = 'application/fhir+json';
/** Bulk data files: one resource per line. */
export const FHIR_NDJSON = 'application/fhir+ndjson';
