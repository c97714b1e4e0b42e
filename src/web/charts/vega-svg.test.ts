import { describe, expect, it } from 'vitest';
import { MULTILINE_LABELS, renderVegaLite, wrapLabel } from './vega-svg.js';

describe('renderVegaLite', () => {
  it('draws an SVG from inline data without a canvas or a browser', async () => {
    const svg = await renderVegaLite({
      data: { values: [{ a: 'x', b: 1 }] },
      mark: 'bar',
      encoding: { x: { field: 'a' }, y: { field: 'b', type: 'quantitative' } },
    });
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  });

  it('refuses to fetch data: charts carry their data inline', async () => {
    await expect(
      renderVegaLite({
        data: { url: 'https://example.org/data.json' },
        mark: 'point',
        encoding: { x: { field: 'a' } },
      }),
    ).rejects.toThrow(/inline data only/);
  });
});

describe('wrapLabel', () => {
  it('breaks a long label at spaces into lines of at most the width', () => {
    expect(wrapLabel('Black, Black British, Caribbean or African')).toBe(
      'Black, Black British,\nCaribbean or African',
    );
    expect(wrapLabel('  White  ')).toBe('White');
    expect(wrapLabel('Supercalifragilisticexpialidocious word', 10)).toBe(
      'Supercalifragilisticexpialidocious\nword',
    );
  });

  it('is split again by the axis label expression', () => {
    expect(MULTILINE_LABELS).toBe("split(datum.label, '\\n')");
  });
});
