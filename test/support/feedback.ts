import { expect } from 'vitest';
import { postForm } from './forms.js';
import { cookieHeader, type TestApp } from './test-app.js';

/** The key of the first feedback service listed for a signed-in member of staff. */
export async function firstFeedbackServiceKey(t: TestApp, cookie: string | undefined): Promise<string> {
  const index = await t.app.inject({ url: '/service-feedback', headers: { cookie: cookie ?? '' } });
  expect(index.statusCode, index.body).toBe(200);
  const key = /href="\/service-feedback\/([A-Za-z0-9_-]{16})"/.exec(index.body)?.[1] ?? '';
  expect(key).toMatch(/^[A-Za-z0-9_-]{16}$/);
  return key;
}

/** Sends the public form as a visitor would (its CSRF cookie and token, a fresh submission token). */
export async function submitPublicFeedback(t: TestApp, key: string, fields: Record<string, string>) {
  const page = await t.app.inject({ url: `/feedback/${key}` });
  const response = await postForm(t.app, {
    url: `/feedback/${key}`,
    cookie: cookieHeader(page),
    fields: {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
      submissionToken: /name="submissionToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
      website: '',
      ...fields,
    },
  });
  expect(response.statusCode, response.body).toBe(303);
  return t.database.db
    .selectFrom('feedback')
    .selectAll()
    .where('service_key', '=', key)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

/** The audit entries of one action with one outcome. */
export const auditsOf = (t: TestApp, action: string, outcome: string) =>
  t.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action)
    .where('outcome', '=', outcome)
    .execute();
