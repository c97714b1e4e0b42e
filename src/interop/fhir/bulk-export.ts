import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { type Actor, actorForClient } from '../../domain/actor.js';
import { operationOutcome } from '../../domain/interop/operation-outcome.js';
import { grantsScope } from '../../domain/interop/smart-scopes.js';
import type { AuditService } from '../../features/audit/audit-trail.js';
import {
  COMMAND_LINE_CLIENT,
  ensureClientAccount,
  hostingOrganisation,
} from '../../features/auth/client-account.js';
import {
  careStaffIds,
  careTeamMemberships,
  isCareStaff,
  organisationMemberships,
  PersonNotInScope,
  teamIdsOf,
} from '../../features/record-access/person-access.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import type { DB } from '../../store/schema.js';
import type { FhirContext, FhirHandler } from './handler.js';
import { FHIR_HANDLERS, fhirHandler } from './registry.js';

/**
 * FHIR Bulk Data export (Bulk Data Access IG v2, docs/FHIR.md "Bulk export"): `$export` at system,
 * Group (a team's care team) and Patient level. A kick-off records a job and queues it; jobs run in
 * this process one at a time, writing one NDJSON file per type under the export folder; the status
 * and files are only for whoever started the job. Resources are read through each type's handler,
 * that is through the services, with the caller's actor: the same access rule and audit as a read.
 *
 * Memory stays flat: people are read in keyset pages of PEOPLE_PAGE ids, and no more than
 * PEOPLE_AT_ONCE people's resources are held at once; each line is written with backpressure.
 */

export type ExportLevel = 'system' | 'patient' | 'group';

/** People read at a time (keyset pages of person ids). */
export const PEOPLE_PAGE = 500;
/** People whose records are read together (listForPeople); what is held in memory at once. */
const PEOPLE_AT_ONCE = 200;
/** People read side by side, all their types at once, for a type that reads one person at a time. */
const PEOPLE_SIDE_BY_SIDE = 16;
/** Resources of a type kept outside records (listPage) read at a time. */
export const RESOURCE_PAGE = 500;
/** How long a finished export's files are kept (from completion). */
export const EXPORT_KEEP_MS = 24 * 60 * 60 * 1000;

/** The `_outputFormat` values the IG says a server SHALL accept, all meaning NDJSON. */
export const OUTPUT_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'] as const;
/** Parameters of the IG this server does not support: refused unless `Prefer: handling=lenient`. */
const UNSUPPORTED_PARAMS = ['_typeFilter', '_elements', 'patient', 'includeAssociatedData', '_until'];

/** What a kick-off asks for, parsed and checked. */
export interface ExportParams {
  /** The types asked for, or null for every type this level exports (and the caller may read). */
  types: string[] | null;
  since: Date | null;
}

/** A FHIR instant: a date and time to the second at least, with a zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = (message: string, field: string) =>
  new ServiceError(400, 'Invalid export request', message, field);

function valuesOf(query: Record<string, string | string[] | undefined>, name: string): string[] {
  const raw = query[name];
  return raw === undefined ? [] : [raw].flat();
}

/**
 * The kick-off's parameters (from the query string or a Parameters body), refusing what this
 * server cannot honour with a 400 naming the parameter: an unknown `_outputFormat`, a `_since`
 * that is no instant, a `_type` this server does not export at this level, or a parameter of the
 * IG it does not support (ignored instead when `lenient`).
 */
