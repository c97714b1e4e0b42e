import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { type GasLevel, gasWeight, gasWeightProblem } from '../../domain/gas.js';
import { isValidScore } from '../../domain/outcome-frameworks.js';
import type { Capabilities } from '../../domain/record-access.js';
import type { FieldProblem } from '../../services/contract.js';
import { invalid } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { Framework, FrameworkService } from '../frameworks/service.js';
import type { AccessGrant, PersonAccess, RecordScope } from '../record-access/person-access.js';
import {
  type GasGoalInput,
  RecordConversationContract,
  type RecordConversationInput,
  type RecordedConversation,
} from './schema.js';
import {
  type GasAttainmentRow,
  type GasGoalRow,
  gasGoalIdsOf,
  insertConversations,
  insertGasAttainments,
  insertGasGoals,
  insertOutcomeDomains,
  insertOutcomes,
  insertParticipants,
  insertRatings,
  outcomesOf,
  ownOutcomeIds,
  type PersonalOutcome,
  type RatingRow,
  type RecordedConversationRow,
  recordedConversationsOf,
  recordedConversationsOfEach,
  setOutcomeStatus,
} from './store.js';

export type { ConversationKind, OutcomeStatus } from '../../domain/conversations.js';
export type { RecordConversationInput, RecordedConversation } from './schema.js';
export type { ConversationParticipant, RecordedConversationRow } from './store.js';

/** What the conversation form is built from: only what it shows. */
export interface ConversationForm {
  can: Capabilities;
  /** The outcomes still being worked on, to rate and review. */
  outcomes: PersonalOutcome[];
  /** The current framework: its domains to code new outcomes and its scale to rate them. */
  framework: Framework;
}

const LEVEL_KEYS = ['-2', '-1', '0', '1', '2'] as const;

/**
 * Good conversations: a first conversation, a review or another contact, with who took part, what
 * matters to the person in their own words, and ratings from each viewpoint. One conversation is
 * saved in one transaction: a failure leaves nothing half-written.
 */
