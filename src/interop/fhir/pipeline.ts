/**
 * Runs `work` on each item with at most `depth` at once, and hands each result to `then` in the
 * items' order, whatever order they finish in.
 *
 * Bulk import (bulk-import.ts) writes a batch of people per transaction: while one batch waits on
 * the database, the next is planned and its statements built, and with two transactions in flight
 * the database server works on one batch while this process prepares the other (on PGlite, whose
 * driver runs one transaction at a time, they simply queue). Handing results on in order keeps the
 * report the same as one batch at a time would make it.
 *
 * When `work` throws, no further item is started; the ones in flight are waited for (so no
 * transaction is left open behind the caller) and the first error is thrown.
 */
export async function pipelined<T, R>(
  items: Iterable<T>,
  depth: number,
  work: (item: T) => Promise<R>,
  then: (result: R) => void,
): Promise<void> {
  const running: Promise<R>[] = [];
  try {
    for (const item of items) {
      const result = work(item);
      // Handled here too: it may fail while an earlier one is awaited, before its turn comes.
      result.catch(() => {});
      running.push(result);
      if (running.length >= depth) then(await (running.shift() as Promise<R>));
    }
    while (running.length) then(await (running.shift() as Promise<R>));
  } finally {
    await Promise.allSettled(running);
  }
}
