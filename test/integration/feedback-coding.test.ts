import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { RETRAIN_POLICY } from '../../src/domain/feedback/coding-policy.js';
import { runCli } from '../support/cli.js';
import { createCliDatabase } from '../support/cli-database.js';
import { auditsOf, firstFeedbackServiceKey } from '../support/feedback.js';
import { submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Automatic coding in use (issue 12, item 3) through HTTP: every story is coded by its
 * organisation's model when it is stored (masked text, codes with confidence and words, sentiment);
 * the service's staff confirm and correct the codes on the story page; a team manager retrains the
 * model, a new version with its evaluation recodes the unreviewed stories; enough new reviews retrain
 * it on their own. Refusals are audited.
 */

let t: TestApp;
let key = '';
let organisationId = '';
const session: Record<string, string> = {};

async function enter(fields: { whatWasGood: string; whatCouldBeBetter: string; fft?: string }) {
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/services/${key}/feedback`,
    headers: { cookie: session.practitioner },
    payload: {
      fft: fields.fft ?? 'good',
      whatWasGood: fields.whatWasGood,
      whatCouldBeBetter: fields.whatCouldBeBetter,
      writer: 'patient',
      ageBand: null,
      consentToPublish: false,
      channel: 'paper',
      receivedOn: '2026-11-20',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const row = await t.database.db
    .selectFrom('feedback')
    .selectAll()
    .where('service_key', '=', key)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return row;
}

const codesOf = (feedbackId: string) =>
  t.database.db
    .selectFrom('feedback_code')
    .selectAll()
    .where('feedback_id', '=', feedbackId)
    .orderBy('code')
    .execute();

const audits = (action: string, outcome: string) => auditsOf(t, action, outcome);

const versions = () =>
  t.database.db
    .selectFrom('coding_model')
    .select(['version', 'reason', 'examples', 'evaluation', 'trained_by_user_id'])
    .where('organisation_id', '=', organisationId)
    .orderBy('version')
    .execute();

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  for (const who of ['practitioner', 'manager', 'commissioner'])
    session[who] = await signIn(t.app, `${who}@demo`);
  key = await firstFeedbackServiceKey(t, session.practitioner);
  const service = await t.database.db
    .selectFrom('feedback_service')
    .select('organisation_id')
    .where('service_key', '=', key)
    .executeTakeFirstOrThrow();
  organisationId = service.organisation_id;
});
afterAll(() => t?.close());

describe('a story as it is stored', () => {
  it('is coded by the organisation’s starting model, on the masked text, in the same write', async () => {
    const row = await enter({
      whatWasGood: 'Nurse Sarah Jones was so kind and caring.',
      whatCouldBeBetter: 'I pressed the call bell and nobody came. Parking was impossible.',
      fft: 'poor',
    });
    expect(row.coded_model_version).toBe(1);
    expect(row.sentiment).toBeGreaterThanOrEqual(1);
    expect(row.sentiment_confirmed).toBe(false);
    const codes = await codesOf(row.feedback_id);
    const names = codes.map((c) => c.code);
    expect(names).toContain('staff-manner');
    expect(names).toContain('responsiveness/call-bells');
    expect(names).toContain('travel-transport-parking');
    for (const c of codes) {
      expect(c.status).toBe('suggested');
      expect(c.model_version).toBe(1);
      expect(c.confidence).toBeGreaterThan(0);
      expect(c.confidence).toBeLessThanOrEqual(1);
      // The words that drove a code come from the masked text: never the name.
      expect(c.words.join(' ')).not.toMatch(/Sarah|Jones/);
    }
    expect(codes.find((c) => c.code === 'responsiveness/call-bells')?.words.length).toBeGreaterThan(0);
    const [starting] = await versions();
    expect(starting).toMatchObject({ version: 1, reason: 'starting', examples: 0, evaluation: null });
  });
});

describe('confirming and correcting codes on the story page', () => {
  let feedbackId = '';
  let base = '';

  beforeAll(async () => {
    const row = await enter({
      whatWasGood: 'The food was lovely and hot.',
      whatCouldBeBetter: 'The car park was full and I waited an hour.',
    });
    feedbackId = row.feedback_id;
    base = `/service-feedback/${key}/stories/${feedbackId}`;
  });

  it('shows staff each code with its confidence, words and status, and the form', async () => {
    const page = await t.app.inject({ url: base, headers: { cookie: session.practitioner } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Themes and sentiment');
    expect(page.body).toContain('Food');
    expect(page.body).toMatch(/\d+%/);
    expect(page.body).toContain('Suggested');
    expect(page.body).toContain('Save codes');
    expect(page.body).toContain('Staff manner — Kindness and compassion');
    expect(page.body).toContain('name="sentiment"');
  });

  it('names the field at fault: an unknown code, a bad sentiment', async () => {
    const unknown = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/codes`,
      fields: { add: 'made-up-theme', sentiment: '4' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('href="#add"');
    expect(unknown.body).toContain('Choose a theme or sub-theme from the list');
    const notOnStory = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/codes`,
      fields: { codes: 'pain', sentiment: '4' },
    });
    expect(notOnStory.statusCode).toBe(400);
    expect(notOnStory.body).toContain('href="#codes"');
    const badSentiment = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/codes`,
      fields: { sentiment: '9' },
    });
    expect(badSentiment.statusCode).toBe(400);
    expect(badSentiment.body).toContain('href="#sentiment"');
    const noSentiment = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/codes`,
      fields: {},
    });
    expect(noSentiment.statusCode).toBe(400);
    expect(noSentiment.body).toContain('Choose the story’s sentiment');
    const row = await t.database.db
      .selectFrom('feedback')
      .select('codes_reviewed_at')
      .where('feedback_id', '=', feedbackId)
      .executeTakeFirstOrThrow();
    expect(row.codes_reviewed_at).toBeNull();
  });

  it('confirms ticked codes, rejects the others, adds a sub-theme and confirms the sentiment; audited', async () => {
    const before = await codesOf(feedbackId);
    const kept = before.find((c) => c.code === 'food');
    expect(kept, 'the coder suggested food').toBeTruthy();
    expect(before.map((c) => c.code)).not.toContain('food/drinks');
    const saved = await submitForm(t.app, {
      session: session.practitioner,
      pageUrl: base,
      action: `${base}/codes`,
      fields: { codes: ['food'], add: 'food/drinks', sentiment: '3' },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`${base}?saved=codes#story-codes`);
    const after = await codesOf(feedbackId);
    const status = Object.fromEntries(after.map((c) => [c.code, c.status]));
    expect(status.food).toBe('confirmed');
    expect(status['food/drinks']).toBe('confirmed');
    for (const c of before.filter((b) => b.code !== 'food')) expect(status[c.code], c.code).toBe('rejected');
    const added = after.find((c) => c.code === 'food/drinks');
    expect(added?.confidence).toBeNull();
    const row = await t.database.db
      .selectFrom('feedback')
      .selectAll()
      .where('feedback_id', '=', feedbackId)
      .executeTakeFirstOrThrow();
    expect(row.sentiment).toBe(3);
    expect(row.sentiment_confirmed).toBe(true);
    expect(row.codes_reviewed_at).not.toBeNull();
    expect(row.codes_reviewed_by_user_id).not.toBeNull();
    expect((await audits('feedback.codes', 'success')).map((a) => a.resource_id)).toContain(feedbackId);
    const page = await t.app.inject({
      url: `${base}?saved=codes`,
      headers: { cookie: session.practitioner },
    });
    expect(page.body).toContain('The codes were saved.');
    expect(page.body).toContain('Food — Drinks');
    expect(page.body).toContain('Added by staff');
    expect(page.body).toContain('Confirmed');
    expect(page.body).toContain('Rejected');
  });

  it('is refused to anyone who is not the service’s staff, and audited', async () => {
    const denied = await t.app.inject({
      method: 'POST',
      url: `${base}/codes`,
      headers: { cookie: session.commissioner },
    });
    expect([403, 400]).toContain(denied.statusCode);
    const page = await t.app.inject({ url: base, headers: { cookie: session.commissioner } });
    expect(page.body).not.toContain('Save codes');
    const commissioner = await t.database.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', 'commissioner@demo')
      .executeTakeFirstOrThrow();
    const asCommissioner: Actor = {
      userId: commissioner.user_id,
      username: 'commissioner@demo',
      displayName: 'Commissioner',
      jobTitle: null,
      personId: null,
      ip: null,
      roles: [{ role: 'commissioner', organisationId, organisationName: null, teamId: null, teamName: null }],
    };
    await expect(
      t.services.feedbackCoding.review(asCommissioner, key, feedbackId, { keep: [], add: [], sentiment: 3 }),
    ).rejects.toMatchObject({ status: 403 });
    expect((await audits('feedback.codes', 'denied')).map((a) => a.resource_id)).toContain(feedbackId);
  });
});

