import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  mayAnswerReferral,
  mayReceiveReferrals,
  type ReferralTarget,
  referralRefusal,
  respondingOrganisations,
} from '../../domain/community/referral-access.js';
import {
  initialStatus,
  type ReferralAction,
  type ReferralKind,
  type ReferralSide,
  referralActions,
  statusAfter,
} from '../../domain/community/referrals.js';
import { reviewState } from '../../domain/community/staleness.js';
import type { Viewpoint } from '../../domain/ratings.js';
import { forbidden, notFound, ServiceError } from '../../services/errors.js';
import { InFlight } from '../../services/in-flight.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { CommunityResource } from '../community/schema.js';
import type { CommunitySearchAnswer, CommunitySearchInput } from '../community/search-schema.js';
import type { CommunitySearchService } from '../community/search-service.js';
import type { PlanService } from '../plans/service.js';
import type { AccessGrant, PersonAccess, RecordScope } from '../record-access/person-access.js';
import {
  CloseReferralContract,
  type CloseReferralInput,
  type CommunityReferral,
  MakeReferralContract,
  type MakeReferralInput,
  type ReceivedReferral,
  RecordAttendanceContract,
  type RecordAttendanceInput,
  RespondToReferralContract,
  type RespondToReferralInput,
} from './schema.js';
import * as store from './store.js';

export type {
  CloseReferralInput,
  CommunityReferral,
  MakeReferralInput,
  ReceivedReferral,
  RecordAttendanceInput,
  RespondToReferralInput,
} from './schema.js';

const RESOURCE_TYPE = 'community_referral';

/** One of the person's outcomes as the referral pages offer it: its words and the codes of its domains. */
export interface OutcomeChoice {
  outcomeId: string;
  statement: string;
  domainCodes: string[];
}

/** Whether a resource found in the directory may be referred or signposted to, by this reader. */
export interface ReferralChoices {
  refer: boolean;
  signpost: boolean;
}

/** What the "find community support" page is built from. */
export interface SupportSearch {
  grant: AccessGrant;
  /** The outcomes still being worked on. */
  outcomes: OutcomeChoice[];
  /** The outcome the search is for, when one was chosen (or the chosen plan goal is linked to it). */
  outcome: OutcomeChoice | null;
  /** The plan goal the search is for, when one was chosen (from the plan page). */
  goal: GoalChoice | null;
  /** The search as run: the outcome's domain and the person's postcode filled in when not given. */
  input: CommunitySearchInput;
  /** The person's postcode was recorded but its area is not known here, so distances are left out. */
  postcodeUnknown: boolean;
  answer: CommunitySearchAnswer;
  /** For each result, by resource id, what the reader may do. */
  choices: Record<string, ReferralChoices>;
}

/** What the form for making a referral is built from. */
export interface ReferralForm {
  grant: AccessGrant;
  resource: CommunityResource;
  outcomes: OutcomeChoice[];
  choices: ReferralChoices;
  /** The plan goal the referral is made for, when one was chosen: its words start the reason. */
  goal: GoalChoice | null;
}

/**
 * A goal of the person's current plan, to find support for. A goal linked to one of the outcomes
 * still being worked on is found through that outcome (`outcomeId`); any other goal by its words.
 */
export interface GoalChoice {
  goalId: string;
  description: string;
  /** The linked outcome, when it is one still being worked on. */
  outcomeId: string | null;
}

/** A person's referrals as FHIR maps them, with the accounts it names by id. */
export interface ReferralsForFhir {
  referrals: CommunityReferral[];
  accounts: store.ReferralAccounts;
}

const stale = () =>
  new ServiceError(
    409,
    'Changed by someone else',
    'Someone else changed this referral after you opened it, so nothing was saved. Open it again to see where it stands.',
    'version',
  );

/**
 * Referrals and signposts to community resources (issue 14, part 2; docs/REFERRALS.md).
 *
 * The referrer's side is the person's record: making one needs `contribute` (the person for
 * themselves, a carer they let add to their record, the care team), reading them `view`; the one
 * access check audits it. The organisation's side is staff of the organisation running the
 * resource (domain/community/referral-access.ts): they see only referrals to their resources that
 * the person agreed to share, with only the details a referral passes, and every read and change
 * of theirs is audited against the person, refusals too. What may be done next is always
 * `referralActions`; pages show only what the answers' `actions` hold.
 */
