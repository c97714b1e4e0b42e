import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCarePlan } from '../../src/domain/care-plan.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The practitioner's and the person's journeys through the API: register a person, record a first
 * conversation with outcomes and ratings, agree a plan with actions from two agencies, review with
 * GAS, read the timeline; then the person reads their plan, adds what matters and rates it.
 */
let t: TestApp;
let practitioner: string;
let otherPractitioner: string;
let personId: string;
let domainIds: string[];
let organisations: { organisationId: string; kind: string; name: string; teams: { teamId: string }[] }[];

const json = (cookie: string) => ({ headers: { cookie } });

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  otherPractitioner = await signIn(t.app, 'manager@demo');
  const frameworks = (await t.app.inject({ url: '/api/frameworks', ...json(practitioner) })).json();
  const talkingPoints = frameworks.find((f: { key: string }) => f.key === 'talking-points');
  domainIds = talkingPoints.domains.map((d: { domainId: string }) => d.domainId);
  organisations = (await t.app.inject({ url: '/api/organisations', ...json(practitioner) })).json();
});
afterAll(() => t?.close());

describe('the practitioner journey', () => {
  it('registers a person, who joins their caseload', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      ...json(practitioner),
      payload: {
        givenName: 'Margaret',
        familyName: 'Okafor',
        preferredName: 'Peggy',
        dateOfBirth: '1941-05-12',
        nhsNumber: '943 476 5919',
        sex: 'female',
        ethnicCategory: 'N',
        postcode: 'rv1 2ab',
      },
    });
    expect(response.statusCode).toBe(201);
    personId = response.json().personId;
    const caseload = (
      await t.app.inject({ url: '/api/caseload?search=okafor', ...json(practitioner) })
    ).json();
    expect(caseload.entries.map((e: { personId: string }) => e.personId)).toContain(personId);
    expect(caseload.entries[0]).toMatchObject({
      name: 'Peggy Okafor',
      hasPlan: false,
      reviewStatus: 'not-set',
    });
  });

  it('refuses a date of birth that cannot be right (1850, or tomorrow), naming the field', async () => {
    for (const dateOfBirth of ['1850-06-01', '2999-01-01']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/people',
        ...json(practitioner),
        payload: { givenName: 'A', familyName: 'B', sex: 'male', dateOfBirth },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().errors[0].field).toBe('dateOfBirth');
    }
  });

  it('refuses an NHS number that fails Modulus 11, naming the field', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      ...json(practitioner),
      payload: { givenName: 'A', familyName: 'B', sex: 'male', nhsNumber: '943 476 5918' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('nhsNumber');
  });

  it('refuses a second person with the same NHS number', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      ...json(practitioner),
      payload: { givenName: 'A', familyName: 'B', sex: 'male', nhsNumber: '9434765919' },
    });
    expect(response.statusCode).toBe(409);
    // It says no more than that, points to the ways of being given access, and the finding is on
    // the existing person's audit trail, as a refusal.
    expect(response.json().detail).toMatch(/ask their care team to add your team/);
    const existing = await t.database.db
      .selectFrom('person_nhs_number')
      .select('person_id')
      .where('nhs_number', '=', '9434765919')
      .executeTakeFirstOrThrow();
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('person_id', '=', existing.person_id)
      .where('action', '=', 'register-person')
      .execute();
    expect(audited).toContainEqual({ action: 'register-person', outcome: 'denied' });
  });

  let walkingOutcome: string;
  let safeOutcome: string;
  it('records a first conversation with three outcomes, ratings from several viewpoints and a GAS goal', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/conversations`,
      ...json(practitioner),
      payload: {
        kind: 'first',
        heldOn: '2026-09-01',
        summary: 'Met Peggy and her daughter at home.',
        nextReviewDate: '2026-10-15',
        participants: [
          { kind: 'person', name: 'Peggy Okafor' },
          { kind: 'carer', name: 'Ada Okafor', role: 'daughter' },
          { kind: 'practitioner', name: 'Priya Shah', role: 'Social worker' },
        ],
        newOutcomes: [
          {
            statement: 'I want to get back to my walking group',
            whyItMatters: 'It is where my friends are.',
            domainIds: [domainIds[2], domainIds[3]],
            importance: 9,
            ratings: [
              { viewpoint: 'person', score: 1 },
              { viewpoint: 'practitioner', score: 2 },
              { viewpoint: 'carer', score: 1 },
            ],
            gas: {
              levels: {
                '-2': 'Not leaving the house',
                '-1': 'Walks to the end of the road with help',
                '0': 'Walks to the shop twice a week',
                '1': 'Goes to the walking group most weeks',
                '2': 'Leads part of the walk',
              },
              baselineLevel: -1,
              importance: 3,
              difficulty: 2,
            },
          },
          {
            statement: 'I want to feel safe at night',
            domainIds: [domainIds[0]],
            ratings: [{ viewpoint: 'person', score: 2 }],
          },
          { statement: 'I want to see my grandchildren more', domainIds: [domainIds[2]] },
        ],
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().outcomeIds).toHaveLength(3);
    [walkingOutcome, safeOutcome] = response.json().outcomeIds;
  });

  it('shows disagreement between viewpoints rather than averaging it away', async () => {
    const outcomes = (
      await t.app.inject({ url: `/api/people/${personId}/outcomes`, ...json(practitioner) })
    ).json();
    const walking = outcomes.find((o: { outcomeId: string }) => o.outcomeId === walkingOutcome);
    expect(walking.latest.person.score).toBe(1);
    expect(walking.latest.practitioner.score).toBe(2);
    expect(walking.disagreement).toMatchObject({ spread: 1, disagree: true });
    expect(walking.gas).toMatchObject({ baselineLevel: -1, weight: 6, currentLevel: -1 });
  });

  let planVersion: number;
  it('agrees a plan with actions from two agencies', async () => {
    const council = organisations.find((o) => o.kind === 'council-adult-social-care');
    const charity = organisations.find((o) => o.kind === 'voluntary-community');
    const plan = emptyCarePlan();
    plan.aboutMe.mostImportant = 'My friends at the walking group.';
    plan.strengths = ['Determined'];
    plan.goals = [
      {
        id: crypto.randomUUID(),
        outcomeId: walkingOutcome,
        description: 'Back to the walking group',
        actions: [
          {
            id: crypto.randomUUID(),
            what: 'Arrange physiotherapy assessment',
            who: {
              kind: 'organisation',
              name: council?.name ?? '',
              organisationId: council?.organisationId ?? null,
            },
            when: 'By the end of September',
            status: 'in-progress',
            confidence: 7,
          },
          {
            id: crypto.randomUUID(),
            what: 'Walking buddy for the first three sessions',
            who: {
              kind: 'organisation',
              name: charity?.name ?? '',
              organisationId: charity?.organisationId ?? null,
            },
            when: 'Thursdays',
            status: 'not-started',
            confidence: 6,
          },
        ],
      },
    ];
    plan.review.plannedDate = '2026-10-15';
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/plan/versions`,
      ...json(practitioner),
      payload: { content: plan, basedOn: 0, changeSummary: 'First plan' },
    });
    expect(response.statusCode).toBe(201);
    planVersion = response.json().version;
    expect(planVersion).toBe(1);

    const stale = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/plan/versions`,
      ...json(practitioner),
      payload: { content: plan, basedOn: 0 },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('reviews with GAS attainment and new ratings', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/conversations`,
      ...json(practitioner),
      payload: {
        kind: 'review',
        heldOn: '2026-10-15',
        summary: 'Peggy walked to the shop twice last week.',
        whatHelped: 'The walking buddy',
        whatGotInTheWay: 'Rain',
        nextReviewDate: '2027-01-15',
        participants: [
          { kind: 'person', name: 'Peggy Okafor' },
          { kind: 'practitioner', name: 'Priya Shah' },
        ],
        ratings: [
          { outcomeId: walkingOutcome, viewpoint: 'person', score: 3 },
          { outcomeId: walkingOutcome, viewpoint: 'practitioner', score: 3 },
        ],
        gasAttainments: [{ outcomeId: walkingOutcome, level: 1 }],
      },
    });
    expect(response.statusCode).toBe(201);
  });

  it('the record shows ratings over time, the GAS T-score and a timeline of who did what', async () => {
    const record = (await t.app.inject({ url: `/api/people/${personId}`, ...json(practitioner) })).json();
    const walking = record.outcomes.find((o: { outcomeId: string }) => o.outcomeId === walkingOutcome);
    expect(walking.distance.find((d: { viewpoint: string }) => d.viewpoint === 'person')).toMatchObject({
      change: 2,
    });
    // One goal, weight 6, at +1: T = 50 + 10·6 / √(0.7·36 + 0.3·36) = 60.
    expect(record.gasScores).toEqual([expect.objectContaining({ heldOn: '2026-10-15', t: 60 })]);
    expect(record.nextReviewDate).toBe('2027-01-15');
    const kinds = record.timeline.flatMap((m: { events: { kind: string }[] }) => m.events.map((e) => e.kind));
    for (const kind of ['conversation', 'outcome-added', 'rating', 'gas-attainment', 'plan-version'])
      expect(kinds).toContain(kind);
  });

  it('compares plan versions', async () => {
    const view = (await t.app.inject({ url: `/api/people/${personId}/plan`, ...json(practitioner) })).json();
    const content = view.current.content;
    content.goals[0].actions[0].status = 'done';
    const saved = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/plan/versions`,
      ...json(practitioner),
      payload: { content, basedOn: 1, changeSummary: 'Physio done' },
    });
    expect(saved.statusCode).toBe(201);
    const diff = (
      await t.app.inject({ url: `/api/people/${personId}/plan/compare?from=1&to=2`, ...json(practitioner) })
    ).json();
    expect(diff.changes).toEqual([
      expect.objectContaining({ kind: 'changed', after: expect.stringMatching(/done/i) }),
    ]);
  });

  it('refuses a conversation dated in the future', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/conversations`,
      ...json(practitioner),
      payload: {
        kind: 'other',
        heldOn: '2099-01-01',
        summary: 'x',
        participants: [{ kind: 'person', name: 'P' }],
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('heldOn');
  });

  it('two saves of the plan from the same version at once: one wins, the other is told', async () => {
    const view = (await t.app.inject({ url: `/api/people/${personId}/plan`, ...json(practitioner) })).json();
    const save = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/people/${personId}/plan/versions`,
        ...json(practitioner),
        payload: { content: view.current.content, basedOn: view.current.version, changeSummary: 'same time' },
      });
    const statuses = (await Promise.all([save(), save()])).map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409]);
  });

  it('a save that fails validation writes nothing', async () => {
    const before = (
      await t.app.inject({ url: `/api/people/${personId}/plan`, ...json(practitioner) })
    ).json();
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/conversations`,
      ...json(practitioner),
      payload: {
        kind: 'review',
        heldOn: '2026-11-01',
        summary: 'x',
        participants: [{ kind: 'person', name: 'P' }],
        ratings: [{ outcomeId: safeOutcome, viewpoint: 'person', score: 3 }],
        gasAttainments: [{ outcomeId: safeOutcome, level: 1 }], // this outcome has no GAS goal
      },
    });
    expect(bad.statusCode).toBe(422);
    const after = (await t.app.inject({ url: `/api/people/${personId}`, ...json(practitioner) })).json();
    expect(after.conversations).toHaveLength(2);
    const safe = after.outcomes.find((o: { outcomeId: string }) => o.outcomeId === safeOutcome);
    expect(safe.ratings).toHaveLength(1);
    expect(before.versions).toHaveLength(3);
  });
});

