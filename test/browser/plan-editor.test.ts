import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { duplicateIds } from '../support/forms.js';
import { signIn as apiSignIn } from '../support/test-app.js';

/**
 * The plan editor adding several goals and actions before one save: with script the rows are added
 * on the page; without it, each "Add another" posts the form and it comes back with a blank row and
 * nothing saved. An action from an organisation needs no person's name. Every page checked with axe.
 */
describeInBrowser('the plan editor, several goals and actions in one save', { demoPeople: 5 }, (app) => {
  let personIds: string[] = [];

  beforeAll(async () => {
    const practitioner = await apiSignIn(app.t.app, 'practitioner@demo');
    personIds = [];
    for (const givenName of ['Harold', 'Maud']) {
      const registered = await app.t.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: { cookie: practitioner },
        payload: { givenName, familyName: 'Fenwick', sex: 'male', dateOfBirth: '1939-10-01' },
      });
      personIds.push(registered.json().personId);
    }
  });

  /** Fills one action row. */
  async function action(page: Page, g: number, a: number, what: string, organisation: string, name = '') {
    const at = `#goals-${g}-actions-${a}-`;
    await page.locator(`${at}what`).fill(what);
    await page.locator(`${at}who-kind`).selectOption('organisation');
    if (name) await page.locator(`${at}who-name`).fill(name);
    await page.locator(`${at}who-organisationId`).selectOption({ label: organisation });
  }

  /**
   * Axe runs as script in the page, so without script each page is checked for ids used twice
   * only; the same templates are checked with axe in the run with script.
   */
  async function writeAndSave(page: Page, personId: string, script: boolean) {
    const checkPage = script
      ? expectNoAxeViolations
      : async (p: Page) => expect(duplicateIds(await p.content())).toEqual([]);
    await app.signIn(page, 'practitioner@demo');
    await page.goto(`${app.base}/people/${personId}/plan/edit`);
    await checkPage(page);
    await page.locator('#goals-0-description').fill('Get to the library each week');
    await action(page, 0, 0, 'Lift on Wednesdays', 'Riverside Good Neighbours');
    await page.getByRole('button', { name: 'Add another action to this goal' }).click();
    await checkPage(page);
    await action(page, 0, 1, 'Large-print library card', 'Riverside Good Neighbours', 'Library outreach');
    await page.getByRole('button', { name: 'Add another goal' }).click();
    await checkPage(page);
    await page.locator('#goals-1-description').fill('Feel less dizzy in the mornings');
    await action(page, 1, 0, 'Blood pressure check', "Weaver's Wharf Housing Association");
    await page.getByRole('button', { name: 'Add another action to this goal' }).nth(1).click();
    await checkPage(page);
    await action(page, 1, 1, 'Grab rail by the bed', "Weaver's Wharf Housing Association");
    await page.getByRole('button', { name: 'Save the plan' }).click();
    expect(new URL(page.url()).pathname).toBe(`/people/${personId}/plan`);
    await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
      'Plan saved as version 1',
    );
    const plan = await page.locator('main').textContent();
    for (const text of [
      'Get to the library each week',
      'Lift on Wednesdays',
      'Large-print library card',
      'Feel less dizzy in the mornings',
      'Blood pressure check',
      'Grab rail by the bed',
    ])
      expect(plan).toContain(text);
    await checkPage(page);
    const versions = await app.t.database.db
      .selectFrom('care_plan_version')
      .select('version')
      .where('person_id', '=', personId)
      .execute();
    expect(versions).toHaveLength(1);
  }

  it('with script, adds the rows on the page', async () => {
    await app.withPage((page) => writeAndSave(page, personIds[0] ?? '', true));
  });

  it('without script, each "Add another" comes back with a blank row and nothing saved', async () => {
    await app.withPage((page) => writeAndSave(page, personIds[1] ?? '', false), { javaScriptEnabled: false });
  });
});
