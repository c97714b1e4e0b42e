import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { hashPassword } from '../../src/features/auth/password-hash.js';
import { readCommunityCsv } from '../../src/features/community/csv-columns.js';
import { submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The community directory as files, through HTTP: staff import CSV or Open Referral UK JSON for
 * their own organisations with a dry run and a report of each refused row, importing twice changes
 * nothing, rows for other organisations and people who keep no entries are refused (audited), and
 * the exports hold what the caller may see.
 */

let t: TestApp;
const session: Record<string, string> = {};
let goodNeighbours = '';
let communityLinks = '';

const USERS = { margaret: 'margaret.dunn@demo', person: 'person@demo', admin: 'admin@demo' };

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  await t.database.db
    .updateTable('user_account')
    .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
    .where('username', '=', USERS.margaret)
    .execute();
  for (const [who, username] of Object.entries(USERS)) session[who] = await signIn(t.app, username);
  const orgs = await t.database.db.selectFrom('organisation').select(['organisation_id', 'name']).execute();
  goodNeighbours = orgs.find((o) => o.name === 'Riverside Good Neighbours')?.organisation_id ?? '';
  communityLinks = orgs.find((o) => o.name === 'Riverside Community Links')?.organisation_id ?? '';
});
afterAll(() => t?.close());

const HEADER =
  'organisation_name,name,kind,summary,online,cost_kind,self_referral,accepting_referrals,address,postcode,sessions,needs';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n');
const WALK =
  'Riverside Good Neighbours,Exchange Test Walk,walking-group,A walk by the river,no,free,yes,yes,"1 Mill Lane\nRiverton",rv1 2ab,mon 10:00-11:00;thu 18:00-19:30,loneliness-isolation;physical-activity';
const CAFE =
  'Riverside Good Neighbours,Exchange Test Café,befriending,Tea and a chat,yes,donation,yes,no,,,,loneliness-isolation';
const BAD = 'Riverside Good Neighbours,Exchange Test Bad,juggling,Bad row,no,free,yes,yes,,,,';
const BAD_TIME =
  'Riverside Good Neighbours,Exchange Test Late,other,Bad times,no,free,yes,yes,1 Mill Lane,,tue 10:00-09:00,';
const FOREIGN = 'Riverside Community Links,Exchange Test Theirs,other,Not hers,yes,free,yes,yes,,,,';

const importPage = (who: string, content: string, dryRun: boolean, organisationId = '') =>
  submitForm(t.app, {
    session: session[who],
    pageUrl: '/community/manage/import',
    action: '/community/manage/import',
    fields: { content, organisationId, ...(dryRun ? { dryRun: 'yes' } : {}) },
  });

const entries = () =>
  t.database.db
    .selectFrom('community_resource')
    .select(['resource_id', 'name', 'version', 'organisation_id', 'status', 'sessions'])
    .where('name', 'like', 'Exchange Test%')
    .orderBy('name')
    .execute();

const audits = (action: string, outcome: string) =>
  t.database.db
    .selectFrom('audit_event')
    .select(['resource_id', 'purpose'])
    .where('action', '=', action)
    .where('outcome', '=', outcome)
    .execute();

const cell = (html: string, id: string) => new RegExp(`id="${id}">(\\d+)`).exec(html)?.[1];

describe('importing from the page', () => {
  it('checks a file in a dry run, keeping nothing, and reports each refused row by row and column', async () => {
    const page = await importPage('margaret', csv(WALK, BAD, CAFE, FOREIGN, BAD_TIME), true);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Dry run: what the import would do');
    expect(cell(page.body, 'added')).toBe('2');
    expect(cell(page.body, 'refused')).toBe('3');
    expect(page.body).toMatch(
      /<td class="nhsuk-table__cell">3<\/td><td class="nhsuk-table__cell"><code>kind<\/code>/,
    );
    expect(page.body).toMatch(
      /<td class="nhsuk-table__cell">6<\/td><td class="nhsuk-table__cell"><code>sessions<\/code><\/td><td class="nhsuk-table__cell">must be later/,
    );
    expect(page.body).toMatch(
      /<td class="nhsuk-table__cell">5<\/td><td class="nhsuk-table__cell"><code>organisation_id<\/code>/,
    );
    expect(await entries()).toEqual([]);
  });

  it('imports the good rows, audited, and refuses rows for an organisation she does not keep, audited', async () => {
    const page = await importPage('margaret', csv(WALK, BAD, CAFE, FOREIGN, BAD_TIME), false);
    expect(page.statusCode, page.body).toBe(200);
    expect(cell(page.body, 'added')).toBe('2');
    const saved = await entries();
    expect(saved.map((e) => [e.name, e.organisation_id, e.version])).toEqual([
      ['Exchange Test Café', goodNeighbours, 1],
      ['Exchange Test Walk', goodNeighbours, 1],
    ]);
    expect(saved[1]?.sessions).toEqual([
      { day: 'mon', start: '10:00', end: '11:00' },
      { day: 'thu', start: '18:00', end: '19:30' },
    ]);
    const added = await audits('import-community-resource', 'success');
    expect(added.map((a) => a.resource_id).sort()).toEqual(saved.map((e) => e.resource_id).sort());
    // The dry run's refusal and this one's, each naming the organisation.
    expect((await audits('import-community-directory', 'denied')).map((a) => a.resource_id)).toEqual([
      communityLinks,
      communityLinks,
    ]);
    expect((await audits('import-community-directory', 'failure')).map((a) => a.purpose)).toContain(
      'csv: of 5 rows 2 added, 0 changed, 0 unchanged, 3 refused',
    );
  });

  it('changes nothing when the same file is imported again, and changes only what changed', async () => {
    const again = await importPage('margaret', csv(WALK, CAFE), false);
    expect(cell(again.body, 'unchanged')).toBe('2');
    expect(cell(again.body, 'added')).toBe('0');
    expect((await entries()).map((e) => e.version)).toEqual([1, 1]);
    const changed = await importPage(
      'margaret',
      csv(WALK.replace('A walk by the river', 'A walk by the weir'), CAFE),
      false,
    );
    expect(cell(changed.body, 'changed')).toBe('1');
    expect(cell(changed.body, 'unchanged')).toBe('1');
    expect((await entries()).map((e) => e.version)).toEqual([1, 2]);
  });

  it('refuses a file it cannot read, naming the field, and writes nothing', async () => {
    const page = await importPage('margaret', 'name,shoe_size\nA,9\n', false);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#content"');
    expect(page.body).toContain('unknown column &quot;shoe_size&quot;');
    const empty = await importPage('margaret', '', false);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Paste the file');
    expect(await entries()).toHaveLength(2);
  });

  it('refuses people who keep no entries, audited, and writes nothing', async () => {
    const before = (await audits('import-community-directory', 'denied')).length;
    const get = await t.app.inject({
      url: '/community/manage/import',
      headers: { cookie: session.person as string },
    });
    expect(get.statusCode).toBe(403);
    // Past the door (signed in), the service refuses a person and audits it.
    const post = await submitForm(t.app, {
      session: session.person,
      pageUrl: '/account',
      action: '/community/manage/import',
      fields: { content: csv(WALK.replace('Exchange Test Walk', 'Exchange Test Person')) },
    });
    expect(post.statusCode).toBe(403);
    expect((await audits('import-community-directory', 'denied')).length).toBe(before + 1);
    expect((await entries()).map((e) => e.name)).not.toContain('Exchange Test Person');
  });
});

