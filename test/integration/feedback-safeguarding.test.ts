import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditsOf, firstFeedbackServiceKey, submitPublicFeedback } from '../support/feedback.js';
import { submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Personal information out, harm flagged (issue 12, item 2) through HTTP: every story is masked
 * once when stored; a story describing harm reaches the service's named safeguarding contact at
 * once, whose first action stops the clock; a moderator sees the original beside the masked text,
 * corrects it and sets the criticality; refusals are audited.
 */

let t: TestApp;
let key = '';
let practitionerId = '';
const session: Record<string, string> = {};

const HARM = {
  fft: 'very-poor',
  whatWasGood: 'Nurse Sarah Jones was kind.',
  whatCouldBeBetter: 'He hit me and nobody listened. Call my son on 07700 900123.',
  writer: 'patient',
  consentToPublish: 'yes',
};

const submitPublic = (fields: Record<string, string>) => submitPublicFeedback(t, key, fields);

const audits = (action: string, outcome: string) => auditsOf(t, action, outcome);

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  for (const who of ['practitioner', 'manager', 'commissioner'])
    session[who] = await signIn(t.app, `${who}@demo`);
  key = await firstFeedbackServiceKey(t, session.manager);
  const user = await t.database.db
    .selectFrom('user_account')
    .select('user_id')
    .where('username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  practitionerId = user.user_id;
});
afterAll(() => t?.close());

