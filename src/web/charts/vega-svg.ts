import type { Config, TopLevelSpec } from 'vega-lite';
import { CHART_COLOURS } from './palette.js';

/** The drawing area every chart fits into, in SVG user units (the SVG then scales to its container). */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 320;

/** The same font stack as the site's stylesheet, so charts read like the page around them. */
const FONT = 'Arial, "Liberation Sans", "DejaVu Sans", sans-serif';
/** Every piece of text is at least 12px at full size; most are 14px. */
export const LABEL_SIZE = 14;
export const SMALL_LABEL_SIZE = 12;

/**
 * One look for every chart. `aria: false` because the whole SVG is one image (role="img") described
 * by its title and description, with the numbers in a visible table beside it; Vega's per-mark ARIA
 * labels would only repeat them, unreachably, inside an image.
 */
const CONFIG: Config = {
  aria: false,
  font: FONT,
  background: '#ffffff',
  padding: 8,
  view: { stroke: null },
  axis: {
    labelFont: FONT,
    titleFont: FONT,
    labelFontSize: LABEL_SIZE,
    titleFontSize: LABEL_SIZE,
    labelColor: CHART_COLOURS.text,
    titleColor: CHART_COLOURS.text,
    titleFontWeight: 'bold',
    domainColor: CHART_COLOURS.secondary,
    tickColor: CHART_COLOURS.secondary,
    gridColor: CHART_COLOURS.grid,
    labelLimit: 200,
  },
  legend: {
    labelFont: FONT,
    titleFont: FONT,
    labelFontSize: LABEL_SIZE,
    titleFontSize: LABEL_SIZE,
    labelColor: CHART_COLOURS.text,
    titleColor: CHART_COLOURS.text,
    orient: 'bottom',
    direction: 'vertical',
    labelLimit: 400,
    symbolSize: 120,
    symbolOpacity: 1,
    symbolStrokeWidth: 2,
  },
  text: { font: FONT, fontSize: SMALL_LABEL_SIZE, fill: CHART_COLOURS.text },
};

/**
 * Charts never fetch or read anything. Vega logs a failed load and draws on without the data, so
 * each render gets a loader that refuses and remembers what was asked, and the render then fails.
 */
function refusingLoader(): { loader: import('vega').Loader; refused: string[] } {
  const refused: string[] = [];
  const refuse = (what: string) => {
    refused.push(what);
    return Promise.reject(new Error(`Charts draw inline data only; refused to load ${what}.`));
  };
  return {
    refused,
    loader: { load: refuse, sanitize: refuse, http: refuse, file: refuse },
  };
}

type VegaLogger = NonNullable<NonNullable<ConstructorParameters<typeof import('vega').View>[1]>['logger']>;

/**
 * Vega logs a failure inside its dataflow and draws on, which would put a half-empty chart in front
 * of a commissioner. Errors are kept and the render fails with them; warnings are dropped.
 */
function collectingLogger(errors: string[]): VegaLogger {
  const logger: VegaLogger = {
    level: (level?: number) => (level === undefined ? 1 : logger),
    error: (...args: unknown[]) => {
      errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
      return logger;
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

interface Engine {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
}

let engine: Promise<Engine> | undefined;

/**
 * Vega and Vega-Lite load on the first chart, not at server start (about 200 ms of module loading
 * that pages without charts never need). A failed load is forgotten so the next chart tries again.
 */
function loadEngine(): Promise<Engine> {
  engine ??= Promise.all([import('vega'), import('vega-lite')]).then(
    ([vega, vegaLite]) => ({ vega, vegaLite }),
    (error: unknown) => {
      engine = undefined;
      throw error;
    },
  );
  return engine;
}

/**
 * A label broken into lines of at most `width` characters at spaces, for axes whose labels can be
 * long (Vega sizes text by estimate on the server, so a long label would be cut short with "…").
 * Lines are joined with "\n"; the axis splits them again (see `MULTILINE_LABELS`).
 */
export function wrapLabel(label: string, width = 22): string {
  const words = label.trim().split(/\s+/);
  const lines: string[] = [];
  for (const word of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** The axis label expression that draws a `wrapLabel` label on its lines. */
export const MULTILINE_LABELS = "split(datum.label, '\\n')";

/**
 * A Vega-Lite spec drawn as an SVG string on the server. The 'none' renderer draws no scenegraph to
 * a canvas or DOM, so neither the canvas package nor a browser is needed; text widths are Vega's own
 * estimates, which keeps the output the same on every machine. Specs hold their data inline; a
 * spec that asks to load anything fails (refusingLoader), as does any error inside Vega.
 */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await loadEngine();
  const compiled = vegaLite.compile({ ...spec, config: CONFIG } as TopLevelSpec).spec;
  const { loader, refused } = refusingLoader();
  const errors: string[] = [];
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    loader,
    logger: collectingLogger(errors),
  });
  try {
    const svg = await view.toSVG();
    if (refused.length > 0)
      throw new Error(`Charts draw inline data only; refused to load ${refused.join(', ')}.`);
    if (errors.length > 0) throw new Error(`The chart could not be drawn: ${errors.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/** Sizing every chart shares: a fixed drawing area that axes and legends fit inside. */
export function chartSize(height = CHART_HEIGHT): {
  width: number;
  height: number;
  autosize: { type: 'fit-x'; contains: 'padding' };
} {
  return { width: CHART_WIDTH, height, autosize: { type: 'fit-x', contains: 'padding' } };
}
