import type { Encounter, Extension } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { todayIso } from '../../domain/calendar.js';
import { isConversationKind, PARTICIPANT_KINDS, type ParticipantKind } from '../../domain/conversations.js';
import {
  CONVERSATION_KIND_SYSTEM,
  CONVERSATION_SUMMARY_EXTENSION,
  NEXT_REVIEW_DATE_EXTENSION,
  PARTICIPANT_KIND_SYSTEM,
  PARTICIPANT_ORGANISATION_EXTENSION,
  WHAT_GOT_IN_THE_WAY_EXTENSION,
  WHAT_HELPED_EXTENSION,
} from '../../domain/interop/encounter.js';
import { derivedUuid, isUuid, parseReference } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { RECORDED_BY_EXTENSION, recorderIdOf } from '../../domain/interop/recorded-by.js';
import type {
  ConversationParticipant,
  RecordedConversationRow,
} from '../../features/outcomes/conversation-service.js';
import { RecordConversationContract } from '../../features/outcomes/schema.js';
import type { DB } from '../../store/schema.js';
import { elementRules, wellFormed } from './handler.js';

/**
 * An Encounter of ours (one carrying our conversation-kind coding in `type`: the Encounter
 * mapping, features/outcomes/fhir-encounter.ts, writes them) as a conversation to restore on
 * import (bulk-import.ts): the kind, the day held, the summary, what helped, what got in the way,
 * the next review and who took part (kind, name, role), checked against the RecordConversation
 * contract as recording one is, kept under its id (ours as it is, another system's derived from
 * it) and recorded at `meta.lastUpdated` (conversations keep no versions: that is when it was
 * recorded), else now. Who recorded it: the Practitioner our `recorded-by` extension names
 * (domain/interop/recorded-by.ts), when that account is held here or imported with it
 * (bulk-import.ts resolves it), else the import's account.
 * A participant's account and organisation are references to rows of another database: they are
 * kept only when held here (bulk-import.ts checks), else left out with the name and role kept.
 * Another system's Encounters (Synthea's visits) are not conversations: `isConversationEncounter`
 * tells them apart.
 */
/** A participant as recorded (its account and organisation kept only when held here), without the organisation's name. */
export type ParticipantToRestore = Omit<ConversationParticipant, 'organisationName'>;

/** A conversation as the service reads it for FHIR, with who recorded it as the input names them. */
export type ConversationToRestore = Omit<
  RecordedConversationRow,
  'recordedBy' | 'recordedAt' | 'participants'
> & {
  /** When it was recorded, or null for now. */
  recordedAt: string | null;
  /** The Practitioner (its id in the input) who recorded it, when the Encounter names one. */
  recordedBy: string | null;
  participants: ParticipantToRestore[];
};

/** Whether the Encounter is a conversation of ours: its `type` carries our conversation kind. */
export function isConversationEncounter(encounter: { readonly [element: string]: unknown }): boolean {
  const types = Array.isArray(encounter.type) ? (encounter.type as Encounter['type']) : [];
  return (types ?? []).some((t) => t?.coding?.some((c) => c?.system === CONVERSATION_KIND_SYSTEM));
}

const { bad, keepOnly, unkeptExtension } = elementRules('Encounter', [
  'resourceType',
  'id',
  'meta',
  'text',
  'extension',
  'status',
  'class',
  'type',
  'subject',
  'participant',
  'period',
]);
const PARTICIPANT_ELEMENTS = new Set(['id', 'extension', 'type', 'individual']);
const TEXT_EXTENSIONS = [
  CONVERSATION_SUMMARY_EXTENSION,
  WHAT_HELPED_EXTENSION,
  WHAT_GOT_IN_THE_WAY_EXTENSION,
] as const;

/** The Encounter's element each field of the RecordConversation input comes from. */
function elementOfField(field: string): string {
  if (field.startsWith('participants')) return 'participant';
  const of: Record<string, string> = { kind: 'type', heldOn: 'period.start', nextReviewDate: 'extension' };
  return of[field] ?? 'extension';
}

/** A calendar date, from a FHIR date or a dateTime (its day in the UK). */
function dayOf(value: string | undefined, element: string): string | null {
  if (value === undefined) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time))
    throw bad(`${element} is not a date.`, element);
  return todayIso(new Date(time));
}

function participantsOf(encounter: Encounter, conversationId: string): ParticipantToRestore[] {
  return (encounter.participant ?? []).map((p, i) => {
    const at = `participant[${i}]`;
    keepOnly(p, PARTICIPANT_ELEMENTS, at);
    let organisationId: string | null = null;
    for (const x of p.extension ?? []) {
      if (x.url !== PARTICIPANT_ORGANISATION_EXTENSION) throw unkeptExtension(x.url, `${at}.extension`);
      const org = x.valueReference?.reference ? parseReference(x.valueReference.reference) : null;
      if (org?.type !== 'Organization' || !isUuid(org.id))
        throw bad('The organisation is a reference to an Organization.', `${at}.extension`);
      organisationId = org.id;
    }
    const kinds = (p.type ?? []).flatMap((t) =>
      (t.coding ?? []).filter((c) => c.system === PARTICIPANT_KIND_SYSTEM).map((c) => c.code ?? ''),
    );
    const [kind] = kinds;
    if (kinds.length !== 1 || !(PARTICIPANT_KINDS as readonly string[]).includes(kind ?? ''))
      throw bad(
        `Give how they took part: one ${PARTICIPANT_KIND_SYSTEM} code (${PARTICIPANT_KINDS.join(', ')}).`,
        `${at}.type`,
      );
    const roles = (p.type ?? []).filter((t) => !t.coding?.length && t.text !== undefined);
    if (roles.length > 1)
      throw bad('Give the role once (the text of a type without a coding).', `${at}.type`);
    const user = p.individual?.reference ? parseReference(p.individual.reference) : null;
    if (p.individual?.reference && (user?.type !== 'Practitioner' || !isUuid(user.id)))
      throw bad('Someone who took part is named, or a Practitioner here.', `${at}.individual`);
    return {
      participantId:
        p.id && isUuid(p.id)
          ? p.id
          : derivedUuid('fhir-import', 'Encounter.participant', conversationId, `${i}`),
      kind: kind as ParticipantKind,
      name: (p.individual?.display ?? '').trim(),
      role: (roles[0]?.text ?? '').trim(),
      userId: user?.id ?? null,
      organisationId,
    };
  });
}

