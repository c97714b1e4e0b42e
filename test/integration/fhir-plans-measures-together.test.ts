import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { questionnaireResponseFhir } from '../../src/features/measures/fhir-questionnaire-response.js';
import { measureTaskFhir } from '../../src/features/measures/fhir-task.js';
import { carePlanFhir } from '../../src/features/plans/fhir-care-plan.js';
import type { AccessGrant } from '../../src/features/record-access/person-access.js';
import type { FhirHandler } from '../../src/interop/fhir/handler.js';
import { countQueries } from '../../src/store/database.js';
import {
  everyPerson,
  expectSameAsOneByOne,
  fhirContext,
  readTogether,
  signedInActor,
  systemClient,
} from '../support/fhir-together.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The care plan (CarePlan), completed measures (QuestionnaireResponse) and measures asked
 * (measure-request Task) read for many people at once, as bulk export reads them
 * (`listForPeople`): the same as each person's own read, for every relation that may view, with a
 * fixed number of statements however many people.
 */

let t: TestApp;
let client: Actor;
let people: string[];
let grants: readonly AccessGrant[];

const HANDLERS = [carePlanFhir, questionnaireResponseFhir, measureTaskFhir] as FhirHandler[];

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 12 });
  client = await systemClient(t, 'plans-measures-together');
  people = await everyPerson(t);
  grants = await t.services.access.requireEach(client, people, 'view', 'fhir-bulk-export');
  // The demo data asks each person for one measure at most: ask two people for more, so the
  // grouping and the order of several requests per person are tested.
  const practitioner = await signedInActor(t, 'practitioner@demo');
  const managed = await t.services.access.requireEach(practitioner, people, 'manage', 'test-setup');
  for (const { personId } of managed.slice(0, 2)) {
    for (const [dueOn, sendToPerson] of [
      ['2026-03-01', false],
      ['2026-02-01', true],
      ['2026-03-01', false],
    ] as const)
      await t.services.measures.requestMeasure(practitioner, personId, {
        instrument: 'ons4',
        dueOn,
        sendToPerson,
      });
  }
}, 120_000);
afterAll(() => t?.close());

describe('care plans and measures read for many people at once', () => {
  it('gives a system client exactly what each person’s own read gives', async () => {
    for (const handler of HANDLERS) {
      const each = await expectSameAsOneByOne(t, handler, client, grants);
      // Several people with several resources, so grouping by person and the order within each are tested.
      const withSome = [...each.values()].filter((l) => l.length > 0);
      expect(withSome.length, handler.type).toBeGreaterThan(1);
      if (handler === questionnaireResponseFhir) expect(withSome.some((l) => l.length > 1)).toBe(true);
    }
  });

  it('gives the current version of each plan, whatever the number of versions', async () => {
    const plans = await readTogether(carePlanFhir)(fhirContext(t, client), grants);
    const rows = await t.database.db
      .selectFrom('care_plan_version')
      .select([
        'person_id',
        (eb) => eb.fn.max('version').as('latest'),
        (eb) => eb.fn.countAll().as('versions'),
      ])
      .groupBy('person_id')
      .execute();
    expect(rows.some((r) => Number(r.versions) > 1)).toBe(true);
    for (const g of grants) {
      const row = rows.find((r) => r.person_id === g.personId);
      expect(plans.get(g.personId)?.map((p) => p.meta?.versionId) ?? [], g.personId).toEqual(
        row ? [String(row.latest)] : [],
      );
    }
  });

  it('gives care staff, a carer and the person their own reads', async () => {
    for (const username of ['practitioner@demo', 'carer@demo', 'person@demo']) {
      const actor = await signedInActor(t, username);
      const theirs = await t.services.access.requireEach(actor, people, 'view', 'fhir-bulk-export');
      expect(theirs.length, username).toBeGreaterThan(0);
      for (const handler of HANDLERS) {
        const each = await expectSameAsOneByOne(t, handler, actor, theirs);
        if (username === 'practitioner@demo' && handler === measureTaskFhir)
          expect([...each.values()].filter((l) => l.length > 2).length).toBe(2);
      }
    }
  });

  it('reads everyone with the same few statements, and nothing for no one', async () => {
    const ctx = fhirContext(t, client);
    // One of the plans; one of the responses and one of who recorded them; one of the requests,
    // one of the library and one of who asked.
    const expected = new Map<FhirHandler, number>([
      [carePlanFhir, 1],
      [questionnaireResponseFhir, 2],
      [measureTaskFhir, 3],
    ]);
    for (const handler of HANDLERS) {
      const all = await countQueries(() => readTogether(handler)(ctx, grants));
      const few = await countQueries(() => readTogether(handler)(ctx, grants.slice(0, 2)));
      expect(all.queries, handler.type).toBe(expected.get(handler));
      expect(few.queries, handler.type).toBe(all.queries);
      const none = await countQueries(() => readTogether(handler)(ctx, []));
      expect(none.result.size, handler.type).toBe(0);
      expect(none.queries, handler.type).toBe(0);
    }
  });
});
