import { randomUUID } from 'node:crypto';
import {
  ACTION_STATUSES,
  type Action,
  type ActionStatus,
  type CarePlanContent,
  type PlanGoal,
  SUPPORT_KINDS,
  type SupportKind,
} from '../../domain/care-plan.js';
import {
  checked,
  dateFields,
  dateInput,
  dateParts,
  type FieldError,
  type FormBody,
  integer,
  text,
} from '../../web/forms.js';

/**
 * The care and support plan as one HTML form, and back. The form is flat (name → value), so each
 * goal and action is numbered by its row: `goals-0-description`, `goals-0-actions-1-who-name`. Those
 * names are also the fields' ids, so the error summary links straight to them. Every goal and the
 * plan itself get a blank row for adding, so nothing needs JavaScript.
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
  basedOn: number;
  aboutMe: CarePlanContent['aboutMe'];
  /** One strength a line. */
  strengths: string;
  goals: GoalRow[];
  contingency: CarePlanContent['contingency'];
  review: { plannedDate: DateFields; responsibleName: string; responsibleRole: string };
  agreedWith: { name: string; relationship: string; agreedOn: DateFields };
  changeSummary: string;
}

export const MAX_GOALS = 50;
export const MAX_ACTIONS = 50;
export const MAX_STRENGTHS = 50;
// A form never has more rows than the limit plus its blank one; anything beyond is not read.
const MAX_ROWS = 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

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
    basedOn,
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

const rowCount = (body: FormBody, name: string): number => integer(body, name, 0, MAX_ROWS) ?? 0;