export function parseExportParams(
  query: Record<string, string | string[] | undefined>,
  level: ExportLevel,
  options: { lenient?: boolean } = {},
): ExportParams {
  for (const name of UNSUPPORTED_PARAMS) {
    if (!options.lenient && valuesOf(query, name).length) {
      throw invalid(
        `This server does not support ${name} on $export (send Prefer: handling=lenient to ignore it).`,
        name,
      );
    }
  }
  const formats = valuesOf(query, '_outputFormat');
  if (formats.length > 1) throw invalid('Give _outputFormat once.', '_outputFormat');
  const [format] = formats;
  if (format !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw invalid(`_outputFormat must be one of ${OUTPUT_FORMATS.join(', ')}.`, '_outputFormat');
  }
  const sinces = valuesOf(query, '_since');
  if (sinces.length > 1) throw invalid('Give _since once.', '_since');
  let since: Date | null = null;
  if (sinces[0] !== undefined) {
    since = new Date(sinces[0]);
    if (!INSTANT.test(sinces[0]) || Number.isNaN(since.getTime())) {
      throw invalid(
        '_since must be a FHIR instant with a time zone, such as 2026-01-31T09:00:00Z.',
        '_since',
      );
    }
  }
  const asked = valuesOf(query, '_type')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (valuesOf(query, '_type').length && asked.length === 0) throw invalid('_type names no type.', '_type');
  const exportable = exportableTypes(level);
  const unknown = asked.filter((t) => !exportable.includes(t));
  if (unknown.length) {
    const atSystem = level !== 'system' && unknown.every((t) => exportableTypes('system').includes(t));
    throw invalid(
      atSystem
        ? `${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} kept outside people's records: export ${unknown.length > 1 ? 'them' : 'it'} with /fhir/$export.`
        : `This server does not export ${unknown.join(', ')}${level === 'system' ? '' : ' at this level'}; it exports ${exportable.join(', ')}.`,
      '_type',
    );
  }
  return { types: asked.length ? [...new Set(asked)] : null, since };
}

/** The query a Parameters body (POST kick-off) means: each parameter's value as text. */
export function queryOfParameters(body: unknown): Record<string, string[]> {
  const parameters = body as { resourceType?: unknown; parameter?: unknown };
  if (typeof body !== 'object' || body === null || parameters.resourceType !== 'Parameters') {
    throw invalid('The body of a POST $export must be a Parameters resource.', 'resourceType');
  }
  const query: Record<string, string[]> = {};
  const list = parameters.parameter ?? [];
  if (!Array.isArray(list)) throw invalid('Parameters.parameter must be a list.', 'Parameters.parameter');
  for (const p of list as Record<string, unknown>[]) {
    const name = typeof p?.name === 'string' ? p.name : '';
    const value = p?.valueString ?? p?.valueInstant ?? p?.valueCode ?? p?.valueDateTime;
    if (!name || typeof value !== 'string') {
      throw invalid(
        'Each parameter needs a name and a valueString (valueInstant for _since).',
        'Parameters.parameter',
      );
    }
    query[name] = [...(query[name] ?? []), value];
  }
  return query;
}

/** The types a level can export: kept in a person's record, plus (system level) those paged outside records. */
export function exportableTypes(level: ExportLevel): string[] {
  return FHIR_HANDLERS.filter((h) => h.listForPerson || (level === 'system' && h.listPage)).map(
    (h) => h.type,
  );
}

/** The scope a system client needs for each type it exports. */
export const exportScopeOf = (type: string) => `system/${type}.r`;

/** One file of an export: its type, its name in the job's folder and how many resources it holds. */
export interface ExportFile {
  type: string;
  file: string;
  count: number;
}

export interface ExportOutcome {
  output: ExportFile[];
  error: ExportFile[];
  resources: number;
}

/** What the job row keeps in `output`. */
interface StoredOutput {
  output: ExportFile[];
  error: ExportFile[];
}

export interface ExportStatus {
  state: 'in-progress' | 'complete' | 'failed';
  progress: string;
  transactionTime: Date;
  request: string;
  output: ExportFile[];
  error: ExportFile[];
  expires: Date | null;
  message: string | null;
}

/** One NDJSON file per type in a folder, each opened on its first line; writes wait for `drain`. */
export class NdjsonFiles {
  private readonly streams = new Map<string, { stream: WriteStream; file: ExportFile }>();

  constructor(readonly dir: string) {}

  async write(type: string, resource: Resource): Promise<void> {
    let entry = this.streams.get(type);
    if (!entry) {
      const file = `${type}.ndjson`;
      const stream = createWriteStream(path.join(this.dir, file), { flags: 'w' });
      entry = { stream, file: { type, file, count: 0 } };
      this.streams.set(type, entry);
    }
    entry.file.count++;
    if (!entry.stream.write(`${JSON.stringify(resource)}\n`)) await once(entry.stream, 'drain');
  }

