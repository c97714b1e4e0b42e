import type { Actor } from '../../domain/actor.js';
import { aggregateScopeOf } from '../../domain/aggregate-access.js';
import {
  RESOURCE_KIND_LABELS,
  RESOURCE_KINDS,
  type ResourceKind,
} from '../../domain/community/vocabulary.js';
import { type CommunityFigure, communitySourceKey } from '../../domain/indicators/community-sources.js';
import { forbidden } from '../../services/errors.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { IndicatorService, IndicatorValueRow } from '../indicators/service.js';
import type { CommunityOutcomesInput } from './schema.js';

/**
 * Outcomes of community support for commissioners (issue 14, part 4): people connected to each kind
 * of community support, how the person's own rating of the linked outcome changed afterwards and
 * how their wellbeing (SWEMWBS) changed,
 * beside the same change for every service; and, for one kind, each organisation that runs it and
 * each resource (group or service) of that kind. Every
 * figure is a library indicator's (domain/indicators/library.ts, over community-sources.ts) read
 * through the indicator service, so it is kept in the rollup and leaves through the one disclosure
 * control; the kinds are disclosed as one table whose rows add up to the whole, so a hidden kind
 * cannot be worked out from the others. Commissioners and analysts only, as the aggregate access rule
 * gives them the whole region: a provider's figures are its own teams', and these facts sit in the
 * organisations that run the resources. Each read is audited, and each refusal.
 */

/** A figure with the indicator it is read from (its page, and the statements behind it). */
export interface CommunityFigureValue {
  indicatorKey: string;
  row: IndicatorValueRow;
}

export interface CommunityFigures {
  connected: CommunityFigureValue;
  change: CommunityFigureValue;
  improved: CommunityFigureValue;
  /** The change in wellbeing (SWEMWBS) across the connection, and the share reliably improved. */
  wellbeingChange: CommunityFigureValue;
  wellbeingImproved: CommunityFigureValue;
}

export interface KindOutcomes extends CommunityFigures {
  kind: ResourceKind;
  label: string;
}

export interface OrganisationOutcomes extends CommunityFigures {
  organisationId: string;
  name: string;
}

/** One resource's figures: a unit of the organisation that runs it (migration 0038). */
export interface ResourceOutcomes extends CommunityFigures {
  resourceId: string;
  /** "Resource, Organisation", as a unit inside an organisation is named everywhere. */
  name: string;
}

export interface CommunityOutcomes {
  from: string;
  to: string;
  /** Every kind of support, in the directory's order; the page leaves out those with no connection. */
  kinds: KindOutcomes[];
  /** Every kind together. */
  all: CommunityFigures;
  /** The same change for every outcome rated twice, whatever the support (clinical services too). */
  everyService: { change: CommunityFigureValue; improved: CommunityFigureValue };
  /** The kind chosen, by the organisation that runs it and by resource; null when none was chosen. */
  chosen: {
    kind: ResourceKind;
    label: string;
    organisations: OrganisationOutcomes[];
    resources: ResourceOutcomes[];
  } | null;
}

/** The library's indicators of each figure (the person's own viewpoint for the change). */
const FIGURES: readonly { name: keyof CommunityFigures; figure: CommunityFigure }[] = [
  { name: 'connected', figure: 'connected' },
  { name: 'change', figure: 'rating-change' },
  { name: 'improved', figure: 'rating-improved' },
  { name: 'wellbeingChange', figure: 'wellbeing-change' },
  { name: 'wellbeingImproved', figure: 'wellbeing-improved' },
];

/** Every figure by its name, from the one read for the f-th of FIGURES. */
const byFigure = (pick: (f: number) => CommunityFigureValue): CommunityFigures =>
  Object.fromEntries(FIGURES.map(({ name }, f) => [name, pick(f)])) as Record<
    keyof CommunityFigures,
    CommunityFigureValue
  >;

/** The library's indicators of the same change for every outcome, whatever the support. */
export const EVERY_SERVICE_INDICATORS = {
  change: 'person-rating-change',
  improved: 'outcomes-improved',
} as const;

export class CommunityOutcomesService {
  constructor(
    private readonly indicators: IndicatorService,
    private readonly audit: AuditService,
  ) {}

  /** Whether the actor may open the page: for navigation to offer it; the service decides again. */
  mayRead(actor: Actor): boolean {
    return aggregateScopeOf(actor)?.kind === 'region';
  }

