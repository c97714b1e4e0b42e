import type { Consent, Extension } from '@medplum/fhirtypes';
import { isUuid, parsePersonRowId, parseReference, personRowId } from '../../domain/interop/fhir-ids.js';
import type { SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import {
  practitionerIdOf,
  RECORDED_BY_EXTENSION,
  type RecorderAccount,
  recordedByExtension,
  WITHDRAWN_BY_EXTENSION,
} from '../../domain/interop/recorded-by.js';
import { whatmattersCodeSystem, whatmattersExtension } from '../../domain/interop/uk-core.js';
import {
  isSharingBasis,
  SHARING_BASES,
  SHARING_BASIS_LABELS,
  type SharingBasisKind,
} from '../../domain/sharing.js';
import { elementRules, type FhirContext, wellFormed } from '../../interop/fhir/handler.js';
import { personResources } from '../../interop/fhir/person-resources.js';
import { ServiceError } from '../../services/errors.js';
import type { AccessGrant } from '../record-access/person-access.js';
import type { RecordSharingBasisInput, SharingBasis } from './schema.js';

/**
 * Consent: one recorded basis for sharing the person's record with an organisation
 * (`sharing_basis`), id = personRowId(person, basis). In force = `active`; withdrawn = `inactive`.
 *
 * - scope: `patient-privacy` (http://terminology.hl7.org/CodeSystem/consentscope, required binding).
 * - category: LOINC 59284-0 "Consent Document", a code of the R4 Consent Category value set
 *   (https://hl7.org/fhir/R4/valueset-consent-category.html).
 * - policyRule: our basis (consent, direct care, legal duty, vital interests, safeguarding) under
 *   our code system `sharing-basis`, the one vocabulary of domain/sharing.ts.
 * - organization and provision.actor (role IRCP, information recipient): the organisation that
 *   sees the record; provision.period: from when it was recorded until it was withdrawn.
 * - Our extensions: the purpose (`sharing-purpose`), the note (`sharing-note`) and, once
 *   withdrawn, why (`sharing-withdrawal-reason`); who recorded it (`recorded-by`, a member of
 *   staff's Practitioner; read only: R4 `performer` is who agrees, not who recorded it) and, once
 *   withdrawn, who withdrew it (`withdrawn-by`: a member of staff's Practitioner, the person's
 *   Patient, or a carer as a RelatedPerson by name; read only, like recorded-by).
 * - Read only: dateTime (when recorded), performer (the person, when the basis is their consent),
 *   provision.period.
 */
export type VersionedSharingBasis = SharingBasis & {
  versionId: number;
  lastUpdated: Date;
  /** Who recorded it: our `recorded-by` extension names a member of staff (domain/interop/recorded-by.ts). */
  recordedByAccount?: RecorderAccount;
  /** Who withdrew it; `personId` is the person an account belongs to (none for a member of staff). */
  withdrawnByAccount?: RecorderAccount & { personId: string | null };
};

/**
 * The `withdrawn-by` extension: a member of staff as their Practitioner (as recorded-by writes
 * one), the person withdrawing their own as their Patient, a carer by name as a RelatedPerson
 * (the account is not a RelatedPerson's id; as a carer's rating names them); none for a system's.
 */
function withdrawnByExtension(
  personId: string,
  account: VersionedSharingBasis['withdrawnByAccount'],
): Extension[] {
  if (!account || account.system) return [];
  if (account.personId === null) return recordedByExtension(account, WITHDRAWN_BY_EXTENSION);
  const valueReference =
    account.personId === personId
      ? { reference: `Patient/${personId}`, display: account.name }
      : { type: 'RelatedPerson' as const, display: account.name };
  return [{ url: WITHDRAWN_BY_EXTENSION, valueReference }];
}

/**
 * The Practitioner (its id in the input) our `withdrawn-by` extension names, null when it names
 * the person, a carer or no one; more than one is refused (`problem`). Read by bulk import.
 */
export function withdrawnByOf(c: Consent): { id: string | null; problem: string | null } {
  const found = (c.extension ?? []).filter((e) => e.url === WITHDRAWN_BY_EXTENSION);
  if (found.length > 1) return { id: null, problem: 'Who withdrew it is one reference.' };
  return { id: practitionerIdOf(found[0]?.valueReference?.reference), problem: null };
}

export const SHARING_BASIS_SYSTEM = whatmattersCodeSystem('sharing-basis');
const PURPOSE_EXTENSION = whatmattersExtension('sharing-purpose');
const NOTE_EXTENSION = whatmattersExtension('sharing-note');
const WITHDRAWAL_REASON_EXTENSION = whatmattersExtension('sharing-withdrawal-reason');
const CONSENT_SCOPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/consentscope';
const LOINC = 'http://loinc.org';
const PARTICIPATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

export function consentOf(personId: string, b: VersionedSharingBasis): Consent {
  const extension: Extension[] = [
    { url: PURPOSE_EXTENSION, valueString: b.purpose },
    ...(b.note.trim() ? [{ url: NOTE_EXTENSION, valueString: b.note }] : []),
    ...(b.withdrawalReason?.trim()
      ? [{ url: WITHDRAWAL_REASON_EXTENSION, valueString: b.withdrawalReason }]
      : []),
    ...(b.recordedByAccount ? recordedByExtension(b.recordedByAccount) : []),
    ...(b.withdrawnAt ? withdrawnByExtension(personId, b.withdrawnByAccount) : []),
  ];
  const organisation = { reference: `Organization/${b.organisationId}`, display: b.organisationName };
  return {
    resourceType: 'Consent',
    id: personRowId(personId, b.basisId),
    meta: { versionId: String(b.versionId), lastUpdated: b.lastUpdated.toISOString() },
    extension,
    status: b.withdrawnAt ? 'inactive' : 'active',
    scope: {
      coding: [{ system: CONSENT_SCOPE_SYSTEM, code: 'patient-privacy', display: 'Privacy Consent' }],
    },
    category: [{ coding: [{ system: LOINC, code: '59284-0', display: 'Consent Document' }] }],
    patient: { reference: `Patient/${personId}` },
    dateTime: b.recordedAt,
    ...(b.basis === 'consent' ? { performer: [{ reference: `Patient/${personId}` }] } : {}),
    organization: [organisation],
    policyRule: {
      coding: [{ system: SHARING_BASIS_SYSTEM, code: b.basis, display: SHARING_BASIS_LABELS[b.basis] }],
    },
    provision: {
      type: 'permit',
      period: { start: b.recordedAt, ...(b.withdrawnAt ? { end: b.withdrawnAt } : {}) },
      actor: [
        {
          role: {
            coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code: 'IRCP', display: 'information recipient' }],
          },
          reference: organisation,
        },
      ],
    },
  };
}

