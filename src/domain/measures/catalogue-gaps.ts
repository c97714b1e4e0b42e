import type { IndicatorDefinition } from '../indicators/definition.js';
import { sourceOf } from '../indicators/sources.js';
import type { CatalogueKind, DomainRef, ProductLink } from './catalogue.js';

/**
 * Gap analysis over the catalogue of measures: for one outcomes framework, which catalogue entries
 * cover each domain, which domains no measure covers, and which have a measure but no data
 * collected "here" (within what the asker may see in aggregate) in the last twelve months.
 *
 * A domain is covered by an entry when:
 * - the entry is mapped to it (`mapped`);
 * - the framework itself names the entry's indicator for it (`named`: a commissioning framework's
 *   I statement lists the indicators that measure it);
 * - the entry is mapped to one of the personal-outcome domains the I statement is mapped to
 *   (`through`: a commissioning framework's I statements are mapped to a personal outcomes
 *   framework's domains);
 * - the entry is the product's ratings or goal attainment scaling (`any-domain`): any personal
 *   outcome, whatever domain it is coded to, can be rated and can carry goals.
 *
 * Data is counted from what the product keeps (the service reads the counts, this only says which):
 * completed measures of a built-in instrument; the rollup's ratings or goal attainments of outcomes
 * coded to the domain; an indicator's own rollup facts. An entry that is not in the product has no
 * data here by definition: it covers the domain on paper only.
 */

export interface GapDomain {
  code: string;
  name: string;
  /** The heading it sits under: a category, or an overarching outcome's statement. */
  group: string;
  /**
   * The personal-outcome domain codes whose ratings and goals count as data for it: its own code in
   * a personal outcomes framework, the I statement's domains in a commissioning framework.
   */
  outcomeDomainCodes: readonly string[];
  /** Indicators the framework itself names for it (a commissioning framework's I statements). */
  indicatorKeys: readonly string[];
}

export interface GapFramework {
  /** `outcomes:<key>` or `commissioning:<key>` (catalogue.ts frameworkRefText). */
  ref: string;
  name: string;
  /** The personal outcomes framework its domains are mapped to (`outcomes:<key>`), if any. */
  outcomesFramework: string | null;
  domains: readonly GapDomain[];
}

export interface GapEntry {
  entryId: string;
  key: string;
  name: string;
  kind: CatalogueKind;
  domains: readonly DomainRef[];
  link: ProductLink | null;
}

/** Where an indicator's data is in the rollup: its source's measure and its filters. */
export interface IndicatorFacts {
  key: string;
  measure: string;
  /** Only facts from this viewpoint; null: every viewpoint. */
  viewpoint: string | null;
  /** Only facts about outcomes coded to this domain; null: all. */
  domainCode: string | null;
  /** Its facts are kept per outcome domain too. */
  hasDomains: boolean;
}

/** The rollup facts an indicator is made from, from its definition and its source. */
export function indicatorFacts(
  definition: Pick<IndicatorDefinition, 'key' | 'source' | 'filters'>,
): IndicatorFacts {
  const source = sourceOf(definition.source);
  return {
    key: definition.key,
    measure: source.measure,
    viewpoint: definition.filters.viewpoint ?? null,
    domainCode: definition.filters.domainCode ?? null,
    hasDomains: source.hasDomains,
  };
}

/**
 * One count the service reads: completed measures of an instrument, or the summed denominators of
 * a rollup measure (at one viewpoint or all; the 'all' cell, or one domain's cell).
 */
export type EvidenceKey =
  | { source: 'instrument'; instrument: string }
  | { source: 'rollup'; measure: string; viewpoint: string | null; domainCode: string | null };

export function evidenceId(key: EvidenceKey): string {
  return key.source === 'instrument'
    ? `instrument:${key.instrument}`
    : `rollup:${key.measure}:${key.viewpoint ?? '*'}:${key.domainCode ?? '*'}`;
}

