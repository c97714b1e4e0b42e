import type { Extension, Patient } from '@medplum/fhirtypes';
import { ETHNIC_CATEGORIES, SEXES } from '../../domain/demographics.js';
import { isUuid } from '../../domain/interop/fhir-ids.js';
import type { Criterion, ParsedSearch, SearchParamDefinition } from '../../domain/interop/fhir-search.js';
import {
  ETHNIC_CATEGORY_EXTENSION,
  ETHNIC_CATEGORY_SYSTEM,
  NHS_NUMBER_SYSTEM,
  UK_CORE_PATIENT_PROFILE,
} from '../../domain/interop/uk-core.js';
import { elementRules, type FhirContext, type FhirHandler } from '../../interop/fhir/handler.js';
import type { DateRange, PeopleFilter } from './patient-search-store.js';
import type { PersonDetails, RegisterPersonInput, UpdateContactInput } from './schema.js';

/**
 * Patient (UK Core): the person's details, in one mapping each way. The NHS number is the
 * identifier under NHS England's system; the ethnic category is UK Core's extension with the
 * England codes, which are ours one for one. Our sex values are FHIR's administrative genders.
 */
type Versioned = PersonDetails & { versionId: number; lastUpdated: Date };

export function patientOf(p: Versioned): Patient {
  const ethnic = ETHNIC_CATEGORIES.find((c) => c.code === p.ethnicCategory);
  const telecom = [
    ...(p.phone ? [{ system: 'phone' as const, value: p.phone }] : []),
    ...(p.email ? [{ system: 'email' as const, value: p.email }] : []),
  ];
  const address =
    p.address || p.postcode
      ? [{ ...(p.address ? { text: p.address } : {}), ...(p.postcode ? { postalCode: p.postcode } : {}) }]
      : [];
  return {
    resourceType: 'Patient',
    id: p.personId,
    meta: { versionId: String(p.versionId), lastUpdated: p.lastUpdated.toISOString() },
    ...(ethnic
      ? {
          extension: [
            {
              url: ETHNIC_CATEGORY_EXTENSION,
              valueCodeableConcept: {
                coding: [{ system: ETHNIC_CATEGORY_SYSTEM, code: ethnic.code, display: ethnic.label }],
              },
            },
          ],
        }
      : {}),
    ...(p.nhsNumber ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhsNumber }] } : {}),
    name: [
      { use: 'official', family: p.familyName, given: [p.givenName] },
      ...(p.preferredName ? [{ use: 'usual' as const, given: [p.preferredName] }] : []),
    ],
    ...(telecom.length ? { telecom } : {}),
    gender: p.sex as Patient['gender'],
    ...(p.dateOfBirth ? { birthDate: p.dateOfBirth } : {}),
    ...(address.length ? { address } : {}),
  };
}

/** Elements of a Patient this server keeps; anything else would be lost, so it is refused. */
const { bad, keepOnly, unkeptExtension } = elementRules('Patient', [
  'resourceType',
  'id',
  'meta',
  'text',
  'identifier',
  'name',
  'gender',
  'birthDate',
  'telecom',
  'address',
  'extension',
  'active',
]);

