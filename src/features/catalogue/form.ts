import { ServiceError } from '../../services/errors.js';
import { type FieldError, type FormBody, formErrors, list, text } from '../../web/forms.js';
import type { CatalogueEntry, CatalogueEntryInput } from './schema.js';
import { CatalogueProblems } from './service.js';

/**
 * The editor's form mapped onto the catalogue-entry contract, and back. Lists are checkboxes;
 * each domain is one checkbox whose value is "framework|code"; the product link is a kind and a
 * key. Every field the service names is shown on the form field that holds it.
 */

export const FORM_FIELDS = [
  'key',
  'name',
  'kind',
  'measures',
  'levels',
  'lifeAreas',
  'respondents',
  'domains',
  'validation',
  'licence',
  'sourceUrl',
  'linkKind',
  'linkKey',
] as const;
type FormField = (typeof FORM_FIELDS)[number];

/** The form as typed, to show again: text fields as text, lists as the values ticked. */
export interface CatalogueFormValues {
  text: Partial<Record<FormField, string>>;
  ticked: { levels: string[]; lifeAreas: string[]; respondents: string[]; domains: string[] };
}

const DOMAIN_SEPARATOR = '|';
export const domainValue = (framework: string, code: string) => `${framework}${DOMAIN_SEPARATOR}${code}`;

/** The form's values and the contract input they make; what the contract refuses, it names. */
export function catalogueEntryFrom(body: FormBody): {
  values: CatalogueFormValues;
  input: CatalogueEntryInput;
} {
  const t = (name: FormField) => text(body, name);
  const ticked = {
    levels: list(body, 'levels'),
    lifeAreas: list(body, 'lifeAreas'),
    respondents: list(body, 'respondents'),
    domains: list(body, 'domains'),
  };
  const linkKind = t('linkKind');
  const linkKey = t('linkKey');
  const sourceUrl = t('sourceUrl');
  return {
    values: {
      text: Object.fromEntries(
        FORM_FIELDS.filter((f) => !(f in ticked)).map((f) => [f, t(f)]),
      ) as CatalogueFormValues['text'],
      ticked,
    },
    input: {
      key: t('key'),
      name: t('name'),
      // Anything not offered goes as typed, for the contract to refuse by name.
      kind: t('kind') as CatalogueEntryInput['kind'],
      measures: t('measures'),
      levels: ticked.levels as CatalogueEntryInput['levels'],
      lifeAreas: ticked.lifeAreas as CatalogueEntryInput['lifeAreas'],
      respondents: ticked.respondents as CatalogueEntryInput['respondents'],
      domains: ticked.domains.map((v) => {
        const at = v.lastIndexOf(DOMAIN_SEPARATOR);
        return { framework: at < 0 ? v : v.slice(0, at), code: at < 0 ? '' : v.slice(at + 1) };
      }),
      validation: t('validation'),
      licence: t('licence'),
      sourceUrl: sourceUrl || null,
      link: linkKind
        ? { kind: linkKind as NonNullable<CatalogueEntryInput['link']>['kind'], key: linkKey || null }
        : null,
    },
  };
}

/** An entry's values as the form shows them, to change it. */
export function formValuesOf(entry: CatalogueEntry): CatalogueFormValues {
  return {
    text: {
      key: entry.key,
      name: entry.name,
      kind: entry.kind,
      measures: entry.measures,
      validation: entry.validation,
      licence: entry.licence,
      sourceUrl: entry.sourceUrl ?? '',
      linkKind: entry.link?.kind ?? '',
      linkKey: entry.link?.key ?? '',
    },
    ticked: {
      levels: [...entry.levels],
      lifeAreas: [...entry.lifeAreas],
      respondents: [...entry.respondents],
      domains: entry.domains.map((d) => domainValue(d.framework, d.code)),
    },
  };
}

/** The form field that holds each contract path (`domains.2.code` → domains, `link.key` → linkKey). */
export function fieldIdFor(path: string): FormField {
  const [head = '', next = ''] = path.split('.');
  if (head === 'link') return next === 'key' ? 'linkKey' : 'linkKind';
  return (FORM_FIELDS as readonly string[]).includes(head) ? (head as FormField) : 'key';
}

/**
 * The service's refusal as errors on the form's fields: the domain's problems in its own words, the
 * contract's and the service's others as `formErrors` words them. Anything else is rethrown.
 */
export function catalogueFormErrors(error: unknown): FieldError[] {
  if (error instanceof CatalogueProblems) {
    return error.fields.map((f) => ({ field: fieldIdFor(f.field), message: f.message }));
  }
  if (error instanceof ServiceError && [400, 409, 422].includes(error.status)) {
    return formErrors(error, fieldIdFor);
  }
  throw error;
}
