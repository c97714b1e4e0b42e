import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { todayIso } from '../../domain/calendar.js';
import {
  type Action,
  actionWhoProblem,
  type CarePlanContent,
  emptyCarePlan,
  planDateProblem,
  repeatedIds,
} from '../../domain/care-plan.js';
import { invalid } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';
import { SavePlanVersionContract } from './schema.js';
import { insertPlanVersion, outcomeStatementsOf, planOf } from './store.js';

/**
 * Plans written in bulk on an organisation's behalf (the CSV exchange, features/csv-exchange),
 * inside the caller's transaction, to a record the caller opened after its own check: an action
 * added by saving a new version of the plan, checked as saving a plan is (service.ts).
 */

const sameWords = (a: string, b: string) =>
  a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

export interface PlanActionToAdd {
  /** The goal's description: the goal with the same words, or a new one. */
  goal: string;
  /** A new goal's personal outcome, by the outcome's words. */
  outcome?: string | null | undefined;
  action: Omit<Action, 'id'>;
  changeSummary: string;
}

/**
 * Adds the action under its goal and saves the plan as a new version (the first, for a person
 * without a plan). Answers `held` when the goal has an action with the same words already; refuses
 * (422) an outcome the person does not have (field `outcome`) or a plan that would break its rules.
 */
export async function addPlanAction(
  trx: Kysely<DB>,
  scope: RecordScope,
  input: PlanActionToAdd,
  createdByUserId: string,
): Promise<{ version: number } | 'held'> {
  const plan = await planOf(trx, scope);
  const basedOn = plan.current?.version ?? 0;
  const content: CarePlanContent = structuredClone(plan.current?.content ?? emptyCarePlan());
  let goal = content.goals.find((g) => sameWords(g.description, input.goal));
  if (!goal) {
    let outcomeId: string | null = null;
    if (input.outcome) {
      const words = input.outcome;
      const outcome = (await outcomeStatementsOf(trx, scope)).find((o) => sameWords(o.statement, words));
      if (!outcome) throw invalid('The person has no personal outcome with these words.', 'outcome');
      outcomeId = outcome.outcomeId;
    }
    goal = { id: randomUUID(), outcomeId, description: input.goal.trim(), actions: [] };
    content.goals.push(goal);
  }
  if (goal.actions.some((a) => sameWords(a.what, input.action.what))) return 'held';
  goal.actions.push({ id: randomUUID(), ...input.action });
  const [problem] = SavePlanVersionContract.problems({
    content,
    basedOn,
    changeSummary: input.changeSummary,
  });
  if (problem) {
    throw invalid(
      `The plan cannot take it: ${problem.field} ${problem.message}.`,
      problem.field.startsWith('content.goals') && !problem.field.includes('actions') ? 'goal' : 'what',
    );
  }
  const other =
    repeatedIds(content)[0]?.path ??
    planDateProblem(content, todayIso())?.path ??
    actionWhoProblem(content)?.path;
  if (other) throw invalid(`The plan cannot take it: ${other} is not valid.`, 'what');
  const version = basedOn + 1;
  await insertPlanVersion(trx, scope, {
    version,
    content,
    changeSummary: input.changeSummary,
    createdByUserId,
  });
  return { version };
}
