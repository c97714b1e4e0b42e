import { describe, expect, it } from 'vitest';
import { INSTRUMENTS } from '../measures/instruments/index.js';
import { RELIABLE_CHANGE } from '../measures/reliable-change.js';
import { indicatorDefinitionProblems } from './definition.js';
import { INDICATOR_LIBRARY } from './library.js';
import {
  ANY_MEASURE_START_AND_REVIEW,
  bandMeasure,
  changeOutcomesOf,
  MEASURE_ROLLUP_MEASURES,
  MEASURE_SCORES,
  MEASURE_SOURCES,
  type MeasureSourceKey,
  scoreMeasure,
  shortName,
} from './measure-sources.js';
import {
  allowedBreakdowns,
  CORE_ROLLUP_MEASURES,
  INDICATOR_SOURCES,
  SOURCE_KEYS,
  sourceOf,
} from './sources.js';

const source = (key: MeasureSourceKey) => {
  const found = MEASURE_SOURCES[key];
  if (!found) throw new Error(`no source ${key}`);
  return found;
};

describe('standard measures’ sources, generated from the instruments', () => {
  it('cover every scored instrument but the Friends and Family Test, and SWEMWBS by its metric score only', () => {
    expect(MEASURE_SCORES.map((s) => `${s.instrument}:${s.scoreKey}`)).toEqual([
      'phq9:total',
      'gad7:total',
      'swemwbs:metric',
      'ons4:life-satisfaction',
      'ons4:worthwhile',
      'ons4:happiness',
      'ons4:anxiety',
      'collaborate:total',
    ]);
    expect(MEASURE_SCORES.map((s) => s.name)).toEqual([
      'PHQ-9',
      'GAD-7',
      'SWEMWBS metric score',
      'ONS4 life satisfaction',
      'ONS4 worthwhile',
      'ONS4 happiness',
      'ONS4 anxiety',
      'CollaboRATE',
    ]);
    expect(shortName('Patient Health Questionnaire (PHQ-9)')).toBe('PHQ-9');
    expect(shortName('CollaboRATE')).toBe('CollaboRATE');
  });

  it('give each score a mean over its own range, with the instrument’s direction of improvement', () => {
    for (const s of MEASURE_SCORES) {
      const mean = MEASURE_SOURCES[`${s.instrument}-${s.scoreKey}-mean` as MeasureSourceKey];
      const definition = INSTRUMENTS[s.instrument].scores.find((d) => d.key === s.scoreKey);
      expect(mean?.range, s.name).toEqual({ min: definition?.min, max: definition?.max });
      expect(mean?.measure).toBe(scoreMeasure(s));
      expect(mean?.kind).toBe('mean');
      expect(mean?.improvement, s.name).toBe(definition?.higherIsBetter ? 'increase' : 'decrease');
    }
    // Lower is better for symptoms and for anxiety; higher for wellbeing and shared decisions.
    expect(source('phq9-total-mean').improvement).toBe('decrease');
    expect(source('gad7-total-mean').improvement).toBe('decrease');
    expect(source('ons4-anxiety-mean').improvement).toBe('decrease');
    expect(source('ons4-happiness-mean').improvement).toBe('increase');
    expect(source('swemwbs-metric-mean').improvement).toBe('increase');
  });

  it('give one proportion per band, its bounds in words, the best band up and the worst down', () => {
    for (const s of MEASURE_SCORES) {
      for (const band of s.bands) {
        const b = MEASURE_SOURCES[`${s.instrument}-${s.scoreKey}-band-${band.key}` as MeasureSourceKey];
        expect(b?.measure).toBe(bandMeasure(s, band));
        expect(b?.kind).toBe('proportion');
        expect(b?.numerator).toContain(`${band.min}–${band.max}`);
      }
    }
    expect(source('phq9-total-band-none').improvement).toBe('increase');
    expect(source('phq9-total-band-moderate').improvement).toBe('neutral');
    expect(source('phq9-total-band-severe').improvement).toBe('decrease');
    expect(source('ons4-anxiety-band-very-low').improvement).toBe('increase');
    expect(source('ons4-anxiety-band-high').improvement).toBe('decrease');
    expect(source('collaborate-total-band-top-box').improvement).toBe('increase');
    expect(source('collaborate-total-band-top-box').numerator).toContain('27–27');
  });

  it('judge change only where reliable change is defined, and recovery only where caseness is', () => {
    for (const s of MEASURE_SCORES) {
      const rule = RELIABLE_CHANGE[s.instrument];
      const defined = rule?.scoreKey === s.scoreKey;
      const key = (suffix: string) => `${s.instrument}-${s.scoreKey}-${suffix}` as MeasureSourceKey;
      expect(Boolean(MEASURE_SOURCES[key('improved')]), s.name).toBe(defined);
      expect(Boolean(MEASURE_SOURCES[key('deteriorated')]), s.name).toBe(defined);
      expect(Boolean(MEASURE_SOURCES[key('recovered')]), s.name).toBe(defined && rule?.caseness !== null);
      expect(changeOutcomesOf(s).length).toBe(!defined ? 0 : rule?.caseness === null ? 2 : 4);
    }
    // The thresholds in words are the domain's numbers.
    expect(source('phq9-total-improved').numerator).toContain('at least 6 points lower');
    expect(source('gad7-total-improved').numerator).toContain('at least 4 points lower');
    expect(source('swemwbs-metric-improved').numerator).toContain('at least 2.87 points higher');
    expect(source('phq9-total-recovered').denominator).toContain('10 or more (caseness)');
    expect(source('gad7-total-reliably-recovered').denominator).toContain('8 or more (caseness)');
    expect(MEASURE_SOURCES['swemwbs-metric-recovered' as MeasureSourceKey]).toBeUndefined();
    expect(source('phq9-total-change').range).toEqual({ min: -27, max: 27 });
  });

  it('measure each instrument, and any questionnaire, at the start and again at a review', () => {
    for (const instrument of ['phq9', 'gad7', 'swemwbs', 'ons4', 'collaborate'] as const) {
      expect(source(`${instrument}-start-and-review`).measure).toBe(`${instrument}:start-and-review`);
    }
    expect(source('measures-start-and-review').measure).toBe(ANY_MEASURE_START_AND_REVIEW);
    expect(MEASURE_SOURCES['fft-start-and-review' as MeasureSourceKey]).toBeUndefined();
  });

  it('every source reads a measure the facts keep, names are unique, and none is about outcomes', () => {
    expect(new Set(MEASURE_ROLLUP_MEASURES).size).toBe(MEASURE_ROLLUP_MEASURES.length);
    for (const m of MEASURE_ROLLUP_MEASURES) {
      expect(CORE_ROLLUP_MEASURES as readonly string[]).not.toContain(m);
    }
    for (const key of Object.keys(MEASURE_SOURCES) as MeasureSourceKey[]) {
      const s = source(key);
      expect(MEASURE_ROLLUP_MEASURES, key).toContain(s.measure);
      expect(key).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(s.hasDomains).toBe(false);
      expect(s.viewpoints).toEqual([]);
      expect(allowedBreakdowns(key)).not.toContain('domain');
      expect(INDICATOR_SOURCES[key]).toBe(s);
    }
    expect(SOURCE_KEYS).toContain('phq9-total-mean');
  });
});

