import { createHash } from 'node:crypto';

/**
 * FHIR logical ids for rows of a person's record. The tables are keyed by (person, row), so an id
 * carries both: the person's uuid and the row's uuid as 32 hex digits each, 64 characters in all,
 * the longest id FHIR allows (`[A-Za-z0-9\-.]{1,64}`). Reading a resource by id is then one lookup
 * in the person's record, never a scan (or, on Citus, a fan-out over every shard).
 *
 * Resources about the person as a whole (Patient, CareTeam, CarePlan) take the person's uuid.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** FHIR R4 `id`: https://hl7.org/fhir/R4/datatypes.html#id */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const hex = (uuid: string) => uuid.replaceAll('-', '').toLowerCase();
const uuidOf = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function personRowId(personId: string, rowId: string): string {
  return `${hex(personId)}${hex(rowId)}`;
}

/** The person and row an id names, or null when it is not one of ours. */
export function parsePersonRowId(id: string): { personId: string; rowId: string } | null {
  if (!HEX64.test(id)) return null;
  return { personId: uuidOf(id.slice(0, 32)), rowId: uuidOf(id.slice(32)) };
}

/**
 * A uuid derived from names (RFC 4122 version 5 layout over SHA-1): the same names always give the
 * same uuid. For resources with no row of their own (a GAS baseline, a score of a response) and
 * for rows imported from another system, so importing twice finds the same rows.
 */
export function derivedUuid(...names: string[]): string {
  const h = createHash('sha1').update(names.join('\u0000')).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  return uuidOf(h.subarray(0, 16).toString('hex'));
}

/** `Patient/123` → { type: 'Patient', id: '123' }; also accepts an absolute URL ending so. */
export function parseReference(reference: string): { type: string; id: string } | null {
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return match ? { type: match[1] as string, id: match[2] as string } : null;
}
