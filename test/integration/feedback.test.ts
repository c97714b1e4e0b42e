import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { duplicateIds, postForm, submitForm } from '../support/forms.js';
import { cookieHeader, createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Giving feedback through HTTP: the public form of a service and its protections (size limits,
 * honeypot, double submit, CSRF, rate limit), staff entering feedback and reading the list, and
 * refusals audited.
 */

let t: TestApp;
let key = '';
const session: Record<string, string> = {};

const GOOD = {
  fft: 'very-good',
  whatWasGood: 'The nurse listened to me, and explained everything.',
  whatCouldBeBetter: 'The wait for an appointment.',
  writer: 'patient',
  ageBand: '65-74',
  consentToPublish: 'yes',
};

const stored = async () =>
  (await t.database.db.selectFrom('feedback').selectAll().where('service_key', '=', key).execute()).length;

/** The public form as a browser without script opens it: its token, cookie and one-time submission token. */
async function openForm(app = t.app, serviceKey = key) {
  const page = await app.inject({ url: `/feedback/${serviceKey}` });
  expect(page.statusCode, page.body).toBe(200);
  return {
    csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
    submissionToken: /name="submissionToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
    cookie: cookieHeader(page),
    body: page.body,
  };
}

async function send(fields: Record<string, string>, form?: Awaited<ReturnType<typeof openForm>>) {
  const f = form ?? (await openForm());
  return postForm(t.app, {
    url: `/feedback/${key}`,
    cookie: f.cookie,
    fields: { _csrf: f.csrf, submissionToken: f.submissionToken, website: '', ...fields },
  });
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  for (const who of ['practitioner', 'manager', 'commissioner', 'admin']) {
    session[who] = await signIn(t.app, `${who}@demo`);
  }
  const index = await t.app.inject({ url: '/service-feedback', headers: { cookie: session.practitioner } });
  expect(index.statusCode, index.body).toBe(200);
  key = /href="\/service-feedback\/([A-Za-z0-9_-]{16})"/.exec(index.body)?.[1] ?? '';
  expect(key).toMatch(/^[A-Za-z0-9_-]{16}$/);
});
afterAll(() => t?.close());

