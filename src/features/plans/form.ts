import { randomUUID } from 'node:crypto';
import {
  type Action,
  type CarePlanContent,
  MAX_ACTIONS_PER_GOAL,
  MAX_GOALS,
  MAX_STRENGTHS,
  type PlanGoal,
} from '../../domain/care-plan.js';
import { ContractError } from '../../services/contract.js';
import {
  checked,
  dateFields,
  dateParts,
  type FieldError,
  type FormBody,
  formErrors,
  text,
} from '../../web/forms.js';
import type { CommentOnPlanInput, SavePlanVersionInput } from './schema.js';

/**
 * The plan's forms and their contracts. The edit form shows the plan as rows, one a goal and one an
 * action, each with its saved id (blank for a row added on the form); every goal and the plan
 * itself get a blank row for adding, so nothing needs JavaScript. Posting maps the rows onto the
 * save contract (`SavePlanVersion`) without judging them: text that is not a number or a date is
 * passed on as it is, so the service's contract refuses it and nothing is quietly dropped or
 * defaulted. Each refusal comes back through one mapping from contract path to form field, with
 * words about that field.
 */

export interface DateFields {
  day: string;
  month: string;
  year: string;
}

export interface ActionRow {
  id: string;
  /** A row added on this form, not yet saved: left out when left blank. */
  isNew: boolean;
  what: string;
  whoKind: string;
  whoName: string;
  organisationId: string;
  teamId: string;
  when: string;
  status: string;
  confidence: string;
  remove: boolean;
}

export interface GoalRow {
  id: string;
  isNew: boolean;
  description: string;
  outcomeId: string;
  remove: boolean;
  actions: ActionRow[];
}

export interface PlanForm {
  basedOn: string;
  aboutMe: CarePlanContent['aboutMe'];
  /** One strength a line. */
  strengths: string;
  goals: GoalRow[];
  contingency: CarePlanContent['contingency'];
  review: { plannedDate: DateFields; responsibleName: string; responsibleRole: string };
  agreedWith: { name: string; relationship: string; agreedOn: DateFields };
  changeSummary: string;
}

/** For each goal in the contract, its row on the form; for each of its actions, the action's row. */
export type PlanRows = { goal: number; actions: number[] }[];

// The form never shows more rows than the limits plus a blank one; more than twice that is not a
// form this service made, and reading it would be work for nothing. The contract refuses the excess.
const MAX_GOAL_ROWS = 2 * MAX_GOALS + 1;
const MAX_ACTION_ROWS = 2 * MAX_ACTIONS_PER_GOAL + 1;

export const goalField = (goal: number, name: string): string => `goals-${goal}-${name}`;
export const actionField = (goal: number, action: number, name: string): string =>
  `goals-${goal}-actions-${action}-${name}`;

export function blankAction(): ActionRow {
  return {
    id: '',
    isNew: true,
    what: '',
    whoKind: 'practitioner',
    whoName: '',
    organisationId: '',
    teamId: '',
    when: '',
    status: 'not-started',
    confidence: '',
    remove: false,
  };
}

export function blankGoal(): GoalRow {
  return { id: '', isNew: true, description: '', outcomeId: '', remove: false, actions: [blankAction()] };
}

function actionRow(action: Action): ActionRow {
  return {
    id: action.id,
    isNew: false,
    what: action.what,
    whoKind: action.who.kind,
    whoName: action.who.name,
    organisationId: action.who.organisationId ?? '',
    teamId: action.who.teamId ?? '',
    when: action.when ?? '',
    status: action.status,
    confidence: action.confidence === undefined ? '' : String(action.confidence),
    remove: false,
  };
}

function goalRow(goal: PlanGoal): GoalRow {
  return {
    id: goal.id,
    isNew: false,
    description: goal.description,
    outcomeId: goal.outcomeId ?? '',
    remove: false,
    actions: [...goal.actions.map(actionRow), blankAction()],
  };
}

/** The form for editing a saved plan (or a first one), with a blank goal and a blank action a goal. */
export function formFromPlan(content: CarePlanContent, basedOn: number): PlanForm {
  return {
    basedOn: String(basedOn),
    aboutMe: { ...content.aboutMe },
    strengths: content.strengths.join('\n'),
    goals: [...content.goals.map(goalRow), blankGoal()],
    contingency: { ...content.contingency },
    review: {
      plannedDate: dateParts(content.review.plannedDate),
      responsibleName: content.review.responsibleName,
      responsibleRole: content.review.responsibleRole,
    },
    agreedWith: {
      name: content.agreedWith.name,
      relationship: content.agreedWith.relationship,
      agreedOn: dateParts(content.agreedWith.agreedOn),
    },
    changeSummary: '',
  };
}

