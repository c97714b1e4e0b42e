import type { Kysely } from 'kysely';
import { DEMO_ACCOUNTS, type DemoPopulation, generateDemoPopulation } from '../domain/demo-population.js';
import { createRandom } from '../domain/random.js';
import type { DB } from '../store/schema.js';
import { hashPassword } from './auth/password-hash.js';
import { ServiceError } from './errors.js';

/** The one password of every demo account. Demo accounts exist only in a demo database. */
export const DEMO_PASSWORD = 'whatmatters-demo';

export interface DemoInfo {
  seed: string;
  people: number;
  loadedAt: string;
  accounts: { username: string; role: string; description: string }[];
  password: string;
}

const BATCH = 500;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

export class DemoDataService {
  constructor(private readonly db: Kysely<DB>) {}

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
  async load(options: { people: number; seed: number | string }): Promise<DemoInfo> {
    if (!(await this.isEmpty())) {
      throw new ServiceError(
        409,
        'Database not empty',
        'The database already holds data; demo data is only loaded into a new, empty database.',
      );
    }
    const population = generateDemoPopulation({ people: options.people, seed: options.seed });
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const info: DemoInfo = {
      seed: String(options.seed),
      people: options.people,
      loadedAt: new Date().toISOString(),
      accounts: DEMO_ACCOUNTS.map((a) => ({ ...a })),
      password: DEMO_PASSWORD,
    };
    await this.db.transaction().execute(async (trx) => {
      await writePopulation(trx, population, passwordHash);
      await trx
        .insertInto('app_meta')
        .values({ key: 'demo', value: JSON.stringify(info) })
        .execute();
    });
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
      population.organisations.map((o) => ({
        organisation_id: o.id,
        kind: o.kind,
        name: o.name,
        ods_code: o.odsCode,
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
