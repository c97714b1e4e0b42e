import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** nhsuk-frontend's dist folder: its Nunjucks macros, compiled script, and images. */
export const NHSUK_DIST = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');
export const NHSUK_ASSETS = path.join(NHSUK_DIST, 'nhsuk', 'assets');
export const NHSUK_SCRIPT = path.join(NHSUK_DIST, 'nhsuk', 'nhsuk-frontend.min.js');
export const VIEWS_DIR = path.join(here, 'views');
const FEATURES_DIR = path.join(here, '..', 'features');
/**
 * Where views are found: the site-wide ones (layout, partials, error, home), then each feature's own
 * `views/` folder. View names are unique across features, so a page names its view alone.
 */
export const VIEW_DIRS = [
  VIEWS_DIR,
  ...readdirSync(FEATURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(FEATURES_DIR, d.name, 'views'))
    .filter((dir) => readdirSync(path.dirname(dir)).includes('views')),
];
export const PUBLIC_DIR = path.join(here, 'public');

let stylesheet: string | null = null;

/** The service's stylesheet: NHS.UK frontend plus ours, compiled once per process (about a second). */
export function compiledStylesheet(): string {
  stylesheet ??= sass.compile(path.join(here, 'styles', 'app.scss'), {
    loadPaths: [path.resolve(NHSUK_DIST, '..', '..')],
    style: 'compressed',
    quietDeps: true,
  }).css;
  return stylesheet;
}