const rowCount = (body: FormBody, name: string, max: number): number => {
  const count = Number(text(body, name));
  return Number.isInteger(count) && count > 0 ? Math.min(count, max) : 0;
};

/** The form as posted, every row kept (blank ones too) so it can be shown again as it was. */
export function formFromBody(body: FormBody): PlanForm {
  const goals: GoalRow[] = [];
  for (let g = 0; g < rowCount(body, 'goals-count', MAX_GOAL_ROWS); g++) {
    const actions: ActionRow[] = [];
    for (let a = 0; a < rowCount(body, goalField(g, 'actions-count'), MAX_ACTION_ROWS); a++) {
      const field = (name: string) => text(body, actionField(g, a, name));
      actions.push({
        id: field('id'),
        isNew: field('new') === 'yes',
        what: field('what'),
        whoKind: field('who-kind'),
        whoName: field('who-name'),
        organisationId: field('who-organisationId'),
        teamId: field('who-teamId'),
        when: field('when'),
        status: field('status'),
        confidence: field('confidence'),
        remove: checked(body, actionField(g, a, 'remove')),
      });
    }
    goals.push({
      id: text(body, goalField(g, 'id')),
      isNew: text(body, goalField(g, 'new')) === 'yes',
      description: text(body, goalField(g, 'description')),
      outcomeId: text(body, goalField(g, 'outcomeId')),
      remove: checked(body, goalField(g, 'remove')),
      actions,
    });
  }
  return {
    basedOn: text(body, 'basedOn'),
    aboutMe: {
      mostImportant: text(body, 'aboutMe-mostImportant'),
      importantPeople: text(body, 'aboutMe-importantPeople'),
      communication: text(body, 'aboutMe-communication'),
      pleaseDo: text(body, 'aboutMe-pleaseDo'),
      pleaseDont: text(body, 'aboutMe-pleaseDont'),
    },
    strengths: text(body, 'strengths'),
    goals,
    contingency: {
      triggers: text(body, 'contingency-triggers'),
      whatShouldHappen: text(body, 'contingency-whatShouldHappen'),
      whoToContact: text(body, 'contingency-whoToContact'),
    },
    review: {
      plannedDate: dateFields(body, 'review-plannedDate'),
      responsibleName: text(body, 'review-responsibleName'),
      responsibleRole: text(body, 'review-responsibleRole'),
    },
    agreedWith: {
      name: text(body, 'agreedWith-name'),
      relationship: text(body, 'agreedWith-relationship'),
      agreedOn: dateFields(body, 'agreedWith-agreedOn'),
    },
    changeSummary: text(body, 'changeSummary'),
  };
}

/** A whole number as a number; anything else as typed, for the contract to refuse. */
const numberOrText = (value: string): number | string =>
  /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;

