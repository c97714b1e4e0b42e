import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql, type UpdateObject } from 'kysely';
import type {
  AccessibilityFeature,
  CostKind,
  Need,
  ResourceKind,
  ResourceStatus,
} from '../../domain/community/vocabulary.js';
import type { DB } from '../../store/schema.js';
import type { CommunityResource, CommunityResourceInput, Session } from './schema.js';

/**
 * The community directory's queries. `resourceOfRow` is the one mapping of a `community_resource`
 * row (with its organisation's and maintainer's names) to the contract; `insertResource` and
 * `updateResource` are the one way an entry is written, by the service, the demo and the importers.
 */

/** A row as `selectResources` reads it: the table's columns and the two names shown beside them. */
export type ResourceRow = Selectable<DB['community_resource']> & {
  organisation_name: string;
  maintainer_name: string | null;
};

const dateText = (value: string | Date): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

export function resourceOfRow(row: ResourceRow): CommunityResource {
  return {
    resourceId: row.resource_id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    name: row.name,
    kind: row.kind as ResourceKind,
    summary: row.summary,
    description: row.description,
    needs: row.needs as Need[],
    domainCodes: row.domain_codes,
    online: row.online,
    address: row.address,
    postcode: row.postcode,
    sessions: row.sessions as Session[],
    scheduleNote: row.schedule_note,
    eligibility: row.eligibility,
    minAge: row.min_age,
    maxAge: row.max_age,
    costKind: row.cost_kind as CostKind,
    costNote: row.cost_note,
    accessibility: row.accessibility as AccessibilityFeature[],
    accessibilityNote: row.accessibility_note,
    selfReferral: row.self_referral,
    howToRefer: row.how_to_refer,
    phone: row.phone,
    email: row.email,
    website: row.website,
    capacity: row.capacity,
    acceptingReferrals: row.accepting_referrals,
    maintainerUserId: row.maintainer_user_id,
    maintainerName: row.maintainer_name,
    reviewDue: dateText(row.review_due as string | Date),
    lastReviewedAt: row.last_reviewed_at ? new Date(row.last_reviewed_at).toISOString() : null,
    status: row.status as ResourceStatus,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Every entry's columns with its organisation's and maintainer's names; callers add where and order. */
export function selectResources(db: Kysely<DB>) {
  return db
    .selectFrom('community_resource as r')
    .innerJoin('organisation as o', 'o.organisation_id', 'r.organisation_id')
    .leftJoin('user_account as m', 'm.user_id', 'r.maintainer_user_id')
    .selectAll('r')
    .select(['o.name as organisation_name', 'm.display_name as maintainer_name']);
}

export async function resourceById(
  db: Kysely<DB>,
  resourceId: string,
): Promise<CommunityResource | undefined> {
  const row = await selectResources(db).where('r.resource_id', '=', resourceId).executeTakeFirst();
  return row ? resourceOfRow(row) : undefined;
}

/**
 * The entries of these organisations ('all' for every one), those due for review first (the
 * oldest review date first), then by name.
 */
export async function resourcesOfOrganisations(
  db: Kysely<DB>,
  organisationIds: 'all' | readonly string[],
): Promise<CommunityResource[]> {
  if (organisationIds !== 'all' && organisationIds.length === 0) return [];
  let query = selectResources(db);
  if (organisationIds !== 'all') query = query.where('r.organisation_id', 'in', organisationIds);
  const rows = await query.orderBy('r.review_due').orderBy('r.name').orderBy('r.resource_id').execute();
  return rows.map(resourceOfRow);
}

/** The columns an entry's saved body sets, for insert and update alike. */
export function resourceColumns(body: CommunityResourceInput) {
  return {
    name: body.name.trim(),
    kind: body.kind,
    summary: body.summary.trim(),
    description: body.description.trim(),
    needs: sql<string[]>`${sql.val([...body.needs])}::text[]`,
    domain_codes: sql<string[]>`${sql.val([...body.domainCodes])}::text[]`,
    online: body.online,
    address: body.address?.trim() || null,
    postcode: body.postcode,
    sessions: JSON.stringify(body.sessions),
    schedule_note: body.scheduleNote.trim(),
    eligibility: body.eligibility.trim(),
    min_age: body.minAge,
    max_age: body.maxAge,
    cost_kind: body.costKind,
    cost_note: body.costNote.trim(),
    accessibility: sql<string[]>`${sql.val([...body.accessibility])}::text[]`,
    accessibility_note: body.accessibilityNote.trim(),
    self_referral: body.selfReferral,
    how_to_refer: body.howToRefer.trim(),
    phone: body.phone?.trim() || null,
    email: body.email?.trim() || null,
    website: body.website?.trim() || null,
    capacity: body.capacity,
    accepting_referrals: body.acceptingReferrals,
  };
}

export interface NewResource {
  /** Given when the id is known (an import that keeps its source's ids); otherwise made here. */
  resourceId?: string;
  organisationId: string;
  body: CommunityResourceInput;
  maintainerUserId: string | null;
  createdBy: string | null;
  reviewDue: string;
  lastReviewedAt?: Date | null;
  status?: ResourceStatus;
}

/** Adds an entry (the body already checked and normalised by the service); returns its id. */
export async function insertResource(db: Kysely<DB>, entry: NewResource): Promise<string> {
  const resourceId = entry.resourceId ?? randomUUID();
  await db
    .insertInto('community_resource')
    .values({
      resource_id: resourceId,
      organisation_id: entry.organisationId,
      ...resourceColumns(entry.body),
      maintainer_user_id: entry.maintainerUserId,
      created_by: entry.createdBy,
      review_due: entry.reviewDue,
      last_reviewed_at: entry.lastReviewedAt ?? null,
      status: entry.status ?? 'active',
    })
    .execute();
  return resourceId;
}

/**
 * Saves a changed body if the entry is still at `expectedVersion`, moving it on by one. Returns the
 * new version, or null when someone else changed it first (or it does not exist).
 */
export async function updateResource(
  db: Kysely<DB>,
  resourceId: string,
  body: CommunityResourceInput,
  expectedVersion: number,
  extra: { reviewDue?: string; lastReviewedAt?: Date; maintainerUserId?: string | null } = {},
): Promise<number | null> {
  return bumpVersion(db, resourceId, expectedVersion, {
    ...resourceColumns(body),
    ...(extra.reviewDue ? { review_due: extra.reviewDue } : {}),
    ...(extra.lastReviewedAt ? { last_reviewed_at: extra.lastReviewedAt } : {}),
    ...(extra.maintainerUserId !== undefined ? { maintainer_user_id: extra.maintainerUserId } : {}),
  });
}

/** Records a review (the entry confirmed as right): the next review date, and when. */
export async function markReviewed(
  db: Kysely<DB>,
  resourceId: string,
  expectedVersion: number,
  reviewDue: string,
  at: Date,
): Promise<number | null> {
  return bumpVersion(db, resourceId, expectedVersion, { review_due: reviewDue, last_reviewed_at: at });
}

/** Closes or reopens an entry. */
export async function setStatus(
  db: Kysely<DB>,
  resourceId: string,
  expectedVersion: number,
  status: ResourceStatus,
): Promise<number | null> {
  return bumpVersion(db, resourceId, expectedVersion, { status });
}

async function bumpVersion(
  db: Kysely<DB>,
  resourceId: string,
  expectedVersion: number,
  changes: UpdateObject<DB, 'community_resource'>,
): Promise<number | null> {
  const row = await db
    .updateTable('community_resource')
    .set({
      ...changes,
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('resource_id', '=', resourceId)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

/** The current version of an entry, or undefined when there is none. */
export async function versionOf(db: Kysely<DB>, resourceId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('community_resource')
    .select('version')
    .where('resource_id', '=', resourceId)
    .executeTakeFirst();
  return row?.version;
}

/** The organisations with these ids, by name: the choices of "who runs it". */
export async function organisationsNamed(
  db: Kysely<DB>,
  organisationIds: 'all' | readonly string[],
): Promise<{ organisationId: string; name: string; kind: string }[]> {
  if (organisationIds !== 'all' && organisationIds.length === 0) return [];
  let query = db.selectFrom('organisation').select(['organisation_id', 'name', 'kind']);
  if (organisationIds !== 'all') query = query.where('organisation_id', 'in', organisationIds);
  const rows = await query.orderBy('name').execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, name: r.name, kind: r.kind }));
}

/** Every outcome domain code of any framework version: the codes an entry may name. */
export async function knownDomainCodes(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('outcome_domain').select('code').distinct().execute();
  return new Set(rows.map((r) => r.code));
}

/**
 * The outcome domains an entry can be said to help with: those of each framework's latest version
 * still offered, the default framework first, each code once (under the first framework that has it).
 */
export async function domainChoices(
  db: Kysely<DB>,
): Promise<{ framework: string; domains: { code: string; name: string }[] }[]> {
  const rows = await db
    .selectFrom('outcome_domain as d')
    .innerJoin('outcome_framework as f', 'f.framework_id', 'd.framework_id')
    .select([
      'f.key',
      'f.version',
      'f.name as framework_name',
      'f.is_default',
      'd.code',
      'd.name',
      'd.sort_order',
    ])
    .where('f.retired_at', 'is', null)
    .where(({ eb, selectFrom }) =>
      eb(
        'f.version',
        '=',
        selectFrom('outcome_framework as g')
          .select((g) => g.fn.max('g.version').as('latest'))
          .whereRef('g.key', '=', 'f.key'),
      ),
    )
    .orderBy('f.is_default', 'desc')
    .orderBy('f.name')
    .orderBy('d.sort_order')
    .execute();
  const seen = new Set<string>();
  const groups = new Map<string, { framework: string; domains: { code: string; name: string }[] }>();
  for (const r of rows) {
    if (seen.has(r.code)) continue;
    seen.add(r.code);
    const group = groups.get(r.key) ?? { framework: r.framework_name, domains: [] };
    group.domains.push({ code: r.code, name: r.name });
    groups.set(r.key, group);
  }
  return [...groups.values()];
}
