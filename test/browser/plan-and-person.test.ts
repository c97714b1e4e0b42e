import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { demoCarerLink, demoPersonInCaseload } from '../support/demo.js';
import { signIn as apiSignIn } from '../support/test-app.js';

/**
 * The person's journey (their own record, their plan, adding and rating what matters) and the
 * practitioner's (writing a plan with actions from two agencies, comparing versions, printing),
 * each page checked with axe for WCAG 2.2 AA.
 */
describeInBrowser('plan and person journeys in a browser', { demoPeople: 20 }, (app) => {
  let demoPersonId: string;

  beforeAll(async () => {
    // The demo data puts person@demo in practitioner@demo's team caseload, with a plan to see.
    demoPersonId = await demoPersonInCaseload(app.t, await apiSignIn(app.t.app, 'practitioner@demo'));
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  it('the person: my record, my plan, add what matters, rate it', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.getByRole('link', { name: 'My record', exact: true }).first().click();
      expect(new URL(page.url()).pathname).toBe('/my');
      await expect(page.getByRole('heading', { name: 'What matters to me' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'See my care and support plan' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${demoPersonId}/plan`);
      await expect(page.getByRole('heading', { name: 'My goals and hopes' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Back to my record' }).click();
      await page.getByRole('link', { name: 'Add something that matters to me' }).click();
      await expect(h1(page)).resolves.toBe('Add something that matters to me');
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Add it' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Write what matters to you, in your own words',
      );
      await expectNoAxeViolations(page);

      await page.getByLabel('What matters to you?').fill('I want to go to the library again');
      await page.getByLabel('Why does it matter? (optional)').fill('I love reading and the people there');
      await page.getByRole('checkbox').first().check();
      await page.getByRole('radio', { name: 'A little' }).check();
      await page.getByRole('button', { name: 'Add it' }).click();
      expect(new URL(page.url()).pathname).toBe('/my');
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        '“I want to go to the library again” was added to what matters to you',
      );
      await expectNoAxeViolations(page);

      // The summary links to the outcome's own page, where it is rated.
      await page.getByRole('link', { name: '“I want to go to the library again”' }).click();
      expect(new URL(page.url()).pathname).toMatch(/^\/my\/outcomes\/[0-9a-f-]{36}$/);
      await expect(page.locator('main').textContent()).resolves.toContain(
        'I love reading and the people there',
      );
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Rate how it is going' }).click();
      await page.getByRole('radio', { name: 'Mostly' }).check();
      await page.getByRole('button', { name: 'Save my rating' }).click();
      expect(new URL(page.url()).pathname).toMatch(/^\/my\/outcomes\/[0-9a-f-]{36}$/);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Your rating was saved',
      );
      await expect(page.locator('main').textContent()).resolves.toContain('Mostly (3 out of 4)');
      await expectNoAxeViolations(page);
    });
  });

  it('the practitioner: writes a plan with two agencies, sees the new version, compares, prints', async () => {
    const practitioner = await apiSignIn(app.t.app, 'practitioner@demo');
    const registered = await app.t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: practitioner },
      payload: { givenName: 'Arthur', familyName: 'Pennington', sex: 'male', dateOfBirth: '1941-05-09' },
    });
    const personId: string = registered.json().personId;

    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}/plan`);
      await expect(page.getByRole('heading', { name: 'No plan yet' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Create the plan' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${personId}/plan/edit`);
      await expectNoAxeViolations(page);

      await page.locator('#aboutMe-mostImportant').fill('Getting out to the bowls club');
      await page.locator('#strengths').fill('Sociable\nKnows everyone on the street');
      await page.locator('#goals-0-description').fill('Play bowls again this summer');
      await page.locator('#goals-0-actions-0-what').fill('Lift to the bowls club on Saturdays');
      await page.locator('#goals-0-actions-0-who-kind').selectOption('organisation');
      await page.locator('#goals-0-actions-0-who-name').fill('Befriending Service');
      await page
        .locator('#goals-0-actions-0-who-organisationId')
        .selectOption({ label: 'Riverside Good Neighbours' });
      await page.locator('#goals-0-actions-0-status').selectOption('in-progress');
      await page.locator('#goals-0-actions-0-confidence').selectOption('8');
      await page.getByRole('button', { name: 'Save the plan' }).click();
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Plan saved as version 1',
      );
      await expectNoAxeViolations(page);

      // Editing again, the blank row for a new action follows the saved one; an action with neither
      // a name nor an organisation for who does it is an error.
      await page.goto(`${app.base}/people/${personId}/plan/edit`);
      await page.locator('#goals-0-actions-1-what').fill('Check the garden path is safe');
      await page.getByRole('button', { name: 'Save the plan' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Enter the name of who does action 2 of goal 1, or choose their organisation',
      );
      await expectNoAxeViolations(page);
      await page.locator('.nhsuk-error-summary a').first().click();
      await expect(page.evaluate('document.activeElement.id')).resolves.toBe('goals-0-actions-1-who-name');

      await page.locator('#goals-0-actions-1-who-kind').selectOption('team');
      await page.locator('#goals-0-actions-1-who-name').fill('Independent Living Team');
      await page
        .locator('#goals-0-actions-1-who-organisationId')
        .selectOption({ label: "Weaver's Wharf Housing Association" });
      await page.locator('#goals-0-actions-1-when').fill('By the end of May');
      await page.locator('#changeSummary').fill('Added a home safety check from housing');
      await page.getByRole('button', { name: 'Save the plan' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${personId}/plan`);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Plan saved as version 2',
      );
      const goal = await page.locator('.wm-plan-goal').first().textContent();
      expect(goal).toContain('Riverside Good Neighbours');
      expect(goal).toContain("Weaver's Wharf Housing Association");
      expect(goal).toContain('8 out of 10');
      await expect(page.locator('.wm-plan-version').textContent()).resolves.toContain('Version 2, saved by');
      await expectNoAxeViolations(page);

      await page.getByLabel('From version', { exact: true }).selectOption('1');
      await page.getByLabel('To version', { exact: true }).selectOption('2');
      await page.getByRole('button', { name: 'Compare versions' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${personId}/plan/compare`);
      const changes = await page.locator('table').textContent();
      expect(changes).toContain('Check the garden path is safe');
      expect(changes).toContain('Added');
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/people/${personId}/plan/versions/1`);
      await expect(page.getByRole('heading', { name: 'An earlier version' }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/people/${personId}/plan`);
      await page.getByRole('link', { name: 'Print this plan' }).click();
      await expect(h1(page)).resolves.toBe('Care and support plan for Arthur Pennington');
      await expect(page.locator('main').textContent()).resolves.toContain('Date printed');
      await expect(page.getByRole('navigation', { name: 'Main menu' }).count()).resolves.toBe(0);
      await expectNoAxeViolations(page);
    });
  });
  it('a carer: the people who shared their record, their record, rating from the carer’s view', async () => {
    // The demo data links carer@demo to person@demo, who lets them see their record and add to it.
    await demoCarerLink(app.t, demoPersonId);
    const person = await apiSignIn(app.t.app, 'person@demo');
    const added = await app.t.app.inject({
      method: 'POST',
      url: `/api/people/${demoPersonId}/outcomes`,
      headers: { cookie: person },
      payload: { statement: 'I want to cook my own dinner', score: 2 },
    });
    const outcomeId: string = added.json().outcomeId;

    await app.withPage(async (page) => {
      await app.signIn(page, 'carer@demo');
      await page.getByRole('link', { name: 'My record', exact: true }).first().click();
      await expect(h1(page)).resolves.toBe('People you care for');
      await expectNoAxeViolations(page);

      await page.locator(`a[href="/my/people/${demoPersonId}"]`).first().click();
      await expect(page.locator('main').textContent()).resolves.toContain('has shared their record with you');
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/people/${demoPersonId}/outcomes/${outcomeId}/rate`);
      await page.getByRole('button', { name: 'Save my rating' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Choose how things are going',
      );
      await expectNoAxeViolations(page);
      await page.getByRole('radio', { name: 'Fully' }).check();
      await page.getByRole('button', { name: 'Save my rating' }).click();
      expect(new URL(page.url()).pathname).toBe(`/my/people/${demoPersonId}/outcomes/${outcomeId}`);
      await expect(page.locator('main').textContent()).resolves.toContain('I want to cook my own dinner');
      await expect(page.locator('main').textContent()).resolves.toContain('Views differ');
      await expectNoAxeViolations(page);
    });
  });
});
