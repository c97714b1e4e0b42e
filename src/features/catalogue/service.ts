import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { type AggregateScope, aggregateScopeOf } from '../../domain/aggregate-access.js';
import { todayIso } from '../../domain/calendar.js';
import { commissioningPermissions } from '../../domain/commissioning/access.js';
import { type DisclosureRules, discloseCount, NHS_DISCLOSURE_RULES } from '../../domain/disclosure.js';
import type { IndicatorDefinition } from '../../domain/indicators/definition.js';
import type { SourceKey } from '../../domain/indicators/sources.js';
import {
  type CatalogueEntryDefinition,
  catalogueEntryProblems,
  type ProductLink,
  parseFrameworkRef,
} from '../../domain/measures/catalogue.js';
import {
  coverageOf,
  evidenceNeeded,
  type GapFramework,
  gapAnalysis,
  type IndicatorFacts,
  indicatorFacts,
  twelveMonthsFrom,
  usageEvidenceNeeded,
  usageOf,
} from '../../domain/measures/catalogue-gaps.js';
import { INSTRUMENT_KEYS } from '../../domain/measures/types.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import type { Role } from '../../domain/roles.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { CommissioningService } from '../commissioning/service.js';
import type { FrameworkService } from '../frameworks/service.js';
import {
  type CatalogueEntry,
  CatalogueEntryContract,
  type CatalogueEntryInput,
  type CatalogueFilters,
  CatalogueFiltersContract,
  type FrameworkChoice,
  type GapAnalysisView,
} from './schema.js';
import * as store from './store.js';

export type { CatalogueEntry, FrameworkChoice, GapAnalysisView } from './schema.js';

/** An entry that keeps the contract's shape but not the domain's rules: 422, naming every field at fault. */
export class CatalogueProblems extends ContractError {
  override readonly status = 422 as const;
  override readonly title = 'Invalid catalogue entry';
}

/** Who may change the catalogue: it is the area's shared map, kept by administrators and commissioners. */
export const CATALOGUE_EDITOR_ROLES = ['admin', 'commissioner'] as const satisfies readonly Role[];

export interface CataloguePermissions {
  /** Every signed-in user may read the catalogue: it is reference data, about no one. */
  read: boolean;
  edit: boolean;
  /** Whether the actor sees any service figures: "in use here" and the gap analysis's data. */
  seeUsage: boolean;
}

/**
 * Where an entry is in the product, as a page address. A built-in instrument's is its questionnaire's
 * page (features/questionnaires: what it measures, its licence, how it is scored, its form), by the
 * instrument's key, which names its current version; it is given from a person's record.
 */
export function productHref(link: ProductLink): string | null {
  switch (link.kind) {
    case 'instrument':
      return link.key ? `/questionnaires/${link.key}` : null;
    case 'indicator':
      return `/indicators/${link.key}`;
    case 'ratings':
      return '/frameworks';
    case 'gas':
      return '/indicators/gas-service';
  }
}

const RESOURCE = 'catalogue_entry';

/**
 * The catalogue of measures and its gap analysis. Reading the catalogue is for everyone signed in;
 * changing it is for administrators and commissioners, audited, refusals too. Whether an entry is
 * "in use here", and the gap analysis's data, are aggregates within the actor's aggregate scope
 * (domain/aggregate-access.ts), counted from the rollup and an index (store.evidenceCounts) and
 * shown through disclosure control: no figure about a person ever leaves this service.
 */
