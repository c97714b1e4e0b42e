import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { demoAccount } from '../support/demo.js';

/**
 * Self-management (issue 14, part 3): the person sets a small step for one of their outcomes in
 * their own view, ticks it off saying what helped; then a practitioner sees it on the person's page
 * and on the review form. Every page checked with axe (WCAG 2.2 AA).
 */
describeInBrowser('self-management steps', { demoPeople: 10 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const WORDS = 'Walk to the post box and back on Saturday';
  const HELPED = 'My neighbour walked with me';

  it('the person sets a step and ticks it off; the practitioner sees it at the next conversation', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.goto(`${app.base}/my`);
      await page.getByRole('link', { name: 'See, tick off or set my steps' }).click();
      expect(new URL(page.url()).pathname).toBe('/my/steps');
      await expect(h1(page)).resolves.toBe('My steps');
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Set a new step' }).click();
      await expect(h1(page)).resolves.toBe('Set a step for myself');
      await expectNoAxeViolations(page);
      // Nothing written: each problem is named, linked to its field.
      await page.getByRole('button', { name: 'Save the step' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Write your step, in your own words',
      );
      await expectNoAxeViolations(page);

      await page.getByRole('radio').first().check();
      await page.getByLabel('What will you do?').fill(WORDS);
      await page.getByRole('button', { name: 'Save the step' }).click();
      expect(new URL(page.url()).pathname).toBe('/my/steps');
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        `Your step was saved: “${WORDS}”`,
      );
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: `Tick off “${WORDS}” and say what helped` }).click();
      await expect(h1(page)).resolves.toBe('How did your step go?');
      await expectNoAxeViolations(page);
      await expect(page.getByRole('checkbox', { name: 'I have done this' }).isChecked()).resolves.toBe(true);
      await page.getByLabel('What helped? (optional)').fill(HELPED);
      await page.getByRole('button', { name: 'Save' }).click();
      expect(new URL(page.url()).pathname).toBe('/my/steps');
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain('was saved');
      const step = page.locator('li', { hasText: WORDS });
      await expect(step.getByText('Done', { exact: true }).count()).resolves.toBe(1);
      await expect(step.textContent()).resolves.toContain(HELPED);
      await expectNoAxeViolations(page);
    });

    const personId = (await demoAccount(app.t, 'person@demo')).person_id ?? '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}`);
      await expect(page.getByRole('heading', { name: 'Steps between reviews' }).count()).resolves.toBe(1);
      const row = page.locator('tr', { hasText: WORDS });
      await expect(row.textContent()).resolves.toContain(HELPED);
      await expect(row.getByText('Done', { exact: true }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/people/${personId}/conversations/new?kind=review`);
      await expect(h1(page)).resolves.toBe('Record a review');
      const steps = page.locator('.wm-review-steps', { hasText: WORDS });
      await expect(steps.textContent()).resolves.toContain(`What helped: “${HELPED}”`);
      await expectNoAxeViolations(page);
    });
  });
});
