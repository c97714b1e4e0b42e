import { type Static, Type } from '@sinclair/typebox';
import { contract } from '../../services/contract.js';

const code = Type.String({ minLength: 1, maxLength: 100 });

/**
 * Staff's review of one story's codes (the story page form, one save): the codes to keep (every
 * suggested or confirmed code not listed is rejected), codes to add from the framework, and the
 * story's sentiment on the five-point scale.
 */
export const CodeReviewBody = Type.Object(
  {
    keep: Type.Array(code, { maxItems: 100, description: 'The story’s codes to keep (confirm)' }),
    add: Type.Array(code, { maxItems: 20, description: 'Theme or theme/sub-theme codes to add' }),
    sentiment: Type.Integer({
      minimum: 1,
      maximum: 5,
      description: 'Sentiment, 1 very negative to 5 very positive',
    }),
  },
  { additionalProperties: false },
);
export type CodeReviewInput = Static<typeof CodeReviewBody>;
export const CodeReviewContract = contract(CodeReviewBody);