/** What a Patient asks to register: the people service's own contract input. */
export function registrationOf(patient: Patient): RegisterPersonInput {
  keepOnly(patient);
  const official =
    patient.name?.find((n) => n.use === 'official') ??
    patient.name?.find((n) => n.use !== 'usual') ??
    patient.name?.[0];
  const usual = patient.name?.find((n) => n.use === 'usual' && n !== official);
  const givenName = official?.given?.[0];
  const familyName = official?.family;
  if (!givenName) throw bad('Give the person’s first given name (name.given).', 'name.given');
  if (!familyName) throw bad('Give the person’s family name (name.family).', 'name.family');
  if (!patient.gender || !(SEXES as readonly string[]).includes(patient.gender)) {
    throw bad(`Give gender: one of ${SEXES.join(', ')}.`, 'gender');
  }
  const nhs = patient.identifier?.filter((i) => i.system === NHS_NUMBER_SYSTEM) ?? [];
  if (nhs.length > 1) throw bad('Give at most one NHS number.', 'identifier');
  const others = patient.identifier?.filter((i) => i.system !== NHS_NUMBER_SYSTEM) ?? [];
  if (others.length)
    throw bad(`Only the NHS number (${NHS_NUMBER_SYSTEM}) is kept as an identifier.`, 'identifier');
  const phones = patient.telecom?.filter((t) => t.system === 'phone') ?? [];
  const emails = patient.telecom?.filter((t) => t.system === 'email') ?? [];
  if (
    (patient.telecom?.length ?? 0) !== phones.length + emails.length ||
    phones.length > 1 ||
    emails.length > 1
  ) {
    throw bad('Only one phone number and one email address are kept.', 'telecom');
  }
  if ((patient.address?.length ?? 0) > 1) throw bad('Only one address is kept.', 'address');
  const [address] = patient.address ?? [];
  let ethnicCategory: string | null = null;
  for (const ext of patient.extension ?? []) {
    if (ext.url !== ETHNIC_CATEGORY_EXTENSION) throw unkeptExtension(ext.url);
    ethnicCategory = ethnicCodeOf(ext);
  }
  return {
    givenName,
    familyName,
    ...(usual?.given?.[0] ? { preferredName: usual.given[0] } : {}),
    dateOfBirth: patient.birthDate ?? null,
    nhsNumber: nhs[0]?.value ?? '',
    sex: patient.gender as RegisterPersonInput['sex'],
    ethnicCategory,
    postcode: address?.postalCode ?? null,
    phone: phones[0]?.value ?? null,
    email: emails[0]?.value ?? null,
  };
}

function ethnicCodeOf(ext: Extension): string {
  const coding = ext.valueCodeableConcept?.coding?.find((c) => c.system === ETHNIC_CATEGORY_SYSTEM);
  const code = coding?.code;
  if (!code || !ETHNIC_CATEGORIES.some((c) => c.code === code)) {
    throw bad(
      `The ethnic category must be a code of ${ETHNIC_CATEGORY_SYSTEM} (A to S, Z or 99).`,
      'extension',
    );
  }
  return code;
}

/**
 * A full replacement of a Patient may change only what the person or their care team may change
 * here (contact details); a different name, date of birth, sex, NHS number or ethnic category is
 * refused, naming the element, rather than silently ignored.
 */
export function contactChangesOf(next: Patient, current: Patient): UpdateContactInput {
  const wanted = registrationOf(next);
  const now = registrationOf(current);
  const fixed: [keyof RegisterPersonInput, string][] = [
    ['givenName', 'name.given'],
    ['familyName', 'name.family'],
    ['dateOfBirth', 'birthDate'],
    ['nhsNumber', 'identifier'],
    ['sex', 'gender'],
    ['ethnicCategory', 'extension'],
    ['postcode', 'address.postalCode'],
  ];
  for (const [field, element] of fixed) {
    if ((wanted[field] ?? null) !== (now[field] ?? null)) {
      throw bad(
        `${element} cannot be changed through FHIR; only contact details can (telecom, address.text, the usual name).`,
        element,
      );
    }
  }
  const changes: UpdateContactInput = {};
  if ((wanted.phone ?? null) !== (now.phone ?? null)) changes.phone = wanted.phone ?? '';
  if ((wanted.email ?? null) !== (now.email ?? null)) changes.email = wanted.email ?? '';
  if ((wanted.preferredName ?? '') !== (now.preferredName ?? ''))
    changes.preferredName = wanted.preferredName ?? '';
  const nextText = next.address?.[0]?.text ?? '';
  if (nextText !== (current.address?.[0]?.text ?? '')) changes.address = nextText;
  return changes;
}

const names = (p: Patient) =>
  (p.name ?? []).flatMap((n) => [...(n.given ?? []), ...(n.family ? [n.family] : [])]);

const params: SearchParamDefinition<Patient>[] = [
  {
    name: 'identifier',
    type: 'token',
    documentation: `The NHS number: ${NHS_NUMBER_SYSTEM}|{number}`,
    valuesOf: (p) => (p.identifier ?? []).map((i) => ({ system: i.system, code: i.value ?? '' })),
  },
  { name: 'name', type: 'string', documentation: 'Any part of a name, from its start', valuesOf: names },
  {
    name: 'family',
    type: 'string',
    documentation: 'The family name, from its start',
    valuesOf: (p) => (p.name ?? []).flatMap((n) => (n.family ? [n.family] : [])),
  },
  {
    name: 'given',
    type: 'string',
    documentation: 'A given name, from its start',
    valuesOf: (p) => (p.name ?? []).flatMap((n) => n.given ?? []),
  },
  {
    name: 'birthdate',
    type: 'date',
    documentation: 'The date of birth',
    valuesOf: (p) => (p.birthDate ? [{ start: p.birthDate }] : []),
  },
  {
    name: 'gender',
    type: 'token',
    documentation: 'female, male, other or unknown',
    valuesOf: (p) => (p.gender ? [{ code: p.gender }] : []),
  },
];

