import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actor.js';
import type { FieldProblem } from '../../services/contract.js';
import {
  answerStep,
  draftToInput,
  fieldsOf,
  mergeStep,
  nextStep,
  outcomeCount,
  removeOutcome,
  stepOfPath,
  stepUrl,
  viewpointsFor,
} from './conversation-steps.js';

const actor = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'priya',
  displayName: 'Priya Shah',
  jobTitle: 'Social worker',
  personId: null,
  roles: [],
} as unknown as Actor;
const parties = { personName: 'Joan Whitfield', carers: [], actor };
const noRules = (): FieldProblem[] => [];
const when = {
  'heldOn[day]': '1',
  'heldOn[month]': '9',
  'heldOn[year]': '2026',
  participants: ['person', 'me'],
};
const both = viewpointsFor(false);

describe('the stepped first conversation, a page at a time', () => {
  it('offers a carer’s viewpoint only when there is a carer', () => {
    expect(viewpointsFor(false)).toEqual(['person', 'practitioner']);
    expect(viewpointsFor(true)).toEqual(['person', 'practitioner', 'carer']);
    expect(fieldsOf({ step: 'ratings', n: 1 }, both)).toEqual([
      'new-1-rating-person',
      'new-1-rating-practitioner',
    ]);
  });

  it('takes from a post only the page’s own fields, and forgets a field left empty', () => {
    const draft = { summary: 'Kept', 'new-0-statement': 'Old words', 'new-0-why': 'Because' };
    const merged = mergeStep(
      draft,
      { 'new-0-statement': 'New words', 'new-0-why': '', summary: 'Not this page’s', stray: 'x' },
      fieldsOf({ step: 'outcome', n: 0 }, both),
    );
    expect(merged).toEqual({ summary: 'Kept', 'new-0-statement': 'New words' });
  });

  it('keeps the outcomes numbered from 0 when one is removed', () => {
    const answers = {
      outcomeCount: '3',
      'new-0-statement': 'A',
      'new-1-statement': 'B',
      'new-1-rating-person': '2',
      'new-2-statement': 'C',
      'new-2-rating-person': '4',
      summary: 'S',
    };
    expect(removeOutcome(answers, 1)).toEqual({
      outcomeCount: '2',
      'new-0-statement': 'A',
      'new-1-statement': 'C',
      'new-1-rating-person': '4',
      summary: 'S',
    });
    expect(outcomeCount({ outcomeCount: '999' })).toBe(20);
    expect(outcomeCount({ outcomeCount: 'x' })).toBe(0);
  });

  it('says on which page each contract path is answered', () => {
    expect(stepOfPath('heldOn')).toEqual({ step: 'who' });
    expect(stepOfPath('participants.2.name')).toEqual({ step: 'who' });
    expect(stepOfPath('newOutcomes.1.statement')).toEqual({ step: 'outcome', n: 1 });
    expect(stepOfPath('newOutcomes.1.domainIds.0')).toEqual({ step: 'outcome', n: 1 });
    expect(stepOfPath('newOutcomes.2.ratings.0.score')).toEqual({ step: 'ratings', n: 2 });
    expect(stepOfPath('newOutcomes.0.gas.levels.-1')).toEqual({ step: 'gas', n: 0 });
    expect(stepOfPath('nextReviewDate')).toEqual({ step: 'review' });
    expect(stepOfPath('summary')).toEqual({ step: 'review' });
  });

  it('refuses a page on its own fields only, with the contract’s words', () => {
    // The first page: nothing that matters yet is the next page's to ask, not this one's.
    expect(answerStep({}, when, { step: 'who' }, both, parties, noRules).errors).toEqual([]);
    const long = answerStep(
      when,
      { 'new-0-statement': 'x'.repeat(2001) },
      { step: 'outcome', n: 0 },
      both,
      parties,
      noRules,
    );
    expect(long.errors).toEqual([
      { field: 'new-0-statement', message: 'Outcome 1: Statement must be 2,000 characters or fewer.' },
    ]);
    const blank = answerStep(
      when,
      { 'new-0-statement': ' ' },
      { step: 'outcome', n: 0 },
      both,
      parties,
      noRules,
    );
    expect(blank.errors.map((e) => e.field)).toEqual(['new-0-statement']);
    const rated = { ...when, outcomeCount: '1', 'new-0-statement': 'A' };
    const offScale = answerStep(
      rated,
      { 'new-0-rating-person': 'lots' },
      { step: 'ratings', n: 0 },
      both,
      parties,
      noRules,
    );
    expect(offScale.errors.map((e) => e.field)).toEqual(['new-0-rating-person']);
  });

  it('passes the service’s rules through to the page that holds the answer', () => {
    const rules = (): FieldProblem[] => [
      { field: 'heldOn', message: 'A conversation cannot be recorded before it happens.' },
      { field: 'nextReviewDate', message: 'The next review must be on or after the conversation.' },
    ];
    const who = answerStep({}, when, { step: 'who' }, both, parties, rules);
    expect(who.errors).toEqual([
      { field: 'heldOn-day', message: 'A conversation cannot be recorded before it happens.' },
    ]);
    const review = answerStep(when, {}, { step: 'review' }, both, parties, rules);
    expect(review.errors).toEqual([
      { field: 'nextReview-day', message: 'The next review must be on or after the conversation.' },
    ]);
  });

  it('asks whether a goal attainment scale is wanted, and keeps none when it is not', () => {
    const draft = { ...when, outcomeCount: '1', 'new-0-statement': 'A' };
    const undecided = answerStep(draft, {}, { step: 'gas', n: 0 }, both, parties, noRules);
    expect(undecided.errors.map((e) => e.field)).toEqual(['new-0-gas-wanted']);
    const emptyScale = answerStep(
      draft,
      { 'new-0-gas-wanted': 'yes' },
      { step: 'gas', n: 0 },
      both,
      parties,
      noRules,
    );
    expect(emptyScale.errors.map((e) => e.field)).toEqual(['new-0-gas-m2']);
    const no = answerStep(
      draft,
      { 'new-0-gas-wanted': 'no', 'new-0-gas-m2': 'Left behind' },
      { step: 'gas', n: 0 },
      both,
      parties,
      noRules,
    );
    expect(no.errors).toEqual([]);
    expect(no.answers['new-0-gas-m2']).toBeUndefined();
    expect(draftToInput(no.answers, parties).input.newOutcomes?.[0]?.gas).toBeNull();
  });

  it('goes forward through each outcome’s ratings, then each one’s scale, then the review', () => {
    const two = { outcomeCount: '2' };
    expect(nextStep({ step: 'who' }, {}, false)).toEqual({ step: 'outcome', n: 0 });
    expect(nextStep({ step: 'outcomes' }, two, false)).toEqual({ step: 'ratings', n: 0 });
    expect(nextStep({ step: 'ratings', n: 0 }, two, false)).toEqual({ step: 'ratings', n: 1 });
    expect(nextStep({ step: 'ratings', n: 1 }, two, false)).toEqual({ step: 'gas', n: 0 });
    expect(nextStep({ step: 'gas', n: 1 }, two, false)).toEqual({ step: 'review' });
    expect(nextStep({ step: 'review' }, two, false)).toEqual({ step: 'check' });
    // A change made from check your answers goes back there.
    expect(nextStep({ step: 'ratings', n: 0 }, two, true)).toEqual({ step: 'check' });
    expect(stepUrl('p', { step: 'gas', n: 1 }, true)).toBe(
      '/people/p/conversations/first/gas?n=1&return=check',
    );
  });
});
