import { describe, expect, it } from 'vitest';
import { LONG_TERM_CONDITIONS_FRAMEWORK } from '../commissioning/long-term-conditions.js';
import { INDICATOR_LIBRARY } from '../indicators/library.js';
import { DEFAULT_FRAMEWORKS } from '../outcome-frameworks.js';
import {
  type CatalogueContext,
  type CatalogueEntryDefinition,
  catalogueEntryProblems,
  isWebAddress,
  parseFrameworkRef,
} from './catalogue.js';
import { EXTERNAL_ENTRIES, shippedCatalogue } from './catalogue-seed.js';
import { INSTRUMENTS } from './instruments/index.js';
import { INSTRUMENT_KEYS } from './types.js';

const context: CatalogueContext = {
  frameworkDomains: new Map([
    ...DEFAULT_FRAMEWORKS.map((f) => [`outcomes:${f.key}`, new Set(f.domains.map((d) => d.code))] as const),
    [
      `commissioning:${LONG_TERM_CONDITIONS_FRAMEWORK.key}`,
      new Set(
        LONG_TERM_CONDITIONS_FRAMEWORK.outcomes.flatMap((o) => o.iStatements.map((s) => s.code as string)),
      ),
    ],
  ]),
  instrumentKeys: new Set(INSTRUMENT_KEYS),
  indicatorKeys: new Set(INDICATOR_LIBRARY.map((d) => d.key)),
};

const shipped = shippedCatalogue(
  INSTRUMENT_KEYS.map((k) => INSTRUMENTS[k]),
  INDICATOR_LIBRARY,
  DEFAULT_FRAMEWORKS,
);

describe('the catalogue the product ships', () => {
  it('keeps every rule: each entry could be saved by an editor as it is', () => {
    for (const entry of shipped) expect(catalogueEntryProblems(entry, context), entry.key).toEqual([]);
  });

  it('has one entry per built-in instrument, named as the instrument names itself', () => {
    for (const key of INSTRUMENT_KEYS) {
      const entry = shipped.find((e) => e.link?.kind === 'instrument' && e.link.key === key);
      expect(entry?.name, key).toBe(INSTRUMENTS[key].title);
      expect(entry?.licence).toContain(INSTRUMENTS[key].licence.holder);
    }
  });

  it('has one entry per indicator of the library, derived from its definition', () => {
    for (const d of INDICATOR_LIBRARY) {
      const entry = shipped.find((e) => e.link?.kind === 'indicator' && e.link.key === d.key);
      expect(entry, d.key).toMatchObject({ name: d.name, kind: 'indicator', measures: d.description });
    }
  });

  it('has the product’s own tools and measures it does not ship, each with a licence holder and a source', () => {
    expect(shipped.filter((e) => e.link?.kind === 'ratings' || e.link?.kind === 'gas')).toHaveLength(2);
    expect(EXTERNAL_ENTRIES.length).toBeGreaterThanOrEqual(5);
    for (const e of EXTERNAL_ENTRIES) {
      expect(e.link).toBeNull();
      expect(e.licence.length, e.key).toBeGreaterThan(20);
      expect(e.sourceUrl && isWebAddress(e.sourceUrl), e.key).toBe(true);
      expect(e.validation, e.key).toMatch(/\d{4}/);
    }
  });

  it('uses each key once', () => {
    const keys = shipped.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('an entry an editor sends', () => {
  const valid: CatalogueEntryDefinition = {
    key: 'my-measure',
    name: 'My measure',
    kind: 'measure',
    measures: 'Something',
    levels: ['individual'],
    lifeAreas: ['housing'],
    domains: [{ framework: 'outcomes:talking-points', code: 'feeling-safe' }],
    respondents: ['person'],
    validation: '',
    licence: '',
    sourceUrl: 'https://example.org/measure',
    link: null,
  };

  it('is accepted when it keeps the rules', () => {
    expect(catalogueEntryProblems(valid, context)).toEqual([]);
  });

  it('is refused for each thing wrong, naming the field', () => {
    const problems = catalogueEntryProblems(
      {
        ...valid,
        levels: [],
        respondents: ['person', 'person'],
        domains: [
          { framework: 'outcomes:nowhere', code: 'x' },
          { framework: 'outcomes:talking-points', code: 'no-such-domain' },
        ],
        sourceUrl: 'ftp://example.org',
        link: { kind: 'indicator', key: 'no-such-indicator' },
      },
      context,
    );
    expect(problems.map((p) => p.field)).toEqual([
      'levels',
      'respondents',
      'sourceUrl',
      'domains.0.framework',
      'domains.1.code',
      'link.key',
    ]);
  });

  it('names a tool that takes no key, and a keyed link without one', () => {
    expect(catalogueEntryProblems({ ...valid, link: { kind: 'gas', key: 'x' } }, context)[0]?.field).toBe(
      'link.key',
    );
    expect(
      catalogueEntryProblems({ ...valid, link: { kind: 'instrument', key: null } }, context)[0]?.field,
    ).toBe('link.key');
  });
});

describe('framework references', () => {
  it('read outcomes and commissioning frameworks by key, nothing else', () => {
    expect(parseFrameworkRef('outcomes:talking-points')).toEqual({ kind: 'outcomes', key: 'talking-points' });
    expect(parseFrameworkRef('commissioning:long-term-conditions')).toEqual({
      kind: 'commissioning',
      key: 'long-term-conditions',
    });
    expect(parseFrameworkRef('talking-points')).toBeNull();
    expect(parseFrameworkRef('outcomes:Bad Key')).toBeNull();
  });
});
