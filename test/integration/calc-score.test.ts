import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/** `whatmatters calc score` and `POST /api/calc/score`: one method, the contract of issue 11. */

async function score(input: unknown) {
  return runCli(['calc', 'score'], { stdin: typeof input === 'string' ? input : JSON.stringify(input) });
}

async function scored(input: unknown): Promise<unknown> {
  const result = await score(input);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('whatmatters calc score', () => {
  it('answers total 9 and band mild for nine answers of 1 on the PHQ-9 (the acceptance command)', async () => {
    expect(await scored({ instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 1] })).toEqual({
      total: 9,
      band: 'mild',
    });
  });

  it('answers each instrument in its own shape', async () => {
    expect(await scored({ instrument: 'phq9', answers: [3, 3, 3, 3, 3, 3, 2, 0, 0, 3] })).toEqual({
      total: 20,
      band: 'severe',
    });
    expect(await scored({ instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1] })).toEqual({
      total: 7,
      band: 'mild',
    });
    expect(await scored({ instrument: 'swemwbs', answers: [3, 3, 3, 3, 3, 4, 4] })).toEqual({
      total: 23,
      band: null,
      metric: 20.73,
    });
    expect(await scored({ instrument: 'ons4', answers: [7, 9, 4, 6] })).toEqual({
      questions: [
        { key: 'life-satisfaction', value: 7, band: 'high' },
        { key: 'worthwhile', value: 9, band: 'very-high' },
        { key: 'happiness', value: 4, band: 'low' },
        { key: 'anxiety', value: 6, band: 'high' },
      ],
    });
    expect(await scored({ instrument: 'collaborate', answers: [9, 9, 9] })).toEqual({
      total: 27,
      band: 'top-box',
      topBox: true,
    });
    expect(await scored({ instrument: 'collaborate', answers: [9, 8, 9] })).toMatchObject({
      total: 26,
      topBox: false,
    });
    expect(await scored({ instrument: 'fft', answers: [2] })).toEqual({ response: 'good', positive: true });
    expect(await scored({ instrument: 'fft', answers: [6] })).toEqual({
      response: 'dont-know',
      positive: false,
    });
  });

  it('with before and after, answers the after scores, the before scores and the change', async () => {
    expect(
      await scored({
        instrument: 'phq9',
        before: [2, 2, 2, 2, 2, 2, 1, 1, 0],
        after: [1, 1, 1, 1, 1, 0, 0, 0, 0],
      }),
    ).toEqual({
      total: 5,
      band: 'mild',
      before: { total: 14, band: 'moderate' },
      change: 'reliable-recovery',
    });
    expect(
      await scored({ instrument: 'gad7', before: [1, 1, 1, 1, 1, 1, 2], after: [1, 1, 1, 1, 1, 1, 1] }),
    ).toMatchObject({ total: 7, before: { total: 8 }, change: 'recovery' });
    // SWEMWBS raw 20 (18.59) → 24 (21.54): 2.95 metric points, at least 2.87.
    expect(
      await scored({ instrument: 'swemwbs', before: [3, 3, 3, 3, 3, 3, 2], after: [4, 4, 4, 3, 3, 3, 3] }),
    ).toEqual({
      total: 24,
      band: null,
      metric: 21.54,
      before: { total: 20, band: null, metric: 18.59 },
      change: 'reliable-improvement',
    });
  });

  it.each([
    [
      'eight PHQ-9 answers',
      { instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1] },
      'answers: phq9 needs 9 answers (10 with the difficulty item), got 8',
    ],
    [
      'an answer out of range',
      { instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 4] },
      'answers.6: gad7 answers are whole numbers from 0 to 3, got 4',
    ],
    ['a fraction', { instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1.5] }, /^answers\.6: /],
    ['text for an answer', { instrument: 'ons4', answers: ['7', 9, 4, 6] }, /^answers\.0: /],
    [
      'SWEMWBS answered 0',
      { instrument: 'swemwbs', answers: [0, 3, 3, 3, 3, 3, 3] },
      'answers.0: swemwbs answers are whole numbers from 1 to 5, got 0',
    ],
    [
      'an unknown instrument',
      { instrument: 'phq10', answers: [1] },
      'instrument: must be one of "phq9", "gad7", "swemwbs", "ons4", "collaborate", "fft"',
    ],
    ['no instrument', { answers: [1] }, /^instrument: /],
    ['no answers', { instrument: 'phq9' }, /^answers: send the answers/],
    [
      'answers and before together',
      { instrument: 'phq9', answers: Array(9).fill(0), before: Array(9).fill(0) },
      /^answers: send either/,
    ],
    ['before without after', { instrument: 'phq9', before: Array(9).fill(0) }, 'after: needed with before'],
    [
      'a short before',
      { instrument: 'phq9', before: Array(8).fill(0), after: Array(9).fill(0) },
      'before: phq9 needs 9 answers (10 with the difficulty item), got 8',
    ],
    [
      'an after out of range',
      { instrument: 'gad7', before: Array(7).fill(0), after: [0, 0, 0, 0, 0, 0, 9] },
      'after.6: gad7 answers are whole numbers from 0 to 3, got 9',
    ],
    [
      'change on an instrument without a definition',
      { instrument: 'ons4', before: [1, 1, 1, 1], after: [2, 2, 2, 2] },
      /^before: ons4 has no reliable change definition/,
    ],
    ['an unknown field', { instrument: 'fft', answers: [1], extra: true }, /extra/],
    ['not JSON', '{"instrument": "phq9",', /not valid JSON/],
  ])('exits 2 with one line naming the field for %s', async (_what, input, message) => {
    const result = await score(input);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = lines[0]?.replace(/^[^:]*calc[^:]*:\s*/, '');
    if (typeof message === 'string') expect(line).toBe(message);
    else expect(line).toMatch(message);
  });
});

describe('POST /api/calc/score', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ demoPeople: 1 });
    cookie = await signIn(t.app, 'practitioner@demo');
  });
  afterAll(() => t?.close());

  const post = (payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/calc/score', headers: { cookie }, payload: payload as object });

  it('answers the same as the command line, through the closed answer schema', async () => {
    const response = await post({ instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 1] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ total: 9, band: 'mild' });
    const ons4 = await post({ instrument: 'ons4', answers: [0, 10, 5, 1] });
    expect(ons4.json()).toEqual({
      questions: [
        { key: 'life-satisfaction', value: 0, band: 'low' },
        { key: 'worthwhile', value: 10, band: 'very-high' },
        { key: 'happiness', value: 5, band: 'medium' },
        { key: 'anxiety', value: 1, band: 'very-low' },
      ],
    });
    const change = await post({
      instrument: 'swemwbs',
      before: [1, 1, 1, 1, 1, 1, 1],
      after: [5, 5, 5, 5, 5, 5, 5],
    });
    expect(change.json()).toEqual({
      total: 35,
      band: null,
      metric: 35,
      before: { total: 7, band: null, metric: 7 },
      change: 'reliable-improvement',
    });
  });

  it('answers a problem naming the field for a wrong count (422) and an unknown instrument (400)', async () => {
    const short = await post({ instrument: 'phq9', answers: [1, 1, 1] });
    expect(short.statusCode).toBe(422);
    expect(String(short.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(short.json().detail).toBe('answers: phq9 needs 9 answers (10 with the difficulty item), got 3');
    const unknown = await post({ instrument: 'phq10', answers: [1] });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().errors)).toMatch(/instrument/);
  });

  it('is for signed-in users', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/calc/score',
      payload: { instrument: 'fft', answers: [1] },
    });
    expect(response.statusCode).toBe(401);
  });
});
