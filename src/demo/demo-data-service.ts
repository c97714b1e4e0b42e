import { type Kysely, sql } from 'kysely';
import { todayIso } from '../domain/calendar.js';
import { CARE_TEAM_SUPPORT_LABELS } from '../domain/care-team.js';
import { hashPassword } from '../features/auth/password-hash.js';
import type { FeedbackCollectionService } from '../features/feedback/service.js';
import {
  insertConversations,
  insertGasAttainments,
  insertGasGoals,
  insertOutcomeDomains,
  insertOutcomes,
  insertParticipants,
  insertRatings,
} from '../features/outcomes/store.js';
import { relationshipRow } from '../features/people/store.js';
import { withRollupsDeferred } from '../features/rollups/store.js';
import { ServiceError } from '../services/errors.js';
import type { DB } from '../store/schema.js';
import { DEMO_CARE_FRAMEWORK_KEY, type DemoCare, demoCareGenerator } from './demo-care.js';
import { seedDemoContracts } from './demo-contracts.js';
import { writeDemoDirectory } from './demo-directory.js';
import { writeDemoFeedback } from './demo-feedback.js';
import { writeDemoMeasures } from './demo-measures.js';
import { DEMO_ACCOUNTS, type DemoPopulation, generateDemoPopulation } from './demo-population.js';
import {
  directoryStaff,
  type ReferralSetting,
  referralSetting,
  writeDemoReferrals,
  writeDirectoryStaff,
} from './demo-referrals.js';
import { writeDemoSteps } from './demo-steps.js';
import { createRandom } from './random.js';

/** The one password of every demo account. Demo accounts exist only in a demo database. */
export const DEMO_PASSWORD = 'whatmatters-demo';

export interface DemoInfo {
  seed: string;
  people: number;
  loadedAt: string;
  accounts: { username: string; role: string; description: string }[];
  password: string;
}

/** Where a demo load has got to: people and accounts, then their care records, then statistics. */
export interface DemoLoadProgress {
  stage: 'people' | 'care' | 'statistics';
  /** People whose care records are written (care), else 0 or all. */
  done: number;
  total: number;
}

const BATCH = 500;
/** People whose care records are generated and written at a time, to keep memory flat for big demos. */
const CARE_CHUNK = 1_000;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

export class DemoDataService {
  constructor(
    private readonly db: Kysely<DB>,
    /** The feedback service on the load's transaction, which stores the demo feedback (demo-feedback.ts). */
    private readonly feedbackOn?: (trx: Kysely<DB>) => FeedbackCollectionService,
  ) {}

  async isEmpty(): Promise<boolean> {
    const row = await this.db
      .selectFrom('organisation')
      .select('organisation_id')
      .limit(1)
      .executeTakeFirst();
    return row === undefined;
  }

  async demoInfo(): Promise<DemoInfo | null> {
    const row = await this.db
      .selectFrom('app_meta')
      .select('value')
      .where('key', '=', 'demo')
      .executeTakeFirst();
    return (row?.value as DemoInfo | undefined) ?? null;
  }

