import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithRebuild, flushRollups } from '../../src/features/rollups/store.js';
import { type CommunitySeed, seedCommunityOutcomes } from '../support/community-outcomes-seed.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Outcomes of community support in the aggregates (issue 14, part 4), end to end on a real
 * database: connections written to the tables enter the rollup by the worker, placed in the
 * organisation that runs the resource; a commissioner reads them by kind of support and by
 * organisation through the one disclosure control, beside every service; each figure opens onto the
 * de-identified statements behind it; a practitioner is refused, and the refusal audited; every
 * write that changes a connection moves the figures, and the kept rollup equals a rebuild.
 */
let t: TestApp;
let seed: CommunitySeed;
const session: Record<string, string> = {};
const as = (who: string) => ({ cookie: session[who] as string });

/** The kept sums of a measure in a month's 'all' cells, by organisation (exact, before disclosure). */
async function cells(measure: string, month: string) {
  const rows = await t.database.db
    .selectFrom('indicator_rollup')
    .select(['organisation_id', 'team_id', 'viewpoint', 'denominator', 'numerator', 'value_sum'])
    .where('measure', '=', measure)
    .where('period_month', '=', `${month}-01`)
    .where('dim', '=', 'all')
    .orderBy('organisation_id')
    .execute();
  return rows.map((r) => ({
    organisationId: r.organisation_id,
    teamId: r.team_id,
    viewpoint: r.viewpoint,
    denominator: Number(r.denominator),
    numerator: Number(r.numerator),
    valueSum: r.value_sum,
  }));
}

async function flushedAndEqual() {
  await flushRollups(t.database.db);
  expect(await compareWithRebuild(t.database.db)).toEqual([]);
}

async function outcomes(query = '') {
  const response = await t.app.inject({
    url: `/api/commissioning/community${query}`,
    headers: as('commissioner'),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 0 });
  for (const who of ['commissioner', 'analyst', 'practitioner', 'person']) {
    session[who] = await signIn(t.app, `${who}@demo`);
  }
  seed = await seedCommunityOutcomes(t.database.db);
  await flushedAndEqual();
}, 120_000);
afterAll(() => t?.close());

