import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { todayIso } from '../../src/domain/calendar.js';
import { emptyCarePlan } from '../../src/domain/care-plan.js';
import { isValidNhsNumber, nhsNumberCheckDigit } from '../../src/domain/nhs-number.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, prepareDatabase } from '../../src/services/index.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { cookieHeader } from '../support/test-app.js';
import { testAuditTrail, testBackend } from '../support/test-database.js';

/**
 * Erasure is physical (issue 8): after an approved erasure nothing of the person is left in the
 * raw data folder, neither in the table and index files nor in the write-ahead log. Two people are
 * registered through the API and given the same kind of record, each free-text field holding its
 * own unique marker (`Zqx` + the field + random hex, so a marker found says which field leaked),
 * and each with their own NHS number, sign-in, user agent and client address. One is erased; then
 * the database is closed and every file of the data folder is read as bytes. None of the erased
 * person's markers may be there; every one of the other person's must be (the control: it proves
 * the scan finds what is stored, and that texts this short are stored uncompressed).
 *
 * Embedded database only: a PostgreSQL server gets plain VACUUM after erasure (VACUUM FULL would
 * lock the tables for as long as a rewrite takes), which leaves the bytes in free space until they
 * are overwritten, as docs/SECURITY.md says; nor can the test read a server's files.
 */
const ONLY_EMBEDDED =
  'the embedded database only: a PostgreSQL server keeps erased bytes in free space after plain VACUUM (docs/SECURITY.md)';

/** Registration's contact details, replaced by the update: old row versions, gone after VACUUM FULL. */
const SUPERSEDED = new Set(['PREFERRED', 'PHONE', 'EMAIL', 'CONTACTBY', 'COMMNEEDS']);
/** The client address the person's own requests came from. */
const CLIENT_ADDRESS = 'CLIENTADDRESS';

/** Tests sign in far more often than people do. */
const RATE_LIMITS = {
  signIn: { max: 10_000, windowMs: 60_000 },
  token: { max: 10_000, windowMs: 60_000 },
};

let dataDir: string;
let database: Database | null = null;
let app: FastifyInstance | null = null;

/** Opens the database on the data folder, prepared as at every start, and the app on it. */
async function start(options: { demo: boolean }): Promise<void> {
  database = await openDatabase({ databaseUrl: null, dataDir, auditTrail: testAuditTrail() });
  await prepareDatabase(database);
  const services = createServices(database);
  if (options.demo) await services.demoData.load({ people: 6, seed: 'test' });
  app = await buildApp({ services, rateLimits: RATE_LIMITS });
  await app.ready();
}

/** Closes the app and the database, so everything the database holds is in its files. */
async function stop(): Promise<void> {
  await app?.close();
  app = null;
  await database?.close();
  database = null;
}

/** Everything planted for one person: field → the text a scan must (or must not) find. */
interface Planted {
  personId: string;
  needles: Map<string, string>;
  /** How the person's own requests are made: their session, device and address. */
  asPerson: { cookie: string; headers: Record<string, string>; remoteAddress: string };
}

let erased: Planted;
let kept: Planted;
/** pg_relation_filepath → table, after erasure: names the table a leaked marker was found in. */
let relationFiles: Map<string, string>;

function db() {
  if (!database) throw new Error('database closed');
  return database.db;
}

function server(): FastifyInstance {
  if (!app) throw new Error('app closed');
  return app;
}

async function call(
  what: string,
  status: number,
  options: InjectOptions & { cookie: string },
): Promise<LightMyRequestResponse> {
  const { cookie, headers, ...rest } = options;
  const response = await server().inject({ ...rest, headers: { ...headers, cookie } });
  expect(response.statusCode, `${what}: ${response.body}`).toBe(status);
  return response;
}