/** The date-input's three fields as YYYY-MM-DD, null when all are blank; not a real date is the contract's to refuse. */
function dateOf({ day, month, year }: DateFields): string | null {
  if (!day && !month && !year) return null;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

// A blank row added on the form is a place to add, not a goal or action. The kind and status
// selects always hold a value, so they say nothing about whether the row was used.
const isBlankAction = (a: ActionRow) =>
  !a.what && !a.whoName && !a.when && !a.organisationId && !a.confidence;
const isBlankGoal = (g: GoalRow) => !g.description && !g.outcomeId && g.actions.every(isBlankAction);

/**
 * The save contract's input from the form, and where each goal and action in it is on the form.
 * Removed rows and blank new ones are left out; a new row gets its id here, kept on the form so
 * that showing the form again (after an error) keeps it.
 */
export function saveInputFromForm(form: PlanForm): { input: SavePlanVersionInput; rows: PlanRows } {
  const rows: PlanRows = [];
  const goals: unknown[] = [];
  form.goals.forEach((goal, g) => {
    if (goal.remove || (goal.isNew && isBlankGoal(goal))) return;
    if (!goal.id) goal.id = randomUUID();
    const actions: unknown[] = [];
    const actionRows: number[] = [];
    goal.actions.forEach((action, a) => {
      if (action.remove || (action.isNew && isBlankAction(action))) return;
      if (!action.id) action.id = randomUUID();
      actions.push({
        id: action.id,
        what: action.what,
        who: {
          kind: action.whoKind,
          name: action.whoName,
          organisationId: action.organisationId || null,
          ...(action.teamId ? { teamId: action.teamId } : {}),
        },
        ...(action.when ? { when: action.when } : {}),
        status: action.status,
        ...(action.confidence ? { confidence: numberOrText(action.confidence) } : {}),
      });
      actionRows.push(a);
    });
    goals.push({ id: goal.id, outcomeId: goal.outcomeId || null, description: goal.description, actions });
    rows.push({ goal: g, actions: actionRows });
  });
  const input = {
    content: {
      aboutMe: { ...form.aboutMe },
      strengths: form.strengths
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
      goals,
      contingency: { ...form.contingency },
      review: {
        plannedDate: dateOf(form.review.plannedDate),
        responsibleName: form.review.responsibleName,
        responsibleRole: form.review.responsibleRole,
      },
      agreedWith: {
        name: form.agreedWith.name,
        relationship: form.agreedWith.relationship,
        agreedOn: dateOf(form.agreedWith.agreedOn),
      },
    },
    basedOn: numberOrText(form.basedOn),
    changeSummary: form.changeSummary,
  };
  // The shape is the contract's; the values are as typed, and the service's contract check judges them.
  return { input: input as SavePlanVersionInput, rows };
}

/** A form field, with the words for what is wrong with it. */
interface FormField {
  id: string;
  /** What the field is, to begin a sentence: "Goal 2". */
  label: string;
  /** Said when it is left empty. */
  missing?: string;
  /** Said for any other problem: a choice not on the list, a date not on the calendar. */
  invalid?: string;
}

const ABOUT_ME_LABELS: Record<keyof CarePlanContent['aboutMe'], string> = {
  mostImportant: 'What is most important to the person',
  importantPeople: 'People who are important to the person',
  communication: 'How to communicate with the person',
  pleaseDo: 'Please do',
  pleaseDont: 'Please don’t',
};

const CONTINGENCY_LABELS: Record<keyof CarePlanContent['contingency'], string> = {
  triggers: 'Signs that things are going wrong',
  whatShouldHappen: 'What should happen',
  whoToContact: 'Who to contact',
};

const NOT_ON_THIS_FORM = 'was changed since the form was opened: reload the plan and make your changes again';

function actionFormField(g: number, a: number, rest: string, goalNumber: number): FormField {
  const of = `action ${a + 1} of goal ${goalNumber}`;
  const at = (name: string) => actionField(g, a, name);
  switch (rest) {
    case 'who.kind':
      return { id: at('who-kind'), label: `Who does ${of}`, invalid: `Choose who does ${of}` };
    case 'who':
    case 'who.name':
      return {
        id: at('who-name'),
        label: `Who does ${of}`,
        missing: `Enter the name of who does ${of}, or choose their organisation`,
      };
    case 'who.organisationId':
    case 'who.teamId':
      return {
        id: at('who-organisationId'),
        label: `The organisation for ${of}`,
        invalid: `Choose an organisation from the list for ${of}`,
      };
    case 'when':
      return { id: at('when'), label: `When for ${of}` };
    case 'status':
      return { id: at('status'), label: `The status of ${of}`, invalid: `Choose the status of ${of}` };
    case 'confidence':
      return {
        id: at('confidence'),
        label: `The confidence for ${of}`,
        invalid: `Choose a confidence from 0 to 10 for ${of}`,
      };
    case 'what':
      return {
        id: at('what'),
        label: `What will happen for ${of}`,
        missing: `Enter what will happen for ${of}`,
      };
    default:
      return {
        id: at('what'),
        label: `Action ${a + 1} of goal ${goalNumber}`,
        invalid: `Action ${a + 1} of goal ${goalNumber} ${NOT_ON_THIS_FORM}`,
      };
  }
}

/**
 * The one mapping from a save contract path (`content.goals.0.actions.1.who.name`) to its form
 * field (`goals-0-actions-1-who-name`, counting the form's rows, blank and removed ones included)
 * and to words about that field.
 */
export function planFormField(contractPath: string, form: PlanForm, rows: PlanRows): FormField {
  const path = contractPath.replace(/^content\.?/, '');
  const goal = /^goals\.(\d+)(?:\.(.*))?$/.exec(path);
  if (goal) {
    const row = rows[Number(goal[1])];
    const g = row?.goal ?? 0;
    const n = g + 1;
    const rest = goal[2] ?? '';
    const action = /^actions\.(\d+)(?:\.(.*))?$/.exec(rest);
    if (action) return actionFormField(g, row?.actions[Number(action[1])] ?? 0, action[2] ?? '', n);
    const description = goalField(g, 'description');
    switch (rest) {
      case 'description':
        return {
          id: description,
          label: `Goal ${n}`,
          missing: form.goals[g]?.isNew
            ? `Describe goal ${n}`
            : `Describe goal ${n}, or tick ‘Remove this goal’`,
        };
      case 'outcomeId':
        return {
          id: goalField(g, 'outcomeId'),
          label: `What goal ${n} works towards`,
          invalid: `Choose what matters to the person that goal ${n} works towards`,
        };
      case 'actions':
        return {
          id: description,
          label: `Goal ${n}`,
          invalid: `Goal ${n} can have at most ${MAX_ACTIONS_PER_GOAL} actions`,
        };
      default:
        return { id: description, label: `Goal ${n}`, invalid: `Goal ${n} ${NOT_ON_THIS_FORM}` };
    }
  }
  const [section = '', key = '', ...more] = path.split('.');
  if (section === 'goals') {
    return { id: 'goals', label: 'The goals', invalid: `A plan can have at most ${MAX_GOALS} goals` };
  }
  if (section === 'strengths') {
    return key
      ? { id: 'strengths', label: `Strength ${Number(key) + 1}` }
      : {
          id: 'strengths',
          label: 'Strengths',
          invalid: `Write at most ${MAX_STRENGTHS} strengths, one a line`,
        };
  }
  if (section === 'aboutMe' && key in ABOUT_ME_LABELS && more.length === 0) {
    return { id: `aboutMe-${key}`, label: ABOUT_ME_LABELS[key as keyof CarePlanContent['aboutMe']] };
  }
  if (section === 'contingency' && key in CONTINGENCY_LABELS && more.length === 0) {
    return {
      id: `contingency-${key}`,
      label: CONTINGENCY_LABELS[key as keyof CarePlanContent['contingency']],
    };
  }
  switch (`${section}.${key}`) {
    case 'review.plannedDate':
      return {
        id: 'review-plannedDate-day',
        label: 'The planned review date',
        invalid: 'The planned review date must be a real date, for example 27 3 2026',
      };
    case 'review.responsibleName':
      return { id: 'review-responsibleName', label: 'The name of who is responsible' };
    case 'review.responsibleRole':
      return { id: 'review-responsibleRole', label: 'The role of who is responsible' };
    case 'agreedWith.name':
      return { id: 'agreedWith-name', label: 'Agreed with' };
    case 'agreedWith.relationship':
      return { id: 'agreedWith-relationship', label: 'The relationship' };
    case 'agreedWith.agreedOn':
      return {
        id: 'agreedWith-agreedOn-day',
        label: 'The date the plan was agreed',
        invalid: 'The date the plan was agreed must be a real date, for example 27 3 2026',
      };
  }
  // `changeSummary`, and what the form has no field for (`basedOn`): said beside the last field.
  return path === 'changeSummary'
    ? { id: 'changeSummary', label: 'What changed' }
    : { id: 'changeSummary', label: 'The plan', invalid: `The plan ${NOT_ON_THIS_FORM}` };
}

// The contract's words for a field left empty (see services/contract.ts).
const isMissing = (message: string) => message === 'must not be empty' || message === 'is required';

function sentence(field: FormField, contractMessage: string): string {
  if (isMissing(contractMessage) && field.missing) return field.missing;
  return field.invalid ?? `${field.label} ${contractMessage}`;
}

/** A refused save as errors on the edit form's fields; anything but a refusal is rethrown. */
export function planFormErrors(error: unknown, form: PlanForm, rows: PlanRows): FieldError[] {
  if (error instanceof ContractError) {
    return error.fields.map((problem) => {
      const field = planFormField(problem.field, form, rows);
      return { field: field.id, message: sentence(field, problem.message) };
    });
  }
  return formErrors(error, (path) => planFormField(path, form, rows).id);
}

/** The comment form's fields as the comment contract's input. */
export function commentInputFromForm(body: FormBody): CommentOnPlanInput {
  // As typed: the service's contract judges them.
  return { version: numberOrText(text(body, 'version')), body: text(body, 'body') } as CommentOnPlanInput;
}

/** The comment form's one field; a version it does not show means the page is out of date. */
function commentFormField(contractPath: string): FormField {
  return contractPath === 'body'
    ? { id: 'body', label: 'Your comment', missing: 'Write a comment.' }
    : {
        id: 'body',
        label: 'The plan',
        invalid: 'The plan has changed since you opened it. Reload it and add your comment again.',
      };
}

/** A refused comment as the comment field's error: a blank or long comment, or a reader who may not add. */
export function commentFormErrors(error: unknown): FieldError[] {
  if (error instanceof ContractError) {
    return error.fields.map((problem) => {
      const field = commentFormField(problem.field);
      return { field: field.id, message: sentence(field, problem.message) };
    });
  }
  return formErrors(error, (path) => commentFormField(path).id);
}
