import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { normaliseNhsNumber } from '../../domain/nhs-number.js';
import { BREAK_GLASS_HOURS, BREAK_GLASS_MIN_REASON } from '../../domain/sharing.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import { personIdWithNhsNumber } from '../../store/person-nhs-number.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import {
  type AccessGrant,
  isCareStaff,
  type PersonAccess,
  type RecordScope,
  systemScope,
} from '../record-access/person-access.js';
import {
  type BreakGlassReportEntry,
  BreakGlassRequestContract,
  type BreakGlassRequestInput,
  RecordSharingBasisContract,
  type RecordSharingBasisInput,
  type SharingBasis,
  WithdrawSharingBasisContract,
  type WithdrawSharingBasisInput,
} from './schema.js';
import {
  breakGlassGrantsSince,
  hasActiveBasis,
  insertBreakGlassGrant,
  insertSharingBasis,
  organisationExists,
  sharingBasesOf,
  withdrawSharingBasis,
} from './store.js';

export type { BreakGlassReportEntry, SharingBasis } from './schema.js';

/** How far back the managers' report of break-glass use looks, and how many grants it lists. */
const BREAK_GLASS_REPORT_DAYS = 30;
const BREAK_GLASS_REPORT_LIMIT = 200;

/**
 * The recorded basis for each organisation that sees a person's record, and break-glass access.
 * The person can see and withdraw these; withdrawal is immediate because access is decided per
 * request from these rows (person-access.ts).
 */
