import { describe, expect, it } from 'vitest';
import type { Actor } from '../actor.js';
import { commissioningPermissions, mayManageContract, mayReadContract } from './access.js';
import { type ContractDefinition, contractProblems } from './contract.js';

const ICB = 'icb';
const TRUST = 'trust';
const context = {
  commissionerOrganisationIds: new Set([ICB]),
  organisationIds: new Set([ICB, TRUST, 'council']),
  providerTeamIds: new Set(['nursing', 'frailty']),
  indicatorKeys: new Set(['current-plan', 'gas-service']),
  frameworkKeys: new Set(['long-term-conditions']),
};
const contract = (): ContractDefinition => ({
  title: 'Community nursing',
  commissionerOrganisationId: ICB,
  providerOrganisationId: TRUST,
  teamIds: ['nursing'],
  startsOn: '2026-04-01',
  endsOn: '2027-03-31',
  indicators: [{ indicatorKey: 'current-plan', target: 90 }],
  riskGainShare: '',
  frameworkKey: 'long-term-conditions',
});

describe('contractProblems', () => {
  it('accepts a complete contract', () => {
    expect(contractProblems(contract(), context)).toEqual([]);
  });

  it('names each field at fault', () => {
    const c = contract();
    c.title = ' ';
    c.commissionerOrganisationId = 'council';
    c.teamIds = ['reablement'];
    c.endsOn = '2026-04-01';
    c.indicators = [
      { indicatorKey: 'current-plan', target: 90 },
      { indicatorKey: 'current-plan', target: Number.NaN },
    ];
    c.frameworkKey = 'none';
    expect(contractProblems(c, context).map((p) => p.field)).toEqual([
      'title',
      'commissionerOrganisationId',
      'teamIds',
      'endsOn',
      'indicators.1.indicatorKey',
      'indicators.1.target',
      'frameworkKey',
    ]);
  });

  it('needs a provider other than the commissioner, and an indicator', () => {
    const c = contract();
    c.providerOrganisationId = ICB;
    c.indicators = [];
    expect(
      contractProblems(c, { ...context, providerTeamIds: new Set(['nursing']) }).map((p) => p.field),
    ).toEqual(['providerOrganisationId', 'indicators']);
  });
});

const actor = (...roles: [string, string | null][]): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  jobTitle: null,
  personId: null,
  ip: null,
  roles: roles.map(([role, organisationId]) => ({
    role: role as Actor['roles'][number]['role'],
    organisationId,
    organisationName: null,
    teamId: null,
    teamName: null,
  })),
});

describe('commissioningPermissions', () => {
  const trustContract = { commissionerOrganisationId: ICB, providerOrganisationId: TRUST };
  it('commissioners manage their organisation’s contracts and read all', () => {
    const may = commissioningPermissions(actor(['commissioner', ICB]));
    expect(may).toMatchObject({ readFrameworks: true, editFrameworks: true, readAllContracts: true });
    expect(mayManageContract(may, trustContract)).toBe(true);
    expect(mayManageContract(may, { commissionerOrganisationId: 'council' })).toBe(false);
  });
  it('analysts read, and change nothing', () => {
    const may = commissioningPermissions(actor(['analyst', ICB]));
    expect(may).toMatchObject({ readFrameworks: true, editFrameworks: false, editContracts: false });
    expect(mayReadContract(may, trustContract)).toBe(true);
    expect(mayManageContract(may, trustContract)).toBe(false);
  });
  it('team managers read the contracts naming their organisation, and no frameworks', () => {
    const may = commissioningPermissions(actor(['team-manager', TRUST]));
    expect(may.readFrameworks).toBe(false);
    expect(mayReadContract(may, trustContract)).toBe(true);
    expect(mayReadContract(may, { providerOrganisationId: 'council' })).toBe(false);
  });
  it('practitioners, people, carers and administrators: nothing', () => {
    for (const role of ['practitioner', 'person', 'carer', 'admin']) {
      const may = commissioningPermissions(actor([role, TRUST]));
      expect(may.readFrameworks || may.readAllContracts || may.readContractsOf.size > 0, role).toBe(false);
    }
  });
});
