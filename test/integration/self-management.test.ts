import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { demoAccount, demoCarerLink } from '../support/demo.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Self-management steps (issue 14, part 3) through HTTP: the person sets a step for one of their
 * outcomes and an authorised carer ticks it off saying what helped; a practitioner sets one with the
 * person on the page; the care team sees them on the summary, the review form, the timeline and the
 * export. Refusals: bad input names the field and writes nothing; a person outside the caller's
 * scope is 404 and a carer not allowed to add is 403, each audited as refused.
 */
let t: TestApp;
let person: string;
let carer: string;
let practitioner: string;
let personId: string;
let outcomeId: string;
let outsideId: string;
let stepId = '';

const json = (cookie: string) => ({ headers: { cookie } });
const get = (url: string, cookie: string) => t.app.inject({ url, ...json(cookie) });
const send = (method: 'POST' | 'PUT', url: string, cookie: string, payload: unknown) =>
  t.app.inject({ method, url, payload: payload as Record<string, unknown>, ...json(cookie) });
const stepsUrl = () => `/api/people/${personId}/self-management/steps`;
const stepCount = async (id = personId) =>
  Number(
    (
      await t.database.db
        .selectFrom('self_management_step')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('person_id', '=', id)
        .executeTakeFirstOrThrow()
    ).n,
  );
const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  person = await signIn(t.app, 'person@demo');
  carer = await signIn(t.app, 'carer@demo');
  practitioner = await signIn(t.app, 'practitioner@demo');
  personId = (await demoAccount(t, 'person@demo')).person_id ?? '';
  const outcomes = (await get(`/api/people/${personId}/outcomes`, person)).json();
  outcomeId = outcomes.find((o: { status: string }) => o.status === 'active').outcomeId;
  outsideId = crypto.randomUUID();
  await t.database.db
    .insertInto('person')
    .values({ person_id: outsideId, given_name: 'Zebedee', family_name: 'Quorn', sex: 'male' })
    .execute();
}, 120_000);
afterAll(() => t?.close());

