/**
 * UK Core (HL7 UK / NHS England) identifiers and extensions, in one place. Sources:
 * https://simplifier.net/hl7fhirukcorer4 (UKCore-Patient, Extension-UKCore-EthnicCategory,
 * CodeSystem-UKCore-EthnicCategoryEngland v1.0.0); see docs/research/issue-13-fhir.md §3.2.
 */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_ORGANISATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const UK_CORE_PATIENT_PROFILE = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient';
export const ETHNIC_CATEGORY_EXTENSION =
  'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory';
/** The England ethnic category codes: the same single letters (A–S, Z, 99) as `ETHNIC_CATEGORIES`. */
export const ETHNIC_CATEGORY_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland';
/** Our own code systems and extensions, under one documented base. */
export const WHATMATTERS_FHIR_BASE = 'https://whatmatters.example.org/fhir';
export const whatmattersCodeSystem = (name: string) => `${WHATMATTERS_FHIR_BASE}/CodeSystem/${name}`;
export const whatmattersExtension = (name: string) => `${WHATMATTERS_FHIR_BASE}/StructureDefinition/${name}`;
