import type { Actor } from '../../domain/actor.js';
import type { ConversationKind } from '../../domain/conversations.js';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { ServiceError } from '../../services/errors.js';
import {
  dateFields,
  dateInput,
  type FieldError,
  type FormBody,
  formErrors,
  list,
  text,
} from '../../web/forms.js';
import type { RecordConversationInput } from './schema.js';

/**
 * The conversation form ↔ the RecordConversation contract. The form is mapped onto the contract
 * as typed: nothing is checked here, and what cannot be read (a date that is not one, a score that
 * is not a number) is passed on as written so that the contract names it. The other way, each
 * contract path maps back to the id of the form field that holds it, so every refusal lands on its
 * field and the error summary's links work; where the form knows why a value is missing (a blank
 * date, a block half filled in) it words the message for the reader.
 */

/** The form's GAS level fields: contract key → the suffix of the field name. */
export const GAS_LEVEL_FIELDS = [
  ['-2', 'm2'],
  ['-1', 'm1'],
  ['0', 'z0'],
  ['1', 'p1'],
  ['2', 'p2'],
] as const;

/** Who may be ticked as taking part, besides the practitioner filling in the form. */
export interface ConversationParties {
  personName: string;
  carers: readonly { relationshipId: string; name: string; relationshipType: string }[];
  actor: Actor;
}

export interface MappedForm<T> {
  input: T;
  /** The form field id for a contract path. */
  fieldFor(path: string): string;
  /** The form's own words for a problem at a path, when it knows why (a blank it left blank). */
  wordingFor(path: string): string | undefined;
}

/** A whole number as a number; anything else as typed, for the contract to name. */
export function numberOrText(raw: string): number | string {
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}

/** A blank field as null; otherwise as numberOrText. */
const optionalNumber = (raw: string) => (raw === '' ? null : numberOrText(raw));

/**
 * The date-input component's three fields as YYYY-MM-DD, or null when all are blank. A date that
 * is not a real one is passed on as written (year-month-day), for the contract to refuse, and
 * `readable` says so, so the form can word the refusal in terms of its three boxes.
 */
export function dateFromForm(body: FormBody, name: string): { value: string | null; readable: boolean } {
  const read = dateInput(body, name);
  if (!read.error) return { value: read.value, readable: true };
  const { day, month, year } = dateFields(body, name);
  return { value: `${year}-${month}-${day}`, readable: false };
}

/** Existing outcomes the form rates, scores and reviews, found from its field names. */
const EXISTING_FIELD =
  /^(rating|gas|status)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-(\w+))?$/;

