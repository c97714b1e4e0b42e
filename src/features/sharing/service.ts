import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { mayAssignLeadTeam, withdrawalRemovesLead, workListTeams } from '../../domain/lead-team.js';
import { normaliseNhsNumber } from '../../domain/nhs-number.js';
import { BREAK_GLASS_HOURS, BREAK_GLASS_MIN_REASON } from '../../domain/sharing.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import { insertCareTeamMember } from '../../store/care-team-member.js';
import { personIdWithNhsNumber } from '../../store/person-nhs-number.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import {
  type AccessGrant,
  isCareStaff,
  type PersonAccess,
  personNotFound,
  type RecordScope,
  systemScope,
} from '../record-access/person-access.js';
import {
  careTeamFacts,
  leadTeamOf,
  organisationsWithdrawnByThePerson,
  recordsNeedingTeam,
  setLead,
  teamChoices,
} from './lead-team-store.js';
import {
  AssignLeadTeamContract,
  type AssignLeadTeamInput,
  type BreakGlassReportEntry,
  BreakGlassRequestContract,
  type BreakGlassRequestInput,
  ConsentAgainContract,
  type ConsentAgainInput,
  EscalateLeadTeamContract,
  type EscalateLeadTeamInput,
  type LeadTeam,
  type RecordNeedingTeam,
  RecordSharingBasisContract,
  type RecordSharingBasisInput,
  type SharingBasis,
  type TeamChoice,
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
  type VersionedSharingBasis,
  versionedSharingBasesOf,
  versionedSharingBasesOfEach,
  withdrawSharingBasis,
} from './store.js';

export type {
  BreakGlassReportEntry,
  LeadTeam,
  RecordNeedingTeam,
  SharingBasis,
  TeamChoice,
} from './schema.js';

/** How many records the work list of records needing a responsible team shows at once. */
const WORK_LIST_LIMIT = 200;

/** What withdrawing one basis would do, for the page that asks the reader to confirm it. */
export interface WithdrawalPlan {
  personName: string;
  basis: SharingBasis;
  lead: LeadTeam;
  /** The person withdrawing their own sharing (a reason is then theirs to give or not). */
  byThePerson: boolean;
  /** Withdrawing it leaves the lead team unable to see the record. */
  removesLead: boolean;
  /** The teams that could take over responsibility (for the care team, when `removesLead`). */
  handoverTeams: TeamChoice[];
  /** Whether the care team may ask the lead team's manager to decide instead. */
  mayEscalate: boolean;
}

/** What the page for choosing a record's lead team needs: who, the team now, and the teams to choose from. */
export interface LeadTeamDecision {
  personName: string;
  lead: LeadTeam;
  teams: TeamChoice[];
}

