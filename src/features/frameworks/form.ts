import {
  CATEGORY_LABELS,
  type FrameworkDefinition,
  OUTCOME_CATEGORIES,
  type OutcomeCategory,
} from '../../domain/outcome-frameworks.js';
import { ServiceError } from '../../services/errors.js';
import { type FieldError, type FormBody, formErrors, text } from '../../web/forms.js';
import type { AddFrameworkInput, Framework } from './schema.js';
import { FrameworkProblems } from './service.js';

/**
 * The admin's framework form mapped onto the add-framework contract, and back: labels are one per
 * line, domains one per line as "Category | Name | Description" (a person can type and read that),
 * and every field the service names is shown on the form field that holds it.
 */

const lines = (value: string) =>
  value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const categoryByLabel = new Map(
  OUTCOME_CATEGORIES.flatMap((c) => [
    [c, c],
    [CATEGORY_LABELS[c].toLowerCase(), c],
  ]),
);

/**
 * "Category | Name | Description" per line, as a person can type and read it. A line that cannot be
 * read as a domain (no known category, no name) is a problem of the text, named by its line.
 */
export function parseDomainLines(value: string): {
  domains: FrameworkDefinition['domains'];
  problems: string[];
} {
  const problems: string[] = [];
  const domains = lines(value).flatMap((line, i) => {
    const [category = '', name = '', description = ''] = line.split('|').map((part) => part.trim());
    const known = categoryByLabel.get(category.toLowerCase()) as OutcomeCategory | undefined;
    if (!known) {
      problems.push(
        `Line ${i + 1}: "${category}" is not a category (use one of: ${Object.values(CATEGORY_LABELS).join(', ')})`,
      );
      return [];
    }
    if (!name) {
      problems.push(`Line ${i + 1}: give the domain a name after the first |`);
      return [];
    }
    const code = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return [{ code, name, description, category: known }];
  });
  return { domains, problems };
}

/** A framework's domains as the form's lines, to start a new version from. */
export function domainLines(framework: Framework): string {
  return framework.domains
    .map((d) => `${CATEGORY_LABELS[d.category]} | ${d.name} | ${d.description}`)
    .join('\n');
}

export const FORM_FIELDS = ['key', 'version', 'name', 'description', 'labels', 'domains'] as const;

/** The form as typed, the contract's input it makes, and the lines it could not read as domains. */
export function frameworkFrom(body: FormBody): {
  values: Record<string, string>;
  input: AddFrameworkInput;
  unreadable: FieldError[];
} {
  const values = Object.fromEntries(FORM_FIELDS.map((k) => [k, text(body, k)]));
  const { domains, problems } = parseDomainLines(values.domains ?? '');
  const version = values.version ?? '';
  return {
    values,
    input: {
      key: values.key ?? '',
      // Digits become the number; anything else goes as typed, for the contract to refuse.
      version: (/^\d+$/.test(version) ? Number(version) : version) as number,
      name: values.name ?? '',
      description: values.description ?? '',
      ratingScale: { labels: lines(values.labels ?? '') },
      domains: [...domains],
    },
    unreadable: problems.map((message) => ({ field: 'domains', message })),
  };
}

/** The form field that holds each contract path. */
function fieldIdFor(path: string): string {
  const [head = '', next = ''] = path.split('.');
  if (head === 'ratingScale' || next === 'labels') return 'labels';
  return (FORM_FIELDS as readonly string[]).includes(head) ? head : 'key';
}

/**
 * The service's refusal as errors on the form's fields: the domain's problems in its own words,
 * the contract's and the service's others as `formErrors` words them. Anything else is rethrown.
 */
export function frameworkFormErrors(error: unknown): FieldError[] {
  if (error instanceof FrameworkProblems) {
    return error.fields.map((f) => ({ field: fieldIdFor(f.field), message: f.message }));
  }
  if (error instanceof ServiceError && [400, 409, 422].includes(error.status)) {
    return formErrors(error, fieldIdFor);
  }
  throw error;
}
