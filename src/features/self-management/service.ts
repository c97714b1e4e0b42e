import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { stepsForReview, targetDateProblem } from '../../domain/self-management.js';
import { invalid, notFound } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { OutcomeService, PersonalOutcome } from '../outcomes/service.js';
import type { AccessGrant, PersonAccess, RecordScope } from '../record-access/person-access.js';
import {
  RecordStepProgressContract,
  type RecordStepProgressInput,
  type SelfManagementStep,
  SetStepContract,
  type SetStepInput,
} from './schema.js';
import { insertSteps, latestConversationOn, outcomeStatusOf, stepsOf, updateStepProgress } from './store.js';

export type { RecordStepProgressInput, SelfManagementStep, SetStepInput } from './schema.js';

/** What the form for setting a step is built from: the outcomes a step may be for. */
export interface SetStepForm {
  grant: AccessGrant;
  /** The outcomes still being worked on, in the record's order. */
  outcomes: PersonalOutcome[];
}

/** What the form for ticking a step off is built from. */
export interface StepProgressForm {
  grant: AccessGrant;
  step: SelfManagementStep;
  outcome: PersonalOutcome | null;
}

/** What a review is shown of the steps: those not done yet and those done since the last conversation. */
export interface StepsForReview {
  steps: SelfManagementStep[];
  /** The date of the latest conversation, the line between "since" and history; null if none. */
  lastConversationOn: string | null;
}

/**
 * Self-management steps: small steps the person sets themselves between reviews for one of their
 * outcomes, ticked off with what helped and what got in the way. Setting and ticking need
 * `contribute` (the person, a carer they let add to their record, the care team with them);
 * reading needs `view`. Every call goes through the one access check, which audits it.
 */
export class SelfManagementService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly outcomes: OutcomeService,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, personId: string): Promise<SelfManagementStep[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-self-management-steps');
    return stepsOf(this.db, grant);
  }

  /** The steps of a record already opened (the scope is an audited access check's grant). */
  async ofRecord(scope: RecordScope): Promise<SelfManagementStep[]> {
    return stepsOf(this.db, scope);
  }

  /** For the review conversation form: checked and audited as reading the steps is. */
  async forReview(actor: Actor, personId: string): Promise<StepsForReview> {
    const grant = await this.access.require(actor, personId, 'view', 'read-self-management-steps');
    const [steps, lastConversationOn] = await Promise.all([
      stepsOf(this.db, grant),
      latestConversationOn(this.db, grant),
    ]);
    return { steps: stepsForReview(steps, lastConversationOn), lastConversationOn };
  }

  /** To set a step: checked as setting one is, so the form is shown only to those who may. */
  async setForm(actor: Actor, personId: string): Promise<SetStepForm> {
    const grant = await this.access.require(actor, personId, 'contribute', 'open-step-form');
    const outcomes = (await this.outcomes.ofRecord(grant)).filter((o) => o.status === 'active');
    return { grant, outcomes };
  }

  async set(actor: Actor, personId: string, input: SetStepInput, today = todayIso()): Promise<string> {
    SetStepContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'set-step');
    const words = input.words.trim();
    if (!words) throw invalid('Write the step, in the person’s own words.', 'words');
    const status = await outcomeStatusOf(this.db, grant, input.outcomeId);
    if (!status) throw invalid('Choose one of the things that matter to the person.', 'outcomeId');
    if (status !== 'active') {
      throw invalid(
        'A step is for something still being worked on, not one achieved or set aside.',
        'outcomeId',
      );
    }
    const targetDate = input.targetDate ?? null;
    const dateProblem = targetDate ? targetDateProblem(targetDate, today) : null;
    if (dateProblem) throw invalid(dateProblem, 'targetDate');
    const stepId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertSteps(trx, grant, [
        {
          stepId,
          outcomeId: input.outcomeId,
          words,
          targetDate,
          setBy: grant.viewpoint,
          createdByUserId: actor.userId,
        },
      ]);
      await this.audit.record(
        actor,
        { action: 'set-step', resourceType: 'self_management_step', resourceId: stepId, personId },
        trx,
      );
    });
    return stepId;
  }

  /** To tick a step off: checked as ticking is. */
  async progressForm(actor: Actor, personId: string, stepId: string): Promise<StepProgressForm> {
    const grant = await this.access.require(actor, personId, 'contribute', 'open-step-progress-form');
    const [steps, outcomes] = await Promise.all([stepsOf(this.db, grant), this.outcomes.ofRecord(grant)]);
    const step = steps.find((s) => s.stepId === stepId);
    if (!step) throw notFound('That step');
    return { grant, step, outcome: outcomes.find((o) => o.outcomeId === step.outcomeId) ?? null };
  }

  /** Ticked off (or not yet), with what helped and what got in the way, from whoever may add to the record. */
  async recordProgress(
    actor: Actor,
    personId: string,
    stepId: string,
    input: RecordStepProgressInput,
  ): Promise<void> {
    RecordStepProgressContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'record-step-progress');
    await this.db.transaction().execute(async (trx) => {
      const found = await updateStepProgress(trx, grant, stepId, {
        done: input.done,
        whatHelped: input.whatHelped?.trim() ?? '',
        whatGotInTheWay: input.whatGotInTheWay?.trim() ?? '',
        byUserId: actor.userId,
        at: new Date(),
      });
      if (!found) throw notFound('That step');
      await this.audit.record(
        actor,
        {
          action: 'record-step-progress',
          resourceType: 'self_management_step',
          resourceId: stepId,
          personId,
        },
        trx,
      );
    });
  }
}
