import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/services/demo-data-service.js';
import { chromiumPath, expectNoAxeViolations, launchBrowser } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe.skipIf(!chromiumPath)('foundation journeys in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ demoPeople: 30 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function withPage(options: { javaScriptEnabled?: boolean }, run: (page: Page) => Promise<void>) {
    const context: BrowserContext = await browser.newContext(options);
    const page = await context.newPage();
    // Pages may answer 4xx on purpose; their stylesheets, scripts and images must not.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(message.text());
      }
    });
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'document' && response.status() >= 400) {
        problems.push(`${response.status()} ${response.url()}`);
      }
    });
    try {
      await run(page);
      expect(problems, 'console errors (CSP violations show here) and failed assets').toEqual([]);
    } finally {
      await context.close();
    }
  }

  async function signIn(page: Page, username: string) {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('the home page explains the service, with NHS.UK styling and no axe violations', async () => {
    await withPage({}, async (page) => {
      await page.goto(base);
      await expect(page.title()).resolves.toBe('WhatMatters – WhatMatters');
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
    await withPage({}, async (page) => {
      await page.goto(`${base}/sign-in`);
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

      await signIn(page, 'practitioner@demo');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Welcome, /);
      await expectNoAxeViolations(page);
    });
  });

  it('signed-in pages: organisations, account, sign out, each with no axe violations', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'admin@demo');
      await page.getByRole('link', { name: 'Organisations', exact: true }).first().click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Organisations and teams',
      );
      await expectNoAxeViolations(page);

      await page.goto(`${base}/account`);
      await expect(page.locator('table').textContent()).resolves.toContain('Administrator');
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'You have signed out',
      );
      await expectNoAxeViolations(page);
      await page.goto(`${base}/organisations`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    });
  });

  it('the API reference is an accessible page', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}/api/docs`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('API reference');
      await expect(page.locator('main').textContent()).resolves.toContain('/api/session');
      await expectNoAxeViolations(page);
    });
  });

  it('works without JavaScript', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await signIn(page, 'person@demo');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Welcome, /);
      await page.goto(`${base}/organisations`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Organisations and teams',
      );
    });
  });

  it('a missing page is an NHS.UK error page with no axe violations', async () => {
    await withPage({}, async (page) => {
      const response = await page.goto(`${base}/no-such-page`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
      await expectNoAxeViolations(page);
    });
  });
});