async function signIn(
  username: string,
  origin: { userAgent?: string; remoteAddress?: string } = {},
): Promise<string> {
  const response = await server().inject({
    method: 'POST',
    url: '/api/session',
    payload: { username, password: DEMO_PASSWORD },
    headers: origin.userAgent ? { 'user-agent': origin.userAgent } : {},
    ...(origin.remoteAddress ? { remoteAddress: origin.remoteAddress } : {}),
  });
  expect(response.statusCode, `sign-in as ${username}: ${response.body}`).toBe(200);
  return cookieHeader(response);
}

/** A valid NHS number (Modulus 11) nobody in the database has. */
async function unusedNhsNumber(): Promise<string> {
  for (;;) {
    const first9 = String(randomInt(100_000_000, 1_000_000_000));
    const check = nhsNumberCheckDigit(first9);
    if (check === null) continue;
    const candidate = `${first9}${check}`;
    if (!isValidNhsNumber(candidate)) continue;
    const taken = await db()
      .selectFrom('person_nhs_number')
      .select('person_id')
      .where('nhs_number', '=', candidate)
      .executeTakeFirst();
    if (!taken) return candidate;
  }
}

/** A client address unlikely to be anywhere else: 10.x.y.z with three-digit parts. */
const uniqueAddress = () => `10.${randomInt(100, 255)}.${randomInt(100, 255)}.${randomInt(100, 255)}`;

/** Generated staff have no password: give one the demo password's hash so the test can sign in. */
async function givePassword(userId: string): Promise<string> {
  const { password_hash } = await db()
    .selectFrom('user_account')
    .select('password_hash')
    .where('username', '=', 'practitioner@demo')
    .executeTakeFirstOrThrow();
  const { username } = await db()
    .updateTable('user_account')
    .set({ password_hash })
    .where('user_id', '=', userId)
    .returning('username')
    .executeTakeFirstOrThrow();
  return username;
}

interface Staff {
  practitioner: string;
  admin: string;
  /** A GP practice's practitioner, in neither person's care team: reads by break-glass. */
  outsider: string;
  domainIds: string[];
  housing: { organisationId: string; teamId: string | null };
  charity: { organisationId: string };
}

/**
 * Registers a person as practitioner@demo and fills every free-text field the API reaches with a
 * marker, through every role that writes one: the practitioner, the person themselves (with their
 * own sign-in), a practitioner outside the care team by break-glass, and an administrator
 * searching the audit trail by the person's NHS number.
 */
