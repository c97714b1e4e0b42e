import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { duplicateIds } from '../support/forms.js';

/**
 * Giving feedback in a browser: staff find their service's feedback page and its poster (which
 * prints, with its QR code); a person on a phone-sized screen opens the public form, is told what
 * to fix on their field, sends it and sees the thank-you page; staff see it first in the list. Every
 * page checked with axe (WCAG 2.2 AA) and for ids used twice.
 */
describeInBrowser(
  'giving feedback: the public form on a phone, the staff list, the poster',
  { demoPeople: 4 },
  (app) => {
    const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
    const checkPage = async (page: Page) => {
      await expectNoAxeViolations(page);
      expect(duplicateIds(await page.content())).toEqual([]);
    };

    it('staff → poster → a person gives feedback on a phone → staff see it', async () => {
      let formLink = '';
      let listUrl = '';
      await app.withPage(async (page) => {
        await app.signIn(page, 'practitioner@demo');
        await page.goto(`${app.base}/service-feedback`);
        await expect(h1(page)).resolves.toBe('Feedback from people who use your services');
        await checkPage(page);
        await page.locator('main a[href^="/service-feedback/"]').first().click();
        listUrl = page.url();
        await expect(h1(page)).resolves.toBe('Feedback');
        await checkPage(page);
        formLink = (await page.locator('main a[href*="/feedback/"]').first().getAttribute('href')) ?? '';
        expect(formLink).toMatch(/\/feedback\/[A-Za-z0-9_-]{16}$/);

        await page.getByRole('link', { name: 'Print a poster with the form’s QR code' }).click();
        await expect(h1(page)).resolves.toBe('Tell us about your experience');
        const qr = page.getByRole('img', { name: /QR code for the feedback form/ });
        await expect(qr.isVisible()).resolves.toBe(true);
        await checkPage(page);
        // It prints: the QR code and the link are on the printed page, the header and footer are not.
        await page.emulateMedia({ media: 'print' });
        await expect(qr.isVisible()).resolves.toBe(true);
        await expect(page.locator('header.nhsuk-header').isVisible()).resolves.toBe(false);
        const pdf = await page.pdf({ format: 'A4' });
        expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      });

      // A person on a phone, with no account.
      await app.withPage(
        async (page) => {
          await page.goto(formLink);
          await expect(h1(page)).resolves.toContain('Tell us about your experience of');
          await checkPage(page);
          // Sent without an answer to the FFT question: told on the field.
          await page.getByLabel('What was good?').fill('The receptionist remembered my name.');
          await page.getByRole('button', { name: 'Send feedback' }).click();
          await expect(page.title()).resolves.toMatch(/^Error: /);
          const summary = page.locator('.nhsuk-error-summary');
          await expect(summary.textContent()).resolves.toContain(
            'Select how your experience of the service was',
          );
          await checkPage(page);
          await summary.getByRole('link', { name: 'Select how your experience of the service was' }).click();
          await page.getByLabel('Very good').check();
          await page.getByLabel('What could be better?').fill('More chairs in the waiting room.');
          await page.getByLabel('I am a carer, relative or friend of someone who used it').check();
          await page.getByLabel(/Age of the person/).selectOption('75-84');
          await page.getByRole('group', { name: 'May we publish your feedback?' }).getByLabel('Yes').check();
          await page.getByRole('button', { name: 'Send feedback' }).click();
          await expect(h1(page)).resolves.toContain('Thank you for your feedback');
          await checkPage(page);
        },
        { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true },
      );

      await app.withPage(async (page) => {
        await app.signIn(page, 'manager@demo');
        await page.goto(listUrl);
        const first = page.locator('.nhsuk-card').first();
        await expect(first.textContent()).resolves.toContain('The receptionist remembered my name.');
        await expect(first.textContent()).resolves.toContain('More chairs in the waiting room.');
        await expect(first.textContent()).resolves.toContain('Very good');
        await checkPage(page);
      });
    });
  },
);
