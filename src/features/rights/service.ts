import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DatabaseKind } from '../../store/database.js';
import {
  PERSON_OWNED_TABLE_LABELS,
  PERSON_OWNED_TABLES,
  type PersonOwnedTable,
} from '../../store/person-owned-tables.js';
import { purgeDeletedRows } from '../../store/purge.js';
import type { DB } from '../../store/schema.js';
import { ERASE_ACTION, USER_REMOVE_ACTION } from '../audit/audit-chain.js';
import type { AuditService } from '../audit/audit-trail.js';
import { describeAuditAction } from '../audit/service.js';
import type { GasReviewScore, OutcomeService, PersonalOutcome } from '../outcomes/service.js';
import {
  type CareTeamMember,
  displayName,
  type PeopleService,
  type RelationshipEntry,
} from '../people/service.js';
import type { PlanService, PlanView } from '../plans/service.js';
import {
  type AccessGrant,
  type PersonAccess,
  type RecordScope,
  systemScope,
} from '../record-access/person-access.js';
import { forgetPersonInRollups } from '../rollups/service.js';
import type { SharingBasis, SharingService } from '../sharing/service.js';
import {
  ErasureConfirmContract,
  type ErasureConfirmInput,
  ErasureDeclineContract,
  type ErasureDeclineInput,
  type ErasureRequest,
  ErasureRequestContract,
  type ErasureRequestInput,
  type ErasureSubject,
  EXPORT_FORMAT,
  type ExportRow,
  type KeptItem,
  type PersonExport,
  type RectificationRequest,
  RectificationRequestContract,
  type RectificationRequestInput,
  RectificationResolutionContract,
  type RectificationResolutionInput,
} from './schema.js';
import * as store from './store.js';

/**
 * The person's rights over their record (UK GDPR Articles 15 to 17): to get a copy of everything
 * held about them (export), to have it corrected (rectification), and to have it erased where the
 * law allows. Who may do each is the one access rule's (`export`, `contribute`, `manage`,
 * `request-erasure`), applied by PersonAccess; administrators decide on erasure. Every step is
 * audited.
 */

export interface RightsRequests {
  rectification: RectificationRequest[];
  erasure: ErasureRequest[];
}

/** The person a request is about, as a page about the request names them. */
export interface PersonNamed {
  personId: string;
  name: string;
  givenName: string;
}

/** What a page needs to offer a form about the person's record: who, and what the reader may do. */
export interface RequestFormContext {
  person: PersonNamed;
  grant: AccessGrant;
}

/** The same read as the export, with the record's parts as the rest of the service shows them: for the printable page. */
export interface ReadableExport {
  data: PersonExport;
  grant: AccessGrant;
  careTeam: CareTeamMember[];
  circle: RelationshipEntry[];
  sharing: SharingBasis[];
  outcomes: PersonalOutcome[];
  gasScores: GasReviewScore[];
  plan: PlanView;
  requests: RightsRequests;
}

/** What an erasure will delete and keep, for the administrator to see before confirming. */
export interface ErasurePreview {
  request: ErasureRequest;
  /** Whose record it is, so the decision is made about the right person. */
  subject: ErasureSubject;
  /** Rows that will be deleted, per table (tables with none left out). */
  rows: { table: PersonOwnedTable; what: string; count: number }[];
  /** User accounts that will be removed with the record (the person's own sign-in). */
  linkedAccounts: number;
  /** Audit trail entries about the person, which are kept. */
  auditEntries: number;
  kept: KeptItem[];
}

export interface ErasureResult {
  personId: string;
  erasedAt: string;
  rowsDeleted: number;
  kept: string;
}

/** What an erasure keeps and why, as shown before confirming and written to the erasure record. */
export function keptAfterErasure(auditEntries: number): KeptItem[] {
  return [
    {
      what: `The audit trail: ${auditEntries} ${auditEntries === 1 ? 'entry' : 'entries'} saying who looked at or changed the record, when, and the purpose they gave.`,
      why: 'They hold ids rather than the record’s contents. They are kept for accountability (UK GDPR Article 5(2)) and because they are the evidence of who accessed the record; the audit trail is a hash chain, so deleting them would also break it.',
    },
    {
      what: 'This erasure record: the person id, when erasure was asked for and carried out, who carried it out, the grounds given, and this list.',
      why: 'To show that the erasure happened and why, if anyone later asks (UK GDPR Article 5(2) and Article 19).',
    },
    {
      what: 'The person’s WhatMatters sign-in, if they have one, no longer linked to any record.',
      why: 'It belongs to the user account, not the record; an administrator can remove it separately.',
    },
  ];
}

