import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { REFERRAL_RECEIVER_ROLES } from '../../domain/community/referral-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  CloseReferral,
  CommunityReferralSchema,
  MakeReferral,
  ReceivedReferralSchema,
  RecordAttendance,
  ReferralMadeSchema,
  ReferralParams,
  RespondToReferral,
} from './schema.js';

/**
 * Referrals and signposts as JSON (docs/REFERRALS.md). The person's routes are under the person, in
 * the style of the outcome routes: open to any signed-in user, the record's access rule applied by
 * the service (404 outside the record, 403 without the permission needed). The organisation's
 * routes are under /api/community/referrals: the service admits staff of the organisation running
 * the resource, to referrals made to it only. No API-client scopes: a referral is made and answered
 * by someone, from their own viewpoint.
 */
export async function communityReferralApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { communityReferrals } = opts.services;
  const tags = ['community-referrals'];
  const receivers = { roles: [...REFERRAL_RECEIVER_ROLES] };

  app.get(
    '/api/people/:personId/community-referrals',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'The person’s referrals and signposts to community support',
        description:
          'Newest first, each with the resource, status, attendance and `actions`: what the reader may do with it now.',
        params: PersonParams,
        response: responses({ 200: Type.Array(CommunityReferralSchema) }, [404]),
      },
    },
    async (request) => communityReferrals.list(requireActor(request), request.params.personId),
  );

  app.post(
    '/api/people/:personId/community-referrals',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Refer or signpost the person to a resource in the community directory',
        description:
          'By the person (a self-referral), a carer they let add to their record, or the care team. A referral needs `shareConsent: true`, a resource taking referrals and, made by the person or a carer, one that takes self-referrals; a signpost may go to any open resource.',
        params: PersonParams,
        body: MakeReferral,
        response: responses({ 201: ReferralMadeSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const referralId = await communityReferrals.make(
        requireActor(request),
        request.params.personId,
        request.body,
      );
      return reply.code(201).send({ referralId });
    },
  );

  app.post(
    '/api/people/:personId/community-referrals/:referralId/responses',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Accept or decline a referral, as the organisation running the resource',
        description:
          'Declining needs a `declineReason`. 409 if the version is stale or the referral was answered.',
        params: ReferralParams,
        body: RespondToReferral,
        response: responses({ 204: Type.Null() }, [404, 409, 422]),
      },
    },
    async (request, reply) => {
      const { personId, referralId } = request.params;
      await communityReferrals.respond(requireActor(request), personId, referralId, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/people/:personId/community-referrals/:referralId/attendance',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Record whether the person came to a session',
        description:
          'The organisation, for a referral it accepted; the person or their care team, for a signpost. One record per day.',
        params: ReferralParams,
        body: RecordAttendance,
        response: responses(
          { 201: Type.Object({ attendanceId: Type.String({ format: 'uuid' }) }) },
          [404, 409, 422],
        ),
      },
    },
    async (request, reply) => {
      const { personId, referralId } = request.params;
      const attendanceId = await communityReferrals.recordAttendance(
        requireActor(request),
        personId,
        referralId,
        request.body,
      );
      return reply.code(201).send({ attendanceId });
    },
  );

  app.post(
    '/api/people/:personId/community-referrals/:referralId/withdrawal',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Withdraw a referral still open, as the person or their care team',
        params: ReferralParams,
        body: CloseReferral,
        response: responses({ 204: Type.Null() }, [404, 409]),
      },
    },
    async (request, reply) => {
      const { personId, referralId } = request.params;
      await communityReferrals.withdraw(requireActor(request), personId, referralId, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/people/:personId/community-referrals/:referralId/end',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'End the support of an accepted referral, from either side',
        params: ReferralParams,
        body: CloseReferral,
        response: responses({ 204: Type.Null() }, [404, 409]),
      },
    },
    async (request, reply) => {
      const { personId, referralId } = request.params;
      await communityReferrals.end(requireActor(request), personId, referralId, request.body);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/community/referrals',
    {
      config: { access: receivers },
      schema: {
        tags,
        summary: 'Referrals made to the resources of the caller’s organisations',
        description:
          'Staff of organisations running resources only (403 otherwise). Waiting ones first, then the newest; each with only what a referral passes: the person’s name, date of birth and contact details, the needs, the reason and the outcome it is for. Signposts never appear.',
        response: responses({ 200: Type.Array(ReceivedReferralSchema) }),
      },
    },
    async (request) => communityReferrals.received(requireActor(request)),
  );

  app.get(
    '/api/community/referrals/:personId/:referralId',
    {
      config: { access: receivers },
      schema: {
        tags,
        summary: 'One referral made to the caller’s organisation',
        description:
          '404 unless the referral was made, with consent to share, to a resource of the caller’s organisation.',
        params: ReferralParams,
        response: responses({ 200: ReceivedReferralSchema }, [404]),
      },
    },
    async (request) => {
      const { personId, referralId } = request.params;
      return communityReferrals.openReceived(requireActor(request), personId, referralId);
    },
  );
}
