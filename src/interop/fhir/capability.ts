import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { COMMON_PARAMS } from '../../domain/interop/fhir-search.js';
import { FHIR_HANDLERS } from './registry.js';

/** When this statement's content last changed (the software's, not the request's). */
const STATEMENT_DATE = '2026-11-27';

/** The Bulk Data Access IG's operation definitions ($export at system, Patient and Group level). */
const BULK_DATA = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition';

/**
 * What `/fhir` supports, generated from the handlers the routes serve: every type, its
 * interactions, its search parameters and includes, so the statement tells the truth.
 * https://hl7.org/fhir/R4/capabilitystatement.html
 */
export function capabilityStatement(baseUrl: string): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = FHIR_HANDLERS.map((h) => ({
    type: h.type,
    documentation: h.documentation,
    ...(h.supportedProfiles?.length ? { supportedProfile: h.supportedProfiles } : {}),
    interaction: [
      { code: 'read' as const },
      { code: 'vread' as const },
      { code: 'history-instance' as const },
      { code: 'search-type' as const },
      ...(h.create ? [{ code: 'create' as const }] : []),
      ...(h.update ? [{ code: 'update' as const }] : []),
    ],
    versioning: 'versioned' as const,
    readHistory: h.keepsHistory,
    updateCreate: false,
    conditionalCreate: false,
    conditionalUpdate: false,
    conditionalDelete: 'not-supported' as const,
    ...(h.includes?.length ? { searchInclude: h.includes.map((i) => i.name) } : {}),
    ...(h.type === 'Patient'
      ? { operation: [{ name: 'export', definition: `${BULK_DATA}/patient-export` }] }
      : {}),
    searchParam: [
      ...COMMON_PARAMS.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
      ...h.searchParams.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
    ],
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STATEMENT_DATE,
    publisher: 'WhatMatters',
    kind: 'instance',
    software: { name: 'WhatMatters' },
    implementation: { description: 'WhatMatters FHIR R4 endpoint', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Person-centred outcomes. Searches of types in a person’s record need patient (or subject). Paging with _count and _offset. Versions: ETag W/"n"; If-Match on update (412 when stale).',
        security: {
          cors: false,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
              text: 'OAuth 2 client credentials (POST /oauth/token) with SMART system scopes, or a signed-in session',
            },
          ],
        },
        resource: [
          ...resource,
          {
            type: 'Group',
            documentation:
              'Only for bulk export: a Group is a team (its team id), its members the people in that team’s care team.',
            operation: [{ name: 'export', definition: `${BULK_DATA}/group-export` }],
          },
        ],
        // Bulk Data v2 (docs/FHIR.md, "Bulk export"): asynchronous, NDJSON files, _type and _since.
        operation: [{ name: 'export', definition: `${BULK_DATA}/export` }],
      },
    ],
  };
}
