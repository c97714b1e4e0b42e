import { describe, expect, it } from 'vitest';
import { newServiceKey } from './service.js';

describe('a service’s public key', () => {
  it('is 16 URL-safe characters, never beginning with a dash (a command line would read an option)', () => {
    // 1 key in 64 began with '-' before: 5,000 keys would hold about 78 of them.
    const keys = Array.from({ length: 5000 }, newServiceKey);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{15}$/);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });
});
