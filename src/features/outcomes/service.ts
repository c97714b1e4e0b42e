import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { type GasLevel, gasTScore } from '../../domain/gas.js';
import { isValidScore } from '../../domain/outcome-frameworks.js';
import {
  type Disagreement,
  type DistanceTravelled,
  disagreement,
  distanceTravelled,
  latestByViewpoint,
  type RatingPoint,
  type Viewpoint,
} from '../../domain/ratings.js';
import { invalid, notFound } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { FrameworkService } from '../frameworks/service.js';
import type { PersonAccess } from '../record-access/person-access.js';
import type { OutcomeStatus } from './conversation-service.js';

export interface OutcomeRating extends RatingPoint {
  ratingId: string;
  note: string;
  ratedBy: string;
  conversationId: string | null;
}

export interface GasGoal {
  goalId: string;
  levels: Record<GasLevel, string>;
  baselineLevel: GasLevel;
  importance: number | null;
  difficulty: number | null;
  weight: number;
  attainments: { level: GasLevel; recordedAt: string; conversationId: string | null }[];
  currentLevel: GasLevel;
}

export interface PersonalOutcome {
  outcomeId: string;
  statement: string;
  whyItMatters: string;
  importance: number | null;
  status: OutcomeStatus;
  addedBy: Viewpoint;
  createdAt: string;
  framework: { frameworkId: string; name: string; version: number; ratingLabels: string[] };
  domains: { domainId: string; name: string; category: string }[];
  ratings: OutcomeRating[];
  latest: Partial<Record<Viewpoint, OutcomeRating>>;
  disagreement: Disagreement;
  distance: DistanceTravelled[];
  gas: GasGoal | null;
}

export interface GasReviewScore {
  conversationId: string;
  heldOn: string;
  t: number;
  goals: number;
}

const levelOf = (n: number) => n as GasLevel;

/**
 * Personal outcomes: what matters to the person in their own words, their ratings from each
 * viewpoint (disagreement kept, never averaged), and goal attainment scaling.
 */
