import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUMENT_CATALOGUE_FACTS } from '../../src/domain/measures/catalogue-seed.js';
import { INSTRUMENTS } from '../../src/domain/measures/instruments/index.js';
import { INSTRUMENT_KEYS } from '../../src/domain/measures/types.js';
import type { CatalogueEntry, GapAnalysisView } from '../../src/features/catalogue/schema.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { duplicateIds, submitForm } from '../support/forms.js';
import { loadTestWording } from '../support/licensed-wording.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The catalogue of measures through HTTP: browsing and filtering, the gap analysis (which changes
 * when a measure is recorded), and editing by administrators and commissioners, with refusals
 * audited and bad input refused naming the field.
 */

let t: TestApp;
const session: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 8 });
  for (const who of ['admin', 'commissioner', 'analyst', 'practitioner', 'manager', 'person']) {
    session[who] = await signIn(t.app, `${who}@demo`);
  }
});
afterAll(() => t?.close());

const as = (who: string) => ({ cookie: session[who] as string });
const get = (url: string, who: string) => t.app.inject({ url, headers: as(who) });
const send = (method: 'POST' | 'PUT', url: string, who: string, payload: unknown) =>
  t.app.inject({ method, url, headers: as(who), payload: payload as object });

async function entries(who: string, query = ''): Promise<CatalogueEntry[]> {
  const response = await get(`/api/catalogue${query}`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function gaps(who: string, framework: string): Promise<GapAnalysisView> {
  const response = await get(`/api/catalogue/gaps?framework=${encodeURIComponent(framework)}`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function deniedAudits(action: string) {
  return t.database.db
    .selectFrom('audit_event')
    .select(['actor_role', 'resource_type', 'purpose'])
    .where('action', '=', action)
    .where('outcome', '=', 'denied')
    .execute();
}

const newEntry = {
  key: 'housing-wellbeing-survey',
  name: 'Tenant wellbeing survey',
  kind: 'metric',
  measures: 'How safe and settled tenants feel in their homes.',
  levels: ['service', 'wider-system'],
  lifeAreas: ['housing', 'safety'],
  domains: [{ framework: 'outcomes:talking-points', code: 'feeling-safe' }],
  respondents: ['person'],
  validation: '',
  licence: 'Written by the housing association; free to use.',
  sourceUrl: 'https://example.org/tenant-survey',
  link: null,
};

describe('browsing the catalogue', () => {
  it('lists the built-in instruments, the product’s tools, the indicators and measures not shipped', async () => {
    const all = await entries('practitioner');
    for (const key of INSTRUMENT_KEYS) {
      expect(
        all.find((e) => e.link?.kind === 'instrument' && e.link.key === key),
        key,
      ).toBeDefined();
    }
    expect(all.map((e) => e.key)).toEqual(
      expect.arrayContaining([
        'personal-outcome-ratings',
        'goal-attainment-scaling',
        'ascot',
        'eq-5d-5l',
        'core-10',
      ]),
    );
    const ascot = all.find((e) => e.key === 'ascot');
    expect(ascot?.usage).toEqual({ inProduct: false, inUseHere: null, count: null });
    expect(ascot?.domains.find((d) => d.code === 'feeling-safe')).toEqual({
      framework: 'outcomes:talking-points',
      frameworkName: 'Talking Points personal outcomes',
      code: 'feeling-safe',
      name: 'Feeling safe',
    });
    expect(all.filter((e) => e.kind === 'indicator').length).toBeGreaterThan(10);
  });

  it('filters by kind, level, area of life and domain', async () => {
    const indicators = await entries('practitioner', '?kind=indicator');
    expect(indicators.length).toBeGreaterThan(0);
    expect(indicators.every((e) => e.kind === 'indicator')).toBe(true);
    const housing = await entries('practitioner', '?lifeArea=housing&level=wider-system');
    expect(housing.map((e) => e.key)).toContain('ascot');
    expect(housing.every((e) => e.lifeAreas.includes('housing') && e.levels.includes('wider-system'))).toBe(
      true,
    );
    const safe = await entries('practitioner', '?domain=outcomes:talking-points:feeling-safe');
    expect(safe.map((e) => e.key)).toEqual(expect.arrayContaining(['ascot', 'personal-outcome-ratings']));
    expect(safe.map((e) => e.key)).not.toContain('phq9');
  });

  it('refuses a filter it does not know, naming it', async () => {
    const response = await get('/api/catalogue?kind=survey', 'practitioner');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(response.json())).toContain('kind');
    const domain = await get('/api/catalogue?domain=outcomes:talking-points:nowhere', 'practitioner');
    expect(domain.statusCode).toBe(422);
    expect(domain.json().errors).toEqual([expect.objectContaining({ field: 'domain' })]);
  });

  it('shows each entry on a page of its own, and the list with filters', async () => {
    const ascot = (await entries('person')).find((e) => e.key === 'ascot');
    const page = await get(`/catalogue/${ascot?.entryId}`, 'person');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Adult Social Care Outcomes Toolkit (ASCOT)</h1>');
    expect(page.body).toContain('https://www.pssru.ac.uk/ascot/');
    expect(duplicateIds(page.body)).toEqual([]);
    const list = await get('/catalogue?kind=measure&level=&lifeArea=&domain=', 'practitioner');
    expect(list.statusCode).toBe(200);
    expect(duplicateIds(list.body)).toEqual([]);
    const missing = await get('/api/catalogue/00000000-0000-4000-8000-000000000000', 'practitioner');
    expect(missing.statusCode).toBe(404);
  });
});

describe('the gap analysis', () => {
  it('changes when a measure is recorded: a domain’s instrument goes from no data to data', async () => {
    // An instrument nobody has completed yet, in this database.
    const used = new Set(
      (await t.database.db.selectFrom('measure_score').select('instrument').distinct().execute()).map(
        (r) => r.instrument,
      ),
    );
    const answersOf = {
      gad7: [1, 1, 1, 1, 1, 1, 1],
      phq9: [1, 1, 1, 1, 1, 1, 1, 1, 1],
      collaborate: [5, 5, 5],
      swemwbs: [3, 3, 3, 3, 3, 3, 3],
    } as const;
    const instrument = (['gad7', 'phq9', 'collaborate', 'swemwbs'] as const).find((k) => !used.has(k));
    expect(instrument, 'an instrument with no scores yet').toBeDefined();
    const key = instrument as keyof typeof answersOf;
    const domain = INSTRUMENT_CATALOGUE_FACTS[key].domains.find(
      (d) => d.framework === 'outcomes:talking-points',
    );
    const coverage = (analysis: GapAnalysisView) =>
      analysis.domains.find((d) => d.code === domain?.code)?.coveredBy.find((c) => c.key === key);

    for (const who of ['analyst', 'practitioner']) {
      expect(coverage(await gaps(who, 'outcomes:talking-points')), who).toMatchObject({
        how: 'mapped',
        inProduct: true,
        hasData: false,
        count: '0',
      });
    }

    // CollaboRATE and SWEMWBS ship as structure only: a measure is recorded once wording is loaded.
    if (INSTRUMENTS[key].wording === 'licence-required') {
      await loadTestWording(t, session.admin as string, key);
    }
    const personId = await demoPersonInCaseload(t, session.practitioner as string);
    const answers = answersOf[key];
    const recorded = await send('POST', `/api/people/${personId}/measures`, 'practitioner', {
      instrument: key,
      answers,
    });
    expect(recorded.statusCode, recorded.body).toBe(201);

    for (const who of ['analyst', 'practitioner']) {
      // One completed measure: there is data, and its count is suppressed (1 to 7 shows as *).
      expect(coverage(await gaps(who, 'outcomes:talking-points')), who).toMatchObject({
        hasData: true,
        count: '*',
      });
    }
    const mine = (await entries('analyst')).find((e) => e.link?.kind === 'instrument' && e.link.key === key);
    expect(mine?.usage).toEqual({ inProduct: true, inUseHere: true, count: '*' });
  });

  it('names domains with no measure and with no data, and counts ratings by domain', async () => {
    const analysis = await gaps('analyst', 'outcomes:talking-points');
    expect(analysis.here).toBe('Every organisation and team in the area');
    expect(analysis.summary.domains).toBe(analysis.domains.length);
    expect(analysis.summary.noMeasure + analysis.summary.noData + analysis.summary.withData).toBe(
      analysis.summary.domains,
    );
    // The demo population rates its outcomes: the ratings tool has data in some domain.
    const rated = analysis.domains.filter((d) =>
      d.coveredBy.some((c) => c.key === 'personal-outcome-ratings' && c.hasData),
    );
    expect(rated.length).toBeGreaterThan(0);
  });

  it('runs over a commissioning framework’s I statements for those who may read it, and refuses others', async () => {
    const analysis = await gaps('analyst', 'commissioning:long-term-conditions');
    expect(analysis.domains.length).toBe(10);
    const wellbeing = analysis.domains.find((d) => d.code === 'as-well-as-i-can-be');
    expect(wellbeing?.coveredBy.map((c) => c.how)).toEqual(expect.arrayContaining(['named', 'through']));
    const refused = await get(
      '/api/catalogue/gaps?framework=commissioning:long-term-conditions',
      'practitioner',
    );
    expect(refused.statusCode).toBe(403);
  });

  it('refuses those who see no service figures, and a framework it does not know, naming it', async () => {
    const refused = await get('/api/catalogue/gaps', 'admin');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const unknown = await get('/api/catalogue/gaps?framework=outcomes:nowhere', 'analyst');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'framework' })]);
  });

  it('shows the gaps page with every domain and its gap in words', async () => {
    const page = await get('/catalogue/gaps?framework=outcomes:carers', 'manager');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Data in the last 12 months');
    expect(page.body).toMatch(/Gap: no (measure covers this|data collected here in the last 12 months)/);
    expect(duplicateIds(page.body)).toEqual([]);
  });
});

