import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import {
  describeInBrowser,
  expectNoAxeViolations,
  expectNoProblems,
  watchForProblems,
} from '../support/browser.js';
import { signIn } from '../support/test-app.js';

/**
 * The practitioner's whole journey, as a person would click it: sign in → find the person → record a
 * first conversation with outcomes and ratings → agree a plan with actions from two agencies →
 * review with goal attainment → the timeline shows it. Every page is checked with axe.
 */
describeInBrowser('practitioner journey in a browser', { demoPeople: 20 }, (app) => {
  let page: Page;
  let personId: string;
  // One page for the whole journey, so problems are collected across the tests and checked at the end.
  let problems: string[];

  beforeAll(async () => {
    // The person is referred to the practitioner's team before the journey starts.
    const cookie = await signIn(app.t.app, 'practitioner@demo');
    const registered = await app.t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie },
      payload: { givenName: 'Winifred', familyName: 'Achterberg', sex: 'female', dateOfBirth: '1937-07-19' },
    });
    personId = registered.json().personId;
    page = await (await app.browser.newContext()).newPage();
    problems = watchForProblems(page);
  });

  const h1 = () => page.getByRole('heading', { level: 1 }).first().textContent();

  it('signs in and finds the person in the caseload', async () => {
    await app.signIn(page, 'practitioner@demo');
    await page.getByRole('link', { name: 'Caseload' }).first().click();
    await expect(h1()).resolves.toBe('Your caseload');
    await expectNoAxeViolations(page);
    await page.getByLabel('Overdue reviews').check();
    await page.getByRole('button', { name: 'Search' }).click();
    await expectNoAxeViolations(page);
    await page.goto(`${app.base}/caseload`);
    await page.getByLabel('Search by name or NHS number').fill('achterberg');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.locator('table').textContent()).resolves.toContain('No plan');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Winifred Achterberg' }).click();
    expect(new URL(page.url()).pathname).toBe(`/people/${personId}`);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Change contact details and communication needs' }).click();
    await page.getByLabel('Communication needs').fill('Hard of hearing: face her and speak clearly');
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('Hard of hearing');
    await expectNoAxeViolations(page);
  });

  it('records a first conversation with three outcomes, ratings and a GAS goal, a question a page', async () => {
    const next = async () => {
      await page.getByRole('button', { name: 'Continue' }).click();
      await expectNoAxeViolations(page);
    };
    await page.getByRole('button', { name: 'Record a first conversation' }).click();
    await expectNoAxeViolations(page);
    // Who took part and when: today, with the person and the practitioner, as offered.
    await next();
    const outcomes = [
      'I want to get back to my walking group on Thursdays',
      "I'd like to feel safe in my own home at night",
      'I want to see my grandchildren more',
    ];
    for (const [n, statement] of outcomes.entries()) {
      await page.locator(`#new-${n}-statement`).fill(statement);
      if (n === 0) {
        await page.locator('#new-0-why').fill('My friends are there');
        await page.locator('#new-0-importance').selectOption('9');
      }
      await next();
      await page.getByLabel(n < 2 ? 'Yes' : 'No', { exact: true }).check();
      await next();
    }
    await page.locator('input[name="new-0-rating-person"][value="1"]').check();
    await page.locator('input[name="new-0-rating-practitioner"][value="2"]').check();
    await next();
    await page.locator('input[name="new-1-rating-person"][value="2"]').check();
    await next();
    await page.locator('input[name="new-2-rating-person"][value="2"]').check();
    await next();
    await page.getByLabel('Yes', { exact: true }).check();
    await page.locator('#new-0-gas-m2').fill('Not leaving the house');
    await page.locator('#new-0-gas-m1').fill('Walks to the end of the road with help');
    await page.locator('#new-0-gas-z0').fill('Walks to the shop and back twice a week');
    await page.locator('#new-0-gas-p1').fill('Goes to the walking group most weeks');
    await page.locator('#new-0-gas-p2').fill('Leads part of the walk');
    await page.locator('input[name="new-0-gas-baseline"][value="-1"]').check();
    await next();
    for (let n = 1; n < 3; n++) {
      await page.getByLabel('No', { exact: true }).check();
      await next();
    }
    await page.locator('#summary').fill('Met Winifred at home with her nephew.');
    await page.locator('#nextReview-day').fill('1');
    await page.locator('#nextReview-month').fill('12');
    await page.locator('#nextReview-year').fill(String(new Date().getFullYear() + 1));
    await next();
    await expect(h1()).resolves.toBe('Check your answers before saving the conversation');
    await page.getByRole('button', { name: 'Save conversation' }).click();
    await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
      'Conversation recorded',
    );
    const whatMatters = await page.locator('main').textContent();
    expect(whatMatters).toContain('“I want to get back to my walking group on Thursdays”');
    expect(whatMatters).toContain('Views differ');
    await expectNoAxeViolations(page);
  });

  it('agrees a plan with actions from two agencies', async () => {
    await page.getByRole('link', { name: 'Care and support plan' }).click();
    await page.getByRole('button', { name: 'Create the plan' }).click();
    await expectNoAxeViolations(page);
    await page.locator('#aboutMe-mostImportant').fill('Seeing my friends at the walking group');
    await page.locator('#goals-0-description').fill('Walking with the group again');
    await page.locator('#goals-0-actions-0-what').fill('Physiotherapy assessment for balance');
    await page.locator('#goals-0-actions-0-who-kind').selectOption('organisation');
    await page.locator('#goals-0-actions-0-who-name').fill('Community physiotherapy');
    await page.locator('#goals-0-actions-0-who-organisationId').selectOption({ index: 1 });
    await page.locator('#goals-0-actions-0-status').selectOption('in-progress');
    // A second action for the same goal, added on the page; an organisation needs no person's name.
    await page.getByRole('button', { name: 'Add another action to this goal' }).click();
    await page.locator('#goals-0-actions-1-what').fill('A walking buddy for the first three Thursdays');
    await page.locator('#goals-0-actions-1-who-kind').selectOption('organisation');
    await page
      .locator('#goals-0-actions-1-who-organisationId')
      .selectOption({ label: 'Riverside Good Neighbours' });
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
      'Plan saved as version 1',
    );
    const plan = await page.locator('.wm-plan-goal').first().textContent();
    expect(plan).toContain('Riverside Good Neighbours');
    expect(plan).toContain('Physiotherapy assessment for balance');
    await expectNoAxeViolations(page);
  });

  it('reviews with goal attainment, and the timeline shows it', async () => {
    await page.getByRole('link', { name: 'Summary' }).click();
    await page.getByRole('button', { name: 'Record a review' }).click();
    await expectNoAxeViolations(page);
    await page.locator('#summary').fill('Winifred walked to the shop twice this week.');
    await page.locator('#whatHelped').fill('Her walking buddy');
    // A pasted link with no spaces: it must wrap, not widen the page past the screen.
    await page.locator('#whatGotInTheWay').fill(`The rain; see https://example.org/${'a'.repeat(400)}`);
    const walking = page.getByRole('group', {
      name: '“I want to get back to my walking group on Thursdays”',
    });
    await walking.locator('input[name$="-person"][value="3"]').check();
    await walking.locator('input[name$="-practitioner"][value="3"]').check();
    await walking.locator('input[name^="gas-"][value="0"]').check();
    await page.getByRole('button', { name: 'Save review' }).click();
    await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
      'Review recorded',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('Goal attainment T-score by review');
    await expectNoAxeViolations(page);
    await expect(page.locator('main').textContent()).resolves.toContain('https://example.org/aaaa');
    // Evaluated in the page (a string: the tests' TypeScript has no DOM types).
    const widths = (await page.evaluate(
      '({ page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth })',
    )) as { page: number; screen: number };
    expect(widths.page).toBeLessThanOrEqual(widths.screen);

    await page.getByRole('link', { name: 'Timeline' }).click();
    const timeline = await page.locator('main').textContent();
    expect(timeline).toContain('Review');
    expect(timeline).toContain(
      'Goal attainment for “I want to get back to my walking group on Thursdays”: 0',
    );
    expect(timeline).toContain('Care and support plan agreed (version 1)');
    expect(timeline).toContain('rated “I want to get back to my walking group on Thursdays”: Mostly');
    await expectNoAxeViolations(page);
    expectNoProblems(problems);
  });
});
