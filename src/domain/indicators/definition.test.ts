import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { BREAKDOWNS, breakdownValueLabel, monthLabel, quarterLabel, quarterOf } from './breakdowns.js';
import {
  describeDefinition,
  type IndicatorDefinition,
  IndicatorDefinitionSchema,
  indicatorDefinitionProblems,
} from './definition.js';
import { INDICATOR_LIBRARY } from './library.js';
import { allowedBreakdowns, INDICATOR_SOURCES, ROLLUP_MEASURES, SOURCE_KEYS, sourceOf } from './sources.js';

const base: IndicatorDefinition = {
  key: 'people-with-a-plan',
  name: 'People with a plan',
  description: '',
  source: 'current-plan',
  filters: {},
  improvement: 'increase',
  target: null,
  breakdowns: ['organisation', 'team', 'month'],
  periodicity: 'month',
};
const define = (change: Partial<IndicatorDefinition>): IndicatorDefinition => ({ ...base, ...change });
const fields = (d: IndicatorDefinition) => indicatorDefinitionProblems(d).map((p) => p.field);

describe('indicator sources', () => {
  it('each read a measure the rollup keeps, with a range their values stay within', () => {
    for (const key of SOURCE_KEYS) {
      const source = sourceOf(key);
      expect(ROLLUP_MEASURES, key).toContain(source.measure);
      if (source.range.max !== null) expect(source.range.max, key).toBeGreaterThan(source.range.min);
    }
  });

  it('allow a domain breakdown only for facts about outcomes, and viewpoint only where kept by viewpoint', () => {
    expect(allowedBreakdowns('rating-achieved')).toEqual([...BREAKDOWNS]);
    expect(allowedBreakdowns('current-plan')).not.toContain('domain');
    expect(allowedBreakdowns('current-plan')).not.toContain('viewpoint');
    expect(allowedBreakdowns('viewpoint-agreement')).toContain('domain');
    expect(allowedBreakdowns('viewpoint-agreement')).not.toContain('viewpoint');
  });

  it('bound GAS T-scores at 50 ± 20/√ρ, the most any set of goals can reach', () => {
    expect(INDICATOR_SOURCES['gas-service'].range.min).toBeCloseTo(50 - 20 / Math.sqrt(0.3), 12);
    expect(INDICATOR_SOURCES['gas-person'].range.max).toBeCloseTo(86.51, 2);
  });
});

