import { describe, expect, it } from 'vitest';
import { assertSafeSvg } from './safe-svg.js';
import { renderSpcChart, type SpcChartInput, type SpcChartPoint, spcPointWords } from './spc-chart.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function points(n: number): SpcChartPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    period: `${MONTHS[i % 12]} ${2024 + Math.floor(i / 12)}`,
    value: 0.5 + 0.04 * Math.sin(i),
    special: 'none',
    variation: 'common',
  }));
}

function input(overrides: Partial<SpcChartInput> = {}): SpcChartInput {
  const pts = points(18);
  pts[16] = { ...(pts[16] as SpcChartPoint), value: 0.7, special: 'outside', variation: 'improvement' };
  pts[17] = { ...(pts[17] as SpcChartPoint), value: 0.3, special: 'outside', variation: 'concern' };
  return {
    idPrefix: 'spc-a',
    title: 'Outcomes achieved',
    valueLabel: '% achieved',
    valueFormat: 'percent',
    points: pts,
    mean: 0.5,
    lpl: 0.38,
    upl: 0.62,
    target: 0.6,
    variationIcon: 'concern-low',
    assurance: 'inconsistent',
    ...overrides,
  };
}

/** The symbols Vega drew for the data points (one <path> each in the points layer's group). */
function pointMarks(svg: string): string[] {
  const group = /<g class="mark-symbol role-mark[^"]*"[^>]*>((?:<path[^>]*\/>)*)<\/g>/.exec(svg)?.[1] ?? '';
  return group.match(/<path[^>]*\/>/g) ?? [];
}

