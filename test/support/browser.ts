import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { duplicateIds } from './forms.js';
import { createTestApp, type TestApp } from './test-app.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Debian's Chromium (never a downloaded browser). CI sets WM_REQUIRE_BROWSER so a missing browser
 * fails the run; elsewhere the browser tests are skipped with a message.
 */
export const chromiumPath = CANDIDATES.find((p): p is string => !!p && fs.existsSync(p)) ?? null;
if (!chromiumPath) {
  const message =
    'Chromium not found (set CHROMIUM_PATH or apt-get install chromium): browser tests skipped.';
  if (process.env.WM_REQUIRE_BROWSER) throw new Error(message);
  console.warn(message);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath ?? undefined,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** WCAG 2.2 AA and everything below it, as axe tags them. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
  expect(duplicateIds(await page.content()), `ids used twice on ${page.url()}`).toEqual([]);
}

export interface BrowserApp {
  t: TestApp;
  /** The app's address, for example http://127.0.0.1:40123 */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The real application listening on a free local port, and a browser to drive it. */
export async function startBrowserApp(
  options: Parameters<typeof createTestApp>[0] = {},
): Promise<BrowserApp> {
  const t = await createTestApp(options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await t.close();
    throw error;
  });
  return {
    t,
    base,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Collects what should never happen on a page: console errors (CSP violations show there), except
 * Chromium's own report of a failed load, and failed stylesheets, scripts and images. Pages may
 * answer 4xx on purpose; their assets must not.
 */
export function watchForProblems(page: Page): string[] {
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
  return problems;
}

export function expectNoProblems(problems: readonly string[]): void {
  expect(problems, 'console errors (CSP violations show here) and failed assets').toEqual([]);
}

/** Runs `run` on a page in a fresh browser context, then checks the page had no problems. */
export async function withPage(
  browser: Browser,
  run: (page: Page) => Promise<void>,
  options: BrowserContextOptions = {},
): Promise<void> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  try {
    await run(page);
    expectNoProblems(problems);
  } finally {
    await context.close();
  }
}

/** Signs in as a demo user through the sign-in page, and waits for the home page it leads to. */
export async function signInThroughPage(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

/** The running app and browser a browser test works with, ready inside its tests and hooks. */
export interface BrowserJourney {
  readonly t: TestApp;
  /** The app's address, for example http://127.0.0.1:40123 */
  readonly base: string;
  readonly browser: Browser;
  /** Runs `run` on a page in a fresh browser context, then checks the page had no problems. */
  withPage(run: (page: Page) => Promise<void>, options?: BrowserContextOptions): Promise<void>;
  /** Signs in as a demo user through the sign-in page. */
  signIn(page: Page, username: string): Promise<void>;
}

/**
 * The one preamble of every browser test: a suite (skipped with a message when there is no
 * Chromium, failing instead under WM_REQUIRE_BROWSER) that starts the app with demo data and a
 * browser before its tests and stops both after them. Set-up of the test's own goes in a
 * `beforeAll` inside `body`, which runs once the app is up.
 */
export function describeInBrowser(
  name: string,
  options: Parameters<typeof createTestApp>[0],
  body: (app: BrowserJourney) => void,
): void {
  describe.skipIf(!chromiumPath)(name, () => {
    let started: BrowserApp | undefined;
    const running = (): BrowserApp => {
      if (!started) throw new Error('The browser app starts in beforeAll: use it inside a test or hook.');
      return started;
    };
    const journey: BrowserJourney = {
      get t() {
        return running().t;
      },
      get base() {
        return running().base;
      },
      get browser() {
        return running().browser;
      },
      withPage: (run, contextOptions) => withPage(running().browser, run, contextOptions),
      signIn: (page, username) => signInThroughPage(page, running().base, username),
    };
    beforeAll(async () => {
      started = await startBrowserApp(options);
    });
    afterAll(() => started?.close());
    body(journey);
  });
}