export class ConversationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly frameworks: FrameworkService,
    private readonly audit: AuditService,
  ) {}

  /** What a practitioner needs to record a conversation with the person: checked as recording one is. */
  async formFor(actor: Actor, personId: string): Promise<ConversationForm> {
    const grant = await this.access.require(actor, personId, 'manage', 'open-conversation-form');
    const [outcomes, framework] = await Promise.all([outcomesOf(this.db, grant), this.frameworks.current()]);
    return { can: grant.can, outcomes: outcomes.filter((o) => o.status === 'active'), framework };
  }

  /** The person's conversations with who recorded each and when (FHIR Encounter): checked as the record is. */
  async recordedConversations(actor: Actor, personId: string): Promise<RecordedConversationRow[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-conversations');
    return recordedConversationsOf(this.db, grant);
  }

  /**
   * recordedConversations for many people at once (bulk export): no check or audit here, as the
   * grants were checked and audited by the caller (PersonAccess.requireEach). Only grants that
   * allow viewing are read, as recordedConversations requires; the read is the same for every
   * relation that may view. People with no conversations are left out of the map.
   */
  recordedConversationsOfEach(
    grants: readonly AccessGrant[],
  ): Promise<Map<string, RecordedConversationRow[]>> {
    return recordedConversationsOfEach(
      this.db,
      grants.filter((g) => g.can.view),
    );
  }

  /**
   * Records a conversation. `beforeSaving` runs first inside the saving transaction (a draft being
   * confirmed is consumed there): if it throws, nothing is saved.
   */
  async record(
    actor: Actor,
    personId: string,
    input: RecordConversationInput,
    beforeSaving?: (trx: Kysely<DB>) => Promise<void>,
  ): Promise<RecordedConversation> {
    RecordConversationContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'record-conversation');
    const framework = await this.frameworks.current();
    const [problem] = this.ruleProblems(framework, input);
    if (problem) throw invalid(problem.message, problem.field);

    const conversationId = randomUUID();
    const outcomeIds: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      if (beforeSaving) await beforeSaving(trx);
      await insertConversations(trx, [
        {
          personId,
          conversationId,
          kind: input.kind,
          heldOn: input.heldOn,
          summary: input.summary.trim(),
          whatHelped: input.whatHelped?.trim() ?? '',
          whatGotInTheWay: input.whatGotInTheWay?.trim() ?? '',
          nextReviewDate: input.nextReviewDate ?? null,
          recordedByUserId: actor.userId,
        },
      ]);
      await insertParticipants(
        trx,
        input.participants.map((p) => ({
          personId,
          conversationId,
          participantId: randomUUID(),
          kind: p.kind,
          name: p.name.trim(),
          userId: p.userId ?? null,
          organisationId: p.organisationId ?? null,
          role: p.role?.trim() ?? '',
        })),
      );

      const ratings: RatingRow[] = [];
      const goals: GasGoalRow[] = [];
      const rating = (
        outcomeId: string,
        r: { viewpoint: RatingRow['viewpoint']; score: number; note?: string },
      ) =>
        ratings.push({
          personId,
          ratingId: randomUUID(),
          outcomeId,
          viewpoint: r.viewpoint,
          score: r.score,
          note: r.note?.trim() ?? '',
          conversationId,
          ratedByUserId: actor.userId,
        });
      const goal = (outcomeId: string, g: GasGoalInput) =>
        goals.push(gasGoalRow(personId, outcomeId, g, actor.userId));

      const newOutcomes = (input.newOutcomes ?? []).map((outcome) => ({ outcome, outcomeId: randomUUID() }));
      await insertOutcomes(
        trx,
        newOutcomes.map(({ outcome, outcomeId }) => ({
          personId,
          outcomeId,
          frameworkId: framework.frameworkId,
          statement: outcome.statement.trim(),
          whyItMatters: outcome.whyItMatters?.trim() ?? '',
          importance: outcome.importance ?? null,
          addedBy: 'practitioner',
          conversationId,
          createdByUserId: actor.userId,
        })),
      );
      await insertOutcomeDomains(
        trx,
        newOutcomes.flatMap(({ outcome, outcomeId }) =>
          [...new Set(outcome.domainIds)].map((domainId) => ({ personId, outcomeId, domainId })),
        ),
      );
      for (const { outcome, outcomeId } of newOutcomes) {
        outcomeIds.push(outcomeId);
        for (const r of outcome.ratings ?? []) rating(outcomeId, r);
        if (outcome.gas) goal(outcomeId, outcome.gas);
      }

      await this.requireOwnOutcomes(trx, grant, input);
      for (const r of input.ratings ?? []) rating(r.outcomeId, r);
      const existingGoals = await gasGoalIdsOf(trx, grant, [
        ...(input.gasGoals ?? []).map((g) => g.outcomeId),
        ...(input.gasAttainments ?? []).map((a) => a.outcomeId),
      ]);
      for (const [i, g] of (input.gasGoals ?? []).entries()) {
        if (existingGoals.has(g.outcomeId) || goals.some((set) => set.outcomeId === g.outcomeId))
          throw invalid('That outcome already has a GAS goal.', `gasGoals.${i}.outcomeId`);
        goal(g.outcomeId, g);
      }
      const newGoalOf = new Map(goals.map((g) => [g.outcomeId, g.goalId]));
      const attainments: GasAttainmentRow[] = (input.gasAttainments ?? []).map((a, i) => {
        const goalId = existingGoals.get(a.outcomeId) ?? newGoalOf.get(a.outcomeId);
        if (!goalId) throw invalid('That outcome has no GAS goal to score.', `gasAttainments.${i}.outcomeId`);
        return {
          personId,
          attainmentId: randomUUID(),
          goalId,
          level: a.level as GasLevel,
          conversationId,
          recordedByUserId: actor.userId,
        };
      });
      await insertRatings(trx, ratings);
      await insertGasGoals(trx, goals);
      await insertGasAttainments(trx, attainments);
      for (const change of input.outcomeStatuses ?? []) {
        await setOutcomeStatus(trx, grant, change.outcomeId, change.status);
      }
      await this.audit.record(
        actor,
        {
          action: 'record-conversation',
          resourceType: 'conversation',
          resourceId: conversationId,
          personId,
          purpose: 'direct care',
        },
        trx,
      );
    });
    return { conversationId, outcomeIds };
  }

  /**
   * The rules the contract cannot know (today's date, the current framework, a first conversation's
   * purpose), every one broken, in the order of the form: saving refuses the first; a form asked a
   * page at a time shows those on its page. The input must keep the contract's shape.
   */
  ruleProblems(framework: Framework, input: RecordConversationInput): FieldProblem[] {
    const found: FieldProblem[] = [];
    const problem = (message: string, field: string) => found.push({ field, message });
    const domainIds = new Set(framework.domains.map((d) => d.domainId));
    const scale = { labels: framework.ratingLabels };
    const offScale = `A rating must be 1 to ${scale.labels.length}.`;

    if (input.heldOn > todayIso()) {
      problem('A conversation cannot be recorded before it happens.', 'heldOn');
    }
    if (input.nextReviewDate && input.nextReviewDate < input.heldOn) {
      problem('The next review must be on or after the conversation.', 'nextReviewDate');
    }
    for (const [i, p] of input.participants.entries()) {
      if (!p.name.trim()) problem('Give the name of each person who took part.', `participants.${i}.name`);
    }
    if (input.kind === 'first' && !input.newOutcomes?.length) {
      problem(
        'Write at least one thing that matters to the person, in their own words.',
        'newOutcomes.0.statement',
      );
    }
    for (const [i, outcome] of (input.newOutcomes ?? []).entries()) {
      if (!outcome.statement.trim())
        problem('Write what matters in the person’s own words.', `newOutcomes.${i}.statement`);
      for (const [j, id] of outcome.domainIds.entries()) {
        if (!domainIds.has(id))
          problem('That domain is not in the current framework.', `newOutcomes.${i}.domainIds.${j}`);
      }
      for (const [j, rating] of (outcome.ratings ?? []).entries()) {
        if (!isValidScore(scale, rating.score)) problem(offScale, `newOutcomes.${i}.ratings.${j}.score`);
      }
      if (outcome.gas) found.push(...this.gasProblems(outcome.gas, `newOutcomes.${i}.gas`));
    }
    for (const [i, rating] of (input.ratings ?? []).entries()) {
      if (!isValidScore(scale, rating.score)) problem(offScale, `ratings.${i}.score`);
    }
    for (const [i, goal] of (input.gasGoals ?? []).entries())
      found.push(...this.gasProblems(goal, `gasGoals.${i}`));
    return found;
  }

  private gasProblems(goal: GasGoalInput, field: string): FieldProblem[] {
    return gasGoalProblems(goal, field);
  }

  /** Every existing outcome the input names must be the person's; the first that is not is named. */
  private async requireOwnOutcomes(db: Kysely<DB>, scope: RecordScope, input: RecordConversationInput) {
    const named = [
      ...(input.ratings ?? []).map((r, i) => ({ outcomeId: r.outcomeId, field: `ratings.${i}.outcomeId` })),
      ...(input.gasGoals ?? []).map((g, i) => ({ outcomeId: g.outcomeId, field: `gasGoals.${i}.outcomeId` })),
      ...(input.gasAttainments ?? []).map((a, i) => ({
        outcomeId: a.outcomeId,
        field: `gasAttainments.${i}.outcomeId`,
      })),
      ...(input.outcomeStatuses ?? []).map((s, i) => ({
        outcomeId: s.outcomeId,
        field: `outcomeStatuses.${i}.outcomeId`,
      })),
    ];
    const own = await ownOutcomeIds(
      db,
      scope,
      named.map((n) => n.outcomeId),
    );
    const stranger = named.find((n) => !own.has(n.outcomeId));
    if (stranger) throw invalid('An outcome named is not one of this person’s.', stranger.field);
  }
}

