import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { encounterFhir } from '../../src/features/outcomes/fhir-encounter.js';
import { goalFhir } from '../../src/features/outcomes/fhir-goal.js';
import { observationFhir } from '../../src/features/outcomes/fhir-observation.js';
import {
  insertConversations,
  insertGasAttainments,
  insertGasGoals,
  insertOutcomes,
  insertParticipants,
  insertRatings,
} from '../../src/features/outcomes/store.js';
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
 * What matters (Goal), its ratings, GAS scores and the measures' scores (Observation) and the
 * conversations (Encounter) read for many people at once, as bulk export reads them
 * (`listForPeople`): the same as each person's own read, for every relation that may view, with a
 * fixed number of statements however many people, Goal and Observation sharing one outcomes read.
 */

let t: TestApp;
let client: Actor;
let clientUserId: string;
let people: string[];
let grants: readonly AccessGrant[];

const HANDLERS = [goalFhir, observationFhir, encounterFhir] as FhirHandler[];

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 12 });
  client = await systemClient(t, 'outcomes-together');
  clientUserId = client.userId;
  people = await everyPerson(t);
  grants = await t.services.access.requireEach(client, people, 'view', 'fhir-bulk-export');
}, 120_000);
afterAll(() => t?.close());

describe('outcomes, scores and conversations read for many people at once', () => {
  it('gives a system client exactly what each person’s own read gives', async () => {
    for (const handler of HANDLERS) {
      const each = await expectSameAsOneByOne(t, handler, client, grants);
      // Several people with several resources, so grouping by person and the order within each are tested.
      const withSome = [...each.values()].filter((l) => l.length > 1);
      expect(withSome.length, handler.type).toBeGreaterThan(1);
    }
  });

  it('gives care staff, a carer and the person their own reads', async () => {
    for (const username of ['practitioner@demo', 'carer@demo', 'person@demo']) {
      const actor = await signedInActor(t, username);
      const theirs = await t.services.access.requireEach(actor, people, 'view', 'fhir-bulk-export');
      expect(theirs.length, username).toBeGreaterThan(0);
      for (const handler of HANDLERS) await expectSameAsOneByOne(t, handler, actor, theirs);
    }
  });

  it('reads everyone with the same few statements, and nothing for no one', async () => {
    const ctx = fhirContext(t, client);
    // Outcomes: the record, versions, GAS goals, attainments, raters; Observation adds the scores;
    // Encounter: the conversations and who took part.
    const expected = new Map<FhirHandler, number>([
      [goalFhir, 5],
      [observationFhir, 6],
      [encounterFhir, 2],
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

  it('shares one outcomes read between Goal and Observation asked side by side', async () => {
    const ctx = fhirContext(t, client);
    const same = await countQueries(() =>
      Promise.all([readTogether(goalFhir)(ctx, grants), readTogether(observationFhir)(ctx, grants)]),
    );
    expect(same.queries).toBe(6);
    // Nothing is kept once answered: a later export reads again.
    const again = await countQueries(() => readTogether(goalFhir)(ctx, grants));
    expect(again.queries).toBe(5);
  });

  it('reads nothing for a grant that does not allow viewing', async () => {
    const blind = grants.map((g) => ({ ...g, can: { ...g.can, view: false } }));
    for (const handler of HANDLERS) {
      const { result, queries } = await countQueries(() =>
        readTogether(handler)(fhirContext(t, client), blind),
      );
      expect(result.size, handler.type).toBe(0);
      expect(queries, handler.type).toBe(0);
    }
  });

  it('keeps each person’s rows apart when two records use the same row ids', async () => {
    const db = t.database.db;
    // A person with an outcome rated and scored on a GAS goal, and a conversation with who took part.
    const attained = await db
      .selectFrom('gas_attainment as a')
      .innerJoin('gas_goal as g', (j) =>
        j.onRef('g.person_id', '=', 'a.person_id').onRef('g.goal_id', '=', 'a.goal_id'),
      )
      .innerJoin('outcome_rating as r', (j) =>
        j.onRef('r.person_id', '=', 'g.person_id').onRef('r.outcome_id', '=', 'g.outcome_id'),
      )
      .innerJoin('personal_outcome as o', (j) =>
        j.onRef('o.person_id', '=', 'g.person_id').onRef('o.outcome_id', '=', 'g.outcome_id'),
      )
      .innerJoin('conversation_participant as cp', 'cp.person_id', 'a.person_id')
      .select([
        'a.person_id',
        'a.attainment_id',
        'g.goal_id',
        'o.outcome_id',
        'o.framework_id',
        'r.rating_id',
        'cp.conversation_id',
        'cp.participant_id',
      ])
      .where(
        'a.person_id',
        'in',
        grants.map((g) => g.personId),
      )
      .executeTakeFirstOrThrow();
    const other = grants.find((g) => g.personId !== attained.person_id) as AccessGrant;
    const personId = other.personId;
    // The other person's record gets rows under the same ids, recorded by someone else.
    await insertConversations(db, [
      {
        personId,
        conversationId: attained.conversation_id,
        kind: 'review',
        heldOn: '2026-01-15',
        summary: 'Same id, another record.',
        whatHelped: '',
        whatGotInTheWay: '',
        nextReviewDate: null,
        recordedByUserId: clientUserId,
      },
    ]);
    await insertParticipants(db, [
      {
        personId,
        conversationId: attained.conversation_id,
        participantId: attained.participant_id,
        kind: 'other',
        name: 'Someone Else',
        userId: null,
        organisationId: null,
        role: 'friend',
      },
    ]);
    await insertOutcomes(db, [
      {
        personId,
        outcomeId: attained.outcome_id,
        frameworkId: attained.framework_id,
        statement: 'Same id, another record.',
        whyItMatters: '',
        importance: null,
        addedBy: 'practitioner',
        conversationId: null,
        createdByUserId: clientUserId,
      },
    ]);
    await insertRatings(db, [
      {
        personId,
        ratingId: attained.rating_id,
        outcomeId: attained.outcome_id,
        viewpoint: 'practitioner',
        score: 2,
        note: '',
        conversationId: null,
        ratedByUserId: clientUserId,
      },
    ]);
    await insertGasGoals(db, [
      {
        personId,
        goalId: attained.goal_id,
        outcomeId: attained.outcome_id,
        levels: { [-2]: 'a', [-1]: 'b', 0: 'c', 1: 'd', 2: 'e' },
        baselineLevel: -1,
        importance: null,
        difficulty: null,
        weight: 1,
        createdByUserId: clientUserId,
      },
    ]);
    await insertGasAttainments(db, [
      {
        personId,
        attainmentId: attained.attainment_id,
        goalId: attained.goal_id,
        level: 1,
        conversationId: null,
        recordedByUserId: clientUserId,
      },
    ]);
    const both = grants.filter((g) => g.personId === personId || g.personId === attained.person_id);
    for (const handler of HANDLERS) await expectSameAsOneByOne(t, handler, client, both);
  });
});
