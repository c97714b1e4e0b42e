import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { type CarePlanContent, emptyCarePlan } from '../../src/domain/care-plan.js';
import { ANY_MEASURE_START_AND_REVIEW, MEASURE_SCORES } from '../../src/domain/indicators/measure-sources.js';
import { ROLLUP_MEASURES } from '../../src/domain/indicators/sources.js';
import { INSTRUMENTS } from '../../src/domain/measures/instruments/index.js';
import { assessChange } from '../../src/domain/measures/reliable-change.js';
import type { InstrumentKey } from '../../src/domain/measures/types.js';
import {
  compareWithRebuild,
  flushRollups,
  processRollupQueue,
  rebuildRollups,
  rollupCells,
  setRollupTriggers,
  withRollupsDeferred,
} from '../../src/features/rollups/store.js';
import { NO_TEAM } from '../../src/store/migrations/0014-rollups.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The rollups (issue 10): the partial aggregates kept by the outbox (each write marks the person in
 * its own transaction; the worker applies the marks) must, once the queue is flushed, always equal
 * a rebuild from the raw records, whatever the writes (recorded through the
 * real API: conversations, ratings, GAS, plans, erasure; standard measures as the measures service
 * stores them; and corrections an administrator makes in the database: demographics, the lead team,
 * a deleted rating, a conversation's date, a score's value or date, a response entered in error or
 * deleted; feedback stories, their codes, sentiment, first replies and changes made: 0028); each source
 * measure means what the design says; two transactions writing one person at once add up; a
 * rolled-back write leaves no mark; two workers at once never count a person twice; an erased
 * person's contribution is subtracted and gone with the erasure.
 * Runs on PGlite, and on PostgreSQL in the integration-postgres project.
 */
let t: TestApp;
let practitioner: string;
let admin: string;
let domainIds: string[];
let organisations: { organisationId: string; kind: string; name: string; teams: { teamId: string }[] }[];
let teamIds: string[];
let userId: string;

const json = (cookie: string) => ({ headers: { cookie } });

async function post(url: string, cookie: string, payload: unknown): Promise<Record<string, unknown>> {
  const response = await t.app.inject({ method: 'POST', url, ...json(cookie), payload: payload as object });
  if (response.statusCode >= 300) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** A calendar date some days from today's UK date (negative: before), by calendar arithmetic on the date. */
function shiftedToday(days: number): string {
  const [year, month, day] = todayIso().split('-').map(Number);
  return new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10);
}
const daysAgo = (days: number) => shiftedToday(-days);
const daysAhead = (days: number) => shiftedToday(days);

const firstOfMonth = (isoDate: string) => `${isoDate.slice(0, 8)}01`;

async function register(payload: Record<string, unknown>): Promise<string> {
  const body = await post('/api/people', practitioner, payload);
  return body.personId as string;
}

/** Applies the queue, then lists where the kept rollup differs from a rebuild. */
async function flushedDifferences(db = t.database.db) {
  await flushRollups(db);
  return compareWithRebuild(db);
}

async function countOf(table: 'rollup_dirty' | 'rollup_contribution', personId?: string): Promise<number> {
  let query = t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'));
  if (personId) query = query.where('person_id', '=', personId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** The facts the view gives for one person, by measure, in a fixed order. */
async function factsOf(personId: string) {
  const result = await sql<{
    measure: string;
    period_month: string;
    organisation_id: string;
    team_id: string;
    viewpoint: string;
    age_band: string;
    sex: string;
    ethnicity: string;
    deprivation_quintile: string;
    domain_codes: string[];
    denominator: string;
    numerator: string;
    value_sum: number;
    value_sum_sq: number;
    weight_sum: number;
  }>`select measure, period_month::text as period_month, organisation_id, team_id, viewpoint, age_band, sex,
      ethnicity, deprivation_quintile, domain_codes, denominator, numerator, value_sum, value_sum_sq, weight_sum
    from indicator_fact where person_id = ${personId}
    order by measure, period_month, viewpoint, value_sum, numerator`.execute(t.database.db);
  return result.rows.map((r) => ({
    ...r,
    denominator: Number(r.denominator),
    numerator: Number(r.numerator),
  }));
}

/** The questionnaire the responses recorded here are of (the rollups read the score's instrument). */
let questionnaireId: string;

/**
 * Records a completed measure as the measures service stores one: the response and the scores the
 * instrument's own scoring gives (domain/measures/instruments), on a date. Returns the response id.
 */
async function recordMeasure(
  personId: string,
  instrument: InstrumentKey,
  answers: readonly number[],
  on: string,
): Promise<string> {
  const responseId = randomUUID();
  const scores = INSTRUMENTS[instrument].score(answers);
  const resource = JSON.stringify({ resourceType: 'QuestionnaireResponse', status: 'completed' });
  await t.database.db.transaction().execute(async (trx) => {
    await sql`insert into questionnaire_response (person_id, response_id, questionnaire_id, status, resource,
        authored_on, recorded_by_user_id, completed_by)
      values (${personId}, ${responseId}, ${questionnaireId}, 'completed', ${resource}::jsonb, ${on}, ${userId},
        'practitioner-with-person')`.execute(trx);
    await sql`insert into measure_score (person_id, response_id, score_key, instrument, questionnaire_id, value, band, observed_on)
      values ${sql.join(
        scores.map(
          (score) =>
            sql`(${personId}, ${responseId}, ${score.key}, ${instrument}, ${questionnaireId}, ${score.value}, ${score.band}, ${on})`,
        ),
      )}`.execute(trx);
  });
  return responseId;
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 6 });
  practitioner = await signIn(t.app, 'practitioner@demo');
  admin = await signIn(t.app, 'admin@demo');
  const frameworks = (await t.app.inject({ url: '/api/frameworks', ...json(practitioner) })).json();
  const talkingPoints = frameworks.find((f: { key: string }) => f.key === 'talking-points');
  domainIds = talkingPoints.domains.map((d: { domainId: string }) => d.domainId);
  organisations = (await t.app.inject({ url: '/api/organisations', ...json(practitioner) })).json();
  teamIds = organisations.flatMap((o) => o.teams.map((team) => team.teamId));
  userId = (
    await t.database.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', 'practitioner@demo')
      .executeTakeFirstOrThrow()
  ).user_id;
  questionnaireId = randomUUID();
  await sql`insert into questionnaire (questionnaire_id, url, version, title, resource)
    values (${questionnaireId}, ${`urn:uuid:${questionnaireId}`}, 1, 'Rollup test questionnaire',
      '{"resourceType":"Questionnaire","status":"active"}'::jsonb)`.execute(t.database.db);
}, 120_000);
afterAll(() => t?.close());

