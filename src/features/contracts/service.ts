import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  type CommissioningPermissions,
  commissioningPermissions,
  mayManageContract,
  mayReadContract,
} from '../../domain/commissioning/access.js';
import { type ContractDefinition, contractProblems } from '../../domain/commissioning/contract.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, notFound } from '../../services/errors.js';
import { organisationsWithTeams } from '../../store/organisations-with-teams.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { IndicatorCatalogue, IndicatorChoice } from '../commissioning/indicator-catalogue.js';
import type { CommissioningFrameworkSummary } from '../commissioning/schema.js';
import type { CommissioningService } from '../commissioning/service.js';
import {
  type ContractDetail,
  type ContractStatus,
  type ContractSummary,
  SaveContractContract,
  type SaveContractInput,
} from './schema.js';
import * as store from './store.js';

/** A contract that keeps the schema's shape but not the domain's rules: 422, naming each field. */
export class ContractProblems extends ContractError {
  override readonly status = 422 as const;
  override readonly title = 'Invalid contract';
}

/** What the contract form offers. */
export interface ContractFormOptions {
  /** Organisations the commissioner may name as the commissioning party. */
  commissioners: { organisationId: string; name: string }[];
  /** Every organisation, each with its teams: the provider and its services. */
  providers: { organisationId: string; name: string; teams: { teamId: string; name: string }[] }[];
  indicators: readonly IndicatorChoice[];
  frameworks: CommissioningFrameworkSummary[];
}

const RESOURCE = 'contract';

export function contractStatus(
  contract: { startsOn: string; endsOn: string },
  today: string,
): ContractStatus {
  if (today < contract.startsOn) return 'not-started';
  return today > contract.endsOn ? 'ended' : 'running';
}

/**
 * Contracts between commissioners and providers: the provider's teams, a period, indicators with
 * targets and how risk and gain are shared. Commissioners make and change their organisation's
 * contracts; commissioners and analysts read all; team managers read those naming their
 * organisation as provider; nobody else (domain/commissioning/access). Writes and refusals are audited.
 */
