import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { WELLBEING_SCORE } from '../../src/domain/indicators/community-sources.js';
import type { DB } from '../../src/store/schema.js';
import type { CommunitySeed } from './community-outcomes-seed.js';

/**
 * SWEMWBS metric scores beside the community seed's connections (community-outcomes-seed.ts), with
 * known figures, written straight to the tables as the measures service stores a response (only the
 * score the aggregates read). The seed's Riverside people first walk on the 10th two months ago,
 * Hillside's on the 12th; Peer Pals' first visit is on the 5th.
 *
 * - Riverside's 15: 25.00 on the 1st, 18.00 on the 5th (the baseline: the latest at or before the
 *   first walk, not the first), 30.00 on the 1st last month (not the latest), then on the 15th last
 *   month 20.87 for eight (+2.87: exactly SWEMWBS's reliable change), 20.86 for four (+2.86: just
 *   short) and 15.00 for three (−3.00).
 * - Hillside's 3: 20.00 on the day of the first walk (at or before it: the baseline), 30.00 on the
 *   20th last month (+10).
 * - Peer Pals' 3: a score after the first visit only (no baseline: no fact).
 * - The person who never came: scores either side of the walk they missed (not connected: no fact).
 *
 * So last month: Riverside 15 connections, change 8 × 2.87 + 4 × 2.86 − 3 × 3 = 25.4, 8 reliably
 * improved; Hillside 3, change 30, 3 improved; walking groups 18, 55.4 (mean 3.078), 11 improved.
 */
export interface WellbeingSeed {
  /** Records one more score for a person on a day; returns the response id. */
  score: (personId: string, on: string, value: number) => Promise<string>;
}

export async function seedCommunityWellbeing(db: Kysely<DB>, seed: CommunitySeed): Promise<WellbeingSeed> {
  const { user_id: userId } = await db
    .selectFrom('user_account')
    .select('user_id')
    .orderBy('username')
    .executeTakeFirstOrThrow();
  const questionnaireId = randomUUID();
  await sql`insert into questionnaire (questionnaire_id, url, version, title, resource)
    values (${questionnaireId}, ${`urn:uuid:${questionnaireId}`}, 1, 'SWEMWBS',
      '{"resourceType":"Questionnaire","status":"active"}'::jsonb)`.execute(db);

  const score = async (personId: string, on: string, value: number): Promise<string> => {
    const responseId = randomUUID();
    await db.transaction().execute(async (trx) => {
      await sql`insert into questionnaire_response (person_id, response_id, questionnaire_id, status, resource,
          authored_on, recorded_by_user_id, completed_by)
        values (${personId}, ${responseId}, ${questionnaireId}, 'completed',
          '{"resourceType":"QuestionnaireResponse","status":"completed"}'::jsonb, ${on}, ${userId}, 'person')`.execute(
        trx,
      );
      await sql`insert into measure_score (person_id, response_id, score_key, instrument, questionnaire_id, value, band, observed_on)
        values (${personId}, ${responseId}, ${WELLBEING_SCORE.scoreKey}, ${WELLBEING_SCORE.instrument},
          ${questionnaireId}, ${value}, null, ${on})`.execute(trx);
    });
    return responseId;
  };

  const referred = (resourceId: string) =>
    db
      .selectFrom('community_referral')
      .innerJoin('person', 'person.person_id', 'community_referral.person_id')
      .select(['community_referral.person_id', 'person.given_name'])
      .where('resource_id', '=', resourceId)
      .orderBy('person.family_name')
      .execute();

  const { twoMonthsAgo: m2, lastMonth: m1 } = seed;
  let i = 0;
  for (const { person_id: personId, given_name: given } of await referred(seed.resources.riverside)) {
    if (given === 'Noshow') {
      await score(personId, `${m2}-05`, 18);
      await score(personId, `${m1}-15`, 30);
      continue;
    }
    await score(personId, `${m2}-01`, 25);
    await score(personId, `${m2}-05`, 18);
    await score(personId, `${m1}-01`, 30);
    await score(personId, `${m1}-15`, i < 8 ? 20.87 : i < 12 ? 20.86 : 15);
    i++;
  }
  for (const { person_id: personId } of await referred(seed.resources.hillside)) {
    await score(personId, `${m2}-12`, 20);
    await score(personId, `${m1}-20`, 30);
  }
  for (const { person_id: personId } of await referred(seed.resources.peers)) {
    await score(personId, `${m1}-20`, 30);
  }
  return { score };
}
