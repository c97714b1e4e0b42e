import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import type { Actor } from '../../src/domain/actor.js';
import { nhsNumberCheckDigit } from '../../src/domain/nhs-number.js';
import type { ServiceError } from '../../src/services/errors.js';
import { submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The CSV exchange (docs/CSV.md): each kind imported row by row (bad rows reported by row and
 * column, good rows imported, nothing half-written), a dry run that checks everything and keeps
 * nothing, exports that hold only the organisation's people and list each of them on the audit
 * trail, and administrators doing it from pages, for their own organisation only.
 */

let t: TestApp;
let admin: Actor;
let orgAdmin: Actor;
const organisationId = randomUUID();
const teamId = randomUUID();
const otherOrganisationId = randomUUID();

/** A valid NHS number from nine digits (Modulus 11). */
const nhs = (first9: string) => `${first9}${nhsNumberCheckDigit(first9)}`;
const [A, B, C] = ['943476591', '401023213', '485777345'].map(nhs) as [string, string, string];
const BAD_NHS = `${A.slice(0, 9)}${(Number(A[9]) + 1) % 10}`;

const counts = async () => {
  const count = async (
    table:
      | 'person'
      | 'care_team_member'
      | 'sharing_basis'
      | 'personal_outcome'
      | 'outcome_rating'
      | 'care_plan_version'
      | 'feedback'
      | 'audit_event',
  ) =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    person: await count('person'),
    careTeam: await count('care_team_member'),
    sharing: await count('sharing_basis'),
    outcomes: await count('personal_outcome'),
    ratings: await count('outcome_rating'),
    plans: await count('care_plan_version'),
    feedback: await count('feedback'),
    audit: await count('audit_event'),
  };
};

const lastAudit = (action: string) =>
  t.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action)
    .orderBy('audit_id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();

const scope = { organisationId, teamId };
const run = (
  kind: 'people' | 'outcomes' | 'plan-actions' | 'feedback',
  csv: string,
  dryRun = false,
  actor = admin,
) => t.services.csvExchange.importCsv(actor, kind, scope, csv, { dryRun });

const PEOPLE = [
  'nhs_number,given_name,family_name,date_of_birth,sex,postcode,support_kind',
  `${A},Ada,Lovelace,1950-12-10,female,SW1A 1AA,social-care`,
  `${B.slice(0, 3)} ${B.slice(3, 6)} ${B.slice(6)},Alan,Turing,1954-06-23,male,,`,
  `${BAD_NHS},Bad,Number,1960-01-01,female,,`,
  `${C},,Nameless,1970-01-01,unknown-sex,,`,
  `${A},Ada,Again,1950-12-10,female,,`,
  `${C},Grace,Hopper,2999-01-01,female,,`,
].join('\n');

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 3 });
  await t.database.db
    .insertInto('organisation')
    .values([
      {
        organisation_id: organisationId,
        kind: 'council-adult-social-care',
        name: 'Westshire County Council',
      },
      { organisation_id: otherOrganisationId, kind: 'nhs-trust', name: 'Eastshire NHS Trust' },
    ])
    .execute();
  await t.database.db
    .insertInto('team')
    .values({ team_id: teamId, organisation_id: organisationId, name: 'Westshire adult social care' })
    .execute();
  await t.services.users.add({
    username: 'east-admin@test',
    displayName: 'East Admin',
    role: 'admin',
    organisationId: otherOrganisationId,
    password: 'correct horse battery staple 42',
  });
  const actorOf = async (username: string, password = DEMO_PASSWORD) =>
    (await t.services.auth.signIn(username, password, { ip: null, userAgent: null })).actor;
  admin = await actorOf('admin@demo');
  orgAdmin = await actorOf('east-admin@test', 'correct horse battery staple 42');
}, 120_000);
afterAll(() => t?.close());

