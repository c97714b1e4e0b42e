import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCarerLink, demoPersonInCaseload } from '../support/demo.js';
import { duplicateIds, type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The plan pages and the person's own view through real form posts with CSRF tokens, as a browser
 * without script sends them. The demo data puts person@demo in practitioner@demo's team caseload
 * with a plan, and links carer@demo to them (see demo-care.test.ts); the tests check it does.
 */
let t: TestApp;
let practitioner: string;
let person: string;
let carer: string;
let personId: string; // a person registered by practitioner@demo in these tests
let demoPersonId: string; // person@demo's own record
let organisations: { id: string; name: string }[];

type Fields = FormFields;

/** GETs a page as `session` and posts `fields` to `action` with that page's CSRF token and cookie. */
const submit = (session: string, pageUrl: string, action: string, fields: Fields) =>
  submitForm(t.app, { session, pageUrl, action, fields });

const get = (session: string, url: string) => t.app.inject({ url, headers: { cookie: session } });

/** The value of a named input on a page. */
const inputValue = (html: string, name: string) =>
  new RegExp(`name="${name.replace(/[[\]]/g, '\\$&')}" value="([^"]*)"`).exec(html)?.[1] ?? '';

const organisationNamed = (name: string) => {
  const found = organisations.find((o) => o.name === name);
  if (!found) throw new Error(`no organisation ${name}`);
  return found.id;
};

/** A first plan as the edit form posts it: one new goal with two actions from two agencies. */
function firstPlan(basedOn: string): Fields {
  return {
    basedOn,
    'aboutMe-mostImportant': 'My garden, and seeing my grandchildren',
    'aboutMe-importantPeople': 'My daughter Sue',
    'aboutMe-communication': 'Speak slowly; I wear a hearing aid in my left ear',
    'aboutMe-pleaseDo': 'Ring before you visit',
    'aboutMe-pleaseDont': 'Talk about me as if I am not there',
    strengths: 'Determined\nGood sense of humour',
    'goals-count': '1',
    'goals-0-id': '',
    'goals-0-new': 'yes',
    'goals-0-description': 'Get back to the allotment by the spring',
    'goals-0-outcomeId': '',
    'goals-0-actions-count': '2',
    'goals-0-actions-0-new': 'yes',
    'goals-0-actions-0-what': 'Walk to the allotment together each week',
    'goals-0-actions-0-who-kind': 'organisation',
    'goals-0-actions-0-who-name': 'Befriending Service',
    'goals-0-actions-0-who-organisationId': organisationNamed('Riverside Good Neighbours'),
    'goals-0-actions-0-when': 'Every Tuesday',
    'goals-0-actions-0-status': 'in-progress',
    'goals-0-actions-0-confidence': '7',
    'goals-0-actions-1-new': 'yes',
    'goals-0-actions-1-what': 'Fit a rail by the back door',
    'goals-0-actions-1-who-kind': 'organisation',
    'goals-0-actions-1-who-name': 'Independent Living Team',
    'goals-0-actions-1-who-organisationId': organisationNamed("Weaver's Wharf Housing Association"),
    'goals-0-actions-1-when': 'By 1 March',
    'goals-0-actions-1-status': 'not-started',
    'goals-0-actions-1-confidence': '',
    'contingency-triggers': 'Not answering the phone',
    'contingency-whatShouldHappen': 'Sue visits',
    'contingency-whoToContact': 'Sue on 07700 900123',
    'review-plannedDate[day]': '1',
    'review-plannedDate[month]': '6',
    'review-plannedDate[year]': '2027',
    'review-responsibleName': 'Sam Social Worker',
    'review-responsibleRole': 'Social worker',
    'agreedWith-name': 'Joan Whitfield',
    'agreedWith-relationship': 'the person',
    'agreedWith-agreedOn[day]': '2',
    'agreedWith-agreedOn[month]': '2',
    'agreedWith-agreedOn[year]': '2026',
    changeSummary: 'First plan',
    next: 'plan',
  };
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 20 });
  const db = t.database.db;
  practitioner = await signIn(t.app, 'practitioner@demo');
  person = await signIn(t.app, 'person@demo');
  carer = await signIn(t.app, 'carer@demo');
  organisations = (await db.selectFrom('organisation').select(['organisation_id', 'name']).execute()).map(
    (o) => ({ id: o.organisation_id, name: o.name }),
  );

  const registered = await t.app.inject({
    method: 'POST',
    url: '/api/people',
    headers: { cookie: practitioner },
    payload: { givenName: 'Joan', familyName: 'Whitfield', sex: 'female', nhsNumber: '401 023 2137' },
  });
  expect(registered.statusCode).toBe(201);
  personId = registered.json().personId;

  // person@demo's care team includes practitioner@demo's team, for the care-team parts below, and
  // they have a plan to see.
  demoPersonId = await demoPersonInCaseload(t, practitioner);
});
afterAll(() => t?.close());

