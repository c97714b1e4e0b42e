import { describe, expect, it } from 'vitest';
import { accessibleSvg, escapeXml } from './accessible-svg.js';

const RAW =
  '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="656" height="425" viewBox="0 0 656 425">' +
  '<defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs>' +
  '<g clip-path="url(#clip1)"><text>a &lt;b&gt;</text></g></svg>';

describe('accessibleSvg', () => {
  const svg = accessibleSvg(RAW, {
    idPrefix: 'spc-1',
    title: 'Rates <b> & more',
    description: 'It "rises".',
  });

  it('is one image named by its own title and description', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('aria-labelledby="spc-1-title spc-1-desc"');
    expect(svg).toContain('<title id="spc-1-title">Rates &lt;b&gt; &amp; more</title>');
    expect(svg).toContain('<desc id="spc-1-desc">It &quot;rises&quot;.</desc>');
  });

  it('scales by its viewBox and is never focusable', () => {
    const root = /^<svg[^>]*>/.exec(svg)?.[0] ?? '';
    expect(root).toContain('viewBox="0 0 656 425"');
    expect(root).toContain('width="100%"');
    expect(root).not.toMatch(/\sheight=/);
    expect(root).toContain('focusable="false"');
    expect(svg).not.toMatch(/tabindex|<a\b/);
  });

  it('renames the library’s ids, and the references to them, under the prefix', () => {
    expect(svg).toContain('<clipPath id="spc-1-d1">');
    expect(svg).toContain('clip-path="url(#spc-1-d1)"');
    expect(svg).not.toContain('clip1');
  });

  it('refuses an id prefix that could clash or break the markup', () => {
    expect(() => accessibleSvg(RAW, { idPrefix: '1x', title: 't', description: 'd' })).toThrow(/idPrefix/);
    expect(() => accessibleSvg(RAW, { idPrefix: 'a"b', title: 't', description: 'd' })).toThrow(/idPrefix/);
  });

  it('refuses anything that is not an SVG, or an SVG that could run or fetch something', () => {
    expect(() => accessibleSvg('<div/>', { idPrefix: 'a', title: 't', description: 'd' })).toThrow(/SVG/);
    const script = RAW.replace('<text>', '<script>alert(1)</script><text>');
    expect(() => accessibleSvg(script, { idPrefix: 'a', title: 't', description: 'd' })).toThrow(/<script>/);
    const handler = RAW.replace('<g clip-path', '<g onload="x()" clip-path');
    expect(() => accessibleSvg(handler, { idPrefix: 'a', title: 't', description: 'd' })).toThrow(
      /event handler/,
    );
    const bare = RAW.replace('a &lt;b&gt;', 'a & b');
    expect(() => accessibleSvg(bare, { idPrefix: 'a', title: 't', description: 'd' })).toThrow(/bare "&"/);
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
});
