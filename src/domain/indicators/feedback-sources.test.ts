import { describe, expect, it } from 'vitest';
import { PATIENT_EXPERIENCE_FRAMEWORK } from '../coding/framework.js';
import {
  FEEDBACK_FFT_MEASURE,
  FEEDBACK_ROLLUP_MEASURES,
  FEEDBACK_SOURCES,
  type FeedbackSourceKey,
  FFT_ALL_ANSWERS,
  FFT_POSITIVE_ANSWERS,
  storiesBehind,
  themeMeasure,
} from './feedback-sources.js';
import { allowedBreakdowns, INDICATOR_SOURCES, ROLLUP_MEASURES, SOURCE_KEYS } from './sources.js';

const source = (key: FeedbackSourceKey) => {
  const found = FEEDBACK_SOURCES[key];
  if (!found) throw new Error(`no source ${key}`);
  return found;
};

describe('feedback sources', () => {
  it('count FFT % positive as NHS England does: Very good and Good over every answer, Don’t know included', () => {
    expect(FFT_POSITIVE_ANSWERS).toEqual(['very-good', 'good']);
    expect(FFT_ALL_ANSWERS).toContain('dont-know');
    const fft = source('feedback-fft-positive');
    expect(fft).toMatchObject({ kind: 'proportion', measure: FEEDBACK_FFT_MEASURE, improvement: 'increase' });
    expect(fft.numerator).toContain('Very good or Good');
    expect(fft.denominator).toContain('Don’t know included');
    // Volume counts the same facts: one per story.
    expect(source('feedback-volume')).toMatchObject({ kind: 'count', measure: FEEDBACK_FFT_MEASURE });
  });

  it('have one theme share per theme of the default framework, generated from it', () => {
    const themes = PATIENT_EXPERIENCE_FRAMEWORK.themes;
    expect(themes.length).toBeGreaterThanOrEqual(17);
    for (const t of themes) {
      const s = source(`feedback-theme-${t.id}`);
      expect(s.measure).toBe(themeMeasure(t.id));
      expect(s.label).toContain(t.label);
      expect(FEEDBACK_ROLLUP_MEASURES).toContain(themeMeasure(t.id));
    }
    // Only the overall themes say which way is better; a theme's share is otherwise a local judgement.
    expect(source('feedback-theme-overall-negative').improvement).toBe('decrease');
    expect(source('feedback-theme-staff-manner').improvement).toBeUndefined();
  });

  it('are in the engine’s sources and measures, each reading a measure the rollup keeps', () => {
    for (const [key, s] of Object.entries(FEEDBACK_SOURCES)) {
      expect(SOURCE_KEYS).toContain(key);
      expect(INDICATOR_SOURCES[key as FeedbackSourceKey]).toBe(s);
      expect(ROLLUP_MEASURES).toContain(s.measure);
      expect(key).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });

  it('offer only the breakdowns stories carry values for', () => {
    expect(allowedBreakdowns('feedback-fft-positive')).toEqual([
      'organisation',
      'team',
      'month',
      'quarter',
      'age-band',
    ]);
  });

  it('say which way is better where the method says so, with ranges that fit', () => {
    expect(source('feedback-first-response-days')).toMatchObject({ improvement: 'decrease', unit: 'days' });
    expect(source('feedback-concerns-changed').improvement).toBe('increase');
    expect(source('feedback-sentiment-mean').range).toEqual({ min: 1, max: 5 });
    expect(source('feedback-volume').improvement).toBeUndefined();
  });
});

describe('the stories behind a feedback number', () => {
  it('are the stories the source counts', () => {
    expect(storiesBehind('feedback-fft-positive')).toEqual({});
    expect(storiesBehind('feedback-theme-staff-manner')).toEqual({ themeId: 'staff-manner' });
    expect(storiesBehind('feedback-concerns-changed')).toEqual({ concernsOnly: true });
    expect(storiesBehind('feedback-sentiment-negative')).toEqual({ withSentiment: true });
    expect(storiesBehind('feedback-first-response-days')).toEqual({ replied: true });
    expect(storiesBehind('rating-achieved')).toBeNull();
  });
});
