import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('whatmatters calc deidentify', () => {
  it('answers the masked text and where each identifier was in the original', async () => {
    const text = 'Mrs Patel said her son Ravi visits. NHS no 943 476 5919, call 07700 900123. She is 94.';
    const result = await runCli(['calc', 'deidentify'], { stdin: JSON.stringify({ text }) });
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.text).toBe(
      'Mrs [name] said her son [name] visits. NHS no [nhs-number], call [phone]. She is [age 90 or over].',
    );
    expect(answer.found.map((f: { kind: string }) => f.kind)).toEqual([
      'name',
      'name',
      'nhs-number',
      'phone',
      'date-of-birth',
    ]);
    expect(answer.found.map((f: { start: number; end: number }) => text.slice(f.start, f.end))).toEqual([
      'Patel',
      'Ravi',
      '943 476 5919',
      '07700 900123',
      '94',
    ]);
  });

  it('always masks the known names it is given', async () => {
    const result = await runCli(['calc', 'deidentify'], {
      stdin: JSON.stringify({ text: 'thandiwe came round', knownNames: ['Thandiwe Moyo'] }),
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      text: '[name] came round',
      found: [{ kind: 'name', start: 0, end: 8 }],
    });
  });

  it('leaves clean text as it is', async () => {
    const text = 'I want to walk to the Post Office in March, feeling Down.';
    const result = await runCli(['calc', 'deidentify'], { stdin: JSON.stringify({ text }) });
    expect(JSON.parse(result.stdout)).toEqual({ text, found: [] });
  });

  it.each([
    ['a missing text', '{}', /^whatmatters calc: text: /],
    ['text that is not a string', '{"text": 5}', /text: Expected string/],
    ['text over 20,000 characters', JSON.stringify({ text: 'a'.repeat(20_001) }), /text: .*20000/],
    ['knownNames that is not a list', '{"text":"x","knownNames":"Ravi"}', /knownNames: Expected array/],
    ['a field it does not know', '{"text":"x","names":[]}', /names/],
  ])('exits 2 with one line naming the field for %s', async (_what, stdin, message) => {
    const result = await runCli(['calc', 'deidentify'], { stdin });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