  /** Closes every file; the files written, in the order they were opened. */
  async close(): Promise<ExportFile[]> {
    const files: ExportFile[] = [];
    for (const { stream, file } of this.streams.values()) {
      await new Promise<void>((resolve, reject) =>
        stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      files.push(file);
    }
    this.streams.clear();
    return files;
  }
}

/** What to export, for whom: the caller's context, the level, the group, the types, `_since`. */
export interface ExportPlan {
  level: ExportLevel;
  groupId: string | null;
  types: string[];
  since: Date | null;
}

/** Whether to stop (a cancelled job, a server stopping); checked between people. */
type ShouldStop = () => boolean;

/**
 * The person ids the actor may export, a keyset page at a time: a system client's organisation's
 * records, a care-staff user's caseload (the same rules as opening one record), narrowed to a team.
 */
function peoplePage(
  db: Kysely<DB>,
  actor: Actor,
  groupId: string | null,
  after: string | null,
  limit: number,
) {
  if (actor.client) {
    let q = organisationMemberships(db, actor.client.organisationId)
      .select('m.person_id as personId')
      .distinct();
    if (groupId) q = q.where('m.team_id', '=', groupId);
    if (after) q = q.where('m.person_id', '>', after);
    return q.orderBy('m.person_id').limit(limit).execute();
  }
  const { ids, teams } = careStaffIds(actor);
  let q = careTeamMemberships(db, ids, teams).select('m.person_id as personId').distinct();
  if (groupId) q = q.where('m.team_id', '=', groupId);
  if (after) q = q.where('m.person_id', '>', after);
  return q.orderBy('m.person_id').limit(limit).execute();
}

async function peopleCount(db: Kysely<DB>, actor: Actor, groupId: string | null): Promise<number> {
  if (actor.client) {
    let q = organisationMemberships(db, actor.client.organisationId).select((eb) =>
      eb.fn.count<string>('m.person_id').distinct().as('n'),
    );
    if (groupId) q = q.where('m.team_id', '=', groupId);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }
  const { ids, teams } = careStaffIds(actor);
  let q = careTeamMemberships(db, ids, teams).select((eb) =>
    eb.fn.count<string>('m.person_id').distinct().as('n'),
  );
  if (groupId) q = q.where('m.team_id', '=', groupId);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

const changedSince = (resource: Resource, since: Date | null) =>
  since === null || (resource.meta?.lastUpdated !== undefined && new Date(resource.meta.lastUpdated) > since);

/** An OperationOutcome line in the error file for a refused read; a fault (5xx) stops the export. */
async function writeRefusal(errors: NdjsonFiles, about: string, error: unknown): Promise<void> {
  if (!(error instanceof ServiceError && error.status < 500)) throw error;
  await errors.write(
    'OperationOutcome',
    operationOutcome({ status: error.status, diagnostics: `${about}: ${error.message}` }),
  );
}

/**
 * Writes a few people's resources of each type. Types that read many people at once
 * (`listForPeople`) get one access check and audit entry per person for the whole export of their
 * record (`requireEach`), then a few queries per type for all of them; any other type is read
 * person by person through `listForPerson`, checked and audited per read, PEOPLE_SIDE_BY_SIDE at a
 * time. A person whose record left the caller's scope meanwhile is left out whole.
 */
async function writePeople(
  ctx: FhirContext,
  personIds: readonly string[],
  handlers: readonly FhirHandler[],
  since: Date | null,
  files: NdjsonFiles,
  errors: NdjsonFiles,
): Promise<number> {
  let written = 0;
  const write = async (type: string, resources: readonly Resource[]) => {
    for (const resource of resources) {
      if (!changedSince(resource, since)) continue;
      await files.write(type, resource);
      written++;
    }
  };
  const together = handlers.filter((h) => h.listForPeople);
  const oneByOne = handlers.filter((h) => !h.listForPeople);
  let inScope = personIds;
  if (together.length) {
    const grants = await ctx.services.access.requireEach(ctx.actor, personIds, 'view', 'fhir-bulk-export');
    inScope = grants.map((g) => g.personId);
    const read = await Promise.allSettled(
      together.map((h) => (h.listForPeople as NonNullable<FhirHandler['listForPeople']>)(ctx, grants)),
    );
    for (const [h, result] of read.entries()) {
      const { type } = together[h] as FhirHandler;
      if (result.status === 'rejected') {
        await writeRefusal(
          errors,
          `${type} of ${grants.length} people from Patient/${inScope[0]}`,
          result.reason,
        );
        continue;
      }
      for (const personId of inScope) await write(type, result.value.get(personId) ?? []);
    }
  }
  for (let i = 0; oneByOne.length && i < inScope.length; i += PEOPLE_SIDE_BY_SIDE) {
    const people = inScope.slice(i, i + PEOPLE_SIDE_BY_SIDE);
    // Every type of a few people is read at once: the reads' audit entries go in one append
    // (AuditService queues what arrives together), and a server answers them side by side.
    const read = await Promise.all(
      people.map((personId) =>
        Promise.allSettled(
          oneByOne.map((h) => (h.listForPerson as NonNullable<FhirHandler['listForPerson']>)(ctx, personId)),
        ),
      ),
    );
    for (const [p, results] of read.entries()) {
      if (results.some((r) => r.status === 'rejected' && r.reason instanceof PersonNotInScope)) continue;
      for (const [h, result] of results.entries()) {
        const { type } = oneByOne[h] as FhirHandler;
        if (result.status === 'rejected')
          await writeRefusal(errors, `${type} of Patient/${people[p]}`, result.reason);
        else await write(type, result.value);
      }
    }
  }
  return written;
}

/**
 * Writes the plan's resources to `files`: each person's resources of each type through the
 * type's handler (so through the services, access-checked and audited there), then at system
 * level the types kept outside records, a page at a time. A person whose record left the caller's
 * scope during the export is skipped; another refusal of one person's record becomes an
 * OperationOutcome line in the error file and the export goes on.
 */
export async function writeExport(
  ctx: FhirContext,
  plan: ExportPlan,
  files: NdjsonFiles,
  errors: NdjsonFiles,
  options: { onProgress?: (done: number, total: number) => Promise<void>; shouldStop?: ShouldStop } = {},
): Promise<number> {
  const db = ctx.services.database.db;
  const handlers = plan.types.map((t) => fhirHandler(t)).filter((h): h is FhirHandler => h !== undefined);
  const inRecords = handlers.filter((h) => h.listForPerson);
  const outside = plan.level === 'system' ? handlers.filter((h) => !h.listForPerson && h.listPage) : [];
  let written = 0;
  if (inRecords.length) {
    const total = await peopleCount(db, ctx.actor, plan.groupId);
    let done = 0;
    let after: string | null = null;
    for (;;) {
      const page = await peoplePage(db, ctx.actor, plan.groupId, after, PEOPLE_PAGE);
      for (let i = 0; i < page.length; i += PEOPLE_AT_ONCE) {
        if (options.shouldStop?.()) return written;
        const people = page.slice(i, i + PEOPLE_AT_ONCE).map((p) => p.personId);
        written += await writePeople(ctx, people, inRecords, plan.since, files, errors);
        done += people.length;
      }
      await options.onProgress?.(done, total);
      if (page.length < PEOPLE_PAGE) break;
      after = page[page.length - 1]?.personId ?? null;
    }
  }
  for (const handler of outside) {
    const listPage = handler.listPage as NonNullable<FhirHandler['listPage']>;
    for (let offset = 0; ; offset += RESOURCE_PAGE) {
      if (options.shouldStop?.()) return written;
      const page = await listPage(ctx, offset, RESOURCE_PAGE);
      for (const resource of page) {
        if (!changedSince(resource, plan.since)) continue;
        await files.write(handler.type, resource);
        written++;
      }
      if (page.length < RESOURCE_PAGE) break;
    }
  }
  return written;
}

/** The plan for a caller: who they are decides which types they may have and which people. */
async function planFor(
  db: Kysely<DB>,
  actor: Actor,
  level: ExportLevel,
  groupId: string | null,
  params: ExportParams,
  clientScopes: readonly string[] | null,
): Promise<ExportPlan> {
  if (!actor.client && !isCareStaff(actor)) {
    throw new ServiceError(
      403,
      'Not allowed',
      'Bulk export is for care staff (their caseload) and system clients (their organisation’s records).',
    );
  }
  let types = params.types ?? exportableTypes(level);
  if (clientScopes) {
    if (params.types) {
      const missing = types.filter((t) => !grantsScope(clientScopes, exportScopeOf(t)));
      if (missing.length) {
        throw new ServiceError(
          403,
          'Insufficient scope',
          `Exporting ${missing.join(', ')} needs the scope${missing.length > 1 ? 's' : ''} ${missing.map(exportScopeOf).join(' ')}.`,
          '_type',
        );
      }
    } else {
      types = types.filter((t) => grantsScope(clientScopes, exportScopeOf(t)));
      if (types.length === 0) {
        throw new ServiceError(
          403,
          'Insufficient scope',
          'This client may read none of the types this export holds.',
          '_type',
        );
      }
    }
  }
  if (level === 'group') {
    const team =
      groupId && UUID.test(groupId)
        ? await db
            .selectFrom('team')
            .select(['team_id', 'organisation_id'])
            .where('team_id', '=', groupId)
            .executeTakeFirst()
        : undefined;
    const mayKnow =
      team &&
      (actor.client
        ? team.organisation_id === actor.client.organisationId
        : teamIdsOf(actor).includes(team.team_id));
    if (!mayKnow)
      throw new ServiceError(
        404,
        'Not found',
        `No Group with the id ${groupId}: a Group is one of your teams (its team id).`,
      );
  }
  return { level, groupId: level === 'group' ? groupId : null, types, since: params.since };
}

/**
 * Everything an organisation holds, exported at once into `dir` as the system client `cli` acting
 * for it (by default the hosting organisation): the CLI's `fhir export` and the benchmark.
 */
export async function exportOrganisationToFolder(
  services: Services,
  options: { organisationId?: string; params: ExportParams; dir: string },
): Promise<ExportOutcome & { organisationId: string }> {
  const db = services.database.db;
  let organisationId = options.organisationId?.trim();
  if (organisationId) {
    const known = /^[0-9a-f-]{36}$/i.test(organisationId)
      ? await db
          .selectFrom('organisation')
          .select('organisation_id')
          .where('organisation_id', '=', organisationId)
          .executeTakeFirst()
      : undefined;
    if (!known)
      throw new ServiceError(
        422,
        'Unknown organisation',
        `There is no organisation ${organisationId}.`,
        'organisationId',
      );
  } else {
    organisationId = (await hostingOrganisationId(db)) ?? undefined;
    if (!organisationId)
      throw new ServiceError(
        422,
        'No organisation',
        'There is no organisation yet, so no records to export.',
        'organisationId',
      );
  }
  const actor = actorForClient(
    {
      clientId: COMMAND_LINE_CLIENT,
      organisationId,
      userId: await ensureClientAccount(db, COMMAND_LINE_CLIENT),
    },
    null,
  );
  const done = await exportToFolder({ actor, services, baseUrl: '' }, 'system', options.params, options.dir);
  return { ...done, organisationId };
}

/** The hosting organisation's id (client-account.ts), or null when there is no organisation. */
export async function hostingOrganisationId(db: Kysely<DB>): Promise<string | null> {
  return (await hostingOrganisation(db))?.organisationId ?? null;
}

export interface KickOff {
  ctx: FhirContext;
  level: ExportLevel;
  groupId: string | null;
  params: ExportParams;
  /** The client's granted scopes, for a system client; null for a signed-in user. */
  clientScopes: readonly string[] | null;
  requestUrl: string;
}

interface QueuedJob {
  jobId: string;
  ctx: FhirContext;
  plan: ExportPlan;
}

/** The job is the caller's: the client that started it, or the user (never a client's account). */
const ownerOf = (actor: Actor) =>
  actor.client
    ? { requested_by_client_id: actor.client.clientId, requested_by_user_id: null }
    : { requested_by_user_id: actor.userId, requested_by_client_id: null };

const notFound = (jobId: string) =>
  new ServiceError(
    404,
    'Not found',
    `No export job ${jobId} of yours (it may have been deleted or have expired).`,
  );

/**
 * The export jobs: kick-off, the queue that runs them one at a time in this process, status,
 * files and cancelling. Files live in `<dir>/<jobId>/`, deleted when the job is deleted or
 * EXPORT_KEEP_MS after it completed. On the first use after a start, jobs left in progress by an
 * earlier process are marked failed (one server process per database runs exports).
 */
export class FhirExportService {
  private readonly queue: QueuedJob[] = [];
  private running: Promise<void> | null = null;
  private readonly cancelled = new Set<string>();
  private stopping = false;
  private recovered: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    readonly dir: string = path.join(os.tmpdir(), 'whatmatters-exports'),
  ) {}

  private ready(): Promise<void> {
    this.recovered ??= (async () => {
      await this.db
        .updateTable('fhir_export_job')
        .set({
          status: 'failed',
          error: 'The server stopped before the export finished.',
          completed_at: new Date(),
        })
        .where('status', '=', 'in-progress')
        .execute();
    })();
    return this.recovered;
  }

  /** Checks the request and the caller's right to it, records the job and queues it; the job id. */
  async kickOff(k: KickOff): Promise<string> {
    await this.ready();
    await this.expire();
    const { actor } = k.ctx;
    let plan: ExportPlan;
    try {
      plan = await planFor(this.db, actor, k.level, k.groupId, k.params, k.clientScopes);
    } catch (error) {
      await this.audit.record(actor, {
        action: 'fhir-export-start',
        resourceType: 'fhir_export_job',
        resourceId: null,
        purpose: error instanceof ServiceError ? error.message : null,
        outcome: 'denied',
      });
      throw error;
    }
    const jobId = crypto.randomUUID();
    const now = new Date();
    await this.db
      .insertInto('fhir_export_job')
      .values({
        job_id: jobId,
        ...ownerOf(actor),
        organisation_id: actor.client?.organisationId ?? null,
        export_level: plan.level,
        group_id: plan.groupId,
        resource_types: plan.types,
        since: plan.since,
        request_url: k.requestUrl,
        transaction_time: now,
        output: JSON.stringify({ output: [], error: [] } satisfies StoredOutput),
      })
      .execute();
    await this.audit.record(actor, {
      action: 'fhir-export-start',
      resourceType: 'fhir_export_job',
      resourceId: jobId,
      purpose: `${plan.level} export of ${plan.types.join(', ')}`,
      outcome: 'success',
    });
    this.queue.push({ jobId, ctx: k.ctx, plan });
    this.running ??= this.drain();
    return jobId;
  }

  private async drain(): Promise<void> {
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        await this.run(job);
      }
    } finally {
      this.running = null;
    }
  }

  private async run({ jobId, ctx, plan }: QueuedJob): Promise<void> {
    const dir = path.join(this.dir, jobId);
    const stop = () => this.stopping || this.cancelled.has(jobId);
    if (stop()) return this.abandon(jobId, dir);
    const files = new NdjsonFiles(dir);
    const errors = new NdjsonFiles(dir);
    try {
      await mkdir(dir, { recursive: true });
      await writeExport(ctx, plan, files, errors, {
        shouldStop: stop,
        onProgress: async (done, total) => {
          await this.db
            .updateTable('fhir_export_job')
            .set({ progress: `${done} of ${total} people` })
            .where('job_id', '=', jobId)
            .where('status', '=', 'in-progress')
            .execute();
        },
      });
      const output: StoredOutput = { output: await files.close(), error: await errors.close() };
      if (stop()) return this.abandon(jobId, dir);
      const [completed] = await this.db
        .updateTable('fhir_export_job')
        .set({
          status: 'complete',
          progress: '100%',
          output: JSON.stringify(output),
          completed_at: new Date(),
        })
        .where('job_id', '=', jobId)
        .where('status', '=', 'in-progress')
        .execute();
      // Deleted just as it finished: its files go too.
      if (!completed?.numUpdatedRows) await rm(dir, { recursive: true, force: true });
    } catch (error) {
      await files.close().catch(() => undefined);
      await errors.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      await this.db
        .updateTable('fhir_export_job')
        .set({
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          completed_at: new Date(),
        })
        .where('job_id', '=', jobId)
        .where('status', '=', 'in-progress')
        .execute()
        .catch(() => undefined);
    } finally {
      this.cancelled.delete(jobId);
    }
  }

  private async abandon(jobId: string, dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    if (this.stopping) {
      await this.db
        .updateTable('fhir_export_job')
        .set({
          status: 'failed',
          error: 'The server stopped before the export finished.',
          completed_at: new Date(),
        })
        .where('job_id', '=', jobId)
        .where('status', '=', 'in-progress')
        .execute()
        .catch(() => undefined);
    }
  }

  private async jobOf(actor: Actor, jobId: string) {
    if (!UUID.test(jobId)) throw notFound(jobId);
    const owner = ownerOf(actor);
    let q = this.db
      .selectFrom('fhir_export_job')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('status', '!=', 'cancelled');
    q = owner.requested_by_client_id
      ? q.where('requested_by_client_id', '=', owner.requested_by_client_id)
      : q.where('requested_by_user_id', '=', owner.requested_by_user_id as string);
    const job = await q.executeTakeFirst();
    if (!job) throw notFound(jobId);
    return job;
  }

  /** The job's state, for its owner only (404 for anyone else, as for a job that never was). */
  async status(actor: Actor, jobId: string): Promise<ExportStatus> {
    await this.ready();
    await this.expire();
    const job = await this.jobOf(actor, jobId);
    const stored = (job.status === 'complete' ? job.output : { output: [], error: [] }) as StoredOutput;
    return {
      state: job.status as ExportStatus['state'],
      progress: job.progress,
      transactionTime: job.transaction_time,
      request: job.request_url,
      output: stored.output ?? [],
      error: stored.error ?? [],
      expires: job.completed_at ? new Date(job.completed_at.getTime() + EXPORT_KEEP_MS) : null,
      message: job.error,
    };
  }

  /** The path of one of a complete job's files, for its owner; audited as the records leaving. */
  async file(actor: Actor, jobId: string, file: string): Promise<{ path: string; type: string }> {
    const status = await this.status(actor, jobId);
    const listed = [...status.output, ...status.error].find((f) => f.file === file);
    if (status.state !== 'complete' || !listed)
      throw new ServiceError(404, 'Not found', `Export ${jobId} has no file ${file}.`);
    await this.audit.record(actor, {
      action: 'fhir-export-download',
      resourceType: 'fhir_export_job',
      resourceId: jobId,
      purpose: file,
      outcome: 'success',
    });
    return { path: path.join(this.dir, jobId, listed.file), type: listed.type };
  }

  /** Cancels a job in progress or deletes a finished one, with its files; then it is not found. */
  async cancel(actor: Actor, jobId: string): Promise<void> {
    await this.ready();
    const job = await this.jobOf(actor, jobId);
    await this.db
      .updateTable('fhir_export_job')
      .set({ status: 'cancelled', completed_at: job.completed_at ?? new Date() })
      .where('job_id', '=', jobId)
      .execute();
    this.cancelled.add(jobId);
    // A job still queued is dropped; one running stops at its next person and removes its folder.
    const queued = this.queue.findIndex((j) => j.jobId === jobId);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (job.status !== 'in-progress' || queued >= 0) {
      this.cancelled.delete(jobId);
      await rm(path.join(this.dir, jobId), { recursive: true, force: true });
    }
    await this.audit.record(actor, {
      action: 'fhir-export-delete',
      resourceType: 'fhir_export_job',
      resourceId: jobId,
      outcome: 'success',
    });
  }

  /** Deletes the files of exports completed more than EXPORT_KEEP_MS ago (their jobs then are not found). */
  async expire(now = new Date()): Promise<number> {
    const old = await this.db
      .updateTable('fhir_export_job')
      .set({ status: 'cancelled', error: 'expired' })
      .where('status', 'in', ['complete', 'failed'])
      .where('completed_at', '<', new Date(now.getTime() - EXPORT_KEEP_MS))
      .returning('job_id')
      .execute();
    for (const { job_id } of old) await rm(path.join(this.dir, job_id), { recursive: true, force: true });
    return old.length;
  }

  /** Waits for the jobs queued so far (tests, the CLI). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops at the next person; the job running then is marked failed. Called when the server closes. */
  async close(): Promise<void> {
    this.stopping = true;
    this.queue.length = 0;
    await this.running;
  }
}

/**
 * An export run at once into `dir` (the CLI): the same plan checks and the same writing as a job,
 * with no job row. Returns the files written and how many resources.
 */
export async function exportToFolder(
  ctx: FhirContext,
  level: ExportLevel,
  params: ExportParams,
  dir: string,
): Promise<ExportOutcome> {
  const plan = await planFor(ctx.services.database.db, ctx.actor, level, null, params, null);
  await mkdir(dir, { recursive: true });
  const files = new NdjsonFiles(dir);
  const errors = new NdjsonFiles(dir);
  try {
    const resources = await writeExport(ctx, plan, files, errors);
    return { output: await files.close(), error: await errors.close(), resources };
  } catch (error) {
    await files.close().catch(() => undefined);
    await errors.close().catch(() => undefined);
    throw error;
  }
}
