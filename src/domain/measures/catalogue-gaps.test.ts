import { describe, expect, it } from 'vitest';
import {
  evidenceId,
  evidenceNeeded,
  type GapEntry,
  type GapFramework,
  gapAnalysis,
  type IndicatorFacts,
  indicatorFacts,
  twelveMonthsFrom,
  usageOf,
} from './catalogue-gaps.js';

const TP = 'outcomes:talking-points';

const outcomes: GapFramework = {
  ref: TP,
  name: 'Talking Points',
  outcomesFramework: null,
  domains: [
    {
      code: 'staying-well',
      name: 'Staying well',
      group: 'Quality of life',
      outcomeDomainCodes: ['staying-well'],
      indicatorKeys: [],
    },
    {
      code: 'feeling-safe',
      name: 'Feeling safe',
      group: 'Quality of life',
      outcomeDomainCodes: ['feeling-safe'],
      indicatorKeys: [],
    },
    {
      code: 'having-a-say',
      name: 'Having a say',
      group: 'Process',
      outcomeDomainCodes: ['having-a-say'],
      indicatorKeys: [],
    },
  ],
};

const entry = (key: string, fields: Partial<GapEntry>): GapEntry => ({
  entryId: `id-${key}`,
  key,
  name: key,
  kind: 'measure',
  domains: [],
  link: null,
  ...fields,
});

const phq9 = entry('phq9', {
  domains: [{ framework: TP, code: 'staying-well' }],
  link: { kind: 'instrument', key: 'phq9' },
});
const ascot = entry('ascot', { domains: [{ framework: TP, code: 'feeling-safe' }] });
const ratings = entry('ratings', { kind: 'tool', link: { kind: 'ratings', key: null } });
const planIndicator = entry('indicator-current-plan', {
  kind: 'indicator',
  link: { kind: 'indicator', key: 'current-plan' },
});

const indicators = new Map<string, IndicatorFacts>([
  [
    'current-plan',
    { key: 'current-plan', measure: 'current-plan', viewpoint: null, domainCode: null, hasDomains: false },
  ],
  [
    'person-rated-achieved',
    {
      key: 'person-rated-achieved',
      measure: 'rating',
      viewpoint: 'person',
      domainCode: null,
      hasDomains: true,
    },
  ],
]);

const counts = (pairs: Record<string, number>) => new Map(Object.entries(pairs));

describe('gap analysis of a personal outcomes framework', () => {
  it('finds a domain no measure covers, one with a measure but no data, and one with data', () => {
    const analysis = gapAnalysis(
      outcomes,
      [phq9, ascot],
      indicators,
      counts({ 'instrument:phq9': 12 }),
      '2025-12-01',
    );
    const byCode = Object.fromEntries(analysis.domains.map((d) => [d.code, d]));
    expect(byCode['staying-well']?.status).toBe('data');
    expect(byCode['staying-well']?.dataCount).toBe(12);
    // ASCOT covers it on paper, but it is not in the product: nothing can be collected.
    expect(byCode['feeling-safe']?.status).toBe('no-data');
    expect(byCode['feeling-safe']?.coveredBy).toEqual([
      expect.objectContaining({ key: 'ascot', how: 'mapped', inProduct: false, dataCount: null }),
    ]);
    expect(byCode['having-a-say']?.status).toBe('no-measure');
    expect(byCode['having-a-say']?.coveredBy).toEqual([]);
    expect(analysis.summary).toEqual({ domains: 3, 'no-measure': 1, 'no-data': 1, data: 1 });
    expect(analysis.since).toBe('2025-12-01');
  });

  it('changes when a measure is recorded: no data becomes data', () => {
    const before = gapAnalysis(outcomes, [phq9], indicators, counts({}), '2025-12-01');
    const after = gapAnalysis(outcomes, [phq9], indicators, counts({ 'instrument:phq9': 1 }), '2025-12-01');
    expect(before.domains[0]?.status).toBe('no-data');
    expect(after.domains[0]?.status).toBe('data');
  });

  it('counts ratings per domain: the ratings tool covers every domain, with data only where outcomes were rated', () => {
    const analysis = gapAnalysis(
      outcomes,
      [ratings],
      indicators,
      counts({ 'rollup:rating:*:feeling-safe': 4 }),
      '2025-12-01',
    );
    expect(analysis.domains.map((d) => [d.code, d.status, d.coveredBy[0]?.how])).toEqual([
      ['staying-well', 'no-data', 'any-domain'],
      ['feeling-safe', 'data', 'any-domain'],
      ['having-a-say', 'no-data', 'any-domain'],
    ]);
  });

  it('asks only for the counts of entries that cover a domain', () => {
    const needed = evidenceNeeded(outcomes, [phq9, ascot, planIndicator, ratings], indicators).map(
      evidenceId,
    );
    expect(needed.sort()).toEqual(
      [
        'instrument:phq9',
        'rollup:rating:*:staying-well',
        'rollup:rating:*:feeling-safe',
        'rollup:rating:*:having-a-say',
      ].sort(),
    );
  });

  it('lists entries with data before those without', () => {
    const gad7 = entry('gad7', {
      domains: [{ framework: TP, code: 'staying-well' }],
      link: { kind: 'instrument', key: 'gad7' },
    });
    const analysis = gapAnalysis(
      outcomes,
      [phq9, gad7],
      indicators,
      counts({ 'instrument:gad7': 3 }),
      '2025-12-01',
    );
    expect(analysis.domains[0]?.coveredBy.map((c) => c.key)).toEqual(['gad7', 'phq9']);
  });
});

