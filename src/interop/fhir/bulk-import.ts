import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type {
  CarePlan,
  CareTeam,
  Consent,
  Encounter,
  Goal,
  Observation,
  Patient,
  QuestionnaireResponse,
  RelatedPerson,
  Task,
} from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { dateOfBirthProblem } from '../../domain/demographics.js';
import { derivedUuid, isUuid } from '../../domain/interop/fhir-ids.js';
import {
  bucketOf,
  countInto,
  DIRECTORY_TYPES,
  emptyReport,
  type FhirResourceLike,
  type ImportReport,
  importedPersonId,
  noteSkip,
  patientKeyOf,
  type ReadResource,
  resourceOfLine,
  resourcesOfBundle,
} from '../../domain/interop/fhir-import.js';
import {
  ETHNIC_CATEGORY_EXTENSION,
  NHS_NUMBER_SYSTEM,
  ODS_ORGANISATION_SYSTEM,
} from '../../domain/interop/uk-core.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';
import { ORGANISATION_KINDS } from '../../domain/organisation-kinds.js';
import { frameworkKeyForRecord } from '../../domain/outcome-frameworks.js';
import { normalisePostcode, postcodeSector } from '../../domain/postcode.js';
import {
  COMMAND_LINE_ACTOR,
  COMMAND_LINE_CLIENT,
  ensureClientAccount,
} from '../../features/auth/client-account.js';
import { isAttendanceTask } from '../../features/community-referrals/fhir-task.js';
import {
  type ResponseRow,
  type ScoreRow,
  restoreResponses as writeResponses,
} from '../../features/measures/import-writes.js';
import { RECORD_KINDS } from '../../features/outcomes/bulk-writes.js';
import {
  type ConversationRow,
  type GasAttainmentRow,
  type GasGoalRow,
  type ParticipantRow,
  type RatingRow,
  restoreConversations as writeConversations,
  restoreGasGoals as writeGasGoals,
  restoreObservations as writeObservations,
  restoreOutcomes as writeOutcomes,
} from '../../features/outcomes/import-writes.js';
import { registrationOf } from '../../features/people/fhir-patient.js';
import { type RelationshipRow, restoreRelationships } from '../../features/people/import-writes.js';
import { RegisterPersonContract, type RegisterPersonInput } from '../../features/people/schema.js';
import { type PlanVersionRow, restorePlanVersions } from '../../features/plans/import-writes.js';
import type { LibraryQuestionnaire } from '../../features/questionnaires/service.js';
import { restoreSharingBases, type SharingBasisRow } from '../../features/sharing/import-writes.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import type { DB } from '../../store/schema.js';
import {
  type CareTeamsOfPerson,
  type CareTeamToRestore,
  careTeamToRestore,
  resolveCareTeams,
} from './import-care-teams.js';
import {
  type ConsentToRestore,
  consentToRestore,
  heldOrganisations,
  heldSharingBases,
  importedOrganisationId,
  registeringOrganisation,
  registrationConsent,
} from './import-consents.js';
import {
  type ConversationToRestore,
  conversationToRestore,
  heldConversations,
  heldParticipantLinks,
  isConversationEncounter,
} from './import-conversations.js';
import {
  domainsOf,
  gasGoalSetTimes,
  gasGoalSetters,
  heldGasGoals,
  heldOutcomes,
  type OutcomeRow,
  type OutcomeToRestore,
  outcomeToRestore,
  registeredAs,
} from './import-goals.js';
import { importHealthcareServices } from './import-healthcare-services.js';
import {
  measureRequestToRestore,
  NOT_A_MEASURE_REQUEST,
  type PersonRequests,
  restoreMeasureRequests,
} from './import-measure-requests.js';
import {
  heldObservations,
  heldOutcomeScales,
  NO_GAS_GOAL,
  type ObservationToRestore,
  observationNotImportedReason,
  observationToRestore,
  scoreFits,
} from './import-observations.js';
import { heldPlanVersions, type PlanVersionToRestore, planVersionToRestore } from './import-plans.js';
import {
  accountResolver,
  emptyStaffImport,
  importStaff,
  isTeamOrganization,
  type StaffImport,
} from './import-practitioners.js';
import { aliasOf, importQuestionnaires, type QuestionnaireAliases } from './import-questionnaires.js';
import {
  type CommunityPlan,
  communityAccounts,
  emptyCommunityPlan,
  planCommunityResource,
  restoreCommunityReferrals,
} from './import-referrals.js';
import {
  heldRelationships,
  type RelationshipToRestore,
  relationshipToRestore,
} from './import-related-people.js';
import {
  heldResponses,
  questionnaireOfResponse,
  type ResponseToRestore,
  responseToRestore,
  scoredResponse,
  unknownQuestionnaireReason,
} from './import-responses.js';
import {
  addOrganisation,
  deprivationDeciles,
  firstOrganisation,
  heldPeople,
  type ImportedRegistration,
  insertRegistrations,
  nhsNumberHolders,
  organisationById,
  organisationNames,
} from './import-store.js';
import { pipelined } from './pipeline.js';
import { fhirHandler } from './registry.js';

export type { ImportReport } from '../../domain/interop/fhir-import.js';

/**
 * Bulk import (docs/FHIR.md, "Bulk import"): NDJSON files (one resource a line, as $export writes
 * them) and Bundles (transaction, batch or collection, such as Synthea's patient bundles) into the
 * records, as a system job on the operator's behalf (the command line), like the demo data loader.
 *
 * Streaming, so memory stays flat however big the input: every file is read once (NDJSON line by
 * line; a Bundle file whole, so one Bundle must fit in memory) and each resource is spooled to one
 * of a few temporary files chosen by the Patient it is about, so all of one person's resources
 * land in the same spool file whichever input file (one per type, in an export) they came from.
 * Resources about no person (Organization, Practitioner, ...) are spooled apart and imported
 * first. Then each spool file in turn is read, grouped by person, and written a batch of people
 * per transaction: a person's whole record or nothing. When a batch fails it is rolled back and
 * retried person by person, so one bad person is reported and the others imported.
 *
 * Idempotent: a Patient's id is kept as the person's uuid (another system's non-uuid id maps to a
 * uuid derived from it), so a person held already is left exactly as it is and reported
 * `unchanged`; a second run writes nothing, not even audit entries.
 */

/**
 * People per transaction. More per batch means fewer statements and commits (1,000 imported
 * Patients 10–15% faster than 200); each table's rows are written 1,000 to a statement, under
 * PostgreSQL's 65,535 parameters a statement (5,000 people in one statement of 15 columns exceed
 * it: every batch failed and was retried person by person, 13 times slower). A batch that fails is
 * retried person by person, so a bigger one costs more when it does.
 */
export const PEOPLE_PER_TRANSACTION = 1000;
/**
 * Batches written at once, each in its own transaction and connection (pipeline.ts): the server
 * writes one while this process prepares the next. Two keep a two-core machine busy; people never
 * share a batch, so they never wait on each other's rows.
 */
export const TRANSACTIONS_IN_FLIGHT = 2;
/**
 * Spool files: enough that one (read whole, its people held while they are written) stays a few MB
 * of input. A spool file's people cost this process some 30 times their input in memory while held:
 * at 16 MB a file, 200,000 Patients peaked at 635 MiB; at 4 MB, 453 MiB, and 1,000,000 at 4 MB
 * 497–517 MiB; at 2 MB, 476 MiB. At most MAX_BUCKETS files are open at once (past 1 GB of input
 * each holds more).
 */
const BYTES_PER_BUCKET = 2 * 1024 * 1024;
const MAX_BUCKETS = 512;

/**
 * Who records what an import writes: the command line's own account, unless the input names the
 * member of staff who recorded it (a Practitioner held here or imported with it: RecordedBy).
 */
const importer = COMMAND_LINE_ACTOR;

/**
 * The command line imports questionnaires into the library as an administrator does: whoever runs
 * it runs the server, and can make themselves an administrator with `whatmatters user` anyway. Only
 * the questionnaire service sees this role; records are written as `importer`.
 */
const libraryImporter: Actor = {
  ...COMMAND_LINE_ACTOR,
  roles: [{ role: 'admin', organisationId: null, organisationName: null, teamId: null, teamName: null }],
};

/** The account that recorded something: the Practitioner (id in the input) named, else the importer. */
type RecordedBy = (practitionerId: string | null) => string;

/** A refusal of one resource or person, reported and never half-written. */
class Refused extends Error {
  constructor(
    readonly reason: string,
    readonly element?: string,
  ) {
    super(reason);
  }
}

interface Spooled {
  /** The source id of the Patient the resource is about, or '' for a directory resource. */
  k: string;
  w: string;
  r: FhirResourceLike;
}

