import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { AuditService } from '../../src/features/audit/audit-trail.js';
import { describeAuditAction } from '../../src/features/audit/service.js';
import type { Database } from '../../src/store/database.js';
import { runCli, startServer } from '../support/cli.js';
import { type CliDatabase, createCliDatabase } from '../support/cli-database.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { testBackend } from '../support/test-database.js';

/**
 * The audit trail: the hash chain verifies, and an edited or deleted entry is found; the person sees
 * who looked at their record (and nobody else's); admins and team managers search it, a team manager
 * only what their teams did; the CLI's `audit verify`.
 */
let t: TestApp;
let person: string;
let practitioner: string;
let manager: string;
let admin: string;
let commissioner: string;
let outsider: string;
let outsiderUsername: string;
let personId: string;
let otherPersonId: string;

const as = (cookie: string) => ({ headers: { cookie } });

/** The calendar date `days` after `isoDate` (both YYYY-MM-DD), counted on the calendar, not the clock. */
function calendarDaysFrom(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 10 });
  const { db } = t.database;
  person = await signIn(t.app, 'person@demo');
  practitioner = await signIn(t.app, 'practitioner@demo');
  manager = await signIn(t.app, 'manager@demo');
  admin = await signIn(t.app, 'admin@demo');
  commissioner = await signIn(t.app, 'commissioner@demo');
  personId = (await t.app.inject({ url: '/api/session', ...as(person) })).json().personId;
  expect(personId).toBeTruthy();

  // A practitioner in another team, given the demo password so they can sign in.
  const ownTeam = await db
    .selectFrom('user_account as u')
    .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
    .select('r.team_id')
    .where('u.username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  const other = await db
    .selectFrom('user_account as u')
    .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
    .select(['u.user_id', 'u.username'])
    .where('r.role', '=', 'practitioner')
    .where('r.team_id', '!=', ownTeam.team_id as string)
    .executeTakeFirstOrThrow();
  const { password_hash } = await db
    .selectFrom('user_account')
    .select('password_hash')
    .where('username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  await db.updateTable('user_account').set({ password_hash }).where('user_id', '=', other.user_id).execute();
  outsiderUsername = other.username;
  outsider = await signIn(t.app, outsiderUsername);

  // Activity: the practitioner reads the person's record and plan; the outsider and the commissioner
  // try to and are refused; the admin reads nothing personal.
  expect((await t.app.inject({ url: `/api/people/${personId}`, ...as(practitioner) })).statusCode).toBe(200);
  expect((await t.app.inject({ url: `/api/people/${personId}/plan`, ...as(practitioner) })).statusCode).toBe(
    200,
  );
  expect((await t.app.inject({ url: `/api/people/${personId}`, ...as(outsider) })).statusCode).toBe(404);
  expect((await t.app.inject({ url: `/api/people/${personId}`, ...as(commissioner) })).statusCode).toBe(404);
  expect((await t.app.inject({ url: `/api/people/${personId}`, ...as(person) })).statusCode).toBe(200);
  // An id in capitals is the same person: the audit entry must still hash as the row is stored.
  expect(
    (await t.app.inject({ url: `/api/people/${personId.toUpperCase()}`, ...as(practitioner) })).statusCode,
  ).toBeLessThan(500);
  const caseload = (await t.app.inject({ url: '/api/caseload', ...as(practitioner) })).json();
  otherPersonId = caseload.entries.find((e: { personId: string }) => e.personId !== personId).personId;
  expect((await t.app.inject({ url: `/api/people/${otherPersonId}`, ...as(practitioner) })).statusCode).toBe(
    200,
  );
});
afterAll(() => t?.close());

