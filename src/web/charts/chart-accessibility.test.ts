import { describe, expect, it } from 'vitest';
import { renderBarChart } from './bar-chart.js';
import type { ChartResult } from './chart.js';
import { renderFunnelChart } from './funnel-chart.js';
import { renderLineChart } from './line-chart.js';
import { CHART_COLOURS, contrastRatio } from './palette.js';
import { renderSpcChart } from './spc-chart.js';

/**
 * What WCAG 2.2 AA asks of every chart, checked on the SVG each renderer draws: text at least 12px
 * and 4.5:1 against the white background, every other coloured mark at least 3:1 (grid lines are
 * decoration), and nothing inside the image that assistive technology would try to read or focus.
 */
async function charts(): Promise<[string, ChartResult][]> {
  return [
    [
      'spc',
      await renderSpcChart({
        idPrefix: 's',
        title: 'SPC',
        valueLabel: 'Value',
        points: [
          { period: 'Jan', value: 1, special: 'none', variation: 'common' },
          { period: 'Feb', value: 5, special: 'outside', variation: 'concern' },
          { period: 'Mar', value: -2, special: 'outside', variation: 'improvement' },
          { period: 'Apr', value: 4, special: 'trend', variation: 'neutral' },
        ],
        mean: 1,
        lpl: -1,
        upl: 3,
        target: 2,
        trialLimits: true,
      }),
    ],
    [
      'funnel',
      await renderFunnelChart({
        idPrefix: 'f',
        title: 'Funnel',
        valueLabel: 'Ratio',
        measure: 'ratio',
        target: 1,
        denominatorLabel: 'Expected',
        units: [
          { id: 'a', label: 'A', value: 1.1, denominator: 50, outside: 'none' },
          { id: 'b', label: 'B', value: 1.5, denominator: 80, outside: '95' },
          { id: 'c', label: 'C', value: 0.4, denominator: 90, outside: '99.8' },
        ],
        limits: [20, 50, 100].map((d) => ({
          denominator: d,
          lower95: 1 - 2 / Math.sqrt(d),
          upper95: 1 + 2 / Math.sqrt(d),
          lower998: 1 - 3 / Math.sqrt(d),
          upper998: 1 + 3 / Math.sqrt(d),
        })),
      }),
    ],
    [
      'bar',
      await renderBarChart({
        idPrefix: 'b',
        title: 'Bar',
        valueLabel: 'Value',
        categoryLabel: 'Group',
        target: 3,
        categories: [
          { label: 'One', value: 2, lower: 1, upper: 3, shown: '2' },
          { label: 'Two', value: null, shown: '*' },
        ],
      }),
    ],
    [
      'line',
      await renderLineChart({
        idPrefix: 'l',
        title: 'Line',
        valueLabel: 'Value',
        periods: ['Jan', 'Feb', 'Mar'],
        target: 2,
        series: ['A', 'B', 'C', 'D'].map((name, i) => ({ name, values: [i, i + 1, null] })),
      }),
    ],
  ];
}

const WHITE = '#ffffff';

describe.each(await charts())('%s chart', (_name, chart) => {
  const body = chart.svg.slice(chart.svg.indexOf('>') + 1);

  it('writes no text smaller than 12px', () => {
    const sizes = [...chart.svg.matchAll(/font-size="([\d.]+)(?:px)?"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
  });

  it('writes text at 4.5:1 or more against white', () => {
    const fills = [...body.matchAll(/<text[^>]*\sfill="(#[0-9a-f]{6})"/gi)].map((m) => m[1] as string);
    expect(fills.length).toBeGreaterThan(0);
    for (const fill of fills) expect(contrastRatio(fill, WHITE)).toBeGreaterThanOrEqual(4.5);
  });

  it('draws every mark but the grid and background at 3:1 or more against white', () => {
    const colours = new Set(
      [...body.matchAll(/\s(?:fill|stroke)="(#[0-9a-f]{6})"/gi)].map((m) => (m[1] as string).toLowerCase()),
    );
    colours.delete(WHITE);
    colours.delete(CHART_COLOURS.grid);
    expect(colours.size).toBeGreaterThan(0);
    for (const colour of colours) expect(contrastRatio(colour, WHITE)).toBeGreaterThanOrEqual(3);
  });

  it('draws every mark fully opaque, so its colour keeps its contrast', () => {
    expect(body).not.toMatch(/opacity="0\.\d+"/);
  });

  it('holds nothing focusable and no roles or labels inside the image', () => {
    expect(body).not.toMatch(/\srole=|\saria-|tabindex|<a\b/);
  });

  it('scales with its container', () => {
    expect(chart.svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+" width="100%"/);
  });
});
