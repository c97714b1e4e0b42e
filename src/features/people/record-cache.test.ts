import { describe, expect, it } from 'vitest';
import { RecordCache } from './record-cache.js';

describe('RecordCache', () => {
  it('serves a kept record only while its stamp is the database’s', async () => {
    const cache = new RecordCache<{ name: string }>();
    let reads = 0;
    const read = (name: string) => async () => {
      reads++;
      return { name };
    };
    expect(await cache.get('p1', '1:1', read('Ann'))).toEqual({ name: 'Ann' });
    expect(await cache.get('p1', '1:1', read('not read'))).toEqual({ name: 'Ann' });
    expect(reads).toBe(1);
    // The record changed (or a name it shows did): read again.
    expect(await cache.get('p1', '2:1', read('Ann B'))).toEqual({ name: 'Ann B' });
    expect(await cache.get('p1', '2:2', read('Ann C'))).toEqual({ name: 'Ann C' });
    expect(reads).toBe(3);
  });

  it('hands out frozen copies, so no reader can change what the next one sees', async () => {
    const cache = new RecordCache<{ list: number[] }>();
    const value = await cache.get('p1', '1:1', async () => ({ list: [1, 2] }));
    expect(() => value.list.push(3)).toThrow(TypeError);
  });

  it('keeps at most its capacity, dropping the least recently used, and forgets on request', async () => {
    const cache = new RecordCache<string>(2);
    let reads = 0;
    const read = async () => `read ${++reads}`;
    await cache.get('a', '1', read);
    await cache.get('b', '1', read);
    await cache.get('a', '1', read); // a is now the most recent
    await cache.get('c', '1', read); // b goes
    expect(reads).toBe(3);
    await cache.get('a', '1', read);
    expect(reads).toBe(3);
    await cache.get('b', '1', read);
    expect(reads).toBe(4);
    cache.forget('b');
    await cache.get('b', '1', read);
    expect(reads).toBe(5);
  });
});
