import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { dateFields, type FieldError, type FormBody, formErrors, text } from '../../web/forms.js';

/**
 * The audit search form mapped onto the search's contract, and the contract's field paths back onto
 * the form's fields. The form has one field for "NHS number or person id": a value shaped like a
 * uuid is the person id, anything else the NHS number. Nothing is checked here; what the form
 * cannot parse is passed through as typed for the contract to refuse.
 */

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A date input's three fields as YYYY-MM-DD, as typed (the contract says whether it is a real date). */
function typedDate(query: FormBody, name: string): string | undefined {
  const { day, month, year } = dateFields(query, name);
  if (!day && !month && !year) return undefined;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** The search's input from the form (blank fields are no filter), and the fields as typed to show again. */
export function auditSearchFrom(query: FormBody): {
  input: Record<string, unknown>;
  values: Record<string, unknown>;
} {
  const person = text(query, 'person');
  const page = text(query, 'page');
  const input: Record<string, unknown> = {
    ...(person ? (UUID_SHAPE.test(person) ? { personId: person } : { nhsNumber: person }) : {}),
    user: text(query, 'user') || undefined,
    action: text(query, 'action') || undefined,
    outcome: text(query, 'outcome') || undefined,
    from: typedDate(query, 'from'),
    to: typedDate(query, 'to'),
    page: page ? (/^\d+$/.test(page) ? Number(page) : page) : undefined,
    upTo: text(query, 'upTo') || undefined,
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return {
    input,
    values: {
      person,
      user: text(query, 'user'),
      action: text(query, 'action'),
      outcome: text(query, 'outcome'),
      from: dateFields(query, 'from'),
      to: dateFields(query, 'to'),
    },
  };
}

/** The form field holding each contract path; the paging links' fields have none, so the first field. */
const FIELD_ID: Record<string, string> = {
  personId: 'person',
  nhsNumber: 'person',
  user: 'user',
  action: 'action',
  outcome: 'outcome',
  from: 'from-day',
  to: 'to-day',
};

/** What the page says about a field the contract refused, in the terms of the form's own fields. */
const FORM_MESSAGES: Record<string, string> = {
  'from-day': 'Date from must be a real date, for example 27 3 2026',
  'to-day': 'Date to must be a real date, for example 27 3 2026',
  user: 'Username must be 254 characters or fewer',
  action: 'Enter an action in lower-case words joined by hyphens, like read-person',
  outcome: 'Select an outcome from the list',
};

/** A refusal of the search (400 or 422) as errors on the form's fields; anything else is rethrown. */
export function auditSearchErrors(error: unknown): FieldError[] {
  if (!(error instanceof ServiceError) || (error.status !== 400 && error.status !== 422)) throw error;
  const fromContract = error instanceof ContractError;
  const errors = formErrors(error, (path) => FIELD_ID[path] ?? 'person').map((e) => ({
    field: e.field,
    message:
      // One field takes either kind of id, so one message covers every refusal of it.
      e.field === 'person'
        ? 'Enter a 10-digit NHS number, like 943 476 5919, or a person id'
        : (fromContract && FORM_MESSAGES[e.field]) || e.message,
  }));
  // Two refusals that land on one field in the same words are one thing to fix.
  return errors.filter(
    (e, i) => errors.findIndex((o) => o.field === e.field && o.message === e.message) === i,
  );
}
