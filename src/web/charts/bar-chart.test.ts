import { describe, expect, it } from 'vitest';
import { type BarChartInput, renderBarChart } from './bar-chart.js';
import { assertSafeSvg } from './safe-svg.js';

function input(overrides: Partial<BarChartInput> = {}): BarChartInput {
  return {
    idPrefix: 'bar-eth',
    title: 'Outcomes achieved by ethnicity',
    valueLabel: '% achieved',
    valueFormat: 'percent',
    categoryLabel: 'Ethnicity',
    target: 0.6,
    categories: [
      { label: 'White', value: 0.62, lower: 0.58, upper: 0.66, shown: '62%' },
      { label: 'Asian or Asian British <script>&', value: 0.55, lower: 0.45, upper: 0.65, shown: '55%' },
      { label: 'Mixed', value: null, shown: '*' },
      { label: 'Other', value: 0.7, lower: 0.5, upper: 0.86, shown: '70%' },
    ],
    ...overrides,
  };
}

/** The bars Vega drew: one <path> each in the first rect layer's group. */
function bars(svg: string): string[] {
  const group =
    /<g class="mark-rect role-mark layer_0_marks"[^>]*>((?:<path[^>]*\/>)*)<\/g>/.exec(svg)?.[1] ?? '';
  return group.match(/<path[^>]*\/>/g) ?? [];
}

describe('renderBarChart', () => {
  it('draws a safe SVG image titled and described', async () => {
    const chart = await renderBarChart(input());
    expect(() => assertSafeSvg(chart.svg)).not.toThrow();
    expect(chart.svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="bar-eth-title bar-eth-desc"/);
    expect(chart.svg).toContain('<desc id="bar-eth-desc">');
  });

  it('draws no bar for a suppressed category, and says so where the bar would be', async () => {
    const chart = await renderBarChart(input());
    expect(bars(chart.svg)).toHaveLength(3);
    expect(chart.svg).toContain('* suppressed');
    expect(chart.table.rows[2]).toEqual(['Mixed', '*', '']);
    expect(chart.csv.split('\r\n')[3]).toBe('"Mixed","*",,');
    expect(chart.description).toContain('1 value is suppressed (*)');
  });

  it('lists the shown values and intervals in the table', async () => {
    const chart = await renderBarChart(input());
    expect(chart.table.head).toEqual(['Ethnicity', '% achieved', '95% confidence interval']);
    expect(chart.table.rows[0]).toEqual(['White', '62%', '58.0% to 66.0%']);
    expect(chart.description).toContain('highest Other (70%), lowest Asian or Asian British <script>& (55%)');
    expect(chart.description).toContain('The target is 60.0%');
  });

  it('leaves out the interval column and the target when there are none', async () => {
    const chart = await renderBarChart(
      input({
        target: null,
        categories: [{ label: 'North', value: 12, shown: '10' }],
        valueFormat: 'number',
      }),
    );
    expect(chart.table.head).toEqual(['Ethnicity', '% achieved']);
    expect(chart.svg).not.toContain('Target');
  });

  it('escapes labels in the SVG', async () => {
    const chart = await renderBarChart(input());
    expect(chart.svg).not.toContain('<script');
    expect(chart.svg).toContain('&lt;script&gt;&amp;');
  });

  it('gives CSV with a header, quoted text and neutralised formulas', async () => {
    const chart = await renderBarChart(
      input({ categories: [{ label: '=HYPERLINK("http://evil")', value: 0.5, shown: '50%' }], target: null }),
    );
    const lines = chart.csv.split('\r\n');
    expect(lines[0]).toBe('"Ethnicity","% achieved"');
    expect(lines[1]).toBe('"\'=HYPERLINK(""http://evil"")",0.5');
  });

  it('is deterministic', async () => {
    const [a, b] = await Promise.all([renderBarChart(input()), renderBarChart(input())]);
    expect(a.svg).toBe(b.svg);
  });

  it('names the field that is wrong', async () => {
    await expect(renderBarChart(input({ categories: [] }))).rejects.toThrow(/categories/);
    await expect(
      renderBarChart(input({ categories: [{ label: 'a', value: 1, lower: 2, upper: 1, shown: '1' }] })),
    ).rejects.toThrow(/categories\[0\]\.lower/);
    await expect(renderBarChart(input({ target: Number.NaN }))).rejects.toThrow(/target/);
  });
});
