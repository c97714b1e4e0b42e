import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  AccessLogQuery,
  AccessLogSchema,
  AuditSearchQuery,
  AuditSearchResultSchema,
  AuditVerificationSchema,
} from './schema.js';

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
        querystring: AccessLogQuery,
        response: responses({ 200: AccessLogSchema }, [404]),
      },
    },
    async (request) => auditLog.accessLog(requireActor(request), request.params.personId, request.query),
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
        querystring: AuditSearchQuery,
        response: responses({ 200: AuditSearchResultSchema }, [422]),
      },
    },
    async (request) => auditLog.search(requireActor(request), request.query),
  );

  app.post(
    '/api/audit/verification',
    {
      config: { access: { roles: ['admin'] }, scopes: ['audit:verify'] },
      schema: {
        tags: ['audit'],
        summary: 'Check the audit trail has not been changed, deleted from or added to',
        description:
          'Recomputes the keyed hash chain over every entry and checks it against the anchors kept ' +
          'outside the database (docs/SECURITY.md), while the server runs: for a scheduled job, with an ' +
          'API client token with the audit:verify scope, or for an administrator. Answers 200 either way; ' +
          '`ok` says whether the trail is intact. The check is itself audited (verify-audit).',
        response: responses({ 200: AuditVerificationSchema }),
      },
    },
    async (request) => auditLog.verifyTrail(request.apiClient ?? requireActor(request)),
  );
}
