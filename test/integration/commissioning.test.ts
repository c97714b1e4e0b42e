import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_TERM_CONDITIONS_FRAMEWORK } from '../../src/domain/commissioning/long-term-conditions.js';
import type { CommissioningFramework } from '../../src/features/commissioning/schema.js';
import { duplicateIds, type FormFields, submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
const session: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 5 });
  for (const who of ['commissioner', 'analyst', 'practitioner', 'manager']) {
    session[who] = await signIn(t.app, `${who}@demo`);
  }
});
afterAll(() => t?.close());

const as = (who: string) => ({ cookie: session[who] as string });
const get = (url: string, who: string) => t.app.inject({ url, headers: as(who) });

async function current(key: string): Promise<CommissioningFramework> {
  const list = await get('/api/commissioning/frameworks', 'analyst');
  expect(list.statusCode).toBe(200);
  const found = list.json().find((f: { key: string }) => f.key === key);
  expect(found, `a framework "${key}"`).toBeDefined();
  const response = await get(`/api/commissioning/frameworks/${found.frameworkId}`, 'analyst');
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** The edit form's fields for a version as it stands, as the page would post them unchanged. */
function formFieldsFor(framework: CommissioningFramework): FormFields {
  const fields: FormFields = {
    basedOnVersion: String(framework.version),
    key: framework.key,
    name: framework.name,
    description: framework.description,
    outcomesFrameworkKey: framework.outcomesFrameworkKey,
    changeSummary: '',
    'outcomes-count': String(framework.outcomes.length),
    'shapedBy-count': String(framework.shapedBy.length),
  };
  framework.outcomes.forEach((o, oi) => {
    fields[`outcomes-${oi}-code`] = o.code;
    fields[`outcomes-${oi}-statement`] = o.statement;
    fields[`outcomes-${oi}-statements-count`] = String(o.iStatements.length);
    o.iStatements.forEach((s, si) => {
      const f = `outcomes-${oi}-statements-${si}-`;
      fields[`${f}code`] = s.code;
      fields[`${f}text`] = s.text;
      fields[`${f}domains`] = s.domains.map((d) => d.code);
      fields[`${f}indicators`] = s.indicators.map((i) => i.key);
    });
  });
  framework.shapedBy.forEach((i, ii) => {
    const [year = '', month = '', day = ''] = i.on.split('-');
    fields[`shapedBy-${ii}-group`] = i.group;
    fields[`shapedBy-${ii}-how`] = i.how;
    fields[`shapedBy-${ii}-on[day]`] = day;
    fields[`shapedBy-${ii}-on[month]`] = month;
    fields[`shapedBy-${ii}-on[year]`] = year;
  });
  return fields;
}

const errorLinks = (html: string) => [...html.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]);

async function auditRows(action: string, outcome: string) {
  return t.database.db
    .selectFrom('audit_event')
    .select(['actor_role', 'resource_type', 'resource_id', 'purpose'])
    .where('action', '=', action)
    .where('outcome', '=', outcome)
    .execute();
}

describe('the example framework for people with long-term conditions', () => {
  it('is present with its I statements mapped to Talking Points domains and library indicators', async () => {
    const framework = await current('long-term-conditions');
    expect(framework.current).toBe(true);
    expect(framework.outcomesFrameworkKey).toBe('talking-points');
    const statements = framework.outcomes.flatMap((o) => o.iStatements);
    expect(statements.length).toBe(
      LONG_TERM_CONDITIONS_FRAMEWORK.outcomes.flatMap((o) => o.iStatements).length,
    );
    const plan = statements.find((s) =>
      s.text.startsWith('I can plan my care with people who work together'),
    );
    expect(plan?.domains).toEqual([
      { code: 'having-a-say', name: 'Having a say' },
      { code: 'listened-to', name: 'Being listened to' },
    ]);
    // Every domain resolved to its Talking Points name, and every indicator found in the library.
    for (const s of statements) {
      expect(s.domains.length).toBeGreaterThan(0);
      for (const d of s.domains) expect(d.name).not.toBe(d.code);
      for (const i of s.indicators) expect(i.inLibrary, i.key).toBe(true);
    }
    expect(framework.shapedBy.map((s) => s.group)).toEqual([
      'people-who-use-services',
      'carers',
      'providers',
      'staff',
      'commissioners',
    ]);
    const page = await get(`/commissioning/frameworks/${framework.frameworkId}`, 'commissioner');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('I am as well as I can be.');
    expect(page.body).toContain('Staying as well as you can');
    expect(page.body).toContain('Carers');
    expect(duplicateIds(page.body)).toEqual([]);
  });
});

