import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { CONVERSATION_KIND_LABELS, type ConversationKind } from '../../domain/conversations.js';
import { GAS_LEVEL_LABELS, type GasLevel } from '../../domain/gas.js';
import { VIEWPOINT_LABELS, type Viewpoint } from '../../domain/ratings.js';
import { type ReviewStatus, reviewStatus } from '../../domain/review-status.js';
import { buildTimeline, type TimelineEvent, type TimelineMonth } from '../../domain/timeline.js';
import type { DB } from '../../store/schema.js';
import type { GasReviewScore, OutcomeService, PersonalOutcome } from '../outcomes/service.js';
import type { PlanService, PlanView } from '../plans/service.js';
import { type Relation, systemScope } from '../record-access/person-access.js';
import type { SharingBasis, SharingService } from '../sharing/service.js';
import type { CareTeamMember, PeopleService, PersonDetails, RelationshipEntry } from './service.js';

export interface ConversationSummary {
  conversationId: string;
  kind: string;
  heldOn: string;
  summary: string;
  whatHelped: string;
  whatGotInTheWay: string;
  nextReviewDate: string | null;
  recordedBy: string;
  participants: { kind: string; name: string; role: string; organisationName: string | null }[];
}

export interface PersonRecord {
  person: PersonDetails;
  relation: Relation;
  careTeam: CareTeamMember[];
  circle: RelationshipEntry[];
  sharing: SharingBasis[];
  outcomes: PersonalOutcome[];
  plan: PlanView;
  gasScores: GasReviewScore[];
  conversations: ConversationSummary[];
  nextReviewDate: string | null;
  reviewStatus: ReviewStatus;
  timeline: TimelineMonth[];
}

/**
 * Everything about one person that the reader may see, in one call and one audited read: details,
 * care team, circle, what matters with ratings and GAS, the plan, conversations, and a timeline
 * of who did what. A carer sees it only as far as the person has authorised (view at all).
 */
export class PersonRecordService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly people: PeopleService,
    private readonly outcomes: OutcomeService,
    private readonly plans: PlanService,
    private readonly sharing: SharingService,
  ) {}

  async record(actor: Actor, personId: string, today: string): Promise<PersonRecord> {
    const { person, relation } = await this.people.details(actor, personId);
    // The details call checked access and audited the read; the parts below belong to the same read.
    const [careTeam, circle, sharing, outcomes, plan, gasScores, conversations] = await Promise.all([
      this.people.loadCareTeam(personId),
      this.people.loadRelationships(personId),
      this.sharing.load(personId),
      this.outcomes.ofRecord({ personId }),
      this.plans.planOf(systemScope(personId, 'the person record, after the details check')),
      this.outcomes.gasScoresOf({ personId }),
      this.conversations(personId),
    ]);
    const nextReviewDate = conversations[0]?.nextReviewDate ?? plan.current?.plannedReviewDate ?? null;
    return {
      person,
      relation,
      careTeam,
      circle,
      sharing,
      outcomes,
      plan,
      gasScores,
      conversations,
      nextReviewDate,
      reviewStatus: reviewStatus(nextReviewDate, today),
      timeline: buildTimeline(this.timelineEvents(personId, outcomes, plan, conversations)),
    };
  }

  private async conversations(personId: string): Promise<ConversationSummary[]> {
    const [rows, participants] = await Promise.all([
      this.db
        .selectFrom('conversation as c')
        .innerJoin('user_account as u', 'u.user_id', 'c.recorded_by_user_id')
        .select([
          'c.conversation_id',
          'c.kind',
          'c.held_on',
          'c.summary',
          'c.what_helped',
          'c.what_got_in_the_way',
          'c.next_review_date',
          'u.display_name',
        ])
        .where('c.person_id', '=', personId)
        .orderBy('c.held_on', 'desc')
        .orderBy('c.recorded_at', 'desc')
        .execute(),
      this.db
        .selectFrom('conversation_participant as p')
        .leftJoin('organisation as o', 'o.organisation_id', 'p.organisation_id')
        .select(['p.conversation_id', 'p.kind', 'p.name', 'p.role', 'o.name as organisation_name'])
        .where('p.person_id', '=', personId)
        .execute(),
    ]);
    return rows.map((c) => ({
      conversationId: c.conversation_id,
      kind: c.kind,
      heldOn: c.held_on,
      summary: c.summary,
      whatHelped: c.what_helped,
      whatGotInTheWay: c.what_got_in_the_way,
      nextReviewDate: c.next_review_date,
      recordedBy: c.display_name,
      participants: participants
        .filter((p) => p.conversation_id === c.conversation_id)
        .map((p) => ({ kind: p.kind, name: p.name, role: p.role, organisationName: p.organisation_name })),
    }));
  }

  private timelineEvents(
    personId: string,
    outcomes: PersonalOutcome[],
    plan: PlanView,
    conversations: ConversationSummary[],
  ): TimelineEvent[] {
    const base = `/people/${personId}`;
    const events: TimelineEvent[] = [];
    for (const c of conversations) {
      events.push({
        at: `${c.heldOn}T12:00:00.000Z`,
        kind: 'conversation',
        title: CONVERSATION_KIND_LABELS[c.kind as ConversationKind] ?? 'Conversation',
        detail: c.summary || null,
        by: c.recordedBy,
        link: `${base}#conversation-${c.conversationId}`,
      });
    }
    for (const o of outcomes) {
      events.push({
        at: o.createdAt,
        kind: 'outcome-added',
        title: `What matters added: “${o.statement}”`,
        detail: o.whyItMatters || null,
        by: VIEWPOINT_LABELS[o.addedBy],
        link: `${base}#outcome-${o.outcomeId}`,
      });
      for (const r of o.ratings) {
        const label = o.framework.ratingLabels[r.score - 1] ?? String(r.score);
        events.push({
          at: r.ratedAt,
          kind: 'rating',
          title: `${VIEWPOINT_LABELS[r.viewpoint as Viewpoint]} rated “${o.statement}”: ${label}`,
          detail: r.note || null,
          by: r.ratedBy,
          link: `${base}#outcome-${o.outcomeId}`,
        });
      }
      for (const a of o.gas?.attainments ?? []) {
        events.push({
          at: a.recordedAt,
          kind: 'gas-attainment',
          title: `Goal attainment for “${o.statement}”: ${a.level > 0 ? '+' : ''}${a.level} (${GAS_LEVEL_LABELS[a.level as GasLevel]})`,
          detail: o.gas?.levels[a.level] ?? null,
          by: null,
          link: `${base}#outcome-${o.outcomeId}`,
        });
      }
    }
    for (const v of plan.versions) {
      events.push({
        at: v.createdAt,
        kind: 'plan-version',
        title:
          v.version === 1
            ? 'Care and support plan agreed (version 1)'
            : `Plan updated (version ${v.version})`,
        detail: v.changeSummary || null,
        by: v.createdBy,
        link: `${base}/plan/versions/${v.version}`,
      });
    }
    for (const c of plan.comments) {
      events.push({
        at: c.createdAt,
        kind: 'plan-comment',
        title: `Comment on the plan (version ${c.version})`,
        detail: c.body,
        by: c.author,
        link: `${base}/plan`,
      });
    }
    return events;
  }
}
