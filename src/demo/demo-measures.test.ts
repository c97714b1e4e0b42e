import { describe, expect, it } from 'vitest';
import { changeCategory } from '../domain/measures/reliable-change.js';
import type { DemoConversation } from './demo-care.js';
import { answersSumming, demoMeasures, demoScoresOf } from './demo-measures.js';
import { createRandom } from './random.js';

/** Three conversations each for 200 people: a first and two reviews, a quarter of a year apart. */
const conversations: DemoConversation[] = Array.from({ length: 200 }, (_, p) =>
  ['2025-06-02', '2025-09-01', '2025-12-01'].map((heldOn, k) => ({
    personId: `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`,
    conversationId: `10000000-0000-4000-8000-${String(p * 10 + k).padStart(12, '0')}`,
    kind: k === 0 ? ('first' as const) : ('review' as const),
    heldOn,
    summary: '',
    whatHelped: '',
    whatGotInTheWay: '',
    nextReviewDate: null,
    recordedByUserId: '20000000-0000-4000-8000-000000000001',
    recordedAt: `${heldOn}T10:00:00.000Z`,
  })),
).flat();

describe('demo measures', () => {
  const measures = demoMeasures(conversations, 'test');

  it('are the same for the same seed, and differ for another', () => {
    expect(demoMeasures(conversations, 'test')).toEqual(measures);
    expect(demoMeasures(conversations, 'other').responses).not.toEqual(measures.responses);
  });

  it('give each PHQ-9 measured person the change category their trajectory names', () => {
    const expected = {
      recovering: ['recovery', 'reliable-recovery'],
      improving: ['reliable-improvement'],
      'no-change': ['no-reliable-change'],
      deteriorating: ['reliable-deterioration'],
    } as const;
    for (const [personId, trajectory] of measures.trajectories) {
      const totals = measures.responses
        .filter((r) => r.personId === personId && r.instrument === 'phq9')
        .map((r) => demoScoresOf(r)[0]?.value as number);
      expect(totals).toHaveLength(3);
      const category = changeCategory('phq9', totals[0] as number, totals[2] as number);
      expect(expected[trajectory] as readonly string[], `${trajectory}: ${totals.join(' → ')}`).toContain(
        category,
      );
    }
    const seen = new Set(measures.trajectories.values());
    expect([...seen].sort()).toEqual(['deteriorating', 'improving', 'no-change', 'recovering']);
  });

  it('measure some people with SWEMWBS and ONS4, each answer in its instrument’s range', () => {
    const instruments = new Set(measures.responses.map((r) => r.instrument));
    expect([...instruments].sort()).toEqual(['gad7', 'ons4', 'phq9', 'swemwbs']);
    for (const r of measures.responses) expect(() => demoScoresOf(r)).not.toThrow();
  });

  it('always measures the person given, recovering, with a schedule', () => {
    const personId = conversations[0]?.personId as string;
    const forced = demoMeasures(conversations, 'test', personId);
    expect(forced.trajectories.get(personId)).toBe('recovering');
    expect(forced.schedules.some((s) => s.personId === personId)).toBe(true);
  });

  it('answers sum to the total asked for, within each item’s range', () => {
    const r = createRandom('sum');
    for (const total of [0, 1, 13, 27]) {
      const answers = answersSumming(total, 9, 0, 3, r);
      expect(answers.reduce((a, b) => a + b, 0)).toBe(total);
      expect(answers.every((a) => a >= 0 && a <= 3)).toBe(true);
    }
    expect(answersSumming(7, 7, 1, 5, r)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});
