import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

async function suppress(input: unknown) {
  return runCli(['calc', 'suppress'], { stdin: typeof input === 'string' ? input : JSON.stringify(input) });
}

describe('whatmatters calc suppress', () => {
  it('answers each count as the NHS method shows it (NHS Digital codonPython examples)', async () => {
    const result = await suppress({ counts: [0, 2, 5, 8, 16, 24, 57, 10023] });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ shown: ['0', '*', '*', '10', '15', '25', '55', '10025'] });
  });

  it('treats the counts as a list without a total: one small count is hidden alone', async () => {
    const result = await suppress({ counts: [40, 3, 12, 25] });
    expect(JSON.parse(result.stdout)).toEqual({ shown: ['40', '*', '10', '25'] });
  });

  it('with the total published, hides a second count and answers the total', async () => {
    const result = await suppress({ counts: [40, 3, 12, 25], withTotal: true });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ shown: ['40', '*', '*', '25'], total: '80' });
  });

  it('takes other thresholds', async () => {
    const result = await suppress({
      counts: [0, 9, 10, 15],
      rules: { suppressFrom: 1, suppressTo: 9, roundTo: 10 },
    });
    expect(JSON.parse(result.stdout)).toEqual({ shown: ['0', '*', '10', '20'] });
  });

  it.each([
    ['a negative count', { counts: [4, -1] }, /^counts\.1: /],
    ['a fraction', { counts: [2.5] }, /^counts\.0: /],
    ['counts that are not a list', { counts: 12 }, /^counts: /],
    ['no counts', {}, /counts/],
    ['too many counts', { counts: Array(1001).fill(1) }, /^counts: /],
    ['text for a count', { counts: ['7'] }, /^counts\.0: /],
    [
      'unusable rules',
      { counts: [1], rules: { suppressFrom: 1, suppressTo: 7, roundTo: 0 } },
      /^rules\.roundTo: /,
    ],
    [
      'rules leaving a gap',
      { counts: [1], rules: { suppressFrom: 5, suppressTo: 7, roundTo: 5 } },
      /^rules\.suppressFrom: /,
    ],
    ['an unknown field', { counts: [1], total: 3 }, /total/],
    ['not JSON', '{"counts": [1,', /not valid JSON/],
  ])('exits 2 with one line naming the field for %s', async (_what, input, message) => {
    const result = await suppress(input);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.replace(/^[^:]*calc[^:]*:\s*/, '')).toMatch(message);
  });
});
