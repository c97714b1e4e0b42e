import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { LEAD_STATES } from '../../domain/lead-team.js';
import { SHARING_BASES } from '../../domain/sharing.js';
import { contract } from '../../services/contract.js';

/**
 * The sharing feature's contracts: one per use case, used as the API body, the service's input
 * type and what the service checks; and the closed shapes of its answers.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A basis for sharing the record with one organisation, and what it is shared for. */
export const SharingBasisInput = Type.Object(
  {
    basis: Type.Union(SHARING_BASES.map((b) => Type.Literal(b))),
    purpose: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type SharingBasisInput = Static<typeof SharingBasisInput>;

/** Record a basis for sharing the record with an organisation. */
export const RecordSharingBasis = Type.Composite(
  [
    SharingBasisInput,
    Type.Object({
      organisationId: Type.String({ format: 'uuid' }),
      note: Type.Optional(Type.String({ maxLength: 2000 })),
    }),
  ],
  { additionalProperties: false },
);
export type RecordSharingBasisInput = Static<typeof RecordSharingBasis>;
export const RecordSharingBasisContract = contract(RecordSharingBasis);

/**
 * Withdraw a basis: why (the care team must say; the person may), and, when it is the lead team's
 * organisation that would lose the record, the team that takes over responsibility for it.
 */
export const WithdrawSharingBasis = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    newLeadTeamId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type WithdrawSharingBasisInput = Static<typeof WithdrawSharingBasis>;
export const WithdrawSharingBasisContract = contract(WithdrawSharingBasis);

/** Ask for break-glass access to someone by NHS number, saying why. */
export const BreakGlassRequest = Type.Object(
  {
    nhsNumber: Type.String({ minLength: 10, maxLength: 20 }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type BreakGlassRequestInput = Static<typeof BreakGlassRequest>;
export const BreakGlassRequestContract = contract(BreakGlassRequest);

export const SharingBasisSchema = Type.Object(
  {
    basisId: Type.String({ format: 'uuid' }),
    organisationId: Type.String({ format: 'uuid' }),
    organisationName: Type.String(),
    basis: Type.Union(SHARING_BASES.map((b) => Type.Literal(b))),
    purpose: Type.String(),
    note: Type.String(),
    recordedBy: Type.String(),
    recordedAt: Type.String({ format: 'date-time' }),
    withdrawnAt: nullable(Type.String({ format: 'date-time' })),
    withdrawnBy: nullable(Type.String()),
    withdrawalReason: nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type SharingBasis = Static<typeof SharingBasisSchema>;

export const BreakGlassGrantSchema = Type.Object(
  { personId: Type.String({ format: 'uuid' }), expiresAt: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);

export const BreakGlassReportEntrySchema = Type.Object(
  {
    personId: Type.String({ format: 'uuid' }),
    personName: Type.String(),
    userName: Type.String(),
    reason: Type.String(),
    grantedAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type BreakGlassReportEntry = Static<typeof BreakGlassReportEntrySchema>;

/** Ask the lead team's manager to decide who should be responsible for the record, saying why. */
export const EscalateLeadTeam = Type.Object(
  { reason: Type.String({ maxLength: 500 }) },
  { additionalProperties: false },
);
export type EscalateLeadTeamInput = Static<typeof EscalateLeadTeam>;
export const EscalateLeadTeamContract = contract(EscalateLeadTeam);

/** Make a team responsible for the record (an administrator, or a manager of the lead team). */
export const AssignLeadTeam = Type.Object(
  { teamId: Type.String({ format: 'uuid' }), reason: Type.String({ maxLength: 500 }) },
  { additionalProperties: false },
);
export type AssignLeadTeamInput = Static<typeof AssignLeadTeam>;
export const AssignLeadTeamContract = contract(AssignLeadTeam);

/** The person gives their consent again for an organisation that saw their record before. */
export const ConsentAgain = Type.Object(
  { organisationId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type ConsentAgainInput = Static<typeof ConsentAgain>;
export const ConsentAgainContract = contract(ConsentAgain);

const LeadStateSchema = Type.Union(LEAD_STATES.map((s) => Type.Literal(s)));

/** The team responsible for a record, and whether it still is. */
export const LeadTeamSchema = Type.Object(
  {
    teamId: nullable(Type.String({ format: 'uuid' })),
    teamName: nullable(Type.String()),
    organisationId: nullable(Type.String({ format: 'uuid' })),
    organisationName: nullable(Type.String()),
    state: LeadStateSchema,
    reason: nullable(Type.String()),
    changedBy: nullable(Type.String()),
    since: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type LeadTeam = Static<typeof LeadTeamSchema>;

/** A team that could be made responsible for a record. */
export const TeamChoiceSchema = Type.Object(
  {
    teamId: Type.String({ format: 'uuid' }),
    teamName: Type.String(),
    organisationId: Type.String({ format: 'uuid' }),
    organisationName: Type.String(),
  },
  { additionalProperties: false },
);
export type TeamChoice = Static<typeof TeamChoiceSchema>;

/** One record on the work list of records needing a responsible team. */
export const RecordNeedingTeamSchema = Type.Object(
  {
    personId: Type.String({ format: 'uuid' }),
    personName: Type.String(),
    lead: LeadTeamSchema,
  },
  { additionalProperties: false },
);
export type RecordNeedingTeam = Static<typeof RecordNeedingTeamSchema>;
