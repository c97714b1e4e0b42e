import { describe, expect, it } from 'vitest';
import { RESOURCE_KIND_LABELS, RESOURCE_KINDS } from '../community/vocabulary.js';
import { RELIABLE_CHANGE } from '../measures/reliable-change.js';
import {
  COMMUNITY_FIGURES,
  COMMUNITY_ROLLUP_MEASURES,
  COMMUNITY_SOURCES,
  communityMeasure,
  communitySourceKey,
  connectionsBehind,
  WELLBEING_SCORE,
} from './community-sources.js';
import { INDICATOR_LIBRARY } from './library.js';
import {
  allowedBreakdowns,
  breakdownLabel,
  INDICATOR_SOURCES,
  ROLLUP_MEASURES,
  SOURCE_GROUPS,
  SOURCE_KEYS,
  sourceGroupOf,
  sourceOf,
} from './sources.js';

describe('community support sources', () => {
  it('have the five figures over every kind and for each kind of the directory, generated from it', () => {
    expect(Object.keys(COMMUNITY_SOURCES)).toHaveLength(5 * (RESOURCE_KINDS.length + 1));
    for (const kind of RESOURCE_KINDS) {
      const connected = sourceOf(communitySourceKey('connected', kind));
      expect(connected).toMatchObject({
        kind: 'count',
        measure: `community:connected:${kind}`,
        unit: 'connections',
      });
      expect(connected.label).toContain(RESOURCE_KIND_LABELS[kind]);
      expect(sourceOf(communitySourceKey('rating-change', kind))).toMatchObject({
        kind: 'mean',
        measure: `community:rating-change:${kind}`,
        improvement: 'increase',
      });
      // % improved reads the same facts as the mean change: numerator rated higher.
      expect(sourceOf(communitySourceKey('rating-improved', kind)).measure).toBe(
        communityMeasure('rating-change', kind),
      );
    }
    expect(communityMeasure('connected')).toBe('community:connected');
  });

  it('are in the engine’s sources and measures, each reading a measure the rollup keeps', () => {
    for (const [key, s] of Object.entries(COMMUNITY_SOURCES)) {
      expect(SOURCE_KEYS).toContain(key);
      expect(INDICATOR_SOURCES[key as keyof typeof INDICATOR_SOURCES]).toBe(s);
      expect(ROLLUP_MEASURES).toContain(s.measure);
      expect(key).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
    expect(COMMUNITY_ROLLUP_MEASURES).toHaveLength(3 * (RESOURCE_KINDS.length + 1));
  });

  it('break down by organisation and by resource (the unit in the team column), never by domain; viewpoint for a change', () => {
    expect(allowedBreakdowns('community-connected')).toEqual([
      'organisation',
      'team',
      'month',
      'quarter',
      'age-band',
      'sex',
      'ethnicity',
      'deprivation-quintile',
    ]);
    expect(allowedBreakdowns('community-rating-change-walking-group')).toContain('viewpoint');
    expect(sourceOf('community-rating-change').range).toEqual({ min: -9, max: 9 });
    expect(breakdownLabel('community-connected', 'team')).toBe('Community resource');
    expect(breakdownLabel('rating-change', 'team')).toBe('Team');
    expect(breakdownLabel('community-connected', 'organisation')).toBe('Organisation');
  });

  it('are listed under community support, each other source under its own subject', () => {
    for (const key of Object.keys(COMMUNITY_SOURCES)) {
      expect(sourceGroupOf(key as keyof typeof COMMUNITY_SOURCES)).toBe('community');
    }
    expect(sourceGroupOf('rating-change')).toBe('outcomes');
    const groups = new Set(SOURCE_KEYS.map(sourceGroupOf));
    expect([...groups]).toEqual([...SOURCE_GROUPS]);
  });

  it('say which connections are behind a figure', () => {
    expect(connectionsBehind('community-connected')).toEqual({ kind: null, fact: 'connected' });
    expect(connectionsBehind('community-rating-improved-peer-support')).toEqual({
      kind: 'peer-support',
      fact: 'rating-change',
    });
    expect(connectionsBehind('rating-change')).toBeNull();
  });

  it('give the library an indicator of each figure over every kind and for each kind, each valid', () => {
    for (const kind of [null, ...RESOURCE_KINDS]) {
      for (const figure of COMMUNITY_FIGURES) {
        const key = communitySourceKey(figure, kind);
        const entry = INDICATOR_LIBRARY.find((d) => d.key === key);
        expect(entry?.source, key).toBe(key);
        expect(entry?.breakdowns).toContain('organisation');
        if (figure.startsWith('rating-')) expect(entry?.filters).toEqual({ viewpoint: 'person' });
        // A wellbeing score has no viewpoint: nothing to filter on.
        if (figure.startsWith('wellbeing-')) expect(entry?.filters).toEqual({});
      }
    }
  });

  it('measure wellbeing on the SWEMWBS metric score, with its own reliable-change rule and range', () => {
    expect(WELLBEING_SCORE).toMatchObject({
      instrument: 'swemwbs',
      scoreKey: 'metric',
      higherIsBetter: true,
    });
    // The rule is reliable-change.ts's, carried through measure-sources.ts, not a copy.
    expect(WELLBEING_SCORE.change.points).toBe(RELIABLE_CHANGE.swemwbs?.reliableChange);
    for (const kind of [null, ...RESOURCE_KINDS]) {
      const change = sourceOf(communitySourceKey('wellbeing-change', kind));
      const improved = sourceOf(communitySourceKey('wellbeing-improved', kind));
      expect(change).toMatchObject({
        kind: 'mean',
        unit: 'points',
        measure: communityMeasure('wellbeing-change', kind),
        improvement: 'increase',
        viewpoints: [],
        // Metric scores run 7 to 35: a change is at most 28 points either way.
        range: { min: -28, max: 28 },
      });
      expect(change.label).toContain('SWEMWBS');
      if (kind) expect(change.label).toContain(RESOURCE_KIND_LABELS[kind]);
      // % reliably improved reads the same facts as the mean change.
      expect(improved).toMatchObject({
        kind: 'proportion',
        unit: '%',
        measure: change.measure,
        range: { min: 0, max: 100 },
        improvement: 'increase',
      });
      expect(improved.numerator).toContain('2.87');
      expect(connectionsBehind(communitySourceKey('wellbeing-improved', kind))).toEqual({
        kind,
        fact: 'wellbeing-change',
      });
    }
    expect(allowedBreakdowns('community-wellbeing-change')).not.toContain('viewpoint');
  });
});
