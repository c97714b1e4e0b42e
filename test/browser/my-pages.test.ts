import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { signIn as apiSignIn } from '../support/test-app.js';

/**
 * The person's own record in a browser: a short summary first, then a page of its own for one
 * thing that matters (rated on its own page, and back), and for who can see the record; and a
 * carer's view of the same. Every page checked with axe (WCAG 2.2 AA) and for ids used twice.
 */
describeInBrowser('my record: a summary, then a page for each part', { demoPeople: 10 }, (app) => {
  let personId: string;
  let outcome: { id: string; statement: string };

  beforeAll(async () => {
    personId = await demoPersonInCaseload(app.t, await apiSignIn(app.t.app, 'practitioner@demo'));
    const row = await app.t.database.db
      .selectFrom('personal_outcome')
      .select(['outcome_id', 'statement'])
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    outcome = { id: row.outcome_id, statement: row.statement };
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const path = (page: Page) => new URL(page.url()).pathname;

  it('summary → one thing that matters → rate it → back to the summary', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.getByRole('link', { name: 'My record', exact: true }).first().click();
      expect(path(page)).toBe('/my');
      await expect(page.getByRole('heading', { name: 'What matters to me' }).count()).resolves.toBe(1);
      // A summary: no rating forms on it.
      await expect(page.getByRole('radio').count()).resolves.toBe(0);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: `“${outcome.statement}”` }).click();
      expect(path(page)).toBe(`/my/outcomes/${outcome.id}`);
      await expect(h1(page)).resolves.toContain(outcome.statement);
      await expect(page.getByRole('heading', { name: 'Every rating so far' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Rate how it is going' }).click();
      await expect(h1(page)).resolves.toBe('How is this going?');
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Save my rating' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Choose how things are going',
      );
      await expectNoAxeViolations(page);
      await page.getByRole('radio', { name: 'Mostly' }).check();
      await page
        .getByRole('textbox', { name: /Anything you want to add/ })
        .fill('Better since the new carer came');
      await page.getByRole('button', { name: 'Save my rating' }).click();

      expect(path(page)).toBe(`/my/outcomes/${outcome.id}`);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Your rating was saved',
      );
      await expect(page.getByRole('table').textContent()).resolves.toContain(
        'Better since the new carer came',
      );
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Back to my record' }).click();
      expect(path(page)).toBe('/my');
      await expect(page.locator(`#outcome-${outcome.id}`).textContent()).resolves.toContain(
        'You last rated this Mostly (3 out of 4)',
      );
      await expectNoAxeViolations(page);
    });
  });

  it('summary → who can see my record, and the other detail pages', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.goto(`${app.base}/my`);
      await page.getByRole('link', { name: /^See who can see my record and why/ }).click();
      expect(path(page)).toBe('/my/sharing');
      await expect(h1(page)).resolves.toBe('Who can see my record');
      await expect(
        page.getByRole('button', { name: /^Withdraw sharing with / }).count(),
      ).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Back to my record' }).click();
      await page.getByRole('link', { name: 'More about who supports me' }).click();
      expect(path(page)).toBe('/my/care-team');
      await expect(h1(page)).resolves.toBe('Who supports me');
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Back to my record' }).click();
      await page.getByRole('link', { name: 'See, download, correct or erase my record' }).click();
      expect(path(page)).toBe('/my/rights');
      await expect(h1(page)).resolves.toBe('My rights over my record');
      await expectNoAxeViolations(page);
    });
  });

  it('a carer: the summary of someone they care for, and one thing that matters to them', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'carer@demo');
      await page.goto(`${app.base}/my/people/${personId}`);
      await expect(page.locator('main').textContent()).resolves.toContain('has shared their record with you');
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: `“${outcome.statement}”` }).click();
      expect(path(page)).toBe(`/my/people/${personId}/outcomes/${outcome.id}`);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: /^Back to / }).click();
      expect(path(page)).toBe(`/my/people/${personId}`);
      await page.getByRole('link', { name: /^More about who supports / }).click();
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: /^Back to / }).click();
      await page.getByRole('link', { name: /^Ask for something in / }).click();
      expect(path(page)).toBe(`/my/people/${personId}/rights`);
      await expectNoAxeViolations(page);
    });
  });
});