const PROVISION_KEPT = new Set(['type', 'period', 'actor']);

const { bad, keepOnly, unkeptExtension } = elementRules('Consent', [
  'resourceType',
  'id',
  'meta',
  'text',
  'extension',
  'status',
  'scope',
  'category',
  'patient',
  'dateTime',
  'performer',
  'organization',
  'policyRule',
  'provision',
]);
// Who recorded and who withdrew it are read-only (the caller is who records or withdraws); bulk import reads them.
const EXTENSIONS = new Set([
  PURPOSE_EXTENSION,
  NOTE_EXTENSION,
  WITHDRAWAL_REASON_EXTENSION,
  RECORDED_BY_EXTENSION,
  WITHDRAWN_BY_EXTENSION,
]);

const extensionText = (c: Consent, url: string) => c.extension?.find((e) => e.url === url)?.valueString;

/** The person a Consent is about: its `patient`. */
export function patientOfConsent(c: Consent): string {
  const patient = c.patient?.reference ? parseReference(c.patient.reference) : null;
  if (patient?.type !== 'Patient' || !isUuid(patient.id))
    throw bad('Give the person: patient = Patient/{id}.', 'patient');
  return patient.id;
}

function organisationOf(c: Consent): string {
  const references = [
    ...(c.organization ?? []).map((o) => o.reference),
    ...(c.provision?.actor ?? []).map((a) => a.reference?.reference),
  ].flatMap((r) => (r ? [r] : []));
  const ids = new Set(
    references.map((r) => {
      const target = parseReference(r);
      if (target?.type !== 'Organization' || !isUuid(target.id)) {
        throw bad(
          'The organisation that sees the record is an Organization/{id}.',
          'provision.actor.reference',
        );
      }
      return target.id;
    }),
  );
  if (ids.size !== 1) {
    throw bad(
      'Name the one organisation that sees the record (organization, or provision.actor with role IRCP).',
      'organization',
    );
  }
  return [...ids][0] as string;
}

