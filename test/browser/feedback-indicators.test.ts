import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { flushRollups } from '../../src/features/rollups/store.js';
import { describeInBrowser, expectNoAxeViolations } from '../support/browser.js';
import { signIn } from '../support/test-app.js';

/**
 * Issue 12, item 6: a commissioner opens an indicator defined on FFT % positive, sees its SPC chart
 * and funnel plot, and reads the feedback stories behind it: masked words, the FFT answer, month
 * and themes, never the name the writer gave. Every page is checked with axe (WCAG 2.2 AA).
 */
describeInBrowser('feedback in the indicators and the stories behind a figure', { demoPeople: 6 }, (app) => {
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const month = todayIso().slice(0, 7);

  it('a commissioner sees an FFT indicator’s charts and the de-identified stories behind it', async () => {
    const { t } = app;
    const practitioner = await signIn(t.app, 'practitioner@demo');
    const commissioner = await signIn(t.app, 'commissioner@demo');
    const index = await t.app.inject({ url: '/service-feedback', headers: { cookie: practitioner } });
    const key = /href="\/service-feedback\/([A-Za-z0-9_-]{16})"/.exec(index.body)?.[1] ?? '';
    expect(key).not.toBe('');
    for (let i = 0; i < 12; i++) {
      const created = await t.app.inject({
        method: 'POST',
        url: `/api/services/${key}/feedback`,
        headers: { cookie: practitioner },
        payload: {
          fft: i < 9 ? 'very-good' : 'dont-know',
          whatWasGood:
            i === 0
              ? 'Nurse Sarah Jones was kind and took time to explain my new tablets.'
              : `Friendly staff who listened to me, visit ${i}.`,
          whatCouldBeBetter: i % 3 ? '' : 'The waiting room was cold and the wait was long.',
          writer: 'patient',
          ageBand: null,
          consentToPublish: false,
          channel: 'paper',
          receivedOn: todayIso(),
        },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const defined = await t.app.inject({
      method: 'POST',
      url: '/api/indicators',
      headers: { cookie: commissioner },
      payload: {
        key: 'fft-positive-browser',
        name: 'Friends and Family Test: positive answers',
        description: 'Very good and Good over every answer',
        source: 'feedback-fft-positive',
        filters: {},
        improvement: 'increase',
        target: 90,
        breakdowns: ['organisation', 'team', 'month'],
        periodicity: 'month',
      },
    });
    expect(defined.statusCode, defined.body).toBe(201);
    await flushRollups(t.database.db);

    await app.withPage(async (page) => {
      await app.signIn(page, 'commissioner@demo');
      await page.goto(`${app.base}/indicators/fft-positive-browser`);
      await expect(h1(page)).resolves.toContain('Friends and Family Test: positive answers');
      const spc = page.locator('figure.wm-chart').filter({ hasText: 'month by month' }).first();
      await expect(spc.count()).resolves.toBe(1);
      await expect(page.locator('figure.wm-chart').filter({ hasText: 'funnel plot' }).count()).resolves.toBe(
        1,
      );
      await expectNoAxeViolations(page);

      await page.goto(`${app.base}/indicators/fft-positive-browser/statements?from=${month}&to=${month}`);
      await expect(page.getByText('The feedback stories behind this figure').count()).resolves.toBe(1);
      await expectNoAxeViolations(page);
      await page.getByRole('radio', { name: 'Reviewing how the service is doing' }).check();
      await page.getByRole('button', { name: 'Show what people said' }).click();
      await expect(page.getByRole('heading', { name: 'Feedback stories' }).count()).resolves.toBe(1);
      const table = page.locator('table').filter({ hasText: 'Friends and Family Test answer' });
      await expect(table.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(12);
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).toContain('[name]');
      expect(body).not.toContain('Sarah');
      expect(body).not.toContain('Jones');
      await expectNoAxeViolations(page);
    });
  });
});
