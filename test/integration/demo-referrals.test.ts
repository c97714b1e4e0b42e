import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/domain/calendar.js';
import { hostingOrganisation } from '../../src/features/auth/client-account.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * A new demo database has referrals and signposts to the community directory, with attendance, and
 * groups@demo (a practitioner at Riverside Good Neighbours) can sign in to answer the ones waiting.
 */
const TODAY = todayIso();

let t: TestApp;
let goodNeighbours = '';

beforeAll(async () => {
  t = await createTestApp({ demoPeople: 40, demoToday: TODAY });
  goodNeighbours =
    (
      await t.database.db
        .selectFrom('organisation')
        .select('organisation_id')
        .where('name', '=', 'Riverside Good Neighbours')
        .executeTakeFirst()
    )?.organisation_id ?? '';
});
afterAll(() => t?.close());

describe('the demo referrals', () => {
  it('lets groups@demo sign in, as a practitioner of Riverside Good Neighbours', async () => {
    expect(await signIn(t.app, 'groups@demo')).toContain('=');
    const roles = await t.database.db
      .selectFrom('user_role')
      .innerJoin('user_account', 'user_account.user_id', 'user_role.user_id')
      .select(['role', 'organisation_id'])
      .where('username', '=', 'groups@demo')
      .execute();
    expect(roles).toEqual([{ role: 'practitioner', organisation_id: goodNeighbours }]);
  });

  it('has referrals waiting at Riverside Good Neighbours, and others answered', async () => {
    const rows = await t.database.db
      .selectFrom('community_referral')
      .innerJoin('community_resource', 'community_resource.resource_id', 'community_referral.resource_id')
      .select(['community_referral.status', 'community_resource.organisation_id', 'community_referral.kind'])
      .execute();
    const waiting = rows.filter((r) => r.status === 'sent' && r.organisation_id === goodNeighbours);
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.status === 'accepted' || r.status === 'ended')).toBe(true);
    expect(new Set(rows.map((r) => r.organisation_id)).size).toBeGreaterThan(1);
  });

  it('has attendance in the past, recorded by staff of the organisation that runs the resource', async () => {
    const rows = await t.database.db
      .selectFrom('community_attendance')
      .innerJoin('community_referral', (j) =>
        j
          .onRef('community_referral.person_id', '=', 'community_attendance.person_id')
          .onRef('community_referral.referral_id', '=', 'community_attendance.referral_id'),
      )
      .innerJoin('community_resource', 'community_resource.resource_id', 'community_referral.resource_id')
      .select([
        sql<string>`community_attendance.attended_on::text`.as('attended_on'),
        'community_attendance.recorded_by_user_id',
        'community_referral.kind',
        'community_resource.organisation_id',
      ])
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.attended_on < TODAY).toBe(true);
    const roles = await t.database.db
      .selectFrom('user_role')
      .select(['user_id', 'organisation_id'])
      .execute();
    const staff = new Set(roles.map((r) => `${r.user_id}:${r.organisation_id}`));
    for (const r of rows.filter((x) => x.kind === 'referral'))
      expect(staff.has(`${r.recorded_by_user_id}:${r.organisation_id}`)).toBe(true);
  });

  it('gives the directory’s own organisations staff who cannot sign in', async () => {
    const staff = await t.database.db
      .selectFrom('user_account')
      .innerJoin('user_role', 'user_role.user_id', 'user_account.user_id')
      .innerJoin('organisation', 'organisation.organisation_id', 'user_role.organisation_id')
      .select(['username', 'password_hash'])
      .where('organisation.name', '=', 'Active Riverside')
      .execute();
    expect(staff.length).toBeGreaterThan(0);
    for (const s of staff) expect(s.password_hash).toBeNull();
  });

  it('keeps the NHS trust as the hosting organisation, the directory’s organisations made after it', async () => {
    // `whatmatters fhir export` and system clients act for the first organisation made: the
    // directory's, written later in the same transaction, must not come first.
    const hosting = await hostingOrganisation(t.database.db);
    const trust = await t.database.db
      .selectFrom('organisation')
      .select(['organisation_id', 'name'])
      .where('kind', '=', 'nhs-trust')
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    expect(hosting).toEqual({ organisationId: trust.organisation_id, name: trust.name });
  });
});