const dates = (c: Criterion): DateRange[] => (c.type === 'date' ? c.anyOf : []);

/** The search's criteria as a filter the database applies (so paging counts only matches). */
export function peopleFilterOf(search: ParsedSearch): PeopleFilter {
  const filter: PeopleFilter = {};
  const intersect = (have: string[] | undefined, next: string[]) =>
    have ? have.filter((v) => next.includes(v)) : next;
  for (const { name, criterion } of search.criteria) {
    if (criterion.type === 'token') {
      const tokens = criterion.anyOf as { system?: string; code?: string }[];
      if (name === '_id')
        filter.personIds = intersect(
          filter.personIds,
          tokens.flatMap((t) => (t.code && isUuid(t.code) ? [t.code] : [])),
        );
      if (name === 'identifier') {
        filter.nhsNumbers = intersect(
          filter.nhsNumbers,
          tokens.flatMap((t) =>
            t.code && (t.system === undefined || t.system === NHS_NUMBER_SYSTEM)
              ? [t.code.replaceAll(' ', '')]
              : [],
          ),
        );
      }
      if (name === 'gender')
        filter.sexes = intersect(
          filter.sexes,
          tokens.flatMap((t) => (t.code ? [t.code] : [])),
        );
    } else if (criterion.type === 'string') {
      // name, family and given all search the folded full name (search_name), from a word's start.
      filter.names = [...(filter.names ?? []), criterion.anyOf];
    } else if (name === 'birthdate') {
      filter.birthDates = [...(filter.birthDates ?? []), dates(criterion)];
    } else if (name === '_lastUpdated') {
      filter.lastUpdated = [...(filter.lastUpdated ?? []), dates(criterion)];
    }
  }
  return filter;
}

async function readPatient(ctx: FhirContext, id: string): Promise<Patient | null> {
  if (!isUuid(id)) return null;
  return patientOf(await ctx.services.people.versionedDetails(ctx.actor, id));
}

export const patientFhir: FhirHandler<Patient> = {
  type: 'Patient',
  documentation:
    'The people whose records are kept: NHS number (UK Core identifier), names, gender, birth date, contact details, ethnic category (UK Core extension). Create registers the person into the caller’s care team; update changes contact details only.',
  supportedProfiles: [UK_CORE_PATIENT_PROFILE],
  searchParams: params,
  searchNeedsPatient: false,
  keepsHistory: false,
  read: readPatient,
  async history(ctx, id) {
    const current = await readPatient(ctx, id);
    return current ? [current] : [];
  },
  async search(ctx, search) {
    const { people, hasMore } = await ctx.services.people.searchPeople(ctx.actor, peopleFilterOf(search), {
      offset: search.offset,
      count: search.count,
    });
    return { resources: people.map(patientOf), hasMore };
  },
  async create(ctx, patient) {
    const personId = await ctx.services.people.register(ctx.actor, registrationOf(patient));
    return patientOf(await ctx.services.people.versionedDetails(ctx.actor, personId));
  },
  async update(ctx, id, patient, current) {
    const changes = contactChangesOf(patient, current);
    if (Object.keys(changes).length > 0) await ctx.services.people.updateContact(ctx.actor, id, changes);
    return patientOf(await ctx.services.people.versionedDetails(ctx.actor, id));
  },
  async listForPerson(ctx, personId) {
    return [patientOf(await ctx.services.people.versionedDetails(ctx.actor, personId))];
  },
  /** Everyone's Patient at once (bulk export), after the caller checked and audited each grant. */
  async listForPeople(ctx, grants) {
    const people = await ctx.services.people.versionedDetailsOfEach(grants);
    return new Map([...people].map(([personId, person]) => [personId, [patientOf(person)]]));
  },
};
