import { describe, expect, it } from 'vitest';
import { CHART_COLOURS, contrastRatio } from './palette.js';

describe('contrastRatio', () => {
  it('reproduces the WCAG extremes and a known pair', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // NHS blue on white: 6.38:1 (WebAIM contrast checker).
    expect(contrastRatio('#005eb8', '#ffffff')).toBeCloseTo(6.38, 2);
  });

  it('rejects what is not a #rrggbb colour', () => {
    expect(() => contrastRatio('blue', '#ffffff')).toThrow(/#rrggbb/);
  });
});

describe('chart colours', () => {
  const { grid, ...meaningful } = CHART_COLOURS;

  it.each(Object.entries(meaningful))(
    '%s reaches 4.5:1 on white, enough for text and marks',
    (_name, colour) => {
      expect(contrastRatio(colour, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('keeps grid lines light: decoration, never read as data', () => {
    expect(contrastRatio(grid, '#ffffff')).toBeLessThan(3);
  });
});
