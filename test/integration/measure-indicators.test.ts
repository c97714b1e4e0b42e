import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { flushRollups } from '../../src/features/rollups/store.js';
import { type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Standard measures in the aggregates (issue 11, item 5), end to end: PHQ-9s recorded through the
 * measures API are applied to the rollup by the worker, and the library's PHQ-9 indicators show the
 * expected values on the indicator API, the analyst's dashboard and a contract's dashboard (its
 * SPC chart's CSV). The twenty people are moved to a team of their own, so their figures are
 * exactly theirs whatever the demo population holds.
 */
let t: TestApp;
const session: Record<string, string> = {};
let teamId: string;
let organisationId: string;
let contractId: string;
let trailing: unknown;
let applied: number;

/** A month some months before this one (UK date), YYYY-MM, by calendar arithmetic. */
function monthsAgo(months: number): string {
  const [year, month] = todayIso().split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
const START = monthsAgo(3);
const NOW = todayIso().slice(0, 7);

const as = (who: string) => ({ cookie: session[who] as string });

async function post(url: string, who: string, payload: object): Promise<Record<string, unknown>> {
  const response = await t.app.inject({ method: 'POST', url, headers: as(who), payload });
  if (response.statusCode >= 300) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** PHQ-9 answers (nine items 0–3) adding up to `total`. */
function phq9(total: number): number[] {
  return Array.from({ length: 9 }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
}

async function values(key: string, query: string) {
  const response = await t.app.inject({
    url: `/api/indicators/${key}/values?${query}`,
    headers: as('commissioner'),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    rows: {
      key: string;
      value: number | null;
      shown: { value: string; numerator: string; denominator: string };
    }[];
    total: { value: number | null; shown: { value: string } };
  };
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 6 });
  for (const who of ['practitioner', 'commissioner', 'analyst'])
    session[who] = await signIn(t.app, `${who}@demo`);
  const { db } = t.database;
  const own = await db
    .selectFrom('user_role as r')
    .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
    .innerJoin('team', 'team.team_id', 'r.team_id')
    .select(['team.organisation_id'])
    .where('u.username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  organisationId = own.organisation_id;
  teamId = randomUUID();
  await db
    .insertInto('team')
    .values({ team_id: teamId, organisation_id: organisationId, name: 'Talking therapies (measures test)' })
    .execute();

  // The demo's own measures go first: a few demo people measured in the same months would be a
  // small cell beside the team's, and secondary suppression would then hide the team's figure too.
  await db.deleteFrom('measure_score').execute();
  await db.deleteFrom('questionnaire_response').execute();

  // Twenty people: each a PHQ-9 of 15 (moderately severe, at caseness) on the 5th of the start
  // month, half of them another of 20 on the 20th (their latest that month); this month, half at 4
  // (recovered, 11 points better) and half at 12 (still at caseness, 3 points better).
  const people: string[] = [];
  for (let i = 0; i < 20; i++) {
    const body = await post('/api/people', 'practitioner', {
      givenName: `Measured${i}`,
      familyName: 'Person',
      sex: i % 2 ? 'male' : 'female',
      dateOfBirth: '1980-04-01',
    });
    people.push(body.personId as string);
  }
  for (const [i, personId] of people.entries()) {
    const record = (total: number, authoredOn: string) =>
      post(`/api/people/${personId}/measures`, 'practitioner', {
        instrument: 'phq9',
        answers: phq9(total),
        authoredOn,
      });
    await record(15, `${START}-05`);
    if (i % 2) await record(20, `${START}-20`);
    await record(i < 10 ? 4 : 12, todayIso());
  }
  // Moved to the team of their own by an administrator's correction (the lead team decides the unit).
  await db.updateTable('person').set({ lead_team_id: teamId }).where('person_id', 'in', people).execute();

  const icb = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', '!=', organisationId)
    .where('name', 'like', '%Integrated Care Board%')
    .executeTakeFirstOrThrow();
  const contract = await post('/api/contracts', 'commissioner', {
    title: 'Talking therapies outcomes',
    commissionerOrganisationId: icb.organisation_id,
    providerOrganisationId: organisationId,
    teamIds: [teamId],
    startsOn: `${monthsAgo(12)}-01`,
    endsOn: `${monthsAgo(-12)}-01`,
    indicators: [
      { indicatorKey: 'phq9-recovery', target: 50 },
      { indicatorKey: 'phq9-mean', target: 10 },
    ],
    riskGainShare: '',
    frameworkKey: null,
  });
  contractId = contract.contractId as string;

  // The rollup trails the writes until the worker applies them.
  trailing = (await values('phq9-recovery', `breakdown=team&from=${NOW}&to=${NOW}`)).rows.find(
    (r) => r.key === teamId,
  );
  applied = await flushRollups(t.database.db);
}, 300_000);
afterAll(() => t?.close());

describe('PHQ-9 indicators after measures are recorded and the worker has run', () => {
  it('nothing shows until the worker has applied the people’s marks', () => {
    expect(trailing).toBeUndefined();
    expect(applied).toBeGreaterThanOrEqual(20);
  });

  it('the mean of each person’s latest score in the month', async () => {
    const start = await values('phq9-mean', `breakdown=team&from=${START}&to=${START}`);
    // Ten people's latest is 20, ten people's 15: 17.5.
    expect(start.rows.find((r) => r.key === teamId)).toMatchObject({
      value: 17.5,
      shown: { value: '17.5', denominator: '20' },
    });
    const now = await values('phq9-mean', `breakdown=team&from=${NOW}&to=${NOW}`);
    expect(now.rows.find((r) => r.key === teamId)).toMatchObject({ value: 8, shown: { value: '8.0' } });
  });

  it('recovery and reliable improvement between the first score and the latest', async () => {
    // First 15 for everyone (the 5th of the start month); latest 4 for ten (recovered, reliably
    // improved), 12 for ten (3 points better: neither).
    const recovery = await values('phq9-recovery', `breakdown=team&from=${NOW}&to=${NOW}`);
    expect(recovery.rows.find((r) => r.key === teamId)).toMatchObject({
      value: 50,
      shown: { value: '50.0%', numerator: '10', denominator: '20' },
    });
    const improved = await values('phq9-reliable-improvement', `breakdown=team&from=${NOW}&to=${NOW}`);
    expect(improved.rows.find((r) => r.key === teamId)?.shown.value).toBe('50.0%');
  });

  it('a commissioner defines one over a standard measure: refused the wrong direction, previewed, saved', async () => {
    const fields: FormFields = {
      key: 'gad7-severe-share',
      name: 'GAD-7: share with severe anxiety',
      description: 'People whose latest GAD-7 is 15 or more',
      source: 'gad7-total-band-severe',
      viewpoint: '',
      domainCode: '',
      improvement: 'increase',
      target: '',
      breakdowns: ['organisation', 'team', 'month'],
      periodicity: 'quarter',
    };
    const form = (action: string, change: Partial<FormFields> = {}) =>
      submitForm(t.app, {
        session: session.commissioner,
        pageUrl: '/indicators/new',
        action: '/indicators/new',
        fields: { ...fields, ...change, action },
      });
    const wrong = await form('preview');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#improvement"');
    expect(wrong.body).toContain('Lower is better for “GAD-7: people in the band “Severe” (15–21)”');
    const preview = await form('preview', { improvement: 'decrease' });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('Preview: the values it would give');
    const saved = await form('save', { improvement: 'decrease' });
    expect(saved.statusCode).toBe(303);
    const page = await t.app.inject({ url: String(saved.headers.location), headers: as('commissioner') });
    expect(page.body).toContain(
      'People whose GAD-7 score is in the band “Severe” (15–21), as a percentage of',
    );
  });

  it('the analyst’s dashboard shows the indicator, and its CSV has the figure', async () => {
    const page = await t.app.inject({
      url: `/dashboards/analyst?indicator=phq9-recovery&breakdown=team&from=${NOW}&to=${NOW}`,
      headers: as('analyst'),
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('PHQ-9: people recovered');
    expect(page.body).toContain('Talking therapies (measures test)');
    const csv = await t.app.inject({
      url: `/dashboards/analyst/breakdown.csv?indicator=phq9-recovery&breakdown=team&from=${NOW}&to=${NOW}`,
      headers: as('analyst'),
    });
    expect(csv.statusCode).toBe(200);
    const line = csv.body.split('\n').find((l) => l.includes('Talking therapies (measures test)'));
    expect(line).toMatch(/50(\.0)?/);
  });

  it('a contract over the team shows the PHQ-9 indicators against their targets, month by month', async () => {
    const page = await t.app.inject({ url: `/contracts/${contractId}`, headers: as('commissioner') });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('PHQ-9: people recovered');
    expect(page.body).toContain('PHQ-9: average depression score');
    const csv = await t.app.inject({
      url: `/contracts/${contractId}/charts/phq9-mean-spc.csv`,
      headers: as('commissioner'),
    });
    expect(csv.statusCode, csv.body).toBe(200);
    // Header, then one row per month with a value: the start month's 17.5 and this month's 8,
    // each against the contract's target of 10.
    const rows = csv.body
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(rows.map((cells) => Number(cells[1]))).toEqual([17.5, 8]);
    expect(rows.map((cells) => Number(cells[5]))).toEqual([10, 10]);
  });
});