describe('publishing a new version', () => {
  it('makes a new current version from the form; the earlier one stays readable', async () => {
    const before = await current('long-term-conditions');
    const formPage = await get(`/commissioning/frameworks/${before.frameworkId}/new-version`, 'commissioner');
    expect(formPage.statusCode).toBe(200);
    expect(duplicateIds(formPage.body)).toEqual([]);
    const fields = formFieldsFor(before);
    fields['outcomes-0-statements-0-text'] = 'I can do the things that matter to me, where I choose.';
    fields['outcomes-0-statements-0-indicators'] = ['person-rated-achieved'];
    fields.changeSummary = 'Reworded after the carers’ forum.';
    fields['shapedBy-count'] = String(before.shapedBy.length + 1);
    const n = before.shapedBy.length;
    Object.assign(fields, {
      [`shapedBy-${n}-group`]: 'carers',
      [`shapedBy-${n}-how`]: 'The carers’ forum asked for choice of place.',
      [`shapedBy-${n}-on[day]`]: '2',
      [`shapedBy-${n}-on[month]`]: '6',
      [`shapedBy-${n}-on[year]`]: '2026',
      next: 'publish',
    });
    const url = `/commissioning/frameworks/${before.frameworkId}/new-version`;
    const posted = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: url,
      action: url,
      fields,
    });
    expect(posted.statusCode, posted.body.slice(0, 2000)).toBe(303);
    const location = String(posted.headers.location);
    const shown = await get(location, 'commissioner');
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Published version 2');

    const after = await current('long-term-conditions');
    expect(after.version).toBe(2);
    expect(after.frameworkId).not.toBe(before.frameworkId);
    expect(after.outcomes[0]?.iStatements[0]).toMatchObject({
      // The I statement keeps its code, so figures about it can be followed across versions.
      code: before.outcomes[0]?.iStatements[0]?.code,
      text: 'I can do the things that matter to me, where I choose.',
    });
    expect(after.shapedBy.at(-1)).toMatchObject({ group: 'carers', on: '2026-06-02' });
    expect(after.publishedBy.name).toBe('Helen Okonkwo');
    expect(after.versions.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);

    const old = await get(`/api/commissioning/frameworks/${before.frameworkId}`, 'analyst');
    expect(old.json()).toMatchObject({ version: 1, current: false });
    expect(old.json().outcomes[0].iStatements[0].text).toBe('I can do the things that matter to me.');
    const oldPage = await get(`/commissioning/frameworks/${before.frameworkId}`, 'analyst');
    expect(oldPage.body).toContain('This is an earlier version');

    const audited = await auditRows('publish-commissioning-framework', 'success');
    expect(audited.map((a) => a.resource_id)).toContain(after.frameworkId);

    // Publishing from the old version again is out of date: 409, nothing published.
    const stale = await t.app.inject({
      method: 'POST',
      url: '/api/commissioning/frameworks',
      headers: as('commissioner'),
      payload: {
        key: before.key,
        basedOnVersion: 1,
        name: before.name,
        description: before.description,
        outcomesFrameworkKey: 'talking-points',
        changeSummary: 'Late',
        outcomes: [
          {
            statement: 'Anything',
            iStatements: [{ text: 'I feel safe.', domainCodes: ['feeling-safe'], indicatorKeys: [] }],
          },
        ],
        shapedBy: [{ group: 'staff', how: 'A meeting', on: '2026-01-05' }],
      },
    });
    expect(stale.statusCode).toBe(409);
    expect((await current('long-term-conditions')).version).toBe(2);
  });

  it('adds a blank I statement or involvement without saving, so the form works without script', async () => {
    const fields: FormFields = {
      basedOnVersion: '',
      key: 'frailty',
      name: 'Ageing well',
      outcomesFrameworkKey: 'talking-points',
      'outcomes-count': '1',
      'outcomes-0-statement': 'Older people live well at home.',
      'outcomes-0-statements-count': '1',
      'outcomes-0-statements-0-text': 'I can stay in my own home.',
      'shapedBy-count': '1',
      next: 'add-statement-0',
    };
    const url = '/commissioning/frameworks/new';
    const page = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: url,
      action: url,
      fields,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="outcomes-0-statements-1-text"');
    expect(page.body).toContain('I can stay in my own home.');
    expect(duplicateIds(page.body)).toEqual([]);
    const list = await get('/api/commissioning/frameworks', 'commissioner');
    expect(list.json().map((f: { key: string }) => f.key)).not.toContain('frailty');
  });
});

