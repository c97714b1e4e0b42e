import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { ODS_ORGANISATION_SYSTEM } from '../../domain/interop/uk-core.js';
import { ORGANISATION_KINDS } from '../../domain/organisation-kinds.js';
import {
  ORGANISATION_KIND_SYSTEM,
  ORGANIZATION_TYPE_OF_KIND,
  ORGANIZATION_TYPE_SYSTEM,
  organizationOf,
  organizationsOf,
} from './fhir-organization.js';
import type { DatedOrganisation } from './service.js';

const created = new Date('2025-01-02T03:04:05Z');
const trust: DatedOrganisation = {
  organisationId: '11111111-1111-4111-8111-111111111111',
  kind: 'nhs-trust',
  name: 'Riverside NHS Trust',
  odsCode: 'R9V',
  createdAt: created,
  teams: [
    {
      teamId: '22222222-2222-4222-8222-222222222222',
      organisationId: '11111111-1111-4111-8111-111111111111',
      name: 'Community mental health team',
      createdAt: created,
    },
  ],
};

describe('Organization mapping', () => {
  it('maps an organisation with its ODS code and both codings of its kind, validly', () => {
    const org = organizationOf(trust);
    expectValidFhir(org);
    expect(org.identifier).toEqual([{ system: ODS_ORGANISATION_SYSTEM, value: 'R9V' }]);
    expect(org.type?.[0]?.coding?.map((c) => [c.system, c.code])).toEqual([
      [ORGANIZATION_TYPE_SYSTEM, 'prov'],
      [ORGANISATION_KIND_SYSTEM, 'nhs-trust'],
    ]);
    expect(org.meta).toEqual({ versionId: '1', lastUpdated: '2025-01-02T03:04:05.000Z' });
    expect(org.active).toBe(true);
  });

  it.each(ORGANISATION_KINDS)(
    'maps the kind %s to a valid Organization (no identifier without an ODS code)',
    (kind) => {
      const org = organizationOf({ ...trust, kind, odsCode: null, teams: [] });
      expectValidFhir(org);
      expect(org.identifier).toBeUndefined();
      expect(org.type?.[0]?.coding?.[0]?.code).toBe(ORGANIZATION_TYPE_OF_KIND[kind]);
    },
  );

  it('serves a team as an Organization of type team, part of its organisation', () => {
    const [org, team] = organizationsOf([trust]);
    expect(org?.id).toBe(trust.organisationId);
    expect(team).toBeDefined();
    expectValidFhir(team as NonNullable<typeof team>);
    expect(team?.id).toBe('22222222-2222-4222-8222-222222222222');
    expect(team?.partOf?.reference).toBe(`Organization/${trust.organisationId}`);
    expect(team?.type?.[0]?.coding).toEqual([
      { system: ORGANIZATION_TYPE_SYSTEM, code: 'team', display: 'Organizational team' },
    ]);
  });
});
