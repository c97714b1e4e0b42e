import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Indicators over HTTP: the library, defining one (refused with field-named errors, previewed,
 * saved and audited), and values read from `indicator_rollup` with disclosure control. The rollup
 * rows are written here by hand, after the demo is loaded, so these tests say what the query
 * service does with given sums whatever the rollup triggers would have made.
 */
let t: TestApp;
let demoWhatMatters: Awaited<ReturnType<TestApp['services']['indicators']['evaluate']>>;
const cookies: Record<string, string> = {};
/** Three organisations with a team each; the first is practitioner@demo's team and organisation. */
const units: { organisationId: string; teamId: string }[] = [];

interface Sums {
  denominator: number;
  numerator: number;
  valueSum?: number;
  valueSumSq?: number;
  weightSum?: number;
}

async function rollup(
  measure: string,
  month: string,
  unit: { organisationId: string; teamId: string },
  sums: Sums,
  { viewpoint = '', dim = 'all', dimValue = '' } = {},
) {
  await sql`insert into indicator_rollup
    (measure, period_month, organisation_id, team_id, viewpoint, dim, dim_value,
     denominator, numerator, value_sum, value_sum_sq, weight_sum)
    values (${measure}, ${`${month}-01`}::date, ${unit.organisationId}::uuid, ${unit.teamId}::uuid, ${viewpoint},
      ${dim}, ${dimValue}, ${sums.denominator}, ${sums.numerator}, ${sums.valueSum ?? 0},
      ${sums.valueSumSq ?? 0}, ${sums.weightSum ?? 0})`.execute(t.database.db);
}

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 12 });
  const { db } = t.database;
  for (const user of ['commissioner', 'analyst', 'manager', 'practitioner', 'person', 'admin']) {
    cookies[user] = await signIn(t.app, `${user}@demo`);
  }
  const own = await db
    .selectFrom('user_role as r')
    .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
    .innerJoin('team', 'team.team_id', 'r.team_id')
    .select(['team.team_id', 'team.organisation_id'])
    .where('u.username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  units.push({ organisationId: own.organisation_id, teamId: own.team_id });
  const others = await db
    .selectFrom('team')
    .select(['team_id', 'organisation_id'])
    .where('organisation_id', '!=', own.organisation_id)
    .orderBy('team_id')
    .execute();
  for (const team of others) {
    if (units.length < 3 && !units.some((u) => u.organisationId === team.organisation_id)) {
      units.push({ organisationId: team.organisation_id, teamId: team.team_id });
    }
  }
  expect(units).toHaveLength(3);
  // What the rollup kept of the demo's records, read before the sums below replace it.
  const today = new Date().toISOString().slice(0, 7);
  const tenYearsBack = `${Number(today.slice(0, 4)) - 9}-${today.slice(5, 7)}`;
  demoWhatMatters = await t.services.indicators.evaluate(await analystActor(), {
    key: 'what-matters',
    breakdown: 'domain',
    from: tenYearsBack,
    to: today,
  });
  // Whatever the demo's writes put in the rollup, these tests read only the sums written below.
  await sql`delete from indicator_rollup`.execute(db);
  const [a, b, c] = units as [(typeof units)[0], (typeof units)[0], (typeof units)[0]];
  await rollup('current-plan', '2026-01', a, { denominator: 25, numerator: 20 });
  await rollup('current-plan', '2026-02', a, { denominator: 15, numerator: 10 });
  await rollup('current-plan', '2026-01', b, { denominator: 3, numerator: 3 });
  await rollup('current-plan', '2026-02', c, { denominator: 20, numerator: 10 });
  // Outside the period asked for: must not be counted.
  await rollup('current-plan', '2025-06', b, { denominator: 500, numerator: 500 });
  // Ratings by viewpoint and by domain, for filters.
  await rollup(
    'rating',
    '2026-01',
    a,
    { denominator: 40, numerator: 30, valueSum: 120 },
    { viewpoint: 'person' },
  );
  await rollup(
    'rating',
    '2026-01',
    a,
    { denominator: 40, numerator: 10, valueSum: 80 },
    { viewpoint: 'practitioner' },
  );
  await rollup(
    'rating',
    '2026-01',
    a,
    { denominator: 20, numerator: 18 },
    { viewpoint: 'person', dim: 'domain', dimValue: 'feeling-safe' },
  );
  await rollup('gas-goal', '2026-01', a, {
    denominator: 12,
    numerator: 9,
    valueSum: 6,
    valueSumSq: 12,
    weightSum: 12,
  });
});
afterAll(() => t?.close());

const getJson = async (user: string, url: string) => {
  const response = await t.app.inject({ url, headers: { cookie: cookies[user] ?? '' } });
  return { status: response.statusCode, body: response.json() };
};

