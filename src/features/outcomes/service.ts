import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { isGasLevel } from '../../domain/gas.js';
import { frameworkKeyForRecord, isValidScore } from '../../domain/outcome-frameworks.js';
import type { Viewpoint } from '../../domain/ratings.js';
import { invalid, notFound } from '../../services/errors.js';
import { InFlight } from '../../services/in-flight.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { Framework, FrameworkService } from '../frameworks/service.js';
import type { AccessGrant, PersonAccess, RecordScope } from '../record-access/person-access.js';
import { gasGoalProblems, gasGoalRow } from './conversation-service.js';
import {
  AddOutcomeContract,
  type AddOutcomeInput,
  GasGoalContract,
  type GasGoalInput,
  RateOutcomeContract,
  type RateOutcomeInput,
} from './schema.js';
import {
  type GasReviewScore,
  gasGoalIdsOf,
  gasScoresOf,
  insertGasAttainments,
  insertGasGoals,
  insertOutcomeDomains,
  insertOutcomes,
  insertRatings,
  type OutcomeRecord,
  outcomeRecordOf,
  outcomesOf,
  ownOutcomeIds,
  type PersonalOutcome,
  ratingScaleOf,
  registrationOf,
  type VersionedOutcome,
  versionedOutcomesOf,
  versionedOutcomesOfEach,
} from './store.js';

export type { AddOutcomeInput, RateOutcomeInput } from './schema.js';
export type {
  GasAttainment,
  GasGoal,
  GasReviewScore,
  OutcomeRating,
  OutcomeRecord,
  PersonalOutcome,
  VersionedOutcome,
} from './store.js';

/** What the form for adding what matters is built from. */
export interface AddOutcomeForm {
  grant: AccessGrant;
  framework: Framework;
}

/** What the form for rating one outcome is built from. */
export interface RateOutcomeForm {
  grant: AccessGrant;
  outcome: PersonalOutcome;
}

/**
 * Personal outcomes: what matters to the person in their own words, their ratings from each
 * viewpoint (disagreement kept, never averaged), and goal attainment scaling.
 */
