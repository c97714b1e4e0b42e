import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { describeAuditAction } from '../audit/service.js';
import type { GasReviewScore, OutcomeService, PersonalOutcome } from '../outcomes/service.js';
import type { CareTeamMember, PeopleService, RelationshipEntry } from '../people/service.js';
import type { PlanService, PlanView } from '../plans/service.js';
import { type PersonAccess, type Relation, systemScope } from '../record-access/person-access.js';
import type { SharingBasis, SharingService } from '../sharing/service.js';

/**
 * The person's rights over their record (UK GDPR Articles 15 to 17): to get a copy of everything
 * held about them (export), to have it corrected (rectification), and to have it erased where the
 * law allows. Who may do each is decided here, on top of PersonAccess (the one rule of who is
 * related to a record); every step is audited.
 */

/** The version of the export's shape. Change it when a field's meaning changes. */
export const EXPORT_FORMAT = 'whatmatters-person-export/1';

/**
 * Every table holding rows about one person, children before parents: the order erasure deletes
 * them in (each foreign key points from a table to one later in the list). Three other tables
 * carry person_id and are not here on purpose: `audit_event` (kept: the record of who accessed the
 * record), `erasure_record` (kept: the proof of erasure), and `user_account` (a person's sign-in,
 * unlinked from the record on erasure).
 */
export const PERSON_OWNED_TABLES = [
  'plan_comment',
  'care_plan_version',
  'gas_attainment',
  'gas_goal',
  'outcome_rating',
  'personal_outcome_domain',
  'personal_outcome',
  'conversation_participant',
  'conversation',
  'care_team_member',
  'relationship',
  'sharing_basis',
  'break_glass_grant',
  'rectification_request',
  'erasure_request',
  'person_nhs_number',
  'person',
] as const satisfies readonly (keyof DB)[];
export type PersonOwnedTable = (typeof PERSON_OWNED_TABLES)[number];

/** Tables with a person_id that erasure does not delete from, and why. */
export const TABLES_KEPT_OR_UNLINKED = ['audit_event', 'erasure_record', 'user_account'] as const;

export type RectificationStatus = 'open' | 'corrected' | 'declined';
export type ErasureStatus = 'open' | 'erased' | 'declined';

export interface RectificationRequest {
  requestId: string;
  personId: string;
  whatIsWrong: string;
  whatItShouldSay: string;
  requestedBy: string;
  /** The person asked themselves (rather than a carer on their behalf). */
  requestedByThePerson: boolean;
  requestedAt: string;
  status: RectificationStatus;
  /** What was corrected, or why the record was not changed. */
  response: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

export interface ErasureRequest {
  requestId: string;
  personId: string;
  grounds: string;
  requestedBy: string;
  requestedByThePerson: boolean;
  requestedAt: string;
  status: ErasureStatus;
  /** Why it was declined. */
  decision: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface RightsRequests {
  rectification: RectificationRequest[];
  erasure: ErasureRequest[];
}

/** One entry of the audit trail about the person, as the export shows it. */
export interface AccessLogItem {
  occurredAt: string;
  /** The display name of who did it; null when no signed-in user did. */
  who: string | null;
  action: string;
  description: string;
  purpose: string | null;
  outcome: string;
}

export type ExportRow = Record<string, unknown>;

/** Everything held about one person, machine-readable. */
export interface PersonExport {
  format: string;
  exportedAt: string;
  personId: string;
  /** Every person-owned table's rows for the person, parents first. */
  tables: Record<PersonOwnedTable, ExportRow[]>;
  /** Names for the ids in the rows: users, organisations, teams, outcome domains and frameworks. */
  names: {
    users: Record<string, string>;
    organisations: Record<string, string>;
    teams: Record<string, string>;
    outcomeDomains: Record<string, string>;
    outcomeFrameworks: Record<string, string>;
  };
  /** Who looked at or changed the record, when and why (the audit trail), oldest first. */
  accessLog: AccessLogItem[];
}

/** The same, with the record's parts as the rest of the service shows them: for the printable page. */
export interface ReadableExport {
  data: PersonExport;
  relation: Relation;
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
  /** Rows that will be deleted, per table (tables with none left out). */
  rows: { table: PersonOwnedTable; count: number }[];
  /** User accounts that will be unlinked from the record (the person's own sign-in). */
  linkedAccounts: number;
  /** Audit trail entries about the person, which are kept. */
  auditEntries: number;
  kept: KeptItem[];
}

export interface KeptItem {
  what: string;
  why: string;
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

/** What the actions of this service mean, for the export's list of who did what. */
const RIGHTS_ACTIONS: Readonly<Record<string, string>> = {
  'export-record': 'Exported the whole record',
  'request-rectification': 'Asked for the record to be corrected',
  'resolve-rectification': 'Answered a request to correct the record',
  'read-rights-requests': 'Looked at requests to correct or erase the record',
  'request-erasure': 'Asked for the record to be erased',
  'read-erasure-request': 'Reviewed a request to erase the record',
  'decline-erasure': 'Declined a request to erase the record',
  'erase-person': 'Erased the record',
};

const describeAction = (action: string, outcome: string) =>
  outcome === 'success' && RIGHTS_ACTIONS[action]
    ? RIGHTS_ACTIONS[action]
    : describeAuditAction(action, outcome);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 4000;

/** Trimmed text, required and at most 4,000 characters, or a 422 naming the field. */
function requiredText(value: string | undefined, field: string, missing: string): string {
  const text = value?.trim() ?? '';
  if (!text) throw invalid(missing, field);
  if (text.length > MAX_TEXT) throw invalid('Keep this to 4,000 characters or fewer.', field);
  return text;
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
  ) {}

