import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actor.js';
import { ContractError } from '../../services/contract.js';
import { invalid, ServiceError } from '../../services/errors.js';
import { conversationFromForm, dateFromForm, errorsOnForm, numberOrText } from './form.js';
import { RecordConversationContract } from './schema.js';

const actor: Actor = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'priya',
  displayName: 'Priya Shah',
  jobTitle: 'Social worker',
  personId: null,
  roles: [
    {
      role: 'practitioner',
      organisationId: '00000000-0000-4000-8000-000000000002',
      organisationName: 'Council',
      teamId: null,
      teamName: null,
    },
  ],
} as Actor;
const carerId = '00000000-0000-4000-8000-000000000003';
const outcomeId = '00000000-0000-4000-8000-000000000004';
const parties = {
  personName: 'Joan Whitfield',
  carers: [{ relationshipId: carerId, name: 'Dave Whitfield', relationshipType: 'son' }],
  actor,
};
const when = { 'heldOn[day]': '1', 'heldOn[month]': '9', 'heldOn[year]': '2026' };

/** The contract's problems for a form, each as the field it lands on and the words shown. */
const problemsOn = (mapped: ReturnType<typeof conversationFromForm>) =>
  errorsOnForm(new ContractError(RecordConversationContract.problems(mapped.input)), mapped);

