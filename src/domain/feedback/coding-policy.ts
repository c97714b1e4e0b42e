import type { CodingExample } from '../coding/coder.js';
import { frameworkCodes, frameworkSubTheme, isSentiment } from '../coding/framework.js';

/**
 * Coding stories in use (issue 12, item 3): what text a story is coded on, how staff's review
 * changes its codes, which reviewed stories teach the organisation's model, and when the model is
 * retrained on its own. Pure: the feedback-coding service stores and audits.
 */

/**
 * When a model is retrained without anyone asking: once at least `newlyReviewed` stories have been
 * reviewed since the latest version was trained, and the organisation has at least `minimumExamples`
 * reviewed stories in all. Why these numbers: the coder's thresholds are tuned on 3-fold out-of-fold
 * scores and a label needs two positives to be tuned at all, so fewer than about 30 examples teach
 * it little beyond the lexicon; 20 new reviews is a few days of one service's feedback, often enough
 * that corrections show up in the suggestions soon, and rare enough that training (seconds at 2,000
 * reviewed stories, docs/CODING.md) never piles up behind people saving their reviews.
 */
export const RETRAIN_POLICY = { newlyReviewed: 20, minimumExamples: 30 } as const;

export interface RetrainState {
  /** Stories of the organisation whose codes were reviewed after the latest version was trained. */
  reviewedSinceLatest: number;
  /** All reviewed stories of the organisation. */
  reviewedTotal: number;
}

/** Whether to retrain now, and how many more reviewed stories would make it due (0 when due). */
export function retrainDue(
  state: RetrainState,
  policy: { newlyReviewed: number; minimumExamples: number } = RETRAIN_POLICY,
): { due: boolean; moreNeeded: number } {
  const moreNeeded = Math.max(
    0,
    policy.newlyReviewed - state.reviewedSinceLatest,
    policy.minimumExamples - state.reviewedTotal,
  );
  return { due: moreNeeded === 0, moreNeeded };
}

/**
 * The text a story is coded on: both answers together, masked. Together, because staff confirm
 * codes for the story as a whole (a theme praised in one answer and criticised in the other is one
 * code), so the model learns and predicts the same unit, and sentiment is the story's overall one.
 * Masked, because the words that drove each code are stored and shown beside it: coding the masked
 * text keeps names and numbers out of them, and out of what the model learns (one "[name]" token
 * instead of every name).
 */
export function codingText(story: { maskedWhatWasGood: string; maskedWhatCouldBeBetter: string }): string {
  return [story.maskedWhatWasGood, story.maskedWhatCouldBeBetter].filter((t) => t.trim()).join('\n');
}

/** The labels an organisation's model codes to: every theme and sub-theme of the framework. */
export const codingLabels = (): string[] => frameworkCodes();

/** Whether a code is one staff may add: a theme or `theme/sub-theme` of the framework. */
export function isFrameworkCode(code: string): boolean {
  return codingLabels().includes(code);
}

/**
 * A reviewed story as a training example: its confirmed codes, each sub-theme with its theme too
 * (a story about call bells is about responsiveness), and its sentiment when staff confirmed it.
 * Rejected and unconfirmed codes are left out: a label absent from an example is a negative for it.
 */
export function trainingExample(story: {
  text: string;
  confirmedCodes: readonly string[];
  sentiment: number | null;
  sentimentConfirmed: boolean;
}): CodingExample {
  const codes = new Set<string>();
  for (const code of story.confirmedCodes) {
    codes.add(code);
    const sub = frameworkSubTheme(code);
    if (sub) codes.add(sub.theme.id);
  }
  return {
    text: story.text,
    codes: [...codes].sort(),
    sentiment: story.sentimentConfirmed && story.sentiment !== null ? story.sentiment : null,
  };
}

export interface StoryCode {
  code: string;
  status: 'suggested' | 'confirmed' | 'rejected';
}

export interface CodeReview {
  /** Codes to keep (the ticked boxes): each must be a suggested or confirmed code of the story. */
  keep: readonly string[];
  /** Codes to add: each a framework code. */
  add: readonly string[];
  sentiment: number;
}

export interface ReviewOutcome {
  /** The story's codes after the review, with their new status; `added` when the story had no such row. */
  codes: { code: string; status: 'confirmed' | 'rejected'; added: boolean }[];
  problems: { field: 'keep' | 'add' | 'sentiment'; message: string }[];
}

/**
 * What a review does to a story's codes: ticked codes confirmed, unticked suggested or confirmed
 * codes rejected, added codes confirmed (a rejected one restored), rejected codes not mentioned left
 * rejected. Problems name the field: a ticked code the story does not have, an added code outside
 * the framework, a sentiment off the five-point scale.
 */
export function reviewCodes(existing: readonly StoryCode[], review: CodeReview): ReviewOutcome {
  const problems: ReviewOutcome['problems'] = [];
  const open = new Map(existing.filter((c) => c.status !== 'rejected').map((c) => [c.code, c]));
  const had = new Set(existing.map((c) => c.code));
  const unknownKept = review.keep.filter((code) => !open.has(code));
  if (unknownKept.length)
    problems.push({ field: 'keep', message: `This story has no code ${unknownKept[0]} to keep.` });
  const unknownAdded = review.add.filter((code) => !isFrameworkCode(code));
  if (unknownAdded.length)
    problems.push({
      field: 'add',
      message: `Choose a theme or sub-theme from the list (not ${unknownAdded[0]}).`,
    });
  if (!isSentiment(review.sentiment))
    problems.push({
      field: 'sentiment',
      message: 'Choose the story’s sentiment, from very negative to very positive.',
    });
  if (problems.length) return { codes: [], problems };
  const keep = new Set([...review.keep, ...review.add]);
  const codes: ReviewOutcome['codes'] = [];
  for (const code of open.keys())
    codes.push({ code, status: keep.has(code) ? 'confirmed' : 'rejected', added: false });
  for (const code of new Set(review.add))
    if (!open.has(code)) codes.push({ code, status: 'confirmed', added: !had.has(code) });
  return { codes, problems };
}
