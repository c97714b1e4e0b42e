import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { RESOURCE_KIND_LABELS, RESOURCE_KINDS } from '../../domain/community/vocabulary.js';
import { SUPPRESSED } from '../../domain/disclosure.js';
import { monthLabel } from '../../domain/indicators/breakdowns.js';
import { WELLBEING_SCORE } from '../../domain/indicators/community-sources.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { COMMUNITY_OUTCOMES_ACCESS } from './api.js';
import { CommunityOutcomesQuery } from './schema.js';
import type { CommunityFigures, CommunityFigureValue } from './service.js';

/** A figure as the page shows it: the value, and where it opens onto what people said (if it may). */
export interface FigureCell {
  shown: string;
  /** The statements behind it; null when suppressed or empty, or the reader may not drill down. */
  href: string | null;
  /** What the figure is, for the link's hidden text. */
  about: string;
}

/** The unit a figure is narrowed to, as the statements page reads it (organisation or team). */
type Unit = { organisation?: string; team?: string };

const search = (params: Record<string, string | undefined>) => {
  const text = new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  ).toString();
  return text ? `?${text}` : '';
};

/** The page for commissioners and analysts: outcomes of community support by kind, organisation and resource. */
export async function communityOutcomesPages(parent: FastifyInstance, opts: { services: Services }) {
  const { services } = opts;
  {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/commissioning/community',
      {
        config: { access: COMMUNITY_OUTCOMES_ACCESS, page: true },
        schema: { hide: true, querystring: CommunityOutcomesQuery },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const outcomes = await services.communityOutcomes.outcomes(actor, request.query);
        const mayDrill = services.drilldown.mayDrillDown(actor);
        const period = { from: outcomes.from, to: outcomes.to };
        const cell = (
          figure: CommunityFigureValue,
          about: string,
          unit: Unit = {},
          none = 'No ratings',
        ): FigureCell => {
          const { row } = figure;
          // Nothing counted (0, exactly: never a hidden figure) reads as what it is, not "n/a".
          const open =
            mayDrill &&
            row.denominator !== null &&
            row.denominator > 0 &&
            row.shown.denominator !== SUPPRESSED;
          return {
            shown: row.denominator === 0 ? none : row.shown.value,
            href: open
              ? `/indicators/${figure.indicatorKey}/statements${search({ ...period, ...unit })}`
              : null,
            about,
          };
        };
        const cells = (f: CommunityFigures, name: string, unit: Unit = {}) => ({
          connected: cell(f.connected, `people connected: ${name}`, unit, '0'),
          change: cell(f.change, `average change in rating: ${name}`, unit),
          improved: cell(f.improved, `outcomes rated higher: ${name}`, unit),
          wellbeingChange: cell(f.wellbeingChange, `average change in wellbeing: ${name}`, unit, 'No scores'),
          wellbeingImproved: cell(
            f.wellbeingImproved,
            `people reliably improved in wellbeing: ${name}`,
            unit,
            'No scores',
          ),
        });
        // Kinds with no connection in the period are left out: a row of noughts says nothing.
        const kinds = outcomes.kinds
          .filter((k) => k.connected.row.denominator !== 0)
          .map((k) => ({
            label: k.label,
            href: `/commissioning/community${search({ kind: k.kind, ...period })}`,
            ...cells(k, k.label),
          }));
        return reply.page('community-outcomes', {
          pageTitle: 'Outcomes of community support',
          wellbeing: { name: WELLBEING_SCORE.name, points: WELLBEING_SCORE.change.points },
          period,
          periodText: `${monthLabel(outcomes.from)} to ${monthLabel(outcomes.to)}`,
          kinds,
          all: cells(outcomes.all, 'every kind of community support'),
          everyService: {
            change: cell(outcomes.everyService.change, 'average change in rating: every service'),
            improved: cell(outcomes.everyService.improved, 'outcomes rated higher: every service'),
          },
          chosen: outcomes.chosen
            ? {
                label: outcomes.chosen.label,
                organisations: outcomes.chosen.organisations.map((o) => ({
                  name: o.name,
                  ...cells(o, o.name, { organisation: o.organisationId }),
                })),
                // A resource is a unit of its organisation: its statements are the team cell's.
                resources: outcomes.chosen.resources.map((r) => ({
                  name: r.name,
                  ...cells(r, r.name, { team: r.resourceId }),
                })),
              }
            : null,
          kindItems: [
            { value: '', text: 'Choose a kind of support' },
            ...RESOURCE_KINDS.map((k) => ({
              value: k,
              text: RESOURCE_KIND_LABELS[k],
              selected: outcomes.chosen?.kind === k,
            })),
          ],
          definitions: [
            { key: outcomes.all.connected.indicatorKey, text: 'People connected to community support' },
            {
              key: outcomes.all.change.indicatorKey,
              text: 'Change in the person’s rating after community support',
            },
            {
              key: outcomes.all.improved.indicatorKey,
              text: 'Outcomes the person rates higher after community support',
            },
            {
              key: outcomes.all.wellbeingChange.indicatorKey,
              text: `Change in wellbeing (${WELLBEING_SCORE.name}) after community support`,
            },
            {
              key: outcomes.all.wellbeingImproved.indicatorKey,
              text: 'People reliably improved in wellbeing after community support',
            },
            {
              key: outcomes.everyService.change.indicatorKey,
              text: 'Change in the person’s rating, every service',
            },
            {
              key: outcomes.everyService.improved.indicatorKey,
              text: 'Outcomes the person rates higher, every service',
            },
          ],
        });
      },
    );
  }
}