describe('access to a person’s record', () => {
  it('a practitioner outside the care team gets 404, and the attempt is audited as denied', async () => {
    const { db } = t.database;
    const ownTeam = await db
      .selectFrom('user_role as r')
      .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
      .select('r.team_id')
      .where('u.username', '=', 'practitioner@demo')
      .executeTakeFirstOrThrow();
    const outsider = await db
      .selectFrom('user_account as u')
      .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
      .select('u.user_id')
      .where('r.role', '=', 'practitioner')
      .where('r.team_id', '!=', ownTeam.team_id)
      .executeTakeFirstOrThrow();
    // Generated staff have no password; give this one the demo password to sign in.
    const { password_hash } = await db
      .selectFrom('user_account')
      .select('password_hash')
      .where('username', '=', 'practitioner@demo')
      .executeTakeFirstOrThrow();
    const { username } = await db
      .updateTable('user_account')
      .set({ password_hash })
      .where('user_id', '=', outsider.user_id)
      .returning('username')
      .executeTakeFirstOrThrow();
    const cookie = await signIn(t.app, username);
    const response = await t.app.inject({ url: `/api/people/${personId}`, ...json(cookie) });
    expect(response.statusCode).toBe(404);
    const denied = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('person_id', '=', personId)
      .where('actor_user_id', '=', outsider.user_id)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied).toHaveLength(1);
  });

  it('the team manager of the same team can see the person', async () => {
    const response = await t.app.inject({ url: `/api/people/${personId}`, ...json(otherPractitioner) });
    expect(response.statusCode).toBe(200);
  });

  it('a commissioner cannot see the caseload or the record', async () => {
    const cookie = await signIn(t.app, 'commissioner@demo');
    expect((await t.app.inject({ url: '/api/caseload', ...json(cookie) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/people/${personId}`, ...json(cookie) })).statusCode).toBe(404);
  });
});