interface ImportRun {
  services: Services;
  db: Kysely<DB>;
  report: ImportReport;
  organisation: { organisationId: string; name: string };
  /** Whether the caller named the organisation (then everyone goes there, whatever their Consents say). */
  organisationGiven: boolean;
  dryRun: boolean;
  /** The current outcomes framework of each kind of record (person, carer), read before any transaction. */
  frameworkIds: Map<string, string>;
  /** In a dry run into an empty database: the host organisation, added in each rolled-back transaction. */
  pendingOrganisation: OrganisationToAdd | null;
  /** In a dry run: the input's organisations it would add (not written), which a Consent may name. */
  organisationsToAdd: Set<string>;
  /** In a dry run: the input's directory entries it would add (not written), which a referral may name. */
  entriesToAdd: Set<string>;
  /**
   * The questionnaire library, which QuestionnaireResponses are scored by: read once, before the
   * first transaction that needs it (the service reads outside the import's transaction).
   */
  library?: LibraryQuestionnaire[];
  /** What the input's Questionnaires became here, by the names responses give them (import-questionnaires.ts). */
  questionnaireAliases: QuestionnaireAliases;
  /** In a dry run: the questionnaires it would import, which responses are scored against but not written to. */
  questionnairesToAdd: Set<string>;
  /** The directory's teams and accounts (import-practitioners.ts), for the records to name. */
  staff: StaffImport;
  /**
   * The NHS numbers of the batches in flight, each with when its batch is done. A batch that holds
   * a number an earlier one holds waits for it: otherwise which of two people with one number is
   * imported would depend on which transaction reached the unique index first, not on the input's
   * order as it does one batch at a time.
   */
  nhsNumbersInFlight: Map<string, Promise<void>>;
}

class DryRunRollback extends Error {}

export async function runFhirImport(
  services: Services,
  files: string[],
  options: { organisationId?: string; dryRun?: boolean } = {},
): Promise<ImportReport> {
  if (files.length === 0)
    throw new ServiceError(422, 'Nothing to import', 'Name at least one file to import.', 'files');
  let totalBytes = 0;
  for (const file of files) {
    try {
      totalBytes += fs.statSync(file).size;
    } catch {
      throw new ServiceError(422, 'File not found', `Cannot read ${file}.`, 'files');
    }
  }
  const dryRun = options.dryRun ?? false;
  const report = emptyReport(files, dryRun);
  const db = services.database.db;
  const buckets = Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(totalBytes / BYTES_PER_BUCKET)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-fhir-import-'));
  try {
    const spool = new Spool(dir, buckets);
    for (const file of files) await readFileInto(file, report, spool);
    await spool.close();
    const { pending, ...organisation } = await hostingOrganisation(
      db,
      spool,
      options.organisationId,
      dryRun,
      report,
    );
    report.organisationId = organisation.organisationId;
    const run: ImportRun = {
      services,
      db,
      report,
      organisation,
      organisationGiven: options.organisationId !== undefined,
      dryRun,
      pendingOrganisation: pending,
      organisationsToAdd: new Set(),
      entriesToAdd: new Set(),
      frameworkIds: await currentFrameworks(services),
      staff: emptyStaffImport(),
      nhsNumbersInFlight: new Map(),
      questionnaireAliases: new Map(),
      questionnairesToAdd: new Set(),
    };
    await importDirectory(run, spool.directoryFile);
    for (let b = 0; b < buckets; b++) await importBucket(run, spool.bucketFile(b));
    return report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The current framework of each kind of record; a kind whose framework is retired has none. */
async function currentFrameworks(services: Services): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const kind of RECORD_KINDS) {
    const framework = await services.frameworks
      .current(frameworkKeyForRecord(kind))
      .catch((error: unknown) => {
        if (error instanceof ServiceError) return null;
        throw error;
      });
    if (framework) ids.set(kind, framework.frameworkId);
  }
  return ids;
}

/** Spool files: one for directory resources, `buckets` for people's resources. */
class Spool {
  readonly directoryFile: string;
  private readonly streams: fs.WriteStream[];
  private readonly directory: fs.WriteStream;
  constructor(
    private readonly dir: string,
    private readonly buckets: number,
  ) {
    this.directoryFile = path.join(dir, 'directory.ndjson');
    this.directory = fs.createWriteStream(this.directoryFile);
    this.streams = Array.from({ length: buckets }, (_, b) => fs.createWriteStream(this.bucketFile(b)));
  }
  bucketFile(b: number): string {
    return path.join(this.dir, `people-${b}.ndjson`);
  }
  async add(entry: Spooled): Promise<void> {
    const stream =
      entry.k === '' ? this.directory : (this.streams[bucketOf(entry.k, this.buckets)] as fs.WriteStream);
    if (!stream.write(`${JSON.stringify(entry)}\n`)) await once(stream, 'drain');
  }
  async close(): Promise<void> {
    await Promise.all(
      [this.directory, ...this.streams].map(
        (s) =>
          new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve()))),
      ),
    );
  }
}

