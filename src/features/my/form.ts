import type { Viewpoint } from '../../domain/ratings.js';
import { type FormBody, list, text } from '../../web/forms.js';
import { type MappedForm, numberOrText } from '../outcomes/form.js';
import type { AddOutcomeInput, RateOutcomeInput } from '../outcomes/schema.js';

/**
 * The person's (and carer's) forms ↔ the AddOutcome and RateOutcome contracts. As for the
 * conversation form, nothing is checked here: what cannot be read is passed on as typed for the
 * contract to name, and each contract path maps back to its form field. Blank fields the form
 * knows to be needed are worded for the reader: "you" to the person, "they" to anyone else.
 */

/** The form for adding something that matters, as the AddOutcome contract. */
export function addOutcomeFromForm(body: FormBody, reader: Viewpoint): MappedForm<AddOutcomeInput> {
  const statement = text(body, 'statement');
  const score = text(body, 'score');
  const input = {
    statement,
    whyItMatters: text(body, 'whyItMatters'),
    domainIds: list(body, 'domainIds'),
    score: score === '' ? null : numberOrText(score),
  };
  return {
    // A score that is not a number travels as typed; the contract, checked by the service, names it.
    input: input as unknown as AddOutcomeInput,
    fieldFor: (path) => {
      const [head = ''] = path.split('.');
      return ['statement', 'whyItMatters', 'domainIds', 'score'].includes(head) ? head : 'statement';
    },
    wordingFor: (path) =>
      path === 'statement' && !statement
        ? reader === 'person'
          ? 'Write what matters to you, in your own words'
          : 'Write what matters, in their own words'
        : undefined,
  };
}

/** The form for rating one outcome, as the RateOutcome contract. */
export function ratingFromForm(body: FormBody): MappedForm<RateOutcomeInput> {
  const score = text(body, 'score');
  // No choice made leaves the score out, so the contract reports it as missing.
  const input = { ...(score ? { score: numberOrText(score) } : {}), note: text(body, 'note') };
  return {
    input: input as unknown as RateOutcomeInput,
    fieldFor: (path) => (path.startsWith('note') ? 'note' : 'score'),
    wordingFor: (path) => (path === 'score' && !score ? 'Choose how things are going' : undefined),
  };
}