describe('people', () => {
  it('a dry run reports every bad row and keeps nothing but its own audit entry', async () => {
    const before = await counts();
    const report = await run('people', PEOPLE, true);
    expect(report).toMatchObject({ kind: 'people', dryRun: true, rows: 6, imported: 2, skipped: 4 });
    expect(report.errors).toEqual(
      expect.arrayContaining([
        { row: 4, field: 'nhs_number', message: expect.stringContaining('Modulus 11') },
        { row: 5, field: 'given_name', message: 'is required' },
        { row: 5, field: 'sex', message: expect.stringContaining('must be one of') },
        { row: 6, field: 'nhs_number', message: 'is the same as on row 2' },
        { row: 7, field: 'date_of_birth', message: 'The date of birth must be in the past.' },
      ]),
    );
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
    expect((await lastAudit('csv-import')).purpose).toMatch(
      /^dry run, people: 2 of 6 rows would be imported/,
    );
  });

  it('imports the good rows into the organisation and team with a sharing basis, and nothing twice', async () => {
    const before = await counts();
    const report = await run('people', PEOPLE);
    expect(report).toMatchObject({ dryRun: false, rows: 6, imported: 2, skipped: 4 });
    expect(report.errors).toHaveLength(5);
    const after = await counts();
    expect(after.person - before.person).toBe(2);
    expect(after.careTeam - before.careTeam).toBe(2);
    expect(after.sharing - before.sharing).toBe(2);
    const ada = await t.database.db
      .selectFrom('person as p')
      .innerJoin('care_team_member as m', 'm.person_id', 'p.person_id')
      .innerJoin('sharing_basis as b', 'b.person_id', 'p.person_id')
      .select([
        'p.given_name',
        'p.postcode',
        'm.organisation_id',
        'm.team_id',
        'b.basis',
        'b.organisation_id as basis_org',
      ])
      .where('p.nhs_number', '=', A)
      .executeTakeFirstOrThrow();
    expect(ada).toEqual({
      given_name: 'Ada',
      postcode: 'SW1A 1AA',
      organisation_id: organisationId,
      team_id: teamId,
      basis: 'direct-care',
      basis_org: organisationId,
    });
    const again = await run('people', PEOPLE);
    expect(again).toMatchObject({ imported: 0, skipped: 6 });
    expect(again.errors).toHaveLength(5);
  });

  it('refuses someone registered elsewhere, and audits the finding on their record', async () => {
    const demo = await t.database.db
      .selectFrom('person')
      .select(['person_id', 'nhs_number'])
      .where('nhs_number', 'is not', null)
      .where('nhs_number', 'not in', [A, B])
      .limit(1)
      .executeTakeFirstOrThrow();
    const report = await run(
      'people',
      `nhs_number,given_name,family_name,sex\n${demo.nhs_number},X,Y,female`,
    );
    expect(report.errors).toEqual([
      { row: 2, field: 'nhs_number', message: expect.stringContaining('registered elsewhere') },
    ]);
    const finding = await lastAudit('csv-import-people');
    expect(finding).toMatchObject({ person_id: demo.person_id, outcome: 'denied' });
  });

  it('exports only the people the organisation holds, each listed on the audit trail', async () => {
    const done = await t.services.csvExchange.exportCsv(admin, 'people', { organisationId });
    const rows = parse(done.csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.nhs_number).sort()).toEqual([A, B].sort());
    expect(rows.find((r) => r.nhs_number === A)).toMatchObject({
      given_name: 'Ada',
      sex: 'female',
      support_kind: 'social-care',
    });
    const entry = await lastAudit('csv-export');
    const ids = await t.database.db
      .selectFrom('person')
      .select('person_id')
      .where('nhs_number', 'in', [A, B])
      .execute();
    expect([...(entry.listed_person_ids ?? [])].sort()).toEqual(ids.map((i) => i.person_id).sort());
    // Another organisation holds none of them.
    const other = await t.services.csvExchange.exportCsv(admin, 'people', {
      organisationId: otherOrganisationId,
    });
    expect(other.csv.trim().split('\n')).toHaveLength(1);
  });
});