/** Organisations that saw the record and no longer do: those the person may consent to again. */
export function noLongerSharing(
  bases: readonly SharingBasis[],
): { organisationId: string; organisationName: string }[] {
  const inForce = new Set(bases.filter((b) => !b.withdrawnAt).map((b) => b.organisationId));
  const seen = new Map<string, string>();
  for (const b of bases) {
    if (!inForce.has(b.organisationId)) seen.set(b.organisationId, b.organisationName);
  }
  return [...seen].map(([organisationId, organisationName]) => ({ organisationId, organisationName }));
}

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

  /** The bases as `list` gives them, with the version FHIR shows (Consent), from the same audited check. */
  async versionedList(actor: Actor, personId: string): Promise<VersionedSharingBasis[]> {
    const grant = await this.access.require(actor, personId, 'view', 'read-sharing');
    return versionedSharingBasesOf(this.db, grant);
  }

  /**
   * `versionedList` of many records at once (bulk export), by person, in one query; people with no
   * basis recorded are left out. No access check or audit here: the grants were checked and
   * audited by the caller, PersonAccess.requireEach. Every reader who may view a record sees the
   * same bases, so no grant hides any of them.
   */
  versionedListOfEach(grants: readonly AccessGrant[]): Promise<Map<string, VersionedSharingBasis[]>> {
    return versionedSharingBasesOfEach(this.db, grants);
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

  /**
   * What withdrawing a basis would do, asked before anything changes: whether the lead team would
   * lose the record, and if so which teams could take it over.
   */
  async withdrawalPlan(actor: Actor, personId: string, basisId: string): Promise<WithdrawalPlan> {
    const grant = await this.access.require(actor, personId, 'decide-sharing', 'read-sharing');
    const [bases, read] = await Promise.all([sharingBasesOf(this.db, grant), leadTeamOf(this.db, grant)]);
    const basis = bases.find((b) => b.basisId === basisId && !b.withdrawnAt);
    if (!basis || !read) throw notFound('That sharing agreement');
    const byThePerson = grant.relation.kind === 'self';
    const removesLead = withdrawalRemovesLead(
      bases.filter((b) => !b.withdrawnAt),
      basisId,
      read.lead.organisationId,
    );
    const handoverTeams =
      removesLead && !byThePerson ? await this.teamsToLead(grant, basis.organisationId) : [];
    return {
      personName: read.personName,
      basis,
      lead: read.lead,
      byThePerson,
      removesLead,
      handoverTeams,
      mayEscalate: removesLead && !byThePerson && read.lead.state === 'responsible',
    };
  }

  /**
   * Withdraws a basis at once. The person may withdraw any of theirs, saying why if they wish; the
   * care team must say why, and cannot leave the record without a responsible team: withdrawing
   * the lead team's organisation's last basis needs a team to hand the record over to (or, instead,
   * `escalate`). When the person withdraws it, the record goes on the work list of its lead team's
   * managers and the administrators.
   */
  async withdraw(
    actor: Actor,
    personId: string,
    basisId: string,
    input: WithdrawSharingBasisInput,
  ): Promise<{ readerKeepsAccess: boolean }> {
    WithdrawSharingBasisContract.check(input);
    const grant = await this.access.require(actor, personId, 'decide-sharing', 'withdraw-sharing-basis');
    const byThePerson = grant.relation.kind === 'self';
    const reason = input.reason?.trim() || null;
    if (!byThePerson && !reason) {
      throw invalid('Say why this organisation should no longer see the record.', 'reason');
    }
    await this.db.transaction().execute(async (trx) => {
      const [bases, read] = await Promise.all([sharingBasesOf(trx, grant), leadTeamOf(trx, grant)]);
      const basis = bases.find((b) => b.basisId === basisId && !b.withdrawnAt);
      if (!basis || !read) throw notFound('That sharing agreement');
      const removesLead = withdrawalRemovesLead(
        bases.filter((b) => !b.withdrawnAt),
        basisId,
        read.lead.organisationId,
      );
      if (removesLead && !byThePerson) {
        if (!input.newLeadTeamId) {
          throw invalid(
            `Choose the team that will be responsible for the record once ${basis.organisationName} no longer sees it.`,
            'newLeadTeamId',
          );
        }
        const teams = await this.teamsToLead(grant, basis.organisationId, trx);
        const team = teams.find((t) => t.teamId === input.newLeadTeamId);
        if (!team) {
          throw invalid(
            `Choose a team outside ${basis.organisationName}, in an organisation the person has not asked to stop seeing their record.`,
            'newLeadTeamId',
          );
        }
        await this.assignWithin(trx, actor, grant, read.lead, team, `Handed over: ${reason}`);
      }
      const withdrawn = await withdrawSharingBasis(trx, grant, basisId, {
        byUserId: actor.userId,
        reason,
      });
      if (!withdrawn) throw notFound('That sharing agreement');
      await this.audit.record(
        actor,
        { action: 'withdraw-sharing-basis', resourceType: 'sharing_basis', resourceId: basisId, personId },
        trx,
      );
      if (removesLead && byThePerson) {
        // The database has already marked the record as needing a team; say why, and who.
        await setLead(trx, grant, {
          state: 'needs-team',
          reason: `The person asked ${basis.organisationName} to stop seeing their record${reason ? `: ${reason}` : '.'}`,
          byUserId: actor.userId,
        });
      }
    });
    // Asked without an audit entry: it opens nothing, it only says where the reader can go next.
    return { readerKeepsAccess: (await this.access.relationTo(actor, personId)) !== null };
  }

  /**
   * A member of the care team asks the lead team's manager to decide who should be responsible for
   * the record, saying why. Nothing is withdrawn: the lead team stays responsible until the manager
   * (or an administrator) chooses, and the record is on their work list meanwhile.
   */
  async escalate(actor: Actor, personId: string, input: EscalateLeadTeamInput): Promise<void> {
    EscalateLeadTeamContract.check(input);
    const grant = await this.access.require(actor, personId, 'manage', 'escalate-lead-team');
    const reason = input.reason.trim();
    if (!reason) throw invalid('Say why the team manager should decide who is responsible.', 'reason');
    await this.db.transaction().execute(async (trx) => {
      const read = await leadTeamOf(trx, grant);
      if (!read?.lead.teamId || read.lead.state !== 'responsible') {
        throw new ServiceError(
          409,
          'Already asked',
          'The team manager or an administrator has already been asked to decide who is responsible for this record.',
        );
      }
      await setLead(trx, grant, { state: 'escalated', reason, byUserId: actor.userId });
      await this.audit.record(
        actor,
        { action: 'escalate-lead-team', resourceType: 'person', resourceId: personId, personId },
        trx,
      );
    });
  }

  /** The lead team of a record already opened (the person page). */
  async leadWithin(scope: RecordScope): Promise<LeadTeam | null> {
    return (await leadTeamOf(this.db, scope))?.lead ?? null;
  }

  /**
   * The page for choosing a record's lead team: for a manager of the current lead team, or an
   * administrator when the record needs a team; neither need be able to open the record itself. Anyone else is told there is no such
   * person; every look is audited.
   */
  async leadTeamDecision(actor: Actor, personId: string): Promise<LeadTeamDecision> {
    const scope = systemScope(personId, 'choosing the team responsible for a record');
    const read = await this.requireLeadDecision(actor, scope, 'read-lead-team');
    return { ...read, teams: await this.teamsToLead(scope, null) };
  }

  /** Makes a team responsible for a record (a manager of its lead team, or an administrator when it needs one). */
  async assignLeadTeam(actor: Actor, personId: string, input: AssignLeadTeamInput): Promise<void> {
    AssignLeadTeamContract.check(input);
    const scope = systemScope(personId, 'choosing the team responsible for a record');
    const read = await this.requireLeadDecision(actor, scope, 'assign-lead-team');
    const reason = input.reason.trim();
    if (!reason) throw invalid('Say why this team should be responsible for the record.', 'reason');
    await this.db.transaction().execute(async (trx) => {
      const teams = await this.teamsToLead(scope, null, trx);
      const team = teams.find((t) => t.teamId === input.teamId);
      if (!team) {
        throw invalid(
          'Choose a team in an organisation the person has not asked to stop seeing their record.',
          'teamId',
        );
      }
      if (team.teamId === read.lead.teamId && read.lead.state === 'responsible') {
        throw invalid(`${team.teamName} is already responsible for the record.`, 'teamId');
      }
      await this.assignWithin(trx, actor, scope, read.lead, team, reason);
    });
  }

  /** Records whose lead team is not responsible: a manager's teams', or all for an administrator. */
  async recordsNeedingTeam(actor: Actor): Promise<RecordNeedingTeam[]> {
    const teams = workListTeams(actor);
    if (teams !== null && teams.length === 0) throw forbidden('see records needing a responsible team');
    const entries = await recordsNeedingTeam(this.db, teams, WORK_LIST_LIMIT);
    await this.audit.record(actor, {
      action: 'list-records-needing-a-team',
      resourceType: 'person',
      purpose: 'finding a team responsible for each record',
      listedPersonIds: entries.map((e) => e.personId),
    });
    return entries;
  }

  /**
   * The person gives their consent again for an organisation that saw their record before: asked
   * first on a page of its own (`consentAgainPlan`), then recorded. If it is the lead team's
   * organisation, the lead team is responsible again.
   */
  async consentAgainPlan(
    actor: Actor,
    personId: string,
    input: ConsentAgainInput,
  ): Promise<{ organisationName: string; lead: LeadTeam | null }> {
    ConsentAgainContract.check(input);
    const grant = await this.access.require(actor, personId, 'decide-sharing', 'read-sharing');
    if (grant.relation.kind !== 'self') throw forbidden('give consent on the person’s behalf');
    const organisation = noLongerSharing(await sharingBasesOf(this.db, grant)).find(
      (o) => o.organisationId === input.organisationId,
    );
    if (!organisation) throw notFound('That organisation');
    const lead = await this.leadWithin(grant);
    return {
      organisationName: organisation.organisationName,
      lead: lead?.organisationId === input.organisationId ? lead : null,
    };
  }

  async consentAgain(actor: Actor, personId: string, input: ConsentAgainInput): Promise<string> {
    ConsentAgainContract.check(input);
    const grant = await this.access.require(actor, personId, 'decide-sharing', 'record-sharing-basis');
    if (grant.relation.kind !== 'self') throw forbidden('give consent on the person’s behalf');
    return this.db.transaction().execute(async (trx) => {
      const organisation = noLongerSharing(await sharingBasesOf(trx, grant)).find(
        (o) => o.organisationId === input.organisationId,
      );
      if (!organisation) throw notFound('That organisation');
      return this.recordWithin(trx, actor, grant, {
        organisationId: organisation.organisationId,
        basis: 'consent',
        purpose: 'The person gave their consent again',
      });
    });
  }

  /** The lead-team check for those who need not see the record: audited whichever way it goes. */
  private async requireLeadDecision(
    actor: Actor,
    scope: RecordScope,
    action: string,
  ): Promise<{ personName: string; lead: LeadTeam }> {
    const read = await leadTeamOf(this.db, scope);
    const allowed = read !== null && mayAssignLeadTeam(actor, read.lead);
    await this.audit.record(actor, {
      action,
      resourceType: 'person',
      resourceId: scope.personId,
      personId: scope.personId,
      purpose: 'choosing the team responsible for the record',
      outcome: allowed ? 'success' : 'denied',
    });
    if (!read || !allowed) throw personNotFound();
    return read;
  }

  /**
   * The teams that may be made responsible for a record: not in an organisation about to lose it
   * (`leaving`), nor in one the person themselves asked to stop seeing it (until they consent again).
   */
  private async teamsToLead(
    scope: RecordScope,
    leaving: string | null,
    db: Kysely<DB> = this.db,
  ): Promise<TeamChoice[]> {
    const [teams, refused] = await Promise.all([
      teamChoices(db),
      organisationsWithdrawnByThePerson(db, scope),
    ]);
    return teams.filter((t) => t.organisationId !== leaving && !refused.includes(t.organisationId));
  }

  /**
   * Makes a team the lead team inside the caller's transaction: in the care team, with a direct-care
   * basis for its organisation if none is in force, and responsible, audited.
   */
  private async assignWithin(
    trx: Kysely<DB>,
    actor: Actor,
    scope: RecordScope,
    current: LeadTeam,
    team: TeamChoice,
    reason: string,
  ): Promise<void> {
    const facts = await careTeamFacts(trx, scope, team.teamId, current.teamId);
    if (!facts.isMember) {
      await insertCareTeamMember(trx, scope, {
        memberId: randomUUID(),
        organisationId: team.organisationId,
        teamId: team.teamId,
        userId: null,
        supportKind: facts.supportKind,
        roleDescription: 'Lead team',
        isKeyWorker: false,
      });
    }
    if (!(await hasActiveBasis(trx, scope, team.organisationId))) {
      const basisId = randomUUID();
      await insertSharingBasis(trx, scope, {
        basisId,
        organisationId: team.organisationId,
        basis: 'direct-care',
        purpose: `Direct care by the lead team, ${team.teamName}`,
        note: '',
        recordedByUserId: actor.userId,
      });
      await this.audit.record(
        actor,
        {
          action: 'record-sharing-basis',
          resourceType: 'sharing_basis',
          resourceId: basisId,
          personId: scope.personId,
        },
        trx,
      );
    }
    await setLead(trx, scope, { teamId: team.teamId, state: 'responsible', reason, byUserId: actor.userId });
    await this.audit.record(
      actor,
      {
        action: 'assign-lead-team',
        resourceType: 'person',
        resourceId: scope.personId,
        personId: scope.personId,
      },
      trx,
    );
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
