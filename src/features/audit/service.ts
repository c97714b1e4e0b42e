import type { Kysely } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { nextDay, startOfUkDay } from '../../domain/calendar.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';
import { forbidden, invalid } from '../../services/errors.js';
import { personIdWithNhsNumber } from '../../store/person-nhs-number.js';
import type { DB } from '../../store/schema.js';
import type { ApiClient } from '../auth/api-client-service.js';
import type { PersonAccess } from '../record-access/person-access.js';
import type { AuditService, AuditVerification } from './audit-trail.js';
import {
  AccessLogQueryContract,
  type AccessLogQueryInput,
  type AuditOutcome,
  AuditSearchQueryContract,
  type AuditSearchQueryInput,
  MAX_AUDIT_PAGE,
} from './schema.js';
import * as store from './store.js';

/**
 * Reading the audit trail: the person sees who looked at their record and why; admins and team
 * managers search it. Who may read which entries is decided here, and every read is itself audited.
 */

export { AUDIT_OUTCOMES, type AuditOutcome } from './schema.js';
export { REPEAT_WINDOW_SECONDS } from './store.js';

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
  'read-conversations': ['Looked at your conversations', 'look at your conversations'],
  'record-gas-attainment': ['Scored progress on one of your goals', 'score progress on one of your goals'],
  'keep-conversation-draft': ['Noted a conversation with you, not yet saved', 'note a conversation with you'],
  'discard-conversation-draft': [
    'Discarded notes of a conversation with you that were not saved',
    'discard notes of a conversation with you',
  ],
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
  'open-reallocation': ['Looked at who could be your named worker', 'look at who could be your named worker'],
  'reallocate-worker': ['Changed your named worker', 'change your named worker'],
  'start-carer-record': ['Started your own record as a carer', 'start your own record as a carer'],
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
  'escalate-lead-team': [
    'Asked a team manager to decide which team is responsible for your care',
    'ask a team manager to decide which team is responsible for your care',
  ],
  'assign-lead-team': [
    'Chose the team responsible for your care',
    'choose the team responsible for your care',
  ],
  'read-lead-team': [
    'Looked at which team is responsible for your care',
    'look at which team is responsible for your care',
  ],
  'list-records-needing-a-team': [
    'Listed records that need a team responsible for them',
    'list records that need a team responsible for them',
  ],
  'break-glass': ['Used emergency access to your record', 'use emergency access to your record'],
  'read-access-log': ['Looked at who has seen your record', 'look at who has seen your record'],
  'search-audit': ['Searched the audit log for your record', 'search the audit log for your record'],
  'open-route': ['Opened a page or API about your record', 'open a page or API about your record'],
  // Running the service (the administration pages): not about anyone's record.
  'user-add': ['Added a user account', 'add a user account'],
  'user-edit': ['Changed the name or job title of a user account', 'change a user account'],
  'user-disable': ['Disabled a user account', 'disable a user account'],
  'user-enable': ['Enabled a user account', 'enable a user account'],
  'user-unlock': ['Unlocked a user account', 'unlock a user account'],
  'user-password-reset-link': [
    'Made a link to set a new password for a user account',
    'make a link to set a new password',
  ],
  'user-password-reset': [
    'Set a new password with a one-time link',
    'set a new password with a one-time link',
  ],
  'user-role-add': ['Gave a user account a role', 'give a user account a role'],
  'user-role-remove': ['Took a role away from a user account', 'take a role away from a user account'],
  'list-users': ['Looked at the user accounts', 'look at the user accounts'],
  'read-user': ['Looked at a user account', 'look at a user account'],
  'organisation-add': ['Added an organisation', 'add an organisation'],
  'organisation-edit': ['Changed an organisation', 'change an organisation'],
  'team-add': ['Added a team', 'add a team'],
  'team-rename': ['Renamed a team', 'rename a team'],
  'add-framework': ['Added an outcomes framework', 'add an outcomes framework'],
  'retire-framework': ['Retired an outcomes framework', 'retire an outcomes framework'],
  'reinstate-framework': [
    'Offered a retired outcomes framework again',
    'offer a retired outcomes framework again',
  ],
  'set-default-framework': ['Chose the default outcomes framework', 'choose the default outcomes framework'],
  'open-admin-page': ['Opened an administration page', 'open an administration page'],
  'open-conversation-form': [
    'Started recording a conversation with you',
    'start recording a conversation with you',
  ],
  'open-outcome-form': [
    'Started adding something that matters to you',
    'start adding something that matters to you',
  ],
  'open-rating-form': ['Started rating your progress', 'start rating your progress'],
  'read-self-management-steps': [
    'Looked at the steps you set yourself',
    'look at the steps you set yourself',
  ],
  'open-step-form': ['Started setting a step for you', 'start setting a step for you'],
  'set-step': ['Set a step for you to take', 'set a step for you to take'],
  'open-step-progress-form': ['Started ticking off one of your steps', 'start ticking off one of your steps'],
  'record-step-progress': ['Said how one of your steps went', 'say how one of your steps went'],
  'export-record': ['Exported your whole record', 'export your whole record'],
  'fhir-bulk-export': [
    'Copied your record to another system (a FHIR bulk export)',
    'copy your record to another system (a FHIR bulk export)',
  ],
  'read-rights-requests': [
    'Looked at requests to correct or erase your record',
    'look at requests to correct or erase your record',
  ],
  'request-erasure': ['Asked for your record to be erased', 'ask for your record to be erased'],
  'request-rectification': ['Asked for your record to be corrected', 'ask for your record to be corrected'],
  'resolve-rectification': [
    'Answered a request to correct your record',
    'answer a request to correct your record',
  ],
  'read-erasure-request': [
    'Reviewed a request to erase your record',
    'review a request to erase your record',
  ],
  'decline-erasure': ['Declined a request to erase your record', 'decline a request to erase your record'],
  'erase-person': ['Erased your record', 'erase your record'],
};

