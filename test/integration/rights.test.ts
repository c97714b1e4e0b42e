import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, EXPORT_FORMAT } from '../../src/features/rights/schema.js';
import {
  PERSON_OWNED_TABLES,
  type PersonOwnedTable,
  TABLES_KEPT_OR_UNLINKED,
} from '../../src/store/person-owned-tables.js';
import { demoAccount, demoCarerLink, demoPersonInCaseload } from '../support/demo.js';
import { csrfFrom, postForm, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The person's rights: everything held about them (JSON and a printable page), corrections asked
 * for and answered, consent seen and withdrawn on /my, and erasure where the law allows, decided by
 * an administrator and carried out in one transaction.
 */
let t: TestApp;
let practitioner: string;
let person: string;
let carer: string;
let commissioner: string;
let analyst: string;
let admin: string;
let personId: string;
let relationshipId: string;
/** Someone else in practitioner@demo's caseload, with a name found nowhere else. */
let otherId: string;
const OTHER_FAMILY_NAME = 'Quartermaine-Oyelaran';

const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });
const post = (url: string, cookie: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });

async function countFor(table: string, id: string): Promise<number> {
  const result = await sql<{
    n: string;
  }>`select count(*) as n from ${sql.table(table)} where person_id = ${id}`.execute(t.database.db);
  return Number(result.rows[0]?.n);
}

async function totalRows(table: string): Promise<number> {
  const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(
    t.database.db,
  );
  return Number(result.rows[0]?.n);
}

async function countsFor(id: string): Promise<Record<PersonOwnedTable, number>> {
  const counts = {} as Record<PersonOwnedTable, number>;
  for (const table of PERSON_OWNED_TABLES) counts[table] = await countFor(table, id);
  return counts;
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 20 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  person = await signIn(t.app, 'person@demo');
  carer = await signIn(t.app, 'carer@demo');
  commissioner = await signIn(t.app, 'commissioner@demo');
  analyst = await signIn(t.app, 'analyst@demo');
  admin = await signIn(t.app, 'admin@demo');
  personId = await demoPersonInCaseload(t, practitioner);
  ({ relationshipId } = await demoCarerLink(t, personId));
  const registered = await post('/api/people', practitioner, {
    givenName: 'Ottoline',
    familyName: OTHER_FAMILY_NAME,
    sex: 'female',
    nhsNumber: '401 023 2137',
  });
  expect(registered.statusCode).toBe(201);
  otherId = registered.json().personId;
  // A break-glass grant, so every person-owned table can hold something about person@demo.
  const someone = await demoAccount(t, 'manager@demo');
  await t.database.db
    .insertInto('break_glass_grant')
    .values({
      person_id: personId,
      grant_id: crypto.randomUUID(),
      user_id: someone.user_id,
      reason: 'Called out overnight by the ambulance service',
      expires_at: new Date(Date.now() - 60_000),
    })
    .execute();
});
afterAll(() => t?.close());

