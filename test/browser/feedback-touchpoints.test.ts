import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * Experience-based co-design in a browser: a practitioner sets out the service's pathway from the
 * suggested one and adds a touchpoint of their own; a story arrives on the public form; they
 * confirm its touchpoints on its page; then open the touchpoint pack and download its CSV. Every
 * page checked with axe (and for ids used twice).
 */
describeInBrowser('touchpoints and the touchpoint pack', { demoPeople: 4 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  it('pathway set out → a story arrives → its touchpoints confirmed → the pack printed and downloaded', async () => {
    let listUrl = '';
    let formLink = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/service-feedback`);
      await page.locator('main a[href^="/service-feedback/"]').first().click();
      listUrl = page.url();
      formLink = (await page.locator('main a[href*="/feedback/"]').first().getAttribute('href')) ?? '';
      await page.getByRole('link', { name: /Touchpoints of the care pathway/ }).click();
      await expect(h1(page)).resolves.toBe('Touchpoints of the care pathway');
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Start from this pathway' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'The suggested pathway was added.',
      );
      await expect(page.locator('tbody th').first().textContent()).resolves.toBe('Referral');
      await expectNoAxeViolations(page);

      // A touchpoint refused, then added; one moved and one changed.
      await page.getByLabel('Name of the touchpoint').fill('Pre-op assessment');
      await page.getByLabel('Words that point to it (optional)').fill('pre-op, blood tests taken');
      await page.getByRole('button', { name: 'Add touchpoint' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        '“blood tests taken” must be one or two words',
      );
      await expectNoAxeViolations(page);
      await page.getByLabel('Words that point to it (optional)').fill('pre-op, blood tests');
      await page.getByRole('button', { name: 'Add touchpoint' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('The touchpoint was added.');
      await page.getByRole('button', { name: 'Move Pre-op assessment up' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('The touchpoint was moved.');
      await expect(page.locator('tbody th').nth(7).textContent()).resolves.toBe('Pre-op assessment');
      await page.getByRole('link', { name: 'Change Waiting' }).click();
      await expect(h1(page)).resolves.toBe('Change the touchpoint “Waiting”');
      await expectNoAxeViolations(page);
      await page.getByLabel('Words that point to it').fill('waiting list, waited, weeks, months');
      await page.getByRole('button', { name: 'Save touchpoint' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('The touchpoint was saved.');
    });

    await app.withPage(async (page) => {
      await page.goto(formLink);
      await page.getByLabel('Very good').check();
      await page
        .getByLabel('What was good?')
        .fill('The pre-op nurse took my blood tests gently and explained everything.');
      await page.getByLabel('What could be better?').fill('I waited weeks for the letter.');
      await page.getByRole('group', { name: 'May we publish your feedback?' }).getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Send feedback' }).click();
      await expect(h1(page)).resolves.toContain('Thank you for your feedback');
    });

    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(listUrl);
      await page.locator('main a[href*="/stories/"]').first().click();
      await expect(
        page.getByRole('heading', { name: 'Touchpoints on the care pathway' }).count(),
      ).resolves.toBe(1);
      const preop = page.getByLabel('Pre-op assessment', { exact: true });
      await expect(preop.isChecked()).resolves.toBe(true);
      await expectNoAxeViolations(page);
      await page.getByLabel('Waiting', { exact: true }).check();
      await page.getByRole('button', { name: 'Save touchpoints' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'The story’s touchpoints were saved.',
      );
      await expect(page.getByLabel('Waiting', { exact: true }).isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Referral', { exact: true }).isChecked()).resolves.toBe(false);
      await expectNoAxeViolations(page);

      await page.goto(listUrl);
      await page.getByRole('link', { name: /Touchpoints of the care pathway/ }).click();
      await page.getByRole('link', { name: 'Make a touchpoint pack for a co-design event' }).click();
      await expect(h1(page)).resolves.toBe('Touchpoint pack');
      await expect(page.getByRole('heading', { name: /Shared beyond the service/ }).count()).resolves.toBe(1);
      const preopSection = page
        .locator('section')
        .filter({ has: page.getByRole('heading', { name: '8. Pre-op assessment' }) });
      await expect(preopSection.locator('blockquote').textContent()).resolves.toContain('pre-op nurse');
      await expectNoAxeViolations(page);
      await page.getByLabel('Stories received in').selectOption('3m');
      await page.getByRole('button', { name: 'Show the pack' }).click();
      await expect(page.url()).toContain('period=3m');
      await expectNoAxeViolations(page);
      // Printed, the page drops its menus, form and links.
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('.nhsuk-header').isVisible()).resolves.toBe(false);
      await expect(page.getByRole('button', { name: 'Show the pack' }).isVisible()).resolves.toBe(false);
      await expect(page.locator('figure blockquote').first().isVisible()).resolves.toBe(true);
      await page.emulateMedia({ media: 'screen' });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download the pack as a spreadsheet (CSV)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^touchpoint-pack-3m-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await fs.readFile((await download.path()) as string, 'utf8');
      expect(csv.split('\r\n')[0]).toBe(
        '"touchpoint","position","stories","positive","negative","top_themes","quote","fft","month"',
      );
      expect(csv).toContain('"Pre-op assessment",8,"*"');
      expect(csv).toContain('The pre-op nurse took my blood tests gently and explained everything.');
    });
  });
});
