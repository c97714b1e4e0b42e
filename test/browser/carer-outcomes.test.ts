import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * A carer records their own outcomes, about themselves as a carer: from their home page they agree
 * to a record of their own, add what matters to them with the carers' framework, and rate it, each
 * page checked with axe (WCAG 2.2 AA) and for ids used twice.
 */
describeInBrowser('a carer recording their own outcomes', { demoPeople: 10 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  it('starts a record with their agreement, adds what matters to them as a carer, and rates it', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'carer@demo');
      await page.goto(`${app.base}/my`);
      await expect(h1(page)).resolves.toBe('People you care for');
      await expect(page.getByRole('heading', { name: 'Your own outcomes as a carer' }).count()).resolves.toBe(
        1,
      );
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Start recording what matters to you' }).click();
      await expect(h1(page)).resolves.toBe('Record what matters to you as a carer');
      await expectNoAxeViolations(page);

      // Without agreeing, nothing is started.
      await page.getByRole('button', { name: 'Start my record' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain('Tick the box');
      await expectNoAxeViolations(page);
      await page.locator('.nhsuk-error-summary a').first().click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe(
        'consent',
      );

      await page.getByLabel('First name').fill('Carol');
      await page.getByLabel('Last name').fill('Bennett');
      await page.getByRole('checkbox', { name: /keep this record of what matters to me as a carer/ }).check();
      await page.getByRole('button', { name: 'Start my record' }).click();
      await expect(h1(page)).resolves.toBe('Add something that matters to me');
      await expect(page.getByText('Managing your caring role').count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      await page.getByLabel('What matters to you as a carer?').fill('I want to keep singing with my choir');
      await page.getByRole('checkbox').first().check();
      await page.getByRole('radio', { name: 'A little' }).check();
      await page.getByRole('button', { name: 'Add it' }).click();
      expect(new URL(page.url()).pathname).toBe('/my');
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        '“I want to keep singing with my choir” was added to what matters to you as a carer',
      );
      // The people they care for are still there, beside their own outcomes.
      await expect(page.locator('.nhsuk-card').count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      // Each outcome has a page of its own, where it is rated.
      await page.getByRole('link', { name: '“I want to keep singing with my choir”' }).click();
      expect(new URL(page.url()).pathname).toMatch(/^\/my\/outcomes\/[0-9a-f-]{36}$/);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Rate how it is going' }).click();
      await expect(h1(page)).resolves.toBe('How is this going?');
      await expectNoAxeViolations(page);
      await page.getByRole('radio', { name: 'Mostly' }).check();
      await page.getByRole('button', { name: 'Save my rating' }).click();
      expect(new URL(page.url()).pathname).toMatch(/^\/my\/outcomes\/[0-9a-f-]{36}$/);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Your rating was saved',
      );
      await expect(page.getByText('You last rated this Mostly').count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Back to my record' }).click();
      expect(new URL(page.url()).pathname).toBe('/my');
    });
  });
});
