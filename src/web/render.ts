import nunjucks from 'nunjucks';
import { gasLevelText, signedNumber } from '../domain/gas.js';
import { formatNhsNumber } from '../domain/nhs-number.js';
import { ratingLabel } from '../domain/ratings.js';
import { NHSUK_DIST, VIEW_DIRS } from './assets.js';
import { ComponentCache, ComponentLoader } from './components.js';

export const SERVICE_NAME = 'WhatMatters';

// Built once: creating an Intl formatter costs far more than formatting a date with one, and a
// caseload page formats dozens of dates.
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
const DATE_AND_TIME = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  day: 'numeric',
  month: 'long',
  timeZone: 'Europe/London',
});

/**
 * One Nunjucks environment for every page: our views first, then nhsuk-frontend's macros, so pages
 * are composed from the design system's components rather than hand-written markup.
 */
export function createViewEnvironment(): nunjucks.Environment {
  const options = { autoescape: true, throwOnUndefined: false };
  const env = configure(new nunjucks.Environment(new ComponentLoader([...VIEW_DIRS, NHSUK_DIST]), options));
  // nhsuk-frontend as published, for the components' HTML that `renderComponent` keeps (components.ts).
  const components = new ComponentCache(
    configure(new nunjucks.Environment(new nunjucks.FileSystemLoader([NHSUK_DIST]), options)),
  );
  env.addGlobal('renderComponent', (component: string, macroName: string, params: unknown) =>
    components.render(component, macroName, params),
  );
  return env;
}

/** The globals and filters every environment has. */
function configure(env: nunjucks.Environment): nunjucks.Environment {
  env.addGlobal('serviceName', SERVICE_NAME);
  env.addFilter('date', (value: Date | string | null | undefined) => {
    if (!value) return '';
    return LONG_DATE.format(typeof value === 'string' ? new Date(value) : value);
  });
  env.addFilter('time', (value: Date | string | null | undefined) => {
    if (!value) return '';
    return DATE_AND_TIME.format(typeof value === 'string' ? new Date(value) : value);
  });
  // The design system's macros trim every block they render; nunjucks' own trim uses a regular
  // expression (/^\s*|\s*$/g) that rescans the whitespace at every position, which made trimming the
  // largest single cost of rendering a page. The same result, keeping a safe string safe.
  env.addFilter('trim', (value: unknown) => {
    const trimmed = String(value ?? '').trim();
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
  });
  // A rating score in the words of its scale, the same way everywhere (domain/ratings.ts).
  env.addFilter('gasLevel', (level: number) => gasLevelText(level));
  env.addFilter('signed', (n: number) => signedNumber(n));
  env.addFilter('ratingLabel', (score: number, labels: readonly string[]) => ratingLabel(score, labels));
  env.addFilter('nhsNumber', (value: string | null | undefined) => (value ? formatNhsNumber(value) : ''));
  // Field errors → the error summary's list, each linking to its field.
  env.addFilter('map_errors', (errors: { field: string; message: string }[]) =>
    errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
  );
  return env;
}