describe('the plan, as the care team sees it', () => {
  it('says when there is no plan yet and offers to create one', async () => {
    const page = await get(practitioner, `/people/${personId}/plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No plan yet');
    expect(page.body).toContain(`href="/people/${personId}/plan/edit"`);
    expect(page.body).toContain('Create the plan');
  });

  it('the edit form shows specific errors and keeps what was typed', async () => {
    const fields = firstPlan('0');
    fields['goals-0-actions-1-what'] = '';
    fields['review-plannedDate[day]'] = '31';
    fields['review-plannedDate[month]'] = '2';
    const response = await submit(
      practitioner,
      `/people/${personId}/plan/edit`,
      `/people/${personId}/plan/edit`,
      fields,
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<title>Error: Create the care and support plan');
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('href="#goals-0-actions-1-what"');
    expect(response.body).toContain('Enter what will happen for action 2 of goal 1');
    expect(response.body).toContain('The planned review date must be a real date');
    expect(response.body).toContain('Get back to the allotment by the spring');
    expect(response.body).toContain('Independent Living Team');
  });

  it('refuses dates a plan cannot have: agreed in the future, or reviewed before it was agreed', async () => {
    const future = firstPlan('0');
    future['agreedWith-agreedOn[year]'] = '2031';
    const agreedLater = await submit(
      practitioner,
      `/people/${personId}/plan/edit`,
      `/people/${personId}/plan/edit`,
      future,
    );
    expect(agreedLater.statusCode).toBe(400);
    expect(agreedLater.body).toContain('href="#agreedWith-agreedOn-day"');
    expect(agreedLater.body).toContain('The date the plan was agreed must be today or in the past.');
    const past = firstPlan('0');
    past['review-plannedDate[year]'] = '2020';
    const reviewedBefore = await submit(
      practitioner,
      `/people/${personId}/plan/edit`,
      `/people/${personId}/plan/edit`,
      past,
    );
    expect(reviewedBefore.statusCode).toBe(400);
    expect(reviewedBefore.body).toContain('href="#review-plannedDate-day"');
    expect(reviewedBefore.body).toContain(
      'The planned review date must be on or after the date the plan was agreed.',
    );
  });

  it('creates the plan from the edit form, with actions from two agencies', async () => {
    const edit = await get(practitioner, `/people/${personId}/plan/edit`);
    expect(edit.statusCode).toBe(200);
    expect(inputValue(edit.body, 'basedOn')).toBe('0');
    const response = await submit(
      practitioner,
      `/people/${personId}/plan/edit`,
      `/people/${personId}/plan/edit`,
      firstPlan('0'),
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/people/${personId}/plan?saved=1`);

    const page = await get(practitioner, `/people/${personId}/plan?saved=1`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Plan saved as version 1');
    expect(page.body).toContain('Version 1, saved by');
    for (const text of [
      'About me',
      'My strengths',
      'Good sense of humour',
      'My goals and hopes',
      'Get back to the allotment by the spring',
      'Walk to the allotment together each week',
      'Riverside Good Neighbours',
      'Weaver&#39;s Wharf Housing Association',
      'In progress',
      '7 out of 10',
      'Not asked',
      'If things go wrong',
      'Sue on 07700 900123',
      '1 June 2027',
      'Agreed with',
      'Joan Whitfield',
      'Print this plan',
      'Edit the plan',
    ]) {
      expect(page.body).toContain(text);
    }
  });

  it('refuses a stale save with a 409, keeping what was typed, and saves nothing', async () => {
    const fields = firstPlan('0');
    fields['aboutMe-pleaseDo'] = 'Something I typed while someone else saved';
    const response = await submit(
      practitioner,
      `/people/${personId}/plan/edit`,
      `/people/${personId}/plan/edit`,
      fields,
    );
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('Someone else saved the plan');
    expect(response.body).toContain(`href="/people/${personId}/plan/edit"`);
    expect(response.body).toContain('Something I typed while someone else saved');
    const plan = await get(practitioner, `/api/people/${personId}/plan`);
    expect(plan.json().versions).toHaveLength(1);
  });

  it('saves a second version changing, removing and adding actions', async () => {
    const edit = await get(practitioner, `/people/${personId}/plan/edit`);
    expect(inputValue(edit.body, 'basedOn')).toBe('1');
    expect(inputValue(edit.body, 'goals-count')).toBe('2'); // the goal and a blank one for adding
    expect(inputValue(edit.body, 'goals-0-actions-count')).toBe('3');
    const goalId = inputValue(edit.body, 'goals-0-id');
    const walkId = inputValue(edit.body, 'goals-0-actions-0-id');
    const railId = inputValue(edit.body, 'goals-0-actions-1-id');
    expect(goalId).toMatch(/^[0-9a-f-]{36}$/);

    const fields = firstPlan('1');
    Object.assign(fields, {
      'goals-0-id': goalId,
      'goals-0-new': [],
      'goals-0-actions-count': '3',
      'goals-0-actions-0-id': walkId,
      'goals-0-actions-0-new': [],
      'goals-0-actions-0-status': 'done',
      'goals-0-actions-1-id': railId,
      'goals-0-actions-1-new': [],
      'goals-0-actions-1-remove': 'yes',
      'goals-0-actions-2-new': 'yes',
      'goals-0-actions-2-what': 'Join the gardening group at the health centre',
      'goals-0-actions-2-who-kind': 'community-resource',
      'goals-0-actions-2-who-name': 'Social prescribing link worker',
      'goals-0-actions-2-who-organisationId': organisationNamed('Riverside Community Links'),
      'goals-0-actions-2-when': 'From April',
      'goals-0-actions-2-status': 'not-started',
      'goals-0-actions-2-confidence': '5',
      changeSummary: 'Walks done; gardening group instead of the rail',
      next: 'add-action',
    });
    const response = await submit(
      practitioner,
      `/people/${personId}/plan/edit`,
      `/people/${personId}/plan/edit`,
      fields,
    );
    expect(response.statusCode).toBe(303);
    // "Save and add another action" comes back to the form.
    expect(response.headers.location).toBe(`/people/${personId}/plan/edit?saved=2`);
    const again = await get(practitioner, String(response.headers.location));
    expect(again.body).toContain('Plan saved as version 2');
    expect(inputValue(again.body, 'basedOn')).toBe('2');

    const page = await get(practitioner, `/people/${personId}/plan`);
    expect(page.body).toContain('Version 2, saved by');
    expect(page.body).toContain('Join the gardening group at the health centre');
    expect(page.body).toContain('Riverside Community Links');
    expect(page.body).not.toContain('Fit a rail by the back door');
    expect(page.body).toContain('Walks done; gardening group instead of the rail');
    expect(page.body).toContain(`href="/people/${personId}/plan/versions/1"`);
    expect(page.body).toContain(`action="/people/${personId}/plan/compare"`);
  });

  it('compares two versions in a table of changes with a tag for each kind', async () => {
    const page = await get(practitioner, `/people/${personId}/plan/compare?from=1&to=2`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Changes from version 1 to version 2');
    expect(page.body).toMatch(/nhsuk-tag--green[^>]*>\s*Added/);
    expect(page.body).toMatch(/nhsuk-tag--red[^>]*>\s*Removed/);
    expect(page.body).toMatch(/nhsuk-tag--blue[^>]*>\s*Changed/);
    expect(page.body).toContain('Fit a rail by the back door');
    expect(page.body).toContain('Join the gardening group at the health centre');
    expect(page.body).toContain('Done');
    // Without a choice, the latest two versions are compared.
    const latest = await get(practitioner, `/people/${personId}/plan/compare`);
    expect(latest.body).toContain('Changes from version 1 to version 2');
    const missing = await get(practitioner, `/people/${personId}/plan/compare?from=1&to=9`);
    expect(missing.statusCode).toBe(404);
  });

  it('shows an earlier version, clearly labelled', async () => {
    const page = await get(practitioner, `/people/${personId}/plan/versions/1`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('An earlier version');
    expect(page.body).toContain('the current plan is version 2');
    expect(page.body).toContain('Fit a rail by the back door');
    expect((await get(practitioner, `/people/${personId}/plan/versions/7`)).statusCode).toBe(404);
    expect((await get(practitioner, `/people/${personId}/plan/versions/x`)).statusCode).toBe(404);
  });

  it('prints the plan with the person’s details and without the navigation', async () => {
    const page = await get(practitioner, `/people/${personId}/plan/print`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Care and support plan for Joan Whitfield');
    expect(page.body).toContain('401 023 2137');
    expect(page.body).toContain('Date printed');
    expect(page.body).toContain('Joan Whitfield (the person), on 2 February 2026');
    expect(page.body).toContain('Join the gardening group at the health centre');
    expect(page.body).not.toContain('aria-label="Main menu"');
  });

  it('takes comments, and says what is wrong with an empty one', async () => {
    const empty = await submit(
      practitioner,
      `/people/${personId}/plan`,
      `/people/${personId}/plan/comments`,
      {
        version: '2',
        body: '',
      },
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write a comment.');
    expect(empty.body).toContain('href="#body"');

    const response = await submit(
      practitioner,
      `/people/${personId}/plan`,
      `/people/${personId}/plan/comments`,
      {
        version: '2',
        body: 'Joan asked to start the group after Easter.',
      },
    );
    expect(response.statusCode).toBe(303);
    const page = await get(practitioner, String(response.headers.location));
    expect(page.body).toContain('Your comment was added to the plan');
    expect(page.body).toContain('Joan asked to start the group after Easter.');
  });

  it('is not found for people outside the reader’s care team, and not editable by the person', async () => {
    expect((await get(person, `/people/${personId}/plan`)).statusCode).toBe(404);
    expect((await get(practitioner, `/people/${randomUUID()}/plan`)).statusCode).toBe(404);
    expect((await get(practitioner, '/people/not-an-id/plan')).statusCode).toBe(404);
    expect((await get(person, `/people/${demoPersonId}/plan/edit`)).statusCode).toBe(403);
    const anonymous = await t.app.inject(`/people/${personId}/plan`);
    expect(anonymous.statusCode).toBe(303);
  });
});

describe('person@demo’s own view', () => {
  let outcomeId: string;

  it('/my shows what matters, the plan, the review and the care team', async () => {
    const page = await get(person, '/my');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What matters to me');
    expect(page.body).toContain('Add something that matters to me');
    expect(page.body).toContain('My care and support plan');
    expect(page.body).toContain(`href="/people/${demoPersonId}/plan"`);
    expect(page.body).toContain('My next review');
    expect(page.body).toContain('Who supports me');
    expect(page.body).toContain('Riverside Borough Council Adult Social Care');
    expect(page.body).toContain('href="/my"'); // the header's "My record"
  });

  it('the person sees their own plan, and may comment on it', async () => {
    const page = await get(person, `/people/${demoPersonId}/plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Back to my record');
    expect(page.body).not.toContain('Edit the plan');
    expect(page.body).toContain('Add a comment');
  });

  it('adding what matters needs words', async () => {
    const response = await submit(
      person,
      `/people/${demoPersonId}/outcomes/new`,
      `/people/${demoPersonId}/outcomes/new`,
      {
        statement: '',
        whyItMatters: 'Because',
      },
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Write what matters to you, in your own words');
    expect(response.body).toContain('Because');
  });

  it('adds something that matters, with a domain and a rating now', async () => {
    const form = await get(person, `/people/${demoPersonId}/outcomes/new`);
    // Each box its own id: a repeated one ticked "Having things to do" for "Being listened to".
    expect(duplicateIds(form.body)).toEqual([]);
    const domainId =
      /name="domainIds" type="checkbox" value="([^"]+)"/.exec(form.body)?.[1] ??
      inputValue(form.body, 'domainIds');
    expect(domainId).toMatch(/^[0-9a-f-]{36}$/);
    const response = await submit(
      person,
      `/people/${demoPersonId}/outcomes/new`,
      `/people/${demoPersonId}/outcomes/new`,
      {
        statement: 'I want to walk to the park on my own',
        whyItMatters: 'Fresh air and seeing people',
        domainIds: domainId,
        score: '2',
      },
    );
    expect(response.statusCode).toBe(303);
    const location = String(response.headers.location);
    expect(location).toMatch(/^\/my\?added=/);
    outcomeId = /added=([0-9a-f-]{36})/.exec(location)?.[1] ?? '';
    const page = await get(person, location);
    expect(page.body).toContain('was added to what matters to you');
    expect(page.body).toContain('“I want to walk to the park on my own”');
    expect(page.body).toContain('A little (2 out of 4)');
    // The summary links to the outcome's own page, which says why it matters.
    expect(page.body).toContain(`href="/my/outcomes/${outcomeId}"`);
    const own = await get(person, `/my/outcomes/${outcomeId}`);
    expect(own.body).toContain('Fresh air and seeing people');
  });

  it('rating needs a choice', async () => {
    const rate = `/people/${demoPersonId}/outcomes/${outcomeId}/rate`;
    const response = await submit(person, rate, rate, {});
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Choose how things are going');
    expect(response.body).toContain('href="#score"');
  });

  it('rates it, and sees plainly where views differ', async () => {
    const rate = `/people/${demoPersonId}/outcomes/${outcomeId}/rate`;
    const response = await submit(person, rate, rate, { score: '3' });
    expect(response.statusCode).toBe(303);
    // Back to the outcome's own page, with the rating shown.
    const outcomePage = `/my/outcomes/${outcomeId}`;
    expect(String(response.headers.location)).toBe(`${outcomePage}?rated=${outcomeId}`);
    let page = await get(person, `${outcomePage}?rated=${outcomeId}`);
    expect(page.body).toContain('Your rating was saved');
    expect(page.body).toContain('You last rated this <strong>Mostly (3 out of 4)</strong>');

    const byPractitioner = await t.app.inject({
      method: 'POST',
      url: `/api/people/${demoPersonId}/outcomes/${outcomeId}/ratings`,
      headers: { cookie: practitioner },
      payload: { score: 1 },
    });
    expect(byPractitioner.statusCode).toBe(201);
    page = await get(person, outcomePage);
    expect(page.body).toContain('Your practitioner');
    expect(page.body).toContain('Not at all (1 out of 4)');
    expect(page.body).toContain('Views differ: You said “Mostly” and your practitioner said “Not at all”');
  });
});

describe('a carer', () => {
  it('sees the people who shared their record, and may not add unless allowed', async () => {
    const db = t.database.db;
    // The demo data links carer@demo to person@demo, who lets them see their record and add to it.
    const { carerUserId, relationshipId } = await demoCarerLink(t, demoPersonId);
    let page = await get(carer, '/my');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/my/people/${demoPersonId}"`);

    // With every link withdrawn, no one has shared their record.
    await db
      .updateTable('relationship')
      .set({ may_view: false, may_contribute: false })
      .where('carer_user_id', '=', carerUserId)
      .execute();
    page = await get(carer, '/my');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No one has shared their record with you yet');

    // person@demo lets carer@demo see their record again, but not add to it.
    await db
      .updateTable('relationship')
      .set({ may_view: true, may_contribute: false })
      .where('person_id', '=', demoPersonId)
      .where('relationship_id', '=', relationshipId)
      .execute();
    page = await get(carer, '/my');
    expect(page.body).toContain(`href="/my/people/${demoPersonId}"`);
    page = await get(carer, `/my/people/${demoPersonId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('has shared their record with you');
    expect(page.body).not.toContain('Save my rating');

    const plan = await get(carer, `/people/${demoPersonId}/plan`);
    expect(plan.statusCode).toBe(200);
    expect(plan.body).toContain('has not asked for you to add comments');
    const comment = await submit(
      carer,
      `/people/${demoPersonId}/plan`,
      `/people/${demoPersonId}/plan/comments`,
      {
        version: '1',
        body: 'Mum seems brighter',
      },
    );
    expect(comment.statusCode).toBe(400);
    expect(comment.body).toContain('The person has not authorised you to add to their record.');
    expect((await get(carer, `/people/${demoPersonId}/outcomes/new`)).statusCode).toBe(403);
  });
});

describe('a practitioner reading by break-glass', () => {
  it('reads the plan, but is offered no way to change it or comment, and is refused if they try', async () => {
    const db = t.database.db;
    // A practitioner in another team, outside Joan's care team, with an emergency grant to read.
    const ownTeams = await db
      .selectFrom('care_team_member')
      .select('team_id')
      .where('person_id', '=', personId)
      .execute();
    const teamIds = ownTeams.flatMap((m) => (m.team_id ? [m.team_id] : []));
    const outsider = await db
      .selectFrom('user_account as u')
      .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
      .select(['u.user_id', 'u.username'])
      .where('r.role', '=', 'practitioner')
      .where('r.team_id', 'not in', teamIds)
      .executeTakeFirstOrThrow();
    const { password_hash } = await db
      .selectFrom('user_account')
      .select('password_hash')
      .where('username', '=', 'practitioner@demo')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('user_account')
      .set({ password_hash })
      .where('user_id', '=', outsider.user_id)
      .execute();
    const reader = await signIn(t.app, outsider.username);
    expect((await get(reader, `/people/${personId}/plan`)).statusCode).toBe(404);
    await db
      .insertInto('break_glass_grant')
      .values({
        person_id: personId,
        grant_id: randomUUID(),
        user_id: outsider.user_id,
        reason: 'Called out overnight by the ambulance service',
        expires_at: new Date(Date.now() + 3_600_000),
      })
      .execute();

    const page = await get(reader, `/people/${personId}/plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Join the gardening group at the health centre');
    expect(page.body).not.toContain('Add a comment');
    expect(page.body).not.toContain('Edit the plan');
    const comment = await submit(reader, `/people/${personId}/plan`, `/people/${personId}/plan/comments`, {
      version: '2',
      body: 'Seen overnight',
    });
    expect(comment.statusCode).toBe(400);
    expect(comment.body).toContain('Break-glass access lets you read the record, not change it.');
    expect((await get(reader, `/people/${personId}/plan/edit`)).statusCode).toBe(403);
  });
});

describe('version numbers in addresses', () => {
  it('answers a version number beyond any stored with a 4xx, never a 5xx', async () => {
    for (const version of ['0', '2147483648', '99999999999999999999', '1.5']) {
      const api = await get(practitioner, `/api/people/${personId}/plan/versions/${version}`);
      expect(api.statusCode, `API version ${version}`).toBe(400);
      const page = await get(practitioner, `/people/${personId}/plan/versions/${version}`);
      expect(page.statusCode, `page version ${version}`).toBe(404);
    }
    const compare = await get(practitioner, `/api/people/${personId}/plan/compare?from=1&to=2147483648`);
    expect(compare.statusCode).toBe(400);
    expect((await get(practitioner, `/api/people/${personId}/plan/versions/2147483647`)).statusCode).toBe(
      404,
    );
  });
});

describe('the plan editor, several goals and actions at once', () => {
  let joeId: string;
  const editUrl = () => `/people/${joeId}/plan/edit`;
  const planVersions = async () =>
    (await get(practitioner, `/api/people/${joeId}/plan`)).json().versions.length as number;

  beforeAll(async () => {
    const registered = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: practitioner },
      payload: { givenName: 'Joe', familyName: 'Marsh', sex: 'male', dateOfBirth: '1950-05-05' },
    });
    joeId = registered.json().personId;
  });

  it('adds a blank goal, and a blank action to a goal, without saving anything (no script)', async () => {
    const moreGoals = await submit(practitioner, editUrl(), editUrl(), {
      ...firstPlan('0'),
      next: 'add-goal',
    });
    expect(moreGoals.statusCode).toBe(200);
    expect(moreGoals.body).toContain('name="goals-1-description"');
    expect(moreGoals.body).toContain('Get back to the allotment by the spring');
    expect(duplicateIds(moreGoals.body)).toEqual([]);
    const moreActions = await submit(practitioner, editUrl(), editUrl(), {
      ...firstPlan('0'),
      next: 'add-action-0',
    });
    expect(moreActions.statusCode).toBe(200);
    expect(moreActions.body).toContain('name="goals-0-actions-2-what"');
    expect(moreActions.body).toContain('Fit a rail by the back door');
    expect(duplicateIds(moreActions.body)).toEqual([]);
    expect(await planVersions()).toBe(0);
  });

  it('saves two goals with several actions in one save; an organisation needs no person’s name', async () => {
    const fields: Fields = {
      ...firstPlan('0'),
      'goals-0-actions-1-who-name': '',
      'goals-count': '2',
      'goals-1-new': 'yes',
      'goals-1-description': 'Sleep through the night',
      'goals-1-actions-count': '3',
      'goals-1-actions-0-new': 'yes',
      'goals-1-actions-0-what': 'Review the evening tablets',
      'goals-1-actions-0-who-kind': 'practitioner',
      'goals-1-actions-0-who-name': 'Dr Patel',
      'goals-1-actions-0-status': 'not-started',
      'goals-1-actions-1-new': 'yes',
      'goals-1-actions-1-what': 'A quieter room at the back',
      'goals-1-actions-1-who-kind': 'organisation',
      'goals-1-actions-1-who-organisationId': organisationNamed("Weaver's Wharf Housing Association"),
      'goals-1-actions-1-status': 'not-started',
      // A blank row added and left blank is a place to add, not an action.
      'goals-1-actions-2-new': 'yes',
      'goals-1-actions-2-who-kind': 'practitioner',
      'goals-1-actions-2-status': 'not-started',
    };
    const response = await submit(practitioner, editUrl(), editUrl(), fields);
    expect(response.statusCode).toBe(303);
    const plan = (await get(practitioner, `/api/people/${joeId}/plan`)).json().current.content;
    expect(plan.goals.map((g: { actions: unknown[] }) => g.actions.length)).toEqual([2, 2]);
    expect(plan.goals[0].actions[1].who).toMatchObject({ name: '' });
    const page = await get(practitioner, `/people/${joeId}/plan`);
    expect(page.body).toContain('Sleep through the night');
    expect(page.body).toContain('A quieter room at the back');
    expect(await planVersions()).toBe(1);
  });

  it('still needs to know who does an action: a name, or an organisation', async () => {
    const fields: Fields = {
      ...firstPlan('1'),
      'goals-0-actions-1-who-name': '',
      'goals-0-actions-1-who-organisationId': '',
    };
    const response = await submit(practitioner, editUrl(), editUrl(), fields);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#goals-0-actions-1-who-name"');
    expect(response.body).toContain(
      'Enter the name of who does action 2 of goal 1, or choose their organisation',
    );
  });
});
