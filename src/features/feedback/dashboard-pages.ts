import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { FEEDBACK_STAFF_ROLES } from '../../domain/feedback/access.js';
import { SMALL_NUMBER } from '../../domain/feedback/dashboard.js';
import { FFT_ANSWER_LABELS, FFT_ANSWERS, feedbackServiceName } from '../../domain/feedback/vocabulary.js';
import { monthLabel } from '../../domain/indicators/breakdowns.js';
import { requireActor } from '../../http/request-actor.js';
import { ContractError } from '../../services/contract.js';
import { notFound } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { renderBarChart } from '../../web/charts/bar-chart.js';
import { formatValue } from '../../web/charts/chart.js';
import { CSV_CONTENT_TYPE, csvContentDisposition } from '../../web/charts/csv.js';
import { renderLineChart } from '../../web/charts/line-chart.js';
import { auditRefusedRoleRoutes } from '../admin/refusals.js';
import { type FeedbackDashboard, FeedbackDashboardPeriod } from './dashboard-service.js';

const Params = Type.Object({ serviceKey: Type.String({ minLength: 1, maxLength: 100 }) });
const CsvParams = Type.Object({
  serviceKey: Type.String({ minLength: 1, maxLength: 100 }),
  chart: Type.String({ maxLength: 20 }),
});

const percent = (v: number | null) => (v === null ? null : formatValue(v, 'percent', 0));
/** What a month under the small-number rule shows instead of a percentage. */
const TOO_FEW = `Fewer than ${SMALL_NUMBER} stories`;

/** The dashboard's charts, each with its table and CSV: volume, FFT % positive, sentiment. */
async function dashboardCharts(d: FeedbackDashboard) {
  const periods = d.monthly.map((m) => monthLabel(m.month));
  const [volume, fft, sentiment] = await Promise.all([
    renderBarChart({
      idPrefix: 'fb-volume',
      title: 'Stories received each month',
      valueLabel: 'Stories',
      categoryLabel: 'Month',
      decimals: 0,
      categories: d.monthly.map((m, i) => ({
        label: periods[i] ?? m.month,
        value: m.stories,
        shown: String(m.stories),
      })),
    }),
    renderLineChart({
      idPrefix: 'fb-fft',
      title: 'Friends and Family Test: % positive each month',
      valueLabel: '% positive (Very good or Good)',
      valueFormat: 'percent',
      decimals: 0,
      periodLabel: 'Month',
      periods,
      series: [
        {
          name: '% positive',
          values: d.monthly.map((m) => m.fftPercentPositive),
          shown: d.monthly.map((m) => percent(m.fftPercentPositive) ?? TOO_FEW),
        },
      ],
    }),
    renderLineChart({
      idPrefix: 'fb-sentiment',
      title: 'Sentiment of stories each month',
      valueLabel: 'share of stories with a sentiment coded',
      valueFormat: 'percent',
      decimals: 0,
      periodLabel: 'Month',
      periods,
      series: (['positive', 'neutral', 'negative'] as const).map((tone) => ({
        name: { positive: 'Positive', neutral: 'Neutral or mixed', negative: 'Negative' }[tone],
        values: d.monthly.map((m) => m.sentimentShares?.[tone] ?? null),
        shown: d.monthly.map((m) => percent(m.sentimentShares?.[tone] ?? null) ?? TOO_FEW),
      })),
    }),
  ]);
  return { volume, fft, sentiment };
}

type ChartName = keyof Awaited<ReturnType<typeof dashboardCharts>>;
const CHART_NAMES: readonly ChartName[] = ['volume', 'fft', 'sentiment'];

/** The dashboard as the view shows it: labels, percentages and the small-number rule applied. */
function dashboardView(d: FeedbackDashboard) {
  const fftHead = ['Month', 'Stories', ...FFT_ANSWERS.map((a) => FFT_ANSWER_LABELS[a] ?? a), '% positive'];
  return {
    totals: { ...d.totals, percent: percent(d.totals.fftPercentPositive) },
    fftTable: {
      head: fftHead.map((text, i) => ({ text, format: i ? 'numeric' : '' })),
      rows: d.monthly.map((m) =>
        [
          monthLabel(m.month),
          String(m.stories),
          ...FFT_ANSWERS.map((a) => String(m.fftAnswers[a] ?? 0)),
          percent(m.fftPercentPositive) ?? TOO_FEW,
        ].map((text, i) => ({ text, format: i ? 'numeric' : '' })),
      ),
    },
    themes: {
      labels: d.themes.themes.map((t) => `${t.label} (${t.total})`),
      rows: d.themes.months.map((m) => ({
        month: monthLabel(m.month),
        stories: m.stories,
        cells: m.counts.map((count) => ({
          count,
          share: m.stories >= SMALL_NUMBER ? percent(count / m.stories) : null,
        })),
      })),
    },
    praise: d.praise,
    concern: d.concern,
    concernsChanged: { ...d.concernsChanged, percent: percent(d.concernsChanged.share) },
    changes: d.changes,
    smallNumber: SMALL_NUMBER,
  };
}

