import { describe, expect, it } from 'vitest';
import {
  ASSURANCE_ICON_WORDS,
  type AssuranceIconKey,
  assuranceIcon,
  mdcIcons,
  VARIATION_ICON_WORDS,
  type VariationIconKey,
  variationIcon,
} from './mdc-icons.js';
import { CHART_COLOURS } from './palette.js';
import { assertSafeSvg } from './safe-svg.js';

const VARIATIONS = Object.keys(VARIATION_ICON_WORDS) as VariationIconKey[];
const ASSURANCES = Object.keys(ASSURANCE_ICON_WORDS) as AssuranceIconKey[];

describe('Making Data Count icons', () => {
  it.each(VARIATIONS)('variation %s: a decorative SVG with its words', (key) => {
    const icon = variationIcon(key);
    expect(icon.kind).toBe('variation');
    expect(icon.svg).toContain('aria-hidden="true"');
    expect(icon.label.length).toBeGreaterThan(5);
    expect(icon.meaning.length).toBeGreaterThan(20);
    expect(() => assertSafeSvg(icon.svg)).not.toThrow();
  });

  it.each(ASSURANCES)('assurance %s: a decorative SVG with its words', (key) => {
    const icon = assuranceIcon(key);
    expect(icon.kind).toBe('assurance');
    expect(icon.svg).toContain('aria-hidden="true"');
    expect(() => assertSafeSvg(icon.svg)).not.toThrow();
  });

  it('draws each nature in its colour and each direction by its letter', () => {
    expect(variationIcon('concern-high').svg).toContain(CHART_COLOURS.concern);
    expect(variationIcon('concern-high').svg).toContain('>H</text>');
    expect(variationIcon('improvement-low').svg).toContain(CHART_COLOURS.improvement);
    expect(variationIcon('improvement-low').svg).toContain('>L</text>');
    expect(variationIcon('neutral-high').svg).toContain(CHART_COLOURS.neutral);
    expect(variationIcon('common-cause').svg).toContain(CHART_COLOURS.common);
    expect(assuranceIcon('pass').svg).toContain('>P</text>');
    expect(assuranceIcon('fail').svg).toContain('>F</text>');
    expect(assuranceIcon('inconsistent').svg).toContain('>?</text>');
  });

  it('tells every icon apart by its words alone', () => {
    const labels = [
      ...VARIATIONS.map((k) => variationIcon(k).label),
      ...ASSURANCES.map((k) => assuranceIcon(k).label),
    ];
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('gives variation then assurance, and leaves out what is missing', () => {
    expect(mdcIcons('common-cause', 'pass').map((i) => i.key)).toEqual(['common-cause', 'pass']);
    expect(mdcIcons(null, undefined)).toEqual([]);
  });

  it('names the unknown key', () => {
    expect(() => variationIcon('sideways' as VariationIconKey)).toThrow(/variation icon.*sideways/);
    expect(() => assuranceIcon('maybe' as AssuranceIconKey)).toThrow(/assurance icon.*maybe/);
  });
});