describe('outcomes and plans', () => {
  const OUTCOMES = [
    'nhs_number,statement,why_it_matters,importance,viewpoint,rating,rating_note,rated_on',
    `${A},Walk to the shops,Independence,8,person,2,,2026-01-05`,
    `${A},Walk to the shops,,,person,3,Better,2026-03-05`,
    `${B},See my grandchildren,,,practitioner,,,`,
    `${C},Someone unknown,,,,,,`,
    `${A},Cook a meal,,,person,9,,`,
    `${B},Garden,,,person,,,2026-01-01`,
  ].join('\n');

  it('a dry run checks references in the database and keeps nothing', async () => {
    const before = await counts();
    const report = await run('outcomes', OUTCOMES, true);
    expect(report).toMatchObject({ rows: 6, imported: 3, skipped: 3 });
    expect(report.errors).toEqual([
      { row: 5, field: 'nhs_number', message: expect.stringContaining('holds no record') },
      { row: 6, field: 'rating', message: expect.stringContaining('must be 1 to') },
      { row: 7, field: 'rating', message: 'is required when rated_on or rating_note is given' },
    ]);
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
  });

  it('adds outcomes and their ratings over time, and nothing twice', async () => {
    const before = await counts();
    const report = await run('outcomes', OUTCOMES);
    expect(report).toMatchObject({ imported: 3, skipped: 3 });
    const after = await counts();
    expect(after.outcomes - before.outcomes).toBe(2);
    expect(after.ratings - before.ratings).toBe(2);
    expect((await run('outcomes', OUTCOMES)).imported).toBe(0);
    const exported = parse(
      (await t.services.csvExchange.exportCsv(admin, 'outcomes', { organisationId })).csv,
      {
        columns: true,
      },
    ) as Record<string, string>[];
    expect(
      exported.filter((r) => r.statement === 'Walk to the shops').map((r) => [r.rating, r.rated_on]),
    ).toEqual([
      ['2', '2026-01-05'],
      ['3', '2026-03-05'],
    ]);
    // An exported file imports as already held.
    const header = 'nhs_number,statement,why_it_matters,importance,viewpoint,rating,rating_note,rated_on';
    const roundTrip = await run(
      'outcomes',
      [
        header,
        ...exported.map((r) =>
          header
            .split(',')
            .map((c) => JSON.stringify(r[c] ?? ''))
            .join(','),
        ),
      ].join('\n'),
    );
    expect(roundTrip).toMatchObject({ imported: 0, errors: [] });
  });

  it('adds plan actions as new plan versions, under a goal found by its words', async () => {
    const ACTIONS = [
      'nhs_number,goal,outcome,action,who,who_name,when,status,confidence',
      `${A},Get out more,Walk to the shops,Walk with a friend,carer,Sam,Tuesdays,in-progress,7`,
      `${A},Get out more,,Join the walking group,community-resource,Walk Westshire,,not-started,`,
      `${A},Get out more,,Walk with a friend,carer,Sam,,done,`,
      `${B},Garden,,Plant bulbs,person,,,sometime,11`,
      `${B},Stay in touch,No such outcome,Ring weekly,person,Alan,,not-started,`,
    ].join('\n');
    const before = await counts();
    const dry = await run('plan-actions', ACTIONS, true);
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
    const report = await run('plan-actions', ACTIONS);
    expect(dry).toMatchObject({ ...report, dryRun: true });
    expect(report).toMatchObject({ rows: 5, imported: 2, skipped: 3 });
    expect(report.errors).toEqual(
      expect.arrayContaining([
        { row: 5, field: 'who_name', message: 'is required' },
        { row: 5, field: 'status', message: expect.stringContaining('must be one of') },
        { row: 5, field: 'confidence', message: 'must be 10 or less' },
        { row: 6, field: 'outcome', message: expect.stringContaining('no personal outcome') },
      ]),
    );
    expect((await counts()).plans - before.plans).toBe(2);
    const exported = parse(
      (await t.services.csvExchange.exportCsv(admin, 'plan-actions', { organisationId })).csv,
      {
        columns: true,
      },
    ) as Record<string, string>[];
    expect(exported).toEqual([
      expect.objectContaining({
        nhs_number: A,
        goal: 'Get out more',
        outcome: 'Walk to the shops',
        action: 'Walk with a friend',
        who: 'carer',
        when: 'Tuesdays',
        status: 'in-progress',
        confidence: '7',
      }),
      expect.objectContaining({
        nhs_number: A,
        goal: 'Get out more',
        action: 'Join the walking group',
        who_name: 'Walk Westshire',
      }),
    ]);
  });
});

describe('feedback', () => {
  const FEEDBACK = [
    'id,received_on,fft,good,better,writer,age_band,consent',
    'w-1,2026-10-01,Very good,Kind staff,,patient,,yes',
    'w-2,2026-10-02,brilliant,,,patient,,yes',
  ].join('\n');

  it('uses the feedback import, with a dry run, and exports the masked stories', async () => {
    const before = await counts();
    const dry = await run('feedback', FEEDBACK, true);
    expect(dry).toMatchObject({ kind: 'feedback', dryRun: true, rows: 2, imported: 1, skipped: 1 });
    expect(dry.errors).toEqual([
      { row: 3, field: 'fft', message: expect.stringContaining('must be one of') },
    ]);
    expect((await counts()).feedback).toBe(before.feedback);
    expect(
      await t.database.db
        .selectFrom('feedback_service')
        .select('service_key')
        .where('team_id', '=', teamId)
        .execute(),
    ).toEqual([]);
    expect(await run('feedback', FEEDBACK)).toMatchObject({ dryRun: false, imported: 1 });
    const exported = parse(
      (await t.services.csvExchange.exportCsv(admin, 'feedback', { organisationId })).csv,
      {
        columns: true,
      },
    );
    expect(exported).toEqual([
      expect.objectContaining({ id: 'w-1', fft: 'very-good', good: 'Kind staff', consent: 'yes' }),
    ]);
  });
});

