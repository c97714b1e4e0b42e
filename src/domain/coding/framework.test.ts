import { describe, expect, it } from 'vitest';
import {
  frameworkTheme,
  isSentiment,
  labelKey,
  PATIENT_EXPERIENCE_FRAMEWORK,
  SENTIMENT_SCALE,
} from './framework.js';
import { SENTIMENT_LEXICON, THEME_LEXICON } from './lexicon.js';
import { lexiconEntryHash } from './text-features.js';

describe('the default patient-experience framework', () => {
  const ids = PATIENT_EXPERIENCE_FRAMEWORK.themes.map((t) => t.id);

  it('has the themes of issue 12, each with a label and unique ids', () => {
    expect(ids).toEqual([
      'staff-manner',
      'staffing-levels',
      'responsiveness',
      'continuity',
      'competence',
      'communication-information',
      'listening-involvement',
      'access-waiting',
      'appointments',
      'environment-facilities',
      'food',
      'medication',
      'pain',
      'coordination-discharge',
      'travel-transport-parking',
      'feeling-safe',
      'overall-positive',
      'overall-negative',
    ]);
    const all = PATIENT_EXPERIENCE_FRAMEWORK.themes.flatMap((t) => [t.id, ...t.subThemes.map((s) => s.id)]);
    expect(new Set(all).size).toBe(all.length);
    for (const t of PATIENT_EXPERIENCE_FRAMEWORK.themes) expect(t.label).not.toBe('');
  });

  it('has a five-point sentiment scale with labels', () => {
    expect(SENTIMENT_SCALE.map((s) => s.value)).toEqual([1, 2, 3, 4, 5]);
    expect(isSentiment(3)).toBe(true);
    expect(isSentiment(0)).toBe(false);
    expect(isSentiment(2.5)).toBe(false);
  });

  it('finds a theme by id or by label, in any case', () => {
    expect(frameworkTheme('Travel, transport and parking')?.id).toBe('travel-transport-parking');
    expect(frameworkTheme('FOOD')?.id).toBe('food');
    expect(frameworkTheme('staff-manner')?.id).toBe('staff-manner');
    expect(frameworkTheme('billing')).toBeNull();
    expect(labelKey('  Access & waiting ')).toBe('access-and-waiting');
  });

  it('has a lexicon for every theme and no other, each entry one or two words', () => {
    expect(Object.keys(THEME_LEXICON).sort()).toEqual([...ids].sort());
    for (const entries of Object.values(THEME_LEXICON)) {
      expect(entries.length).toBeGreaterThanOrEqual(10);
      for (const entry of entries) expect(() => lexiconEntryHash(entry)).not.toThrow();
    }
    for (const [entry, strength] of Object.entries(SENTIMENT_LEXICON)) {
      expect(() => lexiconEntryHash(entry)).not.toThrow();
      expect(Math.abs(strength)).toBeLessThanOrEqual(2);
    }
  });
});