async function plantPerson(staff: Staff): Promise<Planted> {
  const needles = new Map<string, string>();
  const m = (field: string) => {
    const marker = `Zqx${field}${randomBytes(4).toString('hex')}`;
    needles.set(field, marker);
    return marker;
  };
  /** For fields stored lower-cased (usernames, email addresses). */
  const lower = (field: string) => {
    const marker = m(field).toLowerCase();
    needles.set(field, marker);
    return marker;
  };
  /** For phone numbers, which must be one: a mobile number of 07 and nine random digits. */
  const phone = (field: string) => {
    const marker = `07${String(randomBytes(4).readUInt32BE(0) % 1_000_000_000).padStart(9, '0')}`;
    needles.set(field, marker);
    return marker;
  };
  const nhsNumber = await unusedNhsNumber();
  needles.set('NHS number', nhsNumber);
  const { practitioner, admin, outsider } = staff;

  // Registered by the practitioner, with every detail registration takes.
  const registered = await call('register', 201, {
    method: 'POST',
    url: '/api/people',
    cookie: practitioner,
    payload: {
      givenName: m('GIVEN'),
      familyName: m('FAMILY'),
      preferredName: m('PREFERRED'),
      dateOfBirth: '1944-03-07',
      nhsNumber: `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`,
      sex: 'female',
      gender: m('GENDER'),
      phone: phone('PHONE'),
      email: `${lower('EMAIL')}@example.org`,
      preferredContactMethod: m('CONTACTBY'),
      communicationNeeds: m('COMMNEEDS'),
    },
  });
  const personId: string = registered.json().personId;
  const base = `/api/people/${personId}`;

  // Contact details changed: the registered values become old row versions.
  await call('update contact', 204, {
    method: 'PATCH',
    url: `${base}/contact`,
    cookie: practitioner,
    payload: {
      preferredName: m('PREFERRED2'),
      phone: phone('PHONE2'),
      email: `${lower('EMAIL2')}@example.org`,
      preferredContactMethod: m('CONTACTBY2'),
      communicationNeeds: m('COMMNEEDS2'),
      address: `12 ${m('ADDRESS1')} Road, ${m('ADDRESS2')}`,
    },
  });

  // People important to them.
  await call('add relationship', 201, {
    method: 'POST',
    url: `${base}/relationships`,
    cookie: practitioner,
    payload: {
      name: m('RELNAME'),
      relationshipType: m('RELTYPE'),
      isCarer: true,
      contact: m('RELCONTACT'),
    },
  });

  // Another agency in the care team, on the person's consent; a second basis recorded, withdrawn.
  await call('add care team member', 201, {
    method: 'POST',
    url: `${base}/care-team`,
    cookie: practitioner,
    payload: {
      organisationId: staff.housing.organisationId,
      teamId: staff.housing.teamId,
      supportKind: 'housing',
      roleDescription: m('TEAMROLE'),
      sharing: { basis: 'consent', purpose: m('SHAREPURPOSE1') },
    },
  });
  const basis = await call('record sharing basis', 201, {
    method: 'POST',
    url: `${base}/sharing`,
    cookie: practitioner,
    payload: {
      organisationId: staff.charity.organisationId,
      basis: 'consent',
      purpose: m('SHAREPURPOSE2'),
      note: m('SHARENOTE'),
    },
  });
  await call('withdraw sharing basis', 204, {
    method: 'POST',
    url: `${base}/sharing/${basis.json().basisId}/withdraw`,
    cookie: practitioner,
    payload: { reason: m('SHAREWITHDRAW') },
  });

  // A good conversation: what matters in the person's own words, ratings, a GAS goal.
  const conversation = await call('record conversation', 201, {
    method: 'POST',
    url: `${base}/conversations`,
    cookie: practitioner,
    payload: {
      kind: 'first',
      heldOn: todayIso(),
      summary: `Met at home. ${m('CONVSUMMARY')}`,
      whatHelped: m('CONVHELPED'),
      whatGotInTheWay: m('CONVHINDERED'),
      participants: [
        { kind: 'person', name: m('PARTPERSON') },
        { kind: 'carer', name: m('PARTCARER'), role: m('PARTROLE') },
      ],
      newOutcomes: [
        {
          statement: `I want to ${m('OUTCOME1')}`,
          whyItMatters: m('WHY1'),
          domainIds: [staff.domainIds[0]],
          importance: 8,
          ratings: [{ viewpoint: 'person', score: 2, note: m('CONVRATENOTE') }],
          gas: {
            levels: {
              '-2': m('GASMINUS2'),
              '-1': m('GASMINUS1'),
              '0': m('GASZERO'),
              '1': m('GASPLUS1'),
              '2': m('GASPLUS2'),
            },
            baselineLevel: -1,
          },
        },
      ],
    },
  });
  const [outcomeId] = conversation.json().outcomeIds as string[];
  await call('rate outcome (practitioner)', 201, {
    method: 'POST',
    url: `${base}/outcomes/${outcomeId}/ratings`,
    cookie: practitioner,
    payload: { score: 3, note: m('PRACRATENOTE') },
  });

  // The plan: every free-text part of its body.
  const plan = emptyCarePlan();
  plan.aboutMe = {
    mostImportant: m('ABOUTMOST'),
    importantPeople: m('ABOUTPEOPLE'),
    communication: m('ABOUTCOMM'),
    pleaseDo: m('ABOUTDO'),
    pleaseDont: m('ABOUTDONT'),
  };
  plan.strengths = [m('STRENGTH')];
  plan.goals = [
    {
      id: randomUUID(),
      outcomeId,
      description: m('GOAL'),
      actions: [
        {
          id: randomUUID(),
          what: m('ACTIONWHAT'),
          who: { kind: 'carer', name: m('ACTIONWHO') },
          when: m('ACTIONWHEN'),
          status: 'not-started',
        },
      ],
    },
  ];
  plan.contingency = {
    triggers: m('CONTTRIGGER'),
    whatShouldHappen: m('CONTWHAT'),
    whoToContact: m('CONTWHO'),
  };
  plan.review = { plannedDate: null, responsibleName: m('REVIEWNAME'), responsibleRole: m('REVIEWROLE') };
  plan.agreedWith = { name: m('AGREEDNAME'), relationship: m('AGREEDREL'), agreedOn: null };
  await call('save plan', 201, {
    method: 'POST',
    url: `${base}/plan/versions`,
    cookie: practitioner,
    payload: { content: plan, basedOn: 0, changeSummary: m('PLANCHANGE') },
  });
  await call('comment on plan (practitioner)', 201, {
    method: 'POST',
    url: `${base}/plan/comments`,
    cookie: practitioner,
    payload: { version: 1, body: m('PRACCOMMENT') },
  });

  // The person's own sign-in (made as the demo makes person@demo's: accounts for people who use
  // services are linked to their record, not made through the API), from their own device.
  const userId = randomUUID();
  const username = `${lower('USERNAME')}@example.org`;
  const { password_hash } = await db()
    .selectFrom('user_account')
    .select('password_hash')
    .where('username', '=', 'person@demo')
    .executeTakeFirstOrThrow();
  await db()
    .insertInto('user_account')
    .values({ user_id: userId, username, display_name: m('DISPLAYNAME'), person_id: personId, password_hash })
    .execute();
  await db()
    .insertInto('user_role')
    .values({
      user_role_id: randomUUID(),
      user_id: userId,
      role: 'person',
      organisation_id: null,
      team_id: null,
    })
    .execute();
  const address = uniqueAddress();
  needles.set(CLIENT_ADDRESS, address);
  const device = { 'user-agent': `Mozilla/5.0 (${m('USERAGENT')})` };
  const person = await signIn(username, { userAgent: device['user-agent'], remoteAddress: address });
  const asPerson = { cookie: person, headers: device, remoteAddress: address };

  // What matters, in their own words, rated; a comment on the plan; a correction asked for.
  const own = await call('add outcome (person)', 201, {
    method: 'POST',
    url: `${base}/outcomes`,
    ...asPerson,
    payload: { statement: `I want ${m('OWNOUTCOME')}`, whyItMatters: m('OWNWHY') },
  });
  await call('rate outcome (person)', 201, {
    method: 'POST',
    url: `${base}/outcomes/${own.json().outcomeId}/ratings`,
    ...asPerson,
    payload: { score: 2, note: m('OWNRATENOTE') },
  });
  await call('comment on plan (person)', 201, {
    method: 'POST',
    url: `${base}/plan/comments`,
    ...asPerson,
    payload: { version: 1, body: m('OWNCOMMENT') },
  });
  const rectification = await call('ask for a correction', 201, {
    method: 'POST',
    url: `${base}/rectification-requests`,
    ...asPerson,
    payload: { whatIsWrong: m('RECTWRONG'), whatItShouldSay: m('RECTSHOULD') },
  });
  await call('answer the correction', 204, {
    method: 'POST',
    url: `${base}/rectification-requests/${rectification.json().requestId}/resolve`,
    cookie: practitioner,
    payload: { outcome: 'corrected', response: m('RECTRESPONSE') },
  });
  // The person reads their own record and access log (audited with their address).
  await call('read own record', 200, { method: 'GET', url: base, ...asPerson });
  await call('read own access log', 200, { method: 'GET', url: `${base}/access-log`, ...asPerson });

  // Break-glass by a practitioner outside the care team, whose reason quotes the person.
  await call('break-glass', 201, {
    method: 'POST',
    url: '/api/break-glass',
    cookie: outsider,
    payload: { nhsNumber, reason: `Called out overnight: ${m('BREAKGLASS')}` },
  });
  await call('read by break-glass', 200, { method: 'GET', url: base, cookie: outsider });

  // An administrator searches the audit trail by the NHS number (the search's purpose quotes it).
  const search = await call('audit search by NHS number', 200, {
    method: 'GET',
    url: `/api/audit?nhsNumber=${nhsNumber}`,
    cookie: admin,
  });
  expect(search.json().entries.length).toBeGreaterThan(0);

  return { personId, needles, asPerson };
}

