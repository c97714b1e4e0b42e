import { describe, expect, it } from 'vitest';
import { detectHarm } from '../domain/feedback/harm.js';
import { findMasks } from '../domain/feedback/masking.js';
import { FFT_POSITIVE } from '../domain/measures/instruments/fft.js';
import {
  DEMO_FEEDBACK_MONTHS,
  DEMO_FEEDBACK_TEAMS,
  type DemoFeedbackStory,
  generateDemoFeedback,
} from './demo-feedback.js';
import { CHANGES_MADE } from './text/feedback.js';
import { type ServiceKey, TEAM_SERVICES } from './text/services.js';

const TODAY = '2026-11-27';
const all = (seed: string) =>
  Object.keys(DEMO_FEEDBACK_TEAMS).flatMap((name, i) =>
    generateDemoFeedback({ id: `team-${i}`, name }, TEAM_SERVICES[name] as ServiceKey, seed, TODAY),
  );
const text = (s: DemoFeedbackStory) => `${s.whatWasGood}\n${s.whatCouldBeBetter}`;

describe('demo feedback', () => {
  const stories = all('demo');

  it('is the same for the same seed, and different for another', () => {
    expect(all('demo')).toEqual(stories);
    expect(all('other').map((s) => s.whatWasGood)).not.toEqual(stories.map((s) => s.whatWasGood));
  });

  it('covers thirteen months up to today for each service, at a size that keeps the load quick', () => {
    const months = new Set(stories.map((s) => s.receivedOn.slice(0, 7)));
    expect(months.size).toBe(DEMO_FEEDBACK_MONTHS);
    expect([...months].sort()[0]).toBe('2025-11');
    expect(Object.keys(DEMO_FEEDBACK_TEAMS).every((name) => TEAM_SERVICES[name])).toBe(true);
    expect(stories.every((s) => s.receivedOn <= TODAY)).toBe(true);
    expect(stories.length).toBeGreaterThan(150);
    expect(stories.length).toBeLessThan(400);
    expect(new Set(stories.map((s) => s.sourceId)).size).toBe(stories.length);
  });

  it('is mostly positive, as real FFT results are', () => {
    const positive = stories.filter((s) => (FFT_POSITIVE as readonly string[]).includes(s.fft)).length;
    expect(positive / stories.length).toBeGreaterThan(0.8);
    expect(positive / stories.length).toBeLessThan(0.94);
    for (const answer of ['very-good', 'good', 'neither', 'poor', 'very-poor', 'dont-know']) {
      expect(stories.some((s) => s.fft === answer)).toBe(true);
    }
  });

  it('describes harm only in the two safeguarding stories', () => {
    const flagged = stories.filter((s) => detectHarm(text(s)).length);
    expect(flagged.map((s) => s.safeguarding)).toEqual([true, true]);
  });

  it('has some personal details for the de-identifier, and a mix of channels and concerns to answer', () => {
    expect(stories.filter((s) => findMasks(text(s)).length).length).toBeGreaterThan(5);
    for (const channel of ['online', 'paper', 'phone']) {
      expect(stories.filter((s) => s.channel === channel).length).toBeGreaterThan(10);
    }
    const concernThemes = new Set(stories.flatMap((s) => (s.concernTheme ? [s.concernTheme] : [])));
    for (const theme of concernThemes) expect(CHANGES_MADE[theme]).toBeDefined();
    expect(concernThemes.size).toBeGreaterThan(6);
  });
});
