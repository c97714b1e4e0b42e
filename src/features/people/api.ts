import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { todayIso } from '../../domain/calendar.js';
import { CARE_TEAM_SUPPORT_KINDS } from '../../domain/care-team.js';
import { ETHNIC_CATEGORIES, SEXES } from '../../domain/demographics.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { BREAK_GLASS_HOURS, SHARING_BASES } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';

const SharingInput = Type.Object(
  {
    basis: Type.Union(SHARING_BASES.map((b) => Type.Literal(b))),
    purpose: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

const shortText = (maxLength: number) => Type.String({ maxLength });
const record = Type.Object({}, { additionalProperties: true, description: 'See the service documentation' });

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
        querystring: Type.Object(
          {
            search: Type.Optional(Type.String({ maxLength: 200, description: 'Name or NHS number' })),
            overdue: Type.Optional(Type.Boolean({ description: 'Only people whose review is overdue' })),
            noPlan: Type.Optional(
              Type.Boolean({ description: 'Only people without a care and support plan' }),
            ),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: record }),
      },
    },
    async (request) =>
      people.caseload(requireActor(request), {
        search: request.query.search,
        overdueOnly: request.query.overdue,
        noPlanOnly: request.query.noPlan,
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
          'For example at referral. You and your team join the person’s care team, so the record is in your caseload. NHS numbers are checked with Modulus 11 and must be unique.',
        body: Type.Object(
          {
            givenName: Type.String({ minLength: 1, maxLength: 100 }),
            familyName: Type.String({ minLength: 1, maxLength: 100 }),
            preferredName: Type.Optional(Type.Union([shortText(100), Type.Null()])),
            dateOfBirth: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
            nhsNumber: Type.Optional(Type.Union([shortText(20), Type.Null()])),
            sex: Type.Union(SEXES.map((s) => Type.Literal(s))),
            gender: Type.Optional(Type.Union([shortText(100), Type.Null()])),
            ethnicCategory: Type.Optional(
              Type.Union([...ETHNIC_CATEGORIES.map((c) => Type.Literal(c.code)), Type.Null()]),
            ),
            postcode: Type.Optional(
              Type.Union([Type.String({ pattern: '^[A-Za-z0-9 ]{5,8}$' }), Type.Null()]),
            ),
            phone: Type.Optional(Type.Union([shortText(40), Type.Null()])),
            email: Type.Optional(Type.Union([shortText(254), Type.Null()])),
            preferredContactMethod: Type.Optional(Type.Union([shortText(200), Type.Null()])),
            communicationNeeds: Type.Optional(Type.Union([shortText(2000), Type.Null()])),
            supportKind: Type.Optional(Type.Union(CARE_TEAM_SUPPORT_KINDS.map((k) => Type.Literal(k)))),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Object({ personId: Type.String() }) }, [409, 422]),
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
        response: responses({ 200: record }, [404]),
      },
    },
    async (request) => records.record(requireActor(request), request.params.personId, todayIso()),
  );

  app.patch(
    '/api/people/:personId/contact',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['people'],
        summary: 'Update contact preferences and communication needs',
        params: PersonParams,
        body: Type.Object(
          {
            preferredName: Type.Optional(shortText(100)),
            phone: Type.Optional(shortText(40)),
            email: Type.Optional(shortText(254)),
            preferredContactMethod: Type.Optional(shortText(200)),
            communicationNeeds: Type.Optional(shortText(2000)),
            address: Type.Optional(shortText(500)),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
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
        body: Type.Object(
          {
            organisationId: Type.String({ format: 'uuid' }),
            teamId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
            userId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
            supportKind: Type.Union(CARE_TEAM_SUPPORT_KINDS.map((k) => Type.Literal(k))),
            roleDescription: Type.Optional(shortText(300)),
            isKeyWorker: Type.Optional(Type.Boolean()),
            sharing: Type.Optional(Type.Union([SharingInput, Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Object({ memberId: Type.String() }) }, [404, 422]),
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
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            relationshipType: Type.String({ minLength: 1, maxLength: 100 }),
            isCarer: Type.Boolean(),
            contact: Type.Optional(Type.Union([shortText(300), Type.Null()])),
            carerUsername: Type.Optional(Type.Union([shortText(254), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Object({ relationshipId: Type.String() }) }, [404, 422]),
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
        params: Type.Object({
          personId: Type.String({ format: 'uuid' }),
          relationshipId: Type.String({ format: 'uuid' }),
        }),
        body: Type.Object(
          { mayView: Type.Boolean(), mayContribute: Type.Boolean() },
          { additionalProperties: false },
        ),
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
        response: responses({ 200: Type.Array(Type.Object({}, { additionalProperties: true })) }, [404]),
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
        body: Type.Composite(
          [
            SharingInput,
            Type.Object({
              organisationId: Type.String({ format: 'uuid' }),
              note: Type.Optional(shortText(2000)),
            }),
          ],
          {
            additionalProperties: false,
          },
        ),
        response: responses({ 201: Type.Object({ basisId: Type.String() }) }, [404, 422]),
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
        params: Type.Object({
          personId: Type.String({ format: 'uuid' }),
          basisId: Type.String({ format: 'uuid' }),
        }),
        body: Type.Object({ reason: Type.Optional(shortText(500)) }, { additionalProperties: false }),
        response: responses({ 204: Type.Null() }, [404]),
      },
    },
    async (request, reply) => {
      await sharing.withdraw(
        requireActor(request),
        request.params.personId,
        request.params.basisId,
        request.body.reason ?? '',
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
        body: Type.Object(
          {
            nhsNumber: Type.String({ minLength: 10, maxLength: 20 }),
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: responses(
          { 201: Type.Object({ personId: Type.String(), expiresAt: Type.String() }) },
          [404, 422],
        ),
      },
    },
    async (request, reply) => {
      const grant = await sharing.breakGlass(
        requireActor(request),
        request.body.nhsNumber,
        request.body.reason,
      );
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
        response: responses({ 200: Type.Array(Type.Object({}, { additionalProperties: true })) }),
      },
    },
    async (request) => sharing.breakGlassReport(requireActor(request)),
  );
}
