import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../services/errors.js';
import { erasureConfirmFrom, rectificationResolutionFrom, rightsFormErrors } from './form.js';
import { ErasureConfirmContract, RectificationResolutionContract } from './schema.js';

const refusalOf = (check: () => unknown): unknown => {
  try {
    check();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('the rights forms', () => {
  it('pass an unmade choice to the contract, and name it as the design system asks', () => {
    const resolution = rectificationResolutionFrom({ response: 'x'.repeat(4001) });
    const refusal = refusalOf(() => RectificationResolutionContract.check(resolution));
    expect(rightsFormErrors(refusal, 'response')).toEqual([
      { field: 'outcome', message: 'Select whether the record was corrected' },
      { field: 'response', message: 'Response must be 4,000 characters or fewer.' },
    ]);
    const unconfirmed = refusalOf(() => ErasureConfirmContract.check(erasureConfirmFrom({})));
    expect(rightsFormErrors(unconfirmed, 'confirm')).toEqual([
      { field: 'confirm', message: 'Confirm that you have read what will be erased and what will be kept' },
    ]);
  });

  it('show a refusal without a field on the fallback field, and rethrow access refusals', () => {
    const conflict = new ServiceError(409, 'Already answered', 'That request has already been answered.');
    expect(rightsFormErrors(conflict, 'response')).toEqual([
      { field: 'response', message: 'That request has already been answered.' },
    ]);
    const refused = new ServiceError(403, 'Not allowed', 'No');
    expect(() => rightsFormErrors(refused, 'response')).toThrow(refused);
  });
});
