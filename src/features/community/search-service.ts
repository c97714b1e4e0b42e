import { type Kysely, sql } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { isListedForPeople, resourcePermissions } from '../../domain/community/resource-access.js';
import { type LatLong, searchResources } from '../../domain/community/search.js';
import { reviewState } from '../../domain/community/staleness.js';
import { normalisePostcode, postcodeSector } from '../../domain/postcode.js';
import { notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import { sectorLocation } from './postcode-store.js';
import type { CommunityResource } from './schema.js';
import {
  type CommunitySearchAnswer,
  CommunitySearchContract,
  type CommunitySearchInput,
  type PublicCommunityResource,
  SEARCH_PAGE_SIZE,
} from './search-schema.js';
import * as store from './store.js';

/** An entry as the public sees it: without the staff member who keeps it up to date. */
export function publicResource(resource: CommunityResource): PublicCommunityResource {
  const { maintainerUserId: _id, maintainerName: _name, ...rest } = resource;
  return rest;
}

/**
 * Finding support in the community directory, for anyone, signed in or not: the entries people may
 * see (active, and not hidden for being long out of date: domain/community/resource-access.ts and
 * staleness.ts) searched by the pure rules of domain/community/search.ts. Postcodes resolve to
 * their sector's centre in `postcode_location`, never over the network. The entries are reference
 * data about organisations' offers, never about a person, so searching and reading are not audited;
 * the postcode searched from is not stored.
 */
export class CommunitySearchService {
  constructor(
    private readonly db: Kysely<DB>,
    /** Today's UK date: whether an entry is hidden depends on its review date. Tests give a fixed day. */
    private readonly today: () => string = () => todayIso(),
  ) {}

  /** Where a postcode is (its sector's centre), or null when the sector is not known here. */
  async locate(postcode: string): Promise<LatLong | null> {
    const sector = postcodeSector(postcode);
    return sector ? sectorLocation(this.db, sector) : null;
  }

  /**
   * The entries matching the search, nearest first then by name, a page of SEARCH_PAGE_SIZE at a
   * time (with the count of all that match; a page past the last has no results). A postcode whose sector is not known is refused (422, naming
   * `postcode`), as is a distance with no postcode or an outcome domain that does not exist.
   */
  async search(input: CommunitySearchInput): Promise<CommunitySearchAnswer> {
    const query = CommunitySearchContract.check(input);
    const postcode = query.postcode ? normalisePostcode(query.postcode) : null;
    if (query.within && !postcode) {
      throw new ServiceError(
        422,
        'Postcode needed',
        'Enter your postcode to search within a distance',
        'postcode',
      );
    }
    const [origin, resources, domainKnown] = await Promise.all([
      postcode ? this.locate(postcode) : Promise.resolve(null),
      this.listedWithLocations(),
      query.domain ? this.domainExists(query.domain) : Promise.resolve(true),
    ]);
    if (postcode && !origin) {
      throw new ServiceError(
        422,
        'Postcode not known',
        `We do not know where ${postcode} is. Check the postcode, or search without one.`,
        'postcode',
      );
    }
    if (!domainKnown) {
      throw new ServiceError(422, 'Outcome not known', 'Choose an outcome from the list', 'domain');
    }
    const hits = searchResources(resources, {
      ...(query.need ? { need: query.need } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.domain ? { domainCode: query.domain } : {}),
      origin,
      ...(query.within ? { withinMiles: Number(query.within) } : {}),
      ...(query.day ? { day: query.day } : {}),
      ...(query.time ? { timeOfDay: query.time } : {}),
      ...(query.words ? { words: query.words } : {}),
      freeOnly: query.free === 'yes',
      selfReferralOnly: query.selfReferral === 'yes',
    });
    const page = query.page ? Number(query.page) : 1;
    return {
      postcode,
      count: hits.length,
      page,
      pageSize: SEARCH_PAGE_SIZE,
      results: hits.slice((page - 1) * SEARCH_PAGE_SIZE, page * SEARCH_PAGE_SIZE).map((h) => ({
        resource: publicResource(h.resource.entry),
        distanceMiles: h.distanceMiles === null ? null : Math.round(h.distanceMiles * 100) / 100,
      })),
    };
  }

  /**
   * One entry as stored, listed for people or not, for a service that applies its own rule to it
   * (referrals: domain/community/referral-access.ts decides what may be referred to). Entries are
   * about organisations' offers, never a person, so reading one is not audited.
   */
  async entry(resourceId: string): Promise<CommunityResource | undefined> {
    return store.resourceById(this.db, resourceId);
  }

  /**
   * One entry, if the actor may read it: anyone when it is listed for people; its maintainers also
   * when it is closed or hidden. 404 otherwise, so nobody learns of entries they may not read.
   */
  async get(actor: Actor | null, resourceId: string): Promise<PublicCommunityResource> {
    const resource = await store.resourceById(this.db, resourceId);
    if (!resource) throw notFound('The directory entry');
    const facts = {
      organisationId: resource.organisationId,
      status: resource.status,
      reviewState: reviewState(resource.reviewDue, this.today()),
    };
    if (!resourcePermissions(actor, facts).read) throw notFound('The directory entry');
    return publicResource(resource);
  }

  /**
   * Every entry the actor may read, by the one rule `get` applies (resource-access.ts): those listed
   * for people, and those the actor maintains even when closed or hidden. Someone who maintains an
   * entry sees who keeps it; anyone else sees it as the public does. For whole-directory readers
   * such as FHIR (a directory: hundreds of entries, not millions), by name then id.
   */
  async readable(actor: Actor | null): Promise<(PublicCommunityResource & Partial<CommunityResource>)[]> {
    const today = this.today();
    const entries = await store.resourcesOfOrganisations(this.db, 'all');
    const readable = [];
    for (const resource of entries) {
      const facts = {
        organisationId: resource.organisationId,
        status: resource.status,
        reviewState: reviewState(resource.reviewDue, today),
      };
      const may = resourcePermissions(actor, facts);
      if (may.read) readable.push(may.maintain ? resource : publicResource(resource));
    }
    return readable.sort(
      (a, b) => a.name.localeCompare(b.name, 'en-GB') || a.resourceId.localeCompare(b.resourceId),
    );
  }

  /** Every entry people may see, each with where it meets: one query, then the domain's rule. */
  private async listedWithLocations() {
    const rows = await store
      .selectResources(this.db)
      .leftJoin('postcode_location as pl', (join) =>
        join.on(sql<boolean>`pl.postcode_sector = left(r.postcode, length(r.postcode) - 2)`),
      )
      .select(['pl.latitude', 'pl.longitude'])
      .where('r.status', '=', 'active')
      .execute();
    const today = this.today();
    const listed = [];
    for (const row of rows) {
      const entry = store.resourceOfRow(row);
      if (!isListedForPeople({ status: entry.status, reviewState: reviewState(entry.reviewDue, today) }))
        continue;
      const location =
        row.latitude === null || row.longitude === null
          ? null
          : { latitude: Number(row.latitude), longitude: Number(row.longitude) };
      listed.push({ ...entry, location, entry });
    }
    return listed;
  }

  /** The outcome domains a search may name, grouped by framework (the staff form's choices too). */
  domainChoices(): ReturnType<typeof store.domainChoices> {
    return store.domainChoices(this.db);
  }

  private async domainExists(code: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('outcome_domain')
      .select('code')
      .where('code', '=', code)
      .executeTakeFirst();
    return !!row;
  }
}
