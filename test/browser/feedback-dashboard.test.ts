import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { duplicateIds } from '../support/forms.js';

/**
 * The service feedback dashboard in a browser, on the demo's feedback: a practitioner opens their
 * team's dashboard from the services page, reads its charts, tables, themes of praise and concern
 * and changes made, chooses another period, and a period that cannot be shown is named in the
 * error summary. Every page checked with axe and for ids used twice.
 */
describeInBrowser('the service feedback dashboard', { demoPeople: 4 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const checkPage = async (page: Page) => {
    await expectNoAxeViolations(page);
    expect(duplicateIds(await page.content())).toEqual([]);
  };

  it('services page → team dashboard → another period → a period refused', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/service-feedback`);
      await page.getByRole('link', { name: /^Dashboard for North Locality Social Work Team/ }).click();
      await expect(h1(page)).resolves.toBe('Feedback dashboard');
      await checkPage(page);
      const main = page.locator('main');
      await expect(main.locator('figure.wm-chart').count()).resolves.toBe(3);
      await expect(main.locator('figure.wm-chart table').count()).resolves.toBe(3);
      await expect(main.getByRole('heading', { name: 'Top themes of praise' }).count()).resolves.toBe(1);
      await expect(main.locator('#praise + ol > li').count()).resolves.toBeGreaterThan(0);
      await expect(main.locator('#themes tbody tr').count()).resolves.toBe(12);
      await expect(main.textContent()).resolves.toMatch(/of the period’s \d+ concerns? led to a change made/);
      await expect(main.getByRole('table', { name: 'Changes made' }).count()).resolves.toBe(1);
      // Quotes are masked text only.
      await expect(main.textContent()).resolves.not.toMatch(/07700 9|01632 9|0113 496/);

      const selects = page.locator('select#from option');
      const first = await selects.nth((await selects.count()) - 3).getAttribute('value');
      await page.getByLabel('From the start of').selectOption(first ?? '');
      await page.getByRole('button', { name: 'Show this period' }).click();
      await expect(h1(page)).resolves.toBe('Feedback dashboard');
      await expect(main.locator('#themes tbody tr').count()).resolves.toBe(3);
      await checkPage(page);

      const last = await selects.nth(0).getAttribute('value');
      await page.getByLabel('To the end of').selectOption(last ?? '');
      await page.getByRole('button', { name: 'Show this period' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'The start month must be on or before the end month',
      );
      await page.locator('.nhsuk-error-summary a[href="#from"]').click();
      await checkPage(page);

      await page.getByRole('link', { name: 'Back to the service’s feedback' }).click();
      await page.getByRole('link', { name: /See the feedback dashboard/ }).click();
      await expect(h1(page)).resolves.toBe('Feedback dashboard');
    });
  });
});
