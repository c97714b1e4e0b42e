import { describe, expect, it } from 'vitest';
import { assertSafeSvg } from './safe-svg.js';
import { renderScoreChart, type ScoreChartInput } from './score-chart.js';

const PHQ9_BANDS = [
  { label: 'None to minimal', min: 0, max: 4 },
  { label: 'Mild', min: 5, max: 9 },
  { label: 'Moderate', min: 10, max: 14 },
  { label: 'Moderately severe', min: 15, max: 19 },
  { label: 'Severe', min: 20, max: 27 },
];

function input(overrides: Partial<ScoreChartInput> = {}): ScoreChartInput {
  return {
    idPrefix: 'phq9-total',
    title: 'PHQ-9 total score',
    valueLabel: 'PHQ-9 total',
    scale: { min: 0, max: 27 },
    bands: PHQ9_BANDS,
    higherIsBetter: false,
    points: [
      { when: '3 March 2026', value: 18, band: 'Moderately severe', completedBy: 'With a practitioner' },
      { when: '3 March 2026', value: 16, band: 'Moderately severe', completedBy: 'The person' },
      { when: '5 May 2026', value: 7, band: 'Mild', completedBy: 'The person <b>' },
    ],
    ...overrides,
  };
}

describe('renderScoreChart', () => {
  it('draws a safe, titled SVG naming every band and a point for every score', async () => {
    const chart = await renderScoreChart(input());
    expect(() => assertSafeSvg(chart.svg)).not.toThrow();
    expect(chart.svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="phq9-total-title phq9-total-desc"/);
    for (const band of PHQ9_BANDS) expect(chart.svg).toContain(band.label);
    const symbols =
      /<g class="mark-symbol role-mark[^"]*"[^>]*>((?:<path[^>]*\/>)*)<\/g>/.exec(chart.svg)?.[1] ?? '';
    expect(symbols.match(/<path/g)).toHaveLength(3);
  });

  it('tabulates each score with its band and who completed it, and says first and latest', async () => {
    const chart = await renderScoreChart(input());
    expect(chart.table.head).toEqual(['Date', 'PHQ-9 total', 'Band', 'Completed']);
    expect(chart.table.rows[2]).toEqual(['5 May 2026', '7', 'Mild', 'The person <b>']);
    expect(chart.description).toContain('The first was 18 (moderately severe); the latest is 7 (mild).');
    expect(chart.description).toContain('Lower scores are better.');
    expect(chart.csv.split('\r\n')[1]).toBe('"3 March 2026",18,"Moderately severe","With a practitioner"');
  });

  it('leaves the band column out for a score without bands', async () => {
    const chart = await renderScoreChart(
      input({
        bands: [],
        higherIsBetter: true,
        points: [{ when: '1 April 2026', value: 21.54, band: null, completedBy: 'The person' }],
        decimals: 2,
      }),
    );
    expect(chart.table.head).toEqual(['Date', 'PHQ-9 total', 'Completed']);
    expect(chart.description).toContain('one PHQ-9 total score, 21.54 on 1 April 2026');
  });

  it('names the field at fault', async () => {
    await expect(renderScoreChart(input({ points: [] }))).rejects.toThrow(
      'points must hold at least one score',
    );
    await expect(renderScoreChart(input({ scale: { min: 5, max: 5 } }))).rejects.toThrow('scale.max');
  });
});
