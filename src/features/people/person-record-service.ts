import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import type { ConversationKind } from '../../domain/conversations.js';
import type { GasLevel } from '../../domain/gas.js';
import { mayAssignLeadTeam } from '../../domain/lead-team.js';
import type { Viewpoint } from '../../domain/ratings.js';
import type { Capabilities } from '../../domain/record-access.js';
import { type ReviewStatus, reviewStatus } from '../../domain/review-status.js';
import { buildTimeline, type TimelineMonth } from '../../domain/timeline.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { CommunityReferral, CommunityReferralService } from '../community-referrals/service.js';
import type { GasReviewScore, OutcomeService, PersonalOutcome } from '../outcomes/service.js';
import type { PlanService, PlanView } from '../plans/service.js';
import type { PersonAccess, RecordScope, Relation } from '../record-access/person-access.js';
import type { SelfManagementService, SelfManagementStep } from '../self-management/service.js';
import type { LeadTeam, SharingBasis, SharingService } from '../sharing/service.js';
import { RecordCache, recordStampOf } from './record-cache.js';
import type { CareTeamMember, ConversationSummary, PersonDetails, RelationshipEntry } from './schema.js';
import { personPartsOf } from './store.js';

export type { ConversationSummary } from './schema.js';

interface RecordEventBase {
  /** ISO 8601 date and time. */
  at: string;
  /** The text recorded with it (a summary, why it matters, a note), if any. */
  detail: string | null;
  /** The name of whoever recorded it, when the record knows it. */
  by: string | null;
}

/**
 * Something that happened in the person's record, as data: what kind, when, and the ids and
 * values a reader's view needs. Titles and links are the web layer's (timeline-view.ts).
 */
export type RecordEvent = RecordEventBase &
  (
    | { kind: 'conversation'; conversationId: string; conversationKind: ConversationKind }
    | { kind: 'outcome-added'; outcomeId: string; addedBy: Viewpoint }
    | { kind: 'rating'; outcomeId: string; viewpoint: Viewpoint; score: number }
    | { kind: 'gas-attainment'; outcomeId: string; level: GasLevel }
    | { kind: 'plan-version'; version: number }
    | { kind: 'plan-comment'; version: number }
    | { kind: 'self-management-step'; stepId: string; outcomeId: string; words: string }
    | {
        kind: 'community-referral' | 'community-referral-answer' | 'community-attendance';
        referralId: string;
        resourceName: string;
        referralKind: CommunityReferral['kind'];
        /** The status it was moved to (an answer), or whether the person came (attendance). */
        status: string;
      }
  );

export interface PersonRecord {
  person: PersonDetails;
  relation: Relation;
  /** What the reader may do with the record: pages render their actions from this. */
  can: Capabilities;
  careTeam: CareTeamMember[];
  circle: RelationshipEntry[];
  sharing: SharingBasis[];
  /** The team responsible for the record, and whether it still is. */
  lead: LeadTeam | null;
  /** Whether the reader may choose the lead team (a manager of the lead team; an administrator if it needs one). */
  mayChangeLeadTeam: boolean;
  outcomes: PersonalOutcome[];
  plan: PlanView;
  gasScores: GasReviewScore[];
  conversations: ConversationSummary[];
  /** The small steps the person set themselves between reviews (features/self-management). */
  selfManagementSteps: SelfManagementStep[];
  /** Referrals and signposts to community support, newest first (features/community-referrals). */
  communityReferrals: CommunityReferral[];
  nextReviewDate: string | null;
  reviewStatus: ReviewStatus;
  timeline: TimelineMonth<RecordEvent>[];
}

/** The part of a record that is the same whoever reads it, and so may be kept between reads. */
type RecordParts = Omit<
  PersonRecord,
  'relation' | 'can' | 'nextReviewDate' | 'reviewStatus' | 'mayChangeLeadTeam'
>;

/**
 * Everything about one person that the reader may see, in one call and one audited read: details,
 * care team, circle, what matters with ratings and GAS, the plan, conversations, and a timeline
 * of who did what. A carer sees it only as far as the person has authorised (view at all).
 * After the access check (audited on every read) one lookup says whether the record changed since
 * it was last read (record-cache.ts); only then are the parts read, in parallel, eight statements
 * whatever the record holds: the person with care team, circle and conversations; sharing; the
 * lead team; outcomes with GAS; the plan; the self-management steps; the community referrals.
 */
