import { beforeAll, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { nextReviewDue } from '../../src/domain/community/staleness.js';
import { insertResource } from '../../src/features/community/store.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * Finding support without signing in: someone looks for help with feeling lonely near their
 * postcode on a Tuesday, sees how far each group is, and opens a walking group to see how to join.
 */
describeInBrowser('finding support in the community directory', {}, (app) => {
  beforeAll(async () => {
    const db = app.t.database.db;
    const organisationId = crypto.randomUUID();
    await db
      .insertInto('organisation')
      .values({
        organisation_id: organisationId,
        kind: 'voluntary-community',
        name: 'Browser Test Neighbours',
      })
      .execute();
    const base = {
      kind: 'walking-group' as const,
      description:
        'An hour’s gentle walk along the river, at the pace of the slowest, with a cup of tea after.',
      needs: ['loneliness-isolation' as const, 'physical-activity' as const],
      domainCodes: [],
      online: false,
      address: 'Meet at the library steps\nMill Lane\nRiverton',
      scheduleNote: '',
      eligibility: 'Adults who can walk for an hour on the flat.',
      minAge: 18,
      maxAge: null,
      costKind: 'free' as const,
      costNote: '',
      accessibility: ['step-free' as const, 'public-transport' as const],
      accessibilityNote: '',
      selfReferral: true,
      howToRefer: 'Just come along, or ring Pat to say hello first.',
      phone: '01632 960456',
      email: null,
      website: 'https://walks.example.org',
      capacity: 20,
      acceptingReferrals: true,
    };
    for (const [name, postcode, day] of [
      ['Riverside Tuesday Walkers', 'RV1 2AB', 'tue'],
      ['Northgate Strollers', 'RV2 3AB', 'tue'],
      ['Village Friday Walk', 'RV8 1AB', 'fri'],
    ] as const) {
      await insertResource(db, {
        organisationId,
        body: {
          ...base,
          name,
          summary: `${name}: a friendly walk`,
          postcode,
          sessions: [{ day, start: '10:00', end: '11:00' }],
        },
        maintainerUserId: null,
        createdBy: null,
        reviewDue: nextReviewDue(todayIso()),
        lastReviewedAt: new Date(),
      });
    }
  });

  it('an anonymous person searches by need near a postcode on a Tuesday and opens a walking group', async () => {
    await app.withPage(async (page) => {
      await page.goto(app.base);
      await page.getByRole('link', { name: 'Find support', exact: true }).first().click();
      await page.waitForURL(`${app.base}/community`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Find support in your community',
      );
      await expectNoAxeViolations(page);

      // A postcode that is not one: the error summary names the field.
      await page.getByLabel('Your postcode (optional)').fill('RV1');
      await page.getByRole('button', { name: 'Search' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Enter a real postcode, like RV1 2AB',
      );
      await expectNoAxeViolations(page);

      await page.getByLabel('What would you like help with?').selectOption('loneliness-isolation');
      await page.getByLabel('Your postcode (optional)').fill('rv1 2xy');
      await page.getByLabel('How far can you travel?').selectOption('5');
      await page.getByLabel('Day', { exact: true }).selectOption('tue');
      await page.getByRole('button', { name: 'Search' }).click();
      await expect(page.locator('#results-heading').textContent()).resolves.toContain(
        '2 results near RV1 2XY',
      );
      const results = page.locator('#results-heading + ul > li');
      await expect(results.count()).resolves.toBe(2);
      // Nearest first, each with its distance, kind, when and cost; the Friday walk is not offered.
      await expect(results.nth(0).textContent()).resolves.toMatch(
        /Riverside Tuesday Walkers[\s\S]*less than 0\.1 miles away[\s\S]*Walking group[\s\S]*Tuesdays, 10:00 to 11:00[\s\S]*Free[\s\S]*You can refer yourself/,
      );
      await expect(results.nth(1).textContent()).resolves.toMatch(
        /Northgate Strollers[\s\S]*1\.\d miles away/,
      );
      await expect(page.content()).resolves.not.toContain('Village Friday Walk');
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: 'Riverside Tuesday Walkers' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Riverside Tuesday Walkers',
      );
      const detail = (await page.locator('main').textContent()) ?? '';
      for (const text of [
        'Run by Browser Test Neighbours',
        'Tuesdays, 10:00 to 11:00',
        'Meet at the library steps',
        'For people aged 18 and over.',
        'Step-free access',
        'How to refer yourself or be referred',
        'Just come along, or ring Pat to say hello first.',
        '01632 960456',
        'Last checked by Browser Test Neighbours',
      ]) {
        expect(detail).toContain(text);
      }
      await expectNoAxeViolations(page);
    });
  });
});
