import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { normaliseNhsNumber } from '../../domain/nhs-number.js';
import { BREAK_GLASS_HOURS, BREAK_GLASS_MIN_REASON, type SharingBasisKind } from '../../domain/sharing.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { isCareStaff, type PersonAccess } from '../record-access/person-access.js';

export interface SharingBasis {
  basisId: string;
  organisationId: string;
  organisationName: string;
  basis: SharingBasisKind;
  purpose: string;
  note: string;
  recordedBy: string;
  recordedAt: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
}

export interface BreakGlassReportEntry {
  personId: string;
  personName: string;
  userName: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
}

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
    await this.access.require(actor, personId, 'view', 'read-sharing');
    return this.load(personId);
  }

  /** Reads without an access check or audit: for callers that already checked and audited. */
  async load(personId: string): Promise<SharingBasis[]> {
    const rows = await this.db
      .selectFrom('sharing_basis as b')
      .innerJoin('organisation as o', 'o.organisation_id', 'b.organisation_id')
      .innerJoin('user_account as r', 'r.user_id', 'b.recorded_by_user_id')
      .leftJoin('user_account as w', 'w.user_id', 'b.withdrawn_by_user_id')
      .select([
        'b.basis_id',
        'b.organisation_id',
        'o.name as organisation_name',
        'b.basis',
        'b.purpose',
        'b.note',
        'r.display_name as recorded_by',
        'b.recorded_at',
        'b.withdrawn_at',
        'w.display_name as withdrawn_by',
        'b.withdrawal_reason',
      ])
      .where('b.person_id', '=', personId)
      .orderBy('b.withdrawn_at', 'desc')
      .orderBy('o.name')
      .execute();
    return rows.map((r) => ({
      basisId: r.basis_id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      basis: r.basis as SharingBasisKind,
      purpose: r.purpose,
      note: r.note,
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at.toISOString(),
      withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
      withdrawnBy: r.withdrawn_by,
      withdrawalReason: r.withdrawal_reason,
    }));
  }

  /** Records a basis for sharing with an organisation: the care team, or the person's own consent. */
  async record(
    actor: Actor,
    personId: string,
    input: { organisationId: string; basis: SharingBasisKind; purpose: string; note?: string },
  ): Promise<string> {
    const { relation } = await this.access.require(actor, personId, 'decide-sharing', 'record-sharing-basis');
    if (relation?.kind === 'self' && input.basis !== 'consent') {
      throw invalid('You can give your consent; other legal bases are recorded by your care team.', 'basis');
    }
    return this.db.transaction().execute((trx) => this.insert(trx, actor, personId, input));
  }

  /**
   * Writes a basis inside the caller's transaction. The caller must already have checked the
   * actor's access: checking here would need a second connection, which the embedded database
   * (one connection) cannot give while the transaction holds it.
   */
  async insert(
    trx: Kysely<DB>,
    actor: Actor,
    personId: string,
    input: { organisationId: string; basis: SharingBasisKind; purpose: string; note?: string },
  ): Promise<string> {
    if (!input.purpose.trim()) throw invalid('Say what the record is shared for.', 'purpose');
    const organisation = await trx
      .selectFrom('organisation')
      .select('organisation_id')
      .where('organisation_id', '=', input.organisationId)
      .executeTakeFirst();
    if (!organisation) throw invalid('No organisation with that id.', 'organisationId');
    const basisId = randomUUID();
    await trx
      .insertInto('sharing_basis')
      .values({
        person_id: personId,
        basis_id: basisId,
        organisation_id: input.organisationId,
        basis: input.basis,
        purpose: input.purpose.trim().slice(0, 500),
        note: input.note?.trim() ?? '',
        recorded_by_user_id: actor.userId,
      })
      .execute();
    await this.audit.record(
      actor,
      { action: 'record-sharing-basis', resourceType: 'sharing_basis', resourceId: basisId, personId },
      trx,
    );
    return basisId;
  }

  /** Withdraws a basis at once. The person may withdraw their consent; the care team records withdrawals too. */
  async withdraw(actor: Actor, personId: string, basisId: string, reason: string): Promise<void> {
    await this.access.require(actor, personId, 'decide-sharing', 'withdraw-sharing-basis');
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('sharing_basis')
        .set({
          withdrawn_at: new Date(),
          withdrawn_by_user_id: actor.userId,
          withdrawal_reason: reason.trim().slice(0, 500) || null,
        })
        .where('person_id', '=', personId)
        .where('basis_id', '=', basisId)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound('That sharing agreement');
      await this.audit.record(
        actor,
        { action: 'withdraw-sharing-basis', resourceType: 'sharing_basis', resourceId: basisId, personId },
        trx,
      );
    });
  }

  /** Whether an organisation may see the record now: used before adding it to the care team. */
  async hasActiveBasis(db: Kysely<DB>, personId: string, organisationId: string): Promise<boolean> {
    const row = await db
      .selectFrom('sharing_basis')
      .select('basis_id')
      .where('person_id', '=', personId)
      .where('organisation_id', '=', organisationId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Emergency access to someone outside the practitioner's care team, by NHS number, with a stated
   * reason. It lasts BREAK_GLASS_HOURS, lets them read (not change) the record, is audited, and is
   * reported to the managers of the person's care teams.
   */
  async breakGlass(
    actor: Actor,
    nhsNumber: string,
    reason: string,
  ): Promise<{ personId: string; expiresAt: Date }> {
    if (!isCareStaff(actor)) throw forbidden('use break-glass access');
    const trimmed = reason.trim();
    if (trimmed.length < BREAK_GLASS_MIN_REASON) {
      throw invalid(
        `Say why you need access now, in at least ${BREAK_GLASS_MIN_REASON} characters.`,
        'reason',
      );
    }
    const digits = normaliseNhsNumber(nhsNumber);
    if (!digits) throw invalid('Enter the 10-digit NHS number.', 'nhsNumber');
    const person = await this.db
      .selectFrom('person_nhs_number')
      .select('person_id')
      .where('nhs_number', '=', digits)
      .executeTakeFirst();
    if (!person) {
      await this.audit.record(actor, {
        action: 'break-glass',
        resourceType: 'person',
        purpose: trimmed,
        outcome: 'failure',
      });
      throw new ServiceError(404, 'Not found', 'No one with that NHS number is registered.', 'nhsNumber');
    }
    const expiresAt = new Date(Date.now() + BREAK_GLASS_HOURS * 60 * 60 * 1000);
    const grantId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('break_glass_grant')
        .values({
          person_id: person.person_id,
          grant_id: grantId,
          user_id: actor.userId,
          reason: trimmed.slice(0, 2000),
          expires_at: expiresAt,
        })
        .execute();
      await this.audit.record(
        actor,
        {
          action: 'break-glass',
          resourceType: 'person',
          resourceId: person.person_id,
          personId: person.person_id,
          purpose: trimmed,
        },
        trx,
      );
    });
    return { personId: person.person_id, expiresAt };
  }

  /** Break-glass use on people whose care team includes the manager's teams, in the last 30 days. */
  async breakGlassReport(actor: Actor): Promise<BreakGlassReportEntry[]> {
    const teams = actor.roles
      .filter((r) => r.role === 'team-manager' && r.teamId)
      .map((r) => r.teamId as string);
    const isAdmin = actor.roles.some((r) => r.role === 'admin');
    if (!teams.length && !isAdmin) throw forbidden('see break-glass reports');
    let query = this.db
      .selectFrom('break_glass_grant as g')
      .innerJoin('person as p', 'p.person_id', 'g.person_id')
      .innerJoin('user_account as u', 'u.user_id', 'g.user_id')
      .select([
        'g.person_id',
        'p.given_name',
        'p.family_name',
        'u.display_name',
        'g.reason',
        'g.granted_at',
        'g.expires_at',
      ])
      .where('g.granted_at', '>', new Date(Date.now() - 30 * 24 * 60 * 60 * 1000));
    if (!isAdmin) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('care_team_member as m')
            .select('m.member_id')
            .whereRef('m.person_id', '=', 'g.person_id')
            .where('m.team_id', 'in', teams)
            .where('m.end_date', 'is', null),
        ),
      );
    }
    const rows = await query.orderBy('g.granted_at', 'desc').limit(200).execute();
    await this.audit.record(actor, { action: 'read-break-glass-report', resourceType: 'break_glass_grant' });
    return rows.map((r) => ({
      personId: r.person_id,
      personName: `${r.given_name} ${r.family_name}`,
      userName: r.display_name,
      reason: r.reason,
      grantedAt: r.granted_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
    }));
  }
}
