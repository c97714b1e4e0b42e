import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * The demo's voluntary-organisation account (issue 14, part 5): the sign-in page of a demo database
 * lists groups@demo; signed in, they find referrals waiting for Riverside Good Neighbours and open
 * one. Every page checked with axe (WCAG 2.2 AA).
 */
describeInBrowser('the demo referrals, as groups@demo', { demoPeople: 12 }, (app) => {
  it('lists groups@demo at sign-in, and shows them referrals waiting for their organisation', async () => {
    await app.withPage(async (page) => {
      await page.goto(`${app.base}/sign-in`);
      await expect(page.getByText('groups@demo', { exact: true }).count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      await app.signIn(page, 'groups@demo');
      await page.goto(`${app.base}/community/referrals`);
      await expectNoAxeViolations(page);
      const waiting = page.locator('tr', { hasText: 'Waiting for a reply' });
      await expect(waiting.count()).resolves.toBeGreaterThanOrEqual(2);

      await waiting.first().getByRole('link').first().click();
      expect(new URL(page.url()).pathname).toMatch(/^\/community\/referrals\/[0-9a-f-]+\/[0-9a-f-]+$/);
      await expect(page.getByRole('heading', { level: 1 }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
    });
  });
});
