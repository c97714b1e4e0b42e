import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { handlesFeedback, moderatesFeedback } from '../../domain/feedback/access.js';
import { describeDuration } from '../../domain/feedback/moderation.js';
import {
  CHANGE_STATUS_LABELS,
  changeDateProblem,
  describeReplyState,
  mayPublish,
  publicView,
  RESPONSE_LIMITS,
  type ReplyState,
  replyState,
  secondsToFirstResponse,
} from '../../domain/feedback/responses.js';
import { isServiceKey } from '../../domain/feedback/vocabulary.js';
import { forbidden, invalid, notFound, ServiceError } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';
import { refuseFeedback } from './refusal.js';
import {
  ChangeContract,
  type ChangeInput,
  ChangeMadeContract,
  LinkChangeContract,
  ReplyContract,
} from './responses-schema.js';
import type { FeedbackChange, ResponseState, StoryReply } from './responses-store.js';
import * as store from './responses-store.js';
import type { FeedbackService } from './store.js';
import { serviceByKey } from './store.js';

export type { FeedbackChange, StoryReply } from './responses-store.js';

/** What the actor may do about responding to a service's stories. */
export interface ResponsePermissions {
  /** Reply to a story, record changes and link stories to them: the service's staff. */
  reply: boolean;
  /** Publish or withdraw a story: the service's moderators (team managers). */
  publish: boolean;
}

/** The responding part of the staff story page. */
export interface StoryResponsesView {
  state: ResponseState;
  replies: StoryReply[];
  permissions: ResponsePermissions;
  /** Whether the writer agreed the story may be published (publishing is offered only then). */
  mayPublish: boolean;
  /** The changes the story is linked to, and the service's other changes it could be linked to. */
  linkedChanges: FeedbackChange[];
  otherChanges: FeedbackChange[];
  /** "2 days 3 hours" from arrival to the first reply, once there is one. */
  firstResponseText: string | null;
  statusLabels: typeof CHANGE_STATUS_LABELS;
}

/** A published story on the public page: masked text, answer, month, and the service's replies. */
export interface PublicStory {
  feedbackId: string;
  fft: string;
  receivedOn: string;
  whatWasGood: string;
  whatCouldBeBetter: string;
  replies: { body: string; createdAt: Date }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Today in the service's calendar (the UK), for the rule on a change's dates. */
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

/**
 * Responding and changing (issue 12, item 5; docs/FEEDBACK.md): the service's staff reply to
 * stories (the first reply stops the time-to-first-response clock), record changes planned and
 * made and link them to the stories that led to them; its moderators publish a story whose writer
 * consented, or withdraw it. The public page shows published stories (masked), the service's
 * replies to them and the changes made. Every staff write and refusal is audited; the public page
 * names no one and is not audited.
 */
export class FeedbackResponsesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  /** What the actor may do with the service's stories (pages offer forms by this). */
  permissionsFor(actor: Actor, service: FeedbackService): ResponsePermissions {
    return { reply: handlesFeedback(actor, service), publish: moderatesFeedback(actor, service) };
  }

  /** The service, when the actor may do `need` with it; unknown keys and refusals audited. */
  private async openService(
    actor: Actor,
    serviceKey: string,
    action: string,
    need: keyof ResponsePermissions | 'read',
  ): Promise<FeedbackService> {
    const service = isServiceKey(serviceKey) ? await serviceByKey(this.db, serviceKey) : null;
    if (!service)
      return refuseFeedback(this.audit, actor, action, serviceKey.slice(0, 100), notFound('This service'));
    const may = this.permissionsFor(actor, service);
    // The named safeguarding contact reads a flagged story's page, replies included.
    const allowed = need === 'read' ? may.reply || service.safeguardingUserId === actor.userId : may[need];
    if (!allowed) {
      const what = {
        read: 'read this service’s feedback',
        reply: 'respond to this service’s feedback',
        publish: 'publish this service’s feedback',
      }[need];
      return refuseFeedback(this.audit, actor, action, serviceKey, forbidden(what));
    }
    return service;
  }

  private async openStory(
    actor: Actor,
    serviceKey: string,
    feedbackId: string,
    action: string,
    need: keyof ResponsePermissions | 'read',
  ): Promise<{ service: FeedbackService; state: ResponseState }> {
    const service = await this.openService(actor, serviceKey, action, need);
    const state = UUID.test(feedbackId)
      ? await store.responseState(this.db, service.serviceKey, feedbackId)
      : null;
    if (!state)
      return refuseFeedback(this.audit, actor, action, feedbackId.slice(0, 100), notFound('This story'));
    return { service, state };
  }

