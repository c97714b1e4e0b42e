import type { Kysely } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { forbidden, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { OrganisationContract, type OrganisationInput, TeamContract, type TeamInput } from './schema.js';
import * as store from './store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Administering the directory: administrators add and change organisations and their teams.
 * Reading it is the directory feature's (`DirectoryService`), open to everyone signed in. Every
 * change is audited with the administrator, and so is every refusal.
 */
export class OrganisationAdminService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  async addOrganisation(actor: Actor, input: OrganisationInput): Promise<string> {
    await this.requireAdmin(actor, 'organisation-add', 'organisation', null);
    const organisation = OrganisationContract.check(normalised(input));
    return this.db.transaction().execute(async (trx) => {
      await this.odsCodeFree(trx, organisation.odsCode, null);
      const organisationId = await store.insertOrganisation(trx, organisation);
      await this.audit.record(
        actor,
        { action: 'organisation-add', resourceType: 'organisation', resourceId: organisationId },
        trx,
      );
      return organisationId;
    });
  }

  async editOrganisation(actor: Actor, organisationId: string, input: OrganisationInput): Promise<void> {
    await this.requireAdmin(actor, 'organisation-edit', 'organisation', organisationId);
    const organisation = OrganisationContract.check(normalised(input));
    await this.db.transaction().execute(async (trx) => {
      await this.requireOrganisation(trx, organisationId);
      await this.odsCodeFree(trx, organisation.odsCode, organisationId);
      await store.updateOrganisation(trx, organisationId, organisation);
      await this.audit.record(
        actor,
        { action: 'organisation-edit', resourceType: 'organisation', resourceId: organisationId },
        trx,
      );
    });
  }

  async addTeam(actor: Actor, organisationId: string, input: TeamInput): Promise<string> {
    await this.requireAdmin(actor, 'team-add', 'team', null);
    const team = TeamContract.check({ ...input, name: input.name.trim() });
    return this.db.transaction().execute(async (trx) => {
      await this.requireOrganisation(trx, organisationId);
      await this.teamNameFree(trx, organisationId, team.name, null);
      const teamId = await store.insertTeam(trx, organisationId, team.name);
      await this.audit.record(actor, { action: 'team-add', resourceType: 'team', resourceId: teamId }, trx);
      return teamId;
    });
  }

  async renameTeam(actor: Actor, organisationId: string, teamId: string, input: TeamInput): Promise<void> {
    await this.requireAdmin(actor, 'team-rename', 'team', teamId);
    const team = TeamContract.check({ ...input, name: input.name.trim() });
    await this.db.transaction().execute(async (trx) => {
      await this.requireOrganisation(trx, organisationId);
      if (!UUID.test(teamId) || !(await store.teamInOrganisation(trx, organisationId, teamId))) {
        throw notFound('The team');
      }
      await this.teamNameFree(trx, organisationId, team.name, teamId);
      await store.renameTeam(trx, teamId, team.name);
      await this.audit.record(
        actor,
        { action: 'team-rename', resourceType: 'team', resourceId: teamId },
        trx,
      );
    });
  }

  private async requireOrganisation(db: Kysely<DB>, organisationId: string): Promise<void> {
    if (!UUID.test(organisationId) || !(await store.organisationExists(db, organisationId))) {
      throw notFound('The organisation');
    }
  }

  private async odsCodeFree(db: Kysely<DB>, odsCode: string | null, self: string | null): Promise<void> {
    if (!odsCode) return;
    const holder = await store.organisationWithOdsCode(db, odsCode);
    if (holder && holder !== self) {
      throw new ServiceError(
        409,
        'ODS code taken',
        `Another organisation already has the ODS code ${odsCode}`,
        'odsCode',
      );
    }
  }

  private async teamNameFree(db: Kysely<DB>, organisationId: string, name: string, self: string | null) {
    const holder = await store.teamNamed(db, organisationId, name);
    if (holder && holder !== self) {
      throw new ServiceError(
        409,
        'Team name taken',
        `This organisation already has a team called ${name}`,
        'name',
      );
    }
  }

  /** Refuses, and audits the refusal, unless the actor is an administrator. */
  private async requireAdmin(actor: Actor, action: string, resourceType: string, resourceId: string | null) {
    if (hasRole(actor, 'admin')) return;
    await this.audit.record(actor, {
      action,
      resourceType,
      resourceId,
      purpose: 'not an administrator',
      outcome: 'denied',
    });
    throw forbidden('change organisations and teams');
  }
}

/** Spaces trimmed, the ODS code in capitals and blank as none. */
function normalised(input: OrganisationInput): OrganisationInput {
  const odsCode = typeof input.odsCode === 'string' ? input.odsCode.trim().toUpperCase() : input.odsCode;
  return {
    ...input,
    name: typeof input.name === 'string' ? input.name.trim() : input.name,
    odsCode: odsCode === '' ? null : odsCode,
  };
}
