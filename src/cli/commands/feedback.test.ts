import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withServiceJoined } from './feedback.js';

describe('feedback import’s --service', () => {
  const parse = (args: string[]) =>
    parseArgs({
      args: withServiceJoined(args),
      options: { service: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });

  it('takes a key that begins with a dash as the service, not as an option', () => {
    const parsed = parse(['--service', '-Xq3_abcdEFGH1234', 'feedback.csv']);
    expect(parsed.values.service).toBe('-Xq3_abcdEFGH1234');
    expect(parsed.positionals).toEqual(['feedback.csv']);
  });

  it('leaves every other form as it was', () => {
    expect(withServiceJoined(['--service', 'abc', 'f.csv'])).toEqual(['--service', 'abc', 'f.csv']);
    expect(withServiceJoined(['--service=-abc', 'f.csv'])).toEqual(['--service=-abc', 'f.csv']);
    expect(withServiceJoined(['f.csv', '--service'])).toEqual(['f.csv', '--service']);
    expect(withServiceJoined(['--service', '--', 'f.csv'])).toEqual(['--service', '--', 'f.csv']);
  });
});
