/**
 * Ratings of how far a personal outcome is achieved, from several viewpoints.
 *
 * The person, their practitioner and their carer can see the same outcome differently, and that
 * difference is worth talking about. So viewpoints are kept apart throughout: nothing here averages
 * them into one number.
 */

export const VIEWPOINTS = ['person', 'practitioner', 'carer'] as const;
export type Viewpoint = (typeof VIEWPOINTS)[number];

export const VIEWPOINT_LABELS: Record<Viewpoint, string> = {
  person: 'The person',
  practitioner: 'Practitioner',
  carer: 'Carer',
};

export interface RatingPoint {
  viewpoint: Viewpoint;
  score: number;
  /** ISO 8601 date and time. */
  ratedAt: string;
}

// Comparing instants rather than strings, so that '…+01:00' and '…Z' order correctly.
function instant(rating: RatingPoint): number {
  const ms = Date.parse(rating.ratedAt);
  if (Number.isNaN(ms)) throw new RangeError(`ratedAt is not a date and time: "${rating.ratedAt}"`);
  return ms;
}

interface Span {
  first: RatingPoint;
  latest: RatingPoint;
  count: number;
}

/**
 * Earliest and latest rating per viewpoint. Two ratings at the same instant are taken in the order
 * given, which is the order they were recorded in when they come from the store.
 */
function spans(ratings: readonly RatingPoint[]): Map<Viewpoint, Span> {
  const byViewpoint = new Map<Viewpoint, Span>();
  for (const rating of ratings) {
    const at = instant(rating);
    const span = byViewpoint.get(rating.viewpoint);
    if (!span) {
      byViewpoint.set(rating.viewpoint, { first: rating, latest: rating, count: 1 });
      continue;
    }
    span.count += 1;
    if (at < instant(span.first)) span.first = rating;
    if (at >= instant(span.latest)) span.latest = rating;
  }
  return byViewpoint;
}

export function latestByViewpoint(ratings: readonly RatingPoint[]): Partial<Record<Viewpoint, RatingPoint>> {
  const result: Partial<Record<Viewpoint, RatingPoint>> = {};
  const byViewpoint = spans(ratings);
  for (const viewpoint of VIEWPOINTS) {
    const span = byViewpoint.get(viewpoint);
    if (span) result[viewpoint] = span.latest;
  }
  return result;
}

export interface Disagreement {
  /** Highest minus lowest of the latest scores; 0 when fewer than two viewpoints have rated. */
  spread: number;
  /** The viewpoints that have rated, in the order of VIEWPOINTS. */
  viewpoints: Viewpoint[];
  /** A difference of a whole point on the scale is enough to be worth raising. */
  disagree: boolean;
}

/** How far the viewpoints differ now, to be shown beside the ratings, never averaged away. */
export function disagreement(ratings: readonly RatingPoint[]): Disagreement {
  const latest = latestByViewpoint(ratings);
  const viewpoints = VIEWPOINTS.filter((v) => latest[v] !== undefined);
  const scores = viewpoints.flatMap((v) => latest[v]?.score ?? []);
  const spread = scores.length < 2 ? 0 : Math.max(...scores) - Math.min(...scores);
  return { spread, viewpoints, disagree: spread >= 1 };
}

export interface DistanceTravelled {
  viewpoint: Viewpoint;
  first: RatingPoint;
  latest: RatingPoint;
  /** latest.score − first.score: positive means better, by this viewpoint's own account. */
  change: number;
  /** How many ratings this viewpoint has given. */
  ratings: number;
}

/**
 * Change from the first rating to the latest, separately for each viewpoint that has rated, in the
 * order of VIEWPOINTS. With a single rating, first and latest are the same and the change is 0.
 */
export function distanceTravelled(ratings: readonly RatingPoint[]): DistanceTravelled[] {
  const byViewpoint = spans(ratings);
  return VIEWPOINTS.flatMap((viewpoint) => {
    const span = byViewpoint.get(viewpoint);
    if (!span) return [];
    return [
      {
        viewpoint,
        first: span.first,
        latest: span.latest,
        change: span.latest.score - span.first.score,
        ratings: span.count,
      },
    ];
  });
}

/**
 * A score in words, on its framework's scale: "Mostly" for 3 on the Talking Points scale. A score
 * the scale has no word for (a scale shortened in a later version) is shown as its number rather
 * than hidden.
 */
export function ratingLabel(score: number, labels: readonly string[]): string {
  return labels[score - 1] ?? String(score);
}

/** A score in words with where it sits on the scale: "Mostly (3 out of 4)". */
export function ratingLabelOnScale(score: number, labels: readonly string[]): string {
  return `${ratingLabel(score, labels)} (${score} out of ${labels.length})`;
}
