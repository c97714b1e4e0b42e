import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/** The practitioner's pages through real form posts (with CSRF tokens), as a browser without script sends them. */
let t: TestApp;
let session: string;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  session = await signIn(t.app, 'practitioner@demo');
});
afterAll(() => t?.close());

/** GETs a form page as the practitioner and posts fields to it, with the page's CSRF token and cookie. */
const submit = (pageUrl: string, action: string, fields: FormFields) =>
  submitForm(t.app, { session, pageUrl, action, fields });

let personId: string;

/** Posts the conversation form, as opened for a first conversation or a review. */
const submitConversation = (kind: 'first' | 'review', fields: FormFields) =>
  submit(`/people/${personId}/conversations/new?kind=${kind}`, `/people/${personId}/conversations/new`, {
    kind,
    ...fields,
  });

/** A page of the first conversation, asked a question a page. */
const stepUrl = (step: string, query = '') => `/people/${personId}/conversations/first/${step}${query}`;
const answerStep = (step: string, fields: FormFields, query = '') =>
  submit(stepUrl(step, query), stepUrl(step, query), fields);

/** When and who, the first conversation's first question. */
const firstConversation: FormFields = {
  'heldOn[day]': '1',
  'heldOn[month]': '9',
  'heldOn[year]': '2026',
  participants: ['person', 'me'],
};