describe('the list of person-owned tables', () => {
  it('names every table with a person_id column, so export and erasure miss none', async () => {
    // Tables only: a view (the rollups' indicator_fact, migration 0014) holds no rows of its own.
    const result = await sql<{ table_name: string }>`
      select distinct c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and c.column_name = 'person_id'
        and t.table_type = 'BASE TABLE'`.execute(t.database.db);
    const found = result.rows.map((r) => r.table_name).sort();
    expect(found).toEqual([...PERSON_OWNED_TABLES, ...TABLES_KEPT_OR_UNLINKED].sort());
  });

  it('the export declares exactly the columns each table has, so its answer leaves none out', async () => {
    const result = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema()`.execute(t.database.db);
    for (const table of PERSON_OWNED_TABLES) {
      const columns = result.rows.filter((r) => r.table_name === table).map((r) => r.column_name);
      expect(Object.keys(EXPORT_COLUMNS[table]).sort(), table).toEqual(columns.sort());
    }
  });
});

describe('rectification: asking for a correction', () => {
  let requestId: string;

  it('the person asks; the request is audited', async () => {
    const response = await post(`/api/people/${personId}/rectification-requests`, person, {
      whatIsWrong: 'My date of birth is a year out',
      whatItShouldSay: 'It should say 1951',
    });
    expect(response.statusCode).toBe(201);
    requestId = response.json().requestId;
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select('outcome')
      .where('action', '=', 'request-rectification')
      .where('person_id', '=', personId)
      .execute();
    expect(audited.map((a) => a.outcome)).toContain('success');
  });

  it('a blank request is refused naming the field', async () => {
    const response = await post(`/api/people/${personId}/rectification-requests`, person, {
      whatIsWrong: '   ',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('whatIsWrong');
  });

  it('a carer the person lets add to the record may ask; without may_contribute they may not', async () => {
    const allowed = await post(`/api/people/${personId}/rectification-requests`, carer, {
      whatIsWrong: 'The plan names the wrong day centre',
    });
    expect(allowed.statusCode).toBe(201);

    const setAccess = (mayContribute: boolean) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/people/${personId}/relationships/${relationshipId}/authorisation`,
        headers: { cookie: person },
        payload: { mayView: true, mayContribute },
      });
    expect((await setAccess(false)).statusCode).toBe(204);
    const refused = await post(`/api/people/${personId}/rectification-requests`, carer, {
      whatIsWrong: 'Something else',
    });
    expect(refused.statusCode).toBe(403);
    const page = await get(`/people/${personId}/rectification-requests/new`, carer);
    expect(page.statusCode).toBe(403);
    expect((await setAccess(true)).statusCode).toBe(204);
  });

  it('the care team may record a request the person made to them; others get 404', async () => {
    const response = await post(`/api/people/${personId}/rectification-requests`, practitioner, {
      whatIsWrong: 'Told me by phone: the care team list names the wrong GP practice',
    });
    expect(response.statusCode).toBe(201);
    const list = (await get(`/api/people/${personId}/rectification-requests`, person)).json();
    expect(list).toContainEqual(
      expect.objectContaining({ requestId: response.json().requestId, requestedByThePerson: false }),
    );
    for (const cookie of [commissioner, admin]) {
      const refused = await post(`/api/people/${personId}/rectification-requests`, cookie, {
        whatIsWrong: 'x',
      });
      expect(refused.statusCode).toBe(404);
    }
  });

  it('the care team sees open requests on the person page', async () => {
    const page = await get(`/people/${personId}`, practitioner);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('My date of birth is a year out');
    expect(page.body).toContain(`/people/${personId}/rectification-requests/${requestId}`);
  });

  it('only the care team answers; an answer needs words; it is given once', async () => {
    const url = `/api/people/${personId}/rectification-requests/${requestId}/resolve`;
    expect((await post(url, person, { outcome: 'corrected', response: 'Done' })).statusCode).toBe(403);
    const blank = await post(url, practitioner, { outcome: 'declined', response: '  ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().errors[0].field).toBe('response');
    const reason =
      'The date of birth matches the one on your NHS record; please ask your GP practice to check it.';
    expect((await post(url, practitioner, { outcome: 'declined', response: reason })).statusCode).toBe(204);
    expect((await post(url, practitioner, { outcome: 'corrected', response: 'Again' })).statusCode).toBe(409);

    const list = await get(`/api/people/${personId}/rectification-requests`, person);
    expect(list.json()).toContainEqual(
      expect.objectContaining({
        requestId,
        status: 'declined',
        response: reason,
        requestedByThePerson: true,
      }),
    );
    const my = await get('/my/rights', person);
    expect(my.body).toContain('Not changed');
    expect(my.body).toContain('please ask your GP practice to check it');
  });

  it('through the pages: the person asks, the care team corrects, the person sees it', async () => {
    const asked = await submitForm(t.app, {
      session: person,
      pageUrl: `/people/${personId}/rectification-requests/new`,
      action: `/people/${personId}/rectification-requests/new`,
      fields: { whatIsWrong: 'My preferred name is missing', whatItShouldSay: 'Call me Bee' },
    });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/my?rectification=requested#my-requests');
    const banner = await get('/my?rectification=requested', person);
    expect(banner.body).toContain('Your request for a correction was sent');

    const open = await t.database.db
      .selectFrom('rectification_request')
      .select('request_id')
      .where('person_id', '=', personId)
      .where('what_is_wrong', '=', 'My preferred name is missing')
      .executeTakeFirstOrThrow();
    const pageUrl = `/people/${personId}/rectification-requests/${open.request_id}`;
    const empty = await submitForm(t.app, { session: practitioner, pageUrl, action: pageUrl, fields: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select whether the record was corrected');
    const answered = await submitForm(t.app, {
      session: practitioner,
      pageUrl,
      action: pageUrl,
      fields: { outcome: 'corrected', response: 'Preferred name added: Bee' },
    });
    expect(answered.statusCode).toBe(303);
    expect(answered.headers.location).toBe(`/people/${personId}?rectification=answered#rights-requests`);
    const my = await get('/my/rights', person);
    expect(my.body).toContain('Preferred name added: Bee');
    expect(my.body).toContain('Corrected');
  });
});

describe('export: everything held about the person', () => {
  it('JSON download with rows from every person-owned table that has data, and who looked', async () => {
    const response = await get(`/api/people/${personId}/export`, person);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename=whatmatters-${personId}.json`);
    const data = response.json();
    expect(data.format).toBe(EXPORT_FORMAT);
    expect(Date.parse(data.exportedAt)).not.toBeNaN();
    expect(data.personId).toBe(personId);

    const counts = await countsFor(personId);
    const withData = PERSON_OWNED_TABLES.filter((table) => counts[table] > 0);
    // The demo record, the break-glass grant and the requests above fill every table but erasure's
    // and unsaved conversation drafts' (the demo saves every conversation it has).
    expect(PERSON_OWNED_TABLES.filter((table) => counts[table] === 0)).toEqual([
      'conversation_draft',
      'erasure_request',
    ]);
    for (const table of PERSON_OWNED_TABLES) {
      expect(data.tables[table], table).toHaveLength(counts[table]);
      for (const row of data.tables[table]) expect(row.person_id, table).toBe(personId);
    }
    expect(withData.length).toBe(PERSON_OWNED_TABLES.length - 2);
    // Every row as stored, every column: the declared answer drops nothing.
    for (const table of PERSON_OWNED_TABLES) {
      const stored = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table)} where person_id = ${personId}`.execute(t.database.db);
      expect(data.tables[table], table).toEqual(
        expect.arrayContaining(JSON.parse(JSON.stringify(stored.rows))),
      );
    }
    expect(data.tables.person[0].given_name).toBeTruthy();
    expect(Object.keys(data.names.users).length).toBeGreaterThan(0);

    expect(data.accessLog.length).toBeGreaterThan(0);
    const own = data.accessLog.find((e: { action: string }) => e.action === 'export-record');
    expect(own).toMatchObject({
      who: expect.any(String),
      outcome: 'success',
      description: 'Exported your whole record',
    });
    expect(own.purpose).toMatch(/direct care/);
    for (const entry of data.accessLog) {
      expect(Object.keys(entry).sort()).toEqual([
        'action',
        'description',
        'occurredAt',
        'outcome',
        'purpose',
        'who',
      ]);
    }
    // Practitioners' reads are there, by name, with the purpose they had.
    expect(data.accessLog).toContainEqual(
      expect.objectContaining({
        action: 'resolve-rectification',
        who: expect.any(String),
        purpose: expect.stringMatching(/direct care/),
      }),
    );
  });

  it('holds nothing about anyone else: no other person’s id or name', async () => {
    const body = (await get(`/api/people/${personId}/export`, practitioner)).body;
    expect(body).not.toContain(otherId);
    expect(body).not.toContain(OTHER_FAMILY_NAME);
    const others = await t.database.db
      .selectFrom('person')
      .select('person_id')
      .where('person_id', '!=', personId)
      .execute();
    expect(others.length).toBeGreaterThan(10);
    for (const o of others) expect(body).not.toContain(o.person_id);
  });

  it('a readable, printable page with every section and a link to the JSON', async () => {
    const page = await get(`/people/${personId}/export`, person);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    for (const heading of [
      'Everything held about me',
      'Details',
      'Care team',
      'People important to me',
      'Who the record is shared with, and why',
      'What matters, with ratings',
      'Goal attainment',
      'Care and support plan',
      'Every version',
      'Conversations',
      'Requests to correct or erase the record',
      'Who has looked at the record',
    ]) {
      expect(page.body, heading).toContain(heading);
    }
    expect(page.body).toContain(`href="/api/people/${personId}/export"`);
    expect(page.body).toContain('My preferred name is missing');
    expect(page.body).not.toContain(OTHER_FAMILY_NAME);
    const forTeam = await get(`/people/${personId}/export`, practitioner);
    expect(forTeam.statusCode).toBe(200);
  });

  it('commissioners and analysts get 404; a carer is told only the person and care team can export', async () => {
    for (const cookie of [commissioner, analyst]) {
      expect((await get(`/api/people/${personId}/export`, cookie)).statusCode).toBe(404);
      expect((await get(`/people/${personId}/export`, cookie)).statusCode).toBe(404);
    }
    expect((await get(`/api/people/${personId}/export`, carer)).statusCode).toBe(403);
    expect((await get(`/people/${personId}/export`, carer)).statusCode).toBe(403);
    expect((await get(`/api/people/${otherId}/export`, person)).statusCode).toBe(404);
    const refusals = await t.database.db
      .selectFrom('audit_event')
      .select('outcome')
      .where('action', '=', 'export-record')
      .where('person_id', '=', personId)
      .where('outcome', '=', 'denied')
      .execute();
    expect(refusals.length).toBeGreaterThanOrEqual(6);
  });
});

describe('consent on /my', () => {
  it('shows who can see the record, and a withdrawal takes effect at once with a banner', async () => {
    const organisation = await t.database.db
      .selectFrom('organisation')
      .select(['organisation_id', 'name'])
      .where('kind', '=', 'voluntary-community')
      .executeTakeFirstOrThrow();
    const recorded = await post(`/api/people/${personId}/sharing`, person, {
      organisationId: organisation.organisation_id,
      basis: 'consent',
      purpose: 'Befriending visits',
    });
    expect(recorded.statusCode).toBe(201);
    const basisId = recorded.json().basisId;

    expect((await get('/my', person)).body).toContain('href="/my/sharing"');
    const my = await get('/my/sharing', person);
    expect(my.body).toContain('Who can see my record');
    expect(my.body).toContain('Befriending visits');
    const action = `/people/${personId}/sharing/${basisId}/withdraw`;
    expect(my.body).toContain(`action="${action}"`);
    const csrf = csrfFrom(my);
    const withdrawn = await postForm(t.app, {
      url: action,
      fields: { _csrf: csrf.token },
      cookie: `${person}; ${csrf.cookie}`,
    });
    expect(withdrawn.statusCode).toBe(303);
    expect(withdrawn.headers.location).toBe('/my?withdrawn=1');
    const after = await get('/my?withdrawn=1', person);
    expect(after.body).toContain('Sharing withdrawn. That organisation can no longer see your record.');
    const sharing = await get('/my/sharing', person);
    expect(sharing.body).toContain('No longer shared');
    expect(sharing.body).not.toContain(`action="${action}"`);
  });
});

describe('erasure where the law allows', () => {
  let declinedId: string;

  it('the person asks, with grounds; one request at a time; a carer may not ask', async () => {
    const url = `/api/people/${personId}/erasure-requests`;
    expect((await post(url, person, { grounds: ' ' })).statusCode).toBe(422);
    const asked = await post(url, person, { grounds: 'I have moved away and no longer use these services.' });
    expect(asked.statusCode).toBe(201);
    declinedId = asked.json().requestId;
    expect((await post(url, person, { grounds: 'Again' })).statusCode).toBe(409);
    expect((await post(url, carer, { grounds: 'On their behalf' })).statusCode).toBe(403);
    expect((await post(url, commissioner, { grounds: 'No' })).statusCode).toBe(404);
  });

  it('the care team may ask on a person’s behalf', async () => {
    const asked = await post(`/api/people/${otherId}/erasure-requests`, practitioner, {
      grounds: 'Registered by mistake: she was never referred to us.',
    });
    expect(asked.statusCode).toBe(201);
  });

  it('administrators see open requests; nobody else does', async () => {
    const list = await get('/api/admin/erasure-requests', admin);
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .map((r: { personId: string }) => r.personId)
        .sort(),
    ).toEqual([personId, otherId].sort());
    expect((await get('/api/admin/erasure-requests', practitioner)).statusCode).toBe(403);
    expect((await get('/admin/erasure-requests', person)).statusCode).toBe(403);

    const page = await get('/admin/erasure-requests', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('I have moved away');
    expect(page.body).toContain(`/admin/erasure-requests/${personId}/${declinedId}`);

    const detail = await get(`/admin/erasure-requests/${personId}/${declinedId}`, admin);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('What will be kept, and why');
    expect(detail.body).toContain('Article 5(2)');
    expect(detail.body).toContain('name="confirm"');
    expect(detail.body).toContain('Records Management Code of Practice');
    // Whose record, by name; what goes, in words: no record ids or table names on the page.
    const main = detail.body.slice(detail.body.indexOf('<main'), detail.body.indexOf('</main>'));
    const visible = main.replace(/<(form|a)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ');
    expect(visible).not.toContain(personId);
    expect(visible).not.toMatch(/\b(personal_outcome|care_plan_version|sharing_basis)\b/);
    expect(visible).toContain('Things that matter to the person (outcomes)');
    expect(visible).toContain('Whose record');
  });

  it('decline: the person sees the reason', async () => {
    const reason =
      'Health and care records must be kept for the retention periods in the Records Management Code of Practice for Health and Social Care 2023 (for adult social care and health records, usually 8 years after care ends).';
    const url = `/api/admin/erasure-requests/${personId}/${declinedId}/decide`;
    expect((await post(url, practitioner, { decision: 'decline', reason })).statusCode).toBe(403);
    const declined = await post(url, admin, { decision: 'decline', reason });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toEqual({ status: 'declined' });
    expect((await post(url, admin, { decision: 'decline', reason })).statusCode).toBe(409);
    const list = (await get(`/api/people/${personId}/erasure-requests`, person)).json();
    expect(list[0]).toMatchObject({ status: 'declined', decision: reason });
    const my = await get('/my/rights', person);
    expect(my.body).toContain('usually 8 years after care ends');
    expect(await countFor('person', personId)).toBe(1);
  });

  let requestId: string;
  it('erasing needs the confirmation', async () => {
    const asked = await submitForm(t.app, {
      session: person,
      pageUrl: `/people/${personId}/erasure-requests/new`,
      action: `/people/${personId}/erasure-requests/new`,
      fields: { grounds: 'I have moved abroad for good; please erase my record.' },
    });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/my?erasure=requested#my-requests');
    const open = await t.database.db
      .selectFrom('erasure_request')
      .select('request_id')
      .where('person_id', '=', personId)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    requestId = open.request_id;
    const pageUrl = `/admin/erasure-requests/${personId}/${requestId}`;
    const unconfirmed = await submitForm(t.app, {
      session: admin,
      pageUrl,
      action: `${pageUrl}/erase`,
      fields: {},
    });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Confirm that you have read');
    const api = await post(`${pageUrl.replace('/admin', '/api/admin')}/decide`, admin, { decision: 'erase' });
    expect(api.statusCode).toBe(400);
    expect(await countFor('person', personId)).toBe(1);
  });

  it('a failure part-way leaves everything in place', async () => {
    const before = await countsFor(personId);
    const auditBefore = await countFor('audit_event', personId);
    await sql`create function wm_test_refuse_delete() returns trigger language plpgsql as $$
      begin raise exception 'forced failure for the test'; end $$`.execute(t.database.db);
    await sql`create trigger wm_test_refuse_delete before delete on person
      for each row execute function wm_test_refuse_delete()`.execute(t.database.db);
    try {
      const failed = await post(`/api/admin/erasure-requests/${personId}/${requestId}/decide`, admin, {
        decision: 'erase',
        confirm: true,
      });
      expect(failed.statusCode).toBe(500);
    } finally {
      await sql`drop trigger wm_test_refuse_delete on person`.execute(t.database.db);
      await sql`drop function wm_test_refuse_delete()`.execute(t.database.db);
    }
    expect(await countsFor(personId)).toEqual(before);
    expect(await countFor('erasure_record', personId)).toBe(0);
    expect(await countFor('audit_event', personId)).toBeGreaterThanOrEqual(auditBefore);
    const person = await demoAccount(t, 'person@demo');
    expect(person.person_id).toBe(personId);
    const request = await t.database.db
      .selectFrom('erasure_request')
      .select('status')
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('open');
  });

  it('erase: every row about the person goes, the audit trail and an erasure record stay, others untouched', async () => {
    const mine = await countsFor(personId);
    const totals = {} as Record<PersonOwnedTable, number>;
    for (const table of PERSON_OWNED_TABLES) totals[table] = await totalRows(table);
    const otherBefore = await countsFor(otherId);
    const auditBefore = await countFor('audit_event', personId);
    expect(auditBefore).toBeGreaterThan(0);
    const ownAccount = await demoAccount(t, 'person@demo');

    // Through the page, with the confirmation ticked.
    const pageUrl = `/admin/erasure-requests/${personId}/${requestId}`;
    const erased = await submitForm(t.app, {
      session: admin,
      pageUrl,
      action: `${pageUrl}/erase`,
      fields: { confirm: 'yes' },
    });
    expect(erased.statusCode).toBe(303);
    expect(erased.headers.location).toBe('/admin/erasure-requests?erased=1');

    for (const table of PERSON_OWNED_TABLES) {
      expect(await countFor(table, personId), table).toBe(0);
      expect(await totalRows(table), table).toBe(totals[table] - mine[table]);
    }
    expect(await countsFor(otherId)).toEqual(otherBefore);
    // The person's own sign-in is removed, as `user remove` removes an account: nothing personal.
    const account = await t.database.db
      .selectFrom('user_account')
      .selectAll()
      .where('user_id', '=', ownAccount.user_id)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      username: `removed-${ownAccount.user_id}`,
      display_name: 'Removed user',
      person_id: null,
      password_hash: null,
    });
    const roles = await t.database.db
      .selectFrom('user_role')
      .select('role')
      .where('user_id', '=', ownAccount.user_id)
      .execute();
    expect(roles).toHaveLength(0);

    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id'])
      .where('person_id', '=', personId)
      .execute();
    expect(audit.length).toBeGreaterThan(auditBefore);
    expect(audit.map((a) => a.action)).toContain('erase-person');
    // Entries before the erasure keep who did what and when, but not their free text or address;
    // the chain still verifies, because the erasure is on the trail.
    const texts = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'purpose', 'ip', 'redacted'])
      .where('person_id', '=', personId)
      .where('action', 'not in', ['erase-person', 'user-remove', 'purge-erased-rows'])
      .execute();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((e) => e.purpose !== null || e.ip !== null)).toEqual([]);
    expect(texts.some((e) => e.redacted)).toBe(true);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user-remove', 'purge-erased-rows']));
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });

    const record = await t.database.db
      .selectFrom('erasure_record')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(record.grounds).toBe('I have moved abroad for good; please erase my record.');
    expect(record.kept).toContain('audit trail');
    expect(record.kept).toContain('Article 5(2)');
    expect(record.erased_by_user_id).toBe((await demoAccount(t, 'admin@demo')).user_id);

    expect((await get(`/api/people/${personId}`, practitioner)).statusCode).toBe(404);
    expect((await get(`/api/people/${personId}/export`, practitioner)).statusCode).toBe(404);
    expect((await get(`/people/${personId}/export`, practitioner)).statusCode).toBe(404);
    expect(
      (await get('/api/admin/erasure-requests', admin)).json().map((r: { personId: string }) => r.personId),
    ).toEqual([otherId]);
  });
});
