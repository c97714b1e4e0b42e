import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { hashPassword } from '../../src/features/auth/password-hash.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * Keeping the community directory up to date in a browser: a voluntary-sector worker (Margaret Dunn,
 * befriending coordinator at Riverside Good Neighbours) opens her organisation's entries from the
 * home page, adds a new group (a mistake first, shown on its field), sees an entry flagged as due
 * for review at the top and confirms it is still right. Every page checked with axe (WCAG 2.2 AA)
 * and for ids used twice.
 */
describeInBrowser(
  'the community directory: a voluntary group keeps its entries',
  { demoPeople: 6 },
  (app) => {
    const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
    const path = (page: Page) => new URL(page.url()).pathname;

    beforeAll(async () => {
      // Only the demo's well-known accounts sign in; Margaret is given the demo password here.
      await app.t.database.db
        .updateTable('user_account')
        .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
        .where('username', '=', 'margaret.dunn@demo')
        .execute();
    });

    it('home → entries → add (an error, then saved) → review a stale entry', async () => {
      await app.withPage(async (page) => {
        await app.signIn(page, 'margaret.dunn@demo');
        await page.getByRole('link', { name: 'Your community directory entries' }).click();
        expect(path(page)).toBe('/community/manage');
        await expect(h1(page)).resolves.toBe('Community directory entries');
        // The demo's Memory Café and Telephone Friends passed their review dates.
        const toCheck = page.locator('.nhsuk-card', { hasText: 'Due for review since' });
        await expect(toCheck.count()).resolves.toBeGreaterThan(0);
        await expectNoAxeViolations(page);

        // Add a group: an end time before its start is shown on its field, then fixed.
        await page.getByRole('link', { name: 'Add a directory entry' }).click();
        await expect(h1(page)).resolves.toBe('Add a directory entry');
        await expectNoAxeViolations(page);
        await page.getByLabel('Name', { exact: true }).fill('Saturday Social');
        await page.getByLabel('Kind of support').selectOption('befriending');
        await page.getByLabel('Summary').fill('Tea, board games and company on Saturday afternoons.');
        await page.getByRole('checkbox', { name: 'Feeling lonely or isolated' }).check();
        await page.getByRole('checkbox', { name: 'Seeing people' }).first().check();
        await page.getByLabel('Address').fill('Good Neighbours House\n3 Chapel Row\nRiverside');
        await page.getByLabel('Postcode').fill('rv1 4cr');
        await page.getByLabel('Session 1 day').selectOption('sat');
        await page.getByLabel('Session 1 start').fill('14:00');
        await page.getByLabel('Session 1 end').fill('13:00');
        await page.getByRole('radio', { name: 'Free' }).check();
        await page.getByRole('checkbox', { name: 'Step-free access' }).check();
        await page
          .getByRole('group', { name: /contact them directly/ })
          .getByRole('radio', { name: 'Yes' })
          .check();
        await page
          .getByRole('group', { name: 'Taking new referrals now?' })
          .getByRole('radio', { name: 'Yes' })
          .check();
        await page.getByRole('button', { name: 'Save entry' }).click();
        await expect(page.title()).resolves.toMatch(/^Error: Add a directory entry/);
        const summary = page.locator('.nhsuk-error-summary');
        await expect(summary.textContent()).resolves.toContain(
          'the end time must be later than the start time',
        );
        await expectNoAxeViolations(page);
        await summary.getByRole('link', { name: /end time/ }).click();
        await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('session-0-end');
        await page.getByLabel('Session 1 end').fill('16:30');
        await page.getByRole('button', { name: 'Save entry' }).click();
        expect(path(page)).toBe('/community/manage');
        await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
          'Saturday Social was added to the directory.',
        );
        await expect(page.getByRole('table').textContent()).resolves.toContain('Saturday Social');
        await expectNoAxeViolations(page);

        // Confirm the first entry due for review is still right: it leaves the list to check.
        const card = toCheck.first();
        const name = (await card.getByRole('heading').textContent())?.trim() ?? '';
        expect(name).not.toBe('');
        await card.getByRole('button', { name: `Confirm ${name} is still right` }).click();
        await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
          `You confirmed ${name} is up to date.`,
        );
        await expect(
          page.locator('.nhsuk-card', { hasText: 'Due for review since' }).filter({ hasText: name }).count(),
        ).resolves.toBe(0);
        await expectNoAxeViolations(page);

        // The entry's edit page, with its close button.
        await page.getByRole('table').getByRole('link', { name: 'Saturday Social' }).click();
        await expect(h1(page)).resolves.toBe('Change Saturday Social');
        await expect(page.getByLabel('Postcode').inputValue()).resolves.toBe('RV1 4CR');
        await expectNoAxeViolations(page);
      });
    });
  },
);
