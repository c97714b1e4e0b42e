import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';

/**
 * An administrator imports a FHIR Questionnaire from elsewhere (issue 11): pastes it, sees what it
 * does not support and the form as a person would see it, confirms, and tries the form, which is
 * checked and scored by the Questionnaire's own expression. Every page checked with axe
 * (WCAG 2.2 AA) and for ids used twice.
 */
describeInBrowser('importing a questionnaire', { demoPeople: 2 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const raw = readFileSync(
    new URL('../fixtures/questionnaires/wellbeing-check.json', import.meta.url),
    'utf8',
  );

  it('paste → what it does not support and a preview → import → try the form → retire', async () => {
    await app.withPage(async (page) => {
      await app.signIn(page, 'admin@demo');
      await page.goto(`${app.base}/admin/questionnaires`);
      await expect(h1(page)).resolves.toBe('Questionnaires');
      await expect(page.getByRole('table').textContent()).resolves.toContain('Built in');
      await expectNoAxeViolations(page);

      // A built-in, as a person would be given it.
      await page
        .getByRole('link', { name: /Patient Health Questionnaire \(PHQ-9\)/ })
        .first()
        .click();
      await expect(page.getByRole('radio', { name: 'Nearly every day' }).count()).resolves.toBe(9);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Back to questionnaires' }).click();

      await page.getByRole('button', { name: 'Import a questionnaire' }).click();
      await expect(h1(page)).resolves.toBe('Import a questionnaire');
      await expectNoAxeViolations(page);

      // Something that is not JSON first: the error links to the box.
      await page.getByRole('textbox', { name: 'Questionnaire (JSON)' }).fill('{ "resourceType": ');
      await page.getByRole('button', { name: 'Check the questionnaire' }).click();
      await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain('This is not JSON');
      await expectNoAxeViolations(page);

      // A Questionnaire with a problem: listed by where it is.
      const broken = JSON.parse(raw);
      broken.item[3].item[1].enableWhen[0].question = 'nowhere';
      await page.getByRole('textbox', { name: 'Questionnaire (JSON)' }).fill(JSON.stringify(broken));
      await page.getByRole('button', { name: 'Check the questionnaire' }).click();
      await expect(page.getByRole('table').textContent()).resolves.toContain(
        'item[3].item[1].enableWhen[0].question',
      );
      await expectNoAxeViolations(page);

      await page.getByRole('textbox', { name: 'Questionnaire (JSON)' }).fill(raw);
      await page.getByRole('button', { name: 'Check the questionnaire' }).click();
      await expect(h1(page)).resolves.toBe('Import Wellbeing check');
      const unsupported = page.getByRole('table', { name: 'What it does not support' });
      await expect(unsupported.textContent()).resolves.toContain('item type attachment');
      await expect(unsupported.textContent()).resolves.toContain('A photo of you, if you like');
      // The preview: the form as a person sees it, with the condition said in words.
      await expect(page.getByRole('radio', { name: 'Often' }).count()).resolves.toBe(3);
      await expect(
        page.getByText('Answer this only if you answered ‘Yes’ to ‘Do you have someone to talk to’.').count(),
      ).resolves.toBe(1);
      await expect(page.getByRole('group', { name: 'When did you last see your GP?' }).count()).resolves.toBe(
        1,
      );
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Import it' }).click();
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain(
        'Imported Wellbeing check, version 1',
      );
      await expect(
        page.getByRole('table', { name: 'What it does not support' }).textContent(),
      ).resolves.toContain('item type attachment');
      await expectNoAxeViolations(page);

      // Try the form: a required question that applies is asked for, by its words.
      await page.getByRole('group', { name: 'Feeling low' }).getByRole('radio', { name: 'Often' }).check();
      await page
        .getByRole('group', { name: 'Feeling worried' })
        .getByRole('radio', { name: 'Sometimes' })
        .check();
      // With script, a question that does not apply yet is hidden until it does.
      const hasSupport = page.getByRole('group', { name: 'Do you have someone to talk to?' });
      const who = page.getByRole('textbox', { name: /Who do you talk to/ });
      await expect(who.isVisible()).resolves.toBe(false);
      await hasSupport.getByRole('radio', { name: 'No' }).check();
      await expect(who.isVisible()).resolves.toBe(false);
      await hasSupport.getByRole('radio', { name: 'Yes' }).check();
      await expect(who.isVisible()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Check these answers' }).click();
      const summary = page.locator('.nhsuk-error-summary');
      await expect(summary.textContent()).resolves.toContain('Answer ‘Who do you talk to’');
      await expectNoAxeViolations(page);
      await summary.getByRole('link', { name: 'Answer ‘Who do you talk to’' }).click();
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe(
        'q-support-who',
      );

      await page.getByRole('textbox', { name: /Who do you talk to/ }).fill('My sister');
      await page.getByRole('button', { name: 'Check these answers' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('Mood score: 3');
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: 'Retire this version' }).click();
      await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain('is retired');
      await expectNoAxeViolations(page);
    });
  });
});
