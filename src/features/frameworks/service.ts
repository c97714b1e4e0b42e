import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type Actor, hasRole } from '../../domain/actor.js';
import {
  DEFAULT_FRAMEWORKS,
  frameworkFieldProblems,
  sameFrameworkContent,
} from '../../domain/outcome-frameworks.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
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
      // The first shipped framework is the default of a new database; an administrator may choose
      // another, and there is only ever one.
      let hasDefault = await store.hasDefault(trx);
      for (const [index, definition] of DEFAULT_FRAMEWORKS.entries()) {
        if (!(await store.hasFrameworkVersion(trx, definition.key, definition.version))) {
          await store.insertFramework(trx, definition, index === 0 && !hasDefault);
          hasDefault ||= index === 0;
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

  /**
   * The framework new outcomes are coded with: the latest version of the default framework, or of
   * the framework with `key`. A retired framework is not offered for new outcomes.
   */
  async current(key?: string): Promise<Framework> {
    const all = await this.list();
    const defaultKey = key ?? all.find((f) => f.isDefault)?.key;
    const framework = all.find((f) => f.key === defaultKey);
    if (!framework) throw notFound('The outcomes framework');
    if (framework.retired) {
      throw new ServiceError(
        409,
        'Framework retired',
        `${framework.name} has been retired: it is no longer used for new outcomes.`,
      );
    }
    return framework;
  }

  /** The latest version of each framework that is not retired: those new outcomes may be coded with. */
  async offered(): Promise<Framework[]> {
    const seen = new Set<string>();
    return (await this.list()).filter((f) => !f.retired && !seen.has(f.key) && Boolean(seen.add(f.key)));
  }

  /**
   * Retires a framework, every version of it: it is no longer offered for new outcomes, and outcomes
   * already coded with it keep it. The default framework cannot be retired: choose another first.
   * Admins only.
   */
  async retire(actor: Actor, key: string): Promise<Framework> {
    await this.requireAdmin(actor, 'retire-framework', key, 'retire outcomes frameworks');
    const framework = await this.latest(key);
    if (framework.isDefault) {
      throw new ServiceError(
        409,
        'Default framework',
        `${framework.name} is the default framework: choose another default before retiring it.`,
      );
    }
    await this.db.transaction().execute(async (trx) => {
      await store.setRetired(trx, key, true);
      await this.audit.record(
        actor,
        { action: 'retire-framework', resourceType: 'outcome_framework', resourceId: framework.frameworkId },
        trx,
      );
    });
    return this.latest(key);
  }

  /** Offers a retired framework for new outcomes again. Admins only. */
  async reinstate(actor: Actor, key: string): Promise<Framework> {
    await this.requireAdmin(actor, 'reinstate-framework', key, 'bring back outcomes frameworks');
    const framework = await this.latest(key);
    await this.db.transaction().execute(async (trx) => {
      await store.setRetired(trx, key, false);
      await this.audit.record(
        actor,
        {
          action: 'reinstate-framework',
          resourceType: 'outcome_framework',
          resourceId: framework.frameworkId,
        },
        trx,
      );
    });
    return this.latest(key);
  }

  /** Makes a framework the default: new outcomes are coded with its latest version. Admins only. */
  async makeDefault(actor: Actor, key: string): Promise<Framework> {
    await this.requireAdmin(actor, 'set-default-framework', key, 'choose the default outcomes framework');
    const framework = await this.latest(key);
    if (framework.retired) {
      throw new ServiceError(
        409,
        'Framework retired',
        `${framework.name} has been retired: bring it back before making it the default.`,
      );
    }
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('whatmatters.frameworks'))`.execute(trx);
      await store.setDefault(trx, key);
      await this.audit.record(
        actor,
        {
          action: 'set-default-framework',
          resourceType: 'outcome_framework',
          resourceId: framework.frameworkId,
        },
        trx,
      );
    });
    return this.latest(key);
  }

  /** The latest version of the framework with `key`. */
  private async latest(key: string): Promise<Framework> {
    const all = await this.list();
    const framework = all.find((f) => f.key === key);
    if (!framework) throw notFound('The outcomes framework');
    // The default and retired marks are the framework's, whichever version's row holds them.
    const versions = all.filter((f) => f.key === key);
    return { ...framework, isDefault: versions.some((f) => f.isDefault) };
  }

  /** Refuses, and audits the refusal, unless the actor is an administrator. */
  private async requireAdmin(actor: Actor, action: string, resourceId: string | null, what: string) {
    if (hasRole(actor, 'admin')) return;
    await this.audit.record(actor, {
      action,
      resourceType: 'outcome_framework',
      resourceId,
      purpose: 'not an administrator',
      outcome: 'denied',
    });
    throw forbidden(what);
  }

  /** The version a new version of `key` must have: one after the latest (1 for a new key). */
  async nextVersion(key: string): Promise<number> {
    return (await store.latestVersion(this.db, key)) + 1;
  }

  /** Adds a framework, or a new version of one (its version must be the next number). Admins only. */
  async add(actor: Actor, input: AddFrameworkInput): Promise<Framework> {
    await this.requireAdmin(actor, 'add-framework', null, 'add outcomes frameworks');
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
    const latest = (await this.list()).find((f) => f.key === definition.key && f.version === expected - 1);
    if (
      latest &&
      sameFrameworkContent(definition, { ...latest, ratingScale: { labels: latest.ratingLabels } })
    ) {
      throw invalid(
        `This says exactly what version ${latest.version} says. Change something before adding a new version.`,
        'name',
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