describe('validation', () => {
  it('names each field at fault in the error summary, linking to the field', async () => {
    const url = '/commissioning/frameworks/new';
    const page = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: url,
      action: url,
      fields: {
        basedOnVersion: '',
        key: 'Not A Key',
        name: 'Ageing well',
        outcomesFrameworkKey: 'talking-points',
        'outcomes-count': '1',
        'outcomes-0-statement': 'Older people live well at home.',
        'outcomes-0-statements-count': '1',
        'outcomes-0-statements-0-text': 'I can stay in my own home.',
        'outcomes-0-statements-0-indicators': ['current-plan'],
        'shapedBy-count': '1',
        'shapedBy-0-group': 'carers',
        'shapedBy-0-how': 'A workshop',
        'shapedBy-0-on[day]': '31',
        'shapedBy-0-on[month]': '2',
        'shapedBy-0-on[year]': '2026',
        next: 'publish',
      },
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('There is a problem');
    const links = errorLinks(page.body);
    expect(links).toContain('key');
    expect(links).toContain('shapedBy-0-on-day');
    // Every link lands on a field the page has.
    for (const id of links) expect(page.body, id).toContain(`id="${id}"`);
    // What was typed comes back.
    expect(page.body).toContain('I can stay in my own home.');

    // With the shape right, the domain's rules: an I statement with no domain, a date to come.
    const second = await submitForm(t.app, {
      session: session.commissioner,
      pageUrl: url,
      action: url,
      fields: {
        basedOnVersion: '',
        key: 'ageing-well',
        name: 'Ageing well',
        outcomesFrameworkKey: 'talking-points',
        'outcomes-count': '1',
        'outcomes-0-statement': 'Older people live well at home.',
        'outcomes-0-statements-count': '1',
        'outcomes-0-statements-0-text': 'I can stay in my own home.',
        'shapedBy-count': '1',
        'shapedBy-0-group': 'carers',
        'shapedBy-0-how': 'A workshop',
        'shapedBy-0-on[day]': '1',
        'shapedBy-0-on[month]': '1',
        'shapedBy-0-on[year]': '2999',
        next: 'publish',
      },
    });
    expect(second.statusCode).toBe(400);
    const secondLinks = errorLinks(second.body);
    expect(secondLinks).toEqual(
      expect.arrayContaining(['outcomes-0-statements-0-domains', 'shapedBy-0-on-day']),
    );
    expect(second.body).toContain('choose at least one personal outcome domain');
    for (const id of secondLinks) expect(second.body, id).toContain(`id="${id}"`);
  });

  it('the API names unknown domains and indicators by their path (422)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/commissioning/frameworks',
      headers: as('commissioner'),
      payload: {
        key: 'mental-health',
        basedOnVersion: null,
        name: 'Mental health recovery',
        description: '',
        outcomesFrameworkKey: 'talking-points',
        changeSummary: '',
        outcomes: [
          {
            statement: 'People recover',
            iStatements: [
              { text: 'I feel hopeful.', domainCodes: ['hope'], indicatorKeys: ['no-such-indicator'] },
            ],
          },
        ],
        shapedBy: [],
      },
    });
    expect(response.statusCode).toBe(422);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'outcomes.0.iStatements.0.domainCodes',
        'outcomes.0.iStatements.0.indicatorKeys',
        'shapedBy',
      ]),
    );
  });
});

describe('access', () => {
  it('refuses a practitioner (403), and the refusal is audited', async () => {
    for (const url of ['/commissioning/frameworks', '/api/commissioning/frameworks']) {
      const response = await get(url, 'practitioner');
      expect(response.statusCode, url).toBe(403);
    }
    const refused = await auditRows('open-commissioning-route', 'denied');
    expect(refused.map((r) => r.resource_id)).toEqual(
      expect.arrayContaining(['GET /commissioning/frameworks', 'GET /api/commissioning/frameworks']),
    );
    expect(refused.every((r) => r.actor_role === 'practitioner')).toBe(true);
  });

  it('lets analysts read but not publish; team managers neither', async () => {
    expect((await get('/commissioning/frameworks', 'analyst')).statusCode).toBe(200);
    expect((await get('/commissioning/frameworks/new', 'analyst')).statusCode).toBe(403);
    expect((await get('/commissioning/frameworks', 'manager')).statusCode).toBe(403);
    const list = await get('/commissioning/frameworks', 'analyst');
    expect(list.body).not.toContain('Make a commissioning framework');
    const mine = await get('/commissioning/frameworks', 'commissioner');
    expect(mine.body).toContain('Make a commissioning framework');
  });

  it('the service refuses and audits a caller without the role, whatever the route', async () => {
    const analyst = await t.services.auth.actorForSession(
      decodeURIComponent(/wm_session=([^;]+)/.exec(session.analyst as string)?.[1] ?? ''),
      null,
    );
    expect(analyst).not.toBeNull();
    await expect(
      t.services.commissioning.publish(analyst as NonNullable<typeof analyst>, {} as never),
    ).rejects.toMatchObject({ status: 403 });
    const refused = await auditRows('publish-commissioning-framework', 'denied');
    expect(refused.length).toBe(1);
  });
});