const valid: FormFields = {
  key: 'plans-in-place',
  name: 'Plans in place',
  description: 'People seen who have a plan',
  source: 'current-plan',
  viewpoint: '',
  domainCode: '',
  improvement: 'increase',
  target: '90',
  breakdowns: ['organisation', 'team', 'month'],
  periodicity: 'month',
};
const postForm = (user: string, fields: FormFields) =>
  submitForm(t.app, {
    session: cookies[user],
    pageUrl: '/indicators/new',
    action: '/indicators/new',
    fields,
  });

describe('the indicator library', () => {
  it('is listed on a page and over the API, at least 12 ready indicators', async () => {
    const page = await t.app.inject({ url: '/indicators', headers: { cookie: cookies.commissioner ?? '' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Outcomes the person rates mostly or fully achieved');
    expect(page.body).toContain('Define an indicator');
    // One table per subject with indicators, in order, each under its heading and listed at the
    // top (the library has none over feedback: a subject with none has no section).
    const headings = [...page.body.matchAll(/<h2 id="indicators-([a-z]+)">/g)].map((m) => m[1]);
    expect(headings).toEqual(['outcomes', 'measures', 'community']);
    expect(page.body).toContain('<a href="#indicators-community">Community support</a>');
    const community = page.body.slice(page.body.indexOf('id="indicators-community"'));
    expect(community).toContain('People connected to community support');
    expect(community).not.toContain('Outcomes the person rates mostly or fully achieved');
    const { status, body } = await getJson('analyst', '/api/indicators');
    expect(status).toBe(200);
    expect(body.length).toBeGreaterThanOrEqual(12);
    const gas = body.find((i: { key: string }) => i.key === 'gas-service');
    expect(gas).toMatchObject({
      version: 1,
      library: true,
      kind: 'gas-service',
      target: 50,
      improvement: 'increase',
    });
  });

  it('is for staff who read aggregates: not for people, carers or administrators; only authors may define', async () => {
    expect((await getJson('person', '/api/indicators')).status).toBe(403);
    expect((await getJson('admin', '/api/indicators')).status).toBe(403);
    const manager = await t.app.inject({ url: '/indicators', headers: { cookie: cookies.manager ?? '' } });
    expect(manager.statusCode).toBe(200);
    expect(manager.body).not.toContain('Define an indicator');
    expect(
      (await t.app.inject({ url: '/indicators/new', headers: { cookie: cookies.manager ?? '' } })).statusCode,
    ).toBe(403);
  });

  it('an unknown key is 404', async () => {
    expect((await getJson('analyst', '/api/indicators/no-such-indicator')).status).toBe(404);
    expect((await getJson('analyst', '/api/indicators/no-such-indicator/values')).status).toBe(404);
  });
});

describe('defining an indicator', () => {
  it('refuses fields that do not fit together, each error linking to its field', async () => {
    const refused = await postForm('commissioner', {
      ...valid,
      domainCode: 'feeling-safe',
      target: '150',
      breakdowns: ['organisation', 'domain'],
      action: 'save',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<title>Error: Define an indicator');
    expect(refused.body).toContain('href="#domainCode"');
    expect(refused.body).toContain('href="#target"');
    expect(refused.body).toContain('href="#breakdowns"');
    expect(refused.body).toContain('The target must be between 0 and 100 (a percentage).');
    // What was typed is kept.
    expect(refused.body).toContain('value="plans-in-place"');
    const missing = await postForm('commissioner', { ...valid, key: 'Bad Key', source: '', action: 'save' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#key"');
    expect(missing.body).toContain('Choose what the indicator counts.');
    expect((await getJson('commissioner', '/api/indicators/plans-in-place')).status).toBe(404);
  });

  it('refuses over the API with 422 naming each field', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/indicators',
      headers: { cookie: cookies.analyst ?? '' },
      payload: {
        key: 'agreement-by-viewpoint',
        name: 'Agreement',
        description: '',
        source: 'viewpoint-agreement',
        filters: { viewpoint: 'person' },
        improvement: 'neutral',
        target: null,
        breakdowns: ['team', 'viewpoint'],
        periodicity: 'quarter',
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'filters.viewpoint',
      'breakdowns.1',
    ]);
  });

  it('refuses a NUL character, naming the field, from the API and the form', async () => {
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/indicators',
      headers: { cookie: cookies.analyst ?? '' },
      payload: { ...valid, name: 'a\u0000b', filters: {}, target: null, breakdowns: [] },
    });
    expect(api.statusCode).toBe(400);
    expect(api.json().errors[0].field).toBe('name');
    const form = await postForm('analyst', { ...valid, name: 'a\u0000b', action: 'save' });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('NUL character');
  });

  it('refuses a domain no framework has', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/indicators',
      headers: { cookie: cookies.analyst ?? '' },
      payload: {
        key: 'made-up-domain',
        name: 'Made up',
        description: '',
        source: 'outcomes-recorded',
        filters: { domainCode: 'no-such-domain' },
        improvement: 'neutral',
        target: null,
        breakdowns: [],
        periodicity: 'month',
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { field: 'filters.domainCode', message: expect.stringContaining('no-such-domain') },
    ]);
  });

  it('previews the values without saving, then saves, audited, as version 1', async () => {
    const preview = await postForm('commissioner', { ...valid, action: 'preview' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Preview: the values it would give');
    expect(preview.body).toContain('Not saved yet');
    expect((await getJson('commissioner', '/api/indicators/plans-in-place')).status).toBe(404);

    const saved = await postForm('commissioner', { ...valid, action: 'save' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/indicators/plans-in-place?saved=1');
    const page = await t.app.inject({
      url: String(saved.headers.location),
      headers: { cookie: cookies.commissioner ?? '' },
    });
    expect(page.body).toContain('Saved Plans in place, version 1.');
    expect(page.body).toContain('Target: 90%.');
    const { body } = await getJson('practitioner', '/api/indicators/plans-in-place');
    expect(body).toMatchObject({ key: 'plans-in-place', version: 1, library: false, target: 90 });
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'resource_id', 'outcome'])
      .where('resource_type', '=', 'indicator_definition')
      .execute();
    expect(audit).toContainEqual({
      action: 'define-indicator',
      resource_id: 'plans-in-place@1',
      outcome: 'success',
    });

    // The same key again is its next version; the first is kept.
    const again = await postForm('commissioner', { ...valid, target: '95', action: 'save' });
    expect(again.headers.location).toBe('/indicators/plans-in-place?saved=2');
    expect((await getJson('analyst', '/api/indicators/plans-in-place')).body).toMatchObject({
      version: 2,
      target: 95,
    });
  });

  it('is refused to a team manager over the API', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/indicators',
      headers: { cookie: cookies.manager ?? '' },
      payload: { ...valid, filters: {}, target: null, breakdowns: [] },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('values from the rollup, disclosure-controlled', () => {
  it('reads what the rollup keeps of recorded outcomes: what matters, by domain', async () => {
    const codes = new Set(
      (await t.database.db.selectFrom('outcome_domain').select('code').execute()).map((d) => d.code),
    );
    expect(demoWhatMatters.rows.length).toBeGreaterThan(0);
    for (const row of demoWhatMatters.rows) expect(codes).toContain(row.key);
    expect(demoWhatMatters.total.shown.value).not.toBe('0');
  });

  it('break down by organisation over whole months: a count of 3 shows as *, and so does one more to protect it', async () => {
    const { status, body } = await getJson(
      'commissioner',
      '/api/indicators/current-plan/values?breakdown=organisation&from=2026-01&to=2026-03',
    );
    expect(status).toBe(200);
    expect(body.from).toBe('2026-01');
    const [a, b, c] = units.map((u) => body.rows.find((r: { key: string }) => r.key === u.organisationId));
    // A: 30 of 40 → 30 of 40 shown, 75%.
    expect(a).toMatchObject({
      numerator: 30,
      denominator: 40,
      value: 75,
      shown: { numerator: '30', denominator: '40', value: '75.0%' },
    });
    // B: 3 of 3 → hidden; C: 10 of 20 hidden as well, or B could be worked out from the total.
    expect(b).toMatchObject({
      numerator: null,
      denominator: null,
      value: null,
      shown: { numerator: '*', denominator: '*', value: '*' },
    });
    expect(c.shown.denominator).toBe('*');
    // The total, 43 of 63, rounded: 45 of 65, and the rate from those; the 500 outside the
    // period is not counted.
    expect(body.total.shown).toEqual({ numerator: '45', denominator: '65', value: '69.2%' });
  });

  it('a series gives one point per month, empty months included', async () => {
    const series = await t.services.indicators.series(await analystActor(), {
      key: 'current-plan',
      periodicity: 'month',
      from: '2026-01',
      to: '2026-03',
    });
    expect(series.points.map((p) => [p.key, p.shown.denominator, p.shown.value])).toEqual([
      // 23 of 28 → 25 of 30
      ['2026-01', '30', '83.3%'],
      ['2026-02', '35', '57.1%'],
      ['2026-03', '0', 'n/a'],
    ]);
    const quarters = await t.services.indicators.series(await analystActor(), {
      key: 'current-plan',
      periodicity: 'quarter',
      from: '2026-02',
      to: '2026-02',
    });
    expect(quarters.from).toBe('2026-01');
    expect(quarters.points.map((p) => [p.key, p.shown.numerator, p.shown.denominator])).toEqual([
      ['2026-Q1', '45', '65'],
    ]);
  });

  it('compares units for funnel plots, each disclosed on its own', async () => {
    const comparison = await t.services.indicators.compareUnits(await analystActor(), {
      key: 'current-plan',
      level: 'team',
      from: '2026-01',
      to: '2026-03',
    });
    const byTeam = new Map(comparison.units.map((u) => [u.key, u]));
    expect(byTeam.get(units[0]?.teamId ?? '')).toMatchObject({
      numerator: 30,
      denominator: 40,
      organisationId: units[0]?.organisationId,
    });
    expect(byTeam.get(units[1]?.teamId ?? '')?.shown.denominator).toBe('*');
    // Alone, 10 of 20 needs no protection from a total.
    expect(byTeam.get(units[2]?.teamId ?? '')).toMatchObject({ numerator: 10, denominator: 20, value: 50 });
  });

  it('a practitioner sees only their own team, a team manager their organisation’s teams', async () => {
    const practitioner = await getJson(
      'practitioner',
      '/api/indicators/current-plan/values?breakdown=team&from=2026-01&to=2026-03',
    );
    expect(practitioner.body.rows.map((r: { key: string }) => r.key)).toEqual([units[0]?.teamId]);
    expect(practitioner.body.total.shown.denominator).toBe('40');
    const manager = await getJson(
      'manager',
      '/api/indicators/current-plan/values?breakdown=organisation&from=2026-01&to=2026-03',
    );
    expect(manager.body.rows.map((r: { key: string }) => r.key)).toEqual([units[0]?.organisationId]);
  });

  it('applies the definition’s filters: one viewpoint, one domain; a mean and a service T-score', async () => {
    const person = await getJson(
      'analyst',
      '/api/indicators/person-rated-achieved/values?from=2026-01&to=2026-01',
    );
    expect(person.body.total).toMatchObject({ numerator: 30, denominator: 40, value: 75 });
    const practitioner = await getJson(
      'analyst',
      '/api/indicators/practitioner-rated-achieved/values?from=2026-01&to=2026-01',
    );
    expect(practitioner.body.total).toMatchObject({ numerator: 10, denominator: 40, value: 25 });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/indicators',
      headers: { cookie: cookies.analyst ?? '' },
      payload: {
        key: 'safe-by-team',
        name: 'Feeling safe, the person’s view',
        description: '',
        source: 'rating-mean',
        filters: { viewpoint: 'person', domainCode: 'feeling-safe' },
        improvement: 'increase',
        target: null,
        breakdowns: ['team'],
        periodicity: 'month',
      },
    });
    expect(response.statusCode).toBe(201);
    const safe = await getJson(
      'analyst',
      '/api/indicators/safe-by-team/values?breakdown=team&from=2026-01&to=2026-01',
    );
    // 20 ratings, value sum 0 written for the domain row: mean 0; shown with 20 rounded.
    expect(safe.body.rows).toHaveLength(1);
    expect(safe.body.rows[0].shown.denominator).toBe('20');
    const gas = await getJson('analyst', '/api/indicators/gas-service/values?from=2026-01&to=2026-01');
    // Σwx 6, Σw² 12, Σw 12: T = 50 + 60 / √(0.7·12 + 0.3·144) = 50 + 60/√51.6.
    expect(gas.body.total.value).toBeCloseTo(50 + 60 / Math.sqrt(51.6), 10);
    expect(gas.body.total.shown.value).toBe('58.4');
  });

  it('refuses a breakdown the indicator does not have, and a period back to front, naming the field', async () => {
    const breakdown = await getJson('analyst', '/api/indicators/current-plan/values?breakdown=domain');
    expect(breakdown.status).toBe(422);
    expect(breakdown.body.errors[0].field).toBe('breakdown');
    const period = await getJson('analyst', '/api/indicators/current-plan/values?from=2026-05&to=2026-01');
    expect(period.status).toBe(422);
    expect(period.body.errors[0].field).toBe('from');
  });

  it('shows the latest values by organisation on the indicator’s page, with * for small counts', async () => {
    const page = await t.app.inject({
      url: '/indicators/current-plan?from=2026-01&to=2026-03',
      headers: { cookie: cookies.commissioner ?? '' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('January 2026 to March 2026');
    expect(page.body).toMatch(/<td class="nhsuk-table__cell nhsuk-table__cell--numeric">\*<\/td>/);
    expect(page.body).toContain('75.0%');
  });
});

async function analystActor() {
  const { db } = t.database;
  const user = await db
    .selectFrom('user_account')
    .select(['user_id', 'username', 'display_name'])
    .where('username', '=', 'analyst@demo')
    .executeTakeFirstOrThrow();
  return {
    userId: user.user_id,
    username: user.username,
    displayName: user.display_name,
    jobTitle: null,
    personId: null,
    ip: null,
    roles: [
      {
        role: 'analyst' as const,
        organisationId: null,
        organisationName: null,
        teamId: null,
        teamName: null,
      },
    ],
  };
}