describe('renderSpcChart', () => {
  it('draws a safe SVG image titled and described for assistive technology', async () => {
    const chart = await renderSpcChart(input());
    expect(() => assertSafeSvg(chart.svg)).not.toThrow();
    expect(chart.svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="spc-a-title spc-a-desc"/);
    expect(chart.svg).toContain('<title id="spc-a-title">Outcomes achieved</title>');
    expect(chart.svg).toContain(`<desc id="spc-a-desc">${chart.description}</desc>`);
  });

  it('draws one point per period and lists each in the table', async () => {
    const chart = await renderSpcChart(input());
    expect(pointMarks(chart.svg)).toHaveLength(18);
    expect(chart.table.rows).toHaveLength(18);
    expect(chart.table.head).toEqual([
      'Period',
      '% achieved',
      'Mean',
      'Lower process limit',
      'Upper process limit',
      'Target',
      'Variation',
    ]);
    expect(chart.table.rows[16]).toEqual([
      'May 2025',
      '70.0%',
      '50.0%',
      '38.0%',
      '62.0%',
      '60.0%',
      'Special cause, improvement: outside the process limits',
    ]);
  });

  it('tells special causes apart by shape as well as colour', async () => {
    const marks = pointMarks((await renderSpcChart(input())).svg);
    const shape = (mark: string) => /\sd="([^"]+)"/.exec(mark)?.[1]?.replace(/[\d.-]+/g, 'n');
    const fill = (mark: string) => /fill="([^"]+)"/.exec(mark)?.[1];
    const [common, improvement, concern] = [marks[0], marks[16], marks[17]] as [string, string, string];
    expect(new Set([shape(common), shape(improvement), shape(concern)]).size).toBe(3);
    expect(new Set([fill(common), fill(improvement), fill(concern)]).size).toBe(3);
  });

  it('says in words what the chart shows', async () => {
    const chart = await renderSpcChart(input());
    expect(chart.description).toContain('18 periods from Jan 2024 to Jun 2025');
    expect(chart.description).toContain('process limits from 38.0% to 62.0%');
    expect(chart.description).toContain('the target is 60.0%');
    expect(chart.description).toContain(
      '2 points show special cause variation: improvement (May 2025) and concern (Jun 2025)',
    );
    expect(chart.description.split('. ').length).toBeLessThanOrEqual(3);
  });

  it('carries the variation and assurance icons with their words', async () => {
    const chart = await renderSpcChart(input());
    expect(chart.icons?.map((i) => i.label)).toEqual([
      'Concern (lower values)',
      'Target met and missed by chance',
    ]);
  });

  it('draws rebased limits per phase and says when they were recalculated', async () => {
    const pts = points(18).map((p, i) => (i >= 10 ? { ...p, mean: 0.55, lpl: 0.45, upl: 0.65 } : p));
    const chart = await renderSpcChart(input({ points: pts, target: null }));
    expect(chart.table.rows[9]?.[2]).toBe('50.0%');
    expect(chart.table.rows[10]?.[2]).toBe('55.0%');
    expect(chart.description).toContain('Since Nov 2024, the mean is 55.0%');
    expect(chart.table.head).not.toContain('Target');
  });

  it('marks trial limits in the legend and the description', async () => {
    const chart = await renderSpcChart(input({ trialLimits: true }));
    expect(chart.svg).toContain('Process limits (trial)');
    expect(chart.description).toContain('trial limits');
  });

  it('escapes labels in the SVG and keeps them whole in the table and CSV', async () => {
    const pts = points(3);
    pts[0] = { ...(pts[0] as SpcChartPoint), period: '<script>alert(1)</script> & co' };
    const chart = await renderSpcChart(
      input({ points: pts, title: 'A <b>bold</b> & "quoted" title', valueLabel: 'x<y', target: null }),
    );
    expect(chart.svg).not.toContain('<script');
    expect(chart.svg).not.toContain('<b>');
    expect(chart.svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(chart.svg).toContain('A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title');
    expect(() => assertSafeSvg(chart.svg)).not.toThrow();
    expect(chart.table.rows[0]?.[0]).toBe('<script>alert(1)</script> & co');
    expect(chart.csv).toContain('"<script>alert(1)</script> & co"');
  });

  it('gives the data as CSV with a header and full precision', async () => {
    const chart = await renderSpcChart(input());
    const [header, first] = chart.csv.split('\r\n');
    expect(header).toBe(
      '"Period","% achieved","Mean","Lower process limit","Upper process limit","Target","Variation"',
    );
    expect(first).toBe('"Jan 2024",0.5,0.5,0.38,0.62,0.6,"Common cause"');
  });

  it('draws the same SVG for the same input, and different ids for a different prefix', async () => {
    const [a, b] = await Promise.all([renderSpcChart(input()), renderSpcChart(input())]);
    expect(a.svg).toBe(b.svg);
    const c = await renderSpcChart(input({ idPrefix: 'spc-b' }));
    expect(c.svg).toContain('id="spc-b-title"');
    expect(c.svg).not.toContain('spc-a');
  });

  it('names the field that is wrong', async () => {
    const pts = points(3);
    await expect(renderSpcChart(input({ points: [] }))).rejects.toThrow(/points/);
    await expect(
      renderSpcChart(
        input({ points: [pts[0] as SpcChartPoint, { ...(pts[1] as SpcChartPoint), value: Number.NaN }] }),
      ),
    ).rejects.toThrow(/points\[1\]\.value/);
    await expect(
      renderSpcChart(input({ points: [pts[0] as SpcChartPoint, pts[0] as SpcChartPoint] })),
    ).rejects.toThrow(/points\[1\]\.period repeats/);
    await expect(renderSpcChart(input({ upl: Number.POSITIVE_INFINITY }))).rejects.toThrow(/upl/);
    await expect(renderSpcChart(input({ idPrefix: '9' }))).rejects.toThrow(/idPrefix/);
  });
});

describe('spcPointWords', () => {
  it('says each rule in words', () => {
    expect(spcPointWords({ special: 'none', variation: 'common' })).toBe('Common cause');
    expect(spcPointWords({ special: 'shift', variation: 'concern' })).toBe(
      'Special cause, concern: in a run of points on one side of the mean',
    );
    expect(spcPointWords({ special: 'trend', variation: 'neutral' })).toBe(
      'Special cause, neither better nor worse: in a run of points all rising or all falling',
    );
    expect(spcPointWords({ special: 'twoInThree', variation: 'improvement' })).toBe(
      'Special cause, improvement: two of three points close to a process limit',
    );
  });
});
