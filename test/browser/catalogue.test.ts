import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * The catalogue of measures in a browser: a commissioner browses it from the header, filters it,
 * opens an entry, looks at the gaps in a framework, and changes an entry (an error first, on its
 * field, then saved); a practitioner follows an instrument's entry to its questionnaire's page
 * (licence, bands, a preview of its form that cannot be filled in). Every page checked with axe (WCAG 2.2 AA) and for ids used twice.
 */
describeInBrowser(
  'the catalogue of measures: browse, filter, an entry, the gaps, editing',
  { demoPeople: 10 },
  (app) => {
    const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
    const path = (page: Page) => new URL(page.url()).pathname;

    it('browse → filter → entry → gaps → edit', async () => {
      await app.withPage(async (page) => {
        await app.signIn(page, 'commissioner@demo');
        await page.getByRole('link', { name: 'Measures catalogue', exact: true }).first().click();
        expect(path(page)).toBe('/catalogue');
        await expect(h1(page)).resolves.toBe('Catalogue of measures');
        await expectNoAxeViolations(page);

        // Filter: measures about housing.
        await page.getByLabel('Area of life').selectOption('housing');
        await page.getByRole('button', { name: 'Show entries' }).click();
        expect(new URL(page.url()).searchParams.get('lifeArea')).toBe('housing');
        const table = page.getByRole('table');
        await expect(table.textContent()).resolves.toContain('Adult Social Care Outcomes Toolkit (ASCOT)');
        await expect(table.textContent()).resolves.not.toContain('Patient Health Questionnaire');
        await expectNoAxeViolations(page);

        // An entry's own page.
        await page.getByRole('link', { name: 'Adult Social Care Outcomes Toolkit (ASCOT)' }).click();
        await expect(h1(page)).resolves.toBe('Adult Social Care Outcomes Toolkit (ASCOT)');
        await expect(page.locator('.nhsuk-summary-list').textContent()).resolves.toContain(
          'University of Kent',
        );
        await expectNoAxeViolations(page);

        // The gaps in the carers' framework, then the commissioning framework.
        await page.getByRole('link', { name: 'Back to the catalogue of measures' }).click();
        await page.getByRole('link', { name: /See the gaps/ }).click();
        expect(path(page)).toBe('/catalogue/gaps');
        await expect(page.getByRole('columnheader', { name: 'Gap' }).count()).resolves.toBeGreaterThan(0);
        await expectNoAxeViolations(page);
        await page.getByLabel('Framework').selectOption('commissioning:long-term-conditions');
        await page.getByRole('button', { name: 'Show gaps' }).click();
        await expect(h1(page)).resolves.toContain('Living well with long-term conditions');
        await expect(
          page.getByRole('rowheader', { name: 'I am as well as I can be.' }).count(),
        ).resolves.toBe(1);
        await expectNoAxeViolations(page);

        // Change an entry: a bad address is refused on its field, then the change is saved.
        await page.goto(`${app.base}/catalogue?kind=measure`);
        await page.getByRole('link', { name: 'CORE-10' }).click();
        await page.getByRole('button', { name: 'Change this entry' }).click();
        await expect(h1(page)).resolves.toBe('Change CORE-10');
        await expectNoAxeViolations(page);
        await page.getByLabel('Where to get it (optional)').fill('not a web address');
        await page.getByRole('button', { name: 'Save entry' }).click();
        const summary = page.locator('.nhsuk-error-summary');
        await expect(summary.textContent()).resolves.toContain('must be a web address');
        await expect(summary.getByRole('link').first().getAttribute('href')).resolves.toBe('#sourceUrl');
        await expectNoAxeViolations(page);
        await page.getByLabel('Where to get it (optional)').fill('https://www.coresystemtrust.org.uk/');
        await page.getByLabel('Employment').check();
        await page.getByRole('button', { name: 'Save entry' }).click();
        await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
          'Your changes to CORE-10 were saved.',
        );
        await expect(page.locator('.nhsuk-summary-list').textContent()).resolves.toContain('Employment');
        await expectNoAxeViolations(page);

        // Adding an entry starts from an empty form.
        await page.goto(`${app.base}/catalogue/new`);
        await expect(h1(page)).resolves.toBe('Add to the catalogue');
        await expectNoAxeViolations(page);
      });
    });

    it('an instrument’s entry → its questionnaire’s page: licence, scoring and a preview of the form', async () => {
      await app.withPage(async (page) => {
        await app.signIn(page, 'practitioner@demo');
        await page.goto(`${app.base}/catalogue?kind=measure`);
        await page
          .getByRole('link', { name: /Patient Health Questionnaire/ })
          .first()
          .click();
        await page.getByRole('link', { name: /Built-in instrument: what it asks/ }).click();
        expect(path(page)).toBe('/questionnaires/phq9');
        await expect(h1(page)).resolves.toContain('Patient Health Questionnaire');
        await expect(page.locator('.nhsuk-summary-list').textContent()).resolves.toContain('Pfizer');
        await expect(page.getByRole('table', { name: 'Bands of the total' }).count()).resolves.toBe(1);
        // A preview: every answer is there to read, and none can be chosen.
        const radios = page.getByRole('radio');
        await expect(radios.count()).resolves.toBeGreaterThan(9 * 4);
        await expect(radios.first().isDisabled()).resolves.toBe(true);
        await expectNoAxeViolations(page);
      });
    });
  },
);