/**
 * What is wrong with a GAS goal the contract let through: text that is only spaces, and its weight.
 * Shared by a conversation and the narrow use case that sets a goal outside one (OutcomeService).
 */
export function gasGoalProblems(goal: GasGoalInput, field: string): FieldProblem[] {
  for (const key of LEVEL_KEYS) {
    if (!goal.levels[key].trim())
      return [{ message: 'Describe all five GAS levels, −2 to +2.', field: `${field}.levels.${key}` }];
  }
  const weightProblem = gasWeightProblem(goal);
  return weightProblem ? [{ message: weightProblem.message, field: `${field}.${weightProblem.field}` }] : [];
}

/** The row of a new GAS goal set on an outcome, its texts trimmed and its weight worked out. */
export function gasGoalRow(personId: string, outcomeId: string, g: GasGoalInput, userId: string): GasGoalRow {
  return {
    personId,
    goalId: randomUUID(),
    outcomeId,
    levels: {
      [-2]: g.levels['-2'].trim(),
      [-1]: g.levels['-1'].trim(),
      0: g.levels['0'].trim(),
      1: g.levels['1'].trim(),
      2: g.levels['2'].trim(),
    } as Record<GasLevel, string>,
    baselineLevel: g.baselineLevel as GasLevel,
    importance: g.importance ?? null,
    difficulty: g.difficulty ?? null,
    weight: gasWeight(g),
    createdByUserId: userId,
  };
}