describe('connections to community support in the rollup', () => {
  it('counts each connection once, in the month of its first attendance, in the organisation that runs the resource and, as its unit, the resource', async () => {
    const { riverside, hillside, peers } = seed.organisations;
    const { resources } = seed;
    const walking = await cells('community:connected:walking-group', seed.twoMonthsAgo);
    expect(walking).toEqual(
      [
        {
          organisationId: riverside,
          teamId: resources.riverside,
          viewpoint: '',
          denominator: 15,
          numerator: 0,
          valueSum: 0,
        },
        {
          organisationId: hillside,
          teamId: resources.hillside,
          viewpoint: '',
          denominator: 3,
          numerator: 0,
          valueSum: 0,
        },
      ].sort((a, b) => a.organisationId.localeCompare(b.organisationId)),
    );
    const all = await cells('community:connected', seed.twoMonthsAgo);
    expect(all.reduce((n, c) => n + c.denominator, 0)).toBe(21);
    expect(all.find((c) => c.organisationId === peers)?.denominator).toBe(3);
    // The person who never came is not connected; nobody is counted in the month of a later session.
    expect(await cells('community:connected', seed.lastMonth)).toEqual([]);
  });

  it('takes the change from the latest rating at or before the first attendance to the latest after it', async () => {
    const [change] = await cells('community:rating-change:walking-group', seed.lastMonth);
    // Baseline 2 (not the first rating, 3): ten rated 4 (+2), five rated 1 (−1).
    expect(change).toMatchObject({
      organisationId: seed.organisations.riverside,
      teamId: seed.resources.riverside,
      viewpoint: 'person',
      denominator: 15,
      numerator: 10,
      valueSum: 15,
    });
    expect(await cells('community:rating-change', seed.lastMonth)).toHaveLength(1);
    expect(await cells('community:rating-change:peer-support', seed.lastMonth)).toEqual([]);
  });

  it('the worker’s person filter reaches the referral and attendance tables by their keys', async () => {
    const plan = await t.database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const explained = await sql<{ 'QUERY PLAN': unknown }>`explain (format json)
        select * from indicator_fact where person_id = ${seed.namedPersonId}`.execute(trx);
      const value = explained.rows[0]?.['QUERY PLAN'];
      return (typeof value === 'string' ? JSON.parse(value) : value) as [{ Plan: ScanNode }];
    });
    interface ScanNode {
      'Node Type': string;
      'Relation Name'?: string;
      Plans?: ScanNode[];
    }
    const scans = (node: ScanNode): ScanNode[] => [
      ...(node['Relation Name'] ? [node] : []),
      ...(node.Plans ?? []).flatMap(scans),
    ];
    const all = scans(plan[0].Plan);
    for (const table of ['community_attendance', 'community_referral']) {
      const reads = all.filter((n) => n['Relation Name'] === table);
      expect(reads.length, table).toBeGreaterThan(0);
      for (const read of reads) expect(read['Node Type'], table).not.toBe('Seq Scan');
    }
  });

  it('moves with every write to a connection, and the kept rollup equals a rebuild after each', async () => {
    const { db } = t.database;
    const walkingNow = async () =>
      (await cells('community:connected:walking-group', seed.twoMonthsAgo)).reduce(
        (n, c) => n + c.denominator,
        0,
      );
    // The person who did not come to their first walk comes to the next one.
    const noShow = await db
      .selectFrom('community_referral')
      .select(['person_id', 'referral_id'])
      .where('outcome_id', 'is', null)
      .where('resource_id', '=', seed.resources.riverside)
      .executeTakeFirstOrThrow();
    const attendanceId = randomUUID();
    const userId = (await db.selectFrom('user_account').select('user_id').executeTakeFirstOrThrow()).user_id;
    await sql`insert into community_attendance (person_id, attendance_id, referral_id, attended_on, outcome, recorded_by_user_id)
      values (${noShow.person_id}, ${attendanceId}, ${noShow.referral_id}, ${`${seed.twoMonthsAgo}-17`}, 'attended', ${userId})`.execute(
      db,
    );
    await flushedAndEqual();
    expect(await walkingNow()).toBe(19);
    // Recorded wrongly: they did not come after all.
    await sql`update community_attendance set outcome = 'did-not-attend' where person_id = ${noShow.person_id}
      and attendance_id = ${attendanceId}`.execute(db);
    await flushedAndEqual();
    expect(await walkingNow()).toBe(18);
    await sql`delete from community_attendance where person_id = ${noShow.person_id} and attendance_id = ${attendanceId}`.execute(
      db,
    );
    await flushedAndEqual();
    // The Hillside group turns out to be a physical activity class: its connections move kind.
    await sql`update community_resource set kind = 'physical-activity' where resource_id = ${seed.resources.hillside}`.execute(
      db,
    );
    await flushedAndEqual();
    expect(await walkingNow()).toBe(15);
    expect(
      (await cells('community:connected:physical-activity', seed.twoMonthsAgo)).map((c) => c.denominator),
    ).toEqual([3]);
    await sql`update community_resource set kind = 'walking-group' where resource_id = ${seed.resources.hillside}`.execute(
      db,
    );
    await flushedAndEqual();
    expect(await walkingNow()).toBe(18);
  });
});

