import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DemoCare, DemoDomainCode } from './demo-care.js';
import { createRandom } from './random.js';
import { GENERAL_STEPS, STEPS_BY_DOMAIN, WHAT_GOT_IN_THE_WAY, WHAT_HELPED } from './text/steps.js';

/**
 * Demo self-management steps (issue 14, part 3): for some people with outcomes still being worked
 * on (always person@demo), one to three small steps on one or two of those outcomes, set since
 * their latest conversation — by the person themselves when they have an account, otherwise with
 * their key worker — some ticked off with what helped, some not yet, some saying what got in the
 * way. Deterministic: each person's steps come from a generator seeded by the demo's seed and their id.
 */

/** The share of people (with an open outcome and a key worker) who set steps. */
const SETS_STEPS = 0.35;
const MS_PER_DAY = 86_400_000;

const day = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
const isoDay = (n: number) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);

export interface DemoStepRow {
  person_id: string;
  step_id: string;
  outcome_id: string;
  words: string;
  target_date: string | null;
  done_at: string | null;
  what_helped: string;
  what_got_in_the_way: string;
  set_by: 'person' | 'practitioner';
  created_by_user_id: string;
  created_at: string;
  progress_by_user_id: string | null;
  progress_at: string | null;
}

/**
 * The steps of the people in `care`. `accounts` maps a person to their own sign-in (person@demo):
 * their steps are set and ticked by them; everyone else's with their key worker.
 */
export function demoSteps(
  care: DemoCare,
  seed: number | string,
  today: string,
  accounts: ReadonlyMap<string, string>,
): DemoStepRow[] {
  const todayN = day(today);
  const lastHeld = new Map<string, string>();
  for (const c of care.conversations) {
    if ((lastHeld.get(c.personId) ?? '') < c.heldOn) lastHeld.set(c.personId, c.heldOn);
  }
  const keyWorker = new Map<string, string>();
  for (const m of care.careTeamMembers) {
    if (m.isKeyWorker && m.userId && !m.endDate) keyWorker.set(m.personId, m.userId);
  }
  const firstDomain = new Map<string, DemoDomainCode>();
  for (const d of care.outcomeDomains)
    if (!firstDomain.has(d.outcomeId)) firstDomain.set(d.outcomeId, d.domainCode);
  const active = new Map<string, string[]>();
  for (const o of care.outcomes) {
    if (o.status === 'active') active.set(o.personId, [...(active.get(o.personId) ?? []), o.outcomeId]);
  }

  const rows: DemoStepRow[] = [];
  for (const [personId, outcomeIds] of active) {
    const random = createRandom(`demo-steps:${seed}:${personId}`);
    const own = accounts.get(personId);
    const setter = own ?? keyWorker.get(personId);
    const held = lastHeld.get(personId);
    if (!setter || !held || (!own && !random.chance(SETS_STEPS))) continue;
    // Set after the latest conversation, and at least a day before today, so there is time to act.
    const from = day(held) + 1;
    const to = todayN - 1;
    if (from > to) continue;
    for (const outcomeId of outcomeIds.slice(0, random.int(1, Math.min(2, outcomeIds.length)))) {
      const choices = STEPS_BY_DOMAIN[firstDomain.get(outcomeId) ?? 'staying-well'] ?? GENERAL_STEPS;
      const words = [...new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(choices)))];
      for (const text of words) {
        const setOn = random.int(from, to);
        const targetDate = random.chance(0.6) ? isoDay(setOn + random.int(7, 28)) : null;
        const done = random.chance(0.55);
        const doneOn = done ? random.int(setOn, to) : null;
        // Said what got in the way: often for a step not done, now and then for one done late.
        const hindered = done ? random.chance(0.15) : random.chance(0.5);
        const saidSomething = done || hindered;
        const saidOn = doneOn ?? (saidSomething ? random.int(setOn, to) : null);
        rows.push({
          person_id: personId,
          step_id: random.uuid(),
          outcome_id: outcomeId,
          words: text,
          target_date: targetDate,
          done_at: doneOn === null ? null : `${isoDay(doneOn)}T${17 + random.int(0, 3)}:15:00.000Z`,
          what_helped: done && random.chance(0.8) ? random.pick(WHAT_HELPED) : '',
          what_got_in_the_way: hindered ? random.pick(WHAT_GOT_IN_THE_WAY) : '',
          set_by: own ? 'person' : 'practitioner',
          created_by_user_id: setter,
          created_at: `${isoDay(setOn)}T10:30:00.000Z`,
          progress_by_user_id: saidOn === null ? null : setter,
          progress_at: saidOn === null ? null : `${isoDay(saidOn)}T${17 + random.int(0, 3)}:20:00.000Z`,
        });
      }
    }
  }
  return rows;
}

/** Writes the demo steps of the people in `care`, in batches. */
export async function writeDemoSteps(
  trx: Kysely<DB>,
  care: DemoCare,
  seed: number | string,
  today: string,
  accounts: ReadonlyMap<string, string>,
  insertInBatches: <T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  await insertInBatches(demoSteps(care, seed, today, accounts), (batch) =>
    trx.insertInto('self_management_step').values(batch).execute(),
  );
}
