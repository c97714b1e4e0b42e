import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import {
  DEFAULT_FRAMEWORKS,
  type FrameworkDefinition,
  frameworkProblems,
  type OutcomeCategory,
} from '../../domain/outcome-frameworks.js';
import { forbidden, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';

export interface FrameworkDomain {
  domainId: string;
  code: string;
  name: string;
  description: string;
  category: OutcomeCategory;
}

export interface Framework {
  frameworkId: string;
  key: string;
  version: number;
  name: string;
  description: string;
  ratingLabels: string[];
  isDefault: boolean;
  domains: FrameworkDomain[];
}

/**
 * Outcomes frameworks: reference data every signed-in user may read. Admins add frameworks and new
 * versions; a version is never edited, so coded outcomes keep the meaning they were coded with.
 */
export class FrameworkService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  /** Installs the shipped frameworks that a database does not have yet. Safe to run at every start. */
  async ensureDefaults(): Promise<void> {
    // Several processes may start at once; the lock makes the check-then-insert one step.
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('whatmatters.frameworks'))`.execute(trx);
      for (const [index, definition] of DEFAULT_FRAMEWORKS.entries()) {
        const exists = await trx
          .selectFrom('outcome_framework')
          .select('framework_id')
          .where('key', '=', definition.key)
          .where('version', '=', definition.version)
          .executeTakeFirst();
        if (!exists) await this.insert(trx, definition, index === 0);
      }
    });
  }

  async list(): Promise<Framework[]> {
    const frameworks = await this.db
      .selectFrom('outcome_framework')
      .selectAll()
      .orderBy('key')
      .orderBy('version', 'desc')
      .execute();
    const domains = await this.db.selectFrom('outcome_domain').selectAll().orderBy('sort_order').execute();
    return frameworks.map((f) => ({
      frameworkId: f.framework_id,
      key: f.key,
      version: f.version,
      name: f.name,
      description: f.description,
      ratingLabels: f.rating_labels,
      isDefault: f.is_default,
      domains: domains
        .filter((d) => d.framework_id === f.framework_id)
        .map((d) => ({
          domainId: d.domain_id,
          code: d.code,
          name: d.name,
          description: d.description,
          category: d.category as OutcomeCategory,
        })),
    }));
  }

  async get(frameworkId: string): Promise<Framework> {
    const framework = (await this.list()).find((f) => f.frameworkId === frameworkId);
    if (!framework) throw notFound('The outcomes framework');
    return framework;
  }

  /** The framework new outcomes are coded with: the latest version of the default framework. */
  async current(key?: string): Promise<Framework> {
    const all = await this.list();
    const defaultKey = key ?? all.find((f) => f.isDefault)?.key;
    const framework = all.find((f) => f.key === defaultKey);
    if (!framework) throw notFound('The outcomes framework');
    return framework;
  }

  /** Adds a framework, or a new version of one (its version must be the next number). Admins only. */
  async add(actor: Actor, definition: FrameworkDefinition): Promise<Framework> {
    if (!hasRole(actor, 'admin')) throw forbidden('add outcomes frameworks');
    const problems = frameworkProblems(definition);
    if (problems.length) throw new ServiceError(422, 'Invalid framework', problems.join('; '));
    const latest = await this.db
      .selectFrom('outcome_framework')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('key', '=', definition.key)
      .executeTakeFirst();
    const expected = Number(latest?.version ?? 0) + 1;
    if (definition.version !== expected) {
      throw new ServiceError(
        409,
        'Version out of order',
        `The next version of "${definition.key}" is ${expected}; versions are never changed once made.`,
        'version',
      );
    }
    const frameworkId = await this.db.transaction().execute(async (trx) => {
      const id = await this.insert(trx, definition, false);
      await this.audit.record(
        actor,
        { action: 'add-framework', resourceType: 'outcome_framework', resourceId: id },
        trx,
      );
      return id;
    });
    return this.get(frameworkId);
  }

  private async insert(db: Kysely<DB>, definition: FrameworkDefinition, isDefault: boolean): Promise<string> {
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
}
