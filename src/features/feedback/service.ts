import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { FEEDBACK_STAFF_ROLES, feedbackServicesOf, handlesFeedback } from '../../domain/feedback/access.js';
import { detectHarm } from '../../domain/feedback/harm.js';
import { applyMasks, findMasks } from '../../domain/feedback/masking.js';
import { FEEDBACK_LIMITS, type FeedbackChannel, isServiceKey } from '../../domain/feedback/vocabulary.js';
import type { FieldProblem } from '../../services/contract.js';
import { forbidden, notFound } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import type { FeedbackCodingService } from '../feedback-coding/service.js';
import {
  type FeedbackPage,
  ImportedFeedbackContract,
  PublicFeedbackContract,
  type PublicFeedbackInput,
  StaffFeedbackContract,
  type StaffFeedbackInput,
} from './schema.js';
import type { FeedbackScreening, NewFeedback, FeedbackService as Service } from './store.js';
import * as store from './store.js';
import { suggestTouchpoints } from './touchpoints-service.js';

export type { FeedbackService as FeedbackServiceInfo } from './store.js';

/**
 * 96 random bits as 16 URL-safe characters: a service's public key (domain/feedback/vocabulary.ts).
 * Never beginning with '-': `whatmatters feedback import --service KEY` would read it as an option
 * (1 key in 64 did; the 63 others are as random as before).
 */
export function newServiceKey(): string {
  for (;;) {
    const key = randomBytes(12).toString('base64url');
    if (!key.startsWith('-')) return key;
  }
}

/** Today in the service's calendar (the UK). */
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

/** A story's screening: the personal information masked in each field, and the harm it describes. */
export function screenStory(story: { whatWasGood: string; whatCouldBeBetter: string }): FeedbackScreening {
  const whatWasGood = findMasks(story.whatWasGood);
  const whatCouldBeBetter = findMasks(story.whatCouldBeBetter);
  return {
    masks: { whatWasGood, whatCouldBeBetter },
    maskedWhatWasGood: applyMasks(story.whatWasGood, whatWasGood),
    maskedWhatCouldBeBetter: applyMasks(story.whatCouldBeBetter, whatCouldBeBetter),
    harm: detectHarm(`${story.whatWasGood}\n${story.whatCouldBeBetter}`),
  };
}

/** What an import did: rows stored, rows already stored (by source id), and each row refused. */
export interface FeedbackImportReport {
  rows: number;
  imported: number;
  alreadyImported: number;
  rejected: { row: number; column: string; message: string }[];
}

/**
 * Giving feedback (issue 12): anyone may give a service feedback on its public form, without an
 * account; the service's practitioners and team managers type in feedback received on paper or by
 * phone and read the service's list; operators import files. Staff reads and writes, and every
 * refusal, are audited. A public submission identifies no one and is not audited (a flood of spam
 * would otherwise flood the trail); it is rate-limited at the HTTP layer instead.
 */
