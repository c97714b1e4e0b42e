import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

describeInBrowser('your account in a browser', { demoPeople: 5 }, (app) => {
  it('the account page offers changing the password and signing out everywhere, with no axe violations', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'commissioner@demo');
      await page.goto(`${app.base}/account`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your account');
      await expect(page.getByRole('link', { name: 'Change your password' }).count()).resolves.toBe(1);
      await expect(page.getByRole('button', { name: 'Sign out everywhere' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
    });
  });

  it('changes the password: errors in the error summary, then a confirmation, with no axe violations', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'analyst@demo');
      await page.goto(`${app.base}/account`);
      await page.getByRole('link', { name: 'Change your password' }).click();
      await page.waitForURL(`${app.base}/account/password`);
      await expect(page.title()).resolves.toBe('Change your password – WhatMatters');
      await expectNoAxeViolations(page);

      await page.getByLabel('Current password', { exact: true }).fill('whatmatters-demo');
      await page.getByLabel('New password', { exact: true }).fill('qwertyuiop');
      await page.getByRole('button', { name: 'Change password' }).click();
      await expect(page.title()).resolves.toBe('Error: Change your password – WhatMatters');
      const summary = page.locator('.nhsuk-error-summary');
      await expect(summary.textContent()).resolves.toContain('most commonly used passwords');
      await expectNoAxeViolations(page);

      // The error summary's link takes you to the field at fault.
      await summary.getByRole('link').first().click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe(
        'newPassword',
      );

      await page.getByLabel('Current password', { exact: true }).fill('whatmatters-demo');
      await page.getByLabel('New password', { exact: true }).fill('marble orchard kite');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.waitForURL(`${app.base}/account?changed=password`);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Your password has been changed',
      );
      await expectNoAxeViolations(page);
    });
  });

  it('signs out everywhere, with no axe violations on the page that says so', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'carer@demo');
      await page.goto(`${app.base}/account`);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'You have signed out everywhere',
      );
      await expectNoAxeViolations(page);
      await page.goto(`${app.base}/account`);
      await page.waitForURL(/\/sign-in\?returnTo=/);
    });
  });
});
