import type { FhirResourceType } from '../../domain/interop/fhir-types.js';
import { healthcareServiceFhir } from '../../features/community/fhir-healthcare-service.js';
import { serviceRequestFhir } from '../../features/community-referrals/fhir-service-request.js';
import { organizationFhir } from '../../features/directory/fhir-organization.js';
import { practitionerFhir } from '../../features/directory/fhir-practitioner.js';
import { practitionerRoleFhir } from '../../features/directory/fhir-practitioner-role.js';
import { questionnaireResponseFhir } from '../../features/measures/fhir-questionnaire-response.js';
import { encounterFhir } from '../../features/outcomes/fhir-encounter.js';
import { goalFhir } from '../../features/outcomes/fhir-goal.js';
import { observationFhir } from '../../features/outcomes/fhir-observation.js';
import { careTeamFhir } from '../../features/people/fhir-care-team.js';
import { patientFhir } from '../../features/people/fhir-patient.js';
import { relatedPersonFhir } from '../../features/people/fhir-related-person.js';
import { carePlanFhir } from '../../features/plans/fhir-care-plan.js';
import { questionnaireFhir } from '../../features/questionnaires/fhir-questionnaire.js';
import { consentFhir } from '../../features/sharing/fhir-consent.js';
import type { FhirHandler } from './handler.js';
// Task: measures asked of a person and attendance on community referrals, one handler (tasks.ts).
import { tasksFhir } from './tasks.js';

/**
 * The resource types `/fhir` serves, each by its handler (one file per type, beside its feature).
 * The routes, the CapabilityStatement and bulk export read this one list, so the statement cannot
 * claim what the routes do not do.
 */
export const FHIR_HANDLERS: readonly FhirHandler[] = [
  patientFhir as unknown as FhirHandler,
  goalFhir as unknown as FhirHandler,
  observationFhir as unknown as FhirHandler,
  organizationFhir as unknown as FhirHandler,
  practitionerFhir as unknown as FhirHandler,
  practitionerRoleFhir as unknown as FhirHandler,
  healthcareServiceFhir as unknown as FhirHandler,
  questionnaireFhir as unknown as FhirHandler,
  questionnaireResponseFhir as unknown as FhirHandler,
  carePlanFhir as unknown as FhirHandler,
  consentFhir as unknown as FhirHandler,
  careTeamFhir as unknown as FhirHandler,
  relatedPersonFhir as unknown as FhirHandler,
  encounterFhir as unknown as FhirHandler,
  serviceRequestFhir as unknown as FhirHandler,
  tasksFhir as unknown as FhirHandler,
];

const byType = new Map<string, FhirHandler>(FHIR_HANDLERS.map((h) => [h.type, h]));

export function fhirHandler(type: string): FhirHandler | undefined {
  return byType.get(type);
}

export function servedTypes(): FhirResourceType[] {
  return FHIR_HANDLERS.map((h) => h.type);
}