describe('setting a step', () => {
  it('the person sets one for their outcome, in their own words, audited', async () => {
    const target = addDays(todayIso(), 7);
    const set = await send('POST', stepsUrl(), person, {
      outcomeId,
      words: 'Walk to the shop twice this week',
      targetDate: target,
    });
    expect(set.statusCode, set.body).toBe(201);
    stepId = set.json().stepId;
    const steps = (await get(stepsUrl(), person)).json();
    expect(steps).toContainEqual(
      expect.objectContaining({
        stepId,
        outcomeId,
        words: 'Walk to the shop twice this week',
        targetDate: target,
        doneAt: null,
        setBy: 'person',
      }),
    );
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('person_id', '=', personId)
      .where('resource_id', '=', stepId)
      .execute();
    expect(audit).toEqual([{ action: 'set-step', outcome: 'success' }]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await stepCount();
    const missing = await send('POST', stepsUrl(), person, { outcomeId });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('body.words');

    const past = await send('POST', stepsUrl(), person, {
      outcomeId,
      words: 'Go to the library',
      targetDate: addDays(todayIso(), -1),
    });
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0]).toEqual({
      field: 'targetDate',
      message: expect.stringMatching(/today or later/),
    });

    const notTheirs = await send('POST', stepsUrl(), person, {
      outcomeId: crypto.randomUUID(),
      words: 'Go to the library',
    });
    expect(notTheirs.statusCode).toBe(422);
    expect(notTheirs.json().errors[0].field).toBe('outcomeId');

    const blank = await send('POST', stepsUrl(), person, { outcomeId, words: '   ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().errors[0].field).toBe('words');
    expect(await stepCount()).toBe(before);
  });

  it('a practitioner sets one with the person on the page; a bad date lands on its field', async () => {
    const pageUrl = `/people/${personId}/self-management/steps/new?outcomeId=${outcomeId}`;
    const action = `/people/${personId}/self-management/steps/new`;
    const bad = await submitForm(t.app, {
      session: practitioner,
      pageUrl,
      action,
      fields: {
        outcomeId,
        words: 'Ring my sister on Sunday',
        'targetDate[day]': '31',
        'targetDate[month]': '2',
        'targetDate[year]': '2027',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#targetDate-day"');
    expect(bad.body).toContain('must be a real date');
    expect(duplicateIds(bad.body)).toEqual([]);
    const saved = await submitForm(t.app, {
      session: practitioner,
      pageUrl,
      action,
      fields: { outcomeId, words: 'Ring my sister on Sunday' },
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${personId}#self-management`);
    const steps = (await get(stepsUrl(), practitioner)).json();
    expect(steps).toContainEqual(
      expect.objectContaining({ words: 'Ring my sister on Sunday', setBy: 'practitioner', targetDate: null }),
    );
  });
});

describe('ticking a step off', () => {
  it('an authorised carer ticks it off saying what helped', async () => {
    const ticked = await send('PUT', `${stepsUrl()}/${stepId}/progress`, carer, {
      done: true,
      whatHelped: 'Her neighbour walked with her',
    });
    expect(ticked.statusCode, ticked.body).toBe(204);
    const step = (await get(stepsUrl(), person)).json().find((s: { stepId: string }) => s.stepId === stepId);
    expect(step.doneAt).not.toBeNull();
    expect(step.whatHelped).toBe('Her neighbour walked with her');
    expect(step.progressBy).toBe(
      (
        await t.database.db
          .selectFrom('user_account')
          .select('display_name')
          .where('username', '=', 'carer@demo')
          .executeTakeFirstOrThrow()
      ).display_name,
    );
  });

  it('the person changes what was said through their own page; ticking again keeps when it was done', async () => {
    const before = (await get(stepsUrl(), person))
      .json()
      .find((s: { stepId: string }) => s.stepId === stepId);
    const saved = await submitForm(t.app, {
      session: person,
      pageUrl: `/people/${personId}/self-management/steps/${stepId}`,
      action: `/people/${personId}/self-management/steps/${stepId}`,
      fields: { done: 'yes', whatHelped: 'Going with my neighbour', whatGotInTheWay: 'Rain on Tuesday' },
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/my/steps?ticked=${stepId}#step-${stepId}`);
    const after = (await get(stepsUrl(), person)).json().find((s: { stepId: string }) => s.stepId === stepId);
    expect(after).toMatchObject({
      doneAt: before.doneAt,
      whatHelped: 'Going with my neighbour',
      whatGotInTheWay: 'Rain on Tuesday',
    });
    const page = await get(saved.headers.location as string, person);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Walk to the shop twice this week');
    expect(page.body).toContain('Going with my neighbour');
    expect(page.body).toContain('was saved');
  });

  it('a step that is not the person’s is 404; a bad body names the field', async () => {
    const unknown = await send('PUT', `${stepsUrl()}/${crypto.randomUUID()}/progress`, person, {
      done: true,
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await send('PUT', `${stepsUrl()}/${stepId}/progress`, person, { done: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.done');
  });
});

describe('refusals', () => {
  const deniedFor = async (username: string, id: string, action: string) => {
    const { user_id } = await demoAccount(t, username);
    return t.database.db
      .selectFrom('audit_event')
      .select('outcome')
      .where('person_id', '=', id)
      .where('actor_user_id', '=', user_id)
      .where('action', '=', action)
      .where('outcome', '=', 'denied')
      .execute();
  };

  it('a person outside the caller’s scope is 404, audited as refused, and nothing is written', async () => {
    const url = `/api/people/${outsideId}/self-management/steps`;
    expect((await get(url, practitioner)).statusCode).toBe(404);
    const write = await send('POST', url, practitioner, { outcomeId, words: 'Go out' });
    expect(write.statusCode).toBe(404);
    expect((await get(`/people/${outsideId}/self-management/steps/new`, person)).statusCode).toBe(404);
    expect(await deniedFor('practitioner@demo', outsideId, 'read-self-management-steps')).toHaveLength(1);
    expect(await deniedFor('practitioner@demo', outsideId, 'set-step')).toHaveLength(1);
    expect(await deniedFor('person@demo', outsideId, 'open-step-form')).toHaveLength(1);
    expect(await stepCount(outsideId)).toBe(0);
  });

  it('a carer the person has not let add to the record is 403, audited, and may still read', async () => {
    const { relationshipId } = await demoCarerLink(t, personId);
    await t.database.db
      .updateTable('relationship')
      .set({ may_contribute: false })
      .where('person_id', '=', personId)
      .where('relationship_id', '=', relationshipId)
      .execute();
    try {
      const refused = await send('PUT', `${stepsUrl()}/${stepId}/progress`, carer, { done: false });
      expect(refused.statusCode).toBe(403);
      expect(await deniedFor('carer@demo', personId, 'record-step-progress')).toHaveLength(1);
      expect((await get(stepsUrl(), carer)).statusCode).toBe(200);
      const page = await get(`/my/people/${personId}/steps`, carer);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('Set a new step');
    } finally {
      await t.database.db
        .updateTable('relationship')
        .set({ may_contribute: true })
        .where('person_id', '=', personId)
        .where('relationship_id', '=', relationshipId)
        .execute();
    }
    const step = (await get(stepsUrl(), person)).json().find((s: { stepId: string }) => s.stepId === stepId);
    expect(step.doneAt).not.toBeNull();
  });
});

describe('what the care team sees', () => {
  it('the summary lists the steps by outcome, done or not, with what the person said', async () => {
    const page = await get(`/people/${personId}`, practitioner);
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf('id="self-management"'));
    expect(section).toContain('Steps between reviews');
    expect(section).toContain('Walk to the shop twice this week');
    expect(section).toContain('Done');
    expect(section).toContain('Going with my neighbour');
    expect(section).toContain('Ring my sister on Sunday');
    expect(section).toContain('Not done yet');
  });

  it('the review form shows the steps since the last conversation under their outcome', async () => {
    const form = await get(`/people/${personId}/conversations/new?kind=review`, practitioner);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Steps set since the last conversation');
    expect(form.body).toContain(`id="review-step-${stepId}"`);
    expect(form.body).toMatch(/Walk to the shop twice this week<\/span>: <strong>done<\/strong>/);
    expect(form.body).toContain('What helped: “Going with my neighbour”');
    expect(duplicateIds(form.body)).toEqual([]);
  });

  it('the timeline shows the step done, and the export holds every step', async () => {
    const record = (await get(`/api/people/${personId}`, practitioner)).json();
    const events = record.timeline.flatMap((m: { events: unknown[] }) => m.events);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'self-management-step',
        title: expect.stringContaining('Walk to the shop twice this week'),
        detail: 'Going with my neighbour',
        link: `/people/${personId}#step-${stepId}`,
      }),
    );
    expect(record.selfManagementSteps.length).toBe(await stepCount());
    const exported = (await get(`/api/people/${personId}/export`, person)).json();
    const rows = exported.tables.self_management_step;
    expect(rows).toHaveLength(await stepCount());
    expect(rows).toContainEqual(
      expect.objectContaining({ step_id: stepId, what_helped: 'Going with my neighbour', set_by: 'person' }),
    );
  });
});
