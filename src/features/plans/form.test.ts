import { describe, expect, it } from 'vitest';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import type { FormBody } from '../../web/forms.js';
import {
  commentFormErrors,
  commentInputFromForm,
  formFromBody,
  planFormErrors,
  planFormField,
  saveInputFromForm,
} from './form.js';
import { SavePlanVersionContract } from './schema.js';

const ORG = '6f1c1f3e-2b4a-4c1e-9d3a-0000000000f1';

/** An edit form as posted: a blank new goal first, then a new goal with a removed-by-blankness action and two actions. */
function posted(overrides: FormBody = {}): FormBody {
  return {
    basedOn: '0',
    strengths: 'Determined\n\n  Funny  ',
    'goals-count': '2',
    'goals-0-new': 'yes',
    'goals-0-actions-count': '1',
    'goals-0-actions-0-new': 'yes',
    'goals-0-actions-0-who-kind': 'practitioner',
    'goals-0-actions-0-status': 'not-started',
    'goals-1-new': 'yes',
    'goals-1-description': 'Back to the allotment',
    'goals-1-actions-count': '3',
    'goals-1-actions-0-new': 'yes',
    'goals-1-actions-0-who-kind': 'practitioner',
    'goals-1-actions-0-status': 'not-started',
    'goals-1-actions-1-new': 'yes',
    'goals-1-actions-1-what': 'Walk there together',
    'goals-1-actions-1-who-kind': 'organisation',
    'goals-1-actions-1-who-name': 'Befriending',
    'goals-1-actions-1-who-organisationId': ORG,
    'goals-1-actions-1-status': 'in-progress',
    'goals-1-actions-1-confidence': '7',
    'goals-1-actions-2-new': 'yes',
    'goals-1-actions-2-what': 'Fit a rail',
    'goals-1-actions-2-who-kind': 'team',
    'goals-1-actions-2-who-name': 'Independent Living',
    'goals-1-actions-2-status': 'not-started',
    'review-plannedDate[day]': '1',
    'review-plannedDate[month]': '6',
    'review-plannedDate[year]': '2027',
    changeSummary: 'First plan',
    ...overrides,
  };
}

const refusal = (input: unknown) => new ContractError(SavePlanVersionContract.problems(input));

describe('the plan edit form', () => {
  it('maps a well-filled form onto the save contract, leaving out blank new rows', () => {
    const form = formFromBody(posted());
    const { input, rows } = saveInputFromForm(form);
    expect(SavePlanVersionContract.problems(input)).toEqual([]);
    expect(input.basedOn).toBe(0);
    expect(input.content.strengths).toEqual(['Determined', 'Funny']);
    expect(input.content.goals).toHaveLength(1);
    expect(input.content.goals[0]?.actions.map((a) => a.what)).toEqual(['Walk there together', 'Fit a rail']);
    expect(input.content.goals[0]?.actions[0]?.confidence).toBe(7);
    expect(input.content.review.plannedDate).toBe('2027-06-01');
    // The contract's goal 0 is the form's row 1; its actions 0 and 1 are rows 1 and 2.
    expect(rows).toEqual([{ goal: 1, actions: [1, 2] }]);
    // New rows get their id on the form, so showing the form again keeps them.
    expect(form.goals[1]?.id).toBe(input.content.goals[0]?.id);
  });

  it('passes on what it cannot read, so the contract refuses it on its own field', () => {
    const form = formFromBody(
      posted({
        'goals-1-actions-1-who-kind': 'wizard',
        'goals-1-actions-1-confidence': '12',
        'goals-1-actions-2-status': 'late',
        'goals-1-actions-2-who-name': '',
        'review-plannedDate[day]': '31',
        'review-plannedDate[month]': '2',
      }),
    );
    const { input, rows } = saveInputFromForm(form);
    const errors = planFormErrors(refusal(input), form, rows);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'goals-1-actions-1-who-kind', message: 'Choose who does action 2 of goal 2' },
        {
          field: 'goals-1-actions-1-confidence',
          message: 'Choose a confidence from 0 to 10 for action 2 of goal 2',
        },
        { field: 'goals-1-actions-2-status', message: 'Choose the status of action 3 of goal 2' },
        {
          field: 'review-plannedDate-day',
          message: 'The planned review date must be a real date, for example 27 3 2026',
        },
      ]),
    );
    // A name left empty is the service's to judge: it is not needed when an organisation is chosen.
    expect(errors).toHaveLength(4);
  });

  it('says how long text may be, on the field that is too long', () => {
    const form = formFromBody(
      posted({ 'goals-1-description': 'x'.repeat(2001), 'aboutMe-pleaseDo': 'y'.repeat(4001) }),
    );
    const { input, rows } = saveInputFromForm(form);
    expect(planFormErrors(refusal(input), form, rows)).toEqual([
      { field: 'aboutMe-pleaseDo', message: 'Please do must be 4,000 characters or fewer' },
      { field: 'goals-1-description', message: 'Goal 2 must be 2,000 characters or fewer' },
    ]);
  });

  it('puts the service’s own refusals on the field they name', () => {
    const form = formFromBody(posted());
    const { rows } = saveInputFromForm(form);
    const error = new ServiceError(
      422,
      'Invalid input',
      'An action names an organisation that does not exist.',
      'content.goals.0.actions.0.who.organisationId',
    );
    expect(planFormErrors(error, form, rows)).toEqual([
      {
        field: 'goals-1-actions-1-who-organisationId',
        message: 'An action names an organisation that does not exist.',
      },
    ]);
    expect(() => planFormErrors(new Error('database down'), form, rows)).toThrow('database down');
  });

  it.each([
    ['content.aboutMe.communication', 'aboutMe-communication'],
    ['content.strengths.3', 'strengths'],
    ['content.goals', 'goals'],
    ['content.goals.0.outcomeId', 'goals-1-outcomeId'],
    ['content.goals.0.actions.1.when', 'goals-1-actions-2-when'],
    ['content.goals.0.actions.1.who.teamId', 'goals-1-actions-2-who-organisationId'],
    ['content.contingency.whoToContact', 'contingency-whoToContact'],
    ['content.review.responsibleRole', 'review-responsibleRole'],
    ['content.agreedWith.agreedOn', 'agreedWith-agreedOn-day'],
    ['changeSummary', 'changeSummary'],
    ['basedOn', 'changeSummary'],
  ])('puts %s on the field %s', (path, id) => {
    const form = formFromBody(posted());
    const { rows } = saveInputFromForm(form);
    expect(planFormField(path, form, rows).id).toBe(id);
  });
});

describe('the comment form', () => {
  it('maps onto the comment contract, and a blank comment asks for words', () => {
    const input = commentInputFromForm({ version: '2', body: '  ' });
    expect(input).toEqual({ version: 2, body: '' });
    const errors = commentFormErrors(new ContractError([{ field: 'body', message: 'must not be empty' }]));
    expect(errors).toEqual([{ field: 'body', message: 'Write a comment.' }]);
  });

  it('shows a refusal of the reader on the comment field', () => {
    const error = new ServiceError(
      403,
      'Not allowed',
      'The person has not authorised you to add to their record.',
    );
    expect(commentFormErrors(error)).toEqual([
      { field: 'body', message: 'The person has not authorised you to add to their record.' },
    ]);
  });
});
