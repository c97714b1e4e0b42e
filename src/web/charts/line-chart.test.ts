import { describe, expect, it } from 'vitest';
import { type LineChartInput, renderLineChart } from './line-chart.js';
import { assertSafeSvg } from './safe-svg.js';

const PERIODS = ['Jan 2025', 'Feb 2025', 'Mar 2025', 'Apr 2025'];

function input(overrides: Partial<LineChartInput> = {}): LineChartInput {
  return {
    idPrefix: 'line-sex',
    title: 'Outcomes achieved by sex',
    valueLabel: '% achieved',
    valueFormat: 'percent',
    periods: PERIODS,
    target: 0.6,
    series: [
      { name: 'Women', values: [0.5, 0.52, null, 0.58], shown: ['50%', '52%', '*', '58%'] },
      { name: 'Men <script>&', values: [0.45, 0.5, 0.49, 0.5] },
    ],
    ...overrides,
  };
}

function pointMarks(svg: string): string[] {
  const group = /<g class="mark-symbol role-mark[^"]*"[^>]*>((?:<path[^>]*\/>)*)<\/g>/.exec(svg)?.[1] ?? '';
  return group.match(/<path[^>]*\/>/g) ?? [];
}

describe('renderLineChart', () => {
  it('draws a safe, titled SVG with a point for every value there is', async () => {
    const chart = await renderLineChart(input());
    expect(() => assertSafeSvg(chart.svg)).not.toThrow();
    expect(chart.svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="line-sex-title line-sex-desc"/);
    expect(pointMarks(chart.svg)).toHaveLength(7);
    expect(chart.svg).not.toContain('<script');
    expect(chart.svg).toContain('Men &lt;script&gt;&amp;');
  });

  it('tabulates a row per period and a column per group, suppressed values as "*"', async () => {
    const chart = await renderLineChart(input());
    expect(chart.table.head).toEqual(['Period', 'Women', 'Men <script>&']);
    expect(chart.table.rows[2]).toEqual(['Mar 2025', '*', '49.0%']);
    expect(chart.csv.split('\r\n')[3]).toBe('"Mar 2025","*",0.49');
    expect(chart.description).toBe(
      'The chart shows % achieved for Women and Men <script>& over 4 periods from Jan 2025 to Apr 2025. ' +
        'In Apr 2025: Women 58%, Men <script>& 50.0%; the target is 60.0%.',
    );
  });

  it('is deterministic', async () => {
    const [a, b] = await Promise.all([renderLineChart(input()), renderLineChart(input())]);
    expect(a.svg).toBe(b.svg);
  });

  it('names the field that is wrong', async () => {
    await expect(renderLineChart(input({ periods: [] }))).rejects.toThrow(/periods/);
    await expect(renderLineChart(input({ series: [{ name: 'A', values: [1] }] }))).rejects.toThrow(
      /series\[0\]\.values must hold one value per period/,
    );
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `S${i}`, values: [1, 2, 3, 4] }));
    await expect(renderLineChart(input({ series: five }))).rejects.toThrow(/at most 4/);
  });
});