describe('the commissioner’s view of community support', () => {
  it('shows each kind of support with people connected, average change and % improved, through disclosure control', async () => {
    const body = await outcomes(`?from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`);
    const walking = body.kinds.find((k: { kind: string }) => k.kind === 'walking-group');
    // 18 connections beside peer support's 3 (hidden: 1 to 7) and a total of 21 (shown as 20): shown,
    // walking groups would give peer support away (20 − 20), so secondary suppression hides them too.
    expect(walking.connected.row.shown.value).toBe('*');
    expect(body.all.connected.row.shown.value).toBe('20');
    // Change: 15 points over 15 outcomes; 10 of 15 improved.
    expect(walking.change.row.value).toBe(1);
    expect(walking.improved.row).toMatchObject({ numerator: 10, denominator: 15 });
    expect(walking.improved.row.value).toBeCloseTo(66.7, 1);
    // Three people connected to peer support: too few to show, and the total cannot give them away.
    const peers = body.kinds.find((k: { kind: string }) => k.kind === 'peer-support');
    expect(peers.connected.row.shown.value).toBe('*');
    expect(peers.connected.row.value).toBeNull();
    expect(body.all.connected.indicatorKey).toBe('community-connected');
    // Every service: the same outcomes' first rating (3) against the latest: +1 × 10, −2 × 5.
    expect(body.everyService.change.row.value).toBe(0);
    expect(body.everyService.improved.row).toMatchObject({ numerator: 10, denominator: 15 });
    expect(body.chosen).toBeNull();
  });

  it('shows one kind by the organisation that runs it, small numbers suppressed', async () => {
    const body = await outcomes(`?kind=walking-group&from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`);
    expect(body.chosen.label).toBe('Walking group');
    const byName = Object.fromEntries(
      body.chosen.organisations.map((o: { name: string }) => [o.name, o]),
    ) as Record<
      string,
      { connected: { row: { shown: { value: string } } }; change: { row: { value: number | null } } }
    >;
    expect(Object.keys(byName).sort()).toEqual(['Hillside Walkers', 'Riverside Walkers']);
    expect(byName['Hillside Walkers']?.connected.row.shown.value).toBe('*');
    expect(byName['Riverside Walkers']?.change.row.value).toBe(1);
  });

  it('shows one kind by resource, each named with the organisation that runs it, and opens onto its own statements', async () => {
    const body = await outcomes(`?kind=walking-group&from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`);
    const byId = Object.fromEntries(
      body.chosen.resources.map((r: { resourceId: string }) => [r.resourceId, r]),
    ) as Record<
      string,
      {
        name: string;
        connected: { indicatorKey: string; row: { shown: { value: string } } };
        change: { row: { value: number | null } };
        improved: { row: { numerator: number | null; denominator: number | null } };
      }
    >;
    expect(Object.keys(byId).sort()).toEqual([seed.resources.hillside, seed.resources.riverside].sort());
    expect(byId[seed.resources.riverside]?.name).toBe('Riverside Tuesday Walk, Riverside Walkers');
    expect(byId[seed.resources.hillside]?.name).toBe('Hillside Stroll, Hillside Walkers');
    // Three people at Hillside: hidden; so Riverside's 15, beside the kind's total, is hidden too.
    expect(byId[seed.resources.hillside]?.connected.row.shown.value).toBe('*');
    expect(byId[seed.resources.riverside]?.connected.row.shown.value).toBe('*');
    expect(byId[seed.resources.riverside]?.change.row.value).toBe(1);
    expect(byId[seed.resources.riverside]?.improved.row).toMatchObject({ numerator: 10, denominator: 15 });

    // The indicator itself breaks down by resource, named as such.
    const values = await t.app.inject({
      url: `/api/indicators/community-connected-walking-group/values?breakdown=team&from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`,
      headers: as('analyst'),
    });
    expect(values.statusCode, values.body).toBe(200);
    expect(
      values
        .json()
        .rows.map((r: { key: string }) => r.key)
        .sort(),
    ).toEqual([seed.resources.hillside, seed.resources.riverside].sort());

    // A resource's statements are those behind its own connections, never another's.
    const statements = async (resourceId: string) => {
      const response = await t.app.inject({
        url: `/indicators/community-rating-improved-walking-group/statements?team=${resourceId}&from=${seed.twoMonthsAgo}&to=${seed.lastMonth}&purpose=commissioning`,
        headers: as('commissioner'),
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.body;
    };
    expect(await statements(seed.resources.riverside)).toContain('get out of the house');
    expect(await statements(seed.resources.hillside)).not.toContain('get out of the house');
  });

  it('refuses a bad kind or month naming the field', async () => {
    const response = await t.app.inject({
      url: '/api/commissioning/community?kind=knitting',
      headers: as('commissioner'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('kind');
    const month = await t.app.inject({
      url: '/api/commissioning/community?from=2026-13',
      headers: as('analyst'),
    });
    expect(month.statusCode).toBe(400);
    expect(month.body).toContain('from');
  });

  it('refuses a practitioner and a person, and audits both refusals', async () => {
    for (const who of ['practitioner', 'person']) {
      const api = await t.app.inject({ url: '/api/commissioning/community', headers: as(who) });
      expect(api.statusCode, who).toBe(403);
      const page = await t.app.inject({ url: '/commissioning/community', headers: as(who) });
      expect(page.statusCode, who).toBe(403);
    }
    const denied = await t.database.db
      .selectFrom('audit_event')
      .select(['actor_role', 'purpose'])
      .where('action', '=', 'read-community-outcomes')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.filter((d) => d.actor_role === 'practitioner')).toHaveLength(2);
    expect(denied.filter((d) => d.actor_role === 'person')).toHaveLength(2);
  });

  it('audits each read, and the page links every figure it may open to the statements behind it', async () => {
    const page = await t.app.inject({
      url: `/commissioning/community?kind=walking-group&from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`,
      headers: as('commissioner'),
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Outcomes by kind of community support');
    expect(page.body).toContain(
      `/indicators/community-rating-improved-walking-group/statements?from=${seed.twoMonthsAgo}&amp;to=${seed.lastMonth}`,
    );
    expect(page.body).toContain(`organisation=${seed.organisations.riverside}`);
    // A suppressed figure opens onto nothing.
    expect(page.body).not.toContain(`organisation=${seed.organisations.hillside}`);
    const reads = await t.database.db
      .selectFrom('audit_event')
      .select('resource_id')
      .where('action', '=', 'read-community-outcomes')
      .where('outcome', '=', 'success')
      .execute();
    expect(reads.map((r) => r.resource_id)).toContain('walking-group');
  });

  it('opens a figure onto the de-identified words of the outcomes behind it', async () => {
    const response = await t.app.inject({
      url: `/indicators/community-rating-improved-walking-group/statements?purpose=commissioning&from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`,
      headers: as('commissioner'),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toContain('get out of the house and meet people');
    expect(response.body).toContain('wants to get out of the house and talk to people again');
    expect(response.body).not.toContain(seed.namedPersonName);
    // Peer support's three connections: too few to show what anyone said.
    const small = await t.app.inject({
      url: `/indicators/community-connected-peer-support/statements?purpose=commissioning&from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`,
      headers: as('commissioner'),
    });
    expect(small.statusCode).toBe(200);
    expect(small.body).toContain('too few');
  });
});

/** A write to connections that may move the figures: attendance, ratings, links, resources. */
type Write =
  | { kind: 'attend'; pick: number; month: 0 | 1; day: number; attended: boolean }
  | { kind: 'flip'; pick: number }
  | { kind: 'forget'; pick: number }
  | { kind: 'rate'; pick: number; month: 0 | 1; day: number; score: number; viewpoint: string }
  | { kind: 'relink'; pick: number; unlink: boolean }
  | { kind: 'move'; pick: number; organisation: number; resourceKind: string };

const pick = fc.nat(40);
const day = fc.integer({ min: 1, max: 28 });
const month = fc.constantFrom(0 as const, 1 as const);
const WRITE: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ kind: fc.constant('attend' as const), pick, month, day, attended: fc.boolean() }),
  fc.record({ kind: fc.constant('flip' as const), pick }),
  fc.record({ kind: fc.constant('forget' as const), pick }),
  fc.record({
    kind: fc.constant('rate' as const),
    pick,
    month,
    day,
    score: fc.integer({ min: 1, max: 4 }),
    viewpoint: fc.constantFrom('person', 'practitioner'),
  }),
  fc.record({ kind: fc.constant('relink' as const), pick, unlink: fc.boolean() }),
  fc.record({
    kind: fc.constant('move' as const),
    pick,
    organisation: fc.nat(2),
    resourceKind: fc.constantFrom('walking-group', 'peer-support', 'befriending'),
  }),
);

/** Carries out one write in the tables, as the referral feature and the directory write them. */
async function write(w: Write): Promise<void> {
  const { db } = t.database;
  const nth = <T>(rows: T[]) => rows[w.pick % Math.max(1, rows.length)];
  const referrals = await db
    .selectFrom('community_referral')
    .select(['person_id', 'referral_id', 'outcome_id'])
    .orderBy('referral_id')
    .execute();
  const referral = nth(referrals);
  if (!referral) return;
  const on = (m: 0 | 1, d: number) =>
    `${m ? seed.lastMonth : seed.twoMonthsAgo}-${String(d).padStart(2, '0')}`;
  const userId = (await db.selectFrom('user_account').select('user_id').executeTakeFirstOrThrow()).user_id;
  switch (w.kind) {
    case 'attend':
      await sql`insert into community_attendance (person_id, attendance_id, referral_id, attended_on, outcome, recorded_by_user_id)
        values (${referral.person_id}, ${randomUUID()}, ${referral.referral_id}, ${on(w.month, w.day)},
          ${w.attended ? 'attended' : 'did-not-attend'}, ${userId})
        on conflict do nothing`.execute(db);
      return;
    case 'flip':
    case 'forget': {
      const attendance = nth(
        await db
          .selectFrom('community_attendance')
          .select(['person_id', 'attendance_id'])
          .orderBy('attendance_id')
          .execute(),
      );
      if (!attendance) return;
      const key = sql`person_id = ${attendance.person_id} and attendance_id = ${attendance.attendance_id}`;
      await (w.kind === 'flip'
        ? sql`update community_attendance set outcome = case when outcome = 'attended' then 'did-not-attend'
            else 'attended' end where ${key}`
        : sql`delete from community_attendance where ${key}`
      ).execute(db);
      return;
    }
    case 'rate': {
      if (!referral.outcome_id) return;
      await db
        .insertInto('outcome_rating')
        .values({
          person_id: referral.person_id,
          rating_id: randomUUID(),
          outcome_id: referral.outcome_id,
          viewpoint: w.viewpoint,
          score: w.score,
          conversation_id: null,
          rated_by_user_id: userId,
          rated_at: `${on(w.month, w.day)}T12:00:00Z`,
        })
        .execute();
      return;
    }
    case 'relink': {
      const outcome = await db
        .selectFrom('personal_outcome')
        .select('outcome_id')
        .where('person_id', '=', referral.person_id)
        .executeTakeFirst();
      await sql`update community_referral set outcome_id = ${w.unlink ? null : (outcome?.outcome_id ?? null)}
        where person_id = ${referral.person_id} and referral_id = ${referral.referral_id}`.execute(db);
      return;
    }
    case 'move': {
      const resources = Object.values(seed.resources);
      const organisations = Object.values(seed.organisations);
      await sql`update community_resource set kind = ${w.resourceKind},
          organisation_id = ${organisations[w.organisation % organisations.length] as string}
        where resource_id = ${resources[w.pick % resources.length] as string}`.execute(db);
      return;
    }
  }
}

// Last: the writes change the figures the tests above check by hand.
describe('any mix of writes to connections', () => {
  it('leaves the kept rollup equal to a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(WRITE, { minLength: 1, maxLength: 8 }), async (writes) => {
        for (const w of writes) await write(w);
        await flushRollups(t.database.db);
        expect(await compareWithRebuild(t.database.db)).toEqual([]);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