export class FeedbackCollectionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    /** Codes each story as it is stored (features/feedback-coding). */
    private readonly coding: Pick<FeedbackCodingService, 'codeStory'>,
  ) {}

  /**
   * The one path every story is stored by (public form, staff entry, import): the de-identifier
   * masks personal information once, here, and the harm detector flags it at once to the service's
   * safeguarding contact (their inbox shows it from now). A flag is audited.
   */
  private async keep(db: Kysely<DB>, f: Omit<NewFeedback, 'screening'>): Promise<boolean> {
    // A story, its codes, its touchpoints and its flag are stored together or not at all.
    if (!db.isTransaction) return db.transaction().execute((trx) => this.keep(trx, f));
    const screening = screenStory(f.story);
    const stored = await store.insertFeedback(db, { ...f, screening });
    if (!stored) return false;
    await this.coding.codeStory(db, { feedbackId: f.feedbackId, serviceKey: f.serviceKey, ...screening });
    await suggestTouchpoints(db, { feedbackId: f.feedbackId, serviceKey: f.serviceKey, ...screening });
    const { harm } = screening;
    if (harm.length) {
      await this.audit.record(
        null,
        {
          action: 'feedback.flag',
          resourceType: 'feedback',
          resourceId: f.feedbackId,
          outcome: 'success',
          purpose: harm.map((h) => h.kind).join(', '),
        },
        db,
      );
    }
    return stored;
  }

  /** What pages and navigation may offer this actor. */
  permissions(actor: Actor | null): { handleFeedback: boolean } {
    return {
      handleFeedback:
        !!actor && actor.roles.some((r) => (FEEDBACK_STAFF_ROLES as readonly string[]).includes(r.role)),
    };
  }

  /** The service a public link names, or 404. */
  async publicService(serviceKey: string): Promise<Service> {
    const service = isServiceKey(serviceKey) ? await store.serviceByKey(this.db, serviceKey) : null;
    if (!service) throw notFound('This feedback form');
    return service;
  }

  /**
   * A story from the public form. Stored once per submission token: a second press of the button
   * (or a resent form) finds the token taken and stores nothing, and is answered as the first was.
   * `honeypotFilled`: a field people cannot see was filled, so a program sent it; it is not stored,
   * and the caller answers as if it were, so the program learns nothing.
   */
  async submitPublic(
    serviceKey: string,
    input: unknown,
    options: { honeypotFilled: boolean },
  ): Promise<{ stored: boolean }> {
    const service = await this.publicService(serviceKey);
    const { submissionToken, ...story } = PublicFeedbackContract.check(input) as PublicFeedbackInput;
    if (options.honeypotFilled) return { stored: false };
    const stored = await this.keep(this.db, {
      feedbackId: randomUUID(),
      serviceKey: service.serviceKey,
      story,
      channel: 'online',
      receivedOn: today(),
      submissionToken,
    });
    return { stored };
  }

  /** The services whose feedback the actor handles, each with its key (made on first use). */
  async myServices(actor: Actor): Promise<Service[]> {
    return store.ensureServices(this.db, feedbackServicesOf(actor), newServiceKey);
  }

  /** The service, when the actor handles its feedback; refusals (and unknown keys) audited. */
  async serviceFor(actor: Actor, serviceKey: string, action: string): Promise<Service> {
    const service = isServiceKey(serviceKey) ? await store.serviceByKey(this.db, serviceKey) : null;
    if (!service || !handlesFeedback(actor, service)) {
      await this.audit.record(actor, {
        action,
        resourceType: 'feedback',
        resourceId: serviceKey.slice(0, 100),
        outcome: 'denied',
      });
      if (!service) throw notFound('This service');
      throw forbidden('handle this service’s feedback');
    }
    return service;
  }

  /** A page of the service's feedback, newest first. */
  async list(
    actor: Actor,
    serviceKey: string,
    page = 1,
  ): Promise<FeedbackPage & { service: Service; flagged: Set<string> }> {
    const service = await this.serviceFor(actor, serviceKey, 'feedback.list');
    const size = FEEDBACK_LIMITS.pageSize;
    const { items, total, flagged } = await store.feedbackPage(this.db, service.serviceKey, page, size);
    await this.audit.record(actor, {
      action: 'feedback.list',
      resourceType: 'feedback',
      resourceId: service.serviceKey,
      outcome: 'success',
    });
    return { service, items, flagged, page, total, pageCount: Math.max(1, Math.ceil(total / size)) };
  }

  /** Staff type in feedback received on paper or by phone. */
  async enter(actor: Actor, serviceKey: string, input: unknown): Promise<string> {
    const service = await this.serviceFor(actor, serviceKey, 'feedback.enter');
    const { channel, receivedOn, ...story } = StaffFeedbackContract.check(input) as StaffFeedbackInput;
    const feedbackId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await this.keep(trx, {
        feedbackId,
        serviceKey: service.serviceKey,
        story,
        channel: channel as FeedbackChannel,
        receivedOn,
        enteredByUserId: actor.userId,
      });
      await this.audit.record(
        actor,
        { action: 'feedback.enter', resourceType: 'feedback', resourceId: feedbackId, outcome: 'success' },
        trx,
      );
    });
    return feedbackId;
  }

  /**
   * Imports rows (already mapped to the contract's fields, `null` for blanks) from a file an operator
   * gives the CLI. Each row is checked on its own: a refused row is reported by its number and the
   * field at fault, and the good rows are stored. A row whose source id the service already holds is
   * skipped, so importing a file twice stores nothing twice. `columnOf` names a contract field as the
   * file's column.
   */
  async importRows(
    serviceKey: string,
    rows: readonly {
      row: number;
      input: Record<string, unknown>;
      problems?: readonly { column: string; message: string }[];
    }[],
    columnOf: (field: string) => string,
  ): Promise<FeedbackImportReport> {
    const service = isServiceKey(serviceKey) ? await store.serviceByKey(this.db, serviceKey) : null;
    if (!service) throw notFound(`The service ${serviceKey}`);
    const report: FeedbackImportReport = { rows: rows.length, imported: 0, alreadyImported: 0, rejected: [] };
    for (const { row, input, problems: found = [] } of rows) {
      const problems = [
        ...found,
        ...ImportedFeedbackContract.problems(input).map((p: FieldProblem) => ({
          column: columnOf(p.field),
          message: p.message,
        })),
      ];
      if (problems.length) {
        for (const p of problems) report.rejected.push({ row, ...p });
        continue;
      }
      const { sourceId, receivedOn, ...story } = ImportedFeedbackContract.check(input);
      const stored = await this.keep(this.db, {
        feedbackId: randomUUID(),
        serviceKey: service.serviceKey,
        story,
        channel: 'import',
        receivedOn,
        sourceId,
      });
      if (stored) report.imported++;
      else report.alreadyImported++;
    }
    if (report.imported) {
      await this.audit.record(null, {
        action: 'feedback.import',
        resourceType: 'feedback',
        resourceId: service.serviceKey,
        outcome: report.rejected.length ? 'failure' : 'success',
        purpose: `${report.imported} imported`,
      });
    }
    return report;
  }

  /** Resolves a service by its key or by the id of its team or organisation (for the CLI). */
  async serviceByKeyOrId(ref: string): Promise<Service | null> {
    if (isServiceKey(ref)) {
      const found = await store.serviceByKey(this.db, ref);
      if (found) return found;
    }
    if (!/^[0-9a-f-]{36}$/i.test(ref)) return null;
    const team = await this.db
      .selectFrom('team')
      .select(['team_id', 'organisation_id'])
      .where('team_id', '=', ref)
      .executeTakeFirst();
    const org = team
      ? null
      : await this.db
          .selectFrom('organisation')
          .select('organisation_id')
          .where('organisation_id', '=', ref)
          .executeTakeFirst();
    if (!team && !org) return null;
    const [service] = await store.ensureServices(
      this.db,
      [
        {
          organisationId: team?.organisation_id ?? (org?.organisation_id as string),
          teamId: team?.team_id ?? null,
        },
      ],
      newServiceKey,
    );
    return service ?? null;
  }
}
