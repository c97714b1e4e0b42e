import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  ACCESSIBILITY_FEATURES,
  COMMUNITY_LIMITS,
  COST_KINDS,
  DAYS,
  NEEDS,
  RESOURCE_KINDS,
  RESOURCE_STATUSES,
  SESSION_TIME_PATTERN,
} from '../../domain/community/vocabulary.js';
import { PHONE_PATTERN, PHONE_PROBLEM } from '../../domain/phone.js';
import { POSTCODE_PATTERN } from '../../domain/postcode.js';
import { contract } from '../../services/contract.js';

/**
 * The contracts of the community resource directory (issue 14). `CommunityResourceBody` is what
 * staff save: the API's body, the service's input, what the staff form maps onto, and what the CSV
 * and Open Referral UK imports produce. Rules across fields (an end after its start, ages in order,
 * outcome domains that exist) are the service's, after this.
 */

const oneOf = <T extends string>(values: readonly T[], description: string, errorMessage?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description, ...(errorMessage ? { errorMessage } : {}) },
  );

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const L = COMMUNITY_LIMITS;

export const ResourceKindSchema = oneOf(RESOURCE_KINDS, 'The kind of support', 'Choose the kind of support');
export const NeedSchema = oneOf(NEEDS, 'A need or concern it helps with');
export const CostKindSchema = oneOf(COST_KINDS, 'What it costs', 'Choose what it costs');
export const AccessibilityFeatureSchema = oneOf(ACCESSIBILITY_FEATURES, 'An accessibility feature');
export const DaySchema = oneOf(DAYS, 'Day of the week', 'Choose a day');
export const ResourceStatusSchema = oneOf(
  RESOURCE_STATUSES,
  'active, or closed (kept, shown to no one looking for help)',
);

const Time = (what: string) =>
  Type.String({
    pattern: SESSION_TIME_PATTERN,
    description: `${what}, 24-hour HH:MM`,
    errorMessage: `Enter the ${what.toLowerCase()} as a 24-hour time, like 09:30 or 14:00`,
  });

export const SessionSchema = Type.Object(
  { day: DaySchema, start: Time('Start time'), end: Time('End time') },
  { additionalProperties: false },
);
export type Session = Static<typeof SessionSchema>;

const text = (max: number, description: string, errorMessage?: string) =>
  Type.String({ maxLength: max, description, ...(errorMessage ? { errorMessage } : {}) });

