import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ContractError } from '../services/contract.js';
import { ServiceError } from '../services/errors.js';

/**
 * Helpers for server-rendered forms. Form posts arrive as flat name → value (or value[] when a
 * name repeats, as with checkboxes); pages validate them with messages a person can act on, and
 * show them in the NHS.UK error summary linked to each field.
 */
export type FormBody = Record<string, string | string[] | undefined>;

/** The body schema of every form route: any fields, each text or repeated text. */
export const FormBodySchema = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Array(Type.String())]),
);

export interface FieldError {
  field: string;
  message: string;
}

export function text(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

export function list(body: FormBody, name: string): string[] {
  const value = body[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter(Boolean);
}

export function checked(body: FormBody, name: string): boolean {
  return list(body, name).length > 0;
}

/** A whole number within bounds, or null when blank; undefined when not a number at all. */
export function integer(body: FormBody, name: string, min: number, max: number): number | null | undefined {
  const raw = text(body, name);
  if (!raw) return null;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** The date-input component's three fields (`name[day]`, `name[month]`, `name[year]`) as YYYY-MM-DD. */
export function dateInput(body: FormBody, name: string): { value: string | null; error: string | null } {
  const { day, month, year } = dateFields(body, name);
  if (!day && !month && !year) return { value: null, error: null };
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || year.length !== 4) {
    return { value: null, error: 'must be a real date, for example 27 3 2026' };
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { value: null, error: 'must be a real date, for example 27 3 2026' };
  }
  return { value: date.toISOString().slice(0, 10), error: null };
}

/** The date-input component's fields as typed, to show them again. */
export function dateFields(body: FormBody, name: string): { day: string; month: string; year: string } {
  return {
    day: text(body, `${name}[day]`),
    month: text(body, `${name}[month]`),
    year: text(body, `${name}[year]`),
  };
}

/** Splits YYYY-MM-DD into the date-input component's day, month and year. */
export function dateParts(iso: string | null | undefined): { day: string; month: string; year: string } {
  if (!iso) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * A service's refusal as field errors for the page, each on its form field: `fieldIdFor` maps a
 * contract path (`newOutcomes.0.statement`) to the id of the field that holds it, so the error
 * summary's links land on the field. Anything that is not a refusal is rethrown.
 */
export function formErrors(error: unknown, fieldIdFor: (contractPath: string) => string): FieldError[] {
  if (error instanceof ContractError) {
    return error.fields.map((f) => ({
      field: fieldIdFor(f.field),
      message: sentenceFor(f.field, f.message),
    }));
  }
  if (error instanceof ServiceError && error.status < 500) {
    return [{ field: fieldIdFor(error.field ?? ''), message: error.message }];
  }
  throw error;
}

/** A contract message ("must be 2,000 characters or fewer") as a sentence about its field. */
function sentenceFor(path: string, message: string): string {
  const leaf =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .at(-1) ?? '';
  const words = leaf.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const text = words ? `${words.charAt(0).toUpperCase()}${words.slice(1)} ${message}` : message;
  return text.endsWith('.') ? text : `${text}.`;
}

/** A service's refusal as field errors for the page; anything else is rethrown. */
export function serviceFieldErrors(error: unknown, fallbackField: string): FieldError[] {
  if (error instanceof ServiceError && error.status < 500) {
    return [{ field: error.field?.replace(/^content\./, '') || fallbackField, message: error.message }];
  }
  throw error;
}

/** Renders a form page again with its errors: 400 with "Error: " before the title, as the design system asks. */
export function renderWithErrors(
  reply: FastifyReply,
  view: string,
  context: Record<string, unknown> & { pageTitle: string },
  errors: FieldError[],
): FastifyReply {
  return reply.code(errors.length ? 400 : 200).page(view, {
    ...context,
    pageTitle: errors.length ? `Error: ${context.pageTitle}` : context.pageTitle,
    heading: context.pageTitle,
    errors,
    errorFor: Object.fromEntries(errors.map((e) => [e.field, e.message])),
  });
}