/**
 * The service feedback dashboard (issue 12, item 7) and its charts' CSV downloads. The period comes
 * from the query string (the page's GET form); the service decides access and audits; the page only
 * adapts the figures to charts and tables.
 */
export async function feedbackDashboardPages(parent: FastifyInstance, opts: { services: Services }) {
  const { feedbackDashboard } = opts.services;
  await parent.register(async (scope) => {
    // The route's role rule turns other roles away before the service is reached: record that refusal.
    auditRefusedRoleRoutes(scope, opts.services, 'open-feedback-dashboard', 'not staff of a service');
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const config = { access: { roles: FEEDBACK_STAFF_ROLES }, page: true } as const;

    app.get(
      '/service-feedback/:serviceKey/dashboard',
      { config, schema: { hide: true, params: Params, querystring: FeedbackDashboardPeriod } },
      async (request, reply) => {
        const actor = requireActor(request);
        const months = feedbackDashboard.selectableMonths().map((m) => ({ value: m, text: monthLabel(m) }));
        const base = `/service-feedback/${request.params.serviceKey}/dashboard`;
        let d: FeedbackDashboard;
        try {
          d = await feedbackDashboard.dashboard(actor, request.params.serviceKey, request.query);
        } catch (error) {
          // A period the domain refuses: the page again, its fields named, and no figures. Any
          // other refusal (not this service's staff, no such service) is the error page's.
          if (!(error instanceof ContractError)) throw error;
          // The domain's messages are whole sentences about the field they name.
          const errors = error.fields.map((f) => ({ field: f.field, message: f.message }));
          const service = await opts.services.feedback.serviceFor(
            actor,
            request.params.serviceKey,
            'feedback.dashboard',
          );
          return reply.code(400).page('feedback-dashboard', {
            pageTitle: `Error: Feedback dashboard: ${serviceName(service)}`,
            heading: 'Feedback dashboard',
            service: { ...service, name: serviceName(service) },
            months,
            values: { from: request.query.from ?? '', to: request.query.to ?? '' },
            errors,
            errorFor: Object.fromEntries(errors.map((e) => [e.field, e.message])),
            base,
          });
        }
        const query = `from=${d.period.from}&to=${d.period.to}`;
        const charts = await dashboardCharts(d);
        return reply.page('feedback-dashboard', {
          pageTitle: `Feedback dashboard: ${serviceName(d.service)}`,
          heading: 'Feedback dashboard',
          service: { ...d.service, name: serviceName(d.service) },
          months,
          values: d.period,
          periodText: `${monthLabel(d.period.from)} to ${monthLabel(d.period.to)}`,
          errors: [],
          errorFor: {},
          base,
          charts: Object.fromEntries(
            CHART_NAMES.map((name) => [
              name,
              { chart: charts[name], csvHref: `${base}/${name}.csv?${query}` },
            ]),
          ),
          ...dashboardView(d),
        });
      },
    );

    app.get(
      '/service-feedback/:serviceKey/dashboard/:chart.csv',
      { config, schema: { hide: true, params: CsvParams, querystring: FeedbackDashboardPeriod } },
      async (request, reply) => {
        const name = request.params.chart as ChartName;
        if (!CHART_NAMES.includes(name)) throw notFound('That chart');
        const d = await feedbackDashboard.dashboard(
          requireActor(request),
          request.params.serviceKey,
          request.query,
        );
        const chart = (await dashboardCharts(d))[name];
        return reply
          .type(CSV_CONTENT_TYPE)
          .header(
            'content-disposition',
            csvContentDisposition(`${chart.title} ${d.period.from} to ${d.period.to}`),
          )
          .send(chart.csv);
      },
    );
  });
}

/** The service's name as people know it (as the other feedback pages name it). */
const serviceName = feedbackServiceName;
