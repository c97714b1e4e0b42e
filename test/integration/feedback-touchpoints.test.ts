import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUGGESTED_PATHWAY } from '../../src/domain/feedback/touchpoints.js';
import { auditsOf, firstFeedbackServiceKey } from '../support/feedback.js';
import { submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Experience-based co-design (issue 12, item 8) through HTTP: the service's staff set out the
 * touchpoints of its pathway (from the suggested one, then their own: add, change, move, retire);
 * stories are suggested touchpoints as they are stored and again when the pathway changes; staff
 * confirm a story's touchpoints on its page; the touchpoint pack (page and CSV) quotes masked text
 * of consenting stories only. Refusals are audited.
 */

let t: TestApp;
let key = '';
let base = '';
const session: Record<string, string> = {};
const today = new Date().toISOString().slice(0, 10);

const audits = (action: string, outcome: string) => auditsOf(t, action, outcome);

/** Enters a story as staff, through the API; its id. */
async function enter(story: {
  fft?: string;
  good?: string;
  better?: string;
  consent?: boolean;
  receivedOn?: string;
}): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/services/${key}/feedback`,
    headers: { cookie: session.practitioner },
    payload: {
      fft: story.fft ?? 'good',
      whatWasGood: story.good ?? '',
      whatCouldBeBetter: story.better ?? '',
      writer: 'patient',
      ageBand: null,
      consentToPublish: story.consent ?? true,
      channel: 'paper',
      receivedOn: story.receivedOn ?? today,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().feedbackId;
}

const touchpointsOf = (feedbackId: string) =>
  t.database.db
    .selectFrom('feedback_story_touchpoint as st')
    .innerJoin('feedback_touchpoint as t', 't.touchpoint_id', 'st.touchpoint_id')
    .select(['t.label', 'st.status', 'st.confidence', 'st.words', 'st.touchpoint_id'])
    .where('st.feedback_id', '=', feedbackId)
    .orderBy('t.label')
    .execute();

const pathway = () =>
  t.database.db
    .selectFrom('feedback_touchpoint')
    .selectAll()
    .where('service_key', '=', key)
    .where('retired_at', 'is', null)
    .orderBy('position')
    .execute();

const post = (
  action: string,
  fields: Record<string, string | string[]>,
  who = 'practitioner',
  pageUrl = base,
) => submitForm(t.app, { session: session[who], pageUrl, action, fields });

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  for (const who of ['practitioner', 'manager', 'commissioner'])
    session[who] = await signIn(t.app, `${who}@demo`);
  key = await firstFeedbackServiceKey(t, session.practitioner);
  base = `/service-feedback/${key}/touchpoints`;
});
afterAll(() => t?.close());

describe('the pathway', () => {
  let early = '';

  it('is for the service’s staff: others are refused and audited, a made-up service is 404', async () => {
    const list = await t.app.inject({
      url: `/service-feedback/${key}`,
      headers: { cookie: session.practitioner },
    });
    expect(list.body).toContain(`href="${base}"`);
    const page = await t.app.inject({ url: base, headers: { cookie: session.practitioner } });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Start from this pathway');
    for (const t of SUGGESTED_PATHWAY) expect(page.body).toContain(t.label);
    const refused = await t.app.inject({ url: base, headers: { cookie: session.commissioner } });
    expect(refused.statusCode).toBe(403);
    expect((await audits('feedback.touchpoints', 'denied')).map((a) => a.resource_id)).toContain(key);
    const unknown = await t.app.inject({
      url: '/service-feedback/AAAAAAAAAAAAAAAA/touchpoints',
      headers: { cookie: session.practitioner },
    });
    expect(unknown.statusCode).toBe(404);
    const pack = await t.app.inject({ url: `${base}/pack`, headers: { cookie: session.commissioner } });
    expect(pack.statusCode).toBe(403);
    expect(await audits('feedback.touchpoint-pack', 'denied')).not.toHaveLength(0);
  });

  it('starts from the suggested pathway once, and groups the stories stored before it', async () => {
    early = await enter({ better: 'The referral from my GP took three months to arrive.' });
    expect(await touchpointsOf(early)).toEqual([]);
    const started = await post(`${base}/suggested`, {});
    expect(started.statusCode, started.body).toBe(303);
    expect(started.headers.location).toBe(`${base}?saved=started`);
    expect((await pathway()).map((r) => [r.label, r.position])).toEqual(
      SUGGESTED_PATHWAY.map((p, i) => [p.label, i + 1]),
    );
    const suggested = await touchpointsOf(early);
    expect(suggested.map((s) => [s.label, s.status])).toContainEqual(['Referral', 'suggested']);
    expect(suggested.find((s) => s.label === 'Referral')?.words).toContain('referral');
    const audit = await audits('feedback.touchpoint', 'success');
    expect(audit.at(-1)?.purpose).toMatch(
      /started from the suggested pathway \(8 touchpoints\); \d+ unreviewed/,
    );
    const again = await post(`${base}/suggested`, {});
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This pathway has touchpoints already');
  });

  it('takes a touchpoint of the service’s own, refusing a missing name, a name in use and unusable words', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ label: '  ', keywords: '' }, 'Enter a name for the touchpoint.', '#label'],
      [{ label: 'referral', keywords: '' }, 'There is already a touchpoint called “referral”.', '#label'],
      [{ label: 'Pre-op', keywords: 'pre-op, the' }, '“the” is too common a word', '#keywords'],
      [
        { label: 'Pre-op', keywords: 'blood tests taken' },
        '“blood tests taken” must be one or two words',
        '#keywords',
      ],
      [{ label: 'x'.repeat(61), keywords: '' }, 'Label must be 60 characters or fewer.', '#label'],
    ];
    for (const [fields, message, href] of cases) {
      const refused = await post(base, fields);
      expect(refused.statusCode, message).toBe(400);
      expect(refused.body).toContain(message);
      expect(refused.body).toContain(`href="${href}"`);
      if (fields.label?.trim()) expect(refused.body).toContain(`value="${fields.label}"`);
    }
    const added = await post(base, { label: 'Pre-op assessment', keywords: 'Pre-op,\nblood tests, pre-op' });
    expect(added.statusCode, added.body).toBe(303);
    const rows = await pathway();
    expect(rows.at(-1)).toMatchObject({
      label: 'Pre-op assessment',
      position: 9,
      keywords: ['pre-op', 'blood tests'],
    });
  });

  it('suggests touchpoints for a story as it is stored', async () => {
    const story = await enter({ good: 'The blood tests before my operation were quick.' });
    expect((await touchpointsOf(story)).map((s) => [s.label, s.status])).toContainEqual([
      'Pre-op assessment',
      'suggested',
    ]);
  });

  it('changes, moves and retires touchpoints; moving past either end is refused', async () => {
    const [first, second] = await pathway();
    const edit = `${base}/${second?.touchpoint_id}`;
    const form = await t.app.inject({ url: edit, headers: { cookie: session.practitioner } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="First contact"');
    const clash = await post(edit, { label: 'REFERRAL', keywords: '' }, 'practitioner', edit);
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('There is already a touchpoint called “REFERRAL”.');
    const saved = await post(
      edit,
      { label: 'First phone call', keywords: 'phoned, call back' },
      'practitioner',
      edit,
    );
    expect(saved.statusCode).toBe(303);

    const up = await post(`${base}/${second?.touchpoint_id}/move`, { direction: 'up' });
    expect(up.statusCode).toBe(303);
    expect((await pathway()).slice(0, 2).map((r) => r.label)).toEqual(['First phone call', 'Referral']);
    const tooFar = await post(`${base}/${second?.touchpoint_id}/move`, { direction: 'up' });
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.body).toContain('“First phone call” is first already.');

    const retired = await post(`${base}/${first?.touchpoint_id}/retire`, {});
    expect(retired.statusCode).toBe(303);
    expect((await pathway()).map((r) => r.label)).not.toContain('Referral');
    const page = await t.app.inject({ url: base, headers: { cookie: session.practitioner } });
    expect(page.body).toContain('Retired touchpoints (1)');
    // The early story's suggestion of the retired touchpoint is gone with the recoding.
    expect((await touchpointsOf(early)).map((s) => s.label)).not.toContain('Referral');
    // A new touchpoint may take the retired one's name.
    expect((await post(base, { label: 'Referral', keywords: 'referral, referred' })).statusCode).toBe(303);
    const missing = await t.app.inject({
      url: `${base}/00000000-0000-4000-8000-000000000000`,
      headers: { cookie: session.practitioner },
    });
    expect(missing.statusCode).toBe(404);
    const commissioner = await post(`${base}/${second?.touchpoint_id}/retire`, {}, 'commissioner', '/');
    expect(commissioner.statusCode).toBe(403);
    expect((await audits('feedback.touchpoint', 'denied')).map((a) => a.resource_id)).toContain(key);
    expect((await pathway()).map((r) => r.touchpoint_id)).toContain(second?.touchpoint_id);
  });
});

describe('a story’s touchpoints', () => {
  let story = '';
  let storyUrl = '';

  it('are shown on its page with the suggestions ticked, and saved as confirmed and rejected', async () => {
    story = await enter({
      fft: 'poor',
      better: 'I waited weeks for an appointment, then the clinic cancelled it. Ring me on 07700 900123.',
    });
    storyUrl = `/service-feedback/${key}/stories/${story}`;
    const page = await t.app.inject({ url: storyUrl, headers: { cookie: session.practitioner } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Touchpoints on the care pathway');
    expect(page.body).toMatch(/Suggested, \d+% confident, from the words: [^<]*(clinic|appointment)/);
    const tps = await pathway();
    const appointments = tps.find((r) => r.label === 'Appointments')?.touchpoint_id as string;
    const waiting = tps.find((r) => r.label === 'Waiting')?.touchpoint_id as string;
    const saved = await post(
      `${storyUrl}/touchpoints`,
      { touchpointIds: [appointments, waiting] },
      'practitioner',
      storyUrl,
    );
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`${storyUrl}?saved=touchpoints`);
    const rows = await touchpointsOf(story);
    expect(rows.filter((r) => r.status === 'confirmed').map((r) => r.label)).toEqual([
      'Appointments',
      'Waiting',
    ]);
    expect(rows.filter((r) => r.status === 'rejected')).toHaveLength(tps.length - 2);
    expect(rows.filter((r) => r.status === 'suggested')).toEqual([]);
    expect((await audits('feedback.story-touchpoints', 'success')).at(-1)?.purpose).toBe(
      `confirmed 2, rejected ${tps.length - 2}`,
    );
    const after = await t.app.inject({
      url: `${storyUrl}?saved=touchpoints`,
      headers: { cookie: session.practitioner },
    });
    expect(after.body).toContain('The story’s touchpoints were saved.');
    expect(after.body).toMatch(/Confirmed by [^<]+ on /);
  });

  it('refuses a touchpoint that is not on the pathway (on the page), and people outside the service', async () => {
    const refused = await post(
      `${storyUrl}/touchpoints`,
      { touchpointIds: '00000000-0000-4000-8000-000000000000' },
      'practitioner',
      storyUrl,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#touchpointIds"');
    expect(refused.body).toContain('Choose touchpoints of this service’s pathway');
    const commissioner = await post(`${storyUrl}/touchpoints`, { touchpointIds: [] }, 'commissioner', '/');
    expect(commissioner.statusCode).toBe(403);
    expect((await audits('feedback.story-touchpoints', 'denied')).length).toBeGreaterThan(0);
    const unknown = await post(
      `/service-feedback/${key}/stories/00000000-0000-4000-8000-000000000000/touchpoints`,
      {},
      'practitioner',
      storyUrl,
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('stay as staff decided when the pathway changes; stories no one reviewed are grouped again', async () => {
    const before = await touchpointsOf(story);
    expect((await post(base, { label: 'Telephone', keywords: 'ring, phone' })).statusCode).toBe(303);
    expect(await touchpointsOf(story)).toEqual(before);
    const other = await enter({ good: 'Nice people.' });
    expect(await touchpointsOf(other)).toEqual([]);
    expect((await post(base, { label: 'Kindness', keywords: 'nice people' })).statusCode).toBe(303);
    expect((await touchpointsOf(other)).map((r) => [r.label, r.status])).toEqual([['Kindness', 'suggested']]);
  });
});

describe('learning from reviews', () => {
  it('suggests a touchpoint without words once staff confirmed it on a few stories', async () => {
    expect((await post(base, { label: 'Car park', keywords: '' })).statusCode).toBe(303);
    const carPark = (await pathway()).find((r) => r.label === 'Car park')?.touchpoint_id as string;
    for (const better of [
      'Parking was impossible near the entrance.',
      'No parking spaces again, I was late.',
      'The parking machine took my money and gave no ticket.',
    ]) {
      const id = await enter({ fft: 'poor', better });
      const storyUrl = `/service-feedback/${key}/stories/${id}`;
      const saved = await post(
        `${storyUrl}/touchpoints`,
        { touchpointIds: carPark },
        'practitioner',
        storyUrl,
      );
      expect(saved.statusCode).toBe(303);
    }
    const next = await enter({ better: 'Finding parking took half an hour.' });
    expect((await touchpointsOf(next)).map((r) => [r.label, r.status])).toContainEqual([
      'Car park',
      'suggested',
    ]);
  });
});

describe('the touchpoint pack', () => {
  it('quotes masked text of stories whose writers consented, by touchpoint in pathway order', async () => {
    await enter({
      fft: 'very-good',
      good: 'The pre-op nurse explained the blood tests clearly. Call Sarah Jones on 07700 900456.',
    });
    await enter({
      fft: 'very-poor',
      consent: false,
      better: 'Nobody explained why my blood tests had to be repeated three times at pre-op.',
    });
    await enter({
      fft: 'good',
      good: '=HYPERLINK("http://x") the pre-op assessment was quick and friendly',
    });
    const page = await t.app.inject({ url: `${base}/pack`, headers: { cookie: session.practitioner } });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Shared beyond the service');
    expect(page.body).toContain('agreed that their feedback may be published');
    expect(page.body).toContain('[phone]');
    expect(page.body).not.toContain('07700');
    expect(page.body).not.toContain('repeated three times');
    expect(page.body).toMatch(/<h2 id="touchpoint-1">1\. First phone call<\/h2>/);
    expect(page.body).toContain('Pre-op assessment');
    expect(page.body).toContain(`href="${base}/pack.csv?period=12m"`);
    expect((await audits('feedback.touchpoint-pack', 'success')).at(-1)?.purpose).toBe('period 12m');

    const csv = await t.app.inject({
      url: `${base}/pack.csv?period=3m`,
      headers: { cookie: session.practitioner },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="touchpoint-pack-3m-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'touchpoint',
      'position',
      'stories',
      'positive',
      'negative',
      'top_themes',
      'quote',
      'fft',
      'month',
    ]);
    expect(rows[0]?.touchpoint).toBe('First phone call');
    const preop = rows.filter((r) => r.touchpoint === 'Pre-op assessment');
    expect(preop.length).toBeGreaterThan(0);
    expect(preop[0]?.stories).toBe('*');
    const quotes = preop.map((r) => r.quote);
    expect(quotes.join(' ')).not.toContain('repeated three times');
    expect(quotes.join(' ')).not.toContain('07700');
    expect(quotes.some((q) => q?.startsWith("'=HYPERLINK"))).toBe(true);
    expect(preop.find((r) => r.quote?.startsWith('The pre-op nurse'))).toMatchObject({
      fft: 'Very good',
      month: today.slice(0, 7),
    });
  });

  it('covers the period chosen, and leaves out retired touchpoints', async () => {
    const old = `${Number(today.slice(0, 4)) - 2}${today.slice(4, 7)}-01`;
    await enter({ receivedOn: old, good: 'Years ago the pre-op clinic lost my blood tests twice.' });
    const csvOf = async (period: string) =>
      (
        await t.app.inject({
          url: `${base}/pack.csv?period=${period}`,
          headers: { cookie: session.practitioner },
        })
      ).body;
    expect(await csvOf('12m')).not.toContain('Years ago the pre-op clinic');
    const all = await csvOf('all');
    expect(all).toContain('Years ago the pre-op clinic');
    expect(all).toContain(`"${old.slice(0, 7)}"`);
    expect(all).toContain('"Ward stay"');
    const ward = (await pathway()).find((r) => r.label === 'Ward stay')?.touchpoint_id;
    expect((await post(`${base}/${ward}/retire`, {})).statusCode).toBe(303);
    expect(await csvOf('all')).not.toContain('"Ward stay"');
    const page = await t.app.inject({
      url: `${base}/pack?period=all`,
      headers: { cookie: session.practitioner },
    });
    expect(page.body).toContain('all stories, up to');
  });

  it('refuses a period it does not know', async () => {
    const bad = await t.app.inject({
      url: `${base}/pack?period=5y`,
      headers: { cookie: session.practitioner },
    });
    expect(bad.statusCode).toBe(400);
  });
});
