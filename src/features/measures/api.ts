import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { todayIso } from '../../domain/calendar.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  EndOfSupport,
  EndOfSupportRecordedSchema,
  MeasureRecordedSchema,
  PersonMeasuresSchema,
  RecordMeasure,
  RequestCreatedSchema,
  RequestMeasure,
  ScheduleCreatedSchema,
  ScheduleMeasure,
  ScheduleParams,
} from './schema.js';

export async function measuresApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { measures } = opts.services;

  app.post(
    '/api/people/:personId/measures',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['measures'],
        summary: 'Record a completed measure',
        description:
          'A built-in instrument’s answers as numbers in its order (`instrument` and `answers`), or any questionnaire’s FHIR QuestionnaireResponse (`questionnaireId` or `instrument`, and `response`). The care team records one filled in with the person; the person records one sent to them. It completes the request it names, or the open request for the same measure due first. Answers: the scores with their bands.',
        params: PersonParams,
        body: RecordMeasure,
        response: responses({ 201: MeasureRecordedSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const result = await measures.record(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/people/:personId/measures',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['measures'],
        summary: 'The person’s measures: scores over time with the change, open requests, schedules',
        description:
          'Each measure’s scores over time (PHQ-9: the total; ONS4: each question), with the reliable-change category between the first and the latest where the instrument defines one; the open requests with when each falls due; the schedules on the plan.',
        params: PersonParams,
        response: responses({ 200: PersonMeasuresSchema }, [404]),
      },
    },
    async (request) => measures.overview(requireActor(request), request.params.personId, todayIso()),
  );

  app.post(
    '/api/people/:personId/measure-requests',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['measures'],
        summary: 'Ask for a measure once: sent to the person to fill in, or to do with them',
        params: PersonParams,
        body: RequestMeasure,
        response: responses({ 201: RequestCreatedSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const requestId = await measures.requestMeasure(
        requireActor(request),
        request.params.personId,
        request.body,
      );
      return reply.code(201).send({ requestId });
    },
  );

  app.post(
    '/api/people/:personId/measure-schedules',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['measures'],
        summary: 'Measure the plan at the start, each review and/or the end',
        description:
          'At the start: a request due today. At each review: one open request at a time, due at the person’s next review. At the end: a request due the day support ends (recorded with `…/measure-schedules/end`). Scheduling a measure again replaces its schedule.',
        params: PersonParams,
        body: ScheduleMeasure,
        response: responses({ 201: ScheduleCreatedSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const result = await measures.schedule(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/people/:personId/measure-schedules/end',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['measures'],
        summary: 'Support is ending: the end measures fall due',
        params: PersonParams,
        body: EndOfSupport,
        response: responses({ 201: EndOfSupportRecordedSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const requestIds = await measures.endOfSupport(
        requireActor(request),
        request.params.personId,
        request.body,
      );
      return reply.code(201).send({ requestIds });
    },
  );

  app.delete(
    '/api/people/:personId/measure-schedules/:scheduleId',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['measures'],
        summary: 'Stop a schedule: its open requests are cancelled',
        params: ScheduleParams,
        response: responses({ 204: Type.Null() }, [404]),
      },
    },
    async (request, reply) => {
      await measures.unschedule(requireActor(request), request.params.personId, request.params.scheduleId);
      return reply.code(204).send();
    },
  );
}
