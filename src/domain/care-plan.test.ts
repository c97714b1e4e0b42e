import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  type Action,
  actionWhoProblem,
  agenciesInPlan,
  type CarePlanContent,
  CarePlanContentSchema,
  carePlanProblems,
  diffCarePlans,
  emptyCarePlan,
  type PlanGoal,
  repeatedIds,
} from './care-plan.js';

const GOAL = '6f1c1f3e-2b4a-4c1e-9d3a-000000000001';
const GOAL_2 = '6f1c1f3e-2b4a-4c1e-9d3a-000000000002';
const ACTION = '6f1c1f3e-2b4a-4c1e-9d3a-0000000000a1';
const ACTION_2 = '6f1c1f3e-2b4a-4c1e-9d3a-0000000000a2';
const ORG = '6f1c1f3e-2b4a-4c1e-9d3a-0000000000f1';
const OUTCOME = '6f1c1f3e-2b4a-4c1e-9d3a-0000000000c1';

const action = (overrides: Partial<Action> = {}): Action => ({
  id: ACTION,
  what: 'Walk to the shop',
  who: { kind: 'person', name: 'Maggie' },
  when: 'every Tuesday',
  status: 'not-started',
  confidence: 6,
  ...overrides,
});

const goal = (overrides: Partial<PlanGoal> = {}): PlanGoal => ({
  id: GOAL,
  outcomeId: OUTCOME,
  description: 'Get out of the house on my own',
  actions: [action()],
  ...overrides,
});

const plan = (overrides: Partial<CarePlanContent> = {}): CarePlanContent => ({
  ...emptyCarePlan(),
  strengths: ['Good sense of humour', 'Close to my daughter'],
  goals: [goal()],
  ...overrides,
});

describe('CarePlanContentSchema', () => {
  it('accepts an empty plan and a filled-in one', () => {
    expect(Value.Check(CarePlanContentSchema, emptyCarePlan())).toBe(true);
    expect(carePlanProblems(emptyCarePlan())).toEqual([]);
    const full = plan({
      aboutMe: {
        mostImportant: 'My garden',
        importantPeople: 'My daughter Sue',
        communication: 'Speak slowly; I wear a hearing aid',
        pleaseDo: 'Knock before coming in',
        pleaseDont: 'Call me "love"',
      },
      contingency: {
        triggers: 'Not eating',
        whatShouldHappen: 'Call Sue',
        whoToContact: 'Sue, 01234 567890',
      },
      review: { plannedDate: '2026-09-01', responsibleName: 'Amir Khan', responsibleRole: 'Social worker' },
      agreedWith: { name: 'Maggie Smith', relationship: 'the person', agreedOn: '2026-06-01' },
    });
    expect(carePlanProblems(full)).toEqual([]);
  });

  it('accepts nullable organisation and team ids, and optional when and confidence', () => {
    const minimal = plan({
      goals: [
        goal({
          outcomeId: null,
          actions: [
            {
              id: ACTION,
              what: 'Join the lunch club',
              who: {
                kind: 'community-resource',
                name: 'Age UK lunch club',
                organisationId: null,
                teamId: null,
              },
              status: 'in-progress',
            },
          ],
        }),
      ],
    });
    expect(carePlanProblems(minimal)).toEqual([]);
  });

  it.each([
    ['an id that is not a uuid', { goals: [goal({ id: 'goal-1' })] }, /^goals\.0\.id:/],
    [
      'an empty action',
      { goals: [goal({ actions: [action({ what: '' })] })] },
      /^goals\.0\.actions\.0\.what:/,
    ],
    ['an unknown status', { goals: [goal({ actions: [action({ status: 'late' as 'done' })] })] }, /status/],
    ['confidence above 10', { goals: [goal({ actions: [action({ confidence: 11 })] })] }, /confidence/],
    ['a fractional confidence', { goals: [goal({ actions: [action({ confidence: 5.5 })] })] }, /confidence/],
    ['an empty strength', { strengths: [''] }, /^strengths\.0:/],
    [
      'a date in the wrong form',
      { review: { plannedDate: '01/09/2026', responsibleName: '', responsibleRole: '' } },
      /^review\.plannedDate:/,
    ],
  ])('rejects %s', (_, overrides, message) => {
    const problems = carePlanProblems(plan(overrides as Partial<CarePlanContent>));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(message);
  });

  it('rejects fields it does not know', () => {
    expect(carePlanProblems({ ...emptyCarePlan(), extra: 1 })[0]).toMatch(/extra/);
    expect(carePlanProblems(null)[0]).toMatch(/^plan:/);
  });

  it('rejects the same id used twice, since versions are compared by id', () => {
    const twice = plan({ goals: [goal(), goal({ id: GOAL_2, actions: [action()] })] });
    expect(carePlanProblems(twice)).toEqual([`The id ${ACTION} is used more than once in the plan.`]);
  });

  it('rejects a date that is not on the calendar', () => {
    const problems = carePlanProblems(
      plan({ agreedWith: { name: 'Maggie', relationship: 'the person', agreedOn: '2026-02-30' } }),
    );
    expect(problems[0]).toMatch(/^agreedWith\.agreedOn:/);
  });

  it('gives a fresh plan each time', () => {
    const a = emptyCarePlan();
    a.strengths.push('x');
    expect(emptyCarePlan().strengths).toEqual([]);
  });
});