describe('gap analysis of a commissioning framework', () => {
  const commissioning: GapFramework = {
    ref: 'commissioning:long-term-conditions',
    name: 'Long-term conditions',
    outcomesFramework: TP,
    domains: [
      {
        code: 'as-well-as-i-can-be',
        name: 'I am as well as I can be.',
        group: 'Living well',
        outcomeDomainCodes: ['staying-well', 'reduced-symptoms'],
        indicatorKeys: ['person-rated-achieved'],
      },
      {
        code: 'plan-my-care',
        name: 'I can plan my care.',
        group: 'Planned together',
        outcomeDomainCodes: ['having-a-say'],
        indicatorKeys: ['current-plan'],
      },
      {
        code: 'nothing-maps',
        name: 'A statement with no mapping.',
        group: 'Other',
        outcomeDomainCodes: [],
        indicatorKeys: [],
      },
    ],
  };
  const personRated = entry('indicator-person-rated-achieved', {
    kind: 'indicator',
    link: { kind: 'indicator', key: 'person-rated-achieved' },
  });

  it('covers I statements through their domains, by the indicators they name, and directly', () => {
    const direct = entry('direct', { domains: [{ framework: commissioning.ref, code: 'plan-my-care' }] });
    const analysis = gapAnalysis(
      commissioning,
      [phq9, personRated, planIndicator, ratings, direct],
      indicators,
      counts({
        'rollup:rating:person:staying-well': 5,
        'rollup:rating:person:reduced-symptoms': 2,
        'rollup:current-plan:*:*': 0,
      }),
      '2025-12-01',
    );
    const [well, plan, none] = analysis.domains;
    expect(well?.coveredBy.map((c) => [c.key, c.how, c.dataCount])).toEqual([
      // The indicator counts its own facts (the person's ratings) in the statement's two domains.
      ['indicator-person-rated-achieved', 'named', 7],
      ['phq9', 'through', 0],
      ['ratings', 'any-domain', 0],
    ]);
    expect(well?.status).toBe('data');
    expect(plan?.coveredBy.map((c) => [c.key, c.how])).toEqual([
      ['indicator-current-plan', 'named'],
      ['ratings', 'any-domain'],
      ['direct', 'mapped'],
    ]);
    expect(plan?.status).toBe('no-data');
    expect(none?.status).toBe('no-measure');
  });
});

describe('whether an entry is in use here', () => {
  it('counts its data over every domain; an entry outside the product has none to count', () => {
    const c = counts({ 'instrument:phq9': 2, 'rollup:rating:*:*': 9, 'rollup:current-plan:*:*': 0 });
    expect(usageOf(phq9, indicators, c)).toBe(2);
    expect(usageOf(ratings, indicators, c)).toBe(9);
    expect(usageOf(planIndicator, indicators, c)).toBe(0);
    expect(usageOf(ascot, indicators, c)).toBeNull();
  });
});

describe('indicator facts', () => {
  it('come from the indicator’s source and filters', () => {
    expect(
      indicatorFacts({
        key: 'k',
        source: 'rating-achieved',
        filters: { viewpoint: 'practitioner', domainCode: 'feeling-safe' },
      }),
    ).toEqual({
      key: 'k',
      measure: 'rating',
      viewpoint: 'practitioner',
      domainCode: 'feeling-safe',
      hasDomains: true,
    });
    expect(indicatorFacts({ key: 'p', source: 'current-plan', filters: {} })).toEqual({
      key: 'p',
      measure: 'current-plan',
      viewpoint: null,
      domainCode: null,
      hasDomains: false,
    });
  });
});

describe('the last twelve months', () => {
  it('start on the first day of the month eleven months before this one', () => {
    expect(twelveMonthsFrom('2026-11-27')).toBe('2025-12-01');
    expect(twelveMonthsFrom('2026-12-01')).toBe('2026-01-01');
    expect(twelveMonthsFrom('2026-01-31')).toBe('2025-02-01');
  });
});