export class OutcomeService {
  private readonly outcomesInFlight = new InFlight<VersionedOutcome[]>();
  /** The same for many people: one read per grants array while it is in flight (see versionedOutcomesOfEach). */
  private readonly outcomesOfEachInFlight = new InFlight<
    Map<string, VersionedOutcome[]>,
    readonly AccessGrant[]
  >();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly frameworks: FrameworkService,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, personId: string): Promise<PersonalOutcome[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-outcomes');
    return outcomesOf(this.db, grant);
  }

  /**
   * The outcomes in a record already opened: the scope is the grant of an access check that was
   * audited as the read this is part of (or a named system scope for a job).
   */
  async ofRecord(scope: RecordScope): Promise<PersonalOutcome[]> {
    return outcomesOf(this.db, scope);
  }

  /** The person's GAS T-score at each review that scored a goal, in a record already opened. */
  async gasScoresOf(scope: RecordScope): Promise<GasReviewScore[]> {
    return gasScoresOf(this.db, scope);
  }

  /**
   * The outcomes and the GAS T-scores by review of a record already opened, from one read: the
   * scores are computed from the goals and attainments the outcomes carry.
   */
  async outcomeRecordOf(scope: RecordScope): Promise<OutcomeRecord> {
    return outcomeRecordOf(this.db, scope);
  }

  /** To add what matters: checked as adding is, so the form is shown only to those who may. */
  async addForm(actor: Actor, personId: string): Promise<AddOutcomeForm> {
    const grant = await this.access.require(actor, personId, 'contribute', 'open-outcome-form');
    return { grant, framework: await this.frameworkOf(grant) };
  }

  /** The framework new outcomes on this record are coded with: the carers' on a carer's own record. */
  private async frameworkOf(scope: RecordScope): Promise<Framework> {
    return this.frameworks.current(frameworkKeyForRecord(await registrationOf(this.db, scope)));
  }

  /** To rate one outcome: checked as rating is. */
  async rateForm(actor: Actor, personId: string, outcomeId: string): Promise<RateOutcomeForm> {
    const grant = await this.access.require(actor, personId, 'contribute', 'open-rating-form');
    const outcome = (await outcomesOf(this.db, grant)).find((o) => o.outcomeId === outcomeId);
    if (!outcome) throw notFound('That outcome');
    return { grant, outcome };
  }

  /** Someone adds what matters to them, from their own viewpoint: the person or an authorised carer. */
  async add(actor: Actor, personId: string, input: AddOutcomeInput): Promise<string> {
    AddOutcomeContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'add-outcome');
    return this.addOutcome(actor, grant, input, null);
  }

  /**
   * What matters with its GAS goal, set together outside a conversation (a FHIR Goal with the PCO
   * GAS extensions): care staff only (`manage`), as setting a goal in a conversation is, with the
   * same checks and rows; one transaction, so neither is kept without the other.
   */
  async addWithGasGoal(
    actor: Actor,
    personId: string,
    input: AddOutcomeInput,
    gas: GasGoalInput,
  ): Promise<string> {
    AddOutcomeContract.check(input);
    GasGoalContract.check(gas);
    const grant = await this.access.require(actor, personId, 'manage', 'add-outcome');
    const [problem] = gasGoalProblems(gas, 'gas');
    if (problem) throw invalid(problem.message, problem.field);
    return this.addOutcome(actor, grant, input, gas);
  }

  private async addOutcome(
    actor: Actor,
    grant: AccessGrant,
    input: AddOutcomeInput,
    gas: GasGoalInput | null,
  ): Promise<string> {
    const { viewpoint, personId } = grant;
    const framework = await this.frameworkOf(grant);
    if (!input.statement.trim()) throw invalid('Write what matters, in your own words.', 'statement');
    const known = new Set(framework.domains.map((d) => d.domainId));
    const unknown = (input.domainIds ?? []).findIndex((id) => !known.has(id));
    if (unknown >= 0) throw invalid('That domain is not in the framework.', `domainIds.${unknown}`);
    if (input.score != null && !isValidScore({ labels: framework.ratingLabels }, input.score)) {
      throw invalid(`A rating must be 1 to ${framework.ratingLabels.length}.`, 'score');
    }
    const outcomeId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertOutcomes(trx, [
        {
          personId,
          outcomeId,
          frameworkId: framework.frameworkId,
          statement: input.statement.trim(),
          whyItMatters: input.whyItMatters?.trim() ?? '',
          importance: input.importance ?? null,
          addedBy: viewpoint,
          conversationId: null,
          createdByUserId: actor.userId,
        },
      ]);
      await insertOutcomeDomains(
        trx,
        [...new Set(input.domainIds ?? [])].map((domainId) => ({ personId, outcomeId, domainId })),
      );
      if (input.score != null) {
        await insertRatings(trx, [
          {
            personId,
            ratingId: randomUUID(),
            outcomeId,
            viewpoint,
            score: input.score,
            note: '',
            conversationId: null,
            ratedByUserId: actor.userId,
          },
        ]);
      }
      if (gas) await insertGasGoals(trx, [gasGoalRow(personId, outcomeId, gas, actor.userId)]);
      await this.audit.record(
        actor,
        { action: 'add-outcome', resourceType: 'personal_outcome', resourceId: outcomeId, personId },
        trx,
      );
    });
    return outcomeId;
  }

  /** A rating from the actor's own viewpoint: the person's, a carer's, or a practitioner's. */
  async rate(
    actor: Actor,
    personId: string,
    outcomeId: string,
    input: RateOutcomeInput,
    /** The viewpoint the caller says the rating is from (FHIR's performer): refused unless it is theirs. */
    claimed?: { viewpoint: Viewpoint; field: string },
  ): Promise<string> {
    RateOutcomeContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'rate-outcome');
    if (claimed && claimed.viewpoint !== grant.viewpoint) {
      throw invalid(
        `A rating is recorded from your own viewpoint (${grant.viewpoint}), not the ${claimed.viewpoint}'s.`,
        claimed.field,
      );
    }
    const labels = await ratingScaleOf(this.db, grant, outcomeId);
    if (!labels) throw notFound('That outcome');
    if (!isValidScore({ labels }, input.score)) {
      throw invalid(`A rating must be 1 to ${labels.length}.`, 'score');
    }
    const ratingId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertRatings(trx, [
        {
          personId,
          ratingId,
          outcomeId,
          viewpoint: grant.viewpoint,
          score: input.score,
          note: input.note?.trim() ?? '',
          conversationId: null,
          ratedByUserId: actor.userId,
        },
      ]);
      await this.audit.record(
        actor,
        { action: 'rate-outcome', resourceType: 'outcome_rating', resourceId: ratingId, personId },
        trx,
      );
    });
    return ratingId;
  }

  /** The outcomes with their FHIR versions and who recorded each rating and GAS row: read as list is. */
  async versionedOutcomes(actor: Actor, personId: string): Promise<VersionedOutcome[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-outcomes');
    // Each caller is checked and audited on its own; the read, the same for any relation that may
    // view, is shared by FHIR Goal and Observation reading one person side by side (an export).
    return this.outcomesInFlight.share(personId, () => versionedOutcomesOf(this.db, grant));
  }

  /**
   * versionedOutcomes for many people at once (bulk export): no check or audit here, as the
   * grants were checked and audited by the caller (PersonAccess.requireEach). Only grants that
   * allow viewing are read, as versionedOutcomes requires; the read is the same for every relation
   * that may view. FHIR Goal and Observation ask side by side with the same
   * grants array and share one read, kept only while it is in flight. People with no outcomes are
   * left out of the map.
   */
  versionedOutcomesOfEach(grants: readonly AccessGrant[]): Promise<Map<string, VersionedOutcome[]>> {
    return this.outcomesOfEachInFlight.share(grants, () =>
      versionedOutcomesOfEach(
        this.db,
        grants.filter((g) => g.can.view),
      ),
    );
  }

  /**
   * The GAS level an outcome's goal has reached, recorded outside a conversation (a FHIR GAS score
   * Observation): care staff only (`manage`), as in a conversation; insert-only like those.
   */
  async recordGasAttainment(
    actor: Actor,
    personId: string,
    outcomeId: string,
    level: number,
  ): Promise<string> {
    const grant = await this.access.require(actor, personId, 'manage', 'record-gas-attainment');
    if (!isGasLevel(level)) throw invalid('A GAS level is a whole number from −2 to +2.', 'level');
    const goalId = (await gasGoalIdsOf(this.db, grant, [outcomeId])).get(outcomeId);
    if (!goalId) {
      const own = await ownOutcomeIds(this.db, grant, [outcomeId]);
      if (!own.has(outcomeId)) throw notFound('That outcome');
      throw invalid('That outcome has no GAS goal to score.', 'outcomeId');
    }
    const attainmentId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertGasAttainments(trx, [
        { personId, attainmentId, goalId, level, conversationId: null, recordedByUserId: actor.userId },
      ]);
      await this.audit.record(
        actor,
        {
          action: 'record-gas-attainment',
          resourceType: 'gas_attainment',
          resourceId: attainmentId,
          personId,
        },
        trx,
      );
    });
    return attainmentId;
  }
}
