import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  isListedForPeople,
  maintainedOrganisations,
  mayAddEntries,
  mayMaintainFor,
} from '../../domain/community/resource-access.js';
import { resourceProblems } from '../../domain/community/resource-rules.js';
import {
  hiddenFrom,
  nextReviewDue,
  type ReviewState,
  reviewState,
} from '../../domain/community/staleness.js';
import type { ResourceStatus } from '../../domain/community/vocabulary.js';
import { normalisePostcode } from '../../domain/postcode.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import {
  AddCommunityResourceContract,
  type AddCommunityResourceInput,
  type CommunityResource,
  CommunityResourceContract,
  type CommunityResourceInput,
} from './schema.js';
import * as store from './store.js';

export type { CommunityResource } from './schema.js';

/** An entry that keeps the contract's shape but not the rules across its fields: 422, naming each field. */
export class CommunityResourceProblems extends ContractError {
  override readonly status = 422 as const;
  override readonly title = 'Invalid directory entry';
}

/** An entry as its maintainers see it: whether it is due for review, and since when people no longer see it. */
export interface ManagedResource extends CommunityResource {
  reviewState: ReviewState;
  /** The first day people no longer see it unless it is reviewed (past, when it is hidden). */
  hiddenFrom: string;
  /** Whether people looking for help see it now: active and not hidden for being out of date. */
  listed: boolean;
}

export interface CommunityPermissions {
  /** Whether the actor may add entries (staff of an organisation, or an administrator). */
  add: boolean;
  /** Whether the actor has entries to keep up to date: the staff pages are for them. */
  manage: boolean;
}

/** An entry as a bulk import restores it: its id, organisation and body, and what its record said of its review. */
export interface EntryToRestore {
  resourceId: string;
  organisationId: string;
  /** Checked by `restore` as adding an entry checks it. */
  body: CommunityResourceInput;
  status: ResourceStatus;
  /** When the record says it is next due for review; null for the usual interval from today. */
  reviewDue: string | null;
  lastReviewedAt: Date | null;
  /** The account here that keeps it up to date, when the record names one held here. */
  maintainerUserId: string | null;
}

const RESOURCE = 'community_resource';

const stale = (what: string) =>
  new ServiceError(
    409,
    'Changed by someone else',
    `Someone else changed this entry after you opened it, so ${what} was not saved. Open it again to see their changes, then make yours.`,
    'version',
  );

/**
 * The community resource directory's writes and its maintainers' view. Staff keep up to date the
 * entries of the organisations they belong to, administrators every organisation's
 * (domain/community/resource-access.ts decides); every change is audited, refusals too. Changes
 * carry the version they were made from, so two people editing at once cannot overwrite each other.
 * The entries are reference data about an organisation's offer, never about a person, so reading
 * them is not audited.
 */
