import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import { DEFAULT_FRAMEWORKS, frameworkFieldProblems } from '../../domain/outcome-frameworks.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { AddFrameworkContract, type AddFrameworkInput, type Framework } from './schema.js';
import * as store from './store.js';

export type { Framework, FrameworkDomain } from './schema.js';

/**
 * A framework that keeps the contract's shape but not the domain's rules (a code used twice, two
 * labels alike): 422, naming every field at fault, as the domain words them.
 */
export class FrameworkProblems extends ContractError {
  override readonly status = 422 as const;
  override readonly title = 'Invalid framework';
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
        if (!(await store.hasFrameworkVersion(trx, definition.key, definition.version))) {
          await store.insertFramework(trx, definition, index === 0);
        }
      }
    });
  }

  async list(): Promise<Framework[]> {
    return store.allFrameworks(this.db);
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

  /** The version a new version of `key` must have: one after the latest (1 for a new key). */
  async nextVersion(key: string): Promise<number> {
    return (await store.latestVersion(this.db, key)) + 1;
  }

  /** Adds a framework, or a new version of one (its version must be the next number). Admins only. */
  async add(actor: Actor, input: AddFrameworkInput): Promise<Framework> {
    if (!hasRole(actor, 'admin')) throw forbidden('add outcomes frameworks');
    const definition = AddFrameworkContract.check(input);
    const problems = frameworkFieldProblems(definition);
    if (problems.length) throw new FrameworkProblems(problems);
    const expected = await this.nextVersion(definition.key);
    if (definition.version !== expected) {
      throw new ServiceError(
        409,
        'Version out of order',
        `The next version of "${definition.key}" is ${expected}; versions are never changed once made.`,
        'version',
      );
    }
    const frameworkId = await this.db.transaction().execute(async (trx) => {
      const id = await store.insertFramework(trx, definition, false);
      await this.audit.record(
        actor,
        { action: 'add-framework', resourceType: 'outcome_framework', resourceId: id },
        trx,
      );
      return id;
    });
    return this.get(frameworkId);
  }
}
