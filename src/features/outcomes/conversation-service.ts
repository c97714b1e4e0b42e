import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { defaultGasWeight, type GasLevel, isGasBaseline, isGasLevel } from '../../domain/gas.js';
import { isValidScore } from '../../domain/outcome-frameworks.js';
import type { Viewpoint } from '../../domain/ratings.js';
import { invalid } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { FrameworkService } from '../frameworks/service.js';
import type { PersonAccess } from '../record-access/person-access.js';

export type { ConversationKind, OutcomeStatus } from '../../domain/conversations.js';

import type { ConversationKind, OutcomeStatus } from '../../domain/conversations.js';

export interface RatingInput {
  viewpoint: Viewpoint;
  score: number;
  note?: string;
}

export interface GasGoalInput {
  levels: Record<'-2' | '-1' | '0' | '1' | '2', string>;
  baselineLevel: number;
  importance?: number | null;
  difficulty?: number | null;
  /** When absent: importance × difficulty if both are given, else 1. */
  weight?: number | null;
}

export interface NewOutcomeInput {
  statement: string;
  whyItMatters?: string;
  domainIds: string[];
  importance?: number | null;
  ratings?: RatingInput[];
  gas?: GasGoalInput | null;
}

export interface ParticipantInput {
  kind: 'person' | 'carer' | 'practitioner' | 'other';
  name: string;
  userId?: string | null;
  organisationId?: string | null;
  role?: string;
}

export interface RecordConversationInput {
  kind: ConversationKind;
  heldOn: string;
  summary: string;
  whatHelped?: string;
  whatGotInTheWay?: string;
  nextReviewDate?: string | null;
  participants: ParticipantInput[];
  newOutcomes?: NewOutcomeInput[];
  /** Ratings of outcomes the person already has. */
  ratings?: (RatingInput & { outcomeId: string })[];
  gasAttainments?: { outcomeId: string; level: number }[];
  gasGoals?: (GasGoalInput & { outcomeId: string })[];
  outcomeStatuses?: { outcomeId: string; status: OutcomeStatus }[];
}

export interface RecordedConversation {
  conversationId: string;
  outcomeIds: string[];
}