export class PersonRecordService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly outcomes: OutcomeService,
    private readonly plans: PlanService,
    private readonly sharing: SharingService,
    private readonly selfManagement: SelfManagementService,
    private readonly communityReferrals: CommunityReferralService,
  ) {}

  private readonly cache = new RecordCache<RecordParts>();

  async record(actor: Actor, personId: string, today: string): Promise<PersonRecord> {
    const grant = await this.access.require(actor, personId, 'view', 'read-person');
    const stamp = await recordStampOf(this.db, grant);
    if (!stamp) {
      // Erased (or never there): no copy of it stays in memory either.
      this.cache.forget(personId);
      throw new ServiceError(404, 'Not found', 'No person with that id.');
    }
    const parts = await this.cache.get(personId, stamp, () => this.readParts(grant));
    const nextReviewDate =
      parts.conversations[0]?.nextReviewDate ?? parts.plan.current?.plannedReviewDate ?? null;
    return {
      ...parts,
      relation: grant.relation,
      can: grant.can,
      mayChangeLeadTeam: parts.lead ? mayAssignLeadTeam(actor, parts.lead) : false,
      nextReviewDate,
      reviewStatus: reviewStatus(nextReviewDate, today),
    };
  }

  /** The record as the database holds it, whoever reads it: eight statements in parallel. */
  private async readParts(scope: RecordScope): Promise<RecordParts> {
    const [parts, sharing, lead, { outcomes, gasScores }, plan, selfManagementSteps, communityReferrals] =
      await Promise.all([
        personPartsOf(this.db, scope),
        this.sharing.basesWithin(scope),
        this.sharing.leadWithin(scope),
        this.outcomes.outcomeRecordOf(scope),
        this.plans.planOf(scope),
        this.selfManagement.ofRecord(scope),
        this.communityReferrals.ofRecord(scope),
      ]);
    if (!parts) throw new ServiceError(404, 'Not found', 'No person with that id.');
    const { person, careTeam, circle, conversations } = parts;
    return {
      person,
      careTeam,
      circle,
      sharing,
      lead,
      outcomes,
      plan,
      gasScores,
      conversations,
      selfManagementSteps,
      communityReferrals,
      timeline: buildTimeline(
        recordEvents(outcomes, plan, conversations, selfManagementSteps, communityReferrals),
      ),
    };
  }
}

/** Every event in the record, in no particular order (buildTimeline orders them). */
function recordEvents(
  outcomes: PersonalOutcome[],
  plan: PlanView,
  conversations: ConversationSummary[],
  steps: SelfManagementStep[],
  referrals: CommunityReferral[],
): RecordEvent[] {
  const events: RecordEvent[] = [];
  // Community support: made, answered (accepted, declined, withdrawn, ended) and each day attended.
  for (const r of referrals) {
    const about = { referralId: r.referralId, resourceName: r.resource.name, referralKind: r.kind };
    events.push({
      kind: 'community-referral',
      at: r.createdAt,
      ...about,
      status: r.kind === 'signpost' ? 'signposted' : 'sent',
      detail: r.reason || null,
      by: r.createdBy,
    });
    if (r.respondedAt && r.kind === 'referral') {
      events.push({
        kind: 'community-referral-answer',
        at: r.respondedAt,
        ...about,
        status: r.status,
        detail: r.statusNote || null,
        by: r.respondedBy,
      });
    }
    for (const a of r.attendance) {
      events.push({
        kind: 'community-attendance',
        // A session has a day but no time: noon keeps it in its day whatever the time zone.
        at: `${a.attendedOn}T12:00:00.000Z`,
        ...about,
        status: a.outcome,
        detail: a.note || null,
        by: a.recordedBy,
      });
    }
  }
  // A step on the timeline when it was done: setting one is small, doing it is the news.
  for (const s of steps) {
    if (!s.doneAt) continue;
    events.push({
      kind: 'self-management-step',
      at: s.doneAt,
      stepId: s.stepId,
      outcomeId: s.outcomeId,
      words: s.words,
      detail: s.whatHelped || null,
      by: s.progressBy,
    });
  }
  for (const c of conversations) {
    events.push({
      kind: 'conversation',
      // A conversation has a date but no time: noon keeps it in its day whatever the time zone.
      at: `${c.heldOn}T12:00:00.000Z`,
      conversationId: c.conversationId,
      conversationKind: c.kind,
      detail: c.summary || null,
      by: c.recordedBy,
    });
  }
  for (const o of outcomes) {
    events.push({
      kind: 'outcome-added',
      at: o.createdAt,
      outcomeId: o.outcomeId,
      addedBy: o.addedBy,
      detail: o.whyItMatters || null,
      by: null,
    });
    for (const r of o.ratings) {
      events.push({
        kind: 'rating',
        at: r.ratedAt,
        outcomeId: o.outcomeId,
        viewpoint: r.viewpoint,
        score: r.score,
        detail: r.note || null,
        by: r.ratedBy,
      });
    }
    for (const a of o.gas?.attainments ?? []) {
      events.push({
        kind: 'gas-attainment',
        at: a.recordedAt,
        outcomeId: o.outcomeId,
        level: a.level,
        detail: o.gas?.levels[a.level] ?? null,
        by: null,
      });
    }
  }
  for (const v of plan.versions) {
    events.push({
      kind: 'plan-version',
      at: v.createdAt,
      version: v.version,
      detail: v.changeSummary || null,
      by: v.createdBy,
    });
  }
  for (const c of plan.comments) {
    events.push({ kind: 'plan-comment', at: c.createdAt, version: c.version, detail: c.body, by: c.author });
  }
  return events;
}
