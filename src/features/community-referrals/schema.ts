import { type Static, type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import {
  ATTENDANCE_OUTCOMES,
  DECLINE_REASONS,
  MAX_REFERRAL_NOTE,
  MAX_REFERRAL_REASON,
  REFERRAL_ACTIONS,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
} from '../../domain/community/referrals.js';
import { NEEDS, RESOURCE_KINDS } from '../../domain/community/vocabulary.js';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { PersonParams } from '../../http/schemas.js';
import { contract } from '../../services/contract.js';

/**
 * Referrals and signposts to community resources (issue 14, part 2; docs/REFERRALS.md), one contract
 * per use case: making one, the organisation's answer (accept or decline), withdrawing or ending
 * one, and recording attendance. Each schema is the API body, the service's input type and what the
 * pages' forms (form.ts) produce. Rules that need the record or the resource (an outcome of the
 * person's, a resource taking referrals, the status it is in) stay in the service and name the same
 * fields. Changes to a referral carry the version they were made from (409 when stale), as the
 * directory's do.
 */

const uuid = () => Type.String({ format: 'uuid' });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = <T extends string>(
  values: readonly T[],
  options: { description?: string; errorMessage?: string } = {},
) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as TUnion<TLiteral<T>[]>;
const closed = <P extends Record<string, TSchema>>(properties: P, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });

const note = (description: string) =>
  Type.Optional(Type.String({ maxLength: MAX_REFERRAL_NOTE, description }));
const version = () =>
  Type.Integer({
    minimum: 1,
    description: 'The version of the referral the change was made from: 409 if someone changed it since',
  });

/** The path parameters of a route about one of the person's referrals, API and pages alike. */
export const ReferralParams = Type.Object({ ...PersonParams.properties, referralId: uuid() });

/** Making a referral or signposting to a resource in the community directory. */
export const MakeReferral = closed({
  resourceId: uuid(),
  kind: oneOf(REFERRAL_KINDS, {
    description:
      'referral: the person’s name and contact details go to the organisation, which accepts or declines; signpost: the person is given the organisation’s details, nothing is sent',
    errorMessage: 'Choose whether to refer or to give the details',
  }),
  outcomeId: Type.Optional(nullable(uuid())),
  needs: Type.Array(oneOf(NEEDS, { errorMessage: 'Choose needs from the list' }), {
    uniqueItems: true,
    maxItems: NEEDS.length,
    description: 'The needs and concerns it is for (SPIS “needs and concerns”)',
  }),
  reason: Type.String({
    maxLength: MAX_REFERRAL_REASON,
    description: `Why, in a few words (SPIS “reason for referral”, at most ${MAX_REFERRAL_REASON} characters)`,
  }),
  shareConsent: Type.Boolean({
    description:
      'The person agreed their name, date of birth and contact details go to the organisation: must be true for a referral',
  }),
});
export type MakeReferralInput = Static<typeof MakeReferral>;
export const MakeReferralContract = contract(MakeReferral);

/** The organisation's answer to a referral: accept it, or decline it with a reason. */
export const RespondToReferral = closed({
  response: oneOf(['accept', 'decline'] as const, { errorMessage: 'Choose whether to accept or decline' }),
  declineReason: Type.Optional(
    oneOf(DECLINE_REASONS, { errorMessage: 'Choose why you cannot take the referral' }),
  ),
  note: note('A note for the referrer, for example when the first session is'),
  version: version(),
});
export type RespondToReferralInput = Static<typeof RespondToReferral>;
export const RespondToReferralContract = contract(RespondToReferral);

/** Withdrawing a referral still open, or ending the support: with a note why, if wanted. */
export const CloseReferral = closed({
  note: note('Why, in a few words'),
  version: version(),
});
export type CloseReferralInput = Static<typeof CloseReferral>;
export const CloseReferralContract = contract(CloseReferral);

/** Whether the person came on a day. */
export const RecordAttendance = closed({
  attendedOn: Type.String({
    format: 'date',
    description: 'YYYY-MM-DD: the day of the session, not in the future',
    errorMessage: 'Enter the day of the session, for example 14 12 2026',
  }),
  outcome: oneOf(ATTENDANCE_OUTCOMES, { errorMessage: 'Choose whether they came' }),
  note: note('How it went, if anything is worth passing on'),
});
export type RecordAttendanceInput = Static<typeof RecordAttendance>;
export const RecordAttendanceContract = contract(RecordAttendance);

// ——— the answers ———

export const AttendanceSchema = closed({
  attendanceId: uuid(),
  attendedOn: Type.String({ format: 'date' }),
  outcome: oneOf(ATTENDANCE_OUTCOMES),
  note: Type.String(),
  recordedBy: nullable(Type.String()),
  recordedAt: Type.String({ format: 'date-time' }),
});
export type Attendance = Static<typeof AttendanceSchema>;

/** The resource a referral went to, as both sides see it: the directory's public facts. */
export const ReferredResourceSchema = closed({
  resourceId: uuid(),
  name: Type.String(),
  kind: oneOf(RESOURCE_KINDS),
  organisationId: uuid(),
  organisationName: Type.String(),
  phone: nullable(Type.String()),
  email: nullable(Type.String()),
  howToRefer: Type.String(),
});

const referralProperties = {
  referralId: uuid(),
  personId: uuid(),
  resource: ReferredResourceSchema,
  kind: oneOf(REFERRAL_KINDS),
  madeBy: oneOf(VIEWPOINTS),
  needs: Type.Array(oneOf(NEEDS)),
  reason: Type.String(),
  shareConsent: Type.Boolean(),
  outcome: nullable(closed({ outcomeId: uuid(), statement: Type.String() })),
  status: oneOf(REFERRAL_STATUSES),
  declineReason: nullable(oneOf(DECLINE_REASONS)),
  statusNote: Type.String(),
  respondedBy: nullable(Type.String()),
  respondedAt: nullable(Type.String({ format: 'date-time' })),
  createdBy: nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
  attendance: Type.Array(AttendanceSchema, { description: 'Oldest first' }),
  actions: Type.Array(oneOf(REFERRAL_ACTIONS), {
    description: 'What the reader may do with it now (domain/community/referrals.ts referralActions)',
  }),
};

/** A referral or signpost as the person and their care team see it. */
export const CommunityReferralSchema = closed(
  referralProperties,
  'A referral or signpost to community support',
);
export type CommunityReferral = Static<typeof CommunityReferralSchema>;

/**
 * A referral as the organisation sees it: only what the referral passes (SPIS referral details),
 * never the rest of the record.
 */
export const ReceivedReferralSchema = closed(
  {
    ...referralProperties,
    person: closed({
      name: Type.String(),
      dateOfBirth: nullable(Type.String({ format: 'date' })),
      phone: nullable(Type.String()),
      email: nullable(Type.String()),
    }),
  },
  'A referral received by the organisation running the resource',
);
export type ReceivedReferral = Static<typeof ReceivedReferralSchema>;

export const ReferralMadeSchema = closed({ referralId: uuid() });
