/**
 * Making Data Count's icons (NHS England, "Making Data Count: strengthening your decisions", 2019;
 * "SPC icons" guidance): one says what kind of variation the latest data show, the other whether the
 * process can be relied on to meet its target. Drawn here in the same spirit — a ring in the
 * variation's colour, "H" or "L" for a special cause at higher or lower values, "P", "F" or "?" for
 * assurance — in the darker, contrast-checked palette (palette.ts).
 *
 * An icon is never the only carrier of its meaning: each comes with its words, which pages print
 * beside it, and the icon itself is hidden from assistive technology so the words are read once.
 */
// The icon keys are the domain's (domain/spc/icons.ts decides which icon a chart gets).
import type { AssuranceIconKey, VariationIconKey } from '../../domain/spc/icons.js';
import { CHART_COLOURS } from './palette.js';

export type { AssuranceIconKey, VariationIconKey };

export interface MdcIcon {
  kind: 'variation' | 'assurance';
  key: VariationIconKey | AssuranceIconKey;
  /** Decorative inline SVG (aria-hidden); `label` carries the meaning. */
  svg: string;
  /** Short words for the icon, shown beside it. */
  label: string;
  /** A sentence saying what it means for the reader. */
  meaning: string;
}

interface IconWords {
  label: string;
  meaning: string;
}

export const VARIATION_ICON_WORDS: Record<VariationIconKey, IconWords> = {
  'common-cause': {
    label: 'Common cause variation',
    meaning: 'No significant change: the latest points vary only as much as the process always has.',
  },
  'improvement-high': {
    label: 'Improvement (higher values)',
    meaning: 'Special cause variation of an improving nature, because values are higher.',
  },
  'improvement-low': {
    label: 'Improvement (lower values)',
    meaning: 'Special cause variation of an improving nature, because values are lower.',
  },
  'concern-high': {
    label: 'Concern (higher values)',
    meaning: 'Special cause variation of a concerning nature, because values are higher.',
  },
  'concern-low': {
    label: 'Concern (lower values)',
    meaning: 'Special cause variation of a concerning nature, because values are lower.',
  },
  'neutral-high': {
    label: 'Special cause (higher values)',
    meaning: 'Special cause variation at higher values, where neither direction is better.',
  },
  'neutral-low': {
    label: 'Special cause (lower values)',
    meaning: 'Special cause variation at lower values, where neither direction is better.',
  },
};

export const ASSURANCE_ICON_WORDS: Record<AssuranceIconKey, IconWords> = {
  pass: {
    label: 'Target consistently met',
    meaning: 'The process limits are on the right side of the target: it can be relied on to meet it.',
  },
  fail: {
    label: 'Target consistently missed',
    meaning: 'The process limits are on the wrong side of the target: it will not meet it without change.',
  },
  inconsistent: {
    label: 'Target met and missed by chance',
    meaning: 'The target lies between the process limits: it will be met some months and missed others.',
  },
};

const ICON_OPEN =
  '<svg xmlns="http://www.w3.org/2000/svg" class="wm-mdc-icon" viewBox="0 0 40 40" width="40" height="40" aria-hidden="true" focusable="false">';
const FONT = 'font-family="Arial, sans-serif" font-weight="bold"';

function ring(colour: string): string {
  return `<circle cx="20" cy="20" r="17.5" fill="#ffffff" stroke="${colour}" stroke-width="3"/>`;
}

function letter(text: string, colour: string, x: number, size: number): string {
  return `<text x="${x}" y="${(20 + size * 0.36).toFixed(1)}" text-anchor="middle" font-size="${size}" ${FONT} fill="${colour}">${text}</text>`;
}

/** An arrow beside the letter: up for higher values, down for lower. */
function arrow(direction: 'high' | 'low', colour: string): string {
  const [tip, tail, headY] = direction === 'high' ? [11, 29, 16] : [29, 11, 24];
  return (
    `<path d="M28 ${tail} V${tip}" stroke="${colour}" stroke-width="2.5" fill="none"/>` +
    `<path d="M24 ${headY} L28 ${tip} L32 ${headY}" stroke="${colour}" stroke-width="2.5" fill="none"/>`
  );
}

/** Common cause: a wavering run of grey points inside a grey ring. */
function commonCauseDrawing(): string {
  const colour = CHART_COLOURS.common;
  const points: [number, number][] = [
    [9, 22],
    [14.5, 17],
    [20, 23],
    [25.5, 17],
    [31, 21],
  ];
  return (
    ring(colour) +
    `<polyline points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"/>` +
    points.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="2.5" fill="${colour}"/>`).join('')
  );
}

export function variationIcon(key: VariationIconKey): MdcIcon {
  const words = VARIATION_ICON_WORDS[key];
  if (!words)
    throw new Error(`variation icon must be one of ${Object.keys(VARIATION_ICON_WORDS).join(', ')}: ${key}`);
  let drawing: string;
  if (key === 'common-cause') {
    drawing = commonCauseDrawing();
  } else {
    const [nature, direction] = key.split('-') as ['improvement' | 'concern' | 'neutral', 'high' | 'low'];
    const colour = CHART_COLOURS[nature];
    drawing =
      ring(colour) + letter(direction === 'high' ? 'H' : 'L', colour, 16, 16) + arrow(direction, colour);
  }
  return { kind: 'variation', key, svg: `${ICON_OPEN}${drawing}</svg>`, ...words };
}

const ASSURANCE_DRAWING: Record<AssuranceIconKey, { text: string; colour: string }> = {
  pass: { text: 'P', colour: CHART_COLOURS.improvement },
  fail: { text: 'F', colour: CHART_COLOURS.concern },
  inconsistent: { text: '?', colour: CHART_COLOURS.common },
};

export function assuranceIcon(key: AssuranceIconKey): MdcIcon {
  const words = ASSURANCE_ICON_WORDS[key];
  const drawing = ASSURANCE_DRAWING[key];
  if (!words || !drawing) throw new Error(`assurance icon must be one of pass, fail, inconsistent: ${key}`);
  return {
    kind: 'assurance',
    key,
    svg: `${ICON_OPEN}${ring(drawing.colour)}${letter(drawing.text, drawing.colour, 20, 18)}</svg>`,
    ...words,
  };
}

/** The icons an SPC chart carries: variation first, then assurance when there is a target. */
export function mdcIcons(
  variation: VariationIconKey | null | undefined,
  assurance: AssuranceIconKey | null | undefined,
): MdcIcon[] {
  const icons: MdcIcon[] = [];
  if (variation) icons.push(variationIcon(variation));
  if (assurance) icons.push(assuranceIcon(assurance));
  return icons;
}
