import type { Kysely } from 'kysely';
import type { DashboardCode, DashboardStory } from '../../domain/feedback/dashboard.js';
import type { DB } from '../../store/schema.js';

/**
 * The service feedback dashboard's reads: one service's stories over a period, masked text only,
 * with the codes they count under (`feedback_code_in_use`), and its changes made with the concerns
 * that led to them. A service's year of stories is hundreds, not millions: read once, worked out
 * in the domain (domain/feedback/dashboard.ts).
 */

/** The service's stories received from `fromDay` to `toDay` (both `YYYY-MM-DD`, included). */
export async function dashboardStories(
  db: Kysely<DB>,
  serviceKey: string,
  fromDay: string,
  toDay: string,
): Promise<DashboardStory[]> {
  const rows = await db
    .selectFrom('feedback')
    .select([
      'feedback_id',
      'received_on',
      'fft',
      'sentiment',
      'is_concern',
      'flagged_at',
      'masked_what_was_good',
      'masked_what_could_be_better',
    ])
    .where('service_key', '=', serviceKey)
    .where('received_on', '>=', fromDay)
    .where('received_on', '<=', toDay)
    .orderBy('received_on')
    .orderBy('feedback_id')
    .execute();
  const codes = await db
    .selectFrom('feedback_code_in_use as c')
    .innerJoin('feedback as f', 'f.feedback_id', 'c.feedback_id')
    .select(['c.feedback_id', 'c.code', 'c.status', 'c.confidence', 'c.words'])
    .where('f.service_key', '=', serviceKey)
    .where('f.received_on', '>=', fromDay)
    .where('f.received_on', '<=', toDay)
    .orderBy('c.feedback_id')
    .orderBy('c.code')
    .execute();
  const byStory = new Map<string, DashboardCode[]>();
  for (const c of codes) {
    const list = byStory.get(c.feedback_id) ?? [];
    list.push({
      code: c.code,
      status: c.status === 'confirmed' ? 'confirmed' : 'suggested',
      confidence: c.confidence === null ? null : Number(c.confidence),
      words: typeof c.words === 'string' ? (JSON.parse(c.words) as string[]) : c.words,
    });
    byStory.set(c.feedback_id, list);
  }
  return rows.map((r) => ({
    feedbackId: r.feedback_id,
    receivedOn: dayOf(r.received_on),
    fft: r.fft,
    sentiment: r.sentiment === null ? null : Number(r.sentiment),
    isConcern: !!r.is_concern,
    flagged: r.flagged_at !== null,
    maskedWhatWasGood: r.masked_what_was_good,
    maskedWhatCouldBeBetter: r.masked_what_could_be_better,
    codes: byStory.get(r.feedback_id) ?? [],
  }));
}

/** A `date` column as `YYYY-MM-DD`, whichever way the driver hands it over. */
const dayOf = (value: string | Date): string =>
  value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);

export interface ChangeMade {
  changeId: string;
  description: string;
  madeOn: string;
  /** The period's concerns linked to it. */
  concerns: number;
}

/**
 * The service's changes made in the period, and any made change linked to one of the period's
 * concerns; and the ids of the period's stories that led to a change made.
 */
export async function changesMade(
  db: Kysely<DB>,
  serviceKey: string,
  fromDay: string,
  toDay: string,
): Promise<{ changes: ChangeMade[]; storiesWithChangeMade: Set<string> }> {
  const links = await db
    .selectFrom('feedback_change_story as cs')
    .innerJoin('feedback_change as c', 'c.change_id', 'cs.change_id')
    .innerJoin('feedback as f', 'f.feedback_id', 'cs.feedback_id')
    .select(['cs.change_id', 'cs.feedback_id', 'f.is_concern'])
    .where('c.service_key', '=', serviceKey)
    .where('f.service_key', '=', serviceKey)
    .where('c.status', '=', 'made')
    .where('f.received_on', '>=', fromDay)
    .where('f.received_on', '<=', toDay)
    .execute();
  const concernsPerChange = new Map<string, number>();
  for (const l of links) {
    if (l.is_concern) concernsPerChange.set(l.change_id, (concernsPerChange.get(l.change_id) ?? 0) + 1);
  }
  const linked = [...new Set(links.map((l) => l.change_id))];
  const rows = await db
    .selectFrom('feedback_change')
    .select(['change_id', 'description', 'made_on'])
    .where('service_key', '=', serviceKey)
    .where('status', '=', 'made')
    .where((eb) =>
      eb.or([
        eb.and([eb('made_on', '>=', fromDay), eb('made_on', '<=', toDay)]),
        ...(linked.length ? [eb('change_id', 'in', linked)] : []),
      ]),
    )
    .orderBy('made_on', 'desc')
    .orderBy('change_id')
    .execute();
  return {
    changes: rows.map((r) => ({
      changeId: r.change_id,
      description: r.description,
      madeOn: dayOf(r.made_on as string | Date),
      concerns: concernsPerChange.get(r.change_id) ?? 0,
    })),
    storiesWithChangeMade: new Set(links.map((l) => l.feedback_id)),
  };
}
