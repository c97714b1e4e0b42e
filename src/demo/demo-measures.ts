/**
 * Deterministic standard measures for the demo population: PHQ-9 and GAD-7 at the first
 * conversation and each review for some people (some recovering, some reliably improving without
 * recovering, some with no reliable change, a few deteriorating), SWEMWBS for others, ONS4
 * personal wellbeing for a few; and, for those measured with PHQ-9, a schedule at the start and
 * each review with the next review's request open, so the caseload shows measures due and overdue.
 *
 * Each person's measures come from their own seeded stream (seed + personId), so they keep their
 * shape when the population grows. Answers are generated to reach a target total, then scored by
 * the instruments' own scoring, so a demo score is exactly what the product would compute.
 */

import type { Kysely } from 'kysely';
import { nextDay } from '../domain/calendar.js';
import { INSTRUMENTS } from '../domain/measures/instruments/index.js';
import { responseFromAnswers } from '../domain/measures/response-checks.js';
import type { InstrumentKey, Questionnaire } from '../domain/measures/types.js';
import {
  insertRequests,
  insertResponses,
  insertSchedules,
  insertScores,
} from '../features/measures/store.js';
import { currentActive } from '../features/questionnaires/store.js';
import type { DB } from '../store/schema.js';
import type { DemoConversation } from './demo-care.js';
import { createRandom, type Random, type Weighted } from './random.js';

export type DemoTrajectory = 'recovering' | 'improving' | 'no-change' | 'deteriorating';

export interface DemoMeasureResponse {
  personId: string;
  responseId: string;
  instrument: InstrumentKey;
  /** The answers as ordinal values, in the instrument's order. */
  answers: number[];
  authoredOn: string;
  recordedByUserId: string;
  conversationId: string;
}

export interface DemoMeasureSchedule {
  personId: string;
  scheduleId: string;
  instrument: InstrumentKey;
  createdByUserId: string;
  /** The open request for the next review: due at whatever review comes after the latest conversation. */
  reviewRequestId: string;
  notBefore: string;
}

export interface DemoMeasures {
  responses: DemoMeasureResponse[];
  schedules: DemoMeasureSchedule[];
  /** Each PHQ-9 measured person's trajectory, for tests and for whoever reads the demo. */
  trajectories: Map<string, DemoTrajectory>;
}

const TRAJECTORIES: Weighted<DemoTrajectory> = [
  ['recovering', 35],
  ['improving', 20],
  ['no-change', 30],
  ['deteriorating', 15],
];

/**
 * Start and end totals of the PHQ-9 for a trajectory, by the Talking Therapies definitions
 * (caseness 10 or more, reliable change 6 or more): recovering from caseness to below it by 6 or
 * more; improving by 6 or more while still at caseness; no reliable change (within 2); worse by 6 or more.
 */
function phq9Path(trajectory: DemoTrajectory, r: Random): [number, number] {
  switch (trajectory) {
    case 'recovering': {
      const start = r.int(14, 22);
      return [start, r.int(Math.max(0, start - 14), Math.min(9, start - 6))];
    }
    case 'improving': {
      const start = r.int(18, 26);
      return [start, r.int(10, start - 6)];
    }
    case 'no-change': {
      const start = r.int(5, 20);
      return [start, Math.max(0, Math.min(27, start + r.int(-2, 2)))];
    }
    case 'deteriorating': {
      const start = r.int(4, 12);
      return [start, Math.min(27, start + r.int(6, 10))];
    }
  }
}

/** The GAD-7's path for the same trajectory (caseness 8, reliable change 4). */
function gad7Path(trajectory: DemoTrajectory, r: Random): [number, number] {
  switch (trajectory) {
    case 'recovering': {
      const start = r.int(11, 18);
      return [start, r.int(Math.max(0, start - 12), Math.min(7, start - 4))];
    }
    case 'improving': {
      const start = r.int(14, 21);
      return [start, r.int(8, start - 4)];
    }
    case 'no-change': {
      const start = r.int(4, 16);
      return [start, Math.max(0, Math.min(21, start + r.int(-1, 1)))];
    }
    case 'deteriorating': {
      const start = r.int(3, 9);
      return [start, Math.min(21, start + r.int(4, 8))];
    }
  }
}

