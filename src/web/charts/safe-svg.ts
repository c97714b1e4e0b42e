/**
 * The last check before a chart's SVG goes into a page unescaped: it must be well-formed and hold
 * nothing that can run or fetch — only drawing elements, no event handlers, no style attributes (the
 * site's Content Security Policy forbids inline styles), no links but to ids in the same document.
 * The chart library escapes the data it draws; this makes sure of it, so a label like
 * "<script>" can only ever appear as text.
 */
const ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'line',
  'polyline',
  'polygon',
  'circle',
  'ellipse',
  'text',
  'tspan',
  'title',
  'desc',
  'defs',
  'clipPath',
  'linearGradient',
  'radialGradient',
  'stop',
]);

const TAG = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[^\s=/>]+="[^"<]*")*)\s*(\/?)>/y;
const ATTRIBUTE = /\s+([^\s=/>]+)="([^"<]*)"/g;
const ENTITY = /^&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;

export function assertSafeSvg(svg: string): void {
  const open: string[] = [];
  let i = 0;
  while (i < svg.length) {
    const c = svg[i];
    if (c === '<') {
      TAG.lastIndex = i;
      const tag = TAG.exec(svg);
      if (!tag) throw new Error(`Unsafe chart SVG: malformed tag at ${i}: ${svg.slice(i, i + 40)}`);
      const [whole, closing, name = '', attributes = '', selfClosing] = tag;
      if (!ELEMENTS.has(name)) throw new Error(`Unsafe chart SVG: <${name}> is not a drawing element`);
      if (closing) {
        if (open.pop() !== name) throw new Error(`Unsafe chart SVG: </${name}> closes nothing open`);
      } else {
        for (const [, attribute = '', value = ''] of attributes.matchAll(ATTRIBUTE))
          checkAttribute(attribute, value);
        if (!selfClosing) open.push(name);
      }
      i += whole.length;
    } else if (c === '&') {
      if (!ENTITY.test(svg.slice(i, i + 12))) throw new Error(`Unsafe chart SVG: bare "&" at ${i}`);
      i += 1;
    } else if (c === '>') {
      throw new Error(`Unsafe chart SVG: bare ">" at ${i}`);
    } else {
      i += 1;
    }
  }
  if (open.length > 0) throw new Error(`Unsafe chart SVG: <${open[open.length - 1]}> is never closed`);
}

function checkAttribute(name: string, value: string): void {
  const lower = name.toLowerCase();
  if (lower.startsWith('on')) throw new Error(`Unsafe chart SVG: event handler ${name}`);
  if (lower === 'style') throw new Error('Unsafe chart SVG: a style attribute');
  if ((lower === 'href' || lower === 'xlink:href') && !value.startsWith('#')) {
    throw new Error(`Unsafe chart SVG: a link to ${value}`);
  }
  if (/url\(\s*['"]?(?!#)/i.test(value))
    throw new Error(`Unsafe chart SVG: ${name} refers outside the document`);
}
