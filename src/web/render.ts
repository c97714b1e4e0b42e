import nunjucks from 'nunjucks';
import { formatNhsNumber } from '../domain/nhs-number.js';
import { NHSUK_DIST, VIEW_DIRS } from './assets.js';

export const SERVICE_NAME = 'WhatMatters';

/**
 * One Nunjucks environment for every page: our views first, then nhsuk-frontend's macros, so pages
 * are composed from the design system's components rather than hand-written markup.
 */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([...VIEW_DIRS, NHSUK_DIST]), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addGlobal('serviceName', SERVICE_NAME);
  env.addFilter('date', (value: Date | string | null | undefined) => {
    if (!value) return '';
    const date = typeof value === 'string' ? new Date(value) : value;
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
  });
  env.addFilter('time', (value: Date | string | null | undefined) => {
    if (!value) return '';
    const date = typeof value === 'string' ? new Date(value) : value;
    return new Intl.DateTimeFormat('en-GB', {
      hour: 'numeric',
      minute: '2-digit',
      day: 'numeric',
      month: 'long',
      timeZone: 'Europe/London',
    }).format(date);
  });
  env.addFilter('nhsNumber', (value: string | null | undefined) => (value ? formatNhsNumber(value) : ''));
  // Field errors → the error summary's list, each linking to its field.
  env.addFilter('map_errors', (errors: { field: string; message: string }[]) =>
    errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
  );
  return env;
}
