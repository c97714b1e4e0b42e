import { describe, expect, it } from 'vitest';
import type { Actor } from '../actor.js';
import { codeText, trainCoder } from '../coding/coder.js';
import { codeLabel, frameworkCodes, frameworkSubTheme } from '../coding/framework.js';
import { trainsCodingModel } from './access.js';
import {
  codingText,
  isFrameworkCode,
  RETRAIN_POLICY,
  retrainDue,
  reviewCodes,
  trainingExample,
} from './coding-policy.js';

describe('when a model is retrained on its own', () => {
  it('waits for enough newly reviewed stories, and enough in all', () => {
    expect(retrainDue({ reviewedSinceLatest: 0, reviewedTotal: 0 })).toEqual({ due: false, moreNeeded: 30 });
    expect(retrainDue({ reviewedSinceLatest: 25, reviewedTotal: 25 })).toEqual({ due: false, moreNeeded: 5 });
    expect(retrainDue({ reviewedSinceLatest: 19, reviewedTotal: 500 })).toEqual({
      due: false,
      moreNeeded: 1,
    });
    expect(retrainDue({ reviewedSinceLatest: 20, reviewedTotal: 500 })).toEqual({ due: true, moreNeeded: 0 });
    expect(
      retrainDue({ reviewedSinceLatest: 2, reviewedTotal: 2 }, { newlyReviewed: 2, minimumExamples: 2 }).due,
    ).toBe(true);
    expect(RETRAIN_POLICY.newlyReviewed).toBeLessThanOrEqual(RETRAIN_POLICY.minimumExamples);
  });
});

describe('the text a story is coded on', () => {
  it('is both masked answers, blank ones left out', () => {
    expect(codingText({ maskedWhatWasGood: 'Kind [name].', maskedWhatCouldBeBetter: 'Parking' })).toBe(
      'Kind [name].\nParking',
    );
    expect(codingText({ maskedWhatWasGood: ' ', maskedWhatCouldBeBetter: 'Parking' })).toBe('Parking');
  });
});

describe('a reviewed story as a training example', () => {
  it('keeps confirmed codes, adds the theme of each sub-theme, and only a confirmed sentiment', () => {
    expect(
      trainingExample({
        text: 't',
        confirmedCodes: ['responsiveness/call-bells', 'food'],
        sentiment: 2,
        sentimentConfirmed: true,
      }),
    ).toEqual({ text: 't', codes: ['food', 'responsiveness', 'responsiveness/call-bells'], sentiment: 2 });
    expect(
      trainingExample({ text: 't', confirmedCodes: [], sentiment: 4, sentimentConfirmed: false }).sentiment,
    ).toBeNull();
  });
});

describe('reviewing a story’s codes', () => {
  const existing = [
    { code: 'food', status: 'suggested' as const },
    { code: 'pain', status: 'confirmed' as const },
    { code: 'parking', status: 'rejected' as const },
    { code: 'staff-manner', status: 'rejected' as const },
  ];

  it('confirms ticked codes, rejects unticked ones, confirms added ones and restores a rejected one', () => {
    const out = reviewCodes(existing, {
      keep: ['food'],
      add: ['staff-manner', 'staff-manner/kindness'],
      sentiment: 4,
    });
    expect(out.problems).toEqual([]);
    expect(out.codes).toEqual([
      { code: 'food', status: 'confirmed', added: false },
      { code: 'pain', status: 'rejected', added: false },
      { code: 'staff-manner', status: 'confirmed', added: false },
      { code: 'staff-manner/kindness', status: 'confirmed', added: true },
    ]);
  });

  it('names the field of each problem and changes nothing', () => {
    const out = reviewCodes(existing, { keep: ['parking'], add: ['made-up'], sentiment: 6 });
    expect(out.codes).toEqual([]);
    expect(out.problems.map((p) => p.field)).toEqual(['keep', 'add', 'sentiment']);
  });

  it('knows the framework’s codes', () => {
    expect(isFrameworkCode('food/drinks')).toBe(true);
    expect(isFrameworkCode('food/chips')).toBe(false);
  });
});

describe('sub-themes in the starting model', () => {
  const model = trainCoder([], { labels: frameworkCodes() });

  it('suggests a sub-theme with its theme from the lexicon alone, with the words behind it', () => {
    const result = codeText(model, 'I pressed the call bell and nobody came for an hour.');
    const codes = result.codes.map((c) => c.code);
    expect(codes).toContain('responsiveness');
    expect(codes).toContain('responsiveness/call-bells');
    expect(result.codes.find((c) => c.code === 'responsiveness/call-bells')?.words.length).toBeGreaterThan(0);
  });

  it('covers every sub-theme of the framework with lexicon words', () => {
    for (const code of frameworkCodes().filter((c) => c.includes('/')))
      expect(model.labels, code).toContain(code);
    const parking = codeText(model, 'The car park was full and parking charges are too high.');
    expect(parking.codes.map((c) => c.code)).toContain('travel-transport-parking/parking');
  });
});

describe('who retrains a model', () => {
  const actor = (role: 'team-manager' | 'practitioner', organisationId: string): Actor => ({
    userId: 'u',
    username: 'u',
    displayName: 'U',
    jobTitle: null,
    personId: null,
    ip: null,
    roles: [{ role, organisationId, organisationName: null, teamId: null, teamName: null }],
  });
  it('is a team manager of the organisation', () => {
    expect(trainsCodingModel(actor('team-manager', 'o1'), 'o1')).toBe(true);
    expect(trainsCodingModel(actor('team-manager', 'o2'), 'o1')).toBe(false);
    expect(trainsCodingModel(actor('practitioner', 'o1'), 'o1')).toBe(false);
  });
});

describe('sub-theme labels', () => {
  it('are found by ids or labels, and read as "Theme — Sub-theme"', () => {
    expect(frameworkSubTheme('responsiveness/call-bells')?.subTheme.label).toBe(
      'Call bells and getting help',
    );
    expect(frameworkSubTheme('Responsiveness/Call bells and getting help')?.subTheme.id).toBe(
      'responsiveness/call-bells',
    );
    expect(frameworkSubTheme('responsiveness')).toBeNull();
    expect(frameworkSubTheme('responsiveness/chips')).toBeNull();
    expect(codeLabel('food/drinks')).toBe('Food — Drinks');
    expect(codeLabel('food')).toBe('Food');
    expect(codeLabel('Something else')).toBe('Something else');
    expect(frameworkCodes()).toContain('pain/pain-relief');
  });
});