export function conversationToRestore(encounter: Encounter, personId: string): ConversationToRestore {
  return wellFormed('Encounter', () => {
    keepOnly(encounter);
    if (encounter.status !== 'finished')
      throw bad('A conversation is recorded once it is held: status is finished.', 'status');
    const kinds = (encounter.type ?? []).flatMap((t) =>
      (t.coding ?? []).filter((c) => c.system === CONVERSATION_KIND_SYSTEM).map((c) => c.code ?? ''),
    );
    const [kind] = kinds;
    if (kinds.length !== 1 || !kind || !isConversationKind(kind))
      throw bad(`Give the kind of conversation: one ${CONVERSATION_KIND_SYSTEM} code.`, 'type');
    const heldOn = dayOf(encounter.period?.start, 'period.start');
    if (!heldOn) throw bad('Give the day it was held (period.start).', 'period.start');
    const texts = new Map<string, string>();
    let nextReviewDate: string | null = null;
    for (const x of encounter.extension ?? ([] as Extension[])) {
      if ((TEXT_EXTENSIONS as readonly string[]).includes(x.url) && typeof x.valueString === 'string')
        texts.set(x.url, x.valueString.trim());
      else if (x.url === NEXT_REVIEW_DATE_EXTENSION && x.valueDate)
        nextReviewDate = dayOf(x.valueDate, 'extension');
      else if (x.url !== RECORDED_BY_EXTENSION) throw unkeptExtension(x.url);
    }
    const recorder = recorderIdOf(encounter.extension);
    if (recorder.problem) throw bad(recorder.problem, 'extension');
    const lastUpdated = encounter.meta?.lastUpdated;
    const time = lastUpdated === undefined ? null : Date.parse(lastUpdated);
    if (time !== null && Number.isNaN(time))
      throw bad('meta.lastUpdated is not a date and time.', 'meta.lastUpdated');
    const conversationId = importedRowId(
      personId,
      'Encounter',
      encounter.id ?? `${personId}/${heldOn}/${kind}/${lastUpdated ?? ''}`,
    );
    const conversation: ConversationToRestore = {
      conversationId,
      kind,
      heldOn,
      summary: texts.get(CONVERSATION_SUMMARY_EXTENSION) ?? '',
      whatHelped: texts.get(WHAT_HELPED_EXTENSION) ?? '',
      whatGotInTheWay: texts.get(WHAT_GOT_IN_THE_WAY_EXTENSION) ?? '',
      nextReviewDate,
      recordedAt: time === null ? null : new Date(time).toISOString(),
      recordedBy: recorder.id,
      participants: participantsOf(encounter, conversationId),
    };
    // Checked as recording one is (lengths, kinds, at least one who took part).
    const [problem] = RecordConversationContract.problems({
      kind: conversation.kind,
      heldOn: conversation.heldOn,
      summary: conversation.summary,
      whatHelped: conversation.whatHelped,
      whatGotInTheWay: conversation.whatGotInTheWay,
      nextReviewDate: conversation.nextReviewDate,
      participants: conversation.participants.map((p) => ({ kind: p.kind, name: p.name, role: p.role })),
    });
    if (problem) throw bad(`${problem.field} ${problem.message}`, elementOfField(problem.field));
    return conversation;
  });
}

/** The conversations of `personIds` already held (keys person/conversation). */
export async function heldConversations(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('conversation')
    .select(['person_id', 'conversation_id'])
    .where('person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => `${r.person_id}/${r.conversation_id}`));
}

/** Which of the accounts and organisations participants name are held here. */
export async function heldParticipantLinks(
  db: Kysely<DB>,
  userIds: string[],
  organisationIds: string[],
): Promise<{ users: Set<string>; organisations: Set<string> }> {
  const [users, organisations] = await Promise.all([
    userIds.length
      ? db
          .selectFrom('user_account')
          .select('user_id')
          .where('user_id', 'in', [...new Set(userIds)])
          .execute()
      : [],
    organisationIds.length
      ? db
          .selectFrom('organisation')
          .select('organisation_id')
          .where('organisation_id', 'in', [...new Set(organisationIds)])
          .execute()
      : [],
  ]);
  return {
    users: new Set(users.map((u) => u.user_id)),
    organisations: new Set(organisations.map((o) => o.organisation_id)),
  };
}
