import type { Viewpoint } from '../../domain/ratings.js';
import {
  STEP_STATUS_LABELS,
  type StepStatus,
  stepStatus,
  stepsByOutcome,
  stepTally,
} from '../../domain/self-management.js';
import type { SelfManagementStep } from './schema.js';

/**
 * Steps as the pages show them (the person's own view, a carer's, the person summary, the review
 * form): grouped by outcome, each with where it stands today in words, who set it, what was said
 * and where to tick it off. Web layer: addresses and wording live here, the rules in the domain.
 */

const STATUS_TAGS: Record<StepStatus, string> = {
  done: 'nhsuk-tag--green',
  overdue: 'nhsuk-tag--orange',
  open: 'nhsuk-tag--grey',
};

/** Who set a step, as the reader reads it: "you" to the person themselves. */
const SET_BY: Record<Viewpoint, [forThePerson: string, forOthers: string]> = {
  person: ['you', 'the person'],
  carer: ['a carer', 'a carer'],
  practitioner: ['a practitioner', 'a practitioner'],
};

export interface StepView {
  stepId: string;
  words: string;
  targetDate: string | null;
  doneAt: string | null;
  status: StepStatus;
  statusLabel: string;
  statusClasses: string;
  whatHelped: string;
  whatGotInTheWay: string;
  setBy: string;
  createdAt: string;
  progressBy: string | null;
  progressHref: string;
}

export interface OutcomeStepsView {
  outcomeId: string;
  statement: string;
  steps: StepView[];
  done: number;
  total: number;
}

/** The address of the page to tick a step off (and say what helped). */
export const stepProgressHref = (personId: string, stepId: string) =>
  `/people/${personId}/self-management/steps/${stepId}`;

/** The address of the page to set a step, for one outcome when given. */
export const setStepHref = (personId: string, outcomeId?: string) =>
  `/people/${personId}/self-management/steps/new${outcomeId ? `?outcomeId=${outcomeId}` : ''}`;

export function stepView(
  step: SelfManagementStep,
  personId: string,
  today: string,
  reader: Viewpoint,
): StepView {
  const status = stepStatus(step, today);
  return {
    stepId: step.stepId,
    words: step.words,
    targetDate: step.targetDate,
    doneAt: step.doneAt,
    status,
    statusLabel: STEP_STATUS_LABELS[status],
    statusClasses: STATUS_TAGS[status],
    whatHelped: step.whatHelped,
    whatGotInTheWay: step.whatGotInTheWay,
    setBy: SET_BY[step.setBy][reader === 'person' ? 0 : 1],
    createdAt: step.createdAt,
    progressBy: step.progressBy,
    progressHref: stepProgressHref(personId, step.stepId),
  };
}

/**
 * The steps under the outcomes they are for, in the order the outcomes are given (the record's);
 * steps of outcomes not given (achieved or set aside since) are left out by the caller's choice of
 * outcomes.
 */
export function stepsByOutcomeView(
  steps: readonly SelfManagementStep[],
  outcomes: readonly { outcomeId: string; statement: string }[],
  personId: string,
  today: string,
  reader: Viewpoint,
): OutcomeStepsView[] {
  const statements = new Map(outcomes.map((o) => [o.outcomeId, o.statement]));
  return stepsByOutcome(
    steps,
    outcomes.map((o) => o.outcomeId),
  ).map((group) => ({
    outcomeId: group.outcomeId,
    statement: statements.get(group.outcomeId) ?? '',
    steps: group.steps.map((s) => stepView(s, personId, today, reader)),
    ...stepTally(group.steps),
  }));
}

/**
 * The person summary's section for the care team: every outcome's steps (achieved outcomes too,
 * so nothing said is hidden), the totals, and whether a step can be set (an outcome still open).
 */
export function stepsSectionOf(
  record: {
    person: { personId: string };
    outcomes: readonly { outcomeId: string; statement: string; status: string }[];
    selfManagementSteps: readonly SelfManagementStep[];
  },
  today: string,
) {
  const personId = record.person.personId;
  return {
    groups: stepsByOutcomeView(record.selfManagementSteps, record.outcomes, personId, today, 'practitioner'),
    ...stepTally(record.selfManagementSteps),
    mayAdd: record.outcomes.some((o) => o.status === 'active'),
    setHref: setStepHref(personId),
  };
}