/** A total between start and end at step i of n, with a little noise that never reverses the ends. */
function along(
  start: number,
  end: number,
  i: number,
  n: number,
  r: Random,
  min: number,
  max: number,
): number {
  if (n === 1 || i === 0) return start;
  if (i === n - 1) return end;
  const straight = start + ((end - start) * i) / (n - 1);
  return Math.max(min, Math.min(max, Math.round(straight + r.int(-1, 1))));
}

/** `count` answers from `min` to `max` each, summing to `total`. */
export function answersSumming(total: number, count: number, min: number, max: number, r: Random): number[] {
  const answers = Array.from({ length: count }, () => min);
  let left = Math.max(count * min, Math.min(count * max, total)) - count * min;
  while (left > 0) {
    const i = r.int(0, count - 1);
    if ((answers[i] as number) < max) {
      answers[i] = (answers[i] as number) + 1;
      left -= 1;
    }
  }
  return answers;
}

/**
 * The demo's measures for the people whose conversations are given. `alwaysMeasured` (person@demo)
 * is always measured with the PHQ-9 and GAD-7 and recovering, so their own view has a story to show.
 */
export function demoMeasures(
  conversations: readonly DemoConversation[],
  seed: number | string,
  alwaysMeasured: string | null = null,
): DemoMeasures {
  const byPerson = new Map<string, DemoConversation[]>();
  for (const c of conversations) {
    const list = byPerson.get(c.personId) ?? [];
    list.push(c);
    byPerson.set(c.personId, list);
  }
  const out: DemoMeasures = { responses: [], schedules: [], trajectories: new Map() };
  for (const [personId, list] of byPerson) {
    const held = [...list].sort((a, b) => a.heldOn.localeCompare(b.heldOn));
    const r = createRandom(`${seed}|demo-measures|${personId}`);
    const which = personId === alwaysMeasured ? 0 : r.next();
    const at = (instrument: InstrumentKey, answers: (i: number) => number[]) =>
      held.forEach((c, i) => {
        out.responses.push({
          personId,
          responseId: r.uuid(),
          instrument,
          answers: answers(i),
          authoredOn: c.heldOn,
          recordedByUserId: c.recordedByUserId,
          conversationId: c.conversationId,
        });
      });
    if (which < 0.45) {
      const trajectory = personId === alwaysMeasured ? 'recovering' : r.weighted(TRAJECTORIES);
      out.trajectories.set(personId, trajectory);
      const [p0, p1] = phq9Path(trajectory, r);
      const [g0, g1] = gad7Path(trajectory, r);
      const n = held.length;
      at('phq9', (i) => answersSumming(along(p0, p1, i, n, r, 0, 27), 9, 0, 3, r));
      at('gad7', (i) => answersSumming(along(g0, g1, i, n, r, 0, 21), 7, 0, 3, r));
      const last = held[held.length - 1] as DemoConversation;
      out.schedules.push({
        personId,
        scheduleId: r.uuid(),
        instrument: 'phq9',
        createdByUserId: (held[0] as DemoConversation).recordedByUserId,
        reviewRequestId: r.uuid(),
        notBefore: nextDay(last.heldOn),
      });
    } else if (which < 0.7) {
      // SWEMWBS raw totals 7–35: most improve a little, some a lot (the metric's meaningful change).
      const start = r.int(12, 24);
      const end = Math.min(
        35,
        start +
          r.weighted<number>([
            [r.int(-2, 2), 40],
            [r.int(3, 8), 60],
          ]),
      );
      at('swemwbs', (i) => answersSumming(along(start, end, i, held.length, r, 7, 35), 7, 1, 5, r));
    } else if (which < 0.85) {
      const base = [r.int(3, 8), r.int(4, 9), r.int(3, 8), r.int(1, 7)];
      at('ons4', (i) => base.map((v, q) => Math.max(0, Math.min(10, v + (q === 3 ? -i : i) + r.int(-1, 1)))));
    }
  }
  return out;
}