  /**
   * Loads a generated population into an empty database, all or nothing. Refuses a database that
   * already holds organisations, so demo accounts never appear beside real records.
   */
  async load(options: {
    people: number;
    seed: number | string;
    today?: string;
    /** Told as each part is written, so whoever waits can be told what is happening. */
    onProgress?: (progress: DemoLoadProgress) => void;
  }): Promise<DemoInfo> {
    if (!(await this.isEmpty())) {
      throw new ServiceError(
        409,
        'Database not empty',
        'The database already holds data; demo data is only loaded into a new, empty database.',
      );
    }
    // Dated from today, so a new demo database always has reviews just done, due soon and overdue.
    const today = options.today ?? todayIso();
    const population = generateDemoPopulation({ people: options.people, seed: options.seed, today });
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const info: DemoInfo = {
      seed: String(options.seed),
      people: options.people,
      loadedAt: new Date().toISOString(),
      accounts: DEMO_ACCOUNTS.map((a) => ({ ...a })),
      password: DEMO_PASSWORD,
    };
    const progress = options.onProgress ?? (() => {});
    const total = options.people;
    // The dashboards' rollup is rebuilt once at the end of the load, rather than kept row by row.
    await this.db.transaction().execute((trx) =>
      withRollupsDeferred(trx, async () => {
        progress({ stage: 'people', done: 0, total });
        await writePopulation(trx, population, passwordHash);
        // The community resource directory, run by the area's voluntary and community organisations,
        // and their staff who answer referrals: before care, whose referrals point at its entries.
        const directory = await writeDemoDirectory(trx, population, options.seed, today);
        const staff = directoryStaff(directory, options.seed);
        await writeDirectoryStaff(trx, staff);
        const referrals = referralSetting(population, directory, staff, today);
        await writeCare(trx, population, options.seed, today, referrals, (done) =>
          progress({ stage: 'care', done, total }),
        );
        await seedDemoContracts(trx, today);
        if (this.feedbackOn)
          await writeDemoFeedback(trx, population, options.seed, today, this.feedbackOn(trx));
        await trx
          .insertInto('app_meta')
          .values({ key: 'demo', value: JSON.stringify(info) })
          .execute();
      }),
    );
    // Statistics for the planner after a bulk load, rather than waiting for autovacuum (PostgreSQL)
    // or never having them (PGlite runs no autovacuum). The load rewrote each person's row once per
    // table (the record versions and review facts the triggers keep): vacuum those old versions.
    progress({ stage: 'statistics', done: total, total });
    await sql`vacuum analyze person`.execute(this.db);
    await sql`analyze`.execute(this.db);
    return info;
  }
}

async function writePopulation(trx: Kysely<DB>, population: DemoPopulation, passwordHash: string) {
  const demoUsernames = new Set(DEMO_ACCOUNTS.map((a) => a.username));
  await trx
    .insertInto('area_deprivation')
    .values(
      population.areas.map((a) => ({
        postcode_sector: a.postcodeSector,
        deprivation_decile: a.deprivationDecile,
        source: 'demo',
      })),
    )
    .execute();
  await trx
    .insertInto('organisation')
    .values(
      // A millisecond apart, in the demo's order: the first (the NHS trust) is the hosting
      // organisation that system clients act for by default (`client add` without an organisation).
      population.organisations.map((o, i) => ({
        organisation_id: o.id,
        kind: o.kind,
        name: o.name,
        ods_code: o.odsCode,
        created_at: new Date(Date.now() - population.organisations.length + i),
      })),
    )
    .execute();
  await trx
    .insertInto('team')
    .values(population.teams.map((t) => ({ team_id: t.id, organisation_id: t.organisationId, name: t.name })))
    .execute();
  await insertInBatches(population.people, (batch) =>
    trx
      .insertInto('person')
      .values(
        batch.map((p) => ({
          person_id: p.personId,
          nhs_number: p.nhsNumber,
          given_name: p.givenName,
          family_name: p.familyName,
          date_of_birth: p.dateOfBirth,
          sex: p.sex,
          gender: p.gender,
          ethnic_category: p.ethnicCategory,
          postcode: p.postcode,
          deprivation_decile: p.deprivationDecile,
        })),
      )
      .execute(),
  );
  await insertInBatches(population.people, (batch) =>
    trx
      .insertInto('person_nhs_number')
      .values(batch.map((p) => ({ nhs_number: p.nhsNumber, person_id: p.personId })))
      .execute(),
  );
  await insertInBatches(population.users, (batch) =>
    trx
      .insertInto('user_account')
      .values(
        batch.map((u) => ({
          user_id: u.id,
          username: u.username,
          display_name: u.displayName,
          job_title: u.jobTitle,
          person_id: u.personId,
          // Only the documented demo accounts can sign in; the other generated staff fill caseloads.
          password_hash: demoUsernames.has(u.username) ? passwordHash : null,
        })),
      )
      .execute(),
  );
  // Role rows need ids too; a seeded generator keeps a demo database reproducible.
  const ids = createRandom('demo-user-roles');
  const roles = population.users.flatMap((u) =>
    u.roles.map((r) => ({
      user_role_id: ids.uuid(),
      user_id: u.id,
      role: r.role,
      organisation_id: r.organisationId,
      team_id: r.teamId,
    })),
  );
  await insertInBatches(roles, (batch) => trx.insertInto('user_role').values(batch).execute());
}