  /**
   * PersonAccess's rule, narrowed to some kinds of relation. A reader of another kind (a carer,
   * say, for an export) is refused with 403 and the refusal audited; anyone with no relation gets
   * PersonAccess's 404.
   */
  private async requireAs(
    actor: Actor,
    personId: string,
    need: 'view' | 'contribute' | 'manage',
    action: string,
    kinds: readonly Relation['kind'][],
    refusal: string,
  ): Promise<Relation> {
    const relation = await this.access.relationTo(actor, personId);
    if (relation && !kinds.includes(relation.kind)) {
      await this.audit.record(actor, {
        action,
        resourceType: 'person',
        resourceId: personId,
        personId,
        outcome: 'denied',
      });
      throw new ServiceError(403, 'Not allowed', refusal);
    }
    return (await this.access.require(actor, personId, need, action)).relation;
  }

  private async requireAdmin(actor: Actor, action: string, personId: string | null = null): Promise<void> {
    if (hasRole(actor, 'admin')) return;
    await this.audit.record(actor, {
      action,
      resourceType: 'erasure_request',
      personId,
      outcome: 'denied',
    });
    throw forbidden('decide on requests to erase records');
  }

  // ——— export ———

  private requireExport(actor: Actor, personId: string): Promise<Relation> {
    return this.requireAs(
      actor,
      personId,
      'view',
      'export-record',
      ['self', 'care-team'],
      'Only the person and their care team can export the whole record.',
    );
  }

  /** Everything held about the person, as JSON: the person themselves and their care team. */
  async exportRecord(actor: Actor, personId: string): Promise<PersonExport> {
    await this.requireExport(actor, personId);
    return this.collect(personId);
  }

  /** The same read, with the record's parts shaped for the printable page. */
  async readableExport(actor: Actor, personId: string): Promise<ReadableExport> {
    const relation = await this.requireExport(actor, personId);
    const data = await this.collect(personId);
    const [careTeam, circle, sharing, outcomes, gasScores, plan, requests] = await Promise.all([
      this.people.careTeamWithin(systemScope(personId, 'export')),
      this.people.relationshipsWithin(systemScope(personId, 'export')),
      this.sharing.basesWithin(systemScope(personId, 'export')),
      this.outcomes.ofRecord({ personId }),
      this.outcomes.gasScoresOf({ personId }),
      this.plans.planOf(systemScope(personId, 'export')),
      this.loadRequests(personId),
    ]);
    return { data, relation, careTeam, circle, sharing, outcomes, gasScores, plan, requests };
  }

