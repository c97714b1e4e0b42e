import { describe, expect, it } from 'vitest';
import { catalogueEntryFrom, catalogueFormErrors, fieldIdFor } from './form.js';
import { CatalogueEntryContract } from './schema.js';
import { CatalogueProblems } from './service.js';

describe('the catalogue entry form', () => {
  const body = {
    key: 'tenant-survey',
    name: ' Tenant survey ',
    kind: 'metric',
    measures: 'How settled tenants feel.',
    levels: ['service', 'wider-system'],
    lifeAreas: 'housing',
    respondents: ['person'],
    domains: ['outcomes:talking-points|feeling-safe', 'commissioning:long-term-conditions|feel-safe'],
    validation: '',
    licence: 'Free.',
    sourceUrl: '',
    linkKind: 'indicator',
    linkKey: 'person-rated-achieved',
  };

  it('maps onto the contract: lists from ticks, domains from framework|code, blanks to null', () => {
    const { input, values } = catalogueEntryFrom(body);
    expect(input).toEqual({
      key: 'tenant-survey',
      name: 'Tenant survey',
      kind: 'metric',
      measures: 'How settled tenants feel.',
      levels: ['service', 'wider-system'],
      lifeAreas: ['housing'],
      respondents: ['person'],
      domains: [
        { framework: 'outcomes:talking-points', code: 'feeling-safe' },
        { framework: 'commissioning:long-term-conditions', code: 'feel-safe' },
      ],
      validation: '',
      licence: 'Free.',
      sourceUrl: null,
      link: { kind: 'indicator', key: 'person-rated-achieved' },
    });
    expect(CatalogueEntryContract.problems(input)).toEqual([]);
    expect(values.ticked.domains).toEqual(body.domains);
    expect(values.text.name).toBe('Tenant survey');
  });

  it('sends no link when none is chosen, and an unknown kind as typed for the contract to refuse', () => {
    const { input } = catalogueEntryFrom({ ...body, linkKind: '', kind: 'survey' });
    expect(input.link).toBeNull();
    expect(CatalogueEntryContract.problems(input).map((p) => p.field)).toEqual(['kind']);
  });

  it('puts each refusal on the field that holds it', () => {
    expect(fieldIdFor('domains.3.code')).toBe('domains');
    expect(fieldIdFor('link.key')).toBe('linkKey');
    expect(fieldIdFor('link.kind')).toBe('linkKind');
    expect(fieldIdFor('lifeAreas.0')).toBe('lifeAreas');
    expect(
      catalogueFormErrors(
        new CatalogueProblems([{ field: 'link.key', message: 'There is no indicator “x”.' }]),
      ),
    ).toEqual([{ field: 'linkKey', message: 'There is no indicator “x”.' }]);
    expect(() => catalogueFormErrors(new Error('boom'))).toThrow('boom');
  });
});