export class CatalogueService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly frameworks: FrameworkService,
    private readonly commissioning: CommissioningService,
    private readonly rules: DisclosureRules = NHS_DISCLOSURE_RULES,
  ) {}

  /** What the actor may do here: pages and navigation ask, they never decide. */
  permissions(actor: Actor): CataloguePermissions {
    return {
      read: true,
      edit: hasRole(actor, ...CATALOGUE_EDITOR_ROLES),
      seeUsage: aggregateScopeOf(actor) !== null,
    };
  }

  /** The entries, in the catalogue's order, narrowed by the filters, each with whether it is in use here. */
  async list(actor: Actor, query: CatalogueFilters = {}): Promise<CatalogueEntry[]> {
    const filters = CatalogueFiltersContract.check(query);
    let entries = await store.allEntries(this.db);
    if (filters.kind) entries = entries.filter((e) => e.kind === filters.kind);
    if (filters.level) entries = entries.filter((e) => e.levels.includes(filters.level as never));
    if (filters.lifeArea) entries = entries.filter((e) => e.lifeAreas.includes(filters.lifeArea as never));
    if (filters.domain) {
      const match = /^((?:outcomes|commissioning):[a-z0-9-]+):([a-z0-9-]+)$/.exec(filters.domain);
      if (!match) {
        throw invalid(
          'The domain must be a framework and a domain code, such as outcomes:talking-points:feeling-safe.',
          'domain',
        );
      }
      const framework = await this.gapFramework(actor, match[1] as string);
      const domain = framework.domains.find((d) => d.code === match[2]);
      if (!domain) throw invalid(`${framework.name} has no domain “${match[2]}”.`, 'domain');
      entries = entries.filter((e) => coverageOf(framework, domain, { ...e, domains: e.domains }) !== null);
    }
    return this.describe(actor, entries);
  }

  async get(actor: Actor, entryId: string): Promise<CatalogueEntry> {
    const entry = await store.entryById(this.db, entryId);
    if (!entry) throw notFound('The catalogue entry');
    const [described] = await this.describe(actor, [entry]);
    return described as CatalogueEntry;
  }

  /** The frameworks a gap analysis (or a domain filter) can be run over: those the actor may read. */
  async frameworkChoices(actor: Actor): Promise<FrameworkChoice[]> {
    const outcomes = await this.frameworks.list();
    const seen = new Set<string>();
    const choices: FrameworkChoice[] = [];
    // The default framework first: it is what most outcomes are coded with.
    for (const f of [...outcomes].sort((a, b) => Number(b.isDefault) - Number(a.isDefault))) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      choices.push({ ref: `outcomes:${f.key}`, name: f.name });
    }
    if (commissioningPermissions(actor).readFrameworks) {
      for (const f of await this.commissioning.listFrameworks(actor)) {
        choices.push({ ref: `commissioning:${f.key}`, name: f.name });
      }
    }
    return choices;
  }

  /**
   * Every framework an entry can be mapped to, with its domains (I statements for a commissioning
   * framework), and the keys a product link can name: the editor's choices. Editors only.
   */
  async formChoices(actor: Actor): Promise<{
    frameworks: { ref: string; name: string; domains: { code: string; name: string }[] }[];
    instrumentKeys: string[];
    indicatorKeys: string[];
  }> {
    await this.requireEditor(actor, 'edit-catalogue-entry', null);
    const [names, indicators] = await Promise.all([store.frameworkNames(this.db), this.indicatorFacts()]);
    return {
      frameworks: [...names].map(([ref, f]) => ({
        ref,
        name: f.name,
        domains: [...f.domains].map(([code, name]) => ({ code, name })),
      })),
      instrumentKeys: [...INSTRUMENT_KEYS],
      indicatorKeys: [...indicators.keys()].sort(),
    };
  }

  /** The frameworks and domains the list can be filtered by: those the actor may read. */
  async filterChoices(
    actor: Actor,
  ): Promise<{ ref: string; name: string; domains: { code: string; name: string }[] }[]> {
    const [choices, names] = await Promise.all([this.frameworkChoices(actor), store.frameworkNames(this.db)]);
    return choices.map((c) => ({
      ...c,
      domains: [...(names.get(c.ref)?.domains ?? [])].map(([code, name]) => ({ code, name })),
    }));
  }

  /** The default framework's reference: what the gap analysis shows first. */
  async defaultFrameworkRef(): Promise<string> {
    return `outcomes:${(await this.frameworks.current()).key}`;
  }

  /**
   * The gap analysis of one framework: for each domain (or I statement), the entries that cover it,
   * and whether data was collected here in the last twelve months. Aggregate readers only: the data
   * is service figures.
   */
  async gaps(actor: Actor, frameworkRef: string): Promise<GapAnalysisView> {
    const scope = await this.requireUsage(actor, 'read-gap-analysis', frameworkRef);
    const framework = await this.gapFramework(actor, frameworkRef);
    const [entries, indicators] = await Promise.all([store.allEntries(this.db), this.indicatorFacts()]);
    const since = twelveMonthsFrom(todayIso());
    const counts = await store.evidenceCounts(
      this.db,
      evidenceNeeded(framework, entries, indicators),
      since,
      scope,
    );
    const analysis = gapAnalysis(framework, entries, indicators, counts, since);
    const shown = (n: number) => discloseCount(n, this.rules).shown;
    return {
      framework: analysis.framework,
      since: analysis.since,
      here: hereText(scope),
      summary: {
        domains: analysis.summary.domains,
        noMeasure: analysis.summary['no-measure'],
        noData: analysis.summary['no-data'],
        withData: analysis.summary.data,
      },
      domains: analysis.domains.map((d) => ({
        code: d.code,
        name: d.name,
        group: d.group,
        status: d.status,
        hasData: d.dataCount > 0,
        count: shown(d.dataCount),
        coveredBy: d.coveredBy.map((c) => ({
          entryId: c.entryId,
          key: c.key,
          name: c.name,
          kind: c.kind,
          how: c.how,
          inProduct: c.inProduct,
          hasData: c.dataCount === null ? null : c.dataCount > 0,
          count: c.dataCount === null ? null : shown(c.dataCount),
        })),
      })),
    };
  }

  /** Adds an entry. Administrators and commissioners; audited, refusals too. */
  async add(actor: Actor, input: CatalogueEntryInput): Promise<CatalogueEntry> {
    await this.requireEditor(actor, 'add-catalogue-entry', null);
    const entry = await this.check(input);
    const entryId = await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('whatmatters.catalogue'))`.execute(trx);
      if (await store.entryIdWithKey(trx, entry.key)) {
        throw new ServiceError(409, 'Key in use', `Another entry already has the key “${entry.key}”.`, 'key');
      }
      const id = await store.insertEntry(trx, entry, actor.userId);
      await this.audit.record(
        actor,
        { action: 'add-catalogue-entry', resourceType: RESOURCE, resourceId: id },
        trx,
      );
      return id;
    });
    return this.get(actor, entryId);
  }

  /** Changes an entry; its key never changes. Administrators and commissioners; audited, refusals too. */
  async update(actor: Actor, entryId: string, input: CatalogueEntryInput): Promise<CatalogueEntry> {
    await this.requireEditor(actor, 'change-catalogue-entry', entryId);
    const existing = await store.entryById(this.db, entryId);
    if (!existing) throw notFound('The catalogue entry');
    const entry = await this.check(input);
    if (entry.key !== existing.key) {
      throw new ServiceError(
        409,
        'Key cannot change',
        `The key of an entry never changes once made: it is “${existing.key}”.`,
        'key',
      );
    }
    await this.db.transaction().execute(async (trx) => {
      await store.updateEntry(trx, entryId, entry, actor.userId);
      await this.audit.record(
        actor,
        { action: 'change-catalogue-entry', resourceType: RESOURCE, resourceId: entryId },
        trx,
      );
    });
    return this.get(actor, entryId);
  }

  /** The input as an entry, or a refusal naming every field at fault (the contract's, then the domain's). */
  private async check(input: CatalogueEntryInput): Promise<CatalogueEntryDefinition> {
    const entry = CatalogueEntryContract.check(input);
    const [names, indicators] = await Promise.all([store.frameworkNames(this.db), this.indicatorFacts()]);
    const problems = catalogueEntryProblems(entry, {
      frameworkDomains: new Map([...names].map(([ref, f]) => [ref, new Set(f.domains.keys())])),
      instrumentKeys: new Set(INSTRUMENT_KEYS),
      indicatorKeys: new Set(indicators.keys()),
    });
    if (problems.length) throw new CatalogueProblems(problems);
    return { ...entry, sourceUrl: entry.sourceUrl?.trim() || null };
  }

  /** The framework a gap analysis runs over, in the analysis's terms; commissioning ones by their own access rule. */
  private async gapFramework(actor: Actor, ref: string): Promise<GapFramework> {
    const parsed = parseFrameworkRef(ref);
    if (!parsed) {
      throw invalid('The framework must be outcomes:<key> or commissioning:<key>.', 'framework');
    }
    if (parsed.kind === 'outcomes') {
      const framework = (await this.frameworks.list()).find((f) => f.key === parsed.key);
      if (!framework) throw invalid(`There is no outcomes framework “${parsed.key}”.`, 'framework');
      return {
        ref,
        name: framework.name,
        outcomesFramework: null,
        domains: framework.domains.map((d) => ({
          code: d.code,
          name: d.name,
          group: CATEGORY_LABELS[d.category],
          outcomeDomainCodes: [d.code],
          indicatorKeys: [],
        })),
      };
    }
    // The commissioning service applies (and audits) its own rule on who may read its frameworks.
    const summary = (await this.commissioning.listFrameworks(actor)).find((f) => f.key === parsed.key);
    if (!summary) throw invalid(`There is no commissioning framework “${parsed.key}”.`, 'framework');
    const framework = await this.commissioning.getFramework(actor, summary.frameworkId);
    return {
      ref,
      name: framework.name,
      outcomesFramework: `outcomes:${framework.outcomesFrameworkKey}`,
      domains: framework.outcomes.flatMap((o) =>
        o.iStatements.map((s) => ({
          code: s.code,
          name: s.text,
          group: o.statement,
          outcomeDomainCodes: s.domains.map((d) => d.code),
          indicatorKeys: s.indicators.map((i) => i.key),
        })),
      ),
    };
  }

  /** Where each indicator's data is in the rollup, from its latest definition. */
  private async indicatorFacts(): Promise<Map<string, IndicatorFacts>> {
    const rows = await store.indicatorSources(this.db);
    return new Map(
      rows.map((r) => [
        r.key,
        indicatorFacts({
          key: r.key,
          source: r.source as SourceKey,
          filters: r.filters as IndicatorDefinition['filters'],
        }),
      ]),
    );
  }

  /** Entries as answered: domain names, the product link's page, and whether each is in use here. */
  private async describe(actor: Actor, entries: store.StoredEntry[]): Promise<CatalogueEntry[]> {
    const scope = aggregateScopeOf(actor);
    const [names, indicators] = await Promise.all([store.frameworkNames(this.db), this.indicatorFacts()]);
    const counts = scope
      ? await store.evidenceCounts(
          this.db,
          usageEvidenceNeeded(entries, indicators),
          twelveMonthsFrom(todayIso()),
          scope,
        )
      : new Map<string, number>();
    return entries.map((e) => {
      const used = scope ? usageOf(e, indicators, counts) : null;
      return {
        entryId: e.entryId,
        key: e.key,
        name: e.name,
        kind: e.kind,
        measures: e.measures,
        levels: e.levels,
        lifeAreas: e.lifeAreas,
        domains: e.domains.map((d) => {
          const framework = names.get(d.framework);
          return {
            framework: d.framework,
            frameworkName: framework?.name ?? d.framework,
            code: d.code,
            name: framework?.domains.get(d.code) ?? d.code,
          };
        }),
        respondents: e.respondents,
        validation: e.validation,
        licence: e.licence,
        sourceUrl: e.sourceUrl,
        link: e.link ? { kind: e.link.kind, key: e.link.key, href: productHref(e.link) } : null,
        shipped: e.shipped,
        usage: {
          inProduct: e.link !== null,
          inUseHere: used === null ? null : used > 0,
          count: used === null ? null : discloseCount(used, this.rules).shown,
        },
        updatedAt: e.updatedAt.toISOString(),
      };
    });
  }

  /** Refuses, and audits the refusal, unless the actor is an administrator or a commissioner. */
  private async requireEditor(actor: Actor, action: string, resourceId: string | null): Promise<void> {
    if (this.permissions(actor).edit) return;
    await this.audit.record(actor, {
      action,
      resourceType: RESOURCE,
      resourceId,
      purpose: 'not an administrator or commissioner',
      outcome: 'denied',
    });
    throw forbidden('change the catalogue of measures');
  }

  /** The actor's aggregate scope, or a refusal (audited): people, carers and administrators see no service figures. */
  private async requireUsage(actor: Actor, action: string, resourceId: string): Promise<AggregateScope> {
    const scope = aggregateScopeOf(actor);
    if (scope) return scope;
    await this.audit.record(actor, {
      action,
      resourceType: RESOURCE,
      resourceId,
      purpose: 'sees no service figures',
      outcome: 'denied',
    });
    throw forbidden('see where measures are in use');
  }
}

/** Whose data the gap analysis counts, in words. */
function hereText(scope: AggregateScope): string {
  if (scope.kind === 'region') return 'Every organisation and team in the area';
  const parts = [];
  if (scope.organisationIds.length) {
    parts.push(scope.organisationIds.length === 1 ? 'your organisation' : 'your organisations');
  }
  if (scope.teamIds.length) parts.push(scope.teamIds.length === 1 ? 'your team' : 'your teams');
  const text = parts.join(' and ');
  return `People whose responsible team is in ${text}`;
}
