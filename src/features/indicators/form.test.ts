import { describe, expect, it } from 'vitest';
import { fieldIdFor, formValuesOf, indicatorFormErrors, indicatorFrom } from './form.js';
import { DefineIndicatorContract } from './schema.js';
import { IndicatorProblems } from './service.js';

describe('the indicator form and the define-indicator contract', () => {
  const body = {
    key: 'plans-in-place',
    name: ' Plans in place ',
    description: '',
    source: 'rating-achieved',
    viewpoint: 'person',
    domainCode: '',
    improvement: 'increase',
    target: '75%',
    breakdowns: ['month', 'organisation'],
    periodicity: 'quarter',
  };

  it('maps every field onto the contract, breakdowns in their usual order, an empty filter left out', () => {
    const { input, unreadable } = indicatorFrom(body);
    expect(unreadable).toEqual([]);
    expect(input).toEqual({
      key: 'plans-in-place',
      name: 'Plans in place',
      description: '',
      source: 'rating-achieved',
      filters: { viewpoint: 'person' },
      improvement: 'increase',
      target: 75,
      breakdowns: ['organisation', 'month'],
      periodicity: 'quarter',
    });
    expect(DefineIndicatorContract.problems(input)).toEqual([]);
    expect(formValuesOf(input).breakdowns).toEqual(['organisation', 'month']);
  });

  it('reads an empty target as none, and names a target that is not a number', () => {
    expect(indicatorFrom({ ...body, target: '' }).input.target).toBeNull();
    expect(indicatorFrom({ ...body, target: 'lots' }).unreadable).toEqual([
      { field: 'target', message: 'Target must be a number, for example 75, or left empty.' },
    ]);
  });

  it('puts each contract path on the form field that holds it', () => {
    expect(fieldIdFor('filters.viewpoint')).toBe('viewpoint');
    expect(fieldIdFor('filters.domainCode')).toBe('domainCode');
    expect(fieldIdFor('breakdowns.3')).toBe('breakdowns');
    expect(fieldIdFor('periodicity')).toBe('periodicity');
    expect(fieldIdFor('')).toBe('key');
  });

  it('words the service’s refusals for the form: the domain’s own words, a choice not made as what to do', () => {
    expect(
      indicatorFormErrors(new IndicatorProblems([{ field: 'breakdowns.1', message: 'Not by domain.' }])),
    ).toEqual([{ field: 'breakdowns', message: 'Not by domain.' }]);
    let contractError: unknown;
    try {
      DefineIndicatorContract.check(indicatorFrom({ ...body, source: '' }).input);
    } catch (error) {
      contractError = error;
    }
    expect(indicatorFormErrors(contractError)).toEqual([
      { field: 'source', message: 'Choose what the indicator counts.' },
    ]);
    expect(() => indicatorFormErrors(new Error('fault'))).toThrow('fault');
  });
});