/** Scores of a demo response, by the instrument's own scoring. */
export const demoScoresOf = (response: Pick<DemoMeasureResponse, 'instrument' | 'answers'>) =>
  INSTRUMENTS[response.instrument].score(response.answers);

/**
 * Writes the demo's measures for these conversations' people with the measures feature's own
 * inserts: each response stored whole as a QuestionnaireResponse, its scores, the schedules and
 * their open review requests. The built-in questionnaires must be in the library (they are put in
 * when the database is prepared).
 */
export async function writeDemoMeasures(
  trx: Kysely<DB>,
  conversations: readonly DemoConversation[],
  seed: number | string,
  alwaysMeasured: string | null,
  insertInBatches: <T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const measures = demoMeasures(conversations, seed, alwaysMeasured);
  if (!measures.responses.length) return;
  const library = new Map<InstrumentKey, { questionnaireId: string; questionnaire: Questionnaire }>();
  for (const key of new Set(measures.responses.map((r) => r.instrument))) {
    const row = await currentActive(trx, { instrumentKey: key });
    if (!row)
      throw new Error(`The built-in ${key} questionnaire is not in the library; prepare the database first.`);
    // Built from the instrument's own structure: its answers' codes are the same in any wording.
    library.set(key, { questionnaireId: row.questionnaireId, questionnaire: INSTRUMENTS[key].questionnaire });
  }
  const of = (key: InstrumentKey) =>
    library.get(key) as { questionnaireId: string; questionnaire: Questionnaire };
  const responses = measures.responses.map((r) => {
    const built = responseFromAnswers(of(r.instrument).questionnaire, r.answers, r.authoredOn);
    if ('problem' in built) throw new Error(`demo ${r.instrument} answers: ${built.problem.message}`);
    return {
      personId: r.personId,
      responseId: r.responseId,
      questionnaireId: of(r.instrument).questionnaireId,
      resource: { ...built.response, id: r.responseId },
      authoredOn: r.authoredOn,
      recordedByUserId: r.recordedByUserId,
      completedBy: 'practitioner-with-person' as const,
      requestId: null,
      conversationId: r.conversationId,
    };
  });
  await insertInBatches(responses, (batch) => insertResponses(trx, batch));
  const scores = measures.responses.flatMap((r) =>
    demoScoresOf(r).map((s) => ({
      personId: r.personId,
      responseId: r.responseId,
      scoreKey: s.key,
      instrument: r.instrument,
      questionnaireId: of(r.instrument).questionnaireId,
      value: s.value,
      band: s.band,
      observedOn: r.authoredOn,
    })),
  );
  await insertInBatches(scores, (batch) => insertScores(trx, batch));
  await insertInBatches(
    measures.schedules.map((s) => ({
      personId: s.personId,
      scheduleId: s.scheduleId,
      questionnaireId: of(s.instrument).questionnaireId,
      atStart: true,
      atReview: true,
      atEnd: true,
      createdByUserId: s.createdByUserId,
    })),
    (batch) => insertSchedules(trx, batch),
  );
  await insertInBatches(
    measures.schedules.map((s) => ({
      personId: s.personId,
      requestId: s.reviewRequestId,
      questionnaireId: of(s.instrument).questionnaireId,
      scheduleId: s.scheduleId,
      occasion: 'review' as const,
      dueOn: null,
      notBefore: s.notBefore,
      sentToPerson: false,
      createdByUserId: s.createdByUserId,
    })),
    (batch) => insertRequests(trx, batch),
  );
}
