import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { demoAccount } from '../support/demo.js';

/**
 * Withdrawing and restoring consent without losing the record (issue 9, part 1), in a browser with
 * axe and the duplicate-id check on every page: the care team asks the team manager instead of
 * withdrawing the lead team's sharing; the manager decides from their work list; the person stops
 * the lead organisation seeing their record, after a page that says what that means, and lets it
 * see the record again; the care team can open it again.
 */
describeInBrowser('withdrawing and restoring consent in a browser', { demoPeople: 8 }, (app) => {
  let personId: string;
  let personName: string;
  let leadOrganisation: string;
  let leadTeam: string;

  const heading = (page: import('playwright-core').Page) =>
    page.getByRole('heading', { level: 1 }).textContent();

  it('finds person@demo’s lead team', async () => {
    personId = (await demoAccount(app.t, 'person@demo')).person_id as string;
    const row = await app.t.database.db
      .selectFrom('person as p')
      .innerJoin('team as t', 't.team_id', 'p.lead_team_id')
      .innerJoin('organisation as o', 'o.organisation_id', 't.organisation_id')
      .select([
        'p.given_name',
        'p.family_name',
        'p.preferred_name',
        'p.lead_state',
        't.name',
        'o.name as org',
      ])
      .where('p.person_id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(row.lead_state).toBe('responsible');
    personName = `${row.preferred_name || row.given_name} ${row.family_name}`;
    leadOrganisation = row.org;
    leadTeam = row.name;
  });

  it('the care team asks the team manager instead of withdrawing, and the manager decides', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}`);
      await expect(page.getByText(`${leadTeam}, ${leadOrganisation}`).count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);
      await page
        .getByRole('link', { name: `Withdraw sharing with ${leadOrganisation}` })
        .first()
        .click();
      await expect(heading(page)).resolves.toContain(`Withdraw sharing with ${leadOrganisation}`);
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Confirm' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expectNoAxeViolations(page);
      const summary = page.locator('.nhsuk-error-summary');
      await summary.getByRole('link').first().click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe(
        'choice',
      );

      await page.getByLabel('Ask the team manager to decide').check();
      await page.getByLabel('Why', { exact: true }).fill('They are moving out of the area next month');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForURL(`${app.base}/people/${personId}?escalated=1#lead-team`);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Nothing was withdrawn',
      );
      await expectNoAxeViolations(page);
    });

    await app.withPage(async (page) => {
      await app.signIn(page, 'manager@demo');
      await page.goto(`${app.base}/caseload`);
      await page.getByRole('link', { name: 'Records needing a responsible team' }).click();
      await page.waitForURL(`${app.base}/records-needing-a-team`);
      await expect(page.getByText('moving out of the area').count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: new RegExp(`^${personName}\\W+choose a team$`) }).click();
      await page.waitForURL(`${app.base}/people/${personId}/lead-team`);
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Make this team responsible' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expectNoAxeViolations(page);
      await page
        .getByLabel('Team that will be responsible')
        .selectOption({ label: `${leadTeam}, ${leadOrganisation}` });
      await page.getByLabel('Why this team').fill('We keep supporting them until the move');
      await page.getByRole('button', { name: 'Make this team responsible' }).click();
      await page.waitForURL(`${app.base}/records-needing-a-team?assigned=1`);
      await expect(page.getByText('Every record has a team responsible for it.').count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
    });
  });

  it('the person stops the lead organisation seeing their record, then lets it see it again', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      // Who can see the record is a page of its own, linked from the summary.
      await page.goto(`${app.base}/my`);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: /^See who can see my record and why/ }).click();
      await expectNoAxeViolations(page);
      const withdraw = page.getByRole('button', { name: `Withdraw sharing with ${leadOrganisation}` });
      // Every basis the lead organisation has, one at a time, each confirmed on its own page.
      while ((await withdraw.count()) > 0) {
        await withdraw.first().click();
        await expect(heading(page)).resolves.toContain(`Stop ${leadOrganisation} seeing your record`);
        await expectNoAxeViolations(page);
        await page.getByRole('button', { name: `Stop ${leadOrganisation} seeing my record` }).click();
        await page.waitForURL(`${app.base}/my?withdrawn=1`);
        await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
          'Sharing withdrawn',
        );
        await expectNoAxeViolations(page);
        await page.getByRole('link', { name: /^See who can see my record and why/ }).click();
      }
      await expect(page.getByText('their manager has been asked to find a team').count()).resolves.toBe(1);

      await page.getByRole('link', { name: `Let ${leadOrganisation} see my record again` }).click();
      await expect(heading(page)).resolves.toContain(`Let ${leadOrganisation} see your record again`);
      await expect(
        page.getByText(`${leadTeam} will be responsible for your care again`).count(),
      ).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: `Let ${leadOrganisation} see my record` }).click();
      await page.waitForURL(`${app.base}/my?consented=1#who-can-see`);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'can see your record again',
      );
      await expectNoAxeViolations(page);
    });

    // The record was never lost: the care team opens it again.
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}`);
      await expect(heading(page)).resolves.toContain(personName);
      await expectNoAxeViolations(page);
    });
  });
});
