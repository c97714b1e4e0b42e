import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { auditsOf } from '../support/feedback.js';
import { duplicateIds } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The service feedback dashboard through HTTP: its figures from stories stored through the
 * feedback service (so masked), with codes, sentiment and a change made written directly in SQL
 * (coding and responding are other features); the period chosen and refused; the charts' CSV; and
 * who may open it, refusals audited.
 */

let t: TestApp;
let key = '';
let base = '';
const session: Record<string, string> = {};

const thisMonth = todayIso().slice(0, 7);
const lastMonth = (() => {
  const [y, m] = thisMonth.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
})();
const MONTH_NAMES = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthName = (month: string) => MONTH_NAMES.format(new Date(`${month}-01T00:00:00Z`));

const STORIES = [
  {
    sourceId: 'a',
    fft: 'very-good',
    whatWasGood: 'The nurse was kind and patient, and took the time to explain my dressings properly.',
    sentiment: 5,
    codes: [
      ['staff-manner/kindness', 'suggested', 0.9],
      ['overall-positive', 'suggested', 0.8],
    ],
  },
  {
    sourceId: 'b',
    fft: 'very-good',
    whatWasGood: 'Everyone was friendly and polite from the first phone call to the last visit.',
    sentiment: 4,
    codes: [
      ['staff-manner', 'confirmed', null],
      ['food', 'rejected', 0.4],
    ],
  },
  {
    sourceId: 'c',
    fft: 'good',
    whatWasGood: 'Good.',
    sentiment: 4,
    codes: [['staff-manner', 'suggested', 0.5]],
  },
  { sourceId: 'd', fft: 'good', whatWasGood: 'Helpful team.', sentiment: null, codes: [] },
  {
    sourceId: 'e',
    fft: 'poor',
    whatCouldBeBetter:
      'I waited nine weeks for the first visit. Please ring Jane Smith on 07700 900123 to explain why.',
    sentiment: 2,
    codes: [['access-waiting/waiting-times', 'suggested', 0.85]],
  },
  { sourceId: 'f', fft: 'dont-know', whatWasGood: '', sentiment: 3, codes: [] },
  { sourceId: 'g', fft: 'very-poor', whatCouldBeBetter: 'Nobody called back.', month: lastMonth, codes: [] },
  { sourceId: 'h', fft: 'very-good', whatWasGood: 'Brilliant.', month: lastMonth, codes: [] },
] as const;

const audits = (action: string, outcome: string) => auditsOf(t, action, outcome);

const get = (url: string, who = 'practitioner') =>
  t.app.inject({ url, headers: { cookie: session[who] ?? '' } });

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  for (const who of ['practitioner', 'commissioner']) session[who] = await signIn(t.app, `${who}@demo`);
  const index = await get('/service-feedback');
  expect(index.statusCode, index.body).toBe(200);
  key = /href="\/service-feedback\/([A-Za-z0-9_-]{16})"/.exec(index.body)?.[1] ?? '';
  expect(key).toMatch(/^[A-Za-z0-9_-]{16}$/);
  base = `/service-feedback/${key}/dashboard`;
  // Stored the way every story is (masking included), dated in this month and the last.
  const report = await t.services.feedback.importRows(
    key,
    STORIES.map((s, i) => ({
      row: i + 2,
      input: {
        sourceId: `dashboard-${s.sourceId}`,
        receivedOn: `${'month' in s ? s.month : thisMonth}-01`,
        fft: s.fft,
        whatWasGood: 'whatWasGood' in s ? s.whatWasGood : '',
        whatCouldBeBetter: 'whatCouldBeBetter' in s ? s.whatCouldBeBetter : '',
        writer: 'patient',
        ageBand: null,
        consentToPublish: true,
      },
    })),
    (field) => field,
  );
  expect(report.rejected).toEqual([]);
  const db = t.database.db;
  const ids = new Map(
    (
      await db
        .selectFrom('feedback')
        .select(['feedback_id', 'source_id'])
        .where('service_key', '=', key)
        .execute()
    ).map((r) => [r.source_id, r.feedback_id]),
  );
  const idOf = (sourceId: string) => ids.get(`dashboard-${sourceId}`) as string;
  // The coder may have coded them on arrival: these tests set the codes and sentiment they mean.
  await db
    .deleteFrom('feedback_code')
    .where('feedback_id', 'in', [...ids.values()])
    .execute();
  await db.updateTable('feedback').set({ sentiment: null }).where('service_key', '=', key).execute();
  for (const s of STORIES) {
    if ('sentiment' in s && s.sentiment !== null) {
      await db
        .updateTable('feedback')
        .set({ sentiment: s.sentiment })
        .where('feedback_id', '=', idOf(s.sourceId))
        .execute();
    }
    for (const [code, status, confidence] of s.codes) {
      await db
        .insertInto('feedback_code')
        .values({ feedback_id: idOf(s.sourceId), code, status, confidence })
        .execute();
    }
  }
  const practitioner = await db
    .selectFrom('user_account')
    .select('user_id')
    .where('username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  const changeId = '6b0c9a52-0000-4000-8000-000000000001';
  await db
    .insertInto('feedback_change')
    .values({
      change_id: changeId,
      service_key: key,
      status: 'made',
      description: 'First visits are now booked within two weeks of referral.',
      made_on: todayIso(),
      recorded_by_user_id: practitioner.user_id,
    })
    .execute();
  await db
    .insertInto('feedback_change_story')
    .values({ change_id: changeId, feedback_id: idOf('e') })
    .execute();
  await db
    .insertInto('feedback_change')
    .values({
      change_id: '6b0c9a52-0000-4000-8000-000000000002',
      service_key: key,
      status: 'planned',
      description: 'A planned change is not a change made.',
      planned_on: todayIso(),
      recorded_by_user_id: practitioner.user_id,
    })
    .execute();
});
afterAll(() => t?.close());

