import { describe, expect, it } from 'vitest';
import { PTD_AE_PERFORMANCE } from '../../src/domain/spc/reference-data.js';
import { runCli } from '../support/cli.js';

const spc = (input: unknown) => runCli(['calc', 'spc'], { stdin: JSON.stringify(input) });

describe('whatmatters calc spc', () => {
  // NHSRplotthedots' ae_all performance case (tests/testthat/test-integration_tests.R,
  // fix_after_n_points = 12), with a target of 0.95, the A&E four-hour standard.
  it('answers the XmR chart exactly in the contract shape', async () => {
    const result = await spc({
      values: PTD_AE_PERFORMANCE,
      improvement: 'increase',
      target: 0.95,
      fixAfter: 12,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(Object.keys(answer)).toEqual(['mean', 'lpl', 'upl', 'points', 'assurance']);
    expect(answer.mean).toBeCloseTo(0.8908915564349236, 14);
    expect(answer.lpl).toBeCloseTo(0.8614049789074258, 14);
    expect(answer.upl).toBeCloseTo(0.9203781339624213, 14);
    expect(answer.points).toHaveLength(36);
    expect(answer.points[9]).toEqual({
      value: PTD_AE_PERFORMANCE[9],
      special: 'outside',
      variation: 'concern',
    });
    expect(answer.points[11]).toEqual({
      value: PTD_AE_PERFORMANCE[11],
      special: 'shift',
      variation: 'improvement',
    });
    expect(answer.points[0]).toEqual({ value: PTD_AE_PERFORMANCE[0], special: 'none', variation: 'common' });
    // The target is above the upper limit and higher is better: it will be missed every month.
    expect(answer.assurance).toBe('fail');
  });

  it('takes the 2024 rule set and gives no assurance without a target', async () => {
    const result = await spc({ values: PTD_AE_PERFORMANCE, improvement: 'neutral', rules: 'nhse2024' });
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.assurance).toBeNull();
    expect(answer.points.map((p: { variation: string }) => p.variation)).toContain('neutral');
  });

  it.each([
    ['too few values', { values: [1], improvement: 'increase' }, /values/],
    ['a value that is not a number', { values: [1, '2', 3], improvement: 'increase' }, /values\.1/],
    [
      'an unknown rule set',
      { values: [1, 2, 3], improvement: 'increase', rules: 'western-electric' },
      /rules/,
    ],
    ['fixAfter beyond the values', { values: [1, 2, 3], improvement: 'increase', fixAfter: 12 }, /fixAfter/],
    ['an unknown field', { values: [1, 2, 3], improvement: 'increase', rebase: [1] }, /rebase/],
  ])('exits 2 with one line for %s', async (_what, input, message) => {
    const result = await spc(input);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
