import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { todayIso } from '../../src/domain/calendar.js';
import type { DB } from '../../src/store/schema.js';

/**
 * Connections to community support with known figures, written straight to the tables (the
 * referral API is another feature's; what is tested here is what the aggregates make of the rows):
 *
 * - Riverside Walkers (walking group): 15 people attended, each referred for an outcome rated by the
 *   person 3 at the start of two months ago, 2 just before the first walk (the baseline), and last
 *   month 4 (ten people) or 1 (five people); one more person was referred but did not attend.
 * - Hillside Walkers (walking group): 3 people attended, referred for no outcome.
 * - Peer Pals (peer support): 3 people attended, signposted for no outcome.
 *
 * So, by hand: walking groups 18 connected (two months ago), change +2 × 10 and −1 × 5 from the
 * baseline (mean 1.0, 10 of 15 improved, last month); peer support 3 connected; every service's
 * change for the same outcomes is first (3) against latest: +1 × 10, −2 × 5 (mean 0.0).
 */
export interface CommunitySeed {
  twoMonthsAgo: string;
  lastMonth: string;
  organisations: { riverside: string; hillside: string; peers: string };
  resources: { riverside: string; hillside: string; peers: string };
  /** The person whose name is in their own statement (it must be masked behind the figures). */
  namedPersonId: string;
  namedPersonName: string;
}

function monthsAgo(months: number): string {
  const [year, month] = todayIso().split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Noon UTC on a day: the same calendar day in London, whatever the season. */
const noon = (day: string) => `${day}T12:00:00Z`;

export async function seedCommunityOutcomes(db: Kysely<DB>): Promise<CommunitySeed> {
  const m2 = monthsAgo(2);
  const m1 = monthsAgo(1);
  const { user_id: userId } = await db
    .selectFrom('user_account')
    .select('user_id')
    .orderBy('username')
    .executeTakeFirstOrThrow();
  const { framework_id: frameworkId } = await db
    .selectFrom('outcome_framework')
    .select('framework_id')
    .orderBy('framework_id')
    .executeTakeFirstOrThrow();

  const organisation = async (name: string) => {
    const id = randomUUID();
    await db
      .insertInto('organisation')
      .values({ organisation_id: id, kind: 'voluntary-community', name })
      .execute();
    return id;
  };
  const organisations = {
    riverside: await organisation('Riverside Walkers'),
    hillside: await organisation('Hillside Walkers'),
    peers: await organisation('Peer Pals'),
  };
  const resource = async (organisationId: string, name: string, kind: string) => {
    const id = randomUUID();
    await sql`insert into community_resource (resource_id, organisation_id, name, kind, summary, cost_kind, review_due)
      values (${id}, ${organisationId}, ${name}, ${kind}, ${`${name}: come along`}, 'free', ${todayIso()})`.execute(
      db,
    );
    return id;
  };
  const resources = {
    riverside: await resource(organisations.riverside, 'Riverside Tuesday Walk', 'walking-group'),
    hillside: await resource(organisations.hillside, 'Hillside Stroll', 'walking-group'),
    peers: await resource(organisations.peers, 'Peer Pals Cafe', 'peer-support'),
  };

  const person = async (i: number, givenName: string) => {
    const id = randomUUID();
    await db
      .insertInto('person')
      .values({
        person_id: id,
        nhs_number: null,
        given_name: givenName,
        family_name: `Walker${i}`,
        date_of_birth: '1950-03-01',
        sex: i % 2 ? 'female' : 'male',
        gender: null,
        ethnic_category: null,
        postcode: null,
        deprivation_decile: null,
      })
      .execute();
    return id;
  };
  const outcome = async (personId: string, statement: string) => {
    const id = randomUUID();
    await db
      .insertInto('personal_outcome')
      .values({
        person_id: personId,
        outcome_id: id,
        framework_id: frameworkId,
        statement,
        importance: null,
        added_by: 'person',
        conversation_id: null,
        created_by_user_id: userId,
      })
      .execute();
    return id;
  };
  const rate = (personId: string, outcomeId: string, day: string, score: number) =>
    db
      .insertInto('outcome_rating')
      .values({
        person_id: personId,
        rating_id: randomUUID(),
        outcome_id: outcomeId,
        viewpoint: 'person',
        score,
        conversation_id: null,
        rated_by_user_id: userId,
        rated_at: noon(day),
      })
      .execute();
  const refer = async (
    personId: string,
    resourceId: string,
    outcomeId: string | null,
    attended: readonly [string, 'attended' | 'did-not-attend'][],
    kind: 'referral' | 'signpost' = 'referral',
  ) => {
    const referralId = randomUUID();
    await sql`insert into community_referral (person_id, referral_id, resource_id, outcome_id, kind, made_by,
        share_consent, status, created_by_user_id)
      values (${personId}, ${referralId}, ${resourceId}, ${outcomeId}, ${kind}, 'practitioner',
        ${kind === 'referral'}, ${kind === 'referral' ? 'accepted' : 'signposted'}, ${userId})`.execute(db);
    for (const [day, result] of attended) {
      await sql`insert into community_attendance (person_id, attendance_id, referral_id, attended_on, outcome,
          recorded_by_user_id)
        values (${personId}, ${randomUUID()}, ${referralId}, ${day}, ${result}, ${userId})`.execute(db);
    }
  };

  let namedPersonId = '';
  const namedPersonName = 'Dorothy';
  for (let i = 0; i < 15; i++) {
    const given = i === 0 ? namedPersonName : `Walker${i}`;
    const personId = await person(i, given);
    if (i === 0) namedPersonId = personId;
    const outcomeId = await outcome(
      personId,
      i === 0
        ? `${namedPersonName} wants to get out of the house and talk to people again`
        : `I want to get out of the house and meet people, walk number ${i}`,
    );
    await rate(personId, outcomeId, `${m2}-01`, 3);
    await rate(personId, outcomeId, `${m2}-03`, 2);
    await refer(personId, resources.riverside, outcomeId, [
      [`${m2}-10`, 'attended'],
      [`${m2}-17`, 'attended'],
      [`${m2}-24`, 'did-not-attend'],
    ]);
    await rate(personId, outcomeId, `${m1}-15`, i < 10 ? 4 : 1);
  }
  const noShow = await person(99, 'Noshow');
  await refer(noShow, resources.riverside, null, [[`${m2}-10`, 'did-not-attend']]);
  for (let i = 0; i < 3; i++) {
    await refer(await person(100 + i, 'Hill'), resources.hillside, null, [[`${m2}-12`, 'attended']]);
    await refer(await person(200 + i, 'Pal'), resources.peers, null, [[`${m2}-05`, 'attended']], 'signpost');
  }
  return {
    twoMonthsAgo: m2,
    lastMonth: m1,
    organisations,
    resources,
    namedPersonId,
    namedPersonName,
  };
}