describe('exporting and importing Open Referral UK JSON', () => {
  it('exports what the caller may see, and a closed entry only to those who keep it', async () => {
    const [cafe] = await entries();
    await t.database.db
      .updateTable('community_resource')
      .set({ status: 'closed' })
      .where('resource_id', '=', cafe?.resource_id as string)
      .execute();
    const open = await t.app.inject({ url: '/community/export.csv' });
    expect(open.statusCode).toBe(200);
    expect(open.headers['content-type']).toContain('text/csv');
    expect(open.headers['content-disposition']).toMatch(/attachment; filename="community-directory-.*\.csv"/);
    const publicNames = readCommunityCsv(open.body).map((e) => e.input.name);
    expect(publicNames).toContain('Exchange Test Walk');
    expect(publicNames).not.toContain('Exchange Test Café');
    const hers = await t.app.inject({
      url: '/community/export.csv',
      headers: { cookie: session.margaret as string },
    });
    expect(readCommunityCsv(hers.body).map((e) => e.input.name)).toContain('Exchange Test Café');

    const json = await t.app.inject({
      url: '/community/export.json',
      headers: { cookie: session.admin as string },
    });
    expect(json.statusCode).toBe(200);
    const services = json.json() as {
      name: string;
      organization: { id: string };
      regular_schedules: unknown[];
    }[];
    const walk = services.find((s) => s.name === 'Exchange Test Walk');
    expect(walk?.organization.id).toBe(goodNeighbours);
    expect(walk?.regular_schedules).toHaveLength(2);
  });

  it('imports its own export again changing nothing, and a new service as an addition', async () => {
    const json = await t.app.inject({
      url: '/community/export.json',
      headers: { cookie: session.margaret as string },
    });
    const ours = (json.json() as { organization: { id: string } }[]).filter(
      (s) => s.organization.id === goodNeighbours,
    );
    const report = await t.services.communityExchange.importFile(null, JSON.stringify(ours), {
      dryRun: false,
    });
    expect(report).toMatchObject({
      format: 'openreferral',
      added: 0,
      changed: 0,
      refused: 0,
      unchanged: ours.length,
    });
    const foreign = JSON.stringify([
      {
        id: 'elsewhere-1',
        name: 'Exchange Test Advice',
        description: 'Free debt advice. Bring your letters.',
        organization: { id: 'x', name: 'Somewhere Else' },
        fees: 'Free',
        service_at_locations: [
          { location: { physical_addresses: [{ address_1: '2 High St', postal_code: 'RV1 2AB' }] } },
        ],
      },
      { id: 'elsewhere-2', name: '', organization: { id: 'x', name: 'Somewhere Else' } },
    ]);
    const dry = await t.services.communityExchange.importFile(null, foreign, {
      dryRun: true,
      organisationId: goodNeighbours,
    });
    expect(dry).toMatchObject({ dryRun: true, added: 1, refused: 1 });
    expect(dry.errors).toContainEqual(expect.objectContaining({ row: 2, field: 'name' }));
    expect(dry.errors).toContainEqual(expect.objectContaining({ row: 2, field: 'cost_options' }));
    const noOrganisation = await t.services.communityExchange.importFile(null, foreign, { dryRun: true });
    expect(noOrganisation.errors).toContainEqual(
      expect.objectContaining({
        row: 1,
        field: 'organization.id',
        message: expect.stringContaining('names no organisation here'),
      }),
    );
    const real = await t.services.communityExchange.importFile(null, foreign, {
      dryRun: false,
      organisationId: goodNeighbours,
    });
    expect(real.added).toBe(1);
    expect((await entries()).map((e) => e.name)).toContain('Exchange Test Advice');
  });
});
