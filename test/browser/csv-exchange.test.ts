import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { nhsNumberCheckDigit } from '../../src/domain/nhs-number.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

describeInBrowser('CSV import and export in a browser', { demoPeople: 3 }, (app) => {
  const organisationId = randomUUID();
  const teamId = randomUUID();
  beforeAll(async () => {
    await app.t.database.db
      .insertInto('organisation')
      .values({
        organisation_id: organisationId,
        kind: 'council-adult-social-care',
        name: 'Westshire County Council',
      })
      .execute();
    await app.t.database.db
      .insertInto('team')
      .values({ team_id: teamId, organisation_id: organisationId, name: 'Westshire adult social care' })
      .execute();
  });

  const nhs = (first9: string) => `${first9}${nhsNumberCheckDigit(first9)}`;
  const CSV = [
    'nhs_number,given_name,family_name,date_of_birth,sex',
    `${nhs('943476591')},Ada,Lovelace,1950-12-10,female`,
    '1234567890,Bad,Number,1960-01-01,female',
  ].join('\n');

  it('an admin checks a file with a dry run, imports it and downloads an export, with no axe violations', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      await page.goto(`${app.base}/admin`);
      await page.getByRole('link', { name: 'Import and export CSV files' }).click();
      await page.waitForURL(`${app.base}/admin/csv`);
      await expectNoAxeViolations(page);

      // Nothing chosen: the error summary links each field at fault.
      await page.getByLabel('Only check the file: import nothing').uncheck();
      await page.getByRole('button', { name: 'Check or import the file' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(page.locator('.nhsuk-error-summary a').allInnerTexts()).resolves.toEqual([
        'Choose what the file holds',
        'Choose the organisation',
        'Paste the CSV file, its header row first',
      ]);
      await expectNoAxeViolations(page);

      await page.getByLabel('People', { exact: true }).check();
      await page.getByLabel('Organisation', { exact: true }).selectOption(organisationId);
      await page.getByLabel('Team (optional)').selectOption(teamId);
      await page.getByLabel('The CSV file').fill(CSV);
      await page.getByLabel('Only check the file: import nothing').check();
      await page.getByRole('button', { name: 'Check or import the file' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Dry run: what the import would do',
      );
      await expect(page.locator('#imported').textContent()).resolves.toBe('1');
      const cells = await page.locator('table tbody tr').first().locator('td').allTextContents();
      expect(cells.slice(0, 2)).toEqual(['3', 'nhs_number']);
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Import the file now' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('What was imported');
      await expect(page.locator('#imported').textContent()).resolves.toBe('1');
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/admin/csv`);
      const link = page.getByRole('link', { name: 'People of Westshire County Council (CSV)' });
      const response = await page.request.get(
        new URL((await link.getAttribute('href')) ?? '', app.base).href,
      );
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
      expect(await response.text()).toContain('Ada,Lovelace');
    });
  });
});