function basisOf(c: Consent): SharingBasisKind {
  const code = c.policyRule?.coding?.find((x) => x.system === SHARING_BASIS_SYSTEM)?.code;
  if (!isSharingBasis(code)) {
    throw bad(
      `Give the basis as policyRule, a code of ${SHARING_BASIS_SYSTEM}: ${SHARING_BASES.join(', ')}.`,
      'policyRule',
    );
  }
  return code;
}

/** What a Consent asks to record: the RecordSharingBasis contract's input. */
export function recordingOf(c: Consent): RecordSharingBasisInput {
  keepOnly(c);
  for (const ext of c.extension ?? []) {
    if (!EXTENSIONS.has(ext.url)) throw unkeptExtension(ext.url);
  }
  const scope = c.scope?.coding?.some(
    (x) => x.system === CONSENT_SCOPE_SYSTEM && x.code === 'patient-privacy',
  );
  if (!scope) throw bad(`The scope is patient-privacy (${CONSENT_SCOPE_SYSTEM}).`, 'scope');
  if (c.provision && c.provision.type !== undefined && c.provision.type !== 'permit') {
    throw bad('A basis for sharing permits; give provision.type permit.', 'provision.type');
  }
  keepOnly(c.provision ?? {}, PROVISION_KEPT, 'provision');
  const purpose = extensionText(c, PURPOSE_EXTENSION)?.trim();
  if (!purpose)
    throw bad(
      `Say what the record is shared for (extension ${PURPOSE_EXTENSION}, valueString).`,
      'extension',
    );
  const note = extensionText(c, NOTE_EXTENSION);
  return {
    organisationId: organisationOf(c),
    basis: basisOf(c),
    purpose,
    ...(note ? { note } : {}),
  };
}

/**
 * A replacement of a Consent may only withdraw it: status inactive, saying why (extension
 * `sharing-withdrawal-reason`). Any other change is refused naming the element, since a basis is
 * never edited (a different basis is a new Consent).
 */
export function withdrawalOf(next: Consent, current: Consent): { reason: string } | null {
  const wanted = recordingOf(next);
  const now = recordingOf(current);
  const fields: [keyof RecordSharingBasisInput, string][] = [
    ['organisationId', 'organization'],
    ['basis', 'policyRule'],
    ['purpose', 'extension'],
    ['note', 'extension'],
  ];
  for (const [field, element] of fields) {
    if ((wanted[field] ?? '') !== (now[field] ?? '')) {
      throw bad(
        `A recorded basis is not changed; withdraw it (status inactive) and record a new one. ${element} differs.`,
        element,
      );
    }
  }
  if (next.status === current.status) return null;
  if (current.status !== 'active' || next.status !== 'inactive') {
    throw bad('The only change is withdrawing a basis in force: status active to inactive.', 'status');
  }
  const reason = extensionText(next, WITHDRAWAL_REASON_EXTENSION)?.trim();
  if (!reason)
    throw bad(
      `Say why it is withdrawn (extension ${WITHDRAWAL_REASON_EXTENSION}, valueString).`,
      'extension',
    );
  return { reason };
}