describe('the rollup after loading the demo population', () => {
  it('holds every measure, and equals a rebuild', async () => {
    const cells = await rollupCells(t.database.db);
    const measures = new Set(cells.map((c) => c.measure));
    // Every measure about outcomes, plans and reviews; the standard measures' process measure for
    // everyone reviewed (whether or not the demo recorded any questionnaire); nothing no source reads.
    expect([...measures].filter((m) => !m.includes(':')).sort()).toEqual([
      'current-plan',
      'gas-goal',
      'gas-person',
      'multi-agency-plan',
      'outcome',
      'rated-by-person',
      'rating',
      'rating-change',
      'review-on-time',
      'viewpoint-agreement',
    ]);
    expect(measures).toContain(ANY_MEASURE_START_AND_REVIEW);
    for (const measure of measures) expect(ROLLUP_MEASURES).toContain(measure);
    expect(await compareWithRebuild(t.database.db)).toEqual([]);
  });

  it('a rebuild gives the same cells the worker kept', async () => {
    const kept = await rollupCells(t.database.db);
    const rebuilt = await t.database.db.transaction().execute((trx) => rebuildRollups(trx));
    expect(rebuilt).toBe(kept.length);
    const after = await rollupCells(t.database.db);
    expect(after.map(({ valueSum, valueSumSq, weightSum, ...key }) => key)).toEqual(
      kept.map(({ valueSum, valueSumSq, weightSum, ...key }) => key),
    );
    after.forEach((cell, i) => {
      expect(cell.valueSum).toBeCloseTo(kept[i]?.valueSum ?? Number.NaN, 9);
    });
  });

  it('the rebuild can read the facts without a nested loop, so disabling them does not swamp the plan', async () => {
    // wm_rollup_rebuild() runs with nested loops off. A branch of the fact view that only a nested
    // loop can compute (a lateral join of two function scans) carried the disabled penalty once per
    // row, about 10^15 in all, and the planner then joined all facts to all people by a nested loop.
    const plan = await t.database.db.transaction().execute(async (trx) => {
      await sql`set local enable_nestloop = off`.execute(trx);
      await sql`set local jit = off`.execute(trx);
      const explained = await sql<{ 'QUERY PLAN': unknown }>`explain (format json)
        select person_id, measure, period_month, organisation_id, team_id, viewpoint, age_band, sex,
          ethnicity, deprivation_quintile, domain_codes, sum(denominator) as denominator
        from indicator_fact
        group by person_id, measure, period_month, organisation_id, team_id, viewpoint, age_band,
          sex, ethnicity, deprivation_quintile, domain_codes`.execute(trx);
      const value = explained.rows[0]?.['QUERY PLAN'];
      return (typeof value === 'string' ? JSON.parse(value) : value) as [{ Plan: PlanNode }];
    });
    interface PlanNode {
      'Node Type': string;
      'Total Cost': number;
      'Relation Name'?: string;
      Plans?: PlanNode[];
    }
    const nodeTypes = (node: PlanNode): string[] => [
      node['Node Type'],
      ...(node.Plans ?? []).flatMap(nodeTypes),
    ];
    const relations = (node: PlanNode): string[] => [
      ...(node['Relation Name'] ? [node['Relation Name']] : []),
      ...(node.Plans ?? []).flatMap(relations),
    ];
    expect(nodeTypes(plan[0].Plan)).not.toContain('Nested Loop');
    // The standard measures' branches (migration 0022) are in the plan too.
    expect(relations(plan[0].Plan)).toEqual(
      expect.arrayContaining(['measure_score', 'questionnaire_response']),
    );
    expect(plan[0].Plan['Total Cost']).toBeLessThan(1e10);
  });

  it('the worker’s person filter reaches every table of the facts by its key, standard measures’ too', async () => {
    // With sequential scans penalised, a table the filter did not reach could only be scanned whole:
    // every scan of a person-owned table must be an index scan on person_id.
    const person = await t.database.db
      .selectFrom('person')
      .select('person_id')
      .orderBy('person_id')
      .executeTakeFirstOrThrow();
    const plan = await t.database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const explained = await sql<{ 'QUERY PLAN': unknown }>`explain (format json)
        select * from indicator_fact where person_id = ${person.person_id}`.execute(trx);
      const value = explained.rows[0]?.['QUERY PLAN'];
      return (typeof value === 'string' ? JSON.parse(value) : value) as [{ Plan: ScanNode }];
    });
    interface ScanNode {
      'Node Type': string;
      'Relation Name'?: string;
      'Index Cond'?: string;
      'Recheck Cond'?: string;
      Plans?: ScanNode[];
    }
    const scans = (node: ScanNode): ScanNode[] => [
      ...(node['Relation Name'] ? [node] : []),
      ...(node.Plans ?? []).flatMap(scans),
    ];
    const all = scans(plan[0].Plan);
    for (const table of ['measure_score', 'questionnaire_response', 'conversation', 'outcome_rating']) {
      const reads = all.filter((n) => n['Relation Name'] === table);
      expect(reads.length, table).toBeGreaterThan(0);
      for (const read of reads) {
        expect(read['Node Type'], table).not.toBe('Seq Scan');
      }
    }
  });

  it('the load leaves an empty queue, and a contribution for each counted person', async () => {
    expect(await countOf('rollup_dirty')).toBe(0);
    const people = await sql<{
      n: string;
    }>`select count(distinct person_id) as n from indicator_fact`.execute(t.database.db);
    const contributors = await sql<{ n: string }>`
      select count(distinct person_id) as n from rollup_contribution`.execute(t.database.db);
    expect(Number(contributors.rows[0]?.n)).toBe(Number(people.rows[0]?.n));
    expect(Number(people.rows[0]?.n)).toBeGreaterThan(0);
  });

  it('the worker’s step and the rebuild run without JIT, whatever the planner estimates', async () => {
    // At a million people a misjudged row count pushed the worker's generic plan over the JIT
    // thresholds, and each person's step compiled for 13 s (migration 0024).
    const settings = await sql<{ proname: string; proconfig: string[] | string | null }>`
      select proname, proconfig from pg_proc
      where proname in ('wm_rollup_apply_person', 'wm_rollup_rebuild') order by proname`.execute(
      t.database.db,
    );
    expect(settings.rows.map((r) => r.proname)).toEqual(['wm_rollup_apply_person', 'wm_rollup_rebuild']);
    for (const row of settings.rows) expect(String(row.proconfig)).toContain('jit=off');
  });
});

