import { COMMUNITY_LIMITS } from '../../domain/community/vocabulary.js';
import { ContractError } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import { type FieldError, type FormBody, formErrors, list, text } from '../../web/forms.js';
import type { CommunityResource, CommunityResourceInput } from './schema.js';

/**
 * The staff form mapped onto the directory entry contract, and back. Lists are checkboxes; yes/no
 * questions are radios; sessions are rows of a day and a start and end time, `session-N-day` and so
 * on, with blank rows left out (so the form works without script: two spare rows each time).
 * Every field the service names is shown on the form field that holds it.
 */

export const TEXT_FIELDS = [
  'organisationId',
  'name',
  'kind',
  'summary',
  'description',
  'address',
  'postcode',
  'scheduleNote',
  'eligibility',
  'minAge',
  'maxAge',
  'costKind',
  'costNote',
  'accessibilityNote',
  'selfReferral',
  'howToRefer',
  'phone',
  'email',
  'website',
  'capacity',
  'acceptingReferrals',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const LIST_FIELDS = ['needs', 'domainCodes', 'accessibility'] as const;
type ListField = (typeof LIST_FIELDS)[number];

/** Empty session rows offered after the filled ones, so a session can be added without script. */
export const SPARE_SESSION_ROWS = 2;

export interface SessionRow {
  day: string;
  start: string;
  end: string;
}

/** The form as typed, to show again. */
export interface ResourceFormValues {
  text: Partial<Record<TextField, string>>;
  ticked: Record<ListField, string[]>;
  online: boolean;
  sessions: SessionRow[];
  version: string;
}

export interface MappedForm {
  values: ResourceFormValues;
  input: CommunityResourceInput;
  organisationId: string;
  version: number | undefined;
  /** For each session in the input, the form row it came from: errors name the input's index. */
  sessionRows: number[];
}

const yesNo = (value: string): boolean | string => (value === 'yes' ? true : value === 'no' ? false : value);

/** A whole number as typed; anything else goes as typed, for the contract to refuse by name. */
const wholeNumber = (value: string): number | null =>
  value === '' ? null : /^-?\d{1,9}$/.test(value) ? Number(value) : (value as unknown as number);

/** The form's values and the contract input they make. */
export function resourceFormFrom(body: FormBody): MappedForm {
  const t = (name: TextField) => text(body, name);
  const ticked = {
    needs: list(body, 'needs'),
    domainCodes: list(body, 'domainCodes'),
    accessibility: list(body, 'accessibility'),
  };
  const rows: SessionRow[] = [];
  for (let i = 0; i < COMMUNITY_LIMITS.sessions + SPARE_SESSION_ROWS; i++) {
    const row = {
      day: text(body, `session-${i}-day`),
      start: text(body, `session-${i}-start`),
      end: text(body, `session-${i}-end`),
    };
    if (body[`session-${i}-day`] === undefined && body[`session-${i}-start`] === undefined) break;
    rows.push(row);
  }
  const sessionRows: number[] = [];
  const sessions = rows.flatMap((row, i) => {
    if (!row.day && !row.start && !row.end) return [];
    sessionRows.push(i);
    return [row as CommunityResourceInput['sessions'][number]];
  });
  const online = list(body, 'online').includes('yes');
  const versionText = text(body, 'version');
  const address = t('address')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
  return {
    values: {
      text: Object.fromEntries(TEXT_FIELDS.map((f) => [f, t(f)])) as ResourceFormValues['text'],
      ticked,
      online,
      sessions: rows.filter((r) => r.day || r.start || r.end),
      version: versionText,
    },
    organisationId: t('organisationId'),
    version: /^\d{1,9}$/.test(versionText) ? Number(versionText) : undefined,
    sessionRows,
    input: {
      name: t('name'),
      // Anything not offered goes as typed, for the contract to refuse by name.
      kind: t('kind') as CommunityResourceInput['kind'],
      summary: t('summary'),
      description: t('description'),
      needs: ticked.needs as CommunityResourceInput['needs'],
      domainCodes: ticked.domainCodes,
      online,
      address: address || null,
      postcode: t('postcode') || null,
      sessions,
      scheduleNote: t('scheduleNote'),
      eligibility: t('eligibility'),
      minAge: wholeNumber(t('minAge')),
      maxAge: wholeNumber(t('maxAge')),
      costKind: t('costKind') as CommunityResourceInput['costKind'],
      costNote: t('costNote'),
      accessibility: ticked.accessibility as CommunityResourceInput['accessibility'],
      accessibilityNote: t('accessibilityNote'),
      selfReferral: yesNo(t('selfReferral')) as boolean,
      howToRefer: t('howToRefer'),
      phone: t('phone') || null,
      email: t('email') || null,
      website: t('website') || null,
      capacity: wholeNumber(t('capacity')),
      acceptingReferrals: yesNo(t('acceptingReferrals')) as boolean,
    },
  };
}

const yesNoText = (value: boolean) => (value ? 'yes' : 'no');

/** An entry's values as the form shows them, to change it. */
export function formValuesOf(resource: CommunityResource): ResourceFormValues {
  return {
    text: {
      organisationId: resource.organisationId,
      name: resource.name,
      kind: resource.kind,
      summary: resource.summary,
      description: resource.description,
      address: resource.address ?? '',
      postcode: resource.postcode ?? '',
      scheduleNote: resource.scheduleNote,
      eligibility: resource.eligibility,
      minAge: resource.minAge === null ? '' : String(resource.minAge),
      maxAge: resource.maxAge === null ? '' : String(resource.maxAge),
      costKind: resource.costKind,
      costNote: resource.costNote,
      accessibilityNote: resource.accessibilityNote,
      selfReferral: yesNoText(resource.selfReferral),
      howToRefer: resource.howToRefer,
      phone: resource.phone ?? '',
      email: resource.email ?? '',
      website: resource.website ?? '',
      capacity: resource.capacity === null ? '' : String(resource.capacity),
      acceptingReferrals: yesNoText(resource.acceptingReferrals),
    },
    ticked: {
      needs: [...resource.needs],
      domainCodes: [...resource.domainCodes],
      accessibility: [...resource.accessibility],
    },
    online: resource.online,
    sessions: resource.sessions.map((s) => ({ ...s })),
    version: String(resource.version),
  };
}

/** A blank form: a new entry takes referrals, and says nothing it has not been told. */
export function emptyFormValues(organisationId: string): ResourceFormValues {
  return {
    text: { organisationId, acceptingReferrals: 'yes' },
    ticked: { needs: [], domainCodes: [], accessibility: [] },
    online: false,
    sessions: [],
    version: '',
  };
}

/** The id of the element that shows a 409 (someone else's change): the summary links to it. */
export const VERSION_FIELD_ID = 'version-warning';

/**
 * The form field that holds a contract path: `sessions.2.end` → the row the third session came
 * from (`session-4-end`), `needs.1` → `needs`, `version` → the warning about someone else's change.
 */
export function fieldIdFor(path: string, sessionRows: readonly number[] = []): string {
  const [head = '', index = '', leaf = ''] = path.split('.');
  if (head === 'sessions') {
    const row = sessionRows[Number(index)] ?? Number(index);
    return `session-${Number.isFinite(row) ? row : 0}-${leaf === 'start' || leaf === 'end' ? leaf : 'day'}`;
  }
  if (head === 'version') return VERSION_FIELD_ID;
  if (
    (TEXT_FIELDS as readonly string[]).includes(head) ||
    (LIST_FIELDS as readonly string[]).includes(head)
  ) {
    return head;
  }
  return head === 'online' ? 'online' : 'name';
}

/** The form's words for a field the contract names by its path, when its own message lacks a subject. */
const FIELD_WORDS: Record<string, string> = {
  needs: 'Needs',
  domainCodes: 'Outcome domains',
  accessibility: 'Accessibility',
  address: 'The address',
  maxAge: 'The oldest age',
  minAge: 'The youngest age',
  description: 'The description',
  scheduleNote: 'The note about when',
  eligibility: 'Who can use it',
  costNote: 'The note about cost',
  accessibilityNote: 'The note about access',
  howToRefer: 'How to refer',
  selfReferral: 'Whether people can refer themselves',
  acceptingReferrals: 'Whether it is taking referrals',
  organisationId: 'The organisation',
};

/**
 * The service's refusal as errors on the form's fields. Messages the contract words for a person
 * (its errorMessage) are shown as they are; the rest get their field's name in front.
 */
export function resourceFormErrors(error: unknown, sessionRows: readonly number[] = []): FieldError[] {
  if (error instanceof ContractError) {
    return error.fields.map((f) => {
      const head = f.field.split('.')[0] ?? '';
      const personal = /^(Enter|Choose)/.test(f.message);
      const sessionWords = head === 'sessions' ? `Session ${Number(f.field.split('.')[1] ?? 0) + 1}: ` : '';
      const words = FIELD_WORDS[head];
      const message = personal
        ? `${sessionWords}${f.message}`
        : head === 'sessions'
          ? `${sessionWords}the ${f.field.split('.')[2] === 'end' ? 'end time' : f.field.split('.')[2] === 'start' ? 'start time' : 'day'} ${f.message}`
          : words
            ? `${words} ${f.message}`
            : null;
      if (message) return { field: fieldIdFor(f.field, sessionRows), message: sentence(message) };
      return formErrors(new ContractError([f]), (p) => fieldIdFor(p, sessionRows))[0] as FieldError;
    });
  }
  if (error instanceof ServiceError && [400, 403, 404, 409, 422].includes(error.status)) {
    return [{ field: fieldIdFor(error.field ?? 'name', sessionRows), message: error.message }];
  }
  throw error;
}

const sentence = (text: string) => (text.endsWith('.') ? text : `${text}.`);
