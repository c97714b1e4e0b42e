import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CARERS_FRAMEWORK,
  CATEGORY_LABELS,
  DEFAULT_FRAMEWORKS,
  DEFAULT_RATING_SCALE,
  type FrameworkDefinition,
  frameworkProblems,
  isValidScore,
  OUTCOME_CATEGORIES,
  sameFrameworkContent,
  TALKING_POINTS_FRAMEWORK,
} from './outcome-frameworks.js';

const codesIn = (framework: FrameworkDefinition, category: string) =>
  framework.domains.filter((d) => d.category === category).map((d) => d.code);

const valid = (): Record<string, unknown> => ({
  key: 'my-framework',
  version: 1,
  name: 'My framework',
  description: '',
  ratingScale: { labels: ['No', 'Yes'] },
  domains: [{ code: 'one', name: 'One', description: 'The first', category: 'quality-of-life' }],
});

describe('default frameworks', () => {
  it.each(DEFAULT_FRAMEWORKS.map((f) => [f.key, f] as const))(
    '%s passes its own validation',
    (_, framework) => {
      expect(frameworkProblems(framework)).toEqual([]);
    },
  );

  it('are Talking Points and the carers framework, both at version 1', () => {
    expect(DEFAULT_FRAMEWORKS.map((f) => [f.key, f.version])).toEqual([
      ['talking-points', 1],
      ['carers', 1],
    ]);
  });

  it('Talking Points has the quality of life, process and change outcomes', () => {
    expect(codesIn(TALKING_POINTS_FRAMEWORK, 'quality-of-life')).toHaveLength(6);
    expect(codesIn(TALKING_POINTS_FRAMEWORK, 'process')).toEqual([
      'listened-to',
      'having-a-say',
      'treated-with-respect',
      'responded-to',
      'reliability',
    ]);
    expect(codesIn(TALKING_POINTS_FRAMEWORK, 'change')).toEqual([
      'improved-confidence',
      'improved-skills',
      'improved-mobility',
      'reduced-symptoms',
    ]);
    expect(TALKING_POINTS_FRAMEWORK.domains.every((d) => !d.category.startsWith('carer'))).toBe(true);
  });

  it('the carers framework uses only the carer categories', () => {
    expect(codesIn(CARERS_FRAMEWORK, 'carer-quality-of-life').length).toBeGreaterThan(0);
    expect(codesIn(CARERS_FRAMEWORK, 'managing-caring-role')).toContain('emergency-planning');
    expect(codesIn(CARERS_FRAMEWORK, 'carer-process')).toContain('treated-as-expert');
    expect(
      CARERS_FRAMEWORK.domains.every((d) =>
        ['carer-quality-of-life', 'managing-caring-role', 'carer-process'].includes(d.category),
      ),
    ).toBe(true);
  });

  it('every domain has a description', () => {
    for (const framework of DEFAULT_FRAMEWORKS) {
      for (const domain of framework.domains) expect(domain.description.length).toBeGreaterThan(10);
    }
  });

  it('labels every category', () => {
    expect(Object.keys(CATEGORY_LABELS).sort()).toEqual([...OUTCOME_CATEGORIES].sort());
    expect(CATEGORY_LABELS['managing-caring-role']).toBe('Managing the caring role');
  });
});

describe('frameworkProblems', () => {
  it('finds nothing wrong with a minimal valid framework', () => {
    expect(frameworkProblems(valid())).toEqual([]);
  });

  it('refuses things that are not objects', () => {
    for (const value of [null, 'x', 1, []])
      expect(frameworkProblems(value)).toEqual(['The framework must be an object.']);
  });

  it.each([
    ['key', 'My Framework', /key must be kebab-case/],
    ['key', 'a--b', /key must be kebab-case/],
    ['version', 0, /version must be a whole number of 1 or more/],
    ['version', 1.5, /version/],
    ['version', '1', /version/],
    ['name', '  ', /needs a name/],
    ['description', null, /description must be text/],
    ['ratingScale', { labels: ['Only'] }, /from 2 to 10 labels, not 1/],
    ['ratingScale', { labels: Array.from({ length: 11 }, (_, i) => `L${i}`) }, /not 11/],
    ['ratingScale', { labels: ['Yes', ''] }, /label 2 must not be empty/],
    ['ratingScale', { labels: ['Yes', 'yes'] }, /"yes" is used more than once/],
    ['ratingScale', {}, /needs a list of labels/],
    ['domains', [], /at least one domain/],
    ['domains', [null], /Domain 1 must be an object/],
  ])('reports a bad %s (%o)', (field, value, message) => {
    const problems = frameworkProblems({ ...valid(), [field]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports duplicate, badly formed and incomplete domains, naming each', () => {
    const problems = frameworkProblems({
      ...valid(),
      domains: [
        { code: 'same', name: 'A', description: '', category: 'process' },
        { code: 'same', name: 'B', description: '', category: 'process' },
        { code: 'Not_Kebab', name: '', description: 3, category: 'wellbeing' },
      ],
    });
    expect(problems).toEqual([
      'Domain 2: the code "same" is already used by another domain.',
      'Domain 3: the code must be kebab-case.',
      'Domain 3 needs a name.',
      'Domain 3: the description must be text (it may be empty).',
      expect.stringMatching(/^Domain 3: the category must be one of quality-of-life, process/),
    ]);
  });

  it('lists every problem at once', () => {
    expect(frameworkProblems({}).length).toBeGreaterThanOrEqual(5);
  });
});

describe('isValidScore', () => {
  it('accepts whole numbers from 1 to the number of labels', () => {
    expect(DEFAULT_RATING_SCALE.labels).toEqual(['Not at all', 'A little', 'Mostly', 'Fully']);
    for (const score of [1, 2, 3, 4]) expect(isValidScore(DEFAULT_RATING_SCALE, score)).toBe(true);
    for (const score of [0, 5, 2.5, Number.NaN, '2', null])
      expect(isValidScore(DEFAULT_RATING_SCALE, score)).toBe(false);
  });

  it('agrees with the scale length for any scale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.integer({ min: -5, max: 15 }), (points, score) => {
        const scale = { labels: Array.from({ length: points }, (_, i) => `Point ${i + 1}`) };
        expect(isValidScore(scale, score)).toBe(score >= 1 && score <= points);
      }),
    );
  });
});

describe('sameFrameworkContent', () => {
  it('finds a copy the same, whatever spaces surround its text, and any real change different', () => {
    const copy = { ...TALKING_POINTS_FRAMEWORK, version: 2, name: ` ${TALKING_POINTS_FRAMEWORK.name} ` };
    expect(sameFrameworkContent(copy, TALKING_POINTS_FRAMEWORK)).toBe(true);
    const renamedDomain = {
      ...copy,
      domains: copy.domains.map((d, i) => (i === 0 ? { ...d, name: `${d.name} and well` } : d)),
    };
    expect(sameFrameworkContent(renamedDomain, TALKING_POINTS_FRAMEWORK)).toBe(false);
    const newScale = { ...copy, ratingScale: { labels: ['No', 'Partly', 'Yes'] } };
    expect(sameFrameworkContent(newScale, TALKING_POINTS_FRAMEWORK)).toBe(false);
  });
});
