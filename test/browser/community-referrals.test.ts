import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { todayIso } from '../../src/domain/calendar.js';
import { hashPassword } from '../../src/features/auth/password-hash.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { demoAccount } from '../support/demo.js';
import { signIn } from '../support/test-app.js';

/**
 * Referrals to community support (issue 14, part 2), as the acceptance reads: a link worker
 * finds a walking group for someone whose outcome is about seeing people, refers them from the plan,
 * the group's organisation accepts and records attendance, and the person's timeline shows it; and
 * the person finds a resource and refers themselves in their own view. Every page checked with axe.
 */
describeInBrowser('referrals to community support', { demoPeople: 10 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const WALK = 'Good Neighbours Walk and Talk';
  const OUTCOME = 'Seeing people more often';
  let personId = '';

  beforeAll(async () => {
    const { t } = app;
    // Margaret Dunn works for Riverside Good Neighbours; only the well-known demo accounts sign in, so she is given the password.
    await t.database.db
      .updateTable('user_account')
      .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
      .where('username', '=', 'margaret.dunn@demo')
      .execute();
    const margaret = await signIn(t.app, 'margaret.dunn@demo');
    const org = await t.database.db
      .selectFrom('organisation')
      .select('organisation_id')
      .where('name', '=', 'Riverside Good Neighbours')
      .executeTakeFirstOrThrow();
    const walk = await t.app.inject({
      method: 'POST',
      url: '/api/community/resources',
      headers: { cookie: margaret },
      payload: {
        organisationId: org.organisation_id,
        name: WALK,
        kind: 'walking-group',
        summary: 'A short walk and a chat, for anyone who would like company.',
        description: 'We walk for half an hour and have a cup of tea after.',
        needs: ['loneliness-isolation', 'physical-activity'],
        domainCodes: ['seeing-people'],
        online: false,
        address: 'Riverside Park Café\nPark Road',
        postcode: 'RV1 2AB',
        sessions: [{ day: 'thu', start: '10:00', end: '11:00' }],
        scheduleNote: '',
        eligibility: '',
        minAge: null,
        maxAge: null,
        costKind: 'free',
        costNote: '',
        accessibility: ['step-free'],
        accessibilityNote: '',
        selfReferral: true,
        howToRefer: 'Ring Margaret, or ask your link worker.',
        phone: '01632 960 123',
        email: null,
        website: null,
        capacity: 15,
        acceptingReferrals: true,
      },
    });
    expect(walk.statusCode, walk.body).toBe(201);
    // The person says seeing people matters to them, coded to the framework's "seeing people".
    personId = (await demoAccount(t, 'person@demo')).person_id ?? '';
    const domain = await t.database.db
      .selectFrom('outcome_domain as d')
      .innerJoin('outcome_framework as f', 'f.framework_id', 'd.framework_id')
      .select('d.domain_id')
      .where('d.code', '=', 'seeing-people')
      .where('f.is_default', '=', true)
      .executeTakeFirstOrThrow();
    const person = await signIn(t.app, 'person@demo');
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/outcomes`,
      headers: { cookie: person },
      payload: { statement: OUTCOME, domainIds: [domain.domain_id] },
    });
    expect(added.statusCode, added.body).toBe(201);
  });

  it('a link worker refers from the plan; the group accepts and records attendance; the timeline shows it', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}/plan`);
      await expect(page.getByRole('heading', { name: 'Community support', level: 2 }).count()).resolves.toBe(
        1,
      );
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: `Find community support for “${OUTCOME}”` }).click();
      await expect(h1(page)).resolves.toContain('Find community support');
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: `Refer to ${WALK}` }).click();
      await expect(h1(page)).resolves.toContain(`to ${WALK}`);
      await expectNoAxeViolations(page);
      await page.getByLabel('Feeling lonely or isolated').check();
      await page.getByLabel('Why, in a few words (optional)').fill('Would like to get out and meet people');
      // No agreement to share: nothing sent, the problem linked to the box.
      await page.getByRole('button', { name: 'Send the referral' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'confirm the person agrees',
      );
      await expectNoAxeViolations(page);
      await page.getByRole('checkbox', { name: /agrees their details can be shared/ }).check();
      await page.getByRole('button', { name: 'Send the referral' }).click();
      expect(new URL(page.url()).pathname).toBe(`/people/${personId}/plan`);
      const card = page.locator('li', { hasText: WALK }).first();
      await expect(card.textContent()).resolves.toContain('Waiting for a reply');
      await expectNoAxeViolations(page);
    });

    await app.withPage(async (page) => {
      await app.signIn(page, 'margaret.dunn@demo');
      await page.goto(`${app.base}/`);
      await page.getByRole('link', { name: 'Referrals to your organisation' }).first().click();
      expect(new URL(page.url()).pathname).toBe('/community/referrals');
      await expectNoAxeViolations(page);
      const row = page.locator('tr', { hasText: WALK }).first();
      await row.getByRole('link').click();
      await expect(page.locator('.nhsuk-caption-l').first().textContent()).resolves.toContain(WALK);
      await expectNoAxeViolations(page);

      await page.getByRole('radio', { name: 'Yes, accept it' }).check();
      await page.getByLabel('A note for the referrer (optional)').fill('First walk on Thursday at 10');
      await page.getByRole('button', { name: 'Send the reply' }).click();
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Referral accepted',
      );
      await expectNoAxeViolations(page);

      const [year, month, day] = todayIso().split('-');
      await page.getByLabel('Day', { exact: true }).fill(String(Number(day)));
      await page.getByLabel('Month', { exact: true }).fill(String(Number(month)));
      await page.getByLabel('Year', { exact: true }).fill(year ?? '');
      await page.getByRole('radio', { name: 'Attended', exact: true }).check();
      await page.getByRole('button', { name: 'Record attendance' }).click();
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Attendance recorded',
      );
      await expectNoAxeViolations(page);
    });

    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}/timeline`);
      await expect(page.getByText(`Attended: ${WALK}`).count()).resolves.toBeGreaterThan(0);
      await expect(page.getByText(`Referral to ${WALK}: accepted`).count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);
      await page.goto(`${app.base}/people/${personId}`);
      await expect(page.getByRole('table', { name: 'Community support' }).textContent()).resolves.toContain(
        WALK,
      );
      await expectNoAxeViolations(page);
    });
  });

  it('the person finds a resource and refers themselves in their own view', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.goto(`${app.base}/my`);
      await page.getByRole('link', { name: 'Find community support and refer myself' }).click();
      await expect(h1(page)).resolves.toBe('Find community support');
      await expectNoAxeViolations(page);
      await page
        .getByLabel('Which of the things that matter is it for?')
        .selectOption({ label: `“${OUTCOME}”` });
      await page.getByLabel('Outcome it helps with').selectOption({ value: 'seeing-people' });
      await page.getByRole('button', { name: 'Search' }).click();
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: `Refer myself to ${WALK}` }).click();
      await expect(h1(page)).resolves.toBe(`Refer myself to ${WALK}`);
      await expectNoAxeViolations(page);
      await page.getByLabel('Feeling lonely or isolated').check();
      await page.getByRole('checkbox', { name: /I agree my details can be shared/ }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      expect(new URL(page.url()).pathname).toBe('/my/community-support');
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(WALK);
      await expect(page.locator('li', { hasText: 'you (a self-referral)' }).count()).resolves.toBeGreaterThan(
        0,
      );
      await expectNoAxeViolations(page);
    });
  });

  it('a practitioner finds support for a plan goal not linked to an outcome, its words starting the reason', async () => {
    const { t } = app;
    const GOAL = 'Go to the Saturday allotment group with other growers';
    const practitioner = await signIn(t.app, 'practitioner@demo');
    const plan = (
      await t.app.inject({ url: `/api/people/${personId}/plan`, headers: { cookie: practitioner } })
    ).json();
    const content = plan.current?.content;
    const saved = await t.app.inject({
      method: 'POST',
      url: `/api/people/${personId}/plan/versions`,
      headers: { cookie: practitioner },
      payload: {
        content: {
          ...content,
          goals: [
            ...content.goals,
            { id: '0b7e9d52-3c1a-4f6e-8d2b-5a9c1e7f3d40', outcomeId: null, description: GOAL, actions: [] },
          ],
        },
        basedOn: plan.current.version,
      },
    });
    expect(saved.statusCode, saved.body).toBe(201);
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}/plan`);
      await page.getByRole('link', { name: `Find community support for the goal “${GOAL}”` }).click();
      await expect(page.locator('main').textContent()).resolves.toContain(`For the plan goal “${GOAL}”`);
      await expectNoAxeViolations(page);
      await page.getByLabel('Outcome it helps with').selectOption({ value: 'seeing-people' });
      await page.getByRole('button', { name: 'Search' }).click();
      // The goal is kept through the search.
      await expect(page.locator('main').textContent()).resolves.toContain(`For the plan goal “${GOAL}”`);
      await page.getByRole('link', { name: `Refer to ${WALK}` }).click();
      await expect(page.getByLabel('Why, in a few words (optional)').inputValue()).resolves.toBe(GOAL);
      await expectNoAxeViolations(page);
    });
  });
});
