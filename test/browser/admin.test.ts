import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

describeInBrowser('administration in a browser', { demoPeople: 5 }, (app) => {
  let organisationName: string;
  beforeAll(async () => {
    const organisation = await app.t.database.db
      .selectFrom('organisation')
      .innerJoin('team', 'team.organisation_id', 'organisation.organisation_id')
      .select('organisation.name')
      .orderBy('organisation.name')
      .executeTakeFirstOrThrow();
    organisationName = organisation.name;
  });

  /** The one-time link shown on the page. */
  const linkOn = async (page: Page) => {
    const link = (await page.locator('main code').textContent()) ?? '';
    expect(link).toMatch(/\/reset-password\/[A-Za-z0-9_-]+$/);
    return link;
  };

  /** Opens a one-time link as its holder would (signed out, in a browser of their own) and sets a password. */
  const setPasswordWith = (link: string, password: string) =>
    app.withPage(async (page) => {
      await page.goto(link);
      await expect(page.title()).resolves.toBe('Set a new password – WhatMatters');
      await expectNoAxeViolations(page);
      await page.getByLabel('New password', { exact: true }).fill(password);
      await page.getByLabel('Type the new password again').fill(password);
      await page.getByRole('button', { name: 'Set password' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Your new password is set',
      );
      await expectNoAxeViolations(page);
    });

  const canSignIn = async (username: string, password: string) =>
    (await app.t.app.inject({ method: 'POST', url: '/api/session', payload: { username, password } }))
      .statusCode === 200;

  it('an admin adds a user, who sets their password with the one-time link, with no axe violations', async () => {
    let link = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      await page.goto(`${app.base}/admin`);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Manage user accounts' }).click();
      await page.waitForURL(`${app.base}/admin/users`);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Add a user account' }).click();
      await page.waitForURL(`${app.base}/admin/users/new`);
      await expectNoAxeViolations(page);

      // Errors first: in the summary, linking to the field at fault.
      await page.getByLabel('Full name').fill('Morgan Ellis');
      await page.getByLabel('Username').fill('morgan.ellis@example.nhs.uk');
      await page.getByLabel('Practitioner').check();
      await page.getByRole('button', { name: 'Add account' }).click();
      await expect(page.title()).resolves.toBe('Error: Add a user account – WhatMatters');
      const summary = page.locator('.nhsuk-error-summary');
      await expect(summary.textContent()).resolves.toContain('A practitioner must belong to an organisation');
      await expectNoAxeViolations(page);
      await summary.getByRole('link').first().click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe(
        'organisationId',
      );

      await page.getByLabel('Organisation', { exact: true }).selectOption({ label: organisationName });
      await page.getByRole('button', { name: 'Add account' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Account added: send the link to set a password',
      );
      await expectNoAxeViolations(page);
      link = await linkOn(page);
    });
    await setPasswordWith(link, 'copper kettle harbour');
    expect(await canSignIn('morgan.ellis@example.nhs.uk', 'copper kettle harbour')).toBe(true);
  });

  it('an admin unlocks a locked account and resets a password with a link that works once', async () => {
    for (let i = 0; i < 5; i++) await canSignIn('morgan.ellis@example.nhs.uk', 'wrong password here');
    expect(await canSignIn('morgan.ellis@example.nhs.uk', 'copper kettle harbour')).toBe(false);
    let link = '';
    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      await page.goto(`${app.base}/admin/users`);
      await page.getByLabel('Status').selectOption({ label: 'Locked' });
      await page.getByRole('button', { name: 'Find accounts' }).click();
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Morgan Ellis' }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('too many wrong passwords');
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Unlock the account' }).click();
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'The account is unlocked',
      );
      await expectNoAxeViolations(page);
      expect(await canSignIn('morgan.ellis@example.nhs.uk', 'copper kettle harbour')).toBe(true);

      await page.getByRole('button', { name: 'Make a link to set a new password' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'A link for Morgan Ellis to set a new password',
      );
      await expectNoAxeViolations(page);
      link = await linkOn(page);
    });
    await setPasswordWith(link, 'lantern meadow quartz');
    expect(await canSignIn('morgan.ellis@example.nhs.uk', 'lantern meadow quartz')).toBe(true);
    await app.withPage(async (page) => {
      const response = await page.goto(link);
      expect(response?.status()).toBe(404);
      await expect(page.locator('main').textContent()).resolves.toContain(
        'has expired or has already been used',
      );
      await expectNoAxeViolations(page);
    });
  });

  it('every other administration page has no axe violations', async () => {
    const userId = (
      await app.t.database.db
        .selectFrom('user_account')
        .select('user_id')
        .where('username', '=', 'morgan.ellis@example.nhs.uk')
        .executeTakeFirstOrThrow()
    ).user_id;
    const role = await app.t.database.db
      .selectFrom('user_role')
      .select('user_role_id')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const team = await app.t.database.db
      .selectFrom('team')
      .select(['team_id', 'organisation_id'])
      .executeTakeFirstOrThrow();
    const carers = (await app.t.services.frameworks.list()).find((f) => f.key === 'carers');
    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      for (const path of [
        '/admin/organisations',
        '/admin/organisations/new',
        `/admin/organisations/${team.organisation_id}/edit`,
        `/admin/organisations/${team.organisation_id}/teams/new`,
        `/admin/organisations/${team.organisation_id}/teams/${team.team_id}/edit`,
        `/admin/users/${userId}/edit`,
        `/admin/users/${userId}/disable`,
        `/admin/users/${userId}/roles/new`,
        `/admin/users/${userId}/roles/${role.user_role_id}/remove`,
        '/frameworks',
        `/frameworks/${carers?.frameworkId}/retire`,
      ]) {
        const response = await page.goto(`${app.base}${path}`);
        expect(response?.status(), path).toBe(200);
        await expectNoAxeViolations(page);
      }
      // An organisation form with its errors.
      await page.goto(`${app.base}/admin/organisations/new`);
      await page.getByRole('button', { name: 'Add organisation' }).click();
      await expect(page.title()).resolves.toBe('Error: Add an organisation – WhatMatters');
      await expectNoAxeViolations(page);
    });
  });
  it('an administrator gives a record a new lead team from the work list', async () => {
    const personId = (
      await app.t.database.db
        .selectFrom('user_account')
        .select('person_id')
        .where('username', '=', 'person@demo')
        .executeTakeFirstOrThrow()
    ).person_id as string;
    // The care team asks for a decision on who is responsible (nothing is withdrawn).
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}`);
      const lead = await app.t.database.db
        .selectFrom('person as p')
        .innerJoin('team as t', 't.team_id', 'p.lead_team_id')
        .innerJoin('organisation as o', 'o.organisation_id', 't.organisation_id')
        .select('o.name')
        .where('p.person_id', '=', personId)
        .executeTakeFirstOrThrow();
      await page
        .getByRole('link', { name: `Withdraw sharing with ${lead.name}` })
        .first()
        .click();
      await page.getByLabel('Ask the team manager to decide').check();
      await page.getByLabel('Why', { exact: true }).fill('Moving to supported housing across the border');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForURL(`${app.base}/people/${personId}?escalated=1#lead-team`);
    });
    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      await page.getByRole('link', { name: 'Records needing a responsible team' }).first().click();
      await page.waitForURL(`${app.base}/records-needing-a-team`);
      await expect(page.getByText('supported housing across the border').count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page
        .getByRole('link', { name: /choose a team$/ })
        .first()
        .click();
      await page.waitForURL(`${app.base}/people/${personId}/lead-team`);
      await expectNoAxeViolations(page);
      const teams = page.getByLabel('Team that will be responsible');
      const options: string[] = [];
      for (let n = 0; n < (await teams.locator('option').count()); n++) {
        const value = await teams.locator('option').nth(n).getAttribute('value');
        if (value) options.push(value);
      }
      expect(options.length).toBeGreaterThan(1);
      const current = await app.t.database.db
        .selectFrom('person')
        .select('lead_team_id')
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow();
      const other = options.find((value) => value !== current.lead_team_id) as string;
      await teams.selectOption(other);
      await page.getByLabel('Why this team').fill('The housing team there takes the lead from today');
      await page.getByRole('button', { name: 'Make this team responsible' }).click();
      await page.waitForURL(`${app.base}/records-needing-a-team?assigned=1`);
      await expectNoAxeViolations(page);
      const after = await app.t.database.db
        .selectFrom('person')
        .select(['lead_team_id', 'lead_state'])
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ lead_team_id: other, lead_state: 'responsible' });
    });
  });
});