  private async collect(personId: string): Promise<PersonExport> {
    const tables = {} as Record<PersonOwnedTable, ExportRow[]>;
    // Parents first, so the export reads from the person outwards.
    for (const table of [...PERSON_OWNED_TABLES].reverse()) {
      const result =
        await sql<ExportRow>`select * from ${sql.table(table)} where person_id = ${personId}`.execute(
          this.db,
        );
      tables[table] = result.rows;
    }
    if (!tables.person.length) throw notFound('That person');
    const ids = (suffix: string, exact = false) => {
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
    };
    const audit = await this.db
      .selectFrom('audit_event as e')
      .leftJoin('user_account as u', 'u.user_id', 'e.actor_user_id')
      .select(['e.occurred_at', 'e.action', 'e.purpose', 'e.outcome', 'e.actor_user_id', 'u.display_name'])
      .where('e.person_id', '=', personId)
      .orderBy('e.audit_id')
      .execute();
    const userIds = ids('user_id');
    const organisationIds = ids('organisation_id', true);
    const teamIds = ids('team_id', true);
    const domainIds = ids('domain_id', true);
    const frameworkIds = ids('framework_id', true);
    const [users, organisations, teams, domains, frameworks] = await Promise.all([
      userIds.length
        ? this.db
            .selectFrom('user_account')
            .select(['user_id as id', 'display_name as name'])
            .where('user_id', 'in', userIds)
            .execute()
        : [],
      organisationIds.length
        ? this.db
            .selectFrom('organisation')
            .select(['organisation_id as id', 'name'])
            .where('organisation_id', 'in', organisationIds)
            .execute()
        : [],
      teamIds.length
        ? this.db
            .selectFrom('team')
            .select(['team_id as id', 'name'])
            .where('team_id', 'in', teamIds)
            .execute()
        : [],
      domainIds.length
        ? this.db
            .selectFrom('outcome_domain')
            .select(['domain_id as id', 'name'])
            .where('domain_id', 'in', domainIds)
            .execute()
        : [],
      frameworkIds.length
        ? this.db
            .selectFrom('outcome_framework')
            .select(['framework_id as id', sql<string>`name || ', version ' || version`.as('name')])
            .where('framework_id', 'in', frameworkIds)
            .execute()
        : [],
    ]);
    const byId = (rows: { id: string; name: string }[]) =>
      Object.fromEntries(rows.map((r) => [r.id, r.name]));
    return {
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      personId,
      tables,
      names: {
        users: byId(users),
        organisations: byId(organisations),
        teams: byId(teams),
        outcomeDomains: byId(domains),
        outcomeFrameworks: byId(frameworks),
      },
      accessLog: audit.map((e) => ({
        occurredAt: e.occurred_at.toISOString(),
        who: e.actor_user_id ? (e.display_name ?? 'A user who has since been removed') : null,
        action: e.action,
        description: describeAction(e.action, e.outcome),
        purpose: e.purpose,
        outcome: e.outcome,
      })),
    };
  }

  // ——— requests: reading ———

  /** Requests to correct or erase the record: anyone who may view it. */
  async listRequests(actor: Actor, personId: string): Promise<RightsRequests> {
    await this.access.require(actor, personId, 'view', 'read-rights-requests');
    return this.loadRequests(personId);
  }

