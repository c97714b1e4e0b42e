import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  disagreement,
  distanceTravelled,
  latestByViewpoint,
  type RatingPoint,
  ratingLabel,
  ratingLabelOnScale,
  VIEWPOINT_LABELS,
  VIEWPOINTS,
} from './ratings.js';

const r = (viewpoint: RatingPoint['viewpoint'], score: number, ratedAt: string): RatingPoint => ({
  viewpoint,
  score,
  ratedAt,
});

const history: RatingPoint[] = [
  r('person', 1, '2026-01-10T10:00:00Z'),
  r('practitioner', 3, '2026-01-10T10:05:00Z'),
  r('person', 2, '2026-03-01T09:00:00Z'),
  r('carer', 2, '2026-02-01T12:00:00Z'),
  // Recorded out of order: this one is older than the person's rating above.
  r('person', 4, '2026-02-15T09:00:00Z'),
];

describe('viewpoints', () => {
  it('are the person, practitioner and carer', () => {
    expect(VIEWPOINTS).toEqual(['person', 'practitioner', 'carer']);
    expect(VIEWPOINT_LABELS).toEqual({ person: 'The person', practitioner: 'Practitioner', carer: 'Carer' });
  });
});

describe('latestByViewpoint', () => {
  it('takes the latest by date and time, not by position', () => {
    const latest = latestByViewpoint(history);
    expect(latest.person?.score).toBe(2);
    expect(latest.practitioner?.score).toBe(3);
    expect(latest.carer?.score).toBe(2);
  });

  it('leaves out viewpoints with no rating', () => {
    expect(latestByViewpoint([r('carer', 1, '2026-01-01T00:00:00Z')])).toEqual({
      carer: r('carer', 1, '2026-01-01T00:00:00Z'),
    });
    expect(latestByViewpoint([])).toEqual({});
  });

  it('compares instants, so time zone offsets order correctly', () => {
    const latest = latestByViewpoint([
      r('person', 1, '2026-06-01T10:30:00Z'),
      r('person', 2, '2026-06-01T11:00:00+01:00'), // 10:00 UTC, so earlier
    ]);
    expect(latest.person?.score).toBe(1);
  });

  it('takes the one recorded last when two share a time', () => {
    const at = '2026-06-01T10:00:00Z';
    expect(latestByViewpoint([r('person', 1, at), r('person', 3, at)]).person?.score).toBe(3);
  });

  it('refuses a rating with no usable date', () => {
    expect(() => latestByViewpoint([r('person', 1, 'yesterday')])).toThrow(RangeError);
  });
});

describe('disagreement', () => {
  it('is the spread of the latest scores across viewpoints', () => {
    expect(disagreement(history)).toEqual({
      spread: 1,
      viewpoints: ['person', 'practitioner', 'carer'],
      disagree: true,
    });
  });

  it('is none with fewer than two viewpoints, however many ratings', () => {
    expect(disagreement([])).toEqual({ spread: 0, viewpoints: [], disagree: false });
    expect(
      disagreement([r('person', 1, '2026-01-01T00:00:00Z'), r('person', 4, '2026-02-01T00:00:00Z')]),
    ).toEqual({ spread: 0, viewpoints: ['person'], disagree: false });
  });

  it('is none when the viewpoints agree now, even if they once did not', () => {
    const result = disagreement([
      r('person', 1, '2026-01-01T00:00:00Z'),
      r('practitioner', 4, '2026-01-01T00:00:00Z'),
      r('person', 3, '2026-02-01T00:00:00Z'),
      r('practitioner', 3, '2026-02-01T00:00:00Z'),
    ]);
    expect(result).toEqual({ spread: 0, viewpoints: ['person', 'practitioner'], disagree: false });
  });

  it('always has a spread between 0 and the range of all scores given', () => {
    const rating = fc.record({
      viewpoint: fc.constantFrom(...VIEWPOINTS),
      score: fc.integer({ min: 1, max: 4 }),
      ratedAt: fc
        .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
        .map((ms) => new Date(ms).toISOString()),
    });
    fc.assert(
      fc.property(fc.array(rating, { maxLength: 20 }), (ratings) => {
        const { spread, disagree, viewpoints } = disagreement(ratings);
        expect(spread).toBeGreaterThanOrEqual(0);
        const all = ratings.map((x) => x.score);
        expect(spread).toBeLessThanOrEqual(all.length === 0 ? 0 : Math.max(...all) - Math.min(...all));
        expect(disagree).toBe(spread >= 1);
        expect(viewpoints.length).toBe(new Set(ratings.map((x) => x.viewpoint)).size);
      }),
    );
  });
});

describe('distanceTravelled', () => {
  it('gives first and latest per viewpoint, in viewpoint order', () => {
    expect(distanceTravelled(history)).toEqual([
      {
        viewpoint: 'person',
        first: r('person', 1, '2026-01-10T10:00:00Z'),
        latest: r('person', 2, '2026-03-01T09:00:00Z'),
        change: 1,
        ratings: 3,
      },
      {
        viewpoint: 'practitioner',
        first: r('practitioner', 3, '2026-01-10T10:05:00Z'),
        latest: r('practitioner', 3, '2026-01-10T10:05:00Z'),
        change: 0,
        ratings: 1,
      },
      {
        viewpoint: 'carer',
        first: r('carer', 2, '2026-02-01T12:00:00Z'),
        latest: r('carer', 2, '2026-02-01T12:00:00Z'),
        change: 0,
        ratings: 1,
      },
    ]);
  });

  it('records getting worse as a negative change', () => {
    const [person] = distanceTravelled([
      r('person', 4, '2026-01-01T00:00:00Z'),
      r('person', 2, '2026-05-01T00:00:00Z'),
    ]);
    expect(person?.change).toBe(-2);
  });

  it('is empty with no ratings', () => {
    expect(distanceTravelled([])).toEqual([]);
  });
});

describe('ratingLabel', () => {
  const labels = ['Not at all', 'A little', 'Mostly', 'Fully'];

  it('names a score in the words of its scale', () => {
    expect(ratingLabel(1, labels)).toBe('Not at all');
    expect(ratingLabel(3, labels)).toBe('Mostly');
  });

  it('shows a score the scale has no word for as its number', () => {
    expect(ratingLabel(5, labels)).toBe('5');
    expect(ratingLabel(2, [])).toBe('2');
  });

  it('says where the score sits on the scale', () => {
    expect(ratingLabelOnScale(3, labels)).toBe('Mostly (3 out of 4)');
    expect(ratingLabelOnScale(1, labels)).toBe('Not at all (1 out of 4)');
  });
});