export class CommunityReferralService {
  /** One person's referrals and accounts for FHIR while read (ServiceRequest and Task side by side). */
  private readonly fhirInFlight = new InFlight<{
    stored: store.StoredReferral[];
    accounts: store.ReferralAccounts;
  }>();
  /** The same for many people, by the grants array bulk export hands every handler. */
  private readonly fhirOfEachInFlight = new InFlight<Map<string, ReferralsForFhir>, readonly AccessGrant[]>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
    private readonly search: CommunitySearchService,
    /** The person's plan, read within this service's own access check (its goals to find support for). */
    private readonly plans: PlanService,
    /** Today's UK date: whether an entry is hidden, and attendance not in the future. Tests give a fixed day. */
    private readonly today: () => string = () => todayIso(),
  ) {}

  // ——— the referrer's side: the person and their care team ———

  /** The person's referrals and signposts, newest first, with what the reader may do with each. */
  async list(actor: Actor, personId: string): Promise<CommunityReferral[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-community-referrals');
    return this.withActions(await store.referralsOf(this.db, grant), grant);
  }

  /**
   * The person's referrals for FHIR (features/community-referrals/fhir-service-request.ts,
   * fhir-task.ts): as `list`, under the same audited check, with the accounts that made, answered
   * and recorded them, which FHIR references by id.
   */
  async forFhir(actor: Actor, personId: string): Promise<ReferralsForFhir> {
    const grant = await this.access.require(actor, personId, 'view', 'read-community-referrals');
    // Each caller is checked and audited on its own; the read, the same for any relation that may
    // view, is shared by ServiceRequest and Task reading one person side by side (an export).
    const { stored, accounts } = await this.fhirInFlight.share(personId, async () => {
      const [stored, accounts] = await Promise.all([
        store.referralsOf(this.db, grant),
        store.referralAccountsOf(this.db, grant),
      ]);
      return { stored, accounts };
    });
    return { referrals: this.withActions(stored, grant), accounts };
  }

  /**
   * `forFhir` for many people at once (bulk export): for each grant, what `forFhir` gives that
   * person (people with no referrals left out), read with a few statements for all of them. No
   * access check or audit here: the grants were checked and audited by the caller,
   * PersonAccess.requireEach. ServiceRequest and Task, called side by side with the same grants
   * array, share one read while it is in flight.
   */
  forFhirOfEach(grants: readonly AccessGrant[]): Promise<Map<string, ReferralsForFhir>> {
    return this.fhirOfEachInFlight.share(grants, () => this.readForFhirOfEach(grants));
  }

  private async readForFhirOfEach(grants: readonly AccessGrant[]): Promise<Map<string, ReferralsForFhir>> {
    const [stored, accounts] = await Promise.all([
      store.referralsOfEach(this.db, grants),
      store.referralAccountsOfEach(this.db, grants),
    ]);
    const each = new Map<string, ReferralsForFhir>();
    for (const grant of grants) {
      const referrals = stored.get(grant.personId);
      if (!referrals) continue;
      each.set(grant.personId, {
        referrals: this.withActions(referrals, grant),
        accounts: accounts.get(grant.personId) ?? store.noReferralAccounts(),
      });
    }
    return each;
  }

  /** For the plan page: the referrals, whether the reader may make one, and from which viewpoint. */
  async forPlan(
    actor: Actor,
    personId: string,
  ): Promise<{
    referrals: CommunityReferral[];
    mayRefer: boolean;
    viewpoint: Viewpoint;
    /** The outcomes still being worked on: each may be searched for. */
    outcomes: OutcomeChoice[];
  }> {
    return this.forPlanOf(await this.access.require(actor, personId, 'view', 'read-community-referrals'));
  }

  /**
   * The same, within the plan page's own audited access check (PlanService.page's grant), so
   * opening the plan is audited once.
   */
  async forPlanOf(grant: AccessGrant): Promise<{
    referrals: CommunityReferral[];
    mayRefer: boolean;
    viewpoint: Viewpoint;
    outcomes: OutcomeChoice[];
    /** The plan's goals not linked to an outcome still being worked on: found by their own words. */
    goals: GoalChoice[];
  }> {
    const [stored, outcomes] = await Promise.all([
      store.referralsOf(this.db, grant),
      this.activeOutcomes(grant),
    ]);
    const goals = grant.can.contribute ? await this.planGoals(grant, outcomes) : [];
    return {
      referrals: this.withActions(stored, grant),
      mayRefer: grant.can.contribute,
      viewpoint: grant.viewpoint,
      outcomes,
      goals: goals.filter((g) => g.outcomeId === null),
    };
  }

  /** The current plan's goals, each with its outcome when that is one still being worked on. */
  private async planGoals(scope: RecordScope, outcomes: OutcomeChoice[]): Promise<GoalChoice[]> {
    const { current } = await this.plans.planOf(scope);
    const active = new Set(outcomes.map((o) => o.outcomeId));
    return (current?.content.goals ?? []).map((g) => ({
      goalId: g.id,
      description: g.description,
      outcomeId: g.outcomeId && active.has(g.outcomeId) ? g.outcomeId : null,
    }));
  }

  /** The plan goal asked for, if it is one of the current plan's; anything else is ignored. */
  private async goalOf(scope: RecordScope, outcomes: OutcomeChoice[], goalId: string | undefined) {
    if (!goalId) return null;
    return (await this.planGoals(scope, outcomes)).find((g) => g.goalId === goalId) ?? null;
  }

  /** The referrals of a record already opened (the scope is an audited access check's grant), without actions. */
  async ofRecord(scope: RecordScope): Promise<CommunityReferral[]> {
    return (await store.referralsOf(this.db, scope)).map((r) => ({ ...r, actions: [] }));
  }

  /**
   * Searching the directory for one of the person's outcomes: by default for the outcome's first
   * domain and near the person's postcode (the directory's own search, its rules unchanged), with
   * what the reader may do with each result.
   */
  async findSupport(
    actor: Actor,
    personId: string,
    query: CommunitySearchInput & { outcomeId?: string; goalId?: string },
  ): Promise<SupportSearch> {
    const grant = await this.access.require(actor, personId, 'contribute', 'find-community-support');
    const [outcomes, postcode] = await Promise.all([
      this.activeOutcomes(grant),
      store.postcodeOf(this.db, grant),
    ]);
    const { outcomeId, goalId, ...asked } = query;
    const goal = await this.goalOf(grant, outcomes, goalId);
    // A goal linked to an outcome is searched for as that outcome (its domain).
    const wanted = goal?.outcomeId ?? outcomeId;
    const outcome = outcomes.find((o) => o.outcomeId === wanted) ?? null;
    const firstDomain = outcome?.domainCodes[0];
    const input: CommunitySearchInput = {
      ...(firstDomain ? { domain: firstDomain } : {}),
      ...(postcode ? { postcode } : {}),
      ...asked,
    };
    let postcodeUnknown = false;
    let answer: CommunitySearchAnswer;
    try {
      answer = await this.search.search(input);
    } catch (error) {
      // The person's own postcode, not typed here: an area we cannot place only loses the distances.
      if (!(error instanceof ServiceError) || error.field !== 'postcode' || asked.postcode) throw error;
      postcodeUnknown = true;
      delete input.postcode;
      delete input.within;
      answer = await this.search.search(input);
    }
    const today = this.today();
    const choices = Object.fromEntries(
      answer.results.map((h) => [
        h.resource.resourceId,
        choicesFor(targetOf(h.resource, today), grant.viewpoint),
      ]),
    );
    return { grant, outcomes, outcome, goal, input, postcodeUnknown, answer, choices };
  }

  /** To make a referral to a resource: checked as making one is, so only those who may see the form. */
  async makeForm(actor: Actor, personId: string, resourceId: string, goalId?: string): Promise<ReferralForm> {
    const grant = await this.access.require(actor, personId, 'contribute', 'open-referral-form');
    const resource = await this.search.get(actor, resourceId);
    const full = await this.search.entry(resource.resourceId);
    if (!full) throw notFound('The directory entry');
    const outcomes = await this.activeOutcomes(grant);
    return {
      grant,
      resource: full,
      outcomes,
      choices: choicesFor(targetOf(full, this.today()), grant.viewpoint),
      goal: await this.goalOf(grant, outcomes, goalId),
    };
  }

  /** Refers or signposts the person to a resource, from the reader's viewpoint; audited. */
  async make(actor: Actor, personId: string, input: MakeReferralInput): Promise<string> {
    MakeReferralContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'make-community-referral');
    const resource = await this.search.entry(input.resourceId);
    if (!resource) {
      await this.refuse(actor, 'make-community-referral', personId, null, 'no such directory entry');
      throw new ServiceError(422, 'Invalid input', 'Choose support from the directory', 'resourceId');
    }
    const refusal = referralRefusal(targetOf(resource, this.today()), {
      kind: input.kind,
      madeBy: grant.viewpoint,
      shareConsent: input.shareConsent,
    });
    if (refusal) {
      await this.refuse(actor, 'make-community-referral', personId, null, refusal.message);
      throw new ServiceError(422, 'Invalid input', refusal.message, refusal.field);
    }
    const outcomeId = input.outcomeId ?? null;
    if (outcomeId && !(await this.activeOutcomes(grant)).some((o) => o.outcomeId === outcomeId)) {
      throw new ServiceError(
        422,
        'Invalid input',
        'Choose one of the things that matter to the person, still being worked on',
        'outcomeId',
      );
    }
    const referralId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await store.insertReferrals(trx, grant, [
        {
          referralId,
          resourceId: resource.resourceId,
          outcomeId,
          kind: input.kind,
          madeBy: grant.viewpoint,
          needs: input.needs,
          reason: input.reason.trim(),
          // A signpost passes nothing, so no agreement to share is recorded for it.
          shareConsent: input.kind === 'referral' && input.shareConsent,
          status: initialStatus(input.kind),
          createdByUserId: actor.userId,
        },
      ]);
      await this.audit.record(
        actor,
        { action: 'make-community-referral', resourceType: RESOURCE_TYPE, resourceId: referralId, personId },
        trx,
      );
    });
    return referralId;
  }

  /** Withdraws a referral still open: the person or their care team only. */
  async withdraw(
    actor: Actor,
    personId: string,
    referralId: string,
    input: CloseReferralInput,
  ): Promise<void> {
    CloseReferralContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'withdraw-community-referral');
    const referral = await this.referralOnRecord(grant, referralId);
    await this.move(actor, referral, 'referrer', 'withdraw', {
      note: input.note ?? '',
      version: input.version,
    });
  }

  /**
   * To record attendance from the referrer's side (a signpost: nobody at the organisation was asked):
   * checked as recording it is, and refused when the action is not open.
   */
  async attendanceForm(
    actor: Actor,
    personId: string,
    referralId: string,
  ): Promise<{ grant: AccessGrant; referral: CommunityReferral }> {
    const grant = await this.access.require(actor, personId, 'contribute', 'open-attendance-form');
    const referral = await this.referralOnRecord(grant, referralId);
    await this.allow(actor, referral, 'referrer', 'record-attendance');
    return {
      grant,
      referral: { ...referral, actions: referralActions(referral.kind, referral.status, 'referrer') },
    };
  }

  // ——— either side ———

  /**
   * Ends the support: the organisation, or the person and their care team. Staff of the
   * organisation act as such; anyone else through the record's rule.
   */
  async end(actor: Actor, personId: string, referralId: string, input: CloseReferralInput): Promise<void> {
    CloseReferralContract.check(input);
    const { referral, side } = await this.sideOf(actor, personId, referralId, 'end-community-referral');
    await this.move(actor, referral, side, 'end', { note: input.note ?? '', version: input.version });
  }

  /**
   * Whether the person came on a day: the organisation for a referral it accepted, the person or
   * their care team for a signpost (nobody at the organisation was asked). One record per day.
   */
  async recordAttendance(
    actor: Actor,
    personId: string,
    referralId: string,
    input: RecordAttendanceInput,
  ): Promise<string> {
    RecordAttendanceContract.check(input);
    const { referral, side } = await this.sideOf(actor, personId, referralId, 'record-community-attendance');
    await this.allow(actor, referral, side, 'record-attendance');
    if (input.attendedOn > this.today()) {
      throw new ServiceError(
        422,
        'Invalid input',
        'The day of the session must be today or before',
        'attendedOn',
      );
    }
    if (input.attendedOn < referral.createdAt.slice(0, 10)) {
      throw new ServiceError(
        422,
        'Invalid input',
        'The day of the session must be on or after the day of the referral',
        'attendedOn',
      );
    }
    if (await store.attendanceOnDay(this.db, referral, input.attendedOn)) {
      throw new ServiceError(
        409,
        'Already recorded',
        'Attendance on that day is already recorded for this referral',
        'attendedOn',
      );
    }
    const attendanceId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await store.insertAttendance(trx, referral, {
        attendanceId,
        attendedOn: input.attendedOn,
        outcome: input.outcome,
        note: input.note?.trim() ?? '',
        recordedByUserId: actor.userId,
      });
      await this.audit.record(
        actor,
        {
          action: 'record-community-attendance',
          resourceType: RESOURCE_TYPE,
          resourceId: referral.referralId,
          personId,
        },
        trx,
      );
    });
    return attendanceId;
  }

  // ——— the organisation's side ———

  /** Whether the actor works for an organisation that may receive referrals: pages and navigation ask. */
  mayReceive(actor: Actor | null): boolean {
    return mayReceiveReferrals(actor);
  }

  /**
   * The referrals made to the resources of the actor's organisations, waiting ones first, then the
   * newest: only what each referral passes. The read is audited, naming everyone listed.
   */
  async received(actor: Actor): Promise<ReceivedReferral[]> {
    const organisations = respondingOrganisations(actor);
    if (!organisations.length) {
      await this.refuse(actor, 'list-received-referrals', null, null, 'works for no organisation');
      throw forbidden('see referrals made to an organisation');
    }
    const received = await store.referralsReceivedBy(this.db, organisations);
    await this.audit.record(actor, {
      action: 'list-received-referrals',
      resourceType: RESOURCE_TYPE,
      listedPersonIds: [...new Set(received.map((r) => r.personId))],
    });
    return received.map((r) => ({ ...r, actions: referralActions(r.kind, r.status, 'resource') }));
  }

  /** One referral made to the actor's organisation, audited; 404 (audited) to anyone else. */
  async openReceived(actor: Actor, personId: string, referralId: string): Promise<ReceivedReferral> {
    const referral = await this.receivedOrRefused(actor, personId, referralId, 'read-received-referral');
    const received = await store.receivedReferral(this.db, referral);
    if (!received) throw notFound('That referral');
    await this.audit.record(actor, {
      action: 'read-received-referral',
      resourceType: RESOURCE_TYPE,
      resourceId: referralId,
      personId,
    });
    return { ...received, actions: referralActions(received.kind, received.status, 'resource') };
  }

  /** The organisation accepts a referral, or declines it with a reason. */
  async respond(
    actor: Actor,
    personId: string,
    referralId: string,
    input: RespondToReferralInput,
  ): Promise<void> {
    RespondToReferralContract.check(input);
    const referral = await this.receivedOrRefused(actor, personId, referralId, 'respond-to-referral');
    if (input.response === 'decline' && !input.declineReason) {
      throw new ServiceError(
        422,
        'Invalid input',
        'Choose why you cannot take the referral',
        'declineReason',
      );
    }
    await this.move(actor, referral, 'resource', input.response, {
      note: input.note ?? '',
      version: input.version,
      declineReason: input.response === 'decline' ? (input.declineReason ?? null) : null,
    });
  }

  // ——— shared steps ———

  private async activeOutcomes(scope: RecordScope): Promise<OutcomeChoice[]> {
    return (await store.outcomesWithDomains(this.db, scope))
      .filter((o) => o.status === 'active')
      .map(({ outcomeId, statement, domainCodes }) => ({ outcomeId, statement, domainCodes }));
  }

  private withActions(referrals: store.StoredReferral[], grant: AccessGrant): CommunityReferral[] {
    return referrals.map((r) => ({
      ...r,
      actions: grant.can.contribute ? referralActions(r.kind, r.status, 'referrer') : [],
    }));
  }

  private async referralOnRecord(scope: RecordScope, referralId: string): Promise<store.StoredReferral> {
    const referral = await store.referralById(this.db, scope.personId, referralId);
    if (!referral) throw notFound('That referral');
    return referral;
  }

  /**
   * The referral and the side the actor acts on: the organisation's, when they work for the one
   * running the resource and the referral reached it; otherwise the record's, by its access check.
   */
  private async sideOf(
    actor: Actor,
    personId: string,
    referralId: string,
    action: string,
  ): Promise<{ referral: store.StoredReferral; side: ReferralSide }> {
    const found = await store.referralById(this.db, personId, referralId);
    if (found && mayAnswerReferral(actor, { ...found, organisationId: found.resource.organisationId })) {
      return { referral: found, side: 'resource' };
    }
    const grant = await this.access.require(actor, personId, 'contribute', action);
    return { referral: await this.referralOnRecord(grant, referralId), side: 'referrer' };
  }

  /** A referral made to the actor's organisation, or 404, audited as refused, to anyone else. */
  private async receivedOrRefused(
    actor: Actor,
    personId: string,
    referralId: string,
    action: string,
  ): Promise<store.StoredReferral> {
    const referral = await store.referralById(this.db, personId, referralId);
    if (
      !referral ||
      !mayAnswerReferral(actor, { ...referral, organisationId: referral.resource.organisationId })
    ) {
      // Audited against the person only when there is such a referral; a made-up id names no one.
      await this.refuse(
        actor,
        action,
        referral ? personId : null,
        referral ? referralId : null,
        'not a referral to the actor’s organisation',
      );
      throw notFound('That referral');
    }
    return referral;
  }

  /** Refuses, audited, an action `referralActions` does not open on the referral for this side. */
  private async allow(
    actor: Actor,
    referral: store.StoredReferral,
    side: ReferralSide,
    action: ReferralAction,
  ): Promise<void> {
    if (referralActions(referral.kind, referral.status, side).includes(action)) return;
    const message =
      referral.kind === 'signpost' && side === 'resource'
        ? 'This was a signpost, not a referral: there is nothing for the organisation to answer.'
        : `This cannot be done to a referral that is ${referral.status === 'sent' ? 'waiting for a reply' : referral.status}.`;
    await this.refuse(actor, `${action}-community-referral`, referral.personId, referral.referralId, message);
    throw new ServiceError(409, 'Not possible now', message, 'status');
  }

  /** Moves a referral on by an action, from the version it was read at; audited in the same transaction. */
  private async move(
    actor: Actor,
    referral: store.StoredReferral,
    side: ReferralSide,
    action: Exclude<ReferralAction, 'record-attendance'>,
    change: { note: string; version: number; declineReason?: RespondToReferralInput['declineReason'] | null },
  ): Promise<void> {
    if (change.version !== referral.version) throw stale();
    await this.allow(actor, referral, side, action);
    await this.db.transaction().execute(async (trx) => {
      const moved = await store.updateReferralStatus(trx, referral, {
        status: statusAfter(action, referral.status),
        declineReason: change.declineReason ?? null,
        note: change.note.trim(),
        byUserId: actor.userId,
        at: new Date(),
      });
      if (!moved) throw stale();
      await this.audit.record(
        actor,
        {
          action: `${action}-community-referral`,
          resourceType: RESOURCE_TYPE,
          resourceId: referral.referralId,
          personId: referral.personId,
        },
        trx,
      );
    });
  }

  private async refuse(
    actor: Actor,
    action: string,
    personId: string | null,
    referralId: string | null,
    why: string,
  ): Promise<void> {
    await this.audit.record(actor, {
      action,
      resourceType: RESOURCE_TYPE,
      resourceId: referralId,
      personId,
      purpose: why,
      outcome: 'denied',
    });
  }
}

/** What the referral rule needs of a directory entry, today. */
function targetOf(
  resource: Pick<CommunityResource, 'status' | 'reviewDue' | 'acceptingReferrals' | 'selfReferral'>,
  today: string,
): ReferralTarget {
  return {
    status: resource.status,
    reviewState: reviewState(resource.reviewDue, today),
    acceptingReferrals: resource.acceptingReferrals,
    selfReferral: resource.selfReferral,
  };
}

/** Which kinds the reader may make to a resource (consent is asked on the form, so assumed here). */
function choicesFor(target: ReferralTarget, madeBy: Viewpoint): ReferralChoices {
  const may = (kind: ReferralKind) => referralRefusal(target, { kind, madeBy, shareConsent: true }) === null;
  return { refer: may('referral'), signpost: may('signpost') };
}
