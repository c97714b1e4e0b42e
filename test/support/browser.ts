import fs from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

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
}
