import type { Kysely } from 'kysely';
import type { DB } from '../../src/store/schema.js';
import type { TestApp } from './test-app.js';

/** An access token for a client, from POST /oauth/token with HTTP Basic credentials, as a system gets one. */
export async function clientToken(t: TestApp, clientId: string, secret: string): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    payload: 'grant_type=client_credentials',
  });
  if (response.statusCode !== 200) throw new Error(`no token for ${clientId}: ${response.body}`);
  return response.json().access_token;
}

/** The organisation whose care teams hold the most records in the demo data. */
export async function busiestOrganisation(db: Kysely<DB>): Promise<string> {
  const held = await db
    .selectFrom('care_team_member')
    .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('end_date', 'is', null)
    .groupBy('organisation_id')
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
  return held.organisation_id;
}