export class SharingService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: PersonAccess,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, personId: string): Promise<SharingBasis[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-sharing');
    return sharingBasesOf(this.db, grant);
  }

  /** The bases of a record already opened: the scope comes from an access check or a named system path. */
  basesWithin(scope: RecordScope): Promise<SharingBasis[]> {
    return sharingBasesOf(this.db, scope);
  }

  /** Records a basis for sharing with an organisation: the care team, or the person's own consent. */
  async record(actor: Actor, personId: string, input: RecordSharingBasisInput): Promise<string> {
    RecordSharingBasisContract.check(input);
    const grant = await this.access.require(actor, personId, 'decide-sharing', 'record-sharing-basis');
    if (grant.relation.kind === 'self' && input.basis !== 'consent') {
      throw invalid('You can give your consent; other legal bases are recorded by your care team.', 'basis');
    }
    return this.db.transaction().execute((trx) => this.recordWithin(trx, actor, grant, input));
  }

  /** Whether an organisation may see the record now: asked before adding it to the care team. */
  hasActiveBasis(db: Kysely<DB>, scope: RecordScope, organisationId: string): Promise<boolean> {
    return hasActiveBasis(db, scope, organisationId);
  }

  /**
   * Writes a basis inside the caller's transaction, for a grant that may decide sharing. The
   * caller checked access before opening the transaction: checking here would need a second
   * connection, which the embedded database (one connection) cannot give while the transaction
   * holds it.
   */
  async recordWithin(
    trx: Kysely<DB>,
    actor: Actor,
    grant: AccessGrant,
    input: RecordSharingBasisInput,
  ): Promise<string> {
    RecordSharingBasisContract.check(input);
    if (!grant.can['decide-sharing']) throw forbidden('record a basis for sharing this record');
    if (!input.purpose.trim()) throw invalid('Say what the record is shared for.', 'purpose');
    if (!(await organisationExists(trx, input.organisationId))) {
      throw invalid('No organisation with that id.', 'organisationId');
    }
    const basisId = randomUUID();
    await insertSharingBasis(trx, grant, {
      basisId,
      organisationId: input.organisationId,
      basis: input.basis,
      purpose: input.purpose.trim(),
      note: input.note?.trim() ?? '',
      recordedByUserId: actor.userId,
    });
    await this.audit.record(
      actor,
      {
        action: 'record-sharing-basis',
        resourceType: 'sharing_basis',
        resourceId: basisId,
        personId: grant.personId,
      },
      trx,
    );
    return basisId;
  }

  /**
   * The registering team's direct-care basis for a record being registered, inside the
   * registration's transaction and audited with it: without it the team could not open the
   * record it has just created.
   */
  async recordRegistrationBasis(
    trx: Kysely<DB>,
    actor: Actor,
    scope: RecordScope,
    organisationId: string,
  ): Promise<void> {
    await insertSharingBasis(trx, scope, {
      basisId: randomUUID(),
      organisationId,
      basis: 'direct-care',
      purpose: 'Direct care by the team that registered the person',
      note: '',
      recordedByUserId: actor.userId,
    });
  }

  /** Withdraws a basis at once. The person may withdraw their consent; the care team records withdrawals too. */
  async withdraw(
    actor: Actor,
    personId: string,
    basisId: string,
    input: WithdrawSharingBasisInput,
  ): Promise<void> {
    WithdrawSharingBasisContract.check(input);
    const grant = await this.access.require(actor, personId, 'decide-sharing', 'withdraw-sharing-basis');
    await this.db.transaction().execute(async (trx) => {
      const withdrawn = await withdrawSharingBasis(trx, grant, basisId, {
        byUserId: actor.userId,
        reason: input.reason?.trim() || null,
      });
      if (!withdrawn) throw notFound('That sharing agreement');
      await this.audit.record(
        actor,
        { action: 'withdraw-sharing-basis', resourceType: 'sharing_basis', resourceId: basisId, personId },
        trx,
      );
    });
  }

  /**
   * Emergency access to someone outside the practitioner's care team, by NHS number, with a stated
   * reason. It lasts BREAK_GLASS_HOURS, lets them read (not change) the record, is audited, and is
   * reported to the managers of the person's care teams.
   */
  async breakGlass(
    actor: Actor,
    input: BreakGlassRequestInput,
  ): Promise<{ personId: string; expiresAt: Date }> {
    if (!isCareStaff(actor)) throw forbidden('use break-glass access');
    BreakGlassRequestContract.check(input);
    // Counted without the spaces around it: padding is not a reason.
    const reason = input.reason.trim();
    if (reason.length < BREAK_GLASS_MIN_REASON) {
      throw invalid(
        `Say why you need access now, in at least ${BREAK_GLASS_MIN_REASON} characters.`,
        'reason',
      );
    }
    const digits = normaliseNhsNumber(input.nhsNumber);
    if (!digits) throw invalid('Enter the 10-digit NHS number.', 'nhsNumber');
    const personId = await personIdWithNhsNumber(this.db, digits);
    if (!personId) {
      await this.audit.record(actor, {
        action: 'break-glass',
        resourceType: 'person',
        purpose: reason,
        outcome: 'failure',
      });
      throw new ServiceError(404, 'Not found', 'No one with that NHS number is registered.', 'nhsNumber');
    }
    const expiresAt = new Date(Date.now() + BREAK_GLASS_HOURS * 60 * 60 * 1000);
    await this.db.transaction().execute(async (trx) => {
      // The grant itself is what opens the record: there is no scope to check against yet.
      await insertBreakGlassGrant(trx, systemScope(personId, 'break-glass grant'), {
        grantId: randomUUID(),
        userId: actor.userId,
        reason,
        expiresAt,
      });
      await this.audit.record(
        actor,
        { action: 'break-glass', resourceType: 'person', resourceId: personId, personId, purpose: reason },
        trx,
      );
    });
    return { personId, expiresAt };
  }

  /** Break-glass use on people whose care team includes the manager's teams, in the last 30 days. */
  async breakGlassReport(actor: Actor): Promise<BreakGlassReportEntry[]> {
    const teams = actor.roles
      .filter((r) => r.role === 'team-manager' && r.teamId)
      .map((r) => r.teamId as string);
    const isAdmin = actor.roles.some((r) => r.role === 'admin');
    if (!teams.length && !isAdmin) throw forbidden('see break-glass reports');
    const since = new Date(Date.now() - BREAK_GLASS_REPORT_DAYS * 24 * 60 * 60 * 1000);
    const entries = await breakGlassGrantsSince(
      this.db,
      since,
      isAdmin ? null : teams,
      BREAK_GLASS_REPORT_LIMIT,
    );
    await this.audit.record(actor, { action: 'read-break-glass-report', resourceType: 'break_glass_grant' });
    return entries;
  }
}
