import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { signIn } from '../support/test-app.js';

describeInBrowser('the audit trail in a browser', { demoPeople: 10 }, (app) => {
  beforeAll(async () => {
    // Someone from the care team looks at person@demo's record, and someone outside it tries to.
    const server = app.t.app;
    const person = await signIn(server, 'person@demo');
    const { personId } = (await server.inject({ url: '/api/session', headers: { cookie: person } })).json();
    for (const username of ['practitioner@demo', 'commissioner@demo']) {
      const cookie = await signIn(server, username);
      await server.inject({ url: `/api/people/${personId}`, headers: { cookie } });
    }
  });

  it('the person opens "Who has looked at my record" from their record', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.goto(`${app.base}/my`);
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
    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.getByRole('link', { name: 'Audit log' }).first().click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Search the audit log',
      );
      await expectNoAxeViolations(page);

      await page.getByLabel('Username of who did it').fill('practitioner@demo');
      await page.getByRole('button', { name: 'Search' }).click();
      await expect(page.getByRole('table').textContent()).resolves.toContain('Looked at the person’s record');
      await expectNoAxeViolations(page);

      await page.getByLabel('NHS number', { exact: true }).fill('12345');
      await page.getByRole('button', { name: 'Search' }).click();
      const summary = page.locator('.nhsuk-error-summary');
      await expect(summary.textContent()).resolves.toContain('Enter a 10-digit NHS number');
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expectNoAxeViolations(page);
    });
  });
});
