import type { Consent } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { derivedUuid, isUuid, parseReference } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import { recorderIdOf } from '../../domain/interop/recorded-by.js';
import type { SharingBasisKind } from '../../domain/sharing.js';
import { recordingOf, withdrawalOf, withdrawnByOf } from '../../features/sharing/fhir-consent.js';
import { RecordSharingBasisContract, WithdrawSharingBasisContract } from '../../features/sharing/schema.js';
import { ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import { wellFormed } from './handler.js';

/**
 * A Consent as a basis for sharing the person's record to restore on import (bulk-import.ts): the
 * organisation, basis, purpose and note read by the Consent mapping's `recordingOf` (the one
 * from-FHIR mapping, checked as recording a basis is), and what only a record's history has, read
 * here: when it was recorded (`dateTime`, else `provision.period.start`) and, for an `inactive`
 * Consent, when it was withdrawn (`provision.period.end`, else `meta.lastUpdated`: withdrawing is
 * the only change a basis takes) and why (the mapping's `withdrawalOf`). Kept under its id: ours
 * as it is, another system's derived from it. Who recorded it is the Practitioner our
 * `recorded-by` extension names (domain/interop/recorded-by.ts) when that account is held here or
 * imported with it, else the import's account; who withdrew it, likewise the Practitioner our
 * `withdrawn-by` extension names (`performer` is who agrees, and read-only), else the import's.
 */
export interface ConsentToRestore {
  basisId: string;
  organisationId: string;
  basis: SharingBasisKind;
  purpose: string;
  note: string;
  /** When it was recorded, or null for now. */
  recordedAt: string | null;
  /** Null while in force. */
  withdrawal: {
    at: string | null;
    reason: string | null;
    /** The Practitioner (its id in the input) who withdrew it, when `withdrawn-by` names one. */
    by: string | null;
  } | null;
  /** The Practitioner (its id in the input) who recorded it, when the Consent names one. */
  recordedBy: string | null;
}

/**
 * The id an Organization is kept under by import: its own when it is a uuid (ours, from $export),
 * else one derived from it, the same on every run.
 */
export function importedOrganisationId(sourceId: string): string {
  return isUuid(sourceId) ? sourceId : derivedUuid('fhir-import', 'Organization', sourceId);
}

const invalid = (message: string, element: string) =>
  new ServiceError(422, 'Invalid Consent', message, `Consent.${element}`);

/** A date and time as an ISO instant, or null when absent; refused naming the element when not one. */
function instant(value: string | undefined, element: string): string | null {
  if (value === undefined) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalid(`${element} is not a date and time.`, element);
  return new Date(time).toISOString();
}

export function consentToRestore(consent: Consent, personId: string): ConsentToRestore {
  return wellFormed('Consent', () => read(consent, personId));
}

function read(consent: Consent, personId: string): ConsentToRestore {
  if (consent.status !== 'active' && consent.status !== 'inactive')
    throw invalid('status must be active (in force) or inactive (withdrawn).', 'status');
  // The organisation as this import keeps it (another system's id derived), and the person as the
  // import registers them: the mapping takes only our ids.
  const organisationRef = (reference: string | undefined) => {
    const target = reference ? parseReference(reference) : null;
    return target?.type === 'Organization' ? `Organization/${importedOrganisationId(target.id)}` : reference;
  };
  const asOurs: Consent = {
    ...consent,
    patient: { reference: `Patient/${personId}` },
    ...(consent.organization
      ? { organization: consent.organization.map((o) => ({ ...o, reference: organisationRef(o.reference) })) }
      : {}),
    ...(consent.provision?.actor
      ? {
          provision: {
            ...consent.provision,
            actor: consent.provision.actor.map((a) => ({
              ...a,
              reference: { ...a.reference, reference: organisationRef(a.reference?.reference) },
            })),
          },
        }
      : {}),
  };
  const recorder = recorderIdOf(consent.extension);
  if (recorder.problem) throw invalid(recorder.problem, 'extension');
  const recording = recordingOf(asOurs);
  const [problem] = RecordSharingBasisContract.problems(recording);
  if (problem) throw invalid(`${problem.field} ${problem.message}`, 'extension');
  const period = consent.provision?.period;
  const recordedAt =
    instant(consent.dateTime, 'dateTime') ?? instant(period?.start, 'provision.period.start');
  let withdrawal: ConsentToRestore['withdrawal'] = null;
  if (consent.status === 'inactive') {
    // withdrawalOf reads the reason (its one definition); it refuses a withdrawal without one, which
    // as an update it must, but the person may withdraw without saying why: history keeps that.
    let reason: string | null = null;
    try {
      reason = withdrawalOf(asOurs, { ...asOurs, status: 'active' })?.reason ?? null;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
    }
    const [tooLong] = WithdrawSharingBasisContract.problems({ ...(reason ? { reason } : {}) });
    if (tooLong) throw invalid(`The withdrawal reason ${tooLong.message}`, 'extension');
    const by = withdrawnByOf(consent);
    if (by.problem) throw invalid(by.problem, 'extension');
    withdrawal = {
      by: by.id,
      at:
        instant(period?.end, 'provision.period.end') ??
        instant(consent.meta?.lastUpdated, 'meta.lastUpdated'),
      reason,
    };
  } else if (period?.end !== undefined) {
    throw invalid(
      'A basis in force (status active) has no end: leave out provision.period.end.',
      'provision.period.end',
    );
  }
  return {
    basisId: importedRowId(
      personId,
      'Consent',
      consent.id ?? `${recording.organisationId}/${recording.basis}`,
    ),
    organisationId: recording.organisationId,
    basis: recording.basis,
    purpose: recording.purpose,
    note: recording.note?.trim() ?? '',
    recordedAt,
    withdrawal,
    recordedBy: recorder.id,
  };
}

/**
 * Of a person's Consents, the one that is the basis registering them writes (bulk-import.ts): in
 * force, direct care, by the organisation they are registered into. It takes that basis's place,
 * so the registration does not record the same basis twice.
 */
export function registrationConsent(
  consents: readonly ConsentToRestore[],
  organisationId: string,
): ConsentToRestore | undefined {
  return consents.find(
    (c) => !c.withdrawal && c.basis === 'direct-care' && c.organisationId === organisationId,
  );
}

/**
 * The organisation a person's record came from, as their Consents say: the one whose direct-care
 * basis is in force (the lead team's organisation, as registering records it), when it is held
 * here (`known`). Null when they name none held: the import's own organisation registers them.
 */
export function registeringOrganisation(
  consents: readonly ConsentToRestore[],
  known: ReadonlySet<string>,
): string | null {
  return (
    consents.find((c) => !c.withdrawal && c.basis === 'direct-care' && known.has(c.organisationId))
      ?.organisationId ?? null
  );
}

/** The bases held for `personIds`: their ids, and what is in force (keys person/organisation/basis). */
export async function heldSharingBases(
  db: Kysely<DB>,
  personIds: string[],
): Promise<{ ids: Set<string>; inForce: Set<string> }> {
  const ids = new Set<string>();
  const inForce = new Set<string>();
  if (personIds.length === 0) return { ids, inForce };
  const rows = await db
    .selectFrom('sharing_basis')
    .select(['person_id', 'basis_id', 'organisation_id', 'basis', 'withdrawn_at'])
    .where('person_id', 'in', personIds)
    .execute();
  for (const r of rows) {
    ids.add(`${r.person_id}/${r.basis_id}`);
    if (!r.withdrawn_at) inForce.add(`${r.person_id}/${r.organisation_id}/${r.basis}`);
  }
  return { ids, inForce };
}

/** The organisations of `organisationIds` held here. */
export async function heldOrganisations(db: Kysely<DB>, organisationIds: string[]): Promise<Set<string>> {
  if (organisationIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', 'in', [...new Set(organisationIds)])
    .execute();
  return new Set(rows.map((r) => r.organisation_id));
}
