import { type Kysely, sql } from 'kysely';
import { FFT_POSITIVE } from '../domain/measures/instruments/fft.js';
import {
  insertChange,
  insertReply,
  linkStory,
  publish,
  recordFirstResponse,
} from '../features/feedback/responses-store.js';
import type { FeedbackCollectionService } from '../features/feedback/service.js';
import { recordFirstAction, setSafeguardingContact } from '../features/feedback/store.js';
import type { DB } from '../store/schema.js';
import type { DemoPopulation, DemoTeam, DemoUser } from './demo-population.js';
import { createRandom, type Random, type Weighted } from './random.js';
import {
  CHANGES_MADE,
  CONCERN,
  FICTIONAL_PHONES,
  NOTHING_BETTER,
  PRAISE,
  REPLIES,
  SAFEGUARDING_STORIES,
  THANKED_NAMES,
  WITH_PERSONAL_DETAILS,
  WORKERS,
} from './text/feedback.js';
import { type ServiceKey, TEAM_SERVICES } from './text/services.js';

/**
 * Demo care-experience feedback (issue 12): for each demo team with a feedback service, thirteen months
 * of stories as people write them on Friends and Family Test cards and forms — mostly positive, as
 * real FFT results are (about 85–90% Very good or Good), on varied themes, a few with a name or a
 * phone number for the de-identifier to mask, two describing harm for the safeguarding contact,
 * some received on paper or by phone — then replies, published stories (consent only) and changes
 * made in answer to concerns. Seeded, so the same seed gives the same stories.
 *
 * Stories are stored through the feedback service's import (so each is masked, screened for harm
 * and coded as any other); the demo then dates each one's arrival and channel (`setDemoArrival`,
 * below), since a service stores a story as arriving now.
 */

/** Months of feedback each demo service has, ending with the current one. */
export const DEMO_FEEDBACK_MONTHS = 13;

/**
 * The demo teams with a feedback service, and the stories each hears in a month. A few services,
 * not all: every story is masked, screened and coded as it is stored, and a demo database (and every
 * test that loads one) must stay quick to make. The social work team is the demo accounts' own.
 */
export const DEMO_FEEDBACK_TEAMS: Readonly<Record<string, readonly [number, number]>> = {
  'North Locality Social Work Team': [3, 7],
  'Older Adults Community Mental Health Team': [3, 7],
  'Reablement and Independence Team': [3, 7],
  'North Neighbourhood District Nursing Team': [3, 7],
};

/** FFT answers as services hear them: mostly Very good or Good. */
const FFT_WEIGHTS: Weighted<string> = [
  ['very-good', 62],
  ['good', 25],
  ['neither', 4],
  ['poor', 3],
  ['very-poor', 2],
  ['dont-know', 4],
];
const PRAISE_WEIGHTS: Weighted<string> = weights(PRAISE, {
  'staff-manner': 6,
  competence: 3,
  'communication-information': 3,
  'listening-involvement': 3,
  continuity: 2,
});
const CONCERN_WEIGHTS: Weighted<string> = weights(CONCERN, {
  'access-waiting': 4,
  appointments: 3,
  'communication-information': 3,
  continuity: 2,
  'staffing-levels': 2,
  'coordination-discharge': 2,
  responsiveness: 2,
});
const CHANNELS: Weighted<'online' | 'paper' | 'phone'> = [
  ['online', 70],
  ['paper', 20],
  ['phone', 10],
];
const WRITERS: Weighted<string> = [
  ['patient', 65],
  ['carer', 30],
  ['other', 5],
];
const AGE_BANDS: Weighted<string | null> = [
  [null, 20],
  ['45-54', 5],
  ['55-64', 10],
  ['65-74', 20],
  ['75-84', 30],
  ['85+', 15],
];

function weights(sentences: Readonly<Record<string, readonly string[]>>, heavier: Record<string, number>) {
  return Object.keys(sentences).map((theme) => [theme, heavier[theme] ?? 1] as const);
}

/** One generated story, with the theme it was written about (for the changes it may lead to). */
export interface DemoFeedbackStory {
  sourceId: string;
  receivedOn: string;
  channel: 'online' | 'paper' | 'phone';
  fft: string;
  whatWasGood: string;
  whatCouldBeBetter: string;
  writer: string;
  ageBand: string | null;
  consentToPublish: boolean;
  /** The theme of its concern sentence, when it has one. */
  concernTheme: string | null;
  safeguarding: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first day of each of the `count` months ending with today's, oldest first. */
function monthStarts(today: string, count: number): { year: number; month: number }[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const index = y * 12 + (m - 1) - (count - 1 - i);
    return { year: Math.floor(index / 12), month: (index % 12) + 1 };
  });
}