describe('the library’s indicators over standard measures', () => {
  it('include the issue’s: PHQ-9 mean, reliable improvement and recovery, GAD-7 recovery, SWEMWBS mean, measured at start and review', () => {
    const sources = new Set(INDICATOR_LIBRARY.map((d) => d.source));
    for (const s of [
      'phq9-total-mean',
      'phq9-total-improved',
      'phq9-total-recovered',
      'gad7-total-recovered',
      'swemwbs-metric-mean',
      'measures-start-and-review',
    ] as const) {
      expect(sources, s).toContain(s);
    }
  });

  it('a definition may not call the opposite of the instrument’s direction an improvement', () => {
    const phq9 = INDICATOR_LIBRARY.find((d) => d.key === 'phq9-mean');
    if (!phq9) throw new Error('phq9-mean is in the library');
    expect(indicatorDefinitionProblems(phq9)).toEqual([]);
    expect(indicatorDefinitionProblems({ ...phq9, improvement: 'increase' })).toEqual([
      {
        field: 'improvement',
        message: 'Lower is better for “PHQ-9: average score”: choose “Lower is better” (or neither).',
      },
    ]);
    expect(indicatorDefinitionProblems({ ...phq9, improvement: 'neutral' })).toEqual([]);
    // A target must be a score the instrument can give.
    expect(indicatorDefinitionProblems({ ...phq9, target: 28 }).map((p) => p.field)).toEqual(['target']);
    expect(sourceOf('phq9-total-mean').unit).toBe('points');
  });
});
