import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import {
  type CarePlanContent,
  carePlanProblems,
  diffCarePlans,
  emptyCarePlan,
  type PlanChange,
} from '../../domain/care-plan.js';
import { invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { PersonAccess } from '../record-access/person-access.js';

export interface PlanVersionSummary {
  version: number;
  createdAt: string;
  createdBy: string;
  changeSummary: string;
  plannedReviewDate: string | null;
}

export interface PlanComment {
  commentId: string;
  version: number;
  body: string;
  author: string;
  viewpoint: string;
  createdAt: string;
}

export interface PlanVersion extends PlanVersionSummary {
  content: CarePlanContent;
}

export interface PlanView {
  /** Null when no plan has been agreed yet. */
  current: PlanVersion | null;
  versions: PlanVersionSummary[];
  comments: PlanComment[];
}

/**
 * The one care and support plan shared by everyone in the person's care team (PRSB Personalised
 * Care and Support Plan). Every save is a new version; versions are never changed, so any two
 * can be compared. Saving states which version it was based on, so two people editing at once
 * cannot silently overwrite each other.
 */
export class PlanService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
  ) {}

  async view(actor: Actor, personId: string): Promise<PlanView> {
    await this.access.require(actor, personId, 'view', 'read-plan');
    return this.load(personId);
  }

  /** Reads without an access check: for services that already checked and audited. */
  async load(personId: string): Promise<PlanView> {
    const [versions, comments] = await Promise.all([
      this.db
        .selectFrom('care_plan_version as v')
        .innerJoin('user_account as u', 'u.user_id', 'v.created_by_user_id')
        .select([
          'v.version',
          'v.created_at',
          'v.change_summary',
          'v.planned_review_date',
          'u.display_name',
          'v.content',
        ])
        .where('v.person_id', '=', personId)
        .orderBy('v.version', 'desc')
        .execute(),
      this.db
        .selectFrom('plan_comment as c')
        .innerJoin('user_account as u', 'u.user_id', 'c.author_user_id')
        .select([
          'c.comment_id',
          'c.version',
          'c.body',
          'c.author_viewpoint',
          'c.created_at',
          'u.display_name',
        ])
        .where('c.person_id', '=', personId)
        .orderBy('c.created_at', 'desc')
        .execute(),
    ]);
    const summaries = versions.map((v) => ({
      version: v.version,
      createdAt: v.created_at.toISOString(),
      createdBy: v.display_name,
      changeSummary: v.change_summary,
      plannedReviewDate: v.planned_review_date,
    }));
    const latest = versions[0];
    return {
      current:
        latest && summaries[0] ? { ...summaries[0], content: latest.content as CarePlanContent } : null,
      versions: summaries,
      comments: comments.map((c) => ({
        commentId: c.comment_id,
        version: c.version,
        body: c.body,
        author: c.display_name,
        viewpoint: c.author_viewpoint,
        createdAt: c.created_at.toISOString(),
      })),
    };
  }

  async version(actor: Actor, personId: string, version: number): Promise<PlanVersion> {
    await this.access.require(actor, personId, 'view', 'read-plan-version');
    return this.loadVersion(personId, version);
  }

  async compare(
    actor: Actor,
    personId: string,
    from: number,
    to: number,
  ): Promise<{ from: PlanVersion; to: PlanVersion; changes: PlanChange[] }> {
    await this.access.require(actor, personId, 'view', 'compare-plan-versions');
    const [a, b] = await Promise.all([this.loadVersion(personId, from), this.loadVersion(personId, to)]);
    return { from: a, to: b, changes: diffCarePlans(a.content, b.content) };
  }

  /** Saves a new version. `basedOn` is the version the editor started from (0 for a first plan). */
  async save(
    actor: Actor,
    personId: string,
    input: { content: unknown; basedOn: number; changeSummary?: string },
  ): Promise<PlanVersionSummary> {
    await this.access.require(actor, personId, 'manage', 'save-plan');
    const problems = carePlanProblems(input.content);
    if (problems.length) {
      const [first] = problems;
      throw invalid(problems.join('; '), `content.${first?.split(':')[0] ?? ''}`);
    }
    const content = input.content as CarePlanContent;
    await this.checkReferences(personId, content);

    const version = await this.db.transaction().execute(async (trx) => {
      const latest = await trx
        .selectFrom('care_plan_version')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('person_id', '=', personId)
        .executeTakeFirst();
      const current = Number(latest?.version ?? 0);
      if (input.basedOn !== current) {
        throw new ServiceError(
          409,
          'The plan has changed',
          `Someone saved version ${current} of this plan after you opened version ${input.basedOn}. Open the latest version and make your changes again.`,
          'basedOn',
        );
      }
      const next = current + 1;
      await trx
        .insertInto('care_plan_version')
        .values({
          person_id: personId,
          version: next,
          content: JSON.stringify(content),
          planned_review_date: content.review.plannedDate,
          change_summary: input.changeSummary?.trim() ?? '',
          created_by_user_id: actor.userId,
        })
        .execute();
      await this.audit.record(
        actor,
        {
          action: 'save-plan',
          resourceType: 'care_plan_version',
          resourceId: `${personId}/${next}`,
          personId,
        },
        trx,
      );
      return next;
    });
    const saved = await this.loadVersion(personId, version);
    const { content: _content, ...summary } = saved;
    return summary;
  }

  /** The person, an authorised carer or a practitioner comments on a version of the plan. */
  async comment(actor: Actor, personId: string, input: { version: number; body: string }): Promise<string> {
    const { viewpoint } = await this.access.require(actor, personId, 'contribute', 'comment-on-plan');
    const body = input.body.trim();
    if (!body) throw invalid('Write a comment.', 'body');
    if (body.length > 4000) throw invalid('A comment is at most 4,000 characters.', 'body');
    await this.loadVersion(personId, input.version);
    const commentId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('plan_comment')
        .values({
          person_id: personId,
          comment_id: commentId,
          version: input.version,
          body,
          author_user_id: actor.userId,
          author_viewpoint: viewpoint,
        })
        .execute();
      await this.audit.record(
        actor,
        { action: 'comment-on-plan', resourceType: 'plan_comment', resourceId: commentId, personId },
        trx,
      );
    });
    return commentId;
  }

  newPlan(): CarePlanContent {
    return emptyCarePlan();
  }

  private async loadVersion(personId: string, version: number): Promise<PlanVersion> {
    const row = await this.db
      .selectFrom('care_plan_version as v')
      .innerJoin('user_account as u', 'u.user_id', 'v.created_by_user_id')
      .select([
        'v.version',
        'v.created_at',
        'v.change_summary',
        'v.planned_review_date',
        'v.content',
        'u.display_name',
      ])
      .where('v.person_id', '=', personId)
      .where('v.version', '=', version)
      .executeTakeFirst();
    if (!row) throw notFound(`Version ${version} of the plan`);
    return {
      version: row.version,
      createdAt: row.created_at.toISOString(),
      createdBy: row.display_name,
      changeSummary: row.change_summary,
      plannedReviewDate: row.planned_review_date,
      content: row.content as CarePlanContent,
    };
  }

  /** Goals may only link to this person's outcomes, and actions only to organisations that exist. */
  private async checkReferences(personId: string, content: CarePlanContent): Promise<void> {
    const outcomeIds = [...new Set(content.goals.flatMap((g) => (g.outcomeId ? [g.outcomeId] : [])))];
    if (outcomeIds.length) {
      const found = await this.db
        .selectFrom('personal_outcome')
        .select('outcome_id')
        .where('person_id', '=', personId)
        .where('outcome_id', 'in', outcomeIds)
        .execute();
      if (found.length !== outcomeIds.length)
        throw invalid('A goal links to an outcome that is not this person’s.', 'content.goals');
    }
    const organisationIds = [
      ...new Set(
        content.goals.flatMap((g) =>
          g.actions.flatMap((a) => (a.who.organisationId ? [a.who.organisationId] : [])),
        ),
      ),
    ];
    if (organisationIds.length) {
      const found = await this.db
        .selectFrom('organisation')
        .select('organisation_id')
        .where('organisation_id', 'in', organisationIds)
        .execute();
      if (found.length !== organisationIds.length)
        throw invalid('An action names an organisation that does not exist.', 'content.goals');
    }
  }
}