/** Every file under `dir`, with its path relative to `dir`. */
function filesUnder(dir: string, relative = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const name = path.join(relative, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(dir, name));
    else if (entry.isFile()) found.push(name);
  }
  return found;
}

/** For each needle, the files of the data folder holding it (as ASCII bytes); audit.key is skipped. */
function scan(needles: Map<string, string>): Map<string, string[]> {
  const hits = new Map<string, string[]>();
  for (const file of filesUnder(dataDir)) {
    if (path.basename(file) === 'audit.key') continue;
    const text = fs.readFileSync(path.join(dataDir, file)).toString('latin1');
    for (const [field, needle] of needles) {
      if (text.includes(needle)) hits.set(field, [...(hits.get(field) ?? []), file]);
    }
  }
  return hits;
}

/** `pglite/base/5/16384` → `pglite/base/5/16384 (person)`, for the tables the test could name. */
function named(file: string): string {
  const relative = file
    .split(path.sep)
    .join('/')
    .replace(/^pglite\//, '');
  const table = relationFiles.get(relative.replace(/\.\d+$/, '').replace(/_(fsm|vm)$/, ''));
  return table ? `${file} (${table})` : file;
}

let scanned: Map<string, string[]> | null = null;
/** Both people's needles in every file of the (closed) data folder, scanned once. */
function scanBoth(): Map<string, string[]> {
  if (database) throw new Error('close the database before scanning its files');
  if (!scanned) {
    const all = new Map<string, string>();
    for (const [field, needle] of erased.needles) all.set(`erased ${field}`, needle);
    for (const [field, needle] of kept.needles) all.set(`kept ${field}`, needle);
    scanned = scan(all);
  }
  return scanned;
}

/** The erased person's needles found, as "FIELD in file (table), …". */
function leaksOf(hits: Map<string, string[]>): string[] {
  return [...hits]
    .filter(([field]) => field.startsWith('erased '))
    .map(([field, files]) => `${field.slice('erased '.length)} in ${files.map(named).join(', ')}`);
}

describe.skipIf(testBackend() === 'postgres')(`erasure on disk (${ONLY_EMBEDDED})`, () => {
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-erasure-on-disk-'));
    await start({ demo: true });
  });

  afterAll(async () => {
    await stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('two people get a record with a marker in every free-text field, through the API', async () => {
    const practitioner = await signIn('practitioner@demo');
    const admin = await signIn('admin@demo');
    const gp = await db()
      .selectFrom('user_role as r')
      .innerJoin('organisation as o', 'o.organisation_id', 'r.organisation_id')
      .select('r.user_id')
      .where('r.role', '=', 'practitioner')
      .where('o.kind', '=', 'gp-practice')
      .executeTakeFirstOrThrow();
    const outsider = await signIn(await givePassword(gp.user_id));

    const frameworks = (
      await call('frameworks', 200, { method: 'GET', url: '/api/frameworks', cookie: practitioner })
    ).json();
    const current = frameworks.find((f: { key: string }) => f.key === 'talking-points') ?? frameworks[0];
    const organisations: { organisationId: string; kind: string; teams: { teamId: string }[] }[] = (
      await call('organisations', 200, { method: 'GET', url: '/api/organisations', cookie: practitioner })
    ).json();
    const housing = organisations.find((o) => o.kind === 'housing-association');
    const charity = organisations.find((o) => o.kind === 'voluntary-community');
    if (!housing || !charity) throw new Error('the demo has a housing association and a charity');
    const staff: Staff = {
      practitioner,
      admin,
      outsider,
      domainIds: current.domains.map((d: { domainId: string }) => d.domainId),
      housing: { organisationId: housing.organisationId, teamId: housing.teams[0]?.teamId ?? null },
      charity: { organisationId: charity.organisationId },
    };

    erased = await plantPerson(staff);
    kept = await plantPerson(staff);
    // Planted everywhere the record keeps free text: the export shows each of the erased person's
    // markers (the ones in their record; the rest are in their sign-in and the audit trail).
    const exported = (
      await call('export', 200, {
        method: 'GET',
        url: `/api/people/${erased.personId}/export`,
        cookie: practitioner,
      })
    ).body;
    for (const field of [
      'GIVEN',
      'PREFERRED2',
      'ADDRESS1',
      'GASZERO',
      'ACTIONWHEN',
      'OWNCOMMENT',
      'BREAKGLASS',
    ]) {
      expect(exported, field).toContain(erased.needles.get(field));
    }
  });

  it('the person asks for erasure and an administrator erases the record through the API', async () => {
    // The service restarts between registering someone and erasing them, as it will in months:
    // every start of the embedded database refreshes the planner's statistics (pg_statistic),
    // which copy column values, the person's among them.
    await stop();
    await start({ demo: false });
    const admin = await signIn('admin@demo');
    // The grounds are kept in the erasure record by design (the proof of erasure): no marker here.
    const asked = await call('request erasure', 201, {
      method: 'POST',
      url: `/api/people/${erased.personId}/erasure-requests`,
      ...erased.asPerson,
      payload: { grounds: 'I no longer use these services; please erase my record.' },
    });
    const requestId: string = asked.json().requestId;
    await call('preview', 200, {
      method: 'GET',
      url: `/api/admin/erasure-requests/${erased.personId}/${requestId}`,
      cookie: admin,
    });
    await call('erase', 200, {
      method: 'POST',
      url: `/api/admin/erasure-requests/${erased.personId}/${requestId}/decide`,
      cookie: admin,
      payload: { decision: 'erase', confirm: true },
    });
    const purge = await db()
      .selectFrom('audit_event')
      .select(['outcome', 'purpose'])
      .where('action', '=', 'purge-erased-rows')
      .where('person_id', '=', erased.personId)
      .executeTakeFirstOrThrow();
    expect(purge.outcome, purge.purpose ?? '').toBe('success');
    expect(purge.purpose).toMatch(/VACUUM FULL .*write-ahead log switched and checkpointed/);

    // Which file is which table, to name any table a marker is found in.
    const files = await sql<{ file: string | null; relname: string }>`
      select pg_relation_filepath(oid) as file, relname from pg_class`.execute(db());
    relationFiles = new Map(files.rows.filter((r) => r.file).map((r) => [r.file as string, r.relname]));

    await stop();
  });

  it('nothing the erased person wrote or was called is in any file; the other person’s record is all there', () => {
    const hits = scanBoth();
    // The control: the other person's current values are found (their superseded contact details
    // went with the old row versions when the tables were rewritten, so they are not looked for).
    const missing = [...kept.needles.keys()].filter(
      (field) => field !== CLIENT_ADDRESS && !SUPERSEDED.has(field) && !hits.has(`kept ${field}`),
    );
    expect(missing, 'markers of the person not erased missing on disk (the scan must find them)').toEqual([]);
    const leaks = leaksOf(hits).filter((leak) => !leak.startsWith(`${CLIENT_ADDRESS} `));
    expect(leaks, 'markers of the erased person found on disk').toEqual([]);
  });

  it('nor is the address the person used the service from', () => {
    const hits = scanBoth();
    expect(
      hits.get(`kept ${CLIENT_ADDRESS}`),
      'the control: the other person’s address is found',
    ).toBeDefined();
    expect(leaksOf(hits).filter((leak) => leak.startsWith(`${CLIENT_ADDRESS} `))).toEqual([]);
  });
});
