import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  type CommissioningPermissions,
  commissioningPermissions,
} from '../../domain/commissioning/access.js';
import {
  type CommissioningFrameworkDefinition,
  commissioningFrameworkProblems,
  sameCommissioningContent,
  withCodes,
} from '../../domain/commissioning/framework.js';
import { STAKEHOLDER_GROUP_LABELS } from '../../domain/commissioning/stakeholders.js';
import { ContractError } from '../../services/contract.js';
import { forbidden, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { Framework } from '../frameworks/schema.js';
import type { FrameworkService } from '../frameworks/service.js';
import type { IndicatorCatalogue, IndicatorChoice } from './indicator-catalogue.js';
import {
  type CommissioningFramework,
  type CommissioningFrameworkSummary,
  type FrameworkVersion,
  type IndicatorRef,
  PublishFrameworkContract,
  type PublishFrameworkInput,
} from './schema.js';
import * as store from './store.js';

/** A framework that keeps the contract's shape but not the domain's rules: 422, naming each field. */
export class CommissioningFrameworkProblems extends ContractError {
  override readonly status = 422 as const;
  override readonly title = 'Invalid commissioning framework';
}

/** What the edit form offers: the domains I statements can be mapped to, and the indicators. */
export interface CommissioningFormOptions {
  outcomesFrameworkKey: string;
  domains: { code: string; name: string; category: string }[];
  indicators: readonly IndicatorChoice[];
}

/** Personal outcome domains are mapped to those of this framework unless a version says otherwise. */
export const DEFAULT_OUTCOMES_FRAMEWORK_KEY = 'talking-points';

const RESOURCE = 'commissioning_framework';

/**
 * Commissioning outcomes frameworks: overarching outcomes → I statements → indicators, with who
 * shaped each version. Commissioners publish frameworks and new versions (a version is never
 * changed; the newest is current); analysts read them; nobody else may (domain/commissioning/access).
 * Publishing is audited with the version it made; every refusal is audited.
 */
export class CommissioningService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly outcomeFrameworks: FrameworkService,
    private readonly indicators: IndicatorCatalogue,
  ) {}

  /** What the actor may do here: pages and navigation ask, they never decide. */
  permissions(actor: Actor): CommissioningPermissions {
    return commissioningPermissions(actor);
  }

  /** The current version of every framework. */
  async listFrameworks(actor: Actor): Promise<CommissioningFrameworkSummary[]> {
    await this.require(actor, 'read', 'list-commissioning-frameworks', null);
    const versions = await store.allVersions(this.db);
    const current = versions.filter((v, i) => versions[i - 1]?.key !== v.key);
    const sizes = await store.hierarchySizes(
      this.db,
      current.map((v) => v.frameworkId),
    );
    return current.map((v) => ({
      frameworkId: v.frameworkId,
      key: v.key,
      version: v.version,
      name: v.name,
      description: v.description,
      outcomeCount: sizes.get(v.frameworkId)?.outcomes ?? 0,
      iStatementCount: sizes.get(v.frameworkId)?.iStatements ?? 0,
      versionCount: versions.filter((o) => o.key === v.key).length,
      publishedAt: v.publishedAt.toISOString(),
      publishedBy: { userId: v.publishedByUserId, name: v.publishedBy },
    }));
  }

  /** One version (current or earlier) with its hierarchy, who shaped it, and every version of its key. */
  async getFramework(actor: Actor, frameworkId: string): Promise<CommissioningFramework> {
    await this.require(actor, 'read', 'read-commissioning-framework', frameworkId);
    return this.describe(frameworkId);
  }

  /**
   * The current version of a framework by key, named only (no hierarchy): what a contract shows of
   * the framework it serves to whoever may read the contract. Null when there is no such key.
   */
  async currentVersionOf(
    key: string,
  ): Promise<{ frameworkId: string; key: string; version: number; name: string } | null> {
    const found = (await store.allVersions(this.db)).find((v) => v.key === key);
    return found
      ? { frameworkId: found.frameworkId, key: found.key, version: found.version, name: found.name }
      : null;
  }

  /** The definition a new version of `frameworkId`'s key starts from (its own content). */
  async definitionOf(actor: Actor, frameworkId: string): Promise<CommissioningFrameworkDefinition> {
    await this.require(actor, 'edit', 'edit-commissioning-framework', frameworkId);
    const stored = await store.frameworkVersion(this.db, frameworkId);
    if (!stored) throw notFound('The commissioning framework');
    return stored.definition;
  }

  /** The domains and indicators an edit can map I statements to. Commissioners only. */
  async formOptions(
    actor: Actor,
    outcomesFrameworkKey = DEFAULT_OUTCOMES_FRAMEWORK_KEY,
  ): Promise<CommissioningFormOptions> {
    await this.require(actor, 'edit', 'edit-commissioning-framework', null);
    const [outcomes, indicators] = await Promise.all([
      this.outcomesFramework(outcomesFrameworkKey),
      this.indicators.choices(),
    ]);
    return {
      outcomesFrameworkKey,
      domains: (outcomes?.domains ?? []).map((d) => ({ code: d.code, name: d.name, category: d.category })),
      indicators,
    };
  }

  /**
   * Publishes a new framework (`basedOnVersion` null) or a new version of one (`basedOnVersion` the
   * current version, else 409: someone published meanwhile). The new version becomes current;
   * earlier ones stay readable. Commissioners only.
   */
  async publish(actor: Actor, input: PublishFrameworkInput): Promise<CommissioningFramework> {
    await this.require(actor, 'edit', 'publish-commissioning-framework', input?.key ?? null);
    const checked = PublishFrameworkContract.check(input);
    const { basedOnVersion, ...rest } = checked;
    const [outcomes, indicators] = await Promise.all([
      this.outcomesFramework(rest.outcomesFrameworkKey),
      this.indicators.choices(),
    ]);
    if (!outcomes) {
      throw new CommissioningFrameworkProblems([
        {
          field: 'outcomesFrameworkKey',
          message: `"${rest.outcomesFrameworkKey}" is not a personal outcomes framework.`,
        },
      ]);
    }
    const definition: CommissioningFrameworkDefinition = rest;
    const problems = commissioningFrameworkProblems(definition, {
      domainCodes: new Set(outcomes.domains.map((d) => d.code)),
      indicatorKeys: new Set(indicators.map((i) => i.key)),
      today: todayIso(),
    });
    if (problems.length) throw new CommissioningFrameworkProblems(problems);

    const frameworkId = await this.db.transaction().execute(async (trx) => {
      await store.lockKey(trx, definition.key);
      const latest = await store.latestVersion(trx, definition.key);
      if (latest !== (basedOnVersion ?? 0)) {
        throw new ServiceError(
          409,
          basedOnVersion === null ? 'Framework exists' : 'Version out of date',
          basedOnVersion === null
            ? `A framework with the key "${definition.key}" exists already: make a new version of it instead.`
            : `Version ${latest} of this framework was published while you were editing version ${basedOnVersion}. Start again from version ${latest}.`,
          basedOnVersion === null ? 'key' : 'basedOnVersion',
        );
      }
      if (latest > 0) {
        const current = (await store.allVersions(trx)).find(
          (v) => v.key === definition.key && v.version === latest,
        );
        const stored = current && (await store.frameworkVersion(trx, current.frameworkId));
        if (stored && sameCommissioningContent(definition, stored.definition)) {
          throw new ServiceError(
            422,
            'Nothing changed',
            `This says exactly what version ${latest} says. Change something before publishing a new version.`,
            'changeSummary',
          );
        }
      }
      const coded = withCodes(definition, await store.codesEverUsed(trx, definition.key));
      const id = await store.insertVersion(trx, coded, latest + 1, {
        userId: actor.userId,
        name: actor.displayName,
      });
      await this.audit.record(
        actor,
        { action: 'publish-commissioning-framework', resourceType: RESOURCE, resourceId: id },
        trx,
      );
      return id;
    });
    return this.describe(frameworkId);
  }

  private async outcomesFramework(key: string): Promise<Framework | undefined> {
    // Newest version first (FrameworkService.list): I statements map to the domains in use now.
    return (await this.outcomeFrameworks.list()).find((f) => f.key === key);
  }

  private async describe(frameworkId: string): Promise<CommissioningFramework> {
    const stored = await store.frameworkVersion(this.db, frameworkId);
    if (!stored) throw notFound('The commissioning framework');
    const [versions, outcomes, indicators] = await Promise.all([
      store.allVersions(this.db),
      this.outcomesFramework(stored.outcomesFrameworkKey),
      this.indicators.choices(),
    ]);
    const own = versions.filter((v) => v.key === stored.key);
    const latest = own[0]?.version ?? stored.version;
    const domainNames = new Map((outcomes?.domains ?? []).map((d) => [d.code, d.name]));
    const indicatorByKey = new Map(indicators.map((i) => [i.key, i]));
    const indicatorRef = (key: string): IndicatorRef => {
      const found = indicatorByKey.get(key);
      return {
        key,
        name: found?.name ?? key,
        improvement: found?.improvement ?? null,
        inLibrary: Boolean(found),
      };
    };
    const { definition } = stored;
    return {
      frameworkId: stored.frameworkId,
      key: stored.key,
      version: stored.version,
      current: stored.version === latest,
      name: stored.name,
      description: stored.description,
      outcomesFrameworkKey: stored.outcomesFrameworkKey,
      changeSummary: stored.changeSummary,
      publishedAt: stored.publishedAt.toISOString(),
      publishedBy: { userId: stored.publishedByUserId, name: stored.publishedBy },
      outcomes: definition.outcomes.map((o) => ({
        code: o.code as string,
        statement: o.statement,
        iStatements: o.iStatements.map((s) => ({
          code: s.code as string,
          text: s.text,
          domains: s.domainCodes.map((code) => ({ code, name: domainNames.get(code) ?? code })),
          indicators: s.indicatorKeys.map(indicatorRef),
        })),
      })),
      shapedBy: definition.shapedBy.map((i) => ({
        group: i.group,
        groupLabel: STAKEHOLDER_GROUP_LABELS[i.group],
        how: i.how,
        on: i.on,
      })),
      versions: own.map(
        (v): FrameworkVersion => ({
          frameworkId: v.frameworkId,
          version: v.version,
          current: v.version === latest,
          publishedAt: v.publishedAt.toISOString(),
          publishedBy: { userId: v.publishedByUserId, name: v.publishedBy },
          changeSummary: v.changeSummary,
        }),
      ),
    };
  }

  /** Refuses, and audits the refusal, unless the actor may read (or edit) frameworks. */
  private async require(
    actor: Actor,
    need: 'read' | 'edit',
    action: string,
    resourceId: string | null,
  ): Promise<void> {
    const may = commissioningPermissions(actor);
    if (need === 'read' ? may.readFrameworks : may.editFrameworks) return;
    await this.audit.record(actor, {
      action,
      resourceType: RESOURCE,
      resourceId,
      purpose: need === 'read' ? 'not a commissioner or analyst' : 'not a commissioner',
      outcome: 'denied',
    });
    throw forbidden(need === 'read' ? 'read commissioning frameworks' : 'publish commissioning frameworks');
  }
}