describe('the conversation form, mapped onto the RecordConversation contract', () => {
  it('maps a whole first conversation to input the contract accepts', () => {
    const mapped = conversationFromForm(
      {
        ...when,
        participants: ['person', 'me', `carer:${carerId}`],
        otherParticipants: 'Sam Lee, housing officer',
        summary: 'Met Joan at home.',
        'new-0-statement': 'I want to do my own shopping again',
        'new-0-rating-person': '1',
        'new-0-gas-m2': 'a',
        'new-0-gas-m1': 'b',
        'new-0-gas-z0': 'c',
        'new-0-gas-p1': 'd',
        'new-0-gas-p2': 'e',
        'new-0-gas-baseline': '-2',
        'new-0-gas-importance': '3',
        'new-1-statement': '',
        'nextReview[day]': '1',
        'nextReview[month]': '10',
        'nextReview[year]': '2026',
      },
      'first',
      3,
      parties,
    );
    expect(RecordConversationContract.problems(mapped.input)).toEqual([]);
    expect(mapped.input).toMatchObject({
      kind: 'first',
      heldOn: '2026-09-01',
      nextReviewDate: '2026-10-01',
      participants: [
        { kind: 'person', name: 'Joan Whitfield' },
        { kind: 'practitioner', name: 'Priya Shah', userId: actor.userId, role: 'Social worker' },
        { kind: 'carer', name: 'Dave Whitfield', role: 'son' },
        { kind: 'other', name: 'Sam Lee', role: 'housing officer' },
      ],
      newOutcomes: [
        {
          statement: 'I want to do my own shopping again',
          ratings: [{ viewpoint: 'person', score: 1 }],
          gas: { baselineLevel: -2, importance: 3, difficulty: null, levels: { '-2': 'a', '2': 'e' } },
        },
      ],
    });
  });

  it('passes on a rating it cannot read, and the contract names it on its field', () => {
    const mapped = conversationFromForm(
      { ...when, participants: 'me', 'new-0-statement': 'x', 'new-0-rating-carer': 'lots' },
      'first',
      1,
      parties,
    );
    expect(problemsOn(mapped)).toEqual([
      { field: 'new-0-rating-carer', message: 'Outcome 1: Score must be a whole number.' },
    ]);
  });

  it('keeps an out-of-range score for the contract and the service to refuse, never drops it', () => {
    const mapped = conversationFromForm(
      { ...when, participants: 'me', 'new-0-statement': 'x', 'new-0-rating-person': '11' },
      'first',
      1,
      parties,
    );
    expect(mapped.input.newOutcomes?.[0]?.ratings).toEqual([{ viewpoint: 'person', score: 11 }]);
    expect(problemsOn(mapped)).toEqual([
      { field: 'new-0-rating-person', message: 'Outcome 1: Score must be 10 or less.' },
    ]);
    // A score within the contract but off the framework's scale is the service's to refuse.
    const offScale = invalid('A rating must be 1 to 4.', 'newOutcomes.0.ratings.0.score');
    expect(errorsOnForm(offScale, mapped)).toEqual([
      { field: 'new-0-rating-person', message: 'Outcome 1: A rating must be 1 to 4.' },
    ]);
  });

  it('words a blank or unreadable date for the three boxes, on the day field', () => {
    const blank = conversationFromForm({ participants: 'me' }, 'other', 1, parties);
    expect(problemsOn(blank)).toEqual([
      { field: 'heldOn-day', message: 'Enter the date of the conversation' },
    ]);
    const unreal = conversationFromForm(
      { participants: 'me', 'heldOn[day]': '31', 'heldOn[month]': '2', 'heldOn[year]': '2026' },
      'other',
      1,
      parties,
    );
    expect(unreal.input.heldOn).toBe('2026-2-31');
    expect(problemsOn(unreal)).toEqual([
      {
        field: 'heldOn-day',
        message: 'The date of the conversation must be a real date, for example 27 3 2026',
      },
    ]);
    // A real date the service refuses keeps the service's words.
    const future = conversationFromForm({ ...when, participants: 'me' }, 'other', 1, parties);
    expect(
      errorsOnForm(invalid('A conversation cannot be recorded before it happens.', 'heldOn'), future),
    ).toEqual([{ field: 'heldOn-day', message: 'A conversation cannot be recorded before it happens.' }]);
  });

  it('says who took part is needed, and puts a too-long name on the field it was typed in', () => {
    expect(problemsOn(conversationFromForm(when, 'other', 1, parties))).toEqual([
      { field: 'participants', message: 'Select who took part' },
    ]);
    const long = conversationFromForm(
      { ...when, participants: 'me', otherParticipants: `${'a'.repeat(201)}, friend` },
      'other',
      1,
      parties,
    );
    expect(problemsOn(long)).toEqual([
      { field: 'otherParticipants', message: 'Name must be 200 characters or fewer.' },
    ]);
  });

  it('maps a later block to its own fields when an earlier one is left empty', () => {
    const mapped = conversationFromForm(
      { ...when, participants: 'me', 'new-1-why': 'Because', 'new-1-gas-m2': 'only one level' },
      'review',
      2,
      parties,
    );
    const problems = problemsOn(mapped);
    expect(problems).toContainEqual({
      field: 'new-1-statement',
      message: 'Outcome 2: write what matters, in the person’s own words',
    });
    expect(problems).toContainEqual({
      field: 'new-1-gas-m1',
      message: 'Outcome 2: describe all five goal attainment levels, or none',
    });
  });

  it('reads the outcomes under review from the field names, and names a bad status on its field', () => {
    const mapped = conversationFromForm(
      {
        ...when,
        participants: 'me',
        [`rating-${outcomeId}-practitioner`]: '3',
        [`gas-${outcomeId}`]: '1',
        [`status-${outcomeId}`]: 'finished',
      },
      'review',
      1,
      parties,
    );
    expect(mapped.input).toMatchObject({
      ratings: [{ outcomeId, viewpoint: 'practitioner', score: 3 }],
      gasAttainments: [{ outcomeId, level: 1 }],
      outcomeStatuses: [{ outcomeId, status: 'finished' }],
    });
    expect(problemsOn(mapped)).toEqual([
      {
        field: `status-${outcomeId}`,
        message: 'Status must be one of: active, achieved, no-longer-relevant.',
      },
    ]);
    expect(
      errorsOnForm(invalid('That outcome has no GAS goal to score.', 'gasAttainments.0.outcomeId'), mapped),
    ).toEqual([{ field: `gas-${outcomeId}`, message: 'That outcome has no GAS goal to score.' }]);
  });

  it('ignores the review fields of a first conversation, which the form does not show', () => {
    const mapped = conversationFromForm(
      { ...when, participants: 'me', [`rating-${outcomeId}-person`]: '3' },
      'first',
      1,
      parties,
    );
    expect(mapped.input.ratings).toEqual([]);
  });

  it('leaves not found and not allowed to the error pages', () => {
    const mapped = conversationFromForm(when, 'other', 1, parties);
    const refusal = new ServiceError(
      403,
      'Not allowed',
      'Only practitioners in the care team can change this.',
    );
    expect(() => errorsOnForm(refusal, mapped)).toThrow(refusal);
    expect(() => errorsOnForm(new Error('fault'), mapped)).toThrow('fault');
  });
});

describe('numberOrText and dateFromForm', () => {
  it('turn text into numbers and dates, passing on what they cannot read', () => {
    expect(numberOrText('3')).toBe(3);
    expect(numberOrText('-2')).toBe(-2);
    expect(numberOrText('3.5')).toBe('3.5');
    expect(dateFromForm({}, 'd')).toEqual({ value: null, readable: true });
    expect(dateFromForm({ 'd[day]': '7', 'd[month]': '3', 'd[year]': '2026' }, 'd')).toEqual({
      value: '2026-03-07',
      readable: true,
    });
    expect(dateFromForm({ 'd[day]': 'x', 'd[month]': '3', 'd[year]': '2026' }, 'd')).toEqual({
      value: '2026-3-x',
      readable: false,
    });
  });
});
