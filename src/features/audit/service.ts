import { type Kysely, sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';
import { forbidden, invalid } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { PersonAccess } from '../record-access/person-access.js';
import type { AuditService } from './audit-trail.js';

/**
 * Reading the audit trail: the person sees who looked at their record and why; admins and team
 * managers search it. Who may read which entries is decided here, and every read is itself audited.
 */

export const AUDIT_OUTCOMES = ['success', 'denied', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * What each action means to the person whose record it touched: what was done ("Looked at your
 * record") and what was attempted ("look at your record"), for entries that were refused.
 */
const ACTION_WORDS: Readonly<Record<string, readonly [done: string, attempted: string]>> = {
  'register-person': ['Added you to WhatMatters', 'add you to WhatMatters'],
  'read-person': ['Looked at your record', 'look at your record'],
  'update-person': ['Changed your contact details', 'change your contact details'],
  'read-outcomes': ['Looked at what matters to you', 'look at what matters to you'],
  'add-outcome': ['Added something that matters to you', 'add something that matters to you'],
  'rate-outcome': [
    'Rated progress on something that matters to you',
    'rate progress on something that matters to you',
  ],
  'record-conversation': ['Recorded a conversation with you', 'record a conversation with you'],
  'read-plan': ['Looked at your care and support plan', 'look at your care and support plan'],
  'read-plan-version': [
    'Looked at an earlier version of your care and support plan',
    'look at an earlier version of your care and support plan',
  ],
  'compare-plan-versions': [
    'Compared versions of your care and support plan',
    'compare versions of your care and support plan',
  ],
  'save-plan': ['Changed your care and support plan', 'change your care and support plan'],
  'comment-on-plan': ['Commented on your care and support plan', 'comment on your care and support plan'],
  'read-care-team': ['Looked at who is in your care team', 'look at who is in your care team'],
  'add-care-team-member': ['Added someone to your care team', 'add someone to your care team'],
  'read-relationships': ['Looked at the people important to you', 'look at the people important to you'],
  'add-relationship': ['Added someone important to you', 'add someone important to you'],
  'authorise-carer': ['Changed what a carer may see or do', 'change what a carer may see or do'],
  'read-sharing': ['Looked at who your record is shared with', 'look at who your record is shared with'],
  'record-sharing-basis': [
    'Recorded why your record may be shared with an organisation',
    'record why your record may be shared with an organisation',
  ],
  'withdraw-sharing-basis': [
    'Stopped sharing your record with an organisation',
    'stop sharing your record with an organisation',
  ],
  'break-glass': ['Used emergency access to your record', 'use emergency access to your record'],
  'read-access-log': ['Looked at who has seen your record', 'look at who has seen your record'],
  'search-audit': ['Searched the audit log for your record', 'search the audit log for your record'],
};

/** The actions with a plain-English description, for pickers and documentation. */
export const DESCRIBED_ACTIONS: readonly string[] = Object.keys(ACTION_WORDS);

/**
 * An audit entry in plain English, as the person whose record it is would say it. Refused attempts
 * say so plainly; an action without a description is shown as it was recorded.
 */
export function describeAuditAction(action: string, outcome: string = 'success'): string {
  const words = ACTION_WORDS[action];
  if (!words) {
    if (outcome === 'denied') return `${action} (not allowed)`;
    if (outcome === 'failure') return `${action} (did not succeed)`;
    return action;
  }
  if (outcome === 'denied') return `Tried to ${words[1]} but was not allowed`;
  if (outcome === 'failure') return `Tried to ${words[1]} but it did not succeed`;
  return words[0];
}

const asOutcome = (value: string): AuditOutcome =>
  (AUDIT_OUTCOMES as readonly string[]).includes(value) ? (value as AuditOutcome) : 'failure';

const rolesOf = (actorRole: string | null): string[] => (actorRole ? actorRole.split(',') : []);

/** Two entries by the same user, for the same action with the same outcome, this close together, are shown as one. */
export const REPEAT_WINDOW_SECONDS = 5;

// ——— the person's access log ———

export interface AccessLogActor {
  displayName: string;
  jobTitle: string | null;
  /** The organisations the user works for (now), by name. */
  organisations: string[];
  /** The roles they held when the entry was made. */
  roles: string[];
}

export interface AccessLogEntry {
  auditId: string;
  occurredAt: Date;
  /** Null when no signed-in user did it (the service itself). Never the username. */
  who: AccessLogActor | null;
  /** The person themselves did it. */
  byThePerson: boolean;
  action: string;
  description: string;
  purpose: string | null;
  outcome: AuditOutcome;
}

export interface AccessLogOptions {
  page?: number;
  /**
   * Only entries up to this audit id: the `upTo` of the first page, so later pages do not shift as
   * new entries (such as this very read) are added.
   */
  upTo?: string;
  /** Include what the person did themselves (default true). */
  includeOwn?: boolean;
  /**
   * Show repeats as one: a change is audited twice (the access check, then the write), and a page
   * that reads the same thing twice in a moment is one look (default false).
   */
  collapseRepeats?: boolean;
}

export interface AccessLog {
  personId: string;
  entries: AccessLogEntry[];
  page: number;
  pageSize: number;
  hasNextPage: boolean;
  /** Pass to later pages so they list the same entries as this one saw. */
  upTo: string | null;
}

export const ACCESS_LOG_PAGE_SIZE = 25;

// ——— searching the audit trail ———

export interface AuditSearchFilters {
  personId?: string;
  nhsNumber?: string;
  /** The username of the user who did it. */
  username?: string;
  action?: string;
  outcome?: string;
  /** YYYY-MM-DD, UK time, inclusive. */
  from?: string;
  /** YYYY-MM-DD, UK time, inclusive. */
  to?: string;
  page?: number;
  /** Only entries up to this audit id (the `upTo` of the first page), so pages do not shift. */
  upTo?: string;
}

export interface AuditSearchEntry {
  auditId: string;
  occurredAt: Date;
  actor: { userId: string; username: string | null; displayName: string | null } | null;
  actorRole: string | null;
  action: string;
  description: string;
  resourceType: string;
  resourceId: string | null;
  personId: string | null;
  nhsNumber: string | null;
  purpose: string | null;
  ip: string | null;
  outcome: AuditOutcome;
}

export interface AuditSearchResult {
  /** `all` for admins; `team` for team managers, who see what members of their teams did. */
  scope: 'all' | 'team';
  entries: AuditSearchEntry[];
  page: number;
  pageSize: number;
  hasNextPage: boolean;
  /** Pass to later pages so they list the same entries as this one saw. */
  upTo: string | null;
}

export const AUDIT_SEARCH_PAGE_SIZE = 50;
const MAX_PAGE = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTION = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function realDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Minutes UK time is ahead of UTC at an instant (0 or 60). */
function londonOffsetMinutes(at: Date): number {
  const parts = LONDON.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a UK calendar day (YYYY-MM-DD) begins. */
export function startOfUkDay(isoDate: string): Date {
  const midnightUtc = new Date(`${isoDate}T00:00:00Z`).getTime();
  const first = midnightUtc - londonOffsetMinutes(new Date(midnightUtc)) * 60_000;
  const second = midnightUtc - londonOffsetMinutes(new Date(first)) * 60_000;
  return new Date(second);
}

const nextDay = (isoDate: string): string =>
  new Date(new Date(`${isoDate}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);

export class AuditLogService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
  ) {}

  /**
   * Who looked at or changed a person's record, and why: newest first, a page at a time. The person
   * themselves, and whoever else may view their record (the rule is `PersonAccess`'s). Entries name
   * users by display name, job title and organisation, never by username.
   */
  async accessLog(actor: Actor, personId: string, options: AccessLogOptions = {}): Promise<AccessLog> {
    await this.access.require(actor, personId, 'view', 'read-access-log');
    const page = Math.min(MAX_PAGE, Math.max(1, Math.floor(options.page ?? 1)));
    const pageSize = ACCESS_LOG_PAGE_SIZE;
    const includeOwn = options.includeOwn ?? true;
    const collapse = options.collapseRepeats ?? false;
    const upTo = checkUpTo(options.upTo);

    // In audit_id order, each entry beside the one before it (for this person), to spot repeats.
    const sequence = this.db
      .selectFrom('audit_event as e')
      .select([
        'e.audit_id',
        'e.occurred_at',
        'e.actor_user_id',
        'e.actor_role',
        'e.action',
        'e.purpose',
        'e.outcome',
        sql<boolean>`coalesce(
          lag(e.actor_user_id) over (order by e.audit_id) is not distinct from e.actor_user_id
          and lag(e.action) over (order by e.audit_id) = e.action
          and lag(e.outcome) over (order by e.audit_id) = e.outcome
          and e.occurred_at - lag(e.occurred_at) over (order by e.audit_id)
            < make_interval(secs => ${REPEAT_WINDOW_SECONDS}),
          false)`.as('repeat'),
      ])
      .where('e.person_id', '=', personId)
      .$if(upTo !== undefined, (qb) => qb.where('e.audit_id', '<=', upTo as string));

    const rows = await this.db
      .selectFrom(sequence.as('t'))
      .leftJoin('user_account as u', 'u.user_id', 't.actor_user_id')
      .select([
        't.audit_id',
        't.occurred_at',
        't.actor_user_id',
        't.actor_role',
        't.action',
        't.purpose',
        't.outcome',
        'u.display_name',
        'u.job_title',
        sql<boolean>`coalesce(u.person_id = ${personId}, false)`.as('by_the_person'),
        sql<string[] | null>`(
          select array_agg(distinct o.name order by o.name)
          from user_role r join organisation o on o.organisation_id = r.organisation_id
          where r.user_id = t.actor_user_id
        )`.as('organisations'),
      ])
      .$if(collapse, (qb) => qb.where('t.repeat', '=', false))
      .$if(!includeOwn, (qb) =>
        qb.where((eb) => eb.or([eb('u.person_id', 'is', null), eb('u.person_id', '!=', personId)])),
      )
      .orderBy('t.audit_id', 'desc')
      .limit(pageSize + 1)
      .offset((page - 1) * pageSize)
      .execute();

    return {
      personId,
      page,
      pageSize,
      hasNextPage: rows.length > pageSize,
      upTo: upTo ?? (page === 1 && rows[0] ? String(rows[0].audit_id) : null),
      entries: rows.slice(0, pageSize).map((r) => ({
        auditId: String(r.audit_id),
        occurredAt: r.occurred_at,
        who: r.actor_user_id
          ? {
              displayName: r.display_name ?? 'A user who has since been removed',
              jobTitle: r.job_title,
              organisations: r.organisations ?? [],
              roles: rolesOf(r.actor_role),
            }
          : null,
        byThePerson: r.by_the_person,
        action: r.action,
        description: describeAuditAction(r.action, r.outcome),
        purpose: r.purpose,
        outcome: asOutcome(r.outcome),
      })),
    };
  }

  /**
   * Searches the audit trail, newest first, 50 a page. Admins see every entry; a team manager sees
   * the entries of users who are members of a team they manage. The search is itself audited.
   */
  async search(actor: Actor, filters: AuditSearchFilters): Promise<AuditSearchResult> {
    const isAdmin = hasRole(actor, 'admin');
    const managedTeams = actor.roles
      .filter((r) => r.role === 'team-manager' && r.teamId)
      .map((r) => r.teamId as string);
    if (!isAdmin && !hasRole(actor, 'team-manager')) {
      await this.audit.record(actor, {
        action: 'search-audit',
        resourceType: 'audit_event',
        outcome: 'denied',
      });
      throw forbidden('search the audit trail');
    }
    const f = checkFilters(filters);

    let personId = f.personId;
    let matchesNobody = false;
    if (f.nhsNumber) {
      const found = await this.db
        .selectFrom('person_nhs_number')
        .select('person_id')
        .where('nhs_number', '=', f.nhsNumber)
        .executeTakeFirst();
      // An NHS number nobody has (or another person's than the id given) matches no entries.
      matchesNobody = !found || (personId !== undefined && personId !== found.person_id);
      personId = found?.person_id ?? personId;
    }

    const scope = isAdmin ? 'all' : 'team';
    if (matchesNobody) {
      await this.recordSearch(actor, null, f.summary);
      return {
        scope,
        entries: [],
        page: f.page,
        pageSize: AUDIT_SEARCH_PAGE_SIZE,
        hasNextPage: false,
        upTo: f.upTo ?? null,
      };
    }

    const page = f.page;
    const pageSize = AUDIT_SEARCH_PAGE_SIZE;
    const rows = await this.db
      .selectFrom('audit_event as e')
      .leftJoin('user_account as u', 'u.user_id', 'e.actor_user_id')
      .leftJoin('person as p', 'p.person_id', 'e.person_id')
      .select([
        'e.audit_id',
        'e.occurred_at',
        'e.actor_user_id',
        'e.actor_role',
        'e.action',
        'e.resource_type',
        'e.resource_id',
        'e.person_id',
        'e.purpose',
        'e.ip',
        'e.outcome',
        'u.username',
        'u.display_name',
        'p.nhs_number',
      ])
      .$if(!isAdmin, (qb) =>
        qb.where((eb) =>
          managedTeams.length
            ? eb.exists(
                eb
                  .selectFrom('user_role as r')
                  .select('r.user_role_id')
                  .whereRef('r.user_id', '=', 'e.actor_user_id')
                  .where('r.team_id', 'in', managedTeams),
              )
            : sql<boolean>`false`,
        ),
      )
      .$if(personId !== undefined, (qb) => qb.where('e.person_id', '=', personId as string))
      .$if(f.username !== undefined, (qb) => qb.where('u.username', '=', f.username as string))
      .$if(f.action !== undefined, (qb) => qb.where('e.action', '=', f.action as string))
      .$if(f.outcome !== undefined, (qb) => qb.where('e.outcome', '=', f.outcome as string))
      .$if(f.upTo !== undefined, (qb) => qb.where('e.audit_id', '<=', f.upTo as string))
      .$if(f.from !== undefined, (qb) => qb.where('e.occurred_at', '>=', startOfUkDay(f.from as string)))
      .$if(f.to !== undefined, (qb) => qb.where('e.occurred_at', '<', startOfUkDay(nextDay(f.to as string))))
      .orderBy('e.audit_id', 'desc')
      .limit(pageSize + 1)
      .offset((page - 1) * pageSize)
      .execute();
    // Audited once the entries have been read (a search that fails has shown nothing).
    await this.recordSearch(actor, personId ?? null, f.summary);

    return {
      scope,
      page,
      pageSize,
      hasNextPage: rows.length > pageSize,
      upTo: f.upTo ?? (page === 1 && rows[0] ? String(rows[0].audit_id) : null),
      entries: rows.slice(0, pageSize).map((r) => ({
        auditId: String(r.audit_id),
        occurredAt: r.occurred_at,
        actor: r.actor_user_id
          ? { userId: r.actor_user_id, username: r.username, displayName: r.display_name }
          : null,
        actorRole: r.actor_role,
        action: r.action,
        description: describeAuditAction(r.action, r.outcome),
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        personId: r.person_id,
        nhsNumber: r.nhs_number,
        purpose: r.purpose,
        ip: r.ip,
        outcome: asOutcome(r.outcome),
      })),
    };
  }

  private recordSearch(actor: Actor, personId: string | null, summary: string): Promise<void> {
    return this.audit.record(actor, {
      action: 'search-audit',
      resourceType: 'audit_event',
      personId,
      purpose: `audit review${summary ? ` (${summary})` : ''}`,
    });
  }
}

interface CheckedFilters {
  personId?: string;
  nhsNumber?: string;
  username?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
  page: number;
  upTo?: string;
  /** The filters in words, for the audit entry of the search. */
  summary: string;
}

/** An audit id to page up to, or a refusal naming the field. */
function checkUpTo(upTo: string | undefined): string | undefined {
  if (upTo === undefined || upTo === '') return undefined;
  if (!/^[1-9]\d{0,17}$/.test(upTo)) throw invalid('upTo must be an audit entry id', 'upTo');
  return upTo;
}

/** Blank filters are no filter; anything else must make sense, or the search is refused naming the field. */
export function checkFilters(filters: AuditSearchFilters): CheckedFilters {
  const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const out: CheckedFilters = { page: 1, summary: '' };
  const personId = blank(filters.personId);
  if (personId !== undefined) {
    if (!UUID.test(personId)) throw invalid('Person id must be a uuid', 'personId');
    out.personId = personId.toLowerCase();
  }
  const nhsNumber = blank(filters.nhsNumber);
  if (nhsNumber !== undefined) {
    if (!isValidNhsNumber(nhsNumber)) {
      throw invalid('NHS number must be 10 digits and pass the NHS number check', 'nhsNumber');
    }
    out.nhsNumber = normaliseNhsNumber(nhsNumber) ?? undefined;
  }
  const username = blank(filters.username);
  if (username !== undefined) {
    if (username.length > 254) throw invalid('Username must be 254 characters or fewer', 'user');
    out.username = username.toLowerCase();
  }
  const action = blank(filters.action);
  if (action !== undefined) {
    if (!ACTION.test(action)) {
      throw invalid('Action must be lower-case words joined by hyphens, like read-person', 'action');
    }
    out.action = action;
  }
  const outcome = blank(filters.outcome);
  if (outcome !== undefined) {
    if (!(AUDIT_OUTCOMES as readonly string[]).includes(outcome)) {
      throw invalid(`Outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`, 'outcome');
    }
    out.outcome = outcome as AuditOutcome;
  }
  const from = blank(filters.from);
  if (from !== undefined) {
    if (!realDate(from)) throw invalid('Date from must be a real date, as YYYY-MM-DD', 'from');
    out.from = from;
  }
  const to = blank(filters.to);
  if (to !== undefined) {
    if (!realDate(to)) throw invalid('Date to must be a real date, as YYYY-MM-DD', 'to');
    out.to = to;
  }
  if (out.from && out.to && out.from > out.to) {
    throw invalid('Date from must be the same as or before date to', 'from');
  }
  const page = filters.page ?? 1;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw invalid(`Page must be a whole number from 1 to ${MAX_PAGE}`, 'page');
  }
  out.page = page;
  out.upTo = checkUpTo(filters.upTo);
  out.summary = [
    out.personId && `person ${out.personId}`,
    out.nhsNumber && `NHS number ${out.nhsNumber}`,
    out.username && `user ${out.username}`,
    out.action && `action ${out.action}`,
    out.outcome && `outcome ${out.outcome}`,
    out.from && `from ${out.from}`,
    out.to && `to ${out.to}`,
    page > 1 && `page ${page}`,
  ]
    .filter(Boolean)
    .join(', ');
  return out;
}