/** Maps a posted conversation form onto the RecordConversation contract. */
export function conversationFromForm(
  body: FormBody,
  kind: ConversationKind,
  newCount: number,
  parties: ConversationParties,
): MappedForm<RecordConversationInput> {
  const fields = new Map<string, string>();
  const wording = new Map<string, string>();

  const heldOn = dateFromForm(body, 'heldOn');
  if (heldOn.value === null) wording.set('heldOn', 'Enter the date of the conversation');
  if (!heldOn.readable)
    wording.set('heldOn', 'The date of the conversation must be a real date, for example 27 3 2026');
  const nextReview = dateFromForm(body, 'nextReview');
  if (!nextReview.readable)
    wording.set('nextReviewDate', 'The next review date must be a real date, for example 15 1 2027');

  const participants: Record<string, unknown>[] = [];
  const ownRole = parties.actor.roles.find((r) => r.role === 'practitioner' || r.role === 'team-manager');
  for (const value of list(body, 'participants')) {
    fields.set(`participants.${participants.length}`, 'participants');
    if (value === 'person') participants.push({ kind: 'person', name: parties.personName });
    else if (value === 'me') {
      participants.push({
        kind: 'practitioner',
        name: parties.actor.displayName,
        userId: parties.actor.userId,
        organisationId: ownRole?.organisationId ?? null,
        role: parties.actor.jobTitle ?? '',
      });
    } else if (value.startsWith('carer:')) {
      const carer = parties.carers.find((c) => c.relationshipId === value.slice('carer:'.length));
      if (!carer)
        wording.set(
          `participants.${participants.length}.name`,
          'A carer ticked is no longer in the person’s circle',
        );
      participants.push({ kind: 'carer', name: carer?.name ?? '', role: carer?.relationshipType ?? '' });
    } else {
      participants.push({ kind: value, name: value });
    }
  }
  for (const line of text(body, 'otherParticipants')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [name = '', ...role] = line.split(',');
    fields.set(`participants.${participants.length}`, 'otherParticipants');
    participants.push({ kind: 'other', name: name.trim(), role: role.join(',').trim() });
  }
  if (!participants.length) wording.set('participants', 'Select who took part');

  const newOutcomes: Record<string, unknown>[] = [];
  for (let block = 0; block < newCount; block++) {
    const p = `new-${block}`;
    const k = newOutcomes.length;
    const at = `newOutcomes.${k}`;
    const statement = text(body, `${p}-statement`);
    const ratings = VIEWPOINTS.flatMap((viewpoint) => {
      const raw = text(body, `${p}-rating-${viewpoint}`);
      return raw ? [{ viewpoint, score: numberOrText(raw) }] : [];
    });
    const gasTexts = GAS_LEVEL_FIELDS.map(([, key]) => text(body, `${p}-gas-${key}`));
    const domainIds = list(body, `${p}-domains`);
    const why = text(body, `${p}-why`);
    // A block left empty is a block not used: the form always offers a spare one.
    if (!statement && !ratings.length && !domainIds.length && !gasTexts.some(Boolean) && !why) continue;

    const label = `Outcome ${block + 1}`;
    fields.set(at, `${p}-statement`);
    fields.set(`${at}.statement`, `${p}-statement`);
    fields.set(`${at}.whyItMatters`, `${p}-why`);
    fields.set(`${at}.importance`, `${p}-importance`);
    fields.set(`${at}.domainIds`, `${p}-domains-1`);
    for (const [j, r] of ratings.entries()) fields.set(`${at}.ratings.${j}`, `${p}-rating-${r.viewpoint}`);
    if (!statement) wording.set(`${at}.statement`, `${label}: write what matters, in the person’s own words`);
    fields.set(`label:${at}`, label);

    let gas: Record<string, unknown> | null = null;
    if (gasTexts.some(Boolean)) {
      gas = {
        levels: Object.fromEntries(GAS_LEVEL_FIELDS.map(([level], i) => [level, gasTexts[i] ?? ''])),
        baselineLevel: numberOrText(text(body, `${p}-gas-baseline`)),
        importance: optionalNumber(text(body, `${p}-gas-importance`)),
        difficulty: optionalNumber(text(body, `${p}-gas-difficulty`)),
      };
      fields.set(`${at}.gas`, `${p}-gas-m2`);
      for (const [i, [level, key]] of GAS_LEVEL_FIELDS.entries()) {
        fields.set(`${at}.gas.levels.${level}`, `${p}-gas-${key}`);
        if (!gasTexts[i])
          wording.set(
            `${at}.gas.levels.${level}`,
            `${label}: describe all five goal attainment levels, or none`,
          );
      }
      fields.set(`${at}.gas.baselineLevel`, `${p}-gas-baseline`);
      if (!text(body, `${p}-gas-baseline`))
        wording.set(`${at}.gas.baselineLevel`, `${label}: choose where things are now`);
      fields.set(`${at}.gas.importance`, `${p}-gas-importance`);
      fields.set(`${at}.gas.difficulty`, `${p}-gas-difficulty`);
      fields.set(`${at}.gas.weight`, `${p}-gas-importance`);
    }
    newOutcomes.push({
      statement,
      whyItMatters: why,
      domainIds,
      importance: optionalNumber(text(body, `${p}-importance`)),
      ratings,
      gas,
    });
  }

  // Outcomes the person already has are reviewed only after a first conversation.
  const ratings: Record<string, unknown>[] = [];
  const gasAttainments: Record<string, unknown>[] = [];
  const outcomeStatuses: Record<string, unknown>[] = [];
  if (kind !== 'first') {
    for (const name of Object.keys(body)) {
      const match = EXISTING_FIELD.exec(name);
      const raw = text(body, name);
      if (!match || !raw) continue;
      const [, part, outcomeId, viewpoint] = match;
      if (part === 'rating' && viewpoint) {
        fields.set(`ratings.${ratings.length}`, name);
        ratings.push({ outcomeId, viewpoint, score: numberOrText(raw) });
      } else if (part === 'gas' && !viewpoint) {
        fields.set(`gasAttainments.${gasAttainments.length}`, name);
        gasAttainments.push({ outcomeId, level: numberOrText(raw) });
      } else if (part === 'status' && !viewpoint && raw !== 'active') {
        fields.set(`outcomeStatuses.${outcomeStatuses.length}`, name);
        outcomeStatuses.push({ outcomeId, status: raw });
      }
    }
  }

  const input = {
    kind,
    heldOn: heldOn.value ?? '',
    summary: text(body, 'summary'),
    whatHelped: text(body, 'whatHelped'),
    whatGotInTheWay: text(body, 'whatGotInTheWay'),
    nextReviewDate: nextReview.value,
    participants,
    newOutcomes,
    ratings,
    gasAttainments,
    outcomeStatuses,
  };
  const fixed: Record<string, string> = {
    heldOn: 'heldOn-day',
    nextReviewDate: 'nextReview-day',
    participants: 'participants',
    summary: 'summary',
    whatHelped: 'whatHelped',
    whatGotInTheWay: 'whatGotInTheWay',
    newOutcomes: 'new-0-statement',
  };
  return {
    // Values the form could not read travel as typed; the contract, checked by the service, names them.
    input: input as unknown as RecordConversationInput,
    fieldFor: (path) =>
      fixed[path] ??
      longestKnown(fields, path) ??
      (path.startsWith('newOutcomes.') ? 'new-0-statement' : 'summary'),
    wordingFor: (path) => {
      const own = wording.get(path);
      if (own) return own;
      const label = longestKnown(fields, path, 'label:');
      return label ? `${label}:` : undefined;
    },
  };
}

/** The value for the longest known prefix of a dotted path (`a.b.c`, then `a.b`, then `a`). */
function longestKnown(map: Map<string, string>, path: string, prefix = ''): string | undefined {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const found = map.get(`${prefix}${parts.slice(0, n).join('.')}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * A service's refusal as errors on the form's fields. A wording ending in ":" is a label put before
 * the service's own message ("Outcome 2: Score must be 4 or less."); any other wording replaces it.
 * Not found and not allowed are not the form's to show: they go to the error pages.
 */
export function errorsOnForm(
  error: unknown,
  form: Pick<MappedForm<unknown>, 'fieldFor' | 'wordingFor'>,
): FieldError[] {
  if (error instanceof ServiceError && (error.status === 403 || error.status === 404)) throw error;
  return formErrors(error, (path) => path).map(({ field: path, message }) => {
    const wording = form.wordingFor(path);
    return {
      field: form.fieldFor(path),
      message: !wording ? message : wording.endsWith(':') ? `${wording} ${message}` : wording,
    };
  });
}
