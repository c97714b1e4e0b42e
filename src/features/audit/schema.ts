import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { contract } from '../../services/contract.js';

/**
 * The contracts of reading the audit trail: the person's access log and the audit search, each the
 * API's query string, the service's input and what the search page's form maps onto; then the
 * answers, closed.
 */

export const AUDIT_OUTCOMES = ['success', 'denied', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** No page beyond this: a reader who needs older entries narrows the search instead. */
export const MAX_AUDIT_PAGE = 10_000;

const Outcome = Type.Union(AUDIT_OUTCOMES.map((o) => Type.Literal(o)));
const Page = Type.Integer({ minimum: 1, maximum: MAX_AUDIT_PAGE });
const UpTo = Type.String({
  pattern: '^[1-9][0-9]{0,17}$',
  description: 'The upTo of the first page: later pages then list the same entries it saw',
});
const CalendarDate = (description: string) => Type.String({ format: 'date', description });

/** Which page of the person's access log. */
export const AccessLogQuery = Type.Object(
  {
    page: Type.Optional(Page),
    upTo: Type.Optional(UpTo),
    includeOwn: Type.Optional(
      Type.Boolean({ description: 'Include what the person did themselves (default true)' }),
    ),
  },
  { additionalProperties: false },
);
export type AccessLogQueryInput = Static<typeof AccessLogQuery>;
export const AccessLogQueryContract = contract(AccessLogQuery);

/**
 * What to search the audit trail for. A blank filter is no filter; whether an NHS number passes
 * its check digit, and whether `from` comes before `to`, are the service's to say (422).
 */
export const AuditSearchQuery = Type.Object(
  {
    nhsNumber: Type.Optional(
      Type.String({
        maxLength: 20,
        pattern: '^[\\s-]*(?:[0-9][\\s-]*){10}$|^\\s*$',
        description: '10 digits, spaces and hyphens allowed',
      }),
    ),
    personId: Type.Optional(Type.String({ format: 'uuid' })),
    user: Type.Optional(Type.String({ maxLength: 254, description: 'Username of who did it' })),
    action: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: '^[a-z0-9][a-z0-9-]*$|^\\s*$',
        description: 'Lower-case words joined by hyphens, for example read-person',
      }),
    ),
    outcome: Type.Optional(Outcome),
    from: Type.Optional(CalendarDate('YYYY-MM-DD, a UK calendar date, inclusive')),
    to: Type.Optional(CalendarDate('YYYY-MM-DD, a UK calendar date, inclusive')),
    page: Type.Optional(Page),
    upTo: Type.Optional(UpTo),
  },
  { additionalProperties: false },
);
export type AuditSearchQueryInput = Static<typeof AuditSearchQuery>;
export const AuditSearchQueryContract = contract(AuditSearchQuery);

// ——— answers ———

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const closed = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

const Paging = {
  page: Type.Integer(),
  pageSize: Type.Integer(),
  hasNextPage: Type.Boolean(),
  upTo: nullable(Type.String({ description: 'Pass as upTo for the other pages' })),
};

export const AccessLogEntrySchema = closed({
  auditId: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  who: nullable(
    closed({
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

export const AccessLogSchema = closed({
  personId: Type.String({ format: 'uuid' }),
  entries: Type.Array(AccessLogEntrySchema),
  ...Paging,
});

export const AuditSearchEntrySchema = closed({
  auditId: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: nullable(
    closed({
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
  listedPersonIds: nullable(
    Type.Array(Type.String(), {
      description: 'Everyone a list (a caseload page) showed; for administrators only',
    }),
  ),
});

export const AuditSearchResultSchema = closed({
  scope: Type.Union([Type.Literal('all'), Type.Literal('team')], {
    description: '`all` for admins; `team` for team managers, who see what members of their teams did',
  }),
  entries: Type.Array(AuditSearchEntrySchema),
  ...Paging,
});

export const AuditVerificationSchema = closed({
  ok: Type.Boolean({ description: 'True when no entry was changed, deleted or forged' }),
  checked: Type.Integer({ description: 'Entries checked before the first break (all, when none)' }),
  anchorsChecked: Type.Integer({
    description: 'Anchored entries found in the trail with the hash the anchor file recorded',
  }),
  firstBreak: nullable(
    closed({
      auditId: Type.String({
        description: 'The entry where the chain breaks (or "anchors" for the anchor file)',
      }),
      reason: Type.String(),
    }),
  ),
});
