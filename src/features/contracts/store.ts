import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ContractDefinition } from '../../domain/commissioning/contract.js';
import type { DB } from '../../store/schema.js';

/** The contracts feature's queries: agreements between organisations, about no person. */

export interface StoredContract extends ContractDefinition {
  contractId: string;
  commissionerName: string;
  providerName: string;
  teams: { teamId: string; name: string }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredContractSummary {
  contractId: string;
  title: string;
  commissionerOrganisationId: string;
  commissionerName: string;
  providerOrganisationId: string;
  providerName: string;
  startsOn: string;
  endsOn: string;
  teamCount: number;
  indicatorCount: number;
}

/** Contracts, newest period first; only those naming one of `providerIds` when given. */
export async function contractSummaries(
  db: Kysely<DB>,
  providerIds: readonly string[] | 'all',
): Promise<StoredContractSummary[]> {
  if (providerIds !== 'all' && providerIds.length === 0) return [];
  let query = db
    .selectFrom('contract as c')
    .innerJoin('organisation as co', 'co.organisation_id', 'c.commissioner_organisation_id')
    .innerJoin('organisation as po', 'po.organisation_id', 'c.provider_organisation_id')
    .select((eb) => [
      'c.contract_id',
      'c.title',
      'c.commissioner_organisation_id',
      'co.name as commissioner_name',
      'c.provider_organisation_id',
      'po.name as provider_name',
      'c.starts_on',
      'c.ends_on',
      eb
        .selectFrom('contract_team as t')
        .select((x) => x.fn.countAll<string>().as('n'))
        .whereRef('t.contract_id', '=', 'c.contract_id')
        .as('team_count'),
      eb
        .selectFrom('contract_indicator as i')
        .select((x) => x.fn.countAll<string>().as('n'))
        .whereRef('i.contract_id', '=', 'c.contract_id')
        .as('indicator_count'),
    ])
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.title');
  if (providerIds !== 'all') query = query.where('c.provider_organisation_id', 'in', providerIds);
  const rows = await query.execute();
  return rows.map((r) => ({
    contractId: r.contract_id,
    title: r.title,
    commissionerOrganisationId: r.commissioner_organisation_id,
    commissionerName: r.commissioner_name,
    providerOrganisationId: r.provider_organisation_id,
    providerName: r.provider_name,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    teamCount: Number(r.team_count ?? 0),
    indicatorCount: Number(r.indicator_count ?? 0),
  }));
}

export async function contractById(db: Kysely<DB>, contractId: string): Promise<StoredContract | null> {
  const row = await db
    .selectFrom('contract as c')
    .innerJoin('organisation as co', 'co.organisation_id', 'c.commissioner_organisation_id')
    .innerJoin('organisation as po', 'po.organisation_id', 'c.provider_organisation_id')
    .selectAll('c')
    .select(['co.name as commissioner_name', 'po.name as provider_name'])
    .where('c.contract_id', '=', contractId)
    .executeTakeFirst();
  if (!row) return null;
  const [teams, indicators] = await Promise.all([
    db
      .selectFrom('contract_team as ct')
      .innerJoin('team as t', 't.team_id', 'ct.team_id')
      .select(['t.team_id', 't.name'])
      .where('ct.contract_id', '=', contractId)
      .orderBy('t.name')
      .execute(),
    db
      .selectFrom('contract_indicator')
      .select(['indicator_key', 'target'])
      .where('contract_id', '=', contractId)
      .orderBy('sort_order')
      .execute(),
  ]);
  return {
    contractId: row.contract_id,
    title: row.title,
    commissionerOrganisationId: row.commissioner_organisation_id,
    commissionerName: row.commissioner_name,
    providerOrganisationId: row.provider_organisation_id,
    providerName: row.provider_name,
    teamIds: teams.map((t) => t.team_id),
    teams: teams.map((t) => ({ teamId: t.team_id, name: t.name })),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    indicators: indicators.map((i) => ({ indicatorKey: i.indicator_key, target: Number(i.target) })),
    riskGainShare: row.risk_gain_share,
    frameworkKey: row.framework_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function writeParts(trx: Kysely<DB>, contractId: string, contract: ContractDefinition): Promise<void> {
  await trx.deleteFrom('contract_team').where('contract_id', '=', contractId).execute();
  await trx.deleteFrom('contract_indicator').where('contract_id', '=', contractId).execute();
  if (contract.teamIds.length) {
    await trx
      .insertInto('contract_team')
      .values(contract.teamIds.map((teamId) => ({ contract_id: contractId, team_id: teamId })))
      .execute();
  }
  if (contract.indicators.length) {
    await trx
      .insertInto('contract_indicator')
      .values(
        contract.indicators.map((i, index) => ({
          contract_id: contractId,
          indicator_key: i.indicatorKey,
          target: i.target,
          sort_order: index,
        })),
      )
      .execute();
  }
}

export async function insertContract(
  trx: Kysely<DB>,
  contract: ContractDefinition,
  userId: string | null,
  contractId: string = randomUUID(),
): Promise<string> {
  await trx
    .insertInto('contract')
    .values({
      contract_id: contractId,
      title: contract.title.trim(),
      commissioner_organisation_id: contract.commissionerOrganisationId,
      provider_organisation_id: contract.providerOrganisationId,
      framework_key: contract.frameworkKey,
      starts_on: contract.startsOn,
      ends_on: contract.endsOn,
      risk_gain_share: contract.riskGainShare.trim(),
      created_by_user_id: userId,
      updated_by_user_id: userId,
    })
    .execute();
  await writeParts(trx, contractId, contract);
  return contractId;
}

export async function updateContract(
  trx: Kysely<DB>,
  contractId: string,
  contract: ContractDefinition,
  userId: string,
): Promise<void> {
  await trx
    .updateTable('contract')
    .set({
      title: contract.title.trim(),
      commissioner_organisation_id: contract.commissionerOrganisationId,
      provider_organisation_id: contract.providerOrganisationId,
      framework_key: contract.frameworkKey,
      starts_on: contract.startsOn,
      ends_on: contract.endsOn,
      risk_gain_share: contract.riskGainShare.trim(),
      updated_by_user_id: userId,
      updated_at: new Date(),
    })
    .where('contract_id', '=', contractId)
    .execute();
  await writeParts(trx, contractId, contract);
}