/**
 * What staff see for actions that are about the service or an account rather than one person's
 * record (a person's access log never lists these).
 */
const SERVICE_ACTION_WORDS: Readonly<Record<string, readonly [done: string, attempted: string]>> = {
  'sign-in': ['Signed in', 'sign in'],
  'sign-out': ['Signed out', 'sign out'],
  'sign-out-everywhere': ['Signed out on every device', 'sign out on every device'],
  'change-password': ['Changed their password', 'change their password'],
  'oidc-link': ['Linked an NHS login or single sign-on account', 'link a single sign-on account'],
  'token-issue': ['An API client was given an access token', 'give an API client an access token'],
  'user-add': ['Added a user account', 'add a user account'],
  'user-disable': ['Disabled a user account', 'disable a user account'],
  'user-remove': ['Removed a user account', 'remove a user account'],
  'api-client-add': ['Added an API client', 'add an API client'],
  'api-client-disable': ['Disabled an API client', 'disable an API client'],
  'add-framework': ['Added an outcomes framework', 'add an outcomes framework'],
  'verify-audit': ['Checked the audit trail', 'check the audit trail'],
  'purge-erased-rows': ['Cleared erased records from the disk', 'clear erased records from the disk'],
  'list-caseload': ['Listed a caseload', 'list a caseload'],
  'list-team-caseload': ['Listed a team’s caseload', 'list a team’s caseload'],
  'list-people-cared-for': ['Listed the people they care for', 'list the people they care for'],
  'read-break-glass-report': ['Looked at the emergency access report', 'look at the emergency access report'],
  'read-erasure-requests': ['Looked at requests to erase records', 'look at requests to erase records'],
};

/** Staff read the same words about "the person" where the person reads "you". */
const forStaff = (words: string): string =>
  words.replace(/\byour\b/g, 'the person’s').replace(/\byou\b/g, 'the person');