/** The form as posted, every row kept (blank ones too) so it can be shown again as it was. */
export function formFromBody(body: FormBody): PlanForm {
  const goals: GoalRow[] = [];
  for (let g = 0; g < rowCount(body, 'goals-count'); g++) {
    const actions: ActionRow[] = [];
    for (let a = 0; a < rowCount(body, goalField(g, 'actions-count')); a++) {
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
    basedOn: integer(body, 'basedOn', 0, 1_000_000) ?? 0,
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

const isBlankAction = (a: ActionRow) => !a.what && !a.whoName && !a.when;
const isBlankGoal = (g: GoalRow) => !g.description && g.actions.every(isBlankAction);

export interface PlanFromForm {
  /** Null when the form has errors. */
  content: CarePlanContent | null;
  errors: FieldError[];
  /** For each goal in the content, its row on the form; for each action, its row in the goal. */
  rows: { goal: number; actions: number[] }[];
}

const tooLong = (value: string, max: number) => value.length > max;
const limit = (max: number) => `${max.toLocaleString('en-GB')} characters or fewer`;

/**
 * Checks the form and builds the plan's content, with a message a person can act on for each
 * problem. Blank new rows are left out; new rows with content get their id here (kept on the form,
 * so showing it again keeps them).
 */
export function planFromForm(
  form: PlanForm,
  known: { outcomeIds: ReadonlySet<string>; organisationIds: ReadonlySet<string> },
): PlanFromForm {
  const errors: FieldError[] = [];
  const error = (field: string, message: string) => errors.push({ field, message });

  const aboutMeLabels: Record<keyof CarePlanContent['aboutMe'], string> = {
    mostImportant: 'What is most important to the person',
    importantPeople: 'People who are important to the person',
    communication: 'How to communicate with the person',
    pleaseDo: 'Please do',
    pleaseDont: 'Please don’t',
  };
  for (const [key, label] of Object.entries(aboutMeLabels) as [keyof CarePlanContent['aboutMe'], string][]) {
    if (tooLong(form.aboutMe[key], 4000)) error(`aboutMe-${key}`, `${label} must be ${limit(4000)}`);
  }

  const strengths = form.strengths
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (strengths.length > MAX_STRENGTHS)
    error('strengths', `Write at most ${MAX_STRENGTHS} strengths, one a line`);
  if (strengths.some((s) => tooLong(s, 1000))) error('strengths', `Each strength must be ${limit(1000)}`);

  const goals: PlanGoal[] = [];
  const rows: PlanFromForm['rows'] = [];
  form.goals.forEach((goal, g) => {
    if (goal.remove || (goal.isNew && isBlankGoal(goal))) return;
    const n = g + 1;
    if (!isUuid(goal.id)) goal.id = randomUUID();
    if (!goal.description) {
      error(
        goalField(g, 'description'),
        goal.isNew ? `Describe goal ${n}` : `Describe goal ${n}, or tick ‘Remove this goal’`,
      );
    } else if (tooLong(goal.description, 2000)) {
      error(goalField(g, 'description'), `Goal ${n} must be ${limit(2000)}`);
    }
    if (goal.outcomeId && !known.outcomeIds.has(goal.outcomeId)) {
      error(goalField(g, 'outcomeId'), `Choose what matters to the person that goal ${n} works towards`);
    }
    const actions: Action[] = [];
    const actionRows: number[] = [];
    goal.actions.forEach((action, a) => {
      if (action.remove || (action.isNew && isBlankAction(action))) return;
      const of = `action ${a + 1} of goal ${n}`;
      if (!isUuid(action.id)) action.id = randomUUID();
      if (!action.what) error(actionField(g, a, 'what'), `Enter what will happen for ${of}`);
      else if (tooLong(action.what, 2000))
        error(actionField(g, a, 'what'), `What will happen for ${of} must be ${limit(2000)}`);
      const kindOk = (SUPPORT_KINDS as readonly string[]).includes(action.whoKind);
      if (!kindOk) error(actionField(g, a, 'who-kind'), `Choose who does ${of}`);
      if (!action.whoName) error(actionField(g, a, 'who-name'), `Enter the name of who does ${of}`);
      else if (tooLong(action.whoName, 300))
        error(actionField(g, a, 'who-name'), `Who does ${of} must be ${limit(300)}`);
      if (action.organisationId && !known.organisationIds.has(action.organisationId)) {
        error(actionField(g, a, 'who-organisationId'), `Choose an organisation from the list for ${of}`);
      }
      if (tooLong(action.when, 200)) error(actionField(g, a, 'when'), `When for ${of} must be ${limit(200)}`);
      const statusOk = (ACTION_STATUSES as readonly string[]).includes(action.status);
      if (!statusOk) error(actionField(g, a, 'status'), `Choose the status of ${of}`);
      const confidence = action.confidence === '' ? null : Number(action.confidence);
      const confidenceOk =
        confidence === null || (Number.isInteger(confidence) && confidence >= 0 && confidence <= 10);
      if (!confidenceOk) error(actionField(g, a, 'confidence'), `Choose a confidence from 0 to 10 for ${of}`);
      actions.push({
        id: action.id,
        what: action.what,
        who: {
          kind: (kindOk ? action.whoKind : 'practitioner') as SupportKind,
          name: action.whoName,
          organisationId: action.organisationId || null,
          ...(isUuid(action.teamId) ? { teamId: action.teamId } : {}),
        },
        ...(action.when ? { when: action.when } : {}),
        status: (statusOk ? action.status : 'not-started') as ActionStatus,
        ...(confidence !== null && confidenceOk ? { confidence } : {}),
      });
      actionRows.push(a);
    });
    if (actions.length > MAX_ACTIONS) {
      error(goalField(g, 'description'), `Goal ${n} can have at most ${MAX_ACTIONS} actions`);
    }
    goals.push({
      id: goal.id,
      outcomeId: goal.outcomeId || null,
      description: goal.description,
      actions,
    });
    rows.push({ goal: g, actions: actionRows });
  });
  if (goals.length > MAX_GOALS) error('goals', `A plan can have at most ${MAX_GOALS} goals`);

  const contingencyLabels: Record<keyof CarePlanContent['contingency'], string> = {
    triggers: 'Signs that things are going wrong',
    whatShouldHappen: 'What should happen',
    whoToContact: 'Who to contact',
  };
  for (const [key, label] of Object.entries(contingencyLabels) as [
    keyof CarePlanContent['contingency'],
    string,
  ][]) {
    if (tooLong(form.contingency[key], 4000)) error(`contingency-${key}`, `${label} must be ${limit(4000)}`);
  }

  const plannedDate = dateOf(form.review.plannedDate);
  if (plannedDate.error) error('review-plannedDate-day', `The planned review date ${plannedDate.error}`);
  if (tooLong(form.review.responsibleName, 300))
    error('review-responsibleName', `The name of who is responsible must be ${limit(300)}`);
  if (tooLong(form.review.responsibleRole, 300))
    error('review-responsibleRole', `The role of who is responsible must be ${limit(300)}`);
  const agreedOn = dateOf(form.agreedWith.agreedOn);
  if (agreedOn.error) error('agreedWith-agreedOn-day', `The date the plan was agreed ${agreedOn.error}`);
  if (tooLong(form.agreedWith.name, 300)) error('agreedWith-name', `Agreed with must be ${limit(300)}`);
  if (tooLong(form.agreedWith.relationship, 300))
    error('agreedWith-relationship', `The relationship must be ${limit(300)}`);
  if (tooLong(form.changeSummary, 1000)) error('changeSummary', `What changed must be ${limit(1000)}`);

  if (errors.length) return { content: null, errors, rows };
  return {
    errors,
    rows,
    content: {
      aboutMe: { ...form.aboutMe },
      strengths,
      goals,
      contingency: { ...form.contingency },
      review: {
        plannedDate: plannedDate.value,
        responsibleName: form.review.responsibleName,
        responsibleRole: form.review.responsibleRole,
      },
      agreedWith: {
        name: form.agreedWith.name,
        relationship: form.agreedWith.relationship,
        agreedOn: agreedOn.value,
      },
    },
  };
}

function dateOf(parts: DateFields): { value: string | null; error: string | null } {
  return dateInput({ 'date[day]': parts.day, 'date[month]': parts.month, 'date[year]': parts.year }, 'date');
}

/**
 * Where on the form a field the service named (a path in the content, such as
 * `goals.0.actions.1.what`) is, so its message links to the right field.
 */
export function formFieldFor(serviceField: string, rows: PlanFromForm['rows']): string {
  const path = serviceField.replace(/^content\.?/, '');
  const action = /^goals\.(\d+)\.actions\.(\d+)\.?(.*)$/.exec(path);
  if (action) {
    const row = rows[Number(action[1])];
    const g = row?.goal ?? 0;
    const a = row?.actions[Number(action[2])] ?? 0;
    return actionField(g, a, (action[3] || 'what').replaceAll('.', '-'));
  }
  const goal = /^goals\.(\d+)\.?(.*)$/.exec(path);
  if (goal)
    return goalField(rows[Number(goal[1])]?.goal ?? 0, (goal[2] || 'description').split('.')[0] ?? '');
  if (path.startsWith('strengths')) return 'strengths';
  if (path === 'review.plannedDate') return 'review-plannedDate-day';
  if (path === 'agreedWith.agreedOn') return 'agreedWith-agreedOn-day';
  return path.replaceAll('.', '-') || 'changeSummary';
}
