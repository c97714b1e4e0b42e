import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { duplicateIds } from '../support/forms.js';

/**
 * Automatic coding in use, in a browser: a story given on the public form arrives coded; a team
 * manager of the service opens it, sees each code with its confidence and the words behind it,
 * rejects one, adds a sub-theme and sets the sentiment in one save; then opens the models page from
 * the story and retrains the organisation's model, whose new version the page lists. Every page
 * checked with axe and for ids used twice.
 */
describeInBrowser('confirming and correcting codes, and retraining', { demoPeople: 4 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const checkPage = async (page: Page) => {
    await expectNoAxeViolations(page);
    expect(duplicateIds(await page.content())).toEqual([]);
  };

  it('story coded on arrival → codes confirmed and corrected → model retrained', async () => {
    let formLink = '';
    let listUrl = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(`${app.base}/service-feedback`);
      await page.locator('main a[href^="/service-feedback/"]').first().click();
      listUrl = page.url();
      formLink = (await page.locator('main a[href*="/feedback/"]').first().getAttribute('href')) ?? '';
    });

    await app.withPage(async (page) => {
      await page.goto(formLink);
      await page.getByLabel('Poor', { exact: true }).check();
      await page.getByLabel('What was good?').fill('The nurse was kind and caring.');
      await page
        .getByLabel('What could be better?')
        .fill('I pressed the call bell and nobody came for an hour. The car park was full.');
      await page.getByRole('group', { name: 'May we publish your feedback?' }).getByLabel('No').check();
      await page.getByRole('button', { name: 'Send feedback' }).click();
      await expect(h1(page)).resolves.toContain('Thank you for your feedback');
    });

    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(listUrl);
      await page
        .locator('.nhsuk-card')
        .filter({ hasText: 'nobody came for an hour' })
        .first()
        .getByRole('link', { name: /Open this story/ })
        .click();
      await expect(page.getByRole('heading', { name: 'Themes and sentiment' }).count()).resolves.toBe(1);
      const codes = page.locator('table').filter({ hasText: 'Words that suggested it' });
      await expect(codes.textContent()).resolves.toContain('Responsiveness — Call bells and getting help');
      await expect(codes.textContent()).resolves.toMatch(/\d+%/);
      await expect(codes.textContent()).resolves.toContain('Suggested');
      await checkPage(page);

      // One save: reject a code, add a sub-theme, set the sentiment.
      await page.getByRole('checkbox', { name: 'Travel, transport and parking', exact: true }).uncheck();
      await page
        .getByLabel('Add a theme or sub-theme')
        .selectOption({ label: 'Staffing levels — Too few staff' });
      await page.getByLabel('Negative', { exact: true }).check();
      await page.getByRole('button', { name: 'Save codes' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('The codes were saved.');
      const saved = await page.locator('table').filter({ hasText: 'Words that suggested it' }).textContent();
      expect(saved).toContain('Staffing levels — Too few staff');
      expect(saved).toContain('Added by staff');
      expect(saved).toContain('Rejected');
      expect(saved).toContain('Confirmed');
      await expect(page.getByLabel('Negative', { exact: true }).isChecked()).resolves.toBe(true);
      await checkPage(page);

      // A bad save names the field.
      // (A code outside the framework, as a forged form would send.)
      await page.evaluate(`(() => {
        const select = document.querySelector('#add');
        const option = document.createElement('option');
        option.value = 'not-a-theme';
        option.text = 'Not a theme';
        select.append(option);
        select.value = 'not-a-theme';
      })()`);
      await page.getByRole('button', { name: 'Save codes' }).click();
      await expect(page.locator('.nhsuk-error-summary a[href="#add"]').count()).resolves.toBe(1);
      await checkPage(page);

      await page.getByRole('link', { name: 'How stories are coded' }).first().click();
      await expect(h1(page)).resolves.toBe('How stories are coded');
      await expect(page.locator('main').textContent()).resolves.toContain('Starting model');
      await checkPage(page);
      await page.getByRole('button', { name: 'Retrain now' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('Version 2 was trained');
      const versions = await page.locator('table').first().textContent();
      expect(versions).toContain('Retrained on request');
      await checkPage(page);
    });
  });
});
