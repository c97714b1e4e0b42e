import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { answerItemLinkIds, INSTRUMENTS } from '../../src/domain/measures/instruments/index.js';
import { fieldIdFor } from '../../src/domain/measures/questionnaire/form.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { demoPersonInCaseload } from '../support/demo.js';
import { loadTestWording } from '../support/licensed-wording.js';
import { signIn as apiSignIn } from '../support/test-app.js';

/**
 * Standard measures in a browser: a practitioner fills in a PHQ-9 with the person (choose → form →
 * check the answers → saved, the score shown) and sends them a SWEMWBS; the person fills it in in
 * their own view (with wording of the tests' own loaded first, as an administrator of a licensed
 * organisation loads the real wording: SWEMWBS ships as structure only); the charts show both.
 * Every page checked with axe (WCAG 2.2 AA).
 */
describeInBrowser('administering measures', { demoPeople: 10 }, (app) => {
  let personId: string;

  beforeAll(async () => {
    personId = await demoPersonInCaseload(app.t, await apiSignIn(app.t.app, 'practitioner@demo'));
    await loadTestWording(app.t, await apiSignIn(app.t.app, 'admin@demo'), 'swemwbs');
  });

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).first().textContent();
  const path = (page: Page) => new URL(page.url()).pathname;
  /** Chooses, for each question, the option at `index` (the form posts option indexes). */
  const answerAll = async (page: Page, linkIds: readonly string[], index: number) => {
    for (const linkId of linkIds) {
      await page.locator(`input[name="${fieldIdFor(linkId)}"][value="${index}"]`).check();
    }
  };

  it('a practitioner fills in a PHQ-9 with the person and sends them a SWEMWBS', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}`);
      await expect(page.getByRole('heading', { name: 'Measures', level: 2 }).count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page
        .getByRole('navigation', { name: "This person's record" })
        .getByRole('link', { name: 'Measures' })
        .click();
      expect(path(page)).toBe(`/people/${personId}/measures`);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: /Fill in a measure with/ }).click();
      await expect(h1(page)).resolves.toContain('Which measure are you filling in with them?');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
        'Choose the measure',
      );
      await expectNoAxeViolations(page);
      await page.getByRole('radio', { name: /PHQ-9/ }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(h1(page)).resolves.toContain('PHQ-9');
      await expectNoAxeViolations(page);

      // Left empty, each question is named in the error summary, linked to its field.
      await page.getByRole('button', { name: 'Continue' }).click();
      const linkIds = answerItemLinkIds(INSTRUMENTS.phq9.questionnaire).slice(0, 9);
      await expect(
        page.locator(`.nhsuk-error-summary a[href="#${fieldIdFor(linkIds[0] as string)}"]`).count(),
      ).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await answerAll(page, linkIds, 2);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(h1(page)).resolves.toBe('Check the answers before saving');
      await expect(page.locator('.nhsuk-summary-list').textContent()).resolves.toContain(
        'More than half the days',
      );
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Save the answers' }).click();

      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toMatch(
        /18\s*\(moderately severe\)/,
      );
      const figure = page.locator('figure.wm-chart').first();
      await expect(figure.locator('svg[role="img"]').count()).resolves.toBe(1);
      await expect(figure.locator('table').textContent()).resolves.toContain('With a practitioner');
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/people/${personId}/measures/send`);
      await page.getByRole('radio', { name: /SWEMWBS/ }).check();
      await page.getByRole('button', { name: 'Send it' }).click();
      expect(path(page)).toBe(`/people/${personId}/measures`);
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain('Sent');
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/people/${personId}/measures/schedule`);
      await expectNoAxeViolations(page);
      await page.goto(`${app.base}/people/${personId}/measures/end`);
      await expectNoAxeViolations(page);
      await page.goto(`${app.base}/caseload`);
      await expectNoAxeViolations(page);
    });
  });

  it('the person fills in the SWEMWBS in their own view and sees their scores', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'person@demo');
      await page.goto(`${app.base}/my`);
      await expect(page.getByText('You have 1 questionnaire to fill in').count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'My questionnaires and scores' }).click();
      expect(path(page)).toBe('/my/measures');
      await expectNoAxeViolations(page);

      await page
        .getByRole('link', { name: /SWEMWBS/ })
        .first()
        .click();
      await expectNoAxeViolations(page);
      await answerAll(page, answerItemLinkIds(INSTRUMENTS.swemwbs.questionnaire), 3);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(h1(page)).resolves.toBe('Check the answers before saving');
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Send my answers' }).click();

      expect(path(page)).toBe('/my/measures');
      // Seven answers of 4: raw 28, metric 25.03 by the published conversion table.
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain('25.03');
      await expect(page.getByText('You have no questionnaires to fill in.').count()).resolves.toBe(1);
      await expectNoAxeViolations(page);

      await page.getByRole('link', { name: /See my Short Warwick-Edinburgh .* scores on a chart/ }).click();
      await expect(page.locator('figure.wm-chart svg[role="img"]').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('figure.wm-chart table').first().textContent()).resolves.toContain('You');
      await expectNoAxeViolations(page);
    });
  });

  it('the practitioner’s charts show both: the PHQ-9 done together and the SWEMWBS the person did', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'practitioner@demo');
      await page.goto(`${app.base}/people/${personId}/measures`);
      await page
        .getByRole('link', { name: /SWEMWBS/ })
        .first()
        .click();
      await expect(page.locator('figure.wm-chart table').first().textContent()).resolves.toContain(
        'The person, in their own view',
      );
      await expectNoAxeViolations(page);
      await page.goto(`${app.base}/people/${personId}/measures`);
      await page.getByRole('link', { name: /PHQ-9/ }).first().click();
      const table = await page.locator('figure.wm-chart table').first().textContent();
      expect(table).toContain('With a practitioner');
      // The demo measured person@demo at each conversation too: more than one point on the chart.
      expect(await page.locator('figure.wm-chart').first().locator('tbody tr').count()).toBeGreaterThan(1);
      await expectNoAxeViolations(page);
    });
  });
});
