import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * A team manager's caseload: they filter it by worker, by review and by measures overdue, and give
 * someone a different named worker from the team, each page checked with axe (WCAG 2.2 AA) and for
 * ids used twice.
 */
describeInBrowser("a team manager's caseload", { demoPeople: 40 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  it('filters by worker and by review, and reallocates a person to another worker', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(`${app.base}/caseload`);
      await expect(h1(page)).resolves.toBe('North Locality Social Work Team: caseload');
      await expect(page.getByRole('table', { name: 'Caseloads by named worker' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      // The counts per worker link to that worker's caseload.
      const counts = page.getByRole('table', { name: 'Caseloads by named worker' });
      const row = counts.getByRole('row').filter({ has: page.getByRole('link', { name: 'Priya Shah' }) });
      const count = Number((await row.locator('td').nth(1).textContent())?.trim());
      await page.getByLabel('Named worker').selectOption({ label: 'Priya Shah' });
      await page.getByRole('button', { name: 'Search' }).click();
      expect(new URL(page.url()).searchParams.get('worker')).toBeTruthy();
      await expect(
        page
          .locator('caption')
          .filter({ hasText: /people|person/ })
          .textContent(),
      ).resolves.toContain(`${count} `);
      await expectNoAxeViolations(page);

      await page.getByLabel('Next review').selectOption({ label: 'Overdue' });
      await page.getByRole('button', { name: 'Search' }).click();
      expect(new URL(page.url()).searchParams.get('review')).toBe('overdue');
      await expectNoAxeViolations(page);

      // Only those with a standard measure overdue, kept in the address; every row says so.
      await page.getByLabel('Measures overdue').check();
      await page.getByRole('button', { name: 'Search' }).click();
      expect(new URL(page.url()).searchParams.get('measureOverdue')).toBe('on');
      await expect(page.getByLabel('Measures overdue').isChecked()).resolves.toBe(true);
      for (const row of await page.locator('table.nhsuk-table-responsive tbody tr').all()) {
        await expect(row.textContent()).resolves.toMatch(/(Measure|\d+ measures) overdue/);
      }
      await expectNoAxeViolations(page);
      await page.getByLabel('Measures overdue').uncheck();

      // Back to everyone of Priya's, and give the first of them to someone else in the team.
      await page.getByLabel('Next review').selectOption({ label: 'Any' });
      await page.getByRole('button', { name: 'Search' }).click();
      const first = page
        .locator('table.nhsuk-table-responsive tbody tr')
        .filter({ hasText: 'Priya Shah' })
        .first();
      const name = (await first.locator('td').first().locator('a').textContent())?.trim() ?? '';
      await first.getByRole('link', { name: /Change worker/ }).click();
      await expect(h1(page)).resolves.toBe(`Change ${name}’s named worker`);
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Change named worker' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain('Choose who');
      await expectNoAxeViolations(page);

      await page.getByRole('radio', { name: 'Emma Clarke' }).check();
      await page.getByRole('button', { name: 'Change named worker' }).click();
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'is now Emma Clarke',
      );
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Back to the team’s caseload' }).first().click();
      await page.getByLabel('Search by name or NHS number').fill(name);
      await page.getByRole('button', { name: 'Search' }).click();
      await expect(
        page.locator('table.nhsuk-table-responsive tbody tr').first().textContent(),
      ).resolves.toContain('Emma Clarke');
      await expectNoAxeViolations(page);
    });
  });
});
