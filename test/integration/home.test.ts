import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateIds } from '../support/forms.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * Issue 9, "say only what is true": the home page offers each role the pages that exist for it,
 * linked straight, and promises nothing that is not built.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoPeople: 3 });
});
afterAll(() => t?.close());

const home = async (username?: string) => {
  const cookie = username ? await signIn(t.app, username) : undefined;
  const page = await t.app.inject({ url: '/', headers: cookie ? { cookie } : {} });
  expect(page.statusCode).toBe(200);
  expect(duplicateIds(page.body)).toEqual([]);
  return page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
};
/** What is promised but not built: figures opened to stories, dashboards, contracts, provider comparison. */
const PROMISES = /stories behind|dashboard|contracts with|compare providers|what drives outcomes/i;

describe('the home page', () => {
  it('signed out, it describes what exists and promises nothing that does not', async () => {
    const main = await home();
    expect(main).not.toMatch(PROMISES);
    expect(main).not.toContain('Commissioners');
  });

  const expected: Record<string, string[]> = {
    'person@demo': ['/my'],
    'carer@demo': ['/my'],
    'practitioner@demo': ['/caseload', '/people/new', '/break-glass'],
    'manager@demo': [
      '/dashboards/team',
      '/caseload',
      '/people/new',
      '/dashboards/provider',
      '/records-needing-a-team',
      '/break-glass/report',
      '/audit',
    ],
    'admin@demo': [
      '/admin/users',
      '/admin/organisations',
      '/frameworks',
      '/admin/erasure-requests',
      '/audit',
      '/records-needing-a-team',
    ],
    'commissioner@demo': ['/dashboards/commissioner', '/organisations', '/frameworks'],
    'analyst@demo': ['/dashboards/analyst', '/organisations', '/frameworks'],
  };
  for (const [username, hrefs] of Object.entries(expected)) {
    it(`${username}: links straight to the pages of the role, each of which opens`, async () => {
      const main = await home(username);
      // Dashboards exist now (issue 10): roles that have one are offered it, and nothing else unbuilt.
      expect(main.replace(/dashboard/gi, '')).not.toMatch(PROMISES);
      const cookie = await signIn(t.app, username);
      for (const href of hrefs) {
        expect(main, href).toContain(`href="${href}"`);
        const opened = await t.app.inject({ url: href, headers: { cookie } });
        expect(opened.statusCode, href).toBe(200);
      }
    });
  }

  it('leads managers, commissioners and analysts straight to their dashboard first', async () => {
    for (const [username, href] of [
      ['manager@demo', '/dashboards/team'],
      ['commissioner@demo', '/dashboards/commissioner'],
      ['analyst@demo', '/dashboards/analyst'],
    ] as const) {
      const main = await home(username);
      expect(main.match(/href="(\/[^"]*)"/)?.[1], username).toBe(href);
      expect(main).not.toContain('not part of WhatMatters yet');
    }
  });
});