  private async record(actor: Actor, action: string, resourceId: string, purpose: string, db: Kysely<DB>) {
    await this.audit.record(
      actor,
      { action, resourceType: 'feedback', resourceId, outcome: 'success', purpose },
      db,
    );
  }

  /** The story page's responding section: replies, publishing, linked changes. Read is audited by the story page. */
  async storyView(actor: Actor, serviceKey: string, feedbackId: string): Promise<StoryResponsesView> {
    const { service, state } = await this.openStory(actor, serviceKey, feedbackId, 'feedback.read', 'read');
    const [replies, linked, all] = await Promise.all([
      store.repliesTo(this.db, [feedbackId]),
      store.changesOfStory(this.db, feedbackId),
      store.changesOf(this.db, service.serviceKey),
    ]);
    const linkedIds = new Set(linked.map((c) => c.changeId));
    return {
      state,
      replies,
      permissions: this.permissionsFor(actor, service),
      mayPublish: mayPublish(state),
      linkedChanges: linked,
      otherChanges: all.filter((c) => !linkedIds.has(c.changeId)),
      firstResponseText:
        state.secondsToFirstResponse === null ? null : describeDuration(state.secondsToFirstResponse),
      statusLabels: CHANGE_STATUS_LABELS,
    };
  }

  /** A reply to a story; the first one stops the time-to-first-response clock. Returns that time when it did. */
  async reply(actor: Actor, serviceKey: string, feedbackId: string, input: unknown): Promise<number | null> {
    const { state } = await this.openStory(actor, serviceKey, feedbackId, 'feedback.reply', 'reply');
    const { body } = ReplyContract.check(input);
    if (!body.trim()) throw invalid('Enter your reply.', 'body');
    const at = new Date();
    return this.db.transaction().execute(async (trx) => {
      await store.insertReply(trx, {
        replyId: randomUUID(),
        feedbackId,
        body: body.trim(),
        authorUserId: actor.userId,
        at,
      });
      const seconds = secondsToFirstResponse(state.createdAt, at);
      const first = await store.recordFirstResponse(trx, feedbackId, at, seconds);
      await this.record(
        actor,
        'feedback.reply',
        feedbackId,
        first ? `first reply after ${seconds} s` : 'reply',
        trx,
      );
      return first ? seconds : null;
    });
  }

  /** Publishes a story whose writer consented; the public page shows its masked text only. */
  async publish(actor: Actor, serviceKey: string, feedbackId: string): Promise<void> {
    const { state } = await this.openStory(actor, serviceKey, feedbackId, 'feedback.publish', 'publish');
    if (!mayPublish(state)) {
      return refuseFeedback(
        this.audit,
        actor,
        'feedback.publish',
        feedbackId,
        new ServiceError(
          409,
          'No consent to publish',
          'This story cannot be published: the person who wrote it did not agree to it being published.',
        ),
      );
    }
    if (state.publishedAt) return;
    await this.db.transaction().execute(async (trx) => {
      if (await store.publish(trx, feedbackId, actor.userId, new Date())) {
        await this.record(actor, 'feedback.publish', feedbackId, 'published', trx);
      }
    });
  }

  /** Takes a published story off the public page. */
  async withdraw(actor: Actor, serviceKey: string, feedbackId: string): Promise<void> {
    await this.openStory(actor, serviceKey, feedbackId, 'feedback.publish', 'publish');
    await this.db.transaction().execute(async (trx) => {
      if (await store.withdraw(trx, feedbackId)) {
        await this.record(actor, 'feedback.publish', feedbackId, 'withdrawn', trx);
      }
    });
  }

  /** The service's changes, planned and made, with the stories that led to them. */
  async changes(actor: Actor, serviceKey: string) {
    const service = await this.openService(actor, serviceKey, 'feedback.changes', 'reply');
    const changes = await store.changesOf(this.db, service.serviceKey);
    await this.audit.record(actor, {
      action: 'feedback.changes',
      resourceType: 'feedback',
      resourceId: service.serviceKey,
      outcome: 'success',
    });
    return { service, changes };
  }