  async outcomes(actor: Actor, input: CommunityOutcomesInput = {}): Promise<CommunityOutcomes> {
    const resourceId = input.kind ?? null;
    if (!this.mayRead(actor)) {
      await this.audit.record(actor, {
        action: 'read-community-outcomes',
        resourceType: 'indicator',
        resourceId,
        purpose: 'refused: not a commissioner or analyst',
        outcome: 'denied',
      });
      throw forbidden('see the outcomes of community support across the area');
    }
    const period = { ...(input.from ? { from: input.from } : {}), ...(input.to ? { to: input.to } : {}) };
    const tables = await Promise.all(
      FIGURES.map(({ figure }) =>
        this.indicators.evaluateParts(actor, {
          wholeKey: communitySourceKey(figure),
          partKeys: RESOURCE_KINDS.map((k) => communitySourceKey(figure, k)),
          ...period,
        }),
      ),
    );
    const [connected] = tables as [(typeof tables)[number]];
    const figureOf = (t: (typeof tables)[number], i: number | null): CommunityFigureValue => {
      const row = i === null ? t.whole : (t.parts[i] as IndicatorValueRow);
      return { indicatorKey: row.key, row };
    };
    // Each figure of a kind (i) or of every kind (null).
    const figuresOf = (i: number | null) =>
      byFigure((f) => figureOf(tables[f] as (typeof tables)[number], i));
    const [everyChange, everyImproved] = await Promise.all([
      this.indicators.evaluate(actor, { key: EVERY_SERVICE_INDICATORS.change, ...period }),
      this.indicators.evaluate(actor, { key: EVERY_SERVICE_INDICATORS.improved, ...period }),
    ]);
    const chosen = input.kind ? await this.chosenKind(actor, input.kind, period) : null;
    await this.audit.record(actor, {
      action: 'read-community-outcomes',
      resourceType: 'indicator',
      resourceId,
      purpose: `${connected.from} to ${connected.to}`,
    });
    return {
      from: connected.from,
      to: connected.to,
      kinds: RESOURCE_KINDS.map((kind, i) => ({
        kind,
        label: RESOURCE_KIND_LABELS[kind],
        ...figuresOf(i),
      })),
      all: figuresOf(null),
      everyService: {
        change: { indicatorKey: EVERY_SERVICE_INDICATORS.change, row: everyChange.total },
        improved: { indicatorKey: EVERY_SERVICE_INDICATORS.improved, row: everyImproved.total },
      },
      chosen,
    };
  }

  /** One kind's figures by the organisation that runs it and by resource. */
  private async chosenKind(
    actor: Actor,
    kind: ResourceKind,
    period: { from?: string; to?: string },
  ): Promise<NonNullable<CommunityOutcomes['chosen']>> {
    const [organisations, resources] = await Promise.all([
      this.byUnit(actor, kind, period, 'organisation'),
      this.byUnit(actor, kind, period, 'team'),
    ]);
    return {
      kind,
      label: RESOURCE_KIND_LABELS[kind],
      organisations: organisations.map(({ id, ...rest }) => ({ organisationId: id, ...rest })),
      resources: resources.map(({ id, ...rest }) => ({ resourceId: id, ...rest })),
    };
  }

  /**
   * One kind's figures by unit: each a breakdown of the kind's indicator by organisation, or by the
   * rollup's team column, which holds the resource for community facts (migration 0038).
   */
  private async byUnit(
    actor: Actor,
    kind: ResourceKind,
    period: { from?: string; to?: string },
    breakdown: 'organisation' | 'team',
  ): Promise<({ id: string; name: string } & CommunityFigures)[]> {
    const values = await Promise.all(
      FIGURES.map(({ figure }) =>
        this.indicators.evaluate(actor, { key: communitySourceKey(figure, kind), breakdown, ...period }),
      ),
    );
    const ids = [...new Set(values.flatMap((v) => v.rows.map((r) => r.key)))];
    const empty = (key: string, label: string): IndicatorValueRow => ({
      key,
      label,
      numerator: null,
      denominator: 0,
      value: null,
      shown: { numerator: '0', denominator: '0', value: '' },
    });
    const units = ids.map((id) => {
      const name = values.flatMap((v) => v.rows).find((r) => r.key === id)?.label ?? id;
      const figures = byFigure((f) => {
        const v = values[f] as (typeof values)[number];
        return { indicatorKey: v.indicator.key, row: v.rows.find((r) => r.key === id) ?? empty(id, name) };
      });
      return { id, name, ...figures };
    });
    units.sort((a, b) => a.name.localeCompare(b.name));
    return units;
  }
}
