import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { signIn as apiSignIn } from '../support/test-app.js';

/**
 * The person's rights in a browser: everything held about them, asking for a correction and the
 * care team's answer, and an administrator's decision on a request to erase a record, each page
 * checked with axe for WCAG 2.2 AA.
 */
describeInBrowser('the person’s rights in a browser', { demoPeople: 20 }, (app) => {
  let personId: string;

  beforeAll(async () => {
    personId = await demoPersonInCaseload(app.t, await apiSignIn(app.t.app, 'practitioner@demo'));
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  it('the person: my record → everything held about me → ask for a correction', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.getByRole('link', { name: 'My record', exact: true }).first().click();
      expect(new URL(page.url()).pathname).toBe('/my');
      await expect(page.getByRole('heading', { name: 'Who can see my record' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: /^See who can see my record and why/ }).click();
      expect(new URL(page.url()).pathname).toBe('/my/sharing');
      await expect(page.getByRole('button', { name: /^Withdraw/ }).count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Back to my record' }).click();
      await page.getByRole('link', { name: 'See, download, correct or erase my record' }).click();
      expect(new URL(page.url()).pathname).toBe('/my/rights');
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'See, print or download everything held about me' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${personId}/export`);
      await expect(h1(page)).resolves.toBe('Everything held about me');
      await expect(page.getByRole('heading', { name: 'Who has looked at the record' }).count()).resolves.toBe(
        1,
      );
      await expect(
        page.getByRole('link', { name: /Download all of it as a file/ }).getAttribute('href'),
      ).resolves.toBe(`/api/people/${personId}/export`);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Back to my record' }).click();
      await page.getByRole('link', { name: 'See, download, correct or erase my record' }).click();
      await page.getByRole('link', { name: 'Ask for something to be corrected' }).click();
      await expect(h1(page)).resolves.toBe('Ask for something in the record to be corrected');
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Send the request' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Say what is wrong in the record',
      );
      await expectNoAxeViolations(page);

      await page.getByLabel('What is wrong').fill('My phone number is an old one');
      await page.getByLabel('What it should say (optional)').fill('07700 900123');
      await page.getByRole('button', { name: 'Send the request' }).click();
      expect(new URL(page.url()).pathname).toBe('/my');
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Your request for a correction was sent',
      );
      await expect(page.locator('section[aria-labelledby="my-requests"]').textContent()).resolves.toContain(
        '1 request is waiting for an answer',
      );
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'See, download, correct or erase my record' }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('My phone number is an old one');
      await expectNoAxeViolations(page);
    });
  });

  it('the care team answers the request from the person page', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}`);
      await expect(page.locator('main').textContent()).resolves.toContain('My phone number is an old one');
      await page
        .getByRole('link', { name: /^Answer this request/ })
        .first()
        .click();
      await expect(h1(page)).resolves.toBe('Answer a request to correct the record');
      await expectNoAxeViolations(page);

      await page.getByRole('radio', { name: 'Yes, it has been corrected' }).check();
      await page.getByLabel('What was corrected, or why it will not be changed').fill('Phone number updated');
      await page.getByRole('button', { name: 'Send the answer' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${personId}`);
      await expect(page.locator('.nhsuk-notification-banner').first().textContent()).resolves.toContain(
        'Your answer was saved',
      );
      await expectNoAxeViolations(page);
    });
  });

  it('an administrator: erasure requests → one request → declined with the reason', async () => {
    const person = await apiSignIn(app.t.app, 'person@demo');
    const asked = await app.t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/erasure-requests`,
      headers: { cookie: person },
      payload: { grounds: 'I no longer want my information kept.' },
    });
    expect(asked.statusCode).toBe(201);

    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      await page.goto(`${app.base}/admin/erasure-requests`);
      await expect(h1(page)).resolves.toBe('Requests to erase records');
      await expect(page.locator('main').textContent()).resolves.toContain(
        'I no longer want my information kept.',
      );
      await expectNoAxeViolations(page);

      await page
        .getByRole('link', { name: /^Decide/ })
        .first()
        .click();
      await expect(h1(page)).resolves.toBe('Decide on a request to erase a record');
      await expect(page.getByRole('heading', { name: 'What will be kept, and why' }).count()).resolves.toBe(
        1,
      );
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Erase the record' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Confirm that you have read what will be erased',
      );
      await expectNoAxeViolations(page);

      await page
        .getByLabel('Why the record cannot be erased')
        .fill('Health and care records must be kept for 8 years after care ends.');
      await page.getByRole('button', { name: 'Decline the request' }).click();
      expect(new URL(page.url()).pathname).toBe('/admin/erasure-requests');
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'The request was declined',
      );
      await expectNoAxeViolations(page);
    });
  });
});