describe('who may', () => {
  it('an administrator of an organisation acts for it only; refusals are audited', async () => {
    await expect(
      t.services.csvExchange.exportCsv(orgAdmin, 'people', { organisationId }),
    ).rejects.toMatchObject({ status: 403 });
    expect(await lastAudit('csv-export')).toMatchObject({ outcome: 'denied', resource_id: organisationId });
    const own = await t.services.csvExchange.exportCsv(orgAdmin, 'people', {
      organisationId: otherOrganisationId,
    });
    expect(own.rows).toBe(0);
    expect((await t.services.csvExchange.organisations(orgAdmin)).map((o) => o.organisationId)).toEqual([
      otherOrganisationId,
    ]);
  });

  it('names the field of a bad scope or file', async () => {
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as ServiceError,
      );
    expect(
      await refusal(t.services.csvExchange.exportCsv(admin, 'people', { organisationId: 'nope' })),
    ).toMatchObject({ field: 'organisationId' });
    expect(
      await refusal(t.services.csvExchange.exportCsv(admin, 'people', { organisationId: randomUUID() })),
    ).toMatchObject({ field: 'organisationId' });
    expect(
      await refusal(
        t.services.csvExchange.importCsv(admin, 'people', { organisationId, teamId: randomUUID() }, PEOPLE, {
          dryRun: true,
        }),
      ),
    ).toMatchObject({ field: 'teamId' });
    await expect(run('people', 'nhs_number,given_name,shoe_size\n1,2,3')).rejects.toThrow(
      /unknown column "shoe_size"/,
    );
    await expect(run('outcomes', 'nhs_number\n1')).rejects.toThrow(/missing column "statement"/);
  });
});

describe('the administration pages', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await signIn(t.app, 'admin@demo');
  });

  it('imports a pasted file with a dry run, showing each refused row', async () => {
    const before = await counts();
    const response = await submitForm(t.app, {
      session: cookie,
      pageUrl: '/admin/csv',
      action: '/admin/csv',
      fields: { kind: 'people', organisationId, teamId, csv: PEOPLE, dryRun: 'yes' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Dry run: what the import would do');
    expect(response.body).toMatch(
      /<td class="nhsuk-table__cell">4<\/td><td class="nhsuk-table__cell"><code>nhs_number<\/code>/,
    );
    expect((await counts()).person).toBe(before.person);
  });

  it('names the form field at fault', async () => {
    const empty = await submitForm(t.app, {
      session: cookie,
      pageUrl: '/admin/csv',
      action: '/admin/csv',
      fields: { kind: 'people', organisationId, csv: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#csv"');
    const badFile = await submitForm(t.app, {
      session: cookie,
      pageUrl: '/admin/csv',
      action: '/admin/csv',
      fields: { kind: 'people', organisationId, csv: 'shoe_size\n1' },
    });
    expect(badFile.statusCode).toBe(400);
    expect(badFile.body).toContain('unknown column');
    const badOrg = await submitForm(t.app, {
      session: cookie,
      pageUrl: '/admin/csv',
      action: '/admin/csv',
      fields: { kind: 'people', organisationId: 'x', csv: PEOPLE },
    });
    expect(badOrg.statusCode).toBe(400);
    expect(badOrg.body).toContain('href="#organisationId"');
  });

  it('downloads an export as text/csv, and refuses other roles', async () => {
    const response = await t.app.inject({
      url: `/admin/csv/export?kind=people&organisationId=${organisationId}`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="westshire-county-council-people\.csv"$/,
    );
    expect(response.body).toContain(A);
    const bad = await t.app.inject({
      url: '/admin/csv/export?kind=pets&organisationId=x',
      headers: { cookie },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(/at .*\.ts:\d+/);
    const practitioner = await signIn(t.app, 'practitioner@demo');
    expect((await t.app.inject({ url: '/admin/csv', headers: { cookie: practitioner } })).statusCode).toBe(
      403,
    );
  });
});
