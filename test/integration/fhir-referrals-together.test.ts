import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { serviceRequestFhir } from '../../src/features/community-referrals/fhir-service-request.js';
import { taskFhir } from '../../src/features/community-referrals/fhir-task.js';
import type { AccessGrant } from '../../src/features/record-access/person-access.js';
import type { FhirHandler } from '../../src/interop/fhir/handler.js';
import { tasksFhir } from '../../src/interop/fhir/tasks.js';
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
 * Referrals (ServiceRequest) and their attendance (Task) read for many people at once, as bulk
 * export reads them (`listForPeople`, CommunityReferralService.forFhirOfEach): the same as each
 * person's own read, with a fixed number of statements however many people, the two types sharing
 * one read; and one person's two types sharing one read too (forFhir, side by side).
 */

let t: TestApp;
let client: Actor;
let grants: readonly AccessGrant[];

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 12 });
  client = await systemClient(t, 'referrals-together');
  const people = await everyPerson(t);
  grants = await t.services.access.requireEach(client, people, 'view', 'fhir-bulk-export');
}, 120_000);
afterAll(() => t?.close());

const withSome = (byPerson: Map<string, unknown[]>) => [...byPerson.values()].filter((l) => l.length).length;

describe('referrals and attendance read for many people at once', () => {
  it('gives each person exactly what their own read gives, as a system client and as care staff', async () => {
    const requests = await expectSameAsOneByOne(t, serviceRequestFhir, client, grants);
    const attendance = await expectSameAsOneByOne(t, taskFhir, client, grants);
    await expectSameAsOneByOne(t, tasksFhir, client, grants);
    // Several people, so the grouping by person and the order within each are really tested.
    expect(withSome(requests)).toBeGreaterThan(1);
    expect(withSome(attendance)).toBeGreaterThan(0);

    // Care staff, and a carer (another relation, who may do other things with a referral).
    const people = grants.map((g) => g.personId);
    for (const username of ['practitioner@demo', 'carer@demo']) {
      const actor = await signedInActor(t, username);
      const theirs = await t.services.access.requireEach(actor, people, 'view', 'fhir-bulk-export');
      expect(theirs.length, username).toBeGreaterThan(0);
      await expectSameAsOneByOne(t, serviceRequestFhir, actor, theirs);
      await expectSameAsOneByOne(t, taskFhir, actor, theirs);
      await expectSameAsOneByOne(t, tasksFhir, actor, theirs);
      const each = await t.services.communityReferrals.forFhirOfEach(theirs);
      for (const g of theirs) {
        const alone = await t.services.communityReferrals.forFhir(actor, g.personId);
        expect(each.get(g.personId) ?? { referrals: [], accounts: alone.accounts }).toEqual(alone);
      }
    }
  });

  it('gives the service’s own read for each grant, with what that relation may do', async () => {
    const each = await t.services.communityReferrals.forFhirOfEach(grants);
    for (const g of grants) {
      const alone = await t.services.communityReferrals.forFhir(client, g.personId);
      const together = each.get(g.personId);
      if (!alone.referrals.length) expect(together).toBeUndefined();
      else expect(together).toEqual(alone);
    }
  });

  it('reads everyone with the same few statements, ServiceRequest and Task sharing one read', async () => {
    const ctx = fhirContext(t, client);
    const both = (these: readonly AccessGrant[]) =>
      countQueries(() =>
        Promise.all([
          (serviceRequestFhir.listForPeople as NonNullable<FhirHandler['listForPeople']>)(ctx, these),
          (taskFhir.listForPeople as NonNullable<FhirHandler['listForPeople']>)(ctx, these),
        ]),
      );
    const all = await both(grants);
    const few = await both(grants.slice(0, 2));
    expect(all.queries).toBe(5);
    expect(few.queries).toBe(all.queries);
    // Another array is another read (nothing is kept once answered).
    expect((await both([...grants])).queries).toBe(5);
  });

  it('reads nothing for no one', async () => {
    const { result, queries } = await countQueries(() => readTogether(tasksFhir)(fhirContext(t, client), []));
    expect(result.size).toBe(0);
    expect(queries).toBe(0);
  });

  it('shares one person’s read between ServiceRequest and Task side by side', async () => {
    const ctx = fhirContext(t, client);
    const [person] = [...(await t.services.communityReferrals.forFhirOfEach(grants)).keys()];
    const one = await countQueries(async () => serviceRequestFhir.listForPerson?.(ctx, person as string));
    const audit = await countQueries(() =>
      t.services.access.require(client, person as string, 'view', 'read-community-referrals'),
    );
    const both = await countQueries(() =>
      Promise.all([
        serviceRequestFhir.listForPerson?.(ctx, person as string),
        taskFhir.listForPerson?.(ctx, person as string),
      ]),
    );
    // The second type adds only its own access check and audit entry, not another read.
    expect(both.queries).toBeLessThanOrEqual(one.queries + audit.queries);
    expect(one.queries - audit.queries).toBeGreaterThanOrEqual(5);
  });
});