describe('repeatedIds', () => {
  it('names each later use of an id, goal or action, by its path', () => {
    expect(repeatedIds(plan())).toEqual([]);
    const twice = plan({
      goals: [goal(), goal({ id: GOAL_2, actions: [action({ id: ACTION_2 }), action()] }), goal()],
    });
    expect(repeatedIds(twice)).toEqual([
      { path: 'goals.1.actions.1.id', id: ACTION },
      { path: 'goals.2.id', id: GOAL },
      { path: 'goals.2.actions.0.id', id: ACTION },
    ]);
  });

  it('counts a goal and an action sharing an id as a repeat', () => {
    expect(repeatedIds(plan({ goals: [goal({ actions: [action({ id: GOAL })] })] }))).toEqual([
      { path: 'goals.0.actions.0.id', id: GOAL },
    ]);
  });
});

describe('diffCarePlans', () => {
  it('finds no changes between equal plans', () => {
    expect(diffCarePlans(plan(), plan())).toEqual([]);
    expect(diffCarePlans(emptyCarePlan(), emptyCarePlan())).toEqual([]);
  });

  it('reports text written, rewritten and cleared, with human labels', () => {
    const before = plan();
    const after = plan({
      aboutMe: { ...before.aboutMe, pleaseDo: 'Knock first', pleaseDont: '' },
      review: { plannedDate: '2026-09-01', responsibleName: '', responsibleRole: '' },
    });
    before.aboutMe.pleaseDont = 'Rush me';
    before.aboutMe.pleaseDo = 'Knock';
    expect(diffCarePlans(before, after)).toEqual([
      {
        path: 'aboutMe.pleaseDo',
        label: 'Please do',
        kind: 'changed',
        before: 'Knock',
        after: 'Knock first',
      },
      { path: 'aboutMe.pleaseDont', label: "Please don't", kind: 'removed', before: 'Rush me', after: null },
      {
        path: 'review.plannedDate',
        label: 'Planned review date',
        kind: 'added',
        before: null,
        after: '2026-09-01',
      },
    ]);
  });

  it('does not count blank text as a change from nothing', () => {
    const before = plan();
    const after = plan({ aboutMe: { ...before.aboutMe, communication: '   ' } });
    expect(diffCarePlans(before, after)).toEqual([]);
  });

  it('matches strengths by their words, counting repeats', () => {
    const changes = diffCarePlans(
      plan({ strengths: ['Humour', 'Gardening', 'Humour'] }),
      plan({ strengths: ['Gardening', 'Humour', 'Cooking'] }),
    );
    expect(changes).toEqual([
      { path: 'strengths["Humour"]', label: 'Strength', kind: 'removed', before: 'Humour', after: null },
      { path: 'strengths["Cooking"]', label: 'Strength', kind: 'added', before: null, after: 'Cooking' },
    ]);
  });

  it('does not report strengths, goals or actions that only moved', () => {
    const two = [action(), action({ id: ACTION_2, what: 'Phone Sue' })];
    const before = plan({
      strengths: ['a', 'b'],
      goals: [goal({ actions: two }), goal({ id: GOAL_2, actions: [] })],
    });
    const after = plan({
      strengths: ['b', 'a'],
      goals: [goal({ id: GOAL_2, actions: [] }), goal({ actions: [...two].reverse() })],
    });
    expect(diffCarePlans(before, after)).toEqual([]);
  });

  it('reports changes to an action, matched by id', () => {
    const after = plan({
      goals: [
        goal({
          actions: [
            action({
              what: 'Walk to the corner shop',
              status: 'in-progress',
              confidence: 8,
              when: undefined,
              who: { kind: 'carer', name: 'Sue' },
            }),
          ],
        }),
      ],
    });
    const path = `goals[${GOAL}].actions[${ACTION}]`;
    expect(diffCarePlans(plan(), after)).toEqual([
      {
        path: `${path}.what`,
        label: 'Action "Walk to the shop" description',
        kind: 'changed',
        before: 'Walk to the shop',
        after: 'Walk to the corner shop',
      },
      {
        path: `${path}.who.kind`,
        label: 'Action "Walk to the corner shop" who (kind)',
        kind: 'changed',
        before: 'The person',
        after: 'Carer',
      },
      {
        path: `${path}.who.name`,
        label: 'Action "Walk to the corner shop" who',
        kind: 'changed',
        before: 'Maggie',
        after: 'Sue',
      },
      {
        path: `${path}.when`,
        label: 'Action "Walk to the corner shop" when',
        kind: 'removed',
        before: 'every Tuesday',
        after: null,
      },
      {
        path: `${path}.status`,
        label: 'Action "Walk to the corner shop" status',
        kind: 'changed',
        before: 'Not started',
        after: 'In progress',
      },
      {
        path: `${path}.confidence`,
        label: 'Action "Walk to the corner shop" confidence',
        kind: 'changed',
        before: '6 out of 10',
        after: '8 out of 10',
      },
    ]);
  });

  it('reports the status change in the words of the brief', () => {
    const after = plan({ goals: [goal({ actions: [action({ status: 'done' })] })] });
    expect(diffCarePlans(plan(), after)).toEqual([
      {
        path: `goals[${GOAL}].actions[${ACTION}].status`,
        label: 'Action "Walk to the shop" status',
        kind: 'changed',
        before: 'Not started',
        after: 'Done',
      },
    ]);
  });

  it('reports goals and actions added and removed, removed first, with the actions of a whole goal', () => {
    const before = plan({
      goals: [
        goal(),
        goal({
          id: GOAL_2,
          description: 'Sleep better',
          actions: [action({ id: ACTION_2, what: 'No tea after 6' })],
        }),
      ],
    });
    const after = plan({
      goals: [
        goal({
          description: 'Get out on my own',
          outcomeId: null,
          actions: [action(), action({ id: ACTION_2, what: 'Try the bus' })],
        }),
      ],
    });
    expect(diffCarePlans(before, after).map(({ path, label, kind }) => [path, label, kind])).toEqual([
      [`goals[${GOAL}].description`, 'Goal "Get out of the house on my own" description', 'changed'],
      [`goals[${GOAL}].outcomeId`, 'Goal "Get out on my own" outcome', 'removed'],
      [`goals[${GOAL}].actions[${ACTION_2}]`, 'Action "Try the bus"', 'added'],
      [`goals[${GOAL_2}]`, 'Goal "Sleep better"', 'removed'],
      [`goals[${GOAL_2}].actions[${ACTION_2}]`, 'Action "No tea after 6"', 'removed'],
    ]);
  });

  it('shortens long goal and action wording in labels but not in values', () => {
    const long = 'x'.repeat(100);
    const [change] = diffCarePlans(
      emptyCarePlan(),
      plan({ strengths: [], goals: [goal({ description: long, actions: [] })] }),
    );
    expect(change?.label).toBe(`Goal "${'x'.repeat(59)}…"`);
    expect(change?.after).toBe(long);
  });

  it('lists sections in plan order', () => {
    const after = plan({
      aboutMe: { ...emptyCarePlan().aboutMe, mostImportant: 'Garden' },
      strengths: ['Garden'],
      contingency: { triggers: '', whatShouldHappen: 'Call Sue', whoToContact: '' },
      agreedWith: { name: 'Maggie', relationship: 'the person', agreedOn: '2026-06-01' },
    });
    expect(diffCarePlans(emptyCarePlan(), after).map((c) => c.path.replace(/[[.].*/, ''))).toEqual([
      'aboutMe',
      'strengths',
      'goals',
      'goals',
      'contingency',
      'agreedWith',
      'agreedWith',
      'agreedWith',
    ]);
  });
});

describe('agenciesInPlan', () => {
  it('lists organisation ids, and the names of organisations and community resources without one', () => {
    const agencies = agenciesInPlan(
      plan({
        goals: [
          goal({
            actions: [
              action({ who: { kind: 'practitioner', name: 'Amir Khan', organisationId: ORG } }),
              action({ id: ACTION_2, who: { kind: 'community-resource', name: 'Age UK lunch club' } }),
            ],
          }),
          goal({
            id: GOAL_2,
            actions: [
              action({ who: { kind: 'team', name: 'Reablement', organisationId: ORG, teamId: GOAL } }),
              action({ who: { kind: 'organisation', name: ' age uk lunch club ' } }),
              action({ who: { kind: 'person', name: 'Maggie' } }),
              action({ who: { kind: 'practitioner', name: 'Dr Jones', organisationId: null } }),
            ],
          }),
        ],
      }),
    );
    expect(agencies).toEqual([ORG, 'Age UK lunch club']);
  });

  it('is empty for an empty plan', () => {
    expect(agenciesInPlan(emptyCarePlan())).toEqual([]);
  });
});

describe('actionWhoProblem', () => {
  it('needs a name or an organisation for who does an action, not both', () => {
    expect(actionWhoProblem(plan())).toBeNull();
    const byOrganisation = plan({
      goals: [goal({ actions: [action({ who: { kind: 'organisation', name: '', organisationId: ORG } })] })],
    });
    expect(actionWhoProblem(byOrganisation)).toBeNull();
    expect(carePlanProblems(byOrganisation)).toEqual([]);
    const noOne = plan({
      goals: [
        goal(),
        goal({ id: GOAL_2, actions: [action({ id: ACTION_2, who: { kind: 'person', name: '  ' } })] }),
      ],
    });
    expect(actionWhoProblem(noOne)).toEqual({
      path: 'goals.1.actions.0.who.name',
      message: 'Enter the name of who does action 1 of goal 2, or choose their organisation.',
    });
    expect(carePlanProblems(noOne)).toHaveLength(1);
  });
});
