import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { AGGREGATE_READER_ROLES, INDICATOR_AUTHOR_ROLES } from '../../domain/aggregate-access.js';
import {
  BREAKDOWN_LABELS,
  BREAKDOWNS,
  type Breakdown,
  monthLabel,
} from '../../domain/indicators/breakdowns.js';
import {
  describeDefinition,
  IMPROVEMENT_LABELS,
  IMPROVEMENTS,
  PERIODICITIES,
  PERIODICITY_LABELS,
} from '../../domain/indicators/definition.js';
import {
  breakdownLabel,
  SOURCE_GROUP_LABELS,
  SOURCE_GROUPS,
  SOURCE_KEYS,
  sourceGroupOf,
  sourceOf,
} from '../../domain/indicators/sources.js';
import { VIEWPOINT_LABELS, VIEWPOINTS } from '../../domain/ratings.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors } from '../../web/forms.js';
import { indicatorChartsView } from '../dashboards/pages.js';
import { type IndicatorFormValues, indicatorFormErrors, indicatorFrom } from './form.js';
import { IndicatorKeyParams, Month } from './schema.js';
import type { Indicator, IndicatorService, IndicatorValues } from './service.js';

const readers = { roles: AGGREGATE_READER_ROLES };
const authors = { roles: INDICATOR_AUTHOR_ROLES };

/** A target as read: with its unit, or "None". */
function targetText(indicator: Indicator): string {
  if (indicator.target === null) return 'None';
  return indicator.unit === '%' ? `${indicator.target}%` : `${indicator.target} ${indicator.unit}`;
}

/** The library's rows: what each indicator is, in a line each. */
function libraryRow(indicator: Indicator) {
  return {
    key: indicator.key,
    name: indicator.name,
    source: indicator.sourceLabel,
    improvement: IMPROVEMENT_LABELS[indicator.improvement],
    target: targetText(indicator),
    breakdowns: indicator.breakdowns.map((b) => breakdownLabel(indicator.source, b)).join(', ') || 'None',
  };
}

/** A period of whole months in words: "December 2025 to November 2026". */
const periodText = (values: Pick<IndicatorValues, 'from' | 'to'>) =>
  values.from === values.to
    ? monthLabel(values.from)
    : `${monthLabel(values.from)} to ${monthLabel(values.to)}`;

/** Values as the values table shows them (views/_indicator-values.njk). */
const valuesView = (values: IndicatorValues) => ({
  ...values,
  period: periodText(values),
  breakdownLabel: values.breakdown ? breakdownLabel(values.indicator.source, values.breakdown) : null,
});

/**
 * The values a page shows first: by organisation for those who see the whole region, by team for
 * a provider's own staff (an organisation row would be only their part of it); the total when the
 * indicator has neither breakdown.
 */
async function latestValues(
  indicators: IndicatorService,
  actor: Actor,
  indicator: Pick<Indicator, 'breakdowns'>,
  run: (breakdown: Breakdown | null) => Promise<IndicatorValues>,
): Promise<IndicatorValues> {
  const wanted: Breakdown = indicators.scopeOf(actor).kind === 'region' ? 'organisation' : 'team';
  return run(indicator.breakdowns.includes(wanted) ? wanted : null);
}

/** The form's choices, with what was chosen marked. */
function formChoices(values: IndicatorFormValues, domains: ReadonlyMap<string, string>) {
  return {
    sourceItems: [
      { value: '', text: 'Choose what it counts' },
      ...SOURCE_KEYS.map((key) => ({
        value: key,
        text: sourceOf(key).label,
        selected: values.source === key,
      })),
    ],
    viewpointItems: [
      { value: '', text: 'Any viewpoint' },
      ...VIEWPOINTS.map((v) => ({ value: v, text: VIEWPOINT_LABELS[v], selected: values.viewpoint === v })),
    ],
    domainItems: [
      { value: '', text: 'Any domain' },
      ...[...domains].map(([code, name]) => ({
        value: code,
        text: name,
        selected: values.domainCode === code,
      })),
    ],
    improvementItems: IMPROVEMENTS.map((i) => ({
      value: i,
      text: IMPROVEMENT_LABELS[i],
      checked: values.improvement === i,
    })),
    breakdownItems: BREAKDOWNS.map((b) => ({
      value: b,
      text: BREAKDOWN_LABELS[b],
      checked: values.breakdowns.includes(b),
    })),
    periodicityItems: PERIODICITIES.map((p) => ({
      value: p,
      text: PERIODICITY_LABELS[p],
      checked: values.periodicity === p,
    })),
    sources: SOURCE_KEYS.map((key) => ({
      label: sourceOf(key).label,
      counts: sourceOf(key).denominator,
    })),
  };
}

