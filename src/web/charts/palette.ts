/**
 * The colours every chart and Making Data Count icon uses, chosen for WCAG 2.2 AA against the white
 * chart background: text at least 4.5:1 (1.4.3) and graphic marks at least 3:1 (1.4.11). Contrast
 * ratios are the WCAG relative-luminance formula, checked in palette.test.ts.
 *
 * Making Data Count's published icon colours (grey #7B7D7D, orange #FAB428, blue #289DE0, purple
 * #361475; NHS England, "Making Data Count: getting started", 2019) do not all reach 3:1 on white —
 * the orange is 1.8:1 — so each hue here is a darker shade of the same colour, from the NHS identity
 * palette where one fits.
 */
export const CHART_COLOURS = {
  /** NHS text colour: labels, axis titles, the mean line. 14.4:1. */
  text: '#212b32',
  /** NHS secondary text: axis lines, ticks, process limits. 6.4:1. */
  secondary: '#4c6272',
  /** Grid lines: decoration that helps reading values, not needed to understand the chart. */
  grid: '#d8dde0',
  /** Common cause variation, and the line joining an SPC chart's points. 5.2:1. */
  common: '#6b6e6e',
  /** Special cause of an improving nature: NHS blue. 6.4:1. */
  improvement: '#005eb8',
  /** Special cause of a concerning nature: a dark orange. 4.8:1. */
  concern: '#b35900',
  /** Special cause where neither direction is better: NHS purple. 15.2:1. */
  neutral: '#330072',
  /** A target line: NHS red, as Making Data Count draws targets in red. 5.1:1. */
  target: '#d5281b',
  /** Bars. NHS blue. */
  bar: '#005eb8',
} as const;

/** WCAG 2.2 contrast ratio between two #rrggbb colours (relative luminance, "contrast ratio" definition). */
export function contrastRatio(a: string, b: string): number {
  const [high, low] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((part) => {
    const c = Number.parseInt(part, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
