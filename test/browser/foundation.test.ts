import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

describeInBrowser('foundation journeys in a browser', { demoPeople: 30 }, (app) => {
  it('the home page explains the service, with NHS.UK styling and no axe violations', async () => {
    await app.withPage(async (page) => {
      await page.goto(app.base);
      await expect(page.title()).resolves.toBe('WhatMatters');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'What matters to you',
      );
      const headerColour = await page.evaluate(
        "getComputedStyle(document.querySelector('.nhsuk-header')).backgroundColor",
      );
      expect(headerColour).toBe('rgb(0, 94, 184)'); // NHS blue: the stylesheet loaded
      await expectNoAxeViolations(page);
    });
  });

  it('sign-in: errors shown in an error summary, then signed in, with no axe violations', async () => {
    await app.withPage(async (page) => {
      await page.goto(`${app.base}/sign-in`);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Enter your username',
      );
      await expectNoAxeViolations(page);

      await page.getByLabel('Username').fill('practitioner@demo');
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Enter a correct username',
      );

      await app.signIn(page, 'practitioner@demo');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Welcome, /);
      await expectNoAxeViolations(page);
    });
  });

  it('signed-in pages: organisations, account, sign out, each with no axe violations', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      await page.getByRole('link', { name: 'Organisations', exact: true }).first().click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Organisations and teams',
      );
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/account`);
      await expect(page.locator('table').textContent()).resolves.toContain('Administrator');
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'You have signed out',
      );
      await expectNoAxeViolations(page);
      await page.goto(`${app.base}/organisations`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    });
  });

  it('the API reference is an accessible page', async () => {
    await app.withPage(async (page) => {
      await page.goto(`${app.base}/api/docs`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('API reference');
      await expect(page.locator('main').textContent()).resolves.toContain('/api/session');
      await expectNoAxeViolations(page);
    });
  });

  it('works without JavaScript', async () => {
    await app.withPage(
      async (page) => {
        await app.signIn(page, 'person@demo');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Welcome, /);
        await page.goto(`${app.base}/organisations`);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
          'Organisations and teams',
        );
      },
      { javaScriptEnabled: false },
    );
  });

  it('a missing page is an NHS.UK error page with no axe violations', async () => {
    await app.withPage(async (page) => {
      const response = await page.goto(`${app.base}/no-such-page`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
      await expectNoAxeViolations(page);
    });
  });
});