describe('the safeguarding contact', () => {
  it('is named by a team manager of the service; others are refused and audited', async () => {
    const contactPage = `/service-feedback/${key}/safeguarding-contact`;
    const page = await t.app.inject({ url: contactPage, headers: { cookie: session.manager } });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain(practitionerId);
    const denied = await t.app.inject({ url: contactPage, headers: { cookie: session.practitioner } });
    expect(denied.statusCode).toBe(403);
    expect(await audits('feedback.safeguarding-contact', 'denied')).not.toHaveLength(0);
    const bad = await submitForm(t.app, {
      session: session.manager,
      pageUrl: contactPage,
      action: contactPage,
      fields: { userId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose someone who works for this organisation.');
    const saved = await submitForm(t.app, {
      session: session.manager,
      pageUrl: contactPage,
      action: contactPage,
      fields: { userId: practitionerId },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(await audits('feedback.safeguarding-contact', 'success')).toHaveLength(1);
  });
});

describe('a story that describes harm', () => {
  let feedbackId = '';
  let base = '';

  it('is masked and flagged once, when it is stored', async () => {
    const row = await submitPublic(HARM);
    feedbackId = row.feedback_id;
    base = `/service-feedback/${key}/stories/${feedbackId}`;
    expect(row.what_could_be_better).toBe(HARM.whatCouldBeBetter);
    expect(row.masked_what_could_be_better).toContain('[phone]');
    expect(row.masked_what_could_be_better).not.toContain('07700');
    expect(row.masked_what_was_good).not.toContain('Sarah');
    expect(row.flagged_at).not.toBeNull();
    expect(row.harm.map((h) => h.kind)).toContain('abuse');
    expect(row.first_action).toBeNull();
    expect((await audits('feedback.flag', 'success')).map((a) => a.resource_id)).toContain(feedbackId);
  });

  it('reaches the named contact’s safeguarding page, masked, with the time it has waited', async () => {
    const inbox = await t.app.inject({ url: '/safeguarding', headers: { cookie: session.practitioner } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(`href="${base}"`);
    expect(inbox.body).toContain('[phone]');
    expect(inbox.body).not.toContain('07700');
    expect(inbox.body).toMatch(/Waiting less than a minute/);
    const home = await t.app.inject({ url: '/', headers: { cookie: session.practitioner } });
    expect(home.body).toContain('href="/safeguarding"');
    // Someone else's safeguarding page does not list it.
    const other = await t.app.inject({ url: '/safeguarding', headers: { cookie: session.manager } });
    expect(other.body).not.toContain(base);
  });

  it('the contact records the first action with a note, which stops the clock once', async () => {
    const page = await t.app.inject({ url: base, headers: { cookie: session.practitioner } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Safeguarding flag');
    // The callout's body names what the story may describe and who it went to, not only its heading.
    expect(page.body).toContain('It was flagged to the service’s safeguarding contact');
    expect(page.body).toContain('Waiting for a first action for');
    expect(page.body).toContain('Record first action');
    expect(page.body).not.toContain('Mask these words');
    const missing = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/first-action`,
      fields: { action: 'acknowledged', note: '' },
    });
    expect(missing.statusCode).toBe(400);
    const done = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/first-action`,
      fields: { action: 'action-taken', note: 'Raised a safeguarding concern with the local authority.' },
    });
    expect(done.statusCode, done.body).toBe(303);
    const row = await t.database.db
      .selectFrom('feedback')
      .selectAll()
      .where('feedback_id', '=', feedbackId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ first_action: 'action-taken', first_action_by_user_id: practitionerId });
    expect(row.seconds_to_first_action).toBeGreaterThanOrEqual(0);
    expect(await audits('feedback.first-action', 'success')).toHaveLength(1);
    const inbox = await t.app.inject({ url: '/safeguarding', headers: { cookie: session.practitioner } });
    expect(inbox.body).toContain('Action taken after');
    // The form is gone, and a second action sent anyway is refused.
    const again = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/first-action`,
      fields: { action: 'acknowledged', note: 'again' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('The first action on this flag was recorded already.');
    expect(await audits('feedback.first-action', 'success')).toHaveLength(1);
    expect(await audits('feedback.first-action', 'denied')).toHaveLength(1);
  });

  it('a moderator sees the original beside the masked text, corrects it, and sets its criticality', async () => {
    const page = await t.app.inject({ url: base, headers: { cookie: session.manager } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      /<mark class="wm-masked"><span class="nhsuk-u-visually-hidden">\[masked telephone number: <\/span>07700 900123/,
    );
    expect(page.body).toContain('Mask these words');
    expect(page.body).toContain('1 – Minor: learning only');
    const row = () =>
      t.database.db
        .selectFrom('feedback')
        .selectAll()
        .where('feedback_id', '=', feedbackId)
        .executeTakeFirstOrThrow();
    const before = await row();
    const nameIndex = before.masks.whatWasGood.findIndex((m) => m.kind === 'name');
    expect(nameIndex).toBeGreaterThanOrEqual(0);
    const unmasked = await submitForm(t.app, {
      session: session.manager,
      pageUrl: base,
      action: `${base}/masks`,
      fields: { field: 'whatWasGood', change: 'unmask', index: String(nameIndex) },
    });
    expect(unmasked.statusCode, unmasked.body).toBe(303);
    expect((await row()).masked_what_was_good).toBe(HARM.whatWasGood);
    const masked = await submitForm(t.app, {
      session: session.manager,
      pageUrl: base,
      action: `${base}/masks`,
      fields: { field: 'whatWasGood', change: 'mask', words: 'Sarah Jones', kind: 'name' },
    });
    expect(masked.statusCode, masked.body).toBe(303);
    expect((await row()).masked_what_was_good).toBe('Nurse [name] was kind.');
    const notThere = await submitForm(t.app, {
      session: session.manager,
      pageUrl: base,
      action: `${base}/masks`,
      fields: { field: 'whatWasGood', change: 'mask', words: 'Bernadette', kind: 'name' },
    });
    expect(notThere.statusCode).toBe(400);
    expect(notThere.body).toContain('Those words are not in this answer');
    expect(await audits('feedback.mask', 'success')).toHaveLength(2);

    const level = await submitForm(t.app, {
      session: session.manager,
      pageUrl: base,
      action: `${base}/criticality`,
      fields: { level: '4' },
    });
    expect(level.statusCode).toBe(303);
    expect((await row()).criticality).toBe(4);
    const badLevel = await submitForm(t.app, {
      session: session.manager,
      pageUrl: base,
      action: `${base}/criticality`,
      fields: { level: '9' },
    });
    expect(badLevel.statusCode).toBe(400);
    expect((await row()).criticality).toBe(4);
  });

  it('refuses moderation to practitioners and reading to other roles, and audits each refusal', async () => {
    const criticality = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/criticality`,
      fields: { level: '1' },
    });
    expect(criticality.statusCode).toBe(403);
    expect(await audits('feedback.criticality', 'denied')).toHaveLength(1);
    const read = await t.app.inject({ url: base, headers: { cookie: session.commissioner } });
    expect(read.statusCode).toBe(403);
    expect(await audits('feedback.read', 'denied')).toHaveLength(1);
    const unknown = await t.app.inject({
      url: `/service-feedback/${key}/stories/00000000-0000-4000-8000-000000000000`,
      headers: { cookie: session.manager },
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('ordinary stories', () => {
  it('are masked but not flagged, on the public form and on staff entry alike', async () => {
    const row = await submitPublic({
      fft: 'poor',
      whatCouldBeBetter: 'The wait was long and the food was cold.',
      consentToPublish: 'no',
    });
    expect(row.flagged_at).toBeNull();
    expect(row.masked_what_could_be_better).toBe('The wait was long and the food was cold.');
    const entered = await t.app.inject({
      method: 'POST',
      url: `/api/services/${key}/feedback`,
      headers: { cookie: session.manager },
      payload: {
        fft: 'good',
        whatWasGood: 'Email me at jo@example.com',
        whatCouldBeBetter: '',
        writer: null,
        ageBand: null,
        consentToPublish: true,
        channel: 'paper',
        receivedOn: '2026-11-01',
      },
    });
    expect(entered.statusCode, entered.body).toBe(201);
    const stored = await t.database.db
      .selectFrom('feedback')
      .selectAll()
      .where('feedback_id', '=', entered.json().feedbackId)
      .executeTakeFirstOrThrow();
    expect(stored.masked_what_was_good).toBe('Email me at [email]');
    expect(stored.flagged_at).toBeNull();
  });
});