export class CommunityService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    /** Today's UK date: review dates are calendar dates. Tests give a fixed day. */
    private readonly today: () => string = () => todayIso(),
  ) {}

  /** What the actor may do here: pages and navigation ask, they never decide. */
  permissions(actor: Actor | null): CommunityPermissions {
    const add = mayAddEntries(actor);
    return { add, manage: add };
  }

  /** The organisations the actor may add entries for, by name. */
  async organisationChoices(actor: Actor): Promise<{ organisationId: string; name: string }[]> {
    const orgs = await store.organisationsNamed(this.db, maintainedOrganisations(actor));
    return orgs.map(({ organisationId, name }) => ({ organisationId, name }));
  }

  /** The outcome domains an entry can be said to help with, by framework: the form's choices. */
  async domainChoices(): Promise<{ framework: string; domains: { code: string; name: string }[] }[]> {
    return store.domainChoices(this.db);
  }

  /**
   * The entries the actor keeps up to date (their organisations'; an administrator's, every one),
   * each with its review state: hidden ones first, then those due, each oldest review date first.
   */
  async listMaintained(actor: Actor): Promise<ManagedResource[]> {
    const orgs = maintainedOrganisations(actor);
    if (orgs !== 'all' && orgs.length === 0) {
      await this.refuse(actor, 'list-community-resources', null, 'belongs to no organisation');
      throw forbidden('keep directory entries up to date');
    }
    const today = this.today();
    const rank: Record<ReviewState, number> = { hidden: 0, due: 1, current: 2 };
    const managed = (await store.resourcesOfOrganisations(this.db, orgs)).map((r) => this.managed(r, today));
    // Closed entries last: nobody is sent to them, so their review matters least.
    return managed.sort(
      (a, b) =>
        Number(a.status === 'closed') - Number(b.status === 'closed') ||
        rank[a.reviewState] - rank[b.reviewState] ||
        a.reviewDue.localeCompare(b.reviewDue) ||
        a.name.localeCompare(b.name, 'en-GB'),
    );
  }

  /** One entry as its maintainers see it (for the edit form); refused, audited, to anyone else. */
  async getForMaintainer(actor: Actor, resourceId: string): Promise<ManagedResource> {
    const resource = await this.maintainable(actor, resourceId, 'open-community-resource');
    return this.managed(resource, this.today());
  }

  /** Adds an entry for one of the actor's organisations; the actor keeps it up to date. */
  async add(actor: Actor, input: AddCommunityResourceInput): Promise<CommunityResource> {
    if (!mayAddEntries(actor)) {
      await this.refuse(actor, 'add-community-resource', null, 'belongs to no organisation');
      throw forbidden('add directory entries');
    }
    const checked = AddCommunityResourceContract.check(input);
    if (!mayMaintainFor(actor, checked.organisationId)) {
      await this.refuse(actor, 'add-community-resource', null, 'not a member of the organisation');
      throw forbidden('add directory entries for that organisation');
    }
    const { organisationId, ...rest } = checked;
    const body = await this.check(rest);
    const known = await store.organisationsNamed(this.db, [organisationId]);
    if (!known.length) {
      throw new CommunityResourceProblems([
        { field: 'organisationId', message: 'is not an organisation here' },
      ]);
    }
    const resourceId = await this.db.transaction().execute(async (trx) => {
      const id = await store.insertResource(trx, {
        organisationId,
        body,
        maintainerUserId: actor.userId,
        createdBy: actor.userId,
        reviewDue: nextReviewDue(this.today()),
        lastReviewedAt: new Date(),
      });
      await this.audit.record(
        actor,
        { action: 'add-community-resource', resourceType: RESOURCE, resourceId: id },
        trx,
      );
      return id;
    });
    return this.found(resourceId);
  }

  /**
   * Changes an entry, from the version the change was made from (409 if it has moved on). Saving
   * every field is confirming them, so it also counts as a review.
   */
  async update(
    actor: Actor,
    resourceId: string,
    input: CommunityResourceInput,
    version: number,
  ): Promise<CommunityResource> {
    await this.maintainable(actor, resourceId, 'change-community-resource');
    const body = await this.check(input);
    await this.db.transaction().execute(async (trx) => {
      const saved = await store.updateResource(trx, resourceId, body, version, {
        reviewDue: nextReviewDue(this.today()),
        lastReviewedAt: new Date(),
      });
      if (saved === null) throw stale('your change');
      await this.audit.record(
        actor,
        { action: 'change-community-resource', resourceType: RESOURCE, resourceId },
        trx,
      );
    });
    return this.found(resourceId);
  }

  /** Confirms an entry is still right: the next review is REVIEW_INTERVAL_MONTHS on, from today. */
  async review(actor: Actor, resourceId: string, version: number): Promise<CommunityResource> {
    const resource = await this.maintainable(actor, resourceId, 'review-community-resource');
    await this.db.transaction().execute(async (trx) => {
      const saved = await store.markReviewed(
        trx,
        resourceId,
        version,
        nextReviewDue(this.today()),
        new Date(),
      );
      if (saved === null) throw stale('your review');
      // An entry nobody keeps is kept from now on by whoever confirmed it.
      if (!resource.maintainerUserId) {
        await trx
          .updateTable('community_resource')
          .set({ maintainer_user_id: actor.userId })
          .where('resource_id', '=', resourceId)
          .execute();
      }
      await this.audit.record(
        actor,
        { action: 'review-community-resource', resourceType: RESOURCE, resourceId },
        trx,
      );
    });
    return this.found(resourceId);
  }

  /** Closes an entry (it stopped running): kept for the referrals that name it, shown to no one looking for help. */
  async close(actor: Actor, resourceId: string, version: number): Promise<CommunityResource> {
    return this.setStatus(actor, resourceId, version, 'closed');
  }

  /** Reopens a closed entry. */
  async reopen(actor: Actor, resourceId: string, version: number): Promise<CommunityResource> {
    return this.setStatus(actor, resourceId, version, 'active');
  }

  private async setStatus(
    actor: Actor,
    resourceId: string,
    version: number,
    status: ResourceStatus,
  ): Promise<CommunityResource> {
    const action = status === 'closed' ? 'close-community-resource' : 'reopen-community-resource';
    await this.maintainable(actor, resourceId, action);
    await this.db.transaction().execute(async (trx) => {
      const saved = await store.setStatus(trx, resourceId, version, status);
      if (saved === null) throw stale(status === 'closed' ? 'closing it' : 'reopening it');
      await this.audit.record(actor, { action, resourceType: RESOURCE, resourceId }, trx);
    });
    return this.found(resourceId);
  }

  /**
   * Restores an entry from a bulk import (FHIR HealthcareService), kept under its id: checked as
   * adding one is (the contract, then the rules across fields), so what the pages would refuse is
   * refused here too, naming the field. An entry held already under that id is left as it is
   * ('unchanged'): an import never overwrites what staff keep. With `write` false (a dry run) it is
   * only checked. The command line's operator imports; the organisation has been checked by the
   * importer (held here, or imported in the same run). Audited as the exchange import's adds are.
   */
  async restore(
    actor: Actor,
    entry: EntryToRestore,
    options: { write: boolean },
  ): Promise<'added' | 'unchanged'> {
    if (await store.resourceById(this.db, entry.resourceId)) return 'unchanged';
    const body = await this.check(entry.body);
    if (!options.write) return 'added';
    await this.db.transaction().execute(async (trx) => {
      await store.insertResource(trx, {
        resourceId: entry.resourceId,
        organisationId: entry.organisationId,
        body,
        maintainerUserId: entry.maintainerUserId,
        createdBy: actor.userId,
        reviewDue: entry.reviewDue ?? nextReviewDue(this.today()),
        lastReviewedAt: entry.lastReviewedAt,
        status: entry.status,
      });
      await this.audit.record(
        actor,
        {
          action: 'import-community-resource',
          resourceType: RESOURCE,
          resourceId: entry.resourceId,
          purpose: 'added',
        },
        trx,
      );
    });
    return 'added';
  }

  /** The body as it is stored (postcode written the one way), or a refusal naming every field at fault. */
  private async check(input: CommunityResourceInput): Promise<CommunityResourceInput> {
    const body = CommunityResourceContract.check(input);
    const problems = resourceProblems(body, await store.knownDomainCodes(this.db));
    if (problems.length) throw new CommunityResourceProblems(problems);
    return { ...body, postcode: normalisePostcode(body.postcode) };
  }

  /** The entry, if the actor may keep it up to date; a refusal (audited) if not; 404 if there is none. */
  private async maintainable(actor: Actor, resourceId: string, action: string): Promise<CommunityResource> {
    const resource = await store.resourceById(this.db, resourceId);
    if (!resource) throw notFound('The directory entry');
    if (!mayMaintainFor(actor, resource.organisationId)) {
      await this.refuse(actor, action, resourceId, 'not a member of the organisation that runs it');
      throw forbidden('change this directory entry');
    }
    return resource;
  }

  private async found(resourceId: string): Promise<CommunityResource> {
    const resource = await store.resourceById(this.db, resourceId);
    if (!resource) throw notFound('The directory entry');
    return resource;
  }

  private managed(resource: CommunityResource, today: string): ManagedResource {
    const state = reviewState(resource.reviewDue, today);
    return {
      ...resource,
      reviewState: state,
      hiddenFrom: hiddenFrom(resource.reviewDue),
      listed: isListedForPeople({ status: resource.status, reviewState: state }),
    };
  }

  private async refuse(actor: Actor, action: string, resourceId: string | null, why: string): Promise<void> {
    await this.audit.record(actor, {
      action,
      resourceType: RESOURCE,
      resourceId,
      purpose: why,
      outcome: 'denied',
    });
  }
}
