import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorForClient } from '../../src/domain/actor.js';
import { FHIR_RESOURCE_TYPES } from '../../src/domain/interop/fhir-types.js';
import { isQuestionnaireTask } from '../../src/domain/interop/measure-task.js';
import { ensureClientAccount } from '../../src/features/auth/client-account.js';
import type { FhirContext } from '../../src/interop/fhir/handler.js';
import { FHIR_HANDLERS } from '../../src/interop/fhir/registry.js';
import { busiestOrganisation } from '../support/fhir.js';
import { fhirProblems } from '../support/fhir-validator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every resource of every served type that the demo data gives, for every person an organisation
 * holds, validated against the base FHIR R4 definitions (and our stricter checks): the issue's
 * "a test validates every resource type from the demo data".
 */
let t: TestApp;
let ctx: FhirContext;
let people: string[];

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 40 });
  const db = t.database.db;
  const organisationId = await busiestOrganisation(db);
  await t.services.apiClients.add({
    clientId: 'validity',
    name: 'Validity',
    scopes: ['system/*.read'],
    organisationId: organisationId,
  });
  ctx = {
    actor: actorForClient(
      {
        clientId: 'validity',
        organisationId: organisationId,
        userId: await ensureClientAccount(db, 'validity'),
      },
      null,
    ),
    services: t.services,
    baseUrl: 'http://127.0.0.1/fhir',
  };
  const rows = await db
    .selectFrom('care_team_member as m')
    .innerJoin('sharing_basis as b', (j) =>
      j
        .onRef('b.person_id', '=', 'm.person_id')
        .onRef('b.organisation_id', '=', 'm.organisation_id')
        .on('b.withdrawn_at', 'is', null),
    )
    .select('m.person_id')
    .distinct()
    .where('m.organisation_id', '=', organisationId)
    .where('m.end_date', 'is', null)
    .execute();
  people = rows.map((r) => r.person_id);
}, 120_000);

afterAll(() => t.close());

describe('every resource the demo data gives is valid FHIR R4', () => {
  it('serves every type the issue names', () => {
    expect(FHIR_HANDLERS.map((h) => h.type).sort()).toEqual([...FHIR_RESOURCE_TYPES].sort());
  });

  it('for every type, every resource validates', async () => {
    const counts = new Map<string, number>();
    const problems: string[] = [];
    const check = (resource: Resource) => {
      counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
      // Task holds two kinds (interop/fhir/tasks.ts): the measures asked of a person are counted apart.
      if (isQuestionnaireTask(resource as unknown as Record<string, unknown>))
        counts.set('Task: measure request', (counts.get('Task: measure request') ?? 0) + 1);
      for (const p of fhirProblems(resource)) problems.push(`${resource.resourceType}/${resource.id}: ${p}`);
    };
    for (const handler of FHIR_HANDLERS) {
      if (handler.listForPerson) {
        for (const personId of people) for (const r of await handler.listForPerson(ctx, personId)) check(r);
      }
      if (handler.listPage) {
        for (let offset = 0; ; offset += 100) {
          const page = await handler.listPage(ctx, offset, 100);
          page.forEach(check);
          if (page.length < 100) break;
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(counts.get('Task: measure request') ?? 0).toBeGreaterThan(0);
    // Each type has demo resources to check (a type with none would pass without being tested).
    expect(Object.fromEntries(FHIR_HANDLERS.map((h) => [h.type, (counts.get(h.type) ?? 0) > 0]))).toEqual(
      Object.fromEntries(FHIR_HANDLERS.map((h) => [h.type, true])),
    );
  }, 300_000);
});
