import { assertSafeSvg } from './safe-svg.js';

/**
 * Turns the SVG a chart library draws into one a page can carry, accessibly (WCAG 2.2 AA):
 * - one image to assistive technology (role="img"), named and described by its own <title> and
 *   <desc>, whose ids start with the caller's prefix so they are unique on the page;
 * - scaled by its viewBox to the width of its container (no fixed width or height);
 * - never in the tab order (focusable="false" for old Internet Explorer and Edge, which focus
 *   inline SVG by default; the library draws no links);
 * - every id the library made renamed under the prefix, so two charts on a page never clash and the
 *   same chart always carries the same ids;
 * - its parts stripped of roles and ARIA labels, which mean nothing inside one image;
 * - checked to hold only drawing elements (safe-svg.ts) before any page includes it unescaped.
 */
export function accessibleSvg(
  raw: string,
  { idPrefix, title, description }: { idPrefix: string; title: string; description: string },
): string {
  checkIdPrefix(idPrefix);
  const root = /^<svg\b[^>]*>/.exec(raw);
  if (!root) throw new Error('The chart library did not return an SVG document.');
  const viewBox = /\sviewBox="([\d.\s-]+)"/.exec(root[0])?.[1];
  const width = /\swidth="([\d.]+)"/.exec(root[0])?.[1];
  const height = /\sheight="([\d.]+)"/.exec(root[0])?.[1];
  const box = viewBox ?? (width && height ? `0 0 ${width} ${height}` : undefined);
  if (!box) throw new Error('The chart library drew an SVG without a size.');

  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const body = compactNumbers(renameIds(stripInnerAria(raw.slice(root[0].length)), idPrefix));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="wm-chart__svg" viewBox="${box}" width="100%" ` +
    `preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="${titleId} ${descId}" focusable="false">` +
    `<title id="${titleId}">${escapeXml(title)}</title><desc id="${descId}">${escapeXml(description)}</desc>` +
    body;
  assertSafeSvg(svg);
  return svg;
}

/** An id prefix starts with a letter and holds only letters, digits, "-" and "_": safe in any id. */
export function checkIdPrefix(idPrefix: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(idPrefix)) {
    throw new Error(
      `idPrefix must start with a letter and hold only letters, digits, "-" or "_": "${idPrefix}"`,
    );
  }
}

/**
 * Inside one image, roles and ARIA labels on its parts mean nothing (an image's children are
 * presentational) and only give checkers something to question, so they go.
 */
function stripInnerAria(body: string): string {
  return body.replace(/<[^>]+>/g, (tag) => tag.replace(/\s(?:role|aria-[a-z]+)="[^"]*"/g, ''));
}

/** Coordinates to two decimal places (a hundredth of a pixel): the SVG shrinks by about a third. */
function compactNumbers(body: string): string {
  return body.replace(/<[^>]+>/g, (tag) =>
    tag.replace(/-?\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100)),
  );
}

/** Each id, and each reference to it, renamed `<prefix>-d<n>` in order of appearance. */
function renameIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  const out = svg.replace(/\sid="([^"]+)"/g, (_whole, id: string) => {
    let name = renamed.get(id);
    if (!name) {
      name = `${prefix}-d${renamed.size + 1}`;
      renamed.set(id, name);
    }
    return ` id="${name}"`;
  });
  if (renamed.size === 0) return out;
  return out
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => {
      const name = renamed.get(id);
      return name ? `url(#${name})` : whole;
    })
    .replace(/(\s(?:xlink:)?href)="#([^"]+)"/g, (whole, attribute: string, id: string) => {
      const name = renamed.get(id);
      return name ? `${attribute}="#${name}"` : whole;
    });
}

/** Text made safe inside SVG or HTML: element content or a quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