  /** Reads without an access check or audit: for pages that already checked and audited the read. */
  async loadRequests(personId: string): Promise<RightsRequests> {
    const [rectification, erasure] = await Promise.all([
      this.db
        .selectFrom('rectification_request as r')
        .leftJoin('user_account as q', 'q.user_id', 'r.requested_by_user_id')
        .leftJoin('user_account as s', 's.user_id', 'r.resolved_by_user_id')
        .select([
          'r.person_id',
          'r.request_id',
          'r.what_is_wrong',
          'r.what_it_should_say',
          'r.requested_at',
          'r.status',
          'r.response',
          'r.resolved_at',
          'q.display_name as requested_by',
          'q.person_id as requester_person_id',
          's.display_name as resolved_by',
        ])
        .where('r.person_id', '=', personId)
        .orderBy('r.requested_at', 'desc')
        .execute(),
      this.erasureRequestQuery(this.db)
        .where('r.person_id', '=', personId)
        .orderBy('r.requested_at', 'desc')
        .execute(),
    ]);
    return {
      rectification: rectification.map((r) => ({
        requestId: r.request_id,
        personId: r.person_id,
        whatIsWrong: r.what_is_wrong,
        whatItShouldSay: r.what_it_should_say,
        requestedBy: r.requested_by ?? 'A user who has since been removed',
        requestedByThePerson: r.requester_person_id === r.person_id,
        requestedAt: r.requested_at.toISOString(),
        status: r.status as RectificationStatus,
        response: r.response,
        resolvedBy: r.resolved_by,
        resolvedAt: r.resolved_at?.toISOString() ?? null,
      })),
      erasure: erasure.map(erasureRequestOf),
    };
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
    input: { whatIsWrong: string; whatItShouldSay?: string },
  ): Promise<string> {
    await this.access.require(actor, personId, 'contribute', 'request-rectification');
    const whatIsWrong = requiredText(input.whatIsWrong, 'whatIsWrong', 'Say what is wrong in the record.');
    const whatItShouldSay = input.whatItShouldSay?.trim() ?? '';
    if (whatItShouldSay.length > MAX_TEXT)
      throw invalid('Keep this to 4,000 characters or fewer.', 'whatItShouldSay');
    const requestId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('rectification_request')
        .values({
          person_id: personId,
          request_id: requestId,
          what_is_wrong: whatIsWrong,
          what_it_should_say: whatItShouldSay,
          requested_by_user_id: actor.userId,
        })
        .execute();
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
    input: { outcome: 'corrected' | 'declined'; response: string },
  ): Promise<void> {
    await this.access.require(actor, personId, 'manage', 'resolve-rectification');
    if (input.outcome !== 'corrected' && input.outcome !== 'declined') {
      throw invalid('Say whether the record was corrected or the request declined.', 'outcome');
    }
    const response = requiredText(
      input.response,
      'response',
      input.outcome === 'declined'
        ? 'Say why the record will not be changed: the person will see it.'
        : 'Say what was corrected: the person will see it.',
    );
    if (!UUID.test(requestId)) throw notFound('That request');
    await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('rectification_request')
        .select('status')
        .where('person_id', '=', personId)
        .where('request_id', '=', requestId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound('That request');
      if (current.status !== 'open') {
        throw new ServiceError(409, 'Already answered', 'That request has already been answered.');
      }
      await trx
        .updateTable('rectification_request')
        .set({ status: input.outcome, response, resolved_by_user_id: actor.userId, resolved_at: new Date() })
        .where('person_id', '=', personId)
        .where('request_id', '=', requestId)
        .execute();
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
  async requestErasure(actor: Actor, personId: string, input: { grounds: string }): Promise<string> {
    await this.requireAs(
      actor,
      personId,
      'contribute',
      'request-erasure',
      ['self', 'care-team'],
      'Only the person, or their care team on their behalf, can ask for the record to be erased.',
    );
    const grounds = requiredText(input.grounds, 'grounds', 'Say why the record should be erased.');
    const requestId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      const open = await trx
        .selectFrom('erasure_request')
        .select('request_id')
        .where('person_id', '=', personId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (open) {
        throw new ServiceError(
          409,
          'Already asked',
          'A request to erase this record is already waiting for a decision.',
          'grounds',
        );
      }
      await trx
        .insertInto('erasure_request')
        .values({ person_id: personId, request_id: requestId, grounds, requested_by_user_id: actor.userId })
        .execute();
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
    const rows = await this.erasureRequestQuery(this.db)
      .where('r.status', '=', 'open')
      .orderBy('r.requested_at')
      .execute();
    await this.audit.record(actor, {
      action: 'read-erasure-requests',
      resourceType: 'erasure_request',
      purpose: 'deciding on requests to erase records (UK GDPR Article 17)',
    });
    return rows.map(erasureRequestOf);
  }

  /** One request, with exactly what erasure would delete and keep: administrators only. */
  async erasurePreview(actor: Actor, personId: string, requestId: string): Promise<ErasurePreview> {
    await this.requireAdmin(actor, 'read-erasure-request', UUID.test(personId) ? personId : null);
    const request = await this.findErasureRequest(personId, requestId);
    const rows: { table: PersonOwnedTable; count: number }[] = [];
    for (const table of [...PERSON_OWNED_TABLES].reverse()) {
      const count = await countFor(this.db, table, personId);
      if (count) rows.push({ table, count });
    }
    const linked = await this.db
      .selectFrom('user_account')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    const auditEntries = await countFor(this.db, 'audit_event', personId);
    await this.audit.record(actor, {
      action: 'read-erasure-request',
      resourceType: 'erasure_request',
      resourceId: requestId,
      personId,
      purpose: 'deciding on a request to erase the record (UK GDPR Article 17)',
    });
    return {
      request,
      rows,
      linkedAccounts: Number(linked.n),
      auditEntries,
      kept: keptAfterErasure(auditEntries),
    };
  }

  /** Declines a request, with the reason (the person sees it). */
  async declineErasure(actor: Actor, personId: string, requestId: string, reason: string): Promise<void> {
    await this.requireAdmin(actor, 'decline-erasure', UUID.test(personId) ? personId : null);
    const decision = requiredText(
      reason,
      'reason',
      'Say why the record cannot be erased: the person will see it.',
    );
    await this.findErasureRequest(personId, requestId);
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('erasure_request')
        .set({ status: 'declined', decision, decided_by_user_id: actor.userId, decided_at: new Date() })
        .where('person_id', '=', personId)
        .where('request_id', '=', requestId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw new ServiceError(409, 'Already decided', 'That request has already been decided.');
      }
      await this.audit.record(
        actor,
        { action: 'decline-erasure', resourceType: 'erasure_request', resourceId: requestId, personId },
        trx,
      );
    });
  }

  /**
   * Erases the record, in one transaction: every person-owned row for the person is deleted
   * (children first), the person's sign-in is unlinked, and an erasure record says what was kept
   * and why. Any failure leaves everything as it was. `confirm` must be true: the administrator
   * has seen what will be kept.
   */
  async erase(actor: Actor, personId: string, requestId: string, confirm: boolean): Promise<ErasureResult> {
    await this.requireAdmin(actor, 'erase-person', UUID.test(personId) ? personId : null);
    const request = await this.findErasureRequest(personId, requestId);
    if (confirm !== true) {
      throw invalid('Confirm that you have read what will be erased and what will be kept.', 'confirm');
    }
    // Everything below uses the transaction only: the embedded database has one connection.
    return this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('erasure_request')
        .select('status')
        .where('person_id', '=', personId)
        .where('request_id', '=', requestId)
        .forUpdate()
        .executeTakeFirst();
      if (current?.status !== 'open') {
        throw new ServiceError(409, 'Already decided', 'That request has already been decided.');
      }
      const auditEntries = await countFor(trx, 'audit_event', personId);
      const kept = keptText(keptAfterErasure(auditEntries));
      let rowsDeleted = 0;
      for (const table of PERSON_OWNED_TABLES) {
        const result = await sql`delete from ${sql.table(table)} where person_id = ${personId}`.execute(trx);
        rowsDeleted += Number(result.numAffectedRows ?? 0);
      }
      await trx
        .updateTable('user_account')
        .set({ person_id: null })
        .where('person_id', '=', personId)
        .execute();
      const erasedAt = new Date();
      await trx
        .insertInto('erasure_record')
        .values({
          person_id: personId,
          requested_at: new Date(request.requestedAt),
          erased_at: erasedAt,
          erased_by_user_id: actor.userId,
          grounds: request.grounds,
          kept,
        })
        .execute();
      await this.audit.record(
        actor,
        {
          action: 'erase-person',
          resourceType: 'person',
          resourceId: personId,
          personId,
          purpose: `erasure request ${requestId} (UK GDPR Article 17)`,
        },
        trx,
      );
      return { personId, erasedAt: erasedAt.toISOString(), rowsDeleted, kept };
    });
  }

