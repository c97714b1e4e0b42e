import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, type TObject, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import {
  COMPLETED_BY_LABELS,
  MEASURE_DUE_STATUS_LABELS,
  MEASURE_OCCASION_LABELS,
  type MeasureDueStatus,
} from '../../domain/measures/measure-requests.js';
import {
  answerText,
  type FormFields,
  formFromResponse,
  initialForm,
  isEntered,
  responseFromForm,
} from '../../domain/measures/questionnaire/form.js';
import { answersOf, itemsWithAncestors } from '../../domain/measures/questionnaire/response.js';
import type { Questionnaire, QuestionnaireResponse } from '../../domain/measures/types.js';
import { type Access, CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import { notFound, ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import type { ChartResult } from '../../web/charts/chart.js';
import { CSV_CONTENT_TYPE, csvContentDisposition } from '../../web/charts/csv.js';
import { renderScoreChart } from '../../web/charts/score-chart.js';
import {
  checked,
  dateFields,
  dateInput,
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { questionnaireFormView } from '../../web/questionnaire-form.js';
import { personOrCarer } from '../my/pages.js';
import { MeasurePageParams, ScheduleParams } from './schema.js';
import type { LibraryQuestionnaire, MeasureRequestView, PersonMeasure, ScoreSeries } from './service.js';

/**
 * The measures pages. For the care team: the person's measures (each measure's latest score, band
 * and change, what is due), one measure's scores over time as a chart with its bands and a table,
 * filling in a measure with the person (choose → the questionnaire's form → check the answers →
 * saved, with the score), sending one to the person, scheduling measures on the plan and recording
 * that support is ending. For the person, in their own view: the questionnaires to fill in, the
 * same form, and their scores over time in plain words. Pages adapt only: the service decides
 * access and audits.
 */

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const longDate = (iso: string) => LONG_DATE.format(new Date(`${iso}T00:00:00Z`));

/** The tag each due status shows as: words first, colour only repeats them. */
const DUE_TAG_CLASSES: Record<MeasureDueStatus, string> = {
  overdue: 'nhsuk-tag--red',
  due: 'nhsuk-tag--orange',
  upcoming: 'nhsuk-tag--blue',
  waiting: 'nhsuk-tag--grey',
};

const CHANGE_TAG_CLASSES: Record<string, string> = {
  'reliable-recovery': 'nhsuk-tag--green',
  recovery: 'nhsuk-tag--green',
  'reliable-improvement': 'nhsuk-tag--green',
  'reliable-deterioration': 'nhsuk-tag--red',
  'no-reliable-change': 'nhsuk-tag--grey',
};

/** A request as the pages list it: its measure, occasion and a tag saying when it is due. */
export function describeRequest(r: MeasureRequestView) {
  return {
    ...r,
    occasionLabel: MEASURE_OCCASION_LABELS[r.occasion],
    dueText: r.effectiveDueOn ? longDate(r.effectiveDueOn) : 'At the next review, once it is arranged',
    tag: { text: MEASURE_DUE_STATUS_LABELS[r.dueStatus], classes: DUE_TAG_CLASSES[r.dueStatus] },
  };
}

/** A measure's latest score in words, for summaries: "12 (moderate) on 3 March 2026". */
export function describeMeasure(m: PersonMeasure) {
  const main = m.series[0];
  const latest = main?.points[main.points.length - 1];
  return {
    ...m,
    latest: latest
      ? {
          value: formatScore(latest.value),
          bandLabel: latest.bandLabel,
          on: longDate(latest.observedOn),
          label: main?.label ?? '',
        }
      : null,
    count: main?.points.length ?? 0,
    changes: m.series
      .filter((s) => s.change)
      .map((s) => ({
        label: s.label,
        text: s.change?.label ?? '',
        classes: CHANGE_TAG_CLASSES[s.change?.category ?? ''] ?? 'nhsuk-tag--grey',
        from: formatScore(s.change?.from ?? 0),
        to: formatScore(s.change?.to ?? 0),
      })),
  };
}

const formatScore = (value: number) =>
  Number.isInteger(value) ? String(value) : value.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** A series' latest score, for "saved: your score is …". */
const latestScore = (s: ScoreSeries) => {
  const last = s.points[s.points.length - 1];
  return { label: s.label, value: formatScore(last?.value ?? 0), band: last?.bandLabel ?? null };
};

/** The person page's Measures section: latest scores, change, what is due. */
export async function measuresOnRecord(
  measures: Services['measures'],
  scope: { personId: string },
  today: string,
) {
  const overview = await measures.measuresWithin(scope, today);
  return {
    measures: overview.measures.map(describeMeasure),
    requests: overview.requests.map(describeRequest),
    schedules: overview.schedules,
    overdue: overview.requests.filter((r) => r.dueStatus === 'overdue').length,
  };
}

/** Where a measure's chart gets its scale and bands: the instrument's own, or the scores' range. */
function chartFrame(instrument: LibraryQuestionnaire['instrumentKey'], series: ScoreSeries) {
  const definition = instrument
    ? INSTRUMENTS[instrument].scores.find((s) => s.key === series.key)
    : undefined;
  const values = series.points.map((p) => p.value);
  const bands = instrument ? (INSTRUMENTS[instrument].bands[series.key] ?? []) : [];
  const low = Math.min(...values, definition?.min ?? Number.POSITIVE_INFINITY);
  const high = Math.max(...values, definition?.max ?? Number.NEGATIVE_INFINITY);
  return {
    scale: { min: definition?.min ?? Math.min(0, low), max: high > low ? high : low + 1 },
    bands: bands.map((b) => ({ label: b.label, min: b.min, max: b.max })),
    higherIsBetter: definition?.higherIsBetter ?? true,
  };
}

/** Who the chart is for: the person reads their own answers as "You". */
type Viewer = 'practitioner' | 'person';

async function seriesChart(
  measure: PersonMeasure,
  series: ScoreSeries,
  index: number,
  viewer: Viewer,
): Promise<ChartResult | null> {
  if (series.points.length === 0) return null;
  const frame = chartFrame(measure.instrument, series);
  const decimals = series.points.some((p) => !Number.isInteger(p.value)) ? 2 : 0;
  return renderScoreChart({
    idPrefix: `score-${index}`,
    title: `${measure.title}: ${series.label}`,
    valueLabel: series.label,
    decimals,
    ...frame,
    points: series.points.map((p) => ({
      when: longDate(p.observedOn),
      value: p.value,
      band: p.bandLabel,
      completedBy:
        viewer === 'person' && p.completedBy === 'person' ? 'You' : COMPLETED_BY_LABELS[p.completedBy],
    })),
  });
}

/** Each series' chart with where its data downloads (`${csvBase}/${index}.csv`); none for no scores. */
async function seriesCharts(measure: PersonMeasure, viewer: Viewer, csvBase: string) {
  const charts = await Promise.all(
    measure.series.map(async (s, i) => ({
      chart: await seriesChart(measure, s, i, viewer),
      csvHref: `${csvBase}/${i}.csv`,
    })),
  );
  return charts.filter((c) => c.chart);
}

/** One series' chart data as a CSV download; `series` is its index in the measure, from the URL. */
async function seriesCsv(reply: FastifyReply, measure: PersonMeasure, series: string, viewer: Viewer) {
  const chosen = /^\d{1,2}$/.test(series) ? measure.series[Number(series)] : undefined;
  const chart = chosen ? await seriesChart(measure, chosen, Number(series), viewer) : null;
  if (!chart) throw notFound('That chart');
  return reply
    .type(CSV_CONTENT_TYPE)
    .header('content-disposition', csvContentDisposition(chart.title))
    .send(chart.csv);
}

/** The answers of a response as question and answer, for "check your answers" and the record. */
function answerRows(questionnaire: Questionnaire, response: QuestionnaireResponse) {
  const answers = answersOf(response);
  return [...itemsWithAncestors(questionnaire.item)]
    .map(({ item }) => item)
    .filter((item) => isEntered(item))
    .map((item) => ({
      key: { text: `${item.prefix ? `${item.prefix} ` : ''}${item.text ?? item.linkId}` },
      value: {
        text: (answers.get(item.linkId) ?? []).map((a) => answerText(item, a)).join(', ') || 'Not answered',
      },
    }));
}

/** The form's fields again as hidden inputs, so "check your answers" posts exactly what was checked. */
function hiddenFields(questionnaire: Questionnaire, response: QuestionnaireResponse) {
  return Object.entries(formFromResponse(questionnaire, response)).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => ({ name, value: v })),
  );
}

const questionnaireFields = (body: FormBody) =>
  Object.fromEntries(Object.entries(body).filter(([name]) => name.startsWith('q-')));

export async function measurePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { measures, people } = opts.services;

  const personOf = async (actor: Actor, personId: string) => (await people.details(actor, personId)).person;

  /** The options of a care-team page on a person's record, and of the form it posts. */
  const staffPage = {
    config: { access: CARE_STAFF, page: true },
    schema: { hide: true, params: PersonParams },
  };
  const staffForm = { ...staffPage, schema: { ...staffPage.schema, body: FormBodySchema } };

  // ——— the person's measures (care team) ———

  app.get(
    '/people/:personId/measures',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        params: PersonParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const { person, can } = await people.details(actor, personId);
      const overview = await measures.overview(actor, personId, todayIso());
      const notices: Record<string, string> = {
        sent: 'Sent. It is in their list of questionnaires to fill in.',
        scheduled: 'Scheduled. What is due shows here and on the caseload.',
        stopped: 'Schedule stopped. Its open requests are cancelled.',
        ended: 'Recorded. The end measures are due.',
      };
      return reply.page('measures', {
        pageTitle: `Measures – ${person.name}`,
        heading: person.name,
        caption: 'Measures',
        person,
        can,
        personNav: 'measures',
        showNav: true,
        measures: overview.measures.map(describeMeasure),
        requests: overview.requests.map(describeRequest),
        schedules: overview.schedules.map((s) => ({
          ...s,
          whenText: [
            s.atStart ? 'at the start' : null,
            s.atReview ? 'at each review' : null,
            s.atEnd ? 'at the end' : null,
          ]
            .filter(Boolean)
            .join(', '),
        })),
        notice: notices[request.query.done ?? ''] ?? null,
      });
    },
  );

  app.get(
    '/people/:personId/measures/:questionnaireId',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        params: MeasurePageParams,
        querystring: Type.Object({ recorded: Type.Optional(Type.String({ maxLength: 5 })) }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, questionnaireId } = request.params;
      const person = await personOf(actor, personId);
      const { measure, requests, questionnaire, grant } = await measures.history(
        actor,
        personId,
        questionnaireId,
        todayIso(),
      );
      return reply.page('measure-history', {
        pageTitle: `${questionnaire.title} – ${person.name}`,
        heading: person.name,
        caption: questionnaire.title,
        person,
        can: grant.can,
        personNav: 'measures',
        showNav: true,
        measure: describeMeasure(measure),
        questionnaire,
        charts: await seriesCharts(
          measure,
          'practitioner',
          `/people/${personId}/measures/${questionnaireId}`,
        ),
        requests: requests.map(describeRequest),
        recorded: request.query.recorded
          ? measure.series.filter((s) => s.points.length).map(latestScore)
          : null,
      });
    },
  );

  app.get(
    '/people/:personId/measures/:questionnaireId/:series.csv',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Type.Object({
          ...MeasurePageParams.properties,
          series: Type.String({ maxLength: 40 }),
        }),
      },
    },
    async (request, reply) => {
      const { personId, questionnaireId, series } = request.params;
      const { measure } = await measures.history(
        requireActor(request),
        personId,
        questionnaireId,
        todayIso(),
      );
      return seriesCsv(reply, measure, series, 'practitioner');
    },
  );

  // ——— filling in a measure with the person ———

  const choosePage = async (
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    view: 'measure-choose' | 'measure-send' | 'measure-schedule',
    values: Record<string, unknown>,
    errors: FieldError[],
  ) => {
    const [person, form] = await Promise.all([
      personOf(actor, personId),
      measures.recordForm(actor, personId),
    ]);
    const titles = {
      'measure-choose': 'Which measure are you filling in with them?',
      'measure-send': 'Which questionnaire should they fill in?',
      'measure-schedule': 'Schedule a measure on the plan',
    } as const;
    return renderWithErrors(
      reply,
      view,
      {
        pageTitle: titles[view],
        person,
        values,
        questionnaireItems: form.questionnaires.map((q) => ({
          value: q.questionnaireId,
          text: q.title,
          checked: values.questionnaireId === q.questionnaireId,
          hint: q.instrumentKey ? { text: INSTRUMENTS[q.instrumentKey].measures } : undefined,
        })),
        awaitingWording: form.awaitingWording,
      },
      errors,
    );
  };

  app.get('/people/:personId/measures/new', staffPage, async (request, reply) =>
    choosePage(reply, requireActor(request), request.params.personId, 'measure-choose', {}, []),
  );

  app.post('/people/:personId/measures/new', staffForm, async (request, reply) => {
    const questionnaireId = text(request.body, 'questionnaireId');
    const { personId } = request.params;
    if (!questionnaireId) {
      return choosePage(reply, requireActor(request), personId, 'measure-choose', {}, [
        { field: 'questionnaireId', message: 'Choose the measure you are filling in' },
      ]);
    }
    return reply.redirect(`/people/${personId}/measures/new/${encodeURIComponent(questionnaireId)}`, 303);
  });

  // ——— one questionnaire filled in: with the person, or by the person in their own view ———

  /**
   * The same steps whoever fills it in: the form, "check the answers" (back to change them), then
   * save. A flow says only whose it is: its URLs, its words and how the answers are recorded.
   */
  interface FillIn {
    /** Whose record the caption names; null in the person's own view. */
    person: unknown;
    questionnaire: LibraryQuestionnaire;
    /** Where the form posts; "check the answers" posts to `${action}/change` and `${action}/save`. */
    action: string;
    backHref: string;
    caption: string;
    saveText: string;
    /** Records the checked response; answers where to go next. */
    record: (response: QuestionnaireResponse) => Promise<string>;
  }

  /** The form: with the fields as posted, or null for a new form (the questionnaire's initial values). */
  const formPage = (reply: FastifyReply, flow: FillIn, fields: FormFields | null, errors: FieldError[]) => {
    const { questionnaire } = flow;
    return renderWithErrors(
      reply,
      'measure-form',
      {
        pageTitle: questionnaire.title,
        person: flow.person,
        questionnaire,
        action: flow.action,
        backHref: flow.backHref,
        caption: flow.caption,
        fields,
        form: questionnaireFormView(
          questionnaire.questionnaire,
          fields ?? initialForm(questionnaire.questionnaire),
          errors,
        ),
      },
      errors,
    );
  };

  const checkPage = (
    reply: FastifyReply,
    flow: FillIn,
    response: QuestionnaireResponse,
    errors: FieldError[] = [],
  ) =>
    renderWithErrors(
      reply,
      'measure-check',
      {
        pageTitle: 'Check the answers before saving',
        person: flow.person,
        questionnaire: flow.questionnaire,
        response,
        action: `${flow.action}/save`,
        changeAction: `${flow.action}/change`,
        caption: flow.questionnaire.title,
        saveText: flow.saveText,
        rows: answerRows(flow.questionnaire.questionnaire, response),
        hidden: hiddenFields(flow.questionnaire.questionnaire, response),
      },
      errors,
    );

  /** The answers as posted: the response, or the form's errors. */
  const posted = (flow: FillIn, body: FormBody) => {
    const fields = questionnaireFields(body);
    return { fields, ...responseFromForm(flow.questionnaire.questionnaire, fields) };
  };

  /** A flow's four routes: its form at `path`, posting there to check, then `/change` and `/save`. */
  const fillInRoutes = <P extends TObject>(
    path: string,
    access: Access,
    params: P,
    load: (actor: Actor, params: Static<P>) => Promise<FillIn>,
  ) => {
    const page = { config: { access, page: true }, schema: { hide: true, params } };
    const post = { ...page, schema: { ...page.schema, body: FormBodySchema } };
    // The route's schema has checked the params: they are `Static<P>`, which fastify's generic
    // request type cannot say for a generic P.
    const flowOf = (request: FastifyRequest) => load(requireActor(request), request.params as Static<P>);

    app.get(path, page, async (request, reply) => formPage(reply, await flowOf(request), null, []));

    app.post(path, post, async (request, reply) => {
      const flow = await flowOf(request);
      const { fields, response, errors } = posted(flow, request.body);
      return errors.length ? formPage(reply, flow, fields, errors) : checkPage(reply, flow, response);
    });

    app.post(`${path}/change`, post, async (request, reply) =>
      formPage(reply, await flowOf(request), questionnaireFields(request.body), []),
    );

    app.post(`${path}/save`, post, async (request, reply) => {
      const flow = await flowOf(request);
      const { fields, response, errors } = posted(flow, request.body);
      if (errors.length) return formPage(reply, flow, fields, errors);
      let next: string;
      try {
        next = await flow.record(response);
      } catch (error) {
        return checkPage(reply, flow, response, [
          { field: 'questionnaireId', message: refusalOf(error).message },
        ]);
      }
      return reply.redirect(next, 303);
    });
  };

  fillInRoutes(
    '/people/:personId/measures/new/:questionnaireId',
    CARE_STAFF,
    MeasurePageParams,
    async (actor, { personId, questionnaireId }) => {
      const [person, form] = await Promise.all([
        personOf(actor, personId),
        measures.recordForm(actor, personId),
      ]);
      if (!form.questionnaires.some((q) => q.questionnaireId === questionnaireId))
        throw notFound('That measure');
      const choose = `/people/${personId}/measures/new`;
      return {
        person,
        questionnaire: await measures.questionnaire(actor, questionnaireId),
        action: `${choose}/${questionnaireId}`,
        backHref: choose,
        caption: 'Fill in a measure with the person',
        saveText: 'Save the answers',
        record: async (response) => {
          await measures.record(actor, personId, { questionnaireId, response: response as never });
          return `/people/${personId}/measures/${questionnaireId}?recorded=1`;
        },
      };
    },
  );

  // ——— sending one to the person, scheduling, the end of support ———

  app.get('/people/:personId/measures/send', staffPage, async (request, reply) =>
    choosePage(reply, requireActor(request), request.params.personId, 'measure-send', {}, []),
  );

  app.post('/people/:personId/measures/send', staffForm, async (request, reply) => {
    const actor = requireActor(request);
    const { personId } = request.params;
    const body = request.body;
    const questionnaireId = text(body, 'questionnaireId');
    const due = dateInput(body, 'dueOn');
    const values = { questionnaireId, dueOn: dateFields(body, 'dueOn') };
    const errors: FieldError[] = [];
    if (!questionnaireId)
      errors.push({ field: 'questionnaireId', message: 'Choose the questionnaire to send' });
    if (due.error) errors.push({ field: 'dueOn-day', message: `The date it is due ${due.error}` });
    if (!errors.length) {
      try {
        await measures.requestMeasure(actor, personId, {
          questionnaireId,
          ...(due.value ? { dueOn: due.value } : {}),
          sendToPerson: true,
        });
        return reply.redirect(`/people/${personId}/measures?done=sent`, 303);
      } catch (error) {
        errors.push(fieldOnForm(refusalOf(error)));
      }
    }
    return choosePage(reply, actor, personId, 'measure-send', values, errors);
  });

  app.get('/people/:personId/measures/schedule', staffPage, async (request, reply) =>
    choosePage(
      reply,
      requireActor(request),
      request.params.personId,
      'measure-schedule',
      { occasions: [] },
      [],
    ),
  );

  app.post('/people/:personId/measures/schedule', staffForm, async (request, reply) => {
    const actor = requireActor(request);
    const { personId } = request.params;
    const body = request.body;
    const questionnaireId = text(body, 'questionnaireId');
    const occasions = ([] as string[]).concat(body.occasions ?? []);
    const values = { questionnaireId, occasions, sendToPerson: checked(body, 'sendToPerson') };
    const errors: FieldError[] = [];
    if (!questionnaireId)
      errors.push({ field: 'questionnaireId', message: 'Choose the measure to schedule' });
    if (!occasions.length) {
      errors.push({
        field: 'occasions',
        message: 'Choose when to measure: at the start, at each review or at the end',
      });
    }
    if (!errors.length) {
      try {
        await measures.schedule(actor, personId, {
          questionnaireId,
          atStart: occasions.includes('start'),
          atReview: occasions.includes('review'),
          atEnd: occasions.includes('end'),
          sendToPerson: values.sendToPerson,
        });
        return reply.redirect(`/people/${personId}/measures?done=scheduled`, 303);
      } catch (error) {
        errors.push(fieldOnForm(refusalOf(error)));
      }
    }
    return choosePage(reply, actor, personId, 'measure-schedule', values, errors);
  });

  app.post(
    '/people/:personId/measures/schedules/:scheduleId/stop',
    {
      config: { access: CARE_STAFF, page: true },
      schema: { hide: true, params: ScheduleParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const { personId, scheduleId } = request.params;
      await measures.unschedule(requireActor(request), personId, scheduleId);
      return reply.redirect(`/people/${personId}/measures?done=stopped`, 303);
    },
  );

  const endPage = async (
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    values: object,
    errors: FieldError[],
  ) => {
    const [person, overview] = await Promise.all([
      personOf(actor, personId),
      measures.overview(actor, personId, todayIso()),
    ]);
    return renderWithErrors(
      reply,
      'measure-end',
      {
        pageTitle: 'Support is ending',
        person,
        values,
        endSchedules: overview.schedules.filter((s) => s.atEnd),
      },
      errors,
    );
  };

  app.get('/people/:personId/measures/end', staffPage, async (request, reply) =>
    endPage(reply, requireActor(request), request.params.personId, {}, []),
  );

  app.post('/people/:personId/measures/end', staffForm, async (request, reply) => {
    const actor = requireActor(request);
    const { personId } = request.params;
    const end = dateInput(request.body, 'endOn');
    const values = { endOn: dateFields(request.body, 'endOn') };
    if (end.error) {
      return endPage(reply, actor, personId, values, [
        { field: 'endOn-day', message: `The day support ends ${end.error}` },
      ]);
    }
    try {
      await measures.endOfSupport(actor, personId, end.value ? { endOn: end.value } : {});
    } catch (error) {
      return endPage(reply, actor, personId, values, [fieldOnForm(refusalOf(error))]);
    }
    return reply.redirect(`/people/${personId}/measures?done=ended`, 303);
  });

  // ——— the person's own view ———

  const ownPersonId = (actor: Actor): string => {
    if (!actor.personId) throw notFound('Your record');
    return actor.personId;
  };

  app.get(
    '/my/measures',
    {
      config: { access: personOrCarer, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ format: 'uuid' })) }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const personId = ownPersonId(actor);
      const today = todayIso();
      const toFillIn = await measures.toFillIn(actor, personId, today);
      const overview = await measures.overview(actor, personId, today);
      const done = request.query.done
        ? overview.measures.find((m) =>
            m.series.some((s) => s.points.some((p) => p.responseId === request.query.done)),
          )
        : undefined;
      return reply.page('my-measures', {
        pageTitle: 'Questionnaires',
        toFillIn: toFillIn.map(describeRequest),
        measures: overview.measures.map((m) => ({ ...describeMeasure(m), words: inPlainWords(m) })),
        done: done
          ? {
              title: done.title,
              scores: done.series.map(latestScore),
            }
          : null,
      });
    },
  );

  app.get(
    '/my/measures/scores/:questionnaireId',
    {
      config: { access: personOrCarer, page: true },
      schema: { hide: true, params: Type.Object({ questionnaireId: Type.String({ format: 'uuid' }) }) },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const personId = ownPersonId(actor);
      const { measure, questionnaire } = await measures.history(
        actor,
        personId,
        request.params.questionnaireId,
        todayIso(),
      );
      return reply.page('my-measure-chart', {
        pageTitle: `Your ${questionnaire.title} scores`,
        questionnaire,
        words: inPlainWords(measure),
        charts: await seriesCharts(measure, 'person', `/my/measures/scores/${questionnaire.questionnaireId}`),
      });
    },
  );

  app.get(
    '/my/measures/scores/:questionnaireId/:series.csv',
    {
      config: { access: personOrCarer },
      schema: {
        hide: true,
        params: Type.Object({
          questionnaireId: Type.String({ format: 'uuid' }),
          series: Type.String({ maxLength: 40 }),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { questionnaireId, series } = request.params;
      const { measure } = await measures.history(actor, ownPersonId(actor), questionnaireId, todayIso());
      return seriesCsv(reply, measure, series, 'person');
    },
  );

  fillInRoutes(
    '/my/measures/:requestId',
    personOrCarer,
    Type.Object({ requestId: Type.String({ format: 'uuid' }) }),
    async (actor, { requestId }) => {
      const personId = ownPersonId(actor);
      const { questionnaire } = await measures.fillInForm(actor, personId, requestId);
      return {
        person: null,
        questionnaire,
        action: `/my/measures/${requestId}`,
        backHref: '/my/measures',
        caption: 'Questionnaires',
        saveText: 'Send my answers',
        record: async (response) => {
          const { responseId } = await measures.record(actor, personId, {
            questionnaireId: questionnaire.questionnaireId,
            response: response as never,
            requestId,
          });
          return `/my/measures?done=${responseId}`;
        },
      };
    },
  );
}

/** A measure's story in plain words, for the person: first, latest, and what the change means. */
export function inPlainWords(measure: PersonMeasure): string[] {
  return measure.series.flatMap((s) => {
    const first = s.points[0];
    const last = s.points[s.points.length - 1];
    if (!first || !last) return [];
    const band = (p: typeof last) => (p.bandLabel ? `, which counts as ${p.bandLabel.toLowerCase()}` : '');
    if (s.points.length === 1) {
      return [`${s.label}: ${formatScore(last.value)} on ${longDate(last.observedOn)}${band(last)}.`];
    }
    const change = s.change ? ` ${CHANGE_WORDS[s.change.category] ?? ''}` : '';
    return [
      `${s.label}: ${formatScore(first.value)} on ${longDate(first.observedOn)}${band(first)}, and ${formatScore(last.value)} on ${longDate(last.observedOn)}${band(last)}.${change}`,
    ];
  });
}

const CHANGE_WORDS: Record<string, string> = {
  'reliable-recovery':
    'That is a change bigger than the measure’s own margin of error, and you are now below the level where it usually suggests you need support.',
  recovery: 'You are now below the level where it usually suggests you need support.',
  'reliable-improvement': 'That is an improvement bigger than the measure’s own margin of error.',
  'reliable-deterioration':
    'That is a change for the worse bigger than the measure’s own margin of error: talk to your care team about it.',
  'no-reliable-change':
    'That change is within the measure’s own margin of error, so it may not be a real change.',
};

/** A service's refusal as one error on the form (its field, or the top of the form). */
function refusalOf(error: unknown): FieldError {
  if (error instanceof ServiceError && error.status < 500) {
    return { field: error.field ?? 'questionnaireId', message: error.message };
  }
  throw error;
}

/** The form fields a contract path lands on for the choose, send and schedule forms. */
function fieldOnForm(error: FieldError): FieldError {
  const fields: Record<string, string> = {
    instrument: 'questionnaireId',
    questionnaireId: 'questionnaireId',
    dueOn: 'dueOn-day',
    endOn: 'endOn-day',
    atStart: 'occasions',
  };
  return { field: fields[error.field] ?? 'questionnaireId', message: error.message };
}
