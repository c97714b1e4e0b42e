/**
 * FHIR search (https://hl7.org/fhir/R4/search.html), the part this server supports, pure: parsing a
 * query string into typed criteria, and matching a resource's values against them. Each resource
 * type declares its parameters with the values a resource has for each; the matching rules are
 * written once, here.
 *
 * Supported: token (`code`, `system|code`, `|code`, `system|`), reference (`Type/id` or `id`),
 * date with the prefixes eq ne lt le gt ge sa eb at any precision, string (starts with, ignoring
 * case and accents), comma for "or", a repeated parameter for "and"; `_id`, `_lastUpdated`,
 * `_count`, `_offset` (paging) and `_include`. Modifiers are not supported and are refused.
 */
export type SearchParamType = 'token' | 'reference' | 'date' | 'string';

export interface TokenValue {
  system?: string;
  code: string;
}

/** A point or a period in time, as FHIR writes it (a date, a dateTime or an instant). */
export interface DateValue {
  start: string;
  end?: string;
}

export type ParamValues =
  | { type: 'token'; values: TokenValue[] }
  | { type: 'reference'; values: string[] }
  | { type: 'date'; values: DateValue[] }
  | { type: 'string'; values: string[] };

export interface SearchParamDefinition<R> {
  name: string;
  type: SearchParamType;
  documentation: string;
  /** The values this resource has for the parameter. */
  valuesOf(resource: R): string[] | TokenValue[] | DateValue[];
}

export type DatePrefix = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'sa' | 'eb';
const DATE_PREFIXES: readonly DatePrefix[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'sa', 'eb'];

export type Criterion =
  | { type: 'token'; anyOf: TokenValue[] | { system: string; code?: undefined }[] }
  | { type: 'reference'; anyOf: { type?: string; id: string }[] }
  | { type: 'date'; anyOf: { prefix: DatePrefix; start: number; end: number }[] }
  | { type: 'string'; anyOf: string[] };

export interface ParsedSearch {
  /** Criteria by parameter name; each entry of the list must match (and), any value in it may (or). */
  criteria: { name: string; criterion: Criterion }[];
  count: number;
  offset: number;
  include: string[];
}

export class SearchError extends Error {
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
    this.name = 'SearchError';
  }
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

/** Parameters every type has, matched by the generic layer from `Resource.id` and `meta`. */
export const COMMON_PARAMS: readonly { name: string; type: SearchParamType; documentation: string }[] = [
  { name: '_id', type: 'token', documentation: 'The logical id of the resource' },
  { name: '_lastUpdated', type: 'date', documentation: 'When the resource last changed' },
];

const RESULT_PARAMS = ['_count', '_offset', '_include', '_format'];

