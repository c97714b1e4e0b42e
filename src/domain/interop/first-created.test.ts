import { describe, expect, it } from 'vitest';
import { FIRST_CREATED_EXTENSION, firstCreatedExtension, firstCreatedOf } from './first-created.js';

describe('firstCreated', () => {
  it('writes the instant and reads it back', () => {
    const extension = firstCreatedExtension('2026-05-01T09:15:30.250Z');
    expect(extension).toEqual({ url: FIRST_CREATED_EXTENSION, valueInstant: '2026-05-01T09:15:30.250Z' });
    expect(firstCreatedOf({ extension: [extension] })).toBe('2026-05-01T09:15:30.250Z');
  });

  it('reads nothing from a meta without it, or with a value that is no instant', () => {
    expect(firstCreatedOf(undefined)).toBeNull();
    expect(firstCreatedOf({ versionId: '1' })).toBeNull();
    expect(
      firstCreatedOf({ extension: [{ url: FIRST_CREATED_EXTENSION, valueInstant: 'soon' }] }),
    ).toBeNull();
  });
});
