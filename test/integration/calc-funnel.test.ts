import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** `whatmatters calc funnel`: the contract of issue 10, through the real command line. */

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

interface FunnelAnswer {
  target: number;
  phi: number;
  tau2: number;
  units: { id: string; value: number; limits: Record<'95' | '99.8', [number, number]>; outside: string }[];
}

async function funnel(input: unknown): Promise<FunnelAnswer> {
  const result = await runCli(['calc', 'funnel'], { stdin: JSON.stringify(input) });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as FunnelAnswer;
}

describe('whatmatters calc funnel', () => {
  it('answers standardised ratios with FunnelPlotR’s exact Poisson limits, target 1, φ = 1, τ² = 0', async () => {
    // FunnelPlotR tests/testthat/test-poisson_limits.R: limits at expected counts 15, 20 and 30.
    const answer = await funnel({
      type: 'sr',
      units: [
        { id: 'north', numerator: 15, denominator: 15 },
        { id: 'south', numerator: 40, denominator: 20 },
        { id: 'east', numerator: 17, denominator: 30 },
      ],
      overdispersion: false,
    });
    expect(Object.keys(answer)).toEqual(['target', 'phi', 'tau2', 'units']);
    expect(answer).toMatchObject({ target: 1, phi: 1, tau2: 0 });
    expect(answer.units.map((u) => u.id)).toEqual(['north', 'south', 'east']);
    expect(Object.keys(answer.units[0] ?? {})).toEqual(['id', 'value', 'limits', 'outside']);
    expect(answer.units.map((u) => round(u.limits['95'][0], 7))).toEqual([0.5596924, 0.610826, 0.6746958]);
    expect(answer.units.map((u) => round(u.limits['95'][1], 6))).toEqual([1.649348, 1.544419, 1.427562]);
    expect(answer.units.map((u) => round(u.limits['99.8'][0], 7))).toEqual([0.386265, 0.4479107, 0.5289724]);
    expect(answer.units.map((u) => round(u.limits['99.8'][1], 6))).toEqual([2.082907, 1.902094, 1.702771]);
    // south (2.0) is above the 99.8% upper limit at 20 (1.902); east (0.567) is below the 95% lower
    // limit at 30 (0.675) but inside the 99.8% one (0.529).
    expect(answer.units.map((u) => [u.value, u.outside])).toEqual([
      [1, 'none'],
      [2, '99.8'],
      [17 / 30, '95'],
    ]);
  });

  it('estimates overdispersion on FunnelPlotR’s test data and widens the limits', async () => {
    const observed = [100, 150, 180, 80, 120, 225];
    const expected = [108, 112, 165, 95, 100, 220];
    const answer = await funnel({
      type: 'sr',
      units: observed.map((numerator, i) => ({ id: 'abcdef'[i], numerator, denominator: expected[i] })),
      overdispersion: true,
    });
    // Winsorised (10%) square-root-scale z-scores, computed independently from FunnelPlotR's formulas.
    expect(answer.phi).toBeCloseTo(2.327178257594119, 10);
    expect(answer.tau2).toBeCloseTo(0.0034397801541862735, 10);
    expect(answer.units[1]?.limits['95'][1]).toBeCloseTo(1.3170067418705118, 9);
    expect(answer.units[1]?.outside).toBe('95');
  });

  it('answers proportions around the pooled proportion', async () => {
    const answer = await funnel({
      type: 'proportion',
      units: [
        { id: 'team-1', numerator: 12, denominator: 100 },
        { id: 'team-2', numerator: 30, denominator: 150 },
        { id: 'team-3', numerator: 45, denominator: 200 },
        { id: 'team-4', numerator: 8, denominator: 60 },
        { id: 'team-5', numerator: 60, denominator: 240 },
        { id: 'team-6', numerator: 20, denominator: 130 },
        { id: 'team-7', numerator: 90, denominator: 300 },
        { id: 'team-8', numerator: 15, denominator: 50 },
      ],
      overdispersion: true,
    });
    expect(answer.target).toBeCloseTo(280 / 1230, 14);
    expect(answer.phi).toBeCloseTo(2.4232633659248504, 10);
    expect(answer.tau2).toBeCloseTo(0.0029994706884352907, 10);
    expect(answer.units[0]?.limits['99.8'][0]).toBeCloseTo(0.07022634111860139, 10);
    expect(answer.units.every((u) => u.outside === 'none')).toBe(true);
  });

  const unit = (id: string, numerator: number, denominator: number) => ({ id, numerator, denominator });
  it.each([
    ['no units', { type: 'sr', units: [], overdispersion: false }, /units/],
    [
      'a negative numerator',
      { type: 'sr', units: [unit('a', -1, 5)], overdispersion: false },
      /units\.0\.numerator/,
    ],
    [
      'a numerator above its denominator',
      { type: 'proportion', units: [unit('a', 1, 5), unit('b', 6, 5)], overdispersion: false },
      /units\.1\.numerator/,
    ],
    [
      'a zero denominator',
      { type: 'proportion', units: [unit('a', 0, 0)], overdispersion: false },
      /units\.0\.denominator/,
    ],
    [
      'a repeated id',
      { type: 'sr', units: [unit('a', 1, 5), unit('a', 2, 5)], overdispersion: true },
      /units\.1\.id: "a"/,
    ],
    ['an unknown type', { type: 'rate', units: [unit('a', 1, 5)], overdispersion: false }, /type/],
    ['no overdispersion flag', { type: 'sr', units: [unit('a', 1, 5)] }, /overdispersion/],
  ])('exits 2 with one line naming the field for %s', async (_what, input, message) => {
    const result = await runCli(['calc', 'funnel'], { stdin: JSON.stringify(input) });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
