import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTimeline, type TimelineEvent, type TimelineMonth } from './timeline.js';

const event = (at: string, title: string, kind: TimelineEvent['kind'] = 'conversation'): TimelineEvent => ({
  at,
  kind,
  title,
  detail: null,
  by: null,
  link: null,
});

const titles = (timeline: TimelineMonth<TimelineEvent>[]) =>
  timeline.map(({ month, events }) => [month, events.map((e) => e.title)]);

describe('buildTimeline', () => {
  it('puts the newest first and groups by month', () => {
    const timeline = buildTimeline([
      event('2026-10-03T09:00:00Z', 'First conversation'),
      event('2026-11-20T14:00:00Z', 'Review', 'conversation'),
      event('2026-10-03T09:30:00Z', 'Walking again', 'outcome-added'),
      event('2026-11-02T10:00:00Z', 'Plan updated', 'plan-version'),
      event('2025-12-31T23:59:59Z', 'Referral'),
    ]);
    expect(titles(timeline)).toEqual([
      ['November 2026', ['Review', 'Plan updated']],
      ['October 2026', ['Walking again', 'First conversation']],
      ['December 2025', ['Referral']],
    ]);
  });

  it('is empty for no events', () => {
    expect(buildTimeline([])).toEqual([]);
  });

  it('groups by UTC month, whatever offset the time was written with', () => {
    // 00:30 on 1 June in British Summer Time is 23:30 on 31 May UTC.
    expect(titles(buildTimeline([event('2026-06-01T00:30:00+01:00', 'Late call')]))).toEqual([
      ['May 2026', ['Late call']],
    ]);
  });

  it('keeps the given order for events at the same moment', () => {
    const at = '2026-03-01T12:00:00Z';
    expect(titles(buildTimeline([event(at, 'a'), event(at, 'b'), event(at, 'c')]))).toEqual([
      ['March 2026', ['a', 'b', 'c']],
    ]);
  });

  it('does not reorder the list it was given', () => {
    const input = [event('2026-01-01T00:00:00Z', 'old'), event('2026-02-01T00:00:00Z', 'new')];
    buildTimeline(input);
    expect(input.map((e) => e.title)).toEqual(['old', 'new']);
  });

  it('refuses an event with no usable date', () => {
    expect(() => buildTimeline([event('sometime', 'Lost')])).toThrow(/Lost/);
  });

  it('keeps every event, newest first, with each month appearing once', () => {
    const at = fc
      .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
      .map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.array(at, { maxLength: 40 }), (times) => {
        const timeline = buildTimeline(times.map((t, i) => event(t, String(i))));
        const flat = timeline.flatMap((m) => m.events.map((e) => Date.parse(e.at)));
        expect(flat).toHaveLength(times.length);
        for (let i = 1; i < flat.length; i++) expect(flat[i]).toBeLessThanOrEqual(flat[i - 1] ?? 0);
        expect(new Set(timeline.map((m) => m.month)).size).toBe(timeline.length);
      }),
    );
  });
});
