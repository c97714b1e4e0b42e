/**
 * The content of a Personalised Care and Support Plan, following the PRSB standard
 * (Professional Record Standards Body, Personalised Care and Support Plan v2.0): about me; the care
 * and support plan with strengths, goals and hopes and their actions (what, who, when, status,
 * confidence); a contingency plan; the planned review and who is responsible for it; and whether it
 * was agreed with the person or their legitimate representative.
 *
 * The schemas are the single definition: the API validates with them and the types are derived
 * from them, so the two cannot drift apart. Only the parts of the standard that are the plan's own
 * content are here; demographics, GP and contacts live in the person's record.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { registerFormats } from './formats.js';

// carePlanProblems checks with TypeBox's own checker, which must know the formats the API knows.
registerFormats();

export const ACTION_STATUSES = ['not-started', 'in-progress', 'done', 'stopped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  stopped: 'Stopped',
};

/** How many strengths, goals and actions a goal a plan may hold: a plan, not a case file. */
export const MAX_STRENGTHS = 50;
export const MAX_GOALS = 50;
export const MAX_ACTIONS_PER_GOAL = 50;

/** Who carries out an action: any agency or community resource, not only professionals. */
export const SUPPORT_KINDS = [
  'person',
  'carer',
  'practitioner',
  'team',
  'organisation',
  'community-resource',
] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];

export const SUPPORT_KIND_LABELS: Record<SupportKind, string> = {
  person: 'The person',
  carer: 'Carer',
  practitioner: 'Practitioner',
  team: 'Team',
  organisation: 'Organisation',
  'community-resource': 'Community resource',
};

const uuid = () => Type.String({ format: 'uuid' });
const nullableUuid = () => Type.Union([uuid(), Type.Null()]);
// A real calendar date: the form's day, month and year fields become one of these or are refused.
const isoDate = () =>
  Type.Union([Type.String({ format: 'date', description: 'A date, YYYY-MM-DD' }), Type.Null()]);
// Free text the person or practitioner may leave blank.
const text = (maxLength = 4000) => Type.String({ maxLength });

export const ActionSchema = Type.Object(
  {
    id: uuid(),
    what: Type.String({ minLength: 1, maxLength: 2000 }),
    who: Type.Object(
      {
        kind: Type.Union(SUPPORT_KINDS.map((kind) => Type.Literal(kind))),
        /** Who, by name; may be left empty when an organisation is named (`actionWhoProblem`). */
        name: Type.String({ maxLength: 300 }),
        organisationId: Type.Optional(nullableUuid()),
        teamId: Type.Optional(nullableUuid()),
      },
      { additionalProperties: false },
    ),
    /** Free text such as "every Tuesday", or a date. */
    when: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Union(ACTION_STATUSES.map((status) => Type.Literal(status))),
    /** How confident the person feels about carrying out the action, 0 to 10. */
    confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  },
  { additionalProperties: false },
);

export const PlanGoalSchema = Type.Object(
  {
    id: uuid(),
    /** The personal outcome this goal works towards, if it has been linked to one. */
    outcomeId: Type.Optional(nullableUuid()),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    actions: Type.Array(ActionSchema, { maxItems: MAX_ACTIONS_PER_GOAL }),
  },
  { additionalProperties: false },
);

