import type { Viewpoint } from './ratings.js';

/**
 * The one access rule for a person's record: how an actor may be related to the record, what they
 * may need to do with it, and which relations permit which needs. Pure: the services find the
 * relation (from care-team membership, sharing bases, break-glass grants and carers' links) and
 * `PersonAccess` turns this rule into decisions and audit entries. Pages never re-derive it; they
 * render from `capabilitiesOf` as the services return it.
 */
export type Relation =
  | { kind: 'self' }
  | { kind: 'carer'; relationshipId: string; mayView: boolean; mayContribute: boolean }
  | {
      kind: 'care-team';
      /** Named in the care team, a member of a team in it, or a system acting for an organisation in it. */
      via: 'user' | 'team' | 'organisation';
      organisationId: string;
      basis: string;
      purpose: string;
      /** The system client, when `via` is 'organisation'. */
      clientId?: string;
    }
  | { kind: 'break-glass'; grantId: string; reason: string; expiresAt: Date };

export type RelationKind = Relation['kind'];

export const RELATION_KINDS = [
  'self',
  'carer',
  'care-team',
  'break-glass',
] as const satisfies readonly RelationKind[];

/** What someone may want to do with a person's record. */
export const RECORD_NEEDS = [
  /** Read the record. */
  'view',
  /** Add to it from one's own viewpoint: what matters, ratings, plan comments, correction requests. */
  'contribute',
  /** Professional changes: record a conversation, save the plan, add to the care team, resolve corrections. */
  'manage',
  /** Change the person's own contact details and communication needs. */
  'update-details',
  /** Add someone to the person's circle. */
  'manage-circle',
  /** Decide what a carer may see and add. */
  'authorise-carers',
  /** Record or withdraw a basis for sharing the record. */
  'decide-sharing',
  /** Export the whole record. */
  'export',
  /** Ask for the record to be erased. */
  'request-erasure',
] as const;

export type RecordNeed = (typeof RECORD_NEEDS)[number];

/** What an actor may do with one record: one flag for each need. */
export type Capabilities = Readonly<Record<RecordNeed, boolean>>;

/** The person themselves and the care team act for the person; carers and break-glass never do. */
const ON_THE_PERSONS_BEHALF: readonly RecordNeed[] = [
  'update-details',
  'manage-circle',
  'authorise-carers',
  'decide-sharing',
  'export',
  'request-erasure',
];

/** Does this relation permit this need? The rule, in one place. */
export function permits(relation: Relation | null, need: RecordNeed): boolean {
  if (relation === null) return false;
  if (need === 'view') return relation.kind !== 'carer' || relation.mayView;
  // Break-glass is read-only: it never permits anything but viewing.
  if (relation.kind === 'break-glass') return false;
  if (need === 'contribute') return relation.kind !== 'carer' || (relation.mayView && relation.mayContribute);
  if (need === 'manage') return relation.kind === 'care-team';
  if (ON_THE_PERSONS_BEHALF.includes(need)) return relation.kind === 'self' || relation.kind === 'care-team';
  return false;
}

export function capabilitiesOf(relation: Relation | null): Capabilities {
  return Object.fromEntries(RECORD_NEEDS.map((need) => [need, permits(relation, need)])) as Record<
    RecordNeed,
    boolean
  >;
}

/** Whose point of view a rating, outcome or comment from this relation is recorded from. */
export function viewpointOf(relation: Relation): Viewpoint {
  return relation.kind === 'self' ? 'person' : relation.kind === 'carer' ? 'carer' : 'practitioner';
}

/** Why the record was opened, for the audit trail and the person's "who looked at my record". */
export function purposeOf(relation: Relation): string {
  switch (relation.kind) {
    case 'care-team':
      return relation.clientId
        ? `direct care (${relation.basis}: ${relation.purpose}) by system client ${relation.clientId}`
        : `direct care (${relation.basis}: ${relation.purpose})`;
    case 'break-glass':
      return `break-glass: ${relation.reason}`;
    default:
      return `direct care (${relation.kind})`;
  }
}

/** Why a relation that exists is refused a need, in words the reader can act on. */
export function refusalFor(relation: Relation, need: RecordNeed): string {
  if (relation.kind === 'break-glass') return 'Break-glass access lets you read the record, not change it.';
  switch (need) {
    case 'manage':
      return 'Only practitioners in the care team can change this.';
    case 'contribute':
    case 'view':
      return 'The person has not authorised you to add to their record.';
    case 'update-details':
      return "Only the person and their care team can change the person's own details.";
    case 'manage-circle':
      return 'Only the person and their care team can add people to the person’s circle.';
    case 'authorise-carers':
      return 'Only the person and their care team can change what carers may see.';
    case 'decide-sharing':
      return 'Only the person and their care team can decide who sees the record.';
    case 'export':
      return 'Only the person and their care team can export the whole record.';
    case 'request-erasure':
      return 'Only the person, or their care team on their behalf, can ask for the record to be erased.';
  }
}
