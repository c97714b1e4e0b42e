import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { hashPassword } from '../../src/features/auth/password-hash.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * Importing community directory entries in a browser: Margaret Dunn (Riverside Good Neighbours)
 * pastes a CSV file with an empty form first (shown on its field), checks it in a dry run (one row
 * refused, by row and column), then imports it. Every page checked with axe (WCAG 2.2 AA).
 */
describeInBrowser('the community directory: importing entries from a file', { demoPeople: 4 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  beforeAll(async () => {
    await app.t.database.db
      .updateTable('user_account')
      .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
      .where('username', '=', 'margaret.dunn@demo')
      .execute();
  });

  it('import page → an error → dry run with a refused row → import', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'margaret.dunn@demo');
      await page.goto(`${app.base}/community/manage/import`);
      await expect(h1(page)).resolves.toBe('Import directory entries');
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Check or import the file' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain('Paste the file');
      await expectNoAxeViolations(page);

      await page
        .getByRole('textbox', { name: 'The file' })
        .fill(
          [
            'name,kind,summary,online,cost_kind,self_referral,accepting_referrals,sessions',
            'Browser Test Board Games,befriending,Board games and tea,yes,free,yes,yes,sat 14:00-16:00',
            'Browser Test Broken,juggling,Bad,yes,free,yes,yes,',
          ].join('\n'),
        );
      await page.getByRole('button', { name: 'Check or import the file' }).click();
      await expect(h1(page)).resolves.toBe('Dry run: what the import would do');
      await expect(page.locator('#added').textContent()).resolves.toBe('1');
      await expect(page.locator('#problems').textContent()).resolves.toContain('kind');
      await expectNoAxeViolations(page);

      await page.getByRole('checkbox', { name: /Only check the file/ }).uncheck();
      await page.getByRole('button', { name: 'Check or import the file' }).click();
      await expect(h1(page)).resolves.toBe('What was imported');
      await expect(page.locator('#added').textContent()).resolves.toBe('1');
      await expectNoAxeViolations(page);
    });
  });
});