const fill = (random: Random, sentence: string, service: ServiceKey) =>
  sentence
    .replace('{worker}', () => random.pick(WORKERS[service]))
    .replace('{name}', () => random.pick(THANKED_NAMES))
    .replace('{phone}', () => random.pick(FICTIONAL_PHONES))
    .replace(/^(.)/, (c) => c.toUpperCase());

function sentence(random: Random, pool: Readonly<Record<string, readonly string[]>>, theme: string) {
  return random.pick(pool[theme] ?? []);
}

/** A service's demo stories, oldest first (pure: the same seed gives the same stories). */
export function generateDemoFeedback(
  team: { id: string; name: string },
  service: ServiceKey,
  seed: number | string,
  today: string,
): DemoFeedbackStory[] {
  const random = createRandom(`demo-feedback:${seed}:${team.name}`);
  const [fewest, most] = DEMO_FEEDBACK_TEAMS[team.name] ?? [1, 3];
  const stories: DemoFeedbackStory[] = [];
  for (const { year, month } of monthStarts(today, DEMO_FEEDBACK_MONTHS)) {
    const prefix = `${year}-${pad(month)}`;
    const lastDay = prefix === today.slice(0, 7) ? Number(today.slice(8, 10)) : 28;
    const count = random.int(fewest, most);
    for (let i = 0; i < count; i++) {
      const fft = random.weighted(FFT_WEIGHTS);
      const positive = (FFT_POSITIVE as readonly string[]).includes(fft);
      const negative = fft === 'poor' || fft === 'very-poor';
      const praiseTheme = random.weighted(PRAISE_WEIGHTS);
      const concernTheme = random.weighted(CONCERN_WEIGHTS);
      let good = '';
      let better = '';
      let concern: string | null = null;
      if (positive) {
        good = fill(random, sentence(random, PRAISE, praiseTheme), service);
        if (random.chance(0.35))
          good += ` ${fill(random, sentence(random, PRAISE, random.weighted(PRAISE_WEIGHTS)), service)}`;
        if (random.chance(0.2)) {
          better = fill(random, sentence(random, CONCERN, concernTheme), service);
          concern = concernTheme;
        } else better = random.pick(NOTHING_BETTER);
      } else if (negative) {
        better = fill(random, sentence(random, CONCERN, concernTheme), service);
        if (random.chance(0.4))
          better += ` ${fill(random, sentence(random, CONCERN, random.weighted(CONCERN_WEIGHTS)), service)}`;
        good = random.chance(0.4) ? fill(random, sentence(random, PRAISE, praiseTheme), service) : '';
        concern = concernTheme;
      } else if (fft === 'neither') {
        good = fill(random, sentence(random, PRAISE, praiseTheme), service);
        better = fill(random, sentence(random, CONCERN, concernTheme), service);
        concern = concernTheme;
      } else if (random.chance(0.5)) {
        good = 'Too early to say, we have only had one visit.';
      }
      // Now and then a name to thank or a number to ring, which the de-identifier masks.
      if (random.chance(0.06)) {
        const detail = fill(random, random.pick(WITH_PERSONAL_DETAILS), service);
        if (detail.includes('thanks') || detail.includes('Thanks')) good = `${good} ${detail}`.trim();
        else better = `${better} ${detail}`.trim();
      }
      stories.push({
        sourceId: `demo-${team.id}-${prefix}-${i + 1}`,
        receivedOn: `${prefix}-${pad(random.int(1, lastDay))}`,
        channel: random.weighted(CHANNELS),
        fft,
        whatWasGood: good,
        whatCouldBeBetter: better,
        writer: random.weighted(WRITERS),
        ageBand: random.weighted(AGE_BANDS),
        consentToPublish: random.chance(0.6),
        concernTheme: concern,
        safeguarding: false,
      });
    }
  }
  // The safeguarding stories arrive in the last fortnight, so the contact's clock is still live.
  for (const [i, s] of SAFEGUARDING_STORIES.entries()) {
    if (s.service !== service) continue;
    const day = new Date(`${today}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() - random.int(1, 14));
    stories.push({
      sourceId: `demo-${team.id}-safeguarding-${i + 1}`,
      receivedOn: day.toISOString().slice(0, 10),
      channel: 'phone',
      fft: 'very-poor',
      whatWasGood: s.whatWasGood,
      whatCouldBeBetter: s.whatCouldBeBetter,
      writer: 'carer',
      ageBand: null,
      consentToPublish: false,
      concernTheme: null,
      safeguarding: true,
    });
  }
  return stories.sort(
    (a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.sourceId.localeCompare(b.sourceId),
  );
}

/** The demo teams that give a service, with their staff: each gets a feedback service. */
function feedbackTeams(population: DemoPopulation) {
  const staffOf = (team: DemoTeam, role: string): DemoUser[] =>
    population.users.filter((u) => u.roles.some((r) => r.teamId === team.id && r.role === role));
  return population.teams.flatMap((team) => {
    const service = TEAM_SERVICES[team.name];
    if (!service || !DEMO_FEEDBACK_TEAMS[team.name]) return [];
    const managers = staffOf(team, 'team-manager');
    const practitioners = staffOf(team, 'practitioner');
    return [{ team, service, manager: managers[0] ?? null, staff: [...managers, ...practitioners] }];
  });
}

/**
 * Writes the demo feedback of each demo team with a feedback service (DEMO_FEEDBACK_TEAMS), through `feedback` (a
 * collection service on the load's transaction). Each team's service is made, its team manager
 * named its safeguarding contact, its stories imported; then replies, publishing and changes
 * through the responses store.
 */
export async function writeDemoFeedback(
  trx: Kysely<DB>,
  population: DemoPopulation,
  seed: number | string,
  today: string,
  feedback: FeedbackCollectionService,
): Promise<{ stories: number }> {
  let total = 0;
  for (const { team, service, manager, staff } of feedbackTeams(population)) {
    const keyed = await feedback.serviceByKeyOrId(team.id);
    if (!keyed) throw new Error(`The demo team ${team.name} has no feedback service`);
    if (manager) await setSafeguardingContact(trx, keyed.serviceKey, manager.id);
    const stories = generateDemoFeedback(team, service, seed, today);
    const report = await feedback.importRows(
      keyed.serviceKey,
      stories.map((s, i) => ({
        row: i + 1,
        input: {
          sourceId: s.sourceId,
          receivedOn: s.receivedOn,
          fft: s.fft,
          whatWasGood: s.whatWasGood,
          whatCouldBeBetter: s.whatCouldBeBetter,
          writer: s.writer,
          ageBand: s.ageBand,
          consentToPublish: s.consentToPublish,
        },
      })),
      (field) => field,
    );
    if (report.rejected.length) {
      throw new Error(`Demo feedback for ${team.name} was refused: ${JSON.stringify(report.rejected[0])}`);
    }
    total += report.imported;
    const rows = await trx
      .selectFrom('feedback')
      .select(['feedback_id', 'source_id'])
      .where('service_key', '=', keyed.serviceKey)
      .execute();
    const idOf = new Map(rows.map((r) => [r.source_id, r.feedback_id]));
    const random = createRandom(`demo-feedback-responses:${seed}:${team.name}`);
    const enteredBy = (s: DemoFeedbackStory) =>
      s.channel === 'online' || !staff.length ? null : random.pick(staff).id;
    const arrived = stories.map((s) => ({
      story: s,
      feedbackId: idOf.get(s.sourceId) as string,
      // A story arrives during the day it was received (UK office hours, written as UTC).
      arrivedAt: new Date(`${s.receivedOn}T${pad(random.int(8, 19))}:${pad(random.int(0, 59))}:00Z`),
    }));
    await setDemoArrival(
      trx,
      arrived.map((a) => ({ ...a, channel: a.story.channel, enteredByUserId: enteredBy(a.story) })),
    );
    if (!staff.length) continue;
    await respond(trx, keyed.serviceKey, arrived, staff, manager ?? (staff[0] as DemoUser), random, today);
  }
  return { stories: total };
}

/**
 * Demo only: dates each imported story's arrival, records how it came (online, or typed in by a
 * member of staff from paper or a phone call) and dates a safeguarding flag with it. The feedback
 * service stores a story as arriving now, by the channel of the path it came by (an import); a demo
 * of thirteen months needs them spread out as they would have arrived. One statement per service.
 */
export async function setDemoArrival(
  trx: Kysely<DB>,
  rows: readonly { feedbackId: string; channel: string; enteredByUserId: string | null; arrivedAt: Date }[],
): Promise<void> {
  if (!rows.length) return;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.feedbackId}::uuid, ${r.channel}, ${r.enteredByUserId}::uuid, ${r.arrivedAt.toISOString()}::timestamptz)`,
    ),
  );
  await sql`update feedback f set
      channel = v.channel,
      entered_by_user_id = v.entered_by,
      created_at = v.arrived_at,
      flagged_at = case when f.flagged_at is null then null else v.arrived_at end
    from (values ${values}) as v (feedback_id, channel, entered_by, arrived_at)
    where f.feedback_id = v.feedback_id`.execute(trx);
}

