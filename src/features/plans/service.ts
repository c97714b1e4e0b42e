import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  actionWhoProblem,
  type CarePlanContent,
  diffCarePlans,
  planDateProblem,
  repeatedIdMessage,
  repeatedIds,
} from '../../domain/care-plan.js';
import type { Viewpoint } from '../../domain/ratings.js';
import type { Capabilities, RelationKind } from '../../domain/record-access.js';
import { invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { AccessGrant, PersonAccess, RecordScope } from '../record-access/person-access.js';
import {
  CommentOnPlanContract,
  type CommentOnPlanInput,
  type PlanComparison,
  type PlanVersion,
  type PlanVersionSummary,
  type PlanView,
  SavePlanVersionContract,
  type SavePlanVersionInput,
} from './schema.js';
import {
  currentPlanVersionOf,
  currentPlanVersionsOf,
  everyPlanVersionOf,
  insertPlanComment,
  insertPlanVersion,
  latestVersionOf,
  type OutcomeStatement,
  outcomeStatementsOf,
  outcomesNotOf,
  type PersonBanner,
  personBannerOf,
  planOf,
  planVersionExists,
  planVersionsOf,
  type RecordedPlanVersion,
  unknownOrganisations,
} from './store.js';

export type { PlanComment, PlanComparison, PlanVersion, PlanVersionSummary, PlanView } from './schema.js';
export type { OutcomeStatement, PersonBanner } from './store.js';

/**
 * What the plan's pages show beside the plan, from the one access check a page makes: who the plan
 * is for, how the reader stands to them and what they may do, and the person's outcomes (a goal
 * may name the one it works towards).
 */
export interface PlanReader {
  person: PersonBanner;
  /** What the reader may do with the record, as the access rule decides. */
  can: Capabilities;
  /** How the reader stands to the person: where "back" is for them. */
  relationKind: RelationKind;
  /** Whose point of view the reader's comments are from. */
  viewpoint: Viewpoint;
  outcomes: OutcomeStatement[];
}

export interface PlanPage extends PlanReader {
  plan: PlanView;
  /** The page's one audited access check, for a feature that adds its part of the page (community support). */
  grant: AccessGrant;
}

export interface PlanVersionPage extends PlanReader {
  version: PlanVersion;
  latestVersion: number;
}

export interface PlanComparisonPage extends PlanReader {
  versions: PlanVersionSummary[];
  /** Null while the plan has fewer than two versions. */
  comparison: PlanComparison | null;
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
    const grant = await this.access.require(actor, personId, 'view', 'read-plan');
    return planOf(this.db, grant);
  }

  /** The plan within a record another service has opened: the scope comes from its access check. */
  planOf(scope: RecordScope): Promise<PlanView> {
    return planOf(this.db, scope);
  }

  async version(actor: Actor, personId: string, version: number): Promise<PlanVersion> {
    const grant = await this.access.require(actor, personId, 'view', 'read-plan-version');
    return this.oneVersion(grant, version);
  }

  /** Every version with its content, newest first (FHIR CarePlan history), from one audited check. */
  async history(actor: Actor, personId: string): Promise<RecordedPlanVersion[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-plan-version');
    return everyPlanVersionOf(this.db, grant);
  }

  /** The current version with who saved it (FHIR CarePlan read and export), or none: one audited check. */
  async currentRecorded(actor: Actor, personId: string): Promise<RecordedPlanVersion | null> {
    const grant = await this.access.require(actor, personId, 'view', 'read-plan');
    return currentPlanVersionOf(this.db, grant);
  }

  /**
   * `currentRecorded` of many people at once (FHIR bulk export), in one statement. No check or
   * audit here: the grants were checked and audited by the caller, PersonAccess.requireEach. Only
   * grants that allow viewing are read, as `currentRecorded` requires; people with no plan are left out.
   */
  currentRecordedOfEach(grants: readonly AccessGrant[]): Promise<Map<string, RecordedPlanVersion>> {
    return currentPlanVersionsOf(
      this.db,
      grants.filter((g) => g.can.view),
    );
  }

  async compare(actor: Actor, personId: string, from: number, to: number): Promise<PlanComparison> {
    const grant = await this.access.require(actor, personId, 'view', 'compare-plan-versions');
    return this.comparison(grant, from, to);
  }

  /**
   * The plan page (or, with `need` 'manage', the edit form): the plan with who it is for and what
   * the reader may do, from one audited check.
   */
  async page(actor: Actor, personId: string, need: 'view' | 'manage' = 'view'): Promise<PlanPage> {
    const grant = await this.access.require(actor, personId, need, 'read-plan');
    const [reader, plan] = await Promise.all([this.reader(grant), planOf(this.db, grant)]);
    return { ...reader, plan, grant };
  }

  /** One version, for its page: with the latest version's number, to say whether it is current. */
  async versionPage(actor: Actor, personId: string, version: number): Promise<PlanVersionPage> {
    const grant = await this.access.require(actor, personId, 'view', 'read-plan-version');
    const [reader, found, latestVersion] = await Promise.all([
      this.reader(grant),
      this.oneVersion(grant, version),
      latestVersionOf(this.db, grant),
    ]);
    return { ...reader, version: found, latestVersion };
  }

  /**
   * Two versions compared, for the comparison page: by default the latest two. While the plan has
   * fewer than two versions there is nothing to compare.
   */
  async comparisonPage(
    actor: Actor,
    personId: string,
    choice: { from?: number; to?: number },
  ): Promise<PlanComparisonPage> {
    const grant = await this.access.require(actor, personId, 'view', 'compare-plan-versions');
    const [reader, plan] = await Promise.all([this.reader(grant), planOf(this.db, grant)]);
    const latest = plan.current?.version ?? 0;
    const comparison =
      latest < 2 ? null : await this.comparison(grant, choice.from ?? latest - 1, choice.to ?? latest);
    return { ...reader, versions: plan.versions, comparison };
  }

  /** Saves a new version. `basedOn` is the version the editor started from (0 for a first plan). */
  async save(actor: Actor, personId: string, input: SavePlanVersionInput): Promise<PlanVersionSummary> {
    const { content, basedOn, changeSummary } = SavePlanVersionContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'save-plan');
    const [repeated] = repeatedIds(content);
    if (repeated) throw invalid(repeatedIdMessage(repeated.id), `content.${repeated.path}`);
    const wrongDate = planDateProblem(content, todayIso());
    if (wrongDate) throw invalid(wrongDate.message, `content.${wrongDate.path}`);
    const noOne = actionWhoProblem(content);
    if (noOne) throw invalid(noOne.message, `content.${noOne.path}`);
    await this.checkReferences(grant, content);

    const version = await this.db.transaction().execute(async (trx) => {
      const current = await latestVersionOf(trx, grant);
      if (basedOn !== current) {
        throw new ServiceError(
          409,
          'The plan has changed',
          `Someone saved version ${current} of this plan after you opened version ${basedOn}. Open the latest version and make your changes again.`,
          'basedOn',
        );
      }
      const next = current + 1;
      await insertPlanVersion(trx, grant, {
        version: next,
        content,
        changeSummary: changeSummary?.trim() ?? '',
        createdByUserId: actor.userId,
      });
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
    const { content: _content, ...summary } = await this.oneVersion(grant, version);
    return summary;
  }

  /** The person, an authorised carer or a practitioner comments on a version of the plan. */
  async comment(actor: Actor, personId: string, input: CommentOnPlanInput): Promise<string> {
    const { version, body } = CommentOnPlanContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'comment-on-plan');
    if (!(await planVersionExists(this.db, grant, version))) throw notFound(`Version ${version} of the plan`);
    const commentId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertPlanComment(trx, grant, {
        commentId,
        version,
        body: body.trim(),
        authorUserId: actor.userId,
        viewpoint: grant.viewpoint,
      });
      await this.audit.record(
        actor,
        { action: 'comment-on-plan', resourceType: 'plan_comment', resourceId: commentId, personId },
        trx,
      );
    });
    return commentId;
  }

  private async reader(grant: AccessGrant): Promise<PlanReader> {
    const [person, outcomes] = await Promise.all([
      personBannerOf(this.db, grant),
      outcomeStatementsOf(this.db, grant),
    ]);
    if (!person) throw notFound('That person');
    return {
      person,
      can: grant.can,
      relationKind: grant.relation.kind,
      viewpoint: grant.viewpoint,
      outcomes,
    };
  }

  private async oneVersion(scope: RecordScope, version: number): Promise<PlanVersion> {
    const [found] = await planVersionsOf(this.db, scope, [version]);
    if (!found) throw notFound(`Version ${version} of the plan`);
    return found;
  }

  private async comparison(scope: RecordScope, from: number, to: number): Promise<PlanComparison> {
    const found = await planVersionsOf(this.db, scope, [from, to]);
    const a = found.find((v) => v.version === from);
    const b = found.find((v) => v.version === to);
    if (!a) throw notFound(`Version ${from} of the plan`);
    if (!b) throw notFound(`Version ${to} of the plan`);
    return { from: a, to: b, changes: diffCarePlans(a.content, b.content) };
  }

  /**
   * Goals may only link to this person's outcomes, and actions only to organisations that exist;
   * each refusal names the field at fault.
   */
  private async checkReferences(scope: RecordScope, content: CarePlanContent): Promise<void> {
    const outcomeIds = content.goals.flatMap((g) => (g.outcomeId ? [g.outcomeId] : []));
    const organisationIds = content.goals.flatMap((g) =>
      g.actions.flatMap((a) => (a.who.organisationId ? [a.who.organisationId] : [])),
    );
    const [notTheirs, unknown] = await Promise.all([
      outcomesNotOf(this.db, scope, [...new Set(outcomeIds)]),
      unknownOrganisations(this.db, [...new Set(organisationIds)]),
    ]);
    for (const [g, goal] of content.goals.entries()) {
      if (goal.outcomeId && notTheirs.has(goal.outcomeId)) {
        throw invalid(
          'A goal links to an outcome that is not this person’s.',
          `content.goals.${g}.outcomeId`,
        );
      }
      for (const [a, action] of goal.actions.entries()) {
        if (action.who.organisationId && unknown.has(action.who.organisationId)) {
          throw invalid(
            'An action names an organisation that does not exist.',
            `content.goals.${g}.actions.${a}.who.organisationId`,
          );
        }
      }
    }
  }
}
