import { type TSchema, TypeGuard } from '@sinclair/typebox';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DAYS } from '../../domain/community/vocabulary.js';
import {
  type CommunityResource,
  CommunityResourceBody,
  type CommunityResourceInput,
  type Session,
} from './schema.js';

/**
 * The CSV format of the community directory (docs/COMMUNITY.md, "Exchanging the directory"): one
 * row per entry, one column per field of the entry contract (`CommunityResourceBody`, snake_case),
 * derived from the contract itself so a field added there is a column here. Multi-valued columns
 * hold their values separated by ';'; sessions are written `mon 10:00-12:00;thu 18:00-19:30`;
 * yes/no columns hold yes or no. Before the contract's columns come the entry's identity
 * (`resource_id`, `organisation_id`, `organisation_name`), after them what an export adds for
 * reading (`status`, `review_due`, `last_reviewed_at`), which an import reads past.
 */

/** How a cell's text becomes the field's value. */
export type CommunityCellType = 'text' | 'nullable-text' | 'integer' | 'yes-no' | 'list' | 'sessions';

export interface CommunityCsvColumn {
  name: string;
  /** The contract field it fills. */
  field: keyof CommunityResourceInput;
  type: CommunityCellType;
  /** Whether an import needs the column: the contract has no "nothing" value for its field. */
  required: boolean;
}

/** The separator of values within a cell. */
export const LIST_SEPARATOR = ';';

/** The most entries one file may hold: a region's directory is thousands, never more at once. */
export const MAX_COMMUNITY_IMPORT_ROWS = 5000;

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function cellTypeOf(schema: TSchema): { type: CommunityCellType; required: boolean } {
  if (TypeGuard.IsUnion(schema)) {
    const some = schema.anyOf.find((s) => !TypeGuard.IsNull(s));
    if (some && schema.anyOf.some((s) => TypeGuard.IsNull(s))) {
      return { type: TypeGuard.IsInteger(some) ? 'integer' : 'nullable-text', required: false };
    }
    // A choice of words (kind, cost): required, as there is no blank choice.
    return { type: 'text', required: true };
  }
  if (TypeGuard.IsArray(schema)) {
    return { type: TypeGuard.IsObject(schema.items) ? 'sessions' : 'list', required: false };
  }
  if (TypeGuard.IsBoolean(schema)) return { type: 'yes-no', required: true };
  if (TypeGuard.IsInteger(schema)) return { type: 'integer', required: true };
  return { type: 'text', required: (schema.minLength ?? 0) > 0 };
}

/** The contract's columns, in its order. */
export const COMMUNITY_CSV_COLUMNS: readonly CommunityCsvColumn[] = Object.entries(
  CommunityResourceBody.properties,
).map(([field, schema]) => ({
  name: snake(field),
  field: field as keyof CommunityResourceInput,
  ...cellTypeOf(schema as TSchema),
}));

/** The columns naming an entry: optional on import (a new entry without an id is given one). */
export const IDENTITY_COLUMNS = ['resource_id', 'organisation_id', 'organisation_name'] as const;
/** What an export adds for people reading it; an import reads past them. */
export const EXPORT_ONLY_COLUMNS = ['status', 'review_due', 'last_reviewed_at'] as const;

/** Every column of an export, in order. */
export const COMMUNITY_CSV_HEADER: readonly string[] = [
  ...IDENTITY_COLUMNS,
  ...COMMUNITY_CSV_COLUMNS.map((c) => c.name),
  ...EXPORT_ONLY_COLUMNS,
];

/** The columns an import needs in its header. */
export const REQUIRED_COMMUNITY_COLUMNS: readonly string[] = COMMUNITY_CSV_COLUMNS.filter(
  (c) => c.required,
).map((c) => c.name);

/** The file's column holding a contract field (`sessions.1.end` is in `sessions`). */
export function communityColumnOf(field: string): string {
  const top = field.split('.')[0] ?? field;
  if (top === 'organisationId') return 'organisation_id';
  if (top === 'resourceId') return 'resource_id';
  return COMMUNITY_CSV_COLUMNS.find((c) => c.field === top)?.name ?? field;
}

/** A file that cannot be read at all: said in one line, nothing imported. */
export class CommunityFileError extends Error {
  override name = 'CommunityFileError';
}

