import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { FHIR_HANDLERS } from '../../src/interop/fhir/registry.js';
import { everyPerson, expectSameAsOneByOne, signedInActor, systemClient } from '../support/fhir-together.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bulk export reads many people's records at once (`listForPeople`, after one access check per
 * person, `PersonAccess.requireEach`). Whatever a type gives that way must be exactly what it gives
 * person by person through `listForPerson` (the services' own checked reads): the same resources,
 * in the same order, for every person of the demo data, as a system client and as care staff.
 * (Each type's own test, fhir-*-together.test.ts, adds the readers and records the demo lacks.)
 */

let t: TestApp;
const inRecords = FHIR_HANDLERS.filter((h) => h.listForPerson);

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 30 });
}, 120_000);
afterAll(() => t?.close());

async function expectEveryTypeSameAsOneByOne(actor: Actor): Promise<number> {
  const people = await everyPerson(t);
  const grants = await t.services.access.requireEach(actor, people, 'view', 'fhir-bulk-export');
  // Everyone the actor may see, and no one else: the same rule as opening one record.
  const oneByOne = (
    await Promise.all(people.map(async (p) => ((await t.services.access.relationTo(actor, p)) ? [p] : [])))
  ).flat();
  expect(grants.map((g) => g.personId)).toEqual(oneByOne);
  expect(grants.length).toBeGreaterThan(5);
  let compared = 0;
  for (const handler of inRecords) {
    if (!handler.listForPeople) continue;
    const together = await expectSameAsOneByOne(t, handler, actor, grants);
    for (const resources of together.values()) compared += resources.length;
  }
  return compared;
}

describe('reading many people at once for bulk export', () => {
  it('every type kept in a record reads many people at once', () => {
    expect(inRecords.filter((h) => !h.listForPeople).map((h) => h.type)).toEqual([]);
  });

  it('gives a system client exactly what each person’s own read gives', async () => {
    expect(await expectEveryTypeSameAsOneByOne(await systemClient(t, 'together'))).toBeGreaterThan(100);
  }, 120_000);

  it('gives care staff exactly what each person’s own read gives', async () => {
    expect(await expectEveryTypeSameAsOneByOne(await signedInActor(t, 'practitioner@demo'))).toBeGreaterThan(
      20,
    );
  }, 120_000);

  it('audits each person once, as a bulk export of their record, allowed or refused', async () => {
    const actor = await systemClient(t, 'audited');
    const people = await everyPerson(t);
    const grants = await t.services.access.requireEach(actor, people, 'view', 'fhir-bulk-export');
    const rows = await t.database.db
      .selectFrom('audit_event')
      .select(['person_id', 'outcome'])
      .where('action', '=', 'fhir-bulk-export')
      .where('actor_user_id', '=', actor.userId)
      .orderBy('person_id')
      .execute();
    const allowed = new Set(grants.map((g) => g.personId));
    // Everyone asked about, once: the people the organisation does not hold as refused.
    expect(rows).toEqual(
      people.map((p) => ({ person_id: p, outcome: allowed.has(p) ? 'success' : 'denied' })),
    );
    expect(rows.some((r) => r.outcome === 'denied')).toBe(true);
  });
});
