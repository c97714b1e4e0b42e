import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { emptyCarePlan } from '../../src/domain/care-plan.js';
import { answerItemLinkIds, INSTRUMENTS } from '../../src/domain/measures/instruments/index.js';
import { fieldIdFor } from '../../src/domain/measures/questionnaire/form.js';
import { demoAccount, demoPersonInCaseload } from '../support/demo.js';
import { csrfFrom, postForm } from '../support/forms.js';
import { loadTestWording } from '../support/licensed-wording.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Administering standard measures through HTTP: a practitioner records a PHQ-9 filled in with the
 * person (API and pages), sends a SWEMWBS that the person completes in their own view, schedules a
 * GAD-7 at the start and each review, and records the end of support; what is due and overdue shows
 * on the person's page and the caseload; bad input names its field; others are refused and the
 * refusal audited; and the person's export carries the responses.
 */
let t: TestApp;
let practitioner: string;
let person: string;
let carer: string;
/** person@demo: the person who completes measures in their own view (the demo measures them too). */
let personId: string;
/** Someone newly registered by the practitioner, with no measures yet. */
let newPersonId: string;

const headers = (cookie: string) => ({ headers: { cookie } });
const post = (url: string, cookie: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, ...headers(cookie), payload: payload as object });
const get = (url: string, cookie: string) => t.app.inject({ url, ...headers(cookie) });
const measuresUrl = (id = newPersonId) => `/api/people/${id}/measures`;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  person = await signIn(t.app, 'person@demo');
  carer = await signIn(t.app, 'carer@demo');
  personId = await demoPersonInCaseload(t, practitioner);
  const registered = await post('/api/people', practitioner, {
    givenName: 'Rowan',
    familyName: 'Measures',
    sex: 'female',
    dateOfBirth: '1970-02-03',
  });
  expect(registered.statusCode, registered.body).toBe(201);
  newPersonId = registered.json().personId;
});
afterAll(() => t?.close());