describe('what each measure means, on one person recorded by hand', () => {
  const today = todayIso();
  const month = firstOfMonth(today);
  let personId: string;
  let walking: string;
  let teamId: string;
  let organisationId: string;

  beforeAll(async () => {
    personId = await register({
      givenName: 'Margaret',
      familyName: 'Rollup',
      dateOfBirth: '1930-05-12',
      sex: 'female',
      ethnicCategory: 'N',
    });
    const lead = await t.database.db
      .selectFrom('person')
      .innerJoin('team', 'team.team_id', 'person.lead_team_id')
      .select(['team.team_id', 'team.organisation_id'])
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    teamId = lead.team_id;
    organisationId = lead.organisation_id;
    const first = await post(`/api/people/${personId}/conversations`, practitioner, {
      kind: 'first',
      heldOn: today,
      summary: 'First.',
      nextReviewDate: daysAhead(10),
      participants: [{ kind: 'person', name: 'Margaret' }],
      newOutcomes: [
        {
          statement: 'I want to get back to my walking group',
          domainIds: [domainIds[2], domainIds[3]],
          ratings: [
            { viewpoint: 'person', score: 2 },
            { viewpoint: 'practitioner', score: 3 },
          ],
          gas: {
            levels: { '-2': 'a', '-1': 'b', '0': 'c', '1': 'd', '2': 'e' },
            baselineLevel: -1,
            importance: 3,
            difficulty: 2,
          },
        },
      ],
    });
    walking = (first.outcomeIds as string[])[0] as string;
    // A later rating in the same month, from the practitioner: it replaces the earlier one there.
    await post(`/api/people/${personId}/outcomes/${walking}/ratings`, practitioner, { score: 4 });
    await post(`/api/people/${personId}/conversations`, practitioner, {
      kind: 'review',
      heldOn: today,
      summary: 'Review.',
      participants: [{ kind: 'person', name: 'Margaret' }],
      gasAttainments: [{ outcomeId: walking, level: 1 }],
    });
    const council = organisations.find((o) => o.kind === 'council-adult-social-care');
    const charity = organisations.find((o) => o.kind === 'voluntary-community');
    const plan = emptyCarePlan();
    plan.goals = [
      {
        id: randomUUID(),
        outcomeId: walking,
        description: 'Walking group',
        actions: [
          {
            id: randomUUID(),
            what: 'Physiotherapy',
            who: { kind: 'organisation', name: 'Council', organisationId: council?.organisationId ?? null },
            status: 'not-started',
          },
          {
            id: randomUUID(),
            what: 'Walking buddy',
            who: { kind: 'organisation', name: 'Charity', organisationId: charity?.organisationId ?? null },
            status: 'not-started',
          },
          { id: randomUUID(), what: 'Walk daily', who: { kind: 'person', name: 'Margaret' }, status: 'done' },
        ],
      },
    ];
    plan.review.plannedDate = daysAhead(60);
    await post(`/api/people/${personId}/plan/versions`, practitioner, {
      content: plan,
      basedOn: 0,
      changeSummary: 'First plan',
    });
  });

  it('every fact is placed in the month, lead team and breakdown cells of the person', async () => {
    const facts = await factsOf(personId);
    expect(facts.length).toBeGreaterThan(0);
    for (const fact of facts) {
      expect(fact).toMatchObject({
        period_month: month,
        organisation_id: organisationId,
        team_id: teamId,
        // Born 1930: 85 or over on the first of any month from 2015.
        age_band: '85+',
        sex: 'female',
        ethnicity: 'black-or-black-british',
        deprivation_quintile: 'unknown',
        denominator: 1,
      });
    }
  });

  it('rating: the latest rating of the outcome from each viewpoint in the month, counted once; achieved is the top two points', async () => {
    const ratings = (await factsOf(personId)).filter((f) => f.measure === 'rating');
    expect(ratings.map((r) => [r.viewpoint, r.value_sum, r.value_sum_sq, r.numerator])).toEqual([
      ['person', 2, 4, 0],
      ['practitioner', 4, 16, 1],
    ]);
    expect(ratings[0]?.domain_codes).toHaveLength(2);
  });

  it('rating-change: latest minus first for a viewpoint rated at two events; viewpoint-agreement at a conversation', async () => {
    const facts = await factsOf(personId);
    expect(
      facts.filter((f) => f.measure === 'rating-change').map((f) => [f.viewpoint, f.value_sum, f.numerator]),
    ).toEqual([['practitioner', 1, 1]]);
    expect(
      facts
        .filter((f) => f.measure === 'viewpoint-agreement')
        .map((f) => [f.viewpoint, f.value_sum, f.numerator]),
    ).toEqual([['', 1, 0]]);
    expect(
      facts.filter((f) => f.measure === 'rated-by-person').map((f) => [f.numerator, f.denominator]),
    ).toEqual([[1, 1]]);
  });

  it('GAS: the person’s T-score at the review, and the goal’s weighted level', async () => {
    const facts = await factsOf(personId);
    // One goal, weight 3 × 2 = 6, at +1: T = 50 + 10·6 / √(0.7·36 + 0.3·36) = 60.
    const person = facts.filter((f) => f.measure === 'gas-person');
    expect(person).toHaveLength(1);
    expect(person[0]?.value_sum).toBeCloseTo(60, 10);
    expect(
      facts
        .filter((f) => f.measure === 'gas-goal')
        .map((f) => [f.value_sum, f.value_sum_sq, f.weight_sum, f.numerator]),
    ).toEqual([[6, 36, 6, 1]]);
  });

  it('process measures: review on time, a current plan, a plan from more than one agency', async () => {
    const facts = await factsOf(personId);
    const numerators = (measure: string) =>
      facts.filter((f) => f.measure === measure).map((f) => f.numerator);
    expect(numerators('review-on-time')).toEqual([1]);
    // One month with conversations; the plan made this month reviews in 60 days.
    expect(numerators('current-plan')).toEqual([1]);
    // The council, the charity, and the person: three agencies.
    expect(numerators('multi-agency-plan')).toEqual([1]);
    expect(numerators('outcome')).toEqual([0]);
  });

  it('a fact coded to two domains adds to both domain cells and once to the whole', async () => {
    const cells = await sql<{ dim: string; n: string }>`
      select dim, count(*) as n from indicator_fact_cell
      where person_id = ${personId} and measure = 'outcome' group by dim order by dim`.execute(t.database.db);
    expect(cells.rows.map((r) => [r.dim, Number(r.n)])).toEqual([
      ['age-band', 1],
      ['all', 1],
      ['deprivation-quintile', 1],
      ['domain', 2],
      ['ethnicity', 1],
      ['sex', 1],
    ]);
  });

  it('a late review is not on time; moving the lead team moves the person’s cells; a carer’s own record is not counted', async () => {
    await post(`/api/people/${personId}/conversations`, practitioner, {
      kind: 'other',
      heldOn: daysAgo(400),
      summary: 'Long ago.',
      nextReviewDate: daysAgo(380),
      participants: [{ kind: 'person', name: 'Margaret' }],
    });
    await post(`/api/people/${personId}/conversations`, practitioner, {
      kind: 'review',
      heldOn: daysAgo(300),
      summary: 'Late.',
      participants: [{ kind: 'person', name: 'Margaret' }],
    });
    const late = (await factsOf(personId)).filter(
      (f) => f.measure === 'review-on-time' && f.period_month === firstOfMonth(daysAgo(300)),
    );
    expect(late.map((f) => f.numerator)).toEqual([0]);

    const other = teamIds.find((id) => id !== teamId) as string;
    await t.database.db
      .updateTable('person')
      .set({ lead_team_id: other })
      .where('person_id', '=', personId)
      .execute();
    await flushRollups(t.database.db);
    const moved = await t.database.db
      .selectFrom('indicator_rollup')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('team_id', '=', other)
      .where('measure', '=', 'gas-person')
      .executeTakeFirstOrThrow();
    expect(Number(moved.n)).toBeGreaterThan(0);

    await t.database.db
      .updateTable('person')
      .set({ registered_as: 'carer' })
      .where('person_id', '=', personId)
      .execute();
    expect(await factsOf(personId)).toEqual([]);
    await t.database.db
      .updateTable('person')
      .set({ registered_as: 'person', lead_team_id: null })
      .where('person_id', '=', personId)
      .execute();
    expect(new Set((await factsOf(personId)).map((f) => f.team_id))).toEqual(new Set([NO_TEAM]));
    expect(await flushedDifferences()).toEqual([]);
  });

  it('a write that changes no fact (a new name) marks no one', async () => {
    await flushRollups(t.database.db);
    await t.database.db
      .updateTable('person')
      .set({ given_name: 'Peggy' })
      .where('person_id', '=', personId)
      .execute();
    expect(await countOf('rollup_dirty')).toBe(0);
    expect(await compareWithRebuild(t.database.db)).toEqual([]);
  });

  it('a write marks the person in its own transaction: rolled back, it leaves no mark', async () => {
    await flushRollups(t.database.db);
    const rate = sql`insert into outcome_rating (person_id, rating_id, outcome_id, viewpoint, score, rated_by_user_id)
      values (${personId}, ${randomUUID()}, ${walking}, 'carer', 1, ${userId})`;
    const rolledBack = new Error('rolled back on purpose');
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        await rate.execute(trx);
        const marked = await trx
          .selectFrom('rollup_dirty')
          .select('person_id')
          .where('person_id', '=', personId)
          .execute();
        expect(marked).toHaveLength(1);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await countOf('rollup_dirty')).toBe(0);
    await rate.execute(t.database.db);
    expect(await countOf('rollup_dirty', personId)).toBe(1);
    // Not yet applied: the kept rollup trails the write until the worker runs.
    expect((await compareWithRebuild(t.database.db)).length).toBeGreaterThan(0);
    expect(await processRollupQueue(t.database.db, { limit: 10 })).toBe(1);
    expect(await countOf('rollup_dirty')).toBe(0);
    expect(await compareWithRebuild(t.database.db)).toEqual([]);
  });

  it('the worker is idempotent: applying a person again with no change counts nothing twice', async () => {
    const before = await rollupCells(t.database.db);
    await sql`insert into rollup_dirty (person_id) select person_id from person`.execute(t.database.db);
    expect(await flushRollups(t.database.db)).toBeGreaterThan(1);
    expect(await flushRollups(t.database.db)).toBe(0);
    expect(await rollupCells(t.database.db)).toEqual(before);
    expect(await compareWithRebuild(t.database.db)).toEqual([]);
  });

  it('two transactions rating the same outcome at once: both count; the worker skips a mark still held', async () => {
    await flushRollups(t.database.db);
    const rate = (score: number) =>
      sql`insert into outcome_rating (person_id, rating_id, outcome_id, viewpoint, score, rated_by_user_id)
        values (${personId}, ${randomUUID()}, ${walking}, 'carer', ${score}, ${userId})`;
    let releaseFirst: () => void = () => {};
    const firstMayCommit = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstWrote: () => void = () => {};
    const firstHasWritten = new Promise<void>((resolve) => {
      firstWrote = resolve;
    });
    const first = t.database.db.transaction().execute(async (trx) => {
      await rate(2).execute(trx);
      firstWrote();
      await firstMayCommit;
    });
    await firstHasWritten;
    if (t.database.kind === 'postgres') {
      // The first holds the person's mark until it commits: a worker now must not take it (it
      // would read the facts without the first's rating and then delete the mark).
      expect(await processRollupQueue(t.database.db, { limit: 10 })).toBe(0);
    }
    const second = t.database.db.transaction().execute(async (trx) => {
      await rate(3).execute(trx);
    });
    if (t.database.kind === 'postgres') {
      // The second waits for the first (on the person's row, which the record's version triggers
      // update; the mark itself is shared by writers) until the first commits.
      for (;;) {
        const waiting = await sql<{ n: string }>`
          select count(*) as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(t.database.db);
        if (Number(waiting.rows[0]?.n) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    releaseFirst();
    await Promise.all([first, second]);
    const carer = (await factsOf(personId)).filter((f) => f.measure === 'rating' && f.viewpoint === 'carer');
    expect(carer.map((f) => f.value_sum)).toEqual([3]);
    expect(await flushedDifferences()).toEqual([]);
  });
});

describe('standard measures in the facts', () => {
  const today = todayIso();
  let personId: string;
  let latestPhq9: string;

  /** One person's facts of the standard measures, as [measure, month, numerator, value]. */
  async function measureFacts(who: string) {
    return (await factsOf(who))
      .filter((f) => f.measure.includes(':'))
      .map((f) => [f.measure, f.period_month, f.numerator, f.value_sum] as const);
  }

  beforeAll(async () => {
    personId = await register({
      givenName: 'Phq',
      familyName: 'Rollup',
      sex: 'male',
      dateOfBirth: '1970-01-01',
    });
    await post(`/api/people/${personId}/conversations`, practitioner, {
      kind: 'first',
      heldOn: daysAgo(120),
      summary: 'First.',
      participants: [{ kind: 'person', name: 'Phq' }],
      newOutcomes: [{ statement: 'Feel less low', domainIds: [domainIds[0]] }],
    });
    for (const ago of [50, 0]) {
      await post(`/api/people/${personId}/conversations`, practitioner, {
        kind: 'review',
        heldOn: daysAgo(ago),
        summary: 'Review.',
        participants: [{ kind: 'person', name: 'Phq' }],
      });
    }
    // PHQ-9 12 (moderate) at the start; today 20 and then 5 (mild), the latest today.
    await recordMeasure(personId, 'phq9', [2, 2, 2, 2, 1, 1, 1, 1, 0], daysAgo(100));
    await recordMeasure(personId, 'phq9', [3, 3, 3, 3, 2, 2, 2, 2, 0], today);
    latestPhq9 = await recordMeasure(personId, 'phq9', [1, 1, 1, 1, 1, 0, 0, 0, 0], today);
    // A GAD-7 only after the first review: once, so no change; not measured at the start.
    await recordMeasure(personId, 'gad7', [1, 1, 1, 1, 1, 1, 1], today);
  });

  it('mean and bands from each person’s latest score in a month; change, recovery and start-and-review', async () => {
    const then = firstOfMonth(daysAgo(100));
    const now = firstOfMonth(today);
    const facts = await measureFacts(personId);
    const at = (measure: string, month: string) =>
      facts
        .filter(([m, p]) => m === measure && p === month)
        .map(([, , numerator, value]) => [numerator, value]);
    expect(at('phq9:total', then)).toEqual([[0, 12]]);
    expect(at('phq9:total', now)).toEqual([[0, 5]]);
    expect(at('phq9:total:band:moderate', then)).toEqual([[1, 0]]);
    expect(at('phq9:total:band:mild', then)).toEqual([[0, 0]]);
    expect(at('phq9:total:band:mild', now)).toEqual([[1, 0]]);
    expect(facts.filter(([m, p]) => m.startsWith('phq9:total:band:') && p === now)).toHaveLength(5);
    // First 12, latest 5: 7 points better (≥ 6), from caseness (≥ 10) to below it.
    expect(at('phq9:total:improved', now)).toEqual([[1, -7]]);
    expect(at('phq9:total:deteriorated', now)).toEqual([[0, 0]]);
    expect(at('phq9:total:recovered', now)).toEqual([[1, 0]]);
    expect(at('phq9:total:reliably-recovered', now)).toEqual([[1, 0]]);
    expect(at('gad7:total', now)).toEqual([[0, 7]]);
    expect(facts.filter(([m]) => m.startsWith('gad7:total:') && !m.includes(':band:'))).toEqual([]);
    // Reviews 50 days ago and today: a PHQ-9 before the first review and after it; the GAD-7 only after.
    expect(at('phq9:start-and-review', now)).toEqual([[1, 0]]);
    expect(at('gad7:start-and-review', now)).toEqual([[0, 0]]);
    expect(at(ANY_MEASURE_START_AND_REVIEW, now)).toEqual([[1, 0]]);
    expect(await flushedDifferences()).toEqual([]);
  });

  it('a response entered in error no longer counts; the one before it is the latest again', async () => {
    await sql`update questionnaire_response set status = 'entered-in-error'
      where person_id = ${personId} and response_id = ${latestPhq9}`.execute(t.database.db);
    expect(await countOf('rollup_dirty', personId)).toBe(1);
    const now = firstOfMonth(today);
    const facts = await measureFacts(personId);
    const at = (measure: string) =>
      facts
        .filter(([m, p]) => m === measure && p === now)
        .map(([, , numerator, value]) => [numerator, value]);
    expect(at('phq9:total')).toEqual([[0, 20]]);
    expect(at('phq9:total:band:severe')).toEqual([[1, 0]]);
    // 12 to 20: 8 points worse.
    expect(at('phq9:total:improved')).toEqual([[0, 8]]);
    expect(at('phq9:total:deteriorated')).toEqual([[1, 0]]);
    expect(at('phq9:total:recovered')).toEqual([[0, 0]]);
    expect(await flushedDifferences()).toEqual([]);
    const cells = await t.database.db
      .selectFrom('indicator_rollup')
      .select(['numerator', 'denominator'])
      .where('measure', '=', 'phq9:total:deteriorated')
      .where('dim', '=', 'all')
      .execute();
    expect(cells.reduce((n, c) => n + Number(c.numerator), 0)).toBeGreaterThanOrEqual(1);
  });

  it('every write to a score or a response marks the person: insert, update, delete', async () => {
    const db = t.database.db;
    const marked = async (write: () => Promise<unknown>) => {
      await flushRollups(db);
      await write();
      return countOf('rollup_dirty', personId);
    };
    let responseId = '';
    expect(
      await marked(async () => {
        responseId = await recordMeasure(personId, 'swemwbs', [3, 3, 3, 3, 3, 3, 3], daysAgo(10));
      }),
    ).toBe(1);
    const score = () =>
      db
        .updateTable('measure_score')
        .where('person_id', '=', personId)
        .where('response_id', '=', responseId)
        .where('score_key', '=', 'metric');
    expect(await marked(() => score().set({ value: 30 }).execute())).toBe(1);
    expect(
      await marked(() =>
        score()
          .set({ observed_on: daysAgo(11) })
          .execute(),
      ),
    ).toBe(1);
    // The stored band is not read (the facts band the value from the domain's bounds).
    expect(await marked(() => score().set({ band: 'x' }).execute())).toBe(0);
    expect(
      await marked(() =>
        db
          .updateTable('questionnaire_response')
          .set({ authored_on: daysAgo(12) })
          .where('person_id', '=', personId)
          .where('response_id', '=', responseId)
          .execute(),
      ),
    ).toBe(1);
    expect(
      await marked(() =>
        db
          .deleteFrom('measure_score')
          .where('person_id', '=', personId)
          .where('response_id', '=', responseId)
          .execute(),
      ),
    ).toBe(1);
    expect(
      await marked(() =>
        db
          .deleteFrom('questionnaire_response')
          .where('person_id', '=', personId)
          .where('response_id', '=', responseId)
          .execute(),
      ),
    ).toBe(1);
    expect(await flushedDifferences()).toEqual([]);
  });

  it('judges change in SQL exactly as the domain does, for any first and latest score', async () => {
    const changing = MEASURE_SCORES.filter((spec) => spec.change);
    expect(changing.map((spec) => spec.instrument)).toEqual(['phq9', 'gad7', 'swemwbs']);
    const who = await register({ givenName: 'Change', familyName: 'Judge', sex: 'female' });
    // Two responses of each instrument, whose scores are then set to any values in range.
    const pairs = new Map<string, [string, string]>();
    for (const spec of changing) {
      const instrument = INSTRUMENTS[spec.instrument];
      const answers = Array.from({ length: instrument.scoredItemCount }, () => instrument.itemRange.min);
      pairs.set(spec.instrument, [
        await recordMeasure(who, spec.instrument, answers, daysAgo(40)),
        await recordMeasure(who, spec.instrument, answers, today),
      ]);
    }
    // Metric scores in hundredths (SWEMWBS); whole scores for the rest.
    const scoreOf = (spec: (typeof changing)[number]) =>
      spec.instrument === 'swemwbs'
        ? fc.integer({ min: spec.min * 100, max: spec.max * 100 }).map((h) => h / 100)
        : fc.integer({ min: spec.min, max: spec.max });
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(...changing.map((spec) => fc.tuple(scoreOf(spec), scoreOf(spec)))),
        async (values) => {
          for (const [i, spec] of changing.entries()) {
            const [first, latest] = values[i] as [number, number];
            const [a, b] = pairs.get(spec.instrument) as [string, string];
            for (const [responseId, value] of [
              [a, first],
              [b, latest],
            ] as const) {
              await sql`update measure_score set value = ${value}
                where person_id = ${who} and response_id = ${responseId} and score_key = ${spec.scoreKey}`.execute(
                t.database.db,
              );
            }
          }
          const facts = await measureFacts(who);
          for (const [i, spec] of changing.entries()) {
            const [first, latest] = values[i] as [number, number];
            const expected = assessChange(spec.instrument, first, latest);
            const numerator = (outcome: string) =>
              facts.find(([m]) => m === `${spec.instrument}:${spec.scoreKey}:${outcome}`)?.[2];
            const label = `${spec.instrument} ${first} → ${latest}`;
            expect(numerator('improved'), label).toBe(Number(expected.reliableImprovement));
            expect(numerator('deteriorated'), label).toBe(Number(expected.reliableDeterioration));
            if (expected.casenessBefore === null || expected.casenessBefore === false) {
              expect(numerator('recovered'), label).toBeUndefined();
            } else {
              expect(numerator('recovered'), label).toBe(Number(expected.recovery));
              expect(numerator('reliably-recovered'), label).toBe(Number(expected.reliableRecovery));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(await flushedDifferences()).toEqual([]);
  });
});

// ——— the property: incremental == rebuild after any sequence of writes ———

interface Person {
  personId: string;
  outcomes: string[];
  goals: string[];
  erased: boolean;
}

const viewpoint = fc.constantFrom('person', 'practitioner', 'carer');
const score = fc.integer({ min: 1, max: 4 });

type Step =
  | {
      kind: 'conversation';
      who: number;
      conversationKind: 'first' | 'review' | 'other';
      ago: number;
      nextReviewIn: number | null;
      newOutcomes: { domains: number[]; ratings: { viewpoint: string; score: number }[]; gas: boolean }[];
      ratings: { outcome: number; viewpoint: string; score: number }[];
      attainments: { goal: number; level: number }[];
    }
  | { kind: 'rate'; who: number; outcome: number; score: number }
  | { kind: 'plan'; who: number; agencies: number[]; reviewIn: number | null }
  | {
      kind: 'demographics';
      who: number;
      dateOfBirth: string | null;
      sex: string;
      ethnic: string | null;
      decile: number | null;
    }
  | { kind: 'lead-team'; who: number; team: number | null }
  | { kind: 'delete-rating'; who: number; pick: number }
  | { kind: 'move-conversation'; who: number; pick: number; ago: number }
  | { kind: 'measure'; who: number; instrument: InstrumentKey; answers: number[]; ago: number }
  | { kind: 'edit-score'; who: number; pick: number; value: number | null; ago: number | null }
  | { kind: 'error-response'; who: number; pick: number }
  | { kind: 'delete-response'; who: number; pick: number }
  | { kind: 'erase'; who: number }
  | {
      kind: 'feedback';
      action: FeedbackAction;
      pick: number;
      fft: string;
      ago: number;
      code: string;
      sentiment: number | null;
      days: number;
    };

/** Writes to care-experience feedback that must move the figures (migration 0028). */
const FEEDBACK_ACTIONS = [
  'story',
  'code',
  'reject-code',
  'sentiment',
  'reply',
  'change',
  'change-made',
  'unlink',
  'delete',
] as const;
type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

const who = fc.integer({ min: 0, max: 1 });
const pick = fc.nat(50);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('conversation' as const),
      who,
      conversationKind: fc.constantFrom('first' as const, 'review' as const, 'other' as const),
      ago: fc.integer({ min: 0, max: 500 }),
      nextReviewIn: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      newOutcomes: fc.array(
        fc.record({
          domains: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
          ratings: fc.uniqueArray(fc.record({ viewpoint, score }), {
            maxLength: 3,
            selector: (r) => r.viewpoint,
          }),
          gas: fc.boolean(),
        }),
        { maxLength: 2 },
      ),
      ratings: fc.array(fc.record({ outcome: pick, viewpoint, score }), { maxLength: 3 }),
      attainments: fc.array(fc.record({ goal: pick, level: fc.integer({ min: -2, max: 2 }) }), {
        maxLength: 2,
      }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rate' as const), who, outcome: pick, score }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('plan' as const),
      who,
      agencies: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }),
      reviewIn: fc.option(fc.integer({ min: -90, max: 120 }), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('demographics' as const),
      who,
      dateOfBirth: fc.option(
        fc.integer({ min: 1925, max: 2015 }).map((year) => `${year}-06-15`),
        { nil: null },
      ),
      sex: fc.constantFrom('female', 'male', 'other', 'unknown'),
      ethnic: fc.option(fc.constantFrom('A', 'D', 'H', 'M', 'R', 'Z'), { nil: null }),
      decile: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('lead-team' as const),
      who,
      team: fc.option(fc.nat(20), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-rating' as const), who, pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move-conversation' as const),
      who,
      pick,
      ago: fc.integer({ min: 0, max: 500 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('measure' as const),
      who,
      instrument: fc.constantFrom<InstrumentKey>('phq9', 'gad7', 'swemwbs', 'ons4', 'collaborate', 'fft'),
      // Mapped into the instrument's item count and range when applied.
      answers: fc.array(fc.nat(100), { minLength: 10, maxLength: 10 }),
      ago: fc.integer({ min: 0, max: 500 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit-score' as const),
      who,
      pick,
      value: fc.option(fc.integer({ min: 0, max: 35 }), { nil: null }),
      ago: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('error-response' as const), who, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-response' as const), who, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), who }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('feedback' as const),
      action: fc.constantFrom(...FEEDBACK_ACTIONS),
      pick,
      fft: fc.constantFrom('very-good', 'good', 'neither', 'poor', 'very-poor', 'dont-know'),
      ago: fc.integer({ min: 0, max: 500 }),
      code: fc.constantFrom('staff-manner', 'staff-manner/kindness', 'food', 'access-and-waiting'),
      sentiment: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      days: fc.integer({ min: 0, max: 30 }),
    }),
  },
);

let feedbackServiceKey = '';

/** A story picked by `pick` among all stories, in a fixed order; undefined when there are none. */
async function pickStory(pick: number): Promise<string | undefined> {
  const rows = await t.database.db
    .selectFrom('feedback')
    .select('feedback_id')
    .orderBy('feedback_id')
    .execute();
  return rows[pick % Math.max(1, rows.length)]?.feedback_id;
}

/**
 * A write to feedback: a story through the staff API; codes, sentiment, replies and changes as
 * their features store them (the same tables and columns, written here directly).
 */
async function applyFeedback(s: Extract<Step, { kind: 'feedback' }>): Promise<void> {
  const db = t.database.db;
  if (!feedbackServiceKey) {
    const index = await t.app.inject({ url: '/service-feedback', ...json(practitioner) });
    feedbackServiceKey = /href="\/service-feedback\/([A-Za-z0-9_-]{16})"/.exec(index.body)?.[1] ?? '';
  }
  if (s.action === 'story') {
    await post(`/api/services/${feedbackServiceKey}/feedback`, practitioner, {
      fft: s.fft,
      whatWasGood: s.pick % 3 ? 'The staff were kind.' : '',
      whatCouldBeBetter: s.pick % 2 ? 'The wait was long.' : '',
      writer: 'patient',
      ageBand: s.pick % 4 ? '45-54' : null,
      consentToPublish: false,
      channel: 'paper',
      receivedOn: daysAgo(s.ago),
    });
    return;
  }
  const story = await pickStory(s.pick);
  if (!story) return;
  switch (s.action) {
    case 'code':
      await db
        .insertInto('feedback_code')
        .values({ feedback_id: story, code: s.code, status: 'confirmed', words: JSON.stringify([]) })
        .onConflict((oc) => oc.columns(['feedback_id', 'code']).doUpdateSet({ status: 'confirmed' }))
        .execute();
      return;
    case 'reject-code':
      await db
        .updateTable('feedback_code')
        .set({ status: 'rejected' })
        .where('feedback_id', '=', story)
        .where('code', '=', s.code)
        .execute();
      return;
    case 'sentiment':
      await db
        .updateTable('feedback')
        .set({ sentiment: s.sentiment, sentiment_confirmed: s.sentiment !== null })
        .where('feedback_id', '=', story)
        .execute();
      return;
    case 'reply':
      await db
        .updateTable('feedback')
        .set({ first_response_at: new Date().toISOString(), seconds_to_first_response: s.days * 86_400 })
        .where('feedback_id', '=', story)
        .execute();
      return;
    case 'change': {
      const changeId = randomUUID();
      await db.transaction().execute(async (trx) => {
        const { service_key } = await trx
          .selectFrom('feedback')
          .select('service_key')
          .where('feedback_id', '=', story)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('feedback_change')
          .values({
            change_id: changeId,
            service_key,
            status: 'planned',
            description: 'A change',
            planned_on: daysAgo(0),
            recorded_by_user_id: userId,
          })
          .execute();
        await trx
          .insertInto('feedback_change_story')
          .values({ change_id: changeId, feedback_id: story })
          .execute();
      });
      return;
    }
    case 'change-made': {
      const link = await db
        .selectFrom('feedback_change_story')
        .select('change_id')
        .where('feedback_id', '=', story)
        .orderBy('change_id')
        .executeTakeFirst();
      if (!link) return;
      await db
        .updateTable('feedback_change')
        .set({
          status: sql<'planned' | 'made'>`case when status = 'made' then 'planned' else 'made' end`,
          made_on: daysAgo(0),
        })
        .where('change_id', '=', link.change_id)
        .execute();
      return;
    }
    case 'unlink':
      await db.deleteFrom('feedback_change_story').where('feedback_id', '=', story).execute();
      return;
    case 'delete':
      await db.deleteFrom('feedback').where('feedback_id', '=', story).execute();
      return;
  }
}

/** The person's responses in a fixed order, one picked by `pick`; undefined when there are none. */
async function pickResponse(personId: string, pick: number): Promise<string | undefined> {
  const responses = await t.database.db
    .selectFrom('questionnaire_response')
    .select('response_id')
    .where('person_id', '=', personId)
    .orderBy('response_id')
    .execute();
  return responses[pick % Math.max(1, responses.length)]?.response_id;
}

const GAS_LEVELS = { '-2': 'a', '-1': 'b', '0': 'c', '1': 'd', '2': 'e' };

/** Carries out one step through the API, or (for corrections with no API) in the database. */
async function apply(people: Person[], s: Step): Promise<void> {
  if (s.kind === 'feedback') return applyFeedback(s);
  const person = people[s.who];
  if (!person || person.erased) return;
  const base = `/api/people/${person.personId}`;
  const db = t.database.db;
  switch (s.kind) {
    case 'conversation': {
      const heldOn = daysAgo(s.ago);
      // A first conversation records at least one thing that matters.
      const newOutcomes =
        s.conversationKind === 'first' && !s.newOutcomes.length
          ? [{ domains: [0], ratings: [], gas: false }]
          : s.newOutcomes;
      const ratings = person.outcomes.length
        ? s.ratings.map((r) => ({
            outcomeId: person.outcomes[r.outcome % person.outcomes.length] as string,
            viewpoint: r.viewpoint,
            score: r.score,
          }))
        : [];
      const goalsScored = new Set<string>();
      const gasAttainments = person.goals.length
        ? s.attainments.flatMap((a) => {
            const outcomeId = person.goals[a.goal % person.goals.length] as string;
            if (goalsScored.has(outcomeId)) return [];
            goalsScored.add(outcomeId);
            return [{ outcomeId, level: a.level }];
          })
        : [];
      const body = await post(`${base}/conversations`, practitioner, {
        kind: s.conversationKind,
        heldOn,
        summary: 'A conversation.',
        nextReviewDate: s.nextReviewIn === null ? null : daysAhead(s.nextReviewIn - s.ago),
        participants: [{ kind: 'person', name: 'Someone' }],
        newOutcomes: newOutcomes.map((o, i) => ({
          statement: `What matters ${i}`,
          domainIds: o.domains.map((d) => domainIds[d % domainIds.length]),
          ratings: o.ratings,
          ...(o.gas ? { gas: { levels: GAS_LEVELS, baselineLevel: -1 } } : {}),
        })),
        ratings,
        gasAttainments,
      });
      const ids = body.outcomeIds as string[];
      person.outcomes.push(...ids);
      newOutcomes.forEach((o, i) => {
        if (o.gas && ids[i]) person.goals.push(ids[i]);
      });
      return;
    }
    case 'rate': {
      if (!person.outcomes.length) return;
      const outcomeId = person.outcomes[s.outcome % person.outcomes.length];
      await post(`${base}/outcomes/${outcomeId}/ratings`, practitioner, { score: s.score });
      return;
    }
    case 'plan': {
      const current = (await t.app.inject({ url: `${base}/plan`, ...json(practitioner) })).json();
      const content: CarePlanContent = emptyCarePlan();
      content.goals = [
        {
          id: randomUUID(),
          outcomeId: null,
          description: 'A goal',
          actions: s.agencies.map((a) => {
            const organisation = organisations[a % (organisations.length + 2)];
            return {
              id: randomUUID(),
              what: 'Something',
              who: organisation
                ? {
                    kind: 'organisation' as const,
                    name: organisation.name,
                    organisationId: organisation.organisationId,
                  }
                : a % 2
                  ? { kind: 'community-resource' as const, name: 'Lunch club' }
                  : { kind: 'carer' as const, name: 'Daughter' },
              status: 'not-started' as const,
            };
          }),
        },
      ];
      content.review.plannedDate = s.reviewIn === null ? null : daysAhead(s.reviewIn);
      await post(`${base}/plan/versions`, practitioner, {
        content,
        basedOn: current.current?.version ?? 0,
        changeSummary: 'Changed',
      });
      return;
    }
    case 'demographics':
      // Corrected by an administrator on a request to rectify the record (no API edits these).
      await db
        .updateTable('person')
        .set({
          date_of_birth: s.dateOfBirth,
          sex: s.sex,
          ethnic_category: s.ethnic,
          deprivation_decile: s.decile,
        })
        .where('person_id', '=', person.personId)
        .execute();
      return;
    case 'lead-team':
      await db
        .updateTable('person')
        .set({ lead_team_id: s.team === null ? null : (teamIds[s.team % teamIds.length] as string) })
        .where('person_id', '=', person.personId)
        .execute();
      return;
    case 'delete-rating': {
      const ratings = await db
        .selectFrom('outcome_rating')
        .select('rating_id')
        .where('person_id', '=', person.personId)
        .orderBy('rating_id')
        .execute();
      const rating = ratings[s.pick % Math.max(1, ratings.length)];
      if (!rating) return;
      await db
        .deleteFrom('outcome_rating')
        .where('person_id', '=', person.personId)
        .where('rating_id', '=', rating.rating_id)
        .execute();
      return;
    }
    case 'move-conversation': {
      const conversations = await db
        .selectFrom('conversation')
        .select('conversation_id')
        .where('person_id', '=', person.personId)
        .orderBy('conversation_id')
        .execute();
      const conversation = conversations[s.pick % Math.max(1, conversations.length)];
      if (!conversation) return;
      await db
        .updateTable('conversation')
        .set({ held_on: daysAgo(s.ago) })
        .where('person_id', '=', person.personId)
        .where('conversation_id', '=', conversation.conversation_id)
        .execute();
      return;
    }
    case 'measure': {
      const instrument = INSTRUMENTS[s.instrument];
      const { min, max } = instrument.itemRange;
      const answers = s.answers.slice(0, instrument.scoredItemCount).map((a) => min + (a % (max - min + 1)));
      await recordMeasure(person.personId, s.instrument, answers, daysAgo(s.ago));
      return;
    }
    case 'edit-score': {
      // A correction in the database: a score's value or its date (no API edits a stored score).
      const scores = await db
        .selectFrom('measure_score')
        .select(['response_id', 'score_key'])
        .where('person_id', '=', person.personId)
        .orderBy('response_id')
        .orderBy('score_key')
        .execute();
      const score = scores[s.pick % Math.max(1, scores.length)];
      if (!score || (s.value === null && s.ago === null)) return;
      await db
        .updateTable('measure_score')
        .set({
          ...(s.value === null ? {} : { value: s.value }),
          ...(s.ago === null ? {} : { observed_on: daysAgo(s.ago) }),
        })
        .where('person_id', '=', person.personId)
        .where('response_id', '=', score.response_id)
        .where('score_key', '=', score.score_key)
        .execute();
      return;
    }
    case 'error-response': {
      const responseId = await pickResponse(person.personId, s.pick);
      if (!responseId) return;
      await db
        .updateTable('questionnaire_response')
        .set({ status: 'entered-in-error' })
        .where('person_id', '=', person.personId)
        .where('response_id', '=', responseId)
        .execute();
      return;
    }
    case 'delete-response': {
      const responseId = await pickResponse(person.personId, s.pick);
      if (!responseId) return;
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('measure_score')
          .where('person_id', '=', person.personId)
          .where('response_id', '=', responseId)
          .execute();
        await trx
          .deleteFrom('questionnaire_response')
          .where('person_id', '=', person.personId)
          .where('response_id', '=', responseId)
          .execute();
      });
      return;
    }
    case 'erase': {
      const asked = await post(`${base}/erasure-requests`, practitioner, {
        grounds: 'The person asked for their record to be erased.',
      });
      const requestId =
        (asked.requestId as string | undefined) ??
        (
          await db
            .selectFrom('erasure_request')
            .select('request_id')
            .where('person_id', '=', person.personId)
            .where('status', '=', 'open')
            .executeTakeFirstOrThrow()
        ).request_id;
      await post(`/api/admin/erasure-requests/${person.personId}/${requestId}/decide`, admin, {
        decision: 'erase',
        confirm: true,
      });
      person.erased = true;
      // Subtracted and gone with the erasure itself, before any worker runs.
      expect(await countOf('rollup_contribution', person.personId)).toBe(0);
      expect(await countOf('rollup_dirty', person.personId)).toBe(0);
      return;
    }
  }
}

describe('the property: after any sequence of writes, corrections and erasures, the kept rollup equals a rebuild', () => {
  it('holds for random sequences', async () => {
    let run = 0;
    await fc.assert(
      // Each step may be followed by a pass of the worker, so marks are applied at any point.
      fc.asyncProperty(
        fc.array(fc.tuple(step, fc.boolean()), { minLength: 1, maxLength: 10 }),
        async (steps) => {
          run += 1;
          const people: Person[] = [];
          for (const i of [0, 1]) {
            const personId = await register({
              givenName: `Prop${run}`,
              familyName: `Person${i}`,
              sex: i ? 'male' : 'female',
              dateOfBirth: i ? '1958-02-28' : '1990-11-30',
            });
            people.push({ personId, outcomes: [], goals: [], erased: false });
          }
          for (const [s, work] of steps) {
            await apply(people, s);
            if (work) await processRollupQueue(t.database.db, { limit: 1 });
          }
          expect(await flushedDifferences()).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  }, 240_000);
});

describe('a bulk load with the rollup deferred', () => {
  it('marks no one during the load, and commits a rollup and contributions equal to a rebuild', async () => {
    const db = t.database.db;
    const outcome = await db
      .selectFrom('personal_outcome')
      .innerJoin('person', 'person.person_id', 'personal_outcome.person_id')
      .select(['personal_outcome.person_id', 'personal_outcome.outcome_id'])
      .where('person.registered_as', '=', 'person')
      .orderBy('personal_outcome.outcome_id')
      .executeTakeFirstOrThrow();
    const before = await rollupCells(db);
    const markedDuringLoad = await db.transaction().execute((trx) =>
      withRollupsDeferred(trx, async () => {
        for (const score of [1, 4]) {
          await sql`insert into outcome_rating (person_id, rating_id, outcome_id, viewpoint, score, rated_by_user_id)
            values (${outcome.person_id}, ${randomUUID()}, ${outcome.outcome_id}, 'carer', ${score}, ${userId})`.execute(
            trx,
          );
        }
        const marks = await sql<{ n: string }>`select count(*) as n from rollup_dirty`.execute(trx);
        return Number(marks.rows[0]?.n);
      }),
    );
    expect(markedDuringLoad).toBe(0);
    expect(await countOf('rollup_dirty')).toBe(0);
    expect(await rollupCells(db)).not.toEqual(before);
    expect(await compareWithRebuild(db)).toEqual([]);
    // The setting ended with the transaction: the next write marks the person again, and the
    // worker applies it against the contribution the rebuild stored.
    await sql`insert into outcome_rating (person_id, rating_id, outcome_id, viewpoint, score, rated_by_user_id)
      values (${outcome.person_id}, ${randomUUID()}, ${outcome.outcome_id}, 'carer', 2, ${userId})`.execute(
      db,
    );
    expect(await countOf('rollup_dirty', outcome.person_id)).toBe(1);
    expect(await flushedDifferences(db)).toEqual([]);
  });
});

describe('switching the triggers off, for benchmarks only', () => {
  it('off: writes leave the rollup behind until a rebuild; on again: kept', async () => {
    const db = t.database.db;
    const personId = await register({ givenName: 'Bench', familyName: 'Mark', sex: 'male' });
    await flushRollups(db);
    // Nine row triggers (two on person, one on each of the seven other feeding tables) and one
    // statement trigger for inserts on each of those seven (migration 0019); a row and a statement
    // trigger on each of the standard measures' two (measure_score, questionnaire_response: 0022);
    // a row and a statement trigger on each of feedback, feedback_code and feedback_change_story, and
    // a row trigger on feedback_change and on feedback_service (0028); a row and a statement trigger
    // on each of community_referral and community_attendance, and a row trigger on community_resource (0036).
    expect(await setRollupTriggers(db, false)).toBe(33);
    try {
      await post(`/api/people/${personId}/conversations`, practitioner, {
        kind: 'first',
        heldOn: todayIso(),
        summary: 'Unseen by the rollup.',
        participants: [{ kind: 'person', name: 'Bench' }],
        newOutcomes: [{ statement: 'x', domainIds: [domainIds[0]] }],
      });
      expect(await countOf('rollup_dirty')).toBe(0);
      expect((await flushedDifferences(db)).length).toBeGreaterThan(0);
    } finally {
      expect(await setRollupTriggers(db, true)).toBe(33);
    }
    await db.transaction().execute((trx) => rebuildRollups(trx));
    expect(await compareWithRebuild(db)).toEqual([]);
  });
});

describe('two workers at once', () => {
  it('take different people and never count one twice (PostgreSQL: two connections)', async () => {
    const db = t.database.db;
    await flushRollups(db);
    // Real changes for some people, and marks for everyone (a mark with no change must add nothing).
    await sql`update person set deprivation_decile = coalesce(deprivation_decile, 0) % 10 + 1
      where person_id in (select person_id from person order by person_id limit 4)`.execute(db);
    await sql`insert into rollup_dirty (person_id) select person_id from person on conflict do nothing`.execute(
      db,
    );
    const marked = await countOf('rollup_dirty');
    const [a, b] = await Promise.all([
      processRollupQueue(db, { limit: marked }),
      processRollupQueue(db, { limit: marked }),
    ]);
    expect(a + b).toBe(marked);
    if (t.database.kind === 'postgres') {
      // Both really ran: each took some of the people.
      expect(Math.min(a, b)).toBeGreaterThan(0);
    }
    expect(await countOf('rollup_dirty')).toBe(0);
    expect(await compareWithRebuild(db)).toEqual([]);
  });
});
