import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../support/browser.js';

/**
 * Every read of a person's record in a browser leaves exactly one matching audit entry: who read
 * it, which person, that it was allowed, and why.
 */
describeInBrowser('reading a record in the browser is audited once per page', { demoPeople: 15 }, (app) => {
  let personId: string;

  beforeAll(async () => {
    const person = await app.t.database.db
      .selectFrom('user_account')
      .select('person_id')
      .where('username', '=', 'person@demo')
      .executeTakeFirstOrThrow();
    personId = person.person_id ?? '';
  });

  async function entriesFor(username: string) {
    return app.t.database.db
      .selectFrom('audit_event as a')
      .innerJoin('user_account as u', 'u.user_id', 'a.actor_user_id')
      .select(['a.action', 'a.outcome', 'a.purpose', 'a.person_id'])
      .where('a.person_id', '=', personId)
      .where('u.username', '=', username)
      .orderBy('a.audit_id')
      .execute();
  }

  const pages = (id: string) => ({
    'practitioner@demo': [
      `/people/${id}`,
      `/people/${id}/plan`,
      `/people/${id}/timeline`,
      `/people/${id}/plan/print`,
    ],
    'person@demo': ['/my', '/my/care-team', '/my/sharing', '/my/rights', `/people/${id}/plan`],
    'carer@demo': [
      `/my/people/${id}`,
      `/my/people/${id}/care-team`,
      `/my/people/${id}/rights`,
      `/people/${id}/plan`,
    ],
  });

  it.each(['practitioner@demo', 'person@demo', 'carer@demo'] as const)('as %s', async (username) => {
    await app.withPage(async (page) => {
      await app.signIn(page, username);
      for (const path of pages(personId)[username]) {
        const before = await entriesFor(username);
        const response = await page.goto(`${app.base}${path}`);
        expect(response?.status(), path).toBe(200);
        const after = await entriesFor(username);
        const added = after.slice(before.length);
        expect(added, `audit entries for ${path}`).toHaveLength(1);
        expect(added[0]).toMatchObject({
          person_id: personId,
          outcome: 'success',
          action: expect.stringMatching(/^read-/),
        });
        expect(added[0]?.purpose).toMatch(/direct care/);
      }
    });
  });
});