/**
 * Individual-level records for the people just written: care teams, circles, conversations, outcomes
 * with ratings and GAS, plans and comments. Timestamps are the generated ones, not now(), so a
 * person's timeline reads as it happened. Outcomes are coded with the installed Talking Points
 * framework, looked up by key and domain code, since its ids belong to this database.
 */
async function writeCare(
  trx: Kysely<DB>,
  population: DemoPopulation,
  seed: number | string,
  today: string,
  referrals: ReferralSetting,
  careWritten: (people: number) => void,
): Promise<void> {
  const framework = await trx
    .selectFrom('outcome_framework')
    .select('framework_id')
    .where('key', '=', DEMO_CARE_FRAMEWORK_KEY)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (!framework) {
    throw new Error(
      `The "${DEMO_CARE_FRAMEWORK_KEY}" outcomes framework is not installed; prepare the database before loading demo data.`,
    );
  }
  const domains = await trx
    .selectFrom('outcome_domain')
    .select(['domain_id', 'code'])
    .where('framework_id', '=', framework.framework_id)
    .execute();
  const domainIds = new Map(domains.map((d) => [d.code, d.domain_id]));
  const generator = demoCareGenerator(population, { seed, today });
  // People who sign in to their own record (person@demo): they set their steps themselves.
  const ownAccounts = new Map(
    population.users.flatMap((u) =>
      u.personId && u.roles.some((r) => r.role === 'person') ? [[u.personId, u.id] as const] : [],
    ),
  );
  const people = population.people.length;
  // Ten steps at least, so progress moves on a small demo too; never more than a chunk at a time.
  const step = Math.max(1, Math.min(CARE_CHUNK, Math.ceil(people / 10)));
  careWritten(0);
  for (let start = 0; start < people; start += step) {
    const care = generator.forPeople(start, start + step);
    await insertCare(trx, care, framework.framework_id, domainIds);
    // Standard measures at their conversations (demo-measures.ts).
    await writeDemoMeasures(
      trx,
      care.conversations,
      seed,
      population.users.find((u) => u.username === 'person@demo')?.personId ?? null,
      insertInBatches,
    );
    // Steps people set themselves since their latest conversation (demo-steps.ts).
    await writeDemoSteps(trx, care, seed, today, ownAccounts, insertInBatches);
    // Referrals and signposts to the directory's resources, attendance and later ratings (demo-referrals.ts).
    await writeDemoReferrals(trx, care, referrals, seed, insertInBatches);
    careWritten(Math.min(people, start + step));
  }
}

