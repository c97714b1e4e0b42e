import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { compareWithRebuild, flushRollups } from '../../src/features/rollups/store.js';
import { NO_TEAM } from '../../src/store/migrations/0014-rollups.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Care-experience feedback in the aggregates (issue 12, item 6), end to end: stories entered
 * through the staff API enter the rollup by the worker, their codes, sentiment, first reply and
 * changes made move the numbers, and after every write the kept rollup equals a rebuild; an
 * indicator defined on FFT % positive gives NHS England's percentage (Don't know counted in the
 * denominator), its page shows the SPC chart and the funnel plot, and the drill-down behind it
 * shows the stories' masked words, never the original name. Two teams of their own keep the
 * figures exactly these stories' whatever the demo holds. Codes, sentiment, replies and changes
 * are written to the tables as their own features write them (those features' tests cover their
 * pages); what is tested here is that each write reaches the figures.
 */
let t: TestApp;
const session: Record<string, string> = {};
let organisationId: string;
const teams: Record<'a' | 'b', string> = { a: '', b: '' };
const keys: Record<'a' | 'b' | 'org', string> = { a: '', b: '', org: '' };
const stories: Record<'a' | 'b', string[]> = { a: [], b: [] };

function monthsAgo(months: number): string {
  const [year, month] = todayIso().split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
const NOW = todayIso().slice(0, 7);
const LAST = monthsAgo(1);

const as = (who: string) => ({ cookie: session[who] as string });

async function post(url: string, who: string, payload: object): Promise<Record<string, unknown>> {
  const response = await t.app.inject({ method: 'POST', url, headers: as(who), payload });
  if (response.statusCode >= 300) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Team A's stories last month: 12 Very good, 3 Good, 3 Don't know, 1 Poor, 1 Very poor. */
const LAST_MONTH_A = [
  ...Array<string>(12).fill('very-good'),
  ...Array<string>(3).fill('good'),
  ...Array<string>(3).fill('dont-know'),
  'poor',
  'very-poor',
];
const NAME = 'Sarah Jones';

async function enter(team: 'a' | 'b', fft: string, receivedOn: string, i: number): Promise<string> {
  const body = await post(`/api/services/${keys[team]}/feedback`, 'practitioner', {
    fft,
    whatWasGood:
      i === 0
        ? `Nurse ${NAME} was kind and explained everything about my treatment.`
        : `The staff on the ward were friendly and helpful, visit number ${i}.`,
    whatCouldBeBetter: fft === 'poor' || fft === 'very-poor' ? 'I waited far too long to be seen.' : '',
    writer: 'patient',
    ageBand: i % 2 ? '65-74' : null,
    consentToPublish: true,
    channel: 'paper',
    receivedOn,
  });
  return (body.feedbackId ?? body.id) as string;
}

async function values(key: string, query: string) {
  const response = await t.app.inject({
    url: `/api/indicators/${key}/values?${query}`,
    headers: as('commissioner'),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    rows: { key: string; value: number | null; numerator: number | null; denominator: number | null }[];
    total: { value: number | null; denominator: number | null };
  };
}
/** Team A's value last month. */
const teamA = async (key: string, month = LAST) =>
  (await values(key, `breakdown=team&from=${month}&to=${month}`)).rows.find((r) => r.key === teams.a);

async function define(key: string, source: string, improvement: string) {
  await post('/api/indicators', 'commissioner', {
    key,
    name: `Test ${source}`,
    description: '',
    source,
    filters: {},
    improvement,
    target: null,
    breakdowns: ['organisation', 'team', 'month', 'age-band'],
    periodicity: 'month',
  });
}

/** Team A's kept sums of a measure in a month (the 'all' cell): exact, before disclosure control. */
async function cellOf(measure: string, month = LAST, team = teams.a) {
  const row = await t.database.db
    .selectFrom('indicator_rollup')
    .select(['denominator', 'numerator', 'value_sum'])
    .where('measure', '=', measure)
    .where('team_id', '=', team)
    .where('period_month', '=', `${month}-01`)
    .where('dim', '=', 'all')
    .executeTakeFirst();
  return row
    ? { denominator: Number(row.denominator), numerator: Number(row.numerator), valueSum: row.value_sum }
    : null;
}

/** Applies the queue, then checks the kept rollup against a rebuild. */
async function flushedAndEqual() {
  await flushRollups(t.database.db);
  expect(await compareWithRebuild(t.database.db)).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 4 });
  const { db } = t.database;
  const practitioner = await db
    .selectFrom('user_account as u')
    .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
    .innerJoin('team', 'team.team_id', 'r.team_id')
    .select(['u.user_id', 'team.organisation_id'])
    .where('u.username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  organisationId = practitioner.organisation_id;
  for (const team of ['a', 'b'] as const) {
    teams[team] = randomUUID();
    await db
      .insertInto('team')
      .values({
        team_id: teams[team],
        organisation_id: organisationId,
        name: `Ward ${team.toUpperCase()} (feedback test)`,
      })
      .execute();
    await db
      .insertInto('user_role')
      .values({
        user_role_id: randomUUID(),
        user_id: practitioner.user_id,
        role: 'practitioner',
        organisation_id: organisationId,
        team_id: teams[team],
      })
      .execute();
  }
  for (const who of ['practitioner', 'commissioner', 'analyst', 'manager']) {
    session[who] = await signIn(t.app, `${who}@demo`);
  }
  const index = await t.app.inject({ url: '/service-feedback', headers: as('practitioner') });
  expect(index.statusCode, index.body).toBe(200);
  const services = await db
    .selectFrom('feedback_service')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .execute();
  keys.a = services.find((s) => s.team_id === teams.a)?.service_key ?? '';
  keys.b = services.find((s) => s.team_id === teams.b)?.service_key ?? '';
  keys.org = services.find((s) => s.team_id === null)?.service_key ?? '';
  expect(keys.a && keys.b && keys.org).toBeTruthy();

  for (const [i, fft] of LAST_MONTH_A.entries()) stories.a.push(await enter('a', fft, `${LAST}-10`, i));
  // This month: team A 10 of 20 positive; team B 9 of 10.
  for (let i = 0; i < 20; i++)
    stories.a.push(await enter('a', i < 10 ? 'good' : 'neither', todayIso(), i + 20));
  for (let i = 0; i < 10; i++)
    stories.b.push(await enter('b', i < 9 ? 'very-good' : 'poor', todayIso(), i + 1));
  for (const [key, source, improvement] of [
    ['fft-positive-test', 'feedback-fft-positive', 'increase'],
    ['feedback-volume-test', 'feedback-volume', 'neutral'],
    ['concerns-changed-test', 'feedback-concerns-changed', 'increase'],
    ['first-response-test', 'feedback-first-response-days', 'decrease'],
    ['replied-in-time-test', 'feedback-replied-in-time', 'increase'],
    ['staff-manner-test', 'feedback-theme-staff-manner', 'neutral'],
    ['sentiment-mean-test', 'feedback-sentiment-mean', 'increase'],
  ] as const) {
    await define(key, source, improvement);
  }
});
afterAll(() => t?.close());

describe('feedback in the rollup', () => {
  it('enters as stories are written, the kept rollup equal to a rebuild', async () => {
    await flushedAndEqual();
    const contributions = await t.database.db
      .selectFrom('rollup_contribution')
      .select(['measure', 'team_id', 'organisation_id', 'age_band', 'sex'])
      .where('person_id', '=', stories.a[1] as string)
      .where('measure', '=', 'feedback:fft')
      .execute();
    // Keyed by the story's own id; placed in its service's team; the writer's age band; no sex.
    expect(contributions).toEqual([
      {
        measure: 'feedback:fft',
        team_id: teams.a,
        organisation_id: organisationId,
        age_band: '65-74',
        sex: 'unknown',
      },
    ]);
  });

  it('places a story to the organisation as a whole in its organisation and no team', async () => {
    const id = (
      await post(`/api/services/${keys.org}/feedback`, 'practitioner', {
        fft: 'good',
        whatWasGood: 'Good service overall.',
        whatCouldBeBetter: '',
        writer: 'carer',
        ageBand: null,
        consentToPublish: false,
        channel: 'phone',
        // A month of its own: one story in a cell would, by complementary suppression, hide the
        // next smallest team's figure in the same month.
        receivedOn: `${monthsAgo(3)}-03`,
      })
    ).feedbackId as string;
    await flushedAndEqual();
    const fact = await sql<{ organisation_id: string; team_id: string; age_band: string }>`
      select organisation_id, team_id, age_band from indicator_fact where person_id = ${id} and measure = 'feedback:fft'`.execute(
      t.database.db,
    );
    expect(fact.rows).toEqual([{ organisation_id: organisationId, team_id: NO_TEAM, age_band: 'unknown' }]);
  });
});

describe('the worker’s step for one story', () => {
  it('reads every feedback table by the story’s key (no whole-table scan)', async () => {
    interface ScanNode {
      'Node Type': string;
      'Relation Name'?: string;
      Plans?: ScanNode[];
    }
    const plan = await t.database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const explained = await sql<{ 'QUERY PLAN': unknown }>`explain (format json)
        select * from indicator_fact where person_id = ${stories.a[0] as string}`.execute(trx);
      const value = explained.rows[0]?.['QUERY PLAN'];
      return (typeof value === 'string' ? JSON.parse(value) : value) as [{ Plan: ScanNode }];
    });
    const scans = (node: ScanNode): ScanNode[] => [
      ...(node['Relation Name'] ? [node] : []),
      ...(node.Plans ?? []).flatMap(scans),
    ];
    const all = scans(plan[0].Plan);
    for (const table of ['feedback', 'feedback_code', 'feedback_change_story']) {
      const reads = all.filter((n) => n['Relation Name'] === table);
      expect(reads.length, table).toBeGreaterThan(0);
      for (const read of reads) expect(read['Node Type'], table).not.toBe('Seq Scan');
    }
  });
});