/** Indicators: the library, one indicator with its latest values, and the form to define one. */
export async function indicatorPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { indicators } = opts.services;

  app.get(
    '/indicators',
    { config: { access: readers, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      const all = await indicators.list(actor);
      // One table per subject (outcomes, measures, feedback, community support), each under its
      // own heading, so a reader finds their area among a hundred indicators.
      const groups = SOURCE_GROUPS.map((group) => ({
        id: `indicators-${group}`,
        label: SOURCE_GROUP_LABELS[group],
        indicators: all.filter((i) => sourceGroupOf(i.source) === group).map(libraryRow),
      })).filter((g) => g.indicators.length > 0);
      return reply.page('indicators', {
        pageTitle: 'Indicators',
        groups,
        mayDefine: indicators.mayDefine(actor),
      });
    },
  );

  const form = async (
    reply: FastifyReply,
    values: IndicatorFormValues,
    errors: FieldError[],
    preview: IndicatorValues | null = null,
  ) =>
    renderWithErrors(
      reply,
      'indicator-new',
      {
        pageTitle: 'Define an indicator',
        values,
        ...formChoices(values, await indicators.domainNames()),
        preview: preview && valuesView(preview),
      },
      errors,
    );

  app.get(
    '/indicators/new',
    { config: { access: authors, page: true }, schema: { hide: true } },
    async (_request, reply) =>
      form(
        reply,
        {
          key: '',
          name: '',
          description: '',
          source: '',
          viewpoint: '',
          domainCode: '',
          improvement: 'increase',
          target: '',
          periodicity: 'month',
          breakdowns: ['organisation', 'team', 'month', 'quarter'],
        },
        [],
      ),
  );

  app.post(
    '/indicators/new',
    { config: { access: authors, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { values, input, unreadable } = indicatorFrom(request.body);
      // A target that is not a number cannot be sent: the indicator would be saved without it.
      if (unreadable.length) return form(reply, values, unreadable);
      const wantsPreview = request.body.action === 'preview';
      try {
        if (wantsPreview) {
          const preview = await latestValues(indicators, actor, input, (breakdown) =>
            indicators.preview(actor, input, { breakdown }),
          );
          return form(reply, values, [], preview);
        }
        const saved = await indicators.define(actor, input);
        return reply.redirect(`/indicators/${saved.key}?saved=${saved.version}`, 303);
      } catch (error) {
        return form(reply, values, indicatorFormErrors(error));
      }
    },
  );

  app.get(
    '/indicators/:key',
    {
      config: { access: readers, page: true },
      schema: {
        hide: true,
        params: IndicatorKeyParams,
        querystring: Type.Object({
          from: Type.Optional(Month),
          to: Type.Optional(Month),
          saved: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const indicator = await indicators.get(actor, request.params.key);
      const { from, to, saved } = request.query;
      const values = await latestValues(indicators, actor, indicator, (breakdown) =>
        indicators.evaluate(actor, {
          key: indicator.key,
          breakdown,
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        }),
      );
      const domains = indicator.filters.domainCode
        ? await indicators.domainNames()
        : new Map<string, string>();
      // The indicator page with its charts (SPC, funnel plot) filled in by the dashboards feature.
      return reply.page('indicator-dashboard', {
        charts: await indicatorChartsView(opts.services, actor, values),
        pageTitle: indicator.name,
        indicator: libraryRow(indicator),
        version: indicator.version,
        description: indicator.description,
        sentences: describeDefinition(indicator, domains.get(indicator.filters.domainCode ?? '')),
        periodicity: PERIODICITY_LABELS[indicator.periodicity],
        values: valuesView(values),
        // The banner shows only when the service agrees: the latest version is the one said saved.
        banner:
          saved !== undefined && saved === indicator.version
            ? `Saved ${indicator.name}, version ${saved}.`
            : null,
      });
    },
  );
}
