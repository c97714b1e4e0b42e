import type { Encounter, EncounterParticipant, Extension } from '@medplum/fhirtypes';
import { CONVERSATION_KIND_LABELS } from '../../domain/conversations.js';
import {
  CONVERSATION_ENCOUNTER_CLASS,
  CONVERSATION_KIND_SYSTEM,
  CONVERSATION_SUMMARY_EXTENSION,
  NEXT_REVIEW_DATE_EXTENSION,
  PARTICIPANT_KIND_SYSTEM,
  PARTICIPANT_ORGANISATION_EXTENSION,
  WHAT_GOT_IN_THE_WAY_EXTENSION,
  WHAT_HELPED_EXTENSION,
} from '../../domain/interop/encounter.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import { recordedByExtension } from '../../domain/interop/recorded-by.js';
import type { FhirContext } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { ConversationParticipant, RecordedConversationRow } from './conversation-service.js';

/**
 * Encounter: one per good conversation, id = personRowId(person, conversation), so the id names
 * the conversation and the person it is about (as Goal's and RelatedPerson's do).
 *
 * - status `finished` (a conversation is recorded once it is held); class AMB
 *   (CONVERSATION_ENCOUNTER_CLASS: the record does not say where or how it was held).
 * - type: the kind exactly (`first`, `review`, `other`) in our conversation-kind code system.
 * - subject: the Patient; period.start: the day it was held (a date: no time is recorded).
 * - participant: who took part in the order recorded, each with its participant id as the
 *   element id, its kind in our participant-kind code system, its role as `text` of a second type,
 *   the name as `individual.display` (a user's also as Practitioner/{userId}) and the organisation
 *   they took part for in our participant-organisation extension.
 * - summary, what helped, what got in the way and the next review agreed: our extensions.
 * - Who recorded it: our `recorded-by` extension (domain/interop/recorded-by.ts), a member of
 *   staff's Practitioner (R4 Encounter has no recorder, and a participant is someone who took
 *   part); left out when a system recorded it (an import, an API client).
 * - Not shown: the outcomes, ratings and GAS scores recorded at it (their Goals and Observations).
 *
 * Conversations are not versioned (migration 0029 does not count their changes, and nothing
 * changes one once recorded): every Encounter is version 1, last updated when it was recorded.
 * Read only: a conversation is recorded through its form, with what matters and ratings at once.
 */

function participantOf(p: ConversationParticipant): EncounterParticipant {
  return {
    id: p.participantId,
    ...(p.organisationId
      ? {
          extension: [
            {
              url: PARTICIPANT_ORGANISATION_EXTENSION,
              valueReference: {
                reference: `Organization/${p.organisationId}`,
                ...(p.organisationName ? { display: p.organisationName } : {}),
              },
            },
          ],
        }
      : {}),
    type: [
      { coding: [{ system: PARTICIPANT_KIND_SYSTEM, code: p.kind }] },
      ...(p.role.trim() ? [{ text: p.role }] : []),
    ],
    individual: {
      ...(p.userId ? { reference: `Practitioner/${p.userId}` } : {}),
      display: p.name,
    },
  };
}

export function encounterOf(personId: string, c: RecordedConversationRow): Encounter {
  const text = (url: string, value: string): Extension[] =>
    value.trim() ? [{ url, valueString: value }] : [];
  const extension: Extension[] = [
    ...text(CONVERSATION_SUMMARY_EXTENSION, c.summary),
    ...text(WHAT_HELPED_EXTENSION, c.whatHelped),
    ...text(WHAT_GOT_IN_THE_WAY_EXTENSION, c.whatGotInTheWay),
    ...(c.nextReviewDate ? [{ url: NEXT_REVIEW_DATE_EXTENSION, valueDate: c.nextReviewDate }] : []),
    ...recordedByExtension(c.recordedBy),
  ];
  const label = CONVERSATION_KIND_LABELS[c.kind];
  return {
    resourceType: 'Encounter',
    id: personRowId(personId, c.conversationId),
    meta: { versionId: '1', lastUpdated: c.recordedAt },
    ...(extension.length ? { extension } : {}),
    status: 'finished',
    class: { ...CONVERSATION_ENCOUNTER_CLASS },
    type: [{ coding: [{ system: CONVERSATION_KIND_SYSTEM, code: c.kind, display: label }], text: label }],
    subject: { reference: `Patient/${personId}` },
    ...(c.participants.length ? { participant: c.participants.map(participantOf) } : {}),
    period: { start: c.heldOn },
  };
}

const params: SearchParamDefinition<Encounter>[] = [
  {
    name: 'date',
    type: 'date',
    documentation: 'The day the conversation was held (period.start)',
    valuesOf: (e) => (e.period?.start ? [{ start: e.period.start }] : []),
  },
  {
    name: 'type',
    type: 'token',
    documentation: `The kind of conversation: ${CONVERSATION_KIND_SYSTEM}|first, review or other`,
    valuesOf: (e) =>
      (e.type ?? []).flatMap((t) => (t.coding ?? []).map((x) => ({ system: x.system, code: x.code ?? '' }))),
  },
];

async function encountersOf(ctx: FhirContext, personId: string): Promise<Encounter[]> {
  const rows = await ctx.services.conversations.recordedConversations(ctx.actor, personId);
  return rows.map((c) => encounterOf(personId, c));
}

/** encountersOf for many people at once (bulk export), the grants checked by the caller. */
async function encountersOfEach(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, Encounter[]>> {
  const conversations = await ctx.services.conversations.recordedConversationsOfEach(grants);
  return new Map(
    [...conversations].map(([personId, rows]) => [personId, rows.map((c) => encounterOf(personId, c))]),
  );
}

export const encounterFhir = personResources<Encounter>({
  type: 'Encounter',
  documentation:
    'The person’s good conversations (first conversation, review, other), one Encounter each: when, the kind (type), who took part with their roles, and the summary, what helped, what got in the way and the next review as extensions. Read only. Conversations keep no versions: each is version 1, last updated when it was recorded.',
  searchParams: params,
  listForPerson: encountersOf,
  listForPeople: encountersOfEach,
});