describe("the person's access log", () => {
  it('the person sees who looked at their record, by name, job and organisation, never username', async () => {
    const response = await t.app.inject({ url: `/api/people/${personId}/access-log`, ...as(person) });
    expect(response.statusCode).toBe(200);
    const log = response.json();
    expect(log).toMatchObject({ personId, page: 1, pageSize: 25 });
    const read = log.entries.find(
      (e: { action: string; outcome: string; byThePerson: boolean }) =>
        e.action === 'read-person' && e.outcome === 'success' && !e.byThePerson,
    );
    expect(read).toMatchObject({ description: 'Looked at your record' });
    expect(read.who.displayName).toBeTruthy();
    expect(read.who.jobTitle).toBeTruthy();
    expect(read.who.organisations.length).toBeGreaterThan(0);
    expect(read.purpose).toMatch(/direct care/);
    expect(response.body).not.toContain('practitioner@demo');
    expect(response.body).not.toContain(outsiderUsername);

    const denied = log.entries.filter((e: { outcome: string }) => e.outcome === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(denied[0].description).toBe('Tried to look at your record but was not allowed');
    // Newest first.
    const ids = log.entries.map((e: { auditId: string }) => Number(e.auditId));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    // Only this person's entries: nothing about the other person.
    const otherReads = await t.database.db
      .selectFrom('audit_event')
      .select('audit_id')
      .where('person_id', '=', otherPersonId)
      .execute();
    const otherIds = new Set(otherReads.map((r) => String(r.audit_id)));
    expect(log.entries.some((e: { auditId: string }) => otherIds.has(e.auditId))).toBe(false);
  });

  it('another member of the public who tried to look is not named: "another person using the service"', async () => {
    // The person tries to open someone else's record, and is refused.
    expect((await t.app.inject({ url: `/api/people/${otherPersonId}`, ...as(person) })).statusCode).toBe(404);
    const { display_name } = await t.database.db
      .selectFrom('user_account')
      .select('display_name')
      .where('username', '=', 'person@demo')
      .executeTakeFirstOrThrow();
    // The other person's access log, as their care team reads it.
    const response = await t.app.inject({
      url: `/api/people/${otherPersonId}/access-log`,
      ...as(practitioner),
    });
    expect(response.statusCode).toBe(200);
    const attempt = response
      .json()
      .entries.find(
        (e: { outcome: string; who: { roles: string[] } | null }) =>
          e.outcome === 'denied' && e.who?.roles.includes('person'),
      );
    expect(attempt.who).toMatchObject({
      displayName: 'Another person using the service',
      jobTitle: null,
      organisations: [],
    });
    expect(response.body).not.toContain(display_name);
  });

  it("a request about a person refused by the route's role rule is on their trail, once, as refused", async () => {
    const before = await t.database.db
      .selectFrom('audit_event')
      .select('audit_id')
      .where('person_id', '=', otherPersonId)
      .where('action', '=', 'open-route')
      .execute();
    // A person may never open the care team's plan editor (here, of someone else's plan).
    const response = await t.app.inject({ url: `/people/${otherPersonId}/plan/edit`, ...as(person) });
    expect(response.statusCode).toBe(403);
    // Not signed in at all: refused too.
    expect((await t.app.inject({ url: `/api/people/${otherPersonId}` })).statusCode).toBe(401);
    const after = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome', 'resource_id', 'actor_user_id'])
      .where('person_id', '=', otherPersonId)
      .where('action', '=', 'open-route')
      .orderBy('audit_id')
      .execute();
    const added = after.slice(before.length);
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({ outcome: 'denied', resource_id: 'GET /people/:personId/plan/edit' });
    expect(added[0]?.actor_user_id).toBeTruthy();
    expect(added[1]).toMatchObject({
      outcome: 'denied',
      resource_id: 'GET /api/people/:personId',
      actor_user_id: null,
    });
    expect(describeAuditAction('open-route', 'denied')).toBe(
      'Tried to open a page or API about your record but was not allowed',
    );
  });

  it("the person cannot read anyone else's access log", async () => {
    const response = await t.app.inject({ url: `/api/people/${otherPersonId}/access-log`, ...as(person) });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });

  it('the care team may read it too; someone outside it may not; and reading it is audited', async () => {
    expect(
      (await t.app.inject({ url: `/api/people/${personId}/access-log`, ...as(practitioner) })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ url: `/api/people/${personId}/access-log`, ...as(outsider) })).statusCode,
    ).toBe(404);
    const reads = await t.database.db
      .selectFrom('audit_event')
      .select(['outcome'])
      .where('person_id', '=', personId)
      .where('action', '=', 'read-access-log')
      .execute();
    expect(reads.map((r) => r.outcome).sort()).toEqual(['denied', 'success', 'success']);
  });

  it('the page lists entries in plain English, without the person’s own, and pages through', async () => {
    const response = await t.app.inject({ url: '/my/access-log', ...as(person) });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Who has looked at my record</h1>');
    expect(response.body).toContain('Looked at your record');
    expect(response.body).toContain('Looked at your care and support plan');
    expect(response.body).toContain('Tried to look at your record but was not allowed');
    expect(response.body).toContain('Looked at who has seen your record');
    expect(response.body).not.toContain('practitioner@demo');
    expect(response.body).not.toMatch(/<strong>You<\/strong>/);
    const withOwn = await t.app.inject({ url: '/my/access-log?own=on', ...as(person) });
    expect(withOwn.body).toMatch(/<strong>You<\/strong>/);
    const far = await t.app.inject({ url: '/my/access-log?page=500', ...as(person) });
    expect(far.statusCode).toBe(200);
    expect(far.body).toContain('There is nothing more to show');
  });

  it('pages through 25 at a time; the page shows a change or a quick repeat once', async () => {
    for (let i = 0; i < 26; i++) {
      await t.app.inject({ url: `/api/people/${personId}/plan`, ...as(practitioner) });
    }
    const first = (await t.app.inject({ url: `/api/people/${personId}/access-log`, ...as(person) })).json();
    expect(first.entries).toHaveLength(25);
    expect(first.hasNextPage).toBe(true);
    const second = (
      await t.app.inject({
        url: `/api/people/${personId}/access-log?page=2&upTo=${first.upTo}`,
        ...as(person),
      })
    ).json();
    // The read of page 2 is itself a new entry; upTo keeps the pages from shifting under it.
    expect(first.upTo).toBe(first.entries[0].auditId);
    expect(Number(second.entries[0].auditId)).toBeLessThan(Number(first.entries[24].auditId));
    expect(second.upTo).toBe(first.upTo);

    const page = await t.app.inject({ url: '/my/access-log', ...as(person) });
    const plainReads = page.body.match(/Looked at your care and support plan/g) ?? [];
    expect(plainReads.length).toBeLessThanOrEqual(2);
    expect(page.body).toMatch(/\((to give you care|you agreed to share your record)\)/);
  });

  it('the page is for people; the record links to it', async () => {
    expect((await t.app.inject({ url: '/my/access-log', ...as(practitioner) })).statusCode).toBe(403);
    const my = await t.app.inject({ url: '/my', ...as(person) });
    expect(my.body).toContain('href="/my/access-log"');
  });
});

