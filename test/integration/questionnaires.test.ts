import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUMENTS } from '../../src/domain/measures/instruments/index.js';
import { fieldIdFor } from '../../src/domain/measures/questionnaire/form.js';
import { submitForm } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/questionnaires/${name}.json`, import.meta.url), 'utf8'));

let t: TestApp;
let admin: string;
let practitioner: string;
beforeAll(async () => {
  t = await createTestApp({ demoPeople: 2 });
  admin = await signIn(t.app, 'admin@demo');
  practitioner = await signIn(t.app, 'practitioner@demo');
});
afterAll(() => t?.close());

const importJson = (cookie: string, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/questionnaires',
    headers: { cookie },
    payload: payload as object,
  });

const audited = (action: string) =>
  t.database.db
    .selectFrom('audit_event')
    .select(['action', 'outcome', 'resource_id', 'purpose'])
    .where('action', '=', action)
    .orderBy('audit_id')
    .execute();

describe('the questionnaire library', () => {
  it('holds the built-in instruments from the start, readable by everyone signed in', async () => {
    const response = await t.app.inject({ url: '/api/questionnaires', headers: { cookie: practitioner } });
    expect(response.statusCode).toBe(200);
    const builtIns = response.json().filter((q: { builtIn: boolean }) => q.builtIn);
    expect(builtIns.map((q: { instrumentKey: string }) => q.instrumentKey).sort()).toEqual(
      Object.keys(INSTRUMENTS).sort(),
    );
    const phq9 = builtIns.find((q: { instrumentKey: string }) => q.instrumentKey === 'phq9');
    expect(phq9.scoring).toEqual({ kind: 'instrument', instrumentKey: 'phq9' });
    const fhir = await t.app.inject({
      url: `/api/questionnaires/${phq9.questionnaireId}`,
      headers: { cookie: practitioner },
    });
    expect(fhir.json()).toMatchObject({
      resourceType: 'Questionnaire',
      id: phq9.questionnaireId,
      url: INSTRUMENTS.phq9.questionnaire.url,
    });
  });

  it('shows every built-in to an admin as a form a person can be given', async () => {
    const list = (await t.app.inject({ url: '/api/questionnaires', headers: { cookie: admin } })).json();
    for (const q of list.filter((entry: { builtIn: boolean }) => entry.builtIn)) {
      const page = await t.app.inject({
        url: `/admin/questionnaires/${q.questionnaireId}`,
        headers: { cookie: admin },
      });
      expect(page.statusCode, q.title).toBe(200);
      const instrument = INSTRUMENTS[q.instrumentKey as keyof typeof INSTRUMENTS];
      const firstChoice = instrument.questionnaire.item
        ?.flatMap((i) => [i, ...(i.item ?? [])])
        .find((i) => i.type === 'choice' || i.type === 'integer');
      expect(page.body, q.title).toContain(`name="${fieldIdFor(firstChoice?.linkId ?? '')}"`);
    }
  });

  it('starting again adds no second copy of a built-in', async () => {
    await t.services.questionnaires.ensureBuiltIns();
    const rows = await t.database.db
      .selectFrom('questionnaire')
      .select('url')
      .where('instrument_key', '=', 'gad7')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('imports the LOINC PHQ-9 for an admin, scored by its own expression, and audits it', async () => {
    const response = await importJson(admin, fixture('loinc-phq9'));
    expect(response.statusCode).toBe(201);
    const imported = response.json();
    expect(imported).toMatchObject({
      version: 1,
      url: 'http://loinc.org/q/44249-1',
      instrumentKey: null,
      builtIn: false,
      scoring: { kind: 'calculated' },
      unsupported: [],
    });
    expect(await audited('import-questionnaire')).toContainEqual({
      action: 'import-questionnaire',
      outcome: 'success',
      resource_id: imported.questionnaireId,
      purpose: null,
    });
    const again = await importJson(admin, fixture('loinc-phq9'));
    expect(again.json().version).toBe(2);
    const library = await t.services.questionnaires.currentFor('http://loinc.org/q/44249-1');
    expect(library.version).toBe(2);
  });

  it('lists what a questionnaire does not support, with the path of each', async () => {
    const response = await importJson(admin, fixture('wellbeing-check'));
    expect(response.statusCode).toBe(201);
    expect(response.json().unsupported).toEqual([
      expect.objectContaining({ path: 'item[1].item[4]', feature: 'item type attachment' }),
    ]);
  });

  it('refuses a questionnaire with problems: 422 naming each path', async () => {
    const bad = fixture('wellbeing-check');
    bad.item[3].item[1].enableWhen[0].question = 'nowhere';
    bad.item[2].item[3].extension[0].valueExpression.expression = '%moodSum +';
    const response = await importJson(admin, bad);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors).toEqual([
      {
        field: 'item[2].item[3].extension(calculatedExpression)',
        message: expect.stringContaining('does not parse'),
      },
      { field: 'item[3].item[1].enableWhen[0].question', message: expect.stringContaining('"nowhere"') },
    ]);
    expect((await audited('import-questionnaire')).at(-1)).toMatchObject({
      outcome: 'failure',
      purpose: 'not importable',
    });
    const notQuestionnaire = await importJson(admin, { resourceType: 'Patient' });
    expect(notQuestionnaire.statusCode).toBe(422);
    expect(notQuestionnaire.json().errors[0].field).toBe('resourceType');
  });

  it('refuses a practitioner and audits the refusal', async () => {
    const response = await importJson(practitioner, fixture('loinc-phq9'));
    expect(response.statusCode).toBe(403);
    expect((await audited('import-questionnaire')).at(-1)).toMatchObject({
      outcome: 'denied',
      purpose: 'not an administrator',
    });
    const page = await t.app.inject({
      url: '/admin/questionnaires/import',
      headers: { cookie: practitioner },
    });
    expect(page.statusCode).toBe(403);
    expect((await audited('open-admin-page')).at(-1)).toMatchObject({
      outcome: 'denied',
      resource_id: 'GET /admin/questionnaires/import',
    });
  });

  it('loads licensed wording for a built-in when the structure matches, and says what differs when not', async () => {
    const licensed = structuredClone(INSTRUMENTS.gad7.questionnaire);
    licensed.title = 'GAD-7 (licensed wording)';
    for (const item of licensed.item ?? [])
      if (item.type === 'choice') item.text = `Licensed: ${item.text ?? ''}`;
    const response = await importJson(admin, licensed);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      instrumentKey: 'gad7',
      builtIn: false,
      version: 2,
      scoring: { kind: 'instrument', instrumentKey: 'gad7' },
    });
    const current = await t.services.questionnaires.currentFor('gad7');
    expect(current.title).toBe('GAD-7 (licensed wording)');

    const different = structuredClone(INSTRUMENTS.gad7.questionnaire);
    const choice = different.item?.find((i) => i.type === 'choice');
    choice?.answerOption?.pop();
    const refused = await importJson(admin, different);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].message).toContain('structure differs');
  });

  it('an admin imports through the pages: check, see what is unsupported, confirm, preview and score, retire', async () => {
    const raw = JSON.stringify(fixture('wellbeing-check'));
    const checked = await submitForm(t.app, {
      session: admin,
      pageUrl: '/admin/questionnaires/import',
      action: '/admin/questionnaires/import',
      fields: { questionnaire: raw },
    });
    expect(checked.statusCode).toBe(200);
    expect(checked.body).toContain('What it does not support');
    expect(checked.body).toContain('item type attachment');
    expect(checked.body).toContain(`id="${fieldIdFor('has-support')}"`);

    const notJson = await submitForm(t.app, {
      session: admin,
      pageUrl: '/admin/questionnaires/import',
      action: '/admin/questionnaires/import',
      fields: { questionnaire: '{ nope' },
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.body).toContain('href="#questionnaire"');
    expect(notJson.body).toContain('This is not JSON');

    const confirmed = await submitForm(t.app, {
      session: admin,
      pageUrl: '/admin/questionnaires/import',
      action: '/admin/questionnaires/import/confirm',
      fields: { questionnaire: raw },
    });
    expect(confirmed.statusCode).toBe(303);
    const detailUrl = String(confirmed.headers.location).split('?')[0] as string;
    const tried = await submitForm(t.app, {
      session: admin,
      pageUrl: detailUrl,
      action: `${detailUrl}/preview`,
      fields: { [fieldIdFor('low')]: '2', [fieldIdFor('worried')]: '1', [fieldIdFor('has-support')]: 'yes' },
    });
    expect(tried.statusCode).toBe(400);
    expect(tried.body).toContain(`href="#${fieldIdFor('support-who')}"`);
    expect(tried.body).toContain('Answer ‘Who do you talk to’');
    const scored = await submitForm(t.app, {
      session: admin,
      pageUrl: detailUrl,
      action: `${detailUrl}/preview`,
      fields: { [fieldIdFor('low')]: '2', [fieldIdFor('worried')]: '1', [fieldIdFor('has-support')]: 'no' },
    });
    expect(scored.statusCode).toBe(200);
    expect(scored.body).toMatch(/Mood score: <strong>3<\/strong>/);

    const retired = await submitForm(t.app, {
      session: admin,
      pageUrl: detailUrl,
      action: `${detailUrl}/retire`,
      fields: {},
    });
    expect(retired.statusCode).toBe(303);
    const list = await t.app.inject({ url: String(retired.headers.location), headers: { cookie: admin } });
    expect(list.body).toContain('is retired');
    const id = detailUrl.split('/').at(-1) as string;
    await expect(
      t.services.questionnaires.currentFor('https://example.org/fhir/Questionnaire/wellbeing-check'),
    ).resolves.toMatchObject({ version: 1 });
    expect((await audited('retire-questionnaire')).at(-1)).toMatchObject({
      resource_id: id,
      outcome: 'success',
    });
  });
});