describe('recording a measure filled in with the person', () => {
  it('scores a PHQ-9 given as answers: total, band and its words', async () => {
    const response = await post(measuresUrl(), practitioner, {
      instrument: 'phq9',
      answers: [1, 1, 1, 1, 1, 1, 1, 1, 1],
      authoredOn: '2026-01-05',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().scores).toEqual([
      expect.objectContaining({ key: 'total', value: 9, band: 'mild', bandLabel: 'Mild' }),
    ]);
    const stored = await t.database.db
      .selectFrom('questionnaire_response')
      .select(['resource', 'completed_by', 'authored_on'])
      .where('response_id', '=', response.json().responseId)
      .executeTakeFirstOrThrow();
    expect(stored.completed_by).toBe('practitioner-with-person');
    expect(stored.resource).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'completed' });
  });

  it('gives the change between the first and the latest: 9 then 3 is a reliable improvement', async () => {
    for (const [answers, authoredOn] of [
      [[2, 2, 2, 2, 2, 2, 2, 2, 2], '2026-02-01'],
      [[1, 1, 1, 0, 0, 0, 0, 0, 0], '2026-03-01'],
    ] as const) {
      const r = await post(measuresUrl(), practitioner, { instrument: 'phq9', answers, authoredOn });
      expect(r.statusCode, r.body).toBe(201);
    }
    const overview = (await get(measuresUrl(), practitioner)).json();
    const phq9 = overview.measures.find((m: { instrument: string }) => m.instrument === 'phq9');
    const total = phq9.series.find((s: { key: string }) => s.key === 'total');
    expect(total.points.map((p: { value: number }) => p.value)).toEqual([9, 18, 3]);
    // First (9, mild: not at caseness) to latest (3): improvement of 6 is reliable; no recovery from below caseness.
    expect(total.change).toEqual({
      category: 'reliable-improvement',
      label: 'Reliable improvement',
      from: 9,
      to: 3,
    });
  });

  it('takes a whole QuestionnaireResponse and refuses one that leaves a question unanswered', async () => {
    // The seven scored items (the difficulty item after them is optional and answered differently).
    const linkIds = answerItemLinkIds(INSTRUMENTS.gad7.questionnaire).slice(0, 7);
    const option = (INSTRUMENTS.gad7.questionnaire.item ?? [])
      .flatMap((i) => [i, ...(i.item ?? [])])
      .find((i) => i.linkId === linkIds[0])?.answerOption?.[2]?.valueCoding;
    const response = (ids: string[]) => ({
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      item: ids.map((linkId) => ({ linkId, answer: [{ valueCoding: option }] })),
    });
    const ok = await post(measuresUrl(), practitioner, { instrument: 'gad7', response: response(linkIds) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().scores[0]).toMatchObject({ value: 14, band: 'moderate' });
    const missing = await post(measuresUrl(), practitioner, {
      instrument: 'gad7',
      response: response(linkIds.slice(1)),
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe('response.item');
  });
});

describe('bad input names the field', () => {
  const cases: [string, object, string][] = [
    ['too few answers', { instrument: 'phq9', answers: [1, 1, 1] }, 'answers'],
    ['an answer out of range', { instrument: 'phq9', answers: [1, 1, 1, 7, 1, 1, 1, 1, 1] }, 'answers.3'],
    ['no measure', { answers: [1] }, 'instrument'],
    [
      'both answers and a response',
      {
        instrument: 'phq9',
        answers: [0],
        response: { resourceType: 'QuestionnaireResponse', status: 'completed' },
      },
      'answers',
    ],
    [
      'a date in the future',
      { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0], authoredOn: '2999-01-01' },
      'authoredOn',
    ],
    ['an unknown instrument', { instrument: 'beck', answers: [0] }, 'instrument'],
    ['an unknown field', { instrument: 'phq9', answers: [0], colour: 'blue' }, 'colour'],
  ];
  for (const [what, payload, field] of cases) {
    it(`refuses ${what}`, async () => {
      const response = await post(measuresUrl(), practitioner, payload);
      expect([400, 422]).toContain(response.statusCode);
      expect(response.headers['content-type']).toContain('application/problem+json');
      // The HTTP layer names a field of the body as `body.<field>`; the service names it alone.
      const fields = response.json().errors.map((e: { field: string }) => e.field.replace(/^body\./, ''));
      expect(fields).toContain(field);
    });
  }
});

describe('a built-in whose wording is licensed: not offered until the wording is loaded', () => {
  it('refuses to send or record SWEMWBS as shipped, naming the field, and the page says why', async () => {
    const sent = await post(`/api/people/${personId}/measure-requests`, practitioner, {
      instrument: 'swemwbs',
    });
    expect(sent.statusCode, sent.body).toBe(422);
    expect(sent.json().errors).toEqual([
      expect.objectContaining({ field: 'instrument', message: expect.stringMatching(/licensed wording/) }),
    ]);
    const recorded = await post(measuresUrl(), practitioner, {
      instrument: 'collaborate',
      answers: [9, 9, 9],
    });
    expect(recorded.statusCode, recorded.body).toBe(422);
    const choose = await get(`/people/${personId}/measures/new`, practitioner);
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('Not available until their licensed wording is loaded');
    expect(choose.body).toContain('href="/questionnaires/swemwbs"');
    // Offered: PHQ-9, GAD-7, ONS4 and the FFT; SWEMWBS and CollaboRATE are named, not offered.
    expect(choose.body.match(/name="questionnaireId"/g)).toHaveLength(4);
  });

  it('is offered once an administrator has loaded the wording', async () => {
    await loadTestWording(t, await signIn(t.app, 'admin@demo'), 'swemwbs');
    const choose = await get(`/people/${personId}/measures/new`, practitioner);
    expect(choose.body).not.toContain('href="/questionnaires/swemwbs"');
    expect(choose.body.match(/name="questionnaireId"/g)).toHaveLength(5);
  });
});

describe('sending a questionnaire to the person, who completes it in their own view', () => {
  let requestId: string;

  it('is in their list of questionnaires to fill in', async () => {
    const sent = await post(`/api/people/${personId}/measure-requests`, practitioner, {
      instrument: 'swemwbs',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    requestId = sent.json().requestId;
    const page = await get('/my/measures', person);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/my/measures/${requestId}`);
    expect((await get('/my', person)).body).toContain('You have 1 questionnaire to fill in');
  });

  it('the person fills it in through the form, checks the answers and sends them', async () => {
    const form = await get(`/my/measures/${requestId}`, person);
    expect(form.statusCode, form.body).toBe(200);
    const linkIds = answerItemLinkIds(INSTRUMENTS.swemwbs.questionnaire);
    // Each choice posts its option's index: index 3 is the fourth response, scoring 4.
    const fields = Object.fromEntries(linkIds.map((id) => [fieldIdFor(id), '3']));
    const { token, cookie } = csrfFrom(form);
    const check = await postForm(t.app, {
      url: `/my/measures/${requestId}`,
      cookie: `${person}; ${cookie}`,
      fields: { _csrf: token, ...fields },
    });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.body).toContain('Check the answers before saving');
    const saved = await postForm(t.app, {
      url: `/my/measures/${requestId}/save`,
      cookie: `${person}; ${cookie}`,
      fields: { _csrf: token, ...fields },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    const done = await get(saved.headers.location as string, person);
    expect(done.body).toContain('your answers to');
    // 7 × 4 = 28 raw; the published conversion gives a metric score of 25.03.
    expect(done.body).toContain('25.03');
    const request = await t.database.db
      .selectFrom('measure_request')
      .select(['status', 'response_id'])
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('completed');
    const response = await t.database.db
      .selectFrom('questionnaire_response')
      .select('completed_by')
      .where('response_id', '=', request.response_id as string)
      .executeTakeFirstOrThrow();
    expect(response.completed_by).toBe('person');
  });

  it('the person may not record a measure nobody sent them', async () => {
    const response = await post(measuresUrl(personId), person, {
      instrument: 'gad7',
      answers: [0, 0, 0, 0, 0, 0, 0],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('questionnaireId');
  });

  it('shows the person their scores in plain words and on a chart', async () => {
    const page = await get('/my/measures', person);
    expect(page.body).toContain('Metric score: 25.03');
    const overview = (await get(measuresUrl(personId), person)).json();
    const swemwbs = overview.measures.find((m: { instrument: string }) => m.instrument === 'swemwbs');
    const chart = await get(`/my/measures/scores/${swemwbs.questionnaireId}`, person);
    expect(chart.statusCode).toBe(200);
    expect(chart.body).toContain('role="img"');
  });
});

describe('schedules, due and overdue', () => {
  it('scheduling at the start and each review opens a request due today and one at the next review', async () => {
    const scheduled = await post(`/api/people/${newPersonId}/measure-schedules`, practitioner, {
      instrument: 'gad7',
      atStart: true,
      atReview: true,
      atEnd: true,
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    expect(scheduled.json().requestIds).toHaveLength(2);
    const before = (await get(measuresUrl(), practitioner)).json().requests;
    const gad7 = before.filter((r: { instrument: string }) => r.instrument === 'gad7');
    expect(gad7.find((r: { occasion: string }) => r.occasion === 'start')).toMatchObject({
      dueOn: todayIso(),
      dueStatus: 'due',
    });
    // No review is arranged yet: the review's measure waits for one.
    expect(gad7.find((r: { occasion: string }) => r.occasion === 'review')).toMatchObject({
      dueOn: null,
      effectiveDueOn: null,
      dueStatus: 'waiting',
    });
    // The plan's planned review arranges it (a past date, so it is overdue already).
    const plan = emptyCarePlan();
    plan.review.plannedDate = '2026-01-10';
    const saved = await post(`/api/people/${newPersonId}/plan/versions`, practitioner, {
      content: plan,
      basedOn: 0,
      changeSummary: 'First plan',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const after = (await get(measuresUrl(), practitioner)).json().requests;
    expect(after.find((r: { occasion: string }) => r.occasion === 'review')).toMatchObject({
      dueOn: null,
      effectiveDueOn: '2026-01-10',
      dueStatus: 'overdue',
    });
  });

  it('a measure completes the open request due first; a review completed opens the next review’s', async () => {
    const open = async () =>
      (await get(measuresUrl(), practitioner))
        .json()
        .requests.filter((r: { instrument: string }) => r.instrument === 'gad7');
    const overdueReview = (await open()).find((r: { occasion: string }) => r.occasion === 'review');
    const first = await post(measuresUrl(), practitioner, {
      instrument: 'gad7',
      answers: [1, 1, 1, 1, 1, 1, 1],
    });
    expect(first.statusCode, first.body).toBe(201);
    // The review was due on 10 January, before the start's today: it is the one completed.
    expect(first.json().requestId).toBe(overdueReview.requestId);
    const afterFirst = await open();
    const nextReview = afterFirst.find((r: { occasion: string }) => r.occasion === 'review');
    expect(nextReview.requestId).not.toBe(overdueReview.requestId);
    // The next review is the one after today; the plan's review date has not moved yet.
    expect(nextReview.dueStatus).toBe('waiting');
    const second = await post(measuresUrl(), practitioner, {
      instrument: 'gad7',
      answers: [1, 1, 1, 1, 1, 1, 1],
    });
    expect(second.json().requestId).toBe(
      afterFirst.find((r: { occasion: string }) => r.occasion === 'start').requestId,
    );
    expect((await open()).map((r: { occasion: string }) => r.occasion)).toEqual(['review']);
  });

  it('support ending opens the end request, due that day', async () => {
    const ended = await post(`/api/people/${newPersonId}/measure-schedules/end`, practitioner, {
      endOn: todayIso(),
    });
    expect(ended.statusCode, ended.body).toBe(201);
    expect(ended.json().requestIds).toHaveLength(1);
    const again = await post(`/api/people/${newPersonId}/measure-schedules/end`, practitioner, {});
    expect(again.json().requestIds).toHaveLength(0);
  });

  it('a measure past its date is overdue on the person’s page and the caseload', async () => {
    const sent = await post(`/api/people/${personId}/measure-requests`, practitioner, {
      instrument: 'ons4',
      dueOn: '2026-01-01',
      sendToPerson: false,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const { requests } = (await get(measuresUrl(personId), practitioner)).json();
    expect(requests.find((r: { requestId: string }) => r.requestId === sent.json().requestId).dueStatus).toBe(
      'overdue',
    );
    const page = await get(`/people/${personId}`, practitioner);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="measures"');
    expect(page.body).toMatch(/measures? (is|are) overdue/);
    const caseload = await get('/caseload', practitioner);
    expect(caseload.body).toMatch(/(Measure|\d+ measures) overdue/);
  });

  it('stopping a schedule cancels its open requests', async () => {
    const { schedules } = (await get(measuresUrl(), practitioner)).json();
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/people/${newPersonId}/measure-schedules/${schedules[0].scheduleId}`,
      ...headers(practitioner),
    });
    expect(response.statusCode).toBe(204);
    const after = (await get(measuresUrl(), practitioner)).json();
    expect(after.schedules).toHaveLength(0);
    expect(after.requests.filter((r: { instrument: string }) => r.instrument === 'gad7')).toHaveLength(0);
  });
});

describe('pages: filling in a PHQ-9 with the person', () => {
  it('choose → form → check the answers → saved, with the score shown', async () => {
    const id = newPersonId;
    const choose = await get(`/people/${id}/measures/new`, practitioner);
    expect(choose.statusCode, choose.body).toBe(200);
    const phq9Id =
      /value="([0-9a-f-]{36})"[^>]*>\s*<label[^>]*>\s*Patient Health Questionnaire/i.exec(choose.body)?.[1] ??
      (await t.services.questionnaires.currentFor('phq9')).questionnaireId;
    const formPage = await get(`/people/${id}/measures/new/${phq9Id}`, practitioner);
    expect(formPage.statusCode, formPage.body).toBe(200);
    const { token, cookie } = csrfFrom(formPage);
    const linkIds = answerItemLinkIds(INSTRUMENTS.phq9.questionnaire).slice(0, 9);
    const empty = await postForm(t.app, {
      url: `/people/${id}/measures/new/${phq9Id}`,
      cookie: `${practitioner}; ${cookie}`,
      fields: { _csrf: token },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain(`href="#${fieldIdFor(linkIds[0] as string)}"`);
    const fields = Object.fromEntries(linkIds.map((id) => [fieldIdFor(id), '2']));
    const check = await postForm(t.app, {
      url: `/people/${id}/measures/new/${phq9Id}`,
      cookie: `${practitioner}; ${cookie}`,
      fields: { _csrf: token, ...fields },
    });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.body).toContain('More than half the days');
    const saved = await postForm(t.app, {
      url: `/people/${id}/measures/new/${phq9Id}/save`,
      cookie: `${practitioner}; ${cookie}`,
      fields: { _csrf: token, ...fields },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    const history = await get(saved.headers.location as string, practitioner);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('<strong>18</strong> (moderately severe)');
    expect(history.body).toContain('role="img"');
    expect(history.body).toContain('With a practitioner');
  });
});

describe('access', () => {
  it('refuses a carer recording a measure, and audits the refusal', async () => {
    const response = await post(measuresUrl(personId), carer, {
      instrument: 'phq9',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(response.statusCode).toBe(403);
    const carerUserId = (await demoAccount(t, 'carer@demo')).user_id;
    const refused = await t.database.db
      .selectFrom('audit_event')
      .select('outcome')
      .where('actor_user_id', '=', carerUserId)
      .where('action', '=', 'record-measure')
      .execute();
    expect(refused.map((r) => r.outcome)).toContain('denied');
  });

  it('refuses someone outside the record as not found, and audits it', async () => {
    const other = await t.database.db
      .selectFrom('person')
      .select('person_id')
      .where('person_id', 'not in', [personId, newPersonId])
      .where('registered_as', '=', 'person')
      .executeTakeFirstOrThrow();
    const response = await get(`/api/people/${other.person_id}/measures`, person);
    expect(response.statusCode).toBe(404);
    const personUserId = (await demoAccount(t, 'person@demo')).user_id;
    const refused = await t.database.db
      .selectFrom('audit_event')
      .select('outcome')
      .where('actor_user_id', '=', personUserId)
      .where('action', '=', 'read-measures')
      .where('person_id', '=', other.person_id)
      .execute();
    expect(refused.map((r) => r.outcome)).toEqual(['denied']);
  });

  it('every recorded measure is audited as a write', async () => {
    const writes = await t.database.db
      .selectFrom('audit_event')
      .select('resource_id')
      .where('action', '=', 'record-measure')
      .where('resource_type', '=', 'questionnaire_response')
      .where('person_id', '=', newPersonId)
      .execute();
    const responses = await t.database.db
      .selectFrom('questionnaire_response')
      .select('response_id')
      .where('person_id', '=', newPersonId)
      .execute();
    expect(writes.map((w) => w.resource_id).sort()).toEqual(responses.map((r) => r.response_id).sort());
  });
});

describe("the person's rights", () => {
  it('their export carries every response, score, request and schedule', async () => {
    const response = await get(`/api/people/${personId}/export`, person);
    expect(response.statusCode, response.body).toBe(200);
    const { tables } = response.json();
    const stored = await t.database.db
      .selectFrom('questionnaire_response')
      .select('response_id')
      .where('person_id', '=', personId)
      .execute();
    expect(tables.questionnaire_response.map((r: { response_id: string }) => r.response_id).sort()).toEqual(
      stored.map((r) => r.response_id).sort(),
    );
    expect(tables.measure_score.length).toBeGreaterThan(stored.length);
    expect(tables.measure_request.length).toBeGreaterThan(0);
    expect(tables.measure_schedule.length).toBeGreaterThan(0);
  });
});
