import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditsOf, firstFeedbackServiceKey, submitPublicFeedback } from '../support/feedback.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Responding and changing (issue 12, item 5) through HTTP: staff reply to a story (the first reply
 * stops the time-to-first-response clock); a moderator publishes a story only when its writer
 * consented; changes are recorded planned or made, from a story or the changes page, and marked
 * made; the public page shows published stories (masked), the service's replies without names and
 * the changes made. Refusals are audited.
 */

let t: TestApp;
let key = '';
const session: Record<string, string> = {};
let consented = '';
let private_ = '';
let practitionerName = '';

const CONSENTED = {
  fft: 'poor',
  whatWasGood: 'Nurse Sarah Jones was kind.',
  whatCouldBeBetter: 'The waiting room was cold. Ring me on 07700 900123.',
  writer: 'patient',
  consentToPublish: 'yes',
};
const PRIVATE = { ...CONSENTED, whatCouldBeBetter: 'Parking was impossible.', consentToPublish: 'no' };

const submitPublic = async (fields: Record<string, string>) =>
  (await submitPublicFeedback(t, key, fields)).feedback_id;

const audits = (action: string, outcome: string) => auditsOf(t, action, outcome);

const story = (id: string) => `/service-feedback/${key}/stories/${id}`;
const post = (who: string, pageUrl: string, action: string, fields: Record<string, string> = {}) =>
  submitForm(t.app, { session: session[who], pageUrl, action, fields });
/** Ids used twice where one of them is in this part's section of the shared story page. */
const ownDuplicateIds = (html: string) => {
  const section = html.slice(html.indexOf('id="responses"'));
  return duplicateIds(html).filter((id) => section.includes(`id="${id}"`));
};
const feedbackRow = (id: string) =>
  t.database.db.selectFrom('feedback').selectAll().where('feedback_id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  for (const who of ['practitioner', 'manager', 'commissioner'])
    session[who] = await signIn(t.app, `${who}@demo`);
  key = await firstFeedbackServiceKey(t, session.manager);
  const user = await t.database.db
    .selectFrom('user_account')
    .select('display_name')
    .where('username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  practitionerName = user.display_name;
  consented = await submitPublic(CONSENTED);
  private_ = await submitPublic(PRIVATE);
});
afterAll(() => t?.close());