export const CarePlanContentSchema = Type.Object(
  {
    aboutMe: Type.Object(
      {
        mostImportant: text(),
        importantPeople: text(),
        communication: text(),
        pleaseDo: text(),
        pleaseDont: text(),
      },
      { additionalProperties: false },
    ),
    strengths: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { maxItems: MAX_STRENGTHS }),
    goals: Type.Array(PlanGoalSchema, { maxItems: MAX_GOALS }),
    contingency: Type.Object(
      { triggers: text(), whatShouldHappen: text(), whoToContact: text() },
      { additionalProperties: false },
    ),
    review: Type.Object(
      { plannedDate: isoDate(), responsibleName: text(300), responsibleRole: text(300) },
      { additionalProperties: false },
    ),
    agreedWith: Type.Object(
      {
        name: text(300),
        /** For example "the person", or "daughter (lasting power of attorney)". */
        relationship: text(300),
        agreedOn: isoDate(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Action = Static<typeof ActionSchema>;
export type PlanGoal = Static<typeof PlanGoalSchema>;
export type CarePlanContent = Static<typeof CarePlanContentSchema>;

export function emptyCarePlan(): CarePlanContent {
  return {
    aboutMe: { mostImportant: '', importantPeople: '', communication: '', pleaseDo: '', pleaseDont: '' },
    strengths: [],
    goals: [],
    contingency: { triggers: '', whatShouldHappen: '', whoToContact: '' },
    review: { plannedDate: null, responsibleName: '', responsibleRole: '' },
    agreedWith: { name: '', relationship: '', agreedOn: null },
  };
}

/** An id used again in a plan, with the path of its second use (e.g. `goals.1.actions.0.id`). */
export interface RepeatedId {
  path: string;
  id: string;
}

/**
 * Goal and action ids used more than once in a plan. They must be unique (beyond what the schema
 * can say) because versions are compared by id.
 */
export function repeatedIds(plan: CarePlanContent): RepeatedId[] {
  const repeated: RepeatedId[] = [];
  const seen = new Set<string>();
  const see = (id: string, path: string) => {
    if (seen.has(id)) repeated.push({ path, id });
    seen.add(id);
  };
  for (const [g, goal] of plan.goals.entries()) {
    see(goal.id, `goals.${g}.id`);
    for (const [a, action] of goal.actions.entries()) see(action.id, `goals.${g}.actions.${a}.id`);
  }
  return repeated;
}

export const repeatedIdMessage = (id: string) => `The id ${id} is used more than once in the plan.`;

/**
 * Dates a plan cannot have on `today` (ISO dates compare as text): agreed in the future, or due
 * for review before the day it was agreed (a review date in 2020 on a plan agreed today).
 */
export function planDateProblem(
  content: CarePlanContent,
  today: string,
): { path: 'agreedWith.agreedOn' | 'review.plannedDate'; message: string } | null {
  const agreed = content.agreedWith.agreedOn;
  if (agreed && agreed > today) {
    return {
      path: 'agreedWith.agreedOn',
      message: 'The date the plan was agreed must be today or in the past.',
    };
  }
  const planned = content.review.plannedDate;
  if (agreed && planned && planned < agreed) {
    return {
      path: 'review.plannedDate',
      message: 'The planned review date must be on or after the date the plan was agreed.',
    };
  }
  return null;
}

/**
 * An action must say who does it: a name, or an organisation (a name is not needed when the
 * organisation is chosen). The first action that says neither, with its path.
 */
export function actionWhoProblem(content: CarePlanContent): { path: string; message: string } | null {
  for (const [g, goal] of content.goals.entries()) {
    for (const [a, action] of goal.actions.entries()) {
      if (!action.who.name.trim() && !action.who.organisationId)
        return {
          path: `goals.${g}.actions.${a}.who.name`,
          message: `Enter the name of who does action ${a + 1} of goal ${g + 1}, or choose their organisation.`,
        };
    }
  }
  return null;
}

/**
 * What is wrong with a plan, one message per problem with its path; empty when it is valid: the
 * schema, then unique ids. For checking plans made outside a request, such as the demo's.
 */
export function carePlanProblems(value: unknown): string[] {
  const problems = [...Value.Errors(CarePlanContentSchema, value)].map(
    (error) => `${error.path.replace(/^\//, '').replaceAll('/', '.') || 'plan'}: ${error.message}`,
  );
  if (problems.length > 0) return problems;
  const who = actionWhoProblem(value as CarePlanContent);
  return [
    ...repeatedIds(value as CarePlanContent).map(({ id }) => repeatedIdMessage(id)),
    ...(who ? [`${who.path}: ${who.message}`] : []),
  ];
}

export interface PlanChange {
  /** Where the change is, with goals and actions named by id, e.g. 'goals[<id>].actions[<id>].status'. */
  path: string;
  /** The same place in words, e.g. 'Action "Walk to the shop" status'. */
  label: string;
  kind: 'added' | 'removed' | 'changed';
  /** Values as a reader would want them shown (status and kind as labels); null when there was none. */
  before: string | null;
  after: string | null;
}

const ABOUT_ME_LABELS: Record<keyof CarePlanContent['aboutMe'], string> = {
  mostImportant: 'What is most important to me',
  importantPeople: 'People who are important to me',
  communication: 'How I communicate and how to communicate with me',
  pleaseDo: 'Please do',
  pleaseDont: "Please don't",
};

const CONTINGENCY_LABELS: Record<keyof CarePlanContent['contingency'], string> = {
  triggers: 'If things go wrong: signs to look out for',
  whatShouldHappen: 'If things go wrong: what should happen',
  whoToContact: 'If things go wrong: who to contact',
};

const REVIEW_LABELS: Record<keyof CarePlanContent['review'], string> = {
  plannedDate: 'Planned review date',
  responsibleName: 'Responsible for the review (name)',
  responsibleRole: 'Responsible for the review (role)',
};

const AGREED_WITH_LABELS: Record<keyof CarePlanContent['agreedWith'], string> = {
  name: 'Agreed with (name)',
  relationship: 'Agreed with (relationship to the person)',
  agreedOn: 'Date agreed',
};

const QUOTE_LIMIT = 60;

// Goals and actions are named by their own words in labels; long ones are cut so a label stays a label.
function quoted(words: string): string {
  const trimmed = words.trim();
  return `"${trimmed.length > QUOTE_LIMIT ? `${trimmed.slice(0, QUOTE_LIMIT - 1)}…` : trimmed}"`;
}

// Blank text and missing values both mean "nothing recorded", so neither is reported as a change.
function shown(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const asText = String(value);
  return asText.trim() === '' ? null : asText;
}

function compare(
  changes: PlanChange[],
  path: string,
  label: string,
  before: string | number | null | undefined,
  after: string | number | null | undefined,
): void {
  const was = shown(before);
  const now = shown(after);
  if (was === now) return;
  const kind = was === null ? 'added' : now === null ? 'removed' : 'changed';
  changes.push({ path, label, kind, before: was, after: now });
}

function compareFields<K extends string>(
  changes: PlanChange[],
  section: string,
  labels: Record<K, string>,
  before: Record<K, string | null>,
  after: Record<K, string | null>,
): void {
  for (const key of Object.keys(labels) as K[]) {
    compare(changes, `${section}.${key}`, labels[key], before[key], after[key]);
  }
}

const confidenceText = (confidence: number | undefined) =>
  confidence === undefined ? null : `${confidence} out of 10`;

function actionWhole(changes: PlanChange[], path: string, action: Action, kind: 'added' | 'removed'): void {
  const value = shown(action.what);
  changes.push({
    path,
    label: `Action ${quoted(action.what)}`,
    kind,
    before: kind === 'removed' ? value : null,
    after: kind === 'added' ? value : null,
  });
}

function compareActions(changes: PlanChange[], goalPath: string, before: Action, after: Action): void {
  const path = `${goalPath}.actions[${after.id}]`;
  const name = `Action ${quoted(after.what)}`;
  compare(changes, `${path}.what`, `Action ${quoted(before.what)} description`, before.what, after.what);
  compare(
    changes,
    `${path}.who.kind`,
    `${name} who (kind)`,
    SUPPORT_KIND_LABELS[before.who.kind],
    SUPPORT_KIND_LABELS[after.who.kind],
  );
  compare(changes, `${path}.who.name`, `${name} who`, before.who.name, after.who.name);
  compare(
    changes,
    `${path}.who.organisationId`,
    `${name} organisation`,
    before.who.organisationId,
    after.who.organisationId,
  );
  compare(changes, `${path}.who.teamId`, `${name} team`, before.who.teamId, after.who.teamId);
  compare(changes, `${path}.when`, `${name} when`, before.when, after.when);
  compare(
    changes,
    `${path}.status`,
    `${name} status`,
    ACTION_STATUS_LABELS[before.status],
    ACTION_STATUS_LABELS[after.status],
  );
  compare(
    changes,
    `${path}.confidence`,
    `${name} confidence`,
    confidenceText(before.confidence),
    confidenceText(after.confidence),
  );
}

function goalWhole(changes: PlanChange[], goal: PlanGoal, kind: 'added' | 'removed'): void {
  const path = `goals[${goal.id}]`;
  const value = shown(goal.description);
  changes.push({
    path,
    label: `Goal ${quoted(goal.description)}`,
    kind,
    before: kind === 'removed' ? value : null,
    after: kind === 'added' ? value : null,
  });
  // The actions go with the goal, and are listed so the record says who was to do what.
  for (const action of goal.actions) actionWhole(changes, `${path}.actions[${action.id}]`, action, kind);
}

function compareGoals(changes: PlanChange[], before: PlanGoal, after: PlanGoal): void {
  const path = `goals[${after.id}]`;
  compare(
    changes,
    `${path}.description`,
    `Goal ${quoted(before.description)} description`,
    before.description,
    after.description,
  );
  compare(
    changes,
    `${path}.outcomeId`,
    `Goal ${quoted(after.description)} outcome`,
    before.outcomeId,
    after.outcomeId,
  );
  const afterActions = new Map(after.actions.map((action) => [action.id, action]));
  const beforeIds = new Set(before.actions.map((action) => action.id));
  for (const action of before.actions) {
    const now = afterActions.get(action.id);
    if (now) compareActions(changes, path, action, now);
    else actionWhole(changes, `${path}.actions[${action.id}]`, action, 'removed');
  }
  for (const action of after.actions) {
    if (!beforeIds.has(action.id)) actionWhole(changes, `${path}.actions[${action.id}]`, action, 'added');
  }
}

// Items of `items` left over once each is paired off with an equal one in `against`, in order.
function unmatched(items: readonly string[], against: readonly string[]): string[] {
  const available = new Map<string, number>();
  for (const item of against) available.set(item, (available.get(item) ?? 0) + 1);
  return items.filter((item) => {
    const count = available.get(item) ?? 0;
    if (count === 0) return true;
    available.set(item, count - 1);
    return false;
  });
}

// Strengths have no id, so they are matched by their words, counting repeats.
function compareStrengths(changes: PlanChange[], before: readonly string[], after: readonly string[]): void {
  const removed = unmatched(before, after);
  const added = unmatched(after, before);
  for (const strength of removed) {
    changes.push({
      path: `strengths[${JSON.stringify(strength)}]`,
      label: 'Strength',
      kind: 'removed',
      before: strength,
      after: null,
    });
  }
  for (const strength of added) {
    changes.push({
      path: `strengths[${JSON.stringify(strength)}]`,
      label: 'Strength',
      kind: 'added',
      before: null,
      after: strength,
    });
  }
}

/**
 * What changed between two versions of a plan, for the plan's history. Goals and actions are
 * matched by id, so rewording one is a change rather than a removal and an addition; a change of
 * order alone is not reported. The order is stable: sections in plan order; within goals, those of
 * the earlier version in their order (removed or changed), then new ones in their order.
 */
export function diffCarePlans(before: CarePlanContent, after: CarePlanContent): PlanChange[] {
  const changes: PlanChange[] = [];
  compareFields(changes, 'aboutMe', ABOUT_ME_LABELS, before.aboutMe, after.aboutMe);
  compareStrengths(changes, before.strengths, after.strengths);

  const afterGoals = new Map(after.goals.map((goal) => [goal.id, goal]));
  const beforeIds = new Set(before.goals.map((goal) => goal.id));
  for (const goal of before.goals) {
    const now = afterGoals.get(goal.id);
    if (now) compareGoals(changes, goal, now);
    else goalWhole(changes, goal, 'removed');
  }
  for (const goal of after.goals) {
    if (!beforeIds.has(goal.id)) goalWhole(changes, goal, 'added');
  }

  compareFields(changes, 'contingency', CONTINGENCY_LABELS, before.contingency, after.contingency);
  compareFields(changes, 'review', REVIEW_LABELS, before.review, after.review);
  compareFields(changes, 'agreedWith', AGREED_WITH_LABELS, before.agreedWith, after.agreedWith);
  return changes;
}

/**
 * The agencies a plan relies on, for sharing and for the care team view: the organisation id where
 * an action names one, otherwise the name of a 'who' that is itself an organisation or community
 * resource. People, carers and practitioners or teams with no organisation recorded are not
 * agencies. Names are compared ignoring case and surrounding spaces; first appearance wins.
 */
export function agenciesInPlan(plan: CarePlanContent): string[] {
  const agencies = new Map<string, string>();
  for (const goal of plan.goals) {
    for (const { who } of goal.actions) {
      if (who.organisationId) {
        const key = `id:${who.organisationId.toLowerCase()}`;
        if (!agencies.has(key)) agencies.set(key, who.organisationId);
      } else if (who.kind === 'organisation' || who.kind === 'community-resource') {
        const name = who.name.trim();
        const key = `name:${name.toLowerCase()}`;
        if (name !== '' && !agencies.has(key)) agencies.set(key, name);
      }
    }
  }
  return [...agencies.values()];
}