/**
 * Replies to about a quarter of the stories with something written, publishes about half of those
 * whose writers consented, makes changes in answer to the service's concerns (a change for each of
 * its most frequent concern themes, linked to those concerns) and plans one more; records the first
 * action on one safeguarding story, leaving the other waiting.
 */
async function respond(
  trx: Kysely<DB>,
  serviceKey: string,
  arrived: readonly { story: DemoFeedbackStory; feedbackId: string; arrivedAt: Date }[],
  staff: readonly DemoUser[],
  manager: DemoUser,
  random: Random,
  today: string,
): Promise<void> {
  const todayEnd = new Date(`${today}T23:59:59Z`);
  for (const { story: s, feedbackId, arrivedAt } of arrived) {
    if (s.safeguarding || !(s.whatWasGood || s.whatCouldBeBetter)) continue;
    if (random.chance(0.25)) {
      const at = new Date(arrivedAt.getTime() + random.int(1, 96) * 3_600_000);
      if (at <= todayEnd) {
        const side =
          s.concernTheme && !(FFT_POSITIVE as readonly string[]).includes(s.fft) ? 'concern' : 'praise';
        await insertReply(trx, {
          replyId: random.uuid(),
          feedbackId,
          body: random.pick(REPLIES[side]),
          authorUserId: random.pick(staff).id,
          at,
        });
        await recordFirstResponse(
          trx,
          feedbackId,
          at,
          Math.round((at.getTime() - arrivedAt.getTime()) / 1000),
        );
      }
    }
    if (s.consentToPublish && random.chance(0.5)) {
      await publish(trx, feedbackId, manager.id, new Date(arrivedAt.getTime() + 2 * 86_400_000));
    }
  }
  // Changes in answer to the service's most frequent concern themes, made a few weeks after them;
  // the fourth is still planned (as is any whose date would fall after today).
  const byTheme = new Map<string, typeof arrived>();
  for (const a of arrived) {
    const theme = a.story.concernTheme;
    if (theme && CHANGES_MADE[theme]) byTheme.set(theme, [...(byTheme.get(theme) ?? []), a]);
  }
  const themes = [...byTheme.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  for (const [index, [theme, concerns]] of themes.slice(0, 4).entries()) {
    const linked = concerns.slice(-random.int(1, 3));
    const last = linked[linked.length - 1]?.story.receivedOn ?? today;
    const date = new Date(`${last}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() + random.int(14, 42));
    const day = date.toISOString().slice(0, 10);
    const made = index < 3 && day <= today;
    const changeId = random.uuid();
    await insertChange(trx, {
      changeId,
      serviceKey,
      status: made ? 'made' : 'planned',
      description: random.pick(CHANGES_MADE[theme] ?? []),
      plannedOn: made ? null : day,
      madeOn: made ? day : null,
      userId: manager.id,
    });
    for (const a of linked) await linkStory(trx, changeId, a.feedbackId);
  }
  // The first safeguarding story has had its first action three hours after it came; any other is
  // still waiting, so the contact's inbox shows both states.
  const flagged = arrived.find((a) => a.story.safeguarding && a.story.sourceId.endsWith('-safeguarding-1'));
  if (flagged) {
    await recordFirstAction(trx, flagged.feedbackId, {
      action: 'action-taken',
      note: 'Rang the daughter the same day and raised a safeguarding concern with the local authority.',
      userId: manager.id,
      at: new Date(flagged.arrivedAt.getTime() + 3 * 3_600_000),
      seconds: 3 * 3600,
    });
  }
}