export const CommunityResourceBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: L.name,
      errorMessage: `Enter the name of the group or service (up to ${L.name} characters)`,
    }),
    kind: ResourceKindSchema,
    summary: Type.String({
      minLength: 1,
      maxLength: L.summary,
      description: 'One line: what it is',
      errorMessage: `Enter a one-line summary (up to ${L.summary} characters)`,
    }),
    description: text(L.description, 'What they offer'),
    needs: Type.Array(NeedSchema, { maxItems: NEEDS.length, uniqueItems: true }),
    domainCodes: Type.Array(Type.String({ minLength: 1, maxLength: L.domainCode }), {
      maxItems: L.domainCodes,
      uniqueItems: true,
      description: 'Outcome domain codes (outcome_domain.code) it helps with',
    }),
    online: Type.Boolean({ description: 'Takes place online: no place needed' }),
    address: Nullable(
      Type.String({
        minLength: 1,
        maxLength: L.address,
        description: 'Where it meets, one line per line of the address',
      }),
    ),
    postcode: Nullable(
      Type.String({
        pattern: POSTCODE_PATTERN,
        description: 'The postcode where it meets',
        errorMessage: 'Enter a real postcode, like RV1 2AB',
      }),
    ),
    sessions: Type.Array(SessionSchema, {
      maxItems: L.sessions,
      description: 'When it meets each week; none means by arrangement',
    }),
    scheduleNote: text(L.note, 'More about when, such as “First Tuesday of the month”'),
    eligibility: text(L.eligibility, 'Who can use it'),
    minAge: Nullable(
      Type.Integer({ minimum: 0, maximum: L.age, errorMessage: `Enter an age from 0 to ${L.age}` }),
    ),
    maxAge: Nullable(
      Type.Integer({ minimum: 0, maximum: L.age, errorMessage: `Enter an age from 0 to ${L.age}` }),
    ),
    costKind: CostKindSchema,
    costNote: text(L.note, 'How much, or what a donation covers'),
    accessibility: Type.Array(AccessibilityFeatureSchema, {
      maxItems: ACCESSIBILITY_FEATURES.length,
      uniqueItems: true,
    }),
    accessibilityNote: text(L.note, 'Anything else about access'),
    selfReferral: Type.Boolean({ description: 'People may contact them directly, without a referral' }),
    howToRefer: text(L.howToRefer, 'How to refer or self-refer'),
    phone: Nullable(
      Type.String({ minLength: 1, maxLength: L.phone, pattern: PHONE_PATTERN, errorMessage: PHONE_PROBLEM }),
    ),
    email: Nullable(
      Type.String({
        maxLength: L.email,
        format: 'email',
        errorMessage: 'Enter an email address like name@example.org',
      }),
    ),
    website: Nullable(
      Type.String({
        maxLength: L.website,
        pattern: '^https?://[^\\s]+\\.[^\\s]+$',
        errorMessage: 'Enter a web address starting with https://',
      }),
    ),
    capacity: Nullable(
      Type.Integer({
        minimum: 0,
        maximum: L.capacity,
        description: 'Places',
        errorMessage: 'Enter the number of places as a whole number',
      }),
    ),
    acceptingReferrals: Type.Boolean({ description: 'Whether it is taking new referrals now' }),
  },
  { additionalProperties: false },
);
export type CommunityResourceInput = Static<typeof CommunityResourceBody>;
export const CommunityResourceContract = contract(CommunityResourceBody);

/** Adding an entry: what staff save, and the organisation that runs it (one the actor belongs to). */
export const AddCommunityResourceBody = Type.Composite(
  [
    Type.Object({
      organisationId: Type.String({
        format: 'uuid',
        description: 'The organisation that runs it; its users maintain it',
        errorMessage: 'Choose the organisation that runs it',
      }),
    }),
    CommunityResourceBody,
  ],
  { additionalProperties: false },
);
export type AddCommunityResourceInput = Static<typeof AddCommunityResourceBody>;
export const AddCommunityResourceContract = contract(AddCommunityResourceBody);

/** Changing an entry: what staff save, and the version they started from (409 when it has moved on). */
export const UpdateCommunityResourceBody = Type.Composite(
  [
    Type.Object({
      version: Type.Optional(
        Type.Integer({
          minimum: 1,
          description:
            'The version the change was made from; an If-Match header (W/"3" or 3) may give it instead',
        }),
      ),
    }),
    CommunityResourceBody,
  ],
  { additionalProperties: false },
);
export type UpdateCommunityResourceInput = Static<typeof UpdateCommunityResourceBody>;

/** Confirming an entry is still right, closing or reopening: each from the version shown. */
export const VersionBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The version shown when asked' }) },
  { additionalProperties: false },
);

export const ResourceIdParams = Type.Object({ resourceId: Type.String({ format: 'uuid' }) });

/** An entry as answered: what staff save, and who runs and keeps it, and when it was reviewed. */
export const CommunityResourceSchema = Type.Composite(
  [
    CommunityResourceBody,
    Type.Object({
      resourceId: Type.String({ format: 'uuid' }),
      organisationId: Type.String({ format: 'uuid' }),
      organisationName: Type.String(),
      maintainerUserId: Nullable(Type.String({ format: 'uuid' })),
      maintainerName: Nullable(Type.String()),
      reviewDue: Type.String({ format: 'date' }),
      lastReviewedAt: Nullable(Type.String({ format: 'date-time' })),
      status: ResourceStatusSchema,
      version: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ],
  { additionalProperties: false },
);
export type CommunityResource = Static<typeof CommunityResourceSchema>;
