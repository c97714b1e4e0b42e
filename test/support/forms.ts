import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { cookieHeader } from './test-app.js';

/** Form fields as a browser sends them: a name may repeat (checkboxes), so a value may be a list. */
export type FormFields = Record<string, string | string[]>;

/** A page's CSRF token (from its form's `_csrf` field) and the cookie that pairs with it. */
export function csrfFrom(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  expect(token, 'a _csrf field on the page').toBeTruthy();
  return { token: token ?? '', cookie: cookieHeader(page) };
}

/** A browser's urlencoded form post, with whatever cookies are given (none by default). */
export function postForm(
  app: FastifyInstance,
  { url, fields, cookie }: { url: string; fields: FormFields; cookie?: string },
): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) body.append(name, v);
  }
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    payload: body.toString(),
  });
}

/**
 * GETs `pageUrl` (as `session`, if given), then posts `fields` to `action` with that page's CSRF
 * token and cookie, as a browser without script submits a form.
 */
export async function submitForm(
  app: FastifyInstance,
  {
    session,
    pageUrl,
    action,
    fields,
  }: { session?: string; pageUrl: string; action: string; fields: FormFields },
): Promise<LightMyRequestResponse> {
  const page = await app.inject({ url: pageUrl, headers: session ? { cookie: session } : {} });
  expect(page.statusCode, `GET ${pageUrl}`).toBe(200);
  const csrf = csrfFrom(page);
  return postForm(app, {
    url: action,
    fields: { _csrf: csrf.token, ...fields },
    cookie: [session, csrf.cookie].filter(Boolean).join('; '),
  });
}

/**
 * The id attributes a page uses more than once. A repeated id sends a label's click to another
 * field (a box ticked for the wrong answer) and leaves a field without its accessible name; axe
 * only flags it for review, so tests check it themselves.
 */
export function duplicateIds(html: string): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const match of html.matchAll(/<[a-zA-Z][^>]*?\sid="([^"]*)"/g)) {
    const id = match[1] as string;
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  return [...repeated];
}
