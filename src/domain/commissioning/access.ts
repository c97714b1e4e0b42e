import type { Actor } from '../actor.js';

/**
 * Who may do what with commissioning frameworks and contracts: the one rule the services apply and
 * pages ask about. None of it is about a person: frameworks and contracts are agreements between
 * organisations, so the rule turns on roles and the organisations they are held in.
 *
 * - commissioners make frameworks (and new versions) and make and change the contracts their
 *   organisation commissions; they read every framework and contract;
 * - analysts read every framework and contract;
 * - team managers read the contracts that name their organisation as the provider;
 * - everyone else: nothing.
 */
export interface CommissioningPermissions {
  readFrameworks: boolean;
  editFrameworks: boolean;
  /** Read every contract. */
  readAllContracts: boolean;
  /** Provider organisations whose contracts the actor may read (team managers'). */
  readContractsOf: ReadonlySet<string>;
  /** Make and change contracts at all. */
  editContracts: boolean;
  /** The commissioning organisations whose contracts the actor may make or change; 'any' for a
   * commissioner role held without an organisation. */
  manageContractsOf: ReadonlySet<string> | 'any';
}

export function commissioningPermissions(actor: Actor): CommissioningPermissions {
  const commissioner = actor.roles.filter((r) => r.role === 'commissioner');
  const analyst = actor.roles.some((r) => r.role === 'analyst');
  const managerOrganisations = new Set(
    actor.roles
      .filter((r) => r.role === 'team-manager' && r.organisationId)
      .map((r) => r.organisationId as string),
  );
  const manageContractsOf = commissioner.some((r) => r.organisationId === null)
    ? 'any'
    : new Set(commissioner.map((r) => r.organisationId as string));
  return {
    readFrameworks: commissioner.length > 0 || analyst,
    editFrameworks: commissioner.length > 0,
    readAllContracts: commissioner.length > 0 || analyst,
    readContractsOf: managerOrganisations,
    editContracts: commissioner.length > 0,
    manageContractsOf,
  };
}

export function mayReadContract(
  permissions: CommissioningPermissions,
  contract: { providerOrganisationId: string },
): boolean {
  return permissions.readAllContracts || permissions.readContractsOf.has(contract.providerOrganisationId);
}

export function mayManageContract(
  permissions: CommissioningPermissions,
  contract: { commissionerOrganisationId: string },
): boolean {
  if (!permissions.editContracts) return false;
  return (
    permissions.manageContractsOf === 'any' ||
    permissions.manageContractsOf.has(contract.commissionerOrganisationId)
  );
}
