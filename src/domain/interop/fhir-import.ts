import { derivedUuid, FHIR_ID, isUuid, parsePersonRowId, parseReference } from './fhir-ids.js';

/**
 * The pure parts of bulk import (interop/fhir/bulk-import.ts): reading resources from NDJSON lines
 * and from transaction/collection Bundles (their `urn:uuid:` fullUrls resolved to `Type/id`
 * references), finding the person each resource is about, and the id a resource is kept under.
 */

export interface FhirResourceLike {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}

/** A resource read from a file, or why a line or entry could not be read as one. */
export type ReadResource =
  | { ok: true; resource: FhirResourceLike; where: string }
  | { ok: false; where: string; type: string; id: string; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One NDJSON line as a resource (blank lines are nothing). `where` names the file and line. */
export function resourceOfLine(line: string, where: string): ReadResource | null {
  const text = line.trim();
  if (text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, where, type: '', id: '', reason: 'The line is not JSON.' };
  }
  return asResource(value, where);
}

function asResource(value: unknown, where: string): ReadResource {
  if (!isObject(value) || typeof value.resourceType !== 'string' || value.resourceType === '') {
    return { ok: false, where, type: '', id: '', reason: 'Not a FHIR resource: resourceType is missing.' };
  }
  if (value.id !== undefined && (typeof value.id !== 'string' || !FHIR_ID.test(value.id))) {
    return {
      ok: false,
      where,
      type: value.resourceType,
      id: String(value.id),
      reason: 'The id is not a FHIR id.',
    };
  }
  return { ok: true, resource: value as FhirResourceLike, where };
}

/**
 * The resources of a Bundle (transaction, batch or collection; a searchset's matches too), with
 * every `urn:uuid:` reference to another entry rewritten to that entry's `Type/id`. An entry with
 * no id takes the uuid of its `urn:uuid:` fullUrl (as a transaction would assign one).
 */
export function resourcesOfBundle(bundle: unknown, where: string): ReadResource[] {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') return [asResource(bundle, where)];
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const byFullUrl = new Map<string, string>();
  const read: ReadResource[] = [];
  entries.forEach((entry, index) => {
    const at = `${where} entry ${index}`;
    if (!isObject(entry) || !isObject(entry.resource)) {
      read.push({ ok: false, where: at, type: '', id: '', reason: 'The entry has no resource.' });
      return;
    }
    const resource = { ...entry.resource } as Record<string, unknown>;
    const fullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : '';
    const urnUuid = /^urn:uuid:([0-9a-fA-F-]{36})$/.exec(fullUrl)?.[1]?.toLowerCase();
    if (resource.id === undefined && urnUuid) resource.id = urnUuid;
    const one = asResource(resource, at);
    if (one.ok && fullUrl && typeof resource.id === 'string') {
      byFullUrl.set(fullUrl, `${one.resource.resourceType}/${resource.id}`);
    }
    read.push(one);
  });
  return read.map((r) => (r.ok ? { ...r, resource: rewriteReferences(r.resource, byFullUrl) } : r));
}

/** Every `reference` element naming a key of `map` rewritten to its value, deeply. */
export function rewriteReferences<T>(value: T, map: ReadonlyMap<string, string>): T {
  if (map.size === 0) return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v)) {
      out[key] = key === 'reference' && typeof inner === 'string' ? (map.get(inner) ?? inner) : walk(inner);
    }
    return out;
  };
  return walk(value) as T;
}

/** Types that are about no one person: imported before the people, from the whole input. */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'HealthcareService',
  'Questionnaire',
  'Location',
  'Medication',
  'Device',
]);

const refOf = (v: unknown): string | null =>
  isObject(v) && typeof v.reference === 'string' ? v.reference : null;

/**
 * The source id of the Patient a resource is about: its own id for a Patient, else its `patient`,
 * `subject`, `beneficiary` or `for` reference to a Patient. Null for a resource about no patient.
 */
export function patientKeyOf(resource: FhirResourceLike): string | null {
  if (resource.resourceType === 'Patient') return resource.id ?? null;
  // (`for`: a Task's person, R4 Task.for.)
  for (const element of ['patient', 'subject', 'beneficiary', 'for']) {
    const ref = refOf(resource[element]);
    const parsed = ref ? parseReference(ref) : null;
    if (parsed?.type === 'Patient') return parsed.id;
  }
  return null;
}

/**
 * The person uuid a Patient's source id is kept under: our own export's ids (a person's uuid) as
 * they are; any other id (another system's) as a uuid derived from it, the same on every import.
 */
export function importedPersonId(sourcePatientId: string): string {
  return isUuid(sourcePatientId.toLowerCase())
    ? sourcePatientId.toLowerCase()
    : derivedUuid('fhir-import', 'Patient', sourcePatientId);
}

/**
 * The row uuid a person's resource is kept under: the row of one of our own ids (person + row, for
 * the same person) as it is; any other id as a uuid derived from the type and id.
 */
export function importedRowId(personId: string, type: string, sourceId: string): string {
  const ours = parsePersonRowId(sourceId);
  if (ours && ours.personId === personId) return ours.rowId;
  return derivedUuid('fhir-import', type, sourceId);
}

/** Which of `buckets` spool files a person's resources go to: the same bucket for every resource. */
export function bucketOf(key: string, buckets: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % buckets;
}

/** What an import did, for the report (counts by type, and each skip with its reason). */
export interface ImportReport {
  dryRun: boolean;
  files: string[];
  /** Resources read (lines and Bundle entries that were resources). */
  read: number;
  /** Resources written, by type. */
  imported: Record<string, number>;
  /** Resources already held (an earlier import): nothing changed, by type. */
  unchanged: Record<string, number>;
  /** Resources (or elements of them) not imported, counted by type and reason. */
  skippedCounts: Record<string, number>;
  /** The first skips in full (type, id, where, reason); later ones are only counted. */
  skipped: { type: string; id: string; where: string; reason: string; element?: string }[];
  people: { imported: number; unchanged: number; refused: number };
  organisationId: string | null;
}

export const MAX_LISTED_SKIPS = 1000;

export function emptyReport(files: string[], dryRun: boolean): ImportReport {
  return {
    dryRun,
    files,
    read: 0,
    imported: {},
    unchanged: {},
    skippedCounts: {},
    skipped: [],
    people: { imported: 0, unchanged: 0, refused: 0 },
    organisationId: null,
  };
}

export function countInto(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** Records a skip: counted always, listed while the list is short. */
export function noteSkip(report: ImportReport, skip: ImportReport['skipped'][number]): void {
  countInto(
    report.skippedCounts,
    `${skip.type || 'unreadable'}${skip.element ? ` element ${skip.element}` : ''}: ${skip.reason}`,
  );
  if (report.skipped.length < MAX_LISTED_SKIPS) report.skipped.push(skip);
}