describe('the public feedback form', () => {
  it('is open to anyone, asks the FFT question and the rest, and has its protections in the page', async () => {
    const form = await openForm();
    expect(form.body).toContain('Overall, how was your experience of our service?');
    for (const answer of ['Very good', 'Good', 'Neither good nor poor', 'Poor', 'Very poor', 'Don’t know']) {
      expect(form.body).toContain(answer);
    }
    for (const id of ['fft', 'whatWasGood', 'whatCouldBeBetter', 'writer', 'ageBand', 'consentToPublish']) {
      expect(form.body).toContain(`id="${id}"`);
    }
    expect(form.csrf).not.toBe('');
    expect(form.submissionToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(form.body).toMatch(/<div hidden aria-hidden="true">/);
    expect(duplicateIds(form.body)).toEqual([]);
    // Each showing of the form has its own submission token.
    expect((await openForm()).submissionToken).not.toBe(form.submissionToken);
  });

  it('an unknown link is 404', async () => {
    expect((await t.app.inject({ url: '/feedback/AAAAAAAAAAAAAAAA' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/feedback/nope' })).statusCode).toBe(404);
  });

  it('stores a submission and thanks the person; pressed twice, it is stored once', async () => {
    const before = await stored();
    const form = await openForm();
    const first = await send(GOOD, form);
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe(`/feedback/${key}/thank-you`);
    const second = await send(GOOD, form);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(`/feedback/${key}/thank-you`);
    expect(await stored()).toBe(before + 1);
    const thanks = await t.app.inject({ url: `/feedback/${key}/thank-you` });
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('Thank you for your feedback');
    const row = await t.database.db
      .selectFrom('feedback')
      .selectAll()
      .where('submission_token', '=', form.submissionToken)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      fft: 'very-good',
      what_was_good: GOOD.whatWasGood,
      writer: 'patient',
      age_band: '65-74',
      consent_to_publish: true,
      channel: 'online',
    });
  });

  it('refuses oversized text naming the field, keeps what was typed, and stores nothing', async () => {
    const before = await stored();
    const long = 'a'.repeat(2001);
    const response = await send({ ...GOOD, whatCouldBeBetter: long });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      '‘What could be better?’ must be 2,000 characters or fewer (it has 2,001)',
    );
    expect(response.body).toContain('href="#whatCouldBeBetter"');
    expect(response.body).toContain(long);
    expect(response.body).toMatch(/<title>Error: /);
    expect(await stored()).toBe(before);
  });

  it('asks for the FFT answer and the consent when they are missing', async () => {
    const before = await stored();
    const response = await send({ whatWasGood: 'Kind staff' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select how your experience of the service was');
    expect(response.body).toContain('href="#fft"');
    expect(response.body).toContain('Select yes if we may publish your feedback, or no');
    expect(response.body).toContain('href="#consentToPublish"');
    expect(await stored()).toBe(before);
  });

  it('refuses an answer that is not one of the choices', async () => {
    const response = await send({ ...GOOD, fft: 'brilliant', ageBand: '200+' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#fft"');
    expect(response.body).toContain('href="#ageBand"');
  });

  it('answers a filled-in honeypot as if thanked, and stores nothing', async () => {
    const before = await stored();
    const response = await send({ ...GOOD, website: 'http://spam.example' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/feedback/${key}/thank-you`);
    expect(await stored()).toBe(before);
  });

  it('refuses a post without the form’s CSRF token, and stores nothing', async () => {
    const before = await stored();
    const form = await openForm();
    const noToken = await postForm(t.app, {
      url: `/feedback/${key}`,
      cookie: form.cookie,
      fields: { ...GOOD, submissionToken: form.submissionToken },
    });
    expect(noToken.statusCode).toBe(403);
    const noCookie = await postForm(t.app, {
      url: `/feedback/${key}`,
      fields: { ...GOOD, _csrf: form.csrf, submissionToken: form.submissionToken },
    });
    expect(noCookie.statusCode).toBe(403);
    expect(await stored()).toBe(before);
  });
});

describe('the rate limit on the public form', () => {
  it('answers 429 with a page saying what happened and when to try again', async () => {
    const limited = await createTestApp({
      demoPeople: 2,
      rateLimits: { feedback: { max: 2, windowMs: 60_000 } },
    });
    try {
      const cookie = await signIn(limited.app, 'practitioner@demo');
      const index = await limited.app.inject({ url: '/service-feedback', headers: { cookie } });
      const serviceKey = /href="\/service-feedback\/([A-Za-z0-9_-]{16})"/.exec(index.body)?.[1] ?? '';
      const onlineStories = async () =>
        (
          await limited.database.db
            .selectFrom('feedback')
            .select('feedback_id')
            .where('service_key', '=', serviceKey)
            .where('channel', '=', 'online')
            .execute()
        ).length;
      const before = await onlineStories();
      const statuses: number[] = [];
      let last = '';
      let retryAfter: unknown;
      for (let i = 0; i < 3; i++) {
        const form = await openForm(limited.app, serviceKey);
        const response = await postForm(limited.app, {
          url: `/feedback/${serviceKey}`,
          cookie: form.cookie,
          fields: { ...GOOD, _csrf: form.csrf, submissionToken: form.submissionToken },
        });
        statuses.push(response.statusCode);
        last = response.body;
        retryAfter = response.headers['retry-after'];
      }
      expect(statuses).toEqual([303, 303, 429]);
      expect(last).toContain('Too much feedback sent from here');
      expect(last).toMatch(/Wait \d+ seconds?/);
      expect(retryAfter).toBeDefined();
      // The demo holds stories of its own: only the two accepted here are new.
      expect(await onlineStories()).toBe(before + 2);
    } finally {
      await limited.close();
    }
  });
});

describe('staff and a service’s feedback', () => {
  it('a practitioner enters feedback received on paper, and sees it first in the list', async () => {
    const response = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: `/service-feedback/${key}/new`,
      action: `/service-feedback/${key}/new`,
      fields: {
        ...GOOD,
        fft: 'poor',
        whatWasGood: '',
        whatCouldBeBetter: 'Nobody called me back about my appointment.',
        channel: 'paper',
        'receivedOn[day]': '3',
        'receivedOn[month]': '11',
        'receivedOn[year]': '2026',
        consentToPublish: 'no',
      },
    });
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers.location).toBe(`/service-feedback/${key}?entered=yes`);
    const list = await t.app.inject({
      url: response.headers.location as string,
      headers: { cookie: session.manager },
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('The feedback was saved.');
    const first = list.body.indexOf('Nobody called me back');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(list.body.indexOf(GOOD.whatWasGood));
    expect(list.body).toContain('Paper form');
    expect(duplicateIds(list.body)).toEqual([]);
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('action', 'in', ['feedback.enter', 'feedback.list'])
      .where('outcome', '=', 'success')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['feedback.enter', 'feedback.list']));
  });

  it('refuses a staff entry with errors naming the fields', async () => {
    const response = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: `/service-feedback/${key}/new`,
      action: `/service-feedback/${key}/new`,
      fields: {
        fft: 'good',
        consentToPublish: 'no',
        'receivedOn[day]': '31',
        'receivedOn[month]': '2',
        'receivedOn[year]': '2026',
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#channel"');
    expect(response.body).toContain('href="#receivedOn-day"');
  });

  it('lists newest first a page at a time through the API, and takes entries', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/services/${key}/feedback`,
      headers: { cookie: session.practitioner },
      payload: {
        fft: 'good',
        whatWasGood: 'Phoned in',
        whatCouldBeBetter: '',
        writer: 'carer',
        ageBand: null,
        consentToPublish: true,
        channel: 'phone',
        receivedOn: '2026-11-20',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const page = await t.app.inject({
      url: `/api/services/${key}/feedback`,
      headers: { cookie: session.practitioner },
    });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.page).toBe(1);
    expect(body.items[0]).toMatchObject({ whatWasGood: 'Phoned in', channel: 'phone', writer: 'carer' });
    expect(body.total).toBe(body.items.length);
  });

  it('prints a poster with the form’s link and a QR code made on the server', async () => {
    const poster = await t.app.inject({
      url: `/service-feedback/${key}/poster`,
      headers: { cookie: session.practitioner },
    });
    expect(poster.statusCode).toBe(200);
    expect(poster.body).toContain(`/feedback/${key}`);
    const src = /<img src="data:image\/svg\+xml;base64,([^"]+)"/.exec(poster.body)?.[1] ?? '';
    expect(Buffer.from(src, 'base64').toString()).toMatch(/^<svg[^>]*viewBox/);
  });

  it('refuses other roles, and staff of other services, and audits each refusal', async () => {
    for (const who of ['commissioner', 'admin']) {
      const response = await t.app.inject({
        url: `/service-feedback/${key}`,
        headers: { cookie: session[who] },
      });
      expect(response.statusCode, who).toBe(403);
    }
    const refusedRoute = await t.database.db
      .selectFrom('audit_event')
      .select(['actor_role', 'resource_id'])
      .where('action', '=', 'open-feedback-page')
      .where('outcome', '=', 'denied')
      .execute();
    expect(refusedRoute.length).toBeGreaterThanOrEqual(2);
    // A practitioner of another organisation's team.
    const other: Actor = {
      userId: crypto.randomUUID(),
      username: 'elsewhere',
      displayName: 'Elsewhere',
      jobTitle: null,
      personId: null,
      ip: null,
      roles: [
        {
          role: 'practitioner',
          organisationId: crypto.randomUUID(),
          organisationName: 'Elsewhere',
          teamId: crypto.randomUUID(),
          teamName: 'Other team',
        },
      ],
    };
    await expect(t.services.feedback.list(other, key)).rejects.toMatchObject({ status: 403 });
    await expect(t.services.feedback.enter(other, key, {})).rejects.toMatchObject({ status: 403 });
    const refused = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('resource_id', '=', key)
      .where('outcome', '=', 'denied')
      .execute();
    expect(refused.map((r) => r.action)).toEqual(expect.arrayContaining(['feedback.list', 'feedback.enter']));
  });
});
