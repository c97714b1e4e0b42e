import { describe, expect, it } from 'vitest';
import {
  type FunnelChartInput,
  type FunnelChartUnit,
  funnelPositionWords,
  renderFunnelChart,
} from './funnel-chart.js';
import { assertSafeSvg } from './safe-svg.js';

// Normal-approximation limits around p = 0.6, enough to draw a funnel (the statistics are tested
// where they are computed, in domain/).
const P = 0.6;
const LIMITS = Array.from({ length: 60 }, (_, i) => {
  const n = 10 + i * 10;
  const se = Math.sqrt((P * (1 - P)) / n);
  return {
    denominator: n,
    lower95: P - 1.96 * se,
    upper95: P + 1.96 * se,
    lower998: P - 3.09 * se,
    upper998: P + 3.09 * se,
  };
});
const UNITS: FunnelChartUnit[] = [
  { id: 'a', label: 'Acorn Care', value: 0.62, denominator: 120, outside: 'none' },
  { id: 'b', label: 'Beech <script>&', value: 0.41, denominator: 300, outside: '99.8' },
  { id: 'c', label: 'Cedar', value: 0.68, denominator: 200, outside: '95' },
  { id: 'd', label: 'Damson', value: 0.58, denominator: 450, outside: 'none' },
];

function input(overrides: Partial<FunnelChartInput> = {}): FunnelChartInput {
  return {
    idPrefix: 'funnel-1',
    title: 'Outcomes achieved by provider',
    valueLabel: '% achieved',
    measure: 'proportion',
    units: UNITS,
    target: P,
    limits: LIMITS,
    denominatorLabel: 'Outcomes rated',
    unitLabel: 'Provider',
    targetLabel: 'All providers',
    ...overrides,
  };
}

function unitMarks(svg: string): string[] {
  const group = /<g class="mark-symbol role-mark[^"]*"[^>]*>((?:<path[^>]*\/>)*)<\/g>/.exec(svg)?.[1] ?? '';
  return group.match(/<path[^>]*\/>/g) ?? [];
}

describe('renderFunnelChart', () => {
  it('draws a safe SVG image titled and described, one point per unit', async () => {
    const chart = await renderFunnelChart(input());
    expect(() => assertSafeSvg(chart.svg)).not.toThrow();
    expect(chart.svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="funnel-1-title funnel-1-desc"/);
    expect(chart.svg).toContain('<title id="funnel-1-title">Outcomes achieved by provider</title>');
    expect(unitMarks(chart.svg)).toHaveLength(4);
    expect(chart.svg).toContain('99.8% limits');
  });

  it('says where each unit sits, in the table and the description', async () => {
    const chart = await renderFunnelChart(input());
    expect(chart.table.head).toEqual([
      'Provider',
      '% achieved',
      'Outcomes rated',
      'Compared with the limits',
    ]);
    expect(chart.table.rows).toEqual([
      ['Acorn Care', '62.0%', '120', 'Within the 95% limits'],
      ['Beech <script>&', '41.0%', '300', 'Below the 99.8% limits'],
      ['Cedar', '68.0%', '200', 'Above the 95% limits (within the 99.8% limits)'],
      ['Damson', '58.0%', '450', 'Within the 95% limits'],
    ]);
    expect(chart.description).toContain('4 providers');
    expect(chart.description).toContain('Outside the 99.8% limits: Beech <script>& (below)');
    expect(chart.description).toContain('outside the 95% limits only: Cedar (above)');
  });

  it('names units outside the 99.8% limits on the chart, escaped', async () => {
    const chart = await renderFunnelChart(input());
    expect(chart.svg).toContain('Beech &lt;script&gt;&amp;');
    expect(chart.svg).not.toContain('<script');
    expect(chart.svg).not.toMatch(/>Cedar</);
  });

  it('reads standardised ratios as numbers around 1', async () => {
    const chart = await renderFunnelChart(
      input({
        measure: 'ratio',
        target: 1,
        valueLabel: 'Ratio',
        denominatorLabel: 'Expected count',
        units: [{ id: 'a', label: 'A', value: 1.234, denominator: 40.5, outside: 'none' }],
        limits: [],
      }),
    );
    expect(chart.table.rows[0]).toEqual(['A', '1.23', '40.5', 'Within the 95% limits']);
    expect(chart.description).toContain('centre line of 1.00');
  });

  it('gives the data as CSV with a header', async () => {
    const chart = await renderFunnelChart(input());
    const lines = chart.csv.split('\r\n');
    expect(lines[0]).toBe('"Provider","% achieved","Outcomes rated","Compared with the limits"');
    expect(lines[2]).toBe('"Beech <script>&",0.41,300,"Below the 99.8% limits"');
  });

  it('is deterministic', async () => {
    const [a, b] = await Promise.all([renderFunnelChart(input()), renderFunnelChart(input())]);
    expect(a.svg).toBe(b.svg);
  });

  it('names the field that is wrong', async () => {
    await expect(renderFunnelChart(input({ units: [] }))).rejects.toThrow(/units/);
    await expect(
      renderFunnelChart(input({ units: [{ ...(UNITS[0] as FunnelChartUnit), denominator: 0 }] })),
    ).rejects.toThrow(/units\[0\]\.denominator/);
    await expect(
      renderFunnelChart(input({ units: [{ ...(UNITS[0] as FunnelChartUnit), outside: '90' as '95' }] })),
    ).rejects.toThrow(/units\[0\]\.outside/);
    await expect(renderFunnelChart(input({ measure: 'rate' as 'ratio' }))).rejects.toThrow(/measure/);
  });
});

describe('funnelPositionWords', () => {
  it('says above or below the centre line', () => {
    expect(funnelPositionWords({ value: 0.7, outside: '99.8' }, 0.6)).toBe('Above the 99.8% limits');
    expect(funnelPositionWords({ value: 0.5, outside: '95' }, 0.6)).toBe(
      'Below the 95% limits (within the 99.8% limits)',
    );
  });
});
