import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { duplicateIds } from '../support/forms.js';

/**
 * Personal information out, harm flagged, in a browser: a team manager names the service's
 * safeguarding contact; a person describes harm on the public form; the contact finds it flagged
 * on their safeguarding page and records the first action; the moderator sees what was masked,
 * masks a missed word and sets the criticality. Every page checked with axe and for ids used twice.
 */
describeInBrowser('safeguarding flags and moderation of feedback', { demoPeople: 4 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const checkPage = async (page: Page) => {
    await expectNoAxeViolations(page);
    expect(duplicateIds(await page.content())).toEqual([]);
  };

  it('contact named → harm told on the public form → contact acts → moderator sees what was masked', async () => {
    const contact = await app.t.database.db
      .selectFrom('user_account')
      .select('user_id')
      .where('username', '=', 'practitioner@demo')
      .executeTakeFirstOrThrow();
    let formLink = '';
    let listUrl = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(`${app.base}/service-feedback`);
      await page.locator('main a[href^="/service-feedback/"]').first().click();
      listUrl = page.url();
      formLink = (await page.locator('main a[href*="/feedback/"]').first().getAttribute('href')) ?? '';
      await page.getByRole('link', { name: 'Name the service’s safeguarding contact' }).click();
      await expect(h1(page)).resolves.toBe('Safeguarding contact');
      await checkPage(page);
      await page.getByLabel('Safeguarding contact').selectOption(contact.user_id);
      await page.getByRole('button', { name: 'Save contact' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'The safeguarding contact was saved.',
      );
      await checkPage(page);
    });

    await app.withPage(async (page) => {
      await page.goto(formLink);
      await page.getByLabel('Very poor').check();
      await page
        .getByLabel('What could be better?')
        .fill('The ward door was left unlocked and she wandered out. Ring her daughter on 07700 900123.');
      await page.getByRole('group', { name: 'May we publish your feedback?' }).getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Send feedback' }).click();
      await expect(h1(page)).resolves.toContain('Thank you for your feedback');
    });

    let storyUrl = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.getByRole('link', { name: 'Safeguarding flags on feedback' }).click();
      await expect(h1(page)).resolves.toBe('Safeguarding flags on feedback');
      await checkPage(page);
      const row = page.locator('tbody tr').first();
      await expect(row.textContent()).resolves.toContain('Waiting');
      await expect(row.textContent()).resolves.toContain('danger');
      await expect(row.textContent()).resolves.not.toContain('07700');
      await row.getByRole('link').click();
      storyUrl = page.url();
      await expect(page.getByRole('heading', { name: /Safeguarding flag/ }).count()).resolves.toBe(1);
      await checkPage(page);
      await page.getByLabel('Acknowledged').check();
      await page.getByLabel('Note').fill('Called the ward manager; the door is now fixed.');
      await page.getByRole('button', { name: 'Record first action' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('the clock has stopped');
      await checkPage(page);
      await page.goto(`${app.base}/safeguarding`);
      await expect(page.locator('tbody tr').first().textContent()).resolves.toContain('Acknowledged after');
    });

    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(listUrl);
      await expect(page.locator('.nhsuk-card').first().textContent()).resolves.toContain('Safeguarding flag');
      await checkPage(page);
      await page.goto(storyUrl);
      const marked = page.locator('mark.wm-masked').first();
      await expect(marked.textContent()).resolves.toContain('masked telephone number');
      await expect(page.locator('td').filter({ hasText: '[phone]' }).count()).resolves.toBeGreaterThan(0);
      await checkPage(page);
      await page.getByLabel('In the answer to').selectOption('whatCouldBeBetter');
      await page.getByLabel('Words to mask').fill('daughter');
      await page.getByLabel('What kind of information').selectOption('other');
      await page.getByRole('button', { name: 'Mask these words' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('What was masked was saved.');
      await expect(
        page.locator('td').filter({ hasText: 'Ring her [removed] on [phone]' }).count(),
      ).resolves.toBe(1);
      await checkPage(page);
      await page.getByLabel('5 – Critical: immediate risk of harm').check();
      await page.getByRole('button', { name: 'Save criticality' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('The criticality was saved.');
      await expect(page.getByLabel('5 – Critical: immediate risk of harm').isChecked()).resolves.toBe(true);
      await checkPage(page);
    });
  });
});
