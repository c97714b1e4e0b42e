import { describe, expect, it } from 'vitest';
import { applyMasks, findMasks, maskedSegments, maskWords, unmask } from './masking.js';
import { describeDuration, secondsToFirstAction } from './moderation.js';

const STORY = 'Nurse Sarah Jones was kind. Call me on 07700 900123 or write to 12 Holly Road, LS1 4AB.';

describe('masking a feedback story', () => {
  it('finds names, phone numbers and addresses with the de-identifier, and tags them', () => {
    const spans = findMasks(STORY);
    const kinds = spans.map((s) => s.kind);
    expect(kinds).toContain('name');
    expect(kinds).toContain('phone');
    expect(kinds).toContain('postcode');
    const masked = applyMasks(STORY, spans);
    expect(masked).not.toMatch(/Sarah|07700|LS1 4AB/);
    expect(masked).toContain('[phone]');
    expect(spans.every((s) => s.source === 'detected')).toBe(true);
  });

  it('leaves a story without personal information as it is', () => {
    const text = 'The wait was long but the staff were kind.';
    expect(findMasks(text)).toEqual([]);
    expect(applyMasks(text, [])).toBe(text);
  });

  it('unmasks a false positive and masks a missed word everywhere it stands alone', () => {
    const text = 'Bernie on ward 7 was great; thank you Bernie. Bernieville is far.';
    const { spans, added } = maskWords(text, [], 'bernie', 'name');
    expect(added).toBe(2);
    expect(applyMasks(text, spans)).toBe('[name] on ward 7 was great; thank you [name]. Bernieville is far.');
    expect(spans.every((s) => s.source === 'moderator')).toBe(true);
    expect(applyMasks(text, unmask(spans, 0))).toBe(
      'Bernie on ward 7 was great; thank you [name]. Bernieville is far.',
    );
    expect(maskWords(text, spans, 'Bernie', 'name').added).toBe(0);
    expect(maskWords(text, spans, 'nobody', 'other').added).toBe(0);
    expect(maskWords('a (b) c', [], '(b)', 'other').added).toBe(1);
  });

  it('cuts the original into plain and masked pieces with labels, for highlighting', () => {
    const text = 'Ask for Ravi Patel please';
    const spans = findMasks(text);
    expect(maskedSegments(text, spans)).toEqual([
      { text: 'Ask for ' },
      { text: 'Ravi Patel', kind: 'name', label: 'name', index: 0 },
      { text: ' please' },
    ]);
  });
});

describe('the first-action clock', () => {
  it('counts whole seconds and reads them out', () => {
    expect(secondsToFirstAction(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-01T13:05:30Z'))).toBe(
      11130,
    );
    expect(secondsToFirstAction(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-01T09:00:00Z'))).toBe(0);
    expect(describeDuration(11130)).toBe('3 hours 5 minutes');
    expect(describeDuration(90000)).toBe('1 day 1 hour');
    expect(describeDuration(120)).toBe('2 minutes');
    expect(describeDuration(5)).toBe('less than a minute');
  });
});
