import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { signIn as apiSignIn } from '../support/test-app.js';

/**
 * The first conversation a question a page, as a practitioner clicks it: who took part → what
 * matters, one at a time, with "add another" → ratings → a goal attainment scale if wanted → summary
 * and next review → check your answers, changing an answer from there → save. Every page (error
 * pages too) is checked with axe and for ids used twice. Back after saving starts afresh.
 */
describeInBrowser('the stepped first conversation in a browser', { demoPeople: 5 }, (app) => {
  let personId: string;

  beforeAll(async () => {
    const practitioner = await apiSignIn(app.t.app, 'practitioner@demo');
    const registered = await app.t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: practitioner },
      payload: { givenName: 'Edith', familyName: 'Okafor', sex: 'female', dateOfBirth: '1944-02-11' },
    });
    personId = registered.json().personId;
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).first().textContent();
  const next = async (page: Page) => {
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectNoAxeViolations(page);
  };
  const conversations = async () =>
    Number(
      (
        await app.t.database.db
          .selectFrom('conversation')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('person_id', '=', personId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('asks a question a page, shows every answer to check, and saves once', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}`);
      await page.getByRole('button', { name: 'Record a first conversation' }).click();
      await expect(h1(page)).resolves.toBe('When was the conversation and who took part?');
      await expectNoAxeViolations(page);

      // A date in the future is refused on its field, and the error summary's link lands there.
      await page.locator('#heldOn-year').fill(String(new Date().getFullYear() + 2));
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'A conversation cannot be recorded before it happens.',
      );
      await expectNoAxeViolations(page);
      await page.locator('.nhsuk-error-summary a').first().click();
      await expect(page.evaluate('document.activeElement.id')).resolves.toBe('heldOn-day');
      await page.locator('#heldOn-year').fill(String(new Date().getFullYear() - 1));
      await next(page);

      // What matters: nothing written is refused; then two things, one at a time.
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'write what matters',
      );
      await expectNoAxeViolations(page);
      await page.locator('#new-0-statement').fill('I want to cook Sunday lunch for my family again');
      await page.locator('#new-0-why').fill('It brings everyone together');
      await page.locator('#new-0-importance').selectOption('8');
      await page.getByText('Code it to outcome domains (optional)').click();
      await page.locator('input[name="new-0-domains"]').first().check();
      await next(page);
      await expect(page.locator('main').textContent()).resolves.toContain(
        'You have added 1 thing that matters',
      );
      await page.getByLabel('Yes', { exact: true }).check();
      await next(page);
      await page.locator('#new-1-statement').fill('I want to sleep through the night');
      await next(page);
      await page.getByLabel('No', { exact: true }).check();
      await next(page);

      // Ratings: the person's view and the practitioner's; she has no carer, so no carer's view.
      await expect(page.locator('input[name="new-0-rating-carer"]').count()).resolves.toBe(0);
      await expect(page.locator('input[type="radio"]:checked').count()).resolves.toBe(0);
      await page.locator('input[name="new-0-rating-person"][value="1"]').check();
      await page.locator('input[name="new-0-rating-practitioner"][value="2"]').check();
      await next(page);
      await page.locator('input[name="new-1-rating-person"][value="2"]').check();
      await next(page);

      // A goal attainment scale for the first, none for the second.
      await page.getByLabel('Yes', { exact: true }).check();
      await page.locator('#new-0-gas-m2').fill('Does not cook');
      await page.locator('#new-0-gas-m1').fill('Helps with one dish');
      await page.locator('#new-0-gas-z0').fill('Cooks lunch with help once a month');
      await page.locator('#new-0-gas-p1').fill('Cooks lunch with help every fortnight');
      await page.locator('#new-0-gas-p2').fill('Cooks lunch alone every week');
      await page.locator('input[name="new-0-gas-baseline"][value="-2"]').check();
      await next(page);
      await page.getByLabel('No', { exact: true }).check();
      await next(page);

      await page.locator('#summary').fill('Met Edith at home. Cooking matters most.');
      await page.locator('#nextReview-day').fill('1');
      await page.locator('#nextReview-month').fill('3');
      await page.locator('#nextReview-year').fill(String(new Date().getFullYear() + 1));
      await next(page);

      await expect(h1(page)).resolves.toBe('Check your answers before saving the conversation');
      const check = await page.locator('main').textContent();
      expect(check).toContain('I want to cook Sunday lunch for my family again');
      expect(check).toContain('It brings everyone together');
      expect(check).toContain('8 out of 10');
      expect(check).toContain('Cooks lunch alone every week');
      expect(check).toContain('Met Edith at home. Cooking matters most.');
      expect(await conversations()).toBe(0);

      // Change an answer from the check: back to the question, then back to the check.
      await page.getByRole('link', { name: 'Change what matters 2', exact: true }).click();
      await expect(page.locator('#new-1-statement').inputValue()).resolves.toBe(
        'I want to sleep through the night',
      );
      await expectNoAxeViolations(page);
      await page.locator('#new-1-statement').fill('I want to sleep through the night without waking');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(h1(page)).resolves.toBe('Check your answers before saving the conversation');
      await expect(page.locator('main').textContent()).resolves.toContain('without waking');

      await page.getByRole('button', { name: 'Save conversation' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${personId}`);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Conversation recorded',
      );
      await expect(page.locator('main').textContent()).resolves.toContain(
        '“I want to cook Sunday lunch for my family again”',
      );
      await expectNoAxeViolations(page);
      expect(await conversations()).toBe(1);

      // Back from the record: the check page's draft was consumed by saving, so Back starts a new
      // conversation rather than offering the saved one to save again (a check page posted again is
      // refused with "already saved": test/integration/conversation-steps.test.ts).
      await page.goBack();
      await expect(h1(page)).resolves.toBe('When was the conversation and who took part?');
      await expect(page.locator('main').textContent()).resolves.not.toContain('You started recording');
      await expectNoAxeViolations(page);
      expect(await conversations()).toBe(1);
    });
  });
});
