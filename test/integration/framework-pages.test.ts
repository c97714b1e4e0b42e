import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDomainLines } from '../../src/features/frameworks/form.js';
import { type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoPeople: 3 });
});
afterAll(() => t?.close());

/** Posts the new-framework form as `session`, with the form page's CSRF token and cookie. */
const post = (session: string, fields: FormFields) =>
  submitForm(t.app, { session, pageUrl: '/frameworks/new', action: '/frameworks/new', fields });

describe('outcomes frameworks pages', () => {
  it('every signed-in user can read the shipped frameworks', async () => {
    const cookie = await signIn(t.app, 'person@demo');
    const page = await t.app.inject({ url: '/frameworks', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Feeling safe');
    expect(page.body).not.toContain('Add a framework');
  });

  it('only admins may add one', async () => {
    const cookie = await signIn(t.app, 'practitioner@demo');
    expect((await t.app.inject({ url: '/frameworks/new', headers: { cookie } })).statusCode).toBe(403);
  });

  it('an admin adds a new version, which must be the next number', async () => {
    const admin = await signIn(t.app, 'admin@demo');
    const list = (await t.app.inject({ url: '/api/frameworks', headers: { cookie: admin } })).json();
    const tp = list.find((f: { key: string }) => f.key === 'talking-points');
    const prefilled = await t.app.inject({
      url: `/frameworks/new?from=${tp.frameworkId}`,
      headers: { cookie: admin },
    });
    expect(prefilled.body).toContain('value="2"');

    const wrong = await post(admin, {
      key: 'talking-points',
      version: '5',
      name: 'Talking Points',
      description: '',
      labels: 'No\nYes',
      domains: 'Quality of life | Feeling safe | Safe at home',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The next version of');

    const bad = await post(admin, {
      key: 'talking-points',
      version: '2',
      name: 'Talking Points',
      description: '',
      labels: 'No\nYes',
      domains: 'Nonsense | Feeling safe | x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is not a category');

    const ok = await post(admin, {
      key: 'talking-points',
      version: '2',
      name: 'Talking Points',
      description: 'Revised',
      labels: 'Not at all\nA little\nMostly\nFully',
      domains: 'Quality of life | Feeling safe | Safe at home and out\nProcess | Listened to | Heard',
    });
    expect(ok.statusCode).toBe(303);
    // The banner names what was added from the service's own list, never from the address.
    const banner = await t.app.inject({ url: String(ok.headers.location), headers: { cookie: admin } });
    expect(banner.body).toContain('Added Talking Points, version 2.');
    const forged = await t.app.inject({
      url: `/frameworks?added=${encodeURIComponent('Your account is locked: call 0800 000 000')}`,
      headers: { cookie: admin },
    });
    expect(forged.statusCode).toBe(200);
    expect(forged.body).not.toContain('0800 000 000');
    expect(forged.body).not.toContain('nhsuk-notification-banner--success');
    const after = (await t.app.inject({ url: '/api/frameworks', headers: { cookie: admin } })).json();
    expect(
      after
        .filter((f: { key: string }) => f.key === 'talking-points')
        .map((f: { version: number }) => f.version),
    ).toEqual([2, 1]);
  });

  it('the API refuses a framework against the domain’s rules with 422, naming each field', async () => {
    const admin = await signIn(t.app, 'admin@demo');
    const domain = { code: 'same', name: 'Same', description: '', category: 'process' };
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/frameworks',
      headers: { cookie: admin },
      payload: {
        key: 'duplicated',
        version: 1,
        name: 'Duplicated',
        description: '',
        ratingScale: { labels: ['Yes', 'yes'] },
        domains: [domain, domain],
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'ratingScale.labels.1',
      'domains.1.code',
    ]);
  });

  it('reads domain lines', () => {
    expect(parseDomainLines('Change | Improved skills | New skills\n\nprocess | Listened to |')).toEqual({
      problems: [],
      domains: [
        { code: 'improved-skills', name: 'Improved skills', description: 'New skills', category: 'change' },
        { code: 'listened-to', name: 'Listened to', description: '', category: 'process' },
      ],
    });
  });
});
