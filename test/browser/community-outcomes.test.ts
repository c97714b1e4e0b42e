import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { flushRollups } from '../../src/features/rollups/store.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { type CommunitySeed, seedCommunityOutcomes } from '../support/community-outcomes-seed.js';
import { seedCommunityWellbeing } from '../support/community-wellbeing-seed.js';

/**
 * Issue 14, part 4 (acceptance): a commissioner sees outcomes by kind of community support (ratings
 * and wellbeing), opens
 * one kind by the organisation that runs it, and reads the de-identified statements behind a
 * figure. Every page is checked with axe (WCAG 2.2 AA).
 */
describeInBrowser('outcomes of community support for commissioners', { demoPeople: 0 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  let seed: CommunitySeed;

  beforeAll(async () => {
    seed = await seedCommunityOutcomes(app.t.database.db);
    await seedCommunityWellbeing(app.t.database.db, seed);
    await flushRollups(app.t.database.db);
  });

  it('a commissioner sees outcomes by kind of community support and the statements behind one', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'commissioner@demo');
      await page.getByRole('link', { name: 'Outcomes of community support' }).click();
      await expect(h1(page)).resolves.toBe('Outcomes of community support');
      await page.goto(`${app.base}/commissioning/community?from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`);
      const kinds = page.locator('table#community-kinds');
      const walking = kinds.locator('tr').filter({ hasText: 'Walking group' });
      await expect(walking.count()).resolves.toBe(1);
      // Average change 1.0 point; 10 of 15 outcomes rated higher; wellbeing up 3.1 points on average,
      // 50.0% reliably improved (11 of 18, rounded to 10 of 20).
      await expect(walking.textContent()).resolves.toMatch(/1\.0[\s\S]*66\.7%[\s\S]*3\.1[\s\S]*50\.0%/);
      await expect(
        kinds.getByRole('columnheader', { name: 'Reliably improved in wellbeing' }).count(),
      ).resolves.toBe(1);
      await expect(kinds.locator('tr').filter({ hasText: 'Peer support' }).textContent()).resolves.toContain(
        '*',
      );
      await expect(kinds.locator('tr').filter({ hasText: 'Every service' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.getByLabel('Kind of support').selectOption('walking-group');
      await page.getByRole('button', { name: 'Show organisations and groups' }).click();
      const organisations = page.locator('table#community-organisations');
      await expect(
        organisations.locator('tr').filter({ hasText: 'Riverside Walkers' }).count(),
      ).resolves.toBe(1);
      await expect(
        organisations.locator('tr').filter({ hasText: 'Hillside Walkers' }).textContent(),
      ).resolves.toContain('*');
      // Each group or service of the kind, named with who runs it.
      const resources = page.locator('table#community-resources');
      await expect(
        resources.locator('tr').filter({ hasText: 'Riverside Tuesday Walk, Riverside Walkers' }).count(),
      ).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/commissioning/community?from=${seed.twoMonthsAgo}&to=${seed.lastMonth}`);
      await walking.getByRole('link', { name: /outcomes rated higher: Walking group/ }).click();
      await page.getByRole('radio', { name: 'Commissioning or contract monitoring' }).check();
      await page.getByRole('button', { name: 'Show what people said' }).click();
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).toContain('get out of the house');
      expect(body).not.toContain(seed.namedPersonName);
      await expectNoAxeViolations(page);
    });
  });
});
