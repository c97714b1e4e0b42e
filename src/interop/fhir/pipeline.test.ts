import { describe, expect, it } from 'vitest';
import { pipelined } from './pipeline.js';

/** A promise and the functions that settle it, so a test decides the order things finish in. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('pipelined', () => {
  it('runs at most `depth` at once and hands results on in the items’ order, whatever order they finish in', async () => {
    const pending = [0, 1, 2, 3].map(() => deferred<string>());
    const started: number[] = [];
    const handed: string[] = [];
    const run = pipelined(
      [0, 1, 2, 3],
      2,
      (i) => {
        started.push(i);
        return (pending[i] as ReturnType<typeof deferred<string>>).promise;
      },
      (r) => handed.push(r),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    pending[1]?.resolve('one');
    await tick();
    expect(handed).toEqual([]);
    expect(started).toEqual([0, 1]);
    pending[0]?.resolve('zero');
    await tick();
    expect(handed).toEqual(['zero', 'one']);
    expect(started).toEqual([0, 1, 2, 3]);
    pending[3]?.resolve('three');
    pending[2]?.resolve('two');
    await run;
    expect(handed).toEqual(['zero', 'one', 'two', 'three']);
  });

  it('on a failure starts nothing more, waits for those in flight, and throws the first error', async () => {
    const pending = [0, 1, 2, 3].map(() => deferred<string>());
    const started: number[] = [];
    const handed: string[] = [];
    let settled = false;
    const run = pipelined(
      [0, 1, 2, 3],
      2,
      (i) => {
        started.push(i);
        return (pending[i] as ReturnType<typeof deferred<string>>).promise;
      },
      (r) => handed.push(r),
    ).finally(() => {
      settled = true;
    });
    await tick();
    // The second fails before the first finishes: no unhandled rejection, and it waits its turn.
    pending[1]?.reject(new Error('second failed'));
    await tick();
    expect(settled).toBe(false);
    pending[0]?.resolve('zero');
    await tick();
    // The third started when the first was handed on; the failure is seen at the second's turn.
    expect(started).toEqual([0, 1, 2]);
    expect(settled).toBe(false);
    pending[2]?.resolve('two');
    await expect(run).rejects.toThrow('second failed');
    expect(handed).toEqual(['zero']);
    expect(started).toEqual([0, 1, 2]);
  });

  it('with depth 1 runs one at a time', async () => {
    let running = 0;
    let most = 0;
    const handed: number[] = [];
    await pipelined(
      [1, 2, 3],
      1,
      async (i) => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        return i * 10;
      },
      (r) => handed.push(r),
    );
    expect(most).toBe(1);
    expect(handed).toEqual([10, 20, 30]);
  });
});