const params: SearchParamDefinition<Consent>[] = [
  {
    name: 'status',
    type: 'token',
    documentation: 'active (in force) or inactive (withdrawn)',
    valuesOf: (c) => [{ code: c.status }],
  },
  {
    name: 'date',
    type: 'date',
    documentation: 'When the basis was recorded',
    valuesOf: (c) => (c.dateTime ? [{ start: c.dateTime }] : []),
  },
  {
    name: 'organization',
    type: 'reference',
    documentation: 'The organisation that sees the record (Organization/{id})',
    valuesOf: (c) => (c.organization ?? []).flatMap((o) => (o.reference ? [o.reference] : [])),
  },
  {
    name: 'policy-rule',
    type: 'token',
    documentation: `The basis: ${SHARING_BASIS_SYSTEM}|{${SHARING_BASES.join(', ')}}`,
    valuesOf: (c) => (c.policyRule?.coding ?? []).map((x) => ({ system: x.system, code: x.code ?? '' })),
  },
];

async function listConsents(ctx: FhirContext, personId: string): Promise<Consent[]> {
  const bases = await ctx.services.sharing.versionedList(ctx.actor, personId);
  return bases.map((b) => consentOf(personId, b));
}

/** Every person's Consents at once (bulk export), after the caller checked and audited each grant. */
async function listConsentsOfEach(
  ctx: FhirContext,
  grants: readonly AccessGrant[],
): Promise<Map<string, Consent[]>> {
  const bases = await ctx.services.sharing.versionedListOfEach(grants);
  return new Map([...bases].map(([personId, of]) => [personId, of.map((b) => consentOf(personId, b))]));
}

async function readBack(ctx: FhirContext, personId: string, id: string): Promise<Consent> {
  const found = (await listConsents(ctx, personId)).find((c) => c.id === id);
  if (!found) throw new ServiceError(404, 'Not found', `No Consent with the id ${id}.`);
  return found;
}

export const consentFhir = personResources<Consent>({
  type: 'Consent',
  documentation:
    'The recorded bases for sharing the person’s record with an organisation (consent, direct care, legal duty, vital interests, safeguarding). Create records a basis; update may only withdraw one (status inactive, with the reason in the sharing-withdrawal-reason extension).',
  searchParams: params,
  includes: [
    {
      name: 'Consent:organization',
      referencesOf: (c) => (c.organization ?? []).flatMap((o) => (o.reference ? [o.reference] : [])),
    },
  ],
  listForPerson: listConsents,
  listForPeople: listConsentsOfEach,
  async create(ctx, consent) {
    const personId = wellFormed('Consent', () => patientOfConsent(consent));
    if (consent.status !== 'active') throw bad('A new basis is in force: give status active.', 'status');
    const basisId = await ctx.services.sharing.record(
      ctx.actor,
      personId,
      wellFormed('Consent', () => recordingOf(consent)),
    );
    return readBack(ctx, personId, personRowId(personId, basisId));
  },
  async update(ctx, id, consent, current) {
    const row = parsePersonRowId(id);
    if (!row) throw new ServiceError(404, 'Not found', `No Consent with the id ${id}.`);
    if (wellFormed('Consent', () => patientOfConsent(consent)) !== row.personId)
      throw bad('The patient cannot change.', 'patient');
    const withdrawal = wellFormed('Consent', () => withdrawalOf(consent, current));
    if (!withdrawal) return current;
    const { readerKeepsAccess } = await ctx.services.sharing.withdraw(
      ctx.actor,
      row.personId,
      row.rowId,
      withdrawal,
    );
    if (readerKeepsAccess) return readBack(ctx, row.personId, id);
    // Withdrawing the caller's own organisation's basis ends their sight of the record: answer
    // what was written, without reading it back (the next version, as the database numbers it).
    const now = new Date().toISOString();
    return {
      ...current,
      meta: { versionId: String(Number(current.meta?.versionId ?? '1') + 1), lastUpdated: now },
      extension: [
        ...(current.extension ?? []),
        { url: WITHDRAWAL_REASON_EXTENSION, valueString: withdrawal.reason },
      ],
      status: 'inactive',
      provision: { ...current.provision, period: { ...current.provision?.period, end: now } },
    };
  },
});
