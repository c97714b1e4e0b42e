import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import type { Actor } from '../../src/domain/actor.js';
import { todayIso } from '../../src/domain/calendar.js';
import { demoAccount } from '../support/demo.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * A team manager's caseload: everyone in the team's care with their named worker, filters by worker
 * and by review, counts per worker, and reallocating a person to another practitioner in the team,
 * which only the team's manager may do, and which is audited and kept as history.
 */
const TODAY = todayIso();
const origin = { ip: null, userAgent: null };

let t: TestApp;
let manager: Actor;
let practitioner: Actor;
let personId: string;

const actor = async (username: string) =>
  (await t.services.auth.signIn(username, DEMO_PASSWORD, origin)).actor;

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 120, demoToday: TODAY });
  manager = await actor('manager@demo');
  practitioner = await actor('practitioner@demo');
  personId = (await demoAccount(t, 'person@demo')).person_id ?? '';
});
afterAll(() => t?.close());

describe("the team manager's caseload", () => {
  it("shows everyone in the team's care, as many as the team's practitioners see", async () => {
    const team = await t.services.people.teamCaseload(manager, { today: TODAY });
    const theirs = await t.services.people.caseload(practitioner, { today: TODAY });
    expect(team.teamTotal).toBe(theirs.total);
    expect(team.total).toBe(team.teamTotal);
    expect(team.teams.map((x) => x.name)).toEqual(['North Locality Social Work Team']);
    expect(team.entries.length).toBe(Math.min(team.total, team.pageSize));
  });

  it('names the worker of each person, and counts people per worker and with no one named', async () => {
    const team = await t.services.people.teamCaseload(manager, { today: TODAY });
    const names = team.workers.map((w) => w.name);
    expect(names).toContain(practitioner.displayName);
    expect(names).toContain(manager.displayName);
    const named = team.workers.reduce((sum, w) => sum + w.people, 0);
    expect(named + team.unallocated).toBeGreaterThanOrEqual(team.teamTotal);
    for (const w of team.workers) {
      const only = await t.services.people.teamCaseload(manager, { today: TODAY, worker: w.userId });
      expect(only.total, w.name).toBe(w.people);
      for (const e of only.entries) expect(e.workers).toEqual([w.name]);
    }
    const none = await t.services.people.teamCaseload(manager, { today: TODAY, worker: 'none' });
    expect(none.total).toBe(team.unallocated);
    for (const e of none.entries) expect(e.workers).toEqual([]);
  });

  it('filters by review status, the groups adding up to everyone', async () => {
    let sum = 0;
    for (const review of ['overdue', 'due-soon', 'scheduled', 'not-set'] as const) {
      const page = await t.services.people.teamCaseload(manager, { today: TODAY, review });
      for (const e of page.entries) expect(e.reviewStatus).toBe(review);
      sum += page.total;
    }
    const team = await t.services.people.teamCaseload(manager, { today: TODAY });
    expect(sum).toBe(team.teamTotal);
    const overdue = await t.services.people.teamCaseload(manager, { today: TODAY, review: 'overdue' });
    expect(overdue.total).toBeGreaterThan(0);
  });

  it('is refused to a practitioner who manages no team', async () => {
    await expect(t.services.people.teamCaseload(practitioner, { today: TODAY })).rejects.toMatchObject({
      status: 403,
    });
  });

  it('is the caseload page a manager sees, with the worker column, filters and counts', async () => {
    const session = await signIn(t.app, 'manager@demo');
    const page = await t.app.inject({ url: '/caseload', headers: { cookie: session } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Caseloads by named worker');
    expect(page.body).toContain('<th scope="col">Named worker</th>');
    expect(page.body).toContain('id="worker"');
    expect(page.body).toContain('id="review"');
    expect(duplicateIds(page.body)).toEqual([]);
    const filtered = await t.app.inject({
      url: `/caseload?worker=${practitioner.userId}&review=overdue`,
      headers: { cookie: session },
    });
    expect(filtered.statusCode).toBe(200);
    // A value that is not a filter is no filter, as a search box's would be.
    const odd = await t.app.inject({
      url: '/caseload?worker=nobody&review=soon',
      headers: { cookie: session },
    });
    expect(odd.statusCode).toBe(200);
    // The practitioner's own caseload page is as it was.
    const own = await t.app.inject({
      url: '/caseload',
      headers: { cookie: await signIn(t.app, 'practitioner@demo') },
    });
    expect(own.body).not.toContain('Caseloads by named worker');
  });
});

describe('reallocating a person to another worker in the team', () => {
  it('is refused, and audited, for a practitioner in the team who is not its manager', async () => {
    const other = (await t.services.people.teamCaseload(manager, { today: TODAY })).workers.find(
      (w) => w.userId !== practitioner.userId,
    );
    await expect(
      t.services.people.reallocate(practitioner, personId, { toUserId: other?.userId ?? '' }),
    ).rejects.toMatchObject({ status: 403 });
    const denied = await t.database.db
      .selectFrom('audit_event')
      .select('outcome')
      .where('action', '=', 'reallocate-worker')
      .where('actor_user_id', '=', practitioner.userId)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it('refuses someone who does not work in the team', async () => {
    const admin = await demoAccount(t, 'admin@demo');
    await expect(
      t.services.people.reallocate(manager, personId, { toUserId: admin.user_id }),
    ).rejects.toMatchObject({ status: 422, field: 'toUserId' });
  });

  it('through the pages: ends the old named membership, names the new worker, and audits it', async () => {
    const session = await signIn(t.app, 'manager@demo');
    const choices = await t.services.people.reallocationChoices(manager, personId);
    expect(choices.current.map((c) => c.name)).toEqual([practitioner.displayName]);
    const to = choices.staff.find((s) => s.userId !== practitioner.userId && s.userId !== manager.userId);
    expect(to, 'another practitioner in the team').toBeTruthy();
    const form = await t.app.inject({ url: `/people/${personId}/reallocate`, headers: { cookie: session } });
    expect(form.statusCode).toBe(200);
    expect(duplicateIds(form.body)).toEqual([]);

    const blank = await submitForm(t.app, {
      session,
      pageUrl: `/people/${personId}/reallocate`,
      action: `/people/${personId}/reallocate`,
      fields: {},
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('href="#toUserId"');

    const done = await submitForm(t.app, {
      session,
      pageUrl: `/people/${personId}/reallocate`,
      action: `/people/${personId}/reallocate`,
      fields: { toUserId: to?.userId ?? '' },
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/people/${personId}/reallocate?done=1`);
    const confirmation = await t.app.inject({
      url: done.headers.location as string,
      headers: { cookie: session },
    });
    expect(confirmation.body).toContain(`is now ${to?.name}`);

    const rows = await t.database.db
      .selectFrom('care_team_member')
      .select(['user_id', 'end_date', 'is_key_worker'])
      .where('person_id', '=', personId)
      .where('user_id', 'in', [practitioner.userId, to?.userId ?? ''])
      .execute();
    expect(rows).toContainEqual({ user_id: practitioner.userId, end_date: TODAY, is_key_worker: true });
    expect(rows).toContainEqual({ user_id: to?.userId, end_date: null, is_key_worker: true });

    const after = await t.services.people.teamCaseload(manager, { today: TODAY, worker: to?.userId });
    expect(after.entries.map((e) => e.personId)).toContain(personId);
    // The team still has the person: the practitioner, in the team, still sees the record.
    const record = await t.services.people.details(practitioner, personId);
    expect(record.relation).toMatchObject({ kind: 'care-team', via: 'team' });

    const audited = await t.database.db
      .selectFrom('audit_event')
      .select(['outcome', 'resource_type'])
      .where('action', '=', 'reallocate-worker')
      .where('actor_user_id', '=', manager.userId)
      .where('person_id', '=', personId)
      .execute();
    expect(audited).toContainEqual({ outcome: 'success', resource_type: 'care_team_member' });
  });

  it('says so when the chosen worker is already the named one', async () => {
    const { current } = await t.services.people.reallocationChoices(manager, personId);
    await expect(
      t.services.people.reallocate(manager, personId, { toUserId: current[0]?.userId ?? '' }),
    ).rejects.toMatchObject({ status: 422, field: 'toUserId' });
  });
});
