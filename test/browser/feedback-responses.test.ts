import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { duplicateIds } from '../support/forms.js';

/**
 * Responding and changing in a browser: a person gives feedback and agrees it may be published; a
 * practitioner replies and records a planned change from the story; a team manager publishes the
 * story and marks the change made; anyone sees the masked story, the service's reply and the change
 * on the service's public page ("You said, we did"). Every page checked with axe and for ids used
 * twice in this part's own section.
 */
describeInBrowser('replies, publishing and changes made', { demoPeople: 4 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const status = (page: Page) => page.getByRole('status').textContent();
  const checkPage = async (page: Page) => {
    await expectNoAxeViolations(page);
    const html = await page.content();
    const own = html.slice(Math.max(0, html.indexOf('id="responses"')));
    expect(duplicateIds(html).filter((id) => own.includes(`id="${id}"`))).toEqual([]);
  };
  const fillDate = async (page: Page, group: string, day: string, month: string, year: string) => {
    const fields = page.getByRole('group', { name: group });
    await fields.getByLabel('Day').fill(day);
    await fields.getByLabel('Month').fill(month);
    await fields.getByLabel('Year').fill(year);
  };

  it('feedback → reply → change planned from the story → published → made → on the public page', async () => {
    let formLink = '';
    let listUrl = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(`${app.base}/service-feedback`);
      await page.locator('main a[href^="/service-feedback/"]').first().click();
      listUrl = page.url();
      formLink = (await page.locator('main a[href*="/feedback/"]').first().getAttribute('href')) ?? '';
    });

    let publicLink = '';
    await app.withPage(async (page) => {
      await page.goto(formLink);
      await page.getByLabel('Poor', { exact: true }).check();
      await page
        .getByLabel('What could be better?')
        .fill('The waiting room was freezing. Call me on 07700 900123.');
      await page.getByRole('group', { name: 'May we publish your feedback?' }).getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Send feedback' }).click();
      await expect(h1(page)).resolves.toContain('Thank you for your feedback');
      await page.getByRole('link', { name: 'See what people told us and what we changed' }).click();
      publicLink = page.url();
      await expect(h1(page)).resolves.toBe('You said, we did');
      await checkPage(page);
    });

    let storyUrl = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(listUrl);
      const card = page.locator('.nhsuk-card').first();
      await expect(card.textContent()).resolves.toContain('Waiting for a reply');
      await checkPage(page);
      await card.getByRole('link', { name: /Open this story/ }).click();
      storyUrl = page.url();
      await page.getByRole('button', { name: 'Save reply' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await page.locator('.nhsuk-error-summary a[href="#replyBody"]').click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe(
        'replyBody',
      );
      await checkPage(page);
      await page.getByLabel('Write a reply').fill('Thank you. We have fixed the heating.');
      await page.getByRole('button', { name: 'Save reply' }).click();
      await expect(status(page)).resolves.toContain('Your reply was saved.');
      await expect(page.getByText(/First reply .* after the story arrived/).count()).resolves.toBe(1);
      await checkPage(page);
      // Not a moderator: publishing is not offered.
      await expect(page.getByRole('button', { name: 'Publish the masked story' }).count()).resolves.toBe(0);

      await page.getByLabel('What is the change?').fill('Check the waiting room heating every morning');
      await page.getByLabel('Change planned').check();
      await fillDate(page, 'If planned: when is it planned for?', '10', '13', '2027');
      await page.getByRole('button', { name: 'Record the change' }).click();
      await page.locator('.nhsuk-error-summary a[href="#plannedOn-month"]').click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe(
        'plannedOn-month',
      );
      await checkPage(page);
      await fillDate(page, 'If planned: when is it planned for?', '10', '1', '2027');
      await page.getByRole('button', { name: 'Record the change' }).click();
      await expect(status(page)).resolves.toContain('The change was recorded and this story linked to it.');
      await expect(page.getByText(/Change planned for 10 January 2027/).count()).resolves.toBe(1);
      await checkPage(page);
      await page.goto(listUrl);
      await expect(page.locator('.nhsuk-card').first().textContent()).resolves.toContain('Replied');
    });

    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(storyUrl);
      await page.getByRole('button', { name: 'Publish the masked story' }).click();
      await expect(status(page)).resolves.toContain('The story was published');
      await checkPage(page);
      await page.getByRole('link', { name: 'All the service’s changes' }).click();
      await expect(h1(page)).resolves.toBe('Changes: you said, we did');
      await checkPage(page);
      const planned = page.locator('.nhsuk-card').filter({ hasText: 'Check the waiting room heating' });
      await planned.getByLabel('Day').fill('2');
      await planned.getByLabel('Month').fill('11');
      await planned.getByLabel('Year').fill('2026');
      await planned.getByRole('button', { name: /as made/ }).click();
      await expect(status(page)).resolves.toContain('The change was marked as made.');
      const row = page.locator('tbody tr').filter({ hasText: 'Check the waiting room heating' });
      await expect(row.textContent()).resolves.toContain('2 November 2026');
      await expect(row.getByRole('link', { name: /Story received/ }).count()).resolves.toBe(1);
      await checkPage(page);
    });

    await app.withPage(async (page) => {
      await page.goto(publicLink);
      await expect(h1(page)).resolves.toBe('You said, we did');
      const story = page.locator('.nhsuk-card').filter({ hasText: 'The waiting room was freezing' });
      await expect(story.textContent()).resolves.toContain(
        'The waiting room was freezing. Call me on [phone].',
      );
      await expect(story.textContent()).resolves.toContain('The service replied');
      await expect(story.textContent()).resolves.toContain('We have fixed the heating.');
      await expect(page.content()).resolves.not.toContain('07700');
      const change = page
        .locator('tbody tr')
        .filter({ hasText: 'Check the waiting room heating every morning' });
      await expect(change.textContent()).resolves.toContain('Check the waiting room heating every morning');
      await expect(change.textContent()).resolves.toContain('2 November 2026');
      await checkPage(page);
    });
  });
});