export class ContractService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly commissioning: CommissioningService,
    private readonly indicators: IndicatorCatalogue,
  ) {}

  /** What the actor may do with contracts: pages ask, they never decide. */
  permissions(actor: Actor): CommissioningPermissions {
    return commissioningPermissions(actor);
  }

  /** The contracts the actor may read. */
  async list(actor: Actor): Promise<ContractSummary[]> {
    const may = commissioningPermissions(actor);
    if (!may.readAllContracts && may.readContractsOf.size === 0) {
      await this.refuse(actor, 'list-contracts', null, 'no role that reads contracts');
      throw forbidden('read contracts');
    }
    const rows = await store.contractSummaries(
      this.db,
      may.readAllContracts ? 'all' : [...may.readContractsOf],
    );
    const today = todayIso();
    return rows.map((r) => ({
      contractId: r.contractId,
      title: r.title,
      commissioner: { organisationId: r.commissionerOrganisationId, name: r.commissionerName },
      provider: { organisationId: r.providerOrganisationId, name: r.providerName },
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      status: contractStatus(r, today),
      teamCount: r.teamCount,
      indicatorCount: r.indicatorCount,
    }));
  }

  /**
   * Everything about one contract: the parties, teams, period, each indicator (name, direction
   * of improvement) with its target, and the framework it serves. What a contract's dashboard
   * starts from. 404 when there is none or the actor may not read it (the refusal is audited).
   */
  async loadContract(actor: Actor, contractId: string): Promise<ContractDetail> {
    const contract = await store.contractById(this.db, contractId);
    const may = commissioningPermissions(actor);
    if (!contract) throw notFound('The contract');
    if (!mayReadContract(may, contract)) {
      await this.refuse(actor, 'read-contract', contractId, 'the contract does not name their organisation');
      throw notFound('The contract');
    }
    return this.describe(contract, may);
  }

  /** The contract as the form edits it. Commissioners of its commissioning organisation only. */
  async definitionOf(actor: Actor, contractId: string): Promise<ContractDefinition> {
    const contract = await store.contractById(this.db, contractId);
    if (!contract) throw notFound('The contract');
    await this.requireManage(actor, contract, 'change-contract', contractId);
    return {
      title: contract.title,
      commissionerOrganisationId: contract.commissionerOrganisationId,
      providerOrganisationId: contract.providerOrganisationId,
      teamIds: contract.teamIds,
      startsOn: contract.startsOn,
      endsOn: contract.endsOn,
      indicators: contract.indicators,
      riskGainShare: contract.riskGainShare,
      frameworkKey: contract.frameworkKey,
    };
  }

  /** What the contract form offers the actor. Commissioners only. */
  async formOptions(actor: Actor): Promise<ContractFormOptions> {
    const may = commissioningPermissions(actor);
    if (!may.editContracts) {
      await this.refuse(actor, 'create-contract', null, 'not a commissioner');
      throw forbidden('make or change contracts');
    }
    const [organisations, indicators, frameworks] = await Promise.all([
      organisationsWithTeams(this.db),
      this.indicators.choices(),
      this.commissioning.listFrameworks(actor),
    ]);
    const commissioners = organisations
      .filter((o) => may.manageContractsOf === 'any' || may.manageContractsOf.has(o.organisationId))
      .map(({ organisationId, name }) => ({ organisationId, name }));
    return { commissioners, providers: organisations, indicators, frameworks };
  }

  /** Makes a contract. Commissioners, for their own organisation. */
  async create(actor: Actor, input: SaveContractInput): Promise<ContractDetail> {
    const may = commissioningPermissions(actor);
    if (!may.editContracts) {
      await this.refuse(actor, 'create-contract', null, 'not a commissioner');
      throw forbidden('make contracts');
    }
    const definition = await this.checked(actor, input, may);
    const contractId = await this.db.transaction().execute(async (trx) => {
      const id = await store.insertContract(trx, definition, actor.userId);
      await this.audit.record(
        actor,
        { action: 'create-contract', resourceType: RESOURCE, resourceId: id },
        trx,
      );
      return id;
    });
    return this.loadContract(actor, contractId);
  }

  /** Changes a contract. Commissioners of its commissioning organisation. */
  async update(actor: Actor, contractId: string, input: SaveContractInput): Promise<ContractDetail> {
    const existing = await store.contractById(this.db, contractId);
    if (!existing) throw notFound('The contract');
    await this.requireManage(actor, existing, 'change-contract', contractId);
    const definition = await this.checked(actor, input, commissioningPermissions(actor));
    await this.db.transaction().execute(async (trx) => {
      await store.updateContract(trx, contractId, definition, actor.userId);
      await this.audit.record(
        actor,
        { action: 'change-contract', resourceType: RESOURCE, resourceId: contractId },
        trx,
      );
    });
    return this.loadContract(actor, contractId);
  }

  private async checked(
    actor: Actor,
    input: SaveContractInput,
    may: CommissioningPermissions,
  ): Promise<ContractDefinition> {
    const definition = SaveContractContract.check(input);
    const [organisations, indicators, frameworks] = await Promise.all([
      organisationsWithTeams(this.db),
      this.indicators.choices(),
      this.commissioning.listFrameworks(actor),
    ]);
    const organisationIds = new Set(organisations.map((o) => o.organisationId));
    const problems = contractProblems(definition, {
      organisationIds,
      commissionerOrganisationIds: may.manageContractsOf === 'any' ? organisationIds : may.manageContractsOf,
      providerTeamIds: new Set(
        organisations
          .find((o) => o.organisationId === definition.providerOrganisationId)
          ?.teams.map((t) => t.teamId) ?? [],
      ),
      indicatorKeys: new Set(indicators.map((i) => i.key)),
      frameworkKeys: new Set(frameworks.map((f) => f.key)),
    });
    if (problems.length) throw new ContractProblems(problems);
    return definition;
  }

  private async describe(
    contract: store.StoredContract,
    may: CommissioningPermissions,
  ): Promise<ContractDetail> {
    const indicators = await this.indicators.choices();
    const byKey = new Map(indicators.map((i) => [i.key, i]));
    // Named to anyone who may read the contract: a team manager sees which framework it serves.
    const framework = contract.frameworkKey
      ? await this.commissioning.currentVersionOf(contract.frameworkKey)
      : null;
    return {
      contractId: contract.contractId,
      title: contract.title,
      commissioner: { organisationId: contract.commissionerOrganisationId, name: contract.commissionerName },
      provider: { organisationId: contract.providerOrganisationId, name: contract.providerName },
      teams: contract.teams,
      startsOn: contract.startsOn,
      endsOn: contract.endsOn,
      status: contractStatus(contract, todayIso()),
      indicators: contract.indicators.map((i) => {
        const found = byKey.get(i.indicatorKey);
        return {
          indicator: {
            key: i.indicatorKey,
            name: found?.name ?? i.indicatorKey,
            improvement: found?.improvement ?? null,
            inLibrary: Boolean(found),
          },
          target: i.target,
        };
      }),
      riskGainShare: contract.riskGainShare,
      framework,
      createdAt: contract.createdAt.toISOString(),
      updatedAt: contract.updatedAt.toISOString(),
      mayEdit: mayManageContract(may, contract),
    };
  }

  private async requireManage(
    actor: Actor,
    contract: { commissionerOrganisationId: string; providerOrganisationId: string },
    action: string,
    contractId: string,
  ): Promise<void> {
    const may = commissioningPermissions(actor);
    if (mayManageContract(may, contract)) return;
    if (!mayReadContract(may, contract)) {
      await this.refuse(actor, action, contractId, 'the contract does not name their organisation');
      throw notFound('The contract');
    }
    await this.refuse(
      actor,
      action,
      contractId,
      'not a commissioner of the contract’s commissioning organisation',
    );
    throw forbidden('change this contract');
  }

  private async refuse(actor: Actor, action: string, resourceId: string | null, purpose: string) {
    await this.audit.record(actor, {
      action,
      resourceType: RESOURCE,
      resourceId,
      purpose,
      outcome: 'denied',
    });
  }
}