describe('editing the catalogue', () => {
  it('lets a commissioner add and change an entry, audited', async () => {
    const added = await send('POST', '/api/catalogue', 'commissioner', newEntry);
    expect(added.statusCode, added.body).toBe(201);
    const entry: CatalogueEntry = added.json();
    expect(entry).toMatchObject({ key: newEntry.key, shipped: false, usage: { inProduct: false } });
    const changed = await send('PUT', `/api/catalogue/${entry.entryId}`, 'admin', {
      ...newEntry,
      domains: [...newEntry.domains, { framework: 'commissioning:long-term-conditions', code: 'feel-safe' }],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().domains.map((d: { code: string }) => d.code)).toEqual([
      'feel-safe',
      'feeling-safe',
    ]);
    const audited = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('resource_id', '=', entry.entryId)
      .where('outcome', '=', 'success')
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual(['add-catalogue-entry', 'change-catalogue-entry']);
    const again = await send('POST', '/api/catalogue', 'commissioner', newEntry);
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([expect.objectContaining({ field: 'key' })]);
  });

  it('refuses an edit by anyone else, and audits the refusal', async () => {
    const before = (await deniedAudits('add-catalogue-entry')).length;
    const refused = await send('POST', '/api/catalogue', 'practitioner', { ...newEntry, key: 'not-allowed' });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const rows = await deniedAudits('add-catalogue-entry');
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({
      resource_type: 'catalogue_entry',
      purpose: 'not an administrator or commissioner',
    });
    const page = await get('/catalogue/new', 'analyst');
    expect(page.statusCode).toBe(403);
  });

  it('refuses bad input, naming each field', async () => {
    const shape = await send('POST', '/api/catalogue', 'commissioner', {
      ...newEntry,
      key: 'x-1',
      kind: 'survey',
    });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().errors.map((e: { field: string }) => e.field)).toContain('body.kind');
    const rules = await send('POST', '/api/catalogue', 'commissioner', {
      ...newEntry,
      key: 'x-2',
      levels: [],
      domains: [{ framework: 'outcomes:talking-points', code: 'nowhere' }],
      link: { kind: 'instrument', key: 'phq99' },
      sourceUrl: 'not a web address',
    });
    expect(rules.statusCode).toBe(422);
    expect(rules.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'levels',
      'sourceUrl',
      'domains.0.code',
      'link.key',
    ]);
  });

  it('edits through the form: errors on their fields, then saved', async () => {
    const list = await entries('admin', '?kind=measure');
    const core = list.find((e) => e.key === 'core-10') as CatalogueEntry;
    const url = `/catalogue/${core.entryId}/edit`;
    const fields = {
      name: core.name,
      kind: core.kind,
      measures: core.measures,
      levels: core.levels,
      lifeAreas: core.lifeAreas,
      respondents: [] as string[],
      domains: core.domains.map((d) => `${d.framework}|${d.code}`),
      validation: core.validation,
      licence: core.licence,
      sourceUrl: 'ftp://nowhere',
      linkKind: '',
      linkKey: '',
    };
    const bad = await submitForm(t.app, {
      session: session.admin as string,
      pageUrl: url,
      action: url,
      fields,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#respondents"');
    expect(bad.body).toContain('href="#sourceUrl"');
    expect(duplicateIds(bad.body)).toEqual([]);
    const good = await submitForm(t.app, {
      session: session.admin as string,
      pageUrl: url,
      action: url,
      fields: { ...fields, respondents: ['person'], sourceUrl: core.sourceUrl ?? '' },
    });
    expect(good.statusCode, good.body.slice(0, 1000)).toBe(303);
    const shown = await get(String(good.headers.location), 'admin');
    expect(shown.body).toContain('Your changes to CORE-10 were saved.');
  });
});