async function insertCare(
  trx: Kysely<DB>,
  care: DemoCare,
  frameworkId: string,
  domainIds: ReadonlyMap<string, string>,
): Promise<void> {
  await insertInBatches(care.relationships, (batch) =>
    trx
      .insertInto('relationship')
      .values(batch.map((r) => relationshipRow(r)))
      .execute(),
  );
  await insertInBatches(care.careTeamMembers, (batch) =>
    trx
      .insertInto('care_team_member')
      .values(
        batch.map((m) => ({
          person_id: m.personId,
          member_id: m.memberId,
          organisation_id: m.organisationId,
          team_id: m.teamId,
          user_id: m.userId,
          support_kind: m.supportKind,
          role_description: m.roleDescription,
          is_key_worker: m.isKeyWorker,
          start_date: m.startDate,
          end_date: m.endDate,
        })),
      )
      .execute(),
  );
  await insertInBatches(sharingBases(care), (batch) =>
    trx.insertInto('sharing_basis').values(batch).execute(),
  );
  // The same writes as the outcomes feature's: one insert per table, in its store.
  await insertInBatches(care.conversations, (batch) => insertConversations(trx, batch));
  await insertInBatches(care.conversationParticipants, (batch) => insertParticipants(trx, batch));
  await insertInBatches(care.outcomes, (batch) =>
    insertOutcomes(
      trx,
      batch.map((o) => ({ ...o, frameworkId })),
    ),
  );
  await insertInBatches(care.outcomeDomains, (batch) =>
    insertOutcomeDomains(
      trx,
      batch.map((d) => {
        const domainId = domainIds.get(d.domainCode);
        if (domainId === undefined) {
          throw new Error(`The "${DEMO_CARE_FRAMEWORK_KEY}" framework has no domain "${d.domainCode}".`);
        }
        return { personId: d.personId, outcomeId: d.outcomeId, domainId };
      }),
    ),
  );
  await insertInBatches(care.ratings, (batch) => insertRatings(trx, batch));
  await insertInBatches(care.gasGoals, (batch) =>
    insertGasGoals(
      trx,
      batch.map((g) => ({
        ...g,
        levels: { [-2]: g.levelMinus2, [-1]: g.levelMinus1, 0: g.level0, 1: g.levelPlus1, 2: g.levelPlus2 },
      })),
    ),
  );
  await insertInBatches(care.gasAttainments, (batch) => insertGasAttainments(trx, batch));
  await insertInBatches(care.planVersions, (batch) =>
    trx
      .insertInto('care_plan_version')
      .values(
        batch.map((v) => ({
          person_id: v.personId,
          version: v.version,
          content: JSON.stringify(v.content),
          planned_review_date: v.plannedReviewDate,
          change_summary: v.changeSummary,
          created_by_user_id: v.createdByUserId,
          created_at: v.createdAt,
        })),
      )
      .execute(),
  );
  await insertInBatches(care.planComments, (batch) =>
    trx
      .insertInto('plan_comment')
      .values(
        batch.map((c) => ({
          person_id: c.personId,
          comment_id: c.commentId,
          version: c.version,
          body: c.body,
          author_user_id: c.authorUserId,
          author_viewpoint: c.authorViewpoint,
          created_at: c.createdAt,
        })),
      )
      .execute(),
  );
}

/**
 * Every organisation in a demo care team has a recorded basis to see the record: the key worker's
 * organisation provides direct care; the others were agreed with the person (consent).
 */
function sharingBases(care: DemoCare) {
  const byPerson = new Map<string, DemoCare['careTeamMembers']>();
  for (const member of care.careTeamMembers) {
    byPerson.set(member.personId, [...(byPerson.get(member.personId) ?? []), member]);
  }
  return [...byPerson.entries()].flatMap(([personId, members]) => {
    const ids = createRandom(`demo-sharing:${personId}`);
    const lead = members.find((m) => m.isKeyWorker) ?? members[0];
    const recordedBy = lead?.userId ?? members.find((m) => m.userId)?.userId;
    if (!recordedBy) return [];
    const organisations = [...new Map(members.map((m) => [m.organisationId, m])).values()];
    return organisations.map((m) => ({
      person_id: personId,
      basis_id: ids.uuid(),
      organisation_id: m.organisationId,
      basis: m.organisationId === lead?.organisationId ? 'direct-care' : 'consent',
      purpose:
        m.organisationId === lead?.organisationId
          ? 'Direct care by the lead team'
          : `Coordinated care and support: ${CARE_TEAM_SUPPORT_LABELS[m.supportKind].toLowerCase()}`,
      recorded_by_user_id: recordedBy,
      recorded_at: `${m.startDate}T09:00:00.000Z`,
    }));
  });
}