const keptText = (items: KeptItem[]) => items.map((k) => `${k.what} Why: ${k.why}`).join('\n');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Text the contract let through (at most 4,000 characters), trimmed; text of only spaces is no
 * text, refused with a 422 naming the field.
 */
function saidSomething(value: string, field: string, missing: string): string {
  const text = value.trim();
  if (!text) throw invalid(missing, field);
  return text;
}

const alreadyDecided = () =>
  new ServiceError(409, 'Already decided', 'That request has already been decided.');

/** The ids of one kind in an export's rows: columns ending in `suffix`, or exactly `suffix`. */
function idsIn(tables: Record<PersonOwnedTable, ExportRow[]>, suffix: string, exact = false): string[] {
  const found = new Set<string>();
  for (const rows of Object.values(tables)) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === 'string' && (exact ? column === suffix : column.endsWith(suffix)))
          found.add(value);
      }
    }
  }
  return [...found];
}

export class RightsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
    private readonly people: PeopleService,
    private readonly sharing: SharingService,
    private readonly outcomes: OutcomeService,
    private readonly plans: PlanService,
    /** Which engine: erasure rewrites tables on the embedded database only (`purgeDeletedRows`). */
    private readonly databaseKind: DatabaseKind,
  ) {}

  private async requireAdmin(actor: Actor, action: string, personId: string | null = null): Promise<void> {
    if (hasRole(actor, 'admin')) return;
    await this.audit.record(actor, {
      action,
      resourceType: 'erasure_request',
      personId: personId && UUID.test(personId) ? personId : null,
      outcome: 'denied',
    });
    throw forbidden('decide on requests to erase records');
  }

  // ——— export ———

  /** Everything held about the person, as JSON: the person themselves and their care team. */
  async exportRecord(actor: Actor, personId: string): Promise<PersonExport> {
    const grant = await this.access.require(actor, personId, 'export', 'export-record');
    return this.collect(grant);
  }

  /** The same read, with the record's parts shaped for the printable page. */
  async readableExport(actor: Actor, personId: string): Promise<ReadableExport> {
    const grant = await this.access.require(actor, personId, 'export', 'export-record');
    const data = await this.collect(grant);
    // The export's check above covers these reads of the same record.
    const [careTeam, circle, sharing, outcomes, gasScores, plan, requests] = await Promise.all([
      this.people.careTeamWithin(grant),
      this.people.relationshipsWithin(grant),
      this.sharing.basesWithin(grant),
      this.outcomes.ofRecord(grant),
      this.outcomes.gasScoresOf(grant),
      this.plans.planOf(grant),
      this.requestsWithin(grant),
    ]);
    return { data, grant, careTeam, circle, sharing, outcomes, gasScores, plan, requests };
  }

  private async collect(scope: RecordScope): Promise<PersonExport> {
    const tables = {} as Record<PersonOwnedTable, ExportRow[]>;
    // Parents first, so the export reads from the person outwards.
    for (const table of [...PERSON_OWNED_TABLES].reverse()) {
      tables[table] = await store.rowsOf(this.db, scope, table);
    }
    if (!tables.person.length) throw notFound('That person');
    const [audit, names] = await Promise.all([
      store.auditTrailOf(this.db, scope),
      store.namesFor(this.db, {
        users: idsIn(tables, 'user_id'),
        organisations: idsIn(tables, 'organisation_id', true),
        teams: idsIn(tables, 'team_id', true),
        outcomeDomains: idsIn(tables, 'domain_id', true),
        outcomeFrameworks: idsIn(tables, 'framework_id', true),
      }),
    ]);
    return {
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      personId: scope.personId,
      tables,
      names,
      accessLog: audit.map((e) => ({
        occurredAt: e.occurred_at.toISOString(),
        who: e.actor_user_id ? (e.display_name ?? 'A user who has since been removed') : null,
        action: e.action,
        description: describeAuditAction(e.action, e.outcome),
        purpose: e.purpose,
        outcome: e.outcome,
      })),
    };
  }

  // ——— requests: reading ———

  /** Requests to correct or erase the record: anyone who may view it. */
  async listRequests(actor: Actor, personId: string): Promise<RightsRequests> {
    const grant = await this.access.require(actor, personId, 'view', 'read-rights-requests');
    return this.requestsWithin(grant);
  }

  /**
   * The requests, within a scope the caller's own access check produced (a page that read the
   * record and audited that read): part of the same read, so not audited again.
   */
  async requestsWithin(scope: RecordScope): Promise<RightsRequests> {
    const [rectification, erasure] = await Promise.all([
      store.rectificationRequestsOf(this.db, scope),
      store.erasureRequestsOf(this.db, scope),
    ]);
    return { rectification, erasure };
  }

  private async personNamed(scope: RecordScope): Promise<PersonNamed> {
    const row = await store.personNameOf(this.db, scope);
    if (!row) throw notFound('That person');
    return { personId: scope.personId, name: displayName(row), givenName: row.given_name };
  }

  /** For the form asking for a correction: the person, a carer they let add to the record, or the care team. */
  async rectificationForm(actor: Actor, personId: string): Promise<RequestFormContext> {
    const grant = await this.access.require(actor, personId, 'contribute', 'read-person');
    return { person: await this.personNamed(grant), grant };
  }

  /** For the form asking for erasure: the person, or their care team on their behalf. */
  async erasureForm(actor: Actor, personId: string): Promise<RequestFormContext> {
    const grant = await this.access.require(actor, personId, 'request-erasure', 'read-person');
    return { person: await this.personNamed(grant), grant };
  }

  /** One request to correct the record, for the care team to answer: 404 when there is none. */
  async rectificationToAnswer(
    actor: Actor,
    personId: string,
    requestId: string,
  ): Promise<{ person: PersonNamed; request: RectificationRequest }> {
    const grant = await this.access.require(actor, personId, 'manage', 'read-rights-requests');
    const request = (await store.rectificationRequestsOf(this.db, grant)).find(
      (r) => r.requestId === requestId,
    );
    if (!request) throw notFound('That request');
    return { person: await this.personNamed(grant), request };
  }

  // ——— rectification ———

  /**
   * The person, or a carer they have let add to their record, says what is wrong and what it
   * should say. The care team may record a request the person made to them (a request need not be
   * in writing), which then shows as made on the person's behalf. Anyone else: PersonAccess's 404.
   */
  async requestRectification(
    actor: Actor,
    personId: string,
    input: RectificationRequestInput,
  ): Promise<string> {
    RectificationRequestContract.check(input);
    const grant = await this.access.require(actor, personId, 'contribute', 'request-rectification');
    const whatIsWrong = saidSomething(input.whatIsWrong, 'whatIsWrong', 'Say what is wrong in the record.');
    const requestId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await store.insertRectificationRequest(trx, grant, {
        requestId,
        whatIsWrong,
        whatItShouldSay: input.whatItShouldSay?.trim() ?? '',
        requestedBy: actor.userId,
      });
      await this.audit.record(
        actor,
        {
          action: 'request-rectification',
          resourceType: 'rectification_request',
          resourceId: requestId,
          personId,
        },
        trx,
      );
    });
    return requestId;
  }

  /**
   * The care team answers a request: corrected (saying what was changed) or declined (saying why,
   * which the person sees). A request is answered once.
   */
  async resolveRectification(
    actor: Actor,
    personId: string,
    requestId: string,
    input: RectificationResolutionInput,
  ): Promise<void> {
    RectificationResolutionContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'resolve-rectification');
    const response = saidSomething(
      input.response,
      'response',
      input.outcome === 'declined'
        ? 'Say why the record will not be changed: the person will see it.'
        : 'Say what was corrected: the person will see it.',
    );
    if (!UUID.test(requestId)) throw notFound('That request');
    await this.db.transaction().execute(async (trx) => {
      const status = await store.lockRequestStatus(trx, 'rectification_request', grant, requestId);
      if (status === null) throw notFound('That request');
      if (status !== 'open') {
        throw new ServiceError(409, 'Already answered', 'That request has already been answered.');
      }
      await store.resolveRectificationRequest(trx, grant, requestId, {
        status: input.outcome,
        response,
        resolvedBy: actor.userId,
      });
      await this.audit.record(
        actor,
        {
          action: 'resolve-rectification',
          resourceType: 'rectification_request',
          resourceId: requestId,
          personId,
          purpose: `rectification ${input.outcome}`,
        },
        trx,
      );
    });
  }

  // ——— erasure ———

  /** The person, or their care team on their behalf, asks for the record to be erased, with grounds. */
  async requestErasure(actor: Actor, personId: string, input: ErasureRequestInput): Promise<string> {
    ErasureRequestContract.check(input);
    const grant = await this.access.require(actor, personId, 'request-erasure', 'request-erasure');
    const grounds = saidSomething(input.grounds, 'grounds', 'Say why the record should be erased.');
    const requestId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      if (await store.hasOpenErasureRequest(trx, grant)) {
        throw new ServiceError(
          409,
          'Already asked',
          'A request to erase this record is already waiting for a decision.',
          'grounds',
        );
      }
      await store.insertErasureRequest(trx, grant, { requestId, grounds, requestedBy: actor.userId });
      await this.audit.record(
        actor,
        { action: 'request-erasure', resourceType: 'erasure_request', resourceId: requestId, personId },
        trx,
      );
    });
    return requestId;
  }

  /** Requests waiting for a decision, oldest first: administrators only. */
  async openErasureRequests(actor: Actor): Promise<ErasureRequest[]> {
    await this.requireAdmin(actor, 'read-erasure-requests');
    const requests = await store.openErasureRequests(this.db);
    await this.audit.record(actor, {
      action: 'read-erasure-requests',
      resourceType: 'erasure_request',
      purpose: 'deciding on requests to erase records (UK GDPR Article 17)',
    });
    return requests;
  }

  /** One request, with exactly what erasure would delete and keep: administrators only. */
  async erasurePreview(actor: Actor, personId: string, requestId: string): Promise<ErasurePreview> {
    await this.requireAdmin(actor, 'read-erasure-request', personId);
    const { scope, request } = await this.openErasureRequest(personId, requestId);
    const rows: ErasurePreview['rows'] = [];
    for (const table of [...PERSON_OWNED_TABLES].reverse()) {
      const count = await store.countOf(this.db, scope, table);
      if (count) rows.push({ table, what: PERSON_OWNED_TABLE_LABELS[table], count });
    }
    const linkedAccounts = await store.linkedAccountsOf(this.db, scope);
    const subject = await store.erasureSubjectOf(this.db, scope);
    const auditEntries = await store.countOf(this.db, scope, 'audit_event');
    await this.audit.record(actor, {
      action: 'read-erasure-request',
      resourceType: 'erasure_request',
      resourceId: requestId,
      personId,
      purpose: 'deciding on a request to erase the record (UK GDPR Article 17)',
    });
    return { request, subject, rows, linkedAccounts, auditEntries, kept: keptAfterErasure(auditEntries) };
  }

  /** Declines a request, with the reason (the person sees it). */
  async declineErasure(
    actor: Actor,
    personId: string,
    requestId: string,
    input: ErasureDeclineInput,
  ): Promise<void> {
    ErasureDeclineContract.check(input);
    await this.requireAdmin(actor, 'decline-erasure', personId);
    const reason = saidSomething(
      input.reason,
      'reason',
      'Say why the record cannot be erased: the person will see it.',
    );
    const { scope } = await this.openErasureRequest(personId, requestId);
    await this.db.transaction().execute(async (trx) => {
      const declined = await store.declineOpenErasureRequest(trx, scope, requestId, {
        reason,
        decidedBy: actor.userId,
      });
      if (!declined) throw alreadyDecided();
      await this.audit.record(
        actor,
        { action: 'decline-erasure', resourceType: 'erasure_request', resourceId: requestId, personId },
        trx,
      );
    });
  }

  /**
   * Erases the record, in one transaction: every person-owned row for the person is deleted
   * (children first), the person's own sign-in is removed, and an erasure record says what was kept
   * and why. Any failure leaves everything as it was. `confirm` must be true: the administrator
   * has seen what will be kept.
   */
  async erase(
    actor: Actor,
    personId: string,
    requestId: string,
    input: ErasureConfirmInput,
  ): Promise<ErasureResult> {
    ErasureConfirmContract.check(input);
    await this.requireAdmin(actor, 'erase-person', personId);
    const { scope, request } = await this.openErasureRequest(personId, requestId);
    // Everything below uses the transaction only: the embedded database has one connection.
    const result = await this.db.transaction().execute(async (trx) => {
      const status = await store.lockRequestStatus(trx, 'erasure_request', scope, requestId);
      if (status !== 'open') throw alreadyDecided();
      const auditEntries = await store.countOf(trx, scope, 'audit_event');
      const kept = keptText(keptAfterErasure(auditEntries));
      const erasedAt = new Date();
      const { rowsDeleted, accountIds } = await store.eraseRecord(trx, scope, {
        requestedAt: new Date(request.requestedAt),
        erasedAt,
        erasedBy: actor.userId,
        grounds: request.grounds,
        kept,
      });
      // Free text in the trail about the person (break-glass reasons, search filters) goes too, and
      // the addresses their own sign-in used; each removed account is on the trail, as `user
      // remove` puts it, so verification knows why its entries were redacted.
      for (const userId of accountIds) {
        await this.audit.record(
          actor,
          {
            action: USER_REMOVE_ACTION,
            resourceType: 'user_account',
            resourceId: userId,
            personId,
            purpose: 'erasure',
          },
          trx,
        );
      }
      // The person's last contribution to the rollups is subtracted and deleted, with their mark,
      // before this commits: nothing keyed by their id is left for a worker to find later.
      await forgetPersonInRollups(trx, personId);
      await this.audit.redactAbout(trx, { personId, accountIds });
      await this.audit.record(
        actor,
        {
          action: ERASE_ACTION,
          resourceType: 'person',
          resourceId: personId,
          personId,
          purpose: `erasure request ${requestId} (UK GDPR Article 17)`,
        },
        trx,
      );
      return { personId, erasedAt: erasedAt.toISOString(), rowsDeleted, kept };
    });
    await this.purgeErased(actor, personId);
    return result;
  }

  /**
   * After the erasing transaction: the deleted rows leave the database files too, as far as the
   * engine allows (`purgeDeletedRows`). The erasure stands whatever happens here; a failure is
   * audited so an administrator can run it again (VACUUM) rather than being told erasure failed.
   */
  private async purgeErased(actor: Actor, personId: string): Promise<void> {
    const tables = [
      ...PERSON_OWNED_TABLES,
      'rollup_dirty',
      'rollup_contribution',
      'audit_event',
      'user_account',
      'user_role',
      'user_session',
    ] as const;
    try {
      const done = await purgeDeletedRows(this.db, this.databaseKind, tables);
      await this.audit.record(actor, {
        action: 'purge-erased-rows',
        resourceType: 'person',
        resourceId: personId,
        personId,
        purpose: `VACUUM ${done.vacuum === 'full' ? 'FULL ' : ''}of ${tables.length} tables${done.walCleared ? ', write-ahead log switched and checkpointed' : ''}`,
      });
    } catch (error) {
      await this.audit.record(actor, {
        action: 'purge-erased-rows',
        resourceType: 'person',
        resourceId: personId,
        personId,
        purpose: `could not vacuum after erasure: ${(error as Error).message}`.slice(0, 500),
        outcome: 'failure',
      });
    }
  }

  /**
   * An open erasure request, or 404 (malformed ids included) or 409 (already decided), with the
   * scope an administrator's decision gives over the record.
   */
  private async openErasureRequest(
    personId: string,
    requestId: string,
  ): Promise<{ scope: RecordScope; request: ErasureRequest }> {
    if (!UUID.test(personId) || !UUID.test(requestId)) throw notFound('That request');
    const scope = systemScope(personId, 'an administrator deciding on a request to erase the record');
    const request = await store.erasureRequestOf(this.db, scope, requestId);
    if (!request) throw notFound('That request');
    if (request.status !== 'open') throw alreadyDecided();
    return { scope, request };
  }
}