describe('register a person', () => {
  it('shows specific errors and keeps what was typed', async () => {
    const response = await submit('/people/new', '/people/new', {
      givenName: 'Joan',
      familyName: '',
      'dateOfBirth[day]': '31',
      'dateOfBirth[month]': '2',
      'dateOfBirth[year]': '1950',
      postcode: 'nonsense',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter their last name');
    expect(response.body).toContain('Date of birth must be a real date');
    expect(response.body).toContain('Select their sex as registered');
    expect(response.body).toContain('Enter a real postcode');
    expect(response.body).toContain('value="Joan"');
  });

  it('registers and goes to the new record', async () => {
    const response = await submit('/people/new', '/people/new', {
      givenName: 'Joan',
      familyName: 'Whitfield',
      sex: 'female',
      'dateOfBirth[day]': '3',
      'dateOfBirth[month]': '4',
      'dateOfBirth[year]': '1938',
      nhsNumber: '401 023 2137',
    });
    expect(response.statusCode).toBe(303);
    personId = /\/people\/([0-9a-f-]{36})/.exec(String(response.headers.location))?.[1] ?? '';
    expect(personId).not.toBe('');
  });

  it('the caseload finds her by name and by NHS number', async () => {
    for (const search of ['whitfield', '4010232137']) {
      const page = await t.app.inject({ url: `/caseload?search=${search}`, headers: { cookie: session } });
      expect(page.body).toContain('Joan Whitfield');
      expect(page.body).toContain('No plan');
    }
  });
});

describe('record a first conversation and a review', () => {
  it('refuses a first conversation with nothing that matters', async () => {
    expect((await answerStep('who', firstConversation)).statusCode).toBe(303);
    const response = await answerStep('outcome', { 'new-0-statement': '' }, '?n=0');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('write what matters, in the person’s own words');
  });

  it('records three outcomes in her words with ratings and a GAS goal, a question a page', async () => {
    const statements = [
      'I want to do my own shopping again',
      'I want to stop feeling lonely in the evenings',
      'I want to keep my garden tidy',
    ];
    for (const [n, statement] of statements.entries()) {
      expect((await answerStep('outcome', { [`new-${n}-statement`]: statement }, `?n=${n}`)).statusCode).toBe(
        303,
      );
      expect((await answerStep('outcomes', { another: n < 2 ? 'yes' : 'no' })).statusCode).toBe(303);
    }
    const ratings: FormFields[] = [
      { 'new-0-rating-person': '1', 'new-0-rating-practitioner': '2' },
      { 'new-1-rating-person': '2' },
      {},
    ];
    for (const [n, fields] of ratings.entries())
      expect((await answerStep('ratings', fields, `?n=${n}`)).statusCode).toBe(303);
    const gas = await answerStep(
      'gas',
      {
        'new-0-gas-wanted': 'yes',
        'new-0-gas-m2': 'Does not go out',
        'new-0-gas-m1': 'Goes out with help',
        'new-0-gas-z0': 'Shops with a friend weekly',
        'new-0-gas-p1': 'Shops alone weekly',
        'new-0-gas-p2': 'Shops alone and helps a neighbour',
        'new-0-gas-baseline': '-2',
      },
      '?n=0',
    );
    expect(gas.statusCode).toBe(303);
    for (const n of [1, 2])
      expect((await answerStep('gas', { [`new-${n}-gas-wanted`]: 'no' }, `?n=${n}`)).statusCode).toBe(303);
    const review = await answerStep('review', {
      summary: 'Met Joan at home.',
      'nextReview[day]': '1',
      'nextReview[month]': '10',
      'nextReview[year]': '2026',
    });
    expect(review.headers.location).toBe(stepUrl('check'));
    const check = await t.app.inject({ url: stepUrl('check'), headers: { cookie: session } });
    const draftId = /name="draftId" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const response = await answerStep('check', { draftId, action: 'save' });
    expect(response.statusCode).toBe(303);
    const page = await t.app.inject({ url: `/people/${personId}`, headers: { cookie: session } });
    expect(page.body).toContain('“I want to do my own shopping again”');
    expect(page.body).toContain('Views differ');
    expect(page.body).toContain('Goal attainment: now');
  });

  it('"add another" keeps what was typed and adds a block', async () => {
    const response = await submitConversation('review', {
      newCount: '1',
      summary: 'Half written',
      action: 'add-outcome',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Half written');
    expect(response.body).toContain('name="new-1-statement"');
  });

  it('a review updates ratings and GAS, and the timeline shows it', async () => {
    const record = (
      await t.app.inject({ url: `/api/people/${personId}`, headers: { cookie: session } })
    ).json();
    const shopping = record.outcomes.find((o: { statement: string }) => o.statement.includes('shopping'));
    const response = await submitConversation('review', {
      newCount: '1',
      'heldOn[day]': '15',
      'heldOn[month]': '10',
      'heldOn[year]': '2026',
      participants: ['person', 'me'],
      summary: 'Joan has been to the shop with her neighbour.',
      whatHelped: 'Her neighbour',
      whatGotInTheWay: 'Her knee',
      [`rating-${shopping.outcomeId}-person`]: '3',
      [`gas-${shopping.outcomeId}`]: '0',
      action: 'save',
    });
    expect(response.statusCode).toBe(303);
    const page = await t.app.inject({ url: `/people/${personId}`, headers: { cookie: session } });
    expect(page.body).toContain('Goal attainment T-score by review');
    expect(page.body).toContain('+2 better');
    const timeline = await t.app.inject({
      url: `/people/${personId}/timeline`,
      headers: { cookie: session },
    });
    expect(timeline.body).toContain('Review');
    expect(timeline.body).toContain('Goal attainment for “I want to do my own shopping again”: 0');
  });
});

describe('care team and circle', () => {
  it('adds a member from another agency and a carer', async () => {
    const organisations = (
      await t.app.inject({ url: '/api/organisations', headers: { cookie: session } })
    ).json();
    const housing = organisations.find((o: { kind: string }) => o.kind === 'housing-association');
    const noBasis = await submit(`/people/${personId}/care-team/add`, `/people/${personId}/care-team/add`, {
      placement: `${housing.organisationId}:`,
      supportKind: 'housing',
      roleDescription: 'Housing officer',
    });
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.body).toContain('Record the person’s consent, or another basis');
    const added = await submit(`/people/${personId}/care-team/add`, `/people/${personId}/care-team/add`, {
      placement: `${housing.organisationId}:`,
      supportKind: 'housing',
      roleDescription: 'Housing officer',
      basis: 'consent',
      purpose: 'Adaptations to the bathroom',
    });
    expect(added.statusCode).toBe(303);
    const carer = await submit(`/people/${personId}/circle/add`, `/people/${personId}/circle/add`, {
      name: 'Dave Whitfield',
      relationshipType: 'son',
      isCarer: 'yes',
      carerUsername: 'carer@demo',
    });
    expect(carer.statusCode).toBe(303);
    const page = await t.app.inject({ url: `/people/${personId}`, headers: { cookie: session } });
    expect(page.body).toContain(housing.name.replaceAll("'", '&#39;'));
    expect(page.body).toContain('Dave Whitfield');
    expect(page.body).toContain('may not see this record');
  });
});

describe('contact details and communication needs', () => {
  it('refuses a malformed email and saves good details', async () => {
    const bad = await submit(`/people/${personId}/details`, `/people/${personId}/details`, {
      email: 'not-an-email',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter an email address like name@example.com');
    const ok = await submit(`/people/${personId}/details`, `/people/${personId}/details`, {
      preferredName: 'Jo',
      communicationNeeds: 'Hard of hearing: face her and speak clearly',
    });
    expect(ok.statusCode).toBe(303);
    const page = await t.app.inject({ url: `/people/${personId}`, headers: { cookie: session } });
    expect(page.body).toContain('Jo Whitfield');
    expect(page.body).toContain('Hard of hearing: face her and speak clearly');
  });
});

describe('someone outside the care team', () => {
  it('gets a 404 page, not the record', async () => {
    const commissioner = await signIn(t.app, 'person@demo');
    const page = await t.app.inject({ url: `/people/${personId}`, headers: { cookie: commissioner } });
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Whitfield');
  });
});
