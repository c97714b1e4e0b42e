import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * Issue 10, acceptance: a commissioner opens a contract, sees an indicator's SPC chart and funnel
 * plot, drills into the statements behind a value and downloads CSV; a team manager sees their
 * team's dashboard; an analyst compares two groups. Every page is checked with axe (WCAG 2.2 AA)
 * and for ids used twice, and each journey starts from the role's home page.
 */
describeInBrowser('dashboards, contracts and the statements behind a figure', { demoPeople: 60 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  it('a commissioner opens a contract, sees SPC and a funnel plot, drills into statements and downloads CSV', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'commissioner@demo');
      await page.getByRole('link', { name: 'Commissioner dashboard' }).click();
      await expect(h1(page)).resolves.toBe('Commissioner dashboard');
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/contracts`);
      await page
        .getByRole('link', {
          name: 'Community nursing and frailty support for people with long-term conditions',
        })
        .click();
      await expect(page.getByRole('heading', { name: 'How the contract is doing' }).count()).resolves.toBe(1);
      const spc = page.locator('figure.wm-chart').filter({ hasText: 'month by month' }).first();
      await expect(spc.getByRole('img').count()).resolves.toBeGreaterThan(0);
      await expect(spc.locator('.wm-mdc-icons').count()).resolves.toBe(1);
      const funnel = page.locator('figure.wm-chart').filter({ hasText: 'funnel plot' }).first();
      await expect(funnel.getByRole('img').count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      // The funnel plot's data as CSV: the same providers its table lists.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        funnel.getByRole('link', { name: /Download CSV/ }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const csv = await fs.readFile((await download.path()) as string, 'utf8');
      const firstProvider =
        (await funnel.locator('tbody tr').first().locator('th, td').first().textContent())?.trim() ?? '';
      expect(firstProvider).not.toBe('');
      expect(csv).toContain(firstProvider.replace(/^Provider\s*/, ''));

      await page.getByRole('link', { name: /What people said behind outcomes the person rates/ }).click();
      await expect(
        page.getByRole('group', { name: 'Why are you reading these statements?' }).count(),
      ).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Show what people said' }).click();
      await expect(page.locator('.nhsuk-error-message').textContent()).resolves.toContain('Choose why');
      await expectNoAxeViolations(page);
      await page.getByRole('radio', { name: 'Commissioning or contract monitoring' }).check();
      await page.getByRole('button', { name: 'Show what people said' }).click();
      await expect(page.getByRole('heading', { name: 'A few representative quotes' }).count()).resolves.toBe(
        1,
      );
      await expect(page.locator('a[href^="/people/"]').count()).resolves.toBe(0);
      await expectNoAxeViolations(page);

      // The indicator's own page: its values, SPC over time and the funnel plot.
      await page.goto(`${app.base}/indicators/person-rated-achieved`);
      await expect(page.locator('figure.wm-chart').count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      // The library, a table per subject: community support's indicators under their own heading.
      await page.goto(`${app.base}/indicators`);
      await page.getByRole('link', { name: 'Community support' }).first().click();
      expect(new URL(page.url()).hash).toBe('#indicators-community');
      await expect(page.getByRole('heading', { name: 'Community support', level: 2 }).count()).resolves.toBe(
        1,
      );
      await expectNoAxeViolations(page);
    });
  });

  it('a team manager goes from home to their team’s dashboard', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.getByRole('link', { name: 'Your team’s dashboard' }).click();
      await expect(h1(page)).resolves.toBe('North Locality Social Work Team: dashboard');
      await expect(
        page.getByRole('table', { name: 'Reviews due and overdue: the data' }).count(),
      ).resolves.toBe(1);
      await expect(page.locator('figure.wm-chart').count()).resolves.toBeGreaterThanOrEqual(6);
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/dashboards/provider`);
      await expectNoAxeViolations(page);

      // From a figure to what people said: a manager sees links to the records their team may open.
      await page.goto(`${app.base}/dashboards/team`);
      const href = await page
        .locator('a[href*="/indicators/what-matters/statements"]')
        .first()
        .getAttribute('href');
      expect(href).toBeTruthy();
      await page.goto(`${app.base}${href}`);
      await page.getByRole('radio', { name: 'Reviewing how the service is doing' }).check();
      await page.getByRole('button', { name: 'Show what people said' }).click();
      await expect(
        page.getByRole('heading', { name: 'What matters to people', exact: true }).count(),
      ).resolves.toBe(1);
      await expect(page.locator('a[href^="/people/"]').count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);
    });
  });

  it('an analyst breaks an indicator down and compares two groups with confidence intervals', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'analyst@demo');
      await page.getByRole('link', { name: 'Analyst dashboard' }).click();
      await expect(h1(page)).resolves.toBe('Analyst dashboard');
      await expectNoAxeViolations(page);

      await page.getByLabel('Broken down by').selectOption({ label: 'Sex' });
      await page.getByRole('button', { name: 'Show' }).click();
      await expect(page.getByRole('table', { name: /by sex: the data/ }).count()).resolves.toBe(1);
      await page.getByLabel('First group').selectOption({ label: 'Female' });
      await page.getByLabel('Second group').selectOption({ label: 'Male' });
      await page.getByRole('button', { name: 'Compare' }).click();
      const comparison = page.getByRole('table', { name: 'Female compared with Male' });
      await expect(comparison.count()).resolves.toBe(1);
      await expect(comparison.textContent()).resolves.toMatch(/\d+\.\d% to \d+\.\d%/);
      await expect(page.locator('main').textContent()).resolves.toMatch(/Difference \(Female minus Male\)/);
      await expectNoAxeViolations(page);
    });
  });
});
