import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonInCaseload } from '../support/demo.js';
import { csrfFrom, duplicateIds, type FormFields, postForm, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The first conversation asked a page at a time, through HTTP as a browser without script sends it:
 * each step keeps its answers in a draft on the server, refuses what the one contract refuses on the
 * page's own fields, and nothing is a conversation until it is confirmed, once.
 */
let t: TestApp;
let session: string;
let otherSession: string;
let personId: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
  session = await signIn(t.app, 'practitioner@demo');
  personId = await demoPersonInCaseload(t, session);
  // Another member of the same team, who may record conversations with the same person.
  otherSession = await signIn(t.app, 'manager@demo');
});
afterAll(() => t?.close());

const stepUrl = (step: string, query = '') => `/people/${personId}/conversations/first/${step}${query}`;
const answer = (step: string, fields: FormFields, query = '', as = session) =>
  submitForm(t.app, { session: as, pageUrl: stepUrl(step, query), action: stepUrl(step, query), fields });
const get = (url: string, as = session) => t.app.inject({ url, headers: { cookie: as } });
const conversations = async () =>
  (await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: session } })).json().conversations
    .length as number;
const drafts = () =>
  t.database.db.selectFrom('conversation_draft').selectAll().where('person_id', '=', personId).execute();

const who: FormFields = {
  'heldOn[day]': '1',
  'heldOn[month]': '9',
  'heldOn[year]': '2026',
  participants: ['person', 'me'],
};

/** Starts afresh: no draft left by an earlier test. */
const noDraft = () =>
  t.database.db.deleteFrom('conversation_draft').where('person_id', '=', personId).execute();

/** Answers every step of a first conversation with one outcome, ready to check. */
async function answerAll(statement: string) {
  await noDraft();
  expect((await answer('who', who)).headers.location).toBe(stepUrl('outcome', '?n=0'));
  expect((await answer('outcome', { 'new-0-statement': statement }, '?n=0')).headers.location).toBe(
    stepUrl('outcomes'),
  );
  expect((await answer('outcomes', { another: 'no' })).headers.location).toBe(stepUrl('ratings', '?n=0'));
  expect(
    (await answer('ratings', { 'new-0-rating-person': '2', 'new-0-rating-practitioner': '3' }, '?n=0'))
      .headers.location,
  ).toBe(stepUrl('gas', '?n=0'));
  expect((await answer('gas', { 'new-0-gas-wanted': 'no' }, '?n=0')).headers.location).toBe(
    stepUrl('review'),
  );
  expect((await answer('review', { summary: 'Talked about the garden' })).headers.location).toBe(
    stepUrl('check'),
  );
}

