import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { AUDIT_OUTCOMES } from './service.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Outcome = Type.Union(AUDIT_OUTCOMES.map((o) => Type.Literal(o)));
const Page = Type.Integer({ minimum: 1, maximum: 10_000 });
const UpTo = Type.String({
  pattern: '^[1-9][0-9]{0,17}$',
  description: 'The upTo of the first page: later pages then list the same entries it saw',
});
const Paging = {
  page: Type.Integer(),
  pageSize: Type.Integer(),
  hasNextPage: Type.Boolean(),
  upTo: nullable(Type.String({ description: 'Pass as upTo for the other pages' })),
};

const AccessLogEntry = Type.Object({
  auditId: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  who: nullable(
    Type.Object({
      displayName: Type.String(),
      jobTitle: nullable(Type.String()),
      organisations: Type.Array(Type.String()),
      roles: Type.Array(Type.String(), { description: 'The roles they held at the time' }),
    }),
  ),
  byThePerson: Type.Boolean({ description: 'The person themselves did it' }),
  action: Type.String(),
  description: Type.String({ description: 'The action in plain English, for the person' }),
  purpose: nullable(Type.String()),
  outcome: Outcome,
});

const AuditSearchEntry = Type.Object({
  auditId: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: nullable(
    Type.Object({
      userId: Type.String(),
      username: nullable(Type.String()),
      displayName: nullable(Type.String()),
    }),
  ),
  actorRole: nullable(Type.String()),
  action: Type.String(),
  description: Type.String(),
  resourceType: Type.String(),
  resourceId: nullable(Type.String()),
  personId: nullable(Type.String()),
  nhsNumber: nullable(Type.String()),
  purpose: nullable(Type.String()),
  ip: nullable(Type.String()),
  outcome: Outcome,
});

export async function auditApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { auditLog } = opts.services;

  app.get(
    '/api/people/:personId/access-log',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['audit'],
        summary: 'Who looked at or changed this person’s record, and why',
        description:
          'Newest first, 25 a page. The person, and anyone who may view their record. Users are named by ' +
          'display name, job title and organisation. Reading it is itself audited (read-access-log).',
        params: PersonParams,
        querystring: Type.Object(
          {
            page: Type.Optional(Page),
            upTo: Type.Optional(UpTo),
            includeOwn: Type.Optional(
              Type.Boolean({ description: 'Include what the person did themselves (default true)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: responses(
          {
            200: Type.Object({
              personId: Type.String(),
              entries: Type.Array(AccessLogEntry),
              ...Paging,
            }),
          },
          [404],
        ),
      },
    },
    async (request) =>
      auditLog.accessLog(requireActor(request), request.params.personId, {
        page: request.query.page,
        upTo: request.query.upTo,
        includeOwn: request.query.includeOwn,
      }),
  );

  app.get(
    '/api/audit',
    {
      config: { access: { roles: ['admin', 'team-manager'] } },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail',
        description:
          'Newest first, 50 a page. Admins see every entry; team managers see entries made by members of ' +
          'the teams they manage. Dates are UK calendar dates, both inclusive. The search is itself ' +
          'audited (search-audit).',
        querystring: Type.Object(
          {
            nhsNumber: Type.Optional(Type.String({ maxLength: 20 })),
            personId: Type.Optional(Type.String({ format: 'uuid' })),
            user: Type.Optional(Type.String({ maxLength: 254, description: 'Username of who did it' })),
            action: Type.Optional(Type.String({ maxLength: 64, description: 'For example read-person' })),
            outcome: Type.Optional(Outcome),
            from: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD' })),
            to: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD' })),
            page: Type.Optional(Page),
            upTo: Type.Optional(UpTo),
          },
          { additionalProperties: false },
        ),
        response: responses(
          {
            200: Type.Object({
              scope: Type.Union([Type.Literal('all'), Type.Literal('team')]),
              entries: Type.Array(AuditSearchEntry),
              ...Paging,
            }),
          },
          [422],
        ),
      },
    },
    async (request) => {
      const { user, ...filters } = request.query;
      return auditLog.search(requireActor(request), { ...filters, username: user });
    },
  );
}
