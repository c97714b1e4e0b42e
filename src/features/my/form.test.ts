import { describe, expect, it } from 'vitest';
import { ContractError } from '../../services/contract.js';
import { errorsOnForm } from '../outcomes/form.js';
import { AddOutcomeContract, RateOutcomeContract } from '../outcomes/schema.js';
import { addOutcomeFromForm, ratingFromForm } from './form.js';

describe('adding what matters, mapped onto the AddOutcome contract', () => {
  it('maps the form, with a blank score as no rating', () => {
    const mapped = addOutcomeFromForm(
      { statement: ' Walk to the park ', domainIds: [], score: '' },
      'person',
    );
    expect(mapped.input).toEqual({
      statement: 'Walk to the park',
      whyItMatters: '',
      domainIds: [],
      score: null,
    });
    expect(AddOutcomeContract.problems(mapped.input)).toEqual([]);
  });

  it('asks for words in terms of the reader', () => {
    for (const [reader, words] of [
      ['person', 'Write what matters to you, in your own words'],
      ['carer', 'Write what matters, in their own words'],
    ] as const) {
      const mapped = addOutcomeFromForm({ statement: '' }, reader);
      const errors = errorsOnForm(new ContractError(AddOutcomeContract.problems(mapped.input)), mapped);
      expect(errors).toEqual([{ field: 'statement', message: words }]);
    }
  });

  it('keeps a score out of range as an error on the score, never drops it', () => {
    const mapped = addOutcomeFromForm({ statement: 'x', score: '12' }, 'person');
    const errors = errorsOnForm(new ContractError(AddOutcomeContract.problems(mapped.input)), mapped);
    expect(errors).toEqual([{ field: 'score', message: 'Score must be 10 or less.' }]);
  });
});

describe('rating an outcome, mapped onto the RateOutcome contract', () => {
  it('asks for a choice when none is made', () => {
    const mapped = ratingFromForm({ note: 'hm' });
    const errors = errorsOnForm(new ContractError(RateOutcomeContract.problems(mapped.input)), mapped);
    expect(errors).toEqual([{ field: 'score', message: 'Choose how things are going' }]);
  });

  it('names a note too long on the note', () => {
    const mapped = ratingFromForm({ score: '2', note: 'a'.repeat(2001) });
    const errors = errorsOnForm(new ContractError(RateOutcomeContract.problems(mapped.input)), mapped);
    expect(errors).toEqual([{ field: 'note', message: 'Note must be 2,000 characters or fewer.' }]);
  });
});
