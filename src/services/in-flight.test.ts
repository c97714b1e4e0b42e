import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

describe('InFlight', () => {
  it('shares one lookup between calls that arrive together, per key, and keeps nothing after', async () => {
    const shared = new InFlight<number>();
    let lookups = 0;
    const lookUp = async () => ++lookups;
    const together = await Promise.all([
      shared.share('a', lookUp),
      shared.share('a', lookUp),
      shared.share('b', lookUp),
    ]);
    expect(together).toEqual([1, 1, 2]);
    expect(await shared.share('a', lookUp)).toBe(3);
  });

  it('gives every sharer the failure, and asks afresh next time', async () => {
    const shared = new InFlight<string>();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('down');
    };
    const results = await Promise.allSettled([shared.share('k', failing), shared.share('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(shared.share('k', async () => 'up')).resolves.toBe('up');
  });
});