describe('searching the audit log', () => {
  type Entry = {
    actor: { username: string } | null;
    action: string;
    personId: string | null;
    listedPersonIds: string[] | null;
  };
  const search = async (cookie: string, query = '') => {
    const response = await t.app.inject({ url: `/api/audit${query}`, ...as(cookie) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { scope: string; entries: Entry[]; hasNextPage: boolean; pageSize: number };
  };

  it('an admin sees every entry, filtered by user, action, outcome, person and dates', async () => {
    const all = await search(admin);
    expect(all.scope).toBe('all');
    expect(all.pageSize).toBe(50);
    const denied = await search(admin, `?outcome=denied&personId=${personId}`);
    expect(new Set(denied.entries.map((e) => e.actor?.username))).toEqual(
      new Set([outsiderUsername, 'commissioner@demo']),
    );
    const byCommissioner = await search(admin, '?user=commissioner@demo&action=read-person');
    expect(byCommissioner.entries).toHaveLength(1);
    const { nhs_number } = await t.database.db
      .selectFrom('person')
      .select('nhs_number')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    // Every demo person has an NHS number, so the search by it always runs.
    expect(nhs_number).toMatch(/^\d{10}$/);
    const byNhs = await search(admin, `?nhsNumber=${nhs_number}`);
    expect(byNhs.entries.length).toBeGreaterThan(0);
    // Entries about the person, and the caseload pages that listed them (which name everyone listed).
    expect(byNhs.entries.every((e) => e.personId === personId || e.listedPersonIds?.includes(personId))).toBe(
      true,
    );
    expect(byNhs.entries.some((e) => e.action === 'list-caseload')).toBe(true);
    expect((await search(admin, `?from=2000-01-01&to=2000-01-02`)).entries).toHaveLength(0);
    // A window of UK calendar days either side of today holds this test's entries whatever the hour.
    const today = todayIso();
    const from = calendarDaysFrom(today, -1);
    const to = calendarDaysFrom(today, 1);
    expect((await search(admin, `?from=${from}&to=${to}`)).entries.length).toBeGreaterThan(0);
    expect((await search(admin, `?from=${calendarDaysFrom(today, 2)}`)).entries).toHaveLength(0);
  });

  it('a team manager sees only what members of their teams did', async () => {
    const result = await search(manager);
    expect(result.scope).toBe('team');
    const usernames = new Set(result.entries.map((e) => e.actor?.username));
    expect(usernames.has('practitioner@demo')).toBe(true);
    for (const other of ['admin@demo', 'commissioner@demo', 'person@demo', outsiderUsername]) {
      expect(usernames.has(other)).toBe(false);
    }
    expect((await search(manager, '?user=commissioner@demo')).entries).toHaveLength(0);
    expect((await search(manager, `?user=${outsiderUsername}`)).entries).toHaveLength(0);
    expect((await search(admin, `?user=${outsiderUsername}`)).entries.length).toBeGreaterThan(0);
  });

  it("a team manager learns nothing about who a person outside their teams' care is", async () => {
    const managed = await t.database.db
      .selectFrom('user_account as u')
      .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
      .select('r.team_id')
      .where('u.username', '=', 'manager@demo')
      .where('r.role', '=', 'team-manager')
      .execute();
    const teams = managed.map((r) => r.team_id as string);
    const outside = await t.database.db
      .selectFrom('person as p')
      .select(['p.person_id', 'p.nhs_number'])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('care_team_member as m')
              .select('m.member_id')
              .whereRef('m.person_id', '=', 'p.person_id')
              .where('m.team_id', 'in', teams),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    // Someone in the manager's team tries to open that person's record, and is refused.
    expect(
      (await t.app.inject({ url: `/api/people/${outside.person_id}`, ...as(practitioner) })).statusCode,
    ).toBe(404);
    // The manager sees the attempt (their team member did it) but not whom it was about…
    const attempts = await search(manager, '?user=practitioner@demo&outcome=denied');
    expect(attempts.entries.length).toBeGreaterThan(0);
    const raw = await t.app.inject({
      url: '/api/audit?user=practitioner@demo&outcome=denied',
      ...as(manager),
    });
    expect(raw.body).not.toContain(outside.person_id);
    expect(raw.body).not.toContain(String(outside.nhs_number));
    // …and a search for that person finds nothing, by id or by NHS number.
    expect((await search(manager, `?personId=${outside.person_id}`)).entries).toHaveLength(0);
    expect((await search(manager, `?nhsNumber=${outside.nhs_number}`)).entries).toHaveLength(0);
    // An admin sees it all.
    expect((await search(admin, `?personId=${outside.person_id}`)).entries.length).toBeGreaterThan(0);
  });

  it('searching is audited, naming the person searched for', async () => {
    await search(manager, `?personId=${personId}`);
    const entry = await t.database.db
      .selectFrom('audit_event as e')
      .innerJoin('user_account as u', 'u.user_id', 'e.actor_user_id')
      .select(['e.person_id', 'e.purpose'])
      .where('u.username', '=', 'manager@demo')
      .where('e.action', '=', 'search-audit')
      .orderBy('e.audit_id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.person_id).toBe(personId);
    expect(entry.purpose).toContain(personId);
    const log = (await t.app.inject({ url: `/api/people/${personId}/access-log`, ...as(person) })).json();
    const searched = log.entries.filter((e: { action: string }) => e.action === 'search-audit');
    expect(searched[0].description).toBe('Searched the audit log for your record');
    expect(searched[0].who.displayName).toBeTruthy();
  });

  it('a search does not find the entries of the searches before it, unless asked for them', async () => {
    await search(admin, `?personId=${personId}`);
    const again = await search(admin, `?personId=${personId}`);
    expect(again.entries.map((e: { action: string }) => e.action)).not.toContain('search-audit');
    const asked = await search(admin, `?personId=${personId}&action=search-audit`);
    expect(asked.entries.length).toBeGreaterThan(0);
  });

  it('other roles may not search; bad filters are refused naming the field', async () => {
    expect((await t.app.inject({ url: '/api/audit', ...as(practitioner) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/audit', ...as(person) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/audit' })).statusCode).toBe(401);
    const badNhs = await t.app.inject({ url: '/api/audit?nhsNumber=1234567890', ...as(admin) });
    expect(badNhs.statusCode).toBe(422);
    expect(badNhs.json().errors[0].field).toBe('nhsNumber');
    const badDate = await t.app.inject({ url: '/api/audit?from=2026-02-30', ...as(admin) });
    expect(badDate.statusCode).toBe(400);
    const backwards = await t.app.inject({ url: '/api/audit?from=2026-03-02&to=2026-03-01', ...as(admin) });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().errors[0].field).toBe('from');
  });

  it('the page shows results in a table, and bad filters in the error summary', async () => {
    const page = await t.app.inject({ url: '/audit?user=practitioner%40demo', ...as(manager) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Entries by members of your teams');
    expect(page.body).toContain('nhsuk-table');
    // Actions in words, people by name and NHS number: no action codes, no record ids.
    expect(page.body).toContain('Looked at the person’s record');
    expect(page.body).not.toMatch(/<td[^>]*>\s*read-person/);
    const table = page.body.slice(page.body.indexOf('<table'));
    expect(table).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    const bad = await t.app.inject({
      url: '/audit?person=12345&from%5Bday%5D=31&from%5Bmonth%5D=2&from%5Byear%5D=2026',
      ...as(admin),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
    expect(bad.body).toContain('href="#person"');
    expect(bad.body).toContain('href="#from-day"');
    expect(bad.body).toMatch(/<title>Error: Search the audit log/);
    expect((await t.app.inject({ url: '/audit', ...as(practitioner) })).statusCode).toBe(403);
    const nav = await t.app.inject({ url: '/', ...as(admin) });
    expect(nav.body).toContain('href="/audit"');
  });
});

describe('verifying the hash chain', () => {
  const db = () => t.database.db;
  const middleId = async () => {
    const { min, max } = await db()
      .selectFrom('audit_event')
      .select((eb) => [eb.fn.min('audit_id').as('min'), eb.fn.max('audit_id').as('max')])
      .executeTakeFirstOrThrow();
    const middle = await db()
      .selectFrom('audit_event')
      .select('audit_id')
      .where('audit_id', '>=', String(Math.floor((Number(min) + Number(max)) / 2)))
      .orderBy('audit_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    return String(middle.audit_id);
  };

  it('an untouched trail is intact', async () => {
    const { count } = await db()
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    const result = await t.services.audit.verify();
    expect(result).toEqual({ ok: true, checked: Number(count), anchorsChecked: 0, firstBreak: null });
    expect(result.checked).toBeGreaterThan(20);
    // In small batches too: the walk carries the chain across batch boundaries.
    expect(await t.services.audit.verify(7)).toEqual(result);
  });

  it('an edited entry is reported by its id', async () => {
    const id = await middleId();
    const { action } = await db()
      .selectFrom('audit_event')
      .select('action')
      .where('audit_id', '=', id)
      .executeTakeFirstOrThrow();
    await sql`update audit_event set action = 'x' where audit_id = ${id}`.execute(db());
    const result = await t.services.audit.verify(5);
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.auditId).toBe(id);
    expect(result.firstBreak?.reason).toMatch(/changed/);
    await sql`update audit_event set action = ${action} where audit_id = ${id}`.execute(db());
    expect((await t.services.audit.verify()).ok).toBe(true);
  });

  it('an edited time is found too (the timestamp round-trips exactly)', async () => {
    const id = await middleId();
    await sql`update audit_event set occurred_at = occurred_at + interval '1 millisecond' where audit_id = ${id}`.execute(
      db(),
    );
    expect((await t.services.audit.verify()).firstBreak?.auditId).toBe(id);
    await sql`update audit_event set occurred_at = occurred_at - interval '1 millisecond' where audit_id = ${id}`.execute(
      db(),
    );
    expect((await t.services.audit.verify()).ok).toBe(true);
  });

  it('a deleted entry is found at the entry after it; gaps in ids alone are not breaks', async () => {
    // A rolled-back append leaves a gap in audit_id but not in the chain.
    await db()
      .transaction()
      .execute(async (trx) => {
        await t.services.audit.record(null, { action: 'rolled-back', resourceType: 'test' }, trx);
        throw new Error('roll back');
      })
      .catch(() => {});
    await t.services.audit.record(null, { action: 'after-gap', resourceType: 'test' });
    expect((await t.services.audit.verify()).ok).toBe(true);

    const id = await middleId();
    const next = await db()
      .selectFrom('audit_event')
      .select('audit_id')
      .where('audit_id', '>', id)
      .orderBy('audit_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`delete from audit_event where audit_id = ${id}`.execute(db());
    const result = await t.services.audit.verify(3);
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.auditId).toBe(String(next.audit_id));
    expect(result.firstBreak?.reason).toMatch(/deleted/);
  });

  it('deleting the first entry is found at the new first entry', async () => {
    const first = await db()
      .selectFrom('audit_event')
      .select('audit_id')
      .orderBy('audit_id')
      .limit(2)
      .execute();
    await sql`delete from audit_event where audit_id = ${String(first[0]?.audit_id)}`.execute(db());
    const result = await t.services.audit.verify();
    expect(result).toMatchObject({ ok: false, checked: 0 });
    expect(result.firstBreak?.auditId).toBe(String(first[1]?.audit_id));
  });
});

describe('whatmatters audit verify', () => {
  let cli: CliDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await createCliDatabase('audit');
    env = cli.env;
    const seeded = await runCli(['seed', '--people', '5'], { env });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);
  afterAll(() => cli?.cleanup());

  /** Opens the CLI's database directly (for PGlite, only while no CLI process has it). */
  async function withDatabase(run: (db: TestApp['database']['db'], database: Database) => Promise<void>) {
    const database = await cli.open();
    try {
      await run(database.db, database);
    } finally {
      await database.close();
    }
  }

  it('exits 0 with one line when the trail is intact, and 1 naming the entry when it is not', async () => {
    await withDatabase(async (db, database) => {
      const audit = new AuditService(db, database.auditTrail);
      for (const action of ['one', 'two', 'three', 'four']) {
        await audit.record(null, { action, resourceType: 'test' });
      }
    });
    const intact = await runCli(['audit', 'verify'], { env });
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/^audit trail intact: \d+ entries checked\n$/);

    let tampered = '';
    await withDatabase(async (db) => {
      const row = await db
        .selectFrom('audit_event')
        .select('audit_id')
        .where('action', '=', 'two')
        .executeTakeFirstOrThrow();
      tampered = String(row.audit_id);
      await sql`update audit_event set action = 'x' where audit_id = ${tampered}`.execute(db);
    });
    const broken = await runCli(['audit', 'verify'], { env });
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim().split('\n')).toHaveLength(1);
    expect(broken.stdout).toMatch(new RegExp(`^audit trail BROKEN at entry ${tampered}: `));
    // Put it back for the tests below.
    await withDatabase(async (db) => {
      await sql`update audit_event set action = 'two' where audit_id = ${tampered}`.execute(db);
    });
  }, 60_000);

  it('while the server runs: --server asks it to check its own trail; it anchors the head, so cutting the newest entries is found', async () => {
    const added = await runCli(
      ['client', 'add', '--id', 'nightly-audit', '--name', 'Nightly audit check', '--scopes', 'audit:verify'],
      { env },
    );
    expect(added.code, added.stderr).toBe(0);
    const secret = /client_secret: (\S+)/.exec(added.stdout)?.[1] as string;
    const server = await startServer({ ...env, AUDIT_ANCHOR_SECONDS: '1' });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const asClient = { ...env, API_CLIENT_ID: 'nightly-audit', API_CLIENT_SECRET: secret };
      const checked = await runCli(['audit', 'verify', '--server', url], { env: asClient });
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
      expect(checked.stdout).toMatch(/^audit trail intact: \d+ entries checked/);
      // Wrong secret, or nobody listening: "could not check" (3), never "broken" (1).
      const refused = await runCli(['audit', 'verify', '--server', url], {
        env: { ...asClient, API_CLIENT_SECRET: 'wrong' },
      });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/could not check the trail: the server refused the API client/);
      if (testBackend() === 'pglite') {
        // The embedded database has one process at a time: the CLI says how to ask the server.
        const locked = await runCli(['audit', 'verify'], { env });
        expect(locked.code).toBe(3);
        expect(locked.stderr).toMatch(/--server http:\/\/127\.0\.0\.1:/);
      } else {
        // On PostgreSQL the CLI checks beside the running server.
        expect((await runCli(['audit', 'verify'], { env })).code).toBe(0);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const anchors = fs.readFileSync(path.join(cli.dataDir, 'audit-anchors.jsonl'), 'utf8').trim().split('\n');
    expect(anchors.length).toBeGreaterThan(0);
    const lastAnchored = JSON.parse(anchors.at(-1) as string).auditId as string;
    await withDatabase(async (db) => {
      await sql`delete from audit_event where audit_id >= ${lastAnchored}`.execute(db);
    });
    const cut = await runCli(['audit', 'verify'], { env });
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(
      new RegExp(`^audit trail BROKEN at entry ${lastAnchored}: .*newest entries were deleted`),
    );
  }, 300_000);

  it('a key file others may read, or another key, stops the CLI before it writes (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-key-'));
    try {
      const keyFile = path.join(dir, 'audit.key');
      fs.writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
      fs.chmodSync(keyFile, 0o644);
      const open = await runCli(['audit', 'verify'], {
        env: { ...env, AUDIT_KEY: '', AUDIT_KEY_FILE: keyFile },
      });
      expect(open.code).toBe(2);
      expect(open.stderr).toMatch(/may be read by other users: make it readable by its owner only/);
      fs.chmodSync(keyFile, 0o600);
      const other = await runCli(['audit', 'verify'], {
        env: { ...env, AUDIT_KEY: '', AUDIT_KEY_FILE: keyFile },
      });
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(
        /the audit key is not the one this database's audit trail is chained with/,
      );
      const short = await runCli(['audit', 'verify'], { env: { ...env, AUDIT_KEY: 'abcd' } });
      expect(short.code).toBe(2);
      expect(short.stderr).toMatch(/AUDIT_KEY must hold at least 32 random bytes/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('anything but "audit verify" is a usage error (exit 2)', async () => {
    const result = await runCli(['audit', 'check'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/audit verify/);
  });
});
