import { describe, expect, it } from 'vitest';
import { INDICATOR_LIBRARY } from '../indicators/library.js';
import { TALKING_POINTS_FRAMEWORK } from '../outcome-frameworks.js';
import {
  type CommissioningFrameworkDefinition,
  commissioningFrameworkProblems,
  indicatorKeysOf,
  sameCommissioningContent,
  withCodes,
} from './framework.js';
import { LONG_TERM_CONDITIONS_FRAMEWORK } from './long-term-conditions.js';

const context = {
  domainCodes: new Set(TALKING_POINTS_FRAMEWORK.domains.map((d) => d.code)),
  indicatorKeys: new Set(INDICATOR_LIBRARY.map((i) => i.key)),
  today: '2026-11-27',
};

const small = (): CommissioningFrameworkDefinition => ({
  key: 'ageing-well',
  name: 'Ageing well',
  description: '',
  outcomesFrameworkKey: 'talking-points',
  changeSummary: '',
  outcomes: [
    {
      statement: 'Older people live well at home.',
      iStatements: [{ text: 'I feel safe.', domainCodes: ['feeling-safe'], indicatorKeys: ['current-plan'] }],
    },
  ],
  shapedBy: [{ group: 'carers', how: 'A workshop', on: '2026-03-01' }],
});

describe('the long-term conditions example', () => {
  it('keeps every rule: Talking Points domains, library indicators, five groups involved', () => {
    expect(commissioningFrameworkProblems(LONG_TERM_CONDITIONS_FRAMEWORK, context)).toEqual([]);
    expect(new Set(LONG_TERM_CONDITIONS_FRAMEWORK.shapedBy.map((s) => s.group)).size).toBe(5);
  });

  it('names every indicator the issue lists for personal outcomes and process', () => {
    expect(indicatorKeysOf(LONG_TERM_CONDITIONS_FRAMEWORK).sort()).toEqual(
      [
        'current-plan',
        'gas-per-person',
        'gas-service',
        'multi-agency-plans',
        'outcomes-improved',
        'person-rated-achieved',
        'person-rating-change',
        'practitioner-rated-achieved',
        'rated-by-person',
        'reviews-on-time',
        'viewpoints-agree',
        'what-matters',
      ].sort(),
    );
  });
});

describe('commissioningFrameworkProblems', () => {
  it('accepts a small, complete framework', () => {
    expect(commissioningFrameworkProblems(small(), context)).toEqual([]);
  });

  it('names each field at fault', () => {
    const d = small();
    d.key = 'Bad Key';
    d.outcomes.push({ statement: ' older people live well at home. ', iStatements: [] });
    const first = d.outcomes[0]?.iStatements[0];
    if (first) {
      first.domainCodes = ['hope', 'hope'];
      first.indicatorKeys = ['nope'];
    }
    d.shapedBy = [{ group: 'friends' as never, how: ' ', on: '2026-02-30' }];
    const fields = commissioningFrameworkProblems(d, context).map((p) => p.field);
    expect(fields).toEqual([
      'key',
      'outcomes.0.iStatements.0.domainCodes',
      'outcomes.0.iStatements.0.domainCodes',
      'outcomes.0.iStatements.0.indicatorKeys',
      'outcomes.1.statement',
      'outcomes.1.iStatements',
      'shapedBy.0.group',
      'shapedBy.0.how',
      'shapedBy.0.on',
    ]);
  });

  it('needs a domain for every I statement, someone who shaped it, and no involvement to come', () => {
    const d = small();
    const first = d.outcomes[0]?.iStatements[0];
    if (first) first.domainCodes = [];
    d.shapedBy = [];
    expect(commissioningFrameworkProblems(d, context).map((p) => p.field)).toEqual([
      'outcomes.0.iStatements.0.domainCodes',
      'shapedBy',
    ]);
    const later = small();
    later.shapedBy = [{ group: 'staff', how: 'Later', on: '2026-11-28' }];
    expect(commissioningFrameworkProblems(later, context)).toEqual([
      { field: 'shapedBy.0.on', message: 'Involvement 1: the date must be today or in the past.' },
    ]);
  });
});

describe('withCodes', () => {
  it('keeps existing codes and never reuses one an earlier version had', () => {
    const d = small();
    d.outcomes.push({
      code: 'outcome-1',
      statement: 'Kept',
      iStatements: [{ text: 'I am kept.', domainCodes: ['feeling-safe'], indicatorKeys: [] }],
    });
    const coded = withCodes(d, ['i-statement-1']);
    expect(coded.outcomes.map((o) => o.code)).toEqual(['outcome-2', 'outcome-1']);
    expect(coded.outcomes.flatMap((o) => o.iStatements.map((s) => s.code))).toEqual([
      'i-statement-2',
      'i-statement-3',
    ]);
  });
});

describe('sameCommissioningContent', () => {
  it('ignores spaces at the ends and the order of mappings; not the words', () => {
    const a = small();
    const b = small();
    b.name = ' Ageing well ';
    b.changeSummary = 'Different note';
    expect(sameCommissioningContent(a, b)).toBe(true);
    b.outcomes[0]?.iStatements[0]?.domainCodes.push('seeing-people');
    expect(sameCommissioningContent(a, b)).toBe(false);
  });
});