/**
 * Every recorded action with a label staff can read, for the audit search's picker and rows: the
 * person's own words about their record in the third person, then the service's own actions.
 */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = Object.fromEntries([
  ...Object.entries(ACTION_WORDS).map(([action, [done]]) => [action, forStaff(done)]),
  ...Object.entries(SERVICE_ACTION_WORDS).map(([action, [done]]) => [action, done]),
]);

/**
 * An audit entry as staff read it in a search: what was done, or what was tried and refused. An
 * action recorded before it had words (or by a newer version) is shown as its code in words.
 */
export function describeAuditActionForStaff(action: string, outcome: string = 'success'): string {
  const personWords = ACTION_WORDS[action];
  const words = personWords
    ? ([forStaff(personWords[0]), forStaff(personWords[1])] as const)
    : SERVICE_ACTION_WORDS[action];
  if (!words) {
    const plain = action.replaceAll('-', ' ');
    const readable = plain.charAt(0).toUpperCase() + plain.slice(1);
    if (outcome === 'denied') return `${readable} (not allowed)`;
    if (outcome === 'failure') return `${readable} (did not succeed)`;
    return readable;
  }
  if (outcome === 'denied') return `Tried to ${words[1]} but was not allowed`;
  if (outcome === 'failure') return `Tried to ${words[1]} but it did not succeed`;
  return words[0];
}

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

// ——— the person's access log ———

export interface AccessLogEntry extends store.AccessLogRow {
  description: string;
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

/** How the access log page shows entries, beyond what the API's query asks for. */
export interface AccessLogView {
  /**
   * Show repeats as one: a change is audited twice (the access check, then the write), and a page
   * that reads the same thing twice in a moment is one look (default false).
   */
  collapseRepeats?: boolean;
}

export const ACCESS_LOG_PAGE_SIZE = 25;

// ——— searching the audit trail ———

export interface AuditSearchEntry extends store.AuditSearchRow {
  description: string;
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
  async accessLog(
    actor: Actor,
    personId: string,
    query: AccessLogQueryInput = {},
    view: AccessLogView = {},
  ): Promise<AccessLog> {
    AccessLogQueryContract.check(query);
    const grant = await this.access.require(actor, personId, 'view', 'read-access-log');
    const page = query.page ?? 1;
    const pageSize = ACCESS_LOG_PAGE_SIZE;
    const upTo = query.upTo || undefined;
    const rows = await store.accessLogRows(this.db, grant, {
      upTo,
      includeOwn: query.includeOwn ?? true,
      collapseRepeats: view.collapseRepeats ?? false,
      limit: pageSize + 1,
      offset: (page - 1) * pageSize,
    });
    return {
      personId,
      page,
      pageSize,
      hasNextPage: rows.length > pageSize,
      upTo: upTo ?? (page === 1 && rows[0] ? rows[0].auditId : null),
      entries: rows
        .slice(0, pageSize)
        .map((r) => ({ ...r, description: describeAuditAction(r.action, r.outcome) })),
    };
  }