export const COVERAGE_REASONS = ['mapped', 'named', 'through', 'any-domain'] as const;
export type CoverageReason = (typeof COVERAGE_REASONS)[number];
export const COVERAGE_REASON_LABELS: Record<CoverageReason, string> = {
  mapped: 'Mapped to this domain in the catalogue',
  named: 'Named by the framework for this statement',
  through: 'Mapped to a domain this statement is mapped to',
  'any-domain': 'Any personal outcome can be rated or given goals, whatever its domain',
};

export const GAP_STATUSES = ['no-measure', 'no-data', 'data'] as const;
export type GapStatus = (typeof GAP_STATUSES)[number];
export const GAP_STATUS_LABELS: Record<GapStatus, string> = {
  'no-measure': 'Gap: no measure covers this',
  'no-data': 'Gap: no data collected here in the last 12 months',
  data: 'Data collected here in the last 12 months',
};

export interface GapCoverage {
  entryId: string;
  key: string;
  name: string;
  kind: CatalogueKind;
  how: CoverageReason;
  inProduct: boolean;
  /** Facts collected here in the period; null when it is not in the product (nothing can be). */
  dataCount: number | null;
}

export interface GapDomainResult {
  code: string;
  name: string;
  group: string;
  coveredBy: GapCoverage[];
  status: GapStatus;
  /** Everything collected for it, over every entry covering it. */
  dataCount: number;
}

export interface GapAnalysis {
  framework: { ref: string; name: string };
  /** The first day counted (YYYY-MM-DD): the start of the month eleven months before this one. */
  since: string;
  domains: GapDomainResult[];
  summary: Record<GapStatus, number> & { domains: number };
}

/** How an entry covers a domain of the framework, or null when it does not. */
export function coverageOf(
  framework: GapFramework,
  domain: GapDomain,
  entry: GapEntry,
): CoverageReason | null {
  const mapped = (ref: string, code: string) =>
    entry.domains.some((d) => d.framework === ref && d.code === code);
  if (mapped(framework.ref, domain.code)) return 'mapped';
  if (entry.link?.kind === 'indicator' && entry.link.key && domain.indicatorKeys.includes(entry.link.key)) {
    return 'named';
  }
  const via = framework.outcomesFramework;
  if (via && domain.outcomeDomainCodes.some((code) => mapped(via, code))) return 'through';
  if (
    (entry.link?.kind === 'ratings' || entry.link?.kind === 'gas') &&
    domain.outcomeDomainCodes.length > 0
  ) {
    return 'any-domain';
  }
  return null;
}

const rollup = (measure: string, viewpoint: string | null, domainCode: string | null): EvidenceKey => ({
  source: 'rollup',
  measure,
  viewpoint,
  domainCode,
});

/**
 * What counts as data for an entry at a domain. Ratings and goals count per outcome domain (the
 * rollup keeps a cell per domain); an instrument's completed measures count wherever it is mapped;
 * an indicator counts its own facts, per domain when it keeps them so and has no domain of its own.
 */
export function evidenceFor(
  entry: Pick<GapEntry, 'link'>,
  domain: Pick<GapDomain, 'outcomeDomainCodes'> | null,
  indicators: ReadonlyMap<string, IndicatorFacts>,
): EvidenceKey[] {
  const link = entry.link;
  if (!link) return [];
  const codes = domain?.outcomeDomainCodes ?? [];
  switch (link.kind) {
    case 'instrument':
      return link.key ? [{ source: 'instrument', instrument: link.key }] : [];
    case 'ratings':
    case 'gas': {
      const measure = link.kind === 'ratings' ? 'rating' : 'gas-goal';
      return domain ? codes.map((c) => rollup(measure, null, c)) : [rollup(measure, null, null)];
    }
    case 'indicator': {
      const facts = link.key ? indicators.get(link.key) : undefined;
      if (!facts) return [];
      if (facts.domainCode) return [rollup(facts.measure, facts.viewpoint, facts.domainCode)];
      if (facts.hasDomains && codes.length)
        return codes.map((c) => rollup(facts.measure, facts.viewpoint, c));
      return [rollup(facts.measure, facts.viewpoint, null)];
    }
  }
}