async function readFileInto(file: string, report: ImportReport, spool: Spool): Promise<void> {
  const name = path.basename(file);
  const take = async (read: ReadResource | null) => {
    if (!read) return;
    if (!read.ok) {
      noteSkip(report, { type: read.type, id: read.id, where: read.where, reason: read.reason });
      return;
    }
    report.read++;
    const { resource } = read;
    if (resource.resourceType === 'Bundle') {
      for (const inner of resourcesOfBundle(resource, read.where)) await take(inner);
      return;
    }
    if (DIRECTORY_TYPES.has(resource.resourceType)) {
      await spool.add({ k: '', w: read.where, r: resource });
      return;
    }
    const key = patientKeyOf(resource);
    if (!key) {
      noteSkip(report, {
        type: resource.resourceType,
        id: resource.id ?? '',
        where: read.where,
        reason: 'It is about no Patient (no patient or subject reference to a Patient).',
      });
      return;
    }
    await spool.add({ k: key, w: read.where, r: resource });
  };
  if (/\.(ndjson|jsonl)$/i.test(file)) {
    const lines = readline.createInterface({
      input: fs.createReadStream(file, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let n = 0;
    for await (const line of lines) {
      n++;
      await take(resourceOfLine(line, `${name} line ${n}`));
    }
    return;
  }
  // A .json file: one Bundle (or one resource), read whole.
  await take(resourceOfLine(fs.readFileSync(file, 'utf8').replace(/\s*\n\s*/g, ' '), name));
}

async function* spooled(file: string): AsyncGenerator<Spooled> {
  if (!fs.existsSync(file)) return;
  const lines = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) if (line) yield JSON.parse(line) as Spooled;
}

// Organisations -------------------------------------------------------------------------------------

interface OrganisationResource {
  resourceType: 'Organization';
  id?: string;
  name?: string;
  identifier?: { system?: string; value?: string }[];
  type?: { coding?: { code?: string }[] }[];
}

/** An Organization as an organisation to add (kept under its uuid id, or one derived from its id). */
type OrganisationToAdd = { organisationId: string; name: string; kind: string; odsCode: string | null };

function organisationOf(resource: OrganisationResource): OrganisationToAdd {
  const name = resource.name?.trim();
  if (!name) throw new Refused('Give the organisation’s name (Organization.name).', 'name');
  const sourceId = resource.id ?? name;
  const codes = (resource.type ?? []).flatMap((t) => t.coding ?? []).map((c) => c.code);
  const kind =
    (ORGANISATION_KINDS as readonly (string | undefined)[]).find((k) => codes.includes(k)) ??
    'voluntary-community';
  return {
    organisationId: importedOrganisationId(sourceId),
    name,
    kind,
    odsCode: resource.identifier?.find((i) => i.system === ODS_ORGANISATION_SYSTEM)?.value ?? null,
  };
}

/**
 * The organisation people are registered into: the one named, else the hosting organisation (the
 * first created), else — in an empty database — the first Organization of the input, added.
 */
async function hostingOrganisation(
  db: Kysely<DB>,
  spool: Spool,
  organisationId: string | undefined,
  dryRun: boolean,
  report: ImportReport,
): Promise<{ organisationId: string; name: string; pending: OrganisationToAdd | null }> {
  if (organisationId !== undefined) {
    const named = isUuid(organisationId) ? await organisationById(db, organisationId) : null;
    if (!named)
      throw new ServiceError(
        422,
        'No such organisation',
        `No organisation has the id ${organisationId}.`,
        'organisationId',
      );
    return { ...named, pending: null };
  }
  const first = await firstOrganisation(db);
  if (first) return { ...first, pending: null };
  for await (const { r, w } of spooled(spool.directoryFile)) {
    if (r.resourceType !== 'Organization' || isTeamOrganization(r)) continue;
    try {
      const org = organisationOf(r as unknown as OrganisationResource);
      if (!dryRun) await addOrganisation(db, org);
      countInto(report.imported, 'Organization');
      return { organisationId: org.organisationId, name: org.name, pending: dryRun ? org : null };
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      noteSkip(report, { type: 'Organization', id: r.id ?? '', where: w, reason: error.reason });
    }
  }
  throw new ServiceError(
    422,
    'No organisation',
    'The database has no organisation to register people into: include an Organization resource in the import, or create an organisation first.',
    'organisationId',
  );
}

async function importDirectory(run: ImportRun, file: string): Promise<void> {
  const { report } = run;
  const questionnaires: { r: FhirResourceLike; w: string }[] = [];
  const healthcareServices: { r: FhirResourceLike; w: string }[] = [];
  for await (const { r, w } of spooled(file)) {
    const id = r.id ?? '';
    // Directory entries: after every organisation and member of staff they name (below).
    if (r.resourceType === 'HealthcareService') {
      healthcareServices.push({ r, w });
      continue;
    }
    // Questionnaires: few, and every response may name one, so all of them before anyone's record.
    if (r.resourceType === 'Questionnaire') {
      questionnaires.push({ r, w });
      continue;
    }
    // Teams, Practitioners and their roles: after every organisation (importStaff, below).
    if (r.resourceType === 'Practitioner' || r.resourceType === 'PractitionerRole' || isTeamOrganization(r))
      continue;
    if (r.resourceType === 'Organization') {
      try {
        const org = organisationOf(r as unknown as OrganisationResource);
        if (org.organisationId === run.organisation.organisationId) continue; // added as the host
        const added = run.dryRun
          ? !(await organisationById(run.db, org.organisationId))
          : await addOrganisation(run.db, org);
        if (added && run.dryRun) run.organisationsToAdd.add(org.organisationId);
        countInto(added ? report.imported : report.unchanged, 'Organization');
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        noteSkip(report, {
          type: r.resourceType,
          id,
          where: w,
          reason: error.reason,
          ...(error.element ? { element: error.element } : {}),
        });
      }
      continue;
    }
    noteSkip(report, { type: r.resourceType, id, where: w, reason: notImportedReason(r.resourceType) });
  }
  if (questionnaires.length) {
    run.library ??= await run.services.questionnaires.listWithResources(importer);
    await importQuestionnaires(
      {
        questionnaires: run.services.questionnaires,
        importer: libraryImporter,
        report,
        dryRun: run.dryRun,
        library: run.library,
        aliases: run.questionnaireAliases,
        pending: run.questionnairesToAdd,
      },
      questionnaires,
    );
  }
  await importStaff(
    {
      db: run.db,
      audit: run.services.audit,
      importer,
      report,
      dryRun: run.dryRun,
      // (A dry run's own organisation, added in each rolled-back transaction, counts as added.)
      organisationsToAdd: new Set([
        ...run.organisationsToAdd,
        ...(run.pendingOrganisation ? [run.pendingOrganisation.organisationId] : []),
      ]),
      staff: run.staff,
    },
    () => spooled(file),
  );
  // The community directory's entries, before anyone's record: referrals name them.
  await importHealthcareServices(
    {
      db: run.db,
      community: run.services.community,
      importer,
      report,
      dryRun: run.dryRun,
      organisationsToAdd: new Set([
        ...run.organisationsToAdd,
        ...(run.pendingOrganisation ? [run.pendingOrganisation.organisationId] : []),
      ]),
      accounts: run.staff.accounts,
      entriesToAdd: run.entriesToAdd,
    },
    healthcareServices,
  );
}

function notImportedReason(type: string): string {
  return fhirHandler(type) ? `${type} is served by /fhir but not yet imported in bulk.` : notKeptReason(type);
}

/** A type, or (an Encounter that is not one of our conversations) a resource, this service does not keep. */
function notKeptReason(type: string): string {
  return `${type} is not kept by this service (it keeps what matters to the person, their outcomes, plans and care team).`;
}

// People --------------------------------------------------------------------------------------------

interface PersonGroup {
  key: string;
  personId: string;
  patient: { resource: FhirResourceLike; where: string } | null;
  others: { resource: FhirResourceLike; where: string }[];
}

/** A person's registration and the counts and skips it adds to the report (applied on commit). */
interface PersonPlan {
  group: PersonGroup;
  registration: (Omit<RegisterPersonInput, 'nhsNumber'> & { nhsNumber: string | null }) | null;
  skips: ImportReport['skipped'];
  /** The person's Goals, as personal outcomes to restore (import-goals.ts), and who set each GAS goal. */
  goals: { outcome: OutcomeToRestore; id: string; where: string; gasSetBy: string | null }[];
  /** The person's ratings and GAS attainments to restore (import-observations.ts). */
  observations: { observation: ObservationToRestore; id: string; where: string }[];
  /** The versions of the person's plan to restore (import-plans.ts). */
  planVersions: { version: PlanVersionToRestore; id: string; where: string }[];
  /** The person's bases for sharing their record, withdrawn ones too (import-consents.ts). */
  consents: { basis: ConsentToRestore; id: string; where: string }[];
  /** The people important to the person (import-related-people.ts). */
  relatedPeople: { relationship: RelationshipToRestore; id: string; where: string }[];
  /** The person's conversations: our Encounters (import-conversations.ts). */
  conversations: { conversation: ConversationToRestore; id: string; where: string }[];
  /** The person's completed measures (import-responses.ts), scored when written. */
  responses: { response: ResponseToRestore; id: string; where: string }[];
  /** The person's care team (import-care-teams.ts). */
  careTeams: { careTeam: CareTeamToRestore; id: string; where: string }[];
  /** Referrals and signposts to community support, and attendance on them (import-referrals.ts). */
  community: CommunityPlan;
  /** The measures asked of the person: Tasks for a questionnaire (import-measure-requests.ts). */
  measureRequests: PersonRequests['requests'];
}

async function importBucket(run: ImportRun, file: string): Promise<void> {
  const groups = new Map<string, PersonGroup>();
  for await (const { k, w, r } of spooled(file)) {
    let group = groups.get(k);
    if (!group) {
      group = { key: k, personId: importedPersonId(k), patient: null, others: [] };
      groups.set(k, group);
    }
    if (r.resourceType === 'Patient') {
      if (group.patient) {
        noteSkip(run.report, {
          type: 'Patient',
          id: r.id ?? '',
          where: w,
          reason: 'The same Patient is given twice; the first is imported.',
        });
      } else {
        group.patient = { resource: r, where: w };
      }
    } else {
      group.others.push({ resource: r, where: w });
    }
  }
  const all = [...groups.values()];
  const batches: PersonGroup[][] = [];
  for (let i = 0; i < all.length; i += PEOPLE_PER_TRANSACTION)
    batches.push(all.slice(i, i + PEOPLE_PER_TRANSACTION));
  await pipelined(
    batches,
    TRANSACTIONS_IN_FLIGHT,
    (people) => importPeople(run, people),
    (record) => record(run.report),
  );
}

/**
 * A batch of people in one transaction; on failure, each person in one of their own. Returns what
 * to add to the report, which the caller does in the batches' order (several are in flight).
 */
async function importPeople(run: ImportRun, people: PersonGroup[]): Promise<(report: ImportReport) => void> {
  const notes: ((report: ImportReport) => void)[] = [];
  const recorded = (report: ImportReport) => {
    for (const note of notes) note(report);
  };
  const plans: PersonPlan[] = [];
  for (const group of people) {
    try {
      plans.push(planPerson(group));
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      notes.push((report) => refusePerson(report, group, error.reason, error.element));
    }
  }
  if (plans.length === 0) return recorded;
  // Claimed before the first await, so batches claim in the input's order (pipeline.ts starts each in turn).
  const earlier = claimNhsNumbers(run, plans);
  try {
    await Promise.all(earlier.waitFor);
    await writeBatch(run, plans, notes);
  } finally {
    earlier.release();
  }
  return recorded;
}

/** This batch's NHS numbers held until it is done; the earlier batches in flight holding any of them. */
function claimNhsNumbers(
  run: ImportRun,
  plans: PersonPlan[],
): { waitFor: Promise<void>[]; release: () => void } {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const waitFor = new Set<Promise<void>>();
  const numbers = plans.flatMap((p) => (p.registration?.nhsNumber ? [p.registration.nhsNumber] : []));
  for (const number of numbers) {
    const holder = run.nhsNumbersInFlight.get(number);
    if (holder && holder !== done) waitFor.add(holder); // (two in one batch: writePeople refuses the second)
    run.nhsNumbersInFlight.set(number, done);
  }
  return {
    waitFor: [...waitFor],
    release: () => {
      for (const number of numbers)
        if (run.nhsNumbersInFlight.get(number) === done) run.nhsNumbersInFlight.delete(number);
      release();
    },
  };
}

/** Writes the batch in one transaction; on failure, each person in one of their own. */
async function writeBatch(run: ImportRun, plans: PersonPlan[], notes: ((report: ImportReport) => void)[]) {
  if (!run.library && plans.some((p) => p.responses.length || p.measureRequests.length))
    run.library = await run.services.questionnaires.listWithResources(importer);
  try {
    const outcomes = await inTransaction(run, (trx) => writePeople(run, trx, plans));
    notes.push((report) => applyOutcomes(report, plans, outcomes));
  } catch (error) {
    if (plans.length === 1) {
      notes.push((report) => refusePerson(report, (plans[0] as PersonPlan).group, reasonOf(error)));
      return;
    }
    for (const plan of plans) {
      try {
        const outcomes = await inTransaction(run, (trx) => writePeople(run, trx, [plan]));
        notes.push((report) => applyOutcomes(report, [plan], outcomes));
      } catch (inner) {
        notes.push((report) => refusePerson(report, plan.group, reasonOf(inner)));
      }
    }
  }
}

async function inTransaction<T>(run: ImportRun, write: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await run.db.transaction().execute(async (trx) => {
      result = await write(trx);
      if (run.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return result as T;
}

function reasonOf(error: unknown): string {
  if (error instanceof Refused || error instanceof ServiceError) return error.message;
  return `It could not be written: ${(error as Error).message}`;
}

function refusePerson(report: ImportReport, group: PersonGroup, reason: string, element?: string): void {
  report.people.refused++;
  const first = group.patient ?? group.others[0];
  noteSkip(report, {
    type: 'Patient',
    id: group.key,
    where: first?.where ?? '',
    reason: `The person was not imported: ${reason}`,
    ...(element ? { element } : {}),
  });
  for (const other of group.others) {
    noteSkip(report, {
      type: other.resource.resourceType,
      id: other.resource.id ?? '',
      where: other.where,
      reason: 'The person it is about was not imported.',
    });
  }
}

/**
 * A resource its mapping refused (a ServiceError, naming the element where it can): skipped with the
 * mapping's reason; the person is still imported. Anything else is a fault, and is thrown.
 */
function refused(
  at: { type: string; id: string; where: string },
  error: unknown,
): ImportReport['skipped'][number] {
  if (!(error instanceof ServiceError)) throw error;
  return {
    ...at,
    reason: `The ${at.type} was not imported: ${error.message}`,
    ...(error.field ? { element: error.field } : {}),
  };
}

/** What to write for a person, checked before any write: refuses (Refused) what cannot be kept. */
function planPerson(group: PersonGroup): PersonPlan {
  const skips: ImportReport['skipped'] = [];
  let registration: PersonPlan['registration'] = null;
  if (group.patient) {
    const { resource, where } = group.patient;
    const input = lenientRegistration(resource as unknown as Patient, (element, reason) =>
      skips.push({ type: 'Patient', id: resource.id ?? '', where, reason, element }),
    );
    const where_ = { type: 'Patient', id: resource.id ?? '', where };
    let nhsNumber: string | null = null;
    if (input.nhsNumber?.trim()) {
      nhsNumber = normaliseNhsNumber(input.nhsNumber);
      if (!nhsNumber || !isValidNhsNumber(nhsNumber)) {
        skips.push({
          ...where_,
          element: 'Patient.identifier',
          reason: 'The NHS number is not valid (it fails the Modulus 11 check); left out.',
        });
        nhsNumber = null;
      }
    }
    const birthProblem = input.dateOfBirth ? dateOfBirthProblem(input.dateOfBirth, todayIso()) : null;
    if (birthProblem)
      skips.push({ ...where_, element: 'Patient.birthDate', reason: `${birthProblem} Left out.` });
    registration = { ...input, nhsNumber, ...(birthProblem ? { dateOfBirth: null } : {}) };
  }
  const goals: PersonPlan['goals'] = [];
  // When each GAS goal was set: its baseline Observation says, wherever in the input it is.
  const observed = group.others.flatMap((o) =>
    o.resource.resourceType === 'Observation' ? [o.resource as unknown as Observation] : [],
  );
  const gasSetTimes = gasGoalSetTimes(observed);
  // Who set each GAS goal: its baseline Observation's Practitioner performer.
  const gasSetters = gasGoalSetters(observed);
  const observations: PersonPlan['observations'] = [];
  const planVersions: PersonPlan['planVersions'] = [];
  const consents: PersonPlan['consents'] = [];
  const relatedPeople: PersonPlan['relatedPeople'] = [];
  const conversations: PersonPlan['conversations'] = [];
  const responses: PersonPlan['responses'] = [];
  const measureRequests: PersonPlan['measureRequests'] = [];
  const careTeams: PersonPlan['careTeams'] = [];
  const community = emptyCommunityPlan();
  for (const other of group.others) {
    const at = { type: other.resource.resourceType, id: other.resource.id ?? '', where: other.where };
    if (other.resource.resourceType === 'Goal') {
      const goalSkips: ImportReport['skipped'] = [];
      try {
        const outcome = outcomeToRestore(
          other.resource as unknown as Goal,
          group.personId,
          (element, reason) => goalSkips.push({ ...at, element, reason }),
          gasSetTimes.get(at.id),
        );
        goals.push({ outcome, id: at.id, where: at.where, gasSetBy: gasSetters.get(at.id) ?? null });
        skips.push(...goalSkips);
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    if (other.resource.resourceType === 'Observation') {
      const resource = other.resource as unknown as Observation;
      const derived = observationNotImportedReason(resource);
      if (derived) {
        skips.push({ ...at, reason: derived });
        continue;
      }
      try {
        observations.push({ observation: observationToRestore(resource, group.personId), ...at });
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    if (other.resource.resourceType === 'CarePlan') {
      try {
        const version = planVersionToRestore(other.resource as unknown as CarePlan, group.personId);
        planVersions.push({ version, ...at });
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    if (other.resource.resourceType === 'Consent' || other.resource.resourceType === 'RelatedPerson') {
      try {
        if (other.resource.resourceType === 'Consent')
          consents.push({
            basis: consentToRestore(other.resource as unknown as Consent, group.personId),
            ...at,
          });
        else
          relatedPeople.push({
            relationship: relationshipToRestore(other.resource as unknown as RelatedPerson, group.personId),
            ...at,
          });
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    if (other.resource.resourceType === 'Encounter') {
      // Another system's Encounters (visits, admissions) are clinical events, not conversations.
      if (!isConversationEncounter(other.resource)) {
        skips.push({ ...at, reason: notKeptReason('Encounter') });
        continue;
      }
      try {
        conversations.push({
          conversation: conversationToRestore(other.resource as unknown as Encounter, group.personId),
          ...at,
        });
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    if (other.resource.resourceType === 'QuestionnaireResponse') {
      try {
        responses.push({
          response: responseToRestore(other.resource as unknown as QuestionnaireResponse, group.personId),
          ...at,
        });
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    if (other.resource.resourceType === 'CareTeam') {
      const teamSkips: ImportReport['skipped'] = [];
      try {
        const careTeam = careTeamToRestore(
          other.resource as unknown as CareTeam,
          group.personId,
          (element, reason) => teamSkips.push({ ...at, element, reason }),
        );
        careTeams.push({ careTeam, ...at });
        skips.push(...teamSkips);
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    if (
      other.resource.resourceType === 'ServiceRequest' ||
      (other.resource.resourceType === 'Task' && isAttendanceTask(other.resource))
    ) {
      const skip = planCommunityResource(community, other.resource, group.personId, at);
      if (skip) skips.push(skip);
      continue;
    }
    if (other.resource.resourceType === 'Task') {
      try {
        const request = measureRequestToRestore(other.resource as unknown as Task, group.personId);
        if (request) measureRequests.push({ request, ...at });
        else skips.push({ ...at, reason: NOT_A_MEASURE_REQUEST });
      } catch (error) {
        skips.push(refused(at, error));
      }
      continue;
    }
    skips.push({ ...at, reason: notImportedReason(other.resource.resourceType) });
  }
  return {
    group,
    registration,
    skips,
    goals,
    observations,
    planVersions,
    consents,
    relatedPeople,
    conversations,
    responses,
    careTeams,
    community,
    measureRequests,
  };
}

/**
 * The Patient as the people service's registration (registrationOf, the one mapping), keeping what
 * can be kept: an element the mapping refuses that the person can be registered without (another
 * system's identifiers and extensions, a second address, a US zip code) is left out and reported;
 * one the registration needs (name, gender) refuses the person.
 */
export function lenientRegistration(
  patient: Patient,
  skip: (element: string, reason: string) => void,
): RegisterPersonInput {
  let current: Record<string, unknown> = { ...patient };
  for (let attempt = 0; attempt < 30; attempt++) {
    let input: RegisterPersonInput;
    try {
      input = registrationOf(current as unknown as Patient);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const element = (error.field ?? '').replace(/^Patient\./, '');
      const next = withoutElement(current, element);
      if (!next) throw new Refused(error.message, `Patient.${element}`);
      skip(`Patient.${element}`, error.message);
      current = next;
      continue;
    }
    const problems = RegisterPersonContract.problems(input);
    if (problems.length === 0) return input;
    const optional = new Set([
      'preferredName',
      'dateOfBirth',
      'postcode',
      'phone',
      'email',
      'ethnicCategory',
      'nhsNumber',
    ]);
    const blocking = problems.find((p) => !optional.has(p.field));
    if (blocking) throw new Refused(`${blocking.field} ${blocking.message}`, blocking.field);
    const cleared: Record<string, unknown> = { ...input };
    for (const p of problems) {
      skip(
        ELEMENT_OF_FIELD[p.field] ?? p.field,
        `${ELEMENT_OF_FIELD[p.field] ?? p.field} ${p.message}; left out.`,
      );
      cleared[p.field] = p.field === 'preferredName' || p.field === 'nhsNumber' ? '' : null;
    }
    return cleared as RegisterPersonInput;
  }
  throw new Refused('The Patient has too many elements this service cannot keep.');
}

/** The Patient's element each optional field of the registration comes from (registrationOf). */
const ELEMENT_OF_FIELD: Record<string, string> = {
  preferredName: 'Patient.name',
  dateOfBirth: 'Patient.birthDate',
  postcode: 'Patient.address.postalCode',
  phone: 'Patient.telecom',
  email: 'Patient.telecom',
  ethnicCategory: 'Patient.extension',
  nhsNumber: 'Patient.identifier',
};

/** The Patient without the element a refusal named, or null when the person cannot go without it. */
function withoutElement(patient: Record<string, unknown>, element: string): Record<string, unknown> | null {
  const p = patient as unknown as Patient;
  const next: Record<string, unknown> = { ...patient };
  switch (element) {
    case 'identifier': {
      const nhs = (p.identifier ?? []).filter((i) => i.system === NHS_NUMBER_SYSTEM);
      if (nhs.length > 1) return null;
      if (nhs.length === (p.identifier ?? []).length) return null;
      next.identifier = nhs;
      return next;
    }
    case 'extension': {
      const before = p.extension ?? [];
      const after = before.filter((e) => e.url === ETHNIC_CATEGORY_EXTENSION);
      next.extension = after.length === before.length ? [] : after;
      return next;
    }
    case 'telecom': {
      const phone = (p.telecom ?? []).find((t) => t.system === 'phone');
      const email = (p.telecom ?? []).find((t) => t.system === 'email');
      next.telecom = [...(phone ? [phone] : []), ...(email ? [email] : [])];
      return (next.telecom as unknown[]).length === (p.telecom ?? []).length ? null : next;
    }
    case 'address':
      next.address = (p.address ?? []).slice(0, 1);
      return next;
    case 'name.given':
    case 'name.family':
    case 'gender':
    case '':
      return null;
    default:
      if (!(element in next)) return null;
      delete next[element];
      return next;
  }
}

type PersonOutcome =
  | {
      person: 'imported' | 'unchanged';
      /** The person's other resources written and already held, by type, and what they left out. */
      imported: Record<string, number>;
      unchanged: Record<string, number>;
      skips: ImportReport['skipped'];
    }
  | { refused: string; element?: string };

/** Writes the batch's people (in the caller's transaction). Throws to roll the batch back. */
async function writePeople(run: ImportRun, trx: Kysely<DB>, plans: PersonPlan[]): Promise<PersonOutcome[]> {
  if (run.pendingOrganisation) await addOrganisation(trx, run.pendingOrganisation);
  await ensureClientAccount(trx, COMMAND_LINE_CLIENT);
  const held = await heldPeople(
    trx,
    plans.map((p) => p.group.personId),
  );
  const holders = await nhsNumberHolders(
    trx,
    plans.flatMap((p) => (p.registration?.nhsNumber ? [p.registration.nhsNumber] : [])),
  );
  const sectors = new Map<string, string>();
  for (const plan of plans) {
    const postcode = normalisePostcode(plan.registration?.postcode);
    const sector = postcode ? postcodeSector(postcode) : null;
    if (sector) sectors.set(plan.group.personId, sector);
  }
  const deciles = await deprivationDeciles(trx, [...sectors.values()]);
  const leadOrganisations = await heldOrganisations(
    trx,
    plans.flatMap((p) => p.consents.map((c) => c.basis.organisationId)),
  );
  // The batch's care teams, checked against the directory before anything is written
  // (import-care-teams.ts): the registration takes its membership from them.
  const careTeamsOf = (outcomes: PersonOutcome[]): CareTeamsOfPerson[] =>
    plans.flatMap((plan, i) => {
      const outcome = outcomes[i] as PersonOutcome;
      return 'person' in outcome && plan.careTeams.length
        ? [{ personId: plan.group.personId, careTeams: plan.careTeams, outcome }]
        : [];
    });
  const careTeams = await resolveCareTeams(
    trx,
    run,
    plans.map((plan) => ({ personId: plan.group.personId, careTeams: plan.careTeams })),
  );
  const named = await accountResolver(
    trx,
    run.staff,
    plans.flatMap((p) => [
      ...p.consents.map((c) => c.basis.recordedBy),
      ...p.consents.map((c) => c.basis.withdrawal?.by ?? null),
      ...p.goals.map((g) => g.outcome.addedByPractitioner),
      ...p.conversations.map((c) => c.conversation.recordedBy),
      ...p.observations.map((o) => o.observation.recordedBy),
      ...p.responses.map((r) => r.response.recordedBy),
      ...p.measureRequests.map((r) => r.request.requestedBy),
      ...p.goals.map((g) => g.gasSetBy),
      ...p.planVersions.map((v) => v.version.savedBy),
      ...communityAccounts(p.community),
    ]),
  );
  // (A dry run adds no account: what it would name is recorded by the importer, and rolled back.)
  const recordedBy: RecordedBy = (practitionerId) => {
    const userId = named(practitionerId);
    return userId && !run.staff.pendingAccounts.has(userId) ? userId : importer.userId;
  };
  // (A dry run writes none of the input's other organisations, so its people go to the import's
  // own organisation instead; what it reports is the same.)
  const outcomes: PersonOutcome[] = [];
  const rows: ImportedRegistration[] = [];
  const nhsInBatch = new Set<string>();
  for (const plan of plans) {
    const { personId } = plan.group;
    const kept = () => ({ imported: {}, unchanged: {}, skips: [] });
    if (held.has(personId)) {
      outcomes.push({ person: 'unchanged', ...kept() });
      continue;
    }
    const registration = plan.registration;
    if (!registration) {
      outcomes.push({ refused: 'Its Patient is neither in the input nor held here.' });
      continue;
    }
    const holder = registration.nhsNumber ? holders.get(registration.nhsNumber) : undefined;
    if (
      (holder && holder !== personId) ||
      (registration.nhsNumber && nhsInBatch.has(registration.nhsNumber))
    ) {
      outcomes.push({
        refused: 'Another person registered here has this NHS number.',
        element: 'Patient.identifier',
      });
      continue;
    }
    if (registration.nhsNumber) nhsInBatch.add(registration.nhsNumber);
    const sector = sectors.get(personId);
    const consents = plan.consents.map((c) => c.basis);
    const organisationId = run.organisationGiven
      ? run.organisation.organisationId
      : (registeringOrganisation(consents, leadOrganisations) ?? run.organisation.organisationId);
    rows.push(
      registrationRows(
        personId,
        organisationId,
        registration,
        sector ? (deciles.get(sector) ?? null) : null,
        recordedBy,
        registrationConsent(consents, organisationId),
        careTeams.registrationMember(personId, organisationId),
      ),
    );
    outcomes.push({ person: 'imported', ...kept() });
  }
  await insertRegistrations(trx, rows);
  const changed = new Set(rows.map((r) => r.person.person_id));
  const registrationBases = new Map(rows.map((r) => [r.person.person_id, r.basis.basis_id]));
  for (const personId of await careTeams.write(trx, careTeamsOf(outcomes))) changed.add(personId);
  for (const personId of await restoreConsents(run, trx, plans, outcomes, registrationBases, recordedBy))
    changed.add(personId);
  for (const personId of await restoreRelatedPeople(trx, plans, outcomes)) changed.add(personId);
  for (const personId of await restoreConversations(
    trx,
    plans,
    outcomes,
    recordedBy,
    run.staff,
    run.organisationsToAdd,
  ))
    changed.add(personId);
  for (const personId of await restoreMeasureResponses(run, trx, plans, outcomes, recordedBy))
    changed.add(personId);
  // After the responses: a completed request names the response that completed it.
  const asked = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome
      ? [{ personId: plan.group.personId, requests: plan.measureRequests, outcome }]
      : [];
  });
  for (const personId of await restoreMeasureRequests(trx, asked, {
    library: run.library ?? [],
    aliases: run.questionnaireAliases,
    questionnairesToAdd: run.questionnairesToAdd,
    recordedBy,
  }))
    changed.add(personId);
  for (const personId of await restoreOutcomes(run, trx, plans, outcomes, recordedBy)) changed.add(personId);
  for (const personId of await restoreRatings(trx, plans, outcomes, recordedBy)) changed.add(personId);
  for (const personId of await restorePlans(trx, plans, outcomes, recordedBy)) changed.add(personId);
  // After the outcomes a referral may be for; its directory entry was imported before anyone's record.
  const community = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome ? [{ personId: plan.group.personId, community: plan.community, outcome }] : [];
  });
  for (const personId of await restoreCommunityReferrals(trx, community, recordedBy, run.entriesToAdd))
    changed.add(personId);
  // Last, when every basis for sharing is written: the team responsible, as the input names it.
  await careTeams.setLeadTeams(
    trx,
    rows.map((r) => r.person.person_id),
  );
  // Each entry names the organisation the person was registered into (held already: none).
  const registeredInto = new Map(rows.map((r) => [r.person.person_id, r.membership.organisation_id]));
  const names = await organisationNames(trx, [...registeredInto.values()]);
  await run.services.audit.recordAll(
    importer,
    [...changed].map((personId) => {
      const into = registeredInto.get(personId);
      return {
        action: 'fhir-import',
        resourceType: 'person',
        resourceId: personId,
        personId,
        purpose: into
          ? `imported from FHIR into ${names.get(into) ?? run.organisation.name}`
          : 'imported from FHIR into their record',
      };
    }),
    trx,
  );
  return outcomes;
}

/**
 * Writes the batch's Goals as personal outcomes (import-goals.ts), each under its id in the
 * record's current framework, with its GAS goal; one held already is left as it is (a held outcome
 * without a GAS goal takes the input's). Returns the people it changed.
 */
async function restoreOutcomes(
  run: ImportRun,
  trx: Kysely<DB>,
  plans: PersonPlan[],
  outcomes: PersonOutcome[],
  recordedBy: RecordedBy,
): Promise<string[]> {
  const withGoals = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome && plan.goals.length ? [{ plan, outcome }] : [];
  });
  if (withGoals.length === 0) return [];
  const personIds = withGoals.map((g) => g.plan.group.personId);
  const [held, heldGas, kinds] = await Promise.all([
    heldOutcomes(trx, personIds),
    heldGasGoals(trx, personIds),
    registeredAs(trx, personIds),
  ]);
  const frameworkIds = run.frameworkIds;
  const domains = await domainsOf(trx, [...frameworkIds.values()]);
  const rows: OutcomeRow[] = [];
  const domainRows: { personId: string; outcomeId: string; domainId: string }[] = [];
  const gasRows: GasGoalRow[] = [];
  const changed: string[] = [];
  /** The outcome's GAS goal to write, unless it has one (held, or written in this batch). */
  const gasRowOf = (personId: string, o: OutcomeToRestore, setBy: string | null): GasGoalRow | null => {
    const key = `${personId}/${o.outcomeId}`;
    if (!o.gas || heldGas.has(key)) return null;
    heldGas.add(key);
    const { createdAt, ...gas } = o.gas;
    return {
      personId,
      outcomeId: o.outcomeId,
      ...gas,
      createdByUserId: recordedBy(setBy),
      ...(createdAt ? { createdAt } : {}),
    };
  };
  for (const { plan, outcome } of withGoals) {
    if (!('person' in outcome)) continue;
    const { personId } = plan.group;
    const frameworkId = frameworkIds.get(kinds.get(personId) ?? 'person');
    let wrote = false;
    for (const goal of plan.goals) {
      if (!frameworkId) {
        outcome.skips.push({
          type: 'Goal',
          id: goal.id,
          where: goal.where,
          reason: 'The record’s outcomes framework is not available (retired or missing).',
        });
        continue;
      }
      const o = goal.outcome;
      // Held already, or written just before in this batch (the same Goal given twice).
      if (held.has(`${personId}/${o.outcomeId}`)) {
        const gasRow = gasRowOf(personId, o, goal.gasSetBy);
        if (gasRow) gasRows.push(gasRow);
        countInto(gasRow ? outcome.imported : outcome.unchanged, 'Goal');
        wrote ||= gasRow !== null;
        continue;
      }
      held.add(`${personId}/${o.outcomeId}`);
      rows.push({
        personId,
        outcomeId: o.outcomeId,
        frameworkId,
        statement: o.statement,
        whyItMatters: o.whyItMatters,
        importance: o.importance,
        status: o.status,
        addedBy: o.addedBy,
        conversationId: null,
        createdByUserId: recordedBy(o.addedByPractitioner),
        ...(o.createdAt ? { createdAt: o.createdAt } : {}),
      });
      const known = domains.get(frameworkId);
      for (const d of o.domains) {
        const domainId = known?.get(`name:${d.name}`) ?? known?.get(`id:${d.id}`);
        if (domainId) domainRows.push({ personId, outcomeId: o.outcomeId, domainId });
        else
          outcome.skips.push({
            type: 'Goal',
            id: goal.id,
            where: goal.where,
            element: 'Goal.category',
            reason: `The domain ${d.name || d.id} is not in the record’s outcomes framework; left out.`,
          });
      }
      const gasRow = gasRowOf(personId, o, goal.gasSetBy);
      if (gasRow) gasRows.push(gasRow);
      countInto(outcome.imported, 'Goal');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await writeOutcomes(trx, rows, domainRows);
  // Before the ratings: a GAS score of this batch is recorded against a GAS goal written here.
  await writeGasGoals(trx, gasRows);
  return changed;
}

/**
 * Writes the batch's Observations as ratings and GAS attainments (import-observations.ts), each
 * under its id, of an outcome held (or restored just before); one held already is left as it is.
 * A GAS attainment needs its goal's GAS goal held here (or restored just before, with its Goal).
 * Returns the people it changed.
 */
async function restoreRatings(
  trx: Kysely<DB>,
  plans: PersonPlan[],
  outcomes: PersonOutcome[],
  recordedBy: RecordedBy,
): Promise<string[]> {
  const withObservations = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome && plan.observations.length ? [{ plan, outcome }] : [];
  });
  if (withObservations.length === 0) return [];
  const personIds = withObservations.map((o) => o.plan.group.personId);
  const [scales, held, conversations] = await Promise.all([
    heldOutcomeScales(trx, personIds),
    heldObservations(trx, personIds),
    // Restored just before (restoreConversations) or held already: what a rating may name.
    heldConversations(trx, personIds),
  ]);
  /** The conversation it was recorded at when held here; else none, and the element is reported. */
  const conversationOf = (
    personId: string,
    o: ObservationToRestore,
    skip: (reason: string, element?: string) => void,
  ) => {
    if (!o.conversationId) return null;
    if (conversations.has(`${personId}/${o.conversationId}`)) return o.conversationId;
    skip(
      'The conversation it was recorded at (encounter) is neither in the input nor held here; the rest is imported.',
      'Observation.encounter',
    );
    return null;
  };
  const ratings: RatingRow[] = [];
  const attainments: GasAttainmentRow[] = [];
  const changed: string[] = [];
  for (const { plan, outcome } of withObservations) {
    if (!('person' in outcome)) continue;
    const { personId } = plan.group;
    let wrote = false;
    for (const { observation: o, id, where } of plan.observations) {
      const skip = (reason: string, element?: string) =>
        outcome.skips.push({ type: 'Observation', id, where, reason, ...(element ? { element } : {}) });
      const rowId = o.kind === 'rating' ? o.ratingId : o.attainmentId;
      const key = `${personId}/${rowId}`;
      if (held.has(key)) {
        countInto(outcome.unchanged, 'Observation');
        continue;
      }
      const scale = scales.get(`${personId}/${o.outcomeId}`);
      if (!scale) {
        skip('Its goal (focus) is neither in the input nor held here.', 'Observation.focus');
        continue;
      }
      if (o.kind === 'rating') {
        if (!scoreFits(scale.labels, o.score)) {
          skip(`A rating must be 1 to ${scale.labels.length}.`, 'Observation.valueInteger');
          continue;
        }
        ratings.push({
          personId,
          ratingId: o.ratingId,
          outcomeId: o.outcomeId,
          viewpoint: o.viewpoint,
          score: o.score,
          note: o.note,
          conversationId: conversationOf(personId, o, skip),
          ratedByUserId: recordedBy(o.recordedBy),
          ...(o.ratedAt ? { ratedAt: o.ratedAt } : {}),
        });
      } else {
        if (!scale.gasGoalId) {
          skip(NO_GAS_GOAL);
          continue;
        }
        attainments.push({
          personId,
          attainmentId: o.attainmentId,
          goalId: scale.gasGoalId,
          level: o.level,
          conversationId: conversationOf(personId, o, skip),
          recordedByUserId: recordedBy(o.recordedBy),
          ...(o.recordedAt ? { recordedAt: o.recordedAt } : {}),
        });
      }
      held.add(key);
      countInto(outcome.imported, 'Observation');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await writeObservations(trx, ratings, attainments);
  return changed;
}

/**
 * Writes the batch's CarePlans as versions of each person's plan (import-plans.ts), each under its
 * version number, saved by the Practitioner its `author` names (RecordedBy); a version held
 * already is left as it is. Returns the people it changed.
 */
async function restorePlans(
  trx: Kysely<DB>,
  plans: PersonPlan[],
  outcomes: PersonOutcome[],
  recordedBy: RecordedBy,
): Promise<string[]> {
  const withPlans = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome && plan.planVersions.length ? [{ plan, outcome }] : [];
  });
  if (withPlans.length === 0) return [];
  const held = await heldPlanVersions(
    trx,
    withPlans.map((p) => p.plan.group.personId),
  );
  const rows: PlanVersionRow[] = [];
  const changed: string[] = [];
  for (const { plan, outcome } of withPlans) {
    if (!('person' in outcome)) continue;
    const { personId } = plan.group;
    let wrote = false;
    for (const { version: v } of plan.planVersions) {
      const key = `${personId}/${v.version}`;
      if (held.has(key)) {
        countInto(outcome.unchanged, 'CarePlan');
        continue;
      }
      held.add(key);
      rows.push({
        personId,
        version: v.version,
        content: v.content,
        changeSummary: v.changeSummary,
        createdByUserId: recordedBy(v.savedBy),
        ...(v.createdAt ? { createdAt: v.createdAt } : {}),
      });
      countInto(outcome.imported, 'CarePlan');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await restorePlanVersions(trx, rows);
  return changed;
}

/**
 * Writes the batch's Consents as bases for sharing the record (import-consents.ts), each under its
 * id, with when it was recorded and, if it was, withdrawn. A basis held already is left as it is,
 * and so is a Consent in force that is a basis in force held for the same organisation (the one
 * registering writes, say): the same basis is never recorded twice. The one the registration took
 * (`registrationBases`, written with it) counts as imported. A Consent naming an organisation that
 * is neither held nor imported with it is skipped. Returns the people it changed.
 */
async function restoreConsents(
  run: ImportRun,
  trx: Kysely<DB>,
  plans: PersonPlan[],
  outcomes: PersonOutcome[],
  registrationBases: ReadonlyMap<string, string>,
  recordedBy: RecordedBy,
): Promise<string[]> {
  const withConsents = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome && plan.consents.length ? [{ plan, outcome }] : [];
  });
  if (withConsents.length === 0) return [];
  const [held, organisations] = await Promise.all([
    heldSharingBases(
      trx,
      withConsents.map((c) => c.plan.group.personId),
    ),
    heldOrganisations(
      trx,
      withConsents.flatMap((c) => c.plan.consents.map((x) => x.basis.organisationId)),
    ),
  ]);
  const rows: SharingBasisRow[] = [];
  const changed: string[] = [];
  for (const { plan, outcome } of withConsents) {
    if (!('person' in outcome)) continue;
    const { personId } = plan.group;
    let wrote = false;
    for (const { basis: b, id, where } of plan.consents) {
      if (registrationBases.get(personId) === b.basisId) {
        countInto(outcome.imported, 'Consent');
        continue;
      }
      const inForce = `${personId}/${b.organisationId}/${b.basis}`;
      if (held.ids.has(`${personId}/${b.basisId}`) || (!b.withdrawal && held.inForce.has(inForce))) {
        countInto(outcome.unchanged, 'Consent');
        continue;
      }
      const organisationHeld = organisations.has(b.organisationId);
      if (!organisationHeld && !run.organisationsToAdd.has(b.organisationId)) {
        outcome.skips.push({
          type: 'Consent',
          id,
          where,
          element: 'Consent.organization',
          reason: `The organisation it names (Organization/${b.organisationId}) is neither held here nor imported with it.`,
        });
        continue;
      }
      held.ids.add(`${personId}/${b.basisId}`);
      if (!b.withdrawal) held.inForce.add(inForce);
      // In a dry run the organisation is not added (the rollback would discard this row anyway).
      if (organisationHeld)
        rows.push({
          personId,
          basisId: b.basisId,
          organisationId: b.organisationId,
          basis: b.basis,
          purpose: b.purpose,
          note: b.note,
          recordedByUserId: recordedBy(b.recordedBy),
          ...(b.recordedAt ? { recordedAt: b.recordedAt } : {}),
          withdrawal: b.withdrawal
            ? {
                ...(b.withdrawal.at ? { at: b.withdrawal.at } : {}),
                byUserId: recordedBy(b.withdrawal.by),
                reason: b.withdrawal.reason,
              }
            : null,
        });
      countInto(outcome.imported, 'Consent');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await restoreSharingBases(trx, rows);
  return changed;
}

/**
 * Writes the batch's RelatedPeople as the people important to each person
 * (import-related-people.ts), each under its id, with no account linked and no access given; one
 * held already is left as it is. Returns the people it changed.
 */
async function restoreRelatedPeople(
  trx: Kysely<DB>,
  plans: PersonPlan[],
  outcomes: PersonOutcome[],
): Promise<string[]> {
  const withRelated = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome && plan.relatedPeople.length ? [{ plan, outcome }] : [];
  });
  if (withRelated.length === 0) return [];
  const held = await heldRelationships(
    trx,
    withRelated.map((r) => r.plan.group.personId),
  );
  const rows: RelationshipRow[] = [];
  const changed: string[] = [];
  for (const { plan, outcome } of withRelated) {
    if (!('person' in outcome)) continue;
    const { personId } = plan.group;
    let wrote = false;
    for (const { relationship: r } of plan.relatedPeople) {
      const key = `${personId}/${r.relationshipId}`;
      if (held.has(key)) {
        countInto(outcome.unchanged, 'RelatedPerson');
        continue;
      }
      held.add(key);
      rows.push({
        personId,
        relationshipId: r.relationshipId,
        name: r.name,
        relationshipType: r.relationshipType,
        isCarer: r.isCarer,
        contact: r.contact,
        ...(r.createdAt ? { createdAt: r.createdAt } : {}),
      });
      countInto(outcome.imported, 'RelatedPerson');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await restoreRelationships(trx, rows);
  return changed;
}

/**
 * Writes the batch's QuestionnaireResponses as completed measures (import-responses.ts), each
 * under its id, to the library version it names, scored as recording one is, recorded by the
 * import's account. A response to a questionnaire not in the library, or whose answers do not fit
 * it, is skipped with the reason. Requests and conversations are not in the resource: none is
 * linked. One held already is left as it is. Returns the people it changed.
 */
async function restoreMeasureResponses(
  run: ImportRun,
  trx: Kysely<DB>,
  plans: PersonPlan[],
  outcomes: PersonOutcome[],
  recordedBy: RecordedBy,
): Promise<string[]> {
  const withResponses = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome && plan.responses.length ? [{ plan, outcome }] : [];
  });
  if (withResponses.length === 0) return [];
  const held = await heldResponses(
    trx,
    withResponses.map((r) => r.plan.group.personId),
  );
  const library = run.library ?? [];
  const byId = new Map(library.map((q) => [q.questionnaireId, q]));
  const rows: ResponseRow[] = [];
  const scores: ScoreRow[] = [];
  const changed: string[] = [];
  for (const { plan, outcome } of withResponses) {
    if (!('person' in outcome)) continue;
    const { personId } = plan.group;
    let wrote = false;
    for (const { response: r, id, where } of plan.responses) {
      const skip = (reason: string, element?: string) =>
        outcome.skips.push({
          type: 'QuestionnaireResponse',
          id,
          where,
          reason,
          ...(element ? { element } : {}),
        });
      const key = `${personId}/${r.responseId}`;
      if (held.has(key)) {
        countInto(outcome.unchanged, 'QuestionnaireResponse');
        continue;
      }
      const questionnaire =
        aliasOf(run.questionnaireAliases, r.questionnaire) ??
        byId.get(questionnaireOfResponse(library, r.questionnaire) ?? '');
      if (!questionnaire) {
        skip(unknownQuestionnaireReason(r.questionnaire), 'QuestionnaireResponse.questionnaire');
        continue;
      }
      let scored: ReturnType<typeof scoredResponse>;
      try {
        scored = scoredResponse(questionnaire, personId, r);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        skip(`The QuestionnaireResponse was not imported: ${error.message}`, error.field);
        continue;
      }
      if (run.questionnairesToAdd.has(questionnaire.questionnaireId)) {
        // A dry run's questionnaire is not stored: the answers fit it, and that is all to check.
        countInto(outcome.imported, 'QuestionnaireResponse');
        continue;
      }
      rows.push({
        personId,
        responseId: r.responseId,
        questionnaireId: questionnaire.questionnaireId,
        resource: scored.resource,
        authoredOn: r.authoredOn,
        recordedByUserId: recordedBy(r.recordedBy),
        completedBy: r.completedBy,
        requestId: null,
        conversationId: null,
        ...(r.recordedAt ? { recordedAt: r.recordedAt } : {}),
      });
      scores.push(...scored.scores);
      held.add(key);
      countInto(outcome.imported, 'QuestionnaireResponse');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await writeResponses(trx, rows, scores);
  return changed;
}

/**
 * Writes the batch's Encounters of ours as conversations (import-conversations.ts), each under its
 * id with who took part in the order given, recorded by the import's account (an Encounter does not
 * say who recorded it); a participant's account or organisation not held here is left out (the
 * name and role are kept) and reported. One held already is left as it is. Returns the people it
 * changed.
 */
async function restoreConversations(
  trx: Kysely<DB>,
  plans: PersonPlan[],
  outcomes: PersonOutcome[],
  recordedBy: RecordedBy,
  /** In a dry run, the accounts it would add: a participant naming one is linked (not written). */
  staff: StaffImport,
  /** In a dry run, the organisations it would add: a participant naming one is linked (not written). */
  organisationsToAdd: ReadonlySet<string>,
): Promise<string[]> {
  const withConversations = plans.flatMap((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    return 'person' in outcome && plan.conversations.length ? [{ plan, outcome }] : [];
  });
  if (withConversations.length === 0) return [];
  const held = await heldConversations(
    trx,
    withConversations.map((c) => c.plan.group.personId),
  );
  const everyone = withConversations.flatMap((c) =>
    c.plan.conversations.flatMap((x) => x.conversation.participants),
  );
  const links = await heldParticipantLinks(
    trx,
    everyone.flatMap((p) => (p.userId ? [p.userId] : [])),
    everyone.flatMap((p) => (p.organisationId ? [p.organisationId] : [])),
  );
  const rows: ConversationRow[] = [];
  const participantRows: ParticipantRow[] = [];
  const changed: string[] = [];
  for (const { plan, outcome } of withConversations) {
    if (!('person' in outcome)) continue;
    const { personId } = plan.group;
    let wrote = false;
    for (const { conversation: c, id, where } of plan.conversations) {
      const key = `${personId}/${c.conversationId}`;
      if (held.has(key)) {
        countInto(outcome.unchanged, 'Encounter');
        continue;
      }
      held.add(key);
      rows.push({
        personId,
        conversationId: c.conversationId,
        kind: c.kind,
        heldOn: c.heldOn,
        summary: c.summary,
        whatHelped: c.whatHelped,
        whatGotInTheWay: c.whatGotInTheWay,
        nextReviewDate: c.nextReviewDate,
        recordedByUserId: recordedBy(c.recordedBy),
        ...(c.recordedAt ? { recordedAt: c.recordedAt } : {}),
      });
      c.participants.forEach((p, i) => {
        const userId = p.userId && links.users.has(p.userId) ? p.userId : null;
        const pending = p.userId !== null && staff.pendingAccounts.has(p.userId);
        const organisationId =
          p.organisationId && links.organisations.has(p.organisationId) ? p.organisationId : null;
        if (p.userId && !userId && !pending)
          outcome.skips.push({
            type: 'Encounter',
            id,
            where,
            element: `Encounter.participant[${i}].individual.reference`,
            reason: `Practitioner/${p.userId} is not a user here: ${p.name} is kept by name and role.`,
          });
        if (p.organisationId && !organisationId && !organisationsToAdd.has(p.organisationId))
          outcome.skips.push({
            type: 'Encounter',
            id,
            where,
            element: `Encounter.participant[${i}].extension`,
            reason: `Organization/${p.organisationId} is not held here: left out of who ${p.name} took part for.`,
          });
        participantRows.push({
          personId,
          conversationId: c.conversationId,
          participantId: p.participantId,
          kind: p.kind,
          name: p.name,
          userId,
          organisationId,
          role: p.role,
        });
      });
      countInto(outcome.imported, 'Encounter');
      wrote = true;
    }
    if (wrote) changed.push(personId);
  }
  await writeConversations(trx, rows, participantRows);
  return changed;
}

/** The rows registering the person under their id into the organisation writes, as registering does. */
function registrationRows(
  personId: string,
  organisationId: string,
  input: NonNullable<PersonPlan['registration']>,
  deprivationDecile: number | null,
  recordedBy: RecordedBy,
  /** The input's Consent that is this basis (import-consents.ts registrationConsent), if any. */
  consent?: ConsentToRestore,
  /** The input's membership of this organisation (import-care-teams.ts), if any: it is the registration's. */
  member?: ImportedRegistration['membership'],
): ImportedRegistration {
  const orNull = (v: string | null | undefined) => v?.trim() || null;
  return {
    person: {
      person_id: personId,
      nhs_number: input.nhsNumber,
      given_name: input.givenName.trim(),
      family_name: input.familyName.trim(),
      preferred_name: orNull(input.preferredName),
      date_of_birth: input.dateOfBirth || null,
      sex: input.sex,
      gender: orNull(input.gender),
      ethnic_category: input.ethnicCategory || null,
      postcode: normalisePostcode(input.postcode),
      deprivation_decile: deprivationDecile,
      phone: orNull(input.phone),
      email: orNull(input.email),
      preferred_contact_method: orNull(input.preferredContactMethod),
      communication_needs: orNull(input.communicationNeeds),
    },
    membership: member ?? {
      person_id: personId,
      member_id: derivedUuid('fhir-import', 'registration', personId, organisationId),
      organisation_id: organisationId,
      team_id: null,
      user_id: null,
      support_kind: input.supportKind ?? 'social-care',
      role_description: '',
      is_key_worker: false,
    },
    // As sharing's recordRegistrationBasis: direct care by the organisation that registered them,
    // or the input's Consent that is that basis, as it was recorded (not the same basis twice).
    basis: {
      person_id: personId,
      basis_id:
        consent?.basisId ?? derivedUuid('fhir-import', 'registration-basis', personId, organisationId),
      organisation_id: organisationId,
      basis: 'direct-care',
      purpose: consent?.purpose ?? 'Direct care by the team that registered the person',
      note: consent?.note ?? '',
      recorded_by_user_id: recordedBy(consent?.recordedBy ?? null),
      ...(consent?.recordedAt ? { recorded_at: consent.recordedAt } : {}),
    },
  };
}

function applyOutcomes(report: ImportReport, plans: PersonPlan[], outcomes: PersonOutcome[]): void {
  plans.forEach((plan, i) => {
    const outcome = outcomes[i] as PersonOutcome;
    if ('person' in outcome) {
      if (outcome.person === 'imported') report.people.imported++;
      else report.people.unchanged++;
      if (plan.group.patient)
        countInto(outcome.person === 'imported' ? report.imported : report.unchanged, 'Patient');
      for (const [type, n] of Object.entries(outcome.imported)) countInto(report.imported, type, n);
      for (const [type, n] of Object.entries(outcome.unchanged)) countInto(report.unchanged, type, n);
      for (const skip of [...plan.skips, ...outcome.skips]) noteSkip(report, skip);
    } else {
      refusePerson(report, plan.group, outcome.refused, outcome.element);
    }
  });
}
