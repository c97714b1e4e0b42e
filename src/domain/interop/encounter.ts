import { whatmattersCodeSystem, whatmattersExtension } from './uk-core.js';

/**
 * A good conversation as a FHIR Encounter (features/outcomes/fhir-encounter.ts) and back
 * (interop/fhir/import-conversations.ts): the code systems and extensions of ours it carries, in
 * one place for both directions.
 */

/** The conversation's kind (`first`, `review`, `other`: domain/conversations.ts), kept exactly in `type`. */
export const CONVERSATION_KIND_SYSTEM = whatmattersCodeSystem('conversation-kind');
/** How someone took part (`person`, `carer`, `practitioner`, `other`), in `participant.type`. */
export const PARTICIPANT_KIND_SYSTEM = whatmattersCodeSystem('conversation-participant-kind');

/** What was talked about, in the words recorded (string). */
export const CONVERSATION_SUMMARY_EXTENSION = whatmattersExtension('conversation-summary');
/** What helped (string). */
export const WHAT_HELPED_EXTENSION = whatmattersExtension('what-helped');
/** What got in the way (string). */
export const WHAT_GOT_IN_THE_WAY_EXTENSION = whatmattersExtension('what-got-in-the-way');
/** The next review agreed at the conversation (date); the record's next review comes from the latest. */
export const NEXT_REVIEW_DATE_EXTENSION = whatmattersExtension('next-review-date');
/** The organisation a participant took part for (Reference(Organization)), on `participant`. */
export const PARTICIPANT_ORGANISATION_EXTENSION = whatmattersExtension('participant-organisation');

/**
 * Encounter.class (v3 ActCode). A conversation's record says what kind it was, not where or how it
 * was held (in person, at home, by phone), so every one is an ambulatory contact: not inpatient,
 * not emergency. The kind itself is in `type`.
 */
export const CONVERSATION_ENCOUNTER_CLASS = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  code: 'AMB',
  display: 'ambulatory',
} as const;