describe('learning from confirmed codes', () => {
  it('shows the models page to staff, with the starting version and how far the next retrain is', async () => {
    const page = await t.app.inject({
      url: '/service-feedback/coding',
      headers: { cookie: session.practitioner },
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('How stories are coded');
    expect(page.body).toContain('Starting model');
    expect(page.body).not.toContain('Retrain now');
    expect(page.body).toMatch(/After \d+ more reviewed stories/);
    const list = await t.app.inject({
      url: `/service-feedback/${key}`,
      headers: { cookie: session.practitioner },
    });
    expect(list.body).toContain('href="/service-feedback/coding"');
    const denied = await t.app.inject({
      url: '/service-feedback/coding',
      headers: { cookie: session.commissioner },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('a team manager retrains on demand: a new version with its evaluation recodes unreviewed stories', async () => {
    const unreviewed = await enter({ whatWasGood: 'Lovely food and tea.', whatCouldBeBetter: '' });
    const page = await t.app.inject({
      url: '/service-feedback/coding',
      headers: { cookie: session.manager },
    });
    expect(page.body).toContain('Retrain now');
    const action = `/service-feedback/coding/${organisationId}/retrain`;
    const done = await submitForm(t.app, {
      session: session.manager,
      pageUrl: '/service-feedback/coding',
      action,
      fields: {},
    });
    expect(done.statusCode, done.body).toBe(303);
    const all = await versions();
    const latest = all.at(-1);
    expect(latest).toMatchObject({ version: 2, reason: 'on-demand', examples: 1 });
    expect(latest?.trained_by_user_id).not.toBeNull();
    expect(done.headers.location).toBe('/service-feedback/coding?retrained=2');
    const row = await t.database.db
      .selectFrom('feedback')
      .select('coded_model_version')
      .where('feedback_id', '=', unreviewed.feedback_id)
      .executeTakeFirstOrThrow();
    expect(row.coded_model_version).toBe(2);
    for (const c of await codesOf(unreviewed.feedback_id)) expect(c.model_version).toBe(2);
    expect((await audits('feedback.coding-retrain', 'success')).length).toBe(1);
    const shown = await t.app.inject({
      url: done.headers.location as string,
      headers: { cookie: session.manager },
    });
    expect(shown.body).toContain('Version 2 was trained');
    expect(shown.body).toContain('Retrained on request');

    // A practitioner may not retrain; a manager of another organisation is refused and audited.
    const practitioner = await t.app.inject({
      method: 'POST',
      url: action,
      headers: { cookie: session.practitioner },
    });
    expect(practitioner.statusCode).toBe(403);
    const manager = await t.database.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', 'manager@demo')
      .executeTakeFirstOrThrow();
    const elsewhere: Actor = {
      userId: manager.user_id,
      username: 'manager@demo',
      displayName: 'Manager',
      jobTitle: null,
      personId: null,
      ip: null,
      roles: [
        {
          role: 'team-manager',
          organisationId: '00000000-0000-4000-8000-000000000001',
          organisationName: null,
          teamId: null,
          teamName: null,
        },
      ],
    };
    await expect(t.services.feedbackCoding.retrain(elsewhere, organisationId)).rejects.toMatchObject({
      status: 403,
    });
    expect((await audits('feedback.coding-retrain', 'denied')).length).toBeGreaterThan(0);
  });

  it('retrains on its own once enough stories are reviewed since the latest version', async () => {
    const practitioner = await t.database.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', 'practitioner@demo')
      .executeTakeFirstOrThrow();
    const staff: Actor = {
      userId: practitioner.user_id,
      username: 'practitioner@demo',
      displayName: 'Practitioner',
      jobTitle: null,
      personId: null,
      ip: null,
      roles: [{ role: 'practitioner', organisationId, organisationName: null, teamId: null, teamName: null }],
    };
    const stories = [
      [
        'The nurses were kind and gentle.',
        'Nobody answered the call bell.',
        ['staff-manner/kindness', 'responsiveness/call-bells'],
        3,
      ],
      [
        'Lovely hot meals.',
        'Parking costs too much.',
        ['food/quality', 'travel-transport-parking/parking'],
        4,
      ],
      [
        'Doctor explained everything clearly.',
        'The appointment was cancelled twice.',
        ['communication-information/explanations', 'appointments/cancellations'],
        3,
      ],
      [
        '',
        'Waited four hours in a dirty waiting room.',
        ['access-waiting/waiting-times', 'environment-facilities/cleanliness'],
        1,
      ],
    ] as const;
    const before = (await versions()).length;
    // Enough reviews for the policy: the last one crosses the threshold and retrains after it commits.
    const needed = Math.max(RETRAIN_POLICY.newlyReviewed, RETRAIN_POLICY.minimumExamples - 1);
    let last: { retraining: boolean };
    for (let i = 0; i < needed; i++) {
      const [good, better, codes, sentiment] = stories[i % stories.length] as (typeof stories)[number];
      const row = await enter({ whatWasGood: good, whatCouldBeBetter: better });
      const existing = (await codesOf(row.feedback_id)).map((c) => c.code);
      const review = {
        keep: existing.filter((c) => (codes as readonly string[]).includes(c)),
        add: codes.filter((c) => !existing.includes(c)),
        sentiment,
      };
      if (i < needed - 1) {
        last = await t.services.feedbackCoding.review(staff, key, row.feedback_id, review);
        expect(last.retraining, `review ${i + 1}`).toBe(false);
        continue;
      }
      // The review that crosses the threshold, on the story page: saved at once, the model learns after.
      const base = `/service-feedback/${key}/stories/${row.feedback_id}`;
      const saved = await submitForm(t.app, {
        session: session.practitioner,
        pageUrl: base,
        action: `${base}/codes`,
        fields: { codes: review.keep, add: review.add, sentiment: String(sentiment) },
      });
      expect(saved.statusCode, saved.body).toBe(303);
      expect(saved.headers.location).toBe(`${base}?saved=retraining#story-codes`);
    }
    await t.services.feedbackCoding.settled();
    expect(await versions()).toHaveLength(before + 1);
    const latest = (await versions()).at(-1);
    expect(latest?.reason).toBe('new-codes');
    expect(latest?.examples).toBe(needed + 1);
    expect(latest?.evaluation?.labels['responsiveness/call-bells']?.support).toBeGreaterThan(0);
    // The new version codes the next story from what staff taught it.
    const next = await enter({
      whatWasGood: '',
      whatCouldBeBetter: 'Nobody answered the call bell for ages.',
    });
    expect(next.coded_model_version).toBe(before + 1);
    expect((await codesOf(next.feedback_id)).map((c) => c.code)).toContain('responsiveness/call-bells');
    const page = await t.app.inject({
      url: '/service-feedback/coding',
      headers: { cookie: session.manager },
    });
    expect(page.body).toContain('Retrained on its own after new reviews');
    expect(page.body).toContain('Responsiveness — Call bells and getting help');
    expect(page.body).toMatch(/Micro F1/);
  });
});

describe('whatmatters coding retrain', () => {
  it('retrains an organisation’s model (JSON on stdout), and exits 2 with one line on bad input', async () => {
    const cli = await createCliDatabase('feedback-coding');
    try {
      const migrated = await runCli(['migrate'], { env: cli.env });
      expect(migrated.code, migrated.stderr).toBe(0);
      const organisation = crypto.randomUUID();
      const database = await cli.open();
      try {
        await database.db
          .insertInto('organisation')
          .values({ organisation_id: organisation, kind: 'nhs-trust', name: 'Riverside NHS Trust' })
          .execute();
      } finally {
        await database.close();
      }
      const done = await runCli(['coding', 'retrain', '--organisation', organisation], { env: cli.env });
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ version: 2, examples: 0, recoded: 0 });
      const cases: [string[], RegExp][] = [
        [['coding', 'retrain', '--organisation', crypto.randomUUID()], /is not an organisation's id/],
        [['coding', 'retrain', '--organisation', 'nope'], /is not an organisation's id/],
        [['coding', 'retrain'], /--organisation is required/],
      ];
      for (const [args, message] of cases) {
        const result = await runCli(args, { env: cli.env });
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(message);
      }
    } finally {
      await cli.cleanup();
    }
  }, 180_000);
});