/** Start and end (exclusive) in ms of the period a FHIR date, dateTime or instant names at its precision. */
export function periodOf(text: string): { start: number; end: number } | null {
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(
      text,
    );
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo ? Number(mo) : null;
  const day = d ? Number(d) : null;
  if (month !== null && (month < 1 || month > 12)) return null;
  if (day !== null && (day < 1 || day > 31)) return null;
  if (h !== undefined) {
    // A time needs a zone (FHIR dateTime); without one it is not a point we can place.
    if (!zone) return null;
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${zone}`;
    const start = Date.parse(iso);
    if (Number.isNaN(start)) return null;
    const unit = s === undefined ? 60_000 : frac ? 1 : 1000;
    return { start, end: start + unit };
  }
  const start = Date.UTC(year, (month ?? 1) - 1, day ?? 1);
  if (day !== null && new Date(start).getUTCDate() !== day) return null;
  const end =
    day !== null ? start + 86_400_000 : month !== null ? Date.UTC(year, month, 1) : Date.UTC(year + 1, 0, 1);
  return { start, end };
}

function parseDateCriterion(raw: string, name: string): { prefix: DatePrefix; start: number; end: number } {
  const prefix = (DATE_PREFIXES as readonly string[]).includes(raw.slice(0, 2))
    ? (raw.slice(0, 2) as DatePrefix)
    : 'eq';
  const text = DATE_PREFIXES.includes(raw.slice(0, 2) as DatePrefix) ? raw.slice(2) : raw;
  const period = periodOf(text);
  if (!period) {
    throw new SearchError(
      `The ${name} parameter takes a date such as 2026-03, 2026-03-01 or ge2026-03-01T09:00:00Z; "${raw}" is not one.`,
      name,
    );
  }
  return { prefix, ...period };
}

function parseToken(raw: string): TokenValue | { system: string; code?: undefined } {
  const bar = raw.indexOf('|');
  if (bar < 0) return { code: raw };
  const system = raw.slice(0, bar);
  const code = raw.slice(bar + 1);
  if (code === '') return { system };
  return { system, code };
}

function parseCriterion(type: SearchParamType, raw: string, name: string): Criterion {
  const parts = raw.split(',').map((v) => v.trim());
  if (parts.some((p) => p === '')) throw new SearchError(`The ${name} parameter has an empty value.`, name);
  switch (type) {
    case 'token':
      return { type, anyOf: parts.map(parseToken) as TokenValue[] };
    case 'reference':
      return {
        type,
        anyOf: parts.map((p) => {
          const match = /^(?:([A-Z][A-Za-z]+)\/)?([A-Za-z0-9\-.]{1,64})$/.exec(
            p.replace(/^.*\/([A-Z][A-Za-z]+\/)/, '$1'),
          );
          if (!match)
            throw new SearchError(
              `The ${name} parameter takes a reference such as Patient/{id}; "${p}" is not one.`,
              name,
            );
          return match[1] ? { type: match[1], id: match[2] as string } : { id: match[2] as string };
        }),
      };
    case 'date':
      return { type, anyOf: parts.map((p) => parseDateCriterion(p, name)) };
    case 'string':
      return { type, anyOf: parts.map(fold) };
  }
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Parses a query string for a type with these parameters. Unknown parameters and modifiers are
 * refused (naming the parameter) unless `lenient` (the client sent `Prefer: handling=lenient`).
 */
export function parseSearch(
  query: Record<string, string | string[] | undefined>,
  params: readonly { name: string; type: SearchParamType }[],
  options: { lenient?: boolean; includes?: readonly string[] } = {},
): ParsedSearch {
  const known = new Map([...COMMON_PARAMS, ...params].map((p) => [p.name, p.type]));
  const criteria: ParsedSearch['criteria'] = [];
  let count = DEFAULT_PAGE_SIZE;
  let offset = 0;
  const include: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = [value].flat();
    if (key === '_count' || key === '_offset') {
      const n = Number(values.at(-1));
      if (!Number.isInteger(n) || n < 0 || (key === '_count' && (n < 1 || n > MAX_PAGE_SIZE))) {
        throw new SearchError(
          key === '_count'
            ? `_count must be a whole number from 1 to ${MAX_PAGE_SIZE}.`
            : '_offset must be a whole number, 0 or more.',
          key,
        );
      }
      if (key === '_count') count = n;
      else offset = n;
      continue;
    }
    if (key === '_include') {
      for (const v of values.flatMap((v) => v.split(','))) {
        if (!options.includes?.includes(v)) {
          if (options.lenient) continue;
          throw new SearchError(
            `_include=${v} is not supported here${options.includes?.length ? `; supported: ${options.includes.join(', ')}` : ''}.`,
            '_include',
          );
        }
        include.push(v);
      }
      continue;
    }
    if (RESULT_PARAMS.includes(key)) continue;
    const type = known.get(key);
    if (!type) {
      if (options.lenient) continue;
      const modifier = key.includes(':');
      throw new SearchError(
        modifier
          ? `Search modifiers are not supported: ${key}.`
          : `Unknown search parameter ${key}; this type supports ${[...known.keys()].join(', ')}.`,
        key,
      );
    }
    for (const v of values) criteria.push({ name: key, criterion: parseCriterion(type, v, key) });
  }
  return { criteria, count, offset, include };
}

function tokenMatches(want: TokenValue | { system: string; code?: undefined }, have: TokenValue): boolean {
  if (want.code === undefined) return have.system === want.system;
  if (want.system === undefined) return have.code === want.code;
  if (want.system === '') return have.code === want.code && !have.system;
  return have.code === want.code && have.system === want.system;
}

function dateMatches(want: { prefix: DatePrefix; start: number; end: number }, have: DateValue): boolean {
  const own = periodOf(have.start);
  if (!own) return false;
  const start = own.start;
  const end = have.end ? (periodOf(have.end)?.end ?? own.end) : own.end;
  switch (want.prefix) {
    case 'eq':
      return start >= want.start && end <= want.end;
    case 'ne':
      return !(start >= want.start && end <= want.end);
    case 'gt':
      return end > want.end;
    case 'lt':
      return start < want.start;
    case 'ge':
      return end > want.start;
    case 'le':
      return start < want.end;
    case 'sa':
      return start >= want.end;
    case 'eb':
      return end <= want.start;
  }
}

/** Does a resource with these values for the parameter meet the criterion? */
export function criterionMatches(criterion: Criterion, values: readonly unknown[]): boolean {
  switch (criterion.type) {
    case 'token':
      return criterion.anyOf.some((w) => (values as TokenValue[]).some((h) => tokenMatches(w, h)));
    case 'reference':
      return criterion.anyOf.some((w) =>
        (values as string[]).some((h) => {
          const [type, id] = h.split('/');
          return id === w.id && (w.type === undefined || w.type === type);
        }),
      );
    case 'date':
      return criterion.anyOf.some((w) => (values as DateValue[]).some((h) => dateMatches(w, h)));
    case 'string':
      return criterion.anyOf.some((w) => (values as string[]).some((h) => fold(h).startsWith(w)));
  }
}
