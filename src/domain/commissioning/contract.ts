import { isRealDate } from './framework.js';

/**
 * A contract between a commissioner and a provider for the services of some of the provider's
 * teams, over a period, judged by indicators against targets. The direction in which an indicator
 * improves is the indicator's own (its definition), so a target is only a number here.
 */
export interface ContractIndicatorTarget {
  indicatorKey: string;
  target: number;
}

export interface ContractDefinition {
  title: string;
  commissionerOrganisationId: string;
  providerOrganisationId: string;
  teamIds: string[];
  /** YYYY-MM-DD, the first day the contract runs. */
  startsOn: string;
  /** YYYY-MM-DD, the last day it runs. */
  endsOn: string;
  indicators: ContractIndicatorTarget[];
  /** How risk and gain are shared between the parties, in the contract's words. */
  riskGainShare: string;
  /** The commissioning framework the contract serves, by key; null when none. */
  frameworkKey: string | null;
}

export const MAX_CONTRACT_TEAMS = 50;
export const MAX_CONTRACT_INDICATORS = 30;

export interface ContractContext {
  /** Organisations the commissioner may name as the commissioning party. */
  commissionerOrganisationIds: ReadonlySet<string>;
  /** Every organisation that exists. */
  organisationIds: ReadonlySet<string>;
  /** The provider's teams (those of `providerOrganisationId`). */
  providerTeamIds: ReadonlySet<string>;
  indicatorKeys: ReadonlySet<string>;
  frameworkKeys: ReadonlySet<string>;
}

export interface ContractProblem {
  field: string;
  message: string;
}

/** Everything wrong with a contract across its fields and against what exists; empty when none. */
export function contractProblems(contract: ContractDefinition, context: ContractContext): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  if (contract.title.trim() === '') problem('title', 'Give the contract a title.');
  if (!context.organisationIds.has(contract.commissionerOrganisationId)) {
    problem('commissionerOrganisationId', 'Choose the commissioning organisation.');
  } else if (!context.commissionerOrganisationIds.has(contract.commissionerOrganisationId)) {
    problem('commissionerOrganisationId', 'You can only make contracts for your own organisation.');
  }
  if (!context.organisationIds.has(contract.providerOrganisationId)) {
    problem('providerOrganisationId', 'Choose the provider organisation.');
  } else if (contract.providerOrganisationId === contract.commissionerOrganisationId) {
    problem('providerOrganisationId', 'The provider must be a different organisation from the commissioner.');
  }
  if (contract.teamIds.length === 0) {
    problem('teamIds', 'Choose at least one of the provider’s services or teams.');
  } else if (contract.teamIds.some((id) => !context.providerTeamIds.has(id))) {
    problem('teamIds', 'Choose only services or teams of the provider organisation.');
  } else if (new Set(contract.teamIds).size !== contract.teamIds.length) {
    problem('teamIds', 'A team is chosen twice.');
  }
  const startOk = isRealDate(contract.startsOn);
  const endOk = isRealDate(contract.endsOn);
  if (!startOk) problem('startsOn', 'The start date must be a real date, for example 1 4 2026.');
  if (!endOk) problem('endsOn', 'The end date must be a real date, for example 31 3 2028.');
  if (startOk && endOk && contract.endsOn <= contract.startsOn) {
    problem('endsOn', 'The end date must be after the start date.');
  }
  if (contract.indicators.length === 0) {
    problem('indicators', 'Choose at least one indicator with a target.');
  }
  const seen = new Set<string>();
  contract.indicators.forEach((indicator, i) => {
    const field = `indicators.${i}`;
    if (!context.indicatorKeys.has(indicator.indicatorKey)) {
      problem(
        `${field}.indicatorKey`,
        `Indicator ${i + 1}: "${indicator.indicatorKey}" is not in the library.`,
      );
    } else if (seen.has(indicator.indicatorKey)) {
      problem(`${field}.indicatorKey`, `Indicator ${i + 1}: the same indicator is chosen twice.`);
    }
    seen.add(indicator.indicatorKey);
    if (!Number.isFinite(indicator.target)) {
      problem(`${field}.target`, `Indicator ${i + 1}: the target must be a number.`);
    }
  });
  if (contract.frameworkKey !== null && !context.frameworkKeys.has(contract.frameworkKey)) {
    problem('frameworkKey', 'Choose a commissioning framework that exists, or none.');
  }
  return problems;
}