describe('the service feedback dashboard', () => {
  it('is linked from the services page and the feedback list', async () => {
    expect((await get('/service-feedback')).body).toContain(`href="${base}"`);
    expect((await get(`/service-feedback/${key}`)).body).toContain(`href="${base}"`);
  });

  it('shows volume, FFT % positive over every answer, and the small-number rule', async () => {
    const page = await get(base);
    expect(page.statusCode, page.body).toBe(200);
    expect(duplicateIds(page.body)).toEqual([]);
    expect(page.body).toContain('<h1>Feedback dashboard</h1>');
    // Twelve months by default, ending with this one.
    expect(page.body).toContain(`to ${monthName(thisMonth)}: 8 stories`);
    // This month: 4 of 6 answers positive, Don't know included in the count (67%).
    const fftRow = new RegExp(`${monthName(thisMonth)}[\\s\\S]*?67%`);
    expect(page.body).toMatch(fftRow);
    // Last month had two stories: the count, no percentage.
    expect(page.body).toContain('Fewer than 5 stories');
    expect(page.body).toContain('Stories received each month');
    expect(page.body).toContain('Sentiment of stories each month');
    // Every chart has its table and its CSV link.
    expect(page.body.match(/<figure class="wm-chart"/g)).toHaveLength(3);
    expect(page.body).toContain(`${base}/fft.csv?from=`);
  });

  it('ranks themes of praise and concern, quoting masked text only, leaving rejected codes out', async () => {
    const body = (await get(base)).body;
    expect(body).toMatch(/Top themes of praise[\s\S]*Staff manner<\/strong>: 3 stories/);
    expect(body).toContain(
      'The nurse was kind and patient, and took the time to explain my dressings properly.',
    );
    expect(body).toMatch(/Top themes of concern[\s\S]*Access and waiting<\/strong>: 1 story/);
    expect(body).toContain('[phone]');
    expect(body).not.toContain('07700');
    expect(body).not.toContain('Jane Smith');
    // Too short to stand as a quote.
    expect(body).not.toContain('“Good.”');
    // The rejected food code does not count, and general themes are not praise.
    const praise = body.slice(body.indexOf('Top themes of praise'), body.indexOf('Top themes of concern'));
    expect(praise).not.toContain('Food');
    expect(praise).not.toContain('Overall positive experience');
  });

  it('shows the concerns that led to a change made, and lists the change', async () => {
    const body = (await get(base)).body;
    // Two concerns in the period (Poor this month, Very poor last month); one led to a change made.
    expect(body).toContain('1 of the period’s 2 concerns led to a change made.');
    expect(body).toContain('With fewer than 5 concerns, no percentage is shown.');
    expect(body).toContain('First visits are now booked within two weeks of referral.');
    expect(body).not.toContain('A planned change is not a change made.');
    expect((await audits('feedback.dashboard', 'success')).map((a) => a.resource_id)).toContain(key);
  });

  it('shows a chosen period', async () => {
    const page = await get(`${base}?from=${thisMonth}&to=${thisMonth}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain(`${monthName(thisMonth)} to ${monthName(thisMonth)}: 6 stories`);
    expect(page.body).toContain('1 of the period’s 1 concern led to a change made.');
  });

  it('refuses a period it cannot show, naming the field', async () => {
    const bad = await get(`${base}?from=2026-13&to=${thisMonth}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('href="#from"');
    expect(bad.body).toContain('Enter a real start month, like 2025-04');
    const backwards = await get(`${base}?from=${thisMonth}&to=${lastMonth}`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The start month must be on or before the end month');
    const future = await get(`${base}?to=2999-01`);
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('href="#to"');
  });

  it('gives each chart’s data as CSV, and 404 for a chart it does not have', async () => {
    const csv = await get(`${base}/volume.csv?from=${lastMonth}&to=${thisMonth}`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain(monthName(lastMonth));
    expect(csv.body.trim().split('\r\n')).toHaveLength(3);
    const fft = await get(`${base}/fft.csv?from=${thisMonth}&to=${thisMonth}`);
    expect(fft.body).toContain('0.666');
    expect((await get(`${base}/spc.csv`)).statusCode).toBe(404);
  });

  it('is for the service’s own staff: others are refused and the refusal audited', async () => {
    const commissioner = await get(base, 'commissioner');
    expect(commissioner.statusCode).toBe(403);
    expect((await audits('open-feedback-dashboard', 'denied')).length).toBeGreaterThan(0);
    expect((await get('/service-feedback/AAAAAAAAAAAAAAAA/dashboard')).statusCode).toBe(404);
    // Another organisation's team: the practitioner does not handle its feedback.
    const other = await t.database.db
      .selectFrom('team')
      .innerJoin('organisation', 'organisation.organisation_id', 'team.organisation_id')
      .select(['team.team_id', 'team.organisation_id'])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('user_role as r')
              .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
              .select('r.user_id')
              .where('u.username', '=', 'practitioner@demo')
              .whereRef('r.organisation_id', '=', 'team.organisation_id'),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    await sql`insert into feedback_service (service_key, organisation_id, team_id)
      values ('OtherTeamKey_001', ${other.organisation_id}, ${other.team_id}) on conflict do nothing`.execute(
      t.database.db,
    );
    const otherKey = (
      await t.database.db
        .selectFrom('feedback_service')
        .select('service_key')
        .where('team_id', '=', other.team_id)
        .executeTakeFirstOrThrow()
    ).service_key;
    const refused = await get(`/service-feedback/${otherKey}/dashboard`);
    expect(refused.statusCode).toBe(403);
    expect((await audits('feedback.dashboard', 'denied')).map((a) => a.resource_id)).toContain(otherKey);
  });
});

describe('the demo’s feedback', () => {
  it('is stored as any story is, with replies, published stories and changes made on concerns', async () => {
    const db = t.database.db;
    const services = await db
      .selectFrom('feedback_service as s')
      .innerJoin('team', 'team.team_id', 's.team_id')
      .leftJoin('user_account as u', 'u.user_id', 's.safeguarding_user_id')
      .select(['s.service_key', 'team.name', 'u.username'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('feedback as f')
            .select('f.feedback_id')
            .whereRef('f.service_key', '=', 's.service_key'),
        ),
      )
      .execute();
    const social = services.find((s) => s.name === 'North Locality Social Work Team');
    expect(social?.username).toBe('manager@demo');
    expect(services.length).toBe(4);
    const stories = await db
      .selectFrom('feedback')
      .selectAll()
      .where(
        'service_key',
        'in',
        services.map((s) => s.service_key),
      )
      .execute();
    expect(new Set(stories.map((s) => s.received_on.slice(0, 7))).size).toBe(13);
    expect(new Set(stories.map((s) => s.channel))).toEqual(new Set(['online', 'paper', 'phone']));
    // Masked on the way in: the demo's names and fictional numbers never reach the masked text.
    const masked = stories.filter((s) =>
      /\[(name|phone)\]/.test(s.masked_what_was_good + s.masked_what_could_be_better),
    );
    expect(masked.length).toBeGreaterThan(0);
    expect(
      stories.some((s) => /07700 9|01632 9/.test(s.masked_what_was_good + s.masked_what_could_be_better)),
    ).toBe(false);
    // Two stories describe harm, flagged; one has had its first action.
    const flagged = stories.filter((s) => s.flagged_at);
    expect(flagged).toHaveLength(2);
    expect(flagged.filter((s) => s.first_action)).toHaveLength(1);
    // Coded as stored, published only with consent, replied to with the clock stopped.
    expect(stories.filter((s) => s.coded_model_version !== null)).toHaveLength(stories.length);
    const published = stories.filter((s) => s.published_at);
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((s) => s.consent_to_publish)).toBe(true);
    const replied = await db.selectFrom('feedback_reply').select('feedback_id').execute();
    expect(replied.length).toBeGreaterThan(0);
    expect(stories.filter((s) => s.first_response_at).length).toBe(
      new Set(replied.map((r) => r.feedback_id)).size,
    );
    const made = await db
      .selectFrom('feedback_change_story as cs')
      .innerJoin('feedback_change as c', 'c.change_id', 'cs.change_id')
      .innerJoin('feedback as f', 'f.feedback_id', 'cs.feedback_id')
      .select(['c.status', 'f.fft', 'f.what_could_be_better'])
      .where(
        'c.service_key',
        'in',
        services.map((s) => s.service_key),
      )
      .execute();
    expect(made.some((m) => m.status === 'made')).toBe(true);
    expect(made.every((m) => m.what_could_be_better !== '')).toBe(true);
  });
});
