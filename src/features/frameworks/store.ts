import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { FrameworkDefinition, OutcomeCategory } from '../../domain/outcome-frameworks.js';
import type { DB } from '../../store/schema.js';
import type { Framework, FrameworkDomain } from './schema.js';

/** The frameworks feature's queries: reference data, not about any person. */

export function rowToFrameworkDomain(d: Selectable<DB['outcome_domain']>): FrameworkDomain {
  return {
    domainId: d.domain_id,
    code: d.code,
    name: d.name,
    description: d.description,
    category: d.category as OutcomeCategory,
  };
}

export function rowToFramework(
  f: Selectable<DB['outcome_framework']>,
  domains: FrameworkDomain[],
): Framework {
  return {
    frameworkId: f.framework_id,
    key: f.key,
    version: f.version,
    name: f.name,
    description: f.description,
    ratingLabels: f.rating_labels,
    isDefault: f.is_default,
    retired: f.retired_at !== null,
    domains,
  };
}

/** Every framework and version, by key then newest version first, with its domains in order. */
export async function allFrameworks(db: Kysely<DB>): Promise<Framework[]> {
  const [frameworks, domains] = await Promise.all([
    db.selectFrom('outcome_framework').selectAll().orderBy('key').orderBy('version', 'desc').execute(),
    db.selectFrom('outcome_domain').selectAll().orderBy('sort_order').execute(),
  ]);
  return frameworks.map((f) =>
    rowToFramework(f, domains.filter((d) => d.framework_id === f.framework_id).map(rowToFrameworkDomain)),
  );
}

export async function hasFrameworkVersion(db: Kysely<DB>, key: string, version: number): Promise<boolean> {
  const found = await db
    .selectFrom('outcome_framework')
    .select('framework_id')
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
  return Boolean(found);
}

/** Whether any framework is the default. */
export async function hasDefault(db: Kysely<DB>): Promise<boolean> {
  const found = await db
    .selectFrom('outcome_framework')
    .select('framework_id')
    .where('is_default', '=', true)
    .executeTakeFirst();
  return Boolean(found);
}

/** The latest version of a framework, or 0 when there is none. */
export async function latestVersion(db: Kysely<DB>, key: string): Promise<number> {
  const latest = await db
    .selectFrom('outcome_framework')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(latest?.version ?? 0);
}

/** Stores a framework version with its domains; returns its id. */
export async function insertFramework(
  db: Kysely<DB>,
  definition: FrameworkDefinition,
  isDefault: boolean,
): Promise<string> {
  const frameworkId = randomUUID();
  await db
    .insertInto('outcome_framework')
    .values({
      framework_id: frameworkId,
      key: definition.key,
      version: definition.version,
      name: definition.name,
      description: definition.description,
      rating_labels: JSON.stringify(definition.ratingScale.labels),
      is_default: isDefault,
    })
    .execute();
  await db
    .insertInto('outcome_domain')
    .values(
      definition.domains.map((d, index) => ({
        domain_id: randomUUID(),
        framework_id: frameworkId,
        code: d.code,
        name: d.name,
        description: d.description,
        category: d.category,
        sort_order: index,
      })),
    )
    .execute();
  return frameworkId;
}

/** Retires every version of a framework, or brings it back (`retired` false). Returns the versions changed. */
export async function setRetired(db: Kysely<DB>, key: string, retired: boolean): Promise<number> {
  const result = await db
    .updateTable('outcome_framework')
    .set({ retired_at: retired ? sql<Date>`coalesce(retired_at, now())` : null })
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Makes the framework with this key the default (on its first version's row), and no other. */
export async function setDefault(db: Kysely<DB>, key: string): Promise<void> {
  await db
    .updateTable('outcome_framework')
    .set({ is_default: false })
    .where('is_default', '=', true)
    .execute();
  const first = await db
    .selectFrom('outcome_framework')
    .select('framework_id')
    .where('key', '=', key)
    .orderBy('version')
    .limit(1)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('outcome_framework')
    .set({ is_default: true })
    .where('framework_id', '=', first.framework_id)
    .execute();
}
