import { type Static, Type } from '@sinclair/typebox';
import { PACK_PERIODS } from '../../domain/feedback/touchpoint-pack.js';
import { TOUCHPOINT_LIMITS } from '../../domain/feedback/touchpoints.js';
import { contract } from '../../services/contract.js';

/**
 * The contracts of experience-based co-design (issue 12, item 8; docs/FEEDBACK.md): a touchpoint of
 * a service's pathway, moving one, a story's touchpoints as staff decide them, and the pack's period.
 */

/** A touchpoint: its label and the words (one or two each) that point to it. */
export const TouchpointBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: TOUCHPOINT_LIMITS.label, description: 'Its name' }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: TOUCHPOINT_LIMITS.keyword }), {
      maxItems: TOUCHPOINT_LIMITS.keywords,
      description: 'Words that point to it, one or two words each',
    }),
  },
  { additionalProperties: false },
);
export type TouchpointInput = Static<typeof TouchpointBody>;
export const TouchpointContract = contract(TouchpointBody);

/** Moving a touchpoint one place earlier or later in the pathway. */
export const TouchpointMoveBody = Type.Object(
  { direction: Type.Union([Type.Literal('up'), Type.Literal('down')]) },
  { additionalProperties: false },
);
export const TouchpointMoveContract = contract(TouchpointMoveBody);

/** A story's touchpoints as staff decide them: these are confirmed, every other active one rejected. */
export const StoryTouchpointsBody = Type.Object(
  {
    touchpointIds: Type.Array(Type.String({ format: 'uuid' }), {
      maxItems: TOUCHPOINT_LIMITS.touchpoints,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);
export type StoryTouchpointsInput = Static<typeof StoryTouchpointsBody>;
export const StoryTouchpointsContract = contract(StoryTouchpointsBody);

/** The period a touchpoint pack covers. */
export const TouchpointPackQuery = Type.Object({
  period: Type.Optional(Type.Union(PACK_PERIODS.map((p) => Type.Literal(p.key)))),
});