describe('a definition’s problems across fields', () => {
  it('has none when the fields fit together', () => {
    expect(indicatorDefinitionProblems(base)).toEqual([]);
    expect(
      indicatorDefinitionProblems(
        define({
          source: 'rating-achieved',
          filters: { viewpoint: 'person', domainCode: 'feeling-safe' },
          target: 75,
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a domain filter on a source with no domains, naming the field', () => {
    const problems = indicatorDefinitionProblems(define({ filters: { domainCode: 'feeling-safe' } }));
    expect(problems).toEqual([
      { field: 'filters.domainCode', message: expect.stringMatching(/not about outcomes/) },
    ]);
  });

  it('refuses a viewpoint filter on a source not kept by viewpoint', () => {
    expect(fields(define({ source: 'review-on-time', filters: { viewpoint: 'person' } }))).toEqual([
      'filters.viewpoint',
    ]);
  });

  it('refuses each breakdown the source does not allow, by its place in the list', () => {
    expect(fields(define({ breakdowns: ['organisation', 'domain', 'sex', 'viewpoint'] }))).toEqual([
      'breakdowns.1',
      'breakdowns.3',
    ]);
  });

  it('refuses a breakdown by what a filter already fixes, and a demographic beside a domain filter', () => {
    const d = define({
      source: 'rating-achieved',
      filters: { viewpoint: 'person', domainCode: 'seeing-people' },
      breakdowns: ['viewpoint', 'domain', 'age-band', 'team'],
    });
    expect(fields(d)).toEqual(['breakdowns.0', 'breakdowns.1', 'breakdowns.2']);
  });

  it('refuses a breakdown listed twice', () => {
    expect(fields(define({ breakdowns: ['team', 'team'] }))).toEqual(['breakdowns.1']);
  });

  it('refuses a target the indicator can never reach: a percentage over 100, a T-score beyond its range', () => {
    expect(fields(define({ target: 100 }))).toEqual([]);
    expect(fields(define({ target: 0 }))).toEqual([]);
    expect(indicatorDefinitionProblems(define({ target: 101 }))).toEqual([
      { field: 'target', message: 'The target must be between 0 and 100 (a percentage).' },
    ]);
    expect(fields(define({ source: 'gas-service', target: 55 }))).toEqual([]);
    expect(fields(define({ source: 'gas-service', target: 90 }))).toEqual(['target']);
    expect(fields(define({ source: 'gas-person', target: 10 }))).toEqual(['target']);
    expect(fields(define({ source: 'outcomes-recorded', target: -1 }))).toEqual(['target']);
    expect(fields(define({ source: 'outcomes-recorded', target: 5000 }))).toEqual([]);
    expect(fields(define({ source: 'rating-change', target: 0.5 }))).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(
      fields(
        define({ filters: { viewpoint: 'carer', domainCode: 'x' }, breakdowns: ['domain'], target: 200 }),
      ),
    ).toEqual(['filters.viewpoint', 'filters.domainCode', 'breakdowns.0', 'target']);
  });
});

describe('the library', () => {
  it('ships at least 12 indicators, each keeping the contract and the rules, with distinct keys', () => {
    expect(INDICATOR_LIBRARY.length).toBeGreaterThanOrEqual(12);
    expect(new Set(INDICATOR_LIBRARY.map((d) => d.key)).size).toBe(INDICATOR_LIBRARY.length);
    for (const d of INDICATOR_LIBRARY) {
      expect(
        [...Value.Errors(IndicatorDefinitionSchema, d)].map((e) => e.path),
        d.key,
      ).toEqual([]);
      expect(indicatorDefinitionProblems(d), d.key).toEqual([]);
    }
  });

  it('offers every breakdown its source and filters leave meaningful', () => {
    const person = INDICATOR_LIBRARY.find((d) => d.key === 'person-rated-achieved');
    expect(person?.breakdowns).toContain('domain');
    expect(person?.breakdowns).not.toContain('viewpoint');
    expect(INDICATOR_LIBRARY.find((d) => d.key === 'what-matters')?.breakdowns).toContain('domain');
  });

  it('covers the sources the issue names', () => {
    const sources = new Set(INDICATOR_LIBRARY.map((d) => d.source));
    for (const s of [
      'rating-achieved',
      'rating-change',
      'viewpoint-agreement',
      'gas-person',
      'gas-service',
      'current-plan',
      'review-on-time',
      'rated-by-person',
      'multi-agency-plan',
      'outcomes-recorded',
    ] as const) {
      expect(sources, s).toContain(s);
    }
  });
});

describe('definitions and breakdown values in words', () => {
  it('says what a definition counts, its direction and its target', () => {
    const words = describeDefinition(
      define({
        source: 'rating-achieved',
        filters: { viewpoint: 'person', domainCode: 'feeling-safe' },
        target: 70,
      }),
      'Feeling safe',
    );
    expect(words[0]).toMatch(/^Ratings in the top two points.*as a percentage of outcomes rated/);
    expect(words[0]).toMatch(/viewpoint of the person and coded to the domain “Feeling safe”/);
    expect(words.slice(1)).toEqual(['Higher is better.', 'Target: 70%.']);
  });

  it('names months, calendar quarters and coded values', () => {
    expect(monthLabel('2026-03')).toBe('March 2026');
    expect(quarterOf('2026-03')).toBe('2026-Q1');
    expect(quarterOf('2026-10')).toBe('2026-Q4');
    expect(quarterLabel('2026-Q2')).toBe('April to June 2026');
    expect(breakdownValueLabel('sex', 'female')).toBe('Female');
    expect(breakdownValueLabel('deprivation-quintile', '1')).toBe('1 (most deprived)');
    expect(breakdownValueLabel('age-band', 'unknown')).toBe('Not known');
    expect(breakdownValueLabel('ethnicity', 'not-stated')).toBe('Not stated');
    expect(breakdownValueLabel('ethnicity', 'asian-or-asian-british')).toBe('Asian or Asian British');
    expect(breakdownValueLabel('organisation', 'o1', new Map([['o1', 'Riverside Trust']]))).toBe(
      'Riverside Trust',
    );
  });
});
