import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  expectNoAxeViolations,
  signInThroughPage,
  startBrowserApp,
  withPage,
} from '../support/browser.js';
import { signIn } from '../support/test-app.js';

describe.skipIf(!chromiumPath)('the audit trail in a browser', () => {
  let browser: Browser;
  let base: string;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const started = await startBrowserApp({ demoPeople: 10 });
    ({ browser, base, close } = started);
    // Someone from the care team looks at person@demo's record, and someone outside it tries to.
    const { app } = started.t;
    const person = await signIn(app, 'person@demo');
    const { personId } = (await app.inject({ url: '/api/session', headers: { cookie: person } })).json();
    for (const username of ['practitioner@demo', 'commissioner@demo']) {
      const cookie = await signIn(app, username);
      await app.inject({ url: `/api/people/${personId}`, headers: { cookie } });
    }
  });
  afterAll(() => close?.());

  it('the person opens "Who has looked at my record" from their record', async () => {
    await withPage(browser, async (page) => {
      await signInThroughPage(page, base, 'person@demo');
      await page.goto(`${base}/my`);
      await page.getByRole('link', { name: 'Who has looked at my record' }).click();
      expect(new URL(page.url()).pathname).toBe('/my/access-log');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Who has looked at my record',
      );
      const table = page.getByRole('table');
      await expect(table.textContent()).resolves.toContain('Looked at your record');
      await expect(table.textContent()).resolves.toContain(
        'Tried to look at your record but was not allowed',
      );
      await expectNoAxeViolations(page);

      await page.getByLabel('Include what I did myself').check();
      await page.getByRole('button', { name: 'Show' }).click();
      await expect(page.getByRole('table').textContent()).resolves.toContain('You');
      await expectNoAxeViolations(page);
    });
  });

  it('a team manager searches the audit log; bad filters show in the error summary', async () => {
    await withPage(browser, async (page) => {
      await signInThroughPage(page, base, 'manager@demo');
      await page.getByRole('link', { name: 'Audit log' }).first().click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Search the audit log',
      );
      await expectNoAxeViolations(page);

      await page.getByLabel('Username of who did it').fill('practitioner@demo');
      await page.getByRole('button', { name: 'Search' }).click();
      await expect(page.getByRole('table').textContent()).resolves.toContain('read-person');
      await expectNoAxeViolations(page);

      await page.getByLabel('NHS number or person id').fill('12345');
      await page.getByRole('button', { name: 'Search' }).click();
      const summary = page.locator('.nhsuk-error-summary');
      await expect(summary.textContent()).resolves.toContain('Enter a 10-digit NHS number');
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expectNoAxeViolations(page);
    });
  });
});
