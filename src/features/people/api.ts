import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { todayIso } from '../../domain/calendar.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { BREAK_GLASS_HOURS } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  BreakGlassGrantSchema,
  BreakGlassReportEntrySchema,
  BreakGlassRequest,
  RecordSharingBasis,
  SharingBasisSchema,
  WithdrawSharingBasis,
} from '../sharing/schema.js';
import {
  AddCareTeamMember,
  AddRelationship,
  CarerAuthorisation,
  CaseloadQuery,
  CaseloadSchema,
  PersonRecordSchema,
  RegisterPerson,
  RelationshipParams,
  SharingBasisParams,
  UpdateContact,
} from './schema.js';
import { describeTimeline } from './timeline-view.js';

export async function peopleApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { people, records, sharing } = opts.services;

  app.get(
    '/api/caseload',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['people'],
        summary: 'My caseload',
        description:
          'People whose current care team includes me or one of my teams, soonest review first, 25 a page.',
        querystring: CaseloadQuery,
        response: responses({ 200: CaseloadSchema }),
      },
    },
    async (request) =>
      people.caseload(requireActor(request), {
        search: request.query.search,
        overdueOnly: request.query.overdue,
        noPlanOnly: request.query.noPlan,
        measureOverdueOnly: request.query.measureOverdue,
        page: request.query.page,
        today: todayIso(),
      }),
  );

  app.post(
    '/api/people',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['people'],
        summary: 'Register a person',
        description:
          'For example at referral. You and your team join the person’s care team, so the record is in your caseload. NHS numbers are checked with Modulus 11 and must be unique. Someone with the same name and date of birth already registered (with no NHS number, or the same one) is answered 409 naming the field notADuplicate: send notADuplicate: true once you have checked this is a different person.',
        body: RegisterPerson,
        response: responses(
          {
            201: Type.Object({ personId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
          },
          [409, 422],
        ),
      },
    },
    async (request, reply) => {
      const personId = await people.register(requireActor(request), request.body);
      return reply.code(201).send({ personId });
    },
  );

  app.get(
    '/api/people/:personId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['people'],
        summary: "A person's record",
        description:
          'Details, care team, circle, what matters with ratings by viewpoint and GAS, the plan, conversations and timeline. ' +
          'Practitioners in the care team, the person, and carers the person has authorised.',
        params: PersonParams,
        response: responses({ 200: PersonRecordSchema }, [404]),
      },
    },
    async (request) => {
      const record = await records.record(requireActor(request), request.params.personId, todayIso());
      // The closed schema is the answer's contract: what the reader may do (`can`) is for pages.
      return { ...record, timeline: describeTimeline(record) };
    },
  );

  app.patch(
    '/api/people/:personId/contact',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['people'],
        summary: 'Update contact preferences and communication needs',
        params: PersonParams,
        body: UpdateContact,
        response: responses({ 204: Type.Null() }, [404]),
      },
    },
    async (request, reply) => {
      await people.updateContact(requireActor(request), request.params.personId, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/people/:personId/care-team',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['people'],
        summary: 'Add a member to the care team',
        description:
          'An organisation, team or named practitioner from any agency. If no basis for sharing the record with that organisation is recorded yet, `sharing` must give one (usually the person’s consent) or the answer is 422.',
        params: PersonParams,
        body: AddCareTeamMember,
        response: responses(
          {
            201: Type.Object({ memberId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
          },
          [404, 422],
        ),
      },
    },
    async (request, reply) => {
      const memberId = await people.addCareTeamMember(
        requireActor(request),
        request.params.personId,
        request.body,
      );
      return reply.code(201).send({ memberId });
    },
  );

  app.post(
    '/api/people/:personId/relationships',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['people'],
        summary: 'Add someone important to the person (family, friend, carer)',
        params: PersonParams,
        body: AddRelationship,
        response: responses(
          {
            201: Type.Object(
              { relationshipId: Type.String({ format: 'uuid' }) },
              { additionalProperties: false },
            ),
          },
          [404, 422],
        ),
      },
    },
    async (request, reply) => {
      const relationshipId = await people.addRelationship(
        requireActor(request),
        request.params.personId,
        request.body,
      );
      return reply.code(201).send({ relationshipId });
    },
  );

  app.put(
    '/api/people/:personId/relationships/:relationshipId/authorisation',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['people'],
        summary: 'What a carer may see and add',
        description:
          'Set by the person, or by a practitioner recording the person’s decision. Takes effect at once.',
        params: RelationshipParams,
        body: CarerAuthorisation,
        response: responses({ 204: Type.Null() }, [404, 422]),
      },
    },
    async (request, reply) => {
      await people.setCarerAuthorisation(
        requireActor(request),
        request.params.personId,
        request.params.relationshipId,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/people/:personId/sharing',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['sharing'],
        summary: 'Who the record is shared with, and on what basis',
        description:
          'Every organisation’s recorded basis (consent, direct care or another legal basis), including withdrawn ones.',
        params: PersonParams,
        response: responses({ 200: Type.Array(SharingBasisSchema) }, [404]),
      },
    },
    async (request) => sharing.list(requireActor(request), request.params.personId),
  );

  app.post(
    '/api/people/:personId/sharing',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['sharing'],
        summary: 'Record a basis for sharing the record with an organisation',
        description: 'The person may record their consent; the care team may record any basis.',
        params: PersonParams,
        body: RecordSharingBasis,
        response: responses(
          { 201: Type.Object({ basisId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }) },
          [404, 422],
        ),
      },
    },
    async (request, reply) => {
      const basisId = await sharing.record(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send({ basisId });
    },
  );

  app.post(
    '/api/people/:personId/sharing/:basisId/withdraw',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['sharing'],
        summary: 'Withdraw a basis for sharing: takes effect at once',
        params: SharingBasisParams,
        body: WithdrawSharingBasis,
        response: responses({ 204: Type.Null() }, [404]),
      },
    },
    async (request, reply) => {
      await sharing.withdraw(
        requireActor(request),
        request.params.personId,
        request.params.basisId,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/break-glass',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['sharing'],
        summary: 'Break-glass access to someone outside your caseload',
        description: `Read-only access for ${BREAK_GLASS_HOURS} hours, with a stated reason. Audited and reported to the managers of the person’s care teams.`,
        body: BreakGlassRequest,
        response: responses({ 201: BreakGlassGrantSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const grant = await sharing.breakGlass(requireActor(request), request.body);
      return reply.code(201).send({ personId: grant.personId, expiresAt: grant.expiresAt.toISOString() });
    },
  );

  app.get(
    '/api/break-glass/report',
    {
      config: { access: { roles: ['team-manager', 'admin'] } },
      schema: {
        tags: ['sharing'],
        summary: 'Break-glass use on people in my teams’ care, last 30 days',
        response: responses({ 200: Type.Array(BreakGlassReportEntrySchema) }),
      },
    },
    async (request) => sharing.breakGlassReport(requireActor(request)),
  );
}
