import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateIds } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Each questionnaire's page, for staff (GET /questionnaires/{id or instrument key}): what it
 * measures, whose words and on what licence, how it is scored (bands, reliable change) and its form
 * as a preview that cannot be filled in; the catalogue of measures links its instruments there, and
 * the administration home lists the questionnaire library.
 */
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/questionnaires/${name}.json`, import.meta.url), 'utf8'));

let t: TestApp;
const cookies: Record<string, string> = {};
const STAFF = ['practitioner', 'manager', 'commissioner', 'analyst', 'admin'];

const get = (url: string, who: string) => t.app.inject({ url, headers: { cookie: cookies[who] as string } });

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 2 });
  for (const who of [...STAFF, 'person', 'carer']) cookies[who] = await signIn(t.app, `${who}@demo`);
});
afterAll(() => t?.close());

describe('a built-in instrument’s page', () => {
  it('says what the PHQ-9 measures, whose words they are, its bands and its reliable change', async () => {
    const page = await get('/questionnaires/phq9', 'practitioner');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('<h1>Patient Health Questionnaire');
    expect(page.body).toContain('The wording ships with WhatMatters');
    expect(page.body).toContain('Pfizer Inc.');
    expect(page.body).toContain('https://www.phqscreeners.com');
    expect(page.body).toContain('Moderately severe');
    expect(page.body).toMatch(/A fall of 6 points or more in the total/);
    expect(page.body).toMatch(/caseness means a total of 10 or more/);
    expect(page.body).toContain('Recorded but not scored: the difficulty item');
    expect(duplicateIds(page.body)).toEqual([]);
  });

  it('shows the form as a preview that cannot be filled in or sent', async () => {
    const page = await get('/questionnaires/phq9', 'practitioner');
    expect(page.body).toMatch(/<fieldset class="nhsuk-fieldset" disabled>/);
    expect(page.body).toContain('type="radio"');
    // No form posts anywhere from the preview: the only form on the page is the header's sign-out.
    const forms = page.body.match(/<form[^>]*action="[^"]*"/g) ?? [];
    for (const f of forms) expect(f).not.toContain('/questionnaires/');
  });

  it('says when the wording is not ours to ship: SWEMWBS, with its meaningful change', async () => {
    const page = await get('/questionnaires/swemwbs', 'analyst');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('does not let us publish the wording');
    expect(page.body).toContain('University of Warwick');
    expect(page.body).toMatch(/A rise of 2\.87 points or more in the metric score/);
    expect(page.body).toContain('no recovery on it');
  });

  it('is the same page by the library’s id as by the instrument’s key', async () => {
    const library = (await get('/api/questionnaires', 'practitioner')).json();
    const gad7 = library.find((q: { instrumentKey: string | null }) => q.instrumentKey === 'gad7');
    const byId = await get(`/questionnaires/${gad7.questionnaireId}`, 'commissioner');
    const byKey = await get('/questionnaires/gad7', 'commissioner');
    expect(byId.statusCode).toBe(200);
    expect(byId.body).toContain('Severe');
    const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    expect(main(byId.body)).toBe(main(byKey.body));
  });
});

describe('an imported questionnaire’s page', () => {
  it('shows it as imported, how it is scored and what it does not support', async () => {
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/questionnaires',
      headers: { cookie: cookies.admin as string },
      payload: fixture('wellbeing-check'),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const page = await get(`/questionnaires/${imported.json().questionnaireId}`, 'manager');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('<h1>Wellbeing check');
    expect(page.body).toContain('Imported from elsewhere');
    expect(page.body).toContain('<h2>What it does not support</h2>');
    expect(duplicateIds(page.body)).toEqual([]);
  });
});

describe('who may read it', () => {
  it('is for staff; an administrator also gets the link to manage it', async () => {
    for (const who of STAFF) {
      const page = await get('/questionnaires/ons4', who);
      expect(page.statusCode, who).toBe(200);
      expect(page.body.includes('Manage this questionnaire'), who).toBe(who === 'admin');
    }
  });

  it('is refused to people using services and carers', async () => {
    for (const who of ['person', 'carer']) {
      expect((await get('/questionnaires/phq9', who)).statusCode, who).toBe(403);
    }
  });

  it('answers 404 for a questionnaire that does not exist, or an address that is neither id nor key', async () => {
    expect((await get(`/questionnaires/${crypto.randomUUID()}`, 'practitioner')).statusCode).toBe(404);
    expect((await get('/questionnaires/beck', 'practitioner')).statusCode).toBe(404);
  });
});

describe('links to it', () => {
  it('from the catalogue of measures: each built-in instrument’s entry', async () => {
    const entries = (await get('/api/catalogue', 'practitioner')).json();
    const phq9 = entries.find(
      (e: { link: { kind: string; key: string } | null }) =>
        e.link?.kind === 'instrument' && e.link.key === 'phq9',
    );
    expect(phq9.link.href).toBe('/questionnaires/phq9');
    const page = await get(`/catalogue/${phq9.entryId}`, 'practitioner');
    expect(page.body).toContain('href="/questionnaires/phq9"');
    // Someone who may not open the page is not offered the link.
    const asPerson = await get(`/catalogue/${phq9.entryId}`, 'person');
    if (asPerson.statusCode === 200) expect(asPerson.body).not.toContain('href="/questionnaires/phq9"');
  });

  it('the administration home and the home page list the questionnaire library', async () => {
    expect((await get('/admin', 'admin')).body).toContain('href="/admin/questionnaires"');
    expect((await get('/', 'admin')).body).toContain('href="/admin/questionnaires"');
  });
});