/** One entry as a file gives it, before the contract and the service's rules are asked. */
export interface ImportedEntry {
  /** Where it is in the file: the spreadsheet row (header is row 1), or the record's number from 1. */
  row: number;
  resourceId: string | null;
  organisationId: string | null;
  organisationName: string | null;
  /** The contract's fields as read; anything unreadable goes as given, for the contract to name. */
  input: Record<string, unknown>;
  /** Cells that could not become a value at all, by the contract field they were to fill. */
  problems: { field: string; message: string }[];
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/** '9:30' and '09:30' are the same time; anything else is left for the contract to refuse. */
const time = (text: string) => (/^\d:\d\d$/.test(text) ? `0${text}` : text);

const SESSION_PATTERN = /^([a-z]+)\s+(\d{1,2}:\d{2})\s*(?:-|–|to)\s*(\d{1,2}:\d{2})$/i;

/** Reads `mon 10:00-12:00;thu 18:00-19:30`; a day's full name (Monday) is read as its key. */
export function parseSessions(text: string): { sessions: Session[]; problem?: string } {
  const sessions: Session[] = [];
  for (const part of text.split(LIST_SEPARATOR)) {
    const token = part.trim();
    if (!token) continue;
    const match = SESSION_PATTERN.exec(token);
    if (!match) {
      return {
        sessions,
        problem: `cannot read "${token}": write each session as a day and times, like mon 10:00-12:00`,
      };
    }
    const word = (match[1] as string).toLowerCase();
    const day = DAYS.find((d) => word === d || (word.length > 3 && word.startsWith(d))) ?? word;
    sessions.push({
      day: day as Session['day'],
      start: time(match[2] as string),
      end: time(match[3] as string),
    });
  }
  return { sessions };
}

export const sessionsText = (sessions: readonly Session[]): string =>
  sessions.map((s) => `${s.day} ${s.start}-${s.end}`).join(LIST_SEPARATOR);

function cellValue(column: CommunityCsvColumn, text: string): { value: unknown; problem?: string } {
  switch (column.type) {
    case 'text':
      return { value: text };
    case 'nullable-text':
      return {
        value:
          column.field === 'address'
            ? text
                .split(/\r?\n/)
                .map((l) => l.trim())
                .filter(Boolean)
                .join('\n') || null
            : text || null,
      };
    case 'integer':
      if (!text) return { value: null };
      return { value: /^[+-]?\d{1,9}$/.test(text) ? Number(text) : text };
    case 'yes-no': {
      const word = text.toLowerCase();
      if (YES.has(word)) return { value: true };
      if (NO.has(word)) return { value: false };
      return { value: undefined, problem: text ? 'must be yes or no' : 'must say yes or no' };
    }
    case 'list':
      return {
        value: text
          .split(LIST_SEPARATOR)
          .map((v) => v.trim())
          .filter(Boolean),
      };
    case 'sessions': {
      const { sessions, problem } = parseSessions(text);
      return { value: sessions, problem };
    }
  }
}

/** The records of a CSV text, header first; a byte order mark is dropped. */
function records(content: string): string[][] {
  try {
    return parse(content.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    throw new CommunityFileError(`the file is not valid CSV: ${(error as Error).message}`);
  }
}

/**
 * Reads a directory file: its header names only known columns (in any order) and at least the
 * required ones; each row becomes an entry to check. A column left out takes the field's
 * "nothing" (blank text, no values, none).
 */
export function readCommunityCsv(content: string): ImportedEntry[] {
  const [header, ...rows] = records(content);
  if (!header) throw new CommunityFileError('the file is empty: it needs a header row naming its columns');
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Set(COMMUNITY_CSV_HEADER);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new CommunityFileError(
      `unknown column ${unknown.map((c) => `"${c}"`).join(', ')}; the columns are ${COMMUNITY_CSV_HEADER.join(', ')}`,
    );
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new CommunityFileError(`the column "${twice}" is named twice`);
  const missing = REQUIRED_COMMUNITY_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length)
    throw new CommunityFileError(`missing column ${missing.map((c) => `"${c}"`).join(', ')}`);
  if (rows.length > MAX_COMMUNITY_IMPORT_ROWS) {
    throw new CommunityFileError(
      `the file has ${rows.length} rows; at most ${MAX_COMMUNITY_IMPORT_ROWS} are imported at once: split it`,
    );
  }
  return rows.map((values, i) => {
    const cell = (name: string) => {
      const at = names.indexOf(name);
      return at < 0 ? '' : (values[at] ?? '').trim();
    };
    const input: Record<string, unknown> = {};
    const problems: ImportedEntry['problems'] = [];
    for (const column of COMMUNITY_CSV_COLUMNS) {
      if (!names.includes(column.name) && column.required) continue;
      const { value, problem } = cellValue(column, cell(column.name));
      if (problem) problems.push({ field: column.field, message: problem });
      else if (value !== undefined) input[column.field] = value;
    }
    return {
      row: i + 2,
      resourceId: cell('resource_id') || null,
      organisationId: cell('organisation_id') || null,
      organisationName: cell('organisation_name') || null,
      input,
      problems,
    };
  });
}

const cellText = (column: CommunityCsvColumn, value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (column.type === 'yes-no') return value ? 'yes' : 'no';
  if (column.type === 'sessions') return sessionsText(value as Session[]);
  if (column.type === 'list') return (value as string[]).join(LIST_SEPARATOR);
  return String(value);
};

/** A cell a spreadsheet would take for a formula (=, +, -, @ first) starts with an apostrophe. */
const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d/.test(text) ? `'${text}` : text);

/** The entries as a directory file, header first, in the order given. */
export function writeCommunityCsv(resources: readonly CommunityResource[]): string {
  const rows = resources.map((r) => [
    r.resourceId,
    r.organisationId,
    r.organisationName,
    ...COMMUNITY_CSV_COLUMNS.map((c) => cellText(c, r[c.field])),
    r.status,
    r.reviewDue,
    r.lastReviewedAt ?? '',
  ]);
  return stringify([[...COMMUNITY_CSV_HEADER], ...rows.map((row) => row.map(safe))], {
    record_delimiter: 'windows',
  });
}
