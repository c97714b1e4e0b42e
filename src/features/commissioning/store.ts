import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type {
  CommissioningFrameworkDefinition,
  StakeholderInvolvement,
} from '../../domain/commissioning/framework.js';
import type { StakeholderGroup } from '../../domain/commissioning/stakeholders.js';
import type { DB } from '../../store/schema.js';

/** The commissioning frameworks' queries: reference data, about organisations and never a person. */

export interface StoredFrameworkVersion {
  frameworkId: string;
  key: string;
  version: number;
  name: string;
  description: string;
  outcomesFrameworkKey: string;
  changeSummary: string;
  publishedByUserId: string | null;
  publishedBy: string;
  publishedAt: Date;
}

/** A stored version with its hierarchy, as the domain defines one. */
export interface StoredFramework extends StoredFrameworkVersion {
  definition: CommissioningFrameworkDefinition;
}

function rowToVersion(row: Selectable<DB['commissioning_framework']>): StoredFrameworkVersion {
  return {
    frameworkId: row.framework_id,
    key: row.key,
    version: row.version,
    name: row.name,
    description: row.description,
    outcomesFrameworkKey: row.outcomes_framework_key,
    changeSummary: row.change_summary,
    publishedByUserId: row.published_by_user_id,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
  };
}

/** Every version of every framework, by key then newest first. */
export async function allVersions(db: Kysely<DB>): Promise<StoredFrameworkVersion[]> {
  const rows = await db
    .selectFrom('commissioning_framework')
    .selectAll()
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
  return rows.map(rowToVersion);
}

/** The count of outcomes and I statements of each version. */
export async function hierarchySizes(
  db: Kysely<DB>,
  frameworkIds: readonly string[],
): Promise<Map<string, { outcomes: number; iStatements: number }>> {
  const sizes = new Map<string, { outcomes: number; iStatements: number }>();
  if (!frameworkIds.length) return sizes;
  const [outcomes, statements] = await Promise.all([
    db
      .selectFrom('commissioning_outcome')
      .select(['framework_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('framework_id', 'in', frameworkIds)
      .groupBy('framework_id')
      .execute(),
    db
      .selectFrom('commissioning_i_statement')
      .select(['framework_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('framework_id', 'in', frameworkIds)
      .groupBy('framework_id')
      .execute(),
  ]);
  for (const id of frameworkIds) sizes.set(id, { outcomes: 0, iStatements: 0 });
  for (const o of outcomes) (sizes.get(o.framework_id) as { outcomes: number }).outcomes = Number(o.n);
  for (const s of statements)
    (sizes.get(s.framework_id) as { iStatements: number }).iStatements = Number(s.n);
  return sizes;
}

/** One version with its outcomes, I statements and stakeholder involvement; null when there is none. */
export async function frameworkVersion(db: Kysely<DB>, frameworkId: string): Promise<StoredFramework | null> {
  const row = await db
    .selectFrom('commissioning_framework')
    .selectAll()
    .where('framework_id', '=', frameworkId)
    .executeTakeFirst();
  if (!row) return null;
  const [outcomes, statements, involvement] = await Promise.all([
    db
      .selectFrom('commissioning_outcome')
      .selectAll()
      .where('framework_id', '=', frameworkId)
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('commissioning_i_statement')
      .selectAll()
      .where('framework_id', '=', frameworkId)
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('commissioning_involvement')
      .selectAll()
      .where('framework_id', '=', frameworkId)
      .orderBy('sort_order')
      .execute(),
  ]);
  const version = rowToVersion(row);
  return {
    ...version,
    definition: {
      key: version.key,
      name: version.name,
      description: version.description,
      outcomesFrameworkKey: version.outcomesFrameworkKey,
      changeSummary: version.changeSummary,
      outcomes: outcomes.map((o) => ({
        code: o.code,
        statement: o.statement,
        iStatements: statements
          .filter((s) => s.outcome_code === o.code)
          .map((s) => ({
            code: s.code,
            text: s.text,
            domainCodes: s.domain_codes,
            indicatorKeys: s.indicator_keys,
          })),
      })),
      shapedBy: involvement.map(
        (i): StakeholderInvolvement => ({
          group: i.stakeholder_group as StakeholderGroup,
          how: i.how,
          on: i.involved_on,
        }),
      ),
    },
  };
}

/** The newest version number of a key, or 0 when there is none. */
export async function latestVersion(db: Kysely<DB>, key: string): Promise<number> {
  const row = await db
    .selectFrom('commissioning_framework')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Every outcome and I statement code any version of a key has used: new ones never reuse them. */
export async function codesEverUsed(db: Kysely<DB>, key: string): Promise<string[]> {
  const rows = await db
    .selectFrom('commissioning_framework as f')
    .innerJoin('commissioning_outcome as o', 'o.framework_id', 'f.framework_id')
    .select('o.code')
    .where('f.key', '=', key)
    .union(
      db
        .selectFrom('commissioning_framework as f')
        .innerJoin('commissioning_i_statement as s', 's.framework_id', 'f.framework_id')
        .select('s.code')
        .where('f.key', '=', key),
    )
    .execute();
  return rows.map((r) => r.code);
}

/** Serialises publishing a key's versions, so two commissioners cannot both publish version n + 1. */
export async function lockKey(trx: Kysely<DB>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`whatmatters.commissioning:${key}`}))`.execute(trx);
}

/** Stores a version with its hierarchy; returns its id. */
export async function insertVersion(
  trx: Kysely<DB>,
  definition: CommissioningFrameworkDefinition,
  version: number,
  publisher: { userId: string | null; name: string },
): Promise<string> {
  const frameworkId = randomUUID();
  await trx
    .insertInto('commissioning_framework')
    .values({
      framework_id: frameworkId,
      key: definition.key,
      version,
      name: definition.name.trim(),
      description: definition.description.trim(),
      outcomes_framework_key: definition.outcomesFrameworkKey,
      change_summary: definition.changeSummary.trim(),
      published_by_user_id: publisher.userId,
      published_by: publisher.name,
    })
    .execute();
  await trx
    .insertInto('commissioning_outcome')
    .values(
      definition.outcomes.map((o, i) => ({
        framework_id: frameworkId,
        code: o.code as string,
        statement: o.statement.trim(),
        sort_order: i,
      })),
    )
    .execute();
  const statements = definition.outcomes.flatMap((o) =>
    o.iStatements.map((s, i) => ({
      framework_id: frameworkId,
      code: s.code as string,
      outcome_code: o.code as string,
      text: s.text.trim(),
      domain_codes: sql<string[]>`${sql.val(s.domainCodes)}::text[]`,
      indicator_keys: sql<string[]>`${sql.val(s.indicatorKeys)}::text[]`,
      sort_order: i,
    })),
  );
  if (statements.length) await trx.insertInto('commissioning_i_statement').values(statements).execute();
  if (definition.shapedBy.length) {
    await trx
      .insertInto('commissioning_involvement')
      .values(
        definition.shapedBy.map((s, i) => ({
          framework_id: frameworkId,
          sort_order: i,
          stakeholder_group: s.group,
          how: s.how.trim(),
          involved_on: s.on,
        })),
      )
      .execute();
  }
  return frameworkId;
}