  private erasureRequestQuery(db: Kysely<DB>) {
    return db
      .selectFrom('erasure_request as r')
      .leftJoin('user_account as q', 'q.user_id', 'r.requested_by_user_id')
      .leftJoin('user_account as d', 'd.user_id', 'r.decided_by_user_id')
      .select([
        'r.person_id',
        'r.request_id',
        'r.grounds',
        'r.requested_at',
        'r.status',
        'r.decision',
        'r.decided_at',
        'q.display_name as requested_by',
        'q.person_id as requester_person_id',
        'd.display_name as decided_by',
      ]);
  }

  /** An open erasure request, or 404 (malformed ids included) or 409 (already decided). */
  private async findErasureRequest(personId: string, requestId: string): Promise<ErasureRequest> {
    if (!UUID.test(personId) || !UUID.test(requestId)) throw notFound('That request');
    const row = await this.erasureRequestQuery(this.db)
      .where('r.person_id', '=', personId)
      .where('r.request_id', '=', requestId)
      .executeTakeFirst();
    if (!row) throw notFound('That request');
    const request = erasureRequestOf(row);
    if (request.status !== 'open') {
      throw new ServiceError(409, 'Already decided', 'That request has already been decided.');
    }
    return request;
  }
}

function erasureRequestOf(r: {
  person_id: string;
  request_id: string;
  grounds: string;
  requested_at: Date;
  status: string;
  decision: string;
  decided_at: Date | null;
  requested_by: string | null;
  requester_person_id: string | null;
  decided_by: string | null;
}): ErasureRequest {
  return {
    requestId: r.request_id,
    personId: r.person_id,
    grounds: r.grounds,
    requestedBy: r.requested_by ?? 'A user who has since been removed',
    requestedByThePerson: r.requester_person_id === r.person_id,
    requestedAt: r.requested_at.toISOString(),
    status: r.status as ErasureStatus,
    decision: r.decision,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
  };
}

async function countFor(
  db: Kysely<DB>,
  table: PersonOwnedTable | 'audit_event',
  personId: string,
): Promise<number> {
  const result = await sql<{
    n: string | number;
  }>`select count(*) as n from ${sql.table(table)} where person_id = ${personId}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