describe('feedback indicators', () => {
  it('FFT % positive is Very good and Good over every answer, Don’t know included', async () => {
    // 15 of 20, not 15 of the 17 who said more than Don't know (88%). Counts of 15 and 20 are
    // multiples of 5, so disclosure control's rounding leaves them as they are.
    expect(await teamA('fft-positive-test')).toMatchObject({ value: 75 });
    expect(await cellOf('feedback:fft')).toEqual({ denominator: 20, numerator: 15, valueSum: 0 });
    expect(await teamA('fft-positive-test', NOW)).toMatchObject({ value: 50, denominator: 20 });
    expect((await teamA('feedback-volume-test'))?.value).toBe(20);
  });

  it('a code removed, confirmed, then rejected, moves the theme’s share', async () => {
    const { db } = t.database;
    const coded = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(distinct c.feedback_id) as n from feedback_code_in_use c
            where c.feedback_id in (${sql.join(stories.a.slice(0, 20))})
              and (c.code = 'staff-manner' or c.code like 'staff-manner/%')`.execute(db)
        ).rows[0]?.n,
      );
    await flushedAndEqual();
    expect(await cellOf('feedback:theme:staff-manner')).toEqual({
      denominator: 20,
      numerator: await coded(),
      valueSum: 0,
    });
    // Whatever the coder suggested for this story about the theme goes, so staff can confirm it.
    const target = stories.a[2] as string;
    await db
      .deleteFrom('feedback_code')
      .where('feedback_id', '=', target)
      .where((eb) => eb.or([eb('code', '=', 'staff-manner'), eb('code', 'like', 'staff-manner/%')]))
      .execute();
    await flushedAndEqual();
    const before = await coded();
    expect(await cellOf('feedback:theme:staff-manner')).toMatchObject({ numerator: before });
    await db
      .insertInto('feedback_code')
      .values({
        feedback_id: target,
        code: 'staff-manner/kindness',
        status: 'confirmed',
        words: JSON.stringify([]),
      })
      .execute();
    await flushedAndEqual();
    expect(await cellOf('feedback:theme:staff-manner')).toMatchObject({ numerator: before + 1 });
    await db
      .updateTable('feedback_code')
      .set({ status: 'rejected' })
      .where('feedback_id', '=', target)
      .where('code', '=', 'staff-manner/kindness')
      .execute();
    await flushedAndEqual();
    expect(await cellOf('feedback:theme:staff-manner')).toMatchObject({ numerator: before });
  });

  it('a sentiment confirmed moves the average sentiment', async () => {
    const { db } = t.database;
    await db.updateTable('feedback').set({ sentiment: null }).where('feedback_id', 'in', stories.b).execute();
    await db
      .updateTable('feedback')
      .set({ sentiment: 5, sentiment_confirmed: true })
      .where('feedback_id', '=', stories.b[0] as string)
      .execute();
    await db
      .updateTable('feedback')
      .set({ sentiment: 2, sentiment_confirmed: true })
      .where('feedback_id', '=', stories.b[1] as string)
      .execute();
    await flushedAndEqual();
    const b = (await values('sentiment-mean-test', `breakdown=team&from=${NOW}&to=${NOW}`)).rows.find(
      (r) => r.key === teams.b,
    );
    // Two stories are below the disclosure threshold: the figure is withheld, but it is kept.
    const cell = await t.database.db
      .selectFrom('indicator_rollup')
      .select(['denominator', 'value_sum'])
      .where('measure', '=', 'feedback:sentiment')
      .where('team_id', '=', teams.b)
      .where('dim', '=', 'all')
      .executeTakeFirstOrThrow();
    expect({ n: Number(cell.denominator), sum: cell.value_sum }).toEqual({ n: 2, sum: 7 });
    expect(b?.value ?? null).toBeNull();
  });

  it('a first reply moves the time to first response and the share replied in time', async () => {
    const { db } = t.database;
    const replied = stories.a.slice(0, 12);
    for (const [i, id] of replied.entries()) {
      const days = i < 10 ? 3 : 20;
      await db
        .updateTable('feedback')
        .set({ first_response_at: new Date().toISOString(), seconds_to_first_response: days * 86_400 })
        .where('feedback_id', '=', id)
        .execute();
    }
    await flushedAndEqual();
    // (10 × 3 + 2 × 20) / 12 days; 10 of 20 within 14 days.
    expect((await teamA('first-response-test'))?.value).toBeCloseTo(70 / 12, 9);
    expect((await teamA('replied-in-time-test'))?.value).toBe(50);
    expect(await cellOf('feedback:responded-in-time')).toMatchObject({ denominator: 20, numerator: 10 });
  });

  it('a change made, linked to concerns, moves the share of concerns changed', async () => {
    const { db } = t.database;
    const concerns = (
      await db
        .selectFrom('feedback')
        .select('feedback_id')
        .where('feedback_id', 'in', stories.a.slice(0, 20))
        .where('is_concern', '=', true)
        .orderBy('feedback_id')
        .execute()
    ).map((r) => r.feedback_id);
    expect(concerns.length).toBeGreaterThanOrEqual(2);
    const user = await db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', 'practitioner@demo')
      .executeTakeFirstOrThrow();
    const changeId = randomUUID();
    await db
      .insertInto('feedback_change')
      .values({
        change_id: changeId,
        service_key: keys.a,
        status: 'planned',
        description: 'Shorter waits: a second clinic on Tuesdays',
        planned_on: todayIso(),
        recorded_by_user_id: user.user_id,
      })
      .execute();
    await db
      .insertInto('feedback_change_story')
      .values(concerns.slice(0, 2).map((feedback_id) => ({ change_id: changeId, feedback_id })))
      .execute();
    await flushedAndEqual();
    const cell = async () =>
      db
        .selectFrom('indicator_rollup')
        .select(['denominator', 'numerator'])
        .where('measure', '=', 'feedback:concern-change-made')
        .where('team_id', '=', teams.a)
        .where('period_month', '=', `${LAST}-01`)
        .where('dim', '=', 'all')
        .executeTakeFirstOrThrow();
    expect(Number((await cell()).numerator)).toBe(0);
    expect(Number((await cell()).denominator)).toBe(concerns.length);
    await db
      .updateTable('feedback_change')
      .set({ status: 'made', made_on: todayIso() })
      .where('change_id', '=', changeId)
      .execute();
    await flushedAndEqual();
    expect(Number((await cell()).numerator)).toBe(2);
    // Unlinking a story takes it out again.
    await db
      .deleteFrom('feedback_change_story')
      .where('feedback_id', '=', concerns[0] as string)
      .execute();
    await flushedAndEqual();
    expect(Number((await cell()).numerator)).toBe(1);
  });

  it('a deleted story leaves the figures', async () => {
    const { db } = t.database;
    const gone = stories.b.pop() as string;
    await db.deleteFrom('feedback').where('feedback_id', '=', gone).execute();
    await flushedAndEqual();
    expect(
      await db.selectFrom('rollup_contribution').select('measure').where('person_id', '=', gone).execute(),
    ).toEqual([]);
  });
});

describe('the indicator’s pages', () => {
  it('show the SPC chart and the funnel plot, and their CSVs hold the figures', async () => {
    const page = await t.app.inject({ url: '/indicators/fft-positive-test', headers: as('commissioner') });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('month by month');
    expect(page.body).toContain('compared (funnel plot)');
    const spc = await t.app.inject({
      url: '/indicators/fft-positive-test/charts/spc.csv',
      headers: as('commissioner'),
    });
    expect(spc.statusCode, spc.body).toBe(200);
    const funnel = await t.app.inject({
      url: '/indicators/fft-positive-test/charts/funnel.csv',
      headers: as('commissioner'),
    });
    expect(funnel.statusCode, funnel.body).toBe(200);
    expect(funnel.body.split('\n').length).toBeGreaterThan(1);
  });
});

describe('the stories behind a feedback number', () => {
  const open = (who: string, query: string) =>
    t.app.inject({
      url: `/indicators/fft-positive-test/statements?purpose=service-review&${query}`,
      headers: as(who),
    });

  it('shows the masked words, FFT answers, months and themes, never the original name', async () => {
    const page = await open('commissioner', `breakdown=team&value=${teams.a}&from=${LAST}&to=${LAST}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Feedback stories');
    expect(page.body).toContain('[name]');
    expect(page.body).toContain('Very good');
    expect(page.body).not.toContain('Sarah');
    expect(page.body).not.toContain('Jones');
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['purpose', 'outcome'])
      .where('action', '=', 'drill-down-indicator')
      .orderBy('occurred_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.purpose).toContain('feedback stories');
  });

  it('withholds the stories of a cell too small to show', async () => {
    // Team B's writers aged 65 to 74 this month: five stories.
    const page = await open(
      'analyst',
      `team=${teams.b}&breakdown=age-band&value=65-74&from=${NOW}&to=${NOW}`,
    );
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('No statements shown');
    expect(page.body).not.toContain('Feedback stories</h2>');
  });
});