export class OutcomeService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly frameworks: FrameworkService,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, personId: string): Promise<PersonalOutcome[]> {
    await this.access.require(actor, personId, 'view', 'read-outcomes');
    return this.load(personId);
  }

  /** Reads without an access check or audit: for services that already checked and audited. */
  async load(personId: string): Promise<PersonalOutcome[]> {
    const [outcomes, domains, ratings, goals, attainments, frameworks] = await Promise.all([
      this.db
        .selectFrom('personal_outcome')
        .selectAll()
        .where('person_id', '=', personId)
        .orderBy('created_at')
        .execute(),
      this.db
        .selectFrom('personal_outcome_domain as pd')
        .innerJoin('outcome_domain as d', 'd.domain_id', 'pd.domain_id')
        .select(['pd.outcome_id', 'd.domain_id', 'd.name', 'd.category', 'd.sort_order'])
        .where('pd.person_id', '=', personId)
        .orderBy('d.sort_order')
        .execute(),
      this.db
        .selectFrom('outcome_rating as r')
        .innerJoin('user_account as u', 'u.user_id', 'r.rated_by_user_id')
        .select([
          'r.rating_id',
          'r.outcome_id',
          'r.viewpoint',
          'r.score',
          'r.note',
          'r.rated_at',
          'r.conversation_id',
          'u.display_name',
        ])
        .where('r.person_id', '=', personId)
        .orderBy('r.rated_at')
        .execute(),
      this.db.selectFrom('gas_goal').selectAll().where('person_id', '=', personId).execute(),
      this.db
        .selectFrom('gas_attainment')
        .selectAll()
        .where('person_id', '=', personId)
        .orderBy('recorded_at')
        .execute(),
      this.frameworks.list(),
    ]);
    return outcomes.map((o) => {
      const framework = frameworks.find((f) => f.frameworkId === o.framework_id);
      const own: OutcomeRating[] = ratings
        .filter((r) => r.outcome_id === o.outcome_id)
        .map((r) => ({
          ratingId: r.rating_id,
          viewpoint: r.viewpoint as Viewpoint,
          score: r.score,
          ratedAt: r.rated_at.toISOString(),
          note: r.note,
          ratedBy: r.display_name,
          conversationId: r.conversation_id,
        }));
      const goal = goals.find((g) => g.outcome_id === o.outcome_id);
      const goalAttainments = goal
        ? attainments
            .filter((a) => a.goal_id === goal.goal_id)
            .map((a) => ({
              level: levelOf(a.level),
              recordedAt: a.recorded_at.toISOString(),
              conversationId: a.conversation_id,
            }))
        : [];
      return {
        outcomeId: o.outcome_id,
        statement: o.statement,
        whyItMatters: o.why_it_matters,
        importance: o.importance,
        status: o.status as OutcomeStatus,
        addedBy: o.added_by as Viewpoint,
        createdAt: o.created_at.toISOString(),
        framework: {
          frameworkId: o.framework_id,
          name: framework?.name ?? '',
          version: framework?.version ?? 0,
          ratingLabels: framework?.ratingLabels ?? [],
        },
        domains: domains
          .filter((d) => d.outcome_id === o.outcome_id)
          .map((d) => ({ domainId: d.domain_id, name: d.name, category: d.category })),
        ratings: own,
        latest: latestByViewpoint(own) as Partial<Record<Viewpoint, OutcomeRating>>,
        disagreement: disagreement(own),
        distance: distanceTravelled(own),
        gas: goal
          ? {
              goalId: goal.goal_id,
              levels: {
                [-2]: goal.level_minus_2,
                [-1]: goal.level_minus_1,
                0: goal.level_0,
                1: goal.level_plus_1,
                2: goal.level_plus_2,
              } as Record<GasLevel, string>,
              baselineLevel: levelOf(goal.baseline_level),
              importance: goal.importance,
              difficulty: goal.difficulty,
              weight: Number(goal.weight),
              attainments: goalAttainments,
              currentLevel: goalAttainments.at(-1)?.level ?? levelOf(goal.baseline_level),
            }
          : null,
      };
    });
  }

  /**
   * The person's GAS T-score at each review that scored a goal. A goal not scored at a review counts
   * at its latest earlier level (its baseline before any), so every goal set so far is in each score.
   */
  async gasScores(personId: string): Promise<GasReviewScore[]> {
    const goals = await this.db
      .selectFrom('gas_goal')
      .selectAll()
      .where('person_id', '=', personId)
      .execute();
    if (!goals.length) return [];
    const reviews = await this.db
      .selectFrom('gas_attainment as a')
      .innerJoin('conversation as c', (join) =>
        join.onRef('c.person_id', '=', 'a.person_id').onRef('c.conversation_id', '=', 'a.conversation_id'),
      )
      .select(['a.goal_id', 'a.level', 'a.recorded_at', 'c.conversation_id', 'c.held_on'])
      .where('a.person_id', '=', personId)
      .orderBy('c.held_on')
      .orderBy('a.recorded_at')
      .execute();
    const conversations = [...new Map(reviews.map((r) => [r.conversation_id, r.held_on])).entries()];
    return conversations.map(([conversationId, heldOn]) => {
      const included = goals.filter(
        (g) =>
          g.created_at.toISOString().slice(0, 10) <= heldOn ||
          reviews.some((r) => r.goal_id === g.goal_id && r.conversation_id === conversationId),
      );
      const scores = included.map((g) => {
        const upTo = reviews.filter((r) => r.goal_id === g.goal_id && r.held_on <= heldOn);
        const atThis = upTo.filter((r) => r.conversation_id === conversationId).at(-1);
        return (atThis ?? upTo.at(-1))?.level ?? g.baseline_level;
      });
      const weights = included.map((g) => Number(g.weight));
      const usable = weights.some((w) => w > 0);
      return {
        conversationId,
        heldOn,
        goals: included.length,
        t: gasTScore({ scores, weights: usable ? weights : undefined }),
      };
    });
  }

  /** Someone adds what matters to them, from their own viewpoint: the person or an authorised carer. */
  async add(
    actor: Actor,
    personId: string,
    input: {
      statement: string;
      whyItMatters?: string;
      domainIds?: string[];
      importance?: number | null;
      score?: number | null;
    },
  ): Promise<string> {
    const { viewpoint } = await this.access.require(actor, personId, 'contribute', 'add-outcome');
    const framework = await this.frameworks.current();
    if (!input.statement.trim()) throw invalid('Write what matters, in your own words.', 'statement');
    const known = new Set(framework.domains.map((d) => d.domainId));
    if ((input.domainIds ?? []).some((id) => !known.has(id)))
      throw invalid('That domain is not in the framework.', 'domainIds');
    if (input.score != null && !isValidScore({ labels: framework.ratingLabels }, input.score)) {
      throw invalid(`A rating must be 1 to ${framework.ratingLabels.length}.`, 'score');
    }
    const outcomeId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('personal_outcome')
        .values({
          person_id: personId,
          outcome_id: outcomeId,
          framework_id: framework.frameworkId,
          statement: input.statement.trim(),
          why_it_matters: input.whyItMatters?.trim() ?? '',
          importance: input.importance ?? null,
          added_by: viewpoint,
          created_by_user_id: actor.userId,
        })
        .execute();
      const domainIds = [...new Set(input.domainIds ?? [])];
      if (domainIds.length) {
        await trx
          .insertInto('personal_outcome_domain')
          .values(
            domainIds.map((domainId) => ({
              person_id: personId,
              outcome_id: outcomeId,
              domain_id: domainId,
            })),
          )
          .execute();
      }
      if (input.score != null) {
        await trx
          .insertInto('outcome_rating')
          .values({
            person_id: personId,
            rating_id: randomUUID(),
            outcome_id: outcomeId,
            viewpoint,
            score: input.score,
            rated_by_user_id: actor.userId,
          })
          .execute();
      }
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
    input: { score: number; note?: string },
  ): Promise<string> {
    const { viewpoint } = await this.access.require(actor, personId, 'contribute', 'rate-outcome');
    const outcome = await this.db
      .selectFrom('personal_outcome as o')
      .innerJoin('outcome_framework as f', 'f.framework_id', 'o.framework_id')
      .select(['o.outcome_id', 'f.rating_labels'])
      .where('o.person_id', '=', personId)
      .where('o.outcome_id', '=', outcomeId)
      .executeTakeFirst();
    if (!outcome) throw notFound('That outcome');
    if (!isValidScore({ labels: outcome.rating_labels }, input.score)) {
      throw invalid(`A rating must be 1 to ${outcome.rating_labels.length}.`, 'score');
    }
    const ratingId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('outcome_rating')
        .values({
          person_id: personId,
          rating_id: ratingId,
          outcome_id: outcomeId,
          viewpoint,
          score: input.score,
          note: input.note?.trim() ?? '',
          rated_by_user_id: actor.userId,
        })
        .execute();
      await this.audit.record(
        actor,
        { action: 'rate-outcome', resourceType: 'outcome_rating', resourceId: ratingId, personId },
        trx,
      );
    });
    return ratingId;
  }
}
