import { BREAKDOWNS, type Breakdown } from '../../domain/indicators/breakdowns.js';
import type { IndicatorDefinition } from '../../domain/indicators/definition.js';
import { ServiceError } from '../../services/errors.js';
import { type FieldError, type FormBody, formErrors, list, text } from '../../web/forms.js';
import type { DefineIndicatorInput } from './schema.js';
import { IndicatorProblems } from './service.js';

/**
 * The indicator form mapped onto the define-indicator contract, and back. Every field of the
 * contract has a form field; each refusal the service names is shown on the field that holds it,
 * so the error summary's links land where the fix is.
 */

export const FORM_FIELDS = [
  'key',
  'name',
  'description',
  'source',
  'viewpoint',
  'domainCode',
  'improvement',
  'target',
  'breakdowns',
  'periodicity',
] as const;

/** The form as typed: text fields as strings, breakdowns as the boxes ticked. */
export interface IndicatorFormValues {
  key: string;
  name: string;
  description: string;
  source: string;
  viewpoint: string;
  domainCode: string;
  improvement: string;
  target: string;
  periodicity: string;
  breakdowns: string[];
}

/** A definition as the form shows it, to start from. */
export function formValuesOf(definition: IndicatorDefinition): IndicatorFormValues {
  return {
    key: definition.key,
    name: definition.name,
    description: definition.description,
    source: definition.source,
    viewpoint: definition.filters.viewpoint ?? '',
    domainCode: definition.filters.domainCode ?? '',
    improvement: definition.improvement,
    target: definition.target === null ? '' : String(definition.target),
    periodicity: definition.periodicity,
    breakdowns: [...definition.breakdowns],
  };
}

/** The form as typed, the contract's input it makes, and what could not be read as a value. */
export function indicatorFrom(body: FormBody): {
  values: IndicatorFormValues;
  input: DefineIndicatorInput;
  unreadable: FieldError[];
} {
  const values: IndicatorFormValues = {
    key: text(body, 'key'),
    name: text(body, 'name'),
    description: text(body, 'description'),
    source: text(body, 'source'),
    viewpoint: text(body, 'viewpoint'),
    domainCode: text(body, 'domainCode'),
    improvement: text(body, 'improvement'),
    target: text(body, 'target'),
    periodicity: text(body, 'periodicity'),
    breakdowns: list(body, 'breakdowns'),
  };
  const unreadable: FieldError[] = [];
  const target = values.target.replace(/%$/, '').trim();
  const targetNumber = target === '' ? null : Number(target);
  if (targetNumber !== null && !Number.isFinite(targetNumber)) {
    unreadable.push({ field: 'target', message: 'Target must be a number, for example 75, or left empty.' });
  }
  const filters: Record<string, string> = {};
  if (values.viewpoint) filters.viewpoint = values.viewpoint;
  if (values.domainCode) filters.domainCode = values.domainCode;
  return {
    values,
    // Anything not chosen from the form's options goes as typed, for the contract to refuse by name.
    input: {
      key: values.key,
      name: values.name,
      description: values.description,
      source: values.source,
      filters,
      improvement: values.improvement,
      target: targetNumber !== null && Number.isFinite(targetNumber) ? targetNumber : null,
      breakdowns: BREAKDOWNS.filter((b) => values.breakdowns.includes(b)) as Breakdown[],
      periodicity: values.periodicity,
    } as DefineIndicatorInput,
    unreadable,
  };
}

/** The form field that holds each contract path (`filters.viewpoint` → `viewpoint`, `breakdowns.2` → `breakdowns`). */
export function fieldIdFor(path: string): string {
  const [head = '', next = ''] = path.split('.');
  if (head === 'filters') return next === 'domainCode' ? 'domainCode' : 'viewpoint';
  return (FORM_FIELDS as readonly string[]).includes(head) ? head : 'key';
}

/**
 * The service's refusal as errors on the form's fields: the domain's problems in its own words,
 * the contract's as `formErrors` words them. Anything else is rethrown.
 */
export function indicatorFormErrors(error: unknown): FieldError[] {
  if (error instanceof IndicatorProblems) {
    return error.fields.map((f) => ({ field: fieldIdFor(f.field), message: f.message }));
  }
  if (error instanceof ServiceError && [400, 409, 422].includes(error.status)) {
    // A choice left unmade reads better as what to do than as the list of allowed values.
    return formErrors(error, fieldIdFor).map((e) => ({
      ...e,
      message: CHOICE_MESSAGES[e.field] ?? e.message,
    }));
  }
  throw error;
}

const CHOICE_MESSAGES: Record<string, string> = {
  source: 'Choose what the indicator counts.',
  viewpoint: 'Choose a viewpoint from the list, or any viewpoint.',
  improvement: 'Choose which direction is an improvement.',
  periodicity: 'Choose whether its chart shows months or quarters.',
  breakdowns: 'Choose breakdowns from the list.',
};