describe('replies', () => {
  it('the list shows each story waiting for a reply', async () => {
    const list = await t.app.inject({
      url: `/service-feedback/${key}`,
      headers: { cookie: session.practitioner },
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.body).toContain('Waiting for a reply (less than a day)');
    expect(list.body).toContain(`href="/service-feedback/${key}/changes"`);
    expect(list.body).toContain(`href="/feedback/${key}/stories"`);
  });

  it('refuses an empty or too long reply, naming the field, and stores nothing', async () => {
    const empty = await post('practitioner', story(consented), `${story(consented)}/reply`, {
      replyBody: '  ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#replyBody"');
    expect(empty.body).toContain('Enter your reply');
    const long = 'x'.repeat(2001);
    const tooLong = await post('practitioner', story(consented), `${story(consented)}/reply`, {
      replyBody: long,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Your reply must be 2,000 characters or fewer');
    // What was typed is shown again, not lost.
    expect(tooLong.body).toContain(long);
    expect(ownDuplicateIds(tooLong.body)).toEqual([]);
    const replies = await t.database.db
      .selectFrom('feedback_reply')
      .selectAll()
      .where('feedback_id', 'in', [consented, private_])
      .execute();
    expect(replies).toHaveLength(0);
  });

  it('the first reply stops the clock; later replies do not move it', async () => {
    const first = await post('practitioner', story(consented), `${story(consented)}/reply`, {
      replyBody: 'Thank you. We have fixed the heating in the waiting room.',
    });
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe(`${story(consented)}?saved=reply#responses`);
    const after = await feedbackRow(consented);
    expect(after.first_response_at).not.toBeNull();
    expect(after.seconds_to_first_response).toBeGreaterThanOrEqual(0);
    expect(after.seconds_to_first_response).toBe(
      Math.max(
        0,
        Math.round(((after.first_response_at as Date).getTime() - after.created_at.getTime()) / 1000),
      ),
    );
    const second = await post('manager', story(consented), `${story(consented)}/reply`, {
      replyBody: 'We will also check it every morning.',
    });
    expect(second.statusCode).toBe(303);
    const again = await feedbackRow(consented);
    expect(again.first_response_at).toEqual(after.first_response_at);
    const page = await t.app.inject({ url: story(consented), headers: { cookie: session.manager } });
    expect(page.body).toContain('We have fixed the heating');
    expect(page.body).toContain(practitionerName);
    expect(page.body).toMatch(/First reply (less than a minute|\d+ minutes?) after the story arrived/);
    const list = await t.app.inject({
      url: `/service-feedback/${key}`,
      headers: { cookie: session.practitioner },
    });
    expect(list.body).toContain('>Replied<');
    expect(await audits('feedback.reply', 'success')).toHaveLength(2);
  });

  it('refuses someone who is not the service’s staff, and audits it', async () => {
    // The commissioner's own page gives the form token; the story's page is not theirs to open.
    const refused = await post('commissioner', '/', `${story(consented)}/reply`, {
      replyBody: 'Not mine to answer',
    });
    expect(refused.statusCode).toBe(403);
    expect(await audits('feedback.reply', 'denied')).not.toHaveLength(0);
    const replies = await t.database.db
      .selectFrom('feedback_reply')
      .selectAll()
      .where('feedback_id', 'in', [consented, private_])
      .execute();
    expect(replies.map((r) => r.body)).not.toContain('Not mine to answer');
  });
});

describe('publishing', () => {
  it('is offered to moderators only, and only when the writer consented', async () => {
    const asPractitioner = await t.app.inject({
      url: story(consented),
      headers: { cookie: session.practitioner },
    });
    expect(asPractitioner.body).not.toContain('Publish the masked story');
    const noConsent = await t.app.inject({ url: story(private_), headers: { cookie: session.manager } });
    expect(noConsent.body).not.toContain('Publish the masked story');
    expect(noConsent.body).toContain('did not agree to it being published');
    const offered = await t.app.inject({ url: story(consented), headers: { cookie: session.manager } });
    expect(offered.body).toContain('Publish the masked story');
  });

  it('refuses a practitioner, and a story without consent, with a clear error, audited', async () => {
    const byPractitioner = await post('practitioner', story(consented), `${story(consented)}/publish`);
    expect(byPractitioner.statusCode).toBe(403);
    const withoutConsent = await post('manager', story(private_), `${story(private_)}/publish`);
    expect(withoutConsent.statusCode).toBe(400);
    expect(withoutConsent.body).toContain(
      'This story cannot be published: the person who wrote it did not agree to it being published.',
    );
    expect((await feedbackRow(private_)).published_at).toBeNull();
    expect((await audits('feedback.publish', 'denied')).length).toBeGreaterThanOrEqual(2);
  });

  it('a moderator publishes a consented story: the public page shows it masked, replies unnamed', async () => {
    const published = await post('manager', story(consented), `${story(consented)}/publish`);
    expect(published.statusCode, published.body).toBe(303);
    expect((await feedbackRow(consented)).published_at).not.toBeNull();
    const pub = await t.app.inject({ url: `/feedback/${key}/stories` });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain('The waiting room was cold. Ring me on [phone].');
    expect(pub.body).not.toContain('07700');
    expect(pub.body).not.toContain('Sarah');
    expect(pub.body).not.toContain('Parking was impossible');
    expect(pub.body).toContain('The service replied');
    expect(pub.body).toContain('We have fixed the heating');
    expect(pub.body).not.toContain(practitionerName);
    expect(pub.body).toContain('Poor');
    expect(duplicateIds(pub.body)).toEqual([]);
    expect(await audits('feedback.publish', 'success')).toHaveLength(1);
  });

  it('the public page is 404 for an unknown or malformed key, and the thank-you page links to it', async () => {
    expect((await t.app.inject({ url: '/feedback/AAAAAAAAAAAAAAAA/stories' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/feedback/not-a-key/stories' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/feedback/${key}/stories?page=0` })).statusCode).toBe(400);
    const thanks = await t.app.inject({ url: `/feedback/${key}/thank-you` });
    expect(thanks.body).toContain(`href="/feedback/${key}/stories"`);
  });
});

describe('changes, planned and made', () => {
  let changeId = '';
  let changesBefore = 0;
  const changeNamed = (description: string) =>
    t.database.db
      .selectFrom('feedback_change')
      .selectAll()
      .where('service_key', '=', key)
      .where('description', '=', description)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    changesBefore = (
      await t.database.db
        .selectFrom('feedback_change')
        .select('change_id')
        .where('service_key', '=', key)
        .execute()
    ).length;
  });

  it('refuses a change without its date, linking the error to the right part of the date', async () => {
    const noDate = await post('practitioner', story(consented), `${story(consented)}/record-change`, {
      changeDescription: 'Check the waiting room heating every morning',
      changeStatus: 'planned',
    });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('href="#plannedOn-day"');
    expect(noDate.body).toContain('Enter the date the change is planned for');
    expect(noDate.body).toContain('Check the waiting room heating every morning');
    const badMonth = await post('practitioner', story(consented), `${story(consented)}/record-change`, {
      changeDescription: 'Check the heating',
      changeStatus: 'planned',
      'plannedOn[day]': '3',
      'plannedOn[month]': '13',
      'plannedOn[year]': '2027',
    });
    expect(badMonth.statusCode).toBe(400);
    expect(badMonth.body).toContain('href="#plannedOn-month"');
    const noStatus = await post('practitioner', story(consented), `${story(consented)}/record-change`, {
      changeDescription: 'Check the heating',
    });
    expect(noStatus.statusCode).toBe(400);
    expect(noStatus.body).toContain('href="#changeStatus"');
    const noDescription = await post(
      'practitioner',
      `/service-feedback/${key}/changes`,
      `/service-feedback/${key}/changes`,
      {
        changeStatus: 'made',
        'madeOn[day]': '1',
        'madeOn[month]': '11',
        'madeOn[year]': '2026',
      },
    );
    expect(noDescription.statusCode).toBe(400);
    expect(noDescription.body).toContain('href="#changeDescription"');
    expect(
      await t.database.db.selectFrom('feedback_change').selectAll().where('service_key', '=', key).execute(),
    ).toHaveLength(changesBefore);
  });

  it('records a planned change from a story, linked to it in the same step', async () => {
    const recorded = await post('practitioner', story(consented), `${story(consented)}/record-change`, {
      changeDescription: 'Check the waiting room heating every morning',
      changeStatus: 'planned',
      'plannedOn[day]': '10',
      'plannedOn[month]': '1',
      'plannedOn[year]': '2027',
    });
    expect(recorded.statusCode, recorded.body).toBe(303);
    const change = await changeNamed('Check the waiting room heating every morning');
    changeId = change.change_id;
    expect(change.status).toBe('planned');
    expect(change.planned_on).toBe('2027-01-10');
    const links = await t.database.db
      .selectFrom('feedback_change_story')
      .selectAll()
      .where('change_id', '=', changeId)
      .execute();
    expect(links).toEqual([{ change_id: changeId, feedback_id: consented }]);
    const page = await t.app.inject({ url: story(consented), headers: { cookie: session.practitioner } });
    expect(page.body).toContain('Change planned for');
    const changes = await t.app.inject({
      url: `/service-feedback/${key}/changes`,
      headers: { cookie: session.practitioner },
    });
    expect(changes.statusCode).toBe(200);
    expect(changes.body).toContain(`href="${story(consented)}"`);
    expect(duplicateIds(changes.body)).toEqual([]);
    // Not made yet: not on the public page.
    const pub = await t.app.inject({ url: `/feedback/${key}/stories` });
    expect(pub.body).not.toContain('Check the waiting room heating every morning');
  });

  it('links another story to the change', async () => {
    const none = await post('practitioner', story(private_), `${story(private_)}/link-change`, {
      changeId: '',
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#linkChangeId"');
    const linked = await post('practitioner', story(private_), `${story(private_)}/link-change`, {
      changeId,
    });
    expect(linked.statusCode).toBe(303);
    const links = await t.database.db
      .selectFrom('feedback_change_story')
      .selectAll()
      .where('change_id', '=', changeId)
      .execute();
    expect(links).toHaveLength(2);
  });

  it('marks the planned change made, refusing a bad or future date on the right field', async () => {
    const changesUrl = `/service-feedback/${key}/changes`;
    const action = `${changesUrl}/${changeId}/made`;
    const name = `made-${changeId}`;
    const badYear = await post('practitioner', changesUrl, action, {
      [`${name}[day]`]: '3',
      [`${name}[month]`]: '11',
      [`${name}[year]`]: '26',
    });
    expect(badYear.statusCode).toBe(400);
    expect(badYear.body).toContain(`href="#${name}-year"`);
    const future = await post('practitioner', changesUrl, action, {
      [`${name}[day]`]: '1',
      [`${name}[month]`]: '1',
      [`${name}[year]`]: '2999',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain(`href="#${name}-day"`);
    expect(future.body).toContain('today or in the past');
    const made = await post('practitioner', changesUrl, action, {
      [`${name}[day]`]: '2',
      [`${name}[month]`]: '11',
      [`${name}[year]`]: '2026',
    });
    expect(made.statusCode, made.body).toBe(303);
    const change = await changeNamed('Check the waiting room heating every morning');
    expect(change.status).toBe('made');
    expect(change.made_on).toBe('2026-11-02');
    const pub = await t.app.inject({ url: `/feedback/${key}/stories` });
    expect(pub.body).toContain('Check the waiting room heating every morning');
    expect(pub.body).toContain('2 November 2026');
    expect((await audits('feedback.change', 'success')).length).toBeGreaterThanOrEqual(2);
  });

  it('records a change made from the changes page; others are refused and audited', async () => {
    const changesUrl = `/service-feedback/${key}/changes`;
    const made = await post('manager', changesUrl, changesUrl, {
      changeDescription: 'Signs to the car park',
      changeStatus: 'made',
      'madeOn[day]': '20',
      'madeOn[month]': '11',
      'madeOn[year]': '2026',
    });
    expect(made.statusCode, made.body).toBe(303);
    const refused = await t.app.inject({ url: changesUrl, headers: { cookie: session.commissioner } });
    expect(refused.statusCode).toBe(403);
    expect(await audits('feedback.changes', 'denied')).not.toHaveLength(0);
    const unknown = await t.app.inject({
      url: '/service-feedback/AAAAAAAAAAAAAAAA/changes',
      headers: { cookie: session.manager },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('withdrawing a story takes it off the public page; changes made stay', async () => {
    const withdrawn = await post('manager', story(consented), `${story(consented)}/withdraw`);
    expect(withdrawn.statusCode).toBe(303);
    const pub = await t.app.inject({ url: `/feedback/${key}/stories` });
    expect(pub.body).not.toContain('The waiting room was cold');
    expect(pub.body).toContain('Signs to the car park');
  });
});