  /**
   * Searches the audit trail, newest first, 50 a page. Admins see every entry; a team manager sees
   * the entries of users who are members of a team they manage. The search is itself audited.
   */
  async search(actor: Actor, query: AuditSearchQueryInput): Promise<AuditSearchResult> {
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
    const f = checkFilters(query);

    let personId = f.personId;
    let matchesNobody = false;
    if (f.nhsNumber) {
      const found = await personIdWithNhsNumber(this.db, f.nhsNumber);
      // An NHS number nobody has (or another person's than the id given) matches no entries.
      matchesNobody = !found || (personId !== undefined && personId !== found);
      personId = found ?? personId;
    }

    const scope = isAdmin ? 'all' : 'team';
    const pageSize = AUDIT_SEARCH_PAGE_SIZE;
    if (matchesNobody) {
      await this.recordSearch(actor, null, f.summary);
      return { scope, entries: [], page: f.page, pageSize, hasNextPage: false, upTo: f.upTo ?? null };
    }

    const rows = await store.searchRows(this.db, {
      madeBy: isAdmin ? 'anyone' : { teamIds: managedTeams },
      personId,
      username: f.username,
      action: f.action,
      outcome: f.outcome,
      upTo: f.upTo,
      from: f.from === undefined ? undefined : startOfUkDay(f.from),
      before: f.to === undefined ? undefined : startOfUkDay(nextDay(f.to)),
      limit: pageSize + 1,
      offset: (f.page - 1) * pageSize,
    });
    // Audited once the entries have been read (a search that fails has shown nothing).
    await this.recordSearch(actor, personId ?? null, f.summary);

    return {
      scope,
      page: f.page,
      pageSize,
      hasNextPage: rows.length > pageSize,
      upTo: f.upTo ?? (f.page === 1 && rows[0] ? rows[0].auditId : null),
      entries: rows
        .slice(0, pageSize)
        .map((r) => ({ ...r, description: describeAuditActionForStaff(r.action, r.outcome) })),
    };
  }

  /**
   * Checks the whole audit trail (`AuditService.verify`), for an administrator or an API client
   * the route let in with the audit:verify scope; the check is audited, failed if the trail is broken.
   */
  async verifyTrail(caller: Actor | ApiClient): Promise<AuditVerification> {
    const actor = 'clientId' in caller ? null : caller;
    if (actor && !hasRole(actor, 'admin')) {
      await this.audit.record(actor, {
        action: 'verify-audit',
        resourceType: 'audit_event',
        outcome: 'denied',
      });
      throw forbidden('check the audit trail');
    }
    const result = await this.audit.verify();
    await this.audit.record(actor, {
      action: 'verify-audit',
      resourceType: 'audit_event',
      purpose: actor
        ? 'audit trail check'
        : `audit trail check by API client ${(caller as ApiClient).clientId}`,
      outcome: result.ok ? 'success' : 'failure',
    });
    return result;
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

/**
 * The search's filters from a query: it must keep the contract (400), then blank filters are no
 * filter, an NHS number must pass its check digit and `from` must not come after `to` (422); each
 * refusal names the field.
 */
export function checkFilters(input: unknown): CheckedFilters {
  const query = AuditSearchQueryContract.check(input);
  const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const out: CheckedFilters = { page: query.page ?? 1, summary: '' };
  out.personId = blank(query.personId)?.toLowerCase();
  const nhsNumber = blank(query.nhsNumber);
  if (nhsNumber !== undefined) {
    if (!isValidNhsNumber(nhsNumber)) {
      throw invalid('NHS number must be 10 digits and pass the NHS number check', 'nhsNumber');
    }
    out.nhsNumber = normaliseNhsNumber(nhsNumber) ?? undefined;
  }
  out.username = blank(query.user)?.toLowerCase();
  out.action = blank(query.action);
  out.outcome = query.outcome;
  out.from = blank(query.from);
  out.to = blank(query.to);
  if (out.from && out.to && out.from > out.to) {
    throw invalid('Date from must be the same as or before date to', 'from');
  }
  out.upTo = blank(query.upTo);
  out.summary = [
    out.personId && `person ${out.personId}`,
    out.nhsNumber && `NHS number ${out.nhsNumber}`,
    out.username && `user ${out.username}`,
    out.action && `action ${out.action}`,
    out.outcome && `outcome ${out.outcome}`,
    out.from && `from ${out.from}`,
    out.to && `to ${out.to}`,
    out.page > 1 && `page ${out.page}`,
  ]
    .filter(Boolean)
    .join(', ');
  return out;
}

/** The most a search can page to: a reader who needs older entries narrows the search instead. */
export { MAX_AUDIT_PAGE };