describe('the stepped first conversation', () => {
  it('starts from the old address, at the first question, with nothing pre-selected but who took part', async () => {
    // The old address of the single form is now the first question, posting to the steps.
    const old = await get(`/people/${personId}/conversations/new?kind=first`);
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain(`action="${stepUrl('who')}"`);
    const first = await get(stepUrl('who'));
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('When was the conversation and who took part?');
    expect(duplicateIds(first.body)).toEqual([]);
    // Later questions wait for the first.
    expect((await get(stepUrl('check'))).headers.location).toBe(stepUrl('who'));
  });

  it('refuses each step on its own fields, with the contract’s words, and keeps what was typed', async () => {
    const future = await answer('who', { ...who, 'heldOn[year]': '2099', participants: [] });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('href="#participants"');
    expect(future.body).toContain('Select who took part');
    const later = await answer('who', { ...who, 'heldOn[year]': '2099' });
    expect(later.statusCode).toBe(400);
    expect(later.body).toContain('href="#heldOn-day"');
    expect(later.body).toContain('A conversation cannot be recorded before it happens.');
    expect(later.body).toContain('value="2099"');

    expect((await answer('who', who)).statusCode).toBe(303);
    const blank = await answer('outcome', { 'new-0-statement': '' }, '?n=0');
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('href="#new-0-statement"');
    const long = await answer('outcome', { 'new-0-statement': 'x'.repeat(2001) }, '?n=0');
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('href="#new-0-statement"');
    expect(long.body).toContain('Outcome 1: Statement must be 2,000 characters or fewer.');

    expect((await answer('outcome', { 'new-0-statement': 'To keep my garden' }, '?n=0')).statusCode).toBe(
      303,
    );
    const offScale = await answer('ratings', { 'new-0-rating-person': '7' }, '?n=0');
    expect(offScale.statusCode).toBe(400);
    expect(offScale.body).toContain('href="#new-0-rating-person"');
    expect(offScale.body).toContain('Outcome 1: A rating must be 1 to 4.');

    const undecided = await answer('gas', {}, '?n=0');
    expect(undecided.statusCode).toBe(400);
    expect(undecided.body).toContain('href="#new-0-gas-wanted"');
    const halfScale = await answer('gas', { 'new-0-gas-wanted': 'yes', 'new-0-gas-m2': 'Worse' }, '?n=0');
    expect(halfScale.statusCode).toBe(400);
    expect(halfScale.body).toContain('href="#new-0-gas-m1"');
    expect(halfScale.body).toContain('Outcome 1: describe all five goal attainment levels, or none');

    const early = await answer('review', {
      'nextReview[day]': '1',
      'nextReview[month]': '1',
      'nextReview[year]': '2020',
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('href="#nextReview-day"');
    expect(early.body).toContain('The next review must be on or after the conversation.');
    const longSummary = await answer('review', { summary: 'y'.repeat(5001) });
    expect(longSummary.statusCode).toBe(400);
    expect(longSummary.body).toContain('href="#summary"');
  });

  it('offers a carer’s view only when the person has a carer, and pre-selects no rating', async () => {
    await noDraft();
    expect((await answer('who', who)).statusCode).toBe(303);
    expect((await answer('outcome', { 'new-0-statement': 'To keep my garden' }, '?n=0')).statusCode).toBe(
      303,
    );
    const page = await get(stepUrl('ratings', '?n=0'));
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/<input[^>]*checked/);
    expect(duplicateIds(page.body)).toEqual([]);
    const carers = await t.database.db
      .selectFrom('relationship')
      .select('relationship_id')
      .where('person_id', '=', personId)
      .where('is_carer', '=', true)
      .execute();
    expect(page.body.includes('name="new-0-rating-carer"')).toBe(carers.length > 0);
  });

  it('adds several outcomes one at a time, removes one, and shows every answer to check with a way to change it', async () => {
    await answerAll('To see my sister at Christmas');
    // Add another from the list, then take one away.
    expect((await answer('outcomes', { another: 'yes' })).headers.location).toBe(stepUrl('outcome', '?n=1'));
    expect((await answer('outcome', { 'new-1-statement': 'To walk to the shop' }, '?n=1')).statusCode).toBe(
      303,
    );
    expect((await answer('outcomes', { another: 'yes' })).headers.location).toBe(stepUrl('outcome', '?n=2'));
    expect((await answer('outcome', { 'new-2-statement': 'To cook again' }, '?n=2')).statusCode).toBe(303);
    const removed = await answer('outcomes', { action: 'remove-1' });
    expect(removed.headers.location).toBe(stepUrl('outcomes'));
    const check = await get(stepUrl('check'));
    expect(check.statusCode).toBe(200);
    expect(duplicateIds(check.body)).toEqual([]);
    expect(check.body).toContain('To see my sister at Christmas');
    expect(check.body).toContain('To cook again');
    expect(check.body).not.toContain('To walk to the shop');
    expect(check.body).toContain('Talked about the garden');
    expect(check.body).toContain(`href="${stepUrl('outcome', '?n=1&amp;return=check')}"`);
    expect(check.body).toContain(`href="${stepUrl('who', '?return=check')}"`);
    // A change made from the check goes back to the check.
    const changed = await answer(
      'review',
      { summary: 'Talked about the garden and the shop' },
      '?return=check',
    );
    expect(changed.headers.location).toBe(stepUrl('check'));
    expect((await get(stepUrl('check'))).body).toContain('Talked about the garden and the shop');
  });

  it('saves nothing until confirmed, saves once, and Back then Save again saves nothing twice', async () => {
    await answerAll('To get back to my walking group');
    const before = await conversations();
    const check = await get(stepUrl('check'));
    expect(await conversations()).toBe(before);
    const draftId = /name="draftId" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const csrf = csrfFrom(check);
    const post = () =>
      postForm(t.app, {
        url: stepUrl('check'),
        fields: { _csrf: csrf.token, draftId, action: 'save' },
        cookie: `${session}; ${csrf.cookie}`,
      });
    const saved = await post();
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${personId}?recorded=first`);
    expect(await conversations()).toBe(before + 1);
    expect(await drafts()).toHaveLength(0);
    const again = await post();
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already been saved');
    expect(await conversations()).toBe(before + 1);
    const record = await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: session } });
    expect(JSON.stringify(record.json())).toContain('To get back to my walking group');
  });

  it('two Saves of the same draft at once save one conversation', async () => {
    await answerAll('To sleep through the night');
    const before = await conversations();
    const check = await get(stepUrl('check'));
    const draftId = /name="draftId" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const csrf = csrfFrom(check);
    const post = () =>
      postForm(t.app, {
        url: stepUrl('check'),
        fields: { _csrf: csrf.token, draftId, action: 'save' },
        cookie: `${session}; ${csrf.cookie}`,
      });
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 409]);
    expect(await conversations()).toBe(before + 1);
  });

  it('keeps one user’s draft from another, and discards it on request', async () => {
    await answerAll('Something only I was told');
    const other = await get(stepUrl('who'), otherSession);
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('You started recording this conversation earlier');
    expect((await get(stepUrl('check'), otherSession)).headers.location).toBe(stepUrl('who'));
    expect((await get(stepUrl('check'))).body).toContain('Something only I was told');

    const before = await conversations();
    const discarded = await answer('check', { action: 'discard' });
    expect(discarded.statusCode).toBe(303);
    expect(discarded.headers.location).toBe(`/people/${personId}`);
    expect(await drafts()).toHaveLength(0);
    expect(await conversations()).toBe(before);
  });

  it('forgets a draft once it has expired, and replaces it with a new one', async () => {
    await answerAll('Something said a long time ago');
    await t.database.db
      .updateTable('conversation_draft')
      .set({ expires_at: new Date(Date.UTC(2020, 0, 1)) })
      .where('person_id', '=', personId)
      .execute();
    expect((await get(stepUrl('check'))).headers.location).toBe(stepUrl('who'));
    const first = await get(stepUrl('who'));
    expect(first.body).not.toContain('You started recording this conversation earlier');
    expect((await answer('who', who)).headers.location).toBe(stepUrl('outcome', '?n=0'));
    const kept = await drafts();
    expect(kept).toHaveLength(1);
    expect(JSON.stringify(kept[0]?.answers)).not.toContain('Something said a long time ago');
  });

  it('is one of the person’s tables, which export reads and erasure empties (rights.test.ts)', async () => {
    await noDraft();
    expect((await answer('who', who)).statusCode).toBe(303);
    const { PERSON_OWNED_TABLES } = await import('../../src/store/person-owned-tables.js');
    expect(PERSON_OWNED_TABLES).toContain('conversation_draft');
    expect(await drafts()).toHaveLength(1);
  });
});