function unique(keys: EvidenceKey[]): EvidenceKey[] {
  const byId = new Map(keys.map((k) => [evidenceId(k), k]));
  return [...byId.values()];
}

/** Every count the analysis of this framework needs: the service reads these and no more. */
export function evidenceNeeded(
  framework: GapFramework,
  entries: readonly GapEntry[],
  indicators: ReadonlyMap<string, IndicatorFacts>,
): EvidenceKey[] {
  return unique(
    framework.domains.flatMap((domain) =>
      entries
        .filter((entry) => coverageOf(framework, domain, entry) !== null)
        .flatMap((entry) => evidenceFor(entry, domain, indicators)),
    ),
  );
}

/** Every count that says whether each entry is in use here at all (whatever the domain). */
export function usageEvidenceNeeded(
  entries: readonly Pick<GapEntry, 'link'>[],
  indicators: ReadonlyMap<string, IndicatorFacts>,
): EvidenceKey[] {
  return unique(entries.flatMap((entry) => evidenceFor(entry, null, indicators)));
}

const total = (keys: EvidenceKey[], counts: ReadonlyMap<string, number>) =>
  keys.reduce((sum, k) => sum + (counts.get(evidenceId(k)) ?? 0), 0);

/** How much an entry collected here in the period, whatever the domain; null when not in the product. */
export function usageOf(
  entry: Pick<GapEntry, 'link'>,
  indicators: ReadonlyMap<string, IndicatorFacts>,
  counts: ReadonlyMap<string, number>,
): number | null {
  if (!entry.link) return null;
  return total(evidenceFor(entry, null, indicators), counts);
}

/**
 * The gap analysis of one framework, from the counts the service read for `evidenceNeeded`. Each
 * domain's covering entries come in the catalogue's order (the caller's), those with data first.
 */
export function gapAnalysis(
  framework: GapFramework,
  entries: readonly GapEntry[],
  indicators: ReadonlyMap<string, IndicatorFacts>,
  counts: ReadonlyMap<string, number>,
  since: string,
): GapAnalysis {
  const domains = framework.domains.map((domain): GapDomainResult => {
    const coveredBy = entries.flatMap((entry): GapCoverage[] => {
      const how = coverageOf(framework, domain, entry);
      if (!how) return [];
      const inProduct = entry.link !== null;
      return [
        {
          entryId: entry.entryId,
          key: entry.key,
          name: entry.name,
          kind: entry.kind,
          how,
          inProduct,
          dataCount: inProduct ? total(evidenceFor(entry, domain, indicators), counts) : null,
        },
      ];
    });
    coveredBy.sort((a, b) => Number((b.dataCount ?? 0) > 0) - Number((a.dataCount ?? 0) > 0));
    const dataCount = coveredBy.reduce((sum, c) => sum + (c.dataCount ?? 0), 0);
    const status: GapStatus = coveredBy.length === 0 ? 'no-measure' : dataCount > 0 ? 'data' : 'no-data';
    return { code: domain.code, name: domain.name, group: domain.group, coveredBy, status, dataCount };
  });
  const count = (status: GapStatus) => domains.filter((d) => d.status === status).length;
  return {
    framework: { ref: framework.ref, name: framework.name },
    since,
    domains,
    summary: {
      domains: domains.length,
      'no-measure': count('no-measure'),
      'no-data': count('no-data'),
      data: count('data'),
    },
  };
}

/**
 * The first day of the last twelve months, counting this month as one: the rollup keeps whole
 * months, so the period is whole months, and instruments' dates are counted over the same days.
 */
export function twelveMonthsFrom(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const index = year * 12 + (month - 1) - 11;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}