  /**
   * Records a change, planned or made. From a story (`feedbackId`), the story is linked to it in
   * the same transaction: both happen or neither does.
   */
  async recordChange(actor: Actor, serviceKey: string, input: unknown): Promise<string> {
    const service = await this.openService(actor, serviceKey, 'feedback.change', 'reply');
    const c = ChangeContract.check(input) as ChangeInput;
    if (!c.description.trim()) throw invalid('Enter what the change is.', 'description');
    const problem = changeDateProblem(c, today());
    if (problem) throw invalid(problem.message, problem.field);
    if (c.feedbackId && !(await store.responseState(this.db, service.serviceKey, c.feedbackId))) {
      return refuseFeedback(this.audit, actor, 'feedback.change', c.feedbackId, notFound('This story'));
    }
    const changeId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await store.insertChange(trx, {
        changeId,
        serviceKey: service.serviceKey,
        status: c.status,
        description: c.description.trim(),
        // A change recorded as made keeps the day it had been planned for only if one was given.
        plannedOn: c.plannedOn ?? null,
        madeOn: c.status === 'made' ? (c.madeOn ?? null) : null,
        userId: actor.userId,
      });
      await this.record(actor, 'feedback.change', changeId, `recorded ${c.status}`, trx);
      if (c.feedbackId) {
        await store.linkStory(trx, changeId, c.feedbackId);
        await this.record(actor, 'feedback.change-story', c.feedbackId, `linked to ${changeId}`, trx);
      }
    });
    return changeId;
  }

  /** Marks a planned change made, on the day it was made. */
  async markMade(actor: Actor, serviceKey: string, changeId: string, input: unknown): Promise<void> {
    const service = await this.openService(actor, serviceKey, 'feedback.change', 'reply');
    const change = UUID.test(changeId) ? await store.changeById(this.db, service.serviceKey, changeId) : null;
    if (!change)
      return refuseFeedback(
        this.audit,
        actor,
        'feedback.change',
        changeId.slice(0, 100),
        notFound('This change'),
      );
    const { madeOn } = ChangeMadeContract.check(input);
    const problem = changeDateProblem({ status: 'made', madeOn }, today());
    if (problem) throw invalid(problem.message, problem.field);
    const done = await this.db.transaction().execute(async (trx) => {
      if (!(await store.markMade(trx, changeId, madeOn))) return false;
      await this.record(actor, 'feedback.change', changeId, `made on ${madeOn}`, trx);
      return true;
    });
    if (!done)
      throw new ServiceError(409, 'Already made', 'This change was marked as made already.', 'madeOn');
  }

  /** Links a story to one of the service's changes. */
  async linkStory(actor: Actor, serviceKey: string, feedbackId: string, input: unknown): Promise<void> {
    const { service } = await this.openStory(actor, serviceKey, feedbackId, 'feedback.change-story', 'reply');
    const { changeId } = LinkChangeContract.check(input);
    const change = await store.changeById(this.db, service.serviceKey, changeId);
    if (!change) throw invalid('Choose one of this service’s changes.', 'changeId');
    await this.db.transaction().execute(async (trx) => {
      if (await store.linkStory(trx, changeId, feedbackId)) {
        await this.record(actor, 'feedback.change-story', feedbackId, `linked to ${changeId}`, trx);
      }
    });
  }

  /** "Replied" or "Waiting for a reply (n days)" for each of these stories of the service (its list). */
  async replyStates(
    actor: Actor,
    serviceKey: string,
    feedbackIds: readonly string[],
  ): Promise<Record<string, ReplyState & { text: string }>> {
    const service = await this.openService(actor, serviceKey, 'feedback.list', 'reply');
    const now = new Date();
    const states = await store.responseStates(this.db, service.serviceKey, feedbackIds);
    return Object.fromEntries(
      states.map((s) => {
        const state = replyState(s, now);
        return [s.feedbackId, { ...state, text: describeReplyState(state) }];
      }),
    );
  }

  /**
   * The public page of a service (no account): a page of its published stories, masked, each with
   * the service's replies (no staff names), and the changes it made. 404 for an unknown key.
   */
  async publicPage(serviceKey: string, page = 1) {
    const service = isServiceKey(serviceKey) ? await serviceByKey(this.db, serviceKey) : null;
    if (!service) throw notFound('This service’s page');
    const size = RESPONSE_LIMITS.publicPageSize;
    const [{ rows, total }, changesMade] = await Promise.all([
      store.publishedStories(this.db, service.serviceKey, page, size),
      store.changesOf(this.db, service.serviceKey, { status: 'made', limit: RESPONSE_LIMITS.publicChanges }),
    ]);
    const replies = await store.repliesTo(
      this.db,
      rows.map((r) => r.feedbackId),
    );
    const stories: PublicStory[] = rows.flatMap((row) => {
      const seen = publicView(row);
      if (!seen) return [];
      return [
        {
          feedbackId: row.feedbackId,
          fft: row.fft,
          receivedOn: row.receivedOn,
          ...seen,
          replies: replies
            .filter((r) => r.feedbackId === row.feedbackId)
            .map((r) => ({ body: r.body, createdAt: r.createdAt })),
        },
      ];
    });
    return {
      service,
      stories,
      // What was changed and when: no staff names, no links to who asked for it.
      changesMade: changesMade.map((c) => ({
        changeId: c.changeId,
        description: c.description,
        madeOn: c.madeOn,
      })),
      page,
      total,
      pageCount: Math.max(1, Math.ceil(total / size)),
    };
  }
}
