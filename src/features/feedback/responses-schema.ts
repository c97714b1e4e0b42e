import { type Static, Type } from '@sinclair/typebox';
import { CHANGE_STATUSES, RESPONSE_LIMITS } from '../../domain/feedback/responses.js';
import { contract } from '../../services/contract.js';

/**
 * The contracts of responding and changing (issue 12, item 5): a reply to a story, a change
 * recorded (optionally from a story, which it is then linked to), a planned change marked made,
 * and a story linked to a change. The pages map their forms onto these; the service checks them.
 */

export const ReplyBody = Type.Object(
  {
    body: Type.String({
      minLength: 1,
      maxLength: RESPONSE_LIMITS.reply,
      description: 'The reply, published beside the story when the story is published',
    }),
  },
  { additionalProperties: false },
);
export type ReplyInput = Static<typeof ReplyBody>;
export const ReplyContract = contract(ReplyBody);

export const ChangeBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: RESPONSE_LIMITS.description }),
    status: Type.Union(
      CHANGE_STATUSES.map((s) => Type.Literal(s)),
      { description: 'planned: with plannedOn; made: with madeOn' },
    ),
    plannedOn: Type.Optional(Type.String({ format: 'date' })),
    madeOn: Type.Optional(Type.String({ format: 'date' })),
    /** The story the change is recorded from: it is linked to the change in the same transaction. */
    feedbackId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type ChangeInput = Static<typeof ChangeBody>;
export const ChangeContract = contract(ChangeBody);

export const ChangeMadeBody = Type.Object(
  { madeOn: Type.String({ format: 'date', description: 'The day the change was made' }) },
  { additionalProperties: false },
);
export type ChangeMadeInput = Static<typeof ChangeMadeBody>;
export const ChangeMadeContract = contract(ChangeMadeBody);

export const LinkChangeBody = Type.Object(
  { changeId: Type.String({ format: 'uuid', description: 'A change of the same service' }) },
  { additionalProperties: false },
);
export type LinkChangeInput = Static<typeof LinkChangeBody>;
export const LinkChangeContract = contract(LinkChangeBody);