/** GAS weights: importance × difficulty when both are scored, else the given weight, else 1. */
export function gasWeight(input: GasGoalInput): number {
  if (input.weight !== undefined && input.weight !== null) return input.weight;
  if (input.importance != null && input.difficulty != null) {
    return defaultGasWeight(input.importance, input.difficulty);
  }
  return 1;
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

  async record(
    actor: Actor,
    personId: string,
    input: RecordConversationInput,
  ): Promise<RecordedConversation> {
    await this.access.require(actor, personId, 'manage', 'record-conversation');
    const framework = await this.frameworks.current();
    const domainIds = new Set(framework.domains.map((d) => d.domainId));
    const scale = { labels: framework.ratingLabels };

    if (input.heldOn > new Date().toISOString().slice(0, 10)) {
      throw invalid('A conversation cannot be recorded before it happens.', 'heldOn');
    }
    if (input.nextReviewDate && input.nextReviewDate < input.heldOn) {
      throw invalid('The next review must be on or after the conversation.', 'nextReviewDate');
    }
    if (!input.participants.length) throw invalid('Record who took part.', 'participants');
    for (const [i, outcome] of (input.newOutcomes ?? []).entries()) {
      if (!outcome.statement.trim())
        throw invalid('Write what matters in the person’s own words.', `newOutcomes.${i}.statement`);
      for (const id of outcome.domainIds) {
        if (!domainIds.has(id))
          throw invalid('That domain is not in the current framework.', `newOutcomes.${i}.domainIds`);
      }
      for (const [j, rating] of (outcome.ratings ?? []).entries()) {
        if (!isValidScore(scale, rating.score)) {
          throw invalid(
            `A rating must be 1 to ${scale.labels.length}.`,
            `newOutcomes.${i}.ratings.${j}.score`,
          );
        }
      }
      if (outcome.gas) this.checkGas(outcome.gas, `newOutcomes.${i}.gas`);
    }
    for (const [i, rating] of (input.ratings ?? []).entries()) {
      if (!isValidScore(scale, rating.score))
        throw invalid(`A rating must be 1 to ${scale.labels.length}.`, `ratings.${i}.score`);
    }
    for (const [i, goal] of (input.gasGoals ?? []).entries()) this.checkGas(goal, `gasGoals.${i}`);
    for (const [i, attainment] of (input.gasAttainments ?? []).entries()) {
      if (!isGasLevel(attainment.level))
        throw invalid('A GAS level is −2, −1, 0, +1 or +2.', `gasAttainments.${i}.level`);
    }

    const conversationId = randomUUID();
    const outcomeIds: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversation')
        .values({
          person_id: personId,
          conversation_id: conversationId,
          kind: input.kind,
          held_on: input.heldOn,
          summary: input.summary.trim(),
          what_helped: input.whatHelped?.trim() ?? '',
          what_got_in_the_way: input.whatGotInTheWay?.trim() ?? '',
          next_review_date: input.nextReviewDate ?? null,
          recorded_by_user_id: actor.userId,
        })
        .execute();
      await trx
        .insertInto('conversation_participant')
        .values(
          input.participants.map((p) => ({
            person_id: personId,
            conversation_id: conversationId,
            participant_id: randomUUID(),
            kind: p.kind,
            name: p.name.trim(),
            user_id: p.userId ?? null,
            organisation_id: p.organisationId ?? null,
            role: p.role?.trim() ?? '',
          })),
        )
        .execute();

      for (const outcome of input.newOutcomes ?? []) {
        const outcomeId = randomUUID();
        outcomeIds.push(outcomeId);
        await trx
          .insertInto('personal_outcome')
          .values({
            person_id: personId,
            outcome_id: outcomeId,
            framework_id: framework.frameworkId,
            statement: outcome.statement.trim(),
            why_it_matters: outcome.whyItMatters?.trim() ?? '',
            importance: outcome.importance ?? null,
            added_by: 'practitioner',
            conversation_id: conversationId,
            created_by_user_id: actor.userId,
          })
          .execute();
        if (outcome.domainIds.length) {
          await trx
            .insertInto('personal_outcome_domain')
            .values(
              [...new Set(outcome.domainIds)].map((domainId) => ({
                person_id: personId,
                outcome_id: outcomeId,
                domain_id: domainId,
              })),
            )
            .execute();
        }
        await this.insertRatings(
          trx,
          actor,
          personId,
          conversationId,
          (outcome.ratings ?? []).map((r) => ({ ...r, outcomeId })),
        );
        if (outcome.gas) await this.insertGasGoal(trx, actor, personId, outcomeId, outcome.gas);
      }

      await this.requireOwnOutcomes(trx, personId, [
        ...(input.ratings ?? []).map((r) => r.outcomeId),
        ...(input.gasGoals ?? []).map((g) => g.outcomeId),
        ...(input.gasAttainments ?? []).map((g) => g.outcomeId),
        ...(input.outcomeStatuses ?? []).map((s) => s.outcomeId),
      ]);
      await this.insertRatings(trx, actor, personId, conversationId, input.ratings ?? []);
      for (const goal of input.gasGoals ?? [])
        await this.insertGasGoal(trx, actor, personId, goal.outcomeId, goal);
      for (const attainment of input.gasAttainments ?? []) {
        const goal = await trx
          .selectFrom('gas_goal')
          .select('goal_id')
          .where('person_id', '=', personId)
          .where('outcome_id', '=', attainment.outcomeId)
          .executeTakeFirst();
        if (!goal) throw invalid('That outcome has no GAS goal to score.', 'gasAttainments');
        await trx
          .insertInto('gas_attainment')
          .values({
            person_id: personId,
            attainment_id: randomUUID(),
            goal_id: goal.goal_id,
            level: attainment.level,
            conversation_id: conversationId,
            recorded_by_user_id: actor.userId,
          })
          .execute();
      }
      for (const change of input.outcomeStatuses ?? []) {
        await trx
          .updateTable('personal_outcome')
          .set({ status: change.status })
          .where('person_id', '=', personId)
          .where('outcome_id', '=', change.outcomeId)
          .execute();
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

  private checkGas(goal: GasGoalInput, field: string): void {
    for (const key of LEVEL_KEYS) {
      if (!goal.levels[key]?.trim())
        throw invalid('Describe all five GAS levels, −2 to +2.', `${field}.levels.${key}`);
    }
    if (!isGasBaseline(goal.baselineLevel))
      throw invalid('The GAS baseline is −1 or −2.', `${field}.baselineLevel`);
    try {
      if (gasWeight(goal) < 0) throw new RangeError('weight');
    } catch {
      throw invalid(
        'GAS importance and difficulty are whole numbers from 0 to 3; a weight is 0 or more.',
        `${field}.weight`,
      );
    }
  }

  private async requireOwnOutcomes(trx: Kysely<DB>, personId: string, outcomeIds: string[]): Promise<void> {
    const wanted = [...new Set(outcomeIds)];
    if (!wanted.length) return;
    const found = await trx
      .selectFrom('personal_outcome')
      .select('outcome_id')
      .where('person_id', '=', personId)
      .where('outcome_id', 'in', wanted)
      .execute();
    if (found.length !== wanted.length)
      throw invalid('An outcome named is not one of this person’s.', 'outcomeId');
  }

  private async insertRatings(
    trx: Kysely<DB>,
    actor: Actor,
    personId: string,
    conversationId: string | null,
    ratings: (RatingInput & { outcomeId: string })[],
  ): Promise<void> {
    if (!ratings.length) return;
    await trx
      .insertInto('outcome_rating')
      .values(
        ratings.map((r) => ({
          person_id: personId,
          rating_id: randomUUID(),
          outcome_id: r.outcomeId,
          viewpoint: r.viewpoint,
          score: r.score,
          note: r.note?.trim() ?? '',
          conversation_id: conversationId,
          rated_by_user_id: actor.userId,
        })),
      )
      .execute();
  }

  private async insertGasGoal(
    trx: Kysely<DB>,
    actor: Actor,
    personId: string,
    outcomeId: string,
    goal: GasGoalInput,
  ): Promise<void> {
    const existing = await trx
      .selectFrom('gas_goal')
      .select('goal_id')
      .where('person_id', '=', personId)
      .where('outcome_id', '=', outcomeId)
      .executeTakeFirst();
    if (existing) throw invalid('That outcome already has a GAS goal.', 'gasGoals');
    await trx
      .insertInto('gas_goal')
      .values({
        person_id: personId,
        goal_id: randomUUID(),
        outcome_id: outcomeId,
        level_minus_2: goal.levels['-2'].trim(),
        level_minus_1: goal.levels['-1'].trim(),
        level_0: goal.levels['0'].trim(),
        level_plus_1: goal.levels['1'].trim(),
        level_plus_2: goal.levels['2'].trim(),
        baseline_level: goal.baselineLevel as GasLevel,
        importance: goal.importance ?? null,
        difficulty: goal.difficulty ?? null,
        weight: gasWeight(goal),
        created_by_user_id: actor.userId,
      })
      .execute();
  }
}
